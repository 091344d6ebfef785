-- One schema for SQLite and PostgreSQL: only types and statements both understand.
-- Timestamps of server events are microseconds since the Unix epoch (BIGINT); STIX timestamps stay as text.
CREATE TABLE organizations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created     BIGINT NOT NULL
);

CREATE TABLE accounts (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations (id),
    name        TEXT NOT NULL UNIQUE,
    is_admin    BIGINT NOT NULL,
    created     BIGINT NOT NULL
);

-- API keys are stored only as salted SHA-256 hashes; the secret is shown once, when the key is made.
CREATE TABLE api_keys (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts (id),
    label       TEXT NOT NULL,
    salt        TEXT NOT NULL,
    hash        TEXT NOT NULL,
    created     BIGINT NOT NULL,
    revoked     BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE api_roots (
    name        TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    description TEXT
);

CREATE TABLE collections (
    id          TEXT PRIMARY KEY,
    api_root    TEXT NOT NULL REFERENCES api_roots (name),
    title       TEXT NOT NULL,
    description TEXT,
    alias       TEXT,
    -- date_added of the newest object: the next one gets a strictly later value (TAXII 2.1 §3.3 ordering, exact cursors).
    last_added  BIGINT NOT NULL DEFAULT 0,
    created     BIGINT NOT NULL
);

CREATE TABLE collection_grants (
    collection_id TEXT NOT NULL REFERENCES collections (id),
    org_id        TEXT NOT NULL REFERENCES organizations (id),
    can_read      BIGINT NOT NULL,
    can_write     BIGINT NOT NULL,
    PRIMARY KEY (collection_id, org_id)
);

-- Every version of every object, per collection. (collection_id, date_added) is the TAXII sort and cursor key.
CREATE TABLE objects (
    collection_id TEXT NOT NULL REFERENCES collections (id),
    date_added    BIGINT NOT NULL,
    id            TEXT NOT NULL,
    type          TEXT NOT NULL,
    spec_version  TEXT NOT NULL,
    version_key   TEXT NOT NULL,
    version       TEXT NOT NULL,
    is_first      BIGINT NOT NULL,
    is_last       BIGINT NOT NULL,
    revoked       BIGINT NOT NULL,
    -- Strictest TLP level of object_marking_refs (0 none, 1 clear, 2 green, 3 amber, 4 amber+strict, 5 red), for the
    -- per-reader sharing filter that is applied inside the query, before paging.
    tlp           BIGINT NOT NULL,
    markings      TEXT NOT NULL,
    json          TEXT NOT NULL,
    PRIMARY KEY (collection_id, date_added)
);
-- id leads: lookups by id (writes checking known versions, match[id], one object's versions) stay index probes even
-- for a collection the planner has no statistics for yet.
CREATE UNIQUE INDEX objects_version ON objects (id, collection_id, version_key);
-- No index on is_last/is_first: the default read (latest versions) walks the primary key in date_added order and
-- almost every row is a latest version, so a filtered scan costs no more, while two more indexes would cost every write.
CREATE INDEX objects_type ON objects (collection_id, type, date_added);

CREATE TABLE statuses (
    id                TEXT PRIMARY KEY,
    api_root          TEXT NOT NULL,
    collection_id     TEXT NOT NULL,
    account_id        TEXT NOT NULL,
    status            TEXT NOT NULL,
    request_timestamp BIGINT NOT NULL,
    total_count       BIGINT NOT NULL,
    success_count     BIGINT NOT NULL,
    failure_count     BIGINT NOT NULL,
    pending_count     BIGINT NOT NULL,
    details           TEXT NOT NULL
);

-- Large envelopes are acknowledged once stored here, whole, and applied in the background in one transaction that
-- also deletes the row: a crash loses nothing acknowledged and never leaves half an envelope applied.
CREATE TABLE pending_envelopes (
    status_id     TEXT PRIMARY KEY REFERENCES statuses (id),
    collection_id TEXT NOT NULL,
    body          TEXT NOT NULL,
    received      BIGINT NOT NULL
);

-- Trust (issue 3): organizations with country, kind and parent; account roles; communities; collection ownership,
-- default marking and access by organization or community; per-object producer, recipients and refs for the sharing
-- policy; the audit log.
ALTER TABLE organizations ADD COLUMN country TEXT;
ALTER TABLE organizations ADD COLUMN kind TEXT NOT NULL DEFAULT 'partner';
-- The organization this one is a constituent (client) of: TLP:AMBER addressed to the parent reaches it.
ALTER TABLE organizations ADD COLUMN parent_id TEXT;

ALTER TABLE accounts ADD COLUMN role TEXT NOT NULL DEFAULT 'analyst';
UPDATE accounts SET role = 'admin' WHERE is_admin = 1;

CREATE TABLE communities (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    definition  TEXT NOT NULL,
    created     BIGINT NOT NULL
);

CREATE TABLE community_members (
    community_id TEXT NOT NULL REFERENCES communities (id),
    org_id       TEXT NOT NULL REFERENCES organizations (id),
    PRIMARY KEY (community_id, org_id)
);

ALTER TABLE collections ADD COLUMN owner_org TEXT;
-- TLP level given to objects that carry no TLP marking (3 = AMBER: unmarked data goes to its producer and the
-- recipients it named, no further, until a lead says otherwise).
ALTER TABLE collections ADD COLUMN default_tlp BIGINT NOT NULL DEFAULT 3;
ALTER TABLE collections ADD COLUMN is_public BIGINT NOT NULL DEFAULT 0;

-- Who may read or write a collection: organizations ('org') and communities ('community').
CREATE TABLE collection_access (
    collection_id  TEXT NOT NULL REFERENCES collections (id),
    principal_kind TEXT NOT NULL,
    principal_id   TEXT NOT NULL,
    can_read       BIGINT NOT NULL,
    can_write      BIGINT NOT NULL,
    PRIMARY KEY (collection_id, principal_kind, principal_id)
);
INSERT INTO collection_access (collection_id, principal_kind, principal_id, can_read, can_write)
    SELECT collection_id, 'org', org_id, can_read, can_write FROM collection_grants;
DROP TABLE collection_grants;

-- objects.tlp becomes the effective level (marking, else the collection default, raised by granular markings on
-- required properties); tlp_marked and tlp_floor keep its parts so a new collection default can be applied.
ALTER TABLE objects ADD COLUMN producer TEXT NOT NULL DEFAULT '';
ALTER TABLE objects ADD COLUMN tlp_marked BIGINT NOT NULL DEFAULT 0;
ALTER TABLE objects ADD COLUMN tlp_floor BIGINT NOT NULL DEFAULT 0;
-- 0 stands alone, 1 visible only when every ref is, 2 lists only visible refs (SharingPolicy.RefRule).
ALTER TABLE objects ADD COLUMN ref_rule BIGINT NOT NULL DEFAULT 0;
ALTER TABLE objects ADD COLUMN granular BIGINT NOT NULL DEFAULT 0;
UPDATE objects SET tlp_marked = tlp;
UPDATE objects SET tlp = 3 WHERE tlp = 0;
-- Each producer's copy of a version is its own: a writer must never learn, by a "duplicate", that another
-- organization holds the same object under a marking it may not see.
DROP INDEX objects_version;
CREATE UNIQUE INDEX objects_version ON objects (id, collection_id, version_key, producer);

-- The organization that posted a pending envelope: the producer of its objects.
ALTER TABLE pending_envelopes ADD COLUMN producer TEXT NOT NULL DEFAULT '';

CREATE TABLE object_recipients (
    collection_id TEXT NOT NULL,
    date_added    BIGINT NOT NULL,
    org_id        TEXT NOT NULL,
    PRIMARY KEY (collection_id, date_added, org_id)
);

CREATE TABLE object_refs (
    collection_id TEXT NOT NULL,
    date_added    BIGINT NOT NULL,
    ref_id        TEXT NOT NULL,
    PRIMARY KEY (collection_id, date_added, ref_id)
);

-- Bumped by every change of trust (organizations, communities, access, defaults), so a server reloads its model.
CREATE TABLE trust_version (
    id      BIGINT PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO trust_version (id, version) VALUES (1, 1);

-- Append-only: who did what, when, from where. Never object content; never the id of a TLP:RED object.
CREATE TABLE audit_log (
    id         TEXT PRIMARY KEY,
    at         BIGINT NOT NULL,
    account_id TEXT,
    org_id     TEXT,
    action     TEXT NOT NULL,
    target     TEXT,
    detail     TEXT,
    source     TEXT
);
CREATE INDEX audit_log_at ON audit_log (at, id);

-- Federation (issue 17): the peers of the node, their links, what they sent that conflicted, and invitations.

-- The peer an object version came from ('' when it was written on this node): a version is never sent back to it.
ALTER TABLE objects ADD COLUMN via TEXT NOT NULL DEFAULT '';

-- Another node. `account_id` is the local sync account whose keys it calls this node with; `remote_key` is the key this
-- node calls it with (a sync key it issued); `serves` the organizations it speaks for (JSON array of identity ids,
-- its home organization first).
CREATE TABLE peers (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    url          TEXT NOT NULL,
    home_org     TEXT NOT NULL REFERENCES organizations (id),
    serves       TEXT NOT NULL,
    account_id   TEXT NOT NULL REFERENCES accounts (id),
    remote_key   TEXT,
    fingerprint  TEXT,
    created      BIGINT NOT NULL
);

-- A direction of exchange with a peer: pull a remote collection into a local one, or push a local one to a remote one.
-- `cursor` is where the next run starts: the remote X-TAXII-Date-Added-Last of the last page stored (pull), or the
-- local date_added of the last row examined (push); it is written in the same transaction as the page it covers.
-- `reasons` counts, as JSON, every object not sent or not accepted, by reason.
CREATE TABLE peer_links (
    id                TEXT PRIMARY KEY,
    peer_id           TEXT NOT NULL REFERENCES peers (id) ON DELETE CASCADE,
    direction         TEXT NOT NULL,
    local_collection  TEXT NOT NULL REFERENCES collections (id),
    remote_collection TEXT NOT NULL,
    every_seconds     BIGINT NOT NULL,
    cursor            TEXT NOT NULL DEFAULT '',
    newest            BIGINT,
    last_run          BIGINT,
    last_duration_ms  BIGINT,
    last_error        TEXT,
    objects_in        BIGINT NOT NULL DEFAULT 0,
    objects_out       BIGINT NOT NULL DEFAULT 0,
    reasons           TEXT NOT NULL DEFAULT '{}',
    runs              BIGINT NOT NULL DEFAULT 0,
    failures          BIGINT NOT NULL DEFAULT 0,
    UNIQUE (peer_id, direction, local_collection, remote_collection)
);

-- The same id and modified with different content from two sources: the first is kept, the second recorded here.
CREATE TABLE peer_conflicts (
    id            TEXT PRIMARY KEY,
    peer_id       TEXT NOT NULL,
    collection_id TEXT NOT NULL,
    object_id     TEXT NOT NULL,
    version       TEXT NOT NULL,
    at            BIGINT NOT NULL,
    detail        TEXT NOT NULL
);
CREATE INDEX peer_conflicts_at ON peer_conflicts (at);

-- A one-time invitation: the account its key belongs to, who it speaks for, which collections it links; spent once.
CREATE TABLE peer_invites (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    account_id  TEXT NOT NULL REFERENCES accounts (id),
    serves      TEXT NOT NULL,
    collections TEXT NOT NULL,
    expires     BIGINT NOT NULL,
    used        BIGINT NOT NULL DEFAULT 0
);

-- What the node says of itself to peers: its home organization, its public address, whom else it speaks for.
CREATE TABLE node_settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

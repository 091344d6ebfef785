-- Feeds pulled on a schedule by the server (issue 6): where from, how to read it, where it goes, how often, and how
-- the last run went. `state` is the feed's pull state (for a MISP feed: event uuid -> manifest timestamp), JSON.
CREATE TABLE feeds (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL UNIQUE,
    source           TEXT NOT NULL,
    format           TEXT NOT NULL,
    preset           TEXT,
    collection_id    TEXT NOT NULL REFERENCES collections (id),
    producer         TEXT NOT NULL REFERENCES organizations (id),
    every_seconds    BIGINT NOT NULL,
    state            TEXT NOT NULL,
    created          BIGINT NOT NULL,
    last_run         BIGINT,
    last_duration_ms BIGINT,
    last_added       BIGINT NOT NULL DEFAULT 0,
    last_unchanged   BIGINT NOT NULL DEFAULT 0,
    last_rejected    BIGINT NOT NULL DEFAULT 0,
    last_error       TEXT,
    runs             BIGINT NOT NULL DEFAULT 0,
    failures         BIGINT NOT NULL DEFAULT 0
);

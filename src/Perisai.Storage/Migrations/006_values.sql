-- The values an object holds (the string literals of its pattern; an observable's value, name and hashes), in lower
-- case: search by value reads them through this index instead of scanning every object's JSON (issue 7). Rows stored
-- before this migration are indexed by the store right after it runs (SqlStore.BackfillValuesAsync).
CREATE TABLE object_values (
    collection_id TEXT NOT NULL,
    value         TEXT NOT NULL,
    date_added    BIGINT NOT NULL,
    PRIMARY KEY (collection_id, value, date_added)
);

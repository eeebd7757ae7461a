-- Phones hold what the work needs (issue 17): the citizens the centre has released from the
-- phones (`sync::purge`), the ones whose entries left this phone, and a marker for each entry
-- that left (its id only, and whose it was), which the digest counts as held: nothing is sent
-- again or fetched again because of it. Sync state, not projections: a rebuild leaves them.
CREATE TABLE sync_released (
    subject TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;

CREATE TABLE sync_purged_subjects (
    subject TEXT PRIMARY KEY,
    -- The citizen (the id kept after merges) the subject belongs to.
    root TEXT NOT NULL,
    purged_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX sync_purged_subjects_by_root ON sync_purged_subjects (root);

CREATE TABLE sync_purged_entries (
    entry_id TEXT PRIMARY KEY,
    root TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX sync_purged_entries_by_root ON sync_purged_entries (root);

-- A citizen fetched on the worker's request stays until this time, released or not.
CREATE TABLE sync_fetched (
    subject TEXT PRIMARY KEY,
    until TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TRIGGER digest_forget_purged_insert AFTER INSERT ON sync_purged_entries
BEGIN DELETE FROM meta WHERE key = 'sync_digest'; END;
CREATE TRIGGER digest_forget_purged_delete AFTER DELETE ON sync_purged_entries
BEGIN DELETE FROM meta WHERE key = 'sync_digest'; END;

-- Erasure (issue 17): what an erasure removed from the journal, kept as tombstones, and the
-- citizens everything about whom was erased (`core/src/kinds/entry_erased.rs`). Neither is a
-- projection: a rebuild does not clear them, since the entries they stand for are gone. A
-- tombstone keeps the entry's id and kind and the erasure that removed it (which says when and
-- why); `counted` is 1 for the entries the centre listed, which the digest counts as held.
CREATE TABLE erased_entries (
    entry_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    erased_by TEXT NOT NULL,
    counted INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX erased_entries_by_erasure ON erased_entries (erased_by);

CREATE TABLE erased_subjects (
    subject TEXT PRIMARY KEY,
    erased_by TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- The timeline finds an erasure of one entry through the journal's index of the kinds without
-- a table of their own.
DROP INDEX entries_about;
CREATE INDEX entries_about ON entries(subject, occurred_at)
    WHERE kind IN ('person.noted', 'person.updated', 'person.merged', 'entry.amended', 'entry.voided', 'entry.erased');

-- The kept digest counts the tombstones the centre listed (migration 0007's rule).
CREATE TRIGGER digest_forget_erased_insert AFTER INSERT ON erased_entries
BEGIN DELETE FROM meta WHERE key = 'sync_digest'; END;
CREATE TRIGGER digest_forget_erased_delete AFTER DELETE ON erased_entries
BEGIN DELETE FROM meta WHERE key = 'sync_digest'; END;

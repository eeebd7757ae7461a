-- The journal. Entry ids are UUIDv7 made from the entry's HLC (see `journal::entry_id_for`),
-- so the primary key is also the recording order: no second index is needed for it.
-- Records about a citizen (contacts, risk checks, screenings, stages) are found through
-- their projection tables; only the other kinds, a few per person, are indexed by subject.

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
CREATE TABLE entries (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    subject TEXT NOT NULL,
    author_worker TEXT NOT NULL,
    author_device TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    payload TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX entries_about ON entries(subject, occurred_at)
    WHERE kind IN ('person.noted', 'person.updated', 'person.merged', 'entry.amended', 'entry.voided');

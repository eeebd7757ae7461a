-- Entries of a newer kind or format than this centre knows, pushed by phones updated before
-- it, and entries that refer to one of them (a correction of it): kept whole as they came (the
-- journal's JSON), acknowledged to their phone, neither read nor passed on, and taken in (with
-- every check a push makes) when an updated centre opens the store. `kind` and
-- `schema_version` say, without reading the entry, whether this centre can read it yet.
-- `status` is 'held', or 'rejected' when the updated centre refused it (with `reason`), kept
-- for the operator since the phone was told it was held.
CREATE TABLE centre_held (
    entry_id TEXT PRIMARY KEY,
    device TEXT NOT NULL,
    team TEXT NOT NULL,
    kind TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    entry TEXT NOT NULL,
    held_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'held',
    reason TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX centre_held_by_device ON centre_held(device, status);

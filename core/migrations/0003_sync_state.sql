-- Sync. What the centre has acknowledged is a watermark over this device's own entry
-- ids (they increase with its clock), and what it has sent is a cursor, both in `meta`:
-- recording an entry writes nothing extra. Entries the centre refused for good are
-- listed here so that they show as such and never silently vanish.

CREATE TABLE sync_rejected (
    entry_id TEXT PRIMARY KEY,
    reason TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- Entries the centre sent that this phone cannot take in under today's rules: ones an
-- earlier centre accepted before the time bounds and name rules (stamped years ahead,
-- say). Kept here whole, with the reason, and tried again at every pull, instead of
-- stopping every pull before them for good (see `sync::apply_pull`).

CREATE TABLE sync_set_aside (
    entry_id TEXT PRIMARY KEY,
    entry TEXT NOT NULL,
    reason TEXT NOT NULL
) STRICT, WITHOUT ROWID;

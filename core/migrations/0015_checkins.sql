-- Check-ins (issue 15): a row per start, extension, end and acknowledgement, all kept under the
-- check-in's own subject (`owner`) and naming the check-in by its starting entry's id
-- (`core/src/kinds/checkins.rs` reads a check-in's state from them).
CREATE TABLE checkins (
    owner TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voided INTEGER NOT NULL,
    author_worker TEXT NOT NULL,
    watcher TEXT NOT NULL,
    place TEXT NOT NULL,
    person TEXT,
    reason TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    due_at TEXT NOT NULL,
    high_risk INTEGER NOT NULL,
    PRIMARY KEY (owner, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX checkins_by_id ON checkins (entry_id);

CREATE TABLE checkin_extensions (
    owner TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voided INTEGER NOT NULL,
    author_worker TEXT NOT NULL,
    checkin TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    due_at TEXT NOT NULL,
    PRIMARY KEY (owner, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE checkin_ends (
    owner TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voided INTEGER NOT NULL,
    author_worker TEXT NOT NULL,
    checkin TEXT NOT NULL,
    duress INTEGER NOT NULL,
    on_behalf INTEGER NOT NULL,
    PRIMARY KEY (owner, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE checkin_acknowledgements (
    owner TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voided INTEGER NOT NULL,
    author_worker TEXT NOT NULL,
    checkin TEXT NOT NULL,
    PRIMARY KEY (owner, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;

-- Safety incidents (issue 15): a row per incident, its kind, whether the police or the centre
-- were called, and the contact it broke off (`core/src/kinds/incident_recorded.rs`).
CREATE TABLE incidents (
    owner TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voided INTEGER NOT NULL,
    author_worker TEXT NOT NULL,
    kind TEXT NOT NULL,
    police_called INTEGER NOT NULL,
    centre_called INTEGER NOT NULL,
    contact TEXT,
    PRIMARY KEY (owner, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;

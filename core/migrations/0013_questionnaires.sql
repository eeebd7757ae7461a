-- The pilot's questionnaires (issue 14): each one recorded is a row with its answers as JSON (the
-- summaries read them whole), or marked not possible (`core/src/kinds/questionnaire_recorded.rs`).
CREATE TABLE questionnaires (
    owner TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voided INTEGER NOT NULL,
    author_worker TEXT NOT NULL,
    course TEXT NOT NULL,
    instrument TEXT NOT NULL,
    instrument_version INTEGER NOT NULL,
    occasion TEXT NOT NULL,
    -- A JSON array, one answer or null per item; null when not possible.
    answers TEXT,
    not_possible TEXT,
    PRIMARY KEY (owner, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX questionnaires_by_course ON questionnaires(course, instrument, occasion, occurred_at, entry_id);

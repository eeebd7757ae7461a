-- The measures as the seeds write them (issue 14). A rebuild fills every column from the journal.
--
-- Contact intensity: each contact's row says whether it was a conversation with the citizen
-- (made, the citizen there and talked with), which intensity counts; `met` now says whether the
-- citizen was seen (a contact about them, with them absent, is not)
-- (`core/src/kinds/contact_logged.rs`).
ALTER TABLE contacts ADD COLUMN conversation INTEGER NOT NULL DEFAULT 0;

-- Pre-screening version 2: while a criterion is not known, neither the complex-burden criterion
-- nor what the criteria indicate may be (NULL) (`core/src/kinds/screening_recorded.rs`).
DROP TABLE screenings;
CREATE TABLE screenings (
    owner TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voided INTEGER NOT NULL,
    author_worker TEXT NOT NULL,
    complex_burden INTEGER,
    indicated INTEGER,
    decision TEXT NOT NULL,
    referral_kind TEXT,
    instrument_version INTEGER NOT NULL,
    PRIMARY KEY (owner, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;

-- Stages version 2: the life-in-control and craving scales (`core/src/kinds/stage_assessed.rs`).
ALTER TABLE stages ADD COLUMN life_control INTEGER;
ALTER TABLE stages ADD COLUMN craving INTEGER;

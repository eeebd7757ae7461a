-- The projections. Every page a record touches is encrypted and written at commit, so
-- the record tables are keyed by what the screens ask for (the citizen, then time) and
-- carry no secondary index: one B-tree each. `owner` is the subject the record counts
-- for now: the person kept after merges, or the unknown citizen until identified. A
-- voided record keeps its row, marked, so the timeline still finds it. The rows hold the
-- codes that screens and reports count and sort by; free text (notes, places, plans)
-- lives once, in the journal. `listing` is the persons list's order kept by hand, so
-- that a contact moves one row of one B-tree.

CREATE TABLE subject_redirects (
    from_id TEXT PRIMARY KEY,
    to_id TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX subject_redirects_by_target ON subject_redirects(to_id);

CREATE TABLE persons (
    id TEXT PRIMARY KEY,
    noted_entry TEXT NOT NULL,
    noted_at TEXT NOT NULL,
    alias TEXT NOT NULL,
    description TEXT,
    birth_year INTEGER,
    merged_into TEXT,
    voided INTEGER NOT NULL DEFAULT 0,
    attribute_conflicts INTEGER NOT NULL DEFAULT 0,
    risk_check_id TEXT,
    risk_band TEXT,
    risk_at TEXT,
    stage_entry TEXT,
    stage TEXT,
    stage_at TEXT,
    screening_entry TEXT,
    screening_decision TEXT,
    screening_at TEXT
) STRICT, WITHOUT ROWID;

CREATE TABLE listing (
    last_contact TEXT NOT NULL,
    noted_at TEXT NOT NULL,
    person_id TEXT NOT NULL,
    PRIMARY KEY (last_contact, noted_at, person_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE unknown_citizens (
    id TEXT PRIMARY KEY,
    first_entry TEXT NOT NULL,
    first_seen_at TEXT NOT NULL,
    description TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE person_attributes (
    person_id TEXT NOT NULL,
    attribute TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    value TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (person_id, attribute, entry_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE attribute_supersedes (
    superseded TEXT NOT NULL,
    attribute TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    PRIMARY KEY (superseded, attribute, entry_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE corrections (
    target TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (target, entry_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE contacts (
    owner TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voided INTEGER NOT NULL,
    author_worker TEXT NOT NULL,
    place_kind TEXT NOT NULL,
    kind TEXT NOT NULL,
    outcome TEXT NOT NULL,
    met INTEGER NOT NULL,
    with_colleague INTEGER NOT NULL,
    minutes INTEGER,
    risk_check_id TEXT,
    PRIMARY KEY (owner, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE risk_checks (
    owner TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voided INTEGER NOT NULL,
    author_worker TEXT NOT NULL,
    score INTEGER NOT NULL,
    band TEXT NOT NULL,
    instrument_version INTEGER NOT NULL,
    PRIMARY KEY (owner, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE screenings (
    owner TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voided INTEGER NOT NULL,
    author_worker TEXT NOT NULL,
    complex_burden INTEGER NOT NULL,
    indicated INTEGER NOT NULL,
    decision TEXT NOT NULL,
    referral_kind TEXT,
    instrument_version INTEGER NOT NULL,
    PRIMARY KEY (owner, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE stages (
    owner TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voided INTEGER NOT NULL,
    author_worker TEXT NOT NULL,
    stage TEXT NOT NULL,
    importance INTEGER,
    confidence INTEGER,
    instrument_version INTEGER NOT NULL,
    PRIMARY KEY (owner, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;

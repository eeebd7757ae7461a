-- The team's map (issue 15, Bilag 2B): areas, the places of the register with their visit
-- rules, the rounds of the route plan (their places as a JSON list in order), and a contact's
-- place of the register (`core/src/kinds/places.rs` reads the coverage from them).
CREATE TABLE areas (
    owner TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voided INTEGER NOT NULL,
    author_worker TEXT NOT NULL,
    name TEXT NOT NULL,
    priority TEXT NOT NULL,
    PRIMARY KEY (owner, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX areas_by_id ON areas (entry_id);

CREATE TABLE places (
    owner TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voided INTEGER NOT NULL,
    author_worker TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    area TEXT,
    rule TEXT NOT NULL,
    PRIMARY KEY (owner, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX places_by_id ON places (entry_id);

CREATE TABLE rounds (
    owner TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voided INTEGER NOT NULL,
    author_worker TEXT NOT NULL,
    name TEXT NOT NULL,
    weekday TEXT NOT NULL,
    time TEXT NOT NULL,
    places TEXT NOT NULL,
    PRIMARY KEY (owner, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;

ALTER TABLE contacts ADD COLUMN place_id TEXT;
CREATE INDEX contacts_by_place ON contacts (place_id, occurred_at) WHERE place_id IS NOT NULL;

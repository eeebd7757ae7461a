-- The citizen's network and consent (issue 13): network members, consents given and withdrawn,
-- disclosures made on a consent; each a record kind with a row per entry
-- (`core/src/kinds/network_noted.rs`, `consent_*.rs`, `disclosure_made.rs`).
CREATE TABLE network_members (
    owner TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voided INTEGER NOT NULL,
    author_worker TEXT NOT NULL,
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    organisation TEXT,
    phone TEXT,
    PRIMARY KEY (owner, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;
CREATE TABLE consents (
    owner TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voided INTEGER NOT NULL,
    author_worker TEXT NOT NULL,
    to_whom TEXT NOT NULL,
    about TEXT NOT NULL,
    form TEXT NOT NULL,
    PRIMARY KEY (owner, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX consents_by_entry ON consents(entry_id);
CREATE TABLE consent_withdrawals (
    owner TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voided INTEGER NOT NULL,
    author_worker TEXT NOT NULL,
    consent TEXT NOT NULL,
    PRIMARY KEY (owner, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX consent_withdrawals_by_consent ON consent_withdrawals(consent, occurred_at);
CREATE TABLE disclosures (
    owner TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voided INTEGER NOT NULL,
    author_worker TEXT NOT NULL,
    what TEXT NOT NULL,
    to_whom TEXT NOT NULL,
    consent TEXT NOT NULL,
    PRIMARY KEY (owner, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX disclosures_by_consent ON disclosures(consent, occurred_at);

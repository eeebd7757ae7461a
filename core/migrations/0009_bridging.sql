-- Bridge-building and the 14-day guarantee (issue 13): the wish for treatment, the visitation,
-- the start of treatment, the handover to the counsellor, bridges to other services; each a
-- record kind with a row per entry naming its course (`core/src/kinds/treatment_*.rs`,
-- `service_bridged.rs`). The guarantee is read from the wishes and starts (`kinds/guarantee.rs`).
CREATE TABLE treatment_requests (
    owner TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voided INTEGER NOT NULL,
    author_worker TEXT NOT NULL,
    course TEXT NOT NULL,
    PRIMARY KEY (owner, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX treatment_requests_by_course ON treatment_requests(course, occurred_at, entry_id);
CREATE TABLE treatment_visitations (
    owner TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voided INTEGER NOT NULL,
    author_worker TEXT NOT NULL,
    course TEXT NOT NULL,
    kind TEXT NOT NULL,
    result TEXT NOT NULL,
    offer TEXT,
    PRIMARY KEY (owner, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX treatment_visitations_by_course ON treatment_visitations(course, occurred_at, entry_id);
CREATE TABLE treatment_starts (
    owner TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voided INTEGER NOT NULL,
    author_worker TEXT NOT NULL,
    course TEXT NOT NULL,
    offer TEXT NOT NULL,
    intensity TEXT NOT NULL,
    counsellor TEXT,
    PRIMARY KEY (owner, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX treatment_starts_by_course ON treatment_starts(course, occurred_at, entry_id);
CREATE TABLE treatment_handovers (
    owner TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voided INTEGER NOT NULL,
    author_worker TEXT NOT NULL,
    course TEXT NOT NULL,
    counsellor TEXT NOT NULL,
    plan_handed_over INTEGER NOT NULL,
    support TEXT,
    notify_no_shows INTEGER NOT NULL,
    PRIMARY KEY (owner, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX treatment_handovers_by_course ON treatment_handovers(course, occurred_at, entry_id);
CREATE TABLE service_bridges (
    owner TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voided INTEGER NOT NULL,
    author_worker TEXT NOT NULL,
    course TEXT NOT NULL,
    service TEXT NOT NULL,
    status TEXT NOT NULL,
    contact TEXT,
    PRIMARY KEY (owner, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX service_bridges_by_course ON service_bridges(course, occurred_at, entry_id);

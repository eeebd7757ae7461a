-- The initial treatment plan, Bilag 1C (issue 13): each revision a row with its fields as JSON
-- (the screens and the handover document read it whole), its evaluations and the cooperation
-- noted on it (`core/src/kinds/plan_set.rs`, `plan_evaluated.rs`, `cooperation_noted.rs`).
CREATE TABLE plans (
    owner TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voided INTEGER NOT NULL,
    author_worker TEXT NOT NULL,
    course TEXT NOT NULL,
    fields TEXT NOT NULL,
    PRIMARY KEY (owner, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX plans_by_course ON plans(course, occurred_at, entry_id);

CREATE TABLE plan_evaluations (
    owner TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voided INTEGER NOT NULL,
    author_worker TEXT NOT NULL,
    plan TEXT NOT NULL,
    goal INTEGER NOT NULL,
    reached TEXT NOT NULL,
    closer TEXT,
    comment TEXT,
    PRIMARY KEY (owner, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX plan_evaluations_by_plan ON plan_evaluations(plan, occurred_at, entry_id);

CREATE TABLE plan_cooperation (
    owner TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voided INTEGER NOT NULL,
    author_worker TEXT NOT NULL,
    plan TEXT NOT NULL,
    satisfaction TEXT,
    citizen_comments TEXT,
    worker_comments TEXT,
    PRIMARY KEY (owner, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX plan_cooperation_by_plan ON plan_cooperation(plan, occurred_at, entry_id);

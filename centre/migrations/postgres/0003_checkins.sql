-- Check-ins the centre watches (issue 15; the embedded store's `0005_checkins.sql`).
CREATE TABLE centre_checkins (
    id TEXT COLLATE "C" PRIMARY KEY,
    team TEXT COLLATE "C" NOT NULL,
    worker TEXT COLLATE "C" NOT NULL,
    watcher TEXT COLLATE "C" NOT NULL,
    place TEXT NOT NULL,
    started_at TEXT COLLATE "C" NOT NULL,
    due_at TEXT COLLATE "C" NOT NULL,
    due_set_at TEXT COLLATE "C" NOT NULL,
    high_risk BOOLEAN NOT NULL,
    ended_at TEXT COLLATE "C",
    ended_by TEXT,
    on_behalf BOOLEAN NOT NULL,
    duress BOOLEAN NOT NULL,
    level INTEGER NOT NULL,
    overdue_since TEXT COLLATE "C",
    next_at_ms BIGINT,
    acknowledged_by TEXT,
    acknowledged_at TEXT COLLATE "C"
);
CREATE INDEX centre_checkins_next ON centre_checkins (next_at_ms) WHERE next_at_ms IS NOT NULL;
CREATE INDEX centre_checkins_team ON centre_checkins (team, started_at);
CREATE INDEX centre_checkins_live ON centre_checkins (team, started_at) WHERE ended_at IS NULL OR duress;

CREATE TABLE centre_checkin_steps (
    checkin TEXT COLLATE "C" NOT NULL REFERENCES centre_checkins(id),
    step INTEGER NOT NULL,
    level TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    process TEXT NOT NULL,
    PRIMARY KEY (checkin, step)
);

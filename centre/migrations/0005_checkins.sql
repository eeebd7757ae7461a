-- Check-ins the centre watches (issue 15): each check-in's state, kept from its entries as they
-- arrive, with when its next escalation step is due; and every step taken, once (its key), with
-- the process that took it. The timer is this state, not a clock in memory: a restarted centre,
-- or another process on the same store, carries on from it.
CREATE TABLE centre_checkins (
    id TEXT PRIMARY KEY,
    team TEXT NOT NULL,
    worker TEXT NOT NULL,
    watcher TEXT NOT NULL,
    place TEXT NOT NULL,
    started_at TEXT NOT NULL,
    due_at TEXT NOT NULL,
    due_set_at TEXT NOT NULL,
    high_risk INTEGER NOT NULL,
    ended_at TEXT,
    ended_by TEXT,
    on_behalf INTEGER NOT NULL,
    duress INTEGER NOT NULL,
    level INTEGER NOT NULL,
    overdue_since TEXT,
    next_at_ms INTEGER,
    acknowledged_by TEXT,
    acknowledged_at TEXT
) STRICT;
CREATE INDEX centre_checkins_next ON centre_checkins (next_at_ms) WHERE next_at_ms IS NOT NULL;
CREATE INDEX centre_checkins_team ON centre_checkins (team, started_at);
CREATE INDEX centre_checkins_live ON centre_checkins (team, started_at) WHERE ended_at IS NULL OR duress = 1;

CREATE TABLE centre_checkin_steps (
    checkin TEXT NOT NULL REFERENCES centre_checkins(id),
    step INTEGER NOT NULL,
    level TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    process TEXT NOT NULL,
    PRIMARY KEY (checkin, step)
) STRICT;

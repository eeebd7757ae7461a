-- The page's accounts (issue 16): people the operator made (`gadeplan-centre user add`), their
-- Argon2id password hashes (never the password), failed sign-ins and lock-out; their sessions
-- (the cookie's hash, never the cookie, with the form token); and the leader's time-limited
-- access to a citizen's free text after giving a reason ("break the glass").
CREATE TABLE centre_users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('leader', 'operator', 'auditor')),
    team TEXT,
    password_hash TEXT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL,
    disabled_at TEXT,
    CHECK ((role = 'leader') = (team IS NOT NULL))
) STRICT;

CREATE TABLE centre_sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES centre_users(id),
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    ended_at TEXT
) STRICT;
CREATE INDEX centre_sessions_by_user ON centre_sessions(user_id);

CREATE TABLE centre_glass (
    user_id TEXT NOT NULL REFERENCES centre_users(id),
    subject TEXT NOT NULL,
    reason TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (user_id, subject, granted_at)
) STRICT;

-- The indicators start from a team's subjects (`centre/src/indicators.rs`).
CREATE INDEX centre_subjects_by_team ON centre_subjects(team, subject);

-- The page's accounts, sessions and break-the-glass grants (issue 16; the embedded store's
-- `0007_accounts.sql`).
CREATE TABLE centre_users (
    id TEXT COLLATE "C" PRIMARY KEY,
    name TEXT COLLATE "C" NOT NULL UNIQUE,
    role TEXT COLLATE "C" NOT NULL CHECK (role IN ('leader', 'operator', 'auditor')),
    team TEXT COLLATE "C",
    password_hash TEXT NOT NULL,
    failures BIGINT NOT NULL DEFAULT 0,
    locked_until TEXT COLLATE "C",
    created_at TEXT COLLATE "C" NOT NULL,
    disabled_at TEXT COLLATE "C",
    CHECK ((role = 'leader') = (team IS NOT NULL))
);

CREATE TABLE centre_sessions (
    token_hash TEXT COLLATE "C" PRIMARY KEY,
    user_id TEXT COLLATE "C" NOT NULL REFERENCES centre_users(id),
    csrf TEXT NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL,
    last_seen_at TEXT COLLATE "C" NOT NULL,
    ended_at TEXT COLLATE "C"
);
CREATE INDEX centre_sessions_by_user ON centre_sessions(user_id);

CREATE TABLE centre_glass (
    user_id TEXT COLLATE "C" NOT NULL REFERENCES centre_users(id),
    subject TEXT COLLATE "C" NOT NULL,
    reason TEXT COLLATE "C" NOT NULL,
    granted_at TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (user_id, subject, granted_at)
);

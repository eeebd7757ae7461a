CREATE TABLE IF NOT EXISTS centre_teams (
    name TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS centre_devices (
    id TEXT PRIMARY KEY,
    team TEXT NOT NULL REFERENCES centre_teams(name),
    worker TEXT NOT NULL,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    enrolled_at TEXT NOT NULL,
    revoked_at TEXT
) STRICT;
CREATE TABLE IF NOT EXISTS centre_codes (
    code_hash TEXT PRIMARY KEY,
    team TEXT NOT NULL REFERENCES centre_teams(name),
    worker TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
) STRICT;
CREATE TABLE IF NOT EXISTS centre_leader_tokens (
    token_hash TEXT PRIMARY KEY,
    team TEXT NOT NULL REFERENCES centre_teams(name),
    created_at TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS centre_sequence (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id TEXT NOT NULL UNIQUE,
    team TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS centre_sequence_by_team ON centre_sequence(team, seq);
CREATE TABLE IF NOT EXISTS centre_subjects (
    subject TEXT PRIMARY KEY,
    team TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- The centre's tables on PostgreSQL, at the state of the SQLite centre's version 3, with the
-- journal itself as rows (`centre_entries`: on SQLite the core's `entries` table holds it).
-- Every text column compares bytewise (COLLATE "C"), as SQLite's do, so ids and names sort
-- alike on both backends and the digests agree. Times are the journal's text form
-- (RFC 3339, UTC, milliseconds), which sorts as time does.

CREATE TABLE centre_teams (
    name text COLLATE "C" PRIMARY KEY,
    created_at text COLLATE "C" NOT NULL
);

CREATE TABLE centre_devices (
    id text COLLATE "C" PRIMARY KEY,
    team text COLLATE "C" NOT NULL REFERENCES centre_teams(name),
    worker text COLLATE "C" NOT NULL,
    name text COLLATE "C" NOT NULL,
    token_hash text COLLATE "C" NOT NULL UNIQUE,
    enrolled_at text COLLATE "C" NOT NULL,
    last_used_at text COLLATE "C",
    revoked_at text COLLATE "C",
    revocation text COLLATE "C"
);

CREATE TABLE centre_codes (
    code_hash text COLLATE "C" PRIMARY KEY,
    team text COLLATE "C" NOT NULL REFERENCES centre_teams(name),
    worker text COLLATE "C" NOT NULL,
    expires_at text COLLATE "C" NOT NULL,
    used_at text COLLATE "C",
    failures integer NOT NULL DEFAULT 0
);

CREATE TABLE centre_leader_tokens (
    token_hash text COLLATE "C" PRIMARY KEY,
    team text COLLATE "C" NOT NULL REFERENCES centre_teams(name),
    created_at text COLLATE "C" NOT NULL,
    id text COLLATE "C" NOT NULL UNIQUE,
    expires_at text COLLATE "C" NOT NULL,
    last_used_at text COLLATE "C",
    revoked_at text COLLATE "C"
);

-- The journal: each team's entries in the order the centre accepted them. `seq` is given out
-- under the team's advisory lock (see storage/postgres.rs): gapless and never reused.
CREATE TABLE centre_entries (
    team text COLLATE "C" NOT NULL,
    seq bigint NOT NULL,
    id text COLLATE "C" NOT NULL UNIQUE,
    device text COLLATE "C" NOT NULL,
    kind text COLLATE "C" NOT NULL,
    schema_version integer NOT NULL,
    subject text COLLATE "C" NOT NULL,
    author_worker text COLLATE "C" NOT NULL,
    author_device text COLLATE "C" NOT NULL,
    occurred_at text COLLATE "C" NOT NULL,
    recorded_at text COLLATE "C" NOT NULL,
    payload text COLLATE "C" NOT NULL,
    PRIMARY KEY (team, seq)
);
CREATE INDEX centre_entries_ids ON centre_entries (team, id);

CREATE TABLE centre_subjects (
    subject text COLLATE "C" PRIMARY KEY,
    team text COLLATE "C" NOT NULL
);

CREATE TABLE centre_push_usage (
    device text COLLATE "C" NOT NULL,
    hour bigint NOT NULL,
    entries bigint NOT NULL,
    bytes bigint NOT NULL,
    PRIMARY KEY (device, hour)
);

CREATE TABLE centre_held (
    entry_id text COLLATE "C" PRIMARY KEY,
    device text COLLATE "C" NOT NULL,
    team text COLLATE "C" NOT NULL,
    kind text COLLATE "C" NOT NULL,
    schema_version integer NOT NULL,
    entry text COLLATE "C" NOT NULL,
    held_at text COLLATE "C" NOT NULL,
    status text COLLATE "C" NOT NULL DEFAULT 'held',
    reason text COLLATE "C"
);
CREATE INDEX centre_held_by_device ON centre_held (device, status);

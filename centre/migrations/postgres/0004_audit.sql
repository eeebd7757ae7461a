-- The audit log (issue 16; the embedded store's `0006_audit.sql`).
CREATE TABLE centre_audit (
    seq BIGINT PRIMARY KEY,
    at TEXT COLLATE "C" NOT NULL,
    actor TEXT COLLATE "C" NOT NULL,
    action TEXT COLLATE "C" NOT NULL,
    team TEXT COLLATE "C",
    subject TEXT COLLATE "C",
    detail TEXT,
    source TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

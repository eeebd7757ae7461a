-- The audit log (issue 16): every leader's read, export and operator action, appended in order,
-- each record carrying the hash of the one before (tamper-evident: `gadeplan-centre audit
-- verify`). Codes and ids only, never recorded free text.
CREATE TABLE centre_audit (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    team TEXT,
    subject TEXT,
    detail TEXT,
    source TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
) STRICT;

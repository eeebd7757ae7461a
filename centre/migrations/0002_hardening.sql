-- Hardening (issue 10).
-- - Sequence numbers per team: a phone's cursor counts its own team's entries only, and
--   the gaps of one centre-wide number no longer show how much other teams record.
--   Existing numbers are kept (each is unique within its team), so no phone's cursor
--   moves; new ones continue from the team's highest. `device` is who pushed the entry.
-- - How a device was revoked (`lost`: erase at once; `retired`: take in what it has not
--   sent, then erase), and when its token was last used (unused tokens expire). The
--   clock of idleness starts at the upgrade, not at enrolment: nothing recorded when a
--   phone last synced, and a phone enrolled long ago must not be locked out by it.
-- - Wrong attempts at an enrolment code, which lock it after a few.
-- - Leader tokens with a public id to list and revoke them by, an expiry (90 days, the
--   default policy, from the upgrade: a token in use keeps working), a revocation.
-- - What each device pushed per hour, for its quota.

CREATE TABLE centre_sequence_v2 (
    team TEXT NOT NULL,
    seq INTEGER NOT NULL,
    entry_id TEXT NOT NULL UNIQUE,
    device TEXT NOT NULL,
    PRIMARY KEY (team, seq)
) STRICT, WITHOUT ROWID;
INSERT INTO centre_sequence_v2 (team, seq, entry_id, device)
    SELECT s.team, s.seq, s.entry_id, coalesce(e.author_device, '')
    FROM centre_sequence s LEFT JOIN entries e ON e.id = s.entry_id;
DROP TABLE centre_sequence;
ALTER TABLE centre_sequence_v2 RENAME TO centre_sequence;
CREATE INDEX centre_sequence_ids ON centre_sequence(team, entry_id);

ALTER TABLE centre_devices ADD COLUMN revocation TEXT;
ALTER TABLE centre_devices ADD COLUMN last_used_at TEXT;
UPDATE centre_devices SET revocation = 'lost' WHERE revoked_at IS NOT NULL;
UPDATE centre_devices SET last_used_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now');

ALTER TABLE centre_codes ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;

ALTER TABLE centre_leader_tokens ADD COLUMN id TEXT;
ALTER TABLE centre_leader_tokens ADD COLUMN expires_at TEXT;
ALTER TABLE centre_leader_tokens ADD COLUMN revoked_at TEXT;
ALTER TABLE centre_leader_tokens ADD COLUMN last_used_at TEXT;
UPDATE centre_leader_tokens SET id = lower(hex(randomblob(6))),
    expires_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+90 days');
CREATE UNIQUE INDEX centre_leader_tokens_by_id ON centre_leader_tokens(id);

CREATE TABLE centre_push_usage (
    device TEXT NOT NULL,
    hour INTEGER NOT NULL,
    entries INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    PRIMARY KEY (device, hour)
) STRICT, WITHOUT ROWID;

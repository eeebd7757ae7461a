-- Device token rotation without re-enrolment (issue 17): a device may hold a next token beside
-- its current one. The centre keeps only its hash; both are accepted until the phone first uses
-- the next one, which then replaces the current one (a lost answer never locks a phone out).
ALTER TABLE centre_devices ADD COLUMN next_token_hash TEXT;
-- The operator asked the device to rotate its token at its next sync (a pull answer says so);
-- cleared once a next token has been used.
ALTER TABLE centre_devices ADD COLUMN rotation_requested_at TEXT;
CREATE UNIQUE INDEX centre_devices_next_token ON centre_devices (next_token_hash)
    WHERE next_token_hash IS NOT NULL;

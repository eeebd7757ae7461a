-- Device token rotation without re-enrolment (issue 17): a device may hold a next token beside
-- its current one. The centre keeps only its hash; both are accepted until the phone first uses
-- the next one, which then replaces the current one (a lost answer never locks a phone out).
ALTER TABLE centre_devices ADD COLUMN next_token_hash TEXT;
CREATE UNIQUE INDEX centre_devices_next_token ON centre_devices (next_token_hash)
    WHERE next_token_hash IS NOT NULL;

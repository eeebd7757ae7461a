-- Device token rotation without re-enrolment (issue 17; the embedded store's
-- `0009_next_token.sql`): a device's next token, by its hash, beside its current one.
ALTER TABLE centre_devices ADD COLUMN next_token_hash text COLLATE "C";
ALTER TABLE centre_devices ADD COLUMN rotation_requested_at text COLLATE "C";
CREATE UNIQUE INDEX centre_devices_next_token ON centre_devices (next_token_hash)
    WHERE next_token_hash IS NOT NULL;

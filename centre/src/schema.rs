//! The centre's own tables (beside the core's journal and projections in the same store) and
//! their migrations, numbered and applied in order, each in one transaction with the version
//! bump, so that a crash mid-upgrade leaves the store at the last complete version.
//!
//! The version is kept in the core's `meta` table under `centre_schema_version`. A store made
//! before versions existed has the tables of version 1 already; version 1's `IF NOT EXISTS`
//! makes it a no-op there and the store then carries on from 1.

use rusqlite::{Connection, OptionalExtension};

use crate::store::{Refusal, Result};

const VERSION_KEY: &str = "centre_schema_version";

struct Migration {
    version: u32,
    sql: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        sql: "
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
        ",
    },
    Migration {
        version: 2,
        // Hardening (issue 10).
        // - Sequence numbers per team: a phone's cursor counts its own team's entries only, and
        //   the gaps of one centre-wide number no longer show how much other teams record.
        //   Existing numbers are kept (each is unique within its team), so no phone's cursor
        //   moves; new ones continue from the team's highest. `device` is who pushed the entry.
        // - How a device was revoked (`lost`: erase at once; `retired`: take in what it has not
        //   sent, then erase), and when its token was last used (unused tokens expire). The
        //   clock of idleness starts at the upgrade, not at enrolment: nothing recorded when a
        //   phone last synced, and a phone enrolled long ago must not be locked out by it.
        // - Wrong attempts at an enrolment code, which lock it after a few.
        // - Leader tokens with a public id to list and revoke them by, an expiry (90 days, the
        //   default policy, from the upgrade: a token in use keeps working), a revocation.
        // - What each device pushed per hour, for its quota.
        sql: "
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
        ",
    },
];

pub fn latest_version() -> u32 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

fn version(conn: &Connection) -> Result<u32> {
    let text: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [VERSION_KEY],
            |r| r.get(0),
        )
        .optional()?;
    Ok(text.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Brings the centre's tables up to version `target` (the latest when serving; tests make a store
/// of an earlier version with an earlier one), one migration per transaction.
pub fn migrate_through(conn: &mut Connection, target: u32) -> Result<()> {
    let current = version(conn)?;
    if current > latest_version() {
        return Err(Refusal::new(
            500,
            "store-too-new",
            format!(
                "the centre's store has schema version {current}, newer than this centre's {}; update it",
                latest_version()
            ),
        ));
    }
    for m in MIGRATIONS
        .iter()
        .filter(|m| m.version > current && m.version <= target)
    {
        let tx = conn.transaction()?;
        tx.execute_batch(m.sql)?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = ?2",
            rusqlite::params![VERSION_KEY, m.version.to_string()],
        )?;
        tx.commit()?;
    }
    Ok(())
}

//! The centre's own tables (beside the core's journal and projections in the same store) and
//! their migrations (SQL scripts in `centre/migrations/`, with a NOTES.md), numbered and
//! applied in order, each in one transaction with the version bump, so that a crash mid-upgrade
//! leaves the store at the last complete version.
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
        sql: include_str!("../migrations/0001_centre_tables.sql"),
    },
    Migration {
        version: 2,
        sql: include_str!("../migrations/0002_hardening.sql"),
    },
    Migration {
        version: 3,
        sql: include_str!("../migrations/0003_held.sql"),
    },
    Migration {
        version: 4,
        sql: include_str!("../migrations/0004_roster.sql"),
    },
    Migration {
        version: 5,
        sql: include_str!("../migrations/0005_checkins.sql"),
    },
    Migration {
        version: 6,
        sql: include_str!("../migrations/0006_audit.sql"),
    },
    Migration {
        version: 7,
        sql: include_str!("../migrations/0007_accounts.sql"),
    },
    Migration {
        version: 8,
        sql: include_str!("../migrations/0008_period_indexes.sql"),
    },
    Migration {
        version: 9,
        sql: include_str!("../migrations/0009_next_token.sql"),
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

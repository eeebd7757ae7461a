//! The store's schema and its migrations, keyed on `PRAGMA user_version`.
//!
//! Migrations are numbered SQL scripts (`core/migrations/`, with a NOTES.md) applied in order,
//! each in its own transaction together with the `user_version` bump, so a crash mid-upgrade
//! leaves the store at the last complete version. The journal (`entries`) is the truth; every
//! other table except `meta` is a projection that `kinds::rebuild` can make again from the
//! journal, which is how a migration that adds or changes a projection fills it.

use rusqlite::Connection;

use crate::error::{Error, Result};

/// One step of the schema; `rebuild` asks for the projections to be rebuilt from the journal.
pub struct Migration {
    pub version: u32,
    pub sql: &'static str,
    pub rebuild: bool,
}

pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        rebuild: false,
        sql: include_str!("../migrations/0001_journal.sql"),
    },
    Migration {
        version: 2,
        rebuild: true,
        sql: include_str!("../migrations/0002_projections.sql"),
    },
    Migration {
        version: 3,
        rebuild: false,
        sql: include_str!("../migrations/0003_sync_state.sql"),
    },
    Migration {
        version: 4,
        rebuild: true,
        sql: include_str!("../migrations/0004_reproject_corrections.sql"),
    },
    Migration {
        version: 5,
        rebuild: false,
        sql: include_str!("../migrations/0005_set_aside.sql"),
    },
    Migration {
        version: 6,
        rebuild: false,
        sql: include_str!("../migrations/0006_acknowledged_ahead.sql"),
    },
    Migration {
        version: 7,
        rebuild: false,
        sql: include_str!("../migrations/0007_idle_sync_round.sql"),
    },
    Migration {
        version: 8,
        rebuild: true,
        sql: include_str!("../migrations/0008_courses.sql"),
    },
    Migration {
        version: 9,
        rebuild: true,
        sql: include_str!("../migrations/0009_bridging.sql"),
    },
    Migration {
        version: 10,
        rebuild: true,
        sql: include_str!("../migrations/0010_network_and_consent.sql"),
    },
    Migration {
        version: 11,
        rebuild: true,
        sql: include_str!("../migrations/0011_treatment_plan.sql"),
    },
    Migration {
        version: 12,
        rebuild: true,
        sql: include_str!("../migrations/0012_measures_as_the_seeds_write_them.sql"),
    },
    Migration {
        version: 13,
        rebuild: true,
        sql: include_str!("../migrations/0013_questionnaires.sql"),
    },
    Migration {
        version: 14,
        rebuild: true,
        sql: include_str!("../migrations/0014_incidents.sql"),
    },
    Migration {
        version: 15,
        rebuild: true,
        sql: include_str!("../migrations/0015_checkins.sql"),
    },
    Migration {
        version: 16,
        rebuild: true,
        sql: include_str!("../migrations/0016_places.sql"),
    },
    Migration {
        version: 17,
        rebuild: false,
        sql: include_str!("../migrations/0017_erasures.sql"),
    },
    Migration {
        version: 18,
        rebuild: false,
        sql: include_str!("../migrations/0018_purge.sql"),
    },
];

pub fn latest_version() -> u32 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

pub fn user_version(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get::<_, u32>(0))?)
}

pub use crate::meta::NEEDS_REBUILD;

/// Brings the schema up to `target`, one migration per transaction.
pub fn migrate_to(conn: &mut Connection, target: u32) -> Result<()> {
    let current = user_version(conn)?;
    if current > latest_version() {
        return Err(Error::StoreTooNew {
            found: current,
            supported: latest_version(),
        });
    }
    for m in MIGRATIONS
        .iter()
        .filter(|m| m.version > current && m.version <= target)
    {
        let tx = conn.transaction()?;
        tx.execute_batch(m.sql)?;
        if m.rebuild {
            tx.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, '1')",
                [NEEDS_REBUILD],
            )?;
        }
        tx.pragma_update(None, "user_version", m.version)?;
        tx.commit()?;
    }
    Ok(())
}

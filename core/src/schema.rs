//! The store's schema and its migrations, keyed on `PRAGMA user_version`.
//!
//! Migrations are numbered SQL scripts applied in order, each in its own transaction together
//! with the `user_version` bump, so a crash mid-upgrade leaves the store at the last complete
//! version. The journal (`entries`) is the truth; every other table except `meta` is a
//! projection that `projection::rebuild` can make again from the journal, which is how a
//! migration that adds or changes a projection fills it.

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
        sql: "
            CREATE TABLE meta (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            ) STRICT;
            CREATE TABLE entries (
                seq INTEGER PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL,
                schema_version INTEGER NOT NULL,
                subject TEXT NOT NULL,
                author_worker TEXT NOT NULL,
                author_device TEXT NOT NULL,
                occurred_at TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                payload TEXT NOT NULL
            ) STRICT;
            CREATE INDEX entries_by_subject ON entries(subject, occurred_at);
            CREATE INDEX entries_by_recorded ON entries(recorded_at);
        ",
    },
    Migration {
        version: 2,
        rebuild: true,
        sql: "
            CREATE INDEX entries_by_author_day ON entries(author_device, occurred_at);

            CREATE TABLE subject_redirects (
                from_id TEXT PRIMARY KEY,
                to_id TEXT NOT NULL
            ) STRICT, WITHOUT ROWID;
            CREATE INDEX subject_redirects_by_target ON subject_redirects(to_id);

            CREATE TABLE persons (
                id TEXT PRIMARY KEY,
                noted_entry TEXT NOT NULL REFERENCES entries(id),
                noted_at TEXT NOT NULL,
                alias TEXT NOT NULL,
                description TEXT,
                birth_year INTEGER,
                merged_into TEXT,
                voided INTEGER NOT NULL DEFAULT 0,
                attribute_conflicts INTEGER NOT NULL DEFAULT 0,
                last_contact_at TEXT,
                listing_key TEXT NOT NULL DEFAULT '',
                risk_check_id TEXT,
                risk_band TEXT,
                risk_at TEXT,
                stage TEXT,
                stage_at TEXT,
                screening_decision TEXT,
                screening_at TEXT
            ) STRICT;
            CREATE INDEX persons_listing ON persons(listing_key DESC, noted_at DESC)
                WHERE merged_into IS NULL AND voided = 0;

            CREATE TABLE unknown_citizens (
                id TEXT PRIMARY KEY,
                first_entry TEXT NOT NULL REFERENCES entries(id),
                first_seen_at TEXT NOT NULL,
                description TEXT NOT NULL
            ) STRICT;

            CREATE TABLE person_attributes (
                entry_id TEXT NOT NULL REFERENCES entries(id),
                attribute TEXT NOT NULL,
                person_id TEXT NOT NULL,
                value TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                PRIMARY KEY (entry_id, attribute)
            ) STRICT, WITHOUT ROWID;
            CREATE INDEX person_attributes_by_person ON person_attributes(person_id, attribute);

            CREATE TABLE attribute_supersedes (
                entry_id TEXT NOT NULL REFERENCES entries(id),
                attribute TEXT NOT NULL,
                superseded TEXT NOT NULL,
                PRIMARY KEY (superseded, attribute, entry_id)
            ) STRICT, WITHOUT ROWID;

            CREATE TABLE corrections (
                entry_id TEXT PRIMARY KEY REFERENCES entries(id),
                target TEXT NOT NULL,
                kind TEXT NOT NULL,
                recorded_at TEXT NOT NULL
            ) STRICT;
            CREATE INDEX corrections_by_target ON corrections(target, recorded_at);

            CREATE TABLE contacts (
                entry_id TEXT PRIMARY KEY REFERENCES entries(id),
                subject_id TEXT NOT NULL,
                person_id TEXT,
                occurred_at TEXT NOT NULL,
                author_worker TEXT NOT NULL,
                author_device TEXT NOT NULL,
                place TEXT NOT NULL,
                place_kind TEXT NOT NULL,
                kind TEXT NOT NULL,
                outcome TEXT NOT NULL,
                met INTEGER NOT NULL,
                colleague TEXT,
                minutes INTEGER,
                note TEXT,
                risk_check_id TEXT
            ) STRICT;
            CREATE INDEX contacts_by_person ON contacts(person_id, met, occurred_at);
            CREATE INDEX contacts_by_subject ON contacts(subject_id);

            CREATE TABLE risk_checks (
                entry_id TEXT PRIMARY KEY REFERENCES entries(id),
                subject_id TEXT NOT NULL,
                person_id TEXT,
                occurred_at TEXT NOT NULL,
                author_worker TEXT NOT NULL,
                score INTEGER NOT NULL,
                band TEXT NOT NULL,
                answers TEXT NOT NULL,
                plan TEXT,
                instrument_version INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX risk_checks_by_person ON risk_checks(person_id, occurred_at);
            CREATE INDEX risk_checks_by_subject ON risk_checks(subject_id);

            CREATE TABLE screenings (
                entry_id TEXT PRIMARY KEY REFERENCES entries(id),
                subject_id TEXT NOT NULL,
                person_id TEXT,
                occurred_at TEXT NOT NULL,
                author_worker TEXT NOT NULL,
                criteria TEXT NOT NULL,
                high_burden TEXT NOT NULL,
                complex_burden INTEGER NOT NULL,
                indicated INTEGER NOT NULL,
                decision TEXT NOT NULL,
                reason TEXT,
                referral_kind TEXT,
                referred_to TEXT,
                instrument_version INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX screenings_by_person ON screenings(person_id, occurred_at);
            CREATE INDEX screenings_by_subject ON screenings(subject_id);

            CREATE TABLE stages (
                entry_id TEXT PRIMARY KEY REFERENCES entries(id),
                subject_id TEXT NOT NULL,
                person_id TEXT,
                occurred_at TEXT NOT NULL,
                author_worker TEXT NOT NULL,
                stage TEXT NOT NULL,
                importance INTEGER,
                confidence INTEGER,
                instrument_version INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX stages_by_person ON stages(person_id, occurred_at);
            CREATE INDEX stages_by_subject ON stages(subject_id);
        ",
    },
];

pub fn latest_version() -> u32 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// The projection tables, in the order a rebuild clears them; everything but the journal,
/// the device's identity and sync state.
pub const PROJECTION_TABLES: &[&str] = &[
    "subject_redirects",
    "persons",
    "unknown_citizens",
    "person_attributes",
    "attribute_supersedes",
    "corrections",
    "contacts",
    "risk_checks",
    "screenings",
    "stages",
];

pub fn user_version(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get::<_, u32>(0))?)
}

/// The `meta` key that says the projections must be rebuilt before the store is used. It is set
/// in the same transaction as a migration that needs it and cleared in the rebuild's own, so a
/// crash between the two cannot leave empty projections over a full journal.
pub const NEEDS_REBUILD: &str = "needs_rebuild";

/// Brings the schema up to `target`, one migration per transaction.
pub fn migrate_to(conn: &mut Connection, target: u32) -> Result<()> {
    let current = user_version(conn)?;
    if current > latest_version() {
        return Err(Error::StoreTooNew { found: current, supported: latest_version() });
    }
    for m in MIGRATIONS.iter().filter(|m| m.version > current && m.version <= target) {
        let tx = conn.transaction()?;
        tx.execute_batch(m.sql)?;
        if m.rebuild {
            tx.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, '1')", [NEEDS_REBUILD])?;
        }
        tx.pragma_update(None, "user_version", m.version)?;
        tx.commit()?;
    }
    Ok(())
}

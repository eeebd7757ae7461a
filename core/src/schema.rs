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
        // The journal. Entry ids are UUIDv7 made from the entry's HLC (see `journal::entry_id_for`),
        // so the primary key is also the recording order: no second index is needed for it.
        // Records about a citizen (contacts, risk checks, screenings, stages) are found through
        // their projection tables; only the other kinds, a few per person, are indexed by subject.
        sql: "
            CREATE TABLE meta (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            ) STRICT;
            CREATE TABLE entries (
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                schema_version INTEGER NOT NULL,
                subject TEXT NOT NULL,
                author_worker TEXT NOT NULL,
                author_device TEXT NOT NULL,
                occurred_at TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                payload TEXT NOT NULL
            ) STRICT, WITHOUT ROWID;
            CREATE INDEX entries_about ON entries(subject, occurred_at)
                WHERE kind IN ('person.noted', 'person.updated', 'person.merged', 'entry.amended', 'entry.voided');
        ",
    },
    Migration {
        version: 2,
        rebuild: true,
        // The projections. Every page a record touches is encrypted and written at commit, so
        // the record tables are keyed by what the screens ask for (the citizen, then time) and
        // carry no secondary index: one B-tree each. `owner` is the subject the record counts
        // for now: the person kept after merges, or the unknown citizen until identified. A
        // voided record keeps its row, marked, so the timeline still finds it. The rows hold the
        // codes that screens and reports count and sort by; free text (notes, places, plans)
        // lives once, in the journal. `listing` is the persons list's order kept by hand, so
        // that a contact moves one row of one B-tree.
        sql: "
            CREATE TABLE subject_redirects (
                from_id TEXT PRIMARY KEY,
                to_id TEXT NOT NULL
            ) STRICT, WITHOUT ROWID;
            CREATE INDEX subject_redirects_by_target ON subject_redirects(to_id);

            CREATE TABLE persons (
                id TEXT PRIMARY KEY,
                noted_entry TEXT NOT NULL,
                noted_at TEXT NOT NULL,
                alias TEXT NOT NULL,
                description TEXT,
                birth_year INTEGER,
                merged_into TEXT,
                voided INTEGER NOT NULL DEFAULT 0,
                attribute_conflicts INTEGER NOT NULL DEFAULT 0,
                risk_check_id TEXT,
                risk_band TEXT,
                risk_at TEXT,
                stage_entry TEXT,
                stage TEXT,
                stage_at TEXT,
                screening_entry TEXT,
                screening_decision TEXT,
                screening_at TEXT
            ) STRICT, WITHOUT ROWID;

            CREATE TABLE listing (
                last_contact TEXT NOT NULL,
                noted_at TEXT NOT NULL,
                person_id TEXT NOT NULL,
                PRIMARY KEY (last_contact, noted_at, person_id)
            ) STRICT, WITHOUT ROWID;

            CREATE TABLE unknown_citizens (
                id TEXT PRIMARY KEY,
                first_entry TEXT NOT NULL,
                first_seen_at TEXT NOT NULL,
                description TEXT NOT NULL
            ) STRICT, WITHOUT ROWID;

            CREATE TABLE person_attributes (
                person_id TEXT NOT NULL,
                attribute TEXT NOT NULL,
                entry_id TEXT NOT NULL,
                value TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                PRIMARY KEY (person_id, attribute, entry_id)
            ) STRICT, WITHOUT ROWID;

            CREATE TABLE attribute_supersedes (
                superseded TEXT NOT NULL,
                attribute TEXT NOT NULL,
                entry_id TEXT NOT NULL,
                PRIMARY KEY (superseded, attribute, entry_id)
            ) STRICT, WITHOUT ROWID;

            CREATE TABLE corrections (
                target TEXT NOT NULL,
                entry_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                PRIMARY KEY (target, entry_id)
            ) STRICT, WITHOUT ROWID;

            CREATE TABLE contacts (
                owner TEXT NOT NULL,
                occurred_at TEXT NOT NULL,
                entry_id TEXT NOT NULL,
                voided INTEGER NOT NULL,
                author_worker TEXT NOT NULL,
                place_kind TEXT NOT NULL,
                kind TEXT NOT NULL,
                outcome TEXT NOT NULL,
                met INTEGER NOT NULL,
                with_colleague INTEGER NOT NULL,
                minutes INTEGER,
                risk_check_id TEXT,
                PRIMARY KEY (owner, occurred_at, entry_id)
            ) STRICT, WITHOUT ROWID;

            CREATE TABLE risk_checks (
                owner TEXT NOT NULL,
                occurred_at TEXT NOT NULL,
                entry_id TEXT NOT NULL,
                voided INTEGER NOT NULL,
                author_worker TEXT NOT NULL,
                score INTEGER NOT NULL,
                band TEXT NOT NULL,
                instrument_version INTEGER NOT NULL,
                PRIMARY KEY (owner, occurred_at, entry_id)
            ) STRICT, WITHOUT ROWID;

            CREATE TABLE screenings (
                owner TEXT NOT NULL,
                occurred_at TEXT NOT NULL,
                entry_id TEXT NOT NULL,
                voided INTEGER NOT NULL,
                author_worker TEXT NOT NULL,
                complex_burden INTEGER NOT NULL,
                indicated INTEGER NOT NULL,
                decision TEXT NOT NULL,
                referral_kind TEXT,
                instrument_version INTEGER NOT NULL,
                PRIMARY KEY (owner, occurred_at, entry_id)
            ) STRICT, WITHOUT ROWID;

            CREATE TABLE stages (
                owner TEXT NOT NULL,
                occurred_at TEXT NOT NULL,
                entry_id TEXT NOT NULL,
                voided INTEGER NOT NULL,
                author_worker TEXT NOT NULL,
                stage TEXT NOT NULL,
                importance INTEGER,
                confidence INTEGER,
                instrument_version INTEGER NOT NULL,
                PRIMARY KEY (owner, occurred_at, entry_id)
            ) STRICT, WITHOUT ROWID;
        ",
    },
    Migration {
        version: 3,
        rebuild: false,
        // Sync. What the centre has acknowledged is a watermark over this device's own entry
        // ids (they increase with its clock), and what it has sent is a cursor, both in `meta`:
        // recording an entry writes nothing extra. Entries the centre refused for good are
        // listed here so that they show as such and never silently vanish.
        sql: "
            CREATE TABLE sync_rejected (
                entry_id TEXT PRIMARY KEY,
                reason TEXT NOT NULL
            ) STRICT, WITHOUT ROWID;
        ",
    },
    Migration {
        version: 4,
        rebuild: true,
        // No table changes: the projections are made again because a correction of another
        // citizen's entry is now ignored (`projection::is_voided`, `effective`). Before, one that
        // arrived from a faulty or hostile replica was applied, and a store that holds one shows
        // it until rebuilt.
        sql: "",
    },
    Migration {
        version: 5,
        rebuild: false,
        // Entries the centre sent that this phone cannot take in under today's rules: ones an
        // earlier centre accepted before the time bounds and name rules (stamped years ahead,
        // say). Kept here whole, with the reason, and tried again at every pull, instead of
        // stopping every pull before them for good (see `sync::apply_pull`).
        sql: "
            CREATE TABLE sync_set_aside (
                entry_id TEXT PRIMARY KEY,
                entry TEXT NOT NULL,
                reason TEXT NOT NULL
            ) STRICT, WITHOUT ROWID;
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
    "listing",
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

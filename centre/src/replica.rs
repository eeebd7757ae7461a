//! The read model beside a centre process whose backend keeps the journal only (PostgreSQL):
//! the core's own journal and projections in a private SQLCipher file, fed from the journal by
//! each team's sequence number, so that a record means at the centre exactly what it means on
//! the phones (one definition, the core's kinds) and a push is checked against the same
//! projections a phone would check it against.
//!
//! It is rebuildable and never ahead of the journal: a push is checked and projected here inside
//! a transaction that stays open until the journal has committed the entries (`settle`), and is
//! rolled back otherwise, when the next use finds it still open. Left behind (another process
//! took the team's entries, a crash between the two commits), it catches up from the journal
//! before it is used for that team: under the team's lock for a push, as committed for a report. The file lives in a temporary
//! directory with a key made at start, neither kept: a process that starts again builds it anew.

use gadeplan_core::db;
use gadeplan_core::ingest::{Ingested, Intake};
use gadeplan_core::journal::Entry;
use gadeplan_core::sync;
use rusqlite::{Connection, OptionalExtension, params};

use crate::storage::Tx;
use crate::store::{Refusal, Result, subjects_of};

/// How many entries one step of a catch-up reads and takes in.
const CATCH_UP_PAGE: u32 = 1_000;

pub struct Replica {
    conn: Connection,
    /// Whether a push's transaction is open, waiting for the journal's commit.
    open: bool,
    _dir: tempfile::TempDir,
}

impl Replica {
    pub fn new() -> Result<Replica> {
        let dir = tempfile::Builder::new()
            .prefix("gadeplan-read-model-")
            .tempdir()
            .map_err(|e| {
                Refusal::new(
                    500,
                    "read-model",
                    format!("cannot make the read model's directory: {e}"),
                )
            })?;
        let mut key = [0u8; db::KEY_BYTES];
        getrandom::fill(&mut key)
            .map_err(|e| Refusal::new(500, "read-model", format!("no randomness: {e}")))?;
        let conn = db::open(
            &dir.path().join("read-model.db"),
            &key,
            db::OpenMode::Create,
        )?;
        // Which team each citizen belongs to (as the journal's teams say), for the reports; and
        // how far each team's journal has been taken in.
        conn.execute_batch(
            "CREATE TABLE centre_subjects (subject TEXT PRIMARY KEY, team TEXT NOT NULL) STRICT;
             CREATE INDEX centre_subjects_by_team ON centre_subjects(team, subject);
             CREATE TABLE replica_cursor (team TEXT PRIMARY KEY, seq INTEGER NOT NULL) STRICT;",
        )?;
        // The embedded store's page cache, and its indexes by time on the core's tables.
        conn.execute_batch(&format!(
            "PRAGMA cache_size = -{};",
            crate::storage::sqlite::CACHE_KIB
        ))?;
        conn.execute_batch(include_str!("../migrations/0008_period_indexes.sql"))?;
        Ok(Replica {
            conn,
            open: false,
            _dir: dir,
        })
    }

    /// The projections, for reading (the report), after `catch_up`.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Rolls back a push that never settled (refused or failed after it was projected here).
    fn abandon(&mut self) -> Result<()> {
        if self.open {
            self.conn.execute_batch("ROLLBACK")?;
            self.open = false;
        }
        Ok(())
    }

    fn cursor(&self, team: &str) -> Result<u64> {
        let seq: Option<i64> = self
            .conn
            .prepare_cached("SELECT seq FROM replica_cursor WHERE team = ?1")?
            .query_row([team], |r| r.get(0))
            .optional()?;
        Ok(seq.unwrap_or(0) as u64)
    }

    fn set_cursor(&self, team: &str, seq: u64) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO replica_cursor (team, seq) VALUES (?1, ?2)
                 ON CONFLICT(team) DO UPDATE SET seq = ?2",
            )?
            .execute(params![team, seq as i64])?;
        Ok(())
    }

    /// Takes in entries projected here and notes their citizens as the team's.
    fn take(
        &self,
        team: &str,
        entries: &[Entry],
        intake: Intake,
    ) -> Result<Vec<gadeplan_core::Result<Ingested>>> {
        let outcomes = sync::ingest_batch(&self.conn, entries, intake)?;
        for (entry, outcome) in entries.iter().zip(&outcomes) {
            if outcome.is_ok() {
                for subject in subjects_of(entry) {
                    self.conn
                        .prepare_cached(
                            "INSERT OR IGNORE INTO centre_subjects (subject, team) VALUES (?1, ?2)",
                        )?
                        .execute(params![subject, team])?;
                }
            }
        }
        Ok(outcomes)
    }

    /// Takes in what the journal holds for a team beyond what is here, in sequence order. Run
    /// inside the caller's transaction, after `Tx::lock_team` where the answer must be current.
    pub fn catch_up(&mut self, tx: &mut dyn Tx, team: &str) -> Result<()> {
        self.abandon()?;
        loop {
            let after = self.cursor(team)?;
            let page = tx.entries_after(team, after, CATCH_UP_PAGE)?;
            let Some(&(last, _)) = page.last() else {
                // An erasure taken in on the way leaves its pages in the log until emptied.
                return self.scrub();
            };
            let entries: Vec<Entry> = page.into_iter().map(|(_, e)| e).collect();
            self.conn.execute_batch("BEGIN IMMEDIATE")?;
            self.open = true;
            // The journal took these in already: no clock bound applies again.
            let outcomes = self.take(team, &entries, Intake::centre(i64::MAX))?;
            for (entry, outcome) in entries.iter().zip(outcomes) {
                if let Err(e) = outcome {
                    // The journal holds what the read model refuses: a bug, not the entry's
                    // fault. The phones still get it; the report lacks it until it is fixed.
                    tracing::error!(
                        target: "storage",
                        event = "read-model-refused",
                        entry = %entry.id,
                        code = e.code()
                    );
                }
            }
            self.set_cursor(team, last)?;
            self.conn.execute_batch("COMMIT")?;
            self.open = false;
        }
    }

    /// Empties the log into the file after an erasure was applied here (`meta::SCRUB_PENDING`),
    /// so that the erased text leaves it; nothing to do otherwise. Nothing else reads this
    /// file, so the checkpoint finishes unless a transaction is open (then the next one does).
    pub fn scrub(&self) -> Result<()> {
        if !self.open {
            db::scrub_if_pending(&self.conn)?;
        }
        Ok(())
    }

    /// Checks and projects a push's entries for a team (caught up first), in a transaction left
    /// open for `settle`.
    pub fn ingest(
        &mut self,
        team: &str,
        entries: &[Entry],
        now_ms: i64,
    ) -> Result<Vec<gadeplan_core::Result<Ingested>>> {
        self.abandon()?;
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        self.open = true;
        self.take(team, entries, Intake::centre(now_ms))
    }

    /// The journal committed the push: keeps what was projected, with the team's cursor at the
    /// last sequence number it was given. Should this fail, the push's entries are in the
    /// journal and the next catch-up takes them in.
    pub fn settle(&mut self, team: &str, last_seq: Option<u64>) {
        if !self.open {
            return;
        }
        let kept = match last_seq {
            Some(seq) => self.set_cursor(team, seq),
            None => Ok(()),
        }
        .and_then(|()| Ok(self.conn.execute_batch("COMMIT")?));
        if kept.is_err() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        self.open = false;
    }
}

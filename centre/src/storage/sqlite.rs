//! The embedded backend: one encrypted SQLite file under the data directory, holding the core's
//! own journal and projections (the same code as on the phones, so a score means the same on
//! both sides) beside the centre's tables (`crate::schema`). One connection, behind a lock: a
//! transaction is `BEGIN IMMEDIATE`, so transactions follow one another and a team's sequence
//! numbers need no further lock. The default: a small municipality needs nothing else.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use gadeplan_core::db;
use gadeplan_core::journal::Entry;
use gadeplan_core::sync::{self, wire};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::{
    AuditRow, CheckinRow, CheckinStepRow, CodeRow, GlassRow, HeldRow, NewDevice, NewLeaderToken,
    RosterRow, SessionRow, Storage, Tx, Usage, UserRow,
};
use crate::store::{DeviceInfo, HeldInfo, LeaderTokenInfo, Refusal, Result};
use crate::{schema, secrets};

/// The columns of a user's row, in `user_row`'s order (a literal, for `concat!`).
macro_rules! user_columns {
    () => {
        "id, name, role, team, password_hash, failures, locked_until, created_at, disabled_at"
    };
}

/// The data directory's files.
pub fn store_path(data: &Path) -> PathBuf {
    data.join("centre.db")
}

pub fn key_path(data: &Path) -> PathBuf {
    data.join("centre.key")
}

pub struct SqliteStorage {
    conn: Mutex<Connection>,
}

/// Where the embedded store's key comes from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum KeySource {
    /// `centre.key` in the data directory, made on first use (the default: simple, but the key
    /// then lies beside what it locks).
    #[default]
    InDataDirectory,
    /// A file elsewhere (another disk, a secrets mount), made on first use if missing.
    File(PathBuf),
    /// The key itself, 64 hex characters (from the environment, set by a secrets manager).
    Hex(String),
}

impl KeySource {
    /// The key file, for a source that has one.
    pub fn file(&self, data: &Path) -> Option<PathBuf> {
        match self {
            KeySource::InDataDirectory => Some(key_path(data)),
            KeySource::File(path) => Some(path.clone()),
            KeySource::Hex(_) => None,
        }
    }

    /// The key, making a key file on first use (only when there is no store yet: a store
    /// whose key file went missing must not get a new key it cannot be read with).
    fn key(&self, data: &Path) -> Result<Vec<u8>> {
        let file = match self {
            KeySource::Hex(hex) => return Ok(db::parse_hex_key(hex)?),
            _ => self.file(data).expect("a file source"),
        };
        if !file.exists() && !store_path(data).exists() {
            write_private(&file, &secrets::new_token())?;
        }
        read_key_file(&file)
    }
}

fn read_key_file(file: &Path) -> Result<Vec<u8>> {
    check_private(file)?;
    let text = std::fs::read_to_string(file).map_err(|e| {
        Refusal::new(
            500,
            "key",
            format!("cannot read the centre's key file {}: {e}", file.display()),
        )
    })?;
    Ok(db::parse_hex_key(&text)?)
}

/// The file a new key waits in while the store is re-encrypted with it (`rekey`): if the
/// centre stops between the two, the next open finds the store under this key and finishes.
fn pending_key_path(file: &Path) -> PathBuf {
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(".new");
    file.with_file_name(name)
}

/// Opens the store with its key; one left half-rekeyed (the store re-encrypted, the key file not
/// yet replaced) is opened with the pending key, which then replaces the old.
fn open_keyed(data: &Path, source: &KeySource, mode: db::OpenMode) -> Result<Connection> {
    let key = source.key(data)?;
    let path = store_path(data);
    match db::open(&path, &key, mode) {
        Err(gadeplan_core::Error::WrongKey { detail }) => {
            let pending = source.file(data).map(|f| (pending_key_path(&f), f));
            if let Some((pending, file)) = pending.filter(|(p, _)| p.exists()) {
                let conn = db::open(&path, &read_key_file(&pending)?, db::OpenMode::Existing)?;
                std::fs::rename(&pending, &file).map_err(|e| {
                    Refusal::new(500, "key", format!("cannot finish an earlier rekey: {e}"))
                })?;
                return Ok(conn);
            }
            Err(gadeplan_core::Error::WrongKey { detail }.into())
        }
        other => Ok(other?),
    }
}

/// Re-encrypts the embedded store in `data` with a new random key, with the centre stopped (a
/// centre serving from `data` holds the store open, and the rekey is then refused with nothing
/// changed: see `db::rekey`, which does the re-encryption all or nothing). The new key goes where
/// the old one came from (a key file is replaced atomically, after the store is re-encrypted; a
/// stop in between is finished by the next open), or, for a key given in the environment, into
/// `new_key_file` (which must not exist), whose path is returned.
pub fn rekey(data: &Path, source: &KeySource, new_key_file: Option<&Path>) -> Result<PathBuf> {
    if !store_path(data).exists() {
        return Err(Refusal::new(
            404,
            "no-store",
            "no centre store in that data directory",
        ));
    }
    let conn = open_keyed(data, source, db::OpenMode::Existing)?;
    // Read after the open, which may have finished an earlier rekey and so changed the key file.
    let old_key = source.key(data)?;
    let (written, finish) = match (source.file(data), new_key_file) {
        (_, Some(target)) => (target.to_path_buf(), None),
        (Some(file), None) => (pending_key_path(&file), Some(file)),
        (None, None) => {
            return Err(Refusal::new(
                400,
                "invalid-input",
                "the key came from GADEPLAN_CENTRE_KEY: give --new-key-file for the new one",
            ));
        }
    };
    if written.exists() {
        // A pending key is never removed here: it may be another rekey's, under way.
        let why = if finish.is_some() {
            "another rekey is under way, or one was stopped before it changed the store (which \
             opens with the current key, so the file locks nothing); if no other rekey runs, \
             remove it and rekey again"
        } else {
            "move it away first"
        };
        return Err(Refusal::new(
            409,
            "exists",
            format!("{} exists: {why}", written.display()),
        ));
    }
    let new_key = secrets::new_token();
    // On disk before the store is touched: whatever happens next, the key the store ends up
    // under is in a file.
    write_private(&written, &new_key)?;
    let rekeyed = db::rekey(
        conn,
        &store_path(data),
        &old_key,
        &db::parse_hex_key(&new_key)?,
    );
    match rekeyed {
        Ok(db::Rekeyed {
            outcome: Ok(()), ..
        }) => {}
        // Still under the old key: the new one locks nothing; forget it.
        Ok(db::Rekeyed {
            outcome: Err(e), ..
        }) => {
            let _ = std::fs::remove_file(&written);
            return Err(rekey_refusal(e));
        }
        Err(e) => {
            return Err(Refusal::new(
                500,
                "key",
                format!(
                    "the store did not open again after the rekey ({}); its new key is kept in {}: try it, then the old one",
                    e.code(),
                    written.display()
                ),
            ));
        }
    }
    match finish {
        Some(file) => {
            std::fs::rename(&written, &file).map_err(|e| {
                Refusal::new(500, "key", format!("cannot replace the key file: {e}"))
            })?;
            sync_directory(&file)?;
            Ok(file)
        }
        None => Ok(written),
    }
}

/// Why a rekey did not happen, for the operator: a store held open elsewhere is a running
/// centre.
fn rekey_refusal(e: gadeplan_core::Error) -> Refusal {
    match e {
        gadeplan_core::Error::NotAllowed { .. } => Refusal::new(
            409,
            "centre-running",
            "the store is open in another process: stop the centre serving from this data directory (and any other command on it), then rekey; nothing was changed",
        ),
        other => other.into(),
    }
}

impl SqliteStorage {
    /// Opens the store in `data`, creating the directory (readable by its owner only), a random
    /// key and the store on first use, with the centre's tables at schema version `version`. A
    /// key file that others may read is refused, as ssh refuses a private key: keep the
    /// directory on an encrypted disk all the same.
    pub fn open(data: &Path, version: u32) -> Result<SqliteStorage> {
        SqliteStorage::open_with_key(data, &KeySource::default(), version)
    }

    /// `open`, with the key from `source`.
    pub fn open_with_key(data: &Path, source: &KeySource, version: u32) -> Result<SqliteStorage> {
        create_private_dir(data)?;
        let path = store_path(data);
        let mode = if path.exists() {
            db::OpenMode::Existing
        } else {
            db::OpenMode::Create
        };
        let mut conn = open_keyed(data, source, mode)?;
        // A server's page cache (SQLite's default is 2 MiB): each page read from the file is
        // decrypted, and the leader's figures read a quarter's rows from all over the store.
        conn.execute_batch(&format!("PRAGMA cache_size = -{};", CACHE_KIB))?;
        schema::migrate_through(&mut conn, version)?;
        // A core migration may ask for the projections to be made again (as on a phone).
        let needs_rebuild: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM meta WHERE key = ?1)",
            [gadeplan_core::schema::NEEDS_REBUILD],
            |r| r.get(0),
        )?;
        if needs_rebuild {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            gadeplan_core::kinds::rebuild(&tx)?;
            tx.commit()?;
        }
        Ok(SqliteStorage {
            conn: Mutex::new(conn),
        })
    }
}

/// The embedded store's page cache, in KiB.
pub const CACHE_KIB: u32 = 64 * 1024;

impl Storage for SqliteStorage {
    fn begin(&self) -> Result<Box<dyn Tx + '_>> {
        let conn = self
            .conn
            .lock()
            .map_err(|_| Refusal::new(500, "storage", "the centre's store is unavailable"))?;
        conn.execute_batch("BEGIN IMMEDIATE")?;
        Ok(Box::new(SqliteTx { conn, open: true }))
    }

    fn backend(&self) -> &'static str {
        "sqlite"
    }

    fn keeps_projections(&self) -> bool {
        true
    }

    fn scrub(&self) -> Result<bool> {
        let conn = self
            .conn
            .lock()
            .map_err(|_| Refusal::new(500, "storage", "the centre's store is unavailable"))?;
        Ok(db::scrub_if_pending(&conn)?)
    }
}

struct SqliteTx<'a> {
    conn: MutexGuard<'a, Connection>,
    open: bool,
}

impl Drop for SqliteTx<'_> {
    fn drop(&mut self) {
        if self.open {
            // Nothing of a refused request stays; a failed rollback leaves SQLite to roll back
            // when the connection next begins.
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

/// What a team's phones should hold: the team's entries, and with a device its own entries held
/// here for an updated centre (it made them; its team's other phones do not have them yet).
const TEAM_ENTRY_IDS: &str =
    "SELECT entry_id FROM centre_sequence WHERE team = ?1 ORDER BY entry_id";
const DEVICE_ENTRY_IDS: &str = "SELECT entry_id FROM centre_sequence WHERE team = ?1
     UNION SELECT entry_id FROM centre_held WHERE device = ?2 AND status = 'held'
     ORDER BY 1";

const DEVICE_COLUMNS: &str =
    "id, team, worker, name, enrolled_at, last_used_at, revoked_at, revocation,
     rotation_requested_at";

impl Tx for SqliteTx<'_> {
    fn insert_team(&mut self, name: &str, at: &str) -> Result<bool> {
        let n = self.conn.execute(
            "INSERT OR IGNORE INTO centre_teams (name, created_at) VALUES (?1, ?2)",
            params![name, at],
        )?;
        Ok(n == 1)
    }

    fn team_exists(&mut self, name: &str) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM centre_teams WHERE name = ?1)",
            [name],
            |r| r.get(0),
        )?)
    }

    fn teams(&mut self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT name FROM centre_teams ORDER BY name")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn insert_code(&mut self, code: &CodeRow) -> Result<()> {
        self.conn.execute(
            "INSERT INTO centre_codes (code_hash, team, worker, expires_at, used_at, failures)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                code.code_hash,
                code.team,
                code.worker,
                code.expires_at,
                code.used_at,
                code.failures
            ],
        )?;
        Ok(())
    }

    fn code(&mut self, code_hash: &str) -> Result<Option<CodeRow>> {
        Ok(self
            .conn
            .query_row(
                "SELECT team, worker, expires_at, used_at, failures FROM centre_codes WHERE code_hash = ?1",
                [code_hash],
                |r| {
                    Ok(CodeRow {
                        code_hash: code_hash.to_string(),
                        team: r.get(0)?,
                        worker: r.get(1)?,
                        expires_at: r.get(2)?,
                        used_at: r.get(3)?,
                        failures: r.get(4)?,
                    })
                },
            )
            .optional()?)
    }

    fn count_code_failure(&mut self, code_hash: &str, attempts: u32, at: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE centre_codes SET failures = failures + 1,
                used_at = CASE WHEN failures + 1 >= ?2 THEN coalesce(used_at, ?3) ELSE used_at END
             WHERE code_hash = ?1",
            params![code_hash, attempts, at],
        )?;
        Ok(())
    }

    fn use_code(&mut self, code_hash: &str, at: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE centre_codes SET used_at = ?2 WHERE code_hash = ?1",
            params![code_hash, at],
        )?;
        Ok(())
    }

    fn insert_device(&mut self, d: &NewDevice) -> Result<()> {
        self.conn.execute(
            "INSERT INTO centre_devices (id, team, worker, name, token_hash, enrolled_at, last_used_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![d.id, d.team, d.worker, d.name, d.token_hash, d.enrolled_at],
        )?;
        Ok(())
    }

    fn device_by_id(&mut self, id: &str) -> Result<Option<DeviceInfo>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {DEVICE_COLUMNS} FROM centre_devices WHERE id = ?1"
            ))?
            .query_row([id], device_info)
            .optional()?)
    }

    fn device_by_token(&mut self, token_hash: &str) -> Result<Option<DeviceInfo>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {DEVICE_COLUMNS} FROM centre_devices WHERE token_hash = ?1"
            ))?
            .query_row([token_hash], device_info)
            .optional()?)
    }

    fn renew_device_token(&mut self, id: &str, token_hash: &str, at: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE centre_devices SET token_hash = ?2, next_token_hash = NULL,
                 rotation_requested_at = NULL, last_used_at = ?3
             WHERE id = ?1",
            params![id, token_hash, at],
        )?;
        Ok(())
    }

    fn set_next_device_token(&mut self, id: &str, token_hash: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE centre_devices SET next_token_hash = ?2 WHERE id = ?1",
            params![id, token_hash],
        )?;
        Ok(())
    }

    fn device_by_next_token(&mut self, token_hash: &str) -> Result<Option<DeviceInfo>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {DEVICE_COLUMNS} FROM centre_devices WHERE next_token_hash = ?1"
            ))?
            .query_row([token_hash], device_info)
            .optional()?)
    }

    fn promote_next_device_token(&mut self, id: &str) -> Result<bool> {
        let n = self.conn.execute(
            "UPDATE centre_devices SET token_hash = next_token_hash, next_token_hash = NULL,
                 rotation_requested_at = NULL
             WHERE id = ?1 AND next_token_hash IS NOT NULL",
            [id],
        )?;
        Ok(n == 1)
    }

    fn request_token_rotation(&mut self, id: &str, at: &str) -> Result<bool> {
        let n = self.conn.execute(
            "UPDATE centre_devices SET rotation_requested_at = coalesce(rotation_requested_at, ?2)
             WHERE id = ?1",
            params![id, at],
        )?;
        Ok(n == 1)
    }

    fn touch_device(&mut self, id: &str, at: &str) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE centre_devices SET last_used_at = ?2 WHERE id = ?1")?
            .execute(params![id, at])?;
        Ok(())
    }

    fn revoke_device(&mut self, id: &str, at: &str, how: &str) -> Result<bool> {
        let n = self.conn.execute(
            "UPDATE centre_devices SET revoked_at = coalesce(revoked_at, ?2),
                revocation = CASE WHEN revocation = 'lost' THEN 'lost' ELSE ?3 END
             WHERE id = ?1",
            params![id, at, how],
        )?;
        Ok(n == 1)
    }

    fn devices(&mut self) -> Result<Vec<DeviceInfo>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {DEVICE_COLUMNS} FROM centre_devices ORDER BY team, worker, enrolled_at"
        ))?;
        let rows = stmt.query_map([], device_info)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn team_workers(&mut self, team: &str) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT DISTINCT worker FROM centre_devices WHERE team = ?1 ORDER BY 1")?;
        let rows = stmt.query_map([team], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn roster_add(&mut self, team: &str, worker: &str, at: &str) -> Result<bool> {
        let changed = self.conn.execute(
            "INSERT INTO centre_roster (team, worker, added_at, retired_at) VALUES (?1, ?2, ?3, NULL)
             ON CONFLICT (team, worker) DO UPDATE SET retired_at = NULL WHERE retired_at IS NOT NULL",
            params![team, worker, at],
        )?;
        Ok(changed > 0)
    }

    fn roster_retire(&mut self, team: &str, worker: &str, at: &str) -> Result<bool> {
        let changed = self.conn.execute(
            "UPDATE centre_roster SET retired_at = ?3
             WHERE team = ?1 AND worker = ?2 AND retired_at IS NULL",
            params![team, worker, at],
        )?;
        Ok(changed > 0)
    }

    fn roster(&mut self, team: &str) -> Result<Vec<RosterRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT worker, added_at, retired_at FROM centre_roster WHERE team = ?1 ORDER BY worker",
        )?;
        let rows = stmt.query_map([team], |r| {
            Ok(RosterRow {
                worker: r.get(0)?,
                added_at: r.get(1)?,
                retired_at: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn checkin(&mut self, id: &str) -> Result<Option<CheckinRow>> {
        Ok(self
            .conn
            .prepare_cached(&format!("{CHECKIN_COLUMNS} WHERE id = ?1"))?
            .query_row([id], checkin_row)
            .optional()?)
    }

    fn put_checkin(&mut self, c: &CheckinRow) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO centre_checkins (id, team, worker, watcher, place,
                    started_at, due_at, due_set_at, high_risk, ended_at, ended_by, on_behalf, duress,
                    level, overdue_since, next_at_ms, acknowledged_by, acknowledged_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
            )?
            .execute(params![
                c.id,
                c.team,
                c.worker,
                c.watcher,
                c.place,
                c.started_at,
                c.due_at,
                c.due_set_at,
                c.high_risk,
                c.ended_at,
                c.ended_by,
                c.on_behalf,
                c.duress,
                c.level,
                c.overdue_since,
                c.next_at_ms,
                c.acknowledged_by,
                c.acknowledged_at,
            ])?;
        Ok(())
    }

    fn checkins_due(&mut self, now_ms: i64, limit: u32) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, team FROM centre_checkins WHERE next_at_ms <= ?1
             ORDER BY next_at_ms, id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![now_ms, limit], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn add_checkin_step(&mut self, s: &CheckinStepRow) -> Result<bool> {
        let changed = self
            .conn
            .prepare_cached(
                "INSERT INTO centre_checkin_steps (checkin, step, level, taken_at, process)
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (checkin, step) DO NOTHING",
            )?
            .execute(params![s.checkin, s.step, s.level, s.taken_at, s.process])?;
        Ok(changed > 0)
    }

    fn checkin_steps(&mut self, checkin: &str) -> Result<Vec<CheckinStepRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT checkin, step, level, taken_at, process FROM centre_checkin_steps
             WHERE checkin = ?1 ORDER BY step",
        )?;
        let rows = stmt.query_map([checkin], |r| {
            Ok(CheckinStepRow {
                checkin: r.get(0)?,
                step: r.get(1)?,
                level: r.get(2)?,
                taken_at: r.get(3)?,
                process: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn checkins_since(&mut self, team: Option<&str>, since: &str) -> Result<Vec<CheckinRow>> {
        // One statement per case, so that the team's is read by its index.
        let rows = match team {
            Some(team) => self
                .conn
                .prepare_cached(&format!(
                    "{CHECKIN_COLUMNS} WHERE team = ?1 AND started_at >= ?2
                     ORDER BY started_at DESC, id DESC"
                ))?
                .query_map(params![team, since], checkin_row)?
                .collect::<rusqlite::Result<_>>()?,
            None => self
                .conn
                .prepare_cached(&format!(
                    "{CHECKIN_COLUMNS} WHERE started_at >= ?1 ORDER BY started_at DESC, id DESC"
                ))?
                .query_map(params![since], checkin_row)?
                .collect::<rusqlite::Result<_>>()?,
        };
        Ok(rows)
    }

    fn live_checkins(
        &mut self,
        team: Option<&str>,
        acknowledged_since: &str,
    ) -> Result<Vec<CheckinRow>> {
        const LIVE: &str = "(ended_at IS NULL OR (duress = 1
            AND (acknowledged_at IS NULL OR acknowledged_at >= ?1)))";
        let rows = match team {
            Some(team) => self
                .conn
                .prepare_cached(&format!(
                    "{CHECKIN_COLUMNS} WHERE team = ?2 AND {LIVE} ORDER BY started_at DESC, id DESC"
                ))?
                .query_map(params![acknowledged_since, team], checkin_row)?
                .collect::<rusqlite::Result<_>>()?,
            None => self
                .conn
                .prepare_cached(&format!(
                    "{CHECKIN_COLUMNS} WHERE {LIVE} ORDER BY started_at DESC, id DESC"
                ))?
                .query_map(params![acknowledged_since], checkin_row)?
                .collect::<rusqlite::Result<_>>()?,
        };
        Ok(rows)
    }

    fn lock_audit(&mut self) -> Result<()> {
        // `BEGIN IMMEDIATE` holds the whole file's write lock already.
        Ok(())
    }

    fn audit_last(&mut self) -> Result<Option<(u64, String)>> {
        Ok(self
            .conn
            .prepare_cached("SELECT seq, hash FROM centre_audit ORDER BY seq DESC LIMIT 1")?
            .query_row([], |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)))
            .optional()?)
    }

    fn audit_insert(&mut self, a: &AuditRow) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO centre_audit (seq, at, actor, action, team, subject, detail, source,
                    prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                a.seq as i64,
                a.at,
                a.actor,
                a.action,
                a.team,
                a.subject,
                a.detail,
                a.source,
                a.prev_hash,
                a.hash
            ])?;
        Ok(())
    }

    fn audit_rows(&mut self, after: u64, limit: u32) -> Result<Vec<AuditRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, at, actor, action, team, subject, detail, source, prev_hash, hash
             FROM centre_audit WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![after as i64, limit], |r| {
            Ok(AuditRow {
                seq: r.get::<_, i64>(0)? as u64,
                at: r.get(1)?,
                actor: r.get(2)?,
                action: r.get(3)?,
                team: r.get(4)?,
                subject: r.get(5)?,
                detail: r.get(6)?,
                source: r.get(7)?,
                prev_hash: r.get(8)?,
                hash: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn insert_user(&mut self, u: &UserRow) -> Result<bool> {
        let n = self.conn.execute(
            "INSERT OR IGNORE INTO centre_users
                 (id, name, role, team, password_hash, failures, locked_until, created_at, disabled_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                u.id,
                u.name,
                u.role,
                u.team,
                u.password_hash,
                u.failures,
                u.locked_until,
                u.created_at,
                u.disabled_at
            ],
        )?;
        Ok(n == 1)
    }

    fn user_by_name(&mut self, name: &str) -> Result<Option<UserRow>> {
        Ok(self
            .conn
            .query_row(
                concat!(
                    "SELECT ",
                    user_columns!(),
                    " FROM centre_users WHERE name = ?1"
                ),
                [name],
                user_row,
            )
            .optional()?)
    }

    fn user_by_id(&mut self, id: &str) -> Result<Option<UserRow>> {
        Ok(self
            .conn
            .query_row(
                concat!(
                    "SELECT ",
                    user_columns!(),
                    " FROM centre_users WHERE id = ?1"
                ),
                [id],
                user_row,
            )
            .optional()?)
    }

    fn users(&mut self) -> Result<Vec<UserRow>> {
        let mut stmt = self.conn.prepare(concat!(
            "SELECT ",
            user_columns!(),
            " FROM centre_users ORDER BY name"
        ))?;
        let rows = stmt.query_map([], user_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn set_user_failures(
        &mut self,
        id: &str,
        failures: u32,
        locked_until: Option<&str>,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE centre_users SET failures = ?2, locked_until = ?3 WHERE id = ?1",
            params![id, failures, locked_until],
        )?;
        Ok(())
    }

    fn set_user_password(&mut self, id: &str, password_hash: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE centre_users SET password_hash = ?2, failures = 0, locked_until = NULL
             WHERE id = ?1",
            params![id, password_hash],
        )?;
        Ok(())
    }

    fn disable_user(&mut self, id: &str, at: &str) -> Result<bool> {
        let n = self.conn.execute(
            "UPDATE centre_users SET disabled_at = coalesce(disabled_at, ?2) WHERE id = ?1",
            params![id, at],
        )?;
        Ok(n == 1)
    }

    fn insert_session(&mut self, s: &SessionRow) -> Result<()> {
        self.conn.execute(
            "INSERT INTO centre_sessions
                 (token_hash, user_id, csrf, created_at, expires_at, last_seen_at, ended_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                s.token_hash,
                s.user_id,
                s.csrf,
                s.created_at,
                s.expires_at,
                s.last_seen_at,
                s.ended_at
            ],
        )?;
        Ok(())
    }

    fn session(&mut self, token_hash: &str) -> Result<Option<SessionRow>> {
        Ok(self
            .conn
            .query_row(
                "SELECT token_hash, user_id, csrf, created_at, expires_at, last_seen_at, ended_at
                 FROM centre_sessions WHERE token_hash = ?1",
                [token_hash],
                |r| {
                    Ok(SessionRow {
                        token_hash: r.get(0)?,
                        user_id: r.get(1)?,
                        csrf: r.get(2)?,
                        created_at: r.get(3)?,
                        expires_at: r.get(4)?,
                        last_seen_at: r.get(5)?,
                        ended_at: r.get(6)?,
                    })
                },
            )
            .optional()?)
    }

    fn touch_session(&mut self, token_hash: &str, at: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE centre_sessions SET last_seen_at = ?2 WHERE token_hash = ?1",
            params![token_hash, at],
        )?;
        Ok(())
    }

    fn end_session(&mut self, token_hash: &str, at: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE centre_sessions SET ended_at = coalesce(ended_at, ?2) WHERE token_hash = ?1",
            params![token_hash, at],
        )?;
        Ok(())
    }

    fn end_user_sessions(&mut self, user_id: &str, at: &str) -> Result<u32> {
        let n = self.conn.execute(
            "UPDATE centre_sessions SET ended_at = ?2 WHERE user_id = ?1 AND ended_at IS NULL",
            params![user_id, at],
        )?;
        Ok(n as u32)
    }

    fn insert_glass(&mut self, g: &GlassRow) -> Result<()> {
        self.conn.execute(
            "INSERT OR REPLACE INTO centre_glass (user_id, subject, reason, granted_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![g.user_id, g.subject, g.reason, g.granted_at, g.expires_at],
        )?;
        Ok(())
    }

    fn glass(&mut self, user_id: &str, subject: &str, now: &str) -> Result<Option<GlassRow>> {
        Ok(self
            .conn
            .query_row(
                "SELECT user_id, subject, reason, granted_at, expires_at FROM centre_glass
                 WHERE user_id = ?1 AND subject = ?2 AND granted_at <= ?3 AND expires_at > ?3
                 ORDER BY expires_at DESC LIMIT 1",
                params![user_id, subject, now],
                |r| {
                    Ok(GlassRow {
                        user_id: r.get(0)?,
                        subject: r.get(1)?,
                        reason: r.get(2)?,
                        granted_at: r.get(3)?,
                        expires_at: r.get(4)?,
                    })
                },
            )
            .optional()?)
    }

    fn insert_leader_token(&mut self, t: &NewLeaderToken) -> Result<()> {
        self.conn.execute(
            "INSERT INTO centre_leader_tokens (token_hash, team, created_at, id, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![t.token_hash, t.team, t.created_at, t.id, t.expires_at],
        )?;
        Ok(())
    }

    fn leader_token(&mut self, token_hash: &str) -> Result<Option<LeaderTokenInfo>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, team, created_at, expires_at, last_used_at, revoked_at
                 FROM centre_leader_tokens WHERE token_hash = ?1",
                [token_hash],
                leader_token_info,
            )
            .optional()?)
    }

    fn touch_leader_token(&mut self, id: &str, at: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE centre_leader_tokens SET last_used_at = ?2 WHERE id = ?1",
            params![id, at],
        )?;
        Ok(())
    }

    fn revoke_leader_token(&mut self, id: &str, at: &str) -> Result<bool> {
        let n = self.conn.execute(
            "UPDATE centre_leader_tokens SET revoked_at = coalesce(revoked_at, ?2) WHERE id = ?1",
            params![id, at],
        )?;
        Ok(n == 1)
    }

    fn leader_tokens(&mut self) -> Result<Vec<LeaderTokenInfo>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, team, created_at, expires_at, last_used_at, revoked_at
             FROM centre_leader_tokens ORDER BY team, created_at",
        )?;
        let rows = stmt.query_map([], leader_token_info)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn usage(&mut self, device: &str, hour: i64) -> Result<Usage> {
        let (he, hb, de, db): (i64, i64, i64, i64) = self
            .conn
            .prepare_cached(
                "SELECT coalesce(sum(CASE WHEN hour = ?2 THEN entries END), 0),
                        coalesce(sum(CASE WHEN hour = ?2 THEN bytes END), 0),
                        coalesce(sum(entries), 0), coalesce(sum(bytes), 0)
                 FROM centre_push_usage WHERE device = ?1 AND hour > ?2 - 24",
            )?
            .query_row(params![device, hour], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?;
        Ok(Usage {
            hour_entries: he as u64,
            hour_bytes: hb as u64,
            day_entries: de as u64,
            day_bytes: db as u64,
        })
    }

    fn charge(&mut self, device: &str, hour: i64, entries: u64, bytes: u64) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO centre_push_usage (device, hour, entries, bytes) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(device, hour) DO UPDATE SET entries = entries + ?3, bytes = bytes + ?4",
            )?
            .execute(params![device, hour, entries as i64, bytes as i64])?;
        Ok(())
    }

    fn lock_team(&mut self, _team: &str) -> Result<()> {
        // `BEGIN IMMEDIATE` holds the whole file's write lock already.
        Ok(())
    }

    fn entry_team(&mut self, id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT team FROM centre_sequence WHERE entry_id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?)
    }

    fn known(&mut self, id: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM entries WHERE id = ?1)
                    OR EXISTS (SELECT 1 FROM erased_entries WHERE entry_id = ?1)
                    OR EXISTS (SELECT 1 FROM centre_held WHERE entry_id = ?1)",
            )?
            .query_row([id], |r| r.get(0))?)
    }

    fn append(&mut self, team: &str, device: &str, entry: &Entry) -> Result<u64> {
        // The core's ingest (`projection`) stored the entry itself in this transaction.
        let seq: i64 = self
            .conn
            .prepare_cached(
                "INSERT INTO centre_sequence (team, seq, entry_id, device)
                 VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM centre_sequence WHERE team = ?1), ?2, ?3)
                 RETURNING seq",
            )?
            .query_row(params![team, entry.id, device], |r| r.get(0))?;
        Ok(seq as u64)
    }

    fn latest_seq(&mut self, team: &str) -> Result<u64> {
        let seq: i64 = self
            .conn
            .prepare_cached("SELECT coalesce(max(seq), 0) FROM centre_sequence WHERE team = ?1")?
            .query_row([team], |r| r.get(0))?;
        Ok(seq as u64)
    }

    fn entries_after(&mut self, team: &str, after: u64, limit: u32) -> Result<Vec<(u64, Entry)>> {
        let after = i64::try_from(after).unwrap_or(i64::MAX);
        let mut stmt = self.conn.prepare_cached(
            // The erased left out before the limit, so that a page is full when more follow.
            "SELECT seq, entry_id FROM centre_sequence s WHERE team = ?1 AND seq > ?2
               AND NOT EXISTS (SELECT 1 FROM erased_entries e WHERE e.entry_id = s.entry_id)
             ORDER BY seq LIMIT ?3",
        )?;
        let ids: Vec<(i64, String)> = stmt
            .query_map(params![team, after, limit], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        drop(stmt);
        let mut entries = Vec::with_capacity(ids.len());
        for (seq, id) in ids {
            match gadeplan_core::entries::load(&self.conn, &id)? {
                Some(entry) => entries.push((seq as u64, entry)),
                None => {
                    return Err(Refusal::new(
                        500,
                        "storage",
                        "an entry in the sequence is missing",
                    ));
                }
            }
        }
        Ok(entries)
    }

    fn subject_entries(
        &mut self,
        team: &str,
        subjects: &[String],
        after: u64,
        limit: u32,
    ) -> Result<Vec<(u64, Entry)>> {
        let after = i64::try_from(after).unwrap_or(i64::MAX);
        let mut found: Vec<(u64, Entry)> = Vec::new();
        for subject in subjects {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT s.seq, {} FROM centre_sequence s JOIN entries e ON e.id = s.entry_id
                 WHERE s.team = ?1 AND e.subject = ?2 AND s.seq > ?3 ORDER BY s.seq LIMIT ?4",
                gadeplan_core::entries::COLUMNS
                    .split(", ")
                    .map(|c| format!("e.{c}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))?;
            let rows = stmt
                .query_map(params![team, subject, after, limit], |r| {
                    let seq: i64 = r.get(0)?;
                    let entry = gadeplan_core::entries::from_row_at(r, 1)?;
                    Ok((seq as u64, entry))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            found.extend(rows);
        }
        found.sort_by_key(|(seq, _)| *seq);
        found.truncate(limit as usize);
        Ok(found)
    }

    fn erase_entries(&mut self, _team: &str, _ids: &[String]) -> Result<()> {
        // The core's erasure, applied to this very file in this transaction, removed them.
        Ok(())
    }

    fn team_entry_ids(&mut self, team: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(TEAM_ENTRY_IDS)?;
        let ids = stmt
            .query_map([team], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    fn digest(&mut self, team: &str, device: Option<&str>) -> Result<wire::Digest> {
        Ok(match device {
            Some(device) => {
                sync::digest_query(&self.conn, DEVICE_ENTRY_IDS, params![team, device])?
            }
            None => sync::digest_query(&self.conn, TEAM_ENTRY_IDS, [team])?,
        })
    }

    fn subject_team(&mut self, subject: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT team FROM centre_subjects WHERE subject = ?1")?
            .query_row([subject], |r| r.get(0))
            .optional()?)
    }

    fn claim_subject(&mut self, subject: &str, team: &str) -> Result<String> {
        self.conn
            .prepare_cached(
                "INSERT OR IGNORE INTO centre_subjects (subject, team) VALUES (?1, ?2)",
            )?
            .execute(params![subject, team])?;
        Ok(self.subject_team(subject)?.unwrap_or_default())
    }

    fn release_subject(&mut self, subject: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM centre_subjects WHERE subject = ?1", [subject])?;
        Ok(())
    }

    fn held_entry(&mut self, id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT entry FROM centre_held WHERE entry_id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?)
    }

    fn hold(&mut self, row: &HeldRow) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO centre_held (entry_id, device, team, kind, schema_version, entry, held_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                row.entry_id,
                row.device,
                row.team,
                row.kind,
                row.schema_version,
                row.entry,
                row.held_at
            ])?;
        Ok(())
    }

    fn device_holds(&mut self, device: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM centre_held WHERE device = ?1 AND status = 'held')",
            )?
            .query_row([device], |r| r.get(0))?)
    }

    fn held_for(&mut self, id: &str, device: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM centre_held
                    WHERE entry_id = ?1 AND device = ?2 AND status = 'held')",
            )?
            .query_row(params![id, device], |r| r.get(0))?)
    }

    fn held(&mut self) -> Result<Vec<HeldInfo>> {
        let mut stmt = self.conn.prepare(
            "SELECT entry_id, device, team, kind, schema_version, held_at, status, reason
             FROM centre_held ORDER BY status, entry_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(HeldInfo {
                entry_id: r.get(0)?,
                device: r.get(1)?,
                team: r.get(2)?,
                kind: r.get(3)?,
                schema_version: r.get(4)?,
                held_at: r.get(5)?,
                status: r.get(6)?,
                reason: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn held_waiting(&mut self) -> Result<Vec<(String, String, u32)>> {
        let mut stmt = self.conn.prepare(
            "SELECT entry_id, kind, schema_version FROM centre_held WHERE status = 'held' ORDER BY entry_id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn held_with_device(&mut self, id: &str) -> Result<Option<(String, String, String, String)>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT h.entry, d.id, d.team, d.worker FROM centre_held h
                 JOIN centre_devices d ON d.id = h.device WHERE h.entry_id = ?1",
            )?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?)
    }

    fn reject_held(&mut self, id: &str, reason: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE centre_held SET status = 'rejected', reason = ?2 WHERE entry_id = ?1",
            params![id, reason],
        )?;
        Ok(())
    }

    fn release_held(&mut self, id: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM centre_held WHERE entry_id = ?1", [id])?;
        Ok(())
    }

    fn projection(&mut self) -> Option<&rusqlite::Connection> {
        Some(&self.conn)
    }

    fn dump(&mut self) -> Result<Vec<String>> {
        let tables: Vec<String> = self
            .conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let tables: Vec<&str> = tables.iter().map(String::as_str).collect();
        Ok(db::dump_tables(&self.conn, &tables)?)
    }

    fn commit(mut self: Box<Self>) -> Result<()> {
        self.conn.execute_batch("COMMIT")?;
        self.open = false;
        Ok(())
    }
}

fn user_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<UserRow> {
    Ok(UserRow {
        id: r.get(0)?,
        name: r.get(1)?,
        role: r.get(2)?,
        team: r.get(3)?,
        password_hash: r.get(4)?,
        failures: r.get(5)?,
        locked_until: r.get(6)?,
        created_at: r.get(7)?,
        disabled_at: r.get(8)?,
    })
}

fn leader_token_info(r: &rusqlite::Row<'_>) -> rusqlite::Result<LeaderTokenInfo> {
    Ok(LeaderTokenInfo {
        id: r.get(0)?,
        team: r.get(1)?,
        created_at: r.get(2)?,
        expires_at: r.get(3)?,
        last_used_at: r.get(4)?,
        revoked_at: r.get(5)?,
    })
}

fn device_info(r: &rusqlite::Row<'_>) -> rusqlite::Result<DeviceInfo> {
    Ok(DeviceInfo {
        id: r.get(0)?,
        team: r.get(1)?,
        worker: r.get(2)?,
        name: r.get(3)?,
        enrolled_at: r.get(4)?,
        last_used_at: r.get(5)?,
        revoked_at: r.get(6)?,
        revocation: r.get(7)?,
        rotation_requested_at: r.get(8)?,
    })
}

/// Makes the data directory, readable by its owner only; an existing one is narrowed to that.
fn create_private_dir(data: &Path) -> Result<()> {
    let fail = |e: std::io::Error| {
        Refusal::new(
            500,
            "data-dir",
            format!("cannot create the data directory: {e}"),
        )
    };
    std::fs::create_dir_all(data).map_err(fail)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data).map_err(fail)?.permissions().mode();
        if mode & 0o077 != 0 {
            std::fs::set_permissions(data, std::fs::Permissions::from_mode(mode & 0o700))
                .map_err(fail)?;
        }
    }
    Ok(())
}

/// Refuses a key file that others may read.
fn check_private(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(|e| Refusal::new(500, "key", format!("cannot read the key file: {e}")))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(Refusal::new(
                500,
                "key",
                format!(
                    "the key file {} may be read by others (mode {:o}); make it private with chmod 600",
                    path.display(),
                    mode & 0o777
                ),
            ));
        }
    }
    Ok(())
}

fn write_private(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .map_err(|e| Refusal::new(500, "key", format!("cannot create the key file: {e}")))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| Refusal::new(500, "key", format!("cannot write the key file: {e}")))?;
    // The file's name is in its directory only once the directory is on disk too: a key must
    // never be lost to a power cut after the store was encrypted with it.
    sync_directory(path)
}

/// Makes a file's directory entry (a new file, a rename) durable.
fn sync_directory(path: &Path) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| {
            Refusal::new(
                500,
                "key",
                format!("cannot make the key's directory durable: {e}"),
            )
        })
}

const CHECKIN_COLUMNS: &str = "SELECT id, team, worker, watcher, place, started_at, due_at,
    due_set_at, high_risk, ended_at, ended_by, on_behalf, duress, level, overdue_since, next_at_ms,
    acknowledged_by, acknowledged_at FROM centre_checkins";

fn checkin_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CheckinRow> {
    Ok(CheckinRow {
        id: r.get(0)?,
        team: r.get(1)?,
        worker: r.get(2)?,
        watcher: r.get(3)?,
        place: r.get(4)?,
        started_at: r.get(5)?,
        due_at: r.get(6)?,
        due_set_at: r.get(7)?,
        high_risk: r.get(8)?,
        ended_at: r.get(9)?,
        ended_by: r.get(10)?,
        on_behalf: r.get(11)?,
        duress: r.get(12)?,
        level: r.get(13)?,
        overdue_since: r.get(14)?,
        next_at_ms: r.get(15)?,
        acknowledged_by: r.get(16)?,
        acknowledged_at: r.get(17)?,
    })
}

//! The open store behind `api::Store`: its connection, the device's identity and the one write
//! path (`Inner`), behind the lock that serialises every call on one store, and the gate that
//! lets one sync run at a time.
//!
//! Opening is `db` (keys, files, migrations); what happens between opening and the first call
//! (a rebuild a migration asked for, reading the identity) is here, and so is every write of a
//! new entry: stamp, validate, store, project, in one transaction.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use serde::Serialize;

use crate::clock;
use crate::db::{self, OpenMode};
use crate::entries;
use crate::error::{Error, Result};
use crate::ids::{DeviceId, SubjectId};
use crate::journal::{self, Entry};
use crate::kinds::{self, Payload};
use crate::meta;
use crate::schema;
use crate::sync;

/// Who records on this device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct Identity {
    pub worker: String,
    pub device_id: String,
    pub device_name: String,
}

/// The open store: its state behind a lock, a connection for the screens beside it, and a gate
/// held for the whole of a sync run.
pub(crate) struct Session {
    inner: Mutex<Inner>,
    /// Who records here (never changes once the store is made), for reads without the lock.
    identity: Identity,
    /// The screens' connection (`db::open_reader`): reads answer while `inner` is writing. None
    /// when the store was opened read-only on a full disk (that connection holds the file
    /// exclusively); reads then go through `inner`.
    reader: Option<Mutex<Connection>>,
    /// Held by a sync run from start to end. Two runs on one store at once would both push
    /// everything above the same watermark (each entry sent twice); the second waits instead.
    /// Recording and reading take only `inner`, so they go on while a run is under way.
    sync_gate: Mutex<()>,
    /// The file whose lock extends the gate to every other `Store` on the same file, in this
    /// process or another (an Android app's scheduled sync and its "sync now" open one each).
    gate_file: std::path::PathBuf,
}

/// A sync run's hold on the store: this session's gate and the lock on the gate file.
pub(crate) struct SyncRunning<'a> {
    _gate: MutexGuard<'a, ()>,
    _file: Option<std::fs::File>,
}

/// Where a store's sync gate file lives: beside it.
pub(crate) fn gate_file(path: &std::path::Path) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-sync");
    std::path::PathBuf::from(name)
}

/// Locks `file` exclusively, waiting for another holder; none when the file cannot be made (a
/// read-only directory): the session's own gate still holds.
fn lock_gate_file(file: &std::path::Path) -> Option<std::fs::File> {
    use std::os::fd::AsRawFd;
    let opened = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(file)
        .ok()?;
    loop {
        // SAFETY: the descriptor is valid while `opened` lives; flock only locks it.
        let rc = unsafe { libc::flock(opened.as_raw_fd(), libc::LOCK_EX) };
        if rc == 0 {
            return Some(opened);
        }
        if std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            return None;
        }
    }
}

/// The state of an open store, held under the session's lock.
pub(crate) struct Inner {
    pub(crate) conn: Connection,
    pub(crate) identity: Identity,
    path: std::path::PathBuf,
    /// Kept to open the store again for writing once a full disk has room (SQLCipher holds the
    /// key in this process's memory anyway).
    key: Vec<u8>,
    /// Opened read-only because the disk was full.
    pub(crate) read_only: bool,
    /// The newest entry this device recorded here, once a sync has asked (`own_latest`), with
    /// SQLite's `data_version` when it was read: kept by the write path, so that a sync with
    /// nothing of its own to send does not read the journal to find that out, and read again
    /// when another connection (the CLI on the same store) has written since. Recording keeps no
    /// index for it (that would cost every record a page).
    own_latest: Option<(i64, Option<String>)>,
}

impl Session {
    /// Makes a new store at `path` for this device's worker, with its identity, atomically (see
    /// `db::create_atomically`): the store is there whole, or not at all.
    pub(crate) fn create(path: &Path, key: &[u8], worker: &str, device_name: &str) -> Result<()> {
        let worker = journal::name("worker", worker, journal::LIMIT_ALIAS)?;
        let device_name = journal::name("device", device_name, journal::LIMIT_ALIAS)?;
        let created_at = clock::now_for_recording()?;
        let identity = Identity {
            worker,
            device_id: journal::new_id(),
            device_name,
        };
        db::create_atomically(path, key, |conn| {
            let tx = conn.transaction()?;
            for (k, v) in [
                (meta::WORKER, &identity.worker),
                (meta::DEVICE_ID, &identity.device_id),
                (meta::DEVICE_NAME, &identity.device_name),
                (meta::CREATED_AT, &journal::format_timestamp(created_at)),
            ] {
                meta::set(&tx, k, v)?;
            }
            tx.commit()?;
            Ok(())
        })
    }

    /// The session over a store just opened: projections made again first if a migration asked
    /// for it (not on a store opened read-only), and the device's identity read.
    pub(crate) fn from_connection(
        mut conn: Connection,
        path: std::path::PathBuf,
        key: Vec<u8>,
        read_only: bool,
    ) -> Result<Self> {
        let needs_rebuild: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM meta WHERE key = ?1)",
            [schema::NEEDS_REBUILD],
            |r| r.get(0),
        )?;
        if needs_rebuild && !read_only {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            kinds::rebuild(&tx)?;
            tx.commit()?;
        }
        let meta = |key: &str| -> Result<String> {
            conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
                .optional()?
                .ok_or_else(|| Error::NoStore {
                    detail: "the store has no device identity; run init".into(),
                })
        };
        let identity = Identity {
            worker: meta(meta::WORKER)?,
            device_id: meta(meta::DEVICE_ID)?,
            device_name: meta(meta::DEVICE_NAME)?,
        };
        let reader = if read_only {
            None
        } else {
            Some(Mutex::new(db::open_reader(&path, &key)?))
        };
        let gate = gate_file(&path);
        Ok(Session {
            inner: Mutex::new(Inner {
                conn,
                identity: identity.clone(),
                path,
                key,
                read_only,
                own_latest: None,
            }),
            identity,
            reader,
            sync_gate: Mutex::new(()),
            gate_file: gate,
        })
    }

    pub(crate) fn lock(&self) -> Result<MutexGuard<'_, Inner>> {
        self.inner.lock().map_err(|_| {
            Error::storage("the store was left unusable by an earlier failure; reopen it")
        })
    }

    /// Runs a read for a screen on the reader connection (or the writer's, on a full disk): it
    /// sees the last committed state and does not wait for a write under way. The read is one
    /// transaction, so a screen made of several queries (a person's summary, conflicts and
    /// timeline) shows one state of the store, never half of a pull committed in between.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection, &Identity) -> Result<T>) -> Result<T> {
        match &self.reader {
            Some(reader) => {
                let conn = self.reader_lock(reader)?;
                let tx = conn.unchecked_transaction()?;
                let result = f(&tx, &self.identity);
                // Nothing was written: ending it either way only lets go of the snapshot.
                tx.rollback()?;
                result
            }
            None => {
                let inner = self.lock()?;
                f(&inner.conn, &inner.identity)
            }
        }
    }

    fn reader_lock<'a>(&self, reader: &'a Mutex<Connection>) -> Result<MutexGuard<'a, Connection>> {
        reader.lock().map_err(|_| {
            Error::storage("the store was left unusable by an earlier failure; reopen it")
        })
    }

    /// Holds off the screens' reads (for the erasure of a revoked phone: its final checkpoint
    /// must not find a reader in the middle of a read).
    pub(crate) fn pause_reads(&self) -> Result<Option<MutexGuard<'_, Connection>>> {
        self.reader
            .as_ref()
            .map(|reader| self.reader_lock(reader))
            .transpose()
    }

    /// Re-encrypts the store with `new` (see `db::rekey`), `current` being the key it is open
    /// with. A sync under way ends first and the next waits (the gate), nothing is recorded
    /// meanwhile (the lock), and the screens' reads wait while their connection, which holds the
    /// file open under the old key, is closed and then opened again under the new one.
    pub(crate) fn rekey(&self, current: &[u8], new: &[u8]) -> Result<()> {
        let _running = self.sync_running();
        let mut inner = self.lock()?;
        db::check_keys(&inner.key, current, new)?;
        inner.writable()?;
        let mut reads = self.pause_reads()?;
        if let Some(reader) = reads.as_deref_mut() {
            *reader = Connection::open_in_memory()?;
        }
        let outcome = inner.rekey(new);
        if let Some(reader) = reads.as_deref_mut() {
            *reader = db::open_reader(&inner.path, &inner.key)?;
        }
        outcome
    }

    /// Waits until no other sync run is under way on this store, from this `Store` or any other
    /// on the same file, and holds it until dropped.
    pub(crate) fn sync_running(&self) -> SyncRunning<'_> {
        // A run that panicked left nothing half-done that the gate protects: go on.
        let gate = self
            .sync_gate
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        SyncRunning {
            _gate: gate,
            _file: lock_gate_file(&self.gate_file),
        }
    }
}

impl Inner {
    /// The newest entry this device recorded (`None`: none), read from the journal once and
    /// then kept by the write path. Entries pulled from the centre do not count: the centre has
    /// them already.
    pub(crate) fn own_latest(&mut self) -> Result<Option<String>> {
        // Changes when another connection commits to the store, never for this one's own.
        let version: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?;
        if let Some((seen, known)) = &self.own_latest
            && *seen == version
        {
            return Ok(known.clone());
        }
        let found = sync::own_latest(&self.conn, &self.identity.device_id)?;
        self.own_latest = Some((version, found.clone()));
        Ok(found)
    }

    /// Forgets the newest own entry after something rewrote own entries (a re-stamp, a wipe).
    pub(crate) fn forget_own_latest(&mut self) {
        self.own_latest = None;
    }

    /// Makes every projection again from the journal, in one transaction (maintenance; the
    /// same tables as kept incrementally).
    pub(crate) fn rebuild_projections(&mut self) -> Result<()> {
        self.writable()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        kinds::rebuild(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// Ready to write: a store opened read-only on a full disk is opened again for writing if
    /// the disk has room now; else `StorageFull`, with nothing recorded.
    pub(crate) fn writable(&mut self) -> Result<()> {
        if !self.read_only {
            return Ok(());
        }
        if db::low_on_space(&self.path) {
            return Err(db::storage_full());
        }
        // The read-only connection holds the store's lock; it is closed before the store is
        // opened again, and comes back if that fails.
        drop(std::mem::replace(
            &mut self.conn,
            Connection::open_in_memory()?,
        ));
        match db::open(&self.path, &self.key, OpenMode::Existing) {
            Ok(conn) => {
                self.conn = conn;
                self.read_only = false;
                Ok(())
            }
            Err(e) => {
                self.conn = db::open_for_reading(&self.path, &self.key)?;
                Err(db::explain_failure(&self.path, e))
            }
        }
    }

    /// Rekeys the writing connection's store (the only connection open to it now) and keeps the
    /// key it then opens with. Until `db::rekey` has opened the store again the connection is an
    /// empty one; if it cannot, the store stays unusable until opened anew.
    fn rekey(&mut self, new: &[u8]) -> Result<()> {
        let conn = std::mem::replace(&mut self.conn, Connection::open_in_memory()?);
        let rekeyed = db::rekey(conn, &self.path, &self.key, new)?;
        self.conn = rekeyed.conn;
        if rekeyed.outcome.is_ok() {
            self.key = new.to_vec();
        }
        // A new connection counts `data_version` afresh: what was kept by it is read again.
        self.forget_own_latest();
        rekeyed.outcome
    }

    /// The one write path: in one immediate transaction, `build` checks references and returns
    /// the subject, the stated time and the payload; the entry is then validated, stamped,
    /// written and projected. Any error rolls everything back. Returns the entry as stored, and
    /// its payload as built.
    pub(crate) fn record_entry(
        &mut self,
        build: impl FnOnce(&Connection, DateTime<Utc>) -> Result<(String, Option<String>, Payload)>,
    ) -> Result<(Entry, Payload)> {
        self.writable()?;
        let path = self.path.clone();
        self.write_entry(build)
            .map_err(|e| db::explain_failure(&path, e))
    }

    fn write_entry(
        &mut self,
        build: impl FnOnce(&Connection, DateTime<Utc>) -> Result<(String, Option<String>, Payload)>,
    ) -> Result<(Entry, Payload)> {
        let now = clock::now_for_recording()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (subject, occurred_at, payload) = build(&tx, now)?;
        payload.validate()?;
        let occurred_at = journal::stated_time("occurred_at", occurred_at.as_deref(), now)?;
        let recorded_at =
            sync::resume_clock(&tx, &self.identity.device_id, now.timestamp_millis())?
                .tick(now.timestamp_millis())?;
        let entry = Entry {
            id: journal::entry_id_for(&recorded_at)?,
            kind: payload.kind(),
            schema_version: payload.schema_version(),
            subject: SubjectId::stored(subject),
            author_worker: self.identity.worker.clone(),
            author_device: DeviceId::stored(self.identity.device_id.clone()),
            occurred_at,
            recorded_at: recorded_at.encode(),
            payload: payload.to_json(),
        };
        entries::insert(&tx, &entry)?;
        kinds::apply(&tx, &entry, &payload)?;
        sync::note_local_join(&tx, &entry)?;
        tx.commit()?;
        // Own ids rise with the device's clock: this one is the newest.
        if let Some((_, known)) = &mut self.own_latest {
            *known = Some(entry.id.to_string());
        }
        Ok((entry, payload))
    }
}

//! Opening the encrypted SQLite file: the key, the checks that keep a wrong key from ever
//! touching the file, the pragmas, and the migrations.
//!
//! The order matters. The key is applied and checked by reading the schema *before* anything
//! that writes (WAL mode, migrations), so a wrong key, a foreign file or a missing store is
//! refused with the file byte-for-byte as it was. A store is only ever created by `init`; every
//! other open refuses a missing file rather than make a new empty store.
//!
//! A store's key is changed in `db::rekey` (all or nothing, under a crash too).
//!
//! A store and its `-wal` and `-shm` files are readable by their owner only (SQLite gives the
//! latter two the main file's permissions). On a full disk, where a normal open cannot even make
//! its `-shm` file, `open_for_reading` still opens the store, read-only: before an approach a
//! worker must be able to see the last risk check.

use std::path::Path;
use std::sync::OnceLock;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::error::{Error, Result, StorageCause};
use crate::schema;

mod rekey;
pub use rekey::{Rekeyed, check_keys, rekey, same_key};

/// A raw SQLCipher key is 256 bits: no passphrase derivation on the hot path.
pub const KEY_BYTES: usize = 32;

pub enum OpenMode {
    /// Make a new store; refuses a path where a store already is.
    Create,
    /// Open an existing store; refuses a missing one.
    Existing,
}

pub fn open(path: &Path, key: &[u8], mode: OpenMode) -> Result<Connection> {
    if key.len() != KEY_BYTES {
        return Err(Error::WrongKey {
            detail: format!("a key is {KEY_BYTES} bytes (64 hex characters)"),
        });
    }
    let exists = path.exists();
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    match mode {
        OpenMode::Existing if !exists => {
            return Err(Error::NoStore {
                detail: "no file at the store path; run init first".into(),
            });
        }
        OpenMode::Create if exists => {
            // Refuse without writing: open as existing, which checks the key and the schema.
            let conn = open(path, key, OpenMode::Existing)?;
            drop(conn);
            return Err(Error::AlreadyInitialised);
        }
        OpenMode::Create => create_private(path)?,
        OpenMode::Existing => narrow_to_owner(path),
    }
    let mut conn = connect(path, key, flags)?;
    check_readable(&conn)?;
    let version = schema::user_version(&conn)?;
    if matches!(mode, OpenMode::Existing) && version == 0 {
        return Err(Error::NoStore {
            detail: "the file is not a Gadeplan store".into(),
        });
    }
    if version > schema::latest_version() {
        return Err(Error::StoreTooNew {
            found: version,
            supported: schema::latest_version(),
        });
    }
    configure(&conn)?;
    schema::migrate_to(&mut conn, schema::latest_version())?;
    Ok(conn)
}

/// Moves the whole write-ahead log into the store's file and empties it; false when it could not
/// (a reader in the way, a disk that is full). Closing a connection checkpoints too, but ignores
/// a checkpoint that fails.
pub fn checkpoint_whole(conn: &Connection) -> Result<bool> {
    let (busy, logged, moved): (i64, i64, i64) =
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    Ok(busy == 0 && logged == moved)
}

/// Empties the log into the file if an erasure asked for it (`meta::SCRUB_PENDING`, set by
/// `kinds::entry_erased`): the erased entries' pages, zeroed in the file by secure delete, leave
/// the log too. Outside any transaction. True when nothing is left to do; false when a reader
/// held the log, with the request kept for the next try.
pub fn scrub_if_pending(conn: &Connection) -> Result<bool> {
    if crate::meta::get(conn, crate::meta::SCRUB_PENDING)?.is_none() {
        return Ok(true);
    }
    // A store made before secure delete was on may hold old rows in its free pages (a rebuild
    // replaces rows): the first scrub rewrites the whole file once, leaving only live pages.
    if crate::meta::get(conn, crate::meta::VACUUMED)?.is_none() {
        conn.execute_batch("VACUUM")?;
        crate::meta::set(conn, crate::meta::VACUUMED, "1")?;
    }
    if !checkpoint_whole(conn)? {
        return Ok(false);
    }
    // Cleared only once the log is empty (a crash before leaves the request for the next try),
    // and the clearing's own page checkpointed too.
    conn.execute(
        "DELETE FROM meta WHERE key = ?1",
        [crate::meta::SCRUB_PENDING],
    )?;
    checkpoint_whole(conn)
}

/// A second connection to a store already open for writing, for the screens: in WAL mode it
/// reads the last committed state while the writing connection is inside a transaction (a pull
/// of 500 entries, a rebuild), so the persons list never waits behind sync. It cannot write
/// (`query_only`).
pub fn open_reader(path: &Path, key: &[u8]) -> Result<Connection> {
    let conn = connect(
        path,
        key,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.execute_batch("PRAGMA busy_timeout = 5000; PRAGMA query_only = ON;")?;
    check_readable(&conn)?;
    Ok(conn)
}

/// Makes a new store at `path`, all or nothing: it is built beside the path under a temporary
/// name, filled by `fill` (the device's identity), closed, and only then linked into place. A
/// failure anywhere (a full disk, a clock that is wrong, a process killed) leaves no file at
/// `path` that would block the next try; a store already there is never replaced.
pub fn create_atomically(
    path: &Path,
    key: &[u8],
    fill: impl FnOnce(&mut Connection) -> Result<()>,
) -> Result<()> {
    if path.exists() {
        // Refuse without writing: open as existing, which checks the key and the schema.
        drop(open(path, key, OpenMode::Existing)?);
        return Err(Error::AlreadyInitialised);
    }
    let name = path
        .file_name()
        .ok_or_else(|| Error::invalid("store", "the store path names no file"))?;
    let mut temporary = name.to_owned();
    temporary.push(format!(".init-{}", uuid::Uuid::new_v4().simple()));
    let temporary = path.with_file_name(temporary);
    let built = (|| {
        let mut conn = open(&temporary, key, OpenMode::Create)?;
        fill(&mut conn)?;
        // Everything into the file itself before it is put in place: closing would checkpoint
        // the write-ahead log too, but ignores a checkpoint that fails (a full disk), and the
        // log is removed below, so an incomplete file would be put in place.
        if !checkpoint_whole(&conn)? {
            return Err(Error::storage(
                "the new store could not be written out in full",
            ));
        }
        conn.close().map_err(|(_, e)| Error::from(e))?;
        // And read back whole, with its key, before anything can rely on it.
        let check = open(&temporary, key, OpenMode::Existing)?;
        let verdict: String = check.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        check.close().map_err(|(_, e)| Error::from(e))?;
        if verdict != "ok" {
            return Err(Error::storage(format!(
                "the new store does not read back whole ({verdict})"
            )));
        }
        std::fs::File::open(&temporary)
            .and_then(|f| f.sync_all())
            .map_err(|e| io_failure("cannot write the store", e))?;
        // A hard link never replaces a file that appeared meanwhile (another `init`).
        match std::fs::hard_link(&temporary, path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                Err(Error::AlreadyInitialised)
            }
            Err(e) => Err(io_failure("cannot put the store in place", e)),
        }
    })();
    remove_store_files(&temporary);
    if built.is_ok()
        && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
    {
        // The new name must survive power loss too.
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    built.map_err(|e| explain_failure(path, e))
}

fn io_failure(what: &str, e: std::io::Error) -> Error {
    Error::storage(format!("{what}: {}", e.kind()))
}

/// Removes a store's file and its `-wal` and `-shm` files, if there.
pub fn remove_store_files(path: &Path) {
    // The sync gate's lock file too (`session::gate_file`): it holds nothing.
    for suffix in ["", "-wal", "-shm", "-sync"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        let _ = std::fs::remove_file(file);
    }
}

/// Opens an existing store for reading only, for when `open` fails because the disk is full.
/// In exclusive locking mode SQLite keeps the WAL's index in memory instead of the `-shm` file
/// (whose 32 KiB a full disk cannot give), and what the WAL holds is still read. The connection
/// is opened read-write (a read-only one insists on the `-shm` file) and then made query-only.
/// A store that needs a migration cannot be opened so (the migration would have to write).
pub fn open_for_reading(path: &Path, key: &[u8]) -> Result<Connection> {
    if key.len() != KEY_BYTES {
        return Err(Error::WrongKey {
            detail: format!("a key is {KEY_BYTES} bytes (64 hex characters)"),
        });
    }
    if !path.exists() {
        return Err(Error::NoStore {
            detail: "no file at the store path; run init first".into(),
        });
    }
    let conn = connect(
        path,
        key,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.execute_batch("PRAGMA locking_mode = EXCLUSIVE; PRAGMA query_only = ON;")?;
    check_readable(&conn)?;
    let version = schema::user_version(&conn)?;
    if version == 0 {
        return Err(Error::NoStore {
            detail: "the file is not a Gadeplan store".into(),
        });
    }
    if version != schema::latest_version() {
        return Err(Error::StorageFull {
            detail: "this app's update must change the store first, which needs free space".into(),
        });
    }
    Ok(conn)
}

/// Whether a failure of the store at `path` comes from a full disk: SQLite says so
/// (`SQLITE_FULL`, made `StorageFull` where the error is converted), or it reports an I/O error
/// (what it reports when it cannot grow the WAL or make the `-shm` file) while the disk has
/// almost no room left.
pub fn disk_full(path: &Path, e: &Error) -> bool {
    match e {
        Error::StorageFull { .. } => true,
        Error::Storage {
            cause: StorageCause::Io,
            ..
        } => low_on_space(path),
        _ => false,
    }
}

/// A full disk's failure as the worker should see it; any other error as it is.
pub fn explain_failure(path: &Path, e: Error) -> Error {
    if disk_full(path, &e) && !matches!(e, Error::StorageFull { .. }) {
        storage_full()
    } else {
        e
    }
}

pub fn storage_full() -> Error {
    Error::storage_full()
}

/// Whether the disk holding `path` has almost no room left.
pub fn low_on_space(path: &Path) -> bool {
    free_bytes(path).is_some_and(|free| free < LOW_SPACE_BYTES)
}

/// Less free space than this on the store's disk makes an I/O error a full disk.
const LOW_SPACE_BYTES: u64 = 1024 * 1024;

/// The bytes free for this user on the disk holding `path` (or its directory).
fn free_bytes(path: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let dir = dir.unwrap_or(Path::new("."));
    let c_path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut stat = std::mem::MaybeUninit::<libc::statvfs>::uninit();
    // SAFETY: `c_path` is a valid NUL-terminated string and `stat` a buffer of the right type;
    // statvfs fills it when it returns 0, and only then is it read.
    let rc = unsafe { libc::statvfs(c_path.as_ptr(), stat.as_mut_ptr()) };
    if rc != 0 {
        return None;
    }
    // SAFETY: initialised by the successful call above.
    let stat = unsafe { stat.assume_init() };
    // The fields are 32 bits wide on some phones and 64 on others; `From` takes either.
    #[allow(clippy::useless_conversion)]
    Some(u64::from(stat.f_bavail).saturating_mul(u64::from(stat.f_frsize)))
}

/// Makes the file a new store is created in, readable and writable by its owner only, before
/// SQLite opens it (an empty file is an empty database to SQLite).
fn create_private(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .map(drop)
        .map_err(|e| Error::storage(format!("cannot create the store file: {}", e.kind())))
}

/// Narrows a store made before stores were private (0644) to its owner; best effort, since a
/// file the process does not own cannot be changed and is still opened.
fn narrow_to_owner(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for suffix in ["", "-wal", "-shm"] {
            let mut file = path.as_os_str().to_owned();
            file.push(suffix);
            if let Ok(meta) = std::fs::metadata(&file)
                && meta.permissions().mode() & 0o077 != 0
            {
                let _ = std::fs::set_permissions(
                    &file,
                    std::fs::Permissions::from_mode(meta.permissions().mode() & 0o700),
                );
            }
        }
    }
}

/// A keyed connection to `path` and nothing more: no check of the key, no pragmas, no
/// migrations. For tests that look into a store from outside (the centre's, after a kill) or
/// build one as an older version made it; the app opens through `open`.
pub fn open_raw(path: &Path, key: &[u8]) -> Result<Connection> {
    connect(path, key, OpenFlags::default())
}

/// Every connection is made here, so none can be opened before SQLCipher has started.
fn connect(path: &Path, key: &[u8], flags: OpenFlags) -> Result<Connection> {
    start_sqlcipher()?;
    let conn = Connection::open_with_flags(path, flags)?;
    apply_key(&conn, key)?;
    plan_once(&conn)?;
    Ok(conn)
}

/// Turns on SQLite's query planner stability guarantee, so that a cached statement keeps the plan
/// it was prepared with whatever values are bound to it.
///
/// Without it, SQLite (built with STAT4, as rusqlite's bundled SQLCipher is) marks a statement
/// such as `WHERE owner = ?1 ORDER BY occurred_at DESC LIMIT 1` to be prepared again whenever a
/// new value is bound, in case the value allows a better plan: every projection's look-up was
/// parsed and planned afresh for every entry, a third of a push's time at the centre (found with
/// `perf`, docs/performance.md). Gadeplan keeps no statistics (`ANALYZE` is never run), so no
/// bound value could have chosen a better plan; every index is used as before.
fn plan_once(conn: &Connection) -> Result<()> {
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    Ok(())
}

/// Starts SQLite, and with it SQLCipher, once per process, before any connection is opened.
///
/// SQLite marks itself initialised *before* it runs SQLCipher's start-up
/// (`SQLITE_EXTRA_INIT`: its private heap, its crypto provider), and a second thread that calls
/// `sqlite3_initialize` in that moment returns at once, opens a connection and is refused its
/// key ("An error occurred with PRAGMA key"): a store failing to open at random in a process's
/// first moments. rusqlite starts SQLite on first use without a lock of its own, so every open
/// here waits for one whole start-up instead. `tests/first_open.rs` shows the race.
fn start_sqlcipher() -> Result<()> {
    static STARTED: OnceLock<i32> = OnceLock::new();
    // SAFETY: sqlite3_initialize takes no arguments and may be called from any thread; the
    // OnceLock makes every other caller wait until this call, SQLCipher's part included, is done.
    let rc = *STARTED.get_or_init(|| unsafe { rusqlite::ffi::sqlite3_initialize() });
    if rc == rusqlite::ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(Error::storage(format!(
            "SQLite/SQLCipher could not start (code {rc})"
        )))
    }
}

fn apply_key(conn: &Connection, key: &[u8]) -> Result<()> {
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    // SQLCipher logs a failed decryption to stderr by default; the caller gets a typed error
    // instead, and the CLI's stderr must stay one JSON object.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    // The raw-key form `x'…'` skips SQLCipher's passphrase derivation.
    conn.execute_batch(&format!("PRAGMA key = \"x'{hex}'\";"))?;
    Ok(())
}

/// The first read decrypts page 1: a wrong key (or a file that is not an encrypted store)
/// fails here with "file is not a database", before anything is written.
fn check_readable(conn: &Connection) -> Result<()> {
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => Ok(()),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::NotADatabase => {
            Err(Error::WrongKey {
                detail: "the store cannot be decrypted with it".into(),
            })
        }
        Err(e) => Err(e.into()),
    }
}

fn configure(conn: &Connection) -> Result<()> {
    // WAL: readers never block the writer. synchronous=FULL: a commit that returned survives
    // power loss, which is what "recorded" must mean on a phone whose battery dies in the cold.
    // secure_delete: what is deleted (an erasure's entries, a purge, rows a rebuild replaces) is
    // overwritten with zeros in its page and its freed pages, not merely unlinked, so that it
    // leaves the file once the log is checkpointed (an erasure must reach the disk, issue 17).
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000;
         PRAGMA secure_delete = ON;",
    )?;
    Ok(())
}

/// Parses a key written as 64 hexadecimal characters (surrounding whitespace allowed).
pub fn parse_hex_key(text: &str) -> Result<Vec<u8>> {
    let text = text.trim();
    if text.len() != KEY_BYTES * 2 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::WrongKey {
            detail: "a key is written as exactly 64 hexadecimal characters".into(),
        });
    }
    Ok((0..KEY_BYTES)
        .map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).expect("checked hex"))
        .collect())
}

/// Every row of the given tables as one line each (`table: cell | cell …`), sorted within each
/// table: what tests compare to show that two stores hold the same, or that a refused request
/// changed nothing.
pub fn dump_tables(conn: &Connection, tables: &[&str]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\""))?;
        let n = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let cells = (0..n).map(|i| {
                    r.get::<_, rusqlite::types::Value>(i)
                        .map(|v| format!("{v:?}"))
                });
                Ok(format!(
                    "{table}: {}",
                    cells.collect::<rusqlite::Result<Vec<_>>>()?.join(" | ")
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        rows.sort();
        out.extend(rows);
    }
    Ok(out)
}

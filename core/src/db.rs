//! Opening the encrypted SQLite file: the key, the checks that keep a wrong key from ever
//! touching the file, the pragmas, and the migrations.
//!
//! The order matters. The key is applied and checked by reading the schema *before* anything
//! that writes (WAL mode, migrations), so a wrong key, a foreign file or a missing store is
//! refused with the file byte-for-byte as it was. A store is only ever created by `init`; every
//! other open refuses a missing file rather than make a new empty store.

use std::path::Path;
use std::sync::OnceLock;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::error::{Error, Result};
use crate::schema;

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
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
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
        OpenMode::Create => flags |= OpenFlags::SQLITE_OPEN_CREATE,
        OpenMode::Existing => {}
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
    Ok(conn)
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
        Err(Error::Storage {
            detail: format!("SQLite/SQLCipher could not start (code {rc})"),
        })
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
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000;",
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

//! Changing the key a store is encrypted with, all or nothing: a crash at any moment leaves a
//! file that opens with the old key or with the new one, never with neither. The phone's store
//! (`session`) and the centre's embedded store (`gadeplan-centre rekey`) both rekey here.
//!
//! SQLCipher's `PRAGMA rekey` (4.20, as `libsqlite3-sys` 0.40 bundles it) reads and rewrites
//! every page in one write transaction of the connection, encrypting what it writes with the new
//! key. It is not used on the store in WAL mode:
//!
//! - in WAL mode the rewritten pages go to the log under the new key while the file and any
//!   frames of earlier transactions stay under the old one, and every other connection keeps
//!   decrypting with the old key; SQLCipher supports a rekey in WAL mode with other connections
//!   open only from its version 5 on, and SQLite3 Multiple Ciphers refuses it outright for the
//!   same reasons;
//! - in a rollback-journal mode the transaction is SQLite's ordinary atomic commit: the journal
//!   keeps each page as it was (encrypted with the old key: SQLCipher encrypts journal pages with
//!   the key it reads with), is synced before the file is written, and is deleted to commit. A
//!   crash before the deletion leaves a hot journal, which the next open plays back byte for byte
//!   whichever key it is given (played-back pages are not decrypted), so the file is whole under
//!   the old key again; after it the file is whole under the new key.
//!
//! So the log is emptied into the file first (nothing stays in it under the old key), the
//! journal switched to DELETE for the rekey and back to WAL afterwards. SQLite changes a
//! store's journal mode only when no other connection has it open (each connection in WAL mode
//! holds a shared lock on the file for as long as it is open), which is also how a rekey finds
//! out that something else, a running centre or another process, has the store open: it is
//! refused with nothing changed. SQLCipher ignores a failure of its own commit and reports
//! success all the same, so the outcome is not taken from the pragma: the store is opened again
//! with the new key and must refuse the old one.
//!
//! A rekey leaves no page under the old key in the store's files; the journal it deletes did
//! hold every page under the old key, and flash storage may keep such freed blocks for a while:
//! a rekey protects what is written from then on, and the file as it is, against the old key.

use std::path::Path;

use rusqlite::{Connection, ErrorCode};

use super::{KEY_BYTES, OpenMode, check_readable, checkpoint_whole, connect, open};
use crate::error::{Error, Result};

/// What a rekey left: the store open again under the key it now has, and whether that is the
/// new key (`Ok`) or still the old one (the error saying why nothing changed).
pub struct Rekeyed {
    pub conn: Connection,
    pub outcome: Result<()>,
}

/// Whether two keys are the same, in time that does not depend on where they differ (a caller
/// guessing the current key learns nothing from how long a refusal took).
pub fn same_key(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let differing = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(differing) == 0
}

/// Checks a rekey's keys before anything is touched: `current` is the key the store is open with
/// (`open_with`), and `new` a key of the right length that is not it.
pub fn check_keys(open_with: &[u8], current: &[u8], new: &[u8]) -> Result<()> {
    if !same_key(open_with, current) {
        return Err(Error::WrongKey {
            detail:
                "the current key given is not the key the store is open with; nothing was changed"
                    .into(),
        });
    }
    if new.len() != KEY_BYTES {
        return Err(Error::invalid(
            "new_key",
            format!("a key is {KEY_BYTES} bytes (64 hex characters)"),
        ));
    }
    if same_key(current, new) {
        return Err(Error::invalid(
            "new_key",
            "is the key the store opens with now; a rekey needs another",
        ));
    }
    Ok(())
}

/// Re-encrypts the store at `path`, which `conn` has open under `old`, with `new`, and opens it
/// again. The caller closes every other connection to the store first and holds off writers.
/// An error here means the store opens with neither key as far as this process can tell (it
/// should never happen, and the file is left for a person to look at); a rekey that did not
/// happen is `Rekeyed::outcome`, with the store open under the old key.
pub fn rekey(conn: Connection, path: &Path, old: &[u8], new: &[u8]) -> Result<Rekeyed> {
    let attempt = rewrite(&conn, new);
    // Closing rolls back whatever SQLCipher left open; the file is then whole under one key.
    conn.close().map_err(|(_, e)| Error::from(e))?;
    reopen(path, old, new, attempt)
}

/// The rewrite itself, on the one connection: the log emptied, the journal made a rollback
/// journal, every page rewritten under `new`, the log taken up again.
fn rewrite(conn: &Connection, new: &[u8]) -> Result<()> {
    if !checkpoint_whole(conn)? {
        return Err(open_elsewhere());
    }
    set_journal_mode(conn, "delete")?;
    let hex: String = new.iter().map(|b| format!("{b:02x}")).collect();
    let rekeyed = conn.execute_batch(&format!("PRAGMA rekey = \"x'{hex}'\";"));
    // Back to the log whatever happened; the next open sets it anyway if this fails.
    let _ = set_journal_mode(conn, "wal");
    Ok(rekeyed?)
}

/// Sets the journal mode and checks that it took: SQLite leaves it as it was, with SQLITE_BUSY,
/// while another connection has the store open.
fn set_journal_mode(conn: &Connection, mode: &str) -> Result<()> {
    let set = conn.query_row(&format!("PRAGMA journal_mode = {mode}"), [], |r| {
        r.get::<_, String>(0)
    });
    match set {
        Ok(now) if now.eq_ignore_ascii_case(mode) => Ok(()),
        Ok(_) => Err(open_elsewhere()),
        Err(e)
            if matches!(
                e.sqlite_error_code(),
                Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
            ) =>
        {
            Err(open_elsewhere())
        }
        Err(e) => Err(e.into()),
    }
}

fn open_elsewhere() -> Error {
    Error::not_allowed(
        "the store is open in another connection or process; close it and rekey again (nothing was changed)",
    )
}

/// Opens the store again after a rewrite: under the new key, which the old must no longer open;
/// or, if the rewrite did not take, under the old key, with the reason.
fn reopen(path: &Path, old: &[u8], new: &[u8], attempt: Result<()>) -> Result<Rekeyed> {
    match open(path, new, OpenMode::Existing) {
        Ok(conn) => {
            refuses(path, old)?;
            Ok(Rekeyed {
                conn,
                outcome: Ok(()),
            })
        }
        Err(Error::WrongKey { .. }) => {
            let conn = open(path, old, OpenMode::Existing)?;
            let outcome = match attempt {
                Err(e) => Err(e),
                Ok(()) => Err(Error::storage(
                    "the store could not be re-encrypted; it still opens with the current key",
                )),
            };
            Ok(Rekeyed { conn, outcome })
        }
        Err(e) => Err(e),
    }
}

/// Checks that `key` no longer opens the store.
fn refuses(path: &Path, key: &[u8]) -> Result<()> {
    let conn = connect(
        path,
        key,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    match check_readable(&conn) {
        Err(Error::WrongKey { .. }) => Ok(()),
        Err(e) => Err(e),
        Ok(()) => Err(Error::storage(
            "the store still opens with its old key after a rekey",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_compare_whole() {
        assert!(same_key(&[1, 2, 3], &[1, 2, 3]));
        assert!(!same_key(&[1, 2, 3], &[1, 2, 4]));
        assert!(!same_key(&[1, 2, 3], &[1, 2]));
        assert!(same_key(&[], &[]));
    }

    #[test]
    fn a_rekey_needs_the_current_key_and_another_of_full_length() {
        let (open_with, new) = ([7u8; 32], [8u8; 32]);
        assert!(check_keys(&open_with, &open_with, &new).is_ok());
        assert!(matches!(
            check_keys(&open_with, &new, &open_with),
            Err(Error::WrongKey { .. })
        ));
        for bad in [&[8u8; 31][..], &[8u8; 33][..], &open_with[..]] {
            assert!(matches!(
                check_keys(&open_with, &open_with, bad),
                Err(Error::InvalidInput { ref field, .. }) if field == "new_key"
            ));
        }
    }
}

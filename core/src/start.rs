//! What a shell shows when the app starts (issue 18): read from the store itself, never from
//! "a file exists". A store that was never enrolled (an enrolment that failed, the process
//! killed) asks for enrolment again; one the centre revoked, and which erased what it held, says
//! so; one the key the shell holds does not open (the Keystore or Keychain entry lost with a
//! backup restore or a factory reset of the lock screen) says that what it held cannot be read,
//! and that the way on is to erase it and enrol again. Both shells route on this and nothing
//! else.

use std::path::Path;

use serde::Serialize;

use crate::db;
use crate::error::{Error, Result};
use crate::meta;

/// Where the app stands at start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Enum)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum StartState {
    /// No store yet (`store_exists` false: create one and enrol), or a store never enrolled
    /// (true: open it and enrol, nothing recorded is lost).
    NeedsEnrolment { store_exists: bool },
    /// Enrolled: the app's screens.
    Enrolled {
        worker: String,
        team: String,
        centre: String,
    },
    /// The centre revoked this phone (`lost` or `retired`) and it erased what it held: say so.
    /// The centre never enrols a revoked device again: the way on is `erase_store`, then a new
    /// store (a new device) and enrolment with a new code.
    Revoked { how: String },
    /// A store is here that the key given does not open (or no key was found): what it holds
    /// cannot be read by anyone. The way on is `erase_store`, then enrolment; what it held that
    /// had not reached the centre is lost, and the centre has the rest.
    KeyLost { detail: String },
}

/// The start state of the store at `path`, opened with `key` (none: the shell found no key).
/// Opening changes nothing but what opening always does (migrations).
#[uniffi::export]
pub fn start_state(path: String, key: Option<Vec<u8>>) -> Result<StartState> {
    let path = Path::new(&path);
    if !path.exists() {
        return Ok(StartState::NeedsEnrolment {
            store_exists: false,
        });
    }
    let Some(key) = key else {
        return Ok(StartState::KeyLost {
            detail: "the app found no key for the store on this phone".into(),
        });
    };
    let conn = match db::open(path, &key, db::OpenMode::Existing) {
        Ok(conn) => conn,
        Err(Error::WrongKey { .. }) => {
            return Ok(StartState::KeyLost {
                detail: "the key the app holds does not open the store".into(),
            });
        }
        Err(e) => return Err(e),
    };
    if let Some(how) = meta::get(&conn, meta::REVOKED)? {
        return Ok(StartState::Revoked { how });
    }
    match (
        meta::get(&conn, meta::TOKEN)?,
        meta::get(&conn, meta::TEAM)?,
        meta::get(&conn, meta::CENTRE)?,
    ) {
        (Some(_), Some(team), Some(centre)) => Ok(StartState::Enrolled {
            worker: meta::get(&conn, meta::WORKER)?.unwrap_or_default(),
            team,
            centre,
        }),
        _ => Ok(StartState::NeedsEnrolment { store_exists: true }),
    }
}

/// Erases the store at `path` and its log, for a store whose key is lost or a phone to enrol
/// anew: the files are removed (their pages were encrypted under a key no one holds, or erased
/// already by the revocation).
#[uniffi::export]
pub fn erase_store(path: String) -> Result<()> {
    db::remove_store_files(Path::new(&path));
    if Path::new(&path).exists() {
        return Err(Error::storage("the store file could not be removed"));
    }
    Ok(())
}

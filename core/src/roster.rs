//! The team's roster as the centre last sent it (issue 15): the workers a phone may name as a
//! colleague, a course's responsible worker or an incident's worker, chosen rather than typed,
//! so that pair work can be counted. Kept in `meta` (team data, not about citizens), replaced
//! whole at every pull that carries it.
//!
//! Until a phone has heard from a centre that sends a roster (a store never enrolled, or a
//! centre from before issue 15) there is none, and names are taken as written. The check is the
//! recording phone's, at the moment of recording: entries made before, or arriving from
//! elsewhere, keep whatever names they have and stay readable.

use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::meta;

/// The roster, if a centre has sent one.
pub fn known(conn: &Connection) -> Result<Option<Vec<String>>> {
    meta::get(conn, meta::ROSTER)?
        .map(|text| {
            serde_json::from_str(&text)
                .map_err(|_| Error::storage("the stored roster is unreadable"))
        })
        .transpose()
}

/// Replaces the roster with the one a centre sent, names sorted.
pub fn replace(conn: &Connection, workers: &[String]) -> Result<()> {
    let mut workers = workers.to_vec();
    workers.sort();
    workers.dedup();
    meta::set(
        conn,
        meta::ROSTER,
        &serde_json::to_string(&workers).expect("names serialise"),
    )
}

/// Refuses a worker's name (in `field`) that is not on the roster, when there is one. The
/// phone's own worker is always taken: they record on it (retired while their phone is still
/// enrolled, or renamed, they can still open their own course).
pub fn require_on(conn: &Connection, field: &str, worker: &str) -> Result<()> {
    if meta::get(conn, meta::WORKER)?.as_deref() == Some(worker) {
        return Ok(());
    }
    match known(conn)? {
        Some(roster) if !roster.iter().any(|w| w == worker) => Err(Error::invalid(
            field,
            "not a worker on the team's roster (see the roster; the centre's operator adds workers)",
        )),
        _ => Ok(()),
    }
}

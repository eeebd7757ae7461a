//! The projections as a whole: one entry applied (`apply`), every table made again from the
//! journal (`rebuild`), the tables listed (`projection_tables`, for a rebuild, a wipe and the
//! tests' dump), a correction's target re-projected, and what an entry says once its amendments
//! are applied (`effective`).
//!
//! `rebuild` must give the same tables as applying the entries as they came, in any order (a
//! property test holds it to that).

use rusqlite::Connection;
use serde_json::Value;

use super::entry_amended::{EntryAmended, IMMUTABLE_FIELDS};
use super::entry_voided::EntryVoided;
use super::{Payload, record_tables};
use crate::entries;
use crate::error::Result;
use crate::journal::{self, Entry};
use crate::projection::{self, SHARED_TABLES};
use crate::schema;

/// Takes one new entry (already validated and inserted in the journal) into the projections.
pub fn apply(conn: &Connection, entry: &Entry, payload: &Payload) -> Result<()> {
    payload.project(conn, entry)
}

/// Every projection table, in the order a rebuild clears them: the shared ones, then each record
/// kind's own. Everything but the journal, the device's identity and sync state.
pub fn projection_tables() -> Vec<&'static str> {
    SHARED_TABLES
        .iter()
        .copied()
        .chain(record_tables().map(|t| t.table))
        .collect()
}

/// Every row of every projection table, sorted, as text: two replicas (or one before and after
/// a rebuild) hold the same projections exactly when their dumps are equal. For tests and checks.
pub fn dump(conn: &Connection) -> Result<Vec<String>> {
    crate::db::dump_tables(conn, &projection_tables())
}

/// Clears every projection and replays the whole journal in HLC order.
pub fn rebuild(conn: &Connection) -> Result<()> {
    for table in projection_tables() {
        conn.execute(&format!("DELETE FROM {table}"), [])?;
    }
    entries::for_each_in_hlc_order(conn, |entry| {
        let payload = Payload::read(entry.kind, &entry.payload)?;
        apply(conn, &entry, &payload)
    })?;
    conn.execute("DELETE FROM meta WHERE key = ?1", [schema::NEEDS_REBUILD])?;
    Ok(())
}

/// Re-projects whatever a correction targets, by its kind's own `reproject`.
pub(crate) fn reproject(conn: &Connection, target: &str) -> Result<()> {
    match entries::load(conn, target)? {
        Some(entry) => entry.kind.reproject(conn, &entry),
        // The target has not arrived yet; when it does, its projection folds this correction in.
        None => Ok(()),
    }
}

/// What an entry says once its amendments are applied.
pub struct Effective {
    pub entry: Entry,
    pub payload: Payload,
    pub occurred_at: String,
    /// The amendments applied, oldest first.
    pub amended_by: Vec<String>,
    /// The void entry and its reason, if the entry is voided.
    pub voided: Option<(String, String)>,
}

/// Folds an entry's amendments (in HLC order, skipping voided ones) over its payload. An
/// amendment that would make the payload break its kind's rules, touch a field that says who
/// the entry is about, or that is about another citizen, is skipped: it was refused where it was
/// recorded, so it can only come from a faulty replica, and skipping it is the same decision on
/// every replica.
pub fn effective(conn: &Connection, entry: Entry) -> Result<Effective> {
    let mut value: Value = serde_json::from_str(&entry.payload)?;
    let mut occurred_at = entry.occurred_at.clone();
    let mut amended_by = Vec::new();
    let mut voided = None;
    let corrections: Vec<(String, String)> = conn
        .prepare_cached("SELECT entry_id, kind FROM corrections WHERE target = ?1 ORDER BY recorded_at, entry_id")?
        .query_map([&entry.id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (correction_id, kind) in corrections {
        let Some(correction) = entries::load(conn, &correction_id)? else {
            continue;
        };
        // A correction about another citizen is ignored, as in `is_voided`.
        if correction.subject != entry.subject {
            continue;
        }
        if kind == "voided" {
            if voided.is_none() {
                let p: EntryVoided = serde_json::from_str(&correction.payload)?;
                voided = Some((correction_id, p.reason));
            }
            continue;
        }
        if projection::is_voided(conn, &correction_id)? {
            continue;
        }
        let amendment: EntryAmended = serde_json::from_str(&correction.payload)?;
        if IMMUTABLE_FIELDS
            .iter()
            .any(|f| amendment.patch.contains_key(*f))
        {
            continue;
        }
        let mut candidate = value.clone();
        journal::merge_patch(&mut candidate, &Value::Object(amendment.patch.clone()));
        if Payload::from_value(entry.kind, candidate.clone()).is_ok() {
            value = candidate;
            if let Some(at) = amendment.occurred_at {
                occurred_at = at;
            }
            amended_by.push(correction_id);
        }
    }
    // Either the stored payload or a candidate validated just above.
    let payload = Payload::read_value(entry.kind, value)?;
    Ok(Effective {
        entry,
        payload,
        occurred_at,
        amended_by,
        voided,
    })
}

//! Taking in an entry recorded elsewhere: on a phone, what the centre sends; at the centre, what a
//! phone pushes. The same checks on both sides, so nothing malformed reaches a journal.
//!
//! An entry arrives complete and immutable. It is checked (its id, clock and author agree with each
//! other; its payload meets its kind's rules), then stored and projected exactly as if it had been
//! recorded here. An id already present with the same content is a repeat and changes nothing; the
//! same id with other content is refused: ids are the idempotency key, never overwritten.

use rusqlite::Connection;

use crate::clock::Hlc;
use crate::entries;
use crate::error::{Error, Result};
use crate::journal::{self, Entry, EntryKind, Payload};
use crate::projection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ingested {
    /// Stored and projected.
    New,
    /// Already here, identical: nothing changed.
    Repeat,
}

/// Checks everything about an entry that can be checked without the rest of the journal.
pub fn check(entry: &Entry) -> Result<Payload> {
    journal::entry_id("id", &entry.id)?;
    journal::entry_id("subject", &entry.subject)?;
    journal::entry_id("author_device", &entry.author_device)?;
    journal::required_text("author_worker", &entry.author_worker, journal::LIMIT_ALIAS)?;
    if entry.schema_version == 0 || entry.schema_version > journal::PAYLOAD_VERSION {
        return Err(Error::invalid(
            "schema_version",
            "unknown payload version; update the app",
        ));
    }
    if journal::parse_timestamp("occurred_at", &entry.occurred_at)? != entry.occurred_at {
        return Err(Error::invalid(
            "occurred_at",
            "not in the journal's normalised form",
        ));
    }
    let hlc = Hlc::decode(&entry.recorded_at)?;
    if hlc.device != entry.author_device {
        return Err(Error::invalid(
            "recorded_at",
            "stamped by another device than its author",
        ));
    }
    if id_wall_ms(&entry.id) != Some(hlc.wall_ms) {
        return Err(Error::invalid("id", "does not match the entry's clock"));
    }
    Payload::parse(entry.kind, &entry.payload)
}

/// The wall time a UUIDv7 entry id carries.
pub fn id_wall_ms(id: &str) -> Option<i64> {
    let (secs, nanos) = uuid::Uuid::parse_str(id).ok()?.get_timestamp()?.to_unix();
    Some(secs as i64 * 1000 + (nanos / 1_000_000) as i64)
}

/// Stores and projects an entry from elsewhere, unless it is a repeat.
pub fn ingest(conn: &Connection, entry: &Entry) -> Result<Ingested> {
    let payload = check(entry)?;
    if let Some(existing) = entries::load(conn, &entry.id)? {
        return if existing == *entry {
            Ok(Ingested::Repeat)
        } else {
            Err(Error::not_allowed(
                "an entry with this id but other content exists; ids are never reused",
            ))
        };
    }
    if entry.kind == EntryKind::PersonNoted {
        let noted: bool = conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM persons WHERE id = ?1)")?
            .query_row([&entry.subject], |r| r.get(0))?;
        if noted {
            // Only a forged or broken entry notes a citizen twice; it would make the person's
            // row ambiguous for good, so it is refused like any other broken entry.
            return Err(Error::not_allowed("this citizen is noted already"));
        }
    }
    // The entry and its projection go in together or not at all: an entry refused halfway
    // must leave nothing behind, in the journal or the tables.
    conn.execute_batch("SAVEPOINT ingest_entry")?;
    let stored =
        entries::insert(conn, entry).and_then(|_| projection::apply(conn, entry, &payload));
    match stored {
        Ok(()) => {
            conn.execute_batch("RELEASE ingest_entry")?;
            Ok(Ingested::New)
        }
        Err(e) => {
            conn.execute_batch("ROLLBACK TO ingest_entry; RELEASE ingest_entry")?;
            Err(entry_fault(e))
        }
    }
}

/// A constraint the entry breaks is the entry's fault: refused for good, like any broken entry.
/// Any other storage failure (a full disk, an I/O error) is not; it stays a storage error, which
/// fails the whole batch so that it is tried again. SQLite words every constraint failure
/// "… constraint failed".
fn entry_fault(e: Error) -> Error {
    match e {
        Error::Storage { detail } if detail.contains("constraint failed") => Error::not_allowed(
            "the entry contradicts what is stored (a constraint of the projections)",
        ),
        other => other,
    }
}

/// Whether the entry joins subjects (a merge, or an unknown citizen identified). Projections are
/// built so that every other kind gives the same tables in any arrival order; a join arriving
/// after a later one may not, so the caller then rebuilds from the journal in HLC order.
pub fn joins_subjects(entry: &Entry) -> bool {
    entry.kind == EntryKind::PersonMerged
        || (entry.kind == EntryKind::PersonNoted && entry.payload.contains("\"from_unknown\""))
}

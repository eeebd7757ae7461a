//! Taking in an entry recorded elsewhere: on a phone, what the centre sends; at the centre, what a
//! phone pushes. The same checks on both sides, so nothing malformed reaches a journal.
//!
//! An entry arrives complete and immutable. It is checked (its id, clock and author agree with each
//! other; its payload meets its kind's rules), then stored and projected exactly as if it had been
//! recorded here. An id already present with the same content is a repeat and changes nothing; the
//! same id with other content is refused: ids are the idempotency key, never overwritten.

use rusqlite::Connection;

use crate::clock::{self, Hlc};
use crate::entries;
use crate::error::{Error, Result};
use crate::journal::{self, Entry, EntryKind};
use crate::kinds::{self, Payload, Referral};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ingested {
    /// Stored and projected.
    New,
    /// Already here, identical: nothing changed.
    Repeat,
}

/// Checks everything about an entry that can be checked without the rest of the journal, its
/// times against `reference_ms`, the receiving replica's best knowledge of the present.
pub fn check(entry: &Entry, reference_ms: i64) -> Result<Payload> {
    journal::entry_id("id", &entry.id)?;
    journal::entry_id("subject", &entry.subject)?;
    journal::entry_id("author_device", &entry.author_device)?;
    journal::name_rules("author_worker", &entry.author_worker, journal::LIMIT_ALIAS)?;
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
    if let Some(by) = ahead_by(&hlc, reference_ms) {
        return Err(Error::ClockWrong {
            detail: format!(
                "the entry was recorded by a clock {} of this one; it is taken in once the clocks agree",
                clock::describe_offset(by)
            ),
        });
    }
    if hlc.wall_ms < clock::FLOOR_MS {
        return Err(Error::invalid("recorded_at", "lies before the year 2000"));
    }
    journal::check_occurred(
        "occurred_at",
        journal::timestamp_ms(&entry.occurred_at)?,
        hlc.wall_ms,
    )?;
    let payload = Payload::parse(entry.kind, &entry.payload)?;
    // An entry says the oldest payload version that reads it (`Kind::schema_version`); one that
    // says less than its content needs would be refused for good by a replica not yet updated.
    if payload.schema_version() > entry.schema_version {
        return Err(Error::invalid(
            "schema_version",
            format!(
                "the payload needs version {}, the entry says {}",
                payload.schema_version(),
                entry.schema_version
            ),
        ));
    }
    for at in payload.stated_times() {
        let at = journal::parse_timestamp("occurred_at", at)?;
        journal::check_occurred("occurred_at", journal::timestamp_ms(&at)?, hlc.wall_ms)?;
    }
    Ok(payload)
}

/// How far an entry's stamp lies beyond the skew a receiver whose clock reads `reference_ms`
/// allows, if it does: such an entry is not refused for good (its author's clock is wrong, not
/// the entry), but it is not taken in either.
pub fn ahead_by(hlc: &Hlc, reference_ms: i64) -> Option<i64> {
    let by = hlc.wall_ms.saturating_sub(reference_ms);
    (by > clock::MAX_SKEW_MS).then_some(by)
}

pub use crate::journal::id_wall_ms;

/// Stores and projects an entry from elsewhere, unless it is a repeat.
/// What the receiving replica knows and requires when it takes entries in.
#[derive(Debug, Clone, Copy)]
pub struct Intake {
    /// The receiver's best knowledge of the present, in milliseconds since 1970: its own clock,
    /// or the centre's when that is later (a phone whose clock is behind).
    pub now_ms: i64,
    /// Whether every entry an entry refers to must be here already. At the centre it must: a
    /// device's entries arrive in the order it made them, after everything it had seen. On a
    /// phone sync may deliver a correction before what it corrects, so a reference not yet here
    /// is taken on trust (the centre checked it) and checked when both are present.
    pub references_present: bool,
}

impl Intake {
    /// Taking in on a phone, at `now_ms`.
    pub fn phone(now_ms: i64) -> Self {
        Intake {
            now_ms,
            references_present: false,
        }
    }

    /// Taking in at the centre, at `now_ms`.
    pub fn centre(now_ms: i64) -> Self {
        Intake {
            now_ms,
            references_present: true,
        }
    }
}

/// The entries an entry refers to by id, with the field that names each.
pub fn references(payload: &Payload) -> Vec<(&'static str, &str)> {
    payload
        .references()
        .into_iter()
        .map(|(field, id)| (field, id.as_str()))
        .collect()
}

/// An entry's references must point where the recording phone's own rules let them point: a
/// correction at an entry about the same citizen, of a kind that can be corrected so; a
/// person's change at earlier values of the same person; a contact at a risk check of the same
/// citizen. Else one device could correct, or lean on, what another team recorded.
fn check_references(
    conn: &Connection,
    entry: &Entry,
    payload: &Payload,
    intake: Intake,
) -> Result<()> {
    for (field, id) in references(payload) {
        let Some(referenced) = entries::load(conn, id)? else {
            if intake.references_present {
                return Err(Error::not_allowed(format!(
                    "the entry its {field} names is not known here"
                )));
            }
            continue;
        };
        let fits = payload.may_refer_to(
            field,
            &Referral {
                conn,
                entry,
                referenced: &referenced,
                references_present: intake.references_present,
            },
        )?;
        if !fits {
            return Err(Error::not_allowed(format!(
                "its {field} names an entry it cannot refer to (another citizen, or another kind)"
            )));
        }
    }
    Ok(())
}

pub fn ingest(conn: &Connection, entry: &Entry, intake: Intake) -> Result<Ingested> {
    // A repeat first: what is stored was checked when it arrived, under the rules of that day,
    // and sending it again changes nothing, so today's stricter rules do not make it an error.
    if let Some(existing) = entries::load(conn, &entry.id)? {
        return if existing == *entry {
            Ok(Ingested::Repeat)
        } else {
            // The same words whatever the other entry is, and whoever holds it.
            Err(Error::not_allowed("the id is taken; ids are never reused"))
        };
    }
    // An erased entry sent again (by a phone that had not yet heard of the erasure, or after a
    // repair sends everything again) is answered as one already here, and not taken in.
    if kinds::entry_erased::is_erased(conn, &entry.id)? {
        return Ok(Ingested::Repeat);
    }
    let payload = check(entry, intake.now_ms)?;
    if !kinds::entry_erased::made_by_the_centre(entry) {
        return Err(Error::not_allowed("only the centre erases"));
    }
    if entry.kind != EntryKind::EntryErased {
        for subject in
            std::iter::once(entry.subject.as_str()).chain(payload.joins().map(|s| s.as_str()))
        {
            if kinds::entry_erased::subject_erased_by(conn, subject)?.is_some() {
                return Err(Error::not_allowed(
                    "everything recorded about this citizen was erased at the centre",
                ));
            }
        }
    }
    check_references(conn, entry, &payload, intake)?;
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
    let stored = entries::insert(conn, entry).and_then(|_| kinds::apply(conn, entry, &payload));
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
/// fails the whole batch so that it is tried again. Told apart by SQLite's result code.
fn entry_fault(e: Error) -> Error {
    if e.is_constraint() {
        Error::not_allowed("the entry contradicts what is stored (a constraint of the projections)")
    } else {
        e
    }
}

/// Whether the entry joins subjects (a merge, or an unknown citizen identified). Projections are
/// built so that every other kind gives the same tables in any arrival order; a join arriving
/// after a later one may not, so the caller then rebuilds from the journal in HLC order.
pub fn joins_subjects(entry: &Entry) -> bool {
    entry.kind.may_join()
        && Payload::read(entry.kind, &entry.payload).is_ok_and(|p| p.joins().is_some())
}

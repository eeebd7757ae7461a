//! Whom a record concerns, and the checks every command makes of what it refers to: a person
//! (following merges, never a voided one), an unknown citizen, an entry, a risk check.

use rusqlite::{Connection, OptionalExtension};

use crate::entries;
use crate::error::{Error, Result};
use crate::journal::{self, Entry, EntryKind};
use crate::projection;

/// Whom a risk check or contact concerns.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum Subject {
    /// A person already noted (a merged-away id is followed to the person kept).
    Person { id: String },
    /// A citizen not known by name, described in a few words; may later become a person.
    Unknown { description: String },
    /// An unknown citizen already recorded (by the id a previous entry gave them).
    UnknownCitizen { id: String },
}

pub(crate) fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

pub(crate) fn require_entry(conn: &Connection, id: &str) -> Result<Entry> {
    journal::entry_id("entry", id)?;
    entries::load(conn, id)?.ok_or_else(|| Error::not_found("entry", id))
}

/// The person an id stands for now (following merges); refuses unknown or voided persons.
pub(crate) fn require_person(conn: &Connection, id: &str) -> Result<String> {
    journal::entry_id("person", id)?;
    let found: Option<(String, bool)> = conn
        .prepare_cached(
            "SELECT id, voided FROM persons
             WHERE id = coalesce((SELECT to_id FROM subject_redirects WHERE from_id = ?1), ?1)",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match found {
        None => Err(Error::not_found("person", id)),
        Some((_, true)) => Err(Error::not_allowed("the person was voided")),
        Some((person, false)) => Ok(person),
    }
}

pub(crate) fn require_unknown_citizen(conn: &Connection, id: &str) -> Result<()> {
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM unknown_citizens WHERE id = ?1)",
        [id],
        |r| r.get(0),
    )?;
    if exists {
        Ok(())
    } else {
        Err(Error::not_found("unknown citizen", id))
    }
}

/// A risk check that stands (exists, is a risk check, not voided); its citizen's canonical id.
pub(crate) fn require_risk_check(conn: &Connection, id: &str) -> Result<String> {
    require_standing(conn, id, EntryKind::RiskChecked, "risk_check", "risk check")
}

/// A contact that stands (exists, is a contact, not voided); its citizen's canonical id.
pub(crate) fn require_contact(conn: &Connection, id: &str) -> Result<String> {
    require_standing(conn, id, EntryKind::ContactLogged, "contact", "contact")
}

/// An entry a record names (in `field`) that stands: it exists, is of `kind`, and is not
/// voided. Returns its citizen's canonical id.
fn require_standing(
    conn: &Connection,
    id: &str,
    kind: EntryKind,
    field: &str,
    what: &str,
) -> Result<String> {
    let entry = require_entry(conn, id)?;
    if entry.kind != kind {
        return Err(Error::invalid(field, format!("the entry is not a {what}")));
    }
    if projection::is_voided(conn, id)? {
        return Err(Error::not_allowed(format!("the {what} is voided")));
    }
    projection::canonical(conn, &entry.subject)
}

/// The subject of a record that may name another record of its citizen (a contact its risk
/// check, an incident its contact; `linked` is that record's citizen): with no subject given, or
/// "an unknown citizen" where the linked record is about one, the linked record's citizen; else
/// the subject given, which must then be the linked record's (refused in `link_field`
/// otherwise). With neither, refused in `subject` with `missing`. Returns the subject id and a
/// new unknown citizen's description.
pub(crate) fn subject_or_linked(
    conn: &Connection,
    subject: Option<&Subject>,
    linked: Option<&str>,
    link_field: &str,
    missing: &str,
) -> Result<(String, Option<String>)> {
    let (id, unknown) = match (subject, linked) {
        (None, Some(l)) => (l.to_string(), None),
        (Some(Subject::Unknown { .. }), Some(l))
            if projection::resolve_person(conn, l)?.is_none() =>
        {
            (l.to_string(), None)
        }
        (Some(s), _) => resolve_subject(conn, s)?,
        (None, None) => return Err(Error::invalid("subject", missing)),
    };
    if linked.is_some_and(|l| l != id) {
        return Err(Error::invalid(
            link_field,
            format!(
                "the {} concerns another citizen",
                link_field.replace('_', " ")
            ),
        ));
    }
    Ok((id, unknown))
}

/// The stored subject id for a record, and the unknown citizen's description if it is new.
pub(crate) fn resolve_subject(
    conn: &Connection,
    subject: &Subject,
) -> Result<(String, Option<String>)> {
    match subject {
        Subject::Person { id } => Ok((require_person(conn, id)?, None)),
        Subject::Unknown { description } => {
            journal::required_text("unknown", description, journal::LIMIT_SHORT)?;
            Ok((journal::new_id(), Some(description.trim().to_string())))
        }
        Subject::UnknownCitizen { id } => {
            journal::entry_id("unknown citizen", id)?;
            let canonical = projection::canonical(conn, id)?;
            if canonical != *id {
                // Identified since: the record goes to the person.
                return Ok((require_person(conn, &canonical)?, None));
            }
            require_unknown_citizen(conn, id)?;
            Ok((id.clone(), None))
        }
    }
}

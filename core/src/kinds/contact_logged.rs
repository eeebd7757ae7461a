//! A contact in the contact log (`contact.logged`), after the risk check it names.
//!
//! Its command: the shell's input made into a payload, with the references checked. (Its payload
//! type and rules are still in `journal`, its projection in `projection`: issue 11 brings them
//! here.)

use rusqlite::Connection;

use super::Built;
use super::subject::{Subject, non_empty, require_risk_check, resolve_subject};
use crate::error::{Error, Result};
use crate::journal::{self, Payload};
use crate::projection;
use crate::vocabulary::{ContactKind, Outcome, PlaceKind};

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ContactInput {
    /// Whom the contact concerns; `None` takes the subject of `risk_check`.
    pub subject: Option<Subject>,
    pub place: String,
    pub place_kind: PlaceKind,
    pub kind: ContactKind,
    pub outcome: Outcome,
    /// The colleague who was there; `None` records a solo contact.
    pub colleague: Option<String>,
    pub minutes: Option<u32>,
    pub note: Option<String>,
    /// The risk check made before the approach.
    pub risk_check: Option<String>,
    pub occurred_at: Option<String>,
}

/// The subject, the stated time and the payload of the entry to record.
pub(crate) fn build(tx: &Connection, input: &ContactInput) -> Result<Built> {
    let check_subject = match &input.risk_check {
        Some(id) => Some(require_risk_check(tx, id)?),
        None => None,
    };
    // A contact after a risk check concerns the same citizen: with no subject, or with
    // "an unknown citizen" after a check of one, it takes the check's subject.
    let (subject, unknown) = match (&input.subject, &check_subject) {
        (None, Some(cs)) => (cs.clone(), None),
        (Some(Subject::Unknown { .. }), Some(cs))
            if projection::resolve_person(tx, cs)?.is_none() =>
        {
            (cs.clone(), None)
        }
        (Some(s), _) => resolve_subject(tx, s)?,
        (None, None) => {
            return Err(Error::invalid(
                "subject",
                "name the person or describe the unknown citizen",
            ));
        }
    };
    if let Some(check_subject) = &check_subject
        && *check_subject != subject
    {
        return Err(Error::invalid(
            "risk_check",
            "the risk check concerns another citizen",
        ));
    }
    let payload = Payload::ContactLogged(journal::ContactLogged {
        unknown,
        place: input.place.trim().to_string(),
        place_kind: input.place_kind,
        kind: input.kind,
        outcome: input.outcome,
        colleague: non_empty(input.colleague.clone())
            .map(|c| journal::name("colleague", &c, journal::LIMIT_ALIAS))
            .transpose()?,
        minutes: input.minutes,
        note: non_empty(input.note.clone()),
        risk_check: input.risk_check.clone(),
    });
    Ok((subject, input.occurred_at.clone(), payload))
}

/// What the timeline shows of it.
pub fn content(p: &journal::ContactLogged) -> super::EntryContent {
    super::EntryContent::ContactLogged {
        unknown: p.unknown.clone(),
        place: p.place.clone(),
        place_kind: p.place_kind,
        contact_kind: p.kind,
        outcome: p.outcome,
        colleague: p.colleague.clone(),
        minutes: p.minutes,
        note: p.note.clone(),
        risk_check: p.risk_check.clone(),
    }
}

//! A citizen noted by alias (`person.noted`), possibly an unknown citizen now identified.
//!
//! Its command: the shell's input made into a payload, with the references checked. (Its payload
//! type and rules are still in `journal`, its projection in `projection`: issue 11 brings them
//! here.)

use rusqlite::Connection;

use super::Built;
use super::subject::{non_empty, require_unknown_citizen};
use crate::error::{Error, Result};
use crate::journal::{self, Payload};
use crate::projection;

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewPerson {
    pub alias: String,
    pub description: Option<String>,
    pub birth_year: Option<i32>,
    /// The unknown citizen this person turns out to be: their records join the person.
    pub from_unknown: Option<String>,
    pub occurred_at: Option<String>,
}

/// The subject, the stated time and the payload of the entry to record.
pub(crate) fn build(tx: &Connection, input: &NewPerson) -> Result<Built> {
    if let Some(unknown) = &input.from_unknown {
        journal::entry_id("from_unknown", unknown)?;
        require_unknown_citizen(tx, unknown)?;
        if projection::canonical(tx, unknown)? != *unknown {
            return Err(Error::not_allowed(
                "this unknown citizen is already identified as a person",
            ));
        }
    }
    let payload = Payload::PersonNoted(journal::PersonNoted {
        alias: journal::name("alias", &input.alias, journal::LIMIT_ALIAS)?,
        description: non_empty(input.description.clone()),
        birth_year: input.birth_year,
        from_unknown: input.from_unknown.clone(),
    });
    Ok((journal::new_id(), input.occurred_at.clone(), payload))
}

/// What the timeline shows of it.
pub fn content(p: &journal::PersonNoted) -> super::EntryContent {
    super::EntryContent::PersonNoted {
        alias: p.alias.clone(),
        description: p.description.clone(),
        birth_year: p.birth_year,
        from_unknown: p.from_unknown.clone(),
    }
}

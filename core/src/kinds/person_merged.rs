//! The same citizen noted twice, joined (`person.merged`).
//!
//! Its command: the shell's input made into a payload, with the references checked. (Its payload
//! type and rules are still in `journal`, its projection in `projection`: issue 11 brings them
//! here.)

use rusqlite::Connection;

use super::Built;
use super::subject::{require_person, require_unknown_citizen};
use crate::error::{Error, Result};
use crate::journal::{self, Payload};
use crate::projection;

/// The subject, the stated time and the payload of the entry to record.
pub(crate) fn build(tx: &Connection, keep: &str, duplicate: &str) -> Result<Built> {
    let keep = require_person(tx, keep)?;
    journal::entry_id("duplicate", duplicate)?;
    let dup = projection::canonical(tx, duplicate)?;
    if dup == keep {
        return Err(Error::not_allowed("these are already one person"));
    }
    if projection::resolve_person(tx, &dup)?.is_none() {
        require_unknown_citizen(tx, &dup)?;
    }
    let payload = Payload::PersonMerged(journal::PersonMerged { duplicate: dup });
    Ok((keep, None, payload))
}

/// What the timeline shows of it.
pub fn content(p: &journal::PersonMerged) -> super::EntryContent {
    super::EntryContent::PersonMerged {
        duplicate: p.duplicate.clone(),
    }
}

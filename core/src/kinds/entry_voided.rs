//! A record voided as made by mistake (`entry.voided`), with its reason; it stays in the timeline,
//! marked.
//!
//! Its command: the shell's input made into a payload, with the references checked. (Its payload
//! type and rules are still in `journal`, its projection in `projection`: issue 11 brings them
//! here.)

use rusqlite::Connection;

use super::Built;
use super::subject::require_entry;
use crate::error::{Error, Result};
use crate::journal::{self, Payload};
use crate::projection;

/// The subject, the stated time and the payload of the entry to record.
pub(crate) fn build(tx: &Connection, entry_id: &str, reason: &str) -> Result<Built> {
    let target = require_entry(tx, entry_id)?;
    if !journal::voidable(target.kind) {
        return Err(Error::not_allowed(
            "this kind of entry cannot be voided; record a correcting entry instead",
        ));
    }
    if projection::is_voided(tx, &target.id)? {
        return Err(Error::not_allowed("the entry is already voided"));
    }
    let payload = Payload::EntryVoided(journal::EntryVoided {
        target: target.id.clone(),
        reason: reason.trim().to_string(),
    });
    Ok((target.subject, None, payload))
}

/// What the timeline shows of it.
pub fn content(p: &journal::EntryVoided) -> super::EntryContent {
    super::EntryContent::EntryVoided {
        target: p.target.clone(),
        reason: p.reason.clone(),
    }
}

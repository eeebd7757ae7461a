//! The stage of change (`stage.assessed`).
//!
//! Its command: the shell's input made into a payload, with the references checked. (Its payload
//! type and rules are still in `journal`, its projection in `projection`: issue 11 brings them
//! here.)

use rusqlite::Connection;

use super::Built;
use super::subject::require_person;
use crate::error::Result;
use crate::instruments;
use crate::journal::{self, Payload};
use crate::vocabulary::Stage;

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StageInput {
    pub person: String,
    pub stage: Stage,
    pub importance: Option<u8>,
    pub confidence: Option<u8>,
    pub occurred_at: Option<String>,
}

/// The subject, the stated time and the payload of the entry to record.
pub(crate) fn build(tx: &Connection, input: &StageInput) -> Result<Built> {
    let person = require_person(tx, &input.person)?;
    let payload = Payload::StageAssessed(journal::StageAssessed {
        stage: input.stage,
        importance: input.importance,
        confidence: input.confidence,
        instrument_version: instruments::STAGES_VERSION,
    });
    Ok((person, input.occurred_at.clone(), payload))
}

/// What the timeline shows of it.
pub fn content(p: &journal::StageAssessed) -> super::EntryContent {
    super::EntryContent::StageAssessed {
        stage: p.stage,
        importance: p.importance,
        confidence: p.confidence,
    }
}

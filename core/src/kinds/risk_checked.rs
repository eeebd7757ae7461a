//! The Brøset risk check before an approach (`risk.checked`).
//!
//! Its command: the shell's input made into a payload, with the references checked. (Its payload
//! type and rules are still in `journal`, its projection in `projection`: issue 11 brings them
//! here.)

use rusqlite::Connection;

use super::Built;
use super::subject::{Subject, non_empty, resolve_subject};
use crate::error::Result;
use crate::instruments;
use crate::journal::{self, Payload};
use crate::vocabulary::BrosetItem;

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RiskCheckInput {
    pub subject: Subject,
    pub observed: Vec<BrosetItem>,
    pub plan: Option<String>,
    pub occurred_at: Option<String>,
}

/// The subject, the stated time and the payload of the entry to record.
pub(crate) fn build(tx: &Connection, input: &RiskCheckInput) -> Result<Built> {
    let (subject, unknown) = resolve_subject(tx, &input.subject)?;
    let answers = BrosetItem::ALL
        .iter()
        .map(|item| (*item, input.observed.contains(item)))
        .collect();
    let payload = Payload::RiskChecked(journal::RiskChecked {
        unknown,
        answers,
        plan: non_empty(input.plan.clone()),
        instrument_version: instruments::BROSET_VERSION,
    });
    Ok((subject, input.occurred_at.clone(), payload))
}

/// What the timeline shows of it: the items observed and, scored again by the instrument's
/// rules, the score and band.
pub fn content(p: &journal::RiskChecked) -> super::EntryContent {
    let observed = p.observed();
    let scored = instruments::score_broset(&observed);
    super::EntryContent::RiskChecked {
        unknown: p.unknown.clone(),
        observed,
        score: scored.score,
        band: scored.band,
        plan: p.plan.clone(),
    }
}

//! The pre-screening against the target-group criteria (`screening.recorded`).
//!
//! Its command: the shell's input made into a payload, with the references checked. (Its payload
//! type and rules are still in `journal`, its projection in `projection`: issue 11 brings them
//! here.)

use rusqlite::Connection;

use super::Built;
use super::subject::{non_empty, require_person};
use crate::error::Result;
use crate::instruments;
use crate::journal::{self, Payload};
use crate::vocabulary::{BurdenArea, Criterion, Decision, ReferralKind};

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ScreeningInput {
    pub person: String,
    /// The criteria met (the complex-burden criterion is computed from `high_burden`).
    pub criteria: Vec<Criterion>,
    pub high_burden: Vec<BurdenArea>,
    pub decision: Decision,
    pub reason: Option<String>,
    /// How a citizen outside the target group is helped on; defaults to `refer`.
    pub referral_kind: Option<ReferralKind>,
    pub referred_to: Option<String>,
    pub occurred_at: Option<String>,
}

/// The subject, the stated time and the payload of the entry to record.
pub(crate) fn build(tx: &Connection, input: &ScreeningInput) -> Result<Built> {
    let person = require_person(tx, &input.person)?;
    let referral_kind = match input.decision {
        Decision::Outside => Some(input.referral_kind.unwrap_or(ReferralKind::Refer)),
        _ => input.referral_kind,
    };
    let payload = Payload::ScreeningRecorded(journal::ScreeningRecorded {
        criteria: Criterion::ALL
            .iter()
            .map(|c| (*c, input.criteria.contains(c)))
            .collect(),
        high_burden: BurdenArea::ALL
            .iter()
            .map(|a| (*a, input.high_burden.contains(a)))
            .collect(),
        decision: input.decision,
        reason: non_empty(input.reason.clone()),
        referral_kind,
        referred_to: non_empty(input.referred_to.clone()),
        instrument_version: instruments::SCREENING_VERSION,
    });
    Ok((person, input.occurred_at.clone(), payload))
}

/// What the timeline shows of it.
pub fn content(p: &journal::ScreeningRecorded) -> super::EntryContent {
    super::EntryContent::ScreeningRecorded {
        criteria: p.criteria_met(),
        high_burden: p.high_areas(),
        decision: p.decision,
        reason: p.reason.clone(),
        referral_kind: p.referral_kind,
        referred_to: p.referred_to.clone(),
    }
}

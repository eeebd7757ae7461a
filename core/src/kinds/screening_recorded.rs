//! The pre-screening against the target-group criteria (`screening.recorded`), with the decision
//! and, for a citizen outside the target group, where they were helped on; its row in
//! `screenings`, which the person's current screening decision is shown from.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::subject::{non_empty, require_person};
use super::{Built, Correcting, Corrections, Patch, answers, marked, EntryContent, Kind, Payload, RecordRow, RecordTable, Summary};
use crate::error::{Error, Result};
use crate::instruments;
use crate::journal::{self, Entry, LIMIT_LONG, LIMIT_SHORT};
use crate::vocabulary::{BurdenArea, Criterion, Decision, ReferralKind};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreeningRecorded {
    pub criteria: BTreeMap<Criterion, bool>,
    pub high_burden: BTreeMap<BurdenArea, bool>,
    pub decision: Decision,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral_kind: Option<ReferralKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referred_to: Option<String>,
    pub instrument_version: u32,
}

impl ScreeningRecorded {
    pub fn criteria_met(&self) -> Vec<Criterion> {
        marked(&self.criteria)
    }
    pub fn high_areas(&self) -> Vec<BurdenArea> {
        marked(&self.high_burden)
    }
}

/// What the timeline shows of a pre-screening.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct ScreeningRecordedContent {
    pub criteria: Vec<Criterion>,
    pub high_burden: Vec<BurdenArea>,
    pub decision: Decision,
    pub reason: Option<String>,
    pub referral_kind: Option<ReferralKind>,
    pub referred_to: Option<String>,
}

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

/// A correction of a pre-screening: the criteria met and the areas of high burden (each list
/// anew), the decision, its reason, and where a citizen outside the target group was helped on.
#[derive(Debug, Clone, PartialEq, Eq, Default, uniffi::Record)]
pub struct ScreeningCorrection {
    #[uniffi(default)]
    pub criteria: Option<Vec<Criterion>>,
    #[uniffi(default)]
    pub high_burden: Option<Vec<BurdenArea>>,
    #[uniffi(default)]
    pub decision: Option<Decision>,
    #[uniffi(default)]
    pub reason: Option<String>,
    #[uniffi(default)]
    pub clear_reason: bool,
    #[uniffi(default)]
    pub referral_kind: Option<ReferralKind>,
    #[uniffi(default)]
    pub referred_to: Option<String>,
    /// No longer referred on (a decision other than `outside`).
    #[uniffi(default)]
    pub clear_referral: bool,
}

impl Correcting for ScreeningCorrection {
    fn patch(&self) -> serde_json::Map<String, serde_json::Value> {
        let criteria = self.criteria.as_ref().map(|met| answers(Criterion::ALL, met));
        let high_burden = self
            .high_burden
            .as_ref()
            .map(|high| answers(BurdenArea::ALL, high));
        // As when the screening is made: a citizen found outside the target group is referred
        // unless the correction says how else they are helped on.
        let referral_kind = match (self.decision, self.referral_kind) {
            (Some(Decision::Outside), None) if !self.clear_referral => Some(ReferralKind::Refer),
            (_, kind) => kind,
        };
        Patch::default()
            .set("criteria", &criteria)
            .set("high_burden", &high_burden)
            .set("decision", &self.decision)
            .optional("reason", &self.reason, self.clear_reason)
            .optional("referral_kind", &referral_kind, self.clear_referral)
            .optional("referred_to", &self.referred_to, self.clear_referral)
            .done()
    }
}

const TABLE: RecordTable = RecordTable {
    table: "screenings",
    summary: Some(Summary {
        entry: "screening_entry",
        value: "screening_decision",
        from: "decision",
        at: "screening_at",
    }),
};

impl Kind for ScreeningRecorded {
    type Input = ScreeningInput;

    const CORRECTIONS: Corrections = Corrections::AmendAndVoid;
    const RECORD: Option<&'static RecordTable> = Some(&TABLE);

    fn build(tx: &Connection, _now: DateTime<Utc>, input: &ScreeningInput) -> Result<Built> {
        let person = require_person(tx, &input.person)?;
        let referral_kind = match input.decision {
            Decision::Outside => Some(input.referral_kind.unwrap_or(ReferralKind::Refer)),
            Decision::In | Decision::Undecided => input.referral_kind,
        };
        let payload = Payload::ScreeningRecorded(ScreeningRecorded {
            criteria: answers(Criterion::ALL, &input.criteria),
            high_burden: answers(BurdenArea::ALL, &input.high_burden),
            decision: input.decision,
            reason: non_empty(input.reason.clone()),
            referral_kind,
            referred_to: non_empty(input.referred_to.clone()),
            instrument_version: instruments::SCREENING_VERSION,
        });
        Ok((person, input.occurred_at.clone(), payload))
    }

    fn validate(&self) -> Result<()> {
        if self.criteria.len() != Criterion::ALL.len()
            || self.high_burden.len() != BurdenArea::ALL.len()
        {
            return Err(Error::invalid(
                "criteria",
                "every criterion and burden area needs an answer",
            ));
        }
        journal::optional_text("reason", self.reason.as_deref(), LIMIT_LONG)?;
        journal::optional_text("referred_to", self.referred_to.as_deref(), LIMIT_SHORT)?;
        journal::instrument_version(
            "instrument_version",
            self.instrument_version,
            instruments::SCREENING_VERSION,
        )?;
        let refers = self.referred_to.is_some() || self.referral_kind.is_some();
        match self.decision {
            Decision::Outside => {
                if self
                    .referred_to
                    .as_deref()
                    .is_none_or(|t| t.trim().is_empty())
                    || self.referral_kind.is_none()
                {
                    return Err(Error::invalid(
                        "referred_to",
                        "a citizen outside the target group is helped on: say to which service and how (guide, refer, hand over)",
                    ));
                }
            }
            Decision::In | Decision::Undecided => {
                if refers {
                    return Err(Error::invalid(
                        "referred_to",
                        "only a decision of 'outside' refers the citizen on",
                    ));
                }
            }
        }
        instruments::check_screening(
            &self.criteria_met(),
            &self.high_areas(),
            self.decision,
            self.reason.as_deref(),
        )
        .map(|_| ())
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        super::records::project_new(conn, entry, self)
    }

    fn content(&self) -> EntryContent {
        EntryContent::ScreeningRecorded(ScreeningRecordedContent {
            criteria: self.criteria_met(),
            high_burden: self.high_areas(),
            decision: self.decision,
            reason: self.reason.clone(),
            referral_kind: self.referral_kind,
            referred_to: self.referred_to.clone(),
        })
    }

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        let assessed = instruments::assess_screening(&self.criteria_met(), &self.high_areas());
        conn.prepare_cached(
            "INSERT INTO screenings (owner, occurred_at, entry_id, voided, author_worker, complex_burden, indicated,
                decision, referral_kind, instrument_version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            row.owner,
            row.occurred_at,
            row.entry.id,
            row.voided,
            row.entry.author_worker,
            assessed.complex_burden,
            assessed.indicated,
            self.decision.code(),
            self.referral_kind.map(|k| k.code()),
            self.instrument_version
        ])?;
        Ok(())
    }

    fn summary_value(&self) -> Option<&'static str> {
        Some(self.decision.code())
    }
}

//! The pre-screening against the target-group criteria (`screening.recorded`), with the decision
//! and, for a citizen outside the target group, where they were helped on; its row in
//! `screenings`, which the person's current screening decision is shown from.
//!
//! Version 2 answers each criterion and burden area `met`, `not-met` or `unknown` (screening is
//! gradual, 002 L1264–1268). A version-1 entry answered each `true` or `false`, an unticked one
//! stored as not met; it reads as exactly that, met or not met, and is never turned into
//! "unknown": that is not what its worker recorded.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::subject::{non_empty, require_person};
use super::{Built, Correcting, Corrections, Patch, EntryContent, Kind, Payload, RecordRow, RecordTable, Summary};
use crate::error::{Error, Result};
use crate::instruments::{self, ScreeningAnswers, ScreeningAssessment};
use crate::journal::{self, Entry, LIMIT_LONG, LIMIT_SHORT};
use crate::vocabulary::{BurdenArea, Criterion, CriterionAnswer, Decision, ReferralKind};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreeningRecorded {
    #[serde(deserialize_with = "read_answers")]
    pub criteria: BTreeMap<Criterion, CriterionAnswer>,
    #[serde(deserialize_with = "read_answers")]
    pub high_burden: BTreeMap<BurdenArea, CriterionAnswer>,
    pub decision: Decision,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral_kind: Option<ReferralKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referred_to: Option<String>,
    pub instrument_version: u32,
}

/// An answer as either version wrote it: `true`/`false` (version 1) or a code (version 2).
#[derive(Deserialize)]
#[serde(untagged)]
enum AnyAnswer {
    Ticked(bool),
    Answer(CriterionAnswer),
}

fn read_answers<'de, D, K>(d: D) -> std::result::Result<BTreeMap<K, CriterionAnswer>, D::Error>
where
    D: serde::Deserializer<'de>,
    K: Deserialize<'de> + Ord,
{
    let read = BTreeMap::<K, AnyAnswer>::deserialize(d)?;
    Ok(read
        .into_iter()
        .map(|(k, a)| {
            let answer = match a {
                AnyAnswer::Ticked(true) => CriterionAnswer::Met,
                AnyAnswer::Ticked(false) => CriterionAnswer::NotMet,
                AnyAnswer::Answer(a) => a,
            };
            (k, answer)
        })
        .collect())
}

/// The items of `answers` answered `wanted`, in the instrument's order.
fn answered<T: Copy + Ord>(answers: &BTreeMap<T, CriterionAnswer>, wanted: CriterionAnswer) -> Vec<T> {
    answers
        .iter()
        .filter(|(_, a)| **a == wanted)
        .map(|(item, _)| *item)
        .collect()
}

impl ScreeningRecorded {
    pub fn criteria_met(&self) -> Vec<Criterion> {
        answered(&self.criteria, CriterionAnswer::Met)
    }
    pub fn high_areas(&self) -> Vec<BurdenArea> {
        answered(&self.high_burden, CriterionAnswer::Met)
    }
    pub fn answers(&self) -> ScreeningAnswers {
        ScreeningAnswers {
            criteria: self.criteria.clone(),
            areas: self.high_burden.clone(),
        }
    }
    pub fn assessment(&self) -> ScreeningAssessment {
        instruments::assess_screening(&self.answers())
    }
}

/// What the timeline shows of a pre-screening.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct ScreeningRecordedContent {
    /// The criteria met.
    pub criteria: Vec<Criterion>,
    pub criteria_not_met: Vec<Criterion>,
    /// The burden areas high.
    pub high_burden: Vec<BurdenArea>,
    pub burden_not_high: Vec<BurdenArea>,
    /// What the criteria indicate, as far as they are known.
    pub assessment: ScreeningAssessment,
    pub instrument_version: u32,
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
    /// The burden areas high.
    pub high_burden: Vec<BurdenArea>,
    pub decision: Decision,
    pub reason: Option<String>,
    /// How a citizen outside the target group is helped on; defaults to `refer`.
    pub referral_kind: Option<ReferralKind>,
    pub referred_to: Option<String>,
    pub occurred_at: Option<String>,
    /// The criteria not met; a criterion in neither list is not known yet.
    #[uniffi(default)]
    pub criteria_not_met: Vec<Criterion>,
    /// The burden areas not high; an area in neither list is not known yet.
    #[uniffi(default)]
    pub burden_not_high: Vec<BurdenArea>,
}

/// A correction of a pre-screening: the criteria it names become met, not met or not known (the
/// others keep their answers), the same for the areas of high burden; the decision, its reason,
/// and where a citizen outside the target group was helped on. One criterion or area named twice
/// is refused. The version is never amended: a version-1 screening corrected to "not known" is
/// refused (it is voided and screened again).
#[derive(Debug, Clone, PartialEq, Eq, Default, uniffi::Record)]
pub struct ScreeningCorrection {
    /// Criteria now met.
    #[uniffi(default)]
    pub criteria: Option<Vec<Criterion>>,
    /// Areas now high.
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
    /// Criteria now not met.
    #[uniffi(default)]
    pub criteria_not_met: Option<Vec<Criterion>>,
    /// Criteria now not known.
    #[uniffi(default)]
    pub criteria_unknown: Option<Vec<Criterion>>,
    /// Areas now not high.
    #[uniffi(default)]
    pub burden_not_high: Option<Vec<BurdenArea>>,
    /// Areas now not known.
    #[uniffi(default)]
    pub burden_unknown: Option<Vec<BurdenArea>>,
}

impl Correcting for ScreeningCorrection {
    fn patch(&self) -> serde_json::Map<String, serde_json::Value> {
        let criteria = named([
            (self.criteria.as_deref(), CriterionAnswer::Met),
            (self.criteria_not_met.as_deref(), CriterionAnswer::NotMet),
            (self.criteria_unknown.as_deref(), CriterionAnswer::Unknown),
        ]);
        let high_burden = named([
            (self.high_burden.as_deref(), CriterionAnswer::Met),
            (self.burden_not_high.as_deref(), CriterionAnswer::NotMet),
            (self.burden_unknown.as_deref(), CriterionAnswer::Unknown),
        ]);

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

    fn check(&self) -> Result<()> {
        once("criteria", [&self.criteria, &self.criteria_not_met, &self.criteria_unknown])?;
        once(
            "high_burden",
            [&self.high_burden, &self.burden_not_high, &self.burden_unknown],
        )
    }
}

/// The answers a correction names, by item (a merge patch changes only the keys it names).
fn named<T: Copy + Ord>(
    lists: [(Option<&[T]>, CriterionAnswer); 3],
) -> Option<BTreeMap<T, CriterionAnswer>> {
    let map: BTreeMap<T, CriterionAnswer> = lists
        .iter()
        .flat_map(|(items, answer)| items.unwrap_or_default().iter().map(move |i| (*i, *answer)))
        .collect();
    (!map.is_empty()).then_some(map)
}

/// Refuses an item named in more than one of a correction's lists.
fn once<T: Copy + Ord + std::fmt::Display>(field: &str, lists: [&Option<Vec<T>>; 3]) -> Result<()> {
    let mut seen = std::collections::BTreeSet::new();
    for item in lists.iter().flat_map(|l| l.iter().flatten()) {
        if !seen.insert(*item) {
            return Err(Error::invalid(field, format!("'{item}' is named twice")));
        }
    }
    Ok(())
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
        let answers = ScreeningAnswers::from_lists(
            &input.criteria,
            &input.criteria_not_met,
            &input.high_burden,
            &input.burden_not_high,
        )?;
        let payload = Payload::ScreeningRecorded(ScreeningRecorded {
            criteria: answers.criteria,
            high_burden: answers.areas,
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
        let unknown = CriterionAnswer::Unknown;
        if self.instrument_version == 1
            && (self.criteria.values().any(|a| *a == unknown)
                || self.high_burden.values().any(|a| *a == unknown))
        {
            return Err(Error::invalid(
                "criteria",
                "version 1 of the screening has no 'unknown' answer (void it and screen again)",
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
        instruments::check_screening(&self.answers(), self.decision, self.reason.as_deref())
            .map(|_| ())
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        super::records::project_new(conn, entry, self)
    }

    fn content(&self) -> EntryContent {
        EntryContent::ScreeningRecorded(ScreeningRecordedContent {
            criteria: self.criteria_met(),
            criteria_not_met: answered(&self.criteria, CriterionAnswer::NotMet),
            high_burden: self.high_areas(),
            burden_not_high: answered(&self.high_burden, CriterionAnswer::NotMet),
            assessment: self.assessment(),
            instrument_version: self.instrument_version,
            decision: self.decision,
            reason: self.reason.clone(),
            referral_kind: self.referral_kind,
            referred_to: self.referred_to.clone(),
        })
    }

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        let assessed = self.assessment();
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

    /// Version 2 of the instrument came with payload version 2.
    fn schema_version(&self) -> u32 {
        if self.instrument_version >= 2 { 2 } else { 1 }
    }
}

//! The Brøset risk check before an approach (`risk.checked`): every item's answer (Bilag 1A),
//! the plan a high score needs, and its row in `risk_checks`, which the person's current risk
//! band is shown from.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::subject::{Subject, non_empty, resolve_subject};
use super::{Built, Correcting, Corrections, Patch, answers, marked, EntryContent, Kind, Payload, RecordRow, RecordTable, Summary};
use crate::error::{Error, Result};
use crate::instruments;
use crate::journal::{self, Entry, LIMIT_LONG, LIMIT_SHORT};
use crate::projection::note_unknown;
use crate::vocabulary::{BrosetItem, RiskBand};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskChecked {
    /// A few words describing an unknown citizen; absent when the subject is a person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unknown: Option<String>,
    /// Every item's answer, not only the total (Bilag 1A).
    pub answers: BTreeMap<BrosetItem, bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    pub instrument_version: u32,
}

impl RiskChecked {
    pub fn observed(&self) -> Vec<BrosetItem> {
        marked(&self.answers)
    }
}

/// What the timeline shows of a risk check: the items observed and, scored again by the
/// instrument's rules, the score and band.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct RiskCheckedContent {
    /// The unknown citizen's description, when the check was of one.
    pub unknown: Option<String>,
    pub observed: Vec<BrosetItem>,
    pub score: u8,
    pub band: RiskBand,
    pub plan: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RiskCheckInput {
    pub subject: Subject,
    pub observed: Vec<BrosetItem>,
    pub plan: Option<String>,
    pub occurred_at: Option<String>,
}

/// A correction of a risk check: the items observed, all of them anew, and the plan.
#[derive(Debug, Clone, PartialEq, Eq, Default, uniffi::Record)]
pub struct RiskCheckCorrection {
    #[uniffi(default)]
    pub observed: Option<Vec<BrosetItem>>,
    #[uniffi(default)]
    pub plan: Option<String>,
    #[uniffi(default)]
    pub clear_plan: bool,
}

impl Correcting for RiskCheckCorrection {
    fn patch(&self) -> serde_json::Map<String, serde_json::Value> {
        let answers = self
            .observed
            .as_ref()
            .map(|observed| answers(BrosetItem::ALL, observed));
        Patch::default()
            .set("answers", &answers)
            .optional("plan", &self.plan, self.clear_plan)
            .done()
    }
}

const TABLE: RecordTable = RecordTable {
    table: "risk_checks",
    summary: Some(Summary {
        entry: "risk_check_id",
        value: "risk_band",
        from: "band",
        at: "risk_at",
    }),
};

impl Kind for RiskChecked {
    type Input = RiskCheckInput;

    const CORRECTIONS: Corrections = Corrections::AmendAndVoid;
    const RECORD: Option<&'static RecordTable> = Some(&TABLE);

    fn build(tx: &Connection, _now: DateTime<Utc>, input: &RiskCheckInput) -> Result<Built> {
        let (subject, unknown) = resolve_subject(tx, &input.subject)?;
        let payload = Payload::RiskChecked(RiskChecked {
            unknown,
            answers: answers(BrosetItem::ALL, &input.observed),
            plan: non_empty(input.plan.clone()),
            instrument_version: instruments::BROSET_VERSION,
        });
        Ok((subject, input.occurred_at.clone(), payload))
    }

    fn validate(&self) -> Result<()> {
        journal::optional_text("unknown", self.unknown.as_deref(), LIMIT_SHORT)?;
        if self.answers.len() != BrosetItem::ALL.len() {
            return Err(Error::invalid(
                "answers",
                "every one of the six Brøset items needs an answer",
            ));
        }
        journal::optional_text("plan", self.plan.as_deref(), LIMIT_LONG)?;
        journal::instrument_version(
            "instrument_version",
            self.instrument_version,
            instruments::BROSET_VERSION,
        )?;
        instruments::check_broset(&self.observed(), self.plan.as_deref()).map(|_| ())
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        if let Some(description) = &self.unknown {
            note_unknown(conn, entry, description)?;
        }
        super::records::project_new(conn, entry, self)
    }

    fn content(&self) -> EntryContent {
        let observed = self.observed();
        let scored = instruments::score_broset(&observed);
        EntryContent::RiskChecked(RiskCheckedContent {
            unknown: self.unknown.clone(),
            observed,
            score: scored.score,
            band: scored.band,
            plan: self.plan.clone(),
        })
    }

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        let scored = instruments::score_broset(&self.observed());
        conn.prepare_cached(
            "INSERT INTO risk_checks (owner, occurred_at, entry_id, voided, author_worker, score, band, instrument_version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            row.owner,
            row.occurred_at,
            row.entry.id,
            row.voided,
            row.entry.author_worker,
            scored.score,
            scored.band.code(),
            self.instrument_version
        ])?;
        Ok(())
    }

    fn summary_value(&self) -> Option<&'static str> {
        Some(instruments::score_broset(&self.observed()).band.code())
    }
}

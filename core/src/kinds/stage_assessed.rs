//! The stage of change (`stage.assessed`), with the scale questions, and its row in `stages`,
//! which the person's current stage is shown from.
//!
//! Version 2 (issue 14) asks the seed's four 0–10 scales (`instruments::STAGE_SCALES`): life
//! falling apart ↔ in control, confidence to stabilise or reduce, craving, and the importance of
//! the citizen's own recovery goal, which is recorded beside it. A version-1 entry had only
//! importance ("at ændre", without anchors) and confidence; it is shown as recorded, with its
//! version, and never read as version 2's questions.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::subject::{non_empty, require_person};
use super::{Built, Correcting, Corrections, Patch, EntryContent, Kind, Payload, RecordRow, RecordTable, Summary};
use crate::error::{Error, Result};
use crate::instruments;
use crate::journal::{self, Entry, LIMIT_LONG};
use crate::vocabulary::Stage;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageAssessed {
    pub stage: Stage,
    /// "Hvor vigtigt er det så for dig, at (mål for recovery)?": version 2; version 1 asked how
    /// important change was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub importance: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<u8>,
    /// The citizen's own recovery goal, in their words: what `importance` asks about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_goal: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub life_control: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub craving: Option<u8>,
    pub instrument_version: u32,
}

/// What the timeline shows of a stage assessed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct StageAssessedContent {
    pub stage: Stage,
    pub importance: Option<u8>,
    pub confidence: Option<u8>,
    pub recovery_goal: Option<String>,
    pub life_control: Option<u8>,
    pub craving: Option<u8>,
    /// 1: importance meant "at ændre" and there were two scales; 2: the seed's four.
    pub instrument_version: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StageInput {
    pub person: String,
    pub stage: Stage,
    pub importance: Option<u8>,
    pub confidence: Option<u8>,
    pub occurred_at: Option<String>,
    #[uniffi(default)]
    pub recovery_goal: Option<String>,
    #[uniffi(default)]
    pub life_control: Option<u8>,
    #[uniffi(default)]
    pub craving: Option<u8>,
}

/// A correction of a stage of change and its rulers.
#[derive(Debug, Clone, PartialEq, Eq, Default, uniffi::Record)]
pub struct StageCorrection {
    #[uniffi(default)]
    pub stage: Option<Stage>,
    #[uniffi(default)]
    pub importance: Option<u8>,
    #[uniffi(default)]
    pub clear_importance: bool,
    #[uniffi(default)]
    pub confidence: Option<u8>,
    #[uniffi(default)]
    pub clear_confidence: bool,
    #[uniffi(default)]
    pub recovery_goal: Option<String>,
    #[uniffi(default)]
    pub clear_recovery_goal: bool,
    #[uniffi(default)]
    pub life_control: Option<u8>,
    #[uniffi(default)]
    pub clear_life_control: bool,
    #[uniffi(default)]
    pub craving: Option<u8>,
    #[uniffi(default)]
    pub clear_craving: bool,
}

impl Correcting for StageCorrection {
    /// The version is never amended (`entry_amended::IMMUTABLE_FIELDS`): version 2's own answers
    /// on a version-1 record are refused by its validation, and the record is voided and asked
    /// again instead.
    fn patch(&self) -> serde_json::Map<String, serde_json::Value> {
        Patch::default()
            .set("stage", &self.stage)
            .optional("importance", &self.importance, self.clear_importance)
            .optional("confidence", &self.confidence, self.clear_confidence)
            .optional(
                "recovery_goal",
                &self.recovery_goal.as_deref().map(str::trim),
                self.clear_recovery_goal,
            )
            .optional("life_control", &self.life_control, self.clear_life_control)
            .optional("craving", &self.craving, self.clear_craving)
            .done()
    }
}

const TABLE: RecordTable = RecordTable {
    table: "stages",
    summary: Some(Summary {
        entry: "stage_entry",
        value: "stage",
        from: "stage",
        at: "stage_at",
    }),
};

impl Kind for StageAssessed {
    type Input = StageInput;

    const CORRECTIONS: Corrections = Corrections::AmendAndVoid;
    const RECORD: Option<&'static RecordTable> = Some(&TABLE);

    fn build(tx: &Connection, _now: DateTime<Utc>, input: &StageInput) -> Result<Built> {
        let person = require_person(tx, &input.person)?;
        let payload = Payload::StageAssessed(StageAssessed {
            stage: input.stage,
            importance: input.importance,
            confidence: input.confidence,
            recovery_goal: non_empty(input.recovery_goal.clone()),
            life_control: input.life_control,
            craving: input.craving,
            instrument_version: instruments::STAGES_VERSION,
        });
        Ok((person, input.occurred_at.clone(), payload))
    }

    fn validate(&self) -> Result<()> {
        instruments::check_scale("importance", self.importance)?;
        instruments::check_scale("confidence", self.confidence)?;
        instruments::check_scale("life_control", self.life_control)?;
        instruments::check_scale("craving", self.craving)?;
        journal::optional_text("recovery_goal", self.recovery_goal.as_deref(), LIMIT_LONG)?;
        if self.instrument_version == 1
            && (self.recovery_goal.is_some() || self.life_control.is_some() || self.craving.is_some())
        {
            return Err(Error::invalid(
                "instrument_version",
                "version 1 of the stages had no recovery goal, life-in-control or craving (void it and assess again)",
            ));
        }
        journal::instrument_version(
            "instrument_version",
            self.instrument_version,
            instruments::STAGES_VERSION,
        )
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        super::records::project_new(conn, entry, self)
    }

    fn content(&self) -> EntryContent {
        EntryContent::StageAssessed(StageAssessedContent {
            stage: self.stage,
            importance: self.importance,
            confidence: self.confidence,
            recovery_goal: self.recovery_goal.clone(),
            life_control: self.life_control,
            craving: self.craving,
            instrument_version: self.instrument_version,
        })
    }

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO stages (owner, occurred_at, entry_id, voided, author_worker, stage, importance, confidence,
                instrument_version, life_control, craving)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
            row.owner,
            row.occurred_at,
            row.entry.id,
            row.voided,
            row.entry.author_worker,
            self.stage.code(),
            self.importance,
            self.confidence,
            self.instrument_version,
            self.life_control,
            self.craving,
        ])?;
        Ok(())
    }

    fn summary_value(&self) -> Option<&'static str> {
        Some(self.stage.code())
    }

    /// Version 2 of the instrument came with payload version 2.
    fn schema_version(&self) -> u32 {
        if self.instrument_version >= 2 { 2 } else { 1 }
    }
}

//! The stage of change (`stage.assessed`), with the importance and confidence rulers, and its
//! row in `stages`, which the person's current stage is shown from.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::subject::require_person;
use super::{Built, Correcting, Corrections, Patch, EntryContent, Kind, Payload, RecordRow, RecordTable, Summary};
use crate::error::Result;
use crate::instruments;
use crate::journal::{self, Entry};
use crate::vocabulary::Stage;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageAssessed {
    pub stage: Stage,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub importance: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<u8>,
    pub instrument_version: u32,
}

/// What the timeline shows of a stage assessed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct StageAssessedContent {
    pub stage: Stage,
    pub importance: Option<u8>,
    pub confidence: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StageInput {
    pub person: String,
    pub stage: Stage,
    pub importance: Option<u8>,
    pub confidence: Option<u8>,
    pub occurred_at: Option<String>,
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
}

impl Correcting for StageCorrection {
    fn patch(&self) -> serde_json::Map<String, serde_json::Value> {
        Patch::default()
            .set("stage", &self.stage)
            .optional("importance", &self.importance, self.clear_importance)
            .optional("confidence", &self.confidence, self.clear_confidence)
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
            instrument_version: instruments::STAGES_VERSION,
        });
        Ok((person, input.occurred_at.clone(), payload))
    }

    fn validate(&self) -> Result<()> {
        instruments::check_scale("importance", self.importance)?;
        instruments::check_scale("confidence", self.confidence)?;
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
        })
    }

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO stages (owner, occurred_at, entry_id, voided, author_worker, stage, importance, confidence,
                instrument_version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
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
            self.instrument_version
        ])?;
        Ok(())
    }

    fn summary_value(&self) -> Option<&'static str> {
        Some(self.stage.code())
    }
}

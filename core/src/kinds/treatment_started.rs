//! Treatment started (`treatment.started`): the offer, its intensity as the SFI report names
//! them (004 L958–971), and the counsellor (*misbrugsbehandleren*, 002 L2198–2202). Its row in
//! `treatment_starts`; it meets the 14-day guarantee or breaks it (`guarantee.rs`), and makes
//! the course bridged into treatment. Needs a wish for treatment on the course at or before it;
//! voided if recorded by mistake.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::courses::require_open_course_at;
use super::guarantee;
use super::subject::{non_empty, require_person};
use super::{Built, Corrections, EntryContent, Kind, Payload, RecordRow, RecordTable, Referral};
use crate::error::Result;
use crate::journal::{self, Entry, EntryId, LIMIT_ALIAS, LIMIT_SHORT};
use crate::vocabulary::{Label, TreatmentIntensity};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TreatmentStarted {
    pub course: EntryId,
    /// The treatment offer, in a few words.
    pub offer: String,
    pub intensity: TreatmentIntensity,
    /// The counsellor's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counsellor: Option<String>,
}

/// What the timeline shows of a treatment started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct TreatmentStartedContent {
    pub course: String,
    pub offer: String,
    pub intensity: TreatmentIntensity,
    pub counsellor: Option<String>,
    /// Its words, for the shells' timeline line.
    pub intensity_label: Label,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TreatmentStartInput {
    pub person: String,
    pub course: Option<String>,
    pub offer: String,
    pub intensity: TreatmentIntensity,
    pub counsellor: Option<String>,
    /// The day treatment started (default now).
    pub occurred_at: Option<String>,
}

const TABLE: RecordTable = RecordTable {
    table: "treatment_starts",
    summary: None,
};

impl Kind for TreatmentStarted {
    type Input = TreatmentStartInput;

    const CORRECTIONS: Corrections = Corrections::Void;
    const RECORD: Option<&'static RecordTable> = Some(&TABLE);

    fn build(tx: &Connection, now: DateTime<Utc>, input: &TreatmentStartInput) -> Result<Built> {
        let person = require_person(tx, &input.person)?;
        let course = require_open_course_at(
            tx,
            &person,
            input.course.as_deref(),
            input.occurred_at.as_deref(),
            now,
        )?;
        guarantee::require_wish_before(tx, &course.id, input.occurred_at.as_deref(), now)?;
        let payload = Payload::TreatmentStarted(TreatmentStarted {
            course: EntryId::stored(course.id),
            offer: input.offer.trim().to_string(),
            intensity: input.intensity,
            counsellor: non_empty(input.counsellor.clone())
                .map(|c| journal::name("counsellor", &c, LIMIT_ALIAS))
                .transpose()?,
        });
        Ok((person, input.occurred_at.clone(), payload))
    }

    fn validate(&self) -> Result<()> {
        journal::entry_id("course", &self.course)?;
        journal::required_text("offer", &self.offer, LIMIT_SHORT)?;
        if let Some(counsellor) = &self.counsellor {
            journal::name_rules("counsellor", counsellor, LIMIT_ALIAS)?;
        }
        Ok(())
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        super::records::project_new(conn, entry, self)
    }

    fn content(&self) -> EntryContent {
        EntryContent::TreatmentStarted(TreatmentStartedContent {
            course: self.course.to_string(),
            offer: self.offer.clone(),
            intensity: self.intensity,
            counsellor: self.counsellor.clone(),
            intensity_label: self.intensity.label(),
        })
    }

    super::refers_to_one!(course, CourseOpened);

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO treatment_starts (owner, occurred_at, entry_id, voided, author_worker,
                course, offer, intensity, counsellor)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            row.owner,
            row.occurred_at,
            row.entry.id,
            row.voided,
            row.entry.author_worker,
            self.course,
            self.offer,
            self.intensity.code(),
            self.counsellor,
        ])?;
        Ok(())
    }
}

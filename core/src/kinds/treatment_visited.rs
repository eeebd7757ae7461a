//! The visitation of a citizen who wished for treatment (`treatment.visited`): at a treatment
//! conference or directly by the outreach workers' right to visit (002 L2188–2192, L3185–3190),
//! what it decided, and the offer. Its row in `treatment_visitations`. Needs a wish for
//! treatment on the course made before it; voided if recorded by mistake.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::courses::require_open_course_at;
use super::guarantee;
use super::subject::{non_empty, require_person};
use super::{Built, Corrections, EntryContent, Kind, Payload, RecordRow, RecordTable, Referral};
use crate::error::Result;
use crate::journal::{self, Entry, EntryId, LIMIT_SHORT};
use crate::vocabulary::{Label, VisitationKind, VisitationResult};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TreatmentVisited {
    pub course: EntryId,
    pub kind: VisitationKind,
    pub result: VisitationResult,
    /// The treatment offered, in a few words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<String>,
}

/// What the timeline shows of a visitation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct TreatmentVisitedContent {
    pub course: String,
    pub kind: VisitationKind,
    pub result: VisitationResult,
    pub offer: Option<String>,
    /// Their words, for the shells' timeline line.
    pub kind_label: Label,
    pub result_label: Label,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct VisitationInput {
    pub person: String,
    pub course: Option<String>,
    pub kind: VisitationKind,
    pub result: VisitationResult,
    pub offer: Option<String>,
    pub occurred_at: Option<String>,
}

const TABLE: RecordTable = RecordTable {
    table: "treatment_visitations",
    summary: None,
};

impl Kind for TreatmentVisited {
    type Input = VisitationInput;

    const CORRECTIONS: Corrections = Corrections::Void;
    const RECORD: Option<&'static RecordTable> = Some(&TABLE);

    fn build(tx: &Connection, now: DateTime<Utc>, input: &VisitationInput) -> Result<Built> {
        let person = require_person(tx, &input.person)?;
        let course = require_open_course_at(
            tx,
            &person,
            input.course.as_deref(),
            input.occurred_at.as_deref(),
            now,
        )?;
        guarantee::require_wish_before(tx, &course.id, input.occurred_at.as_deref(), now)?;
        let payload = Payload::TreatmentVisited(TreatmentVisited {
            course: EntryId::stored(course.id),
            kind: input.kind,
            result: input.result,
            offer: non_empty(input.offer.clone()),
        });
        Ok((person, input.occurred_at.clone(), payload))
    }

    fn validate(&self) -> Result<()> {
        journal::entry_id("course", &self.course)?;
        journal::optional_text("offer", self.offer.as_deref(), LIMIT_SHORT)
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        super::records::project_new(conn, entry, self)
    }

    fn content(&self) -> EntryContent {
        EntryContent::TreatmentVisited(TreatmentVisitedContent {
            course: self.course.to_string(),
            kind: self.kind,
            result: self.result,
            offer: self.offer.clone(),
            kind_label: self.kind.label(),
            result_label: self.result.label(),
        })
    }

    super::refers_to_one!(course, CourseOpened);

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO treatment_visitations (owner, occurred_at, entry_id, voided, author_worker,
                course, kind, result, offer)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            row.owner,
            row.occurred_at,
            row.entry.id,
            row.voided,
            row.entry.author_worker,
            self.course,
            self.kind.code(),
            self.result.code(),
            self.offer,
        ])?;
        Ok(())
    }
}

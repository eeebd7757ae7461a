//! The citizen's wish for treatment (`treatment.requested`): the 14-day guarantee's clock starts
//! at it (003 L340–348; `guarantee.rs`). Its row in `treatment_requests`. A wish is refused while
//! an earlier one of the course still waits for its treatment to start; voided if recorded by
//! mistake.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::courses::require_open_course_at;
use super::guarantee;
use super::subject::require_person;
use super::{Built, Corrections, EntryContent, Kind, Payload, RecordRow, RecordTable, Referral};
use crate::error::{Error, Result};
use crate::journal::{self, Entry, EntryId};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TreatmentRequested {
    /// The course: the id of the entry that opened it.
    pub course: EntryId,
}

/// What the timeline shows of a wish for treatment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct TreatmentRequestedContent {
    pub course: String,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TreatmentRequestInput {
    pub person: String,
    /// The course, if the person has more than one open (else their open course).
    pub course: Option<String>,
    /// When the citizen said it (default now): the guarantee counts from this day.
    pub occurred_at: Option<String>,
}

const TABLE: RecordTable = RecordTable {
    table: "treatment_requests",
    summary: None,
};

impl Kind for TreatmentRequested {
    type Input = TreatmentRequestInput;

    const CORRECTIONS: Corrections = Corrections::Void;
    const RECORD: Option<&'static RecordTable> = Some(&TABLE);

    fn build(tx: &Connection, now: DateTime<Utc>, input: &TreatmentRequestInput) -> Result<Built> {
        let person = require_person(tx, &input.person)?;
        let course = require_open_course_at(
            tx,
            &person,
            input.course.as_deref(),
            input.occurred_at.as_deref(),
            now,
        )?;
        if guarantee::waiting_wish(tx, &course.id)?.is_some() {
            return Err(Error::not_allowed(
                "a wish for treatment on this course is waiting for its treatment to start already",
            ));
        }
        let payload = Payload::TreatmentRequested(TreatmentRequested {
            course: EntryId::stored(course.id),
        });
        Ok((person, input.occurred_at.clone(), payload))
    }

    fn validate(&self) -> Result<()> {
        journal::entry_id("course", &self.course)
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        super::records::project_new(conn, entry, self)
    }

    fn content(&self) -> EntryContent {
        EntryContent::TreatmentRequested(TreatmentRequestedContent {
            course: self.course.to_string(),
        })
    }

    super::refers_to_one!(course, CourseOpened);

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO treatment_requests (owner, occurred_at, entry_id, voided, author_worker, course)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            row.owner,
            row.occurred_at,
            row.entry.id,
            row.voided,
            row.entry.author_worker,
            self.course,
        ])?;
        Ok(())
    }
}

//! The handover to the counsellor once treatment has started (`treatment.handed-over`): to whom,
//! whether the plan was handed over, the support agreed for the start, and whether the workers
//! are to be told if the citizen does not show (002 L2197–2202, L2262–2277, L2375–2384). Its
//! row in `treatment_handovers`. Needs a treatment started on the course; voided if recorded by
//! mistake.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::courses::{require_open_course_at, started};
use super::subject::{non_empty, require_person};
use super::{Built, Corrections, EntryContent, Kind, Payload, RecordRow, RecordTable, Referral};
use crate::error::{Error, Result};
use crate::journal::{self, Entry, EntryId, LIMIT_ALIAS, LIMIT_LONG};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TreatmentHandedOver {
    pub course: EntryId,
    /// The counsellor handed over to, by name.
    pub counsellor: String,
    pub plan_handed_over: bool,
    /// The support agreed for the start of treatment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support: Option<String>,
    /// Whether the counsellor tells the workers when the citizen does not show.
    pub notify_no_shows: bool,
}

/// What the timeline shows of a handover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct TreatmentHandedOverContent {
    pub course: String,
    pub counsellor: String,
    pub plan_handed_over: bool,
    pub support: Option<String>,
    pub notify_no_shows: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HandoverInput {
    pub person: String,
    pub course: Option<String>,
    pub counsellor: String,
    pub plan_handed_over: bool,
    pub support: Option<String>,
    pub notify_no_shows: bool,
    pub occurred_at: Option<String>,
}

const TABLE: RecordTable = RecordTable {
    table: "treatment_handovers",
    summary: None,
};

impl Kind for TreatmentHandedOver {
    type Input = HandoverInput;

    const CORRECTIONS: Corrections = Corrections::Void;
    const RECORD: Option<&'static RecordTable> = Some(&TABLE);

    fn build(tx: &Connection, now: DateTime<Utc>, input: &HandoverInput) -> Result<Built> {
        let person = require_person(tx, &input.person)?;
        let course = require_open_course_at(
            tx,
            &person,
            input.course.as_deref(),
            input.occurred_at.as_deref(),
            now,
        )?;
        if !started(tx, &course.id)? {
            return Err(Error::not_allowed(
                "treatment has not started on this course; record the start before the handover",
            ));
        }
        let payload = Payload::TreatmentHandedOver(TreatmentHandedOver {
            course: EntryId::stored(course.id),
            counsellor: journal::name("counsellor", &input.counsellor, LIMIT_ALIAS)?,
            plan_handed_over: input.plan_handed_over,
            support: non_empty(input.support.clone()),
            notify_no_shows: input.notify_no_shows,
        });
        Ok((person, input.occurred_at.clone(), payload))
    }

    fn validate(&self) -> Result<()> {
        journal::entry_id("course", &self.course)?;
        journal::name_rules("counsellor", &self.counsellor, LIMIT_ALIAS)?;
        journal::optional_text("support", self.support.as_deref(), LIMIT_LONG)
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        super::records::project_new(conn, entry, self)
    }

    fn content(&self) -> EntryContent {
        EntryContent::TreatmentHandedOver(TreatmentHandedOverContent {
            course: self.course.to_string(),
            counsellor: self.counsellor.clone(),
            plan_handed_over: self.plan_handed_over,
            support: self.support.clone(),
            notify_no_shows: self.notify_no_shows,
        })
    }

    super::refers_to_one!(course, CourseOpened);

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO treatment_handovers (owner, occurred_at, entry_id, voided, author_worker,
                course, counsellor, plan_handed_over, support, notify_no_shows)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            row.owner,
            row.occurred_at,
            row.entry.id,
            row.voided,
            row.entry.author_worker,
            self.course,
            self.counsellor,
            self.plan_handed_over,
            self.support,
            self.notify_no_shows,
        ])?;
        Ok(())
    }
}

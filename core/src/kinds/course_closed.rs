//! A course closed (`course.closed`): when (the entry's time), why, and for a citizen bridged
//! into treatment where the treatment stood (001 L3334–3354; 002 L2307–2309). Its row in
//! `course_closings`; a course is closed while a closing of it stands (`courses.rs`). Voiding
//! a closing made by mistake opens the course again; a course closed for good is followed by a
//! new one.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::courses::{open_courses, require_open_course_at};
use super::subject::require_person;
use super::{Built, Corrections, EntryContent, Kind, Payload, RecordRow, RecordTable, Referral};
use crate::error::{Error, Result};
use crate::journal::{self, Entry, EntryId};
use crate::vocabulary::{CloseReason, Label, TreatmentStatus};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseClosed {
    /// The course: the id of the entry that opened it.
    pub course: EntryId,
    pub reason: CloseReason,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub treatment_status: Option<TreatmentStatus>,
}

/// What the timeline shows of a course closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct CourseClosedContent {
    pub course: String,
    pub reason: CloseReason,
    pub treatment_status: Option<TreatmentStatus>,
    /// Their words, for the shells' timeline line.
    pub reason_label: Label,
    pub treatment_status_label: Option<Label>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CourseCloseInput {
    pub person: String,
    /// The course, if the person has more than one open (else their open course).
    pub course: Option<String>,
    pub reason: CloseReason,
    /// Only for a course bridged into treatment (ever in the phase `in-treatment`).
    pub treatment_status: Option<TreatmentStatus>,
    /// The day it closed (default now).
    pub occurred_at: Option<String>,
}

const TABLE: RecordTable = RecordTable {
    table: "course_closings",
    summary: None,
};

impl Kind for CourseClosed {
    type Input = CourseCloseInput;

    const CORRECTIONS: Corrections = Corrections::Void;
    const RECORD: Option<&'static RecordTable> = Some(&TABLE);

    fn build(tx: &Connection, now: DateTime<Utc>, input: &CourseCloseInput) -> Result<Built> {
        let person = require_person(tx, &input.person)?;
        let course = require_open_course_at(
            tx,
            &person,
            input.course.as_deref(),
            input.occurred_at.as_deref(),
            now,
        )?;
        if input.treatment_status.is_some() && !course.bridged {
            return Err(Error::invalid(
                "treatment_status",
                "only a course bridged into treatment (ever in the phase in-treatment) has a treatment status",
            ));
        }
        let payload = Payload::CourseClosed(CourseClosed {
            course: EntryId::stored(course.id),
            reason: input.reason,
            treatment_status: input.treatment_status,
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
        EntryContent::CourseClosed(CourseClosedContent {
            course: self.course.to_string(),
            reason: self.reason,
            treatment_status: self.treatment_status,
            reason_label: self.reason.label(),
            treatment_status_label: self.treatment_status.map(TreatmentStatus::label),
        })
    }

    super::refers_to_one!(course, CourseOpened);

    /// Voiding the closing opens the course again: not while the person has another open
    /// course (at most one open course a person).
    fn check_void(&self, tx: &Connection, entry: &Entry) -> Result<()> {
        let person = crate::projection::canonical(tx, &entry.subject)?;
        if open_courses(tx, &person)?
            .iter()
            .any(|c| c.id != self.course.as_str())
        {
            return Err(Error::not_allowed(
                "the person has another open course; close it before opening this one again",
            ));
        }
        Ok(())
    }

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO course_closings (owner, occurred_at, entry_id, voided, author_worker, course,
                reason, treatment_status)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            row.owner,
            row.occurred_at,
            row.entry.id,
            row.voided,
            row.entry.author_worker,
            self.course,
            self.reason.code(),
            self.treatment_status.map(|s| s.code()),
        ])?;
        Ok(())
    }
}

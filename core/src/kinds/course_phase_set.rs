//! A course moved to a phase (`course.phase_set`) by the worker: contact, motivation, bridging
//! into treatment, continued treatment (002 L1073, L1429, L2131, L2155). Its row in
//! `course_phases`; the course's phase is its latest one (`courses.rs`). Voided if set by
//! mistake; never amended (a later phase entry moves it on).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::courses::require_open_course_at;
use super::subject::require_person;
use super::{Built, Corrections, EntryContent, Kind, Payload, RecordRow, RecordTable, Referral};
use crate::error::{Error, Result};
use crate::journal::{self, Entry, EntryId};
use crate::vocabulary::{CoursePhase, Label};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoursePhaseSet {
    /// The course: the id of the entry that opened it.
    pub course: EntryId,
    pub phase: CoursePhase,
}

/// What the timeline shows of a phase set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct CoursePhaseSetContent {
    pub course: String,
    pub phase: CoursePhase,
    /// Its words, for the shells' timeline line.
    pub phase_label: Label,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CoursePhaseInput {
    pub person: String,
    /// The course, if the person has more than one open (else their open course).
    pub course: Option<String>,
    pub phase: CoursePhase,
    pub occurred_at: Option<String>,
}

const TABLE: RecordTable = RecordTable {
    table: "course_phases",
    summary: None,
};

impl Kind for CoursePhaseSet {
    type Input = CoursePhaseInput;

    const CORRECTIONS: Corrections = Corrections::Void;
    const RECORD: Option<&'static RecordTable> = Some(&TABLE);

    fn build(tx: &Connection, now: DateTime<Utc>, input: &CoursePhaseInput) -> Result<Built> {
        let person = require_person(tx, &input.person)?;
        let course = require_open_course_at(
            tx,
            &person,
            input.course.as_deref(),
            input.occurred_at.as_deref(),
            now,
        )?;
        if course.phase == input.phase {
            return Err(Error::invalid(
                "phase",
                "the course is in this phase already",
            ));
        }
        let payload = Payload::CoursePhaseSet(CoursePhaseSet {
            course: EntryId::stored(course.id),
            phase: input.phase,
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
        EntryContent::CoursePhaseSet(CoursePhaseSetContent {
            course: self.course.to_string(),
            phase: self.phase,
            phase_label: self.phase.label(),
        })
    }

    super::refers_to_one!(course, CourseOpened);

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO course_phases (owner, occurred_at, entry_id, voided, author_worker, course, phase)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            row.owner,
            row.occurred_at,
            row.entry.id,
            row.voided,
            row.entry.author_worker,
            self.course,
            self.phase.code(),
        ])?;
        Ok(())
    }
}


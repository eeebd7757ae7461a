//! A bridge to another service beside drug treatment (`service.bridged`): the GP, psychiatry,
//! housing support, a support contact, a caseworker (002 L2232–2260), and how far it has come.
//! Its row in `service_bridges`; each step is an entry of its own in the timeline. Voided if
//! recorded by mistake.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::courses::require_open_course_at;
use super::subject::{non_empty, require_person};
use super::{Built, Corrections, EntryContent, Kind, Payload, RecordRow, RecordTable, Referral};
use crate::error::Result;
use crate::journal::{self, Entry, EntryId, LIMIT_SHORT};
use crate::vocabulary::{BridgeService, BridgeStatus, Label};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceBridged {
    pub course: EntryId,
    pub service: BridgeService,
    pub status: BridgeStatus,
    /// Whom at the service, in a few words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

/// What the timeline shows of a bridge to a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct ServiceBridgedContent {
    pub course: String,
    pub service: BridgeService,
    pub status: BridgeStatus,
    pub contact: Option<String>,
    /// Their words, for the shells' timeline line.
    pub service_label: Label,
    pub status_label: Label,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BridgeInput {
    pub person: String,
    pub course: Option<String>,
    pub service: BridgeService,
    pub status: BridgeStatus,
    pub contact: Option<String>,
    pub occurred_at: Option<String>,
}

const TABLE: RecordTable = RecordTable {
    table: "service_bridges",
    summary: None,
};

impl Kind for ServiceBridged {
    type Input = BridgeInput;

    const CORRECTIONS: Corrections = Corrections::Void;
    const RECORD: Option<&'static RecordTable> = Some(&TABLE);

    fn build(tx: &Connection, now: DateTime<Utc>, input: &BridgeInput) -> Result<Built> {
        let person = require_person(tx, &input.person)?;
        let course = require_open_course_at(
            tx,
            &person,
            input.course.as_deref(),
            input.occurred_at.as_deref(),
            now,
        )?;
        let payload = Payload::ServiceBridged(ServiceBridged {
            course: EntryId::stored(course.id),
            service: input.service,
            status: input.status,
            contact: non_empty(input.contact.clone()),
        });
        Ok((person, input.occurred_at.clone(), payload))
    }

    fn validate(&self) -> Result<()> {
        journal::entry_id("course", &self.course)?;
        journal::optional_text("contact", self.contact.as_deref(), LIMIT_SHORT)
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        super::records::project_new(conn, entry, self)
    }

    fn content(&self) -> EntryContent {
        EntryContent::ServiceBridged(ServiceBridgedContent {
            course: self.course.to_string(),
            service: self.service,
            status: self.status,
            contact: self.contact.clone(),
            service_label: self.service.label(),
            status_label: self.status.label(),
        })
    }

    super::refers_to_one!(course, CourseOpened);

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO service_bridges (owner, occurred_at, entry_id, voided, author_worker,
                course, service, status, contact)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            row.owner,
            row.occurred_at,
            row.entry.id,
            row.voided,
            row.entry.author_worker,
            self.course,
            self.service.code(),
            self.status.code(),
            self.contact,
        ])?;
        Ok(())
    }
}

//! A safety incident (`incident.recorded`; issue 15): threats, violence against a person or
//! against objects, or other, with the citizen it concerns (a person or an unknown citizen), the
//! workers involved, whether the police or the centre were called, what happened, and the
//! contact it broke off (typically one whose outcome was `left-for-safety`). The workers' own
//! safety is the model's concern (002 L2589–2620); the centre counts incidents for the team
//! leader. Its row in `incidents`. Voided if recorded by mistake, never amended.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::subject::{Subject, non_empty, require_contact, subject_or_linked};
use super::{Built, Corrections, EntryContent, Kind, Payload, RecordRow, RecordTable, Referral};
use crate::error::{Error, Result};
use crate::journal::{self, Entry, EntryId, EntryKind, LIMIT_ALIAS, LIMIT_NOTE, LIMIT_SHORT};
use crate::projection::note_unknown;
use crate::vocabulary::{IncidentKind, Label};

/// The most workers one incident names.
pub const MAX_WORKERS: usize = 10;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentRecorded {
    /// An unknown citizen's description, when the incident concerns one met for the first time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unknown: Option<String>,
    pub kind: IncidentKind,
    /// The workers involved besides the author, by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub workers: Vec<String>,
    pub police_called: bool,
    pub centre_called: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The contact the incident broke off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<EntryId>,
}

/// What the timeline shows of an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct IncidentRecordedContent {
    pub unknown: Option<String>,
    pub kind: IncidentKind,
    pub kind_label: Label,
    pub workers: Vec<String>,
    pub police_called: bool,
    pub centre_called: bool,
    pub place: Option<String>,
    pub note: Option<String>,
    pub contact: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct IncidentInput {
    /// Whom it concerns; `None` takes the subject of `contact`.
    pub subject: Option<Subject>,
    pub kind: IncidentKind,
    /// The workers involved besides the author.
    #[uniffi(default)]
    pub workers: Vec<String>,
    pub police_called: bool,
    pub centre_called: bool,
    #[uniffi(default)]
    pub place: Option<String>,
    #[uniffi(default)]
    pub note: Option<String>,
    /// The contact it broke off.
    #[uniffi(default)]
    pub contact: Option<String>,
    #[uniffi(default)]
    pub occurred_at: Option<String>,
}

const TABLE: RecordTable = RecordTable {
    table: "incidents",
    summary: None,
};

impl Kind for IncidentRecorded {
    type Input = IncidentInput;

    const CORRECTIONS: Corrections = Corrections::Void;
    const RECORD: Option<&'static RecordTable> = Some(&TABLE);

    fn build(tx: &Connection, _now: DateTime<Utc>, input: &IncidentInput) -> Result<Built> {
        let contact_subject = match &input.contact {
            Some(id) => Some(require_contact(tx, id)?),
            None => None,
        };
        // An incident at a contact concerns the contact's citizen.
        let (subject, unknown) = subject_or_linked(
            tx,
            input.subject.as_ref(),
            contact_subject.as_deref(),
            "contact",
            "name the person, describe the unknown citizen, or name the contact",
        )?;
        let workers = input
            .workers
            .iter()
            .filter(|w| !w.trim().is_empty())
            .map(|w| {
                let name = journal::name("workers", w, LIMIT_ALIAS)?;
                crate::roster::require_on(tx, "workers", &name)?;
                Ok(name)
            })
            .collect::<Result<Vec<_>>>()?;
        let payload = Payload::IncidentRecorded(IncidentRecorded {
            unknown,
            kind: input.kind,
            workers,
            police_called: input.police_called,
            centre_called: input.centre_called,
            place: non_empty(input.place.clone()),
            note: non_empty(input.note.clone()),
            contact: input.contact.clone().map(EntryId::stored),
        });
        Ok((subject, input.occurred_at.clone(), payload))
    }

    fn validate(&self) -> Result<()> {
        journal::optional_text("unknown", self.unknown.as_deref(), LIMIT_SHORT)?;
        if self.workers.len() > MAX_WORKERS {
            return Err(Error::invalid(
                "workers",
                format!("at most {MAX_WORKERS} workers"),
            ));
        }
        for worker in &self.workers {
            journal::name_rules("workers", worker, LIMIT_ALIAS)?;
        }
        journal::optional_text("place", self.place.as_deref(), LIMIT_SHORT)?;
        journal::optional_text("note", self.note.as_deref(), LIMIT_NOTE)?;
        journal::optional_id("contact", self.contact.as_deref())
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        if let Some(description) = &self.unknown {
            note_unknown(conn, entry, description)?;
        }
        super::records::project_new(conn, entry, self)
    }

    fn content(&self) -> EntryContent {
        EntryContent::IncidentRecorded(IncidentRecordedContent {
            unknown: self.unknown.clone(),
            kind: self.kind,
            kind_label: self.kind.label(),
            workers: self.workers.clone(),
            police_called: self.police_called,
            centre_called: self.centre_called,
            place: self.place.clone(),
            note: self.note.clone(),
            contact: self.contact.as_ref().map(ToString::to_string),
        })
    }

    fn references(&self) -> Vec<(&'static str, &EntryId)> {
        self.contact.iter().map(|id| ("contact", id)).collect()
    }

    fn follow_references(&mut self, follow: &mut dyn FnMut(&mut EntryId)) {
        self.contact.iter_mut().for_each(follow);
    }

    /// A contact with the same citizen.
    fn may_refer_to(&self, _field: &str, r: &Referral<'_>) -> Result<bool> {
        r.of_the_citizen(EntryKind::ContactLogged)
    }

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO incidents (owner, occurred_at, entry_id, voided, author_worker, kind,
                police_called, centre_called, contact)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            row.owner,
            row.occurred_at,
            row.entry.id,
            row.voided,
            row.entry.author_worker,
            self.kind.code(),
            self.police_called,
            self.centre_called,
            self.contact,
        ])?;
        Ok(())
    }

    /// A kind of payload version 2.
    fn schema_version(&self) -> u32 {
        2
    }
}

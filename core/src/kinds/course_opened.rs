//! A course opened for a citizen (`course.opened`): who is responsible for it (a worker or a
//! pair), how the citizen was found, and the citizen's attachment before the effort as the pilot
//! counted it (001 L1389–1464). Its row in `courses` is the course; phases and the closing name
//! it by this entry's id (`courses.rs`). A person has at most one open course: a closed one is
//! followed by a new one, and the history stays.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::courses::open_courses;
use super::subject::require_person;
use super::{
    Built, Correcting, Corrections, EntryContent, Kind, Patch, Payload, RecordRow, RecordTable,
};
use crate::error::{Error, Result};
use crate::journal::{self, Entry, LIMIT_ALIAS};
use crate::vocabulary::{
    FoundVia, Label, ServicesAttachment, SubstitutionAttachment, TreatmentAttachment,
};

/// A course has one responsible worker or a pair.
pub const MAX_RESPONSIBLE: usize = 2;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseOpened {
    /// The workers responsible, by name as enrolled.
    pub responsible: Vec<String>,
    pub found_via: FoundVia,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment_treatment: Option<TreatmentAttachment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment_substitution: Option<SubstitutionAttachment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment_services: Option<ServicesAttachment>,
}

/// What the timeline shows of a course opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct CourseOpenedContent {
    pub responsible: Vec<String>,
    pub found_via: FoundVia,
    /// Its words, for the shells' timeline line.
    pub found_via_label: Label,
    pub attachment_treatment: Option<TreatmentAttachment>,
    pub attachment_substitution: Option<SubstitutionAttachment>,
    pub attachment_services: Option<ServicesAttachment>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CourseInput {
    pub person: String,
    /// The workers responsible; empty means the worker recording it alone.
    pub responsible: Vec<String>,
    pub found_via: FoundVia,
    pub attachment_treatment: Option<TreatmentAttachment>,
    pub attachment_substitution: Option<SubstitutionAttachment>,
    pub attachment_services: Option<ServicesAttachment>,
    pub occurred_at: Option<String>,
}

/// A correction of a course's opening: the responsible workers (the list anew), how the citizen
/// was found, and the attachments before the effort.
#[derive(Debug, Clone, PartialEq, Eq, Default, uniffi::Record)]
pub struct CourseCorrection {
    #[uniffi(default)]
    pub responsible: Option<Vec<String>>,
    #[uniffi(default)]
    pub found_via: Option<FoundVia>,
    #[uniffi(default)]
    pub attachment_treatment: Option<TreatmentAttachment>,
    #[uniffi(default)]
    pub clear_attachment_treatment: bool,
    #[uniffi(default)]
    pub attachment_substitution: Option<SubstitutionAttachment>,
    #[uniffi(default)]
    pub clear_attachment_substitution: bool,
    #[uniffi(default)]
    pub attachment_services: Option<ServicesAttachment>,
    #[uniffi(default)]
    pub clear_attachment_services: bool,
}

impl Correcting for CourseCorrection {
    fn patch(&self) -> serde_json::Map<String, serde_json::Value> {
        let responsible = self
            .responsible
            .as_ref()
            .map(|names| names.iter().map(|n| n.trim().to_string()).collect::<Vec<_>>());
        Patch::default()
            .set("responsible", &responsible)
            .set("found_via", &self.found_via)
            .optional(
                "attachment_treatment",
                &self.attachment_treatment,
                self.clear_attachment_treatment,
            )
            .optional(
                "attachment_substitution",
                &self.attachment_substitution,
                self.clear_attachment_substitution,
            )
            .optional(
                "attachment_services",
                &self.attachment_services,
                self.clear_attachment_services,
            )
            .done()
    }
}

const TABLE: RecordTable = RecordTable {
    table: "courses",
    summary: None,
};

/// The responsible workers as stored: each a name as the journal keeps names, none twice, one
/// or two of them.
fn responsible(names: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    for name in names {
        let name = journal::name("responsible", name, LIMIT_ALIAS)?;
        if !out.contains(&name) {
            out.push(name);
        }
    }
    Ok(out)
}

impl Kind for CourseOpened {
    type Input = CourseInput;

    const CORRECTIONS: Corrections = Corrections::AmendAndVoid;
    const RECORD: Option<&'static RecordTable> = Some(&TABLE);

    fn build(tx: &Connection, _now: DateTime<Utc>, input: &CourseInput) -> Result<Built> {
        let person = require_person(tx, &input.person)?;
        if !open_courses(tx, &person)?.is_empty() {
            return Err(Error::not_allowed(
                "the person has an open course already; close it before opening another",
            ));
        }
        let mut names = input.responsible.clone();
        if names.iter().all(|n| n.trim().is_empty()) {
            // The worker recording it, as this store was made for.
            names = vec![crate::meta::get(tx, crate::meta::WORKER)?.ok_or_else(|| {
                Error::storage("the store names no worker")
            })?];
        }
        let responsible = responsible(&names)?;
        for name in &responsible {
            crate::roster::require_on(tx, "responsible", name)?;
        }
        let payload = Payload::CourseOpened(CourseOpened {
            responsible,
            found_via: input.found_via,
            attachment_treatment: input.attachment_treatment,
            attachment_substitution: input.attachment_substitution,
            attachment_services: input.attachment_services,
        });
        Ok((person, input.occurred_at.clone(), payload))
    }

    fn validate(&self) -> Result<()> {
        if self.responsible.is_empty() || self.responsible.len() > MAX_RESPONSIBLE {
            return Err(Error::invalid(
                "responsible",
                "a course has one responsible worker or a pair",
            ));
        }
        for (i, name) in self.responsible.iter().enumerate() {
            journal::name_rules("responsible", name, LIMIT_ALIAS)?;
            if self.responsible[..i].contains(name) {
                return Err(Error::invalid("responsible", "a worker is named twice"));
            }
        }
        Ok(())
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        super::records::project_new(conn, entry, self)
    }

    fn content(&self) -> EntryContent {
        EntryContent::CourseOpened(CourseOpenedContent {
            responsible: self.responsible.clone(),
            found_via: self.found_via,
            found_via_label: self.found_via.label(),
            attachment_treatment: self.attachment_treatment,
            attachment_substitution: self.attachment_substitution,
            attachment_services: self.attachment_services,
        })
    }

    /// Responsible workers a correction names are on the roster (as when opening).
    fn check_patch(
        &self,
        tx: &Connection,
        patch: &serde_json::Map<String, serde_json::Value>,
        _author: &str,
    ) -> Result<()> {
        if patch.contains_key("responsible") {
            for name in &self.responsible {
                crate::roster::require_on(tx, "responsible", name)?;
            }
        }
        Ok(())
    }

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        let responsible = serde_json::to_string(&self.responsible)
            .map_err(|e| Error::storage(format!("responsible workers: {e}")))?;
        conn.prepare_cached(
            "INSERT INTO courses (owner, occurred_at, entry_id, voided, author_worker, responsible,
                found_via, attachment_treatment, attachment_substitution, attachment_services)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            row.owner,
            row.occurred_at,
            row.entry.id,
            row.voided,
            row.entry.author_worker,
            responsible,
            self.found_via.code(),
            self.attachment_treatment.map(|a| a.code()),
            self.attachment_substitution.map(|a| a.code()),
            self.attachment_services.map(|a| a.code()),
        ])?;
        Ok(())
    }
}

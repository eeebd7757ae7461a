//! An area of the team's geographic mapping (`area.noted`; Bilag 2B, 002 L4057–4104; issue 15):
//! where the target group most often is ("I hvilke områder af byen …", L4068–4070), how much it
//! matters to cover it ("Er der evt. områder, som er mere vigtige at få afdækket end andre?",
//! L4072–4073), and the times of day and week that matter ("Er der evt. tider på døgnet …",
//! L4075–4076; free text, as the template asks it). Team data, not about a citizen: the area is a
//! subject of its own, and every phone of the team has it. Named by its entry's id (places and
//! the coverage do); amended and voided like a record. Its row in `areas`.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::subject::non_empty;
use super::{
    Built, Correcting, Corrections, EntryContent, Kind, Patch, Payload, RecordRow, RecordTable,
};
use crate::error::Result;
use crate::journal::{self, Entry, LIMIT_ALIAS, LIMIT_LONG, LIMIT_SHORT};
use crate::vocabulary::{AreaPriority, Label};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaNoted {
    pub name: String,
    pub priority: AreaPriority,
    /// The times of day and week when it matters to be there, in the team's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An area, as the timeline and the register show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct AreaNotedContent {
    pub name: String,
    pub priority: AreaPriority,
    pub priority_label: Label,
    pub times: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AreaInput {
    pub name: String,
    pub priority: AreaPriority,
    #[uniffi(default)]
    pub times: Option<String>,
    #[uniffi(default)]
    pub note: Option<String>,
    #[uniffi(default)]
    pub occurred_at: Option<String>,
}

/// A correction of an area: its name, priority, times or note.
#[derive(Debug, Clone, PartialEq, Eq, Default, uniffi::Record)]
pub struct AreaCorrection {
    #[uniffi(default)]
    pub name: Option<String>,
    #[uniffi(default)]
    pub priority: Option<AreaPriority>,
    #[uniffi(default)]
    pub times: Option<String>,
    #[uniffi(default)]
    pub clear_times: bool,
    #[uniffi(default)]
    pub note: Option<String>,
    #[uniffi(default)]
    pub clear_note: bool,
}

impl Correcting for AreaCorrection {
    fn patch(&self) -> serde_json::Map<String, serde_json::Value> {
        let trim = |t: &Option<String>| t.as_ref().map(|t| t.trim().to_string());
        Patch::default()
            .set("name", &trim(&self.name))
            .set("priority", &self.priority)
            .optional("times", &trim(&self.times), self.clear_times)
            .optional("note", &trim(&self.note), self.clear_note)
            .done()
    }
}

const TABLE: RecordTable = RecordTable {
    table: "areas",
    summary: None,
};

impl Kind for AreaNoted {
    type Input = AreaInput;

    const CORRECTIONS: Corrections = Corrections::AmendAndVoid;
    const RECORD: Option<&'static RecordTable> = Some(&TABLE);

    fn build(_tx: &Connection, _now: DateTime<Utc>, input: &AreaInput) -> Result<Built> {
        let payload = Payload::AreaNoted(AreaNoted {
            name: journal::name("name", &input.name, LIMIT_ALIAS)?,
            priority: input.priority,
            times: non_empty(input.times.clone()),
            note: non_empty(input.note.clone()),
        });
        Ok((journal::new_id(), input.occurred_at.clone(), payload))
    }

    fn validate(&self) -> Result<()> {
        journal::name_rules("name", &self.name, LIMIT_ALIAS)?;
        journal::optional_text("times", self.times.as_deref(), LIMIT_SHORT)?;
        journal::optional_text("note", self.note.as_deref(), LIMIT_LONG)
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        super::records::project_new(conn, entry, self)
    }

    fn content(&self) -> EntryContent {
        EntryContent::AreaNoted(self.view())
    }

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO areas (owner, occurred_at, entry_id, voided, author_worker, name, priority)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            row.owner,
            row.occurred_at,
            row.entry.id,
            row.voided,
            row.entry.author_worker,
            self.name,
            self.priority.code(),
        ])?;
        Ok(())
    }

    /// A kind of payload version 3.
    fn schema_version(&self) -> u32 {
        3
    }
}

impl AreaNoted {
    pub(crate) fn view(&self) -> AreaNotedContent {
        AreaNotedContent {
            name: self.name.clone(),
            priority: self.priority,
            priority_label: self.priority.label(),
            times: self.times.clone(),
            note: self.note.clone(),
        }
    }
}

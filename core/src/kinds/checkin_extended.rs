//! A check-in extended (`checkin.extended`; issue 15): the worker needs more time, and the
//! check-in falls due `minutes` after the extension instead. Only the worker extends their own
//! check-in, and only while it is open; the latest extension sets the due time (`checkins.rs`).
//! An extension the centre receives after an end changes nothing there. Never amended or voided.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::checkins::{self, due_after};
use super::{Built, Corrections, EntryContent, Kind, Payload, RecordRow, RecordTable, Referral};
use crate::error::Result;
use crate::journal::{self, Entry, EntryId};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckinExtended {
    /// The check-in: the id of the entry that started it.
    pub checkin: EntryId,
    /// The check-in falls due this many minutes after the extension.
    pub minutes: u32,
}

/// What the timeline shows of an extension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct CheckinExtendedContent {
    pub checkin: String,
    pub minutes: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CheckinExtensionInput {
    /// The check-in (its id, or the short code); `None` is the worker's open check-in.
    #[uniffi(default)]
    pub checkin: Option<String>,
    pub minutes: u32,
    #[uniffi(default)]
    pub occurred_at: Option<String>,
}

const TABLE: RecordTable = RecordTable {
    table: "checkin_extensions",
    summary: None,
};

impl Kind for CheckinExtended {
    type Input = CheckinExtensionInput;

    const CORRECTIONS: Corrections = Corrections::None;
    const RECORD: Option<&'static RecordTable> = Some(&TABLE);
    const WATCHED: bool = true;

    fn build(tx: &Connection, _now: DateTime<Utc>, input: &CheckinExtensionInput) -> Result<Built> {
        checkins::minutes("minutes", input.minutes)?;
        let checkin = checkins::own_open(tx, input.checkin.as_deref())?;
        let payload = Payload::CheckinExtended(CheckinExtended {
            checkin: EntryId::stored(checkin.id),
            minutes: input.minutes,
        });
        Ok((checkin.subject, input.occurred_at.clone(), payload))
    }

    fn validate(&self) -> Result<()> {
        journal::entry_id("checkin", &self.checkin)?;
        checkins::minutes("minutes", self.minutes)
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        super::records::project_new(conn, entry, self)
    }

    fn content(&self) -> EntryContent {
        EntryContent::CheckinExtended(CheckinExtendedContent {
            checkin: self.checkin.to_string(),
            minutes: self.minutes,
        })
    }

    super::refers_to_one!(checkin);

    /// The check-in it extends, started by the same worker.
    fn may_refer_to(&self, _field: &str, r: &Referral<'_>) -> Result<bool> {
        Ok(r.of_the_citizen(crate::journal::EntryKind::CheckinStarted)?
            && r.referenced.author_worker == r.entry.author_worker)
    }

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO checkin_extensions (owner, occurred_at, entry_id, voided, author_worker,
                checkin, minutes, due_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            row.owner,
            row.occurred_at,
            row.entry.id,
            row.voided,
            row.entry.author_worker,
            self.checkin,
            self.minutes,
            due_after(row.occurred_at, self.minutes)?,
        ])?;
        Ok(())
    }

    fn watched(&self) -> Option<checkins::Watched> {
        Some(checkins::Watched::Extended {
            checkin: self.checkin.to_string(),
            minutes: self.minutes,
        })
    }

    fn schema_version(&self) -> u32 {
        2
    }
}

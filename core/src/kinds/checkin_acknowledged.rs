//! A colleague's overdue check-in acknowledged (`checkin.acknowledged`; issue 15): "I take
//! charge". The watcher, or any worker of the team the escalation has reached, acknowledges on
//! their phone; the entry goes to the centre at once, where the first acknowledgement stops the
//! escalation and is recorded as taking charge (the team leader acknowledges at the centre
//! itself). Not the worker's own check-in. Never amended or voided.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::checkins;
use super::{Built, Corrections, EntryContent, Kind, Payload, RecordRow, RecordTable, Referral};
use crate::error::{Error, Result};
use crate::journal::{self, Entry, EntryId};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckinAcknowledged {
    /// The check-in: the id of the entry that started it.
    pub checkin: EntryId,
}

/// What the timeline shows of an acknowledgement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct CheckinAcknowledgedContent {
    pub checkin: String,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CheckinAcknowledgementInput {
    /// The check-in (its id, or its short code).
    pub checkin: String,
    #[uniffi(default)]
    pub occurred_at: Option<String>,
}

const TABLE: RecordTable = RecordTable {
    table: "checkin_acknowledgements",
    summary: None,
};

impl Kind for CheckinAcknowledged {
    type Input = CheckinAcknowledgementInput;

    const CORRECTIONS: Corrections = Corrections::None;
    const RECORD: Option<&'static RecordTable> = Some(&TABLE);
    const WATCHED: bool = true;

    fn build(
        tx: &Connection,
        _now: DateTime<Utc>,
        input: &CheckinAcknowledgementInput,
    ) -> Result<Built> {
        let checkin = checkins::find(tx, &input.checkin)?;
        let me = checkins::own_worker(tx)?;
        if checkin.worker == me {
            return Err(Error::not_allowed(
                "your own check-in: extend it or end it",
            ));
        }
        if checkin.acknowledged_by.contains(&me) {
            return Err(Error::not_allowed("you have already acknowledged it"));
        }
        let payload = Payload::CheckinAcknowledged(CheckinAcknowledged {
            checkin: EntryId::stored(checkin.id),
        });
        Ok((checkin.subject, input.occurred_at.clone(), payload))
    }

    fn validate(&self) -> Result<()> {
        journal::entry_id("checkin", &self.checkin)
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        super::records::project_new(conn, entry, self)
    }

    fn content(&self) -> EntryContent {
        EntryContent::CheckinAcknowledged(CheckinAcknowledgedContent {
            checkin: self.checkin.to_string(),
        })
    }

    super::refers_to_one!(checkin);

    /// A colleague's check-in.
    fn may_refer_to(&self, _field: &str, r: &Referral<'_>) -> Result<bool> {
        Ok(r.of_the_citizen(crate::journal::EntryKind::CheckinStarted)?
            && r.referenced.author_worker != r.entry.author_worker)
    }

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO checkin_acknowledgements (owner, occurred_at, entry_id, voided,
                author_worker, checkin)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            row.owner,
            row.occurred_at,
            row.entry.id,
            row.voided,
            row.entry.author_worker,
            self.checkin,
        ])?;
        Ok(())
    }

    fn watched(&self) -> Option<checkins::Watched> {
        Some(checkins::Watched::Acknowledged {
            checkin: self.checkin.to_string(),
        })
    }

    fn schema_version(&self) -> u32 {
        2
    }
}

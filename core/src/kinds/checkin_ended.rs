//! A check-in ended (`checkin.ended`; issue 15): the worker is out ("når borgerens hjem
//! forlades", 002 L2616–2617). The worker ends their own check-in, with their code when codes
//! are set; the duress code ends it the same way on the phone while the entry tells the centre to
//! raise the alarm at once (`duress`, which no screen of this phone shows). When the worker's
//! phone has no data they send the watcher an SMS, and the watcher records the end on their
//! behalf (`on_behalf`). The first end counts (`checkins.rs`). Never amended or voided.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::checkins::{self, CodeMeaning};
use super::{Built, Corrections, EntryContent, Kind, Payload, RecordRow, RecordTable, Referral};
use crate::error::{Error, Result};
use crate::journal::{self, Entry, EntryId};

fn is_false(b: &bool) -> bool {
    !b
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckinEnded {
    /// The check-in: the id of the entry that started it.
    pub checkin: EntryId,
    /// Ended with the duress code: the centre escalates at once, silently.
    #[serde(default, skip_serializing_if = "is_false")]
    pub duress: bool,
    /// Recorded by the watcher on the worker's behalf (after the worker's SMS).
    #[serde(default, skip_serializing_if = "is_false")]
    pub on_behalf: bool,
}

/// What the timeline shows of an end: never whether the duress code was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct CheckinEndedContent {
    pub checkin: String,
    pub on_behalf: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CheckinEndInput {
    /// The check-in (its id, or the short code its SMS gives); `None` is the worker's own open
    /// check-in.
    #[uniffi(default)]
    pub checkin: Option<String>,
    /// The worker's code, when codes are set (the duress code raises the alarm silently).
    #[uniffi(default)]
    pub code: Option<String>,
    /// The watcher reports the end on the worker's behalf.
    #[uniffi(default)]
    pub on_behalf: bool,
    #[uniffi(default)]
    pub occurred_at: Option<String>,
}

const TABLE: RecordTable = RecordTable {
    table: "checkin_ends",
    summary: None,
};

impl Kind for CheckinEnded {
    type Input = CheckinEndInput;

    const CORRECTIONS: Corrections = Corrections::None;
    const RECORD: Option<&'static RecordTable> = Some(&TABLE);
    const WATCHED: bool = true;

    fn build(tx: &Connection, _now: DateTime<Utc>, input: &CheckinEndInput) -> Result<Built> {
        let (checkin, duress) = if input.on_behalf {
            let named = input.checkin.as_deref().ok_or_else(|| {
                Error::invalid("checkin", "name the check-in (the code in the worker's SMS)")
            })?;
            let checkin = checkins::find(tx, named)?;
            if checkins::own_worker(tx)? != checkin.watcher {
                return Err(Error::not_allowed(format!(
                    "only the watcher, {}, reports an end on the worker's behalf",
                    checkin.watcher
                )));
            }
            checkins::require_open(&checkin)?;
            (checkin, false)
        } else {
            let checkin = checkins::own_open(tx, input.checkin.as_deref())?;
            let meaning = checkins::meaning(tx, input.code.as_deref())?;
            (checkin, meaning == CodeMeaning::Duress)
        };
        let payload = Payload::CheckinEnded(CheckinEnded {
            checkin: EntryId::stored(checkin.id),
            duress,
            on_behalf: input.on_behalf,
        });
        Ok((checkin.subject, input.occurred_at.clone(), payload))
    }

    fn validate(&self) -> Result<()> {
        journal::entry_id("checkin", &self.checkin)?;
        if self.duress && self.on_behalf {
            return Err(Error::invalid(
                "duress",
                "only the worker gives the duress code",
            ));
        }
        Ok(())
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        super::records::project_new(conn, entry, self)
    }

    fn content(&self) -> EntryContent {
        EntryContent::CheckinEnded(CheckinEndedContent {
            checkin: self.checkin.to_string(),
            on_behalf: self.on_behalf,
        })
    }

    super::refers_to_one!(checkin);

    /// The check-in it ends: the worker's own, or, on their behalf, the one the author watches.
    fn may_refer_to(&self, _field: &str, r: &Referral<'_>) -> Result<bool> {
        if !r.of_the_citizen(crate::journal::EntryKind::CheckinStarted)? {
            return Ok(false);
        }
        Ok(if self.on_behalf {
            checkins::watcher_of(r.referenced).as_deref() == Some(r.entry.author_worker.as_str())
        } else {
            r.referenced.author_worker == r.entry.author_worker
        })
    }

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO checkin_ends (owner, occurred_at, entry_id, voided, author_worker,
                checkin, duress, on_behalf)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            row.owner,
            row.occurred_at,
            row.entry.id,
            row.voided,
            row.entry.author_worker,
            self.checkin,
            self.duress,
            self.on_behalf,
        ])?;
        Ok(())
    }

    /// Shown without the duress code: the phone may be in other hands when it is looked at.
    fn shown_json(&self) -> Option<String> {
        self.duress.then(|| {
            serde_json::to_string(&CheckinEnded {
                duress: false,
                ..self.clone()
            })
            .expect("a payload serialises")
        })
    }

    fn watched(&self) -> Option<checkins::Watched> {
        Some(checkins::Watched::Ended {
            checkin: self.checkin.to_string(),
            duress: self.duress,
            on_behalf: self.on_behalf,
        })
    }

    fn schema_version(&self) -> u32 {
        2
    }
}

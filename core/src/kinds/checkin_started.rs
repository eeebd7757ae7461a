//! A check-in started (`checkin.started`; issue 15): before a home visit alone or an approach
//! after a high Brøset score, the worker names the place, the colleague who watches (a worker of
//! the roster, not themselves) and how many minutes it runs. The check-in is a subject of its
//! own (a new id, like an unknown citizen's): its extensions, end and acknowledgements are kept
//! under it, and the centre's timer watches it (`checkins.rs`). A check-in naming a person whose
//! latest Brøset check, within 24 hours, is high is high-risk: the centre escalates it with no
//! grace period. Never amended or voided: the record of who was where stays as it was.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::checkins::{self, due_after};
use super::subject::{non_empty, require_person};
use super::{Built, Corrections, EntryContent, Kind, Payload, RecordRow, RecordTable};
use crate::error::{Error, Result};
use crate::ids::SubjectId;
use crate::journal::{self, Entry, LIMIT_ALIAS, LIMIT_SHORT};
use crate::vocabulary::{CheckinReason, Label, RiskBand};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckinStarted {
    /// The colleague who watches, by name as on the roster.
    pub watcher: String,
    pub place: String,
    pub reason: CheckinReason,
    pub minutes: u32,
    pub high_risk: bool,
    /// The person visited or approached, if known by name (their id, as on the persons list;
    /// not a reference the centre follows: it decides nothing there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<SubjectId>,
}

/// What the timeline shows of a check-in started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct CheckinStartedContent {
    pub watcher: String,
    pub place: String,
    pub reason: CheckinReason,
    pub reason_label: Label,
    pub minutes: u32,
    pub high_risk: bool,
    pub person: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CheckinInput {
    pub place: String,
    pub watcher: String,
    pub minutes: u32,
    pub reason: CheckinReason,
    /// The person visited or approached; their latest Brøset check decides "high-risk".
    #[uniffi(default)]
    pub person: Option<String>,
    /// High-risk whatever the person's checks say (an unknown citizen checked high).
    #[uniffi(default)]
    pub high_risk: bool,
    #[uniffi(default)]
    pub occurred_at: Option<String>,
}

const TABLE: RecordTable = RecordTable {
    table: "checkins",
    summary: None,
};

/// Whether the person's latest Brøset check, current at `at` (within the hours a check counts,
/// `instruments::RISK_VALID_HOURS`), is high.
fn checked_high(tx: &Connection, person: &str, at: DateTime<Utc>) -> Result<bool> {
    let since = journal::format_timestamp(at - Duration::hours(crate::instruments::RISK_VALID_HOURS));
    let band: Option<String> = tx
        .prepare_cached(
            "SELECT band FROM risk_checks WHERE owner = ?1 AND NOT voided AND occurred_at >= ?2
             ORDER BY occurred_at DESC, entry_id DESC LIMIT 1",
        )?
        .query_row(params![person, since], |r| r.get(0))
        .optional()?;
    Ok(band.as_deref() == Some(RiskBand::High.code()))
}

impl Kind for CheckinStarted {
    type Input = CheckinInput;

    const CORRECTIONS: Corrections = Corrections::None;
    const RECORD: Option<&'static RecordTable> = Some(&TABLE);
    const WATCHED: bool = true;

    fn build(tx: &Connection, now: DateTime<Utc>, input: &CheckinInput) -> Result<Built> {
        let me = checkins::own_worker(tx)?;
        let watcher = journal::name("watcher", &input.watcher, LIMIT_ALIAS)?;
        if watcher == me {
            return Err(Error::invalid(
                "watcher",
                "a colleague watches your check-in, not you",
            ));
        }
        crate::roster::require_on(tx, "watcher", &watcher)?;
        checkins::minutes("minutes", input.minutes)?;
        let place = non_empty(Some(input.place.clone()))
            .ok_or_else(|| Error::invalid("place", "say where you are going"))?;
        if let Some(open) = checkins::open_of(tx, &me)?.first() {
            return Err(Error::not_allowed(format!(
                "your check-in at {} is still open; end it first",
                open.place
            )));
        }
        let at = journal::stated_time("occurred_at", input.occurred_at.as_deref(), now)?;
        let at = DateTime::parse_from_rfc3339(&at)
            .map_err(|_| Error::invalid("occurred_at", "not a time"))?
            .with_timezone(&Utc);
        let person = match &input.person {
            Some(id) => Some(require_person(tx, id)?),
            None => None,
        };
        let high_risk = input.high_risk
            || match &person {
                Some(p) => checked_high(tx, p, at)?,
                None => false,
            };
        let payload = Payload::CheckinStarted(CheckinStarted {
            watcher,
            place,
            reason: input.reason,
            minutes: input.minutes,
            high_risk,
            person: person.map(SubjectId::stored),
        });
        Ok((journal::new_id(), input.occurred_at.clone(), payload))
    }

    fn validate(&self) -> Result<()> {
        journal::name_rules("watcher", &self.watcher, LIMIT_ALIAS)?;
        journal::required_text("place", &self.place, LIMIT_SHORT)?;
        checkins::minutes("minutes", self.minutes)?;
        journal::optional_id("person", self.person.as_deref())
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        super::records::project_new(conn, entry, self)
    }

    fn content(&self) -> EntryContent {
        EntryContent::CheckinStarted(CheckinStartedContent {
            watcher: self.watcher.clone(),
            place: self.place.clone(),
            reason: self.reason,
            reason_label: self.reason.label(),
            minutes: self.minutes,
            high_risk: self.high_risk,
            person: self.person.as_ref().map(ToString::to_string),
        })
    }

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO checkins (owner, occurred_at, entry_id, voided, author_worker, watcher,
                place, person, reason, minutes, due_at, high_risk)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?
        .execute(params![
            row.owner,
            row.occurred_at,
            row.entry.id,
            row.voided,
            row.entry.author_worker,
            self.watcher,
            self.place,
            self.person,
            self.reason.code(),
            self.minutes,
            due_after(row.occurred_at, self.minutes)?,
            self.high_risk,
        ])?;
        Ok(())
    }

    /// A kind of payload version 2.
    fn watched(&self) -> Option<checkins::Watched> {
        Some(checkins::Watched::Started {
            watcher: self.watcher.clone(),
            place: self.place.clone(),
            minutes: self.minutes,
            high_risk: self.high_risk,
        })
    }

    fn schema_version(&self) -> u32 {
        2
    }
}

//! A round of the team's route plan (`round.planned`; issue 15): an ordered list of places of the
//! register walked on a weekday at a time, every week. Bilag 2B asks that the mapping be used
//! "til planlægning af ruter samt til at kontrollere, at alle udvalgte områder afdækkes" (002
//! L4047–4049), and the seeds describe a fixed route and weekdays (001 L2119–2121, L2142–2161)
//! and a plan for "hvor og hvornår" (002 L2874–2879). The coverage it feeds is in `places.rs`.
//! Team data; amended (another day, another order) and voided like a record. Its row in
//! `rounds`, the places as a JSON list in order.

use chrono::{DateTime, NaiveTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::places::require_place;
use super::subject::non_empty;
use super::{
    Built, Correcting, Corrections, EntryContent, Kind, Patch, Payload, RecordRow, RecordTable,
    Referral,
};
use crate::error::{Error, Result};
use crate::journal::{self, Entry, EntryId, LIMIT_ALIAS, LIMIT_LONG};
use crate::vocabulary::{Label, Weekday};

/// The most places one round visits.
pub const MAX_PLACES: usize = 40;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundPlanned {
    pub name: String,
    pub weekday: Weekday,
    /// When it starts, "HH:MM" in the team's time zone.
    pub time: String,
    /// The places in the order walked: the ids of the entries that noted them.
    pub places: Vec<EntryId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A round, as the timeline shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct RoundPlannedContent {
    pub name: String,
    pub weekday: Weekday,
    pub weekday_label: Label,
    pub time: String,
    pub places: Vec<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RoundInput {
    pub name: String,
    pub weekday: Weekday,
    /// "HH:MM".
    pub time: String,
    /// The places in order (ids of the register's entries).
    pub places: Vec<String>,
    #[uniffi(default)]
    pub note: Option<String>,
    #[uniffi(default)]
    pub occurred_at: Option<String>,
}

/// A correction of a round: its name, day, time, places (the whole list, in order) or note.
#[derive(Debug, Clone, PartialEq, Eq, Default, uniffi::Record)]
pub struct RoundCorrection {
    #[uniffi(default)]
    pub name: Option<String>,
    #[uniffi(default)]
    pub weekday: Option<Weekday>,
    #[uniffi(default)]
    pub time: Option<String>,
    #[uniffi(default)]
    pub places: Option<Vec<String>>,
    #[uniffi(default)]
    pub note: Option<String>,
    #[uniffi(default)]
    pub clear_note: bool,
}

impl Correcting for RoundCorrection {
    fn patch(&self) -> serde_json::Map<String, serde_json::Value> {
        let trim = |t: &Option<String>| t.as_ref().map(|t| t.trim().to_string());
        Patch::default()
            .set("name", &trim(&self.name))
            .set("weekday", &self.weekday)
            .set("time", &trim(&self.time))
            .set("places", &self.places)
            .optional("note", &trim(&self.note), self.clear_note)
            .done()
    }
}

const TABLE: RecordTable = RecordTable {
    table: "rounds",
    summary: None,
};

/// "HH:MM", a time of day.
fn check_time(time: &str) -> Result<()> {
    if time.len() == 5 && NaiveTime::parse_from_str(time, "%H:%M").is_ok() {
        Ok(())
    } else {
        Err(Error::invalid("time", "a time of day as HH:MM, e.g. 09:30"))
    }
}

impl Kind for RoundPlanned {
    type Input = RoundInput;

    const CORRECTIONS: Corrections = Corrections::AmendAndVoid;
    const RECORD: Option<&'static RecordTable> = Some(&TABLE);

    fn build(tx: &Connection, _now: DateTime<Utc>, input: &RoundInput) -> Result<Built> {
        let places = input
            .places
            .iter()
            .map(|p| Ok(EntryId::stored(require_place(tx, p.trim())?.id)))
            .collect::<Result<Vec<_>>>()?;
        let payload = Payload::RoundPlanned(RoundPlanned {
            name: journal::name("name", &input.name, LIMIT_ALIAS)?,
            weekday: input.weekday,
            time: input.time.trim().to_string(),
            places,
            note: non_empty(input.note.clone()),
        });
        Ok((journal::new_id(), input.occurred_at.clone(), payload))
    }

    fn validate(&self) -> Result<()> {
        journal::name_rules("name", &self.name, LIMIT_ALIAS)?;
        check_time(&self.time)?;
        if self.places.is_empty() || self.places.len() > MAX_PLACES {
            return Err(Error::invalid(
                "places",
                format!("between 1 and {MAX_PLACES} places of the register"),
            ));
        }
        for place in &self.places {
            journal::entry_id("places", place)?;
        }
        journal::optional_text("note", self.note.as_deref(), LIMIT_LONG)
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        super::records::project_new(conn, entry, self)
    }

    fn content(&self) -> EntryContent {
        EntryContent::RoundPlanned(RoundPlannedContent {
            name: self.name.clone(),
            weekday: self.weekday,
            weekday_label: self.weekday.label(),
            time: self.time.clone(),
            places: self.places.iter().map(ToString::to_string).collect(),
            note: self.note.clone(),
        })
    }

    fn references(&self) -> Vec<(&'static str, &EntryId)> {
        self.places.iter().map(|id| ("places", id)).collect()
    }

    fn follow_references(&mut self, follow: &mut dyn FnMut(&mut EntryId)) {
        self.places.iter_mut().for_each(follow);
    }

    /// Places of the register.
    fn may_refer_to(&self, _field: &str, r: &Referral<'_>) -> Result<bool> {
        Ok(r.referenced.kind == crate::journal::EntryKind::PlaceNoted)
    }

    /// The places a correction lists must stand.
    fn check_amended(&self, tx: &Connection) -> Result<()> {
        for place in &self.places {
            require_place(tx, place)?;
        }
        Ok(())
    }

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO rounds (owner, occurred_at, entry_id, voided, author_worker, name, weekday,
                time, places)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            row.owner,
            row.occurred_at,
            row.entry.id,
            row.voided,
            row.entry.author_worker,
            self.name,
            self.weekday.code(),
            self.time,
            serde_json::to_string(&self.places).expect("ids serialise"),
        ])?;
        Ok(())
    }

    /// A kind of payload version 3.
    fn schema_version(&self) -> u32 {
        3
    }
}

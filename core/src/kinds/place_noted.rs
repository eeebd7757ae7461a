//! A place of the team's register (`place.noted`; Bilag 2B, 002 L4083–4091; issue 15): the
//! central places where the target group stays ("Er der centrale opholdssteder (fx væresteder,
//! forsorgshjem eller stofindtagelsesrum) …", L4083–4086), with its kind, its area, an address or
//! a point, notes for the workers, and its **visit rule**: open, not to be visited unannounced,
//! or only when called ("opholdssteder, der ikke må besøges uanmeldt, men når de bliver
//! tilkaldt", L4088–4091), with whom calls. Team data, not about a citizen: the place is a
//! subject of its own and every phone of the team has it. A contact may name it (`place_id`),
//! and is then warned if the rule is not kept (`contact_logged.rs`). Named by its entry's id;
//! amended and voided like a record. Its row in `places`.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::places::require_area;
use super::subject::non_empty;
use super::{
    Built, Correcting, Corrections, EntryContent, Kind, Patch, Payload, RecordRow, RecordTable,
    Referral,
};
use crate::error::{Error, Result};
use crate::journal::{self, Entry, EntryId, LIMIT_ALIAS, LIMIT_LONG, LIMIT_SHORT};
use crate::vocabulary::{Label, PlaceKind, VisitRule};

/// A coordinate in degrees (WGS 84), a number that is never NaN (the rules refuse it), so records
/// holding one compare exactly; a plain number to the shells.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Degrees(pub f64);

impl Eq for Degrees {}

uniffi::custom_type!(Degrees, f64, {
    lower: |d| d.0,
    try_lift: |f| Ok(Degrees(f)),
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceNoted {
    pub name: String,
    pub kind: PlaceKind,
    /// The area it lies in: the id of the entry that noted the area.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<EntryId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<Degrees>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<Degrees>,
    pub rule: VisitRule,
    /// Who calls the workers (or whom they call first), for a place visited only when called
    /// or only announced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<String>,
    /// What the workers should know before going there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A place, as the timeline shows it (the point as text: the shells' records compare exactly).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct PlaceNotedContent {
    pub name: String,
    pub kind: PlaceKind,
    pub kind_label: Label,
    pub area: Option<String>,
    pub address: Option<String>,
    /// "55.671200, 12.552100", if a point is given.
    pub point: Option<String>,
    pub rule: VisitRule,
    pub rule_label: Label,
    pub call: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PlaceInput {
    pub name: String,
    pub kind: PlaceKind,
    pub rule: VisitRule,
    /// The area (the id of its entry).
    #[uniffi(default)]
    pub area: Option<String>,
    #[uniffi(default)]
    pub address: Option<String>,
    #[uniffi(default)]
    pub latitude: Option<Degrees>,
    #[uniffi(default)]
    pub longitude: Option<Degrees>,
    #[uniffi(default)]
    pub call: Option<String>,
    #[uniffi(default)]
    pub note: Option<String>,
    #[uniffi(default)]
    pub occurred_at: Option<String>,
}

/// A correction of a place: any of its fields; `clear_*` removes an optional one.
#[derive(Debug, Clone, PartialEq, Eq, Default, uniffi::Record)]
pub struct PlaceCorrection {
    #[uniffi(default)]
    pub name: Option<String>,
    #[uniffi(default)]
    pub kind: Option<PlaceKind>,
    #[uniffi(default)]
    pub rule: Option<VisitRule>,
    #[uniffi(default)]
    pub area: Option<String>,
    #[uniffi(default)]
    pub clear_area: bool,
    #[uniffi(default)]
    pub address: Option<String>,
    #[uniffi(default)]
    pub clear_address: bool,
    #[uniffi(default)]
    pub latitude: Option<Degrees>,
    #[uniffi(default)]
    pub longitude: Option<Degrees>,
    #[uniffi(default)]
    pub clear_point: bool,
    #[uniffi(default)]
    pub call: Option<String>,
    #[uniffi(default)]
    pub clear_call: bool,
    #[uniffi(default)]
    pub note: Option<String>,
    #[uniffi(default)]
    pub clear_note: bool,
}

impl Correcting for PlaceCorrection {
    fn patch(&self) -> serde_json::Map<String, serde_json::Value> {
        let trim = |t: &Option<String>| t.as_ref().map(|t| t.trim().to_string());
        Patch::default()
            .set("name", &trim(&self.name))
            .set("kind", &self.kind)
            .set("rule", &self.rule)
            .optional("area", &trim(&self.area), self.clear_area)
            .optional("address", &trim(&self.address), self.clear_address)
            .optional("latitude", &self.latitude, self.clear_point)
            .optional("longitude", &self.longitude, self.clear_point)
            .optional("call", &trim(&self.call), self.clear_call)
            .optional("note", &trim(&self.note), self.clear_note)
            .done()
    }

    fn check(&self) -> Result<()> {
        if self.clear_point && (self.latitude.is_some() || self.longitude.is_some()) {
            return Err(Error::invalid(
                "clear_point",
                "give a point or clear it, not both",
            ));
        }
        Ok(())
    }
}

const TABLE: RecordTable = RecordTable {
    table: "places",
    summary: None,
};

/// A point on Earth: both coordinates or neither, each in its range.
fn check_point(latitude: Option<Degrees>, longitude: Option<Degrees>) -> Result<()> {
    match (latitude.map(|d| d.0), longitude.map(|d| d.0)) {
        (None, None) => Ok(()),
        (Some(lat), Some(lon))
            if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) =>
        {
            Ok(())
        }
        (Some(_), Some(_)) => Err(Error::invalid(
            "latitude",
            "latitude between -90 and 90, longitude between -180 and 180",
        )),
        _ => Err(Error::invalid(
            "latitude",
            "give both latitude and longitude, or neither",
        )),
    }
}

impl Kind for PlaceNoted {
    type Input = PlaceInput;

    const CORRECTIONS: Corrections = Corrections::AmendAndVoid;
    const RECORD: Option<&'static RecordTable> = Some(&TABLE);

    fn build(tx: &Connection, _now: DateTime<Utc>, input: &PlaceInput) -> Result<Built> {
        let area = match non_empty(input.area.clone()) {
            Some(area) => Some(EntryId::stored(require_area(tx, &area)?.id)),
            None => None,
        };
        let payload = Payload::PlaceNoted(PlaceNoted {
            name: journal::name("name", &input.name, LIMIT_ALIAS)?,
            kind: input.kind,
            area,
            address: non_empty(input.address.clone()),
            latitude: input.latitude,
            longitude: input.longitude,
            rule: input.rule,
            call: non_empty(input.call.clone()),
            note: non_empty(input.note.clone()),
        });
        Ok((journal::new_id(), input.occurred_at.clone(), payload))
    }

    fn validate(&self) -> Result<()> {
        journal::name_rules("name", &self.name, LIMIT_ALIAS)?;
        journal::optional_id("area", self.area.as_deref())?;
        journal::optional_text("address", self.address.as_deref(), LIMIT_SHORT)?;
        check_point(self.latitude, self.longitude)?;
        journal::optional_text("call", self.call.as_deref(), LIMIT_SHORT)?;
        journal::optional_text("note", self.note.as_deref(), LIMIT_LONG)
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        super::records::project_new(conn, entry, self)
    }

    fn content(&self) -> EntryContent {
        EntryContent::PlaceNoted(self.view())
    }

    fn references(&self) -> Vec<(&'static str, &EntryId)> {
        self.area.iter().map(|id| ("area", id)).collect()
    }

    fn follow_references(&mut self, follow: &mut dyn FnMut(&mut EntryId)) {
        self.area.iter_mut().for_each(follow);
    }

    /// An area of the team's mapping.
    fn may_refer_to(&self, _field: &str, r: &Referral<'_>) -> Result<bool> {
        Ok(r.referenced.kind == crate::journal::EntryKind::AreaNoted)
    }

    /// An area a correction names must stand.
    fn check_amended(&self, tx: &Connection) -> Result<()> {
        if let Some(area) = &self.area {
            require_area(tx, area)?;
        }
        Ok(())
    }

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO places (owner, occurred_at, entry_id, voided, author_worker, name, kind,
                area, rule)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            row.owner,
            row.occurred_at,
            row.entry.id,
            row.voided,
            row.entry.author_worker,
            self.name,
            self.kind.code(),
            self.area,
            self.rule.code(),
        ])?;
        Ok(())
    }

    /// A kind of payload version 3.
    fn schema_version(&self) -> u32 {
        3
    }
}

impl PlaceNoted {
    pub(crate) fn view(&self) -> PlaceNotedContent {
        PlaceNotedContent {
            name: self.name.clone(),
            kind: self.kind,
            kind_label: self.kind.label(),
            area: self.area.as_ref().map(ToString::to_string),
            address: self.address.clone(),
            point: self
                .latitude
                .zip(self.longitude)
                .map(|(lat, lon)| format!("{:.6}, {:.6}", lat.0, lon.0)),
            rule: self.rule,
            rule_label: self.rule.label(),
            call: self.call.clone(),
            note: self.note.clone(),
        }
    }
}

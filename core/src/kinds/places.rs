//! The team's map (issue 15; Bilag 2B, 002 L4026–4104): the areas, the places of the register
//! and the rounds as they stand (amendments applied, voided ones left out), read from the rows of
//! `area.noted`, `place.noted` and `round.planned`, and the **coverage** Bilag 2B asks the
//! mapping to check ("at alle udvalgte områder afdækkes", L4049): per area, its places, the
//! contacts at them and the rounds through it in the last four weeks, against its priority.
//! Nothing here is stored. The same look-ups serve the phone and the centre's report.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Duration, Utc};
use rusqlite::{Connection, params};
use serde::Serialize;

use super::Payload;
use super::area_noted::AreaNoted;
use super::place_noted::{Degrees, PlaceNoted};
use super::replay::effective;
use crate::entries;
use crate::error::{Error, Result};
use crate::journal;
use crate::time::Time;
use crate::vocabulary::{AreaPriority, CoverageState, Label, PlaceKind, VisitRule, Weekday};

/// The window coverage counts: four weeks.
pub const COVERAGE_DAYS: i64 = 28;

/// An area as the register shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct AreaView {
    /// The id of the entry that noted it: what places and commands name it by.
    pub id: String,
    pub name: String,
    pub priority: AreaPriority,
    pub priority_label: Label,
    pub times: Option<String>,
    pub note: Option<String>,
}

/// A place of the register as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct PlaceView {
    /// The id of the entry that noted it: what contacts and rounds name it by.
    pub id: String,
    pub name: String,
    pub kind: PlaceKind,
    pub kind_label: Label,
    pub area: Option<String>,
    pub area_name: Option<String>,
    pub address: Option<String>,
    pub latitude: Option<Degrees>,
    pub longitude: Option<Degrees>,
    pub rule: VisitRule,
    pub rule_label: Label,
    pub call: Option<String>,
    pub note: Option<String>,
}

/// A place a round visits, in its order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct RoundStop {
    pub place: String,
    /// Its name, or `None` if the place was voided since.
    pub name: Option<String>,
}

/// A round of the route plan as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct RoundView {
    pub id: String,
    pub name: String,
    pub weekday: Weekday,
    pub weekday_label: Label,
    pub time: String,
    pub stops: Vec<RoundStop>,
    pub note: Option<String>,
}

/// How one area was covered in the last four weeks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct AreaCoverage {
    pub area: AreaView,
    /// Places of the register in it.
    pub places: u32,
    /// Contacts recorded at its places (a contact naming a place of the register).
    pub contacts: u32,
    /// Rounds that passed through it: each weekly round counts once a week since it was planned.
    pub rounds: u32,
    pub last_contact: Option<Time>,
    pub state: CoverageState,
    pub state_label: Label,
}

/// Which team's map: every row on a phone (it holds its team's only); at the centre, whether a
/// row's subject is the team's.
pub type InTeam<'a> = &'a dyn Fn(&str) -> bool;

fn everyone(_: &str) -> bool {
    true
}

/// The standing rows of a register table (the one with `id`, or all of the team's), each
/// entry's effective payload.
fn standing(
    conn: &Connection,
    table: &str,
    id: Option<&str>,
    in_team: InTeam<'_>,
) -> Result<Vec<(String, Payload)>> {
    let rows: Vec<(String, String)> = match id {
        Some(id) => conn
            .prepare_cached(&format!(
                "SELECT entry_id, owner FROM {table} WHERE entry_id = ?1 AND voided = 0"
            ))?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?,
        None => conn
            .prepare_cached(&format!(
                "SELECT entry_id, owner FROM {table} WHERE voided = 0 ORDER BY name, entry_id"
            ))?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?,
    };
    let mut found = Vec::with_capacity(rows.len());
    for (id, owner) in rows {
        if !in_team(&owner) {
            continue;
        }
        if let Some(entry) = entries::load(conn, &id)? {
            found.push((id, effective(conn, entry)?.payload));
        }
    }
    Ok(found)
}

fn area_view(id: String, area: &AreaNoted) -> AreaView {
    let content = area.view();
    AreaView {
        id,
        name: content.name,
        priority: content.priority,
        priority_label: content.priority_label,
        times: content.times,
        note: content.note,
    }
}

fn place_view(id: String, place: &PlaceNoted, areas: &BTreeMap<String, String>) -> PlaceView {
    PlaceView {
        id,
        name: place.name.clone(),
        kind: place.kind,
        kind_label: place.kind.label(),
        area_name: place
            .area
            .as_ref()
            .and_then(|a| areas.get(a.as_str()).cloned()),
        area: place.area.as_ref().map(ToString::to_string),
        address: place.address.clone(),
        latitude: place.latitude,
        longitude: place.longitude,
        rule: place.rule,
        rule_label: place.rule.label(),
        call: place.call.clone(),
        note: place.note.clone(),
    }
}

/// The team's areas, by name.
pub fn areas(conn: &Connection) -> Result<Vec<AreaView>> {
    areas_of(conn, &everyone)
}

fn areas_of(conn: &Connection, in_team: InTeam<'_>) -> Result<Vec<AreaView>> {
    Ok(standing(conn, "areas", None, in_team)?
        .into_iter()
        .filter_map(|(id, payload)| as_area(payload).map(|a| area_view(id, &a)))
        .collect())
}

// The register's tables hold one kind each; these take it out of the payload read back.
fn as_area(payload: Payload) -> Option<AreaNoted> {
    let Payload::AreaNoted(area) = payload else {
        return None;
    };
    Some(area)
}

fn as_place(payload: Payload) -> Option<PlaceNoted> {
    let Payload::PlaceNoted(place) = payload else {
        return None;
    };
    Some(place)
}

fn as_round(payload: Payload) -> Option<super::round_planned::RoundPlanned> {
    let Payload::RoundPlanned(round) = payload else {
        return None;
    };
    Some(round)
}

fn area_names(conn: &Connection, in_team: InTeam<'_>) -> Result<BTreeMap<String, String>> {
    Ok(areas_of(conn, in_team)?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect())
}

/// The places of the register, by name.
pub fn places(conn: &Connection) -> Result<Vec<PlaceView>> {
    places_of(conn, &everyone)
}

fn places_of(conn: &Connection, in_team: InTeam<'_>) -> Result<Vec<PlaceView>> {
    let names = area_names(conn, in_team)?;
    Ok(standing(conn, "places", None, in_team)?
        .into_iter()
        .filter_map(|(id, payload)| as_place(payload).map(|p| place_view(id, &p, &names)))
        .collect())
}

/// An area that stands (noted, not voided), by its id.
pub(crate) fn require_area(conn: &Connection, id: &str) -> Result<AreaView> {
    journal::entry_id("area", id)?;
    standing(conn, "areas", Some(id), &everyone)?
        .into_iter()
        .find_map(|(id, payload)| as_area(payload).map(|a| area_view(id, &a)))
        .ok_or_else(|| Error::not_found("area", id))
}

/// A place of the register that stands, by its id.
pub(crate) fn require_place(conn: &Connection, id: &str) -> Result<PlaceView> {
    journal::entry_id("place", id)?;
    let (id, place) = standing(conn, "places", Some(id), &everyone)?
        .into_iter()
        .find_map(|(id, payload)| as_place(payload).map(|p| (id, p)))
        .ok_or_else(|| Error::not_found("place", id))?;
    // Only its own area's name (a contact at a place reads one area, not the map).
    let mut names = BTreeMap::new();
    if let Some(area) = &place.area
        && let Ok(found) = require_area(conn, area)
    {
        names.insert(found.id, found.name);
    }
    Ok(place_view(id, &place, &names))
}

/// The route plan's rounds, by weekday and time.
pub fn rounds(conn: &Connection) -> Result<Vec<RoundView>> {
    let names: BTreeMap<String, String> =
        places(conn)?.into_iter().map(|p| (p.id, p.name)).collect();
    let mut rounds: Vec<RoundView> = standing(conn, "rounds", None, &everyone)?
        .into_iter()
        .filter_map(|(id, payload)| {
            as_round(payload).map(|round| RoundView {
                id,
                name: round.name.clone(),
                weekday: round.weekday,
                weekday_label: round.weekday.label(),
                time: round.time.clone(),
                stops: round
                    .places
                    .iter()
                    .map(|p| RoundStop {
                        place: p.to_string(),
                        name: names.get(p.as_str()).cloned(),
                    })
                    .collect(),
                note: round.note.clone(),
            })
        })
        .collect();
    rounds.sort_by(|a, b| (a.weekday, &a.time, &a.name).cmp(&(b.weekday, &b.time, &b.name)));
    Ok(rounds)
}

/// The weekday of a date, as the vocabulary says it.
fn weekday_of(day: chrono::NaiveDate) -> Weekday {
    Weekday::ALL[day.weekday().num_days_from_monday() as usize]
}

/// Each area's coverage in the four weeks before `now`: highest priority first, then the least
/// covered, then by name. A round counts for every area its places lie in, once on each of its
/// weekdays since it was planned (in the team's calendar); a contact counts for the area of the
/// place of the register it names. `in_team` picks the team's map at the centre.
pub fn coverage(
    conn: &Connection,
    now: DateTime<Utc>,
    in_team: InTeam<'_>,
) -> Result<Vec<AreaCoverage>> {
    let zone = super::guarantee::time_zone(conn)?;
    let since = now - Duration::days(COVERAGE_DAYS);
    let places = places_of(conn, in_team)?;
    let area_of: BTreeMap<&str, &str> = places
        .iter()
        .filter_map(|p| p.area.as_deref().map(|a| (p.id.as_str(), a)))
        .collect();
    let mut contacts: BTreeMap<String, (u32, String)> = BTreeMap::new();
    // Each contact at a place of the register in the window, the team's only (at the centre a
    // correction could point a contact at another team's place).
    let rows: Vec<(String, String, String)> = conn
        .prepare_cached(
            "SELECT place_id, occurred_at, owner FROM contacts
             WHERE voided = 0 AND place_id IS NOT NULL AND occurred_at >= ?1 AND occurred_at <= ?2",
        )?
        .query_map(
            params![
                journal::format_timestamp(since),
                journal::format_timestamp(now)
            ],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?
        .collect::<rusqlite::Result<_>>()?;
    for (place, at, owner) in rows {
        let Some(area) = area_of.get(place.as_str()) else {
            continue;
        };
        if !in_team(&owner) {
            continue;
        }
        let entry = contacts
            .entry(area.to_string())
            .or_insert((0, String::new()));
        entry.0 += 1;
        if at > entry.1 {
            entry.1 = at;
        }
    }
    let mut rounds: BTreeMap<String, u32> = BTreeMap::new();
    let planned: Vec<(String, String, String, String)> = conn
        .prepare_cached(
            "SELECT occurred_at, weekday, places, owner, time FROM rounds WHERE voided = 0",
        )?
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get::<_, String>(3)?,
                r.get(4)?,
            ))
        })?
        .filter(|row| {
            row.as_ref()
                .map_or(true, |(_, _, _, owner, _)| in_team(owner))
        })
        .map(|row| row.map(|(at, day, stops, _, time)| (at, day, stops, time)))
        .collect::<rusqlite::Result<_>>()?;
    // The window's days in the team's calendar: those after the day four weeks ago, through
    // today (28 of them, so a weekly round falls on four).
    let local = |t: DateTime<Utc>| t.with_timezone(&zone).naive_local();
    let (first_day, now_local) = (local(since).date() + Duration::days(1), local(now));
    for (planned_at, weekday, stops, time) in planned {
        let weekday = Weekday::parse(&weekday)?;
        let planned_at = local(
            DateTime::parse_from_rfc3339(&planned_at)
                .map_err(|_| Error::storage("a stored time is unreadable"))?
                .with_timezone(&Utc),
        );
        let time = chrono::NaiveTime::parse_from_str(&time, "%H:%M")
            .map_err(|_| Error::storage("a stored round is unreadable"))?;
        // A walk counts once it has started, and only if the round was planned before it.
        let walked = first_day
            .iter_days()
            .take_while(|d| *d <= now_local.date())
            .filter(|d| weekday_of(*d) == weekday)
            .map(|d| d.and_time(time))
            .filter(|start| *start <= now_local && *start >= planned_at)
            .count() as u32;
        let stops: Vec<String> = serde_json::from_str(&stops)
            .map_err(|_| Error::storage("a stored round is unreadable"))?;
        let through: BTreeSet<&str> = stops
            .iter()
            .filter_map(|p| area_of.get(p.as_str()).copied())
            .collect();
        for area in through {
            *rounds.entry(area.to_string()).or_default() += walked;
        }
    }
    let mut coverage: Vec<AreaCoverage> = areas_of(conn, in_team)?
        .into_iter()
        .map(|area| {
            let (count, last) = contacts.get(&area.id).cloned().unwrap_or_default();
            let walked = rounds.get(&area.id).copied().unwrap_or(0);
            let state = if count > 0 {
                CoverageState::Covered
            } else if walked > 0 {
                CoverageState::Planned
            } else {
                CoverageState::Uncovered
            };
            AreaCoverage {
                places: places
                    .iter()
                    .filter(|p| p.area.as_deref() == Some(area.id.as_str()))
                    .count() as u32,
                contacts: count,
                rounds: walked,
                last_contact: (!last.is_empty()).then(|| Time::stored(last)),
                state,
                state_label: state.label(),
                area,
            }
        })
        .collect();
    coverage.sort_by(|a, b| {
        (a.area.priority, a.state, &a.area.name).cmp(&(b.area.priority, b.state, &b.area.name))
    });
    Ok(coverage)
}

//! The team's map from the command line (issue 15, Bilag 2B): areas, the register of places with
//! their visit rules, and the rounds of the route plan. Each command reads its texts (kept off
//! the command line where they may say something personal) and records through `Store::record`.

use std::sync::Arc;

use gadeplan_core::{
    AreaInput, AreaPriority, Degrees, Error, NewEntry, PlaceInput, PlaceKind, RoundInput, Store,
    VisitRule, Weekday,
};
use serde_json::{Value, json};

use crate::args::{AreaCommand, NewPlaceArgs, PlaceCommand, RoundCommand};
use crate::output::Failure;
use crate::text;

pub fn area(
    command: AreaCommand,
    open: impl FnOnce() -> Result<Arc<Store>, Error>,
) -> Result<Value, Failure> {
    match command {
        AreaCommand::Add {
            name,
            priority,
            times,
            note,
        } => {
            let [times, note] = text::read([times.into(), note.into()])?;
            let input = AreaInput {
                name,
                priority: AreaPriority::parse(&priority)?,
                times,
                note,
                occurred_at: None,
            };
            Ok(json!(open()?.record(NewEntry::AreaNoted(input))?))
        }
        AreaCommand::List => Ok(json!(open()?.areas()?)),
    }
}

/// "55.6712,12.5611" as a point.
fn point(text: &str) -> Result<(Degrees, Degrees), Error> {
    let bad = || {
        Error::invalid(
            "point",
            "LATITUDE,LONGITUDE in degrees, e.g. 55.6712,12.5611",
        )
    };
    let (lat, lon) = text.split_once(',').ok_or_else(bad)?;
    let lat: f64 = lat.trim().parse().map_err(|_| bad())?;
    let lon: f64 = lon.trim().parse().map_err(|_| bad())?;
    Ok((Degrees(lat), Degrees(lon)))
}

pub fn place(
    command: PlaceCommand,
    open: impl FnOnce() -> Result<Arc<Store>, Error>,
) -> Result<Value, Failure> {
    match command {
        PlaceCommand::Add(args) => {
            let NewPlaceArgs {
                name,
                kind,
                rule,
                area,
                address,
                point: at,
                call,
                note,
            } = *args;
            let [address, call, note] = text::read([address.into(), call.into(), note.into()])?;
            let (latitude, longitude) = match at.as_deref().map(point).transpose()? {
                Some((lat, lon)) => (Some(lat), Some(lon)),
                None => (None, None),
            };
            let input = PlaceInput {
                name,
                kind: PlaceKind::parse(&kind)?,
                rule: VisitRule::parse(&rule)?,
                area,
                address,
                latitude,
                longitude,
                call,
                note,
                occurred_at: None,
            };
            Ok(json!(open()?.record(NewEntry::PlaceNoted(input))?))
        }
        PlaceCommand::List => Ok(json!(open()?.places()?)),
    }
}

pub fn round(
    command: RoundCommand,
    open: impl FnOnce() -> Result<Arc<Store>, Error>,
) -> Result<Value, Failure> {
    match command {
        RoundCommand::Add {
            name,
            weekday,
            time,
            places,
            note,
        } => {
            let [note] = text::read([note.into()])?;
            let input = RoundInput {
                name,
                weekday: Weekday::parse(&weekday)?,
                time,
                places,
                note,
                occurred_at: None,
            };
            Ok(json!(open()?.record(NewEntry::RoundPlanned(input))?))
        }
        RoundCommand::List => Ok(json!(open()?.rounds()?)),
    }
}

//! The 14-day treatment guarantee: social treatment must start "inden for 14 kalenderdage efter
//! personens første henvendelse" (003 L343–345; 004 L926–929). Computed everywhere the same way,
//! from a course's first wish for treatment since treatment last started (`treatment.requested`)
//! and the first treatment started at or after it (`treatment.started`), with days counted in the team's local calendar
//! (Europe/Copenhagen unless the store says otherwise, `meta` key `time_zone`), through daylight
//! saving changes: started on or before the 14th calendar day after the day of the wish is
//! `met`, later is `breached`; not started is `waiting` with the days left, or `breached` once
//! the 14th day has passed.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::journal;
use crate::meta;

/// Calendar days from the day of the wish to the last day treatment may start on.
pub const GUARANTEE_DAYS: i64 = 14;

/// The team's calendar when the store names none.
pub const DEFAULT_TIME_ZONE: &str = "Europe/Copenhagen";

/// The `meta` key naming the team's time zone (an IANA name).
pub const TIME_ZONE_KEY: &str = "time_zone";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, uniffi::Enum)]
#[serde(rename_all = "kebab-case")]
pub enum GuaranteeState {
    /// Treatment started on or before the last day.
    Met,
    /// Treatment started after the last day, or the last day has passed without a start.
    Breached,
    /// Not started yet, and the last day has not passed.
    Waiting,
}

/// Where a course stands with the guarantee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct Guarantee {
    /// The day of the wish, in the team's calendar (YYYY-MM-DD).
    pub wished_on: String,
    /// The last day treatment may start on (the 14th calendar day after the wish).
    pub last_day: String,
    pub state: GuaranteeState,
    /// Not started: whole days from today to the last day (0 on the last day itself; negative
    /// once it has passed). Started: none.
    pub days_left: Option<i32>,
    /// The day treatment started, if it has.
    pub started_on: Option<String>,
    /// Not started, and the last day is near (`warnings::GUARANTEE_NEAR_DAYS` days left or
    /// fewer; the same rule as the "guarantee-near" warning), so that no shell keeps its own
    /// threshold for colouring the line.
    pub running_out: bool,
}

/// Whether a guarantee in `state` with `days_left` is running out (see `Guarantee::running_out`).
pub fn running_out(state: GuaranteeState, days_left: Option<i32>) -> bool {
    state == GuaranteeState::Waiting
        && days_left.is_some_and(|left| left <= crate::warnings::GUARANTEE_NEAR_DAYS)
}

// The look-ups the guarantee makes for a course; each reaches its rows by key.
const LATEST_WISH: &str =
    "SELECT occurred_at FROM treatment_requests WHERE course = ?1 AND voided = 0
             ORDER BY occurred_at DESC, entry_id DESC LIMIT 1";
const FIRST_START_SINCE: &str = "SELECT occurred_at FROM treatment_starts
             WHERE course = ?1 AND voided = 0 AND occurred_at >= ?2
             ORDER BY occurred_at, entry_id LIMIT 1";
const FIRST_WISH: &str =
    "SELECT min(occurred_at) FROM treatment_requests WHERE course = ?1 AND voided = 0";
const LAST_START_BEFORE: &str = "SELECT max(occurred_at) FROM treatment_starts
     WHERE course = ?1 AND voided = 0 AND occurred_at < ?2";
const FIRST_WISH_AFTER: &str = "SELECT min(occurred_at) FROM treatment_requests
     WHERE course = ?1 AND voided = 0 AND occurred_at > ?2";

/// The guarantee's look-ups, for the query-plan test.
pub fn screen_queries() -> Vec<(&'static str, &'static str)> {
    vec![
        ("a course's latest wish", LATEST_WISH),
        ("a course's first start since", FIRST_START_SINCE),
        ("a course's first wish", FIRST_WISH),
        ("a course's last start before", LAST_START_BEFORE),
        ("a course's first wish after", FIRST_WISH_AFTER),
    ]
}

/// The team's time zone.
pub fn time_zone(conn: &Connection) -> Result<Tz> {
    let name = meta::get(conn, TIME_ZONE_KEY)?.unwrap_or_else(|| DEFAULT_TIME_ZONE.into());
    name.parse::<Tz>()
        .map_err(|_| Error::invalid("time_zone", "not a time zone of the IANA database"))
}

/// The day a stored time falls on in the team's calendar.
pub(crate) fn local_day(at: &str, tz: Tz) -> Result<NaiveDate> {
    let at = DateTime::parse_from_rfc3339(at)
        .map_err(|_| Error::storage("a stored time is unreadable"))?;
    Ok(at.with_timezone(&tz).date_naive())
}

/// The latest wish of a course that stands (its time and id).
fn latest_wish(conn: &Connection, course: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(LATEST_WISH)?
        .query_row([course], |r| r.get(0))
        .optional()?)
}

/// The first treatment started on a course at or after `since`.
fn first_start_since(conn: &Connection, course: &str, since: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(FIRST_START_SINCE)?
        .query_row(rusqlite::params![course, since], |r| r.get(0))
        .optional()?)
}

/// The wish the guarantee counts from: "personens første henvendelse", the first wish since
/// the treatment last started before the latest wish (or the first of all). Two phones that each
/// record a wish offline count from the earlier; a wish after a treatment started (the citizen
/// dropped out and asks again) begins anew.
fn counting_wish(conn: &Connection, course: &str) -> Result<Option<String>> {
    let Some(latest) = latest_wish(conn, course)? else {
        return Ok(None);
    };
    let started_before: Option<String> = conn
        .prepare_cached(LAST_START_BEFORE)?
        .query_row(rusqlite::params![course, latest], |r| r.get(0))?;
    let first: Option<String> = conn.prepare_cached(FIRST_WISH_AFTER)?.query_row(
        rusqlite::params![course, started_before.unwrap_or_default()],
        |r| r.get(0),
    )?;
    Ok(first.or(Some(latest)))
}

/// The wish the guarantee counts from, if no treatment has started since: the wish waiting.
pub(crate) fn waiting_wish(conn: &Connection, course: &str) -> Result<Option<String>> {
    match counting_wish(conn, course)? {
        Some(wish) if first_start_since(conn, course, &wish)?.is_none() => Ok(Some(wish)),
        _ => Ok(None),
    }
}

/// What a visitation or a treatment start recorded at `at` (default now) needs: a wish for
/// treatment on the course at or before it.
pub(crate) fn require_wish_before(
    conn: &Connection,
    course: &str,
    at: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    let at = journal::stated_time("occurred_at", at, now)?;
    let first: Option<String> = conn
        .prepare_cached(FIRST_WISH)?
        .query_row([course], |r| r.get(0))?;
    match first {
        None => Err(Error::not_allowed(
            "the citizen has not wished for treatment on this course; record the wish first",
        )),
        Some(first) if first.as_str() > at.as_str() => Err(Error::invalid(
            "occurred_at",
            "before the citizen's wish for treatment",
        )),
        Some(_) => Ok(()),
    }
}

/// Where a course stands with the guarantee; none if no wish for treatment stands on it.
pub fn of_course(conn: &Connection, course: &str, now: DateTime<Utc>) -> Result<Option<Guarantee>> {
    let Some(wish) = counting_wish(conn, course)? else {
        return Ok(None);
    };
    let tz = time_zone(conn)?;
    let wished_on = local_day(&wish, tz)?;
    let last_day = wished_on + Duration::days(GUARANTEE_DAYS);
    let (state, days_left, started_on) = match first_start_since(conn, course, &wish)? {
        Some(start) => {
            let started = local_day(&start, tz)?;
            let state = if started <= last_day {
                GuaranteeState::Met
            } else {
                GuaranteeState::Breached
            };
            (state, None, Some(started.to_string()))
        }
        None => {
            let today = now.with_timezone(&tz).date_naive();
            let left = (last_day - today).num_days();
            let state = if left >= 0 {
                GuaranteeState::Waiting
            } else {
                GuaranteeState::Breached
            };
            (state, Some(left as i32), None)
        }
    };
    Ok(Some(Guarantee {
        wished_on: wished_on.to_string(),
        last_day: last_day.to_string(),
        state,
        days_left,
        started_on,
        running_out: running_out(state, days_left),
    }))
}

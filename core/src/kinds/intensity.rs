//! Contact intensity: per citizen, the conversations with the outreach workers in the last 14
//! and 30 days, and the class of social drug treatment that corresponds to (004 L958–971); and
//! the follow-up list of citizens with an open course not talked with for 14 days.
//!
//! A conversation is a contact made with the citizen there and talked with
//! (`ContactLogged::conversation`): a declined approach, a glimpse from across the street or a
//! call to the GP about them is not one, so a citizen who refuses every week shows as not talked
//! with, which is the citizen to worry about. "Last seen" (any contact in which the workers saw
//! the citizen) stays beside it.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::error::Result;
use crate::journal;
use crate::time::Time;
use crate::vocabulary::ContactIntensity;

/// The follow-up list's window: fewer than one conversation in it is ad hoc (004 L968).
pub const QUIET_DAYS: i64 = 14;
/// The month the classes count in.
pub const MONTH_DAYS: i64 = 30;
/// At least this many conversations a month is ambulant, more than `AMBULANT_MAX` above it.
pub const AMBULANT_MIN: u32 = 2;
pub const AMBULANT_MAX: u32 = 8;

/// A citizen's conversations and the class they correspond to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct Intensity {
    pub conversations_14_days: u32,
    pub conversations_30_days: u32,
    pub class: ContactIntensity,
    pub last_conversation_at: Option<Time>,
}

/// The class for a count: none in the last 14 days is ad hoc (under one every 14 days, as the
/// follow-up list says); otherwise more than eight in 30 days is above ambulant, two to eight
/// ambulant, and fewer ad hoc.
pub fn class(in_14_days: u32, in_30_days: u32) -> ContactIntensity {
    if in_14_days == 0 || in_30_days < AMBULANT_MIN {
        ContactIntensity::AdHoc
    } else if in_30_days > AMBULANT_MAX {
        ContactIntensity::AboveAmbulant
    } else {
        ContactIntensity::Ambulant
    }
}

/// The conversations of the last 30 days (bounded by the contacts' key, whatever the citizen's
/// history), and how many of them in the last 14.
const COUNTS: &str = "SELECT count(*), coalesce(sum(occurred_at >= ?2), 0)
     FROM contacts WHERE owner = ?1 AND occurred_at >= ?3 AND occurred_at <= ?4
       AND conversation = 1 AND voided = 0";
/// The latest conversation, walking back from now.
const LAST: &str = "SELECT occurred_at FROM contacts
     WHERE owner = ?1 AND occurred_at <= ?2 AND conversation = 1 AND voided = 0
     ORDER BY occurred_at DESC LIMIT 1";

/// Citizens with an open course: the follow-up list's candidates.
const WITH_OPEN_COURSE: &str = "SELECT DISTINCT c.owner FROM courses c WHERE c.voided = 0
       AND NOT EXISTS (SELECT 1 FROM course_closings k WHERE k.course = c.entry_id AND k.voided = 0)";

const PERSON_ALIAS: &str =
    "SELECT alias FROM persons WHERE id = ?1 AND merged_into IS NULL AND voided = 0";

/// The queries, for `core/tests/query_plans.rs`.
pub fn screen_queries() -> Vec<(&'static str, &'static str)> {
    vec![
        ("a citizen's conversations", COUNTS),
        ("a citizen's last conversation", LAST),
    ]
}

/// A person's intensity as of `now` (a contact stated ahead of now does not count yet).
pub fn of(conn: &Connection, person: &str, now: DateTime<Utc>) -> Result<Intensity> {
    let at = |days: i64| journal::format_timestamp(now - Duration::days(days));
    let now = journal::format_timestamp(now);
    let (in_30, in_14): (i64, i64) = conn
        .prepare_cached(COUNTS)?
        .query_row(params![person, at(QUIET_DAYS), at(MONTH_DAYS), now], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let last: Option<String> = conn
        .prepare_cached(LAST)?
        .query_row(params![person, now], |r| r.get(0))
        .optional()?;
    let (in_14, in_30) = (in_14 as u32, in_30 as u32);
    Ok(Intensity {
        conversations_14_days: in_14,
        conversations_30_days: in_30,
        class: class(in_14, in_30),
        last_conversation_at: last.map(Time::stored),
    })
}

/// One line of the follow-up list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct NotTalkedWith {
    pub person: String,
    pub alias: String,
    pub intensity: Intensity,
    /// The latest contact in which the workers saw the citizen (declined, broken off for safety
    /// or made), which may be more recent than the last conversation.
    pub last_seen_at: Option<Time>,
}

/// The citizens with an open course not talked with in the last 14 days, the longest first
/// (never talked with before everyone); `of_interest` keeps those asked about (a team's, at the
/// centre) before anything else is read.
pub fn not_talked_with(
    conn: &Connection,
    now: DateTime<Utc>,
    of_interest: impl Fn(&str) -> bool,
) -> Result<Vec<NotTalkedWith>> {
    let owners: Vec<String> = conn
        .prepare_cached(WITH_OPEN_COURSE)?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    not_talked_with_among(conn, now, owners.into_iter().filter(|o| of_interest(o)))
}

/// `not_talked_with` for citizens the caller found with an open course (the centre: a team's).
pub fn not_talked_with_among(
    conn: &Connection,
    now: DateTime<Utc>,
    owners: impl IntoIterator<Item = String>,
) -> Result<Vec<NotTalkedWith>> {
    let mut list = Vec::new();
    for owner in owners {
        let intensity = of(conn, &owner, now)?;
        if intensity.conversations_14_days > 0 {
            continue;
        }
        let alias: Option<String> = conn
            .prepare_cached(PERSON_ALIAS)?
            .query_row([&owner], |r| r.get(0))
            .optional()?;
        let Some(alias) = alias else {
            continue;
        };
        let seen = crate::projection::last_contact(conn, &owner)?;
        list.push(NotTalkedWith {
            person: owner,
            alias,
            intensity,
            last_seen_at: (!seen.is_empty()).then(|| Time::stored(seen)),
        });
    }
    list.sort_by(|a, b| {
        let key = |n: &NotTalkedWith| {
            n.intensity
                .last_conversation_at
                .as_ref()
                .map(|t| t.as_str().to_string())
        };
        key(a).cmp(&key(b)).then_with(|| a.alias.cmp(&b.alias))
    });
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_follow_the_counts() {
        assert_eq!(class(0, 0), ContactIntensity::AdHoc);
        assert_eq!(
            class(1, 1),
            ContactIntensity::AdHoc,
            "one a month is under one per 14 days"
        );
        assert_eq!(
            class(0, 3),
            ContactIntensity::AdHoc,
            "none in the last 14 days"
        );
        assert_eq!(class(1, 2), ContactIntensity::Ambulant);
        assert_eq!(class(4, 8), ContactIntensity::Ambulant);
        assert_eq!(class(5, 9), ContactIntensity::AboveAmbulant);
    }
}

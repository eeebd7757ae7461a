//! What a team's phones keep (issue 17): the centre's rule, read from the core's projections of
//! the team (so it means at the centre what it would mean on a phone). A citizen stays on the
//! phones while any of these holds, and is released otherwise:
//!
//! - a course of theirs is open;
//! - a course of theirs closed within `closed_days` (default 30);
//! - something about them happened within `unmet_months` (default 12): they were noted, met,
//!   checked, or anything else recorded;
//! - an open check-in names them (a home visit under way).
//!
//! The phones then purge the released citizens (`sync::purge`), and fetch them back when the
//! rule keeps them again.

use chrono::{DateTime, Months, Utc};
use rusqlite::Connection;

use crate::error::Result;
use crate::journal;

/// The centre's rule for what phones keep (`gadeplan-centre serve --keep-closed-days N
/// --keep-unmet-months M`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeepRule {
    pub closed_days: u32,
    pub unmet_months: u32,
}

impl Default for KeepRule {
    fn default() -> Self {
        KeepRule {
            closed_days: 30,
            unmet_months: 12,
        }
    }
}

/// The citizens (each by the id kept after merges) for whom `in_team` holds that the rule no
/// longer keeps on the phones at `now`, sorted.
pub fn released(
    conn: &Connection,
    now: DateTime<Utc>,
    rule: KeepRule,
    in_team: &dyn Fn(&str) -> bool,
) -> Result<Vec<String>> {
    let closed_cutoff =
        journal::format_timestamp(now - chrono::Duration::days(rule.closed_days.into()));
    let unmet_cutoff = journal::format_timestamp(
        now.checked_sub_months(Months::new(rule.unmet_months))
            .unwrap_or(now),
    );
    let persons: Vec<(String, String)> = conn
        .prepare_cached("SELECT id, noted_at FROM persons WHERE merged_into IS NULL ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut released = Vec::new();
    for (person, noted_at) in persons {
        if !in_team(&person) || noted_at >= unmet_cutoff {
            continue;
        }
        let last = super::records::last_recorded(conn, &person)?;
        if last.is_some_and(|at| at >= unmet_cutoff) {
            continue;
        }
        if !super::courses::open_courses(conn, &person)?.is_empty() {
            continue;
        }
        let closed: Option<String> = conn
            .prepare_cached(
                "SELECT max(k.occurred_at) FROM courses c
                   JOIN course_closings k ON k.course = c.entry_id AND k.voided = 0
                 WHERE c.owner = ?1 AND c.voided = 0",
            )?
            .query_row([&person], |r| r.get(0))?;
        if closed.is_some_and(|at| at >= closed_cutoff) {
            continue;
        }
        let visited: bool = conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM checkins c WHERE c.person = ?1 AND c.voided = 0
                   AND NOT EXISTS (SELECT 1 FROM checkin_ends e
                                   WHERE e.checkin = c.entry_id AND e.voided = 0))",
            )?
            .query_row([&person], |r| r.get(0))?;
        if visited {
            continue;
        }
        released.push(person);
    }
    Ok(released)
}

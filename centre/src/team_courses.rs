//! A team's courses, read once from the team's subjects (`centre_subjects` by team, then each
//! subject's courses by their key): when each opened, when its first standing closing is, who is
//! responsible, whether a wish for treatment stands on it. From that one read come the caseload
//! now and at the end of past months, the citizens with an open course and the courses waiting
//! for treatment, each by the core's own rule for "open" (`courses::open_at`, the rule of
//! `course_open_at!`): the report and the leader's page ask for one team of many, and the whole
//! store's courses are every team's, for all the years it holds.

use std::collections::BTreeSet;

use gadeplan_core::kinds::courses::{Caseload, STILL_OPEN, caseload_from, open_at};
use rusqlite::{Connection, params};

use crate::store::Result;

/// Each course of the team whose person is not voided and that was not closed before `?2`, once
/// for each responsible worker (once with none if none is named).
const TEAM_COURSES: &str = "SELECT c.owner, c.entry_id, c.occurred_at,
        (SELECT min(k.occurred_at) FROM course_closings k WHERE k.course = c.entry_id AND k.voided = 0),
        EXISTS (SELECT 1 FROM treatment_requests r WHERE r.course = c.entry_id AND r.voided = 0),
        w.value
     FROM centre_subjects s CROSS JOIN courses c ON c.owner = s.subject
     LEFT JOIN json_each(c.responsible) w
     WHERE s.team = ?1 AND c.voided = 0
       AND NOT EXISTS (SELECT 1 FROM course_closings k
                       WHERE k.course = c.entry_id AND k.voided = 0 AND k.occurred_at < ?2)
       AND NOT EXISTS (SELECT 1 FROM persons p WHERE p.id = c.owner AND p.voided = 1)";

/// The queries, for the query-plan test.
pub fn screen_queries() -> Vec<(&'static str, &'static str)> {
    vec![("a team's courses", TEAM_COURSES)]
}

/// One course of the team with one of its responsible workers.
#[derive(Debug, Clone)]
struct Span {
    citizen: String,
    course: String,
    opened: String,
    closed: Option<String>,
    wished: bool,
    worker: Option<String>,
}

/// The team's courses as read once: those open at `since` or after it. Asking about a time
/// before `since` is asking about courses it did not read.
pub struct TeamCourses {
    spans: Vec<Span>,
}

impl TeamCourses {
    /// The team's courses open at any time from `since` (a stored time) on.
    pub fn read(conn: &Connection, team: &str, since: &str) -> Result<TeamCourses> {
        let spans = conn
            .prepare_cached(TEAM_COURSES)?
            .query_map(params![team, since], |r| {
                Ok(Span {
                    citizen: r.get(0)?,
                    course: r.get(1)?,
                    opened: r.get(2)?,
                    closed: r.get(3)?,
                    wished: r.get(4)?,
                    worker: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(TeamCourses { spans })
    }

    fn open_at<'a>(&'a self, at: &'a str) -> impl Iterator<Item = &'a Span> + 'a {
        self.spans
            .iter()
            .filter(move |s| open_at(&s.opened, s.closed.as_deref(), at))
    }

    /// The caseload at `at` (a stored time; `STILL_OPEN` for now), as the phones count theirs:
    /// a citizen once for each worker responsible for an open course of theirs.
    pub fn caseload_at(&self, at: &str) -> Caseload {
        let carried: BTreeSet<(&str, &str)> = self
            .open_at(at)
            .filter_map(|s| Some((s.worker.as_deref()?, s.citizen.as_str())))
            .collect();
        caseload_from(
            carried
                .into_iter()
                .map(|(worker, citizen)| (citizen.to_string(), worker.to_string())),
        )
    }

    pub fn caseload(&self) -> Caseload {
        self.caseload_at(STILL_OPEN)
    }

    /// The team's citizens with a course open now.
    pub fn open_owners(&self) -> Vec<String> {
        let owners: BTreeSet<&str> = self
            .open_at(STILL_OPEN)
            .map(|s| s.citizen.as_str())
            .collect();
        owners.into_iter().map(str::to_string).collect()
    }

    /// The team's open courses with a wish for treatment: (citizen, course).
    pub fn requested(&self) -> Vec<(String, String)> {
        let courses: BTreeSet<(&str, &str)> = self
            .open_at(STILL_OPEN)
            .filter(|s| s.wished)
            .map(|s| (s.citizen.as_str(), s.course.as_str()))
            .collect();
        courses
            .into_iter()
            .map(|(citizen, course)| (citizen.to_string(), course.to_string()))
            .collect()
    }
}

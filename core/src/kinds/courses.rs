//! A citizen's courses (*forløb*), read from the rows of the three course kinds: `courses` (one
//! per `course.opened`), `course_phases` and `course_closings` (each naming its course by the
//! opening entry's id). Nothing here is stored: a course's phase is its latest phase entry, it
//! is closed while a closing of it stands, and it was bridged into treatment if it was ever in
//! the phase `in-treatment`. Each entry keeps a row of its own, and a void marks only that
//! row, so replicas agree whatever order the entries reach them in.
//!
//! Also the caseload (002 L3195–3204): the open courses each worker is responsible for (a
//! pair's course counts for both), and the team's average against the guideline of at most 15.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use super::guarantee::{self, Guarantee, GuaranteeState};
use crate::error::{Error, Result};
use crate::journal;
use crate::projection;
use crate::vocabulary::{
    CloseReason, CoursePhase, FoundVia, ServicesAttachment, SubstitutionAttachment,
    TreatmentAttachment, TreatmentStatus,
};

/// The guideline: a worker carries at most 15 citizens on average (002 L3202–3203).
pub const CASELOAD_GUIDELINE: u32 = 15;

/// Where one open course stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CourseState {
    pub id: String,
    pub phase: CoursePhase,
    pub bridged: bool,
}

/// A course as the person's screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct CourseView {
    /// The id of the entry that opened it; the commands name the course by it.
    pub id: String,
    pub opened_at: String,
    pub found_via: FoundVia,
    pub responsible: Vec<String>,
    pub attachment_treatment: Option<TreatmentAttachment>,
    pub attachment_substitution: Option<SubstitutionAttachment>,
    pub attachment_services: Option<ServicesAttachment>,
    pub phase: CoursePhase,
    /// Whether it was ever in the phase `in-treatment`.
    pub bridged: bool,
    pub closed_at: Option<String>,
    pub close_reason: Option<CloseReason>,
    pub treatment_status: Option<TreatmentStatus>,
    /// The 14-day guarantee, once the citizen has wished for treatment.
    pub guarantee: Option<Guarantee>,
}

/// The citizens with an open course a worker is responsible for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct WorkerCaseload {
    pub worker: String,
    pub open_courses: u32,
}

/// The team's caseload as this replica knows it: each worker's open courses, and the average
/// over the workers responsible for at least one (a worker on the roster with no course is not
/// counted in the average).
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct Caseload {
    pub workers: Vec<WorkerCaseload>,
    /// Citizens with an open course (a pair's course counted once, a citizen once).
    pub open_courses: u32,
    pub average: f64,
    pub guideline: u32,
    /// Whether the average is above the guideline.
    pub over_guideline: bool,
}

// The look-ups the persons list and a person's screen make for every course; each reaches its
// rows by key (`core/tests/query_plans.rs`).
const COURSE_PHASE: &str = "SELECT phase FROM course_phases WHERE course = ?1 AND voided = 0
             ORDER BY occurred_at DESC, entry_id DESC LIMIT 1";
const STARTED: &str =
    "SELECT EXISTS (SELECT 1 FROM treatment_starts WHERE course = ?1 AND voided = 0)";
const EVER_IN_TREATMENT: &str = "SELECT EXISTS (SELECT 1 FROM course_phases
                WHERE course = ?1 AND voided = 0 AND phase = 'in-treatment')";
const CLOSING: &str = "SELECT occurred_at, reason, treatment_status FROM course_closings
             WHERE course = ?1 AND voided = 0
             ORDER BY occurred_at DESC, entry_id DESC LIMIT 1";
const OPENED_AT: &str = "SELECT occurred_at FROM courses WHERE entry_id = ?1";
const OPEN_COURSE_IDS: &str = "SELECT c.entry_id FROM courses c WHERE c.owner = ?1 AND c.voided = 0
       AND NOT EXISTS (SELECT 1 FROM course_closings k WHERE k.course = c.entry_id AND k.voided = 0)
     ORDER BY c.occurred_at, c.entry_id";
const COURSE_IDS: &str = "SELECT entry_id FROM courses WHERE owner = ?1 AND voided = 0
             ORDER BY occurred_at, entry_id";

/// A citizen whose every course closed before a retention rule's cutoff, with nothing recorded
/// about them since (`closed_before`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClosedLongAgo {
    pub person: String,
    /// When their last course closed.
    pub closed_at: String,
    /// When the latest record about them happened.
    pub last_recorded: String,
}

/// Citizens with at least one course, none open, whose last course closed before `cutoff` (an
/// RFC 3339 time) and about whom nothing happened since: what a retention rule of the centre
/// erases (`gadeplan-centre retention`). A citizen with an open course is never among them,
/// however old their other courses; nor one met again after the closing.
pub fn closed_before(conn: &Connection, cutoff: &str) -> Result<Vec<ClosedLongAgo>> {
    let closed: Vec<(String, String)> = conn
        .prepare_cached(
            "SELECT c.owner, max(k.occurred_at) FROM courses c
               JOIN course_closings k ON k.course = c.entry_id AND k.voided = 0
             WHERE c.voided = 0
             GROUP BY c.owner HAVING max(k.occurred_at) < ?1 ORDER BY c.owner",
        )?
        .query_map([cutoff], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut found = Vec::new();
    for (person, closed_at) in closed {
        if projection::canonical(conn, &person)? != person
            || !open_courses(conn, &person)?.is_empty()
        {
            continue;
        }
        let last =
            super::records::last_recorded(conn, &person)?.unwrap_or_else(|| closed_at.clone());
        if last.as_str() < cutoff {
            found.push(ClosedLongAgo {
                person,
                closed_at,
                last_recorded: last,
            });
        }
    }
    Ok(found)
}

/// The course look-ups the screens make, for the query-plan test.
pub fn screen_queries() -> Vec<(&'static str, &'static str)> {
    let mut queries = vec![
        ("a person's courses", COURSE_IDS),
        ("a person's open courses", OPEN_COURSE_IDS),
        ("a course's opening", OPENED_AT),
        ("a course's phase", COURSE_PHASE),
        ("a course ever in treatment", EVER_IN_TREATMENT),
        ("a course's closing", CLOSING),
        ("a course's treatment started", STARTED),
    ];
    queries.extend(guarantee::screen_queries());
    queries.extend(super::plan_set::screen_queries());
    queries.extend(super::plan_evaluated::screen_queries());
    queries
}

fn course_phase(conn: &Connection, course: &str) -> Result<CoursePhase> {
    let phase: Option<String> = conn
        .prepare_cached(COURSE_PHASE)?
        .query_row([course], |r| r.get(0))
        .optional()?;
    match phase {
        Some(code) => CoursePhase::parse(&code),
        None => Ok(CoursePhase::Contact),
    }
}

/// Whether treatment has started on a course (a start that stands).
pub(crate) fn started(conn: &Connection, course: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(STARTED)?
        .query_row([course], |r| r.get(0))?)
}

/// Bridged into treatment: treatment started, or the course was ever in `in-treatment`.
fn bridged(conn: &Connection, course: &str) -> Result<bool> {
    let in_treatment: bool = conn
        .prepare_cached(EVER_IN_TREATMENT)?
        .query_row([course], |r| r.get(0))?;
    Ok(in_treatment || started(conn, course)?)
}

/// The standing closing of a course: when, why, and the treatment status.
pub(crate) fn closing(
    conn: &Connection,
    course: &str,
) -> Result<Option<(String, String, Option<String>)>> {
    Ok(conn
        .prepare_cached(CLOSING)?
        .query_row([course], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

/// The ids of a person's courses that are not voided, oldest first.
fn course_ids(conn: &Connection, person: &str) -> Result<Vec<String>> {
    Ok(conn
        .prepare_cached(COURSE_IDS)?
        .query_map([person], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Which course a questionnaire is taken on, and how it was found.
pub(crate) struct QuestionnaireCourse {
    pub id: String,
    /// The course was named (`--course`), not found.
    pub named: bool,
    /// The course is closed.
    pub closed: bool,
}

/// The course a questionnaire taken at `at` (default now) is about: `course` if given (one of
/// the person's, open or closed), else the person's open course, else their latest course,
/// closed (a follow-up three months after treatment started often comes after the handover
/// closed the outreach course). Refused if the person has none, or the time lies before it was
/// opened.
pub(crate) fn require_course_for_follow_up(
    conn: &Connection,
    person: &str,
    course: Option<&str>,
    at: Option<&str>,
    now: DateTime<Utc>,
) -> Result<QuestionnaireCourse> {
    let id = match course {
        Some(id) => {
            journal::entry_id("course", id)?;
            let owner: Option<String> = conn
                .prepare_cached("SELECT owner FROM courses WHERE entry_id = ?1 AND voided = 0")?
                .query_row([id], |r| r.get(0))
                .optional()?;
            match owner {
                None => return Err(Error::not_found("course", id)),
                Some(owner) if projection::canonical(conn, &owner)? != person => {
                    return Err(Error::invalid("course", "the course is another person's"));
                }
                Some(_) => id.to_string(),
            }
        }
        None => match open_courses(conn, person)?.as_slice() {
            [] => course_ids(conn, person)?
                .pop()
                .ok_or_else(|| Error::not_allowed("the person has no course; open one first"))?,
            [only] => only.id.clone(),
            _ => {
                return Err(Error::invalid(
                    "course",
                    "the person has more than one open course; name the course",
                ));
            }
        },
    };
    let at = journal::stated_time("occurred_at", at, now)?;
    let opened: String = conn
        .prepare_cached(OPENED_AT)?
        .query_row([&id], |r| r.get(0))?;
    if at < opened {
        return Err(Error::invalid(
            "occurred_at",
            "before the course was opened",
        ));
    }
    Ok(QuestionnaireCourse {
        closed: closing(conn, &id)?.is_some(),
        named: course.is_some(),
        id,
    })
}

/// The person's latest course, open or closed (not voided).
pub(crate) fn latest_course(conn: &Connection, person: &str) -> Result<Option<String>> {
    Ok(course_ids(conn, person)?.pop())
}

/// The open courses of a person (more than one only if two phones opened one each, offline).
pub(crate) fn open_courses(conn: &Connection, person: &str) -> Result<Vec<CourseState>> {
    // Found by the closings' index, so a person's closed courses of years past cost nothing on
    // each line of the persons list; only the open ones have their state read.
    let ids: Vec<String> = conn
        .prepare_cached(OPEN_COURSE_IDS)?
        .query_map([person], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.into_iter()
        .map(|id| {
            Ok(CourseState {
                phase: course_phase(conn, &id)?,
                bridged: bridged(conn, &id)?,
                id,
            })
        })
        .collect()
}

/// The open course of `person` an entry stated at `at` (default now) is about, as
/// `require_open_course` finds it; refused if the time lies before the course was opened.
pub(crate) fn require_open_course_at(
    conn: &Connection,
    person: &str,
    course: Option<&str>,
    at: Option<&str>,
    now: DateTime<Utc>,
) -> Result<CourseState> {
    let state = require_open_course(conn, person, course)?;
    let at = journal::stated_time("occurred_at", at, now)?;
    let opened: String = conn
        .prepare_cached(OPENED_AT)?
        .query_row([&state.id], |r| r.get(0))?;
    if at < opened {
        return Err(Error::invalid(
            "occurred_at",
            "before the course was opened",
        ));
    }
    Ok(state)
}

/// The open course of `person` a phase or closing is about: `course` if given (it must be one
/// of the person's, open), else the person's one open course.
pub(crate) fn require_open_course(
    conn: &Connection,
    person: &str,
    course: Option<&str>,
) -> Result<CourseState> {
    let open = open_courses(conn, person)?;
    match course {
        Some(id) => {
            journal::entry_id("course", id)?;
            if let Some(state) = open.into_iter().find(|c| c.id == id) {
                return Ok(state);
            }
            let owned: Option<String> = conn
                .prepare_cached("SELECT owner FROM courses WHERE entry_id = ?1 AND voided = 0")?
                .query_row([id], |r| r.get(0))
                .optional()?;
            match owned {
                None => Err(Error::not_found("course", id)),
                Some(owner) if projection::canonical(conn, &owner)? != person => {
                    Err(Error::invalid("course", "the course is another person's"))
                }
                Some(_) => Err(Error::not_allowed("the course is closed")),
            }
        }
        None => match open.len() {
            0 => Err(Error::not_allowed(
                "the person has no open course; open one first",
            )),
            1 => Ok(open.into_iter().next().expect("one")),
            _ => Err(Error::invalid(
                "course",
                "the person has more than one open course; name the course",
            )),
        },
    }
}

/// A person's courses, oldest first, for their screen.
pub fn person_courses(
    conn: &Connection,
    person: &str,
    now: DateTime<Utc>,
) -> Result<Vec<CourseView>> {
    let mut views = Vec::new();
    for id in course_ids(conn, person)? {
        let (opened_at, found_via, responsible, treatment, substitution, services): (
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
        ) = conn
            .prepare_cached(
                "SELECT occurred_at, found_via, responsible, attachment_treatment,
                        attachment_substitution, attachment_services
                 FROM courses WHERE entry_id = ?1",
            )?
            .query_row([&id], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })?;
        let closing = closing(conn, &id)?;
        let closing_at = closing.as_ref().map(|c| c.0.clone());
        views.push(CourseView {
            opened_at,
            found_via: FoundVia::parse(&found_via)?,
            responsible: serde_json::from_str(&responsible)
                .map_err(|_| Error::storage("a course's responsible workers are unreadable"))?,
            attachment_treatment: treatment
                .as_deref()
                .map(TreatmentAttachment::parse)
                .transpose()?,
            attachment_substitution: substitution
                .as_deref()
                .map(SubstitutionAttachment::parse)
                .transpose()?,
            attachment_services: services
                .as_deref()
                .map(ServicesAttachment::parse)
                .transpose()?,
            phase: course_phase(conn, &id)?,
            bridged: bridged(conn, &id)?,
            closed_at: closing.as_ref().map(|c| c.0.clone()),
            close_reason: closing
                .as_ref()
                .map(|c| CloseReason::parse(&c.1))
                .transpose()?,
            treatment_status: closing
                .and_then(|c| c.2)
                .as_deref()
                .map(TreatmentStatus::parse)
                .transpose()?,
            // A closed course's guarantee stands as it was when it closed.
            guarantee: guarantee::of_course(
                conn,
                &id,
                closed_at_instant(closing_at.as_deref()).unwrap_or(now),
            )?,
            id,
        });
    }
    Ok(views)
}

fn closed_at_instant(at: Option<&str>) -> Option<DateTime<Utc>> {
    at.and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// The caseload: every open course of a person not voided, counted for each worker responsible.
pub fn caseload(conn: &Connection) -> Result<Caseload> {
    caseload_of(conn, &|_| true)
}

/// The caseload of the citizens `in_team` picks (at the centre, a team's; on a phone, all).
pub fn caseload_of(conn: &Connection, in_team: &dyn Fn(&str) -> bool) -> Result<Caseload> {
    // A citizen counts once for a worker (two open courses of one person, after two phones
    // each opened one or a merge, are one citizen carried).
    let rows: Vec<(String, String)> = conn
        .prepare_cached(concat!(
            "SELECT DISTINCT c.owner, w.value FROM courses c, json_each(c.responsible) w WHERE ",
            crate::course_open_at!(),
            " ORDER BY w.value"
        ))?
        .query_map([STILL_OPEN], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(caseload_from(
        rows.into_iter().filter(|(citizen, _)| in_team(citizen)),
    ))
}

/// A time after every stored time: `course_open_at!` bound to it asks for the courses open now.
pub const STILL_OPEN: &str = "9999";

/// Whether course `c` stands open at `?1` (a stored time; `STILL_OPEN` for now): not voided,
/// opened by then, no closing by then that stands, its person not voided. As SQL text, for the
/// queries that ask it of the store's courses; `open_at` is the same rule for courses read
/// already (the centre reads a team's once and asks about several times).
#[macro_export]
macro_rules! course_open_at {
    () => {
        "c.voided = 0 AND c.occurred_at <= ?1
         AND NOT EXISTS (SELECT 1 FROM course_closings k
                         WHERE k.course = c.entry_id AND k.voided = 0 AND k.occurred_at <= ?1)
         AND NOT EXISTS (SELECT 1 FROM persons p WHERE p.id = c.owner AND p.voided = 1)"
    };
}

/// Whether a course opened at `opened`, whose first standing closing is at `closed`, is open at
/// `at` (stored times): the rule of `course_open_at!`, for a caller that reads the courses once
/// and asks about several times (the team leader's trend of the caseload).
pub fn open_at(opened: &str, closed: Option<&str>, at: &str) -> bool {
    opened <= at && closed.is_none_or(|k| k > at)
}

/// The caseload from the open courses' (citizen, responsible worker) pairs, sorted by worker.
pub fn caseload_from(rows: impl IntoIterator<Item = (String, String)>) -> Caseload {
    let mut workers: Vec<WorkerCaseload> = Vec::new();
    let mut citizens = std::collections::BTreeSet::new();
    for (citizen, worker) in rows {
        citizens.insert(citizen);
        match workers.last_mut() {
            Some(last) if last.worker == worker => last.open_courses += 1,
            _ => workers.push(WorkerCaseload {
                worker,
                open_courses: 1,
            }),
        }
    }
    let carried: u32 = workers.iter().map(|w| w.open_courses).sum();
    let average = if workers.is_empty() {
        0.0
    } else {
        f64::from(carried) / workers.len() as f64
    };
    Caseload {
        workers,
        open_courses: citizens.len() as u32,
        average,
        guideline: CASELOAD_GUIDELINE,
        over_guideline: average > f64::from(CASELOAD_GUIDELINE),
    }
}

/// The citizens waiting for treatment to start under the guarantee (a wish on an open course
/// and no start since), fewest days left first: the persons list ordered by the days left.
pub fn waiting_for_treatment(
    conn: &Connection,
    now: DateTime<Utc>,
) -> Result<Vec<(String, Guarantee)>> {
    waiting_among(conn, requested_courses(conn)?, now)
}

/// The open courses with a wish for treatment: (person, course).
fn requested_courses(conn: &Connection) -> Result<Vec<(String, String)>> {
    let requested: Vec<(String, String)> = conn
        .prepare_cached(
            "SELECT DISTINCT c.owner, c.entry_id FROM treatment_requests r
             JOIN courses c ON c.entry_id = r.course
             WHERE r.voided = 0 AND c.voided = 0
               AND NOT EXISTS (SELECT 1 FROM course_closings k WHERE k.course = c.entry_id AND k.voided = 0)
               AND NOT EXISTS (SELECT 1 FROM persons p WHERE p.id = c.owner AND p.voided = 1)",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(requested)
}

/// Of the open courses with a wish (`requested`: person, course), those still waiting for
/// treatment under the guarantee, fewest days left first (the centre passes a team's).
pub fn waiting_among(
    conn: &Connection,
    requested: Vec<(String, String)>,
    now: DateTime<Utc>,
) -> Result<Vec<(String, Guarantee)>> {
    let mut waiting = Vec::new();
    for (person, course) in requested {
        if let Some(g) = guarantee::of_course(conn, &course, now)?
            && g.state != GuaranteeState::Met
            && g.started_on.is_none()
        {
            waiting.push((person, g));
        }
    }
    waiting.sort_by(|a, b| a.1.days_left.cmp(&b.1.days_left).then(a.0.cmp(&b.0)));
    Ok(waiting)
}

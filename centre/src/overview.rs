//! The team at a glance, for the team leader's page (issue 16): caseload per worker against the
//! guideline (002 L3195–3204) and its trend over the last months, citizens with an open course
//! not talked with in 14 days (004 L953–971), who waits for treatment under the 14-day guarantee
//! (003 L340–348), the questionnaires due, and the conflicting details and probable duplicates
//! the workers have to settle. Everything is the core's own reading of its projections
//! (`kinds::courses`, `kinds::intensity`, `kinds::guarantee`, `kinds::questionnaire_recorded`,
//! `duplicates`), over the team's open courses (`team_courses`) and citizens, never the whole
//! store's: what it costs follows the team's open work, not the years of records.

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, Utc};
use gadeplan_core::duplicates::DuplicateCandidate;
use gadeplan_core::journal::format_timestamp;
use gadeplan_core::kinds::courses::{Caseload, STILL_OPEN};
use gadeplan_core::kinds::guarantee::Guarantee;
use gadeplan_core::kinds::intensity::NotTalkedWith;
use gadeplan_core::kinds::questionnaire_recorded::QuestionnaireDue;
use rusqlite::{Connection, OptionalExtension, params};

use crate::indicators::start_of_day;
use crate::store::{Centre, Result};
use crate::team_courses::TeamCourses;

/// A citizen as the overview lists them: by id and nickname.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citizen {
    pub id: String,
    pub alias: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Overview {
    /// Open courses per worker (every enrolled worker, with none if they carry none), the
    /// average against the guideline.
    pub caseload: Caseload,
    pub enrolled: Vec<String>,
    /// With an open course, not talked with in 14 days, longest first.
    pub quiet: Vec<NotTalkedWith>,
    /// Waiting for treatment to start, fewest days left first (breaches first of all).
    pub waiting: Vec<(Citizen, Guarantee)>,
    pub questionnaires_due: Vec<(Citizen, QuestionnaireDue)>,
    pub conflicts: Vec<Citizen>,
    /// Pairs of the team's citizens who may be one, at least one of them noted in the last
    /// `DUPLICATES_NOTED_DAYS` days (when a duplicate is made), strongest first.
    pub duplicates: Vec<(Citizen, Citizen)>,
    /// The caseload average at the end of each of the last six months, oldest first
    /// (`YYYY-MM`), the current month last as it stands now.
    pub trend: Vec<(String, f64)>,
}

/// Months in the caseload trend.
pub const TREND_MONTHS: u32 = 6;

/// The page's probable duplicates are among the team's current citizens (an open course, or
/// noted in this many days), at least one of each pair noted in them: what the workers have to
/// settle now. A citizen noted again years after the last course is found by the phone when the
/// worker notes them (it compares with every person it holds), not here, where five years of
/// citizens compared at every showing would cost the page what the years hold.
pub const DUPLICATES_NOTED_DAYS: i64 = 90;

const RECENTLY_NOTED: &str = "SELECT p.id FROM persons p INDEXED BY centre_persons_by_time
     CROSS JOIN centre_subjects s ON s.subject = p.id
     WHERE p.noted_at >= ?2 AND s.team = ?1 AND p.merged_into IS NULL AND p.voided = 0";
const CANDIDATE: &str = "SELECT id, alias, birth_year, description, noted_at FROM persons
     WHERE id = ?1 AND merged_into IS NULL AND voided = 0";
const TEAM_CONFLICTS: &str =
    "SELECT p.id, p.alias FROM persons p INDEXED BY centre_persons_in_conflict
     CROSS JOIN centre_subjects s ON s.subject = p.id
     WHERE p.attribute_conflicts > 0 AND s.team = ?1 AND p.voided = 0 AND p.merged_into IS NULL
     ORDER BY p.alias";

/// The overview's own queries, for the query-plan test.
pub fn screen_queries() -> Vec<(&'static str, &'static str)> {
    vec![
        ("a team's citizens noted lately", RECENTLY_NOTED),
        ("a duplicate's candidate", CANDIDATE),
        ("a team's conflicts", TEAM_CONFLICTS),
    ]
}

impl Centre {
    pub fn overview(&self, team: &str, now: DateTime<Utc>) -> Result<Overview> {
        self.with_projection(team, |conn, team, enrolled| {
            overview(conn, team, enrolled, now)
        })
    }
}

fn alias_of(conn: &Connection, id: &str) -> Result<String> {
    Ok(conn
        .prepare_cached("SELECT alias FROM persons WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .unwrap_or_default())
}

fn overview(
    conn: &Connection,
    team: &str,
    enrolled: Vec<String>,
    now: DateTime<Utc>,
) -> Result<Overview> {
    let citizen = |id: &str| -> Result<Citizen> {
        Ok(Citizen {
            id: id.to_string(),
            alias: alias_of(conn, id)?,
        })
    };
    let mut waiting = Vec::new();
    // The months in the team's calendar; the team's courses from the start of the trend's
    // first month: what was open then, or since.
    let tz = gadeplan_core::kinds::guarantee::time_zone(conn)?;
    let today = now.with_timezone(&tz).date_naive();
    let this_month = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).expect("a month");
    let first_month = this_month - Months::new(TREND_MONTHS - 1);
    let courses = TeamCourses::read(conn, team, &format_timestamp(start_of_day(tz, first_month)))?;
    let requested = courses.requested();
    for (person, g) in gadeplan_core::kinds::courses::waiting_among(conn, requested, now)? {
        waiting.push((citizen(&person)?, g));
    }

    // The follow-up list and the questionnaires due: the team's citizens with an open course.
    let open = courses.open_owners();
    let quiet = gadeplan_core::kinds::intensity::not_talked_with_among(conn, now, open.clone())?;
    let mut questionnaires_due = Vec::new();
    for person in open {
        for due in gadeplan_core::kinds::questionnaire_recorded::due(conn, &person, now)? {
            questionnaires_due.push((citizen(&person)?, due));
        }
    }

    let conflicts = conn
        .prepare_cached(TEAM_CONFLICTS)?
        .query_map([team], |r| {
            Ok(Citizen {
                id: r.get(0)?,
                alias: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;

    let recent = format_timestamp(now - Duration::days(DUPLICATES_NOTED_DAYS));
    let mut current: std::collections::BTreeSet<String> = conn
        .prepare_cached(RECENTLY_NOTED)?
        .query_map(params![team, recent], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    current.extend(courses.open_owners());
    let mut candidates: Vec<(String, DuplicateCandidate)> = Vec::new();
    for id in &current {
        let found = conn
            .prepare_cached(CANDIDATE)?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, String>(4)?,
                    DuplicateCandidate {
                        person: r.get(0)?,
                        alias: r.get(1)?,
                        birth_year: r.get(2)?,
                        description: r.get(3)?,
                    },
                ))
            })
            .optional()?;
        candidates.extend(found);
    }
    // In the order noted, as the core pairs them (the one noted first is `first`).
    candidates.sort_by(|a, b| (&a.0, &a.1.person).cmp(&(&b.0, &b.1.person)));
    let (noted_at, persons): (Vec<String>, Vec<DuplicateCandidate>) =
        candidates.into_iter().unzip();
    let duplicates = gadeplan_core::duplicates::pairs_among(&persons, |i| noted_at[i] >= recent)
        .into_iter()
        .map(|d| {
            (
                Citizen {
                    id: d.first.person,
                    alias: d.first.alias,
                },
                Citizen {
                    id: d.second.person,
                    alias: d.second.alias,
                },
            )
        })
        .collect();

    // The caseload at the end of each month, the current one as it stands now.
    let months: Vec<NaiveDate> = (0..TREND_MONTHS)
        .rev()
        .map(|back| this_month - Months::new(back))
        .collect();
    let times: Vec<String> = months
        .iter()
        .map(|month| {
            if *month == this_month {
                return STILL_OPEN.to_string();
            }
            let end = start_of_day(tz, *month + Months::new(1));
            format_timestamp(end - chrono::Duration::milliseconds(1))
        })
        .collect();
    let mut caseloads: Vec<_> = times.iter().map(|at| courses.caseload_at(at)).collect();
    let trend = months
        .iter()
        .zip(&caseloads)
        .map(|(month, caseload)| (month.format("%Y-%m").to_string(), caseload.average))
        .collect();

    Ok(Overview {
        caseload: caseloads.pop().expect("this month's"),
        enrolled,
        quiet,
        waiting,
        questionnaires_due,
        conflicts,
        duplicates,
        trend,
    })
}

impl Centre {
    /// One citizen of the team as the core shows them (summary, courses with their guarantee,
    /// plan, timeline). A citizen of another team is not found, as one that does not exist.
    pub fn citizen(
        &self,
        team: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<gadeplan_core::PersonDetail> {
        self.with_projection(team, |conn, team, _| {
            let id = gadeplan_core::projection::canonical(conn, id)?;
            if !crate::report::in_team(conn, team, &id) {
                return Err(crate::store::Refusal::new(
                    404,
                    "not-found",
                    "no such citizen in the team",
                ));
            }
            Ok(gadeplan_core::queries::person_detail(conn, &id, now)?)
        })
    }
}

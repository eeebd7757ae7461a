//! The team at a glance, for the team leader's page (issue 16): beside the team's report
//! (caseload per worker against the guideline, citizens not talked with in 14 days), who waits
//! for treatment under the 14-day guarantee (003 L340–348), the questionnaires due, the
//! conflicting details and probable duplicates the workers have to settle, and the trend of the
//! caseload average over the last months. Everything is the core's own reading of its
//! projections (`kinds::courses`, `kinds::guarantee`, `kinds::questionnaire_recorded`,
//! `duplicates`), narrowed to the team's citizens.

use chrono::{DateTime, Datelike, Months, NaiveDate, TimeZone, Utc};
use gadeplan_core::journal::format_timestamp;
use gadeplan_core::kinds::guarantee::Guarantee;
use gadeplan_core::kinds::questionnaire_recorded::QuestionnaireDue;
use rusqlite::{Connection, params};

use crate::report::TeamReport;
use crate::store::{Centre, Result};

/// A citizen as the overview lists them: by id and nickname.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citizen {
    pub id: String,
    pub alias: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Overview {
    pub report: TeamReport,
    /// Waiting for treatment to start, fewest days left first (breaches first of all).
    pub waiting: Vec<(Citizen, Guarantee)>,
    pub questionnaires_due: Vec<(Citizen, QuestionnaireDue)>,
    pub conflicts: Vec<Citizen>,
    pub duplicates: Vec<(Citizen, Citizen)>,
    /// The caseload average at the end of each of the last six months, oldest first
    /// (`YYYY-MM`), the current month last as it stands now.
    pub trend: Vec<(String, f64)>,
}

/// Months in the caseload trend.
pub const TREND_MONTHS: u32 = 6;

impl Centre {
    pub fn overview(&self, team: &str, now: DateTime<Utc>) -> Result<Overview> {
        let report = self.report(team, now)?;
        self.with_projection(team, |conn, team, _| overview(conn, team, report, now))
    }
}

fn in_team(conn: &Connection, team: &str, subject: &str) -> bool {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM centre_subjects WHERE subject = ?1 AND team = ?2)",
    )
    .and_then(|mut s| s.query_row(params![subject, team], |r| r.get(0)))
    .unwrap_or(false)
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
    report: TeamReport,
    now: DateTime<Utc>,
) -> Result<Overview> {
    let citizen = |id: &str| -> Result<Citizen> {
        Ok(Citizen {
            id: id.to_string(),
            alias: alias_of(conn, id)?,
        })
    };
    let mut waiting = Vec::new();
    for (person, g) in gadeplan_core::kinds::courses::waiting_for_treatment(conn, now)? {
        if in_team(conn, team, &person) {
            waiting.push((citizen(&person)?, g));
        }
    }

    // Questionnaires due: the team's citizens with an open course.
    let open: Vec<String> = conn
        .prepare_cached(
            "SELECT DISTINCT c.owner FROM centre_subjects s JOIN courses c ON c.owner = s.subject
             WHERE s.team = ?1 AND c.voided = 0
               AND NOT EXISTS (SELECT 1 FROM course_closings k WHERE k.course = c.entry_id AND k.voided = 0)
             ORDER BY c.owner",
        )?
        .query_map([team], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut questionnaires_due = Vec::new();
    for person in open {
        for due in gadeplan_core::kinds::questionnaire_recorded::due(conn, &person, now)? {
            questionnaires_due.push((citizen(&person)?, due));
        }
    }

    let conflicts = conn
        .prepare_cached(
            "SELECT p.id, p.alias FROM centre_subjects s JOIN persons p ON p.id = s.subject
             WHERE s.team = ?1 AND p.attribute_conflicts > 0 AND p.voided = 0
               AND p.merged_into IS NULL ORDER BY p.alias",
        )?
        .query_map([team], |r| {
            Ok(Citizen {
                id: r.get(0)?,
                alias: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;

    let duplicates = gadeplan_core::duplicates::all_pairs(conn)?
        .into_iter()
        .filter(|d| in_team(conn, team, &d.first.person) && in_team(conn, team, &d.second.person))
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
    let tz = gadeplan_core::kinds::guarantee::time_zone(conn)?;
    let this_month = NaiveDate::from_ymd_opt(now.year(), now.month(), 1).expect("a month");
    let mut trend = Vec::new();
    for back in (0..TREND_MONTHS).rev() {
        let month = this_month - Months::new(back);
        let at = if back == 0 {
            None
        } else {
            let next = (month + Months::new(1))
                .and_hms_opt(0, 0, 0)
                .expect("midnight");
            let end = tz
                .from_local_datetime(&next)
                .earliest()
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_else(|| Utc.from_utc_datetime(&next));
            Some(format_timestamp(end - chrono::Duration::milliseconds(1)))
        };
        let caseload = gadeplan_core::kinds::courses::caseload_as_of(
            conn,
            &|citizen| in_team(conn, team, citizen),
            at.as_deref(),
        )?;
        trend.push((month.format("%Y-%m").to_string(), caseload.average));
    }

    Ok(Overview {
        report,
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
            if !in_team(conn, team, &id) {
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

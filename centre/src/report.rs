//! The team leader's numbers, computed from the core's projections at the centre: the pilot's
//! indicators (002 L3265–3283, 001 L1098–1116) that a team follows week to week.
//!
//! - citizens found (persons noted, not merged away or voided) and unknown citizens not yet named;
//! - pre-screening decisions: in the target group, outside it (referred on), undecided, not yet;
//! - risk checks by band;
//! - contacts per worker in the last 7 and 30 days (every outcome: the work done);
//! - caseload per worker: the citizens with an open course they are responsible for (a pair's
//!   course counts for both), and the team's average against the guideline of 15 per worker on
//!   average (002 L3195–3204), as the phones count it (`kinds::courses::caseload`); beside it the
//!   distinct citizens each met in the last 30 days;
//! - citizens with an open course not talked with in the last 14 days (fewer than one
//!   conversation every 14 days is "ad hoc", 004 L953–971; a declined approach is no
//!   conversation), longest first, with when they were last seen (`kinds::intensity`);
//! - the pilot's questionnaires: baselines, follow-ups, not possible, and per item the citizens
//!   with both answers and the means, as 001's Tabel 7-1 to 7-3 give them;
//! - each area's coverage in the last four weeks against its priority (`kinds::places`);
//! - safety incidents in the last 30 days and in all, by kind, and how often the police were
//!   called (the workers' safety, 002 L2589–2620).

use std::fmt::Write as _;

use chrono::{DateTime, Duration, Utc};
use gadeplan_core::journal::format_timestamp;
use rusqlite::params;
use serde::Serialize;

use crate::store::{Centre, Result};

pub const CASELOAD_LIMIT: u64 = 15;
pub const AD_HOC_DAYS: i64 = 14;

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TeamReport {
    pub team: String,
    pub generated_at: String,
    pub citizens_found: u64,
    pub unknown_citizens: u64,
    pub screening: ScreeningCounts,
    pub risk_checks: BandCounts,
    /// The guideline: 15 citizens per worker on average.
    pub caseload_limit: u64,
    /// Open courses carried per worker carrying any, on average (a pair's course counts for
    /// both), and whether it is over the guideline.
    pub caseload_average: f64,
    pub caseload_over_guideline: bool,
    pub workers: Vec<WorkerFigures>,
    /// Citizens with an open course and no conversation in the last 14 days, longest first.
    pub not_talked_with_14_days: Vec<QuietCitizen>,
    pub questionnaires: Vec<gadeplan_core::kinds::questionnaire_recorded::InstrumentFigures>,
    pub incidents: IncidentCounts,
    /// Each area of the team's mapping covered in the last four weeks (contacts at its places,
    /// rounds through it) against its priority, highest first (Bilag 2B, 002 L4049).
    pub coverage: Vec<AreaFigures>,
}

/// One area's coverage in the last four weeks (`kinds::places::coverage`), by codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AreaFigures {
    /// The area's id (its entry's).
    pub area: String,
    pub name: String,
    /// `high`, `normal`, `low`.
    pub priority: String,
    pub places: u32,
    pub contacts_28_days: u32,
    /// Rounds through it: each weekly round once a week since it was planned.
    pub rounds_28_days: u32,
    pub last_contact: Option<String>,
    /// `uncovered`, `planned` (on a round, no contacts), `covered`.
    pub state: String,
}

/// Safety incidents not voided: in the last 30 days and in all, by kind (the kinds' codes).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, utoipa::ToSchema)]
pub struct IncidentCounts {
    pub last_30_days: u64,
    pub total: u64,
    pub police_called: u64,
    /// Per kind: `threat`, `violence-against-person`, `violence-against-objects`, `other`.
    pub by_kind: std::collections::BTreeMap<String, u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, utoipa::ToSchema)]
pub struct ScreeningCounts {
    pub in_target_group: u64,
    pub outside_referred: u64,
    pub undecided: u64,
    pub not_screened: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, utoipa::ToSchema)]
pub struct BandCounts {
    pub low: u64,
    pub moderate: u64,
    pub high: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct WorkerFigures {
    pub worker: String,
    pub contacts_7_days: u64,
    pub contacts_30_days: u64,
    /// Citizens with an open course this worker is responsible for (alone or as a pair).
    pub caseload: u64,
    /// Distinct citizens this worker saw in the last 30 days.
    pub met_30_days: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct QuietCitizen {
    pub id: String,
    pub alias: String,
    pub conversations_30_days: u32,
    pub last_conversation_at: Option<String>,
    /// The latest contact in which the workers saw the citizen (a declined approach included).
    pub last_seen_at: Option<String>,
}

/// Each worker's contacts in the last 30 days and 7 days, and the distinct citizens (not merged
/// away, not voided) they met in the 30: the team's contacts of the 30 days, by time.
const WORKER_CONTACTS: &str = "SELECT c.author_worker, count(*), coalesce(sum(c.occurred_at >= ?3), 0),
        count(DISTINCT CASE WHEN c.met = 1 AND EXISTS (SELECT 1 FROM persons p WHERE p.id = c.owner
                AND p.merged_into IS NULL AND p.voided = 0) THEN c.owner END)
     FROM contacts c INDEXED BY centre_contacts_by_time CROSS JOIN centre_subjects s ON s.subject = c.owner
     WHERE c.occurred_at >= ?2 AND s.team = ?1 AND c.voided = 0
     GROUP BY c.author_worker";

/// The report's queries that read by time, for the query-plan test.
pub fn screen_queries() -> Vec<(&'static str, &'static str)> {
    vec![("contacts per worker, 30 days", WORKER_CONTACTS)]
}

impl Centre {
    pub fn report(&self, team: &str, now: DateTime<Utc>) -> Result<TeamReport> {
        // A misspelt team would otherwise read as a team with nothing to report.
        self.with_projection(team, |conn, team, enrolled| {
            report(conn, team, enrolled, now)
        })
    }
}

/// The figures, read from the core's projections of the team (`conn`), with every worker who
/// has a device enrolled in it (`enrolled`).
fn report(
    conn: &rusqlite::Connection,
    team: &str,
    enrolled: Vec<String>,
    now: DateTime<Utc>,
) -> Result<TeamReport> {
    let days_ago = |d: i64| format_timestamp(now - Duration::days(d));
    let count = |sql: &str| -> Result<u64> {
        Ok(conn.query_row(sql, [team], |r| r.get::<_, i64>(0))? as u64)
    };

    let citizens_found = count(
        "SELECT count(*) FROM persons p JOIN centre_subjects s ON s.subject = p.id
             WHERE s.team = ?1 AND p.merged_into IS NULL AND p.voided = 0",
    )?;
    let unknown_citizens = count(
            "SELECT count(*) FROM unknown_citizens u JOIN centre_subjects s ON s.subject = u.id
             WHERE s.team = ?1 AND NOT EXISTS (SELECT 1 FROM subject_redirects r WHERE r.from_id = u.id)",
        )?;

    let mut screening = ScreeningCounts::default();
    let mut stmt = conn.prepare(
            "SELECT coalesce(p.screening_decision, ''), count(*) FROM persons p JOIN centre_subjects s ON s.subject = p.id
             WHERE s.team = ?1 AND p.merged_into IS NULL AND p.voided = 0 GROUP BY 1",
        )?;
    for row in stmt.query_map([team], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
    })? {
        let (decision, n) = row?;
        match decision.as_str() {
            "in" => screening.in_target_group = n,
            "outside" => screening.outside_referred = n,
            "undecided" => screening.undecided = n,
            _ => screening.not_screened = n,
        }
    }

    let mut risk_checks = BandCounts::default();
    let mut stmt = conn.prepare(
        "SELECT r.band, count(*) FROM risk_checks r JOIN centre_subjects s ON s.subject = r.owner
             WHERE s.team = ?1 AND r.voided = 0 GROUP BY r.band",
    )?;
    for row in stmt.query_map([team], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
    })? {
        let (band, n) = row?;
        match band.as_str() {
            "low" => risk_checks.low = n,
            "moderate" => risk_checks.moderate = n,
            _ => risk_checks.high = n,
        }
    }

    // Every worker enrolled in the team shows, with zeros if they recorded nothing, and every
    // worker who recorded a contact in the last 30 days. The contacts are read by time (the
    // centre's index), the last 30 days' only, whatever the years before hold.
    let mut workers: Vec<WorkerFigures> = enrolled
        .into_iter()
        .map(|worker| WorkerFigures {
            worker,
            contacts_7_days: 0,
            contacts_30_days: 0,
            caseload: 0,
            met_30_days: 0,
        })
        .collect();
    let mut stmt = conn.prepare_cached(WORKER_CONTACTS)?;
    let rows = stmt.query_map(params![team, days_ago(30), days_ago(7)], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)? as u64,
            r.get::<_, i64>(2)? as u64,
            r.get::<_, i64>(3)? as u64,
        ))
    })?;
    for row in rows {
        let (worker, month, week, met) = row?;
        let figures = match workers.iter_mut().position(|w| w.worker == worker) {
            Some(i) => &mut workers[i],
            None => {
                workers.push(WorkerFigures {
                    worker,
                    contacts_7_days: 0,
                    contacts_30_days: 0,
                    caseload: 0,
                    met_30_days: 0,
                });
                workers.last_mut().expect("just pushed")
            }
        };
        figures.contacts_30_days = month;
        figures.contacts_7_days = week;
        figures.met_30_days = met;
    }

    let in_team: std::collections::BTreeSet<String> = conn
        .prepare(
            "SELECT p.id FROM persons p JOIN centre_subjects s ON s.subject = p.id
             WHERE s.team = ?1 AND p.merged_into IS NULL AND p.voided = 0",
        )?
        .query_map([team], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let courses = crate::team_courses::TeamCourses::read(conn, team, &format_timestamp(now))?;
    let not_talked_with_14_days =
        gadeplan_core::kinds::intensity::not_talked_with_among(conn, now, courses.open_owners())?
            .into_iter()
            .map(|q| QuietCitizen {
                id: q.person,
                alias: q.alias,
                conversations_30_days: q.intensity.conversations_30_days,
                last_conversation_at: q
                    .intensity
                    .last_conversation_at
                    .map(|t| t.as_str().to_string()),
                last_seen_at: q.last_seen_at.map(|t| t.as_str().to_string()),
            })
            .collect();
    let mut incidents = IncidentCounts::default();
    let mut stmt = conn.prepare(
        "SELECT i.kind, count(*), coalesce(sum(i.occurred_at >= ?2), 0), coalesce(sum(i.police_called), 0)
         FROM incidents i JOIN centre_subjects s ON s.subject = i.owner
         WHERE s.team = ?1 AND i.voided = 0 GROUP BY i.kind",
    )?;
    for row in stmt.query_map(params![team, days_ago(30)], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)? as u64,
            r.get::<_, i64>(2)? as u64,
            r.get::<_, i64>(3)? as u64,
        ))
    })? {
        let (kind, total, recent, police) = row?;
        incidents.total += total;
        incidents.last_30_days += recent;
        incidents.police_called += police;
        incidents.by_kind.insert(kind, total);
    }
    // The caseload as the phones count it, over the team's citizens.
    let caseload = courses.caseload();
    for carried in &caseload.workers {
        match workers.iter_mut().find(|w| w.worker == carried.worker) {
            Some(w) => w.caseload = u64::from(carried.open_courses),
            None => workers.push(WorkerFigures {
                worker: carried.worker.clone(),
                contacts_7_days: 0,
                contacts_30_days: 0,
                caseload: u64::from(carried.open_courses),
                met_30_days: 0,
            }),
        }
    }
    workers.sort_by(|a, b| a.worker.cmp(&b.worker));
    let questionnaires = gadeplan_core::kinds::questionnaire_recorded::figures(
        conn,
        in_team.iter().map(String::as_str),
    )?;
    let coverage = area_figures(conn, team, now)?;

    Ok(TeamReport {
        team: team.to_string(),
        generated_at: format_timestamp(now),
        citizens_found,
        unknown_citizens,
        screening,
        risk_checks,
        caseload_limit: CASELOAD_LIMIT,
        caseload_average: caseload.average,
        caseload_over_guideline: caseload.over_guideline,
        workers,
        not_talked_with_14_days,
        questionnaires,
        incidents,
        coverage,
    })
}

/// Whether a subject (a citizen, an area, a place) is the team's (one that cannot be read is not).
pub(crate) fn in_team(conn: &rusqlite::Connection, team: &str, subject: &str) -> bool {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM centre_subjects WHERE subject = ?1 AND team = ?2)",
    )
    .and_then(|mut s| s.query_row(params![subject, team], |r| r.get(0)))
    .unwrap_or(false)
}

/// Each area of the team's map, covered in the four weeks before `at` (`kinds::places::coverage`,
/// the team's areas, places and rounds by their own subjects), by codes and counts.
pub fn area_figures(
    conn: &rusqlite::Connection,
    team: &str,
    at: DateTime<Utc>,
) -> Result<Vec<AreaFigures>> {
    Ok(
        gadeplan_core::kinds::places::coverage(conn, at, &|subject| in_team(conn, team, subject))?
            .into_iter()
            .map(|c| AreaFigures {
                area: c.area.id,
                name: c.area.name,
                priority: c.area.priority.code().to_string(),
                places: c.places,
                contacts_28_days: c.contacts,
                rounds_28_days: c.rounds,
                last_contact: c.last_contact.map(|t| t.as_str().to_string()),
                state: c.state.code().to_string(),
            })
            .collect(),
    )
}

impl TeamReport {
    /// The report as a readable table, for the terminal.
    pub fn to_table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "Team {}  (report of {})", self.team, self.generated_at);
        let _ = writeln!(
            out,
            "  Citizens found               {:>5}",
            self.citizens_found
        );
        let _ = writeln!(
            out,
            "  Unknown citizens, not named  {:>5}",
            self.unknown_citizens
        );
        let s = &self.screening;
        let _ = writeln!(
            out,
            "  Pre-screening: in {} | outside (referred) {} | undecided {} | not screened {}",
            s.in_target_group, s.outside_referred, s.undecided, s.not_screened
        );
        let r = &self.risk_checks;
        let _ = writeln!(
            out,
            "  Risk checks: low {} | moderate {} | high {}",
            r.low, r.moderate, r.high
        );
        let _ = writeln!(
            out,
            "  Caseload: {:.1} open courses per worker on average (guideline {}){}",
            self.caseload_average,
            self.caseload_limit,
            if self.caseload_over_guideline {
                "  OVER"
            } else {
                ""
            }
        );
        let _ = writeln!(
            out,
            "  {:<20} {:>10} {:>10} {:>10} {:>10}",
            "Worker", "contacts 7d", "30d", "caseload", "met 30d"
        );
        for w in &self.workers {
            let _ = writeln!(
                out,
                "  {:<20} {:>10} {:>10} {:>10} {:>10}",
                w.worker, w.contacts_7_days, w.contacts_30_days, w.caseload, w.met_30_days
            );
        }
        let _ = writeln!(
            out,
            "  Open courses not talked with in the last {AD_HOC_DAYS} days: {}",
            self.not_talked_with_14_days.len()
        );
        for q in &self.not_talked_with_14_days {
            let _ = writeln!(
                out,
                "    {:<30} last conversation {}, last seen {}",
                q.alias,
                q.last_conversation_at.as_deref().unwrap_or("never"),
                q.last_seen_at.as_deref().unwrap_or("never")
            );
        }
        let i = &self.incidents;
        let _ = writeln!(
            out,
            "  Safety incidents: {} in 30 days, {} in all (police called {}){}",
            i.last_30_days,
            i.total,
            i.police_called,
            i.by_kind
                .iter()
                .map(|(k, n)| format!(" | {k} {n}"))
                .collect::<String>()
        );
        if !self.coverage.is_empty() {
            let _ = writeln!(out, "  Coverage of the areas, last 4 weeks:");
            for a in &self.coverage {
                let _ = writeln!(
                    out,
                    "    {:<24} {:<7} {:<10} places {} | contacts {} | rounds {}",
                    a.name, a.priority, a.state, a.places, a.contacts_28_days, a.rounds_28_days
                );
            }
        }
        let _ = writeln!(
            out,
            "  Questionnaires (baseline → follow-up, citizens with both):"
        );
        for f in &self.questionnaires {
            let _ = writeln!(
                out,
                "    {:<16} baselines {} | follow-ups {} | not possible {}",
                f.instrument, f.baselines, f.follow_ups, f.not_possible
            );
            for item in f.items.iter().filter(|i| i.pairs > 0) {
                let _ = writeln!(
                    out,
                    "      {:<22} {:.2} → {:.2} ({:+.2}, N = {})",
                    item.code,
                    item.mean_baseline.unwrap_or_default(),
                    item.mean_follow_up.unwrap_or_default(),
                    item.mean_change.unwrap_or_default(),
                    item.pairs
                );
            }
        }
        out
    }
}

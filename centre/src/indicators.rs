//! The pilot's indicators for a period (issue 16): what a team leader reports to management and
//! the political level for a quarter, a year or any two dates (001 L1098–1116, L1389–1464,
//! L3316–3418; 002 L4219–4229). Counts and codes only, never free text, so that every figure can
//! leave the centre as CSV.
//!
//! The period is whole days in the team's calendar (`guarantee::time_zone`), the first day to the
//! last day inclusive; a record counts in it by when it happened (`occurred_at`). Each figure is
//! read from the core's projections by index: the period's rows by time, each kept if its subject
//! is the team's, so a quarter costs what the quarter holds, not what five years hold
//! (`tests/tests/indicator_plans.rs` holds the plans to that; the benchmark's C3 measures it).
//!
//! Where the seeds count something the records only imply, the reading is the project's own and
//! said so in `docs/domain-rules.md`: "received the effort" is a course opened in the period;
//! the status three months after treatment start is the course's closing status if it closed by
//! then, else "continuing".

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Months, NaiveDate, TimeZone, Utc};
use gadeplan_core::journal::format_timestamp;
use gadeplan_core::kinds::guarantee::{self, GuaranteeState};
use rusqlite::{Connection, params};
use serde::Serialize;

use crate::store::{Centre, Refusal, Result};

/// The first and last day of a period, as the leader chose them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
}

impl Period {
    /// A period from its first and last day (`YYYY-MM-DD`), at most ten years long.
    pub fn parse(first: &str, last: &str) -> Result<Period> {
        let day = |text: &str, which: &str| {
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
                Refusal::new(
                    400,
                    "invalid-input",
                    format!("the {which} day is a date as YYYY-MM-DD"),
                )
            })
        };
        let (first_day, last_day) = (day(first, "first")?, day(last, "last")?);
        // chrono reads `+262142-12-31` as a year too; the day after it is out of its range.
        if [first_day, last_day]
            .iter()
            .any(|d| !(1900..=9999).contains(&d.year()))
        {
            return Err(Refusal::new(
                400,
                "invalid-input",
                "a day of the period is between the years 1900 and 9999",
            ));
        }
        if last_day < first_day {
            return Err(Refusal::new(
                400,
                "invalid-input",
                "the last day comes before the first",
            ));
        }
        if (last_day - first_day).num_days() > 3660 {
            return Err(Refusal::new(
                400,
                "invalid-input",
                "a period is at most ten years",
            ));
        }
        Ok(Period {
            first_day,
            last_day,
        })
    }

    /// The quarter a day falls in.
    pub fn quarter_of(day: NaiveDate) -> Period {
        let first_month = (day.month0() / 3) * 3 + 1;
        let first_day = NaiveDate::from_ymd_opt(day.year(), first_month, 1).expect("a month");
        let last_day = first_day + Months::new(3) - chrono::Days::new(1);
        Period {
            first_day,
            last_day,
        }
    }

    /// The period's instants in the journal's text form: from the first day's start to the day
    /// after the last day's start, in `tz`.
    fn bounds(&self, tz: chrono_tz::Tz) -> (String, String) {
        let start = |day: NaiveDate| start_of_day(tz, day);
        let after = self
            .last_day
            .checked_add_days(chrono::Days::new(1))
            .unwrap_or(self.last_day);
        (
            format_timestamp(start(self.first_day)),
            format_timestamp(start(after)),
        )
    }
}

/// The instant a day of the team's calendar begins (its first moment, through daylight saving
/// changes).
pub fn start_of_day(tz: chrono_tz::Tz, day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).expect("midnight");
    tz.from_local_datetime(&midnight)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&midnight))
}

/// The guarantee over the wishes for treatment made in the period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GuaranteeFigures {
    pub met: u64,
    pub breached: u64,
    pub waiting: u64,
    /// Calendar days from the wish to the start, the median over the courses started.
    pub median_days: Option<f64>,
}

/// One worker's contacts in the period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct WorkerContacts {
    pub worker: String,
    pub contacts: u64,
    /// Contacts without a colleague.
    pub solo: u64,
    pub home_visits: u64,
}

/// Home visits in the period: announced or not (as the contact was first recorded), and with
/// a colleague or alone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HomeVisits {
    pub announced: u64,
    pub unannounced: u64,
    pub with_colleague: u64,
    pub alone: u64,
}

/// The indicators of one team for one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicators {
    pub team: String,
    pub period: Period,
    pub generated_at: String,
    /// Persons noted in the period (not merged into another, not voided).
    pub citizens_found: u64,
    /// Citizens with a course opened in the period.
    pub received_effort: u64,
    /// Citizens whose pre-screening in the period found them outside the target group.
    pub outside_target_group: u64,
    /// Courses opened in the period by the citizen's attachment before the effort (codes).
    pub attachment_treatment: BTreeMap<String, u64>,
    pub attachment_substitution: BTreeMap<String, u64>,
    pub attachment_services: BTreeMap<String, u64>,
    /// Courses opened in the period by how the citizen was found.
    pub recruitment: BTreeMap<String, u64>,
    /// Courses whose treatment started in the period (the first start of each since three
    /// months before the period: a restart within that window is not counted again).
    pub bridged: u64,
    /// Courses closed in the period, by reason and by the treatment's status at closing.
    pub closed_by_reason: BTreeMap<String, u64>,
    pub status_at_closing: BTreeMap<String, u64>,
    /// Courses whose treatment started three months before a day of the period, by the status
    /// on that day: `continuing` (not closed by then), `completed`, `dropped-out`, or
    /// `not-recorded` (closed by then without a treatment status).
    pub status_three_months: BTreeMap<String, u64>,
    pub guarantee: GuaranteeFigures,
    pub contacts: u64,
    pub solo_contacts: u64,
    pub workers: Vec<WorkerContacts>,
    pub home_visits: HomeVisits,
    /// Risk checks (Brøset) in the period by band.
    pub risk_checks: BTreeMap<String, u64>,
    /// Safety incidents in the period by kind, and how often the police were called.
    pub incidents: BTreeMap<String, u64>,
    pub police_called: u64,
    /// Each area's coverage in the four weeks up to the period's end (or now, if sooner):
    /// contacts at its places and rounds through it against its priority.
    pub coverage: Vec<crate::report::AreaFigures>,
}

// Every query starts from the period's rows by time (the centre's indexes by time on the core's
// tables, `centre/migrations/0008_period_indexes.sql`) and keeps the team's by each row's subject
// (`centre_subjects` by its key). `INDEXED BY` and `CROSS JOIN` keep SQLite to that plan (it
// would otherwise walk a table by its key to count distinct owners): a quarter costs the rows of
// the quarter, whatever the years before it hold.
const PERSONS_FOUND: &str = "SELECT count(*) FROM persons p INDEXED BY centre_persons_by_time CROSS JOIN centre_subjects s ON s.subject = p.id
     WHERE p.noted_at >= ?2 AND p.noted_at < ?3 AND s.team = ?1
       AND p.merged_into IS NULL AND p.voided = 0";
const COURSES_OPENED: &str = "SELECT c.owner, c.found_via, coalesce(c.attachment_treatment, ''),
            coalesce(c.attachment_substitution, ''), coalesce(c.attachment_services, '')
     FROM courses c INDEXED BY centre_courses_by_time CROSS JOIN centre_subjects s ON s.subject = c.owner
     WHERE c.occurred_at >= ?2 AND c.occurred_at < ?3 AND s.team = ?1 AND c.voided = 0";
const OUTSIDE: &str = "SELECT count(DISTINCT x.owner) FROM screenings x INDEXED BY centre_screenings_by_time CROSS JOIN centre_subjects s ON s.subject = x.owner
     WHERE x.occurred_at >= ?2 AND x.occurred_at < ?3 AND s.team = ?1 AND x.voided = 0
       AND x.decision = 'outside'";
const STARTS: &str = "SELECT t.course, min(t.occurred_at) FROM treatment_starts t INDEXED BY centre_treatment_starts_by_time
     CROSS JOIN centre_subjects s ON s.subject = t.owner
     WHERE t.occurred_at >= ?2 AND t.occurred_at < ?3 AND s.team = ?1 AND t.voided = 0
     GROUP BY t.course";
const CLOSINGS: &str = "SELECT k.reason, coalesce(k.treatment_status, '') FROM course_closings k INDEXED BY centre_course_closings_by_time
     CROSS JOIN centre_subjects s ON s.subject = k.owner
     WHERE k.occurred_at >= ?2 AND k.occurred_at < ?3 AND s.team = ?1 AND k.voided = 0";
const CLOSING_OF: &str = "SELECT occurred_at, coalesce(treatment_status, '') FROM course_closings
     WHERE course = ?1 AND voided = 0 ORDER BY occurred_at LIMIT 1";
const WISHES: &str = "SELECT DISTINCT r.course FROM treatment_requests r INDEXED BY centre_treatment_requests_by_time
     CROSS JOIN centre_subjects s ON s.subject = r.owner
     WHERE r.occurred_at >= ?2 AND r.occurred_at < ?3 AND s.team = ?1 AND r.voided = 0";
const CONTACTS: &str = "SELECT c.author_worker, count(*), sum(c.with_colleague = 0),
            sum(c.place_kind = 'home')
     FROM contacts c INDEXED BY centre_contacts_by_time CROSS JOIN centre_subjects s ON s.subject = c.owner
     WHERE c.occurred_at >= ?2 AND c.occurred_at < ?3 AND s.team = ?1 AND c.voided = 0
     GROUP BY c.author_worker ORDER BY c.author_worker";
const HOME_VISITS: &str = "SELECT coalesce(json_extract(e.payload, '$.announced'), 0), c.with_colleague, count(*)
     FROM contacts c INDEXED BY centre_contacts_by_time CROSS JOIN centre_subjects s ON s.subject = c.owner
     CROSS JOIN entries e ON e.id = c.entry_id
     WHERE c.occurred_at >= ?2 AND c.occurred_at < ?3 AND s.team = ?1 AND c.voided = 0
       AND c.place_kind = 'home'
     GROUP BY 1, 2";
const RISK_CHECKS: &str =
    "SELECT r.band, count(*), 0 FROM risk_checks r INDEXED BY centre_risk_checks_by_time
     CROSS JOIN centre_subjects s ON s.subject = r.owner
     WHERE r.occurred_at >= ?2 AND r.occurred_at < ?3 AND s.team = ?1 AND r.voided = 0
     GROUP BY r.band";
const INCIDENTS: &str = "SELECT i.kind, count(*), sum(i.police_called) FROM incidents i INDEXED BY centre_incidents_by_time
     CROSS JOIN centre_subjects s ON s.subject = i.owner
     WHERE i.occurred_at >= ?2 AND i.occurred_at < ?3 AND s.team = ?1 AND i.voided = 0
     GROUP BY i.kind";

/// The indicators' queries, for the query-plan test: each must reach its rows by an index.
pub fn screen_queries() -> Vec<(&'static str, &'static str)> {
    vec![
        ("citizens found", PERSONS_FOUND),
        ("courses opened", COURSES_OPENED),
        ("outside the target group", OUTSIDE),
        ("treatment starts", STARTS),
        ("closings", CLOSINGS),
        ("a course's closing", CLOSING_OF),
        ("wishes for treatment", WISHES),
        ("contacts per worker", CONTACTS),
        ("home visits", HOME_VISITS),
        ("risk checks", RISK_CHECKS),
        ("incidents", INCIDENTS),
    ]
}

impl Centre {
    /// The team's indicators for the period, as of `now`.
    pub fn indicators(&self, team: &str, period: Period, now: DateTime<Utc>) -> Result<Indicators> {
        self.with_projection(team, |conn, team, _| indicators(conn, team, period, now))
    }
}

fn grouped(
    conn: &Connection,
    sql: &str,
    args: (&str, &str, &str),
) -> Result<Vec<(String, u64, u64)>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params![args.0, args.1, args.2], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)? as u64,
            r.get::<_, Option<i64>>(2)?.unwrap_or(0) as u64,
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn bump(map: &mut BTreeMap<String, u64>, code: &str) {
    if !code.is_empty() {
        *map.entry(code.to_string()).or_default() += 1;
    }
}

pub(crate) fn indicators(
    conn: &Connection,
    team: &str,
    period: Period,
    now: DateTime<Utc>,
) -> Result<Indicators> {
    let tz = guarantee::time_zone(conn)?;
    let (from, to) = period.bounds(tz);
    let args = params![team, from, to];

    let citizens_found = conn
        .prepare_cached(PERSONS_FOUND)?
        .query_row(args, |r| r.get::<_, i64>(0))? as u64;
    let outside_target_group = conn
        .prepare_cached(OUTSIDE)?
        .query_row(args, |r| r.get::<_, i64>(0))? as u64;

    let mut received = std::collections::BTreeSet::new();
    let (mut attachment_treatment, mut attachment_substitution, mut attachment_services) =
        (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    let mut recruitment = BTreeMap::new();
    {
        let mut stmt = conn.prepare_cached(COURSES_OPENED)?;
        let rows = stmt.query_map(args, |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        for row in rows {
            let (owner, via, treatment, substitution, services) = row?;
            received.insert(owner);
            bump(&mut recruitment, &via);
            bump(&mut attachment_treatment, &treatment);
            bump(&mut attachment_substitution, &substitution);
            bump(&mut attachment_services, &services);
        }
    }

    // Treatment starts: the first of each course; bridged if it falls in the period, and its
    // status three months on if that day falls in the period.
    // From three months before the period: the starts whose three months end in it.
    let since = DateTime::parse_from_rfc3339(&from)
        .ok()
        .and_then(|t| t.checked_sub_months(Months::new(3)))
        .map(|t| format_timestamp(t.with_timezone(&Utc)))
        .unwrap_or_else(|| from.clone());
    let starts: Vec<(String, String)> = conn
        .prepare_cached(STARTS)?
        .query_map(params![team, since, to], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut bridged = 0;
    let mut status_three_months = BTreeMap::new();
    for (course, started) in &starts {
        if started.as_str() >= from.as_str() && started.as_str() < to.as_str() {
            bridged += 1;
        }
        let Ok(started_at) = DateTime::parse_from_rfc3339(started) else {
            continue;
        };
        let Some(three_months) = started_at.checked_add_months(Months::new(3)) else {
            continue;
        };
        let three_months = format_timestamp(three_months.with_timezone(&Utc));
        if three_months.as_str() < from.as_str() || three_months.as_str() >= to.as_str() {
            continue;
        }
        let closing: Option<(String, String)> = conn
            .prepare_cached(CLOSING_OF)?
            .query_row([course], |r| Ok((r.get(0)?, r.get(1)?)))
            .ok();
        let status = match closing {
            Some((closed_at, status)) if closed_at <= three_months => {
                if status.is_empty() {
                    "not-recorded".to_string()
                } else {
                    status
                }
            }
            _ => "continuing".to_string(),
        };
        bump(&mut status_three_months, &status);
    }

    let (mut closed_by_reason, mut status_at_closing) = (BTreeMap::new(), BTreeMap::new());
    {
        let mut stmt = conn.prepare_cached(CLOSINGS)?;
        let rows = stmt.query_map(args, |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (reason, status) = row?;
            bump(&mut closed_by_reason, &reason);
            bump(&mut status_at_closing, &status);
        }
    }

    // The guarantee of each course with a wish in the period, as the phones compute it.
    let mut figures = GuaranteeFigures::default();
    let mut days = Vec::new();
    let courses: Vec<String> = conn
        .prepare_cached(WISHES)?
        .query_map(args, |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for course in courses {
        let Some(g) = guarantee::of_course(conn, &course, now)? else {
            continue;
        };
        match g.state {
            GuaranteeState::Met => figures.met += 1,
            GuaranteeState::Breached => figures.breached += 1,
            GuaranteeState::Waiting => figures.waiting += 1,
        }
        if let (Some(started), Ok(wished)) = (
            g.started_on.as_deref(),
            NaiveDate::parse_from_str(&g.wished_on, "%Y-%m-%d"),
        ) && let Ok(started) = NaiveDate::parse_from_str(started, "%Y-%m-%d")
        {
            days.push((started - wished).num_days());
        }
    }
    days.sort_unstable();
    figures.median_days = match days.len() {
        0 => None,
        n if n % 2 == 1 => Some(days[n / 2] as f64),
        n => Some((days[n / 2 - 1] + days[n / 2]) as f64 / 2.0),
    };

    let mut workers = Vec::new();
    {
        let mut stmt = conn.prepare_cached(CONTACTS)?;
        let rows = stmt.query_map(args, |r| {
            Ok(WorkerContacts {
                worker: r.get(0)?,
                contacts: r.get::<_, i64>(1)? as u64,
                solo: r.get::<_, Option<i64>>(2)?.unwrap_or(0) as u64,
                home_visits: r.get::<_, Option<i64>>(3)?.unwrap_or(0) as u64,
            })
        })?;
        for row in rows {
            workers.push(row?);
        }
    }
    let mut home_visits = HomeVisits::default();
    {
        let mut stmt = conn.prepare_cached(HOME_VISITS)?;
        let rows = stmt.query_map(args, |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)? as u64,
            ))
        })?;
        for row in rows {
            let (announced, with_colleague, n) = row?;
            if announced == 1 {
                home_visits.announced += n;
            } else {
                home_visits.unannounced += n;
            }
            if with_colleague == 1 {
                home_visits.with_colleague += n;
            } else {
                home_visits.alone += n;
            }
        }
    }

    let risk_checks = grouped(conn, RISK_CHECKS, (team, &from, &to))?
        .into_iter()
        .map(|(band, n, _)| (band, n))
        .collect();
    let mut incidents = BTreeMap::new();
    let mut police_called = 0;
    for (kind, n, police) in grouped(conn, INCIDENTS, (team, &from, &to))? {
        incidents.insert(kind, n);
        police_called += police;
    }

    let end = DateTime::parse_from_rfc3339(&to)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now)
        .min(now);
    let coverage = crate::report::area_figures(conn, team, end)?;

    Ok(Indicators {
        coverage,
        team: team.to_string(),
        period,
        generated_at: format_timestamp(now),
        citizens_found,
        received_effort: received.len() as u64,
        outside_target_group,
        attachment_treatment,
        attachment_substitution,
        attachment_services,
        recruitment,
        bridged,
        closed_by_reason,
        status_at_closing,
        status_three_months,
        guarantee: figures,
        contacts: workers.iter().map(|w| w.contacts).sum(),
        solo_contacts: workers.iter().map(|w| w.solo).sum(),
        workers,
        home_visits,
        risk_checks,
        incidents,
        police_called,
    })
}

impl Indicators {
    /// Every figure as CSV: `indicator,code,value`, one line a figure, codes and counts only
    /// (a worker's name is the code of their lines).
    pub fn to_csv(&self) -> String {
        let mut lines = vec!["indicator,code,value".to_string()];
        let mut line = |indicator: &str, code: &str, value: String| {
            lines.push(format!("{indicator},{},{value}", crate::export::cell(code)));
        };
        line("team", &self.team, String::new());
        line(
            "first-day",
            &self.period.first_day.to_string(),
            String::new(),
        );
        line("last-day", &self.period.last_day.to_string(), String::new());
        line("citizens-found", "", self.citizens_found.to_string());
        line("received-effort", "", self.received_effort.to_string());
        line(
            "outside-target-group",
            "",
            self.outside_target_group.to_string(),
        );
        for (indicator, map) in [
            ("attachment-treatment", &self.attachment_treatment),
            ("attachment-substitution", &self.attachment_substitution),
            ("attachment-services", &self.attachment_services),
            ("recruitment", &self.recruitment),
            ("closed-by-reason", &self.closed_by_reason),
            ("status-at-closing", &self.status_at_closing),
            ("status-three-months", &self.status_three_months),
            ("risk-checks", &self.risk_checks),
            ("incidents", &self.incidents),
        ] {
            for (code, n) in map {
                line(indicator, code, n.to_string());
            }
        }
        line("bridged", "", self.bridged.to_string());
        line("guarantee", "met", self.guarantee.met.to_string());
        line("guarantee", "breached", self.guarantee.breached.to_string());
        line("guarantee", "waiting", self.guarantee.waiting.to_string());
        line(
            "guarantee",
            "median-days",
            self.guarantee
                .median_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
        );
        line("contacts", "", self.contacts.to_string());
        line("solo-contacts", "", self.solo_contacts.to_string());
        for w in &self.workers {
            line("contacts-by-worker", &w.worker, w.contacts.to_string());
            line("solo-contacts-by-worker", &w.worker, w.solo.to_string());
            line(
                "home-visits-by-worker",
                &w.worker,
                w.home_visits.to_string(),
            );
        }
        let h = &self.home_visits;
        line("home-visits", "announced", h.announced.to_string());
        line("home-visits", "unannounced", h.unannounced.to_string());
        line(
            "home-visits",
            "with-colleague",
            h.with_colleague.to_string(),
        );
        line("home-visits", "alone", h.alone.to_string());
        line("police-called", "", self.police_called.to_string());
        // Areas by id: their names are the team's own words.
        for a in &self.coverage {
            line("coverage-contacts", &a.area, a.contacts_28_days.to_string());
            line("coverage-rounds", &a.area, a.rounds_28_days.to_string());
        }
        lines.join("\n") + "\n"
    }
}

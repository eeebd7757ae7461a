//! C3: the team leader's page at the scale of a large municipality (issue 16): 20 teams of ten
//! workers, five years of records against one year at the same pace of work, in the centre's
//! embedded store. One team's overview (`Centre::overview`) and one quarter's indicators
//! (`Centre::indicators`), each the median of its runs; goal ≤ 2× for five times the data: what
//! they read must follow the quarter and the team's open work, not the years behind them
//! (`tests/tests/indicator_plans.rs` holds the plans).
//!
//! The records are written straight into the core's projection tables and the centre's team of
//! each subject, as the centre's pushes would have left them: the page reads nothing else, and
//! five years of 200 workers through the sync path would make the benchmark take an hour.

use std::path::Path;
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use gadeplan_centre::Centre;
use gadeplan_centre::indicators::Period;
use gadeplan_core::journal::format_timestamp;
use rusqlite::{Connection, params};

use crate::timing::{Goal, median_micros};

const TEAMS: usize = 20;
const WORKERS_PER_TEAM: usize = 10;

/// A small deterministic random source (the same data every run).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

fn raw(data: &Path) -> Connection {
    let key = std::fs::read_to_string(data.join("centre.key")).expect("centre key");
    let key = gadeplan_core::db::parse_hex_key(&key).expect("hex key");
    gadeplan_core::db::open_raw(&data.join("centre.db"), &key).expect("centre store")
}

/// A nickname as the workers write them: a name and a word of five random letters, so that
/// two citizens' nicknames differ as real ones do (and now and then look alike).
fn nickname(dice: &mut Lcg) -> String {
    const NAMES: [&str; 12] = [
        "Finn", "Karl", "Mads", "Lis", "Ole", "Bente", "Grete", "Sofie", "Steen", "Hans", "Ib",
        "Kim",
    ];
    let word: String = (0..5)
        .map(|_| (b'a' + dice.below(26) as u8) as char)
        .collect();
    format!("{} {word}", NAMES[dice.below(12) as usize])
}

fn team_name(t: usize) -> String {
    format!("Team {t:02}")
}

/// A centre with `years` of records ending `now`: each worker notes `per_year` citizens a year;
/// most get a course, with a partner; courses close after four to nine months, some after a
/// wish for treatment and its start; each citizen is met every week while the course is open
/// (at most four months), a Brøset check at every third contact, a home visit now and then.
fn fill(data: &Path, years: i64, per_year: u64, now: DateTime<Utc>) -> usize {
    let centre = Centre::open(data).expect("centre");
    for t in 0..TEAMS {
        centre.add_team(&team_name(t)).expect("team");
    }
    drop(centre);
    let mut conn = raw(data);
    let tx = conn.transaction().expect("transaction");
    let mut dice = Lcg(7);
    let start = now - Duration::days(365 * years);
    let at = |t: DateTime<Utc>| format_timestamp(t);
    let mut rows = 0usize;
    {
        let mut subject = tx
            .prepare("INSERT INTO centre_subjects (subject, team) VALUES (?1, ?2)")
            .unwrap();
        let mut person = tx
            .prepare(
                "INSERT INTO persons (id, noted_entry, noted_at, alias, birth_year, voided,
                     attribute_conflicts, screening_decision, screening_at)
                 VALUES (?1, ?1, ?2, ?3, ?4, 0, 0, ?5, ?6)",
            )
            .unwrap();
        let mut screening = tx
            .prepare(
                "INSERT INTO screenings (owner, occurred_at, entry_id, voided, author_worker,
                     complex_burden, indicated, decision, referral_kind, instrument_version)
                 VALUES (?1, ?2, ?3, 0, ?4, 1, 1, ?5, NULL, 2)",
            )
            .unwrap();
        let mut course = tx
            .prepare(
                "INSERT INTO courses (owner, occurred_at, entry_id, voided, author_worker,
                     responsible, found_via, attachment_treatment, attachment_substitution,
                     attachment_services)
                 VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6, 'known-no-contact', 'earlier', 'none')",
            )
            .unwrap();
        let mut closing = tx
            .prepare(
                "INSERT INTO course_closings (owner, occurred_at, entry_id, voided, author_worker,
                     course, reason, treatment_status)
                 VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6, ?7)",
            )
            .unwrap();
        let mut request = tx
            .prepare(
                "INSERT INTO treatment_requests (owner, occurred_at, entry_id, voided,
                     author_worker, course)
                 VALUES (?1, ?2, ?3, 0, ?4, ?5)",
            )
            .unwrap();
        let mut start_treatment = tx
            .prepare(
                "INSERT INTO treatment_starts (owner, occurred_at, entry_id, voided,
                     author_worker, course, offer, intensity, counsellor)
                 VALUES (?1, ?2, ?3, 0, ?4, ?5, 'ambulant', 'ambulant', NULL)",
            )
            .unwrap();
        let mut contact = tx
            .prepare(
                "INSERT INTO contacts (owner, occurred_at, entry_id, voided, author_worker,
                     place_kind, kind, outcome, met, with_colleague, minutes, risk_check_id,
                     conversation)
                 VALUES (?1, ?2, ?3, 0, ?4, ?5, 'conversation', 'contact-made', 1, ?6, 20, NULL, 1)",
            )
            .unwrap();
        let mut entry = tx
            .prepare(
                "INSERT INTO entries (id, kind, schema_version, subject, author_worker,
                     author_device, occurred_at, recorded_at, payload)
                 VALUES (?1, 'contact.logged', 3, ?2, ?3, 'bench', ?4, ?4, ?5)",
            )
            .unwrap();
        let mut risk = tx
            .prepare(
                "INSERT INTO risk_checks (owner, occurred_at, entry_id, voided, author_worker,
                     score, band, instrument_version)
                 VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6, 1)",
            )
            .unwrap();
        let mut incident = tx
            .prepare(
                "INSERT INTO incidents (owner, occurred_at, entry_id, voided, author_worker,
                     kind, police_called, centre_called, contact)
                 VALUES (?1, ?2, ?3, 0, ?4, 'threat', ?5, 0, NULL)",
            )
            .unwrap();
        let vias = [
            "own-outreach",
            "shelter-drop-in",
            "caseworker",
            "civil-society",
        ];
        let mut id = 0u64;
        let mut next = || {
            id += 1;
            format!("{id:012x}-bench")
        };
        for t in 0..TEAMS {
            let team = team_name(t);
            for w in 0..WORKERS_PER_TEAM {
                let worker = format!("T{t:02}W{w}");
                let partner = format!("T{t:02}W{}", (w + 1) % WORKERS_PER_TEAM);
                for _ in 0..per_year * years as u64 {
                    let noted =
                        start + Duration::minutes(dice.below(365 * 24 * 60 * years as u64) as i64);
                    let pid = next();
                    let in_group = dice.below(5) != 0;
                    subject.execute(params![pid, team]).unwrap();
                    person
                        .execute(params![
                            pid,
                            at(noted),
                            nickname(&mut dice),
                            1960 + dice.below(40) as i64,
                            if in_group { "in" } else { "outside" },
                            at(noted + Duration::days(1)),
                        ])
                        .unwrap();
                    screening
                        .execute(params![
                            pid,
                            at(noted + Duration::days(1)),
                            next(),
                            worker,
                            if in_group { "in" } else { "outside" }
                        ])
                        .unwrap();
                    rows += 3;
                    let mut active_until = noted + Duration::days(30);
                    if in_group {
                        let opened = noted + Duration::days(2);
                        let cid = next();
                        course
                            .execute(params![
                                pid,
                                at(opened),
                                cid,
                                worker,
                                format!("[\"{worker}\",\"{partner}\"]"),
                                vias[dice.below(4) as usize]
                            ])
                            .unwrap();
                        rows += 1;
                        let closes = opened + Duration::days(120 + dice.below(150) as i64);
                        active_until = closes.min(opened + Duration::days(120));
                        if dice.below(10) < 4 {
                            let wish = opened + Duration::days(30);
                            request
                                .execute(params![pid, at(wish), next(), worker, cid])
                                .unwrap();
                            start_treatment
                                .execute(params![
                                    pid,
                                    at(wish + Duration::days(3 + dice.below(18) as i64)),
                                    next(),
                                    worker,
                                    cid
                                ])
                                .unwrap();
                            rows += 2;
                        }
                        if closes < now {
                            closing
                                .execute(params![
                                    pid,
                                    at(closes),
                                    next(),
                                    worker,
                                    cid,
                                    if dice.below(2) == 0 {
                                        "treatment"
                                    } else {
                                        "lost-contact"
                                    },
                                    if dice.below(2) == 0 {
                                        Some("continuing")
                                    } else {
                                        None
                                    },
                                ])
                                .unwrap();
                            rows += 1;
                        }
                    }
                    // Weekly contacts while the work is open, up to now.
                    let mut when = noted;
                    let mut n = 0;
                    while when < active_until && when < now {
                        let cid = next();
                        let home = dice.below(20) == 0;
                        contact
                            .execute(params![
                                pid,
                                at(when),
                                cid,
                                worker,
                                if home { "home" } else { "street" },
                                dice.below(4) != 0
                            ])
                            .unwrap();
                        if home {
                            entry
                                .execute(params![
                                    cid,
                                    pid,
                                    worker,
                                    at(when),
                                    format!("{{\"announced\":{}}}", dice.below(2) == 0)
                                ])
                                .unwrap();
                        }
                        if n % 3 == 0 {
                            let score = dice.below(6) as i64;
                            let band = match score {
                                0 => "low",
                                1 | 2 => "moderate",
                                _ => "high",
                            };
                            risk.execute(params![pid, at(when), next(), worker, score, band])
                                .unwrap();
                            rows += 1;
                        }
                        if dice.below(200) == 0 {
                            incident
                                .execute(params![pid, at(when), next(), worker, dice.below(3) == 0])
                                .unwrap();
                            rows += 1;
                        }
                        rows += 1;
                        n += 1;
                        when += Duration::days(7);
                    }
                }
            }
        }
    }
    tx.commit().expect("commit");
    conn.execute_batch("ANALYZE").expect("analyze");
    rows
}

fn median_of(runs: usize, mut work: impl FnMut()) -> f64 {
    work();
    let samples: Vec<std::time::Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            work();
            t.elapsed()
        })
        .collect();
    median_micros(&samples)
}

pub fn c3(dir: &Path, quick: bool) -> Vec<Goal> {
    let per_year = if quick { 8 } else { 20 };
    let runs = if quick { 5 } else { 15 };
    let now = Utc::now();
    let quarter = Period::quarter_of((now - Duration::days(92)).date_naive());
    let team = team_name(7);
    let mut figures = Vec::new();
    for years in [1, 5] {
        let data = dir.join(format!("page-{years}y"));
        let started = Instant::now();
        let rows = fill(&data, years, per_year, now);
        println!(
            "C3 {years} year(s): {rows} projected rows for {TEAMS} teams of {WORKERS_PER_TEAM} in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        let centre = Centre::open(&data).expect("centre");
        let overview = median_of(runs, || {
            centre.overview(&team, now).expect("overview");
        });
        let indicators = median_of(runs, || {
            centre.indicators(&team, quarter, now).expect("indicators");
        });
        figures.push((overview, indicators));
    }
    let (one, five) = (figures[0], figures[1]);
    vec![
        Goal::new(
            "C3",
            "the team's overview: 5 years of 20 teams against 1 year",
            five.0,
            one.0,
            2.0,
        ),
        Goal::new(
            "C3",
            "a quarter's indicators: 5 years of 20 teams against 1 year",
            five.1,
            one.1,
            2.0,
        ),
    ]
}

//! `gadeplan-bench`: the core's performance goals, each measured as a ratio against a baseline
//! taken in the same run on the same machine, because absolute timings on shared machines are
//! noise. Run with `cargo run --release -p gadeplan-bench` (add `-- --quick` for a smaller run,
//! `-- --only P1` for one part).
//!
//! - P1: recording one contact durably through the API (validation, entry, projections, commit)
//!   against a raw rusqlite insert and commit of the same payload into the same encrypted store.
//!   Goal ≤ 1.3×.
//! - P2: the persons-list screen (a page of 50) and a person's timeline with 250,000 entries over
//!   5,000 persons against the same with 25,000 over 500. Goal ≤ 1.5×: the cost of a screen must
//!   not grow with the data.
//! - P3: syncing 10,000 entries phone → centre → second phone over loopback against recording
//!   them (goal ≤ 2×), and wire bytes per entry against its payload (goal ≤ 1.1×).
//! - P3c: the same sync against a raw bulk insert of the same rows on both ends (goal ≤ 3×).
//! - P4: a phone's peak memory syncing 100,000 entries against 10,000 (goal ≤ 1.5×).
//! - C1, C2 (SQLite and PostgreSQL), L1: the centre's throughput with 1, 10 and 100 phones, an
//!   empty sync round against the team's history, a full pull over emulated 3G and EDGE
//!   (`centre_bench`).
//! - C3: the team leader's page with five years of 20 teams against one year: one team's
//!   overview and a quarter's indicators (`page_bench`). Goal ≤ 2×.

mod centre_bench;
mod link;
mod page_bench;
mod sync_bench;
mod timing;

use std::sync::Arc;
use std::time::Instant;

use chrono::{Duration, Utc};
use gadeplan_core::{
    BrosetItem, CloseReason, ContactInput, ContactKind, CourseCloseInput, CourseInput, CoursePhase,
    CoursePhaseInput, FoundVia, GoalKind, NewEntry, NewPerson, Occasion, Outcome, PlaceKind,
    PlanFields, PlanInput, PlanPartner, Questionnaire, QuestionnaireInput, RiskCheckInput,
    SpecificPlan, Stage, StageInput, Store, Subject, TreatmentAttachment, TreatmentIntensity,
    TreatmentRequestInput, TreatmentStartInput,
};
use serde_json::json;
use tempfile::TempDir;

use timing::{Goal, median_micros};

pub(crate) const KEY: [u8; 32] = [42u8; 32];
/// Entries per person in the P2 data sets: the same in both, so only the data size differs.
const ENTRIES_PER_PERSON: usize = 50;
/// A phone screen's page of the persons list.
const PAGE: u32 = 50;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, path, url] = &args[..]
        && flag == "--sync-child"
    {
        sync_bench::sync_child(path, url);
        return;
    }
    let quick = std::env::args().any(|a| a == "--quick");
    let dir = TempDir::new().expect("temporary directory");
    println!(
        "Gadeplan core benchmarks ({}), ratios against baselines measured in this run\n",
        if quick { "quick" } else { "full" }
    );

    // `--only P1` (or P2) runs one part, for profiling.
    let only = std::env::args().skip_while(|a| a != "--only").nth(1);
    let wanted = |id: &str| only.as_deref().is_none_or(|o| o.eq_ignore_ascii_case(id));
    let mut goals = Vec::new();
    if wanted("P1") {
        goals.push(p1_record_contact(&dir, if quick { 300 } else { 2_000 }));
    }
    if wanted("P2") {
        goals.extend(p2_screens(&dir, if quick { 10 } else { 1 }));
    }
    if wanted("P3") {
        goals.extend(sync_bench::p3(
            dir.path(),
            if quick { 2_000 } else { 10_000 },
        ));
    }
    if wanted("P4") {
        let (small, large) = if quick {
            (2_000, 20_000)
        } else {
            (10_000, 100_000)
        };
        goals.extend(sync_bench::p4(dir.path(), small, large));
    }

    if wanted("C1") || wanted("C2") {
        let postgres = centre_bench::Postgres::for_this_run();
        let mut backends = vec![centre_bench::Backend::Sqlite];
        if let Some(pg) = &postgres {
            backends.push(centre_bench::Backend::Postgres(pg));
        }
        for backend in backends {
            if wanted("C1") {
                goals.extend(centre_bench::c1(dir.path(), backend, quick));
            }
            if wanted("C2") {
                goals.push(centre_bench::c2(dir.path(), backend, quick));
            }
        }
    }
    if wanted("C3") {
        goals.extend(page_bench::c3(dir.path(), quick));
    }
    if wanted("L1") {
        goals.extend(centre_bench::l1(dir.path(), quick));
    }

    println!();
    for g in &goals {
        println!("{g}");
    }
    let report = json!(goals.iter().map(Goal::to_json).collect::<Vec<_>>());
    let out = std::path::Path::new("target").join("bench-results.json");
    if std::fs::write(&out, serde_json::to_string_pretty(&report).expect("json")).is_ok() {
        println!("\nfigures written to {}", out.display());
    }
    if goals.iter().any(|g| !g.met()) {
        println!("\nsome goals were not met (see above)");
    }
}

pub(crate) fn sample_contact(person: &str) -> ContactInput {
    ContactInput {
        subject: Some(Subject::Person {
            id: person.to_string(),
        }),
        place: "Enghave Plads, by the kiosk".into(),
        place_kind: PlaceKind::Park,
        kind: ContactKind::Conversation,
        meeting: None,
        announced: None,
        safety_reason: None,
        outcome: Outcome::ContactMade,
        colleague: Some("Jonas".into()),
        minutes: Some(15),
        note: Some(
            "Talked about a bed at the shelter tonight; will look for him tomorrow morning.".into(),
        ),
        risk_check: None,
        occurred_at: None,
        place_id: None,
    }
}

fn p1_record_contact(dir: &TempDir, n: usize) -> Goal {
    print!("P1: recording {n} contacts each way … ");
    let path = dir.path().join("p1.db").to_string_lossy().into_owned();
    let store =
        Store::create(path.clone(), KEY.to_vec(), "Mette".into(), "bench".into()).expect("store");
    let person = store
        .add_person(NewPerson {
            alias: "Kim".into(),
            description: None,
            birth_year: None,
            from_unknown: None,
            occurred_at: None,
        })
        .expect("person")
        .person;
    // The baseline: the same connection to the same encrypted file (so both sides share its
    // page cache, as a phone's single connection would), inserting the same payload text into
    // a bare table and committing.
    store
        .with_connection(|c| {
            Ok(c.execute_batch(
                "CREATE TABLE bench_raw (id TEXT PRIMARY KEY, payload TEXT NOT NULL)",
            )?)
        })
        .expect("table");
    let payload = store
        .entry(
            store
                .record_contact(sample_contact(&person))
                .expect("contact")
                .id,
        )
        .expect("entry")
        .payload;

    let mut api = Vec::with_capacity(n);
    let mut baseline = Vec::with_capacity(n);
    // Interleaved one by one so that drift in the machine's load hits both sides alike.
    for _ in 0..n {
        let t = Instant::now();
        store
            .record_contact(sample_contact(&person))
            .expect("contact");
        api.push(t.elapsed());
        let t = Instant::now();
        store
            .with_connection(|c| {
                let tx = c.unchecked_transaction()?;
                tx.prepare_cached("INSERT INTO bench_raw (id, payload) VALUES (?1, ?2)")?
                    .execute([gadeplan_core::journal::new_id(), payload.clone()])?;
                tx.commit()?;
                Ok(())
            })
            .expect("raw insert");
        baseline.push(t.elapsed());
    }
    println!("done");
    let (api_pages, raw_pages) = pages_per_commit(&store, &path, &person, &payload);
    println!("  pages written per commit: API {api_pages:.1}, raw insert {raw_pages:.1}");
    Goal::new(
        "P1",
        "record one contact durably vs raw insert+commit",
        median_micros(&api),
        median_micros(&baseline),
        1.3,
    )
}

/// How many pages one commit writes to the WAL, from the WAL's growth over 100 commits with
/// checkpoints held off: page writes are what encryption and I/O cost scale with.
fn pages_per_commit(store: &Store, path: &str, person: &str, payload: &str) -> (f64, f64) {
    let wal = format!("{path}-wal");
    let frame = 4096.0 + 24.0;
    let wal_size = || {
        std::fs::metadata(&wal)
            .map(|m| m.len() as f64)
            .unwrap_or(0.0)
    };
    store
        .with_connection(|c| {
            Ok(c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA wal_autocheckpoint = 0;")?)
        })
        .expect("pragma");
    let start = wal_size();
    for _ in 0..100 {
        store
            .record_contact(sample_contact(person))
            .expect("contact");
    }
    let mid = wal_size();
    for _ in 0..100 {
        store
            .with_connection(|c| {
                let tx = c.unchecked_transaction()?;
                tx.prepare_cached("INSERT INTO bench_raw (id, payload) VALUES (?1, ?2)")?
                    .execute([gadeplan_core::journal::new_id(), payload.to_string()])?;
                tx.commit()?;
                Ok(())
            })
            .expect("raw insert");
    }
    let end = wal_size();
    store
        .with_connection(|c| {
            Ok(c.execute_batch(
                "PRAGMA wal_autocheckpoint = 1000; PRAGMA wal_checkpoint(TRUNCATE);",
            )?)
        })
        .expect("pragma");
    ((mid - start) / frame / 100.0, (end - mid) / frame / 100.0)
}

/// Fills a store with `persons` persons and `ENTRIES_PER_PERSON` entries each, through the
/// public API (synchronous=OFF while generating only, to make the set-up bearable).
fn populate(dir: &TempDir, name: &str, persons: usize) -> (Arc<Store>, Vec<String>) {
    let path = dir.path().join(name).to_string_lossy().into_owned();
    let store = Store::create(path, KEY.to_vec(), "Mette".into(), "bench".into()).expect("store");
    store
        .with_connection(|c| Ok(c.execute_batch("PRAGMA synchronous = OFF")?))
        .expect("pragma");
    let started = Instant::now();
    let mut ids = Vec::with_capacity(persons);
    for p in 0..persons {
        let id = store
            .add_person(NewPerson {
                alias: format!("Person {p}"),
                description: Some("grey coat".into()),
                birth_year: None,
                from_unknown: None,
                occurred_at: None,
            })
            .expect("person")
            .person;
        for e in 1..ENTRIES_PER_PERSON {
            // Each person's course: opened, a wish for treatment, motivation work with its
            // questionnaire at the start and the end, bridging with the drug situation's
            // baseline, a plan; every other person's treatment started, every third course
            // closed. Recorded in that order, so dated in it too, just before the person's
            // other entries (whose times run backwards as `e` grows).
            let base =
                Utc::now() - Duration::minutes(((persons - p + 1) * ENTRIES_PER_PERSON) as i64);
            let at = |step: i64| Some((base + Duration::seconds(step)).to_rfc3339());
            let course_step = match e {
                2 => Some(NewEntry::CourseOpened(CourseInput {
                    person: id.clone(),
                    responsible: vec![],
                    found_via: FoundVia::OwnOutreach,
                    attachment_treatment: Some(TreatmentAttachment::KnownNoContact),
                    attachment_substitution: None,
                    attachment_services: None,
                    occurred_at: at(1),
                })),
                3 => Some(NewEntry::TreatmentRequested(TreatmentRequestInput {
                    person: id.clone(),
                    course: None,
                    occurred_at: at(2),
                })),
                5 => Some(NewEntry::PlanSet(PlanInput {
                    person: id.clone(),
                    course: None,
                    fields: PlanFields {
                        goal: "Heroin".into(),
                        goal_kind: Some(GoalKind::Reduction),
                        achieve: Some("a flat".into()),
                        services: None,
                        remarks: None,
                        partners: vec![PlanPartner {
                            name: "Anna".into(),
                            phone: Some("12345678".into()),
                        }],
                        plans: vec![SpecificPlan {
                            goal: "first meeting".into(),
                            citizen_effort: None,
                            others_effort: None,
                            worker_effort: Some("fetch him".into()),
                            remarks: None,
                        }],
                        crisis_plan: Some("call Anna".into()),
                    },
                    occurred_at: at(3),
                })),
                4 => Some(NewEntry::CoursePhaseSet(CoursePhaseInput {
                    person: id.clone(),
                    course: None,
                    phase: CoursePhase::Motivation,
                    occurred_at: at(3),
                })),
                6 | 9 => Some(NewEntry::QuestionnaireRecorded(QuestionnaireInput {
                    person: id.clone(),
                    course: None,
                    instrument: Questionnaire::Motivation,
                    occasion: None,
                    answers: vec![Some(4), Some(4), None, Some(3), Some(5), Some(2)],
                    not_possible: None,
                    occurred_at: at(if e == 6 { 3 } else { 6 }),
                })),
                8 => Some(NewEntry::CoursePhaseSet(CoursePhaseInput {
                    person: id.clone(),
                    course: None,
                    phase: CoursePhase::Bridging,
                    occurred_at: at(5),
                })),
                10 => Some(NewEntry::QuestionnaireRecorded(QuestionnaireInput {
                    person: id.clone(),
                    course: None,
                    instrument: Questionnaire::DrugSituation,
                    occasion: Some(Occasion::Baseline),
                    answers: vec![Some(20), Some(3), Some(4)],
                    not_possible: None,
                    occurred_at: at(6),
                })),
                7 if p % 2 == 0 => Some(NewEntry::TreatmentStarted(TreatmentStartInput {
                    person: id.clone(),
                    course: None,
                    offer: "Dagbehandling".into(),
                    intensity: TreatmentIntensity::Day,
                    counsellor: None,
                    occurred_at: at(4),
                })),
                12 if p % 3 == 0 => Some(NewEntry::CourseClosed(CourseCloseInput {
                    person: id.clone(),
                    course: None,
                    reason: CloseReason::LostContact,
                    treatment_status: None,
                    occurred_at: at(5),
                })),
                _ => None,
            };
            if let Some(input) = course_step {
                store.record(input).expect("a course's step");
                continue;
            }
            let at = Some(
                (Utc::now() - Duration::minutes(((persons - p) * ENTRIES_PER_PERSON + e) as i64))
                    .to_rfc3339(),
            );
            match e % 5 {
                0 => {
                    store
                        .record_risk_check(RiskCheckInput {
                            subject: Subject::Person { id: id.clone() },
                            observed: vec![BrosetItem::Irritability],
                            plan: None,
                            occurred_at: at,
                        })
                        .expect("risk");
                }
                1 => {
                    store
                        .record_stage(StageInput {
                            person: id.clone(),
                            stage: Stage::Contemplation,
                            importance: Some(6),
                            confidence: Some(4),
                            recovery_goal: None,
                            life_control: None,
                            craving: None,
                            occurred_at: at,
                        })
                        .expect("stage");
                }
                _ => {
                    store
                        .record_contact(ContactInput {
                            occurred_at: at,
                            ..sample_contact(&id)
                        })
                        .expect("contact");
                }
            }
        }
        ids.push(id);
    }
    store
        .with_connection(|c| {
            Ok(c.execute_batch("PRAGMA synchronous = FULL; PRAGMA wal_checkpoint(TRUNCATE);")?)
        })
        .expect("pragma");
    println!(
        "  {name}: {} entries over {persons} persons in {:.1} s",
        persons * ENTRIES_PER_PERSON,
        started.elapsed().as_secs_f64()
    );
    (store, ids)
}

fn p2_screens(dir: &TempDir, scale_down: usize) -> Vec<Goal> {
    let (small_n, large_n) = (500 / scale_down, 5_000 / scale_down);
    println!(
        "P2: building data sets ({} and {} entries) …",
        small_n * ENTRIES_PER_PERSON,
        large_n * ENTRIES_PER_PERSON
    );
    let (small, small_ids) = populate(dir, "p2-small.db", small_n);
    let (large, large_ids) = populate(dir, "p2-large.db", large_n);
    let rounds = 300;
    let mut list = (Vec::new(), Vec::new());
    let mut timeline = (Vec::new(), Vec::new());
    for r in 0..rounds {
        for (store, ids, list_out, timeline_out) in [
            (&small, &small_ids, &mut list.0, &mut timeline.0),
            (&large, &large_ids, &mut list.1, &mut timeline.1),
        ] {
            let t = Instant::now();
            let page = store.list_persons(Some(PAGE), 0).expect("list");
            list_out.push(t.elapsed());
            assert_eq!(page.len(), PAGE as usize);
            let id = ids[(r * 7919) % ids.len()].clone();
            let t = Instant::now();
            let detail = store.person(id).expect("person");
            timeline_out.push(t.elapsed());
            assert_eq!(detail.timeline.len(), ENTRIES_PER_PERSON);
        }
    }
    let label = format!(
        "{}k vs {}k entries",
        large_n * ENTRIES_PER_PERSON / 1000,
        small_n * ENTRIES_PER_PERSON / 1000
    );
    vec![
        Goal::new(
            "P2a",
            &format!("persons list, page of {PAGE}, {label}"),
            median_micros(&list.1),
            median_micros(&list.0),
            1.5,
        ),
        Goal::new(
            "P2b",
            &format!("person with timeline ({ENTRIES_PER_PERSON} entries), {label}"),
            median_micros(&timeline.1),
            median_micros(&timeline.0),
            1.5,
        ),
    ]
}

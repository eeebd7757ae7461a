//! The centre's part of the benchmarks, on each backend.
//!
//! - C1: throughput: N phones (threads, teams of ten) recording and syncing at once against one
//!   centre, for 1, 10 and 100 phones: entries taken in per second, the 95th percentile of a
//!   sync round, and the ratio of 100 phones' throughput to one phone's.
//! - C2: a sync round with nothing new, with 20,000 entries of team history against 1,000: it
//!   should cost a small constant, not grow with the history (a known pain of CouchDB-based
//!   systems).
//! - L1: a replaced phone's full pull of its team's entries through an emulated 3G and EDGE link
//!   (`link`), against the floor of its bytes over the link's bandwidth plus one round trip.
//!
//! PostgreSQL is the test command's server if `GADEPLAN_TEST_POSTGRES` names one, else a
//! throwaway one this run starts (`scripts/postgres.sh`) and stops.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use gadeplan::transport::HttpTransport;
use gadeplan_centre::policy::EnrolLimits;
use gadeplan_centre::server::Settings;
use gadeplan_centre::{Centre, Database, RunningCentre};
use gadeplan_core::Store;

use crate::link::{EDGE, Emulated, Shape, THREE_G};
use crate::sync_bench::{record, varied_note};
use crate::timing::Goal;
use crate::{KEY, sample_contact};

/// A PostgreSQL server for the run: named by the environment, or started here.
pub struct Postgres {
    pub admin: String,
    started: Option<PathBuf>,
}

impl Postgres {
    pub fn for_this_run() -> Option<Postgres> {
        if let Ok(admin) = std::env::var("GADEPLAN_TEST_POSTGRES") {
            return Some(Postgres {
                admin,
                started: None,
            });
        }
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/postgres.sh");
        let dir = PathBuf::from(format!("/tmp/gadeplan-bench-pg-{}", std::process::id()));
        let out = std::process::Command::new(&script)
            .arg("start")
            .arg(&dir)
            .output()
            .ok()?;
        if !out.status.success() {
            eprintln!(
                "no PostgreSQL for the benchmark: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            return None;
        }
        Some(Postgres {
            admin: String::from_utf8_lossy(&out.stdout).trim().to_string(),
            started: Some(dir),
        })
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        if let Some(dir) = &self.started {
            let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/postgres.sh");
            let _ = std::process::Command::new(script)
                .arg("stop")
                .arg(dir)
                .output();
        }
    }
}

/// Which backend a part runs on.
#[derive(Clone, Copy)]
pub enum Backend<'a> {
    Sqlite,
    Postgres(&'a Postgres),
}

impl Backend<'_> {
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres(_) => "PostgreSQL",
        }
    }
}

pub struct Running {
    _centre: RunningCentre,
    pub url: String,
    pub operator: Centre,
}

/// A centre on `backend`, with `teams` teams, no quota and no enrolment limit.
pub fn start(dir: &Path, backend: Backend<'_>, name: &str, teams: usize) -> Running {
    let database = match backend {
        Backend::Sqlite => Database::embedded(dir.join(name)),
        Backend::Postgres(pg) => {
            Database::Postgres(gadeplan_testkit::postgres::fresh_database_on(&pg.admin))
        }
    };
    let operator = Centre::connect(&database, Default::default()).expect("centre");
    for t in 0..teams {
        operator.add_team(&format!("team-{t}")).expect("team");
    }
    let mut settings = Settings {
        enrol: EnrolLimits {
            per_source_per_minute: u32::MAX,
            total_per_minute: u32::MAX,
        },
        ..Settings::default()
    };
    settings.policy.quota = gadeplan_centre::policy::Quota::unlimited();
    // Every phone of the benchmark comes from one address, as behind a proxy.
    settings.listener.max_connections_per_source = settings.listener.max_connections;
    let centre = RunningCentre::start_with(database, "127.0.0.1:0", settings).expect("centre");
    Running {
        url: centre.url(),
        _centre: centre,
        operator,
    }
}

/// A phone of `team`, enrolled.
pub fn phone(running: &Running, dir: &Path, worker: &str, team: &str) -> Arc<Store> {
    let path = dir
        .join(format!("{worker}.db"))
        .to_string_lossy()
        .into_owned();
    let store = Store::create(path, KEY.to_vec(), worker.into(), "bench".into()).expect("store");
    let code = running
        .operator
        .new_enrolment(team, worker, 1)
        .expect("code")
        .code;
    store
        .enrol(
            Arc::new(HttpTransport::new(&running.url)),
            running.url.clone(),
            code,
        )
        .expect("enrol");
    store
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort_unstable();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i]
}

/// One throughput run: entries taken in per second, and the 95th percentile of a sync round.
fn throughput(
    dir: &Path,
    backend: Backend<'_>,
    phones: usize,
    rounds: usize,
    per_round: usize,
) -> (f64, Duration) {
    let teams = phones.div_ceil(10);
    let name = format!("c1-{}-{phones}", backend.name());
    let running = start(dir, backend, &name, teams);
    let phone_dir = dir.join(&name).with_extension("phones");
    std::fs::create_dir_all(&phone_dir).expect("phones' directory");
    let stores: Vec<Arc<Store>> = (0..phones)
        .map(|i| {
            phone(
                &running,
                &phone_dir,
                &format!("w{i}"),
                &format!("team-{}", i / 10),
            )
        })
        .collect();
    let start_line = Barrier::new(phones);
    let started = Instant::now();
    let mut rounds_taken: Vec<Duration> = std::thread::scope(|scope| {
        let handles: Vec<_> = stores
            .iter()
            .enumerate()
            .map(|(i, store)| {
                let (url, start_line) = (&running.url, &start_line);
                scope.spawn(move || {
                    let transport = Arc::new(HttpTransport::new(url));
                    let person = store
                        .add_person(gadeplan_core::NewPerson {
                            alias: format!("Person of {i}"),
                            description: None,
                            birth_year: None,
                            from_unknown: None,
                            occurred_at: None,
                        })
                        .expect("person")
                        .person;
                    start_line.wait();
                    let mut taken = Vec::with_capacity(rounds);
                    for round in 0..rounds {
                        for e in 0..per_round {
                            let mut contact = sample_contact(&person);
                            contact.note = Some(varied_note((i * 1_000 + round * 50 + e) as u64));
                            store.record_contact(contact).expect("contact");
                        }
                        let t = Instant::now();
                        store.sync(transport.clone()).expect("sync");
                        taken.push(t.elapsed());
                    }
                    taken
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a phone"))
            .collect()
    });
    let wall = started.elapsed();
    // Every entry is in: the last round of each phone pushed what it recorded.
    let taken_in: usize = (0..teams)
        .map(|t| {
            running
                .operator
                .team_entry_ids(&format!("team-{t}"))
                .expect("ids")
                .len()
        })
        .sum();
    assert_eq!(taken_in, phones * (rounds * per_round + 1));
    let per_second = (phones * rounds * per_round) as f64 / wall.as_secs_f64();
    (per_second, percentile(&mut rounds_taken, 0.95))
}

pub fn c1(dir: &Path, backend: Backend<'_>, quick: bool) -> Vec<Goal> {
    let rounds = if quick { 3 } else { 8 };
    let per_round = 10;
    println!(
        "C1 ({}): phones recording {per_round} entries and syncing, {rounds} rounds each …",
        backend.name()
    );
    let mut figures = Vec::new();
    for phones in [1, 10, 100] {
        let (per_second, p95) = throughput(dir, backend, phones, rounds, per_round);
        println!(
            "  {phones:>3} phones: {per_second:>7.0} entries/s, sync round p95 {:.0} ms",
            p95.as_secs_f64() * 1e3
        );
        figures.push((per_second, p95));
    }
    vec![
        Goal::figure(
            &format!("C1-{}", backend.name()),
            &format!("throughput, 100 phones vs 1 ({})", backend.name()),
            figures[2].0,
            figures[0].0,
        )
        .with_unit("entries/s"),
    ]
}

/// A phone whose team has `history` entries, all pulled: what C2 syncs with nothing new.
struct Idle {
    _running: Running,
    phone: Arc<Store>,
    transport: Arc<HttpTransport>,
}

fn idle_phone(dir: &Path, backend: Backend<'_>, history: usize) -> Idle {
    let name = format!("c2-{}-{history}", backend.name());
    let running = start(dir, backend, &name, 1);
    let phone_dir = dir.join(&name).with_extension("phones");
    std::fs::create_dir_all(&phone_dir).expect("phones' directory");
    let a = phone(&running, &phone_dir, "a", "team-0");
    let b = phone(&running, &phone_dir, "b", "team-0");
    record(&a, history, false);
    let transport = Arc::new(HttpTransport::new(&running.url));
    a.sync(transport.clone()).expect("push");
    b.sync(transport.clone()).expect("pull");
    Idle {
        _running: running,
        phone: b,
        transport,
    }
}

impl Idle {
    fn round(&self) -> Duration {
        let t = Instant::now();
        let report = self.phone.sync(self.transport.clone()).expect("idle round");
        assert_eq!(report.pulled + report.pushed, 0);
        t.elapsed()
    }
}

pub fn c2(dir: &Path, backend: Backend<'_>, quick: bool) -> Goal {
    let (small, large) = if quick { (500, 5_000) } else { (1_000, 20_000) };
    println!(
        "C2 ({}): a sync round with nothing new, {large} entries of history vs {small} …",
        backend.name()
    );
    let (s, l) = (
        idle_phone(dir, backend, small),
        idle_phone(dir, backend, large),
    );
    // Alternated, so that the machine's drift hits both alike.
    let (mut with_small, mut with_large) = (Vec::new(), Vec::new());
    for _ in 0..60 {
        with_small.push(s.round());
        with_large.push(l.round());
    }
    let (s, l) = (
        percentile(&mut with_small, 0.5),
        percentile(&mut with_large, 0.5),
    );
    println!(
        "  {:.2} ms with {small}, {:.2} ms with {large}",
        s.as_secs_f64() * 1e3,
        l.as_secs_f64() * 1e3
    );
    Goal::new(
        &format!("C2-{}", backend.name()),
        &format!("an empty sync round, {large} entries of history vs {small}"),
        l.as_secs_f64() * 1e6,
        s.as_secs_f64() * 1e6,
        1.2,
    )
}

/// A replaced phone's full pull through an emulated link: the time, and its floor.
fn full_pull(dir: &Path, history: usize, shape: Shape) -> (Duration, Duration, u64) {
    let name = format!("l1-{}-{history}", shape.name);
    let running = start(dir, Backend::Sqlite, &name, 1);
    let phone_dir = dir.join(&name).with_extension("phones");
    std::fs::create_dir_all(&phone_dir).expect("phones' directory");
    let a = phone(&running, &phone_dir, "a", "team-0");
    record(&a, history, false);
    a.sync(Arc::new(HttpTransport::new(&running.url)))
        .expect("push");
    let replaced = phone(&running, &phone_dir, "replaced", "team-0");
    let link = Arc::new(Emulated::new(HttpTransport::new(&running.url), shape));
    let t = Instant::now();
    let report = replaced.sync(link.clone()).expect("full pull");
    let took = t.elapsed();
    assert_eq!(report.pulled as usize, history);
    let received = *link.received.lock().unwrap();
    (took, link.floor(), received)
}

pub fn l1(dir: &Path, quick: bool) -> Vec<Goal> {
    let history = if quick { 2_000 } else { 20_000 };
    println!("L1: a replaced phone pulls its team's {history} entries over emulated links …");
    let mut goals = Vec::new();
    for shape in [THREE_G, EDGE] {
        let (took, floor, bytes) = full_pull(dir, history, shape);
        println!(
            "  {}: {:.1} s for {:.1} MB down; floor (bytes ÷ bandwidth + a round trip) {:.1} s",
            shape.name,
            took.as_secs_f64(),
            bytes as f64 / 1e6,
            floor.as_secs_f64()
        );
        goals.push(Goal::new(
            &format!("L1-{}", shape.name),
            &format!(
                "full pull of {}k entries over {} vs bytes/bandwidth + 1 RTT",
                history / 1000,
                shape.name
            ),
            took.as_secs_f64() * 1e6,
            floor.as_secs_f64() * 1e6,
            1.2,
        ));
    }
    goals
}

//! The check-in timer is state in the centre's store, not a clock in memory (issue 15): real
//! `gadeplan-centre serve` processes, killed with SIGKILL.
//!
//! - A check-in falls due while its centre is down and its phones are offline: the restarted
//!   centre takes the first step once, and the watcher's phone learns of it at its next sync.
//! - Two processes on one PostgreSQL database while the steps fall due, one killed among them:
//!   each check-in climbs the ladder exactly once (watcher, team, leader), never a step twice.
//!
//! The check-ins are stated to have started a minute ago with a minute to run plus a few
//! seconds, so they fall due seconds into the test.

use std::io::Read;
use std::sync::Arc;
use std::time::{Duration, Instant};

use gadeplan::transport::HttpTransport;
use gadeplan_centre::watch::CheckinReport;
use gadeplan_centre::{Centre, Database};
use gadeplan_core::{AlertKind, CheckinInput, CheckinReason, NewEntry, Store};
use gadeplan_tests::binaries::{serve, serve_postgres};
use gadeplan_tests::*;

/// A serving process with its log drained.
fn drained(mut process: (Reaped, String)) -> (Reaped, String) {
    if let Some(mut stderr) = process.0.child().stderr.take() {
        std::thread::spawn(move || {
            let mut sink = Vec::new();
            let _ = stderr.read_to_end(&mut sink);
        });
    }
    process
}

fn start_process(database: &Database, extra: &[&str]) -> (Reaped, String) {
    drained(match database {
        Database::Postgres(address) => serve_postgres(address, extra),
        Database::Embedded { data, .. } => serve(data, extra),
    })
}

fn kill(process: &mut Reaped) {
    let mut child = process.take();
    child.kill().unwrap();
    child.wait().unwrap();
}

fn phone(dir: &std::path::Path, operator: &Centre, url: &str, worker: &str) -> Arc<Store> {
    let store = Store::create(
        dir.join(format!("{worker}.db"))
            .to_string_lossy()
            .into_owned(),
        key_of(worker).to_vec(),
        worker.into(),
        format!("{worker}'s phone"),
    )
    .unwrap();
    let code = operator.new_enrolment(TEAM_A, worker, 1).unwrap().code;
    store
        .enrol(Arc::new(HttpTransport::new(url)), url.into(), code)
        .unwrap();
    store
}

/// A check-in falling due `seconds` from now (stated to have started a minute before that).
fn checkin_due_in(store: &Store, watcher: &str, seconds: i64) -> String {
    let started = chrono::Utc::now() - chrono::Duration::seconds(60 - seconds);
    store
        .record(NewEntry::CheckinStarted(CheckinInput {
            place: "Istedgade 12, 3. th.".into(),
            watcher: watcher.into(),
            minutes: 1,
            reason: CheckinReason::SoloHomeVisit,
            person: None,
            high_risk: false,
            occurred_at: Some(started.to_rfc3339()),
        }))
        .unwrap()
        .id
}

fn watched(database: &Database, id: &str) -> CheckinReport {
    Centre::connect(database, Default::default())
        .unwrap()
        .checkins(Some(TEAM_A), 2, true)
        .unwrap()
        .into_iter()
        .find(|c| c.id == id)
        .expect("the centre watches it")
}

fn levels(report: &CheckinReport) -> Vec<(u32, String)> {
    report
        .steps
        .iter()
        .map(|s| (s.step, s.level.clone()))
        .collect()
}

/// Waits (up to a deadline) until `done` holds of the check-in's report.
fn wait_for(database: &Database, id: &str, done: impl Fn(&CheckinReport) -> bool) -> CheckinReport {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let report = watched(database, id);
        if done(&report) || Instant::now() > deadline {
            return report;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn a_checkin_due_while_the_centre_is_down_is_escalated_once_after_its_restart() {
    let dir = tempfile::TempDir::new().unwrap();
    let database = test_database(&dir.path().join("centre"));
    let operator = Centre::connect(&database, Default::default()).unwrap();
    operator.add_team(TEAM_A).unwrap();
    let (mut first, url) = start_process(&database, &["--checkin-grace-minutes", "0"]);
    let mette = phone(dir.path(), &operator, &url, "Mette");
    let jonas = phone(dir.path(), &operator, &url, "Jonas");
    drop(operator);
    for p in [&mette, &jonas] {
        p.sync(Arc::new(HttpTransport::new(&url))).unwrap();
    }
    let id = checkin_due_in(&mette, "Jonas", 4);
    mette.sync(Arc::new(HttpTransport::new(&url))).unwrap();
    // The centre dies before the check-in falls due; both phones are offline from here.
    kill(&mut first);
    assert!(watched(&database, &id).steps.is_empty());
    std::thread::sleep(Duration::from_secs(6));
    assert!(watched(&database, &id).steps.is_empty(), "nobody watched");

    let (_second, url) = start_process(&database, &["--checkin-grace-minutes", "0"]);
    let report = wait_for(&database, &id, |r| !r.steps.is_empty());
    assert_eq!(levels(&report), [(1, "watcher".to_string())]);
    // A few more of the restarted centre's seconds: the step is not taken again (the next is
    // five minutes on).
    std::thread::sleep(Duration::from_secs(3));
    let report = watched(&database, &id);
    assert_eq!(levels(&report), [(1, "watcher".to_string())], "once");
    assert_eq!(report.state, "overdue");
    jonas.sync(Arc::new(HttpTransport::new(&url))).unwrap();
    let alerts = jonas.alerts().unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].kind, AlertKind::ColleagueOverdue);
    assert_eq!(alerts[0].checkin, id);
}

#[test]
fn two_centre_processes_on_one_database_take_each_step_once_while_one_is_killed() {
    let Some(address) = gadeplan_testkit::postgres::fresh_database() else {
        return;
    };
    let database = Database::Postgres(address.clone());
    let operator = Centre::connect(&database, Default::default()).unwrap();
    operator.add_team(TEAM_A).unwrap();
    // No grace and no wait: the three steps fall due on three consecutive seconds, with both
    // processes looking every second.
    let settings = [
        "--checkin-grace-minutes",
        "0",
        "--checkin-step-minutes",
        "0",
    ];
    let (mut one, url) = start_process(&database, &settings);
    let (_two, _) = start_process(&database, &settings);
    let dir = tempfile::TempDir::new().unwrap();
    let workers = ["Mette", "Jonas", "Lis", "Ole"];
    let phones: Vec<Arc<Store>> = workers
        .iter()
        .map(|w| phone(dir.path(), &operator, &url, w))
        .collect();
    for p in &phones {
        p.sync(Arc::new(HttpTransport::new(&url))).unwrap();
    }
    let ids: Vec<String> = phones
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let id = checkin_due_in(p, workers[(i + 1) % workers.len()], 3);
            p.sync(Arc::new(HttpTransport::new(&url))).unwrap();
            id
        })
        .collect();
    // Killed in the middle of the ladder: both have been taking steps.
    std::thread::sleep(Duration::from_millis(4_500));
    kill(&mut one);
    let ladder = [
        (1, "watcher".to_string()),
        (2, "team".to_string()),
        (3, "leader".to_string()),
    ];
    for id in &ids {
        let report = wait_for(&database, id, |r| r.steps.len() >= 3);
        assert_eq!(levels(&report), ladder, "{id}");
    }
    std::thread::sleep(Duration::from_secs(2));
    for id in &ids {
        assert_eq!(levels(&watched(&database, id)), ladder, "never doubled");
    }
    // Which processes took the steps is recorded with each.
    let processes: std::collections::BTreeSet<String> = ids
        .iter()
        .flat_map(|id| watched(&database, id).steps)
        .map(|s| s.process)
        .collect();
    eprintln!("steps taken by {processes:?}");
}

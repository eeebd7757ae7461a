//! The centre's PostgreSQL failing under it: connections cut mid-request at random while phones
//! record and sync, and the database refusing every connection for a while. The centre answers
//! 503 (`database-unavailable`, a JSON error body) while it cannot reach its database, phones
//! treat that as out of reach and try again, nothing acknowledged is lost, nothing is doubled,
//! and everything flows again when the database is back.
//!
//! Needs the test command's PostgreSQL (skipped without it, see `gadeplan_testkit::postgres`).

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use gadeplan::transport::HttpTransport;
use gadeplan_centre::server::Settings;
use gadeplan_centre::{Centre, Database, RunningCentre};
use gadeplan_core::{Error, Store};
use gadeplan_tests::work::{Dice, act, assert_team_converged};
use gadeplan_tests::*;

/// The database a test's centre runs on, the centre serving it, and an operator beside it.
struct OnPostgres {
    address: String,
    name: String,
    centre: RunningCentre,
    operator: Centre,
    dir: tempfile::TempDir,
}

fn on_postgres() -> Option<OnPostgres> {
    let address = gadeplan_testkit::postgres::fresh_database()?;
    let name = address.rsplit('/').next().unwrap().to_string();
    let database = Database::Postgres(address.clone());
    let operator = Centre::connect(&database, Default::default()).unwrap();
    operator.add_team(TEAM_A).unwrap();
    let centre = RunningCentre::start_with(database, "127.0.0.1:0", Settings::default()).unwrap();
    Some(OnPostgres {
        address,
        name,
        centre,
        operator,
        dir: tempfile::TempDir::new().unwrap(),
    })
}

impl OnPostgres {
    /// An administrator's connection to the server (not to the test's database).
    fn admin(&self) -> postgres::Client {
        let admin = std::env::var("GADEPLAN_TEST_POSTGRES").unwrap();
        postgres::Client::connect(&admin, postgres::NoTls).unwrap()
    }

    /// Cuts every connection to the test's database but the caller's.
    fn cut_connections(&self, admin: &mut postgres::Client) -> u64 {
        admin
            .execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                 WHERE datname = $1 AND pid <> pg_backend_pid()",
                &[&self.name],
            )
            .unwrap()
    }

    fn phone(&self, worker: &str) -> Arc<Store> {
        let store = Store::create(
            self.dir
                .path()
                .join(format!("{worker}.db"))
                .to_string_lossy()
                .into_owned(),
            key_of(worker).to_vec(),
            worker.into(),
            format!("{worker}'s phone"),
        )
        .unwrap();
        let code = self.operator.new_enrolment(TEAM_A, worker, 1).unwrap().code;
        let url = self.centre.url();
        store
            .enrol(Arc::new(HttpTransport::new(&url)), url, code)
            .unwrap();
        store
    }
}

#[test]
fn connections_cut_mid_request_lose_and_double_nothing() {
    let Some(db) = on_postgres() else {
        return;
    };
    let transport = Arc::new(HttpTransport::new(&db.centre.url()));
    let phones: Vec<Arc<Store>> = ["Mette", "Jonas", "Lis"]
        .iter()
        .map(|w| db.phone(w))
        .collect();
    let mut recorded: Vec<BTreeSet<String>> = vec![BTreeSet::new(); phones.len()];
    let mut dice = Dice(0xC0FF_EE00_2026_1205);
    let stop = AtomicBool::new(false);
    let (mut cut, mut failed) = (0, 0);
    std::thread::scope(|scope| {
        // Cuts the centre's connections every few milliseconds, wherever they are.
        let cutter = scope.spawn(|| {
            let mut admin = db.admin();
            let mut dice = Dice(7);
            let mut cut = 0;
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(1 + dice.below(15)));
                cut += db.cut_connections(&mut admin);
            }
            cut
        });
        for round in 0..40 {
            for (i, store) in phones.iter().enumerate() {
                let own: Vec<String> = recorded[i].iter().cloned().collect();
                for _ in 0..dice.below(5) {
                    recorded[i].extend(act(store, &own, &mut dice, round, true));
                }
                match store.sync(transport.clone()) {
                    Ok(_) => {}
                    Err(Error::Unreachable { .. }) => failed += 1,
                    Err(e) => panic!("round {round}: {e:?}"),
                }
            }
        }
        stop.store(true, Ordering::Relaxed);
        cut = cutter.join().unwrap();
    });
    eprintln!("database faults: {cut} connections cut, {failed} syncs failed and were retried");
    assert!(cut > 0, "the suite cut no connection");
    assert!(
        failed > 0,
        "no sync met a cut connection: the suite tested nothing"
    );
    for pass in 0..3 {
        for store in &phones {
            let report = store
                .sync(transport.clone())
                .expect("sync once the cuts stop");
            if pass == 2 {
                assert!(report.in_step);
                // In step by syncing, not by a repair round hiding a skipped entry.
                assert!(!report.repaired);
            }
        }
    }
    let team: Vec<&Store> = phones.iter().map(|p| &**p).collect();
    let at_centre = assert_team_converged(&db.operator, TEAM_A, &team);
    for (i, mine) in recorded.iter().enumerate() {
        let lost: Vec<&String> = mine.difference(&at_centre).collect();
        assert!(
            lost.is_empty(),
            "phone {i}: recorded but not at the centre: {lost:?}"
        );
    }
    assert_eq!(
        centre_integrity(&Database::Postgres(db.address.clone())),
        "ok"
    );
}

#[test]
fn a_database_away_for_a_while_is_a_503_and_then_nothing_is_missing() {
    let Some(db) = on_postgres() else {
        return;
    };
    let transport = Arc::new(HttpTransport::new(&db.centre.url()));
    let phone = db.phone("Mette");
    let first = person(&phone, "Ravnen");
    phone.sync(transport.clone()).unwrap();

    // The database refuses every connection: a restart, a failover, a full disk.
    let mut admin = db.admin();
    admin
        .batch_execute(&format!(
            "ALTER DATABASE {} WITH ALLOW_CONNECTIONS false",
            db.name
        ))
        .unwrap();
    db.cut_connections(&mut admin);
    let second = person(&phone, "Spurven");
    let err = phone.sync(transport.clone()).unwrap_err();
    assert!(matches!(err, Error::Unreachable { .. }), "{err:?}");
    assert_eq!(phone.sync_status().unwrap().pending, 1);
    // What a phone sees on the wire: 503, a JSON error body, when to try again.
    let answer = ureq::post(&format!("{}/v1/digest", db.centre.url()))
        .header("Authorization", "Bearer not-a-token")
        .config()
        .http_status_as_error(false)
        .build()
        .send(r#"{"protocol":2}"#)
        .unwrap();
    assert_eq!(answer.status(), 503);
    assert!(answer.headers().contains_key("retry-after"));
    let body: serde_json::Value =
        serde_json::from_str(&answer.into_body().read_to_string().unwrap()).unwrap();
    assert_eq!(body["error"], "database-unavailable");

    admin
        .batch_execute(&format!(
            "ALTER DATABASE {} WITH ALLOW_CONNECTIONS true",
            db.name
        ))
        .unwrap();
    phone.sync(transport.clone()).unwrap();
    assert_eq!(phone.sync_status().unwrap().pending, 0);
    let ids: BTreeSet<String> = db
        .operator
        .team_entry_ids(TEAM_A)
        .unwrap()
        .into_iter()
        .collect();
    let noted: BTreeSet<String> = local_ids(&phone).into_iter().collect();
    assert_eq!(ids, noted);
    assert_eq!(ids.len(), 2, "{first} and {second}, once each");
}

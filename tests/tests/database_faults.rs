//! The centre's PostgreSQL failing under it: connections cut mid-request at random while phones
//! record and sync, and the database refusing every connection for a while. The centre answers
//! 503 (`database-unavailable`, a JSON error body) while it cannot reach its database, phones
//! treat that as out of reach and try again, nothing acknowledged is lost, nothing is doubled,
//! and everything flows again when the database is back.
//!
//! And the database's disk filling up: the centre answers 507 (`storage-full`), stores nothing of
//! the refused request, still serves what it holds, and takes everything once there is room.
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
use gadeplan_tests::disk::SmallDisk;
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
    on_postgres_prepared(|_| {})
}

/// As `on_postgres`, with `prepare` given the new database's name before the centre first
/// connects to it (and so before its migrations make any table).
fn on_postgres_prepared(prepare: impl FnOnce(&str)) -> Option<OnPostgres> {
    let address = gadeplan_testkit::postgres::fresh_database()?;
    let name = address.rsplit('/').next().unwrap().to_string();
    prepare(&name);
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
        admin()
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

/// A database of the test server moved onto a small disk, as a tablespace of its name. The
/// server's write-ahead log stays on its own disk, as an operator who gives the data its own
/// volume has it.
///
/// Dropped (the test passing or panicking) before the disk is, it drops the database and the
/// tablespace: the server must not be left with buffers of files that vanish under it when the
/// disk is unmounted, or every later checkpoint of the shared test server fails.
struct Tablespace {
    name: String,
}

impl Tablespace {
    /// Moves the (still empty) database `name` onto `disk`.
    fn on(disk: &SmallDisk, name: &str) -> Tablespace {
        let space = disk.path().join("space");
        let mut admin = admin();
        // The tablespace's directory belongs to the user the server runs as.
        let data: String = admin.query_one("SHOW data_directory", &[]).unwrap().get(0);
        let owner = std::os::unix::fs::MetadataExt::uid(&std::fs::metadata(&data).unwrap());
        std::fs::create_dir(&space).unwrap();
        std::os::unix::fs::chown(&space, Some(owner), None).unwrap();
        let tablespace = Tablespace { name: name.into() };
        // Each on its own: neither may run inside a transaction block.
        admin
            .batch_execute(&format!(
                "CREATE TABLESPACE {name} LOCATION '{}'",
                space.display()
            ))
            .unwrap();
        admin
            .batch_execute(&format!("ALTER DATABASE {name} SET TABLESPACE {name}"))
            .unwrap();
        tablespace
    }
}

impl Drop for Tablespace {
    fn drop(&mut self) {
        let name = &self.name;
        let mut admin = admin();
        let dropped = admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .and_then(|()| admin.batch_execute(&format!("DROP TABLESPACE IF EXISTS {name}")));
        if let Err(e) = dropped {
            // The disk then stays mounted (busy), rather than pulled from under the server.
            if std::thread::panicking() {
                eprintln!("the test database could not leave its small disk: {e}");
            } else {
                panic!("the test database could not leave its small disk: {e}");
            }
        }
    }
}

/// An administrator's connection to the test server.
fn admin() -> postgres::Client {
    let admin = std::env::var("GADEPLAN_TEST_POSTGRES").unwrap();
    postgres::Client::connect(&admin, postgres::NoTls).unwrap()
}

#[test]
fn a_full_database_disk_is_a_507_and_then_everything_arrives_once() {
    let Some(disk) = SmallDisk::mount(16) else {
        return;
    };
    let mut tablespace = None;
    let Some(db) = on_postgres_prepared(|name| tablespace = Some(Tablespace::on(&disk, name)))
    else {
        return;
    };
    let transport = Arc::new(HttpTransport::new(&db.centre.url()));
    let mette = db.phone("Mette");
    let jonas = db.phone("Jonas");
    person(&mette, "Ravnen");
    mette.sync(transport.clone()).unwrap();
    jonas.sync(transport.clone()).unwrap();
    let centre_ids = || -> BTreeSet<String> {
        db.operator
            .team_entry_ids(TEAM_A)
            .unwrap()
            .into_iter()
            .collect()
    };
    let before = centre_ids();
    assert_eq!(before.len(), 1);

    disk.fill();
    // More than the tables' pages have room for, so the database must grow and cannot.
    for i in 0..400 {
        person(&mette, &format!("Fugl {i}"));
    }
    let err = mette.sync(transport.clone()).unwrap_err();
    assert!(
        matches!(&err, Error::CentreRefused { code, .. } if code == "storage-full"),
        "{err:?}"
    );
    // What the refused requests sent is not half-stored: the centre holds what it held.
    let held = centre_ids();
    assert_eq!(held, before);
    assert_eq!(mette.sync_status().unwrap().pending, 400);
    // What a phone sees on the wire: 507 with a JSON error body, for its first 200 unsent entries.
    let unsent: Vec<_> = entries_of(&mette)
        .into_iter()
        .filter(|e| !held.contains(&e.id.to_string()))
        .take(200)
        .collect();
    let (status, body) = push(&db.centre.url(), &device_token(&mette), &unsent);
    assert_eq!(status, 507, "{body}");
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["error"], "storage-full");
    // Reading still works: a colleague syncs what the centre holds.
    let report = jonas.sync(transport.clone()).unwrap();
    assert!(report.in_step || report.pulled == 0);

    disk.free();
    for _ in 0..3 {
        mette.sync(transport.clone()).unwrap();
        jonas.sync(transport.clone()).unwrap();
    }
    assert_eq!(mette.sync_status().unwrap().pending, 0);
    let at_centre = assert_team_converged(&db.operator, TEAM_A, &[&*mette, &*jonas]);
    let recorded: BTreeSet<String> = local_ids(&mette).into_iter().collect();
    assert_eq!(recorded.len(), 401);
    assert_eq!(at_centre, recorded, "each entry once, none lost");
    assert_eq!(
        centre_integrity(&Database::Postgres(db.address.clone())),
        "ok"
    );
}

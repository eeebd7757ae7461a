//! The embedded centre's disk filling up under it: a push it cannot store is refused whole with
//! 507 (`storage-full`, a JSON error body), nothing of it is kept, the phone keeps its entries
//! and is told why, colleagues still sync what the centre holds, and once there is room every
//! entry arrives once. (The same for PostgreSQL's disk is in `database_faults.rs`.)
//!
//! The centre's data directory is on a small tmpfs, which needs root to mount; skipped with a
//! line saying so otherwise.

use std::collections::BTreeSet;
use std::sync::Arc;

use gadeplan::transport::HttpTransport;
use gadeplan_centre::server::Settings;
use gadeplan_centre::{Centre, Database, RunningCentre};
use gadeplan_core::{Error, Store};
use gadeplan_tests::disk::SmallDisk;
use gadeplan_tests::work::assert_team_converged;
use gadeplan_tests::*;

#[test]
fn a_full_centre_disk_is_a_507_and_then_everything_arrives_once() {
    let Some(disk) = SmallDisk::mount(8) else {
        return;
    };
    let database = Database::embedded(disk.path().join("centre"));
    let operator = Centre::connect(&database, Default::default()).unwrap();
    operator.add_team(TEAM_A).unwrap();
    let centre =
        RunningCentre::start_with(database.clone(), "127.0.0.1:0", Settings::default()).unwrap();
    let url = centre.url();
    let transport = Arc::new(HttpTransport::new(&url));
    let phones = tempfile::TempDir::new().unwrap();
    let phone = |worker: &str| {
        let store = Store::create(
            phones
                .path()
                .join(format!("{worker}.db"))
                .to_string_lossy()
                .into_owned(),
            key_of(worker).to_vec(),
            worker.into(),
            format!("{worker}'s phone"),
        )
        .unwrap();
        let code = operator.new_enrolment(TEAM_A, worker, 1).unwrap().code;
        store
            .enrol(Arc::new(HttpTransport::new(&url)), url.clone(), code)
            .unwrap();
        store
    };
    let mette = phone("Mette");
    let jonas = phone("Jonas");
    person(&mette, "Ravnen");
    mette.sync(transport.clone()).unwrap();
    jonas.sync(transport.clone()).unwrap();
    let centre_ids = || -> BTreeSet<String> {
        operator
            .team_entry_ids(TEAM_A)
            .unwrap()
            .into_iter()
            .collect()
    };
    let before = centre_ids();
    assert_eq!(before.len(), 1);

    disk.fill();
    for i in 0..400 {
        person(&mette, &format!("Fugl {i}"));
    }
    let err = mette.sync(transport.clone()).unwrap_err();
    assert!(
        matches!(&err, Error::CentreRefused { code, .. } if code == "storage-full"),
        "{err:?}"
    );
    assert_eq!(centre_ids(), before, "nothing of the refused push is kept");
    assert_eq!(mette.sync_status().unwrap().pending, 400);
    // On the wire: 507 and a JSON error body.
    let unsent: Vec<_> = entries_of(&mette)
        .into_iter()
        .filter(|e| !before.contains(&e.id.to_string()))
        .take(200)
        .collect();
    let (status, body) = push(&url, &device_token(&mette), &unsent);
    assert_eq!(status, 507, "{body}");
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["error"], "storage-full");
    // Reading still works: a colleague syncs what the centre holds.
    assert!(jonas.sync(transport.clone()).unwrap().in_step);

    disk.free();
    for _ in 0..3 {
        mette.sync(transport.clone()).unwrap();
        jonas.sync(transport.clone()).unwrap();
    }
    assert_eq!(mette.sync_status().unwrap().pending, 0);
    let at_centre = assert_team_converged(&operator, TEAM_A, &[&mette, &jonas]);
    let recorded: BTreeSet<String> = local_ids(&mette).into_iter().collect();
    assert_eq!(recorded.len(), 401);
    assert_eq!(at_centre, recorded, "each entry once, none lost");
    drop(centre);
    assert_eq!(centre_integrity(&database), "ok");
}

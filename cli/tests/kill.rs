//! A `gadeplan sync` process killed with SIGKILL at random moments, again and again, with the
//! worker recording in between; then a sync to completion. Every entry recorded must be at the
//! centre exactly once, and both stores must pass SQLite's integrity check. This lives with the
//! CLI because it drives the real binary.

use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use std::time::Duration;

use gadeplan_centre::{Centre, RunningCentre};
use gadeplan_core::{ContactInput, ContactKind, NewPerson, Outcome, PlaceKind, Store, Subject};
use tempfile::TempDir;

const KEY: [u8; 32] = [0x5a; 32];

fn record(store: &Store, n: usize, recorded: &mut BTreeSet<String>) {
    for i in 0..n {
        let p = store
            .add_person(NewPerson {
                alias: format!("P{i}"),
                description: None,
                birth_year: None,
                from_unknown: None,
                occurred_at: None,
            })
            .unwrap();
        recorded.insert(p.entry);
        let c = store
            .record_contact(ContactInput {
                subject: Some(Subject::Person { id: p.person }),
                place: "Park".into(),
                place_kind: PlaceKind::Park,
                kind: ContactKind::Conversation,
                meeting: None,
                announced: None,
                safety_reason: None,
                outcome: Outcome::ContactMade,
                colleague: None,
                minutes: Some(5),
                note: Some(
                    "a note long enough to make the batches weigh something on the wire".into(),
                ),
                risk_check: None,
                occurred_at: None,
                place_id: None,
            })
            .unwrap();
        recorded.insert(c.id);
    }
}

fn integrity(conn: &rusqlite::Connection) -> String {
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn sync_killed_at_random_moments_loses_and_doubles_nothing() {
    let dir = TempDir::new().unwrap();
    let data = dir.path().join("centre");
    let operator = Centre::open(&data).unwrap();
    operator.add_team("Vesterbro").unwrap();
    let centre = RunningCentre::start(&data, "127.0.0.1:0").unwrap();
    let path = dir.path().join("phone.db").to_string_lossy().into_owned();
    let hex: String = KEY.iter().map(|b| format!("{b:02x}")).collect();

    let mut recorded = BTreeSet::new();
    {
        let store =
            Store::create(path.clone(), KEY.to_vec(), "Mette".into(), "phone".into()).unwrap();
        let code = operator
            .new_enrolment("Vesterbro", "Mette", 1)
            .unwrap()
            .code;
        store
            .enrol(
                std::sync::Arc::new(gadeplan::transport::HttpTransport::new(&centre.url())),
                centre.url(),
                code,
            )
            .unwrap();
        store
            .with_connection(|c| Ok(c.execute_batch("PRAGMA synchronous = OFF")?))
            .unwrap();
        record(&store, 600, &mut recorded);
    }

    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut kills = 0;
    for round in 0..25 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gadeplan"))
            .args(["--store", &path, "sync"])
            .env("GADEPLAN_KEY", &hex)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_millis(2 + seed % 60));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL on Unix
            kills += 1;
        }
        child.wait().unwrap();
        // The worker goes on recording between the interrupted syncs.
        if round % 5 == 0 {
            let store = Store::open(path.clone(), KEY.to_vec()).unwrap();
            record(&store, 20, &mut recorded);
        }
    }
    assert!(
        kills > 0,
        "no sync was interrupted; the test proved nothing"
    );

    let out = Command::new(env!("CARGO_BIN_EXE_gadeplan"))
        .args(["--store", &path, "sync"])
        .env("GADEPLAN_KEY", &hex)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["in_step"], true);

    let at_centre: BTreeSet<String> = operator
        .team_entry_ids("Vesterbro")
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(at_centre.len(), recorded.len(), "nothing doubled");
    assert_eq!(at_centre, recorded, "nothing lost");
    let store = Store::open(path.clone(), KEY.to_vec()).unwrap();
    assert_eq!(store.sync_status().unwrap().pending, 0);
    assert_eq!(store.with_connection(|c| Ok(integrity(c))).unwrap(), "ok");
    drop(centre);
    let key = std::fs::read_to_string(data.join("centre.key")).unwrap();
    let key = gadeplan_core::db::parse_hex_key(&key).unwrap();
    let centre_db = gadeplan_core::db::open_raw(&data.join("centre.db"), &key).unwrap();
    assert_eq!(integrity(&centre_db), "ok");
    eprintln!(
        "{kills} syncs killed; {} entries, each at the centre exactly once",
        recorded.len()
    );
}

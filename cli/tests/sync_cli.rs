//! `gadeplan enrol`, `sync`, `status`, `log` and `rotate-token` against a centre on loopback, as
//! a script uses them, through to a revoked phone.

use std::process::{Command, Output};

use gadeplan_centre::{Centre, RunningCentre};
use serde_json::Value;
use tempfile::TempDir;

const KEY: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";

fn run(store: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gadeplan"))
        .arg("--store")
        .arg(store)
        .args(args)
        .env("GADEPLAN_KEY", KEY)
        .output()
        .unwrap()
}

fn ok(store: &str, args: &[&str]) -> Value {
    let out = run(store, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn enrol_sync_log_and_revocation_from_the_command_line() {
    let dir = TempDir::new().unwrap();
    let data = dir.path().join("centre");
    let operator = Centre::open(&data).unwrap();
    operator.add_team("Vesterbro").unwrap();
    let centre = RunningCentre::start(&data, "127.0.0.1:0").unwrap();
    let store = dir.path().join("phone.db").to_string_lossy().into_owned();
    ok(&store, &["init", "--worker", "Mette"]);

    // Not enrolled yet: sync says so.
    let out = run(&store, &["sync"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"not-enrolled\""));
    // A wrong code is refused.
    let out = run(
        &store,
        &["enrol", "--centre", &centre.url(), "--code", "WRONG-CODE"],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"centre-refused\""));

    let code = operator
        .new_enrolment("Vesterbro", "Mette", 1)
        .unwrap()
        .code;
    let status = ok(
        &store,
        &["enrol", "--centre", &centre.url(), "--code", &code],
    );
    assert_eq!(status["team"], "Vesterbro");
    let id = ok(&store, &["person", "add", "--alias", "Kim"])["id"]
        .as_str()
        .unwrap()
        .to_string();
    ok(
        &store,
        &[
            "contact",
            "--person",
            &id,
            "--place",
            "Park",
            "--place-kind",
            "park",
            "--kind",
            "observation",
            "--outcome",
            "not-found",
        ],
    );
    let log = ok(&store, &["log"]);
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .all(|e| e["sync_state"] == "pending")
    );
    assert_eq!(ok(&store, &["status"])["pending"], 2);

    let report = ok(&store, &["sync"]);
    assert_eq!(
        (report["pushed"].as_u64(), report["pulled"].as_u64()),
        (Some(2), Some(0))
    );
    assert!(
        ok(&store, &["log"])
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["sync_state"] == "synced")
    );

    // A new device token, without enrolling again: the next sync goes with it.
    assert_eq!(ok(&store, &["rotate-token"])["rotated"], true);
    assert!(ok(&store, &["sync"])["in_step"].as_bool().unwrap());

    // Revoked at the centre: the next sync erases the phone and says so.
    let device = ok(&store, &["identity"])["device_id"]
        .as_str()
        .unwrap()
        .to_string();
    operator
        .revoke(&device, gadeplan_centre::store::Revocation::Lost)
        .unwrap();
    let out = run(&store, &["sync"]);
    assert_eq!(out.status.code(), Some(1));
    let err: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"], "revoked");
    assert_eq!(ok(&store, &["person", "list"]), serde_json::json!([]));
    assert_eq!(ok(&store, &["log"]), serde_json::json!([]));
}

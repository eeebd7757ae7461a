//! The operator's commands (`gadeplan-centre team|enrol|devices|revoke|leader-token|report|serve`)
//! given bad input: each answers with one JSON error on stderr, nothing on stdout, a non-zero
//! exit, and every table of the centre's store exactly as it was.

use std::path::Path;
use std::process::{Command, Output};

use gadeplan_centre::Centre;
use gadeplan_core::sync::wire;
use serde_json::Value;
use tempfile::TempDir;

fn centre(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gadeplan-centre"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("GADEPLAN_CENTRE_DATA")
        .output()
        .unwrap()
}

fn error_of(args: &[&str], out: &Output) -> Value {
    assert!(!out.status.success(), "{args:?} should have been refused");
    assert!(out.stdout.is_empty(), "{args:?} printed on stdout");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{args:?}: {stderr}");
    let error: Value = serde_json::from_str(stderr.trim())
        .unwrap_or_else(|e| panic!("{args:?}: stderr is not JSON ({e}): {stderr}"));
    assert!(
        error["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{args:?}: {error}"
    );
    error
}

#[test]
fn every_operator_command_refuses_bad_input_and_changes_nothing() {
    let dir = TempDir::new().unwrap();
    let data = dir.path().join("centre");
    let device;
    {
        let c = Centre::open(&data).unwrap();
        c.add_team("Vesterbro").unwrap();
        let code = c.new_enrolment("Vesterbro", "Mette", 1).unwrap().code;
        device = gadeplan_core::journal::new_id();
        c.enrol(wire::EnrolRequest {
            protocol: wire::PROTOCOL,
            code,
            device_id: device.clone(),
            device_name: "Mette's phone".into(),
            worker: "Mette".into(),
        })
        .unwrap();
        c.revoke(&device, gadeplan_centre::store::Revocation::Lost)
            .unwrap();
    }
    // What the centre keeps, less the audit log, which records every command that succeeds
    // (a repeated revocation included) by design.
    let snapshot = || {
        Centre::open(&data)
            .unwrap()
            .dump()
            .unwrap()
            .into_iter()
            .filter(|row| !row.starts_with("centre_audit:"))
            .collect::<Vec<_>>()
    };
    let before = snapshot();
    let long = "x".repeat(101);
    let unknown_device = gadeplan_core::journal::new_id();

    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["team", "add", ""], "invalid-input"),
        (
            vec!["user", "add", "birgit", "--role", "leader"],
            "invalid-input",
        ),
        (
            vec![
                "user", "add", "birgit", "--role", "leader", "--team", "Nowhere",
            ],
            "no-team",
        ),
        (
            vec![
                "user",
                "add",
                "ops",
                "--role",
                "operator",
                "--team",
                "Vesterbro",
            ],
            "invalid-input",
        ),
        (
            vec!["user", "add", "", "--role", "auditor"],
            "invalid-input",
        ),
        (vec!["user", "add", "x", "--role", "king"], "usage"),
        (vec!["user", "disable", "nobody"], "no-user"),
        (vec!["user", "password", "nobody"], "no-user"),
        (
            vec![
                "indicators",
                "--team",
                "Vesterbro",
                "--from",
                "2026-10-01",
                "--to",
                "2026-09-30",
            ],
            "invalid-input",
        ),
        (
            vec![
                "indicators",
                "--team",
                "Vesterbro",
                "--from",
                "1. oktober",
                "--to",
                "2026-12-31",
            ],
            "invalid-input",
        ),
        (vec!["indicators", "--team", "Nowhere"], "no-team"),
        (
            vec!["indicators", "--team", "Vesterbro", "--from", "2026-10-01"],
            "usage",
        ),
        (vec!["team", "add", "   "], "invalid-input"),
        (vec!["team", "add", &long], "invalid-input"),
        (vec!["team", "add", "Vesterbro"], "team-exists"),
        (vec!["team", "add", " Vesterbro "], "team-exists"),
        (vec!["team", "add"], "usage"),
        (
            vec!["worker", "add", "--team", "Vesterbro", "--name", ""],
            "invalid-input",
        ),
        (
            vec![
                "worker",
                "add",
                "--team",
                "Vesterbro",
                "--name",
                "Ku\u{200b}rt",
            ],
            "invalid-input",
        ),
        (
            vec!["worker", "add", "--team", "Vesterbro", "--name", &long],
            "invalid-input",
        ),
        (
            vec!["worker", "add", "--team", "Nowhere", "--name", "Kurt"],
            "no-team",
        ),
        (
            vec!["worker", "retire", "--team", "Vesterbro", "--name", "Kurt"],
            "not-found",
        ),
        (vec!["worker", "list", "--team", "Nowhere"], "no-team"),
        (vec!["worker", "add", "--team", "Vesterbro"], "usage"),
        (vec!["team", "list", "extra"], "usage"),
        (vec!["team", "remove", "Vesterbro"], "usage"),
        (
            vec!["enrol", "--team", "Nørrebro", "--worker", "Mette"],
            "no-team",
        ),
        (vec!["enrol", "--team", "", "--worker", "Mette"], "no-team"),
        (
            vec!["enrol", "--team", "Vesterbro", "--worker", ""],
            "invalid-input",
        ),
        (
            vec!["enrol", "--team", "Vesterbro", "--worker", &long],
            "invalid-input",
        ),
        (
            vec![
                "enrol",
                "--team",
                "Vesterbro",
                "--worker",
                "M",
                "--valid-hours",
                "0",
            ],
            "invalid-input",
        ),
        (
            vec![
                "enrol",
                "--team",
                "Vesterbro",
                "--worker",
                "M",
                "--valid-hours",
                "337",
            ],
            "invalid-input",
        ),
        (
            vec![
                "enrol",
                "--team",
                "Vesterbro",
                "--worker",
                "M",
                "--valid-hours",
                "-1",
            ],
            "usage",
        ),
        (
            vec![
                "enrol",
                "--team",
                "Vesterbro",
                "--worker",
                "M",
                "--valid-hours",
                "1.5",
            ],
            "usage",
        ),
        (
            vec![
                "enrol",
                "--team",
                "Vesterbro",
                "--worker",
                "M",
                "--valid-hours",
                "99999999999",
            ],
            "usage",
        ),
        (
            vec![
                "enrol",
                "--team",
                "Vesterbro",
                "--worker",
                "M",
                "--valid-hours",
                "abc",
            ],
            "usage",
        ),
        (vec!["enrol", "--team", "Vesterbro"], "usage"),
        (vec!["enrol", "--worker", "Mette"], "usage"),
        (vec!["devices", "extra"], "usage"),
        (vec!["device", "rotate", &unknown_device], "no-device"),
        (vec!["device", "rotate", &device], "revoked"),
        (vec!["device", "rotate"], "usage"),
        (vec!["revoke"], "usage"),
        (vec!["revoke", &device], "usage"),
        (vec!["revoke", &device, "--lost", "--retired"], "usage"),
        (vec!["revoke", "not-a-device", "--lost"], "no-device"),
        (
            vec!["revoke", &unknown_device, "--retired", "--yes"],
            "no-device",
        ),
        // Not a terminal, and no --yes: a script must say it means it.
        (
            vec!["revoke", &device, "--retired"],
            "confirmation-required",
        ),
        (vec!["leader-token"], "usage"),
        (
            vec!["leader-token", "--team", "Vesterbro", "--valid-days", "0"],
            "invalid-input",
        ),
        (
            vec!["leader-token", "--team", "Vesterbro", "--valid-days", "400"],
            "invalid-input",
        ),
        (vec!["revoke-leader-token", "nope"], "no-token"),
        (vec!["revoke-leader-token"], "usage"),
        (vec!["leader-tokens", "extra"], "usage"),
        (vec!["leader-token", "--team", "Nørrebro"], "no-team"),
        (vec!["leader-token", "--team", &long], "no-team"),
        (vec!["report", "--team", "Vesterbo"], "no-team"),
        (vec!["report", "--format", "xml"], "usage"),
        (vec!["report", "--team"], "usage"),
        (vec!["serve", "--listen", "garbage"], "listen"),
        (vec!["serve", "--listen", "127.0.0.1:99999"], "listen"),
        (vec!["serve", "--listen", ""], "listen"),
        (vec!["no-such-command"], "usage"),
    ];
    for (args, expected) in &cases {
        let out = centre(&data, args);
        let error = error_of(args, &out);
        assert_eq!(error["error"], *expected, "{args:?}: {error}");
        assert_eq!(snapshot(), before, "{args:?} changed the centre");
    }

    // Revoking again is no error (the operator may repeat it) and keeps the first revocation.
    assert!(
        centre(&data, &["revoke", &device, "--lost", "--yes"])
            .status
            .success()
    );
    // Declaring a lost phone retired afterwards does not let it send again.
    assert!(
        centre(&data, &["revoke", &device, "--retired", "--yes"])
            .status
            .success()
    );
    assert_eq!(
        snapshot(),
        before,
        "a repeated revocation changed the centre"
    );
    // Refused commands were not recorded; the two revocations were.
    let audit = Centre::open(&data).unwrap().audit(0, 100).unwrap();
    assert_eq!(
        audit.iter().map(|r| r.action.as_str()).collect::<Vec<_>>(),
        ["device-revoked", "device-revoked"]
    );

    // A data directory that is not one, or whose key does not open the store.
    let file = dir.path().join("a-file");
    std::fs::write(&file, "not a directory").unwrap();
    let out = centre(&file, &["team", "list"]);
    assert_eq!(error_of(&["--data", "a-file"], &out)["error"], "data-dir");
    let key_path = data.join("centre.key");
    let key = std::fs::read(&key_path).unwrap();
    let store_bytes = std::fs::read(data.join("centre.db")).unwrap();
    std::fs::write(&key_path, "00".repeat(32)).unwrap();
    let out = centre(&data, &["team", "add", "Amager"]);
    let error = error_of(&["team", "add", "(wrong key)"], &out);
    std::fs::write(&key_path, &key).unwrap();
    assert_eq!(error["error"], "wrong-key", "{error}");
    assert_eq!(std::fs::read(data.join("centre.db")).unwrap(), store_bytes);
    assert_eq!(snapshot(), before);
    eprintln!(
        "operator commands: {} bad inputs refused, the centre unchanged",
        cases.len() + 2
    );
}

/// The roster from the operator's side: enrolment put Mette on it; Kurt is added, listed,
/// retired and listed as retired.
#[test]
fn the_operator_keeps_the_roster() {
    let dir = TempDir::new().unwrap();
    let data = dir.path().join("centre");
    {
        let c = Centre::open(&data).unwrap();
        c.add_team("Vesterbro").unwrap();
        let code = c.new_enrolment("Vesterbro", "Mette", 1).unwrap().code;
        c.enrol(wire::EnrolRequest {
            protocol: wire::PROTOCOL,
            code,
            device_id: gadeplan_core::journal::new_id(),
            device_name: "Mette's phone".into(),
            worker: "Mette".into(),
        })
        .unwrap();
    }
    let ok = |args: &[&str]| -> Value {
        let out = centre(&data, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    assert_eq!(
        ok(&["worker", "add", "--team", "Vesterbro", "--name", "Kurt"])["added"],
        true
    );
    let list = ok(&["worker", "list", "--team", "Vesterbro"]);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["worker"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Kurt", "Mette"]);
    ok(&["worker", "retire", "--team", "Vesterbro", "--name", "Kurt"]);
    let list = ok(&["worker", "list", "--team", "Vesterbro"]);
    assert!(list[0]["retired_at"].is_string(), "{list}");
    assert!(list[1]["retired_at"].is_null(), "{list}");
}

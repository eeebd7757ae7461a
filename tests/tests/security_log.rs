//! The centre's structured log, through the real binary: every security event of the review's
//! attacks leaves one JSON line (target `security`) with codes, routes, device ids and source
//! addresses, and never what was recorded. (`no_text_in_output` searches the whole output of a
//! full session for recorded text as well.)

use std::io::Read;
use std::sync::Arc;

use gadeplan::transport::HttpTransport;
use gadeplan_core::{EntryKind, Store};
use gadeplan_tests::binaries::{operator, serve};
use gadeplan_tests::*;
use serde_json::{Value, json};
use tempfile::TempDir;

const ALIAS: &str = "Alias-Sec9Qz";

#[test]
fn security_events_are_logged_as_json_without_recorded_text() {
    let dir = TempDir::new().unwrap();
    let data = dir.path().join("centre");
    assert!(
        operator(&data, &["team", "add", "Vesterbro"])
            .status
            .success()
    );
    let code = {
        let out = operator(
            &data,
            &["enrol", "--team", "Vesterbro", "--worker", "Mette"],
        );
        serde_json::from_slice::<Value>(&out.stdout).unwrap()["code"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (mut server, url) = serve(
        &data,
        &[
            "--enrol-per-source-per-minute",
            "3",
            "--quota-entries-hour",
            "1",
        ],
    );

    // Two phones enrol (two of the three tries a minute); one records two entries, and is over
    // its quota with the second.
    let path = dir.path().join("mette.db").to_string_lossy().into_owned();
    let mette = Store::create(path, key_of("Mette").to_vec(), "Mette".into(), "p".into()).unwrap();
    let transport = Arc::new(HttpTransport::new(&url));
    mette.enrol(transport.clone(), url.clone(), code).unwrap();
    let code_for = |worker: &str| {
        let out = operator(&data, &["enrol", "--team", "Vesterbro", "--worker", worker]);
        serde_json::from_slice::<Value>(&out.stdout).unwrap()["code"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let jonas_path = dir.path().join("jonas.db").to_string_lossy().into_owned();
    let jonas = Store::create(
        jonas_path,
        key_of("Jonas").to_vec(),
        "Jonas".into(),
        "p".into(),
    )
    .unwrap();
    jonas
        .enrol(transport.clone(), url.clone(), code_for("Jonas"))
        .unwrap();
    let jonas_device = jonas.identity().unwrap().device_id;
    let kim = person(&mette, ALIAS);
    contact(&mette, &kim);
    assert!(mette.sync(transport.clone()).is_err(), "over the quota");
    let device = mette.identity().unwrap().device_id;
    // A guess at a code, then one too many.
    let guess = json!({"protocol": 2, "code": "AAAA-BBBB-CC", "device_id": gadeplan_core::journal::new_id(),
                       "device_name": "p", "worker": "Mette"})
    .to_string();
    assert_eq!(post_raw(&url, "enrol", guess.as_bytes()).0, 403);
    assert_eq!(post_raw(&url, "enrol", guess.as_bytes()).0, 429);
    // A stolen token after the fact, and a clock set years ahead.
    let pull = json!({"protocol": 2, "after": 0, "limit": 1}).to_string();
    assert_eq!(
        post_raw_as(&url, "pull", Some(&"0".repeat(64)), pull.as_bytes()).0,
        401
    );
    let ahead = forge(
        &mette,
        EntryKind::PersonNoted,
        &gadeplan_core::journal::new_id(),
        &json!({"alias": ALIAS}).to_string(),
        Some(4_102_444_800_000),
    );
    assert_eq!(push(&url, &device_token(&mette), &[ahead]).0, 409);
    // A phone unused for 200 days, and one revoked as lost: the log names each device.
    let idle = gadeplan_tests::centre_db(&data);
    idle.execute(
        "UPDATE centre_devices SET last_used_at = '2020-01-01T00:00:00.000Z' WHERE id = ?1",
        [&jonas_device],
    )
    .unwrap();
    assert_eq!(
        post_raw_as(&url, "pull", Some(&device_token(&jonas)), pull.as_bytes()).0,
        401
    );
    let revoke = operator(&data, &["revoke", &device, "--lost", "--yes"]);
    assert!(revoke.status.success(), "{revoke:?}");
    assert_eq!(
        post_raw_as(&url, "pull", Some(&device_token(&mette)), pull.as_bytes()).0,
        403
    );

    let mut child = server.take();
    child.kill().unwrap();
    child.wait().unwrap();
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert!(!log.contains(ALIAS), "recorded text in the log:\n{log}");
    let events: Vec<Value> = log
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["target"] == "security")
        .collect();
    let logged = |code: &str| {
        events
            .iter()
            .find(|e| e["fields"]["code"] == code)
            .unwrap_or_else(|| panic!("no {code} event in:\n{log}"))
    };
    assert_eq!(logged("invalid-code")["fields"]["source"], "127.0.0.1");
    assert_eq!(logged("rate-limited")["fields"]["route"], "enrol");
    assert_eq!(logged("unknown-token")["fields"]["route"], "pull");
    assert_eq!(
        logged("quota-exceeded")["fields"]["device"],
        device.as_str()
    );
    assert_eq!(logged("clock-ahead")["fields"]["device"], device.as_str());
    assert_eq!(
        logged("token-expired")["fields"]["device"],
        jonas_device.as_str()
    );
    assert_eq!(logged("revoked")["fields"]["device"], device.as_str());
    assert!(
        events.iter().any(|e| e["fields"]["event"] == "enrolled"),
        "{log}"
    );
}

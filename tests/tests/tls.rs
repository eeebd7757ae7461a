//! TLS end to end: `gadeplan-centre serve --tls-cert --tls-key` with a certificate made at test
//! time by a CA of the test's own, and the `gadeplan` CLI syncing over HTTPS with that CA as its
//! `--ca-file`. The certificate is checked: without the CA (the platform's trust store), with
//! another CA, or over plain HTTP, nothing is sent and the phone is told the centre is out of
//! reach. A SIGHUP makes the centre read a renewed certificate; a broken one is refused and the
//! one in use stays.

use std::io::{BufRead, BufReader};
use std::process::ChildStderr;
use std::sync::mpsc;
use std::time::Duration;

use gadeplan_tests::binaries::{CliPhone, operator, serve};
use gadeplan_tests::certs::TestCa;
use serde_json::Value;

/// The centre's log lines, read on a thread of their own, so that a test can wait for one.
fn log_lines(stderr: ChildStderr) -> mpsc::Receiver<String> {
    let (said, heard) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if said.send(line).is_err() {
                break;
            }
        }
    });
    heard
}

fn wait_for(log: &mpsc::Receiver<String>, event: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
        match log.recv_timeout(left) {
            Ok(line) if line.contains(&format!("\"event\":\"{event}\"")) => return,
            Ok(_) => {}
            Err(_) => break,
        }
    }
    panic!("the centre never logged {event}");
}

fn code(data: &std::path::Path, worker: &str) -> String {
    let out = operator(data, &["enrol", "--team", "Vesterbro", "--worker", worker]);
    let made: Value = serde_json::from_slice(&out.stdout).unwrap();
    made["code"].as_str().unwrap().to_string()
}

#[test]
fn the_cli_syncs_over_https_and_the_certificate_is_checked_and_renewed() {
    let dir = tempfile::TempDir::new().unwrap();
    let data = dir.path().join("centre");
    assert!(
        operator(&data, &["team", "add", "Vesterbro"])
            .status
            .success()
    );
    let first = TestCa::new("Gadeplan test CA 1").server_files(dir.path(), "first");
    let (mut centre, url) = serve(
        &data,
        &[
            "--tls-cert",
            first.cert.to_str().unwrap(),
            "--tls-key",
            first.key.to_str().unwrap(),
        ],
    );
    assert!(url.starts_with("https://"), "{url}");
    let log = log_lines(centre.child().stderr.take().unwrap());

    let phone = CliPhone::new(dir.path(), "mette");
    phone.ok(None, &["init", "--worker", "Mette"]);
    let ca1 = first.ca.to_str().unwrap();
    // Without the CA the platform does not trust the centre: refused before anything is sent.
    let refused = phone.refused(
        None,
        &["enrol", "--centre", &url, "--code", &code(&data, "Mette")],
    );
    assert_eq!(refused["error"], "unreachable", "{refused}");
    assert!(
        refused["message"].as_str().unwrap().contains("certificate")
            || refused["message"].as_str().unwrap().contains("Certificate"),
        "{refused}"
    );
    // Plain HTTP to the HTTPS port is no way round it.
    let plain = url.replace("https://", "http://");
    let refused = phone.refused(
        None,
        &["enrol", "--centre", &plain, "--code", &code(&data, "Mette")],
    );
    assert_eq!(refused["error"], "unreachable", "{refused}");

    let enrolled = phone.ok(
        None,
        &[
            "--ca-file",
            ca1,
            "enrol",
            "--centre",
            &url,
            "--code",
            &code(&data, "Mette"),
        ],
    );
    assert_eq!(enrolled["enrolled"], true, "{enrolled}");
    phone.ok(None, &["person", "add", "--alias", "Ravnen"]);
    let synced = phone.ok(None, &["--ca-file", ca1, "sync"]);
    assert_eq!(synced["pushed"], 1, "{synced}");

    // Another CA's bundle does not vouch for this centre.
    let other = TestCa::new("Someone else").server_files(dir.path(), "other");
    let refused = phone.refused(None, &["--ca-file", other.ca.to_str().unwrap(), "sync"]);
    assert_eq!(refused["error"], "unreachable", "{refused}");

    // A renewed certificate from another CA, read on SIGHUP: the old CA no longer vouches.
    let renewed = TestCa::new("Gadeplan test CA 2").server_files(dir.path(), "renewed");
    std::fs::copy(&renewed.cert, &first.cert).unwrap();
    std::fs::copy(&renewed.key, &first.key).unwrap();
    let pid = centre.child().id() as i32;
    assert_eq!(unsafe { libc::kill(pid, libc::SIGHUP) }, 0);
    wait_for(&log, "tls-reloaded");
    let ca2 = renewed.ca.to_str().unwrap();
    let refused = phone.refused(None, &["--ca-file", ca1, "sync"]);
    assert_eq!(refused["error"], "unreachable", "{refused}");
    phone.ok(None, &["person", "add", "--alias", "Spurven"]);
    let synced = phone.ok(None, &["--ca-file", ca2, "sync"]);
    assert_eq!(synced["pushed"], 1, "{synced}");

    // A broken file on the next SIGHUP: refused, and the certificate in use stays.
    std::fs::write(&first.cert, "not a certificate").unwrap();
    assert_eq!(unsafe { libc::kill(pid, libc::SIGHUP) }, 0);
    wait_for(&log, "tls-reload-failed");
    let synced = phone.ok(None, &["--ca-file", ca2, "sync"]);
    assert_eq!(synced["in_step"], true, "{synced}");
}

#[test]
fn a_certificate_for_another_host_is_refused() {
    let dir = tempfile::TempDir::new().unwrap();
    let data = dir.path().join("centre");
    assert!(
        operator(&data, &["team", "add", "Vesterbro"])
            .status
            .success()
    );
    let elsewhere =
        TestCa::new("CA").server_files_for(dir.path(), "elsewhere", &["centre.example.org"]);
    let (_centre, url) = serve(
        &data,
        &[
            "--tls-cert",
            elsewhere.cert.to_str().unwrap(),
            "--tls-key",
            elsewhere.key.to_str().unwrap(),
        ],
    );
    let phone = CliPhone::new(dir.path(), "mette");
    phone.ok(None, &["init", "--worker", "Mette"]);
    let refused = phone.refused(
        None,
        &[
            "--ca-file",
            elsewhere.ca.to_str().unwrap(),
            "enrol",
            "--centre",
            &url,
            "--code",
            &code(&data, "Mette"),
        ],
    );
    assert_eq!(refused["error"], "unreachable", "{refused}");
}

#[test]
fn a_centre_refuses_to_start_with_a_certificate_it_cannot_use() {
    let dir = tempfile::TempDir::new().unwrap();
    let data = dir.path().join("centre");
    let files = TestCa::new("CA").server_files(dir.path(), "server");
    std::fs::write(
        &files.key,
        "-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    let out = std::process::Command::new(gadeplan_tests::workspace_binary(
        "gadeplan-centre",
        "gadeplan-centre",
    ))
    .arg("--data")
    .arg(&data)
    .args(["serve", "--listen", "127.0.0.1:0", "--tls-cert"])
    .arg(&files.cert)
    .arg("--tls-key")
    .arg(&files.key)
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let error: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(error["error"], "tls", "{error}");
}

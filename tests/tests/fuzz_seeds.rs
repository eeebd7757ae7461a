//! Writes the fuzzers' seed inputs from a real exchange between two phones and a centre: every
//! request and answer of their syncs, every entry and payload they carried. Not part of the test
//! run (it rewrites files in `fuzz/corpus/`); run it when the wire format changes:
//!
//! ```sh
//! cargo test -p gadeplan-tests --test fuzz_seeds -- --ignored
//! ```
//!
//! The centre's seeds say `@TOKEN@`, `@DEVICE@` and `@CODE@` where the fuzzed centre puts its own
//! enrolled device's token and id and a fresh code (see `gadeplan_centre::fuzzing`).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use gadeplan::transport::HttpTransport;
use gadeplan_centre::fuzzing::WORKER;
use gadeplan_core::fuzzing::{ENDPOINTS, frame_answers};
use gadeplan_core::journal::Entry;
use gadeplan_core::sync::wire;
use gadeplan_core::*;
use gadeplan_tests::*;
use serde_json::{Value, json};

/// One request (with the token its header carried, if any) and its answer, as they crossed the
/// wire.
type Exchange = (String, Option<String>, Vec<u8>, Vec<u8>);

struct Recording {
    inner: HttpTransport,
    log: Mutex<Vec<Exchange>>,
}

impl Transport for Recording {
    fn send(
        &self,
        endpoint: String,
        token: Option<String>,
        body: Vec<u8>,
    ) -> Result<Vec<u8>, TransportError> {
        let answer = self
            .inner
            .send(endpoint.clone(), token.clone(), body.clone())?;
        self.log
            .lock()
            .unwrap()
            .push((endpoint, token, body, answer.clone()));
        Ok(answer)
    }
}

fn corpus(target: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(target: &str, name: String, bytes: &[u8]) {
    std::fs::write(corpus(target).join(name), bytes).unwrap();
}

fn plain(body: &[u8]) -> Vec<u8> {
    wire::inflate(body, usize::MAX).unwrap().into_owned()
}

fn replace(body: &[u8], from: &str, to: &str) -> Vec<u8> {
    String::from_utf8(body.to_vec())
        .unwrap()
        .replace(from, to)
        .into_bytes()
}

fn endpoint_index(endpoint: &str) -> u8 {
    ENDPOINTS.iter().position(|e| *e == endpoint).unwrap() as u8
}

/// A day's work on a phone: every kind of entry.
fn record_everything(store: &Store, tag: &str) {
    let a = person(store, &format!("{tag} Kim"));
    let b = person(store, &format!("{tag} Bo"));
    let check = store
        .record_risk_check(RiskCheckInput {
            subject: Subject::Person { id: a.clone() },
            observed: BrosetItem::ALL[..3].to_vec(),
            plan: Some("two of us, door open".into()),
            occurred_at: None,
        })
        .unwrap();
    let logged = store
        .record_contact(ContactInput {
            subject: None,
            place: "Halmtorvet".into(),
            place_kind: PlaceKind::Street,
            kind: ContactKind::Conversation,
            meeting: None,
            announced: None,
            safety_reason: None,
            outcome: Outcome::ContactMade,
            // A colleague on the team's roster, never the worker themselves.
            colleague: Some(
                if store.identity().unwrap().worker == "Jonas" {
                    "Mette"
                } else {
                    "Jonas"
                }
                .into(),
            ),
            minutes: Some(12),
            note: Some("asked about methadone".into()),
            risk_check: Some(check.id),
            occurred_at: None,
            place_id: None,
        })
        .unwrap();
    store
        .record_screening(ScreeningInput {
            person: a.clone(),
            criteria: Criterion::ALL.to_vec(),
            high_burden: BurdenArea::ALL[..3].to_vec(),
            criteria_not_met: vec![],
            burden_not_high: vec![],
            decision: Decision::ALL[0],
            reason: None,
            referral_kind: None,
            referred_to: None,
            occurred_at: None,
        })
        .unwrap();
    store
        .record_stage(StageInput {
            person: a.clone(),
            stage: Stage::Contemplation,
            importance: Some(7),
            confidence: Some(3),
            recovery_goal: None,
            life_control: None,
            craving: None,
            occurred_at: None,
        })
        .unwrap();
    store
        .update_person(PersonUpdate {
            person: b.clone(),
            description: Some("red jacket".into()),
            ..Default::default()
        })
        .unwrap();
    store
        .amend(logged.id.clone(), r#"{"minutes": 15}"#.into(), None, None)
        .unwrap();
    let extra = contact(store, &b);
    store.void_entry(extra, "wrong person".into()).unwrap();
    store.merge_persons(a, b).unwrap();
}

#[test]
#[ignore = "writes the seed corpus; run by hand when the wire format changes"]
fn write_seed_corpus() {
    let h = Harness::new();
    let fuzz = h.phone(TEAM_A, WORKER);
    let other = h.phone(TEAM_A, "Jonas");
    let recording = Arc::new(Recording {
        inner: HttpTransport::new(&h.url()),
        log: Mutex::new(Vec::new()),
    });
    record_everything(&fuzz, "A");
    record_everything(&other, "B");
    other.sync(h.transport()).unwrap();
    let mut runs = Vec::new();
    for _ in 0..2 {
        let before = recording.log.lock().unwrap().len();
        fuzz.sync(recording.clone()).unwrap();
        runs.push(recording.log.lock().unwrap()[before..].to_vec());
        record_everything(&other, "C");
        other.sync(h.transport()).unwrap();
    }

    let token = device_token(&fuzz);
    let device = fuzz.identity().unwrap().device_id;
    let log = recording.log.lock().unwrap().clone();
    let mut entries: Vec<Entry> = Vec::new();
    for (n, (endpoint, header_token, request, answer)) in log.iter().enumerate() {
        let which = endpoint_index(endpoint);
        // The centre: the request with the fuzzed centre's own device and token put in, plain.
        let request = plain(request);
        if endpoint == "push" {
            let push: wire::PushRequest = serde_json::from_slice(&request).unwrap();
            entries.extend(push.entries);
        }
        let seed = replace(&replace(&request, &token, "@TOKEN@"), &device, "@DEVICE@");
        // Flags: 2 sets the content type; 8 sends the device token in the header (protocol 2).
        let flags = if header_token.is_some() { 2 | 8 } else { 2 };
        write(
            "centre_request",
            format!("seed-{n}-{endpoint}"),
            &[&[which, flags][..], &seed].concat(),
        );
        // The phone: the answer as it came, and inflated.
        write(
            "phone_answer",
            format!("seed-{n}-{endpoint}"),
            &[&[which][..], answer].concat(),
        );
        let answer = plain(answer);
        write(
            "phone_answer",
            format!("seed-{n}-{endpoint}-plain"),
            &[&[which][..], &answer].concat(),
        );
        if endpoint == "pull" {
            let pull: wire::PullResponse = serde_json::from_slice(&answer).unwrap();
            entries.extend(pull.entries.into_iter().map(|s| s.entry));
        }
    }
    let enrol = format!(
        r#"{{"protocol":1,"code":"@CODE@","device_id":"0192f7a0-0000-7000-8000-00000000e001","device_name":"second phone","worker":"{WORKER}"}}"#
    );
    write(
        "centre_request",
        "seed-enrol".into(),
        &[&[0, 2][..], enrol.as_bytes()].concat(),
    );
    // Corrections and references aimed at the other team's records (see
    // `gadeplan_centre::fuzzing`), in protocol 2.
    let wall = clock::now().timestamp_millis();
    let aimed = |counter: u32, kind: &str, subject: &str, payload: Value| {
        let hlc = clock::Hlc {
            wall_ms: wall,
            counter,
            device: "x".into(),
        };
        json!({
            "id": journal::entry_id_for(&hlc).unwrap(),
            "kind": kind,
            "schema_version": 1,
            "subject": subject,
            "author_worker": WORKER,
            "author_device": "@DEVICE@",
            "occurred_at": journal::format_timestamp(clock::now()),
            "recorded_at": format!("{wall:015}-{counter:06}-@DEVICE@"),
            "payload": payload.to_string(),
        })
    };
    let fresh = journal::new_id();
    let cross_team = [
        (
            "void",
            aimed(
                1,
                "entry.voided",
                "@OTHER_SUBJECT@",
                json!({"target": "@OTHER_ENTRY@", "reason": "x"}),
            ),
        ),
        (
            "void-own-subject",
            aimed(
                2,
                "entry.voided",
                &fresh,
                json!({"target": "@OTHER_NOTED@", "reason": "x"}),
            ),
        ),
        (
            "amend",
            aimed(
                3,
                "entry.amended",
                &fresh,
                json!({"target": "@OTHER_ENTRY@", "patch": {"answers": {"confusion": false}}}),
            ),
        ),
        (
            "based-on",
            aimed(
                4,
                "person.updated",
                "@OTHER_SUBJECT@",
                json!({"attributes": {"alias": "X"}, "based_on": {"alias": ["@OTHER_NOTED@"]}}),
            ),
        ),
        (
            "risk-check",
            aimed(
                5,
                "contact.logged",
                &fresh,
                json!({"place": "x", "place_kind": "park", "kind": "conversation", "outcome": "contact-made", "risk_check": "@OTHER_ENTRY@"}),
            ),
        ),
        (
            "merge",
            aimed(
                6,
                "person.merged",
                &fresh,
                json!({"duplicate": "@OTHER_SUBJECT@"}),
            ),
        ),
    ];
    for (what, entry) in cross_team {
        let body = json!({"protocol": 2, "entries": [entry]}).to_string();
        write(
            "centre_request",
            format!("seed-cross-team-{what}"),
            &[&[endpoint_index("push"), 2 | 8][..], body.as_bytes()].concat(),
        );
    }
    // Past the sync endpoints: the report (with the leader's header), then the health check.
    let report = ENDPOINTS.len() as u8;
    write("centre_request", "seed-report".into(), &[report, 4]);
    write("centre_request", "seed-health".into(), &[report + 1, 0]);
    // The token's rotation, after the unknown path, with the device's header.
    write(
        "centre_request",
        "seed-token".into(),
        &[&[report + 3, 2 | 8][..], br#"{"protocol":2}"#].concat(),
    );
    for (n, entry) in entries.iter().enumerate() {
        let kind = EntryKind::ALL
            .iter()
            .position(|k| *k == entry.kind)
            .unwrap() as u8;
        write(
            "entry_payload",
            format!("seed-{n}-payload"),
            &[&[kind][..], entry.payload.as_bytes()].concat(),
        );
        write(
            "entry_payload",
            format!("seed-{n}-entry"),
            &serde_json::to_vec(entry).unwrap(),
        );
    }
    // The fuzzed phone pushes its three own entries first: acknowledge them (by placeholder),
    // then answer as the centre answered the recording phone.
    for (n, run) in runs.iter().enumerate() {
        let acknowledged = serde_json::to_vec(&wire::PushResponse {
            protocol: wire::PROTOCOL,
            results: (0..3)
                .map(|i| wire::PushResult {
                    id: format!("@OWN{i}@"),
                    status: wire::PushStatus::Accepted,
                    error: None,
                })
                .collect(),
            centre_time: None,
        })
        .unwrap();
        let answers: Vec<Vec<u8>> = std::iter::once(acknowledged)
            .chain(
                run.iter()
                    .filter(|(endpoint, _, _, _)| endpoint != "push")
                    .map(|(_, _, _, answer)| answer.clone()),
            )
            .collect();
        write("phone_sync", format!("seed-{n}"), &frame_answers(&answers));
    }
    eprintln!(
        "seeds written from {} exchanges and {} entries",
        log.len(),
        entries.len()
    );
}

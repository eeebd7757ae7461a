//! Protocol 3's pull: a page is a range of the team's sequence numbers less the asking phone's
//! own entries, with `through` saying how far it covers. A push is not followed by the phone's
//! own entries coming back; a long pull is asked for several pages at a time and converges; a
//! page the centre cut short has the rest of its range fetched; a centre that refuses protocol 3
//! is pulled from with protocol 2, and not asked again for a day.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use gadeplan::transport::HttpTransport;
use gadeplan_core::sync::wire;
use gadeplan_core::{Transport, TransportError};
use gadeplan_tests::*;
use serde_json::{Value, json};

fn pull_as(h: &Harness, store: &gadeplan_core::Store, protocol: u32, after: u64) -> Value {
    let body = json!({"protocol": protocol, "after": after, "limit": 500}).to_string();
    let (status, answer) = post_raw_as(
        &h.url(),
        "pull",
        Some(&device_token(store)),
        body.as_bytes(),
    );
    assert_eq!(status, 200, "{answer}");
    serde_json::from_str(&answer).unwrap()
}

#[test]
fn the_centre_leaves_a_phones_own_entries_out_of_its_protocol_3_pull() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let jonas = h.phone(TEAM_A, "Jonas");
    for alias in ["Ravnen", "Spurven", "Mågen"] {
        person(&mette, alias);
    }
    mette.sync(h.transport()).unwrap();
    let own = pull_as(&h, &mette, 3, 0);
    assert_eq!(own["entries"], json!([]), "{own}");
    assert_eq!(own["through"], 3);
    assert_eq!(own["more"], false);
    let theirs = pull_as(&h, &jonas, 3, 0);
    assert_eq!(theirs["entries"].as_array().unwrap().len(), 3);
    assert_eq!(theirs["through"], 3);
    // Protocol 2 is as it was: everything, and no `through`.
    let old = pull_as(&h, &mette, 2, 0);
    assert_eq!(old["entries"].as_array().unwrap().len(), 3);
    assert!(old.get("through").is_none());
    // A range: only the numbers asked for.
    let body = json!({"protocol": 3, "after": 1, "limit": 1}).to_string();
    let (_, answer) = post_raw_as(
        &h.url(),
        "pull",
        Some(&device_token(&jonas)),
        body.as_bytes(),
    );
    let answer: Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(answer["entries"].as_array().unwrap().len(), 1);
    assert_eq!(answer["entries"][0]["seq"], 2);
    assert_eq!(
        (answer["through"].clone(), answer["more"].clone()),
        (json!(2), json!(true))
    );
}

/// Counts what a link carries, and lets a test rewrite the centre's pull answers or refuse
/// protocol 3 as an older centre would.
struct Link {
    inner: HttpTransport,
    pulled_entries: AtomicU32,
    pulls_v3: AtomicU32,
    refuse_v3: bool,
    /// Cut every protocol 3 answer with more than this many entries to this many.
    cut_to: Option<usize>,
}

impl Link {
    fn new(url: &str) -> Link {
        Link {
            inner: HttpTransport::new(url),
            pulled_entries: AtomicU32::new(0),
            pulls_v3: AtomicU32::new(0),
            refuse_v3: false,
            cut_to: None,
        }
    }
}

fn read(bytes: &[u8]) -> Value {
    serde_json::from_slice(&wire::inflate(bytes, 64 << 20).unwrap()).unwrap()
}

impl Transport for Link {
    fn send(
        &self,
        endpoint: String,
        token: Option<String>,
        body: Vec<u8>,
    ) -> Result<Vec<u8>, TransportError> {
        let v3 = endpoint == "pull" && read(&body)["protocol"] == 3;
        if v3 {
            self.pulls_v3.fetch_add(1, Ordering::Relaxed);
            if self.refuse_v3 {
                let refusal = json!({"protocol": 2, "error": "unsupported-protocol",
                    "message": "this centre speaks protocols 1 to 2", "wipe": false});
                return Ok(wire::compress(refusal.to_string().as_bytes()));
            }
        }
        let answer = self.inner.send(endpoint.clone(), token, body)?;
        if endpoint != "pull" {
            return Ok(answer);
        }
        let mut value = read(&answer);
        if let (true, Some(cut)) = (v3, self.cut_to) {
            let entries = value["entries"].as_array_mut().unwrap();
            if entries.len() > cut {
                entries.truncate(cut);
                let last = entries.last().unwrap()["seq"].clone();
                value["through"] = last;
                value["more"] = json!(true);
            }
        }
        let n = value["entries"].as_array().map_or(0, Vec::len);
        self.pulled_entries.fetch_add(n as u32, Ordering::Relaxed);
        Ok(wire::compress(value.to_string().as_bytes()))
    }
}

fn record_many(store: &gadeplan_core::Store, n: usize) {
    let mut subject = String::new();
    for i in 0..n {
        if i % 50 == 0 {
            subject = person(store, &format!("Person {i}"));
        } else {
            contact(store, &subject);
        }
    }
}

/// Two phones of a team, the first having recorded `n` entries and pushed them.
fn team_with_history(
    n: usize,
) -> (
    Harness,
    Arc<gadeplan_core::Store>,
    Arc<gadeplan_core::Store>,
) {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let jonas = h.phone(TEAM_A, "Jonas");
    record_many(&mette, n);
    mette.sync(h.transport()).unwrap();
    (h, mette, jonas)
}

#[test]
fn a_push_is_not_followed_by_its_own_entries_and_a_long_pull_converges_side_by_side() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let jonas = h.phone(TEAM_A, "Jonas");
    record_many(&mette, 150);
    let link = Arc::new(Link::new(&h.url()));
    let report = mette.sync(link.clone()).unwrap();
    assert_eq!(report.pushed, 150);
    assert_eq!(
        link.pulled_entries.load(Ordering::Relaxed),
        0,
        "none of its own entries came back"
    );
    // Three pages and a bit, asked for side by side.
    record_many(&mette, 1_200);
    mette.sync(h.transport()).unwrap();
    let link = Arc::new(Link::new(&h.url()));
    let report = jonas.sync(link.clone()).unwrap();
    assert_eq!(report.pulled, 1_350);
    assert!(report.in_step);
    assert_eq!(link.pulled_entries.load(Ordering::Relaxed), 1_350);
    assert_eq!(jonas.sync_status().unwrap().cursor, 1_350);
    let team: Vec<&gadeplan_core::Store> = vec![&mette, &jonas];
    gadeplan_tests::work::assert_team_converged(&h.operator, TEAM_A, &team);
}

#[test]
fn a_page_cut_short_has_the_rest_of_its_range_fetched() {
    let (h, _mette, jonas) = team_with_history(1_100);
    let link = Arc::new(Link {
        cut_to: Some(170),
        ..Link::new(&h.url())
    });
    let report = jonas.sync(link.clone()).unwrap();
    assert_eq!(report.pulled, 1_100);
    assert!(report.in_step);
    assert!(!report.repaired, "no entry skipped over a cut page");
    assert_eq!(jonas.sync_status().unwrap().cursor, 1_100);
}

#[test]
fn a_centre_that_refuses_protocol_3_is_pulled_from_with_2_and_not_asked_again_for_a_day() {
    let (h, _mette, jonas) = team_with_history(40);
    let link = Arc::new(Link {
        refuse_v3: true,
        ..Link::new(&h.url())
    });
    let report = jonas.sync(link.clone()).unwrap();
    assert_eq!(report.pulled, 40);
    assert!(report.in_step);
    // The first pages were asked for side by side before the refusal came back.
    let asked = link.pulls_v3.load(Ordering::Relaxed);
    assert!((1..=4).contains(&asked), "{asked}");
    person(&jonas, "Kragen");
    jonas.sync(link.clone()).unwrap();
    assert_eq!(
        link.pulls_v3.load(Ordering::Relaxed),
        asked,
        "not asked again"
    );
}

/// Panics on the first page it is asked for past the first: a host's transport that fails
/// badly in the middle of a window.
struct PanicsMidWindow(HttpTransport);

impl Transport for PanicsMidWindow {
    fn send(
        &self,
        endpoint: String,
        token: Option<String>,
        body: Vec<u8>,
    ) -> Result<Vec<u8>, TransportError> {
        if endpoint == "pull" {
            let request = read(&body);
            if request["protocol"] == 3 && request["after"].as_u64() >= Some(500) {
                panic!("a transport that fails badly");
            }
        }
        self.0.send(endpoint, token, body)
    }
}

#[test]
fn a_transport_that_panics_mid_window_ends_the_sync_and_the_next_one_finishes() {
    let (h, _mette, jonas) = team_with_history(1_200);
    let broken = Arc::new(PanicsMidWindow(HttpTransport::new(&h.url())));
    let ended = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| jonas.sync(broken)));
    assert!(
        ended.is_err(),
        "the panic reached the caller (uniffi makes it an error)"
    );
    let report = jonas.sync(h.transport()).expect("the next sync runs");
    assert!(report.in_step);
    assert_eq!(jonas.sync_status().unwrap().cursor, 1_200);
}

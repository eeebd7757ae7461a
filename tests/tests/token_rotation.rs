//! A device token rotated without re-enrolment (`Store::rotate_token`, `POST /v1/token`), phone
//! and centre over loopback HTTP: the new token works at once, the old one until the new one is
//! first used and never after; an answer lost on the way leaves the old token working and the
//! next rotation replaces the token that never arrived; a revoked phone gets no token. Each
//! rotation is in the audit log. The operator may ask a phone to rotate at its next sync
//! (`gadeplan-centre device rotate`), and it does.

use std::sync::{Arc, Mutex};

use gadeplan::faults::{FaultRates, FaultyTransport};
use gadeplan::transport::HttpTransport;
use gadeplan_centre::store::Revocation;
use gadeplan_core::sync::wire;
use gadeplan_core::{Error, Transport, TransportError};
use gadeplan_tests::*;

/// The status a request with `token` gets: a digest, which changes nothing.
fn status_with(h: &Harness, token: &str) -> u16 {
    post_raw_as(&h.url(), "digest", Some(token), br#"{"protocol": 2}"#).0
}

/// The audit log's token rotations, by device.
fn rotations(h: &Harness) -> Vec<String> {
    h.operator
        .audit(0, 10_000)
        .unwrap()
        .into_iter()
        .filter(|r| r.action == "device-token-rotated")
        .map(|r| r.subject.unwrap_or_default())
        .collect()
}

/// A transport that keeps the last answer it carried, below a faulty one that may drop it: what
/// the centre answered though the phone never saw it.
struct Keeping {
    inner: HttpTransport,
    last: Arc<Mutex<Vec<u8>>>,
}

impl Transport for Keeping {
    fn send(
        &self,
        endpoint: String,
        token: Option<String>,
        body: Vec<u8>,
    ) -> Result<Vec<u8>, TransportError> {
        let answer = self.inner.send(endpoint, token, body)?;
        *self.last.lock().unwrap() = answer.clone();
        Ok(answer)
    }
}

#[test]
fn a_rotated_token_works_at_once_and_the_old_one_stops_when_the_new_is_used() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    person(&mette, "Kim");
    mette.sync(h.transport()).unwrap();
    let old = device_token(&mette);
    mette.rotate_token(h.transport()).unwrap();
    let new = device_token(&mette);
    assert_ne!(old, new);
    assert_eq!(new.len(), 64);
    // Both work until the new one is used; a request with the old one changes nothing.
    assert_eq!(status_with(&h, &old), 200);
    person(&mette, "Lis");
    let report = mette.sync(h.transport()).unwrap();
    assert_eq!((report.pushed, report.in_step), (1, true));
    assert_eq!(
        status_with(&h, &old),
        401,
        "the old token after the new one was used"
    );
    assert_eq!(status_with(&h, &new), 200);
    assert!(mette.sync(h.transport()).unwrap().in_step);
    let device = mette.identity().unwrap().device_id;
    assert_eq!(rotations(&h), std::slice::from_ref(&device));
    // And again, from the token that was new: the chain goes on.
    mette.rotate_token(h.transport()).unwrap();
    assert!(mette.sync(h.transport()).unwrap().in_step);
    assert_eq!(status_with(&h, &new), 401);
    assert_eq!(rotations(&h), [device.clone(), device]);
}

#[test]
fn a_lost_answer_leaves_the_old_token_working_and_the_next_rotation_replaces_the_lost_one() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    person(&mette, "Kim");
    let old = device_token(&mette);
    let last = Arc::new(Mutex::new(Vec::new()));
    let losing = Arc::new(FaultyTransport::new(
        Keeping {
            inner: HttpTransport::new(&h.url()),
            last: last.clone(),
        },
        FaultRates {
            drop_response: 100,
            ..FaultRates::NONE
        },
        17,
    ));
    let lost = mette.rotate_token(losing.clone()).unwrap_err();
    assert!(matches!(lost, Error::Unreachable { .. }), "{lost:?}");
    // The centre made a token the phone never saw; the phone goes on with its old one.
    let answer: wire::TokenResponse =
        serde_json::from_slice(&wire::inflate(&last.lock().unwrap(), usize::MAX).unwrap()).unwrap();
    assert_eq!(device_token(&mette), old);
    assert!(mette.sync(h.transport()).unwrap().in_step);
    assert_eq!(status_with(&h, &old), 200);
    // The next rotation gets through and replaces the lost token, unused.
    mette.rotate_token(h.transport()).unwrap();
    let new = device_token(&mette);
    assert!(new != old && new != answer.token);
    assert_eq!(
        status_with(&h, &answer.token),
        401,
        "the lost token was replaced"
    );
    assert!(mette.sync(h.transport()).unwrap().in_step);
    assert_eq!(status_with(&h, &old), 401);
    assert_eq!(
        rotations(&h).len(),
        2,
        "each rotation asked for is recorded"
    );
}

#[test]
fn a_revoked_phone_gets_no_token() {
    let h = Harness::new();
    for (worker, how) in [("Mette", Revocation::Lost), ("Jonas", Revocation::Retired)] {
        let phone = h.phone(TEAM_A, worker);
        person(&phone, "Kim");
        phone.sync(h.transport()).unwrap();
        let token = device_token(&phone);
        let device = phone.identity().unwrap().device_id;
        h.operator.revoke(&device, how).unwrap();
        // Told to erase itself, as by a sync: it holds nothing unsent.
        assert_eq!(
            phone.rotate_token(h.transport()).unwrap_err(),
            Error::Revoked
        );
        assert!(!phone.sync_status().unwrap().enrolled);
        assert!(local_ids(&phone).is_empty());
        let (status, body) = post_raw_as(&h.url(), "token", Some(&token), br#"{"protocol": 2}"#);
        assert_eq!(status, 403, "{body}");
        assert!(body.contains("revoked"), "{body}");
    }
    assert!(rotations(&h).is_empty());
}

#[test]
fn a_rotation_needs_a_known_token_in_the_header() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let body = br#"{"protocol": 2}"#;
    let (status, answer) = post_raw_as(&h.url(), "token", None, body);
    assert_eq!(status, 401, "{answer}");
    let (status, answer) = post_raw_as(&h.url(), "token", Some(&"ab".repeat(32)), body);
    assert_eq!(status, 401, "{answer}");
    assert!(answer.contains("unknown-token"), "{answer}");
    let (status, answer) = post_raw_as(
        &h.url(),
        "token",
        Some(&device_token(&mette)),
        br#"{"protocol": 2, "token": "x"}"#,
    );
    assert_eq!(status, 400, "{answer}");
    // A phone not enrolled has nothing to rotate.
    let lis = h.store("Lis");
    assert_eq!(
        lis.rotate_token(h.transport()).unwrap_err(),
        Error::NotEnrolled
    );
    assert!(rotations(&h).is_empty());
}

/// A transport that loses every answer to a rotation (the centre has made the token) and
/// carries everything else.
struct LosesTokenAnswers(HttpTransport);

impl Transport for LosesTokenAnswers {
    fn send(
        &self,
        endpoint: String,
        token: Option<String>,
        body: Vec<u8>,
    ) -> Result<Vec<u8>, TransportError> {
        let rotation = endpoint == "token";
        let answer = self.0.send(endpoint, token, body)?;
        if rotation {
            return Err(TransportError::Unreachable {
                detail: "the answer was lost".into(),
            });
        }
        Ok(answer)
    }
}

#[test]
fn a_phone_the_operator_asks_rotates_at_its_next_sync() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    person(&mette, "Kim");
    mette.sync(h.transport()).unwrap();
    let device = mette.identity().unwrap().device_id;
    let requested = || {
        h.operator
            .device_info(&device)
            .unwrap()
            .rotation_requested_at
    };
    let old = device_token(&mette);
    h.operator.request_rotation(&device).unwrap();
    assert!(requested().is_some());
    // The rotation's answer lost: the sync still succeeds, and the phone keeps its token.
    let losing = Arc::new(LosesTokenAnswers(HttpTransport::new(&h.url())));
    assert!(mette.sync(losing).unwrap().in_step);
    assert_eq!(device_token(&mette), old);
    assert!(requested().is_some(), "asked until a new token is used");
    // The next sync asks again and keeps the token; the one after uses it.
    assert!(mette.sync(h.transport()).unwrap().in_step);
    let new = device_token(&mette);
    assert_ne!(new, old);
    assert!(requested().is_some());
    assert!(mette.sync(h.transport()).unwrap().in_step);
    assert!(requested().is_none(), "done once the new token was used");
    assert_eq!(device_token(&mette), new, "and not rotated again");
    assert_eq!(status_with(&h, &old), 401);
    assert_eq!(rotations(&h).len(), 2, "the lost one and the kept one");
    // A revoked phone is asked nothing.
    h.operator.revoke(&device, Revocation::Lost).unwrap();
    assert_eq!(
        h.operator.request_rotation(&device).unwrap_err().code,
        "revoked"
    );
    assert_eq!(
        h.operator
            .request_rotation("no-such-device")
            .unwrap_err()
            .code,
        "no-device"
    );
}

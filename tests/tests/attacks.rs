//! The second round of attacks (`../shared/reviews/security.md`, `docs/reliability.md`), each
//! made again against a real centre over loopback HTTP, from enrolled phones acting as the
//! attacker: corrections and references across teams, a push flood, guessing enrolment codes,
//! stale and revoked tokens, sequence numbers that show other teams' volume, reused ids, and the
//! two ways a phone is revoked. Each test fails without the fix it names.

use std::time::Duration;

use gadeplan_centre::policy::{EnrolLimits, Quota};
use gadeplan_centre::server::Settings;
use gadeplan_centre::store::Revocation;
use gadeplan_core::sync::wire;
use gadeplan_core::*;
use gadeplan_tests::*;
use serde_json::{Value, json};

fn report_of(h: &Harness, team: &str) -> Value {
    let mut report = serde_json::to_value(h.operator.report(team, clock::now()).unwrap()).unwrap();
    report["generated_at"] = Value::Null;
    report
}

fn results_of(text: &str) -> Vec<wire::PushResult> {
    serde_json::from_str::<wire::PushResponse>(text)
        .unwrap_or_else(|e| panic!("{e}: {text}"))
        .results
}

fn risk_check(store: &Store, person: &str, observed: &[BrosetItem], plan: Option<&str>) -> String {
    store
        .record_risk_check(RiskCheckInput {
            subject: Subject::Person { id: person.into() },
            observed: observed.to_vec(),
            plan: plan.map(Into::into),
            occurred_at: None,
        })
        .unwrap()
        .id
}

/// Finding 3: a device of one team voided and amended another team's entries at the centre and
/// falsified that team's figures. Every field by which an entry names another entry (a
/// correction's target, a change's `based_on`, a contact's `risk_check`) is tried across teams.
#[test]
fn a_device_cannot_correct_or_refer_to_another_teams_entries() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let aisha = h.phone(TEAM_B, "Aisha");
    let pa = person(&mette, "Kim");
    mette.sync(h.transport()).unwrap();
    let pb = person(&aisha, "Lille-Ole");
    let rb = risk_check(&aisha, &pb, &BrosetItem::ALL[..1], None);
    let cb = contact(&aisha, &pb);
    let sb = aisha
        .record_screening(ScreeningInput {
            person: pb.clone(),
            criteria: Criterion::ALL.to_vec(),
            high_burden: BurdenArea::ALL[..3].to_vec(),
            criteria_not_met: vec![],
            burden_not_high: vec![],
            decision: Decision::In,
            reason: None,
            referral_kind: None,
            referred_to: None,
            occurred_at: None,
        })
        .unwrap()
        .id;
    aisha.sync(h.transport()).unwrap();
    let noted_b = entries_of(&aisha)
        .into_iter()
        .find(|e| e.kind == EntryKind::PersonNoted)
        .unwrap()
        .id;
    let team_b_before = report_of(&h, TEAM_B);
    assert_eq!(team_b_before["citizens_found"], 1);
    let b_ids_before = h.centre_ids(TEAM_B);

    let void = |subject: &str, target: &str| {
        forge(
            &mette,
            EntryKind::EntryVoided,
            subject,
            &json!({"target": target, "reason": "x"}).to_string(),
            None,
        )
    };
    let forged = vec![
        (
            "a void of B's person, about a fresh subject",
            void(&journal::new_id(), &noted_b),
        ),
        (
            "a void of B's risk check, about A's citizen",
            void(&pa, &rb),
        ),
        ("a void of B's screening, about A's citizen", void(&pa, &sb)),
        (
            "an amendment of B's contact, about A's citizen",
            forge(
                &mette,
                EntryKind::EntryAmended,
                &pa,
                &json!({"target": cb, "patch": {"outcome": "not-found", "note": "injected"}})
                    .to_string(),
                None,
            ),
        ),
        (
            "a change of A's citizen based on B's entry",
            forge(
                &mette,
                EntryKind::PersonUpdated,
                &pa,
                &json!({"attributes": {"alias": "K"}, "based_on": {"alias": [noted_b]}})
                    .to_string(),
                None,
            ),
        ),
        (
            "a contact with A's citizen leaning on B's risk check",
            forge(
                &mette,
                EntryKind::ContactLogged,
                &pa,
                &json!({"place": "x", "place_kind": "park", "kind": "conversation",
                        "outcome": "contact-made", "risk_check": rb})
                .to_string(),
                None,
            ),
        ),
    ];
    let token = device_token(&mette);
    for (what, entry) in &forged {
        let (status, text) = push(&h.url(), &token, std::slice::from_ref(entry));
        assert_eq!(status, 200, "{what}: {text}");
        let results = results_of(&text);
        assert_eq!(
            results[0].status,
            wire::PushStatus::Rejected,
            "{what}: {text}"
        );
        assert!(
            results[0]
                .error
                .as_deref()
                .unwrap()
                .contains("outside-team"),
            "{what}: {text}"
        );
    }
    assert_eq!(
        report_of(&h, TEAM_B),
        team_b_before,
        "team B's figures stand"
    );
    assert_eq!(h.centre_ids(TEAM_B), b_ids_before);
    let report = aisha.sync(h.transport()).unwrap();
    assert!(report.in_step);
    assert_eq!(
        aisha.list_persons(None, 0).unwrap()[0].screening,
        Some(Decision::In)
    );
}

/// Within a team too, a correction is about its target's citizen (as a phone makes it), and a
/// reference must name an entry the centre holds.
#[test]
fn corrections_name_their_targets_citizen_and_an_entry_the_centre_holds() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let kim = person(&mette, "Kim");
    let bo = person(&mette, "Bo");
    let bos_contact = contact(&mette, &bo);
    mette.sync(h.transport()).unwrap();
    let before = report_of(&h, TEAM_A);
    let token = device_token(&mette);
    let cases = [
        (
            "a void about Kim of Bo's contact",
            json!({"target": bos_contact, "reason": "x"}),
            "another citizen",
        ),
        (
            "a void of an entry the centre never saw",
            json!({"target": journal::new_id(), "reason": "x"}),
            "not known here",
        ),
    ];
    for (what, payload, says) in cases {
        let entry = forge(
            &mette,
            EntryKind::EntryVoided,
            &kim,
            &payload.to_string(),
            None,
        );
        let (_, text) = push(&h.url(), &token, &[entry]);
        let results = results_of(&text);
        assert_eq!(
            results[0].status,
            wire::PushStatus::Rejected,
            "{what}: {text}"
        );
        assert!(
            results[0].error.as_deref().unwrap().contains(says),
            "{what}: {text}"
        );
    }
    assert_eq!(report_of(&h, TEAM_A), before);
}

/// Finding 5: one device stored 76.6 MB at the centre in 3 s. Its quota now stops it, for now
/// and not for good, and nothing it recorded is lost; a retired phone over its quota keeps what
/// it could not send rather than erase it.
#[test]
fn a_push_flood_meets_the_quota_and_loses_nothing() {
    let mut settings = Settings {
        enrol: EnrolLimits {
            per_source_per_minute: u32::MAX,
            total_per_minute: u32::MAX,
        },
        ..Settings::default()
    };
    settings.policy.quota = Quota {
        entries_per_hour: 5,
        ..Quota::default()
    };
    let h = Harness::with(settings);
    let jonas = h.phone(TEAM_A, "Jonas");
    let kim = person(&jonas, "Kim");
    for _ in 0..8 {
        contact(&jonas, &kim);
    }
    let err = jonas.sync(h.transport()).unwrap_err();
    assert!(
        matches!(&err, Error::CentreRefused { code, .. } if code == "quota-exceeded"),
        "{err:?}"
    );
    let status = jonas.sync_status().unwrap();
    assert_eq!((status.pending, status.rejected), (4, 0), "{status:?}");
    assert_eq!(h.centre_ids(TEAM_A).len(), 5);

    // The refusal says when to come back.
    let (status_code, text) = push(&h.url(), &device_token(&jonas), &entries_of(&jonas)[5..]);
    assert_eq!(status_code, 429, "{text}");
    let refusal: wire::ErrorBody = serde_json::from_str(&text).unwrap();
    assert!(refusal.retry_after_s.is_some_and(|s| s > 0), "{text}");

    // Retired while it still holds unsent entries: the pull says "erase", but the phone keeps
    // them for the next sync.
    let device = jonas.identity().unwrap().device_id;
    h.operator.revoke(&device, Revocation::Retired).unwrap();
    let err = jonas.sync(h.transport()).unwrap_err();
    assert!(
        matches!(&err, Error::CentreRefused { code, .. } if code == "quota-exceeded" || code == "revoked"),
        "{err:?}"
    );
    assert_eq!(jonas.sync_status().unwrap().pending, 4);
    assert_eq!(local_ids(&jonas).len(), 9, "nothing is erased while unsent");
}

/// Finding 10: revoking a device erased what it had not sent. A retired phone sends it first;
/// a lost one is refused at once.
#[test]
fn a_retired_phone_sends_what_it_holds_before_it_erases_itself() {
    let h = Harness::new();
    let jonas = h.phone(TEAM_A, "Jonas");
    let kim = person(&jonas, "Kim");
    contact(&jonas, &kim);
    let unsent = local_ids(&jonas);
    let device = jonas.identity().unwrap().device_id;
    h.operator.revoke(&device, Revocation::Retired).unwrap();
    let err = jonas.sync(h.transport()).unwrap_err();
    assert_eq!(err, Error::Revoked);
    assert!(local_ids(&jonas).is_empty(), "erased after sending");
    for id in &unsent {
        assert!(
            h.centre_ids(TEAM_A).contains(id),
            "{id} reached the centre first"
        );
    }

    let lis = h.phone(TEAM_A, "Lis");
    let bo = person(&lis, "Bo");
    contact(&lis, &bo);
    let device = lis.identity().unwrap().device_id;
    h.operator.revoke(&device, Revocation::Lost).unwrap();
    assert_eq!(lis.sync(h.transport()).unwrap_err(), Error::Revoked);
    assert!(local_ids(&lis).is_empty());
    assert!(
        h.centre_ids(TEAM_A).len() == unsent.len(),
        "a lost phone sends nothing more"
    );
    // A lost phone stays lost when declared retired later.
    h.operator.revoke(&device, Revocation::Retired).unwrap();
    assert_eq!(
        h.operator
            .device_info(&device)
            .unwrap()
            .revocation
            .as_deref(),
        Some("lost")
    );
}

/// Finding 6: codes could be guessed at 4,000 a second, and another worker's code answered
/// `worker-mismatch` without being used up.
#[test]
fn enrolment_is_rate_limited_and_a_code_says_nothing_to_a_guesser() {
    let h = Harness::new();
    let code = h.operator.new_enrolment(TEAM_A, "Ida", 1).unwrap().code;
    let enrol = |code: &str, worker: &str| {
        let body = json!({"protocol": 2, "code": code, "device_id": journal::new_id(),
                          "device_name": "p", "worker": worker})
        .to_string();
        post_raw(&h.url(), "enrol", body.as_bytes())
    };
    let (status, unknown) = enrol("AAAA-BBBB-CC", "Ida");
    let (status2, mismatch) = enrol(&code, "Mallory");
    assert_eq!((status, status2), (403, 403));
    let strip = |text: &str| {
        let mut v: Value = serde_json::from_str(text).unwrap();
        v["centre_time"] = Value::Null;
        v
    };
    assert_eq!(
        strip(&unknown),
        strip(&mismatch),
        "the same answer for both"
    );
    // Two more wrong tries use the code up: the worker asks for a new one.
    enrol(&code, "Mallory");
    enrol(&code, "Mallory");
    let (_, locked) = enrol(&code, "Ida");
    assert_eq!(strip(&locked)["error"], "code-used", "{locked}");

    // Tries per source address are limited.
    let limited = Harness::with(Settings {
        enrol: EnrolLimits {
            per_source_per_minute: 3,
            total_per_minute: 100,
        },
        ..Settings::default()
    });
    let enrol = |code: &str| {
        let body = json!({"protocol": 2, "code": code, "device_id": journal::new_id(),
                          "device_name": "p", "worker": "Ida"})
        .to_string();
        post_raw(&limited.url(), "enrol", body.as_bytes())
    };
    let statuses: Vec<u16> = (0..5).map(|_| enrol("AAAA-BBBB-CC").0).collect();
    assert_eq!(statuses, [403, 403, 403, 429, 429]);
    let (_, text) = enrol("AAAA-BBBB-CC");
    let refusal: wire::ErrorBody = serde_json::from_str(&text).unwrap();
    assert_eq!(refusal.error, "rate-limited");
}

/// Finding 7: leader tokens never expired and could be neither listed nor revoked; device
/// tokens never expired.
#[test]
fn tokens_expire_and_leader_tokens_are_listed_and_revoked() {
    let h = Harness::new();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    let report = |token: &str| {
        agent
            .get(&format!("{}/v1/report", h.url()))
            .header("Authorization", &format!("Bearer {token}"))
            .call()
            .unwrap()
            .status()
            .as_u16()
    };
    let leader = h.operator.leader_token(TEAM_A, Some(30)).unwrap();
    assert_eq!(report(&leader.token), 200);
    let listed = h.operator.leader_tokens().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, leader.id);
    assert!(listed[0].last_used_at.is_some());
    assert!(
        !serde_json::to_string(&listed)
            .unwrap()
            .contains(&leader.token)
    );
    h.operator.revoke_leader_token(&leader.id).unwrap();
    assert_eq!(report(&leader.token), 401);

    let old = h.operator.leader_token(TEAM_A, None).unwrap();
    h.centre_execute(&format!(
        "UPDATE centre_leader_tokens SET expires_at = '2001-01-01T00:00:00.000Z' WHERE id = '{}'",
        old.id
    ));
    assert_eq!(report(&old.token), 401, "an expired leader token");

    // A device token unused for longer than the policy allows expires; the phone keeps all it
    // holds and is enrolled again with a new code.
    let jonas = h.phone(TEAM_A, "Jonas");
    let kim = person(&jonas, "Kim");
    h.centre_execute("UPDATE centre_devices SET last_used_at = '2001-01-01T00:00:00.000Z'");
    let err = jonas.sync(h.transport()).unwrap_err();
    assert!(
        matches!(&err, Error::CentreRefused { code, .. } if code == "token-expired"),
        "{err:?}"
    );
    let status = jonas.sync_status().unwrap();
    assert!(!status.enrolled);
    assert_eq!(status.pending, 1);
    let code = h.operator.new_enrolment(TEAM_A, "Jonas", 1).unwrap().code;
    jonas.enrol(h.transport(), h.url(), code).unwrap();
    assert!(jonas.sync(h.transport()).unwrap().in_step);
    assert!(h.centre_ids(TEAM_A).len() == 1 && person(&jonas, "Bo") != kim);
}

/// Finding 17: sequence numbers were one counter for every team, so a phone's pulls showed how
/// much other teams record; and a reused id answered differently when another team held it.
#[test]
fn sequence_numbers_are_per_team_and_a_reused_id_says_nothing_of_other_teams() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let aisha = h.phone(TEAM_B, "Aisha");
    for i in 0..3 {
        person(&mette, &format!("A{i}"));
        person(&aisha, &format!("B{i}"));
        mette.sync(h.transport()).unwrap();
        aisha.sync(h.transport()).unwrap();
    }
    let pulled = |store: &Store| {
        let token = device_token(store);
        let (_, text) = post_raw_as(
            &h.url(),
            "pull",
            Some(&token),
            json!({"protocol": 2, "after": 0, "limit": 100})
                .to_string()
                .as_bytes(),
        );
        serde_json::from_str::<wire::PullResponse>(&text)
            .unwrap()
            .entries
            .iter()
            .map(|s| s.seq)
            .collect::<Vec<_>>()
    };
    assert_eq!(pulled(&mette), [1, 2, 3]);
    assert_eq!(pulled(&aisha), [1, 2, 3]);

    // An id Aisha's team holds, pushed by Mette's device with content of its own, and an id
    // Mette's own team holds: the same words.
    let theirs = entries_of(&aisha)[0].clone();
    let ours = entries_of(&mette)[0].clone();
    let token = device_token(&mette);
    let reuse = |id: &str| {
        let mut entry = forge(
            &mette,
            EntryKind::PersonNoted,
            &journal::new_id(),
            r#"{"alias":"X"}"#,
            None,
        );
        entry.id = id.into();
        entry.recorded_at = {
            let wall = ingest::id_wall_ms(id).unwrap();
            let counter = u32::from_str_radix(&id[15..18], 16).unwrap() & 0x0fff;
            clock::Hlc {
                wall_ms: wall,
                counter,
                device: entry.author_device.to_string(),
            }
            .encode()
        };
        let (_, text) = push(&h.url(), &token, &[entry]);
        results_of(&text).remove(0)
    };
    let (a, b) = (reuse(&theirs.id), reuse(&ours.id));
    assert_eq!(a.status, wire::PushStatus::Rejected);
    assert_eq!(
        a.error, b.error,
        "another team's id and one's own answer alike"
    );
}

/// Finding 4, bodies: 50 connections each holding an unfinished 4 MiB body pinned 229 MB, and a
/// body trickled byte by byte held its connection for good. Each route now reads at most its own
/// size (16 KiB, or 1 MiB for a push), within the body timeout, and answers with a JSON refusal.
#[test]
fn a_body_trickled_or_too_large_is_refused_with_json() {
    use std::io::{Read, Write};
    let h = Harness::with(Settings {
        body_timeout: Duration::from_millis(300),
        ..Settings::default()
    });
    let exchange = |request: &[u8], then: &[u8]| {
        let mut stream = std::net::TcpStream::connect(h.centre.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream.write_all(request).unwrap();
        let _ = stream.write_all(then);
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
    };
    // A push that promises 100,000 bytes and sends ten: answered 408 once the timeout passes.
    let trickled = exchange(
        b"POST /v1/push HTTP/1.1\r\nhost: c\r\ncontent-length: 100000\r\nconnection: close\r\n\r\n",
        b"{\"protocol",
    );
    assert!(trickled.starts_with("HTTP/1.1 408"), "{trickled}");
    let body = &trickled[trickled.find("\r\n\r\n").unwrap() + 4..];
    let refusal: wire::ErrorBody = serde_json::from_str(body).unwrap();
    assert_eq!(refusal.error, "timeout");
    // A pull body over its 16 KiB: refused as too large, whatever follows.
    let big = vec![b' '; wire::SMALL_MAX_BODY_BYTES + 10];
    let head = format!(
        "POST /v1/pull HTTP/1.1\r\nhost: c\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        big.len()
    );
    let refused = exchange(head.as_bytes(), &big);
    assert!(refused.starts_with("HTTP/1.1 413"), "{refused}");
    assert!(refused.contains("\"too-large\""), "{refused}");
}

/// Review round 3: protocol 1 carries the token in the body, so a centre that serves it must
/// read and inflate a body before it knows who sent it. `serve --min-protocol 2` (for a centre
/// whose phones are all updated) refuses a device request without a token header at once, its
/// body unread: here a push that promises a megabyte and sends none is answered straight away.
#[test]
fn with_min_protocol_2_a_request_without_a_token_header_is_refused_unread() {
    use std::io::{Read, Write};
    let h = Harness::with(Settings {
        min_protocol: 2,
        body_timeout: Duration::from_secs(30),
        ..Settings::default()
    });
    let phone = h.phone(TEAM_A, "Mette");
    person(&phone, "Kim");
    let report = phone.sync(h.transport()).unwrap();
    assert!(report.in_step, "protocol 2 is served: {report:?}");
    let token = device_token(&phone);
    let v1 = json!({"protocol": 1, "token": token, "after": 0, "limit": 10}).to_string();
    let (status, body) = post_raw(&h.url(), "pull", v1.as_bytes());
    assert_eq!(status, 400, "{body}");
    let refusal: wire::ErrorBody = serde_json::from_str(&body).unwrap();
    assert_eq!(refusal.error, "unsupported-protocol");
    let started = std::time::Instant::now();
    let mut stream = std::net::TcpStream::connect(h.centre.addr).unwrap();
    stream
        .write_all(b"POST /v1/push HTTP/1.1\r\nhost: c\r\ncontent-length: 1000000\r\nconnection: close\r\n\r\n")
        .unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("unsupported-protocol"), "{answer}");
    // Not held for the 30 s a body may take: the body was never waited for.
    assert!(started.elapsed() < Duration::from_secs(20));
}

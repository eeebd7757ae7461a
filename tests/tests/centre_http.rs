//! What the centre answers to requests no honest phone sends: each gets a 4xx with a JSON error
//! body, and nothing the centre holds changes.

use gadeplan_core::sync::wire;

/// The raw requests here speak protocol 1, which carries the device token in the body, as a
/// phone not yet updated does; the centre still answers it. Protocol 2 (the token in a header)
/// has its own cases below.
const PROTOCOL: u32 = 1;
use gadeplan_tests::*;
use serde_json::json;

#[test]
fn bad_requests_get_4xx_and_change_nothing() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let jonas = h.phone(TEAM_A, "Jonas");
    let aisha = h.phone(TEAM_B, "Aisha");
    let kim = person(&mette, "Kim");
    contact(&mette, &kim);
    mette.sync(h.transport()).unwrap();
    let ole = person(&aisha, "Ole");
    aisha.sync(h.transport()).unwrap();
    let before = (
        h.centre_ids(TEAM_A),
        h.centre_ids(TEAM_B),
        h.operator.devices().unwrap(),
    );

    // Entries Jonas has not sent yet, to put in forged requests.
    let lis = person(&jonas, "Lis");
    contact(&jonas, &lis);
    let jonas_entries = entries_of(&jonas);
    let mette_token = device_token(&mette);
    let jonas_token = device_token(&jonas);
    let aisha_token = device_token(&aisha);

    // An entry of team B's citizen, sent by a team A phone: rejected for that entry alone.
    let aisha_entries = entries_of(&aisha);
    let ole_entry = aisha_entries
        .iter()
        .find(|e| e.subject == ole)
        .unwrap()
        .clone();

    let oversized = vec![b'x'; wire::PUSH_MAX_BODY_BYTES + 1024];
    let bomb = wire::compress(&vec![b' '; 2 * wire::PUSH_MAX_INFLATED_BYTES]);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("push", b"{not json".to_vec(), "malformed JSON"),
        ("push", b"".to_vec(), "an empty body"),
        ("pull", b"[1,2,3]".to_vec(), "the wrong shape"),
        ("push", json!({"protocol": 99, "token": jonas_token, "entries": jonas_entries}).to_string().into_bytes(), "an unknown protocol"),
        ("pull", json!({"protocol": PROTOCOL, "token": "0".repeat(64), "after": 0, "limit": 10}).to_string().into_bytes(), "a wrong token"),
        ("push", json!({"protocol": PROTOCOL, "token": "nope", "entries": []}).to_string().into_bytes(), "a wrong token on push"),
        ("push", json!({"protocol": PROTOCOL, "token": mette_token, "entries": jonas_entries}).to_string().into_bytes(), "entries of another device"),
        ("push", json!({"protocol": PROTOCOL, "token": aisha_token, "entries": [ole_entry.clone(), jonas_entries[0].clone()]}).to_string().into_bytes(), "a mixed batch with another device's entry"),
        ("push", oversized, "an oversized body"),
        ("push", bomb, "a compressed body that inflates past the limit"),
        ("pull", vec![0x78, 0x9c, 1, 2, 3], "a broken compressed body"),
        ("push", json!({"protocol": PROTOCOL, "token": jonas_token, "entries": jonas_entries, "extra": 1}).to_string().into_bytes(), "an unknown field"),
        ("pull", json!({"protocol": PROTOCOL, "token": jonas_token, "after": -1, "limit": 10}).to_string().into_bytes(), "a negative cursor"),
        ("enrol", json!({"protocol": PROTOCOL, "code": "AAAA-BBBB-CC", "device_id": "x", "device_name": "p", "worker": "w"}).to_string().into_bytes(), "a malformed device id"),
        ("enrol", json!({"protocol": PROTOCOL, "code": "AAAA-BBBB-CC", "device_id": gadeplan_core::journal::new_id(), "device_name": "p", "worker": "w"}).to_string().into_bytes(), "an unknown code"),
        ("digest", json!({"protocol": PROTOCOL}).to_string().into_bytes(), "a missing token"),
    ];
    for (endpoint, body, what) in &cases {
        let (status, text) = post_raw(&h.url(), endpoint, body);
        assert!(
            (400..500).contains(&status),
            "{what}: status {status} ({text})"
        );
        if !text.is_empty() && status != 413 {
            let parsed: serde_json::Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {text}"));
            assert!(parsed["error"].is_string(), "{what}: {text}");
        }
    }
    assert_eq!(
        (
            h.centre_ids(TEAM_A),
            h.centre_ids(TEAM_B),
            h.operator.devices().unwrap()
        ),
        before,
        "a refused request changed the centre"
    );

    // Team B's citizen in a team A device's batch: that entry is rejected, nothing of it stored.
    let mut forged = ole_entry;
    forged.id = jonas_entries[0].id.clone();
    let body = json!({"protocol": PROTOCOL, "token": jonas_token, "entries": [jonas_entries[0]]})
        .to_string();
    let (status, _) = post_raw(&h.url(), "push", body.as_bytes());
    assert_eq!(status, 200, "Jonas's own entry is accepted");
    let (status, text) = post_raw(
        &h.url(),
        "push",
        json!({"protocol": PROTOCOL, "token": jonas_token, "entries": [forged]})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(
        status, 403,
        "an entry authored by Aisha's device, sent with Jonas's token: {text}"
    );
    assert_eq!(h.centre_ids(TEAM_B), before.1);

    // Entry ids are never reused with other content: the same id, another payload, is rejected.
    let mut altered = jonas_entries[0].clone();
    altered.payload = altered.payload.replace("Lis", "Liz");
    let (status, text) = post_raw(
        &h.url(),
        "push",
        json!({"protocol": PROTOCOL, "token": jonas_token, "entries": [altered]})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(status, 200);
    assert!(text.contains("\"rejected\""), "{text}");
}

#[test]
fn a_phone_cannot_reach_another_teams_citizen_whatever_it_sends() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let aisha = h.phone(TEAM_B, "Aisha");
    let ole = person(&aisha, "Ole");
    aisha.sync(h.transport()).unwrap();
    // Mette's phone, made to believe Ole exists (an entry about him, recorded locally), pushes
    // a contact about him: the centre rejects that entry and it never reaches Aisha.
    let noted = entries_of(&aisha)
        .into_iter()
        .find(|e| e.subject == ole)
        .unwrap();
    mette
        .with_connection(|c| {
            gadeplan_core::sync::ingest_batch(
                c,
                std::slice::from_ref(&noted),
                gadeplan_core::ingest::Intake::phone(
                    gadeplan_core::clock::now().timestamp_millis(),
                ),
            )?;
            Ok(())
        })
        .unwrap();
    let c = contact(&mette, &ole);
    let report = mette.sync(h.transport()).unwrap();
    assert!(report.rejected >= 1, "{report:?}");
    assert!(
        !report.in_step,
        "the phone holds an entry its team may not have"
    );
    let state = mette.entry(c.clone()).unwrap().sync_state;
    assert_eq!(
        state,
        gadeplan_core::SyncState::Rejected,
        "the refused entry stays on the phone, marked"
    );
    aisha.sync(h.transport()).unwrap();
    assert!(aisha.entry(c).is_err());
    assert_eq!(h.centre_ids(TEAM_A).len(), 0);
}

#[test]
fn the_team_leaders_report_needs_a_leader_token_and_shows_only_that_team() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let aisha = h.phone(TEAM_B, "Aisha");
    let kim = person(&mette, "Kim");
    contact(&mette, &kim);
    mette.sync(h.transport()).unwrap();
    person(&aisha, "Ole");
    aisha.sync(h.transport()).unwrap();
    let token = h.operator.leader_token(TEAM_A, None).unwrap().token;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let get = |auth: Option<&str>| {
        let mut req = agent.get(&format!("{}/v1/report", h.url()));
        if let Some(a) = auth {
            req = req.header("Authorization", &format!("Bearer {a}"));
        }
        let mut r = req.call().unwrap();
        (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
    };
    assert_eq!(get(None).0, 401);
    assert_eq!(get(Some(&"f".repeat(64))).0, 401);
    // A device token is not a leader token.
    assert_eq!(get(Some(&device_token(&mette))).0, 401);
    let (status, body) = get(Some(&token));
    assert_eq!(status, 200, "{body}");
    let report: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(report["team"], TEAM_A);
    assert_eq!(report["citizens_found"], 1);
    assert_eq!(report["workers"][0]["worker"], "Mette");
    assert_eq!(report["workers"][0]["contacts_7_days"], 1);
    assert_eq!(report["workers"][0]["met_30_days"], 1);
    assert_eq!(report["workers"][0]["caseload"], 0, "no course opened");
    assert!(!body.contains("Ole"), "nothing of the other team");
}

/// Every way a field of a request can be wrong: missing, null, of another type, oversized, out of
/// range. Each variant is a whole request with that one field spoilt.
fn spoilt_fields(valid: &serde_json::Value) -> Vec<(String, serde_json::Value)> {
    use serde_json::Value;
    let mut variants = Vec::new();
    let Value::Object(fields) = valid else {
        panic!("requests are JSON objects")
    };
    for (name, value) in fields {
        let mut with = |what: &str, new: Option<Value>| {
            let mut spoilt = fields.clone();
            match new {
                Some(v) => spoilt.insert(name.clone(), v),
                None => spoilt.remove(name),
            };
            variants.push((format!("{name} {what}"), Value::Object(spoilt)));
        };
        with("missing", None);
        with("null", Some(Value::Null));
        match value {
            Value::String(_) => {
                with("a number", Some(json!(12345)));
                with("an array", Some(json!(["a"])));
                with("oversized", Some(json!("x".repeat(100_000))));
                with("empty", Some(json!("")));
            }
            Value::Number(_) => {
                with("a string", Some(json!("1")));
                with("negative", Some(json!(-1)));
                with("a fraction", Some(json!(1.5)));
                with("past u64", Some(json!(1e30)));
                with("true", Some(json!(true)));
            }
            Value::Array(items) => {
                with("an object", Some(json!({})));
                with("a string", Some(json!("[]")));
                // Too many items: more than a push may carry.
                let many: Vec<Value> =
                    std::iter::repeat_n(items[0].clone(), wire::PUSH_MAX_ENTRIES + 1).collect();
                with("too long", Some(Value::Array(many)));
            }
            _ => {}
        }
    }
    variants
}

/// Malformed bodies that are not the request at all, sized against `endpoint`'s own limits.
fn malformed_bodies(endpoint: &str, valid: &[u8]) -> Vec<(String, Vec<u8>)> {
    let (body_limit, inflated_limit) = if endpoint == "push" {
        (wire::PUSH_MAX_BODY_BYTES, wire::PUSH_MAX_INFLATED_BYTES)
    } else {
        (wire::SMALL_MAX_BODY_BYTES, wire::SMALL_MAX_BODY_BYTES)
    };
    vec![
        ("not JSON".into(), b"{not json".to_vec()),
        ("an empty body".into(), Vec::new()),
        ("a JSON array".into(), b"[1,2,3]".to_vec()),
        ("a JSON string".into(), b"\"push\"".to_vec()),
        ("JSON null".into(), b"null".to_vec()),
        ("cut off halfway".into(), valid[..valid.len() / 2].to_vec()),
        ("trailing garbage".into(), [valid, b"}}"].concat()),
        ("not UTF-8".into(), vec![b'{', 0xff, 0xfe, b'}']),
        ("oversized".into(), vec![b' '; body_limit + 1]),
        (
            "a zip bomb".into(),
            wire::compress(&vec![b' '; 2 * inflated_limit]),
        ),
        ("broken compression".into(), vec![0x78, 0x9c, 1, 2, 3]),
        (
            "compression cut off".into(),
            wire::compress(valid)[..8].to_vec(),
        ),
    ]
}

#[test]
fn every_endpoint_refuses_every_kind_of_bad_input_and_changes_nothing() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let kim = person(&mette, "Kim");
    contact(&mette, &kim);
    mette.sync(h.transport()).unwrap();
    let jonas = h.phone(TEAM_A, "Jonas");
    let lis = person(&jonas, "Lis");
    contact(&jonas, &lis);
    let token = device_token(&jonas);
    let unsent = entries_of(&jonas);
    let code = h.operator.new_enrolment(TEAM_A, "Ida", 1).unwrap().code;
    let new_device = gadeplan_core::journal::new_id();

    let valid: Vec<(&str, serde_json::Value)> = vec![
        (
            "enrol",
            json!({"protocol": PROTOCOL, "code": code, "device_id": new_device, "device_name": "Ida's phone", "worker": "Ida"}),
        ),
        (
            "push",
            json!({"protocol": PROTOCOL, "token": token, "entries": [unsent[0]]}),
        ),
        (
            "pull",
            json!({"protocol": PROTOCOL, "token": token, "after": 0, "limit": 10}),
        ),
        ("digest", json!({"protocol": PROTOCOL, "token": token})),
    ];
    let mut cases: Vec<(String, &str, Vec<u8>)> = Vec::new();
    for (endpoint, request) in &valid {
        let bytes = request.to_string().into_bytes();
        for (what, body) in malformed_bodies(endpoint, &bytes) {
            cases.push((format!("{endpoint}: {what}"), endpoint, body));
        }
        for (what, body) in spoilt_fields(request) {
            cases.push((
                format!("{endpoint}: {what}"),
                endpoint,
                body.to_string().into_bytes(),
            ));
        }
        for protocol in [0, wire::LATEST_PROTOCOL + 1, 99] {
            let mut other = request.clone();
            other["protocol"] = json!(protocol);
            cases.push((
                format!("{endpoint}: protocol {protocol}"),
                endpoint,
                other.to_string().into_bytes(),
            ));
        }
        let mut unknown = request.clone();
        unknown["extra"] = json!(1);
        cases.push((
            format!("{endpoint}: an unknown field"),
            endpoint,
            unknown.to_string().into_bytes(),
        ));
    }
    // Out of range for the centre though a valid u64.
    let mut far = valid[2].1.clone();
    far["after"] = json!(u64::MAX);
    cases.push((
        "pull: after beyond the centre's sequence type".into(),
        "pull",
        far.to_string().into_bytes(),
    ));
    // Each field of the pushed entry spoilt in turn.
    let entry = serde_json::to_value(&unsent[0]).unwrap();
    for (what, spoilt) in spoilt_fields(&entry) {
        let body = json!({"protocol": PROTOCOL, "token": token, "entries": [spoilt]});
        cases.push((
            format!("push: entry {what}"),
            "push",
            body.to_string().into_bytes(),
        ));
    }

    // Protocol 2: the token in the `Authorization` header, and only there.
    let mut v2_cases: Vec<(String, &str, Option<String>, Vec<u8>)> = Vec::new();
    for (endpoint, request) in valid.iter().filter(|(e, _)| *e != "enrol") {
        let mut v2 = request.clone();
        v2["protocol"] = json!(2);
        let with_body_token = v2.to_string().into_bytes();
        v2.as_object_mut().unwrap().remove("token");
        let body = v2.to_string().into_bytes();
        let mut v1 = request.clone();
        v1["protocol"] = json!(1);
        for (what, header, body) in [
            ("no header", None, body.clone()),
            (
                "a token in the body too",
                Some(token.clone()),
                with_body_token,
            ),
            ("an unknown token", Some("0".repeat(64)), body.clone()),
            ("an empty token", Some(String::new()), body.clone()),
            (
                "a header on protocol 1",
                Some(token.clone()),
                v1.to_string().into_bytes(),
            ),
        ] {
            v2_cases.push((format!("{endpoint} v2: {what}"), endpoint, header, body));
        }
        // A body that is not a request, with a valid header: the token is checked first, the
        // body then refused.
        for (what, bad) in malformed_bodies(endpoint, &body) {
            v2_cases.push((
                format!("{endpoint} v2: {what}"),
                endpoint,
                Some(token.clone()),
                bad,
            ));
        }
    }
    let cases: Vec<(String, &str, Option<String>, Vec<u8>)> = cases
        .into_iter()
        .map(|(what, endpoint, body)| (what, endpoint, None, body))
        .chain(v2_cases)
        .collect();

    let before = h.operator.dump().unwrap();
    let (mut refused_whole, mut entry_rejected) = (0, 0);
    for (what, endpoint, header, body) in &cases {
        let (status, text) = post_raw_as(&h.url(), endpoint, header.as_deref(), body);
        if status == 200 && *endpoint == "push" {
            // A batch that parses is answered entry by entry: an entry that breaks a rule comes
            // back rejected with its reason, for the phone to keep and show.
            let answer: wire::PushResponse =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: {e}: {text}"));
            assert!(
                !answer.results.is_empty()
                    && answer
                        .results
                        .iter()
                        .all(|r| r.status == wire::PushStatus::Rejected && r.error.is_some()),
                "{what}: accepted ({text})"
            );
            entry_rejected += 1;
        } else {
            assert!(
                (400..500).contains(&status),
                "{what}: status {status} ({text})"
            );
            let parsed: serde_json::Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{what}: not a JSON refusal ({e}): {text}"));
            assert!(parsed["error"].is_string(), "{what}: {text}");
            refused_whole += 1;
        }
        assert_eq!(
            h.operator.dump().unwrap(),
            before,
            "{what}: the centre changed"
        );
    }

    // The leader's report: a GET with a bearer token, refused without the right one.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let device = device_token(&mette);
    let long = "f".repeat(100_000);
    let headers: Vec<(&str, Option<String>)> = vec![
        ("no header", None),
        ("an empty bearer", Some("Bearer ".into())),
        ("another scheme", Some("Basic dXNlcjpwYXNz".into())),
        ("no scheme", Some(device.clone())),
        ("a device token", Some(format!("Bearer {device}"))),
        (
            "an unknown token",
            Some(format!("Bearer {}", "0".repeat(64))),
        ),
        ("an oversized token", Some(format!("Bearer {long}"))),
    ];
    for (what, header) in &headers {
        let mut request = agent.get(&format!("{}/v1/report", h.url()));
        if let Some(value) = header {
            request = request.header("Authorization", value.as_str());
        }
        let status = match request.call() {
            Ok(r) => r.status().as_u16(),
            Err(e) => panic!("report, {what}: {e}"),
        };
        assert!(
            (400..500).contains(&status),
            "report, {what}: status {status}"
        );
        refused_whole += 1;
    }
    assert_eq!(h.operator.dump().unwrap(), before);

    // The refusals spent nothing: the code still enrols Ida's phone.
    let ida = h.store("Ida");
    ida.enrol(h.transport(), h.url(), code).unwrap();
    eprintln!(
        "centre endpoints: {} bad inputs; {refused_whole} refused whole with a 4xx, {entry_rejected} pushes answered with every entry rejected; nothing changed",
        refused_whole + entry_rejected
    );
}

/// Found by the centre fuzzer: a second `person.noted` for a citizen already noted (only a forged
/// or broken phone sends one) made the centre fail with a storage error, answering 500 for good,
/// and an entry refused halfway could stay in the journal. Now it is rejected, leaving nothing.
#[test]
fn a_citizen_noted_twice_is_rejected_and_leaves_nothing() {
    let h = Harness::new();
    let jonas = h.phone(TEAM_A, "Jonas");
    let lis = person(&jonas, "Lis");
    contact(&jonas, &lis);
    let unsent = entries_of(&jonas);
    let noted = unsent
        .iter()
        .find(|e| e.subject == lis && e.kind == gadeplan_core::EntryKind::PersonNoted)
        .unwrap()
        .clone();
    let mut twice = unsent
        .iter()
        .find(|e| e.kind == gadeplan_core::EntryKind::ContactLogged)
        .unwrap()
        .clone();
    twice.kind = noted.kind;
    twice.payload = noted.payload.clone();
    let token = device_token(&jonas);
    for batch in [vec![noted.clone(), twice.clone()], vec![twice.clone()]] {
        let (status, text) = post_raw(
            &h.url(),
            "push",
            json!({"protocol": PROTOCOL, "token": token, "entries": batch})
                .to_string()
                .as_bytes(),
        );
        assert_eq!(status, 200, "{text}");
        let answer: wire::PushResponse = serde_json::from_str(&text).unwrap();
        let result = answer.results.iter().find(|r| r.id == twice.id).unwrap();
        assert_eq!(result.status, wire::PushStatus::Rejected, "{text}");
        assert!(
            result.error.as_deref().unwrap().contains("noted already"),
            "{text}"
        );
    }
    assert_eq!(h.centre_ids(TEAM_A), vec![noted.id.clone()]);
    let in_journal = h.centre_column(&format!(
        "SELECT id FROM {} WHERE id = '{}'",
        h.journal_table(),
        twice.id
    ));
    assert!(
        in_journal.is_empty(),
        "the refused entry left nothing in the journal"
    );
}

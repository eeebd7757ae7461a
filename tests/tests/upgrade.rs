//! Versions meeting: a centre that holds entries accepted before the time bounds and name
//! rules, pulled by phones that apply them; and a phone meeting entries from a newer version.

use std::sync::Arc;

use gadeplan_core::sync::wire;
use gadeplan_core::{EntryKind, Store, clock, journal};
use gadeplan_tests::{Harness, TEAM_A, entries_of, forge, person};

/// Puts an entry in the centre's journal and its team's sequence as a centre before the
/// hardening would have taken it in, without today's checks.
fn held_by_an_earlier_centre(h: &Harness, entry: &journal::Entry) {
    let conn = h.centre_db();
    gadeplan_core::entries::insert(&conn, entry).unwrap();
    conn.execute(
        "INSERT INTO centre_sequence (team, seq, entry_id, device)
         VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM centre_sequence WHERE team = ?1), ?2, ?3)",
        rusqlite::params![TEAM_A, entry.id, entry.author_device],
    )
    .unwrap();
}

/// A routine low Brøset check of `person` by `store`'s device, stamped in 2100.
fn low_check_in_2100(store: &Store, person: &str) -> journal::Entry {
    let in_2100 = chrono::DateTime::parse_from_rfc3339("2100-06-01T12:00:00Z")
        .unwrap()
        .timestamp_millis();
    let low = r#"{"answers":{"confusion":false,"irritability":false,"boisterousness":false,"physical-threats":false,"verbal-threats":false,"attacks-on-objects":false},"instrument_version":1}"#;
    forge(store, EntryKind::RiskChecked, person, low, Some(in_2100))
}

fn aliases(store: &Store) -> Vec<String> {
    let mut names: Vec<String> = store
        .list_persons(None, 0)
        .unwrap()
        .into_iter()
        .map(|p| p.alias)
        .collect();
    names.sort();
    names
}

/// Review round 3: an earlier centre took in a check stamped in 2100 and an alias with a
/// zero-width space. Before, every phone of the team stopped its pull at the first of them
/// ("unreadable-entry") for good: nothing its colleagues recorded after it ever arrived. Now a
/// phone sets such entries aside, whole and counted in its status, takes in everything after
/// them, and stays in step with the centre without fetching everything again at each sync.
#[test]
fn entries_an_earlier_centre_accepted_are_set_aside_and_the_pull_goes_on() {
    let h = Harness::new();
    let old = h.phone(TEAM_A, "Mette");
    let kim = person(&old, "Kim");
    old.sync(h.transport()).unwrap();
    let future = low_check_in_2100(&old, &kim);
    held_by_an_earlier_centre(&h, &future);
    let hidden = forge(
        &old,
        EntryKind::PersonNoted,
        &journal::new_id(),
        r#"{"alias":"Bo\u200b"}"#,
        Some(clock::now().timestamp_millis() - 1000),
    );
    held_by_an_earlier_centre(&h, &hidden);
    // A colleague records after them.
    let colleague = h.phone(TEAM_A, "Jonas");
    person(&colleague, "Sara");
    colleague
        .sync(h.transport())
        .expect("the colleague's sync goes on past what it set aside");
    assert!(aliases(&colleague).contains(&"Sara".to_string()));

    let fresh = h.phone(TEAM_A, "Ali");
    let report = fresh.sync(h.transport()).unwrap();
    assert!(report.in_step, "{report:?}");
    assert_eq!(aliases(&fresh), ["Kim", "Sara"]);
    let status = fresh.sync_status().unwrap();
    assert_eq!(status.set_aside, 2, "{status:?}");
    // In step: the next sync does not fetch everything again.
    let again = fresh.sync(h.transport()).unwrap();
    assert!(again.in_step && !again.repaired, "{again:?}");
    assert_eq!(again.pulled, 0, "{again:?}");
    // Kim's current risk is not the check from 2100.
    let kim_listed = fresh
        .list_persons(None, 0)
        .unwrap()
        .into_iter()
        .find(|p| p.alias == "Kim")
        .unwrap();
    assert!(kim_listed.risk.is_none(), "{kim_listed:?}");
}

/// Review round 3: a phone that pushed a check stamped in 2100 to an earlier centre, which took
/// it in and acknowledged it: its push watermark lies in 2100. Before, the phone's clock
/// resumed after that watermark, so everything it recorded from then on was stamped in 2100 and
/// refused by the centre, every sync, for good. Now a watermark beyond the latest centre time
/// seen is forgotten once (everything sent again, the held check answered as a duplicate and
/// listed apart), the clock does not follow it, and what the phone records is pending and sent.
#[test]
fn a_phone_whose_watermark_an_earlier_centre_put_in_2100_still_sends_what_it_records() {
    let h = Harness::new();
    let old = h.phone(TEAM_A, "Mette");
    let kim = person(&old, "Kim");
    old.sync(h.transport()).unwrap();
    let future = low_check_in_2100(&old, &kim);
    held_by_an_earlier_centre(&h, &future);
    old.with_connection(|c| {
        gadeplan_core::entries::insert(c, &future)?;
        let payload = gadeplan_core::kinds::Payload::read(future.kind, &future.payload)?;
        gadeplan_core::kinds::apply(c, &future, &payload)?;
        c.execute(
            "UPDATE meta SET value = ?1 WHERE key = 'sync_pushed_through'",
            [&future.id],
        )?;
        Ok(())
    })
    .unwrap();

    person(&old, "Lis");
    let report = old.sync(h.transport()).unwrap();
    assert!(report.in_step, "{report:?}");
    // Nothing left below a watermark in the future: what it records next is pending (a retired
    // phone sends it before erasing itself), and the check from 2100 counts as held.
    person(&old, "Mo");
    assert_eq!(old.sync_status().unwrap().pending, 1);
    let again = old.sync(h.transport()).unwrap();
    assert!(again.in_step && !again.repaired, "{again:?}");
    assert_eq!(
        (again.pushed, again.acknowledged_again),
        (1, 0),
        "{again:?}"
    );
    assert_eq!(old.sync_status().unwrap().pending, 0);
    let colleague = h.phone(TEAM_A, "Jonas");
    colleague.sync(h.transport()).unwrap();
    assert!(
        aliases(&colleague).contains(&"Lis".to_string()),
        "{:?}",
        aliases(&colleague)
    );
}

/// A centre as a newer version would answer, scripted: the team's entries it sends include one
/// of a kind this app does not know and one of a newer payload version (recorded on phones
/// already updated), and one stamped a quarter of an hour ahead of the centre's clock at first.
/// Fields a newer centre adds to its answers are there too. It acknowledges whatever is pushed.
struct NewerCentre {
    sent: Vec<serde_json::Value>,
    pushed: std::sync::Mutex<Vec<String>>,
    /// How far the centre's clock is from this machine's, in ms (it moves on in the test).
    clock_ms: std::sync::atomic::AtomicI64,
}

impl gadeplan_core::Transport for NewerCentre {
    fn send(
        &self,
        endpoint: String,
        _token: Option<String>,
        body: Vec<u8>,
    ) -> Result<Vec<u8>, gadeplan_core::TransportError> {
        use serde_json::json;
        use std::sync::atomic::Ordering;
        let request: serde_json::Value =
            serde_json::from_slice(&wire::inflate(&body, 1 << 24).unwrap()).unwrap();
        let now = clock::now().timestamp_millis() + self.clock_ms.load(Ordering::SeqCst);
        let centre_time =
            journal::format_timestamp(chrono::DateTime::from_timestamp_millis(now).unwrap());
        let answer = match endpoint.as_str() {
            "enrol" => json!({"protocol": 2, "token": "a".repeat(64), "team": TEAM_A,
                              "centre_time": centre_time, "motd": "a field from a newer centre"}),
            "push" => {
                let ids: Vec<String> = request["entries"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| e["id"].as_str().unwrap().to_string())
                    .collect();
                self.pushed.lock().unwrap().extend(ids.iter().cloned());
                let results: Vec<_> = ids
                    .iter()
                    .map(|id| json!({"id": id, "status": "accepted", "seq": 1}))
                    .collect();
                json!({"protocol": 2, "results": results, "centre_time": centre_time})
            }
            "pull" => {
                let after = request["after"].as_u64().unwrap();
                let entries: Vec<_> = (1..)
                    .zip(&self.sent)
                    .filter(|(seq, _)| *seq > after)
                    .map(|(seq, entry)| json!({"seq": seq, "entry": entry, "shard": 0}))
                    .collect();
                json!({"protocol": 2, "entries": entries, "more": false,
                       "centre_time": centre_time})
            }
            _ => {
                let mut ids: Vec<String> = self
                    .sent
                    .iter()
                    .map(|e| e["id"].as_str().unwrap().to_string())
                    .chain(self.pushed.lock().unwrap().iter().cloned())
                    .collect();
                ids.sort();
                json!({"protocol": 2, "digest": gadeplan_core::sync::digest_of(ids),
                       "centre_time": centre_time})
            }
        };
        Ok(answer.to_string().into_bytes())
    }
}

/// Issue 11, item 6 (the first part): phones are updated over weeks, not at once. Before, one
/// entry of a kind or payload version this app did not know made every pull stop before it (or
/// the whole answer unreadable), for good, until the app was updated: nothing colleagues
/// recorded after it arrived. Now such entries are set aside whole (counted in the status,
/// tried again at every pull, taken in once the app can read them) and everything else arrives;
/// fields a newer centre adds to its answers are ignored.
#[test]
fn entries_from_a_newer_version_are_set_aside_and_everything_else_arrives() {
    use std::sync::atomic::Ordering;
    let h = Harness::new();
    let colleague = h.phone(TEAM_A, "Jonas");
    person(&colleague, "Kim");
    let mut sent = entries_of(&colleague);
    let ahead_ms = clock::now().timestamp_millis() + 15 * 60 * 1000;
    let ahead = forge(
        &colleague,
        EntryKind::PersonNoted,
        &journal::new_id(),
        r#"{"alias":"Sara"}"#,
        Some(ahead_ms),
    );
    let mut newer_version = forge(
        &colleague,
        EntryKind::PersonNoted,
        &journal::new_id(),
        r#"{"alias":"Bo","pronoun":"he"}"#,
        None,
    );
    newer_version.schema_version = journal::PAYLOAD_VERSION + 1;
    let mut unknown_kind = serde_json::to_value(forge(
        &colleague,
        EntryKind::PersonNoted,
        &journal::new_id(),
        r#"{"plan":"bridge to treatment"}"#,
        None,
    ))
    .unwrap();
    unknown_kind["kind"] = "course.opened".into();
    let mut sent: Vec<serde_json::Value> = sent
        .drain(..)
        .map(|e| serde_json::to_value(e).unwrap())
        .collect();
    sent.push(unknown_kind);
    sent.push(serde_json::to_value(&newer_version).unwrap());
    sent.push(serde_json::to_value(&ahead).unwrap());
    person(&colleague, "Lis");
    sent.push(serde_json::to_value(entries_of(&colleague).last().unwrap()).unwrap());
    let centre = Arc::new(NewerCentre {
        sent,
        pushed: Default::default(),
        clock_ms: 0.into(),
    });

    let phone = h.store("Mette");
    phone
        .enrol(
            centre.clone(),
            "https://centre.example".into(),
            "CODE".into(),
        )
        .unwrap();
    person(&phone, "Ali");
    let report = phone.sync(centre.clone()).unwrap();
    assert!(report.in_step, "{report:?}");
    assert_eq!(aliases(&phone), ["Ali", "Kim", "Lis"]);
    assert_eq!(phone.sync_status().unwrap().set_aside, 3);
    let again = phone.sync(centre.clone()).unwrap();
    assert!(
        again.in_step && !again.repaired && again.pulled == 0,
        "{again:?}"
    );

    // The centre's clock moves on past the entry stamped ahead: the next pull takes it in.
    centre.clock_ms.store(10 * 60 * 1000, Ordering::SeqCst);
    let later = phone.sync(centre.clone()).unwrap();
    assert_eq!(later.pulled, 1, "{later:?}");
    assert_eq!(aliases(&phone), ["Ali", "Kim", "Lis", "Sara"]);
    assert_eq!(phone.sync_status().unwrap().set_aside, 2);
}

/// Issue 11: a phone updated before the centre pushes entries of a kind and of a payload version
/// this centre does not know, between ordinary ones. Before, an unknown kind made the whole
/// request unreadable (the phone could send nothing more) and a newer version was refused for
/// good (the phone lists it as refused, and it never reaches the team). Now the centre holds
/// both whole and answers `held`, takes in the rest, passes nothing it cannot read to the team,
/// counts them in their own phone's digest (so that phone stays in step), and an updated centre
/// takes in what it can then read, with every check a push makes.
#[test]
fn a_centre_holds_what_a_newer_phone_pushes_and_takes_it_in_once_updated() {
    use gadeplan_tests::post_raw_as;
    let h = Harness::new();
    let (newer, kim, token) = synced_phone_with_kim(&h);

    let stage = r#"{"stage":"contemplation","instrument_version":1}"#;
    let unknown_kind = of_a_newer_kind(&newer, &kim, "Enghave Plads", None);
    let ordinary = forge(&newer, EntryKind::StageAssessed, &kim, stage, None);
    let mut newer_version = forge(
        &newer,
        EntryKind::StageAssessed,
        &kim,
        r#"{"stage":"preparation","instrument_version":1,"readiness":7}"#,
        None,
    );
    newer_version.schema_version = journal::PAYLOAD_VERSION + 1;
    let entries = [
        unknown_kind.clone(),
        serde_json::to_value(&ordinary).unwrap(),
        serde_json::to_value(&newer_version).unwrap(),
    ];
    let (status, statuses, answer) = push_values(&h, &token, &entries);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(statuses, ["held", "accepted", "held"]);
    // Sent again (an answer lost on the way): the same, and nothing kept twice.
    let (_, again, _) = push_values(&h, &token, &entries);
    assert_eq!(again, ["held", "duplicate", "held"]);
    let held: i64 = h
        .centre_db()
        .query_row(
            "SELECT count(*) FROM centre_held WHERE status = 'held'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(held, 2);

    // The team gets what the centre reads, and nothing it cannot.
    let ids = h.centre_ids(TEAM_A);
    assert!(ids.contains(&ordinary.id.to_string()));
    assert!(
        !ids.iter()
            .any(|id| *id == newer_version.id || Some(id.as_str()) == unknown_kind["id"].as_str())
    );
    let colleague = h.phone(TEAM_A, "Jonas");
    let report = colleague.sync(h.transport()).unwrap();
    assert!(report.in_step, "{report:?}");
    assert_eq!(colleague.sync_status().unwrap().set_aside, 0);
    // The phone that made them is told they are with the centre: its digest counts them.
    let (_, digest) = post_raw_as(&h.url(), "digest", Some(&token), br#"{"protocol":2}"#);
    let digest: wire::DigestResponse = serde_json::from_str(&digest).unwrap();
    let mut expected: Vec<String> = ids.clone();
    expected.push(newer_version.id.to_string());
    expected.push(unknown_kind["id"].as_str().unwrap().to_string());
    expected.sort();
    assert_eq!(digest.digest, gadeplan_core::sync::digest_of(expected));

    // An updated centre: what it can read now is taken in when it opens its store (here, an
    // entry held as an earlier centre held it); what it still cannot read stays held.
    let readable = forge(
        &newer,
        EntryKind::StageAssessed,
        &kim,
        r#"{"stage":"action","instrument_version":1}"#,
        None,
    );
    held_by_an_older_centre(&h, &readable);
    drop(gadeplan_centre::Centre::open_with(&h.data(), Default::default()).unwrap());
    assert!(h.centre_ids(TEAM_A).contains(&readable.id.to_string()));
    let still_held: Vec<String> = h
        .centre_db()
        .prepare("SELECT entry_id FROM centre_held WHERE status = 'held' ORDER BY entry_id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(still_held.len(), 2);
    assert!(!still_held.contains(&readable.id.to_string()));
    // What the operator sees of them: which, whose and of what kind, never what they say.
    let listed = h.operator.held().unwrap();
    assert_eq!(listed.len(), 2);
    assert!(
        listed
            .iter()
            .any(|e| e.kind == "place.visited" && e.status == "held")
    );
    assert!(!serde_json::to_string(&listed).unwrap().contains("Enghave"));
    colleague.sync(h.transport()).unwrap();
    let stages: Vec<_> = colleague
        .person(kim.clone())
        .unwrap()
        .timeline
        .into_iter()
        .filter(|i| i.kind == EntryKind::StageAssessed)
        .map(|i| i.id)
        .collect();
    assert_eq!(stages.len(), 2, "the ordinary entry and the one taken in");
    assert!(stages.contains(&readable.id.to_string()));
}

/// An entry of a kind this build reads, held as an older centre would have held it (one it
/// could not read then): what an updated centre finds in `centre_held`.
fn held_by_an_older_centre(h: &Harness, entry: &journal::Entry) {
    h.centre_db()
        .execute(
            "INSERT INTO centre_held (entry_id, device, team, kind, schema_version, entry, held_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, '2026-12-01T00:00:00.000Z')",
            rusqlite::params![
                entry.id,
                entry.author_device,
                TEAM_A,
                entry.kind.code(),
                entry.schema_version,
                serde_json::to_string(entry).unwrap()
            ],
        )
        .unwrap();
}

/// Pushes entries (as JSON values) the way protocol 2 does; the status and the results'
/// statuses.
fn push_values(
    h: &Harness,
    token: &str,
    entries: &[serde_json::Value],
) -> (u16, Vec<String>, String) {
    let body = serde_json::json!({"protocol": 2, "entries": entries}).to_string();
    let (status, answer) =
        gadeplan_tests::post_raw_as(&h.url(), "push", Some(token), body.as_bytes());
    let statuses = serde_json::from_str::<wire::PushResponse>(&answer)
        .map(|a| {
            a.results
                .iter()
                .map(|r| {
                    serde_json::to_value(r.status)
                        .unwrap()
                        .as_str()
                        .unwrap()
                        .to_string()
                })
                .collect()
        })
        .unwrap_or_default();
    (status, statuses, answer)
}

/// An entry of a kind no build knows yet, about `subject`, by `store`'s device, stamped now (or
/// at `wall_ms`), with a payload of `bytes` characters.
fn of_a_newer_kind(
    store: &Store,
    subject: &str,
    place: &str,
    wall_ms: Option<i64>,
) -> serde_json::Value {
    let stage = r#"{"stage":"contemplation","instrument_version":1}"#;
    let mut entry = serde_json::to_value(forge(
        store,
        EntryKind::StageAssessed,
        subject,
        stage,
        wall_ms,
    ))
    .unwrap();
    entry["kind"] = "place.visited".into();
    entry["payload"] = serde_json::json!({"place": place, "rule": "only-when-called"})
        .to_string()
        .into();
    entry
}

/// A phone of team A that has noted Kim and synced, with Kim's id and its device token.
fn synced_phone_with_kim(h: &Harness) -> (Arc<Store>, String, String) {
    let phone = h.phone(TEAM_A, "Mette");
    let kim = person(&phone, "Kim");
    phone.sync(h.transport()).unwrap();
    let token = gadeplan_tests::device_token(&phone);
    (phone, kim, token)
}

/// Review of the held entries (finding 1): they count against every part of the device's quota
/// (entries and bytes, the hour and the day) and one is no larger than a phone's batch, so an
/// enrolled phone cannot fill the centre's disk with entries the centre cannot read.
#[test]
fn held_entries_count_against_every_quota_and_have_a_size_bound() {
    use gadeplan_centre::policy::{Policy, Quota};
    let h = Harness::with(gadeplan_centre::server::Settings {
        policy: Policy {
            quota: Quota {
                entries_per_hour: 1_000,
                entries_per_day: 1_000,
                bytes_per_hour: 300_000,
                bytes_per_day: 300_000,
            },
            ..Policy::default()
        },
        enrol: gadeplan_centre::policy::EnrolLimits {
            per_source_per_minute: u32::MAX,
            total_per_minute: u32::MAX,
        },
        ..Default::default()
    });
    let (phone, kim, token) = synced_phone_with_kim(&h);
    // Two of 200 KB: the first is held, the second would pass the hour's bytes.
    let (status, statuses, _) = push_values(
        &h,
        &token,
        &[of_a_newer_kind(&phone, &kim, &"x".repeat(200_000), None)],
    );
    assert_eq!((status, statuses), (200, vec!["held".to_string()]));
    let (status, _, answer) = push_values(
        &h,
        &token,
        &[of_a_newer_kind(&phone, &kim, &"x".repeat(200_000), None)],
    );
    assert_eq!(status, 429, "{answer}");
    assert!(answer.contains("quota-exceeded"), "{answer}");
    // Larger than a phone's whole batch: not an entry.
    let (status, _, answer) = push_values(
        &h,
        &token,
        &[of_a_newer_kind(
            &phone,
            &kim,
            &"x".repeat(wire::PUSH_MAX_BYTES + 10_000),
            None,
        )],
    );
    assert_eq!(status, 400, "{answer}");
    let held: i64 = h
        .centre_db()
        .query_row("SELECT count(*) FROM centre_held", [], |r| r.get(0))
        .unwrap();
    assert_eq!(held, 1);
}

/// Review of the held entries (finding 5): a held entry is held to the time bound like any
/// other, so a phone whose clock is years ahead is told, and re-stamps it, instead of parking it.
#[test]
fn a_newer_entry_stamped_ahead_is_refused_for_now_like_any_other() {
    let h = Harness::new();
    let (phone, kim, token) = synced_phone_with_kim(&h);
    let in_2100 = chrono::DateTime::parse_from_rfc3339("2100-06-01T12:00:00Z")
        .unwrap()
        .timestamp_millis();
    let (status, _, answer) = push_values(
        &h,
        &token,
        &[of_a_newer_kind(&phone, &kim, "x", Some(in_2100))],
    );
    assert_eq!(status, 409, "{answer}");
    assert!(answer.contains("clock-ahead"), "{answer}");
}

/// Review of the held entries (findings 2, 3, 7): a correction of a held record is held too and
/// taken in after it, so the team sees the record corrected; what a phone pushed while enrolled
/// is taken in though it was retired since (it erased its own copy); an id held with other
/// content is refused, as ids are never reused.
#[test]
fn a_correction_of_a_held_record_waits_for_it_and_a_retired_phones_held_entries_are_taken_in() {
    let h = Harness::new();
    let (phone, kim, token) = synced_phone_with_kim(&h);
    // A record the centre could not read when it was pushed, and the phone's void of it.
    let stage = r#"{"stage":"contemplation","instrument_version":1}"#;
    let record = forge(&phone, EntryKind::StageAssessed, &kim, stage, None);
    held_by_an_older_centre(&h, &record);
    let void_payload =
        serde_json::json!({"target": record.id, "reason": "the wrong citizen"}).to_string();
    let void = forge(&phone, EntryKind::EntryVoided, &kim, &void_payload, None);
    let (status, statuses, answer) =
        push_values(&h, &token, &[serde_json::to_value(&void).unwrap()]);
    assert_eq!(
        (status, statuses),
        (200, vec!["held".to_string()]),
        "{answer}"
    );
    // The same id with other content: refused.
    let mut other = serde_json::to_value(&void).unwrap();
    other["payload"] = serde_json::json!({"target": record.id, "reason": "something else"})
        .to_string()
        .into();
    let (_, statuses, _) = push_values(&h, &token, &[other]);
    assert_eq!(statuses, ["rejected"]);
    // The phone is retired before the centre is updated.
    let device = phone.identity().unwrap().device_id;
    h.operator
        .revoke(&device, gadeplan_centre::store::Revocation::Retired)
        .unwrap();
    drop(gadeplan_centre::Centre::open_with(&h.data(), Default::default()).unwrap());
    let ids = h.centre_ids(TEAM_A);
    assert!(
        ids.contains(&record.id.to_string()) && ids.contains(&void.id.to_string()),
        "{ids:?}"
    );
    let colleague = h.phone(TEAM_A, "Jonas");
    colleague.sync(h.transport()).unwrap();
    let shown = colleague.entry(record.id.to_string()).unwrap();
    assert_eq!(
        shown.voided_by.as_deref(),
        Some(void.id.as_str()),
        "the team sees it voided"
    );
}

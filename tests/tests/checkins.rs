//! Check-ins end to end (issue 15): phones record them, the centre watches them and climbs the
//! escalation ladder (the watcher, the team, the team leader) until someone takes charge; the
//! duress code; the watcher's end on the worker's behalf after an SMS; an extension; a high-risk
//! check-in with no grace; and the refusals, with nothing stored. The centre's timer is driven
//! here by `Centre::escalate_due` at chosen instants (the serving centre's own timer runs in real
//! time, far before these check-ins fall due); `checkin_restart.rs` kills and restarts real
//! processes.

use chrono::DateTime;
use gadeplan_centre::store::Revocation;
use gadeplan_centre::watch::CheckinReport;
use gadeplan_core::{
    AlertKind, BrosetItem, CheckinAcknowledgementInput, CheckinEndInput, CheckinExtensionInput,
    CheckinInput, CheckinMessageKind, CheckinReason, EntryContent, Error, NewEntry, RiskCheckInput,
    Store, Subject,
};
use gadeplan_tests::*;

const PLACE: &str = "Istedgade 12, 3. th.";

fn start(store: &Store, watcher: &str, minutes: u32) -> Result<String, Error> {
    start_for(store, watcher, minutes, None)
}

fn start_for(
    store: &Store,
    watcher: &str,
    minutes: u32,
    person: Option<String>,
) -> Result<String, Error> {
    store
        .record(NewEntry::CheckinStarted(CheckinInput {
            place: PLACE.into(),
            watcher: watcher.into(),
            minutes,
            reason: CheckinReason::SoloHomeVisit,
            person,
            high_risk: false,
            occurred_at: None,
        }))
        .map(|r| r.id)
}

fn end(
    store: &Store,
    checkin: Option<&str>,
    code: Option<&str>,
    on_behalf: bool,
) -> Result<String, Error> {
    store
        .record(NewEntry::CheckinEnded(CheckinEndInput {
            checkin: checkin.map(str::to_string),
            code: code.map(str::to_string),
            on_behalf,
            occurred_at: None,
        }))
        .map(|r| r.id)
}

fn ms(at: &str) -> i64 {
    DateTime::parse_from_rfc3339(at).unwrap().timestamp_millis()
}

fn report(h: &Harness, id: &str) -> CheckinReport {
    h.operator
        .checkins(Some(TEAM_A), 2, true)
        .unwrap()
        .into_iter()
        .find(|c| c.id == id)
        .expect("the centre watches the check-in")
}

fn levels(report: &CheckinReport) -> Vec<String> {
    report.steps.iter().map(|s| s.level.clone()).collect()
}

fn alert_kinds(store: &Store) -> Vec<(AlertKind, String)> {
    store
        .alerts()
        .unwrap()
        .into_iter()
        .map(|a| (a.kind, a.checkin))
        .collect()
}

fn team(h: &Harness) -> [std::sync::Arc<Store>; 3] {
    let phones = [
        h.phone(TEAM_A, "Mette"),
        h.phone(TEAM_A, "Jonas"),
        h.phone(TEAM_A, "Lis"),
    ];
    for phone in &phones {
        phone.sync(h.transport()).unwrap();
    }
    phones
}

#[test]
fn an_overdue_checkin_climbs_the_ladder_until_a_colleague_takes_charge() {
    let h = Harness::new();
    let [mette, jonas, lis] = team(&h);
    let aisha = h.phone(TEAM_B, "Aisha");
    let id = start(&mette, "Jonas", 30).unwrap();
    // Before it reaches the centre, the phone says so.
    assert_eq!(
        alert_kinds(&mette),
        vec![(AlertKind::OwnNotDelivered, id.clone())]
    );
    // Not delivered is worth a notification: the watcher cannot see the check-in.
    assert!(mette.alerts().unwrap()[0].notify);
    let status = mette.sync_status().unwrap();
    assert!(status.oldest_unsent_at.is_some() && !status.unsent_too_long);
    mette.sync(h.transport()).unwrap();
    assert_eq!(mette.sync_status().unwrap().oldest_unsent_at, None);
    assert_eq!(alert_kinds(&mette), vec![]);
    let due = ms(report(&h, &id).due_at.as_str());
    let minute = 60_000;

    // Every phone is now out of reach: the centre's timer goes on without them.
    assert!(h.operator.escalate_due(due - 1).unwrap().is_empty());
    assert!(
        h.operator
            .escalate_due(due + 5 * minute - 1)
            .unwrap()
            .is_empty(),
        "grace"
    );
    let first = h.operator.escalate_due(due + 5 * minute).unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].level, "watcher");
    assert!(
        h.operator
            .escalate_due(due + 5 * minute)
            .unwrap()
            .is_empty(),
        "once"
    );
    assert_eq!(report(&h, &id).state, "overdue");

    // The watcher learns of it at the next sync; the rest of the team not yet.
    jonas.sync(h.transport()).unwrap();
    lis.sync(h.transport()).unwrap();
    assert_eq!(
        alert_kinds(&jonas),
        vec![(AlertKind::ColleagueOverdue, id.clone())]
    );
    assert_eq!(alert_kinds(&lis), vec![]);

    // No acknowledgement within the wait: the whole team.
    let second = h.operator.escalate_due(due + 10 * minute).unwrap();
    assert_eq!(second[0].level, "team");
    lis.sync(h.transport()).unwrap();
    mette.sync(h.transport()).unwrap();
    aisha.sync(h.transport()).unwrap();
    assert_eq!(
        alert_kinds(&lis),
        vec![(AlertKind::ColleagueOverdue, id.clone())]
    );
    assert_eq!(alert_kinds(&aisha), vec![], "another team's");
    assert!(
        !alert_kinds(&mette)
            .iter()
            .any(|(k, _)| *k == AlertKind::ColleagueOverdue),
        "never the worker's own"
    );

    // Lis takes charge first; Jonas's acknowledgement after hers is kept but does not.
    lis.record(NewEntry::CheckinAcknowledged(CheckinAcknowledgementInput {
        checkin: id.clone(),
        occurred_at: None,
    }))
    .unwrap();
    lis.sync(h.transport()).unwrap();
    jonas
        .record(NewEntry::CheckinAcknowledged(CheckinAcknowledgementInput {
            checkin: id.clone(),
            occurred_at: None,
        }))
        .unwrap();
    jonas.sync(h.transport()).unwrap();
    let taken = report(&h, &id);
    assert_eq!(taken.state, "acknowledged");
    assert_eq!(taken.acknowledged_by.as_deref(), Some("Lis"));
    assert!(
        h.operator
            .escalate_due(due + 60 * minute)
            .unwrap()
            .is_empty(),
        "stopped"
    );
    assert_eq!(levels(&report(&h, &id)), ["watcher", "team"]);
    jonas.sync(h.transport()).unwrap();
    let alert = jonas.alerts().unwrap().remove(0);
    assert_eq!(alert.acknowledged_by.as_deref(), Some("Lis"));

    // Mette comes out and ends it: the alerts go away at the next sync.
    end(&mette, None, None, false).unwrap();
    mette.sync(h.transport()).unwrap();
    assert_eq!(report(&h, &id).state, "ended");
    jonas.sync(h.transport()).unwrap();
    lis.sync(h.transport()).unwrap();
    assert_eq!(alert_kinds(&jonas), vec![]);
    assert_eq!(alert_kinds(&lis), vec![]);
    assert!(
        h.operator
            .checkins(Some(TEAM_A), 2, false)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn the_team_leader_takes_charge_at_the_centre_and_the_third_step_never_comes() {
    let h = Harness::new();
    let [mette, _jonas, _lis] = team(&h);
    let id = start(&mette, "Jonas", 20).unwrap();
    mette.sync(h.transport()).unwrap();
    let due = ms(report(&h, &id).due_at.as_str());
    // Not overdue yet: nothing to take charge of.
    let early = h.operator.acknowledge_checkin(Some(TEAM_A), &id, "Birgit");
    assert_eq!(early.unwrap_err().code, "not-escalating");
    h.operator.escalate_due(due + 5 * 60_000).unwrap();
    // Another team's leader does not see it.
    let other = h.operator.acknowledge_checkin(Some(TEAM_B), &id, "Birgit");
    assert_eq!(other.unwrap_err().code, "not-found");
    let taken = h
        .operator
        .acknowledge_checkin(Some(TEAM_A), &id, "Birgit")
        .unwrap();
    assert_eq!(taken.acknowledged_by.as_deref(), Some("Birgit"));
    let again = h.operator.acknowledge_checkin(Some(TEAM_A), &id, "Ole");
    assert_eq!(again.unwrap_err().code, "already-acknowledged");
    assert!(
        h.operator
            .escalate_due(due + 120 * 60_000)
            .unwrap()
            .is_empty()
    );
    assert_eq!(levels(&report(&h, &id)), ["watcher"]);
}

#[test]
fn the_duress_code_ends_the_checkin_on_the_phone_and_raises_the_alarm_at_once() {
    let h = Harness::new();
    let [mette, jonas, lis] = team(&h);
    mette
        .set_checkin_codes("1234".into(), "9999".into())
        .unwrap();
    let id = start(&mette, "Jonas", 45).unwrap();
    mette.sync(h.transport()).unwrap();
    let before = local_ids(&mette);
    // Without the code, or with a wrong one: refused, nothing recorded.
    assert!(
        matches!(end(&mette, None, None, false), Err(Error::InvalidInput { field, .. }) if field == "code")
    );
    assert!(
        matches!(end(&mette, None, Some("1111"), false), Err(Error::InvalidInput { field, .. }) if field == "code")
    );
    assert_eq!(local_ids(&mette), before);

    let ended = end(&mette, None, Some("9999"), false).unwrap();
    // On the phone it looks like any end: no alert, no word of duress on the screens.
    let view = mette.checkins().unwrap().remove(0);
    assert!(!view.is_open());
    assert_eq!(alert_kinds(&mette), vec![]);
    match mette.entry(ended).unwrap().content {
        EntryContent::CheckinEnded(content) => assert!(!content.on_behalf),
        other => panic!("{other:?}"),
    }
    mette.sync(h.transport()).unwrap();
    let alarm = report(&h, &id);
    assert_eq!(alarm.state, "duress");
    assert_eq!(
        levels(&alarm),
        ["watcher", "team", "leader"],
        "every step at once"
    );
    jonas.sync(h.transport()).unwrap();
    lis.sync(h.transport()).unwrap();
    assert_eq!(
        alert_kinds(&jonas),
        vec![(AlertKind::ColleagueDuress, id.clone())]
    );
    assert_eq!(
        alert_kinds(&lis),
        vec![(AlertKind::ColleagueDuress, id.clone())]
    );
    mette.sync(h.transport()).unwrap();
    assert_eq!(
        alert_kinds(&mette),
        vec![],
        "the worker's phone may be in other hands"
    );

    // The normal code ends the next one normally.
    let second = start(&mette, "Jonas", 45).unwrap();
    end(&mette, None, Some("1234"), false).unwrap();
    mette.sync(h.transport()).unwrap();
    assert_eq!(report(&h, &second).state, "ended");
}

#[test]
fn the_watcher_ends_a_checkin_on_the_workers_behalf_after_her_sms() {
    let h = Harness::new();
    let [mette, jonas, lis] = team(&h);
    let id = start(&mette, "Jonas", 30).unwrap();
    let going_in = mette
        .checkin_message(None, CheckinMessageKind::Started)
        .unwrap();
    assert_eq!(going_in.to, "Jonas");
    mette.sync(h.transport()).unwrap();
    // In the stairwell, without data: the SMS says she has left, naming the check-in's code.
    let sms = mette
        .checkin_message(None, CheckinMessageKind::Ended)
        .unwrap();
    let code = mette.checkins().unwrap().remove(0).code;
    assert!(
        sms.text.contains(&code) && sms.text.contains(PLACE),
        "{}",
        sms.text
    );
    assert!(!sms.text.contains(&id));
    jonas.sync(h.transport()).unwrap();
    lis.sync(h.transport()).unwrap();
    // Only the watcher reports it, and only on the worker's behalf.
    assert!(matches!(
        end(&lis, Some(&code), None, true),
        Err(Error::NotAllowed { .. })
    ));
    assert!(matches!(
        end(&jonas, Some(&code), None, false),
        Err(Error::NotAllowed { .. })
    ));
    end(&jonas, Some(&code), None, true).unwrap();
    jonas.sync(h.transport()).unwrap();
    let ended = report(&h, &id);
    assert_eq!(ended.state, "ended");
    assert_eq!(ended.ended_by.as_deref(), Some("Jonas"));
    assert!(ended.on_behalf);
    let due = ms(ended.due_at.as_str());
    assert!(
        h.operator
            .escalate_due(due + 60 * 60_000)
            .unwrap()
            .is_empty()
    );
    // Mette's own end, sent when she has data again, is kept and changes nothing.
    assert!(matches!(
        end(&mette, Some(&id), None, false),
        Ok(_) | Err(Error::NotAllowed { .. })
    ));
    mette.sync(h.transport()).unwrap();
    assert_eq!(report(&h, &id).ended_by.as_deref(), Some("Jonas"));
}

#[test]
fn an_extension_starts_the_period_again_and_a_high_risk_checkin_has_no_grace() {
    let h = Harness::new();
    let [mette, _jonas, _lis] = team(&h);
    let id = start(&mette, "Jonas", 30).unwrap();
    mette.sync(h.transport()).unwrap();
    let first_due = ms(report(&h, &id).due_at.as_str());
    mette
        .record(NewEntry::CheckinExtended(CheckinExtensionInput {
            checkin: None,
            minutes: 90,
            occurred_at: None,
        }))
        .unwrap();
    mette.sync(h.transport()).unwrap();
    let extended = report(&h, &id);
    let due = ms(extended.due_at.as_str());
    assert!(
        due >= first_due + 59 * 60_000,
        "due {due}, first {first_due}"
    );
    assert!(
        h.operator
            .escalate_due(first_due + 5 * 60_000)
            .unwrap()
            .is_empty()
    );
    assert_eq!(h.operator.escalate_due(due + 5 * 60_000).unwrap().len(), 1);
    end(&mette, None, None, false).unwrap();
    // An extension after the end is refused, and so is a second end.
    let extension = mette.record(NewEntry::CheckinExtended(CheckinExtensionInput {
        checkin: Some(id.clone()),
        minutes: 10,
        occurred_at: None,
    }));
    assert!(
        matches!(extension, Err(Error::NotAllowed { .. })),
        "{extension:?}"
    );
    assert!(matches!(
        end(&mette, Some(&id), None, false),
        Err(Error::NotAllowed { .. })
    ));
    mette.sync(h.transport()).unwrap();

    // A person checked high on Brøset within 24 hours: high-risk, escalated at the due time.
    let kim = person(&mette, "Kim");
    mette
        .record_risk_check(RiskCheckInput {
            subject: Subject::Person { id: kim.clone() },
            observed: BrosetItem::ALL.to_vec(),
            plan: Some("to af os, kort samtale".into()),
            occurred_at: None,
        })
        .unwrap();
    let risky = start_for(&mette, "Jonas", 15, Some(kim)).unwrap();
    assert!(mette.checkins().unwrap()[0].high_risk);
    mette.sync(h.transport()).unwrap();
    let status = mette.entry(risky.clone()).unwrap();
    assert_eq!(
        status.sync_state,
        gadeplan_core::SyncState::Synced,
        "{status:?}"
    );
    let due = ms(report(&h, &risky).due_at.as_str());
    assert_eq!(h.operator.escalate_due(due).unwrap().len(), 1, "no grace");
}

#[test]
fn bad_checkins_are_refused_and_nothing_is_stored() {
    let h = Harness::new();
    let [mette, jonas, _lis] = team(&h);
    let before = local_ids(&mette);
    let refused = |r: Result<String, Error>, field: &str| match r {
        Err(Error::InvalidInput { field: f, .. }) => assert_eq!(f, field),
        other => panic!("{field}: {other:?}"),
    };
    refused(start(&mette, "Kurt", 30), "watcher");
    refused(start(&mette, "Mette", 30), "watcher");
    refused(start(&mette, "Jonas", 0), "minutes");
    refused(start(&mette, "Jonas", 721), "minutes");
    refused(
        mette
            .record(NewEntry::CheckinStarted(CheckinInput {
                place: "  ".into(),
                watcher: "Jonas".into(),
                minutes: 30,
                reason: CheckinReason::Other,
                person: None,
                high_risk: false,
                occurred_at: None,
            }))
            .map(|r| r.id),
        "place",
    );
    assert!(
        matches!(
            end(&mette, None, None, false),
            Err(Error::NotAllowed { .. })
        ),
        "none open"
    );
    assert!(matches!(
        CheckinReason::parse("alone-in-the-dark"),
        Err(Error::InvalidInput { .. })
    ));
    assert_eq!(local_ids(&mette), before);

    let id = start(&mette, "Jonas", 30).unwrap();
    assert!(
        matches!(start(&mette, "Jonas", 30), Err(Error::NotAllowed { .. })),
        "one open"
    );
    let own_ack = mette.record(NewEntry::CheckinAcknowledged(CheckinAcknowledgementInput {
        checkin: id.clone(),
        occurred_at: None,
    }));
    assert!(matches!(own_ack, Err(Error::NotAllowed { .. })));
    mette.sync(h.transport()).unwrap();
    jonas.sync(h.transport()).unwrap();
    // A colleague's check-in is not Jonas's to extend.
    let extension = jonas.record(NewEntry::CheckinExtended(CheckinExtensionInput {
        checkin: Some(id.clone()),
        minutes: 10,
        occurred_at: None,
    }));
    assert!(matches!(extension, Err(Error::NotAllowed { .. })));

    // A phone revoked as lost: its check-in never reaches the centre's watch.
    let device = mette.identity().unwrap().device_id;
    h.operator.revoke(&device, Revocation::Lost).unwrap();
    end(&mette, None, None, false).unwrap();
    let lost = start(&mette, "Jonas", 30).unwrap();
    assert!(mette.sync(h.transport()).is_err());
    assert!(
        h.operator
            .checkins(None, 2, true)
            .unwrap()
            .iter()
            .all(|c| c.id != lost)
    );
}

#[test]
fn the_team_leader_reads_and_acknowledges_check_ins_over_http() {
    let h = Harness::new();
    let [mette, _jonas, _lis] = team(&h);
    let aisha = h.phone(TEAM_B, "Aisha");
    let id = start(&mette, "Jonas", 30).unwrap();
    mette.sync(h.transport()).unwrap();
    aisha.sync(h.transport()).unwrap();
    let token = h.operator.leader_token(TEAM_A, None).unwrap().token;
    let other = h.operator.leader_token(TEAM_B, None).unwrap().token;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let get = |auth: &str| {
        let mut r = agent
            .get(&format!("{}/v1/checkins", h.url()))
            .header("Authorization", &format!("Bearer {auth}"))
            .call()
            .unwrap();
        let status = r.status().as_u16();
        (status, r.body_mut().read_to_string().unwrap())
    };
    let ack = |auth: &str, body: &str| {
        let mut r = agent
            .post(&format!("{}/v1/checkins/acknowledge", h.url()))
            .header("Authorization", &format!("Bearer {auth}"))
            .send(body)
            .unwrap();
        let status = r.status().as_u16();
        (status, r.body_mut().read_to_string().unwrap())
    };
    assert_eq!(
        get(&device_token(&mette)).0,
        401,
        "a device token is no leader's"
    );
    let (status, body) = get(&token);
    assert_eq!(status, 200, "{body}");
    let listed: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(listed[0]["id"], id.as_str());
    assert_eq!(listed[0]["state"], "open");
    let (_, body) = get(&other);
    assert_eq!(body, "[]", "nothing of the other team");

    let due = ms(report(&h, &id).due_at.as_str());
    h.operator.escalate_due(due + 5 * 60_000).unwrap();
    let asked = format!(r#"{{"checkin": "{id}", "by": "Birgit"}}"#);
    assert_eq!(ack(&other, &asked).0, 404, "another team's leader");
    assert_eq!(ack(&token, "{").0, 400);
    let (status, body) = ack(&token, &asked);
    assert_eq!(status, 200, "{body}");
    let (status, body) = ack(&token, &asked);
    assert_eq!(status, 409, "{body}");
    let (_, body) = get(&token);
    let listed: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(listed[0]["state"], "acknowledged");
    assert_eq!(listed[0]["acknowledged_by"], "Birgit");
    assert_eq!(listed[0]["steps"][0]["level"], "watcher");
}

#[test]
fn a_duress_code_counts_whenever_it_arrives_and_a_stale_acknowledgement_or_late_extension_does_not_undo_the_ladder()
 {
    let h = Harness::new();
    let [mette, jonas, _lis] = team(&h);
    mette
        .set_checkin_codes("1234".into(), "9999".into())
        .unwrap();
    let minute = 60_000;

    // 1. The watcher's end on her behalf reaches the centre first; her duress end after it.
    let id = start(&mette, "Jonas", 30).unwrap();
    mette.sync(h.transport()).unwrap();
    jonas.sync(h.transport()).unwrap();
    let code = jonas.checkins().unwrap().remove(0).code;
    end(&jonas, Some(&code), None, true).unwrap();
    jonas.sync(h.transport()).unwrap();
    end(&mette, None, Some("9999"), false).unwrap();
    mette.sync(h.transport()).unwrap();
    let alarm = report(&h, &id);
    assert_eq!(
        (alarm.state.as_str(), alarm.ended_by.as_deref()),
        ("duress", Some("Jonas"))
    );
    assert_eq!(levels(&alarm), ["watcher", "team", "leader"]);
    // Shown as any end on her phone: no alert, no word of it in the entry she can open, and
    // the colleagues' acknowledgements after the end are not on her check-in.
    jonas.sync(h.transport()).unwrap();
    jonas
        .record(NewEntry::CheckinAcknowledged(CheckinAcknowledgementInput {
            checkin: id.clone(),
            occurred_at: None,
        }))
        .unwrap();
    jonas.sync(h.transport()).unwrap();
    mette.sync(h.transport()).unwrap();
    assert_eq!(alert_kinds(&mette), vec![]);
    let own = mette
        .checkins()
        .unwrap()
        .into_iter()
        .find(|c| c.id == id)
        .unwrap();
    assert!(own.acknowledged_by.is_empty(), "{own:?}");
    for item in mette
        .log(gadeplan_core::LogFilter {
            person: None,
            mine_since: None,
            limit: None,
        })
        .unwrap()
    {
        assert!(!item.payload.contains("duress"), "{}", item.payload);
    }

    // 2. An escalation the leader took charge of, then the duress code: every rung again.
    let id = start(&mette, "Jonas", 30).unwrap();
    mette.sync(h.transport()).unwrap();
    let due = ms(report(&h, &id).due_at.as_str());
    for wait in [5, 10, 15] {
        h.operator.escalate_due(due + wait * minute).unwrap();
    }
    h.operator
        .acknowledge_checkin(Some(TEAM_A), &id, "Birgit")
        .unwrap();
    end(&mette, None, Some("9999"), false).unwrap();
    mette.sync(h.transport()).unwrap();
    let alarm = report(&h, &id);
    assert_eq!(alarm.state, "duress");
    assert_eq!(alarm.acknowledged_by, None, "taken charge of anew");
    assert_eq!(
        levels(&alarm),
        ["watcher", "team", "leader", "watcher", "team", "leader"]
    );
    h.operator
        .acknowledge_checkin(Some(TEAM_A), &id, "Birgit")
        .unwrap();

    // 3. Jonas takes charge offline; Mette extends after that; his acknowledgement, arriving
    // late, was about the period before and does not stop the new one.
    let id = start(&mette, "Jonas", 30).unwrap();
    mette.sync(h.transport()).unwrap();
    let due = ms(report(&h, &id).due_at.as_str());
    h.operator.escalate_due(due + 5 * minute).unwrap();
    jonas.sync(h.transport()).unwrap();
    jonas
        .record(NewEntry::CheckinAcknowledged(CheckinAcknowledgementInput {
            checkin: id.clone(),
            occurred_at: None,
        }))
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    mette
        .record(NewEntry::CheckinExtended(CheckinExtensionInput {
            checkin: None,
            minutes: 20,
            occurred_at: None,
        }))
        .unwrap();
    mette.sync(h.transport()).unwrap();
    jonas.sync(h.transport()).unwrap();
    let extended = report(&h, &id);
    assert_eq!(extended.acknowledged_by, None, "{extended:?}");
    let due = ms(extended.due_at.as_str());
    assert_eq!(
        h.operator.escalate_due(due + 5 * minute).unwrap().len(),
        1,
        "watched again"
    );
    end(&mette, None, Some("1234"), false).unwrap();
    mette.sync(h.transport()).unwrap();

    // 4. An extension made offline that arrives already overdue leaves the escalation as it is.
    let two_hours_ago = (chrono::Utc::now() - chrono::Duration::hours(2)).to_rfc3339();
    let id = mette
        .record(NewEntry::CheckinStarted(CheckinInput {
            place: PLACE.into(),
            watcher: "Jonas".into(),
            minutes: 30,
            reason: CheckinReason::SoloHomeVisit,
            person: None,
            high_risk: false,
            occurred_at: Some(two_hours_ago),
        }))
        .unwrap()
        .id;
    let hour_ago = (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339();
    mette.sync(h.transport()).unwrap();
    let now = chrono::Utc::now().timestamp_millis();
    h.operator.escalate_due(now).unwrap();
    h.operator.escalate_due(now + 5 * minute).unwrap();
    mette
        .record(NewEntry::CheckinExtended(CheckinExtensionInput {
            checkin: None,
            minutes: 10,
            occurred_at: Some(hour_ago),
        }))
        .unwrap();
    mette.sync(h.transport()).unwrap();
    assert_eq!(levels(&report(&h, &id)), ["watcher", "team"]);
    let next = h.operator.escalate_due(now + 10 * minute).unwrap();
    assert_eq!(
        next[0].level, "leader",
        "the ladder goes on, not from its start"
    );
}

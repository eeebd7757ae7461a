//! The store end to end through the public API: keys, records, the rules of each instrument,
//! merges, corrections, conflicts, the screens' queries, and what the file reveals.

mod common;

use chrono::{Duration, Utc};
use common::*;
use gadeplan_core::kinds::Payload;
use gadeplan_core::kinds::person_updated::PersonUpdated;
use gadeplan_core::*;
use tempfile::TempDir;

fn sha(path: &str) -> Vec<u8> {
    // Byte-for-byte comparison is what "untouched" means; the files are small.
    std::fs::read(path).unwrap()
}

#[test]
fn wrong_key_is_typed_and_leaves_the_file_untouched() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "s.db");
    person(&store, "Kim");
    drop(store);
    let p = path(&dir, "s.db");
    let before = sha(&p);
    let wal = std::path::Path::new(&format!("{p}-wal")).exists();
    let err = Store::open(p.clone(), vec![9u8; 32]).err().unwrap();
    assert!(matches!(err, Error::WrongKey { .. }), "{err:?}");
    assert_eq!(sha(&p), before, "a wrong key must not change the file");
    assert_eq!(std::path::Path::new(&format!("{p}-wal")).exists(), wal);
    let err = Store::open(p.clone(), vec![1u8; 5]).err().unwrap();
    assert!(matches!(err, Error::WrongKey { .. }));
    // The right key still opens it with everything there.
    let store = Store::open(p, KEY.to_vec()).unwrap();
    assert_eq!(store.list_persons(None, 0).unwrap().len(), 1);
}

#[test]
fn a_missing_store_is_never_created_by_open() {
    let dir = TempDir::new().unwrap();
    let p = path(&dir, "missing.db");
    let missing = Store::open(p.clone(), KEY.to_vec()).err();
    assert!(
        matches!(missing, Some(Error::NoStore { .. })),
        "{missing:?}"
    );
    assert!(!std::path::Path::new(&p).exists());
    // An empty file is not a store either, and stays empty.
    std::fs::write(&p, b"").unwrap();
    let empty = Store::open(p.clone(), KEY.to_vec()).err();
    assert!(matches!(empty, Some(Error::NoStore { .. })), "{empty:?}");
    assert_eq!(std::fs::metadata(&p).unwrap().len(), 0);
}

#[test]
fn init_twice_is_refused_and_changes_nothing() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "s.db");
    let id = store.identity().unwrap();
    drop(store);
    let p = path(&dir, "s.db");
    let err = Store::create(p.clone(), KEY.to_vec(), "Other".into(), "x".into())
        .err()
        .unwrap();
    assert_eq!(err, Error::AlreadyInitialised);
    assert_eq!(
        Store::open(p, KEY.to_vec()).unwrap().identity().unwrap(),
        id
    );
}

#[test]
fn risk_checks_in_every_band_and_high_without_plan_refused() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "s.db");
    let kim = person(&store, "Kim");
    let check = |observed: Vec<BrosetItem>, plan: Option<&str>| {
        store.record_risk_check(RiskCheckInput {
            subject: Subject::Person { id: kim.clone() },
            observed,
            plan: plan.map(Into::into),
            occurred_at: None,
        })
    };
    let low = check(vec![], None).unwrap();
    assert_eq!((low.score, low.band), (0, RiskBand::Low));
    let moderate = check(vec![BrosetItem::Confusion, BrosetItem::Irritability], None).unwrap();
    assert_eq!((moderate.score, moderate.band), (2, RiskBand::Moderate));
    assert!(moderate.action.contains("de-escalation"));
    let before = entry_count(&store);
    let three = vec![
        BrosetItem::Confusion,
        BrosetItem::VerbalThreats,
        BrosetItem::AttacksOnObjects,
    ];
    assert_eq!(
        check(three.clone(), None).unwrap_err(),
        Error::PlanRequired { score: 3 }
    );
    assert_eq!(
        check(three.clone(), Some("  ")).unwrap_err(),
        Error::PlanRequired { score: 3 }
    );
    assert_eq!(
        entry_count(&store),
        before,
        "a refused check records nothing"
    );
    let high = check(
        three,
        Some("Talk from the path, Jonas watches, leave if he stands up"),
    )
    .unwrap();
    assert_eq!((high.score, high.band), (3, RiskBand::High));
    // Every item's answer and the instrument version are stored.
    let item = store.entry(high.id).unwrap();
    let payload: serde_json::Value = serde_json::from_str(&item.payload).unwrap();
    assert_eq!(payload["answers"].as_object().unwrap().len(), 6);
    assert_eq!(payload["answers"]["verbal-threats"], true);
    assert_eq!(payload["answers"]["irritability"], false);
    assert_eq!(payload["instrument_version"], 1);
    // The latest check is the current risk.
    assert_eq!(
        store.list_persons(None, 0).unwrap()[0].risk,
        Some(RiskBand::High)
    );
}

#[test]
fn a_risk_check_older_than_24_hours_is_not_current() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "s.db");
    let kim = person(&store, "Kim");
    let at = |hours: i64| Some((Utc::now() - Duration::hours(hours)).to_rfc3339());
    store
        .record_risk_check(RiskCheckInput {
            subject: Subject::Person { id: kim.clone() },
            observed: vec![BrosetItem::Confusion],
            plan: None,
            occurred_at: at(25),
        })
        .unwrap();
    let listed = &store.list_persons(None, 0).unwrap()[0];
    assert_eq!(
        listed.risk, None,
        "a stale score must not be shown as current"
    );
    assert!(listed.risk_checked_at.is_some());
    store
        .record_risk_check(RiskCheckInput {
            subject: Subject::Person { id: kim.clone() },
            observed: vec![],
            plan: None,
            occurred_at: at(23),
        })
        .unwrap();
    assert_eq!(
        store.list_persons(None, 0).unwrap()[0].risk,
        Some(RiskBand::Low)
    );
    assert_eq!(store.person(kim).unwrap().person.risk, Some(RiskBand::Low));
}

#[test]
fn screening_with_each_decision() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "s.db");
    let kim = person(&store, "Kim");
    let all: Vec<Criterion> = Criterion::ALL.to_vec();
    let three = vec![
        BurdenArea::Crime,
        BurdenArea::Economy,
        BurdenArea::MentalHealth,
    ];
    let screen = |criteria: Vec<Criterion>,
                  burden: Vec<BurdenArea>,
                  decision,
                  reason: Option<&str>,
                  to: Option<&str>| {
        // Every criterion and area answered: those not listed are not met (see `measures.rs`
        // for criteria not known yet).
        let criteria_not_met = Criterion::ALL
            .iter()
            .copied()
            .filter(|c| !criteria.contains(c))
            .collect();
        let burden_not_high = BurdenArea::ALL
            .iter()
            .copied()
            .filter(|a| !burden.contains(a))
            .collect();
        store.record_screening(ScreeningInput {
            person: kim.clone(),
            criteria,
            high_burden: burden,
            criteria_not_met,
            burden_not_high,
            decision,
            reason: reason.map(Into::into),
            referral_kind: None,
            referred_to: to.map(Into::into),
            occurred_at: None,
        })
    };
    let r = screen(all.clone(), three.clone(), Decision::In, None, None).unwrap();
    assert_eq!((r.indicated, r.complex_burden), (Some(true), Some(true)));
    // Two areas: not indicated; "in" then departs and needs a reason.
    let two = vec![BurdenArea::Crime, BurdenArea::Economy];
    assert!(matches!(
        screen(all.clone(), two.clone(), Decision::In, None, None),
        Err(Error::ReasonRequired { .. })
    ));
    let r = screen(
        all.clone(),
        two.clone(),
        Decision::In,
        Some("burden judged high at conference"),
        None,
    )
    .unwrap();
    assert_eq!(r.indicated, Some(false));
    // Outside needs the service referred to.
    assert!(matches!(
        screen(vec![], vec![], Decision::Outside, None, None),
        Err(Error::InvalidInput { .. })
    ));
    let r = screen(vec![], vec![], Decision::Outside, None, Some("Jobcenter")).unwrap();
    assert_eq!(r.decision, Decision::Outside);
    // Undecided always needs a reason.
    assert!(screen(vec![], vec![], Decision::Undecided, None, None).is_err());
    screen(
        vec![],
        vec![],
        Decision::Undecided,
        Some("first meeting"),
        None,
    )
    .unwrap();
    assert_eq!(
        store.list_persons(None, 0).unwrap()[0].screening,
        Some(Decision::Undecided)
    );
    // A referral with an "in" decision is refused.
    assert!(screen(all, three, Decision::In, None, Some("Jobcenter")).is_err());
}

#[test]
fn contacts_stages_and_the_persons_list_order() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "s.db");
    let kim = person(&store, "Kim");
    let lis = person(&store, "Lis");
    let ole = person(&store, "Ole");
    let ago = |h: i64| Some((Utc::now() - Duration::hours(h)).to_rfc3339());
    store
        .record_contact(ContactInput {
            occurred_at: ago(5),
            ..contact(Subject::Person { id: kim.clone() })
        })
        .unwrap();
    store
        .record_contact(ContactInput {
            occurred_at: ago(2),
            ..contact(Subject::Person { id: lis.clone() })
        })
        .unwrap();
    // A search that found nobody is not the person's last contact.
    store
        .record_contact(ContactInput {
            meeting: None,
            outcome: Outcome::NotFound,
            ..contact(Subject::Person { id: kim.clone() })
        })
        .unwrap();
    store
        .record_stage(StageInput {
            person: lis.clone(),
            stage: Stage::Contemplation,
            importance: Some(7),
            confidence: Some(3),
            recovery_goal: None,
            life_control: None,
            craving: None,
            occurred_at: None,
        })
        .unwrap();
    assert!(
        store
            .record_stage(StageInput {
                person: lis.clone(),
                stage: Stage::Action,
                importance: Some(11),
                confidence: None,
                recovery_goal: None,
                life_control: None,
                craving: None,
                occurred_at: None
            })
            .is_err()
    );
    let list = store.list_persons(None, 0).unwrap();
    let order: Vec<&str> = list.iter().map(|p| p.alias.as_str()).collect();
    assert_eq!(order, ["Lis", "Kim", "Ole"]);
    assert_eq!(list[0].stage, Some(Stage::Contemplation));
    assert_eq!(list[2].last_contact_at, None);
    assert_eq!(store.list_persons(Some(1), 1).unwrap()[0].id, kim);
    let _ = ole;
    // Minutes out of range and a missing place are typed errors that record nothing.
    let before = entry_count(&store);
    assert!(
        store
            .record_contact(ContactInput {
                minutes: Some(100_000),
                ..contact(Subject::Person { id: kim.clone() })
            })
            .is_err()
    );
    assert!(
        store
            .record_contact(ContactInput {
                place: " ".into(),
                ..contact(Subject::Person { id: kim.clone() })
            })
            .is_err()
    );
    assert!(
        store
            .record_contact(ContactInput {
                occurred_at: Some("2999-01-01T00:00:00Z".into()),
                ..contact(Subject::Person { id: kim })
            })
            .is_err()
    );
    assert_eq!(entry_count(&store), before);
}

#[test]
fn unknown_citizen_checked_contacted_then_identified() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "s.db");
    let check = store
        .record_risk_check(RiskCheckInput {
            subject: Subject::Unknown {
                description: "man with a grey dog by the kiosk".into(),
            },
            observed: vec![BrosetItem::Boisterousness],
            plan: None,
            occurred_at: None,
        })
        .unwrap();
    // The contact after the check concerns the same unknown citizen.
    let c = store
        .record_contact(ContactInput {
            subject: None,
            risk_check: Some(check.id.clone()),
            ..contact(Subject::Person { id: String::new() })
        })
        .unwrap();
    assert_eq!(c.subject, check.subject);
    let unknowns = store.unknown_citizens().unwrap();
    assert_eq!(unknowns.len(), 1);
    assert_eq!(unknowns[0].id, check.subject);
    // Later he tells his nickname: the person takes over his records.
    let p = store
        .add_person(NewPerson {
            alias: "Hundemanden".into(),
            description: None,
            birth_year: None,
            from_unknown: Some(check.subject.clone()),
            occurred_at: None,
        })
        .unwrap();
    let detail = store.person(p.person.clone()).unwrap();
    assert_eq!(detail.timeline.len(), 3);
    assert_eq!(detail.person.risk, Some(RiskBand::Moderate));
    assert!(detail.person.last_contact_at.is_some());
    assert_eq!(
        store.unknown_citizens().unwrap()[0].identified_as,
        Some(p.person.clone())
    );
    // The same unknown citizen cannot be identified twice.
    assert!(
        store
            .add_person(NewPerson {
                alias: "X".into(),
                description: None,
                birth_year: None,
                from_unknown: Some(check.subject),
                occurred_at: None
            })
            .is_err()
    );
}

#[test]
fn a_contact_cannot_link_another_citizens_risk_check() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "s.db");
    let kim = person(&store, "Kim");
    let lis = person(&store, "Lis");
    let check = store
        .record_risk_check(RiskCheckInput {
            subject: Subject::Person { id: kim },
            observed: vec![],
            plan: None,
            occurred_at: None,
        })
        .unwrap();
    let err = store
        .record_contact(ContactInput {
            risk_check: Some(check.id),
            ..contact(Subject::Person { id: lis })
        })
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
}

#[test]
fn merged_persons_show_everything_under_the_one_kept() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "s.db");
    let a = person(&store, "Manden med hunden");
    let b = person(&store, "Hunde-Jens");
    store
        .record_contact(contact(Subject::Person { id: a.clone() }))
        .unwrap();
    store
        .record_stage(StageInput {
            person: b.clone(),
            stage: Stage::Precontemplation,
            importance: None,
            confidence: None,
            recovery_goal: None,
            life_control: None,
            craving: None,
            occurred_at: None,
        })
        .unwrap();
    store.merge_persons(b.clone(), a.clone()).unwrap();
    let list = store.list_persons(None, 0).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].id, b);
    assert!(
        list[0].last_contact_at.is_some(),
        "the duplicate's contact counts for the one kept"
    );
    assert_eq!(list[0].stage, Some(Stage::Precontemplation));
    let detail = store.person(a.clone()).unwrap();
    assert_eq!(
        detail.person.id, b,
        "the merged-away id leads to the person kept"
    );
    assert_eq!(detail.merged_from, vec![a.clone()]);
    // Recording against the merged-away id goes to the person kept.
    let r = store
        .record_contact(contact(Subject::Person { id: a.clone() }))
        .unwrap();
    assert_eq!(r.subject, b);
    assert!(
        store.merge_persons(b.clone(), a).is_err(),
        "already one person"
    );
    assert!(store.merge_persons(b.clone(), b).is_err());
}

#[test]
fn amendments_and_voids_show_in_the_timeline_and_count_where_they_should() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "s.db");
    let kim = person(&store, "Kim");
    let c = store
        .record_contact(ContactInput {
            note: Some("talked about housing".into()),
            ..contact(Subject::Person { id: kim.clone() })
        })
        .unwrap();
    store
        .amend(
            c.id.clone(),
            r#"{"note": "talked about housing and his dog", "minutes": null}"#.into(),
            None,
            Some("typo".into()),
        )
        .unwrap();
    let item = store.entry(c.id.clone()).unwrap();
    let payload: serde_json::Value = serde_json::from_str(&item.payload).unwrap();
    assert_eq!(payload["note"], "talked about housing and his dog");
    assert!(payload.get("minutes").is_none());
    assert!(item.original_payload.unwrap().contains("\"minutes\":15"));
    assert_eq!(item.amended_by.len(), 1);
    // An amendment that breaks the kind's rules is refused.
    assert!(
        store
            .amend(c.id.clone(), r#"{"outcome": "maybe"}"#.into(), None, None)
            .is_err()
    );
    assert!(
        store
            .amend(
                c.id.clone(),
                r#"{"unknown": "someone else"}"#.into(),
                None,
                None
            )
            .is_err()
    );
    assert!(store.amend(c.id.clone(), "[1]".into(), None, None).is_err());
    // A high risk check cannot be amended out of its plan.
    let high = store
        .record_risk_check(RiskCheckInput {
            subject: Subject::Person { id: kim.clone() },
            observed: vec![
                BrosetItem::Confusion,
                BrosetItem::Irritability,
                BrosetItem::Boisterousness,
            ],
            plan: Some("keep distance".into()),
            occurred_at: None,
        })
        .unwrap();
    assert!(matches!(
        store.amend(high.id.clone(), r#"{"plan": null}"#.into(), None, None),
        Err(Error::PlanRequired { .. })
    ));
    // Voiding needs a reason, removes the contact from what counts, keeps it in the timeline.
    assert!(store.void_entry(c.id.clone(), " ".into()).is_err());
    store
        .void_entry(c.id.clone(), "recorded on the wrong person".into())
        .unwrap();
    assert!(store.void_entry(c.id.clone(), "again".into()).is_err());
    assert!(
        store
            .amend(c.id.clone(), r#"{"note": "x"}"#.into(), None, None)
            .is_err()
    );
    let detail = store.person(kim).unwrap();
    assert_eq!(detail.person.last_contact_at, None);
    let voided = detail.timeline.iter().find(|t| t.id == c.id).unwrap();
    assert_eq!(
        voided.void_reason.as_deref(),
        Some("recorded on the wrong person")
    );
    assert!(
        detail
            .timeline
            .iter()
            .any(|t| t.kind == EntryKind::EntryAmended)
    );
    assert!(
        detail
            .timeline
            .iter()
            .any(|t| t.kind == EntryKind::EntryVoided)
    );
}

#[test]
fn concurrent_attribute_changes_surface_as_a_conflict_until_settled() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "s.db");
    let kim = person(&store, "Kim");
    store
        .update_person(PersonUpdate {
            person: kim.clone(),
            description: Some("red jacket".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(store.person(kim.clone()).unwrap().conflicts.is_empty());
    assert_eq!(
        store
            .person(kim.clone())
            .unwrap()
            .person
            .description
            .as_deref(),
        Some("red jacket")
    );
    // Another phone, which had only seen the person as first noted, changes the description
    // too: its entry replaces the original value but not ours.
    let noted = store.person(kim.clone()).unwrap().timeline[0].id.clone();
    store
        .with_connection(|conn| {
            let payload = Payload::PersonUpdated(PersonUpdated {
                attributes: [("description".to_string(), serde_json::json!("blue cap"))].into(),
                based_on: [("description".to_string(), vec![noted.clone().into()])].into(),
            });
            let entry = journal::Entry {
                id: journal::new_id().into(),
                kind: EntryKind::PersonUpdated,
                schema_version: 1,
                subject: kim.clone().into(),
                author_worker: "Jonas".into(),
                author_device: "other-phone".into(),
                occurred_at: journal::format_timestamp(Utc::now()),
                recorded_at: clock::Hlc {
                    wall_ms: 1,
                    counter: 0,
                    device: "other-phone".into(),
                }
                .encode(),
                payload: payload.to_json(),
            };
            entries::insert(conn, &entry)?;
            kinds::apply(conn, &entry, &payload)
        })
        .unwrap();
    let detail = store.person(kim.clone()).unwrap();
    assert!(detail.person.has_conflicts);
    assert_eq!(detail.conflicts.len(), 1);
    assert_eq!(detail.conflicts[0].attribute, "description");
    assert_eq!(
        (
            detail.conflicts[0].label.da.as_str(),
            detail.conflicts[0].label.en.as_str()
        ),
        ("Beskrivelse", "Description")
    );
    let values: Vec<&str> = detail.conflicts[0]
        .values
        .iter()
        .map(|v| v.value.as_str())
        .collect();
    assert_eq!(values, ["\"red jacket\"", "\"blue cap\""]);
    let typed: Vec<_> = detail.conflicts[0]
        .values
        .iter()
        .map(|v| v.typed.clone())
        .collect();
    assert_eq!(
        typed,
        [
            gadeplan_core::kinds::AttributeValue::Text {
                text: "red jacket".into()
            },
            gadeplan_core::kinds::AttributeValue::Text {
                text: "blue cap".into()
            }
        ],
        "the shells show the values typed, without JSON quotes"
    );
    assert_eq!(
        detail.person.description.as_deref(),
        Some("red jacket"),
        "the latest by HLC is shown meanwhile"
    );
    // A worker settles it with a new change, which replaces both.
    store
        .update_person(PersonUpdate {
            person: kim.clone(),
            description: Some("blue cap, red jacket".into()),
            ..Default::default()
        })
        .unwrap();
    let detail = store.person(kim.clone()).unwrap();
    assert!(!detail.person.has_conflicts && detail.conflicts.is_empty());
    assert_eq!(
        detail.person.description.as_deref(),
        Some("blue cap, red jacket")
    );
    assert!(
        store
            .update_person(PersonUpdate {
                person: kim.clone(),
                ..Default::default()
            })
            .is_err(),
        "a change must change something"
    );
    assert!(
        store
            .update_person(PersonUpdate {
                person: kim.clone(),
                alias: Some(" ".into()),
                ..Default::default()
            })
            .is_err()
    );
    assert!(
        store
            .update_person(PersonUpdate {
                person: kim.clone(),
                birth_year: Some(1850),
                ..Default::default()
            })
            .is_err()
    );
    store
        .update_person(PersonUpdate {
            person: kim.clone(),
            birth_year: Some(1980),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        store.list_persons(None, 0).unwrap()[0].birth_year,
        Some(1980)
    );
}

#[test]
fn the_file_holds_no_recorded_text_in_plaintext() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "s.db");
    let secret_alias = "Zebulon-Kattekilling";
    let secret_note = "Fortalte om sidemisbrug under substitution";
    let secret_plan = "Plan-Blaabaergroed-exit";
    let secret_place = "Bag-Tivoli-Hovedindgang";
    let p = store
        .add_person(NewPerson {
            alias: secret_alias.into(),
            description: None,
            birth_year: None,
            from_unknown: None,
            occurred_at: None,
        })
        .unwrap()
        .person;
    store
        .record_contact(ContactInput {
            place: secret_place.into(),
            note: Some(secret_note.into()),
            ..contact(Subject::Person { id: p.clone() })
        })
        .unwrap();
    store
        .record_risk_check(RiskCheckInput {
            subject: Subject::Person { id: p },
            observed: BrosetItem::ALL.to_vec(),
            plan: Some(secret_plan.into()),
            occurred_at: None,
        })
        .unwrap();
    // Look at the file and its WAL while the store is open (the WAL holds recent pages) and after.
    for _ in 0..2 {
        for suffix in ["", "-wal"] {
            let file = format!("{}{suffix}", path(&dir, "s.db"));
            let Ok(bytes) = std::fs::read(&file) else {
                continue;
            };
            for secret in [
                secret_alias,
                secret_note,
                secret_plan,
                secret_place,
                "Mette",
            ] {
                assert!(
                    !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                    "{secret} in {file}"
                );
            }
        }
    }
    drop(store);
}

/// An arriving entry goes in with its projection or not at all. A projection that fails on a
/// constraint rejects that entry alone and leaves no journal row; any other storage failure fails
/// the whole batch, so that it is tried again rather than the entry being refused for good.
#[test]
fn an_arriving_entry_refused_halfway_leaves_nothing() {
    let dir = TempDir::new().unwrap();
    let a = new_store(&dir, "a.db");
    let kim = person(&a, "Kim");
    let logged = a
        .record_contact(contact(Subject::Person { id: kim.clone() }))
        .unwrap()
        .id;
    let arriving = a.with_connection(entries::all_in_hlc_order).unwrap();
    let b = new_store(&dir, "b.db");
    let held = |id: &str| -> i64 {
        b.with_connection(|c| {
            Ok(
                c.query_row("SELECT count(*) FROM entries WHERE id = ?1", [id], |r| {
                    r.get(0)
                })?,
            )
        })
        .unwrap()
    };
    // A trigger on the contacts table makes the projection fail: `RAISE(ABORT)` as a constraint
    // does (SQLite's SQLITE_CONSTRAINT), a statement on a table that is not there as any other
    // failure of the store does (not a constraint). The core tells them apart by SQLite's code.
    let fail_contacts = |body: &str| {
        b.with_connection(|c| {
            c.execute_batch(&format!(
                "DROP TRIGGER IF EXISTS fail; CREATE TEMP TRIGGER fail BEFORE INSERT ON contacts \
                 BEGIN {body}; END;"
            ))?;
            Ok(())
        })
        .unwrap()
    };

    // A constraint the entry breaks: that entry is rejected, the others go in.
    fail_contacts("SELECT RAISE(ABORT, 'injected')");
    let outcomes = b
        .with_connection(|c| sync::ingest_batch(c, &arriving, phone_intake()))
        .unwrap();
    assert!(outcomes[0].is_ok(), "{:?}", outcomes[0]);
    assert!(
        matches!(outcomes[1], Err(Error::NotAllowed { .. })),
        "{:?}",
        outcomes[1]
    );
    assert_eq!(held(&logged), 0, "no journal row of the refused entry");
    assert_eq!(b.person(kim.clone()).unwrap().timeline.len(), 1);

    // The store itself failing: the batch fails, nothing of the entry is kept, and it goes in
    // once the store works again.
    fail_contacts("DELETE FROM injected_missing_table");
    let failed = b.with_connection(|c| sync::ingest_batch(c, &arriving[1..], phone_intake()));
    assert!(matches!(failed, Err(Error::Storage { .. })), "{failed:?}");
    assert_eq!(held(&logged), 0);
    b.with_connection(|c| Ok(c.execute_batch("DROP TRIGGER fail")?))
        .unwrap();
    let outcomes = b
        .with_connection(|c| sync::ingest_batch(c, &arriving[1..], phone_intake()))
        .unwrap();
    assert!(outcomes[0].is_ok());
    assert_eq!(held(&logged), 1);
    assert_eq!(b.person(kim).unwrap().timeline.len(), 2);
}

/// Taking in on a phone, now.
fn phone_intake() -> gadeplan_core::ingest::Intake {
    gadeplan_core::ingest::Intake::phone(gadeplan_core::clock::now().timestamp_millis())
}

/// The screens read beside the writer: while a write transaction is open (a pull of 500
/// entries, a rebuild), the persons list and a timeline still answer, with what was committed.
/// Before, every read waited behind the one connection's lock.
#[test]
fn screens_answer_while_a_write_transaction_is_open() {
    use std::sync::mpsc;
    use std::time::Duration;
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "a.db");
    let kim = person(&store, "Kim");
    let (read_done, wait_for_read) = mpsc::channel();
    let (writing, wait_for_writing) = mpsc::channel();
    let (held, held_kim) = (store.clone(), kim.clone());
    std::thread::scope(|s| {
        let writer = s.spawn(move || {
            held.with_connection(|c| {
                c.execute_batch("BEGIN IMMEDIATE")?;
                c.execute(
                    "UPDATE persons SET alias = 'being rewritten' WHERE id = ?1",
                    [&held_kim],
                )?;
                writing.send(()).unwrap();
                // Held until the reader has answered (or long enough to show it could not).
                let answered = wait_for_read.recv_timeout(Duration::from_secs(20)).is_ok();
                c.execute_batch("ROLLBACK")?;
                Ok(answered)
            })
            .unwrap()
        });
        wait_for_writing.recv().unwrap();
        let listed = store.list_persons(None, 0).unwrap();
        let shown = store.person(kim.clone()).unwrap();
        read_done.send(()).unwrap();
        assert!(
            writer.join().unwrap(),
            "the reads waited for the write to end"
        );
        assert_eq!(listed.len(), 1);
        assert_eq!(
            listed[0].alias, "Kim",
            "the committed state, not the write under way"
        );
        assert_eq!(shown.person.alias, "Kim");
    });
}

/// The timeline's entries carry what they say, typed, so no shell reads the payload's JSON: a
/// risk check's items, score and band; a contact's place, kinds, colleague, minutes and note; a
/// person update's values as text, a year or cleared; a correction's fields; a void's reason.
#[test]
fn timeline_entries_carry_their_content_typed() {
    use gadeplan_core::kinds::{AttributeChange, AttributeValue, EntryContent};
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "a.db");
    let kim = person(&store, "Kim");
    let check = store
        .record_risk_check(RiskCheckInput {
            subject: Subject::Person { id: kim.clone() },
            observed: vec![BrosetItem::Confusion, BrosetItem::VerbalThreats],
            plan: None,
            occurred_at: None,
        })
        .unwrap();
    let met = store
        .record_contact(ContactInput {
            minutes: Some(20),
            note: Some("talked about a shelter bed".into()),
            risk_check: Some(check.id.clone()),
            ..contact(Subject::Person { id: kim.clone() })
        })
        .unwrap();
    store
        .update_person(PersonUpdate {
            person: kim.clone(),
            description: Some("grey dog".into()),
            birth_year: Some(1980),
            ..Default::default()
        })
        .unwrap();
    store
        .amend(
            met.id.clone(),
            r#"{"minutes": 25}"#.into(),
            None,
            Some("it was longer".into()),
        )
        .unwrap();
    store
        .void_entry(check.id.clone(), "the wrong citizen".into())
        .unwrap();
    let timeline = store.person(kim).unwrap().timeline;
    let content = |kind: EntryKind| {
        timeline
            .iter()
            .find(|i| i.kind == kind)
            .unwrap_or_else(|| panic!("no {kind:?}"))
            .content
            .clone()
    };
    assert_eq!(
        content(EntryKind::RiskChecked),
        EntryContent::RiskChecked(RiskCheckedContent {
            unknown: None,
            observed: vec![BrosetItem::Confusion, BrosetItem::VerbalThreats],
            score: 2,
            band: RiskBand::Moderate,
            plan: None,
        })
    );
    let EntryContent::ContactLogged(ContactLoggedContent {
        place,
        minutes,
        note,
        risk_check,
        ..
    }) = content(EntryKind::ContactLogged)
    else {
        panic!("not a contact");
    };
    assert_eq!(place, contact(Subject::Person { id: "x".into() }).place);
    assert_eq!(minutes, Some(25), "the amendment applied");
    assert_eq!(note.as_deref(), Some("talked about a shelter bed"));
    assert_eq!(risk_check, Some(check.id.clone()));
    assert_eq!(
        content(EntryKind::PersonUpdated),
        EntryContent::PersonUpdated(PersonUpdatedContent {
            changes: vec![
                AttributeChange {
                    attribute: "birth_year".into(),
                    value: AttributeValue::Year { year: 1980 },
                },
                AttributeChange {
                    attribute: "description".into(),
                    value: AttributeValue::Text {
                        text: "grey dog".into()
                    },
                },
            ]
        })
    );
    let EntryContent::EntryAmended(EntryAmendedContent { fields, reason, .. }) =
        content(EntryKind::EntryAmended)
    else {
        panic!("not an amendment");
    };
    assert_eq!(
        (fields, reason.as_deref()),
        (vec!["minutes".to_string()], Some("it was longer"))
    );
    assert_eq!(
        content(EntryKind::EntryVoided),
        EntryContent::EntryVoided(EntryVoidedContent {
            target: check.id,
            reason: "the wrong citizen".into()
        })
    );
}

//! Issue 15's safety incidents at the store: recorded about a citizen or at the contact they
//! broke off, shown in the timeline, refused with the field named and nothing stored when wrong.

mod common;

use common::*;
use gadeplan_core::*;
use tempfile::TempDir;

fn incident(subject: Option<Subject>, contact: Option<String>) -> IncidentInput {
    IncidentInput {
        subject,
        kind: IncidentKind::Threat,
        workers: vec!["Jonas".into()],
        police_called: false,
        centre_called: true,
        place: Some("Enghave Plads".into()),
        note: Some("Truede med en flaske; vi trak os".into()),
        contact,
        occurred_at: None,
    }
}

#[test]
fn an_incident_at_the_contact_it_broke_off() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "i.db");
    let finn = person(&store, "Finn");
    let left = store
        .record_contact(ContactInput {
            outcome: Outcome::LeftForSafety,
            ..contact(Subject::Person { id: finn.clone() })
        })
        .unwrap();
    // Only the contact named: the incident is about its citizen.
    let r = store
        .record(NewEntry::IncidentRecorded(incident(
            None,
            Some(left.id.clone()),
        )))
        .unwrap();
    assert_eq!(r.subject, finn);
    let timeline = store.person(finn.clone()).unwrap().timeline;
    let EntryContent::IncidentRecorded(c) = &timeline.last().unwrap().content else {
        panic!("not an incident")
    };
    assert_eq!(c.kind, IncidentKind::Threat);
    assert_eq!(c.contact.as_deref(), Some(left.id.as_str()));
    assert_eq!(c.workers, ["Jonas"]);
    assert!(c.centre_called && !c.police_called);
    // An unknown citizen, described.
    let r = store
        .record(NewEntry::IncidentRecorded(incident(
            Some(Subject::Unknown {
                description: "ung mand i grøn jakke".into(),
            }),
            None,
        )))
        .unwrap();
    assert_eq!(store.unknown_citizens().unwrap().len(), 1);
    assert_ne!(r.subject, finn);
}

#[test]
fn bad_incidents_are_refused_and_store_nothing() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "bad.db");
    let finn = person(&store, "Finn");
    let lis = person(&store, "Lis");
    let at_finn = store
        .record_contact(contact(Subject::Person { id: finn.clone() }))
        .unwrap();
    let check = store
        .record_risk_check(RiskCheckInput {
            subject: Subject::Person { id: finn.clone() },
            observed: vec![],
            plan: None,
            occurred_at: None,
        })
        .unwrap();
    let before = dump_projections(&store);
    let entries = entry_count(&store);
    let lis_at_finns = incident(
        Some(Subject::Person { id: lis.clone() }),
        Some(at_finn.id.clone()),
    );
    let cases: Vec<(IncidentInput, &str)> = vec![
        (incident(None, None), "subject"),
        (lis_at_finns, "contact"),
        (incident(None, Some(check.id.clone())), "contact"),
        (
            IncidentInput {
                workers: vec!["Jo\u{200b}nas".into()],
                ..incident(Some(Subject::Person { id: finn.clone() }), None)
            },
            "workers",
        ),
        (
            IncidentInput {
                workers: (0..11).map(|n| format!("Worker {n}")).collect(),
                ..incident(Some(Subject::Person { id: finn.clone() }), None)
            },
            "workers",
        ),
        (
            IncidentInput {
                note: Some("x".repeat(100_000)),
                ..incident(Some(Subject::Person { id: finn.clone() }), None)
            },
            "note",
        ),
    ];
    for (input, field) in cases {
        match store.record(NewEntry::IncidentRecorded(input.clone())) {
            Err(Error::InvalidInput { field: f, .. }) => assert_eq!(f, field, "{input:?}"),
            other => panic!("{input:?}: {other:?}"),
        }
    }
    assert!(IncidentKind::parse("brawl").is_err());
    assert_eq!(dump_projections(&store), before);
    assert_eq!(entry_count(&store), entries);
}

fn codes(r: &Recorded) -> Vec<String> {
    r.warnings.iter().map(|w| w.code.clone()).collect()
}

/// The safety rules as warnings (002 L2589–2620): kept in the contact, returned with it, never
/// a refusal; a recorded judgement answers the home visit alone, a Brøset check of the day the
/// approach without one.
#[test]
fn safety_rules_warn_and_never_refuse() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "w.db");
    let kim = person(&store, "Kim");
    let alone = |subject: Subject| ContactInput {
        colleague: None,
        ..contact(subject)
    };
    // An unknown citizen on the street, alone, no Brøset check: two warnings.
    let r = store
        .record_contact(alone(Subject::Unknown {
            description: "mand ved springvandet".into(),
        }))
        .unwrap();
    assert_eq!(codes(&r), ["solo-with-unknown", "no-current-risk-check"]);
    let EntryContent::ContactLogged(c) = store.entry(r.id.clone()).unwrap().content else {
        panic!()
    };
    assert_eq!(
        c.safety_warnings,
        [
            SafetyWarning::SoloWithUnknown,
            SafetyWarning::NoCurrentRiskCheck
        ]
    );
    // With a colleague and after a check: nothing to warn of.
    let check = store
        .record_risk_check(RiskCheckInput {
            subject: Subject::Person { id: kim.clone() },
            observed: vec![],
            plan: None,
            occurred_at: None,
        })
        .unwrap();
    let r = store
        .record_contact(contact(Subject::Person { id: kim.clone() }))
        .unwrap();
    assert!(codes(&r).is_empty(), "{:?}", codes(&r));
    assert!(check.score == 0);
    // A home visit alone: warned, unless the worker records the judgement that it is safe; an
    // unannounced one alone is warned whatever the judgement.
    let home = |announced: Option<bool>, reason: Option<&str>| ContactInput {
        place_kind: PlaceKind::Home,
        announced,
        safety_reason: reason.map(Into::into),
        ..alone(Subject::Person { id: kim.clone() })
    };
    let r = store.record_contact(home(Some(true), None)).unwrap();
    assert_eq!(codes(&r), ["solo-home-visit"]);
    assert_eq!(
        codes(&store.record_contact(home(Some(true), Some(" "))).unwrap()),
        ["solo-home-visit"],
        "a blank judgement is none"
    );
    let r = store
        .record_contact(home(
            Some(true),
            Some("kender ham godt; rolig; kollega ved døren"),
        ))
        .unwrap();
    assert!(codes(&r).is_empty());
    let r = store
        .record_contact(home(Some(false), Some("han ringede selv")))
        .unwrap();
    assert_eq!(codes(&r), ["unannounced-home-visit-alone"]);
    let r = store
        .record_contact(home(None, Some("kender ham godt")))
        .unwrap();
    assert_eq!(
        codes(&r),
        ["unannounced-home-visit-alone"],
        "not said to be announced"
    );
    // A check linked but two days older than the contact is no current one; the warning stands.
    let old = store
        .record_risk_check(RiskCheckInput {
            subject: Subject::Person { id: kim.clone() },
            observed: vec![],
            plan: None,
            occurred_at: Some((chrono::Utc::now() - chrono::Duration::days(4)).to_rfc3339()),
        })
        .unwrap();
    let r = store
        .record_contact(ContactInput {
            risk_check: Some(old.id),
            occurred_at: Some((chrono::Utc::now() - chrono::Duration::days(2)).to_rfc3339()),
            ..contact(Subject::Person { id: kim.clone() })
        })
        .unwrap();
    assert_eq!(codes(&r), ["no-current-risk-check"]);
    // The worker recording is not their own colleague.
    match store.record_contact(ContactInput {
        colleague: Some("Mette".into()),
        ..contact(Subject::Person { id: kim.clone() })
    }) {
        Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "colleague"),
        other => panic!("{other:?}"),
    }
    // The warnings are a record of the moment: no amendment changes them.
    let warned = store.record_contact(home(Some(true), None)).unwrap();
    assert!(
        store
            .amend(
                warned.id.clone(),
                r#"{"safety_warnings":null}"#.into(),
                None,
                None
            )
            .is_err()
    );
    // A place corrected away from a home loses "announced" with it.
    store
        .correct(CorrectionInput {
            entry: warned.id.clone(),
            correction: Correction::ContactLogged(ContactCorrection {
                place_kind: Some(PlaceKind::Street),
                ..Default::default()
            }),
            occurred_at: None,
            reason: Some("it was outside the door".into()),
        })
        .unwrap();
    let EntryContent::ContactLogged(c) = store.entry(warned.id).unwrap().content else {
        panic!()
    };
    assert_eq!((c.place_kind, c.announced), (PlaceKind::Street, None));
    // "Announced" belongs to a home visit only.
    match store.record_contact(ContactInput {
        announced: Some(true),
        ..contact(Subject::Person { id: kim.clone() })
    }) {
        Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "announced"),
        other => panic!("{other:?}"),
    }
    // A search that found nobody, a call about the citizen: no approach, nothing to warn of.
    let r = store
        .record_contact(ContactInput {
            outcome: Outcome::NotFound,
            ..alone(Subject::Unknown {
                description: "kvinde med rød hue".into(),
            })
        })
        .unwrap();
    assert!(codes(&r).is_empty(), "{:?}", codes(&r));
}

/// Issue 18: the check a person's or an unknown citizen's risk comes from, by its id, so that a
/// shell links a contact to it; none once it is stale or voided.
#[test]
fn the_current_risk_check_is_named_for_persons_and_unknown_citizens() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "w.db");
    let kim = person(&store, "Kim");
    let check = |subject: Subject, days_ago: i64| {
        store
            .record_risk_check(RiskCheckInput {
                subject,
                observed: vec![],
                plan: None,
                occurred_at: Some(
                    (chrono::Utc::now() - chrono::Duration::days(days_ago)).to_rfc3339(),
                ),
            })
            .unwrap()
    };
    let kims = || Subject::Person { id: kim.clone() };
    check(kims(), 3);
    let summary = store.person(kim.clone()).unwrap().person;
    assert_eq!((summary.risk, summary.current_risk_check), (None, None));
    assert!(summary.risk_checked_at.is_some());
    let current = check(kims(), 0);
    let summary = store.person(kim.clone()).unwrap().person;
    assert_eq!(summary.current_risk_check, Some(current.id.clone()));
    assert_eq!(summary.risk, Some(current.band));
    let listed = store.list_persons(None, 0).unwrap();
    assert_eq!(listed[0].current_risk_check, Some(current.id.clone()));
    store
        .void_entry(current.id, "forkert person".into())
        .unwrap();
    let summary = store.person(kim.clone()).unwrap().person;
    assert_eq!((summary.risk, summary.current_risk_check), (None, None));

    let unknown = check(
        Subject::Unknown {
            description: "mand ved springvandet".into(),
        },
        0,
    );
    let citizens = store.unknown_citizens().unwrap();
    let citizen = citizens.iter().find(|u| u.id == unknown.subject).unwrap();
    assert_eq!(citizen.current_risk_check, Some(unknown.id.clone()));
    assert_eq!(citizen.risk, Some(unknown.band));
    assert!(citizen.risk_checked_at.is_some());
}

/// Issue 18: what a record allows, from the commands' own rules: a typed correction where its
/// kind has one, a void where its kind can be voided, neither once voided; a void allows neither.
#[test]
fn each_record_says_whether_it_can_be_corrected_or_voided() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "w.db");
    let kim = person(&store, "Kim");
    let check = store
        .record_risk_check(RiskCheckInput {
            subject: Subject::Person { id: kim.clone() },
            observed: vec![],
            plan: None,
            occurred_at: None,
        })
        .unwrap();
    let item = |id: &str| {
        store
            .person(kim.clone())
            .unwrap()
            .timeline
            .into_iter()
            .find(|i| i.id == id)
            .unwrap()
    };
    let noted = store.person(kim.clone()).unwrap().timeline[0].clone();
    assert_eq!(noted.kind, EntryKind::PersonNoted);
    assert!(!noted.can_correct, "a person's details change by an update");
    let c = item(&check.id);
    assert!(c.can_correct && c.can_void);
    let void = store.void_entry(check.id.clone(), "fejl".into()).unwrap();
    let c = item(&check.id);
    assert!(!c.can_correct && !c.can_void);
    let v = item(&void.id);
    assert!(!v.can_correct && !v.can_void, "a void is not undone");
    // The commands agree: a voided check is refused both.
    assert!(matches!(
        store.void_entry(check.id.clone(), "igen".into()),
        Err(Error::NotAllowed { .. })
    ));
}

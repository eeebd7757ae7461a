//! The team's map end to end (issue 15, Bilag 2B): areas, places with their visit rules and
//! rounds are recorded on one phone, reach every phone of the team (and no other team's), are
//! corrected like entries; a contact at a place visited only when called, or unannounced at one
//! not to be visited unannounced, is warned and kept; the coverage of each area in the last four
//! weeks is the same on the phone and in the centre's report; bad input changes nothing.

use chrono::{Datelike, Duration, Utc};
use gadeplan_core::{
    AreaInput, AreaPriority, ContactInput, ContactKind, Correction, CorrectionInput, CoverageState,
    Degrees, Error, NewEntry, Outcome, PlaceCorrection, PlaceInput, PlaceKind, RoundInput,
    SafetyWarning, Store, Subject, VisitRule, Weekday,
};
use gadeplan_tests::*;

fn area(store: &Store, name: &str, priority: AreaPriority) -> String {
    store
        .record(NewEntry::AreaNoted(AreaInput {
            name: name.into(),
            priority,
            times: Some("formiddag; først på måneden".into()),
            note: None,
            occurred_at: None,
        }))
        .unwrap()
        .id
}

fn place(store: &Store, name: &str, area: Option<&str>, rule: VisitRule) -> Result<String, Error> {
    store
        .record(NewEntry::PlaceNoted(PlaceInput {
            name: name.into(),
            kind: PlaceKind::DropIn,
            rule,
            area: area.map(str::to_string),
            address: Some("Halmtorvet 1".into()),
            latitude: Some(Degrees(55.6712)),
            longitude: Some(Degrees(12.5611)),
            call: (rule == VisitRule::OnlyWhenCalled).then(|| "personalet ringer".into()),
            note: None,
            occurred_at: None,
        }))
        .map(|r| r.id)
}

fn contact_at(store: &Store, person: &str, place: &str, announced: Option<bool>) -> Vec<String> {
    let recorded = store
        .record_contact(ContactInput {
            subject: Some(Subject::Person { id: person.into() }),
            place: String::new(),
            place_kind: PlaceKind::DropIn,
            kind: ContactKind::Conversation,
            meeting: None,
            announced,
            safety_reason: None,
            outcome: Outcome::ContactMade,
            colleague: Some("Mette".into()),
            minutes: None,
            note: None,
            risk_check: None,
            occurred_at: None,
            place_id: Some(place.into()),
        })
        .unwrap();
    recorded.warnings.into_iter().map(|w| w.code).collect()
}

fn rule_warnings(codes: &[String]) -> Vec<&str> {
    codes
        .iter()
        .map(String::as_str)
        .filter(|c| c.starts_with("place-"))
        .collect()
}

#[test]
fn the_map_is_the_teams_and_its_rules_warn_a_contact() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let jonas = h.phone(TEAM_A, "Jonas");
    let aisha = h.phone(TEAM_B, "Aisha");
    for p in [&mette, &jonas, &aisha] {
        p.sync(h.transport()).unwrap();
    }
    let halmtorvet = area(&mette, "Halmtorvet", AreaPriority::High);
    let havnen = area(&mette, "Havnen", AreaPriority::Normal);
    let called = place(
        &mette,
        "Café Dugnad",
        Some(&halmtorvet),
        VisitRule::OnlyWhenCalled,
    )
    .unwrap();
    let announced = place(
        &mette,
        "Boformen",
        Some(&halmtorvet),
        VisitRule::AnnouncedOnly,
    )
    .unwrap();
    let open = place(&mette, "Bænken ved kirken", Some(&havnen), VisitRule::Open).unwrap();
    // A round on today's weekday at midnight, planned the day before two weeks ago: walked
    // three times in the last four weeks (two weeks ago, a week ago, today).
    let today = Weekday::ALL[Utc::now()
        .with_timezone(&chrono_tz::Europe::Copenhagen)
        .date_naive()
        .weekday()
        .num_days_from_monday() as usize];
    mette
        .record(NewEntry::RoundPlanned(RoundInput {
            name: "Formiddagsruten".into(),
            weekday: today,
            time: "00:00".into(),
            places: vec![announced.clone(), called.clone()],
            note: None,
            occurred_at: Some((Utc::now() - Duration::days(15)).to_rfc3339()),
        }))
        .unwrap();
    mette.sync(h.transport()).unwrap();
    jonas.sync(h.transport()).unwrap();
    aisha.sync(h.transport()).unwrap();

    // Every phone of the team has the map; another team's has none of it.
    assert_eq!(jonas.places().unwrap(), mette.places().unwrap());
    assert_eq!(jonas.areas().unwrap().len(), 2);
    assert_eq!(
        jonas.rounds().unwrap()[0].stops[1].name.as_deref(),
        Some("Café Dugnad")
    );
    assert!(aisha.places().unwrap().is_empty() && aisha.areas().unwrap().is_empty());
    let dugnad = jonas
        .places()
        .unwrap()
        .into_iter()
        .find(|p| p.id == called)
        .unwrap();
    assert_eq!(dugnad.area_name.as_deref(), Some("Halmtorvet"));
    assert_eq!(dugnad.rule_label.da, "Kun når vi bliver tilkaldt");

    // Jonas at the places: warned where the rule is not kept, never refused.
    let kim = person(&jonas, "Kim");
    assert_eq!(
        rule_warnings(&contact_at(&jonas, &kim, &called, None)),
        ["place-only-when-called"]
    );
    assert_eq!(
        rule_warnings(&contact_at(&jonas, &kim, &called, Some(true))),
        Vec::<&str>::new()
    );
    assert_eq!(
        rule_warnings(&contact_at(&jonas, &kim, &announced, Some(false))),
        ["place-announced-only"]
    );
    assert_eq!(
        rule_warnings(&contact_at(&jonas, &kim, &open, None)),
        Vec::<&str>::new()
    );
    let timeline = jonas.person(kim.clone()).unwrap().timeline;
    let first = timeline
        .iter()
        .find(|t| t.payload.contains("place-only-when-called"))
        .expect("the warning is kept in the entry");
    assert!(
        first.payload.contains(&called),
        "the contact names the place"
    );
    assert!(
        first.payload.contains("Café Dugnad"),
        "its name, taken from the register"
    );

    // A correction: the bench becomes a place visited only when called, on every phone.
    mette
        .correct(CorrectionInput {
            entry: open.clone(),
            correction: Correction::PlaceNoted(PlaceCorrection {
                rule: Some(VisitRule::OnlyWhenCalled),
                call: Some("kirkens personale".into()),
                ..Default::default()
            }),
            occurred_at: None,
            reason: Some("ny aftale med kirken".into()),
        })
        .unwrap();
    mette.sync(h.transport()).unwrap();
    jonas.sync(h.transport()).unwrap();
    let bench = jonas
        .places()
        .unwrap()
        .into_iter()
        .find(|p| p.id == open)
        .unwrap();
    assert_eq!(bench.rule, VisitRule::OnlyWhenCalled);
    assert_eq!(
        rule_warnings(&contact_at(&jonas, &kim, &open, None)),
        ["place-only-when-called"]
    );
    jonas.sync(h.transport()).unwrap();

    // Coverage, the same on a phone and at the centre: Halmtorvet (high) had contacts and the
    // round; Havnen had contacts; an area with no place is uncovered.
    let empty = area(&mette, "Sydhavnen", AreaPriority::High);
    mette.sync(h.transport()).unwrap();
    let coverage = mette.coverage().unwrap();
    let line = |name: &str| coverage.iter().find(|c| c.area.name == name).unwrap();
    assert_eq!(line("Halmtorvet").contacts, 3);
    assert_eq!(line("Halmtorvet").rounds, 3);
    assert_eq!(line("Halmtorvet").places, 2);
    assert_eq!(line("Halmtorvet").state, CoverageState::Covered);
    assert_eq!(line("Havnen").contacts, 2);
    assert_eq!(line("Sydhavnen").state, CoverageState::Uncovered);
    assert_eq!(
        coverage
            .iter()
            .map(|c| c.area.name.as_str())
            .collect::<Vec<_>>(),
        ["Sydhavnen", "Halmtorvet", "Havnen"],
        "highest priority first, the least covered first within it"
    );
    let report = h.operator.report(TEAM_A, Utc::now()).unwrap();
    let figures: Vec<(String, u32, u32, String)> = report
        .coverage
        .iter()
        .map(|a| {
            (
                a.name.clone(),
                a.contacts_28_days,
                a.rounds_28_days,
                a.state.clone(),
            )
        })
        .collect();
    assert_eq!(
        figures,
        [
            ("Sydhavnen".to_string(), 0, 0, "uncovered".to_string()),
            ("Halmtorvet".to_string(), 3, 3, "covered".to_string()),
            ("Havnen".to_string(), 2, 0, "covered".to_string()),
        ]
    );
    assert_eq!(report.coverage[0].area, empty);
    assert!(
        h.operator
            .report(TEAM_B, Utc::now())
            .unwrap()
            .coverage
            .is_empty(),
        "per team"
    );
    assert!(
        mette.places().unwrap().iter().any(|p| p.id == called),
        "nothing lost along the way"
    );
    // The new warnings are payload version 3.
    assert_eq!(
        SafetyWarning::PlaceOnlyWhenCalled.label().code,
        "place-only-when-called"
    );
}

#[test]
fn bad_map_input_is_refused_and_nothing_is_stored() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let before = local_ids(&mette);
    assert!(matches!(
        VisitRule::parse("sometimes"),
        Err(Error::InvalidInput { .. })
    ));
    let refused = |r: Result<String, Error>, field: &str| match r {
        Err(Error::InvalidInput { field: f, .. }) => assert_eq!(f, field),
        other => panic!("{field}: {other:?}"),
    };
    refused(place(&mette, "  ", None, VisitRule::Open), "name");
    assert!(matches!(
        place(
            &mette,
            "Bænken",
            Some("01a24588-6d97-7000-b826-7cd07b8037d0"),
            VisitRule::Open
        ),
        Err(Error::NotFound { .. })
    ));
    refused(
        mette
            .record(NewEntry::PlaceNoted(PlaceInput {
                name: "Halvt punkt".into(),
                kind: PlaceKind::Park,
                rule: VisitRule::Open,
                area: None,
                address: None,
                latitude: Some(Degrees(55.0)),
                longitude: None,
                call: None,
                note: None,
                occurred_at: None,
            }))
            .map(|r| r.id),
        "latitude",
    );
    let round = |time: &str, places: Vec<String>| {
        mette
            .record(NewEntry::RoundPlanned(RoundInput {
                name: "Ruten".into(),
                weekday: Weekday::Monday,
                time: time.into(),
                places,
                note: None,
                occurred_at: None,
            }))
            .map(|r| r.id)
    };
    refused(round("10:00", vec![]), "places");
    assert!(matches!(
        round("10:00", vec!["01a24588-6d97-7000-b826-7cd07b8037d0".into()]),
        Err(Error::NotFound { .. })
    ));
    assert_eq!(local_ids(&mette), before, "nothing stored");
    let bench = place(&mette, "Bænken", None, VisitRule::Open).unwrap();
    refused(round("25:00", vec![bench.clone()]), "time");
    // A voided place can no longer be named.
    mette
        .void_entry(bench.clone(), "noted twice".into())
        .unwrap();
    let kim = person(&mette, "Kim");
    let at_voided = mette.record_contact(ContactInput {
        subject: Some(Subject::Person { id: kim }),
        place: "Bænken".into(),
        place_kind: PlaceKind::Park,
        kind: ContactKind::Conversation,
        meeting: None,
        announced: None,
        safety_reason: None,
        outcome: Outcome::ContactMade,
        colleague: None,
        minutes: None,
        note: None,
        risk_check: None,
        occurred_at: None,
        place_id: Some(bench),
    });
    assert!(
        matches!(at_voided, Err(Error::NotFound { .. })),
        "{at_voided:?}"
    );
    assert!(mette.places().unwrap().is_empty());
}

#[test]
fn a_correction_cannot_point_a_contact_at_another_teams_place() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let aisha = h.phone(TEAM_B, "Aisha");
    let halmtorvet = area(&mette, "Halmtorvet", AreaPriority::High);
    let dugnad = place(&mette, "Café Dugnad", Some(&halmtorvet), VisitRule::Open).unwrap();
    mette.sync(h.transport()).unwrap();
    // Aisha's own contact at her own place of the register, then a forged correction moving it
    // to Vesterbro's place (her app would refuse: the place is not on her phone).
    let hers = place(&aisha, "Nørrebro Station", None, VisitRule::Open).unwrap();
    let ole = person(&aisha, "Ole");
    let contact = aisha
        .record_contact(ContactInput {
            subject: Some(Subject::Person { id: ole.clone() }),
            place: String::new(),
            place_kind: PlaceKind::Street,
            kind: ContactKind::Conversation,
            meeting: None,
            announced: None,
            safety_reason: None,
            outcome: Outcome::ContactMade,
            colleague: None,
            minutes: None,
            note: None,
            risk_check: None,
            occurred_at: None,
            place_id: Some(hers),
        })
        .unwrap()
        .id;
    aisha.sync(h.transport()).unwrap();
    let patch = serde_json::json!({"target": contact, "patch": {"place_id": dugnad}}).to_string();
    let forged = forge(
        &aisha,
        gadeplan_core::EntryKind::EntryAmended,
        &ole,
        &patch,
        None,
    );
    let (status, body) = push(&h.url(), &device_token(&aisha), &[forged]);
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("rejected") && body.contains("another team"),
        "{body}"
    );
    let report = h.operator.report(TEAM_A, Utc::now()).unwrap();
    assert_eq!(
        report.coverage[0].contacts_28_days, 0,
        "nothing of Nørrebro's counted"
    );
}

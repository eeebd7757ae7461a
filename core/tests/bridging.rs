//! Bridge-building and the 14-day guarantee (issue 13): the wish for treatment starts the
//! guarantee's clock; a visitation and a treatment start need a wish before them; the handover
//! needs a start; the guarantee is met, breached or waiting by calendar days in the team's time
//! zone, through daylight saving; the persons list carries it, and the waiting list is ordered
//! by the days left. Refused input is a typed error naming its field, and changes nothing.

mod common;

use common::*;
use gadeplan_core::*;
use tempfile::TempDir;

fn open_course(store: &Store, person: &str) -> String {
    store
        .record(NewEntry::CourseOpened(CourseInput {
            person: person.into(),
            responsible: vec![],
            found_via: FoundVia::OwnOutreach,
            attachment_treatment: None,
            attachment_substitution: None,
            attachment_services: None,
            occurred_at: Some("2026-10-01T10:00:00+02:00".into()),
        }))
        .unwrap()
        .id
}

fn wish(store: &Store, person: &str, at: &str) -> Result<Recorded> {
    store.record(NewEntry::TreatmentRequested(TreatmentRequestInput {
        person: person.into(),
        course: None,
        occurred_at: Some(at.into()),
    }))
}

fn start(store: &Store, person: &str, at: &str) -> Result<Recorded> {
    store.record(NewEntry::TreatmentStarted(TreatmentStartInput {
        person: person.into(),
        course: None,
        offer: "Dagbehandling på Vesterbro".into(),
        intensity: TreatmentIntensity::Day,
        counsellor: Some("Birgitte".into()),
        occurred_at: Some(at.into()),
    }))
}

fn visit(store: &Store, person: &str, at: Option<&str>) -> Result<Recorded> {
    store.record(NewEntry::TreatmentVisited(VisitationInput {
        person: person.into(),
        course: None,
        kind: VisitationKind::Direct,
        result: VisitationResult::Admitted,
        offer: Some("day treatment".into()),
        occurred_at: at.map(Into::into),
    }))
}

fn guarantee(store: &Store, person: &str) -> Guarantee {
    store
        .person(person.into())
        .unwrap()
        .person
        .guarantee
        .unwrap()
}

#[test]
fn the_path_from_wish_to_handover() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "b.db");
    let kim = person(&store, "Kim");
    open_course(&store, &kim);
    let err = visit(&store, &kim, None).unwrap_err();
    assert!(matches!(err, Error::NotAllowed { .. }), "{err:?}");
    wish(&store, &kim, "2026-11-02T09:00:00+01:00").unwrap();
    // A second wish while the first waits.
    let err = wish(&store, &kim, "2026-11-03T09:00:00+01:00").unwrap_err();
    assert!(matches!(err, Error::NotAllowed { .. }), "{err:?}");
    // A start before the wish.
    let err = start(&store, &kim, "2026-11-01T09:00:00+01:00").unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput { field, .. } if field == "occurred_at"),
        "{err:?}"
    );
    visit(&store, &kim, Some("2026-11-05T09:00:00+01:00")).unwrap();
    let err = store
        .record(NewEntry::TreatmentHandedOver(HandoverInput {
            person: kim.clone(),
            course: None,
            counsellor: "Birgitte".into(),
            plan_handed_over: true,
            support: None,
            notify_no_shows: true,
            occurred_at: None,
        }))
        .unwrap_err();
    assert!(matches!(err, Error::NotAllowed { .. }), "{err:?}");
    start(&store, &kim, "2026-11-16T09:00:00+01:00").unwrap();
    store
        .record(NewEntry::TreatmentHandedOver(HandoverInput {
            person: kim.clone(),
            course: None,
            counsellor: "Birgitte".into(),
            plan_handed_over: true,
            support: Some("Follow him to the first two meetings".into()),
            notify_no_shows: true,
            occurred_at: None,
        }))
        .unwrap();
    store
        .record(NewEntry::ServiceBridged(BridgeInput {
            person: kim.clone(),
            course: None,
            service: BridgeService::Gp,
            status: BridgeStatus::Contacted,
            contact: None,
            occurred_at: None,
        }))
        .unwrap();
    let g = guarantee(&store, &kim);
    assert_eq!(g.wished_on, "2026-11-02");
    assert_eq!(g.last_day, "2026-11-16");
    assert_eq!(g.state, GuaranteeState::Met, "{g:?}");
    assert_eq!(g.started_on.as_deref(), Some("2026-11-16"));
    // Started: the course is bridged, and a closing may carry the treatment status.
    let course = &store.person(kim.clone()).unwrap().courses[0];
    assert!(course.bridged);
    store
        .record(NewEntry::CourseClosed(CourseCloseInput {
            person: kim.clone(),
            course: None,
            reason: CloseReason::Treatment,
            treatment_status: Some(TreatmentStatus::Continuing),
            occurred_at: None,
        }))
        .unwrap();
}

#[test]
fn calendar_days_in_copenhagen_through_daylight_saving() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "d.db");
    // A wish late on 20 October in Copenhagen (still the 20th there, 22:30 UTC+2); summer time
    // ends on 25 October. The 14th day after is 3 November: started at 23:30 that day (local,
    // UTC+1) is met; a minute past midnight is breached.
    let kim = person(&store, "Kim");
    open_course(&store, &kim);
    wish(&store, &kim, "2026-10-20T20:30:00Z").unwrap();
    start(&store, &kim, "2026-11-03T22:30:00Z").unwrap();
    let g = guarantee(&store, &kim);
    assert_eq!(
        (g.wished_on.as_str(), g.last_day.as_str()),
        ("2026-10-20", "2026-11-03")
    );
    assert_eq!(g.state, GuaranteeState::Met, "{g:?}");

    let bo = person(&store, "Bo");
    open_course(&store, &bo);
    wish(&store, &bo, "2026-10-20T20:30:00Z").unwrap();
    start(&store, &bo, "2026-11-03T23:01:00Z").unwrap();
    let g = guarantee(&store, &bo);
    assert_eq!(g.started_on.as_deref(), Some("2026-11-04"));
    assert_eq!(g.state, GuaranteeState::Breached, "{g:?}");

    // A wish at 00:30 local on 21 October is 22:30 UTC on the 20th: the 21st counts.
    let lis = person(&store, "Lis");
    open_course(&store, &lis);
    wish(&store, &lis, "2026-10-20T22:30:00Z").unwrap();
    assert_eq!(guarantee(&store, &lis).wished_on, "2026-10-21");
}

#[test]
fn waiting_counts_the_days_left_and_the_list_is_ordered_by_them() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "w.db");
    let today = chrono::Utc::now();
    let at = |days_ago: i64| (today - chrono::Duration::days(days_ago)).to_rfc3339();
    let soon = person(&store, "Soon");
    open_course(&store, &soon);
    wish(&store, &soon, &at(12)).unwrap();
    let fresh = person(&store, "Fresh");
    open_course(&store, &fresh);
    wish(&store, &fresh, &at(1)).unwrap();
    let late = person(&store, "Late");
    open_course(&store, &late);
    wish(&store, &late, &at(20)).unwrap();
    let started = person(&store, "Started");
    open_course(&store, &started);
    wish(&store, &started, &at(3)).unwrap();
    start(&store, &started, &at(1)).unwrap();
    person(&store, "No wish");

    let g = guarantee(&store, &soon);
    assert_eq!(g.state, GuaranteeState::Waiting);
    // 12 days ago (±1 around midnight in Copenhagen): 2 days left.
    assert!(matches!(g.days_left, Some(1..=3)), "{g:?}");
    assert!(g.running_out, "{g:?}");
    let g = guarantee(&store, &late);
    assert_eq!(g.state, GuaranteeState::Breached);
    assert!(!g.running_out, "passed, not running out");
    assert!(g.days_left.unwrap() < 0);
    let waiting: Vec<String> = store
        .waiting_for_treatment()
        .unwrap()
        .into_iter()
        .map(|p| p.alias)
        .collect();
    assert_eq!(waiting, vec!["Late", "Soon", "Fresh"]);
    // The persons list carries the phase and the guarantee.
    let listed = store.list_persons(None, 0).unwrap();
    let fresh_row = listed.iter().find(|p| p.alias == "Fresh").unwrap();
    assert_eq!(fresh_row.course_phase, Some(CoursePhase::Contact));
    assert_eq!(
        fresh_row.guarantee.as_ref().unwrap().state,
        GuaranteeState::Waiting
    );
    assert!(
        listed
            .iter()
            .find(|p| p.alias == "No wish")
            .unwrap()
            .guarantee
            .is_none()
    );
}

/// Warnings beside a record, never refusing it: the guarantee's last day near with no start,
/// then passed; none once treatment has started.
#[test]
fn recording_about_a_waiting_citizen_warns_of_the_guarantee() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "warn.db");
    let today = chrono::Utc::now();
    let at = |days_ago: i64| (today - chrono::Duration::days(days_ago)).to_rfc3339();
    let codes = |r: &Recorded| {
        r.warnings
            .iter()
            .map(|w| w.code.clone())
            .collect::<Vec<_>>()
    };

    let near = person(&store, "Near");
    open_course(&store, &near);
    let quiet = wish(&store, &near, &at(5)).unwrap();
    assert!(quiet.warnings.is_empty(), "{:?}", quiet.warnings);
    let late = person(&store, "Late");
    open_course(&store, &late);
    wish(&store, &late, &at(20)).unwrap();
    let fresh = person(&store, "Fresh");
    open_course(&store, &fresh);
    wish(&store, &fresh, &at(12)).unwrap();

    let r = visit(&store, &fresh, None).unwrap();
    assert_eq!(codes(&r), vec!["guarantee-near"]);
    assert!(r.warnings[0].da.contains("Behandlingsgarantien"));
    let r = visit(&store, &late, None).unwrap();
    assert_eq!(codes(&r), vec!["guarantee-passed"]);
    let r = start(&store, &late, &at(0)).unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let r = visit(&store, &near, None).unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

/// Every entry of `from` taken in by `to`, as sync would bring them.
fn copy(from: &Store, to: &Store) {
    let journal = from
        .with_connection(gadeplan_core::entries::all_in_hlc_order)
        .unwrap();
    to.with_connection(|c| {
        let intake =
            gadeplan_core::ingest::Intake::phone(gadeplan_core::clock::now().timestamp_millis());
        for outcome in gadeplan_core::sync::ingest_batch(c, &journal, intake)? {
            outcome?;
        }
        Ok(())
    })
    .unwrap();
}

/// Two phones each record the citizen's wish while offline: "personens første henvendelse" is
/// the earlier, on both, so the later cannot push the last day back.
#[test]
fn the_guarantee_counts_from_the_first_of_two_wishes_recorded_offline() {
    let dir = TempDir::new().unwrap();
    let mette = new_store(&dir, "a.db");
    let kim = person(&mette, "Kim");
    open_course(&mette, &kim);
    let jonas = Store::create(
        path(&dir, "b.db"),
        KEY.to_vec(),
        "Jonas".into(),
        "phone-2".into(),
    )
    .unwrap();
    copy(&mette, &jonas);
    wish(&mette, &kim, "2026-11-02T09:00:00+01:00").unwrap();
    wish(&jonas, &kim, "2026-11-05T09:00:00+01:00").unwrap();
    copy(&jonas, &mette);
    copy(&mette, &jonas);
    for store in [&mette, &jonas] {
        let g = guarantee(store, &kim);
        assert_eq!(
            (g.wished_on.as_str(), g.last_day.as_str()),
            ("2026-11-02", "2026-11-16")
        );
    }
    // Treatment started, the citizen dropped out and wishes again: the clock starts anew.
    start(&mette, &kim, "2026-11-10T09:00:00+01:00").unwrap();
    wish(&mette, &kim, "2026-11-20T09:00:00+01:00").unwrap();
    assert_eq!(guarantee(&mette, &kim).wished_on, "2026-11-20");
}

/// A course closed before its guarantee was met or broken keeps the guarantee as it stood at
/// the closing, rather than counting on for ever.
#[test]
fn a_closed_courses_guarantee_stands_as_it_was_when_it_closed() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "c.db");
    let today = chrono::Utc::now();
    let at = |days_ago: i64| (today - chrono::Duration::days(days_ago)).to_rfc3339();
    let kim = person(&store, "Kim");
    open_course(&store, &kim);
    wish(&store, &kim, &at(30)).unwrap();
    store
        .record(NewEntry::CourseClosed(CourseCloseInput {
            person: kim.clone(),
            course: None,
            reason: CloseReason::Moved,
            treatment_status: None,
            occurred_at: Some(at(25)),
        }))
        .unwrap();
    let course = &store.person(kim).unwrap().courses[0];
    let g = course.guarantee.as_ref().unwrap();
    assert_eq!(g.state, GuaranteeState::Waiting, "{g:?}");
    assert!(matches!(g.days_left, Some(8..=10)), "{g:?}");
    assert!(!g.running_out, "{g:?}");
}

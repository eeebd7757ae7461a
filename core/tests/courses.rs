//! The citizen's course (issue 13): opened with who is responsible and how the citizen was
//! found, moved through its phases, closed with a reason and (for a citizen bridged into
//! treatment) the treatment status, reopened as a new course; and the caseload made from
//! courses. Every refused input is a typed error naming its field, and leaves the store as it was.

mod common;

use common::*;
use gadeplan_core::*;
use tempfile::TempDir;

fn open(store: &Store, person: &str, responsible: &[&str]) -> Result<Recorded> {
    store.record(NewEntry::CourseOpened(CourseInput {
        person: person.into(),
        responsible: responsible.iter().map(|s| s.to_string()).collect(),
        found_via: FoundVia::ShelterDropIn,
        attachment_treatment: Some(TreatmentAttachment::KnownNoContact),
        attachment_substitution: Some(SubstitutionAttachment::Earlier),
        attachment_services: None,
        occurred_at: None,
    }))
}

fn phase(store: &Store, person: &str, phase: CoursePhase) -> Result<Recorded> {
    store.record(NewEntry::CoursePhaseSet(CoursePhaseInput {
        person: person.into(),
        course: None,
        phase,
        occurred_at: None,
    }))
}

fn close(
    store: &Store,
    person: &str,
    reason: CloseReason,
    status: Option<TreatmentStatus>,
) -> Result<Recorded> {
    store.record(NewEntry::CourseClosed(CourseCloseInput {
        person: person.into(),
        course: None,
        reason,
        treatment_status: status,
        occurred_at: None,
    }))
}

fn courses(store: &Store, person: &str) -> Vec<CourseView> {
    store.person(person.into()).unwrap().courses
}

/// Runs `refused`, which must fail with an error naming `field` (or not allowed, for `None`),
/// and shows the store unchanged.
fn refused(store: &Store, field: Option<&str>, refused: impl FnOnce() -> Result<Recorded>) {
    let before = dump_projections(store);
    let entries = entry_count(store);
    let err = refused().unwrap_err();
    match (field, &err) {
        (Some(field), Error::InvalidInput { field: f, .. }) => assert_eq!(f, field, "{err}"),
        (None, Error::NotAllowed { .. }) => {}
        _ => panic!("unexpected error for {field:?}: {err:?}"),
    }
    assert_eq!(entry_count(store), entries);
    assert_eq!(dump_projections(store), before);
}

#[test]
fn a_course_goes_from_contact_through_treatment_to_closing_and_a_new_one_can_follow() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "c.db");
    let kim = person(&store, "Kim");
    refused(&store, None, || {
        phase(&store, &kim, CoursePhase::Motivation)
    });

    let opened = open(&store, &kim, &[]).unwrap();
    let course = &courses(&store, &kim)[0];
    assert_eq!(course.id, opened.id);
    assert_eq!(course.phase, CoursePhase::Contact);
    // The worker recording it is responsible when no one is named.
    assert_eq!(course.responsible, vec![store.identity().unwrap().worker]);
    assert_eq!(course.found_via, FoundVia::ShelterDropIn);
    assert_eq!(
        course.attachment_treatment,
        Some(TreatmentAttachment::KnownNoContact)
    );
    assert!(course.closed_at.is_none());

    // At most one open course.
    refused(&store, None, || open(&store, &kim, &[]));
    // A phase it is in already, and a treatment status for a course never bridged.
    refused(&store, Some("phase"), || {
        phase(&store, &kim, CoursePhase::Contact)
    });
    phase(&store, &kim, CoursePhase::Motivation).unwrap();
    phase(&store, &kim, CoursePhase::Bridging).unwrap();
    refused(&store, Some("treatment_status"), || {
        close(
            &store,
            &kim,
            CloseReason::Treatment,
            Some(TreatmentStatus::Continuing),
        )
    });
    phase(&store, &kim, CoursePhase::InTreatment).unwrap();
    assert_eq!(courses(&store, &kim)[0].phase, CoursePhase::InTreatment);
    close(
        &store,
        &kim,
        CloseReason::Treatment,
        Some(TreatmentStatus::Completed),
    )
    .unwrap();
    let closed = &courses(&store, &kim)[0];
    assert!(closed.bridged && closed.closed_at.is_some());
    assert_eq!(closed.close_reason, Some(CloseReason::Treatment));
    assert_eq!(closed.treatment_status, Some(TreatmentStatus::Completed));
    refused(&store, None, || {
        close(&store, &kim, CloseReason::Other, None)
    });

    // Reopened: a new course; the first stays in the history.
    let again = open(&store, &kim, &["Mette"]).unwrap();
    let both = courses(&store, &kim);
    assert_eq!(both.len(), 2);
    assert_eq!(both[1].id, again.id);
    assert_eq!(both[1].phase, CoursePhase::Contact);
    assert!(!both[1].bridged);
    let timeline = store.person(kim.clone()).unwrap().timeline;
    let kinds: Vec<EntryKind> = timeline.iter().map(|t| t.kind).collect();
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == EntryKind::CoursePhaseSet)
            .count(),
        3
    );
    assert!(kinds.contains(&EntryKind::CourseClosed));
}

#[test]
fn voiding_a_closing_made_by_mistake_opens_the_course_again() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "v.db");
    let kim = person(&store, "Kim");
    open(&store, &kim, &[]).unwrap();
    let closing = close(&store, &kim, CloseReason::LostContact, None).unwrap();
    refused(&store, None, || {
        phase(&store, &kim, CoursePhase::Motivation)
    });
    store
        .void_entry(closing.id, "closed the wrong citizen".into())
        .unwrap();
    let course = &courses(&store, &kim)[0];
    assert!(course.closed_at.is_none());
    phase(&store, &kim, CoursePhase::Motivation).unwrap();
}

#[test]
fn a_course_named_must_be_the_persons_own_and_open() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "n.db");
    let kim = person(&store, "Kim");
    let bo = person(&store, "Bo");
    let kims = open(&store, &kim, &[]).unwrap();
    open(&store, &bo, &[]).unwrap();
    refused(&store, Some("course"), || {
        store.record(NewEntry::CoursePhaseSet(CoursePhaseInput {
            person: bo.clone(),
            course: Some(kims.id.clone()),
            phase: CoursePhase::Motivation,
            occurred_at: None,
        }))
    });
    let err = store
        .record(NewEntry::CourseClosed(CourseCloseInput {
            person: bo.clone(),
            course: Some("0190a0a0-0000-7000-8000-000000000000".into()),
            reason: CloseReason::Moved,
            treatment_status: None,
            occurred_at: None,
        }))
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
}

#[test]
fn responsible_workers_are_one_or_a_pair_by_name() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "r.db");
    let kim = person(&store, "Kim");
    refused(&store, Some("responsible"), || {
        open(&store, &kim, &["Mette", "Jonas", "Lis"])
    });
    refused(&store, Some("responsible"), || {
        open(&store, &kim, &["Mette\u{202e}"])
    });
    // Named twice is once.
    open(&store, &kim, &["Mette", " Mette "]).unwrap();
    assert_eq!(
        courses(&store, &kim)[0].responsible,
        vec!["Mette".to_string()]
    );
}

#[test]
fn the_caseload_counts_open_courses_for_each_responsible_worker() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "k.db");
    // Mette carries 20 alone and 4 with Jonas; Jonas 4 and 1 alone; one closed course counts
    // for nobody, nor does a voided person's.
    for i in 0..20 {
        let p = person(&store, &format!("M{i}"));
        open(&store, &p, &["Mette"]).unwrap();
    }
    for i in 0..4 {
        let p = person(&store, &format!("P{i}"));
        open(&store, &p, &["Mette", "Jonas"]).unwrap();
    }
    let j = person(&store, "J");
    open(&store, &j, &["Jonas"]).unwrap();
    let closed = person(&store, "Closed");
    open(&store, &closed, &["Jonas"]).unwrap();
    close(&store, &closed, CloseReason::GoalReached, None).unwrap();
    let gone = person(&store, "Gone");
    open(&store, &gone, &["Jonas"]).unwrap();
    let noted = store
        .person(gone.clone())
        .unwrap()
        .timeline
        .into_iter()
        .find(|t| t.kind == EntryKind::PersonNoted)
        .unwrap()
        .id;
    store
        .void_entry(noted, "not a real citizen".into())
        .unwrap();

    let caseload = store.caseload().unwrap();
    let of = |w: &str| {
        caseload
            .workers
            .iter()
            .find(|c| c.worker == w)
            .map(|c| c.open_courses)
    };
    assert_eq!(of("Mette"), Some(24));
    assert_eq!(of("Jonas"), Some(5));
    assert_eq!(caseload.open_courses, 25);
    assert_eq!(caseload.guideline, 15);
    assert!(
        (caseload.average - 14.5).abs() < 1e-9,
        "{}",
        caseload.average
    );
    assert!(!caseload.over_guideline);
    for i in 0..2 {
        let p = person(&store, &format!("X{i}"));
        open(&store, &p, &["Mette"]).unwrap();
    }
    let caseload = store.caseload().unwrap();
    assert!((caseload.average - 15.5).abs() < 1e-9);
    assert!(caseload.over_guideline);
}

/// A citizen carried counts once for a worker, even with two open courses (two persons each with
/// a course, merged as one citizen).
#[test]
fn a_merged_citizen_with_two_open_courses_counts_once_in_the_caseload() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "m.db");
    let kim = person(&store, "Kim");
    let twin = person(&store, "Kim igen");
    open(&store, &kim, &["Mette"]).unwrap();
    open(&store, &twin, &["Mette"]).unwrap();
    store.merge_persons(kim.clone(), twin).unwrap();
    assert_eq!(courses(&store, &kim).len(), 2);
    let caseload = store.caseload().unwrap();
    assert_eq!(caseload.open_courses, 1);
    assert_eq!(caseload.workers[0].open_courses, 1);
}

/// From the review: voiding a closing made by mistake opens its course again, so it is refused
/// while the person has another open course; and nothing about a course may be dated before it
/// was opened.
#[test]
fn a_closing_is_not_voided_into_two_open_courses_and_nothing_predates_the_opening() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "v2.db");
    let kim = person(&store, "Kim");
    open(&store, &kim, &[]).unwrap();
    let closing = close(&store, &kim, CloseReason::LostContact, None).unwrap();
    open(&store, &kim, &[]).unwrap();
    let entries = entry_count(&store);
    let err = store
        .void_entry(closing.id, "closed by mistake".into())
        .unwrap_err();
    assert!(matches!(err, Error::NotAllowed { .. }), "{err:?}");
    assert_eq!(entry_count(&store), entries);
    refused(&store, Some("occurred_at"), || {
        store.record(NewEntry::CoursePhaseSet(CoursePhaseInput {
            person: kim.clone(),
            course: None,
            phase: CoursePhase::Motivation,
            occurred_at: Some("2001-01-01T00:00:00Z".into()),
        }))
    });
}

//! The team roster (issue 15) end to end: the centre knows each team's workers from enrolment
//! and from its operator, every pull carries the roster, and a phone that has it takes a
//! colleague, a responsible worker or an incident's worker only from it; entries made before
//! stay readable.

use gadeplan_core::{
    ContactInput, ContactKind, CourseInput, Error, FoundVia, NewEntry, Outcome, PlaceKind, Store,
    Subject,
};
use gadeplan_tests::*;

fn with_colleague(store: &Store, person: &str, colleague: &str) -> Result<String, Error> {
    store
        .record_contact(ContactInput {
            subject: Some(Subject::Person { id: person.into() }),
            place: "Enghave Plads".into(),
            place_kind: PlaceKind::Park,
            kind: ContactKind::Conversation,
            meeting: None,
            announced: None,
            safety_reason: None,
            outcome: Outcome::ContactMade,
            colleague: Some(colleague.into()),
            minutes: None,
            note: None,
            risk_check: None,
            occurred_at: None,
            place_id: None,
        })
        .map(|r| r.id)
}

fn refused_as_off_the_roster(result: Result<String, Error>, field: &str) {
    match result {
        Err(Error::InvalidInput { field: f, reason }) => {
            assert_eq!(f, field);
            assert!(reason.contains("roster"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_roster_comes_with_sync_and_names_are_chosen_from_it() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let jonas = h.phone(TEAM_A, "Jonas");
    h.phone(TEAM_B, "Aisha");
    let kim = person(&mette, "Kim");
    // Before the first pull the phone has no roster: names are taken as written.
    assert_eq!(mette.roster().unwrap(), None);
    let before = with_colleague(&mette, &kim, "Kurt").unwrap();
    mette.sync(h.transport()).unwrap();
    assert_eq!(
        mette.roster().unwrap(),
        Some(vec!["Jonas".to_string(), "Mette".to_string()]),
        "the team's enrolled workers, not the other team's"
    );
    with_colleague(&mette, &kim, "Jonas").unwrap();
    refused_as_off_the_roster(with_colleague(&mette, &kim, "Kurt"), "colleague");
    refused_as_off_the_roster(
        mette
            .record(NewEntry::CourseOpened(CourseInput {
                person: kim.clone(),
                responsible: vec!["Mette".into(), "Kurt".into()],
                found_via: FoundVia::OwnOutreach,
                attachment_treatment: None,
                attachment_substitution: None,
                attachment_services: None,
                occurred_at: None,
            }))
            .map(|r| r.id),
        "responsible",
    );
    // The contact made before the roster came is readable as it was, here and on Jonas's phone.
    assert!(
        mette
            .entry(before.clone())
            .unwrap()
            .payload
            .contains("Kurt")
    );
    jonas.sync(h.transport()).unwrap();
    assert!(jonas.entry(before).unwrap().payload.contains("Kurt"));

    // The operator adds Kurt: the next sync brings him; retires Jonas: the next sync takes him.
    assert!(h.operator.add_worker(TEAM_A, "Kurt").unwrap());
    assert!(
        !h.operator.add_worker(TEAM_A, "Kurt").unwrap(),
        "on it already"
    );
    h.operator.retire_worker(TEAM_A, "Jonas").unwrap();
    assert!(
        h.operator.retire_worker(TEAM_A, "Jonas").is_err(),
        "retired already"
    );
    refused_as_off_the_roster(with_colleague(&mette, &kim, "Kurt"), "colleague");
    mette.sync(h.transport()).unwrap();
    with_colleague(&mette, &kim, "Kurt").unwrap();
    refused_as_off_the_roster(with_colleague(&mette, &kim, "Jonas"), "colleague");
    let roster = h.operator.roster(TEAM_A).unwrap();
    let jonas_row = roster.iter().find(|r| r.worker == "Jonas").unwrap();
    assert!(jonas_row.retired_at.is_some());
    // Back on the roster, back in the phone's choices at its next sync.
    assert!(h.operator.add_worker(TEAM_A, "Jonas").unwrap());
    mette.sync(h.transport()).unwrap();
    with_colleague(&mette, &kim, "Jonas").unwrap();
    assert!(
        h.operator.add_worker("Nowhere", "Kurt").is_err(),
        "no such team"
    );
    assert!(
        h.operator.add_worker(TEAM_A, "Ku\u{200b}rt").is_err(),
        "the names' rules"
    );
}

#[test]
fn a_correction_names_workers_of_the_roster_and_leaves_old_names_alone() {
    use gadeplan_core::{ContactCorrection, Correction, CorrectionInput, CourseCorrection};
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    h.phone(TEAM_A, "Jonas");
    let kim = person(&mette, "Kim");
    // Before the roster: a colleague written as the worker said it.
    let before = with_colleague(&mette, &kim, "Kurt").unwrap();
    mette.sync(h.transport()).unwrap();
    let correct = |entry: &str, correction: Correction| {
        mette
            .correct(CorrectionInput {
                entry: entry.into(),
                correction,
                occurred_at: None,
                reason: Some("rettet".into()),
            })
            .map(|r| r.id)
    };
    // The minutes corrected: the old name stays as written.
    correct(
        &before,
        Correction::ContactLogged(ContactCorrection {
            minutes: Some(20),
            ..Default::default()
        }),
    )
    .unwrap();
    let colleague = |name: &str| {
        Correction::ContactLogged(ContactCorrection {
            colleague: Some(name.into()),
            ..Default::default()
        })
    };
    refused_as_off_the_roster(correct(&before, colleague("Ole")), "colleague");
    assert!(matches!(
        correct(&before, colleague("Mette")),
        Err(Error::InvalidInput { .. })
    ));
    correct(&before, colleague("Jonas")).unwrap();
    let course = mette
        .record(NewEntry::CourseOpened(CourseInput {
            person: kim.clone(),
            responsible: vec!["Mette".into()],
            found_via: FoundVia::OwnOutreach,
            attachment_treatment: None,
            attachment_substitution: None,
            attachment_services: None,
            occurred_at: None,
        }))
        .unwrap()
        .id;
    let responsible = |names: &[&str]| {
        Correction::CourseOpened(CourseCorrection {
            responsible: Some(names.iter().map(|n| n.to_string()).collect()),
            ..Default::default()
        })
    };
    refused_as_off_the_roster(
        correct(&course, responsible(&["Mette", "Ole"])),
        "responsible",
    );
    correct(&course, responsible(&["Mette", "Jonas"])).unwrap();
}

//! Phones hold what the work needs (issue 17): the centre releases citizens its rule no longer
//! keeps, the phones remove their entries once the centre has all of them (physically: the
//! files are searched), count markers in their digests so nothing is sent or fetched again, say
//! how many are held at the centre, find one online, and fetch a citizen's history back when
//! they come back. Here the rule keeps nothing but open courses (`KeepRule { 0, 0 }`), so that
//! a citizen without one is released at once.

use gadeplan_centre::policy::{EnrolLimits, Policy};
use gadeplan_centre::server::Settings;
use gadeplan_core::kinds::keep::KeepRule;
use gadeplan_core::{CloseReason, CourseCloseInput, CourseInput, FoundVia, NewEntry, Store};
use gadeplan_tests::plaintext::{self, contains};
use gadeplan_tests::*;

fn keeping_only_open_courses() -> Harness {
    Harness::with(Settings {
        policy: Policy {
            keep: KeepRule {
                closed_days: 0,
                unmet_months: 0,
            },
            ..Policy::default()
        },
        enrol: EnrolLimits {
            per_source_per_minute: u32::MAX,
            total_per_minute: u32::MAX,
        },
        ..Settings::default()
    })
}

fn open_course(store: &Store, person: &str) {
    store
        .record(NewEntry::CourseOpened(CourseInput {
            person: person.into(),
            responsible: vec!["Mette".into()],
            found_via: FoundVia::OwnOutreach,
            attachment_treatment: None,
            attachment_substitution: None,
            attachment_services: None,
            occurred_at: None,
        }))
        .unwrap();
}

fn files(h: &Harness, worker: &str) -> Vec<u8> {
    plaintext::store_and_log(std::path::Path::new(&h.store_path(worker)), &key_of(worker))
}

#[test]
fn a_closed_course_leaves_the_phones_and_comes_back_with_the_citizen() {
    let h = keeping_only_open_courses();
    let mette = h.phone(TEAM_A, "Mette");
    let jonas = h.phone(TEAM_A, "Jonas");
    let secret = format!(
        "Fortalte-om-sønnen-{}",
        &gadeplan_core::journal::new_id()[24..]
    );
    let kim = person(&mette, "Kasket-Kim");
    contact_noting(&mette, &kim, &secret);
    open_course(&mette, &kim);
    mette
        .record(NewEntry::CourseClosed(CourseCloseInput {
            person: kim.clone(),
            course: None,
            reason: CloseReason::LostContact,
            treatment_status: None,
            occurred_at: None,
        }))
        .unwrap();
    // Bo has an open course: he stays.
    let bo = person(&mette, "Bette Bo");
    open_course(&mette, &bo);
    // Mette's first sync pushes everything; Kim is released and leaves her phone at once
    // (all of it is at the centre now); Jonas's first sync pulls him and lets him go too.
    for phone in [&mette, &jonas] {
        let report = phone.sync(h.transport()).unwrap();
        assert!(report.in_step, "{report:?}");
    }
    assert!(
        contains(&files(&h, "Mette"), "Bette Bo"),
        "the search can find text"
    );
    for (worker, phone) in [("Mette", &mette), ("Jonas", &jonas)] {
        assert!(phone.person(kim.clone()).is_err(), "{worker}");
        assert!(phone.person(bo.clone()).is_ok(), "{worker}");
        let status = phone.sync_status().unwrap();
        assert_eq!((status.at_centre, status.pending), (1, 0), "{worker}");
        assert!(
            gadeplan_core::sync::sync_notices(status)
                .iter()
                .any(|n| n.code == "at-centre"),
            "{worker}"
        );
        assert_eq!(
            phone.digest().unwrap(),
            h.operator.team_digest(TEAM_A).unwrap()
        );
        let bytes = files(&h, worker);
        assert!(
            !contains(&bytes, &secret),
            "{worker}'s files still hold Kim's note"
        );
        assert!(
            !contains(&bytes, "Kasket-Kim"),
            "{worker}'s files still hold Kim's name"
        );
        // Nothing is sent or fetched again because of it.
        let again = phone.sync(h.transport()).unwrap();
        assert_eq!(
            (again.pushed, again.pulled, again.in_step),
            (0, 0, true),
            "{worker}"
        );
    }
    // A new phone pulls everything, then lets Kim go at the end of its first sync.
    let lis = h.phone(TEAM_A, "Lis");
    assert!(lis.sync(h.transport()).unwrap().in_step);
    assert!(lis.person(kim.clone()).is_err());
    assert_eq!(lis.sync_status().unwrap().at_centre, 1);

    // Mette meets Kim again: she finds him online and fetches his history.
    let found = mette.search_centre(h.transport(), "kasket".into()).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].citizen.as_str(), found[0].alias.as_str()),
        (kim.as_str(), "Kasket-Kim")
    );
    assert!(
        mette
            .search_centre(h.transport(), "Bette".into())
            .unwrap()
            .is_empty(),
        "Bo is on the phones"
    );
    let fetched = mette.fetch_history(h.transport(), kim.clone()).unwrap();
    assert_eq!(fetched, 4, "noted, a contact, a course opened and closed");
    let detail = mette.person(kim.clone()).unwrap();
    assert_eq!(detail.timeline.len(), 4, "{:#?}", detail.timeline);
    assert_eq!(mette.sync_status().unwrap().at_centre, 0);
    // A course opened again keeps him on the phones; Jonas's, which had let him go, fetches
    // him back whole at its next sync (the new course arrives first and waits with the rest).
    open_course(&mette, &kim);
    assert!(mette.sync(h.transport()).unwrap().in_step);
    let report = jonas.sync(h.transport()).unwrap();
    assert!(report.in_step, "{report:?}");
    let back = jonas.person(kim.clone()).unwrap();
    assert_eq!(back.timeline.len(), 5, "{:#?}", back.timeline);
    assert_eq!(jonas.sync_status().unwrap().at_centre, 0);
    assert!(contains(&files(&h, "Jonas"), &secret));
    assert_eq!(dump(&jonas), dump(&mette), "Jonas projects what Mette does");
    assert_eq!(
        jonas.digest().unwrap(),
        h.operator.team_digest(TEAM_A).unwrap()
    );

    // The history of a citizen of another team, or of none, is not found.
    let aisha = h.phone(TEAM_B, "Aisha");
    let refused = aisha.fetch_history(h.transport(), kim.clone()).unwrap_err();
    assert!(
        matches!(refused, gadeplan_core::Error::CentreRefused { ref code, .. } if code == "not-found"),
        "{refused:?}"
    );
    assert!(
        aisha
            .search_centre(h.transport(), "Kasket".into())
            .unwrap()
            .is_empty()
    );
}

//! The team at a glance (issue 16) against a team whose records are known: the caseload now
//! and at the end of last month (a course closed since still counted then), who waits for
//! treatment with the days left, who has not been talked with in 14 days, the probable duplicates
//! noted lately, conflicting details, and nothing of another team.

use chrono::{Datelike, Duration, NaiveDate, Utc};
use gadeplan_core::{
    CloseReason, CourseCloseInput, CourseInput, FoundVia, GuaranteeState, NewEntry, PersonUpdate,
    TreatmentRequestInput,
};
use gadeplan_tests::*;

fn course(store: &gadeplan_core::Store, person: &str, days_ago: i64) {
    store
        .record(NewEntry::CourseOpened(CourseInput {
            person: person.into(),
            responsible: vec!["Mette".into(), "Jonas".into()],
            found_via: FoundVia::OwnOutreach,
            attachment_treatment: None,
            attachment_substitution: None,
            attachment_services: None,
            occurred_at: Some((Utc::now() - Duration::days(days_ago)).to_rfc3339()),
        }))
        .unwrap();
}

#[test]
fn the_overview_shows_the_teams_open_work() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let jonas = h.phone(TEAM_A, "Jonas");
    let aisha = h.phone(TEAM_B, "Aisha");

    // Waiting: a wish three days ago, so eleven days left.
    let sofie = person(&mette, "Sofie");
    course(&mette, &sofie, 45);
    mette
        .record(NewEntry::TreatmentRequested(TreatmentRequestInput {
            person: sofie.clone(),
            course: None,
            occurred_at: Some((Utc::now() - Duration::days(3)).to_rfc3339()),
        }))
        .unwrap();
    // Closed this month after being open at the end of last month (opened 80 days ago): counted
    // in last month's caseload, not in this one's.
    let closed = person(&mette, "Gamle Grete");
    course(&mette, &closed, 80);
    // After last month's end in the team's calendar, before now.
    let copenhagen = chrono_tz::Europe::Copenhagen;
    let today = Utc::now().with_timezone(&copenhagen).date_naive();
    let first_of_month = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap();
    let closed_on = first_of_month
        .and_hms_opt(1, 0, 0)
        .unwrap()
        .and_local_timezone(copenhagen)
        .earliest()
        .unwrap()
        .with_timezone(&Utc)
        .min(Utc::now() - Duration::minutes(1));
    mette
        .record(NewEntry::CourseClosed(CourseCloseInput {
            person: closed.clone(),
            course: None,
            reason: CloseReason::LostContact,
            treatment_status: None,
            occurred_at: Some(closed_on.to_rfc3339()),
        }))
        .unwrap();
    // Two notings of one man by the two workers: a probable duplicate, noted lately.
    person(&mette, "Kaffe-Karl");
    person(&jonas, "Kaffe Karl");
    // Another team's citizen with an open course and a duplicate of Sofie's name.
    let other = person(&aisha, "Sofie");
    aisha
        .record(NewEntry::CourseOpened(CourseInput {
            person: other.clone(),
            responsible: vec!["Aisha".into()],
            found_via: FoundVia::OwnOutreach,
            attachment_treatment: None,
            attachment_substitution: None,
            attachment_services: None,
            occurred_at: None,
        }))
        .unwrap();
    for phone in [&mette, &jonas, &aisha] {
        phone.sync(h.transport()).unwrap();
    }
    // Both change Sofie's description without seeing each other: a conflict to settle.
    for (phone, text) in [(&mette, "rød jakke"), (&jonas, "blå jakke")] {
        phone
            .update_person(PersonUpdate {
                person: sofie.clone(),
                description: Some(text.into()),
                ..Default::default()
            })
            .unwrap();
    }
    for phone in [&mette, &jonas, &mette] {
        phone.sync(h.transport()).unwrap();
    }

    let o = h.operator.overview(TEAM_A, Utc::now()).unwrap();
    // Sofie's course is open, carried by both; Grete's was closed.
    let carried: Vec<(&str, u32)> = o
        .caseload
        .workers
        .iter()
        .map(|w| (w.worker.as_str(), w.open_courses))
        .collect();
    assert_eq!(carried, [("Jonas", 1), ("Mette", 1)]);
    assert_eq!(o.trend.len(), 6);
    assert_eq!(o.trend[5].1, 1.0, "this month: Sofie's course");
    assert_eq!(o.trend[4].1, 2.0, "last month's end: Grete's course too");
    assert_eq!(o.trend[0].1, 0.0, "five months ago: none");
    // Waiting, with the days left of the guarantee.
    assert_eq!(o.waiting.len(), 1);
    let (who, guarantee) = &o.waiting[0];
    assert_eq!(who.id, sofie);
    assert_eq!(guarantee.state, GuaranteeState::Waiting);
    assert!(
        matches!(guarantee.days_left, Some(10..=11)),
        "{guarantee:?}"
    );
    // Not talked with in 14 days: Sofie (no conversation recorded).
    assert_eq!(
        o.quiet
            .iter()
            .map(|q| q.person.as_str())
            .collect::<Vec<_>>(),
        [sofie.as_str()]
    );
    assert_eq!(
        o.conflicts
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>(),
        [sofie.as_str()]
    );
    // One pair, whichever of the two was noted first (two phones in the same millisecond).
    let pairs: Vec<[&str; 2]> = o
        .duplicates
        .iter()
        .map(|(a, b)| {
            let mut pair = [a.alias.as_str(), b.alias.as_str()];
            pair.sort();
            pair
        })
        .collect();
    assert_eq!(pairs, [["Kaffe Karl", "Kaffe-Karl"]]);
    // Nothing of the other team: its Sofie is not a duplicate of ours, nor waiting, nor quiet.
    assert!(o.quiet.iter().all(|q| q.person != other));
    assert!(!o.enrolled.contains(&"Aisha".to_string()));
}

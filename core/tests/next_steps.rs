//! The worker's next steps (issue 18): one list, most urgent first, made by the core's rules.

mod common;

use chrono::{Duration, Utc};
use common::*;
use gadeplan_core::next_steps::NextStep;
use gadeplan_core::*;
use tempfile::TempDir;

fn ago(days: i64) -> Option<String> {
    Some((Utc::now() - Duration::days(days)).to_rfc3339())
}

#[test]
fn check_ins_then_guarantees_then_questionnaires_then_citizens_not_talked_with() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "n.db");
    let kim = person(&store, "Kim");
    let bo = person(&store, "Bo");
    for (who, days) in [(&kim, 40), (&bo, 30)] {
        store
            .record(NewEntry::CourseOpened(CourseInput {
                person: who.clone(),
                responsible: vec![],
                found_via: FoundVia::OwnOutreach,
                attachment_treatment: None,
                attachment_substitution: None,
                attachment_services: None,
                occurred_at: ago(days),
            }))
            .unwrap();
    }
    // Kim wished for treatment ten days ago: four days left of the guarantee.
    store
        .record(NewEntry::TreatmentRequested(TreatmentRequestInput {
            person: kim.clone(),
            course: None,
            occurred_at: ago(10),
        }))
        .unwrap();
    assert!(
        store
            .next_steps()
            .unwrap()
            .iter()
            .all(|s| !matches!(s, NextStep::Checkin { .. }))
    );
    // A home visit alone, due in five minutes: an alert of one's own.
    store
        .record(NewEntry::CheckinStarted(CheckinInput {
            place: "Istedgade 12".into(),
            watcher: "Jonas".into(),
            minutes: 5,
            reason: CheckinReason::SoloHomeVisit,
            person: None,
            high_risk: false,
            occurred_at: None,
        }))
        .unwrap();
    let steps = store.next_steps().unwrap();
    let rank = |s: &NextStep| match s {
        NextStep::Checkin { .. } => 0,
        NextStep::Guarantee { .. } => 1,
        NextStep::Questionnaire { .. } => 2,
        NextStep::TalkWith { .. } => 3,
    };
    let ranks: Vec<u8> = steps.iter().map(rank).collect();
    assert!(
        ranks.windows(2).all(|w| w[0] <= w[1]),
        "most urgent first: {steps:#?}"
    );
    assert_eq!(ranks[0], 0, "{steps:#?}");
    assert!(steps.iter().any(|s| matches!(s,
        NextStep::Guarantee { person, guarantee, .. } if *person == kim && guarantee.days_left == Some(4))),
        "{steps:#?}");
    // Neither was talked with since their course opened a month ago and more.
    let quiet: Vec<&str> = steps
        .iter()
        .filter_map(|s| match s {
            NextStep::TalkWith { alias, .. } => Some(alias.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(quiet.len(), 2, "{steps:#?}");
}

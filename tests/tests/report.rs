//! The centre's report against a team whose week is known: every figure checked.

use chrono::{Duration, Utc};
use gadeplan_core::{
    BrosetItem, BurdenArea, ContactInput, ContactKind, CourseInput, CoursePhase, CoursePhaseInput,
    Criterion, Decision, FoundVia, IncidentInput, IncidentKind, NewEntry, Outcome, PlaceKind,
    Questionnaire, QuestionnaireInput, RiskCheckInput, ScreeningInput, Subject,
};
use gadeplan_tests::*;

fn met(store: &gadeplan_core::Store, person: &str, days_ago: i64, outcome: Outcome) {
    store
        .record_contact(ContactInput {
            subject: Some(Subject::Person { id: person.into() }),
            place: "Park".into(),
            place_kind: PlaceKind::Park,
            kind: ContactKind::BriefContact,
            meeting: None,
            announced: None,
            safety_reason: None,
            outcome,
            colleague: None,
            minutes: None,
            note: None,
            risk_check: None,
            occurred_at: Some((Utc::now() - Duration::days(days_ago)).to_rfc3339()),
            place_id: None,
        })
        .unwrap();
}

#[test]
fn the_report_counts_what_the_team_did() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let jonas = h.phone(TEAM_A, "Jonas");
    h.phone(TEAM_A, "Lis"); // enrolled, recorded nothing: still listed, with zeros
    // Mette meets 16 citizens this week and opens a course for each with Jonas: the pair's
    // courses count for both.
    let mut persons = Vec::new();
    for i in 0..16 {
        let p = person(&mette, &format!("Citizen {i}"));
        met(&mette, &p, 2, Outcome::ContactMade);
        mette
            .record(NewEntry::CourseOpened(CourseInput {
                person: p.clone(),
                responsible: vec!["Mette".into(), "Jonas".into()],
                found_via: FoundVia::OwnOutreach,
                attachment_treatment: None,
                attachment_substitution: None,
                attachment_services: None,
                occurred_at: None,
            }))
            .unwrap();
        persons.push(p);
    }
    // Jonas: one talked with 20 days ago (ad hoc: none in 14 days), one only searched for, one
    // who declines every week (seen, never talked with), each with an open course; and one
    // with no course, not talked with either: not on the follow-up list.
    let old = person(&jonas, "Old acquaintance");
    met(&jonas, &old, 20, Outcome::ContactMade);
    let searched = person(&jonas, "Searched for");
    met(&jonas, &searched, 1, Outcome::NotFound);
    let declines = person(&jonas, "Declines weekly");
    for days in [2, 9, 16] {
        met(&jonas, &declines, days, Outcome::Declined);
    }
    let no_course = person(&jonas, "No course");
    met(&jonas, &no_course, 25, Outcome::ContactMade);
    for p in [&old, &searched, &declines] {
        jonas
            .record(NewEntry::CourseOpened(CourseInput {
                person: p.clone(),
                responsible: vec![],
                found_via: FoundVia::OwnOutreach,
                attachment_treatment: None,
                attachment_substitution: None,
                attachment_services: None,
                occurred_at: Some((Utc::now() - Duration::days(30)).to_rfc3339()),
            }))
            .unwrap();
    }
    // The old acquaintance's motivation, at the start and the end of motivation work.
    for (phase, answers) in [
        (CoursePhase::Motivation, [3, 4, 4, 2, 4, 4]),
        (CoursePhase::Bridging, [4, 4, 3, 3, 4, 2]),
    ] {
        jonas
            .record(NewEntry::CoursePhaseSet(CoursePhaseInput {
                person: old.clone(),
                course: None,
                phase,
                occurred_at: None,
            }))
            .unwrap();
        jonas
            .record(NewEntry::QuestionnaireRecorded(QuestionnaireInput {
                person: old.clone(),
                course: None,
                instrument: Questionnaire::Motivation,
                occasion: None,
                answers: answers.iter().map(|a| Some(*a)).collect(),
                not_possible: None,
                occurred_at: None,
            }))
            .unwrap();
    }
    // Screenings: in, outside, undecided; risk checks in each band.
    let all = Criterion::ALL.to_vec();
    let three = vec![
        BurdenArea::Crime,
        BurdenArea::Economy,
        BurdenArea::MentalHealth,
    ];
    for (p, decision, criteria, reason, to) in [
        (&persons[0], Decision::In, all.clone(), None, None),
        (&persons[1], Decision::Outside, vec![], None, Some("GP")),
        (
            &persons[2],
            Decision::Undecided,
            vec![],
            Some("first meeting"),
            None,
        ),
    ] {
        mette
            .record_screening(ScreeningInput {
                person: p.clone(),
                criteria_not_met: Criterion::ALL
                    .iter()
                    .copied()
                    .filter(|c| !criteria.contains(c))
                    .collect(),
                criteria,
                high_burden: three.clone(),
                burden_not_high: vec![],
                decision,
                reason: reason.map(Into::into),
                referral_kind: None,
                referred_to: to.map(Into::into),
                occurred_at: None,
            })
            .unwrap();
    }
    for (observed, plan) in [
        (vec![], None),
        (vec![BrosetItem::Confusion], None),
        (vec![BrosetItem::Confusion, BrosetItem::Irritability], None),
        (
            vec![
                BrosetItem::Confusion,
                BrosetItem::Irritability,
                BrosetItem::VerbalThreats,
            ],
            Some("keep distance"),
        ),
    ] {
        mette
            .record_risk_check(RiskCheckInput {
                subject: Subject::Person {
                    id: persons[3].clone(),
                },
                observed,
                plan: plan.map(Into::into),
                occurred_at: None,
            })
            .unwrap();
    }
    // A threat at a contact Jonas broke off for safety; an old incident, police called.
    met(&jonas, &declines, 0, Outcome::LeftForSafety);
    for (kind, days, police) in [
        (IncidentKind::Threat, 0, false),
        (IncidentKind::ViolenceAgainstObjects, 40, true),
    ] {
        jonas
            .record(NewEntry::IncidentRecorded(IncidentInput {
                subject: Some(Subject::Person {
                    id: declines.clone(),
                }),
                kind,
                workers: vec!["Mette".into()],
                police_called: police,
                centre_called: false,
                place: None,
                note: None,
                contact: None,
                occurred_at: Some((Utc::now() - Duration::days(days)).to_rfc3339()),
            }))
            .unwrap();
    }
    mette.sync(h.transport()).unwrap();
    jonas.sync(h.transport()).unwrap();

    let r = h.operator.report(TEAM_A, Utc::now()).unwrap();
    assert_eq!(
        (
            r.incidents.last_30_days,
            r.incidents.total,
            r.incidents.police_called
        ),
        (1, 2, 1)
    );
    assert_eq!(r.incidents.by_kind.get("threat"), Some(&1));
    assert!(
        r.to_table()
            .contains("Safety incidents: 1 in 30 days, 2 in all (police called 1)")
    );
    assert_eq!(r.citizens_found, 20);
    assert_eq!(
        (
            r.screening.in_target_group,
            r.screening.outside_referred,
            r.screening.undecided,
            r.screening.not_screened
        ),
        (1, 1, 1, 17)
    );
    assert_eq!(
        (
            r.risk_checks.low,
            r.risk_checks.moderate,
            r.risk_checks.high
        ),
        (1, 2, 1)
    );
    let by = |w: &str| r.workers.iter().find(|x| x.worker == w).unwrap().clone();
    let m = by("Mette");
    assert_eq!(
        (
            m.contacts_7_days,
            m.contacts_30_days,
            m.caseload,
            m.met_30_days
        ),
        (16, 16, 16, 16)
    );
    let j = by("Jonas");
    assert_eq!(
        (
            j.contacts_7_days,
            j.contacts_30_days,
            j.caseload,
            j.met_30_days
        ),
        (3, 7, 19, 3)
    );
    // The caseload as the phones count it: 35 carried by two workers, over the guideline of
    // 15 on average (Lis carries none).
    assert_eq!(
        (r.caseload_average, r.caseload_over_guideline),
        (17.5, true)
    );
    let l = by("Lis");
    assert_eq!((l.contacts_7_days, l.caseload), (0, 0));
    let quiet: Vec<&str> = r
        .not_talked_with_14_days
        .iter()
        .map(|q| q.alias.as_str())
        .collect();
    assert_eq!(
        quiet,
        ["Declines weekly", "Searched for", "Old acquaintance"],
        "never talked with first (by alias), then longest ago; no course, not listed"
    );
    assert!(
        r.not_talked_with_14_days[0].last_seen_at.is_some(),
        "declined is seen"
    );
    assert!(
        r.not_talked_with_14_days[1].last_seen_at.is_none(),
        "not found is not"
    );
    let motivation = &r.questionnaires[0];
    assert_eq!((motivation.baselines, motivation.follow_ups), (1, 1));
    let hope = &motivation.items[0];
    assert_eq!((hope.pairs, hope.mean_change), (1, Some(1.0)));
    assert_eq!(motivation.items[5].mean_change, Some(-2.0));
    assert!(r.to_table().contains("hope"));
    // The export: a header and the two motivation questionnaires, by id, never by alias.
    let csv = h.operator.questionnaire_csv(TEAM_A).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[0].starts_with(
        "person,course,instrument,instrument_version,occasion,occurred_at,author,item_1"
    ));
    assert!(lines[0].ends_with("item_6,not_possible"));
    let base: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(base[0], old);
    assert_eq!(&base[2..5], ["motivation", "1", "baseline"]);
    assert_eq!(&base[7..14], ["3", "4", "4", "2", "4", "4", ""]);
    assert!(lines[2].contains(",follow-up,"));
    assert!(!csv.contains("Old acquaintance"));
    assert_eq!(
        h.operator
            .questionnaire_csv(TEAM_B)
            .unwrap()
            .lines()
            .count(),
        1
    );
    assert_eq!(
        h.operator
            .report(TEAM_B, Utc::now())
            .unwrap()
            .citizens_found,
        0
    );
    assert!(r.to_table().contains("OVER"));
}

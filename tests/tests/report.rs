//! The centre's report against a team whose week is known: every figure checked.

use chrono::{Duration, Utc};
use gadeplan_core::{
    BrosetItem, BurdenArea, ContactInput, ContactKind, Criterion, Decision, Outcome, PlaceKind,
    RiskCheckInput, ScreeningInput, Subject,
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
            outcome,
            colleague: None,
            minutes: None,
            note: None,
            risk_check: None,
            occurred_at: Some((Utc::now() - Duration::days(days_ago)).to_rfc3339()),
        })
        .unwrap();
}

#[test]
fn the_report_counts_what_the_team_did() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let jonas = h.phone(TEAM_A, "Jonas");
    h.phone(TEAM_A, "Lis"); // enrolled, recorded nothing: still listed, with zeros
    // Mette meets 16 citizens this week: over the caseload guideline of 15.
    let mut persons = Vec::new();
    for i in 0..16 {
        let p = person(&mette, &format!("Citizen {i}"));
        met(&mette, &p, 2, Outcome::ContactMade);
        persons.push(p);
    }
    // Jonas: one met 20 days ago (ad hoc: not met in 14 days), one only searched for.
    let old = person(&jonas, "Old acquaintance");
    met(&jonas, &old, 20, Outcome::ContactMade);
    let searched = person(&jonas, "Searched for");
    met(&jonas, &searched, 1, Outcome::NotFound);
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
    mette.sync(h.transport()).unwrap();
    jonas.sync(h.transport()).unwrap();

    let r = h.operator.report(TEAM_A, Utc::now()).unwrap();
    assert_eq!(r.citizens_found, 18);
    assert_eq!(
        (
            r.screening.in_target_group,
            r.screening.outside_referred,
            r.screening.undecided,
            r.screening.not_screened
        ),
        (1, 1, 1, 15)
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
            m.over_limit
        ),
        (16, 16, 16, true)
    );
    let j = by("Jonas");
    assert_eq!(
        (
            j.contacts_7_days,
            j.contacts_30_days,
            j.caseload,
            j.over_limit
        ),
        (1, 2, 1, false)
    );
    let l = by("Lis");
    assert_eq!((l.contacts_7_days, l.caseload), (0, 0));
    let quiet: Vec<&str> = r
        .no_contact_14_days
        .iter()
        .map(|q| q.alias.as_str())
        .collect();
    assert_eq!(
        quiet,
        ["Searched for", "Old acquaintance"],
        "never met first, then longest ago"
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

//! The citizen's access (issue 17): everything recorded about one citizen as a document in
//! Danish, every field named, the seeds' words for every code, corrections, voids and erasures
//! marked, and the read in the audit log.

use gadeplan_centre::access_report::unnamed_fields;
use gadeplan_centre::erasure::Target;
use gadeplan_core::{BrosetItem, RiskCheckInput, Subject};
use gadeplan_tests::work::{Dice, act};
use gadeplan_tests::*;

#[test]
fn a_citizens_record_is_handed_over_in_danish_with_every_field_named() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let jonas = h.phone(TEAM_A, "Jonas");
    // A season of work: every kind a phone makes, about a dozen citizens.
    let mut dice = Dice(17);
    let mut own: [Vec<String>; 2] = [Vec::new(), Vec::new()];
    for round in 0..400 {
        let (phone, own) = if round % 2 == 0 {
            (&mette, &mut own[0])
        } else {
            (&jonas, &mut own[1])
        };
        let made = act(phone, own, &mut dice, round, true);
        own.extend(made);
        if round % 50 == 0 {
            for phone in [&mette, &jonas] {
                phone.sync(h.transport()).unwrap();
            }
        }
    }
    // A Brøset check with its items: the seeds' words must appear, not the codes.
    let kim = person(&mette, "Kasket-Kim");
    mette
        .record_risk_check(RiskCheckInput {
            subject: Subject::Person { id: kim.clone() },
            observed: vec![BrosetItem::Confusion, BrosetItem::VerbalThreats],
            plan: Some("gå to".into()),
            occurred_at: None,
        })
        .unwrap();
    let note = contact(&mette, &kim);
    mette.void_entry(note, "forkert borger".into()).unwrap();
    let erased = contact(&mette, &kim);
    for phone in [&mette, &jonas] {
        phone.sync(h.transport()).unwrap();
    }
    h.operator
        .erase(&Target::Entry(erased), "GDPR art. 17", "operator:test")
        .unwrap();

    let kims = h.operator.access_report(&kim, "operator:drift").unwrap();
    assert!(kims.starts_with("# Indsigt"), "{kims}");
    assert!(
        kims.contains("Udskrevet ") && kims.contains(" af drift "),
        "{kims}"
    );
    assert!(kims.contains("- Kaldenavn: Kasket-Kim"), "{kims}");
    assert!(kims.contains("Risikovurdering (Brøset)"), "{kims}");
    assert!(kims.contains(&BrosetItem::Confusion.label().da), "{kims}");
    assert!(
        kims.contains(&BrosetItem::VerbalThreats.label().da),
        "{kims}"
    );
    assert!(
        !kims.contains("verbal-threats"),
        "codes are given in words: {kims}"
    );
    assert!(
        kims.contains("**Annulleret** (registreret ved en fejl): forkert borger"),
        "{kims}"
    );
    assert!(kims.contains("## Slettet (1)"), "{kims}");
    assert!(kims.contains("Kontakt, registreret "), "{kims}");
    assert!(kims.contains("Begrundelse: GDPR art. 17"), "{kims}");
    assert_eq!(unnamed_fields(&kims), Vec::<String>::new());

    // Every citizen of the season: every field named in Danish.
    for p in mette.list_persons(None, 0).unwrap() {
        let document = h.operator.access_report(&p.id, "operator:drift").unwrap();
        assert_eq!(
            unnamed_fields(&document),
            Vec::<String>::new(),
            "{document}"
        );
        assert!(!document.contains("\"da\""), "{document}");
    }

    // The read is in the audit log; an unknown citizen is not found and logs nothing.
    let log = h.operator.audit(0, 10_000).unwrap();
    assert!(
        log.iter()
            .any(|r| r.action == "access-report" && r.subject.as_deref() == Some(kim.as_str()))
    );
    let before = log.len();
    let unknown = h
        .operator
        .access_report("01890000-0000-7000-8000-000000000009", "operator:drift")
        .unwrap_err();
    assert_eq!(unknown.status, 404);
    assert_eq!(h.operator.audit(0, 10_000).unwrap().len(), before);
}

#[test]
fn a_citizen_erased_whole_gets_a_document_saying_when_and_why() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let bo = person(&mette, "Bette Bo");
    contact(&mette, &bo);
    mette.sync(h.transport()).unwrap();
    h.operator
        .erase(&Target::Citizen(bo.clone()), "Slettefrist", "operator:test")
        .unwrap();
    let document = h.operator.access_report(&bo, "operator:drift").unwrap();
    assert!(
        document.contains("Alt registreret om borgeren blev slettet"),
        "{document}"
    );
    assert!(
        document.contains("2 registreringer. Begrundelse: Slettefrist"),
        "{document}"
    );
    assert!(!document.contains("Bette Bo"), "{document}");
}

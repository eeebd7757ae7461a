//! Phones and a centre over loopback HTTP: exchange, repeats, faults, conflicts, merges, team
//! scope, enrolment and revocation. Each test has its own centre and data directory.

use std::collections::BTreeSet;
use std::sync::Arc;

use gadeplan::faults::{FaultRates, FaultyTransport};
use gadeplan::transport::HttpTransport;
use gadeplan_core::{Error, PersonUpdate, RiskCheckInput, Subject, SyncState};
use gadeplan_tests::*;

#[test]
fn two_phones_exchange_through_the_centre_and_repeats_are_quiet() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let jonas = h.phone(TEAM_A, "Jonas");
    let kim = person(&mette, "Kim");
    contact(&mette, &kim);
    assert_eq!(mette.sync_status().unwrap().pending, 2);
    let first = mette.sync(h.transport()).unwrap();
    assert_eq!((first.pushed, first.pulled, first.in_step), (2, 0, true));
    let pulled = jonas.sync(h.transport()).unwrap();
    assert_eq!(pulled.pulled, 2);
    assert_eq!(jonas.list_persons(None, 0).unwrap()[0].alias, "Kim");
    assert!(
        mette
            .log(Default::default())
            .unwrap()
            .iter()
            .all(|e| e.sync_state == SyncState::Synced)
    );
    // Nothing new: a second round moves nothing and everyone agrees.
    for phone in [&mette, &jonas] {
        let again = phone.sync(h.transport()).unwrap();
        assert_eq!((again.pushed, again.pulled, again.in_step), (0, 0, true));
    }
    assert_eq!(mette.digest().unwrap(), jonas.digest().unwrap());
    assert_eq!(h.centre_ids(TEAM_A), local_ids(&jonas));
    assert_eq!(
        dump(&mette),
        dump(&jonas),
        "both phones project the same tables"
    );
}

#[test]
fn nothing_lost_or_doubled_through_a_faulty_connection() {
    let h = Harness::new();
    let rates = FaultRates {
        drop_request: 20,
        drop_response: 20,
        repeat_request: 20,
        truncate_request: 10,
        truncate_response: 10,
        replay_late: 10,
        delay: 10,
    };
    let phones: Vec<_> = ["Mette", "Jonas", "Lis"]
        .iter()
        .enumerate()
        .map(|(i, w)| {
            (
                h.phone(TEAM_A, w),
                Arc::new(FaultyTransport::new(
                    HttpTransport::new(&h.url()),
                    rates,
                    11 + i as u64,
                )),
            )
        })
        .collect();
    let mut recorded = BTreeSet::new();
    for round in 0..40 {
        for (i, (store, link)) in phones.iter().enumerate() {
            if round % 3 == i % 3 {
                let p = person(store, &format!("P{round}-{i}"));
                recorded.insert(store.person(p.clone()).unwrap().timeline[0].id.clone());
                recorded.insert(contact(store, &p));
            }
            let _ = store.sync(link.clone()); // failures are retried next round
        }
    }
    // Sync until every phone has got through once more with nothing left to move.
    for (store, link) in &phones {
        link.set_rates(FaultRates::NONE);
        let report = store.sync(link.clone()).unwrap();
        assert!(report.in_step);
    }
    for (store, _) in &phones {
        store.sync(h.transport()).unwrap();
    }
    let centre: BTreeSet<String> = h.centre_ids(TEAM_A).into_iter().collect();
    assert_eq!(
        centre, recorded,
        "the centre holds exactly what was recorded"
    );
    for (store, link) in &phones {
        assert_eq!(
            local_ids(store).into_iter().collect::<BTreeSet<_>>(),
            recorded
        );
        assert_eq!(store.sync_status().unwrap().pending, 0);
        let c = &link.counts;
        for fired in [
            &c.dropped_requests,
            &c.dropped_responses,
            &c.repeated_requests,
            &c.truncated_requests,
            &c.truncated_responses,
        ] {
            assert!(
                fired.load(std::sync::atomic::Ordering::Relaxed) > 0,
                "every kind of fault fired"
            );
        }
    }
    let dumps: Vec<_> = phones.iter().map(|(s, _)| dump(s)).collect();
    assert!(
        dumps.windows(2).all(|w| w[0] == w[1]),
        "every phone projects the same tables"
    );
}

#[test]
fn a_phone_of_one_team_never_receives_another_teams_entries() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let aisha = h.phone(TEAM_B, "Aisha");
    let kim = person(&mette, "Kim");
    contact(&mette, &kim);
    mette.sync(h.transport()).unwrap();
    person(&aisha, "Ole");
    let report = aisha.sync(h.transport()).unwrap();
    assert_eq!(report.pulled, 0);
    assert!(aisha.person(kim.clone()).is_err());
    assert_eq!(aisha.list_persons(None, 0).unwrap().len(), 1);
    assert_eq!(mette.sync(h.transport()).unwrap().pulled, 0);
    assert_eq!(h.centre_ids(TEAM_B).len(), 1);
}

#[test]
fn concurrent_edits_surface_on_every_phone_until_settled_and_merges_hold() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let jonas = h.phone(TEAM_A, "Jonas");
    let kim = person(&mette, "Kim");
    let dup = person(&jonas, "Kim with the dog");
    mette.sync(h.transport()).unwrap();
    jonas.sync(h.transport()).unwrap();
    mette.sync(h.transport()).unwrap();
    // Each changes the description without seeing the other's change.
    mette
        .update_person(PersonUpdate {
            person: kim.clone(),
            description: Some("red jacket".into()),
            ..Default::default()
        })
        .unwrap();
    jonas
        .update_person(PersonUpdate {
            person: kim.clone(),
            description: Some("blue cap".into()),
            ..Default::default()
        })
        .unwrap();
    // Jonas merges his duplicate into Kim meanwhile.
    jonas.merge_persons(kim.clone(), dup.clone()).unwrap();
    for _ in 0..2 {
        mette.sync(h.transport()).unwrap();
        jonas.sync(h.transport()).unwrap();
    }
    for phone in [&mette, &jonas] {
        let detail = phone.person(kim.clone()).unwrap();
        assert_eq!(
            detail.conflicts.len(),
            1,
            "the conflict shows on every phone"
        );
        assert_eq!(detail.conflicts[0].values.len(), 2);
        assert_eq!(
            phone.person(dup.clone()).unwrap().person.id,
            kim,
            "the merge holds everywhere"
        );
        assert_eq!(phone.list_persons(None, 0).unwrap().len(), 1);
    }
    mette
        .update_person(PersonUpdate {
            person: kim.clone(),
            description: Some("red jacket, blue cap".into()),
            ..Default::default()
        })
        .unwrap();
    mette.sync(h.transport()).unwrap();
    jonas.sync(h.transport()).unwrap();
    for phone in [&mette, &jonas] {
        let detail = phone.person(kim.clone()).unwrap();
        assert!(detail.conflicts.is_empty());
        assert_eq!(
            detail.person.description.as_deref(),
            Some("red jacket, blue cap")
        );
    }
    assert_eq!(dump(&mette), dump(&jonas));
}

#[test]
fn merges_made_on_two_phones_in_opposite_directions_converge() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let jonas = h.phone(TEAM_A, "Jonas");
    let a = person(&mette, "A");
    let b = person(&mette, "B");
    mette.sync(h.transport()).unwrap();
    jonas.sync(h.transport()).unwrap();
    // Without seeing each other, Mette keeps A and Jonas keeps B.
    mette.merge_persons(a.clone(), b.clone()).unwrap();
    jonas.merge_persons(b.clone(), a.clone()).unwrap();
    for _ in 0..2 {
        mette.sync(h.transport()).unwrap();
        jonas.sync(h.transport()).unwrap();
    }
    assert_eq!(
        dump(&mette),
        dump(&jonas),
        "both phones end with the same person kept"
    );
    assert_eq!(mette.list_persons(None, 0).unwrap().len(), 1);
}

#[test]
fn enrolment_codes_work_once_and_expire() {
    let h = Harness::new();
    let code = h.operator.new_enrolment(TEAM_A, "Mette", 1).unwrap().code;
    let first = h.store("Mette");
    first.enrol(h.transport(), h.url(), code.clone()).unwrap();
    let second = h.store("Mette2");
    let err = second.enrol(h.transport(), h.url(), code).unwrap_err();
    assert!(
        // Another worker's phone is told only that the code is not known (a guesser must not
        // learn that a code exists).
        matches!(&err, Error::CentreRefused { code, .. } if code == "code-used" || code == "invalid-code"),
        "{err:?}"
    );
    // A code for the right worker that has expired is refused too.
    let third = h.store("Lis");
    let expired = h.operator.new_enrolment(TEAM_A, "Lis", 1).unwrap().code;
    h.centre_execute(
        "UPDATE centre_codes SET expires_at = '2000-01-01T00:00:00.000Z' WHERE used_at IS NULL",
    );
    let err = third.enrol(h.transport(), h.url(), expired).unwrap_err();
    assert!(
        matches!(&err, Error::CentreRefused { code, .. } if code == "code-expired"),
        "{err:?}"
    );
    assert!(!third.sync_status().unwrap().enrolled);
    // The centre keeps only hashes of device tokens.
    let token = device_token(&first);
    let stored = h.centre_column("SELECT token_hash FROM centre_devices");
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], token);
    assert_eq!(stored[0], gadeplan_centre::secrets::hash(&token));
}

#[test]
fn a_revoked_phone_is_refused_and_erases_what_it_holds() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let kim = person(&mette, "Kim-the-secret-alias");
    mette
        .record_risk_check(RiskCheckInput {
            subject: Subject::Person { id: kim },
            observed: vec![],
            plan: None,
            occurred_at: None,
        })
        .unwrap();
    mette.sync(h.transport()).unwrap();
    let device = mette.identity().unwrap().device_id;
    h.operator
        .revoke(&device, gadeplan_centre::store::Revocation::Lost)
        .unwrap();
    assert_eq!(mette.sync(h.transport()).unwrap_err(), Error::Revoked);
    assert!(local_ids(&mette).is_empty());
    assert!(mette.list_persons(None, 0).unwrap().is_empty());
    assert!(!mette.sync_status().unwrap().enrolled);
    let bytes = std::fs::read(h.store_path("Mette")).unwrap();
    assert!(!bytes.windows(8).any(|w| w == b"Kim-the-"));
    // What it had sent stays at the centre.
    assert_eq!(h.centre_ids(TEAM_A).len(), 2);
}

/// Two sync runs on one store at once (a background job and the worker's button): before, both
/// pushed everything above the same watermark, so every entry went twice (seen from Kotlin on
/// the JVM: 2,250 of 2,250). Now the second run waits for the first; each entry is sent once,
/// and both runs end in step.
#[test]
fn two_syncs_at_once_on_one_store_send_each_entry_once() {
    let h = Harness::new();
    let phone = h.phone(TEAM_A, "Mette");
    for i in 0..600 {
        person(&phone, &format!("P{i}"));
    }
    let (first, second) = (h.transport(), h.transport());
    let (a, b) = std::thread::scope(|s| {
        let one = s.spawn(|| phone.sync(first).unwrap());
        let two = s.spawn(|| phone.sync(second).unwrap());
        (one.join().unwrap(), two.join().unwrap())
    });
    assert_eq!(a.pushed + b.pushed, 600, "{a:?} {b:?}");
    assert_eq!(
        a.acknowledged_again + b.acknowledged_again,
        0,
        "{a:?} {b:?}"
    );
    assert!(a.in_step && b.in_step, "{a:?} {b:?}");
    assert_eq!(h.centre_ids(TEAM_A).len(), 600);
}

/// A second writer on the same store (the CLI while the app runs): what it records is pushed
/// by the first's next sync, though the first had found nothing of its own to send before.
#[test]
fn what_another_connection_records_is_pushed_by_the_next_sync() {
    let h = Harness::new();
    let app = h.phone(TEAM_A, "Mette");
    person(&app, "Ravnen");
    app.sync(h.transport()).unwrap();
    app.sync(h.transport()).unwrap();
    let cli = gadeplan_core::Store::open(h.store_path("Mette"), key_of("Mette").to_vec()).unwrap();
    let noted = person(&cli, "Spurven");
    let report = app.sync(h.transport()).unwrap();
    assert_eq!(report.pushed, 1, "{report:?}");
    assert!(
        h.centre_ids(TEAM_A).len() == 2,
        "{noted} reached the centre"
    );
}

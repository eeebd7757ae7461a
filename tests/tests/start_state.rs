//! What a shell shows at start (issue 18), read from the store, never from "a file exists": no
//! store, a store never enrolled (an enrolment that failed), enrolled, revoked (and erased), or a
//! store the shell's key does not open (the Keystore or Keychain entry lost); and the way on
//! from each.

use gadeplan_core::{Error, StartState, Store, erase_store, start_state};
use gadeplan_tests::*;

#[test]
fn the_start_follows_the_store_through_enrolment_revocation_and_a_lost_key() {
    let h = Harness::new();
    let path = h.store_path("Mette");
    let key = key_of("Mette").to_vec();
    assert_eq!(
        start_state(path.clone(), Some(key.clone())).unwrap(),
        StartState::NeedsEnrolment {
            store_exists: false
        }
    );
    // The store made, the enrolment refused (a wrong code): enrolment again, on the same store.
    let store = h.store("Mette");
    let refused = store.enrol(h.transport(), h.url(), "WRONG-CODE-00".into());
    assert!(refused.is_err());
    assert_eq!(
        start_state(path.clone(), Some(key.clone())).unwrap(),
        StartState::NeedsEnrolment { store_exists: true }
    );
    let code = h.operator.new_enrolment(TEAM_A, "Mette", 1).unwrap().code;
    store.enrol(h.transport(), h.url(), code).unwrap();
    assert_eq!(
        start_state(path.clone(), Some(key.clone())).unwrap(),
        StartState::Enrolled {
            worker: "Mette".into(),
            team: TEAM_A.into(),
            centre: h.url(),
        }
    );
    // A lost key: what the store holds cannot be read; erasing it leads to enrolment.
    let other = key_of("Jonas").to_vec();
    assert!(matches!(
        start_state(path.clone(), Some(other)).unwrap(),
        StartState::KeyLost { .. }
    ));
    assert!(matches!(
        start_state(path.clone(), None).unwrap(),
        StartState::KeyLost { .. }
    ));
    // Revoked as lost: the next sync erases the phone, and the next start says so.
    let device = store.identity().unwrap().device_id;
    person(&store, "Kim");
    h.operator
        .revoke(&device, gadeplan_centre::store::Revocation::Lost)
        .unwrap();
    assert!(matches!(store.sync(h.transport()), Err(Error::Revoked)));
    assert_eq!(
        start_state(path.clone(), Some(key.clone())).unwrap(),
        StartState::Revoked { how: "lost".into() }
    );
    // The way on: the revoked store erased, a new one made (a new device) and enrolled.
    drop(store);
    erase_store(path.clone()).unwrap();
    assert_eq!(
        start_state(path.clone(), Some(key.clone())).unwrap(),
        StartState::NeedsEnrolment {
            store_exists: false
        }
    );
    assert!(Store::open(path.clone(), key.clone()).is_err());
    let again = h.phone(TEAM_A, "Mette");
    assert!(matches!(
        start_state(path.clone(), Some(key.clone())).unwrap(),
        StartState::Enrolled { .. }
    ));
    drop(again);
}

/// Review finding A16: an app's scheduled sync and its "sync now" open a `Store` each on the
/// same file; both ran at once and pushed every entry twice. The gate now holds across them
/// (a lock file beside the store), so the second waits and sends nothing again.
#[test]
fn two_stores_on_one_file_never_sync_at_once() {
    let h = Harness::new();
    let store = h.phone(TEAM_A, "Mette");
    let kim = person(&store, "Kim");
    for _ in 0..300 {
        contact(&store, &kim);
    }
    let second = Store::open(h.store_path("Mette"), key_of("Mette").to_vec()).unwrap();
    let reports: Vec<_> = std::thread::scope(|s| {
        let a = s.spawn(|| store.sync(h.transport()).unwrap());
        let b = s.spawn(|| second.sync(h.transport()).unwrap());
        vec![a.join().unwrap(), b.join().unwrap()]
    });
    let pushed: u32 = reports.iter().map(|r| r.pushed).sum();
    let again: u32 = reports.iter().map(|r| r.acknowledged_again).sum();
    assert_eq!((pushed, again), (301, 0), "{reports:?}");
}

/// The persons list marks each person with what this phone recorded about them and has not yet
/// sent (review finding M7): counted per person, a merged duplicate's entries for the person
/// kept, a colleague's entries never, and nothing once the centre has them.
#[test]
fn the_persons_list_counts_what_is_not_sent_per_person() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let jonas = h.phone(TEAM_A, "Jonas");
    let kim = person(&mette, "Kim");
    contact(&mette, &kim);
    let bo = person(&mette, "Bo");
    let not_sent = |store: &Store| -> Vec<(String, u32)> {
        let mut counts: Vec<(String, u32)> = store
            .list_persons(None, 0)
            .unwrap()
            .into_iter()
            .map(|p| (p.alias, p.not_sent))
            .collect();
        counts.sort();
        counts
    };
    assert_eq!(not_sent(&mette), [("Bo".into(), 1), ("Kim".into(), 2)]);
    assert_eq!(mette.person(kim.clone()).unwrap().person.not_sent, 2);
    mette.sync(h.transport()).unwrap();
    assert_eq!(not_sent(&mette), [("Bo".into(), 0), ("Kim".into(), 0)]);
    // A colleague's entries, pulled in, are the centre's already.
    jonas.sync(h.transport()).unwrap();
    assert_eq!(not_sent(&jonas), [("Bo".into(), 0), ("Kim".into(), 0)]);
    // Recorded after the sync, and a duplicate merged into the person kept.
    contact(&mette, &bo);
    mette.merge_persons(kim.clone(), bo).unwrap();
    let kept = mette.person(kim).unwrap().person;
    assert_eq!(
        kept.not_sent, 2,
        "the contact about Bo and the merge itself"
    );
}

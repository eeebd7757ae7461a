//! The citizen's network and consent (issue 13): network members on the person's screen, amended
//! and voided; consents given and withdrawn; a disclosure refused without a consent in force at
//! its time (`consent-required`), and the store unchanged by every refusal.

mod common;

use common::*;
use gadeplan_core::*;
use tempfile::TempDir;

fn consent(store: &Store, person: &str, at: &str) -> String {
    store
        .record(NewEntry::ConsentGiven(ConsentInput {
            person: person.into(),
            to_whom: "Bostøtten i Valby".into(),
            about: "that he is in treatment".into(),
            form: ConsentForm::Verbal,
            occurred_at: Some(at.into()),
        }))
        .unwrap()
        .id
}

fn disclose(store: &Store, person: &str, consent: Option<&str>, at: &str) -> Result<Recorded> {
    store.record(NewEntry::DisclosureMade(DisclosureInput {
        person: person.into(),
        what: "started in day treatment".into(),
        to_whom: "Bostøtten i Valby".into(),
        consent: consent.map(Into::into),
        occurred_at: Some(at.into()),
    }))
}

fn unchanged<T: std::fmt::Debug>(store: &Store, f: impl FnOnce() -> Result<T>) -> Error {
    let before = dump_projections(store);
    let entries = entry_count(store);
    let err = f().unwrap_err();
    assert_eq!(entry_count(store), entries);
    assert_eq!(dump_projections(store), before);
    err
}

#[test]
fn a_disclosure_needs_a_consent_in_force_at_its_time() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "c.db");
    let kim = person(&store, "Kim");
    let bo = person(&store, "Bo");
    let err = unchanged(&store, || {
        disclose(&store, &kim, None, "2026-11-10T10:00:00Z")
    });
    assert!(matches!(err, Error::ConsentRequired { .. }), "{err:?}");
    assert_eq!(err.code(), "consent-required");
    let given = consent(&store, &kim, "2026-11-05T10:00:00Z");
    // Before the consent was given; another citizen's consent; an unknown one.
    let err = unchanged(&store, || {
        disclose(&store, &kim, Some(&given), "2026-11-01T10:00:00Z")
    });
    assert!(matches!(err, Error::ConsentRequired { .. }), "{err:?}");
    let err = unchanged(&store, || {
        disclose(&store, &bo, Some(&given), "2026-11-10T10:00:00Z")
    });
    assert!(
        matches!(&err, Error::InvalidInput { field, .. } if field == "consent"),
        "{err:?}"
    );
    let err = unchanged(&store, || {
        disclose(
            &store,
            &kim,
            Some("0190a0a0-0000-7000-8000-000000000000"),
            "2026-11-10T10:00:00Z",
        )
    });
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");

    disclose(&store, &kim, Some(&given), "2026-11-10T10:00:00Z").unwrap();
    store
        .record(NewEntry::ConsentWithdrawn(ConsentWithdrawalInput {
            person: kim.clone(),
            consent: given.clone(),
            occurred_at: Some("2026-11-20T10:00:00Z".into()),
        }))
        .unwrap();
    // After the withdrawal: refused; a disclosure dated before it still stands on it.
    let err = unchanged(&store, || {
        disclose(&store, &kim, Some(&given), "2026-11-21T10:00:00Z")
    });
    assert!(matches!(err, Error::ConsentRequired { .. }), "{err:?}");
    disclose(&store, &kim, Some(&given), "2026-11-15T10:00:00Z").unwrap();
    let err = unchanged(&store, || {
        store.record(NewEntry::ConsentWithdrawn(ConsentWithdrawalInput {
            person: kim.clone(),
            consent: given.clone(),
            occurred_at: None,
        }))
    });
    assert!(matches!(err, Error::NotAllowed { .. }), "{err:?}");
    let consents = store.person(kim.clone()).unwrap().consents;
    assert_eq!(consents.len(), 1);
    assert!(!consents[0].in_force);
    assert_eq!(
        consents[0].withdrawn_at.as_deref(),
        Some("2026-11-20T10:00:00.000Z")
    );
}

#[test]
fn the_network_is_on_the_persons_screen_amended_and_voided() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "n.db");
    let kim = person(&store, "Kim");
    let member = |role, name: &str, phone: Option<&str>| {
        store.record(NewEntry::NetworkNoted(NetworkInput {
            person: kim.clone(),
            role,
            name: name.into(),
            organisation: Some("Valby Bostøtte".into()),
            phone: phone.map(Into::into),
            occurred_at: None,
        }))
    };
    let anna = member(NetworkRole::HousingSupport, "Anna", Some("+45 12 34 56 78")).unwrap();
    member(NetworkRole::Gp, "Dr. Holm", None).unwrap();
    let err = unchanged(&store, || {
        member(NetworkRole::Relative, "Søster", Some("ring mig"))
    });
    assert!(
        matches!(&err, Error::InvalidInput { field, .. } if field == "phone"),
        "{err:?}"
    );
    let err = unchanged(&store, || member(NetworkRole::Relative, " ", None));
    assert!(
        matches!(&err, Error::InvalidInput { field, .. } if field == "name"),
        "{err:?}"
    );
    store
        .correct(CorrectionInput {
            entry: anna.id.clone(),
            correction: Correction::NetworkNoted(NetworkCorrection {
                phone: Some("+45 87 65 43 21".into()),
                ..Default::default()
            }),
            occurred_at: None,
            reason: Some("new number".into()),
        })
        .unwrap();
    let network = store.person(kim.clone()).unwrap().network;
    assert_eq!(network.len(), 2);
    let anna_now = network.iter().find(|m| m.member.name == "Anna").unwrap();
    assert_eq!(anna_now.member.phone.as_deref(), Some("+45 87 65 43 21"));
    assert_eq!(anna_now.member.role, NetworkRole::HousingSupport);
    store
        .void_entry(anna.id, "noted on the wrong citizen".into())
        .unwrap();
    let network = store.person(kim).unwrap().network;
    assert_eq!(network.len(), 1);
    assert_eq!(network[0].member.name, "Dr. Holm");
}

/// From the review: a consent covers the recipient it was given for (compared without case or
/// extra spaces), and a withdrawal is not dated before the consent.
#[test]
fn a_consent_covers_its_own_recipient_only() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "r.db");
    let kim = person(&store, "Kim");
    let given = consent(&store, &kim, "2026-11-05T10:00:00Z");
    let to = |to_whom: &str| {
        store.record(NewEntry::DisclosureMade(DisclosureInput {
            person: kim.clone(),
            what: "in treatment".into(),
            to_whom: to_whom.into(),
            consent: Some(given.clone()),
            occurred_at: Some("2026-11-10T10:00:00Z".into()),
        }))
    };
    let err = unchanged(&store, || to("Jobcentret"));
    assert!(matches!(err, Error::ConsentRequired { .. }), "{err:?}");
    to("  bostøtten   i VALBY ").unwrap();
    let err = unchanged(&store, || {
        store.record(NewEntry::ConsentWithdrawn(ConsentWithdrawalInput {
            person: kim.clone(),
            consent: given.clone(),
            occurred_at: Some("2026-11-01T10:00:00Z".into()),
        }))
    });
    assert!(
        matches!(&err, Error::InvalidInput { field, .. } if field == "occurred_at"),
        "{err:?}"
    );
}

//! Erasure across every replica (issue 17): the operator erases one entry, or everything about a
//! citizen, at the centre; every phone applies it at its next sync (one offline meanwhile, when
//! it returns); the text leaves every file of every replica, which the tests search: each phone's
//! store and log decrypted page by page, live and free (`gadeplan_tests::plaintext`), the
//! centre's embedded store likewise, or every file of the PostgreSQL server's data directory.
//! Each search is first shown to find the text before the erasure, so that it can fail.

use gadeplan_centre::Database;
use gadeplan_centre::erasure::Target;
use gadeplan_core::{
    CloseReason, ContactInput, ContactKind, CourseCloseInput, CourseInput, EntryKind, Error,
    FoundVia, NewEntry, Outcome, PlaceKind, Store, Subject,
};
use gadeplan_tests::plaintext::{self, contains};
use gadeplan_tests::*;

/// A text no other test writes: a worker's words about a citizen, with a random tag.
fn secret(what: &str) -> String {
    let id = gadeplan_core::journal::new_id();
    format!("{what}-{}", &id[24..])
}

/// Everything a phone's files hold, decrypted with its key.
fn phone_plaintext(h: &Harness, worker: &str) -> Vec<u8> {
    plaintext::store_and_log(std::path::Path::new(&h.store_path(worker)), &key_of(worker))
}

/// Everything the centre's files hold: the embedded store and its log decrypted with its key,
/// or every file of the PostgreSQL server's data directory as it lies on disk.
fn centre_plaintext(h: &Harness) -> Vec<u8> {
    match &h.database {
        Database::Embedded { data, .. } => {
            let key = std::fs::read_to_string(gadeplan_centre::store::key_path(data)).unwrap();
            let key: [u8; 32] = gadeplan_core::db::parse_hex_key(&key)
                .unwrap()
                .try_into()
                .unwrap();
            let store = gadeplan_centre::store::store_path(data);
            plaintext::store_and_log(&store, &key)
        }
        Database::Postgres(_) => {
            let admin = std::env::var("GADEPLAN_TEST_POSTGRES").expect("the test server");
            let mut client = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
            // What was written so far reaches the table files (the search before the erasure).
            client.batch_execute("CHECKPOINT").unwrap();
            let dir: String = client.query_one("SHOW data_directory", &[]).unwrap().get(0);
            plaintext::files_under(std::path::Path::new(&dir))
                .into_iter()
                .flat_map(|(_, bytes)| bytes)
                .collect()
        }
    }
}

fn timeline_kinds(store: &Store, person: &str) -> Vec<EntryKind> {
    store
        .person(person.into())
        .expect("person")
        .timeline
        .iter()
        .map(|item| item.kind)
        .collect()
}

#[test]
fn an_erased_note_leaves_every_file_of_every_replica() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let jonas = h.phone(TEAM_A, "Jonas");
    let lis = h.phone(TEAM_A, "Lis");
    let (erased, kept) = (
        secret("Fortalt-om-sin-datter"),
        secret("Sovet-paa-Mændenes-Hjem"),
    );
    let kim = person(&mette, "Kim");
    let note = contact_noting(&mette, &kim, &erased);
    contact_noting(&mette, &kim, &kept);
    // A correction of the note carries its words too: it goes with it.
    mette
        .amend(
            note.clone(),
            format!(r#"{{"note": "{erased} (rettet)"}}"#),
            None,
            Some("stavefejl".into()),
        )
        .unwrap();
    let original = entries_of(&mette)
        .into_iter()
        .find(|e| *e.id == *note)
        .unwrap();
    for phone in [&mette, &jonas, &lis] {
        phone.sync(h.transport()).unwrap();
    }
    // Every search finds the text before the erasure: each can fail.
    for worker in ["Mette", "Jonas", "Lis"] {
        assert!(contains(&phone_plaintext(&h, worker), &erased), "{worker}");
    }
    assert!(contains(&centre_plaintext(&h), &erased));

    // An unknown entry: a typed error, and nothing changed.
    let before = h.operator.dump().unwrap();
    let unknown = h
        .operator
        .erase(
            &Target::Entry("01890000-0000-7000-8000-000000000000".into()),
            "GDPR art. 17",
            "operator:test",
        )
        .unwrap_err();
    assert_eq!((unknown.status, unknown.code.as_str()), (404, "not-found"));
    let no_reason = h
        .operator
        .erase(&Target::Entry(note.clone()), "  ", "operator:test")
        .unwrap_err();
    assert_eq!(no_reason.code, "invalid-input");
    assert_eq!(h.operator.dump().unwrap(), before);

    let done = h
        .operator
        .erase(
            &Target::Entry(note.clone()),
            "GDPR art. 17, anmodning af 2026-12-01",
            "operator:test",
        )
        .unwrap();
    assert_eq!((done.entries, done.scrubbed), (2, true), "{done:?}");
    let again = h
        .operator
        .erase(&Target::Entry(note.clone()), "igen", "operator:test")
        .unwrap_err();
    assert_eq!(again.code, "not-allowed", "{again:?}");

    // Jonas, offline, corrects the note before he hears of the erasure: his correction carries
    // its words, the centre refuses it, and the erasure takes it from his phone too.
    jonas
        .amend(
            note.clone(),
            format!(r#"{{"note": "{erased} (Jonas)"}}"#),
            None,
            Some("tilføjelse".into()),
        )
        .unwrap();
    // Mette's phone, not yet told, sends the entry again (a repair sends everything): answered
    // as one the centre has, and not stored.
    let (status, answer) = push(&h.url(), &device_token(&mette), &[original]);
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains("duplicate"), "{answer}");
    // Lis was offline meanwhile; Mette and Jonas sync now, Lis later.
    for phone in [&mette, &jonas] {
        let report = phone.sync(h.transport()).unwrap();
        assert!(report.in_step, "{report:?}");
    }
    let told = jonas.sync_status().unwrap();
    assert_eq!((told.rejected, told.erased_unsent), (0, 1), "{told:?}");
    let report = lis.sync(h.transport()).unwrap();
    assert!(report.in_step, "{report:?}");

    for (worker, phone) in [("Mette", &mette), ("Jonas", &jonas), ("Lis", &lis)] {
        let kinds = timeline_kinds(phone, &kim);
        assert!(
            kinds.contains(&EntryKind::EntryErased),
            "{worker}: {kinds:?}"
        );
        assert_eq!(
            kinds
                .iter()
                .filter(|k| **k == EntryKind::ContactLogged)
                .count(),
            1,
            "{worker}: the other contact stays"
        );
        assert!(phone.entry(note.clone()).is_err(), "{worker}");
        let files = phone_plaintext(&h, worker);
        assert!(
            !contains(&files, &erased),
            "{worker}'s files still hold the erased note"
        );
        assert!(
            contains(&files, &kept),
            "{worker}'s search still finds what was kept"
        );
        assert_eq!(phone.digest().unwrap(), mette.digest().unwrap());
        assert_eq!(dump(phone), dump(&mette), "{worker} projects as Mette does");
    }
    let centre = centre_plaintext(&h);
    assert!(
        !contains(&centre, &erased),
        "the centre's files still hold the erased note"
    );
    assert!(contains(&centre, &kept));
    // A rebuild from what is left gives the same tables.
    let projected = dump(&jonas);
    jonas.rebuild_projections().unwrap();
    assert_eq!(dump(&jonas), projected);
}

#[test]
fn everything_about_a_citizen_is_erased_and_nothing_new_about_them_is_taken_in() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let jonas = h.phone(TEAM_A, "Jonas");
    let alias = secret("Rødhåret-Rikke");
    let rikke = person(&mette, &alias);
    let words = secret("Bor-i-skurvognen");
    let said = contact_noting(&mette, &rikke, &words);
    let said = entries_of(&mette)
        .into_iter()
        .find(|e| *e.id == *said)
        .unwrap();
    open_course(&mette, &rikke, None);
    let other = person(&mette, "Ole");
    for phone in [&mette, &jonas] {
        phone.sync(h.transport()).unwrap();
    }
    // An open course: refused, nothing changed.
    let before = h.operator.dump().unwrap();
    let open = h
        .operator
        .erase(
            &Target::Citizen(rikke.clone()),
            "GDPR art. 17",
            "operator:test",
        )
        .unwrap_err();
    assert_eq!(open.code, "not-allowed", "{open:?}");
    assert!(open.message.contains("open course"), "{open:?}");
    assert_eq!(h.operator.dump().unwrap(), before);

    close_course(&mette, &rikke, None);
    mette.sync(h.transport()).unwrap();
    jonas.sync(h.transport()).unwrap();
    // Jonas, offline, records a contact about her before he hears of the erasure.
    let late = secret("Set-ved-Halmtorvet");
    let late_id = contact_noting(&jonas, &rikke, &late);

    let done = h
        .operator
        .erase(
            &Target::Citizen(rikke.clone()),
            "GDPR art. 17",
            "operator:test",
        )
        .unwrap();
    assert_eq!(done.entries, 4, "{done:?}");
    // His push is refused for her, then his pull erases his own copy too.
    let report = jonas.sync(h.transport()).unwrap();
    assert_eq!(report.rejected, 1, "{report:?}");
    assert!(report.in_step, "{report:?}");
    assert!(jonas.entry(late_id).is_err());
    let status = jonas.sync_status().unwrap();
    assert_eq!(
        (status.rejected, status.erased_unsent),
        (0, 1),
        "{status:?}"
    );
    assert!(
        gadeplan_core::sync::sync_notices(status)
            .iter()
            .any(|n| n.code == "erased-unsent"),
        "Jonas is told"
    );
    assert!(mette.sync(h.transport()).unwrap().in_step);
    for (worker, phone) in [("Mette", &mette), ("Jonas", &jonas)] {
        assert!(
            matches!(phone.person(rikke.clone()), Err(Error::NotFound { .. })),
            "{worker}"
        );
        let persons: Vec<String> = phone
            .list_persons(None, 0)
            .unwrap()
            .into_iter()
            .map(|p| p.id)
            .collect();
        assert_eq!(persons, vec![other.clone()], "{worker}");
        let files = phone_plaintext(&h, worker);
        for text in [&alias, &words, &late] {
            assert!(!contains(&files, text), "{worker}'s files hold {text}");
        }
        assert_eq!(phone.digest().unwrap(), mette.digest().unwrap());
    }
    // Nothing new about her is taken in, from any phone.
    let forged = forge(
        &mette,
        EntryKind::ContactLogged,
        &rikke,
        &said.payload,
        None,
    );
    let (status, answer) = push(&h.url(), &device_token(&mette), &[forged]);
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains("rejected"), "{answer}");
    assert!(answer.contains("erased"), "{answer}");
    let centre = centre_plaintext(&h);
    for text in [&alias, &words, &late] {
        assert!(!contains(&centre, text), "the centre's files hold {text}");
    }
}

#[test]
fn a_citizen_or_entry_of_another_team_or_none_is_not_found() {
    let h = Harness::new();
    let aisha = h.phone(TEAM_B, "Aisha");
    let sofie = person(&aisha, "Sofie");
    aisha.sync(h.transport()).unwrap();
    let before = h.operator.dump().unwrap();
    for target in [
        Target::Citizen("01890000-0000-7000-8000-000000000001".into()),
        Target::Entry("not an id".into()),
    ] {
        let refused = h
            .operator
            .erase(&target, "GDPR art. 17", "operator:test")
            .unwrap_err();
        assert_eq!(refused.status, 404, "{target:?}: {refused:?}");
    }
    assert_eq!(h.operator.dump().unwrap(), before);
    // Her own id, with no open course, is erased.
    assert!(
        h.operator
            .erase(&Target::Citizen(sofie), "GDPR art. 17", "operator:test")
            .is_ok()
    );
}

fn open_course(store: &Store, person: &str, at: Option<String>) {
    store
        .record(NewEntry::CourseOpened(CourseInput {
            person: person.into(),
            responsible: vec!["Mette".into()],
            found_via: FoundVia::OwnOutreach,
            attachment_treatment: None,
            attachment_substitution: None,
            attachment_services: None,
            occurred_at: at,
        }))
        .unwrap();
}

fn close_course(store: &Store, person: &str, at: Option<String>) {
    store
        .record(NewEntry::CourseClosed(CourseCloseInput {
            person: person.into(),
            course: None,
            reason: CloseReason::LostContact,
            treatment_status: None,
            occurred_at: at,
        }))
        .unwrap();
}

#[test]
fn the_retention_rule_lists_then_erases_only_citizens_long_closed_and_not_met_since() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let years_ago = |years: i64, days: i64| {
        Some((chrono::Utc::now() - chrono::Duration::days(365 * years + days)).to_rfc3339())
    };
    let person_with = |alias: &str| person(&mette, &format!("{alias}-{}", &secret("x")[2..]));
    // Closed four years ago, not met since: the rule of three years reaches him.
    let old = person_with("Gamle-Gunnar");
    open_course(&mette, &old, years_ago(5, 0));
    close_course(&mette, &old, years_ago(4, 0));
    // Closed as long ago, but met again last year.
    let met = person_with("Mødt-Mads");
    open_course(&mette, &met, years_ago(5, 0));
    close_course(&mette, &met, years_ago(4, 0));
    mette
        .record_contact(ContactInput {
            subject: Some(Subject::Person { id: met.clone() }),
            place: "Halmtorvet".into(),
            place_kind: PlaceKind::Street,
            kind: ContactKind::Conversation,
            meeting: None,
            announced: None,
            safety_reason: None,
            outcome: Outcome::ContactMade,
            colleague: None,
            minutes: Some(5),
            note: None,
            risk_check: None,
            occurred_at: years_ago(1, 0),
            place_id: None,
        })
        .unwrap();
    // An old course closed, and a new one open now.
    let back = person_with("Tilbage-Tove");
    open_course(&mette, &back, years_ago(5, 0));
    close_course(&mette, &back, years_ago(4, 0));
    open_course(&mette, &back, None);
    // Closed last year.
    let recent = person_with("Nylig-Nina");
    open_course(&mette, &recent, years_ago(2, 0));
    close_course(&mette, &recent, years_ago(1, 0));
    mette.sync(h.transport()).unwrap();

    let zero = h.operator.retention_due(0).unwrap_err();
    assert_eq!(zero.code, "invalid-input");
    let before = h.operator.dump().unwrap();
    let due = h.operator.retention_due(3).unwrap();
    assert_eq!(
        due.iter().map(|d| d.citizen.clone()).collect::<Vec<_>>(),
        vec![old.clone()],
        "{due:?}"
    );
    assert_eq!(due[0].team, TEAM_A);
    assert_eq!(
        h.operator.dump().unwrap(),
        before,
        "a dry run changes nothing"
    );

    let erased = h.operator.apply_retention(3, "retention-rule").unwrap();
    assert_eq!(erased.len(), 1, "{erased:?}");
    assert_eq!(erased[0].citizen, old);
    assert!(h.operator.retention_due(3).unwrap().is_empty());
    assert!(mette.sync(h.transport()).unwrap().in_step);
    assert!(mette.person(old).is_err());
    for kept in [met, back, recent] {
        assert!(mette.person(kept).is_ok());
    }
}

#[test]
fn a_phone_cannot_erase_nor_enrol_as_the_centre() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    let kim = person(&mette, "Kim");
    let note = contact_noting(&mette, &kim, "noget");
    mette.sync(h.transport()).unwrap();
    let before = h.operator.dump().unwrap();
    // A modified app pushes an erasure of its own making: refused, nothing changed.
    let payload = serde_json::json!({
        "scope": "entry",
        "subjects": [kim],
        "erased": [{"id": note, "kind": "contact.logged"}],
        "reason": "ingen"
    })
    .to_string();
    let forged = forge(&mette, EntryKind::EntryErased, &kim, &payload, None);
    let (status, answer) = push(&h.url(), &device_token(&mette), &[forged]);
    assert_eq!(status, 200, "{answer}");
    assert!(
        answer.contains("rejected") && answer.contains("only the centre erases"),
        "{answer}"
    );
    assert!(mette.entry(note).is_ok());
    // The operator's audit of the refusal aside, the centre holds what it held.
    let after: Vec<String> = h
        .operator
        .dump()
        .unwrap()
        .into_iter()
        .filter(|l| !l.starts_with("centre_usage") && !l.starts_with("centre_devices"))
        .collect();
    let before: Vec<String> = before
        .into_iter()
        .filter(|l| !l.starts_with("centre_usage") && !l.starts_with("centre_devices"))
        .collect();
    assert_eq!(after, before);
    // Nor may a phone enrol with the centre's own device id.
    let code = h.operator.new_enrolment(TEAM_A, "Jonas", 1).unwrap().code;
    let body = serde_json::json!({
        "protocol": 2,
        "code": code,
        "device_id": gadeplan_core::kinds::entry_erased::CENTRE_DEVICE,
        "device_name": "falsk",
        "worker": "Jonas"
    })
    .to_string();
    let (status, answer) = post_raw(&h.url(), "enrol", body.as_bytes());
    assert_eq!(status, 400, "{answer}");
    assert!(answer.contains("reserved for the centre"), "{answer}");
}

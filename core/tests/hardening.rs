//! The core's side of the hardening round (issue 10, `docs/reliability.md` "Attacks, round 2"):
//! clocks that cannot wrap an id, drag a team's clocks or fake a current risk; two writers on one
//! store; time bounds on every arriving entry; corrections that cannot cross citizens; names
//! that cannot hide characters; stores private to their owner and made all or nothing.

mod common;

use std::collections::HashSet;
use std::sync::Arc;

use common::*;
use gadeplan_core::clock::{self, Clock, FLOOR_MS, Hlc, MAX_SKEW_MS, MAX_WALL_MS};
use gadeplan_core::ingest::{self, Intake};
use gadeplan_core::journal::{self, Entry, EntryKind};
use gadeplan_core::*;
use tempfile::TempDir;

const DAY_MS: i64 = 24 * 3600 * 1000;

fn now_ms() -> i64 {
    clock::now().timestamp_millis()
}

fn at(ms: i64) -> String {
    journal::format_timestamp(chrono::DateTime::from_timestamp_millis(ms).unwrap())
}

/// An entry as another device would send it, stamped `wall_ms` and saying it happened at
/// `occurred_ms`: what a phone with a wrong clock, or a hostile one, pushes.
fn stamped(
    kind: EntryKind,
    subject: &str,
    payload: &str,
    device: &str,
    wall_ms: i64,
    occurred_ms: i64,
) -> Entry {
    let hlc = Hlc {
        wall_ms,
        counter: 0,
        device: device.into(),
    };
    Entry {
        id: journal::entry_id_for(&hlc).unwrap(),
        kind,
        schema_version: journal::PAYLOAD_VERSION,
        subject: subject.into(),
        author_worker: "Jonas".into(),
        author_device: device.into(),
        occurred_at: at(occurred_ms),
        recorded_at: hlc.encode(),
        payload: payload.into(),
    }
}

const LOW_CHECK: &str = r#"{"answers":{"confusion":false,"irritability":false,"boisterousness":false,"physical-threats":false,"verbal-threats":false,"attacks-on-objects":false},"instrument_version":1}"#;

/// Puts an entry in a store's journal and projections as an older version would have taken it
/// in, without today's bounds: what a store holds from before this hardening.
fn take_in_unchecked(store: &Store, entry: &Entry) {
    store
        .with_connection(|c| {
            gadeplan_core::entries::insert(c, entry)?;
            let payload = gadeplan_core::kinds::Payload::read(entry.kind, &entry.payload)?;
            gadeplan_core::kinds::apply(c, entry, &payload)
        })
        .unwrap();
}

#[test]
fn no_stamp_wraps_the_48_bits_of_an_id() {
    let mut clock = Clock::resume(
        "d",
        Some(&Hlc {
            wall_ms: MAX_WALL_MS,
            counter: clock::MAX_COUNTER,
            device: "d".into(),
        }),
    );
    assert!(
        matches!(clock.tick(0), Err(Error::ClockWrong { .. })),
        "the clock refuses rather than step past what an id can carry"
    );
    let past = Hlc {
        wall_ms: MAX_WALL_MS + 1,
        counter: 0,
        device: "d".into(),
    };
    assert!(journal::entry_id_for(&past).is_err());
    assert!(Hlc::decode(&past.encode()).is_err());
    assert!(clock::check_own_clock(MAX_WALL_MS).is_err());
    assert!(clock::check_own_clock(FLOOR_MS - 1).is_err());
    assert!(clock::check_own_clock(now_ms()).is_ok());
}

#[test]
fn a_stamp_years_ahead_in_the_journal_does_not_drag_the_clock() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "a.db");
    let kim = person(&store, "Kim");
    // A colleague's entry stamped at the last millisecond an id can carry, and one in 2100,
    // taken in before the bounds existed.
    for wall in [MAX_WALL_MS, 4_102_444_800_000] {
        let entry = stamped(
            EntryKind::RiskChecked,
            &kim,
            LOW_CHECK,
            &journal::new_id(),
            wall,
            now_ms() - 1000,
        );
        take_in_unchecked(&store, &entry);
    }
    let next = store
        .record_contact(contact(Subject::Person { id: kim.clone() }))
        .unwrap();
    let wall = ingest::id_wall_ms(&next.id).unwrap();
    assert!(
        (wall - now_ms()).abs() < MAX_SKEW_MS,
        "the new entry's id {} carries the phone's own time",
        next.id
    );
    assert!(!next.id.starts_with("00000000"), "no id wraps: {}", next.id);
    assert_eq!(
        store.sync_status().unwrap().pending,
        2,
        "both own entries are pending"
    );
}

#[test]
fn two_writers_on_one_store_never_issue_the_same_stamp() {
    let dir = TempDir::new().unwrap();
    let first = new_store(&dir, "shared.db");
    let kim = person(&first, "Kim");
    let second = Store::open(path(&dir, "shared.db"), KEY.to_vec()).unwrap();
    let record = |store: Arc<Store>, kim: String| {
        std::thread::spawn(move || {
            for _ in 0..150 {
                store
                    .record_contact(contact(Subject::Person { id: kim.clone() }))
                    .unwrap();
            }
        })
    };
    let a = record(first.clone(), kim.clone());
    let b = record(second, kim);
    a.join().unwrap();
    b.join().unwrap();
    let stamps: Vec<String> = first
        .with_connection(|c| {
            let mut stmt = c.prepare("SELECT recorded_at FROM entries")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .unwrap();
    assert_eq!(stamps.len(), 301);
    let distinct: HashSet<&String> = stamps.iter().collect();
    assert_eq!(distinct.len(), stamps.len(), "every stamp is issued once");
}

#[test]
fn arriving_entries_are_held_to_the_time_bounds() {
    let now = now_ms();
    let device = journal::new_id();
    let subject = journal::new_id();
    let check = |wall: i64, occurred: i64| {
        ingest::check(
            &stamped(
                EntryKind::RiskChecked,
                &subject,
                LOW_CHECK,
                &device,
                wall,
                occurred,
            ),
            now,
        )
    };
    assert!(check(now, now).is_ok());
    assert!(
        check(now + MAX_SKEW_MS - 1000, now).is_ok(),
        "a little ahead is allowed"
    );
    for (what, wall, occurred) in [
        ("stamped in 2100", 4_102_444_800_000, now),
        ("stamped at the id's limit", MAX_WALL_MS, now),
        ("stamped past the skew", now + MAX_SKEW_MS + 1000, now),
    ] {
        assert!(
            matches!(check(wall, occurred), Err(Error::ClockWrong { .. })),
            "{what}: refused for now, as its author's clock is wrong"
        );
    }
    for (what, wall, occurred) in [
        ("stamped before 2000", FLOOR_MS - 1, FLOOR_MS - 1),
        ("happened in 2100", now, 4_102_444_800_000),
        ("happened a day after it was recorded", now, now + DAY_MS),
        ("happened before 2000", now, FLOOR_MS - DAY_MS),
    ] {
        assert!(
            matches!(check(wall, occurred), Err(Error::InvalidInput { .. })),
            "{what}: refused"
        );
    }
    // An amendment's corrected time is held to its own stamp likewise.
    let target = journal::new_id();
    let amendment = |occurred_at: String| {
        stamped(
            EntryKind::EntryAmended,
            &subject,
            &format!(r#"{{"target":"{target}","patch":{{}},"occurred_at":"{occurred_at}"}}"#),
            &device,
            now,
            now,
        )
    };
    assert!(ingest::check(&amendment(at(now - DAY_MS)), now).is_ok());
    assert!(ingest::check(&amendment(at(now + DAY_MS)), now).is_err());
}

#[test]
fn a_risk_check_from_the_future_is_never_the_current_risk() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "a.db");
    let kim = person(&store, "Kim");
    // A low check "made" in 2100, taken in before the bounds existed.
    let future = stamped(
        EntryKind::RiskChecked,
        &kim,
        LOW_CHECK,
        &journal::new_id(),
        4_102_444_800_000,
        4_102_444_800_000,
    );
    take_in_unchecked(&store, &future);
    let listed = |store: &Store| store.list_persons(None, 0).unwrap().remove(0);
    assert_eq!(listed(&store).risk, None, "a future check is not current");
    assert_eq!(listed(&store).risk_checked_at, None);
    // A colleague scores the citizen high now: that is what every screen shows.
    store
        .record_risk_check(RiskCheckInput {
            subject: Subject::Person { id: kim.clone() },
            observed: BrosetItem::ALL[..4].to_vec(),
            plan: Some("two of us, keep distance".into()),
            occurred_at: None,
        })
        .unwrap();
    assert_eq!(listed(&store).risk, Some(RiskBand::High));
    assert_eq!(store.person(kim).unwrap().person.risk, Some(RiskBand::High));
}

#[test]
fn corrections_of_another_citizens_entry_are_refused_and_ignored() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "a.db");
    let kim = person(&store, "Kim");
    let ole = person(&store, "Ole");
    let kims_contact = store
        .record_contact(contact(Subject::Person { id: kim.clone() }))
        .unwrap();
    let device = journal::new_id();
    let now = now_ms();
    // A void about Ole aimed at Kim's contact, as a faulty or hostile replica would send it.
    let void = stamped(
        EntryKind::EntryVoided,
        &ole,
        &format!(r#"{{"target":"{}","reason":"x"}}"#, kims_contact.id),
        &device,
        now,
        now,
    );
    let refused = store
        .with_connection(|c| sync::ingest_batch(c, std::slice::from_ref(&void), Intake::phone(now)))
        .unwrap();
    assert!(
        matches!(&refused[0], Err(Error::NotAllowed { .. })),
        "{:?}",
        refused[0]
    );
    // Arriving before its target (as sync may deliver it), it is taken in, and ignored.
    let other = new_store(&dir, "b.db");
    let before = {
        let late = stamped(
            EntryKind::EntryAmended,
            &ole,
            &format!(
                r#"{{"target":"{}","patch":{{"minutes":1}}}}"#,
                kims_contact.id
            ),
            &device,
            now,
            now,
        );
        other
            .with_connection(|c| {
                sync::ingest_batch(c, std::slice::from_ref(&void), Intake::phone(now))?;
                sync::ingest_batch(c, std::slice::from_ref(&late), Intake::phone(now))
            })
            .unwrap();
        dump_projections(&other)
    };
    let originals: Vec<Entry> = store
        .with_connection(gadeplan_core::entries::all_in_hlc_order)
        .unwrap();
    other
        .with_connection(|c| {
            sync::ingest_batch(c, &originals, Intake::phone(now))?;
            Ok(())
        })
        .unwrap();
    let kims = other.person(kim.clone()).unwrap();
    let contact_item = kims
        .timeline
        .iter()
        .find(|i| i.id == kims_contact.id)
        .unwrap();
    assert_eq!(
        contact_item.voided_by, None,
        "the cross-citizen void is ignored"
    );
    assert!(contact_item.amended_by.is_empty(), "so is the amendment");
    assert_ne!(before, dump_projections(&other));
    // And a rebuild agrees.
    let incremental = dump_projections(&other);
    other.rebuild_projections().unwrap();
    assert_eq!(incremental, dump_projections(&other));
}

/// Noting a person with `alias` is refused, for the alias.
fn refused_as_alias(store: &Store, alias: &str) {
    let err = store
        .add_person(NewPerson {
            alias: alias.into(),
            description: None,
            birth_year: None,
            from_unknown: None,
            occurred_at: None,
        })
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput { field, .. } if field == "alias"),
        "{alias:?}: {err:?}"
    );
}

#[test]
fn names_are_normalised_and_refuse_invisible_characters() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "a.db");
    // "Nørrebro" with a decomposed ø? ø has none; take "Århus" typed as A + ring above.
    let decomposed = "A\u{030A}rhus-Jens";
    let id = person(&store, decomposed);
    assert_eq!(store.person(id).unwrap().person.alias, "\u{00C5}rhus-Jens");
    for alias in [
        "Kim\u{200B}",
        "\u{200B}\u{200B}",
        "\u{202E}enaJ",
        "Jo\u{2066}hn",
        "\u{FEFF}Bo",
    ] {
        refused_as_alias(&store, alias);
    }
    let err = Store::create(
        path(&dir, "b.db"),
        KEY.to_vec(),
        "Mette\u{200B}".into(),
        "phone".into(),
    )
    .err()
    .unwrap();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    assert!(!std::path::Path::new(&path(&dir, "b.db")).exists());
}

#[test]
fn emoji_names_pass_and_a_store_holding_an_alias_older_rules_allowed_still_rebuilds() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "a.db");
    for alias in [
        "\u{1F408}\u{200D}\u{2B1B}",
        "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}",
        "\u{2764}\u{FE0F}\u{200D}\u{1F525} Kim",
        "\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}",
    ] {
        let id = person(&store, alias);
        assert_eq!(store.person(id).unwrap().person.alias, alias);
    }
    for alias in [
        "Ki\u{200D}m",
        "Bo\u{00AD}b",
        "\u{1F408}\u{200D}",
        "\u{E0067}x",
        "Ali\u{200C}",
        "Kim\u{1F3F4}\u{E0041}\u{E0042}\u{E0043}",
        "Kim\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}",
        "Kim\u{FE0F}\u{200D}\u{FE0F}",
    ] {
        refused_as_alias(&store, alias);
    }
    // An alias with a zero-width space, as a version before the name rules took it in: the
    // store must still rebuild (migration 4 does) and show the citizen.
    let subject = journal::new_id();
    let legacy = stamped(
        EntryKind::PersonNoted,
        &subject,
        r#"{"alias":"Kim\u200b"}"#,
        &journal::new_id(),
        now_ms() - 1000,
        now_ms() - 1000,
    );
    take_in_unchecked(&store, &legacy);
    let before = dump_projections(&store);
    store.rebuild_projections().unwrap();
    assert_eq!(before, dump_projections(&store));
    assert_eq!(store.person(subject).unwrap().person.alias, "Kim\u{200B}");
}

#[test]
fn stores_are_private_to_their_owner() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "a.db");
    person(&store, "Kim");
    for suffix in ["", "-wal", "-shm"] {
        let file = format!("{}{suffix}", path(&dir, "a.db"));
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{file}");
    }
    drop(store);
    // A store made before stores were private is narrowed when opened.
    std::fs::set_permissions(path(&dir, "a.db"), std::fs::Permissions::from_mode(0o644)).unwrap();
    Store::open(path(&dir, "a.db"), KEY.to_vec()).unwrap();
    let mode = std::fs::metadata(path(&dir, "a.db"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn a_failed_init_leaves_nothing_behind() {
    let dir = TempDir::new().unwrap();
    // Something takes the path while the store is being built (a dangling link stands for it):
    // the finished store is not put there, and nothing of it stays beside the path.
    let taken = dir.path().join("a.db");
    std::os::unix::fs::symlink(dir.path().join("nowhere"), &taken).unwrap();
    let err = Store::create(
        taken.to_string_lossy().into_owned(),
        KEY.to_vec(),
        "Mette".into(),
        "phone".into(),
    )
    .err()
    .unwrap();
    assert!(matches!(err, Error::AlreadyInitialised), "{err:?}");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, vec![std::ffi::OsString::from("a.db")], "{left:?}");
    // Once the path is free, the next try makes the store, and no temporary file stays.
    std::fs::remove_file(&taken).unwrap();
    let ok = new_store(&dir, "a.db");
    assert_eq!(ok.identity().unwrap().worker, "Mette");
    let names: HashSet<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".init-"))
        .collect();
    assert!(names.is_empty(), "no temporary file stays: {names:?}");
}

//! What earlier versions left behind, met by this one: a centre that holds entries accepted
//! before the time bounds and name rules, pulled by phones that apply them.

use gadeplan_core::{EntryKind, Store, clock, journal};
use gadeplan_tests::{Harness, TEAM_A, forge, person};

/// Puts an entry in the centre's journal and its team's sequence as a centre before the
/// hardening would have taken it in, without today's checks.
fn held_by_an_earlier_centre(h: &Harness, entry: &journal::Entry) {
    let conn = h.centre_db();
    gadeplan_core::entries::insert(&conn, entry).unwrap();
    conn.execute(
        "INSERT INTO centre_sequence (team, seq, entry_id, device)
         VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM centre_sequence WHERE team = ?1), ?2, ?3)",
        rusqlite::params![TEAM_A, entry.id, entry.author_device],
    )
    .unwrap();
}

/// A routine low Brøset check of `person` by `store`'s device, stamped in 2100.
fn low_check_in_2100(store: &Store, person: &str) -> journal::Entry {
    let in_2100 = chrono::DateTime::parse_from_rfc3339("2100-06-01T12:00:00Z")
        .unwrap()
        .timestamp_millis();
    let low = r#"{"answers":{"confusion":false,"irritability":false,"boisterousness":false,"physical-threats":false,"verbal-threats":false,"attacks-on-objects":false},"instrument_version":1}"#;
    forge(store, EntryKind::RiskChecked, person, low, Some(in_2100))
}

fn aliases(store: &Store) -> Vec<String> {
    let mut names: Vec<String> = store
        .list_persons(None, 0)
        .unwrap()
        .into_iter()
        .map(|p| p.alias)
        .collect();
    names.sort();
    names
}

/// Review round 3: an earlier centre took in a check stamped in 2100 and an alias with a
/// zero-width space. Before, every phone of the team stopped its pull at the first of them
/// ("unreadable-entry") for good: nothing its colleagues recorded after it ever arrived. Now a
/// phone sets such entries aside, whole and counted in its status, takes in everything after
/// them, and stays in step with the centre without fetching everything again at each sync.
#[test]
fn entries_an_earlier_centre_accepted_are_set_aside_and_the_pull_goes_on() {
    let h = Harness::new();
    let old = h.phone(TEAM_A, "Mette");
    let kim = person(&old, "Kim");
    old.sync(h.transport()).unwrap();
    let future = low_check_in_2100(&old, &kim);
    held_by_an_earlier_centre(&h, &future);
    let hidden = forge(
        &old,
        EntryKind::PersonNoted,
        &journal::new_id(),
        r#"{"alias":"Bo\u200b"}"#,
        Some(clock::now().timestamp_millis() - 1000),
    );
    held_by_an_earlier_centre(&h, &hidden);
    // A colleague records after them.
    let colleague = h.phone(TEAM_A, "Jonas");
    person(&colleague, "Sara");
    colleague
        .sync(h.transport())
        .expect("the colleague's sync goes on past what it set aside");
    assert!(aliases(&colleague).contains(&"Sara".to_string()));

    let fresh = h.phone(TEAM_A, "Ali");
    let report = fresh.sync(h.transport()).unwrap();
    assert!(report.in_step, "{report:?}");
    assert_eq!(aliases(&fresh), ["Kim", "Sara"]);
    let status = fresh.sync_status().unwrap();
    assert_eq!(status.set_aside, 2, "{status:?}");
    // In step: the next sync does not fetch everything again.
    let again = fresh.sync(h.transport()).unwrap();
    assert!(again.in_step && !again.repaired, "{again:?}");
    assert_eq!(again.pulled, 0, "{again:?}");
    // Kim's current risk is not the check from 2100.
    let kim_listed = fresh
        .list_persons(None, 0)
        .unwrap()
        .into_iter()
        .find(|p| p.alias == "Kim")
        .unwrap();
    assert!(kim_listed.risk.is_none(), "{kim_listed:?}");
}

/// Review round 3: a phone that pushed a check stamped in 2100 to an earlier centre, which took
/// it in and acknowledged it: its push watermark lies in 2100. Before, the phone's clock
/// resumed after that watermark, so everything it recorded from then on was stamped in 2100 and
/// refused by the centre, every sync, for good. Now the clock does not follow it; what the phone
/// records is sent (through the digest repair, with the held check answered as a duplicate).
#[test]
fn a_phone_whose_watermark_an_earlier_centre_put_in_2100_still_sends_what_it_records() {
    let h = Harness::new();
    let old = h.phone(TEAM_A, "Mette");
    let kim = person(&old, "Kim");
    old.sync(h.transport()).unwrap();
    let future = low_check_in_2100(&old, &kim);
    held_by_an_earlier_centre(&h, &future);
    old.with_connection(|c| {
        gadeplan_core::entries::insert(c, &future)?;
        let payload = journal::Payload::read(future.kind, &future.payload)?;
        gadeplan_core::projection::apply(c, &future, &payload)?;
        c.execute(
            "UPDATE meta SET value = ?1 WHERE key = 'sync_pushed_through'",
            [&future.id],
        )?;
        Ok(())
    })
    .unwrap();

    person(&old, "Lis");
    let report = old.sync(h.transport()).unwrap();
    assert!(report.in_step, "{report:?}");
    let colleague = h.phone(TEAM_A, "Jonas");
    colleague.sync(h.transport()).unwrap();
    assert!(
        aliases(&colleague).contains(&"Lis".to_string()),
        "{:?}",
        aliases(&colleague)
    );
}

//! The storage seam's conformance suite: what every backend of `gadeplan_centre::storage` must do,
//! written once against the `Storage` and `Tx` traits and run for each backend by
//! `centre/tests/storage.rs` (`conformance_suite!`). A backend that passes behaves, to the
//! protocol's rules above the seam, exactly as any other: the same rows found, the same order,
//! the same digests, the same sequence numbers, nothing of a rolled-back transaction left.
//!
//! A method added to the seam gets its test here, in the same change (`ARCHITECTURE.md`).

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::sync::Arc;

use gadeplan_centre::storage::postgres::PostgresStorage;
use gadeplan_centre::storage::sqlite::SqliteStorage;
use gadeplan_centre::storage::{
    AuditRow, CheckinRow, CheckinStepRow, CodeRow, GlassRow, HeldRow, NewDevice, NewLeaderToken,
    SessionRow, Storage, Tx, UserRow,
};
use gadeplan_core::journal::{Entry, EntryKind};
use gadeplan_core::sync::digest_of;
use tempfile::TempDir;

/// A fresh, empty backend, with whatever keeps it alive.
pub struct Backend {
    pub storage: Arc<dyn Storage>,
    _dir: Option<TempDir>,
}

/// A new embedded store in a temporary directory.
pub fn sqlite() -> Option<Backend> {
    let dir = TempDir::new().expect("temporary directory");
    let storage = SqliteStorage::open(&dir.path().join("centre"), u32::MAX).expect("store");
    Some(Backend {
        storage: Arc::new(storage),
        _dir: Some(dir),
    })
}

/// A new database on the test command's PostgreSQL server (none: skipped, see testkit).
pub fn postgres() -> Option<Backend> {
    let address = gadeplan_testkit::postgres::fresh_database()?;
    let storage = PostgresStorage::connect(&address).expect("PostgreSQL");
    Some(Backend {
        storage: Arc::new(storage),
        _dir: None,
    })
}

/// Generates one `#[test]` per check of the suite, each on a fresh backend from `$fresh`.
#[macro_export]
macro_rules! conformance_suite {
    ($fresh:path) => {
        $crate::conformance_suite!(@tests $fresh;
            teams_are_unique_and_sorted_bytewise,
            enrolment_codes_count_failures_and_are_used_once,
            devices_are_found_by_id_and_token_and_revoked_for_good,
            a_devices_next_token_waits_beside_its_token_until_promoted,
            the_roster_adds_retires_and_adds_again,
            checkins_are_kept_whole_and_each_step_once,
            the_audit_log_keeps_its_records_in_order,
            accounts_sessions_and_grants_are_kept_and_ended,
            leader_tokens_are_found_touched_and_revoked,
            push_usage_adds_up_by_hour_and_day,
            appends_number_each_team_from_one_without_gaps,
            pulls_page_after_a_cursor_in_sequence_order,
            a_citizens_entries_are_found_by_subject_and_erased_ones_kept_out,
            digests_agree_with_the_cores_and_include_a_devices_held_entries,
            an_id_is_stored_once,
            a_citizen_belongs_to_the_team_that_claimed_them_first,
            held_entries_wait_are_refused_or_released,
            a_transaction_not_committed_leaves_nothing,
            concurrent_appends_to_one_team_get_distinct_consecutive_numbers,
        );
    };
    (@tests $fresh:path; $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                if let Some(backend) = $fresh() {
                    $crate::conformance::$name(&*backend.storage);
                }
            }
        )*
    };
}

const AT: &str = "2026-12-01T10:00:00.000Z";
const LATER: &str = "2026-12-02T10:00:00.000Z";

fn begin(storage: &dyn Storage) -> Box<dyn Tx + '_> {
    storage.begin().expect("a transaction")
}

fn committed<T>(storage: &dyn Storage, work: impl FnOnce(&mut dyn Tx) -> T) -> T {
    let mut tx = begin(storage);
    let value = work(&mut *tx);
    tx.commit().expect("commit");
    value
}

fn team(tx: &mut dyn Tx, name: &str) {
    assert!(tx.insert_team(name, AT).expect("team"));
}

fn device(tx: &mut dyn Tx, id: &str, team: &str, worker: &str) {
    tx.insert_device(&NewDevice {
        id: id.into(),
        team: team.into(),
        worker: worker.into(),
        name: format!("{worker}'s phone"),
        token_hash: format!("hash-of-{id}"),
        enrolled_at: AT.into(),
    })
    .expect("device");
}

/// An entry as far as storage cares (storage does not check entries; the rules above it do).
fn entry(device: &str) -> Entry {
    Entry {
        id: uuid::Uuid::now_v7().to_string().into(),
        kind: EntryKind::PersonNoted,
        schema_version: 1,
        subject: uuid::Uuid::now_v7().to_string().into(),
        author_worker: "Ane".into(),
        author_device: device.to_string().into(),
        occurred_at: AT.into(),
        recorded_at: format!("{AT}/0/{device}"),
        payload: r#"{"alias":"Ravnen"}"#.into(),
    }
}

/// Appends as the protocol does: where the backend keeps the core's journal, the entry is stored
/// there first (the core's ingest does that in a push).
fn append(tx: &mut dyn Tx, team: &str, device: &str, e: &Entry) -> u64 {
    if let Some(conn) = tx.projection() {
        gadeplan_core::entries::insert(conn, e).expect("journal");
    }
    tx.append(team, device, e).expect("append")
}

pub fn teams_are_unique_and_sorted_bytewise(storage: &dyn Storage) {
    // What the backend says of its projections is what its transactions hand out.
    assert_eq!(
        storage.keeps_projections(),
        begin(storage).projection().is_some()
    );
    committed(storage, |tx| {
        for name in ["Vesterbro", "Nørrebro", "amager", "Amager"] {
            team(tx, name);
        }
        assert!(!tx.insert_team("Vesterbro", LATER).unwrap());
        assert!(tx.team_exists("Nørrebro").unwrap());
        assert!(!tx.team_exists("nørrebro").unwrap());
        // Bytewise, as SQLite compares: capitals first, then small letters, then ø.
        assert_eq!(
            tx.teams().unwrap(),
            ["Amager", "Nørrebro", "Vesterbro", "amager"]
        );
    });
}

pub fn enrolment_codes_count_failures_and_are_used_once(storage: &dyn Storage) {
    committed(storage, |tx| {
        team(tx, "Vesterbro");
        let code = CodeRow {
            code_hash: "h1".into(),
            team: "Vesterbro".into(),
            worker: "Ane".into(),
            expires_at: LATER.into(),
            used_at: None,
            failures: 0,
        };
        tx.insert_code(&code).unwrap();
        assert_eq!(tx.code("h1").unwrap(), Some(code.clone()));
        assert_eq!(tx.code("h2").unwrap(), None);
        tx.count_code_failure("h1", 3, AT).unwrap();
        tx.count_code_failure("h1", 3, AT).unwrap();
        let twice = tx.code("h1").unwrap().unwrap();
        assert_eq!((twice.failures, twice.used_at), (2, None));
        // The third wrong try uses the code up; a fourth changes nothing more.
        tx.count_code_failure("h1", 3, LATER).unwrap();
        tx.count_code_failure("h1", 3, "2027-01-01T00:00:00.000Z")
            .unwrap();
        let spent = tx.code("h1").unwrap().unwrap();
        assert_eq!((spent.failures, spent.used_at.as_deref()), (4, Some(LATER)));
        tx.insert_code(&CodeRow {
            code_hash: "h3".into(),
            ..code
        })
        .unwrap();
        tx.use_code("h3", AT).unwrap();
        assert_eq!(tx.code("h3").unwrap().unwrap().used_at.as_deref(), Some(AT));
    });
}

/// A check-in's row is written whole and read back as written (replaced by id); the due ones
/// are found by `next_at_ms`, soonest first; a step is recorded once, a second of the same
/// number refused; a rolled-back step leaves nothing; the listing is per team, latest first.
pub fn checkins_are_kept_whole_and_each_step_once(storage: &dyn Storage) {
    let row = |id: &str, team: &str, started: &str, next: Option<i64>| CheckinRow {
        id: id.into(),
        team: team.into(),
        worker: "Mette".into(),
        watcher: "Jonas".into(),
        place: "Istedgade 12, 3. th.".into(),
        started_at: started.into(),
        due_at: LATER.into(),
        due_set_at: started.into(),
        high_risk: false,
        ended_at: None,
        ended_by: None,
        on_behalf: false,
        duress: false,
        level: 0,
        overdue_since: None,
        next_at_ms: next,
        acknowledged_by: None,
        acknowledged_at: None,
    };
    let step = |n: u32, level: &str| CheckinStepRow {
        checkin: "c1".into(),
        step: n,
        level: level.into(),
        taken_at: LATER.into(),
        process: "host:1".into(),
    };
    committed(storage, |tx| {
        team(tx, "Vesterbro");
        team(tx, "Amager");
        tx.put_checkin(&row("c1", "Vesterbro", AT, Some(2_000)))
            .unwrap();
        tx.put_checkin(&row("c2", "Vesterbro", LATER, Some(1_000)))
            .unwrap();
        tx.put_checkin(&row("c3", "Amager", AT, None)).unwrap();
        assert_eq!(
            tx.checkins_due(2_000, 10).unwrap(),
            [
                ("c2".to_string(), "Vesterbro".to_string()),
                ("c1".to_string(), "Vesterbro".to_string())
            ],
            "soonest first, none without a next step"
        );
        assert_eq!(tx.checkins_due(1_500, 10).unwrap().len(), 1);
        assert_eq!(tx.checkins_due(2_000, 1).unwrap().len(), 1, "limit");
        let mut changed = row("c1", "Vesterbro", AT, None);
        changed.level = 2;
        changed.duress = true;
        changed.ended_at = Some(LATER.into());
        changed.ended_by = Some("Mette".into());
        changed.acknowledged_by = Some("Birgit".into());
        changed.acknowledged_at = Some(AT.into());
        changed.overdue_since = Some(LATER.into());
        tx.put_checkin(&changed).unwrap();
        assert_eq!(tx.checkin("c1").unwrap(), Some(changed));
        assert_eq!(tx.checkin("c9").unwrap(), None);
        assert!(tx.add_checkin_step(&step(1, "watcher")).unwrap());
        assert!(!tx.add_checkin_step(&step(1, "team")).unwrap(), "once");
        assert!(tx.add_checkin_step(&step(2, "team")).unwrap());
        let ids = |rows: Vec<CheckinRow>| rows.into_iter().map(|r| r.id).collect::<Vec<_>>();
        assert_eq!(
            ids(tx.checkins_since(Some("Vesterbro"), AT).unwrap()),
            ["c2", "c1"]
        );
        assert_eq!(ids(tx.checkins_since(None, LATER).unwrap()), ["c2"]);
        assert_eq!(ids(tx.checkins_since(Some("Amager"), AT).unwrap()), ["c3"]);
        // Live: c2 and c3 are not ended; c1 ended with the duress code, acknowledged at AT.
        assert_eq!(
            ids(tx.live_checkins(Some("Vesterbro"), AT).unwrap()),
            ["c2", "c1"]
        );
        assert_eq!(
            ids(tx.live_checkins(Some("Vesterbro"), LATER).unwrap()),
            ["c2"],
            "acknowledged before"
        );
        let mut ended = row("c3", "Amager", AT, None);
        ended.ended_at = Some(LATER.into());
        tx.put_checkin(&ended).unwrap();
        assert_eq!(
            ids(tx.live_checkins(None, AT).unwrap()),
            ["c2", "c1"],
            "every team's"
        );
    });
    {
        // Dropped without a commit: rolled back.
        let mut tx = begin(storage);
        assert!(tx.add_checkin_step(&step(3, "leader")).unwrap());
    }
    committed(storage, |tx| {
        let steps = tx.checkin_steps("c1").unwrap();
        assert_eq!(
            steps
                .iter()
                .map(|s| (s.step, s.level.as_str()))
                .collect::<Vec<_>>(),
            [(1, "watcher"), (2, "team")],
            "the rolled-back step left nothing"
        );
        assert_eq!(steps[0], step(1, "watcher"));
    });
}

/// The page's accounts: a name is taken once; failures, the lock, a new password and disabling
/// are kept; a session is found by its hash, touched and ended (one, or all of a user's); a
/// break-the-glass grant is found only while it lasts.
pub fn accounts_sessions_and_grants_are_kept_and_ended(storage: &dyn Storage) {
    let user = UserRow {
        id: "u1".into(),
        name: "mette".into(),
        role: "leader".into(),
        team: Some("Vesterbro".into()),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        failures: 0,
        locked_until: None,
        created_at: AT.into(),
        disabled_at: None,
    };
    let session = |hash: &str| SessionRow {
        token_hash: hash.into(),
        user_id: "u1".into(),
        csrf: "c".repeat(64),
        created_at: AT.into(),
        expires_at: LATER.into(),
        last_seen_at: AT.into(),
        ended_at: None,
    };
    committed(storage, |tx| {
        assert!(tx.insert_user(&user).unwrap());
        assert!(
            !tx.insert_user(&UserRow {
                id: "u2".into(),
                ..user.clone()
            })
            .unwrap()
        );
        assert!(
            tx.insert_user(&UserRow {
                id: "u3".into(),
                name: "auditor".into(),
                role: "auditor".into(),
                team: None,
                ..user.clone()
            })
            .unwrap()
        );
        tx.insert_session(&session("s1")).unwrap();
        tx.insert_session(&session("s2")).unwrap();
    });
    committed(storage, |tx| {
        assert_eq!(tx.user_by_name("mette").unwrap(), Some(user.clone()));
        assert_eq!(tx.user_by_name("nobody").unwrap(), None);
        assert_eq!(
            tx.users()
                .unwrap()
                .iter()
                .map(|u| u.name.as_str())
                .collect::<Vec<_>>(),
            ["auditor", "mette"]
        );
        tx.set_user_failures("u1", 4, Some(LATER)).unwrap();
        let found = tx.user_by_id("u1").unwrap().unwrap();
        assert_eq!(
            (found.failures, found.locked_until.as_deref()),
            (4, Some(LATER))
        );
        tx.set_user_password("u1", "new").unwrap();
        let found = tx.user_by_id("u1").unwrap().unwrap();
        assert_eq!(
            (
                found.password_hash.as_str(),
                found.failures,
                found.locked_until
            ),
            ("new", 0, None)
        );
        assert_eq!(tx.session("s1").unwrap(), Some(session("s1")));
        tx.touch_session("s1", LATER).unwrap();
        assert_eq!(tx.session("s1").unwrap().unwrap().last_seen_at, LATER);
        tx.end_session("s1", LATER).unwrap();
        assert_eq!(
            tx.session("s1").unwrap().unwrap().ended_at.as_deref(),
            Some(LATER)
        );
        // Only the one still open is ended again.
        assert_eq!(tx.end_user_sessions("u1", LATER).unwrap(), 1);
        assert!(tx.disable_user("u1", LATER).unwrap());
        assert!(!tx.disable_user("nobody", LATER).unwrap());
        assert_eq!(
            tx.user_by_id("u1").unwrap().unwrap().disabled_at.as_deref(),
            Some(LATER)
        );
        let grant = GlassRow {
            user_id: "u1".into(),
            subject: "c1".into(),
            reason: "handover".into(),
            granted_at: AT.into(),
            expires_at: "2026-12-01T10:30:00.000Z".into(),
        };
        tx.insert_glass(&grant).unwrap();
        assert_eq!(
            tx.glass("u1", "c1", "2026-12-01T10:10:00.000Z").unwrap(),
            Some(grant.clone())
        );
        assert_eq!(
            tx.glass("u1", "c1", "2026-12-01T10:30:00.000Z").unwrap(),
            None
        );
        assert_eq!(
            tx.glass("u1", "c2", "2026-12-01T10:10:00.000Z").unwrap(),
            None
        );
        assert_eq!(
            tx.glass("u3", "c1", "2026-12-01T10:10:00.000Z").unwrap(),
            None
        );
    });
}

/// The audit log: records appended under its lock are read back whole, after a number, in
/// order, within a limit; the last one's number and hash are known; a rolled-back one leaves
/// nothing.
pub fn the_audit_log_keeps_its_records_in_order(storage: &dyn Storage) {
    let row = |seq: u64| AuditRow {
        seq,
        at: AT.into(),
        actor: "leader-token:t1".into(),
        action: "report-read".into(),
        team: Some("Vesterbro".into()),
        subject: (seq == 2).then(|| "c1".into()),
        detail: None,
        source: Some("127.0.0.1".into()),
        prev_hash: format!("{:064}", seq - 1),
        hash: format!("{seq:064}"),
    };
    committed(storage, |tx| {
        assert_eq!(tx.audit_last().unwrap(), None);
        tx.lock_audit().unwrap();
        for seq in 1..=3 {
            tx.audit_insert(&row(seq)).unwrap();
        }
    });
    {
        let mut tx = begin(storage);
        tx.lock_audit().unwrap();
        tx.audit_insert(&row(4)).unwrap();
    }
    committed(storage, |tx| {
        assert_eq!(tx.audit_last().unwrap(), Some((3, format!("{:064}", 3))));
        assert_eq!(tx.audit_rows(0, 10).unwrap(), [row(1), row(2), row(3)]);
        assert_eq!(tx.audit_rows(1, 1).unwrap(), [row(2)]);
        assert!(tx.audit_rows(3, 10).unwrap().is_empty());
    });
}

/// A team's roster: a worker added once (a second addition changes nothing), retired once,
/// added again with their first date kept; per team; in bytewise order.
pub fn the_roster_adds_retires_and_adds_again(storage: &dyn Storage) {
    committed(storage, |tx| {
        team(tx, "Vesterbro");
        team(tx, "Amager");
        assert!(tx.roster_add("Vesterbro", "Åse", AT).unwrap());
        assert!(tx.roster_add("Vesterbro", "Bo", AT).unwrap());
        assert!(
            !tx.roster_add("Vesterbro", "Bo", LATER).unwrap(),
            "on it already"
        );
        assert!(tx.roster_add("Amager", "Bo", LATER).unwrap());
        let names = |tx: &mut dyn Tx, team: &str| -> Vec<(String, Option<String>)> {
            tx.roster(team)
                .unwrap()
                .into_iter()
                .map(|r| (r.worker, r.retired_at))
                .collect()
        };
        assert_eq!(
            names(tx, "Vesterbro"),
            [("Bo".to_string(), None), ("Åse".to_string(), None)],
            "bytewise: Å after B"
        );
        assert!(tx.roster_retire("Vesterbro", "Bo", LATER).unwrap());
        assert!(
            !tx.roster_retire("Vesterbro", "Bo", LATER).unwrap(),
            "retired already"
        );
        assert!(!tx.roster_retire("Vesterbro", "Nobody", LATER).unwrap());
        assert_eq!(names(tx, "Vesterbro")[0].1.as_deref(), Some(LATER));
        assert_eq!(names(tx, "Amager"), [("Bo".to_string(), None)], "per team");
        assert!(
            tx.roster_add("Vesterbro", "Bo", LATER).unwrap(),
            "back on it"
        );
        let bo = tx.roster("Vesterbro").unwrap().remove(0);
        assert_eq!(
            (bo.added_at.as_str(), bo.retired_at),
            (AT, None),
            "first date kept"
        );
    });
}

pub fn devices_are_found_by_id_and_token_and_revoked_for_good(storage: &dyn Storage) {
    committed(storage, |tx| {
        team(tx, "Vesterbro");
        team(tx, "Amager");
        device(tx, "d2", "Vesterbro", "Bo");
        device(tx, "d1", "Vesterbro", "Ane");
        device(tx, "d3", "Amager", "Ane");
        let d1 = tx.device_by_id("d1").unwrap().unwrap();
        assert_eq!((d1.team.as_str(), d1.worker.as_str()), ("Vesterbro", "Ane"));
        assert_eq!(d1.last_used_at.as_deref(), Some(AT));
        assert_eq!(tx.device_by_token("hash-of-d1").unwrap(), Some(d1));
        assert_eq!(tx.device_by_token("hash-of-nobody").unwrap(), None);
        tx.renew_device_token("d1", "new-hash", LATER).unwrap();
        assert_eq!(tx.device_by_token("hash-of-d1").unwrap(), None);
        assert_eq!(
            tx.device_by_token("new-hash")
                .unwrap()
                .unwrap()
                .last_used_at
                .as_deref(),
            Some(LATER)
        );
        tx.touch_device("d2", LATER).unwrap();
        assert_eq!(
            tx.device_by_id("d2")
                .unwrap()
                .unwrap()
                .last_used_at
                .as_deref(),
            Some(LATER)
        );
        let order: Vec<String> = tx.devices().unwrap().into_iter().map(|d| d.id).collect();
        assert_eq!(order, ["d3", "d1", "d2"]);
        assert_eq!(tx.team_workers("Vesterbro").unwrap(), ["Ane", "Bo"]);
        // Retired, then lost: lost stands; lost is never weakened to retired.
        assert!(tx.revoke_device("d2", AT, "retired").unwrap());
        assert!(tx.revoke_device("d2", LATER, "lost").unwrap());
        assert!(tx.revoke_device("d2", LATER, "retired").unwrap());
        let d2 = tx.device_by_id("d2").unwrap().unwrap();
        assert_eq!(
            (d2.revoked_at.as_deref(), d2.revocation.as_deref()),
            (Some(AT), Some("lost"))
        );
        assert!(!tx.revoke_device("nobody", AT, "lost").unwrap());
    });
}

/// Token rotation's rows: a next token beside the current one, found by its hash, replaced by
/// a later one while unused, made the token on promotion (the old forgotten, and the operator's
/// request for a rotation done), and forgotten with that request when the device is given a new
/// token at re-enrolment.
pub fn a_devices_next_token_waits_beside_its_token_until_promoted(storage: &dyn Storage) {
    committed(storage, |tx| {
        team(tx, "Vesterbro");
        device(tx, "d1", "Vesterbro", "Ane");
        device(tx, "d2", "Vesterbro", "Bo");
        assert_eq!(tx.device_by_next_token("next-1").unwrap(), None);
        assert!(
            !tx.promote_next_device_token("d1").unwrap(),
            "no next token yet"
        );
        let requested =
            |tx: &mut dyn Tx, id: &str| tx.device_by_id(id).unwrap().unwrap().rotation_requested_at;
        assert_eq!(requested(tx, "d1"), None);
        assert!(tx.request_token_rotation("d1", AT).unwrap());
        assert!(tx.request_token_rotation("d1", LATER).unwrap());
        assert_eq!(
            requested(tx, "d1").as_deref(),
            Some(AT),
            "the first request's time"
        );
        assert!(!tx.request_token_rotation("nobody", AT).unwrap());
        tx.set_next_device_token("d1", "next-1").unwrap();
        let d1 = tx.device_by_id("d1").unwrap();
        assert_eq!(tx.device_by_next_token("next-1").unwrap(), d1);
        // Both work until the next is promoted; a later next replaces an unused one.
        assert_eq!(tx.device_by_token("hash-of-d1").unwrap(), d1);
        tx.set_next_device_token("d1", "next-2").unwrap();
        assert_eq!(tx.device_by_next_token("next-1").unwrap(), None);
        assert_eq!(tx.device_by_next_token("next-2").unwrap(), d1);
        assert_eq!(tx.device_by_token("next-2").unwrap(), None);
        assert_eq!(
            requested(tx, "d1").as_deref(),
            Some(AT),
            "until a next is used"
        );
        assert!(tx.promote_next_device_token("d1").unwrap());
        assert_eq!(requested(tx, "d1"), None);
        let d1 = tx.device_by_id("d1").unwrap();
        assert_eq!(tx.device_by_token("next-2").unwrap(), d1);
        assert_eq!(tx.device_by_token("hash-of-d1").unwrap(), None);
        assert_eq!(tx.device_by_next_token("next-2").unwrap(), None);
        assert!(
            !tx.promote_next_device_token("d1").unwrap(),
            "promoted once"
        );
        // Another device is untouched; re-enrolment forgets a waiting next token and request.
        assert!(tx.device_by_token("hash-of-d2").unwrap().is_some());
        tx.set_next_device_token("d2", "next-3").unwrap();
        assert!(tx.request_token_rotation("d2", AT).unwrap());
        tx.renew_device_token("d2", "renewed", LATER).unwrap();
        assert_eq!(tx.device_by_next_token("next-3").unwrap(), None);
        assert_eq!(requested(tx, "d2"), None);
        assert!(!tx.promote_next_device_token("d2").unwrap());
        assert!(tx.device_by_token("renewed").unwrap().is_some());
    });
}

pub fn leader_tokens_are_found_touched_and_revoked(storage: &dyn Storage) {
    committed(storage, |tx| {
        team(tx, "Vesterbro");
        tx.insert_leader_token(&NewLeaderToken {
            id: "t1".into(),
            token_hash: "th1".into(),
            team: "Vesterbro".into(),
            created_at: AT.into(),
            expires_at: LATER.into(),
        })
        .unwrap();
        let found = tx.leader_token("th1").unwrap().unwrap();
        assert_eq!(
            (found.id.as_str(), found.team.as_str()),
            ("t1", "Vesterbro")
        );
        assert_eq!(found.last_used_at, None);
        assert_eq!(tx.leader_token("th2").unwrap(), None);
        tx.touch_leader_token("t1", LATER).unwrap();
        assert!(tx.revoke_leader_token("t1", LATER).unwrap());
        assert!(!tx.revoke_leader_token("t9", LATER).unwrap());
        let listed = tx.leader_tokens().unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].last_used_at.as_deref(), Some(LATER));
        assert_eq!(listed[0].revoked_at.as_deref(), Some(LATER));
    });
}

pub fn push_usage_adds_up_by_hour_and_day(storage: &dyn Storage) {
    committed(storage, |tx| {
        tx.charge("d1", 1000, 3, 300).unwrap();
        tx.charge("d1", 1000, 2, 200).unwrap();
        tx.charge("d1", 990, 10, 1000).unwrap();
        // 24 hours before hour 1000 is outside the day.
        tx.charge("d1", 976, 50, 5000).unwrap();
        tx.charge("d2", 1000, 7, 700).unwrap();
        let used = tx.usage("d1", 1000).unwrap();
        assert_eq!(
            (
                used.hour_entries,
                used.hour_bytes,
                used.day_entries,
                used.day_bytes
            ),
            (5, 500, 15, 1500)
        );
        let none = tx.usage("d9", 1000).unwrap();
        assert_eq!(none.day_entries, 0);
    });
}

pub fn appends_number_each_team_from_one_without_gaps(storage: &dyn Storage) {
    committed(storage, |tx| {
        team(tx, "A");
        team(tx, "B");
        tx.lock_team("A").unwrap();
        tx.lock_team("B").unwrap();
        assert_eq!(tx.latest_seq("A").unwrap(), 0);
        let a: Vec<u64> = (0..3)
            .map(|_| append(tx, "A", "da", &entry("da")))
            .collect();
        let b: Vec<u64> = (0..2)
            .map(|_| append(tx, "B", "db", &entry("db")))
            .collect();
        assert_eq!(a, [1, 2, 3]);
        assert_eq!(b, [1, 2]);
        assert_eq!(tx.latest_seq("A").unwrap(), 3);
        assert_eq!(tx.latest_seq("B").unwrap(), 2);
    });
    // A rolled-back append gives its number back: the next commit uses it, no gap.
    {
        let mut tx = begin(storage);
        tx.lock_team("A").unwrap();
        assert_eq!(append(&mut *tx, "A", "da", &entry("da")), 4);
    }
    let next = committed(storage, |tx| {
        tx.lock_team("A").unwrap();
        append(tx, "A", "da", &entry("da"))
    });
    assert_eq!(next, 4);
}

pub fn pulls_page_after_a_cursor_in_sequence_order(storage: &dyn Storage) {
    let made: Vec<Entry> = (0..7).map(|_| entry("da")).collect();
    committed(storage, |tx| {
        team(tx, "A");
        tx.lock_team("A").unwrap();
        for e in &made {
            append(tx, "A", "da", e);
        }
    });
    committed(storage, |tx| {
        let first = tx.entries_after("A", 0, 3).unwrap();
        assert_eq!(first.iter().map(|(s, _)| *s).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(first[0].1, made[0]);
        let rest = tx.entries_after("A", 3, 100).unwrap();
        assert_eq!(rest.len(), 4);
        assert_eq!(rest.last().unwrap().1, made[6]);
        assert!(tx.entries_after("A", 7, 100).unwrap().is_empty());
        assert!(tx.entries_after("B", 0, 100).unwrap().is_empty());
        assert!(tx.entries_after("A", u64::MAX, 100).unwrap().is_empty());
        assert_eq!(tx.entry_team(&made[2].id).unwrap().as_deref(), Some("A"));
        assert!(tx.known(&made[2].id).unwrap());
        assert!(!tx.known("0192f7a0-0000-7000-8000-000000000000").unwrap());
    });
}

/// A citizen's history (`subject_entries`) and an erasure (`erase_entries`): an erased entry
/// keeps its number, its id and its place in the digest, and is handed out by neither a pull nor
/// a history. Where the backend keeps the core's journal, the core's erasure removes it there
/// first (as `kinds::entry_erased` does in the erasure's transaction).
pub fn a_citizens_entries_are_found_by_subject_and_erased_ones_kept_out(storage: &dyn Storage) {
    let kim = uuid::Uuid::now_v7().to_string();
    let about_kim = |e: Entry| Entry {
        subject: kim.clone().into(),
        ..e
    };
    let made: Vec<Entry> = vec![
        about_kim(entry("da")),
        entry("da"),
        about_kim(entry("db")),
        about_kim(entry("da")),
    ];
    committed(storage, |tx| {
        team(tx, "A");
        team(tx, "B");
        tx.lock_team("A").unwrap();
        for e in &made {
            append(tx, "A", "da", e);
        }
    });
    let digest = committed(storage, |tx| tx.digest("A", None).unwrap());
    committed(storage, |tx| {
        let found = tx
            .subject_entries("A", std::slice::from_ref(&kim), 0, 10)
            .unwrap();
        assert_eq!(found.iter().map(|(s, _)| *s).collect::<Vec<_>>(), [1, 3, 4]);
        assert_eq!(found[1].1, made[2]);
        let after = tx
            .subject_entries("A", std::slice::from_ref(&kim), 1, 1)
            .unwrap();
        assert_eq!(after.iter().map(|(s, _)| *s).collect::<Vec<_>>(), [3]);
        assert!(
            tx.subject_entries("B", std::slice::from_ref(&kim), 0, 10)
                .unwrap()
                .is_empty()
        );
        let both = tx
            .subject_entries("A", &[kim.clone(), made[1].subject.to_string()], 0, 10)
            .unwrap();
        assert_eq!(both.len(), 4);
    });
    let erased = made[2].id.to_string();
    committed(storage, |tx| {
        tx.lock_team("A").unwrap();
        if let Some(conn) = tx.projection() {
            conn.execute(
                "INSERT INTO erased_entries (entry_id, kind, erased_by, counted) VALUES (?1, 'person.noted', 'e', 1)",
                [&erased],
            )
            .unwrap();
            conn.execute("DELETE FROM entries WHERE id = ?1", [&erased])
                .unwrap();
        }
        tx.erase_entries("A", std::slice::from_ref(&erased))
            .unwrap();
    });
    committed(storage, |tx| {
        let pulled: Vec<u64> = tx
            .entries_after("A", 0, 10)
            .unwrap()
            .iter()
            .map(|(s, _)| *s)
            .collect();
        assert_eq!(pulled, [1, 2, 4]);
        // A page after the erased one is full: it does not end the pull early.
        let page: Vec<u64> = tx
            .entries_after("A", 2, 1)
            .unwrap()
            .iter()
            .map(|(s, _)| *s)
            .collect();
        assert_eq!(page, [4]);
        let history: Vec<u64> = tx
            .subject_entries("A", std::slice::from_ref(&kim), 0, 10)
            .unwrap()
            .iter()
            .map(|(s, _)| *s)
            .collect();
        assert_eq!(history, [1, 4]);
        assert_eq!(
            tx.digest("A", None).unwrap(),
            digest,
            "the digest counts it still"
        );
        assert!(tx.known(&erased).unwrap());
        assert_eq!(tx.latest_seq("A").unwrap(), 4);
    });
}

pub fn digests_agree_with_the_cores_and_include_a_devices_held_entries(storage: &dyn Storage) {
    let made: Vec<Entry> = (0..5).map(|_| entry("da")).collect();
    committed(storage, |tx| {
        team(tx, "A");
        tx.lock_team("A").unwrap();
        for e in &made {
            append(tx, "A", "da", e);
        }
        tx.hold(&HeldRow {
            entry_id: "ffffffff-held".into(),
            device: "da".into(),
            team: "A".into(),
            kind: "future.kind".into(),
            schema_version: 9,
            entry: "{}".into(),
            held_at: AT.into(),
        })
        .unwrap();
    });
    let ids: BTreeSet<String> = made.iter().map(|e| e.id.to_string()).collect();
    committed(storage, |tx| {
        assert_eq!(
            tx.team_entry_ids("A").unwrap(),
            ids.iter().cloned().collect::<Vec<_>>()
        );
        assert_eq!(
            tx.digest("A", None).unwrap(),
            digest_of(ids.iter().cloned())
        );
        let mut with_held = ids.clone();
        with_held.insert("ffffffff-held".into());
        assert_eq!(tx.digest("A", Some("da")).unwrap(), digest_of(with_held));
        assert_eq!(
            tx.digest("A", Some("other")).unwrap(),
            digest_of(ids.iter().cloned())
        );
        assert_eq!(
            tx.digest("B", None).unwrap(),
            digest_of(Vec::<String>::new())
        );
    });
}

pub fn an_id_is_stored_once(storage: &dyn Storage) {
    let e = entry("da");
    committed(storage, |tx| {
        team(tx, "A");
        team(tx, "B");
        tx.lock_team("A").unwrap();
        append(tx, "A", "da", &e);
    });
    // The same id again, in any team, is refused by storage itself: the transaction fails and
    // leaves nothing.
    let before = committed(storage, |tx| tx.dump().unwrap());
    {
        let mut tx = begin(storage);
        tx.lock_team("B").unwrap();
        let again = match tx.projection() {
            // The core's journal refuses it first (its insert reports "already there").
            Some(conn) => {
                assert!(!gadeplan_core::entries::insert(conn, &e).unwrap());
                tx.append("B", "db", &e)
            }
            None => tx.append("B", "db", &e),
        };
        assert!(again.is_err(), "an id stored twice");
    }
    assert_eq!(committed(storage, |tx| tx.dump().unwrap()), before);
}

pub fn a_citizen_belongs_to_the_team_that_claimed_them_first(storage: &dyn Storage) {
    committed(storage, |tx| {
        assert_eq!(tx.subject_team("s1").unwrap(), None);
        assert_eq!(tx.claim_subject("s1", "A").unwrap(), "A");
        assert_eq!(tx.claim_subject("s1", "B").unwrap(), "A");
        assert_eq!(tx.subject_team("s1").unwrap().as_deref(), Some("A"));
        tx.release_subject("s1").unwrap();
        assert_eq!(tx.claim_subject("s1", "B").unwrap(), "B");
    });
}

pub fn held_entries_wait_are_refused_or_released(storage: &dyn Storage) {
    committed(storage, |tx| {
        team(tx, "A");
        device(tx, "da", "A", "Ane");
        for (id, kind) in [("e2", "future.kind"), ("e1", "person.noted")] {
            tx.hold(&HeldRow {
                entry_id: id.into(),
                device: "da".into(),
                team: "A".into(),
                kind: kind.into(),
                schema_version: 2,
                entry: format!("{{\"id\":\"{id}\"}}"),
                held_at: AT.into(),
            })
            .unwrap();
        }
        assert!(tx.known("e1").unwrap());
        assert_eq!(
            tx.held_entry("e1").unwrap().as_deref(),
            Some("{\"id\":\"e1\"}")
        );
        assert!(tx.device_holds("da").unwrap());
        assert!(!tx.device_holds("db").unwrap());
        assert!(tx.held_for("e2", "da").unwrap());
        assert!(!tx.held_for("e2", "db").unwrap());
        let waiting: Vec<String> = tx
            .held_waiting()
            .unwrap()
            .into_iter()
            .map(|w| w.0)
            .collect();
        assert_eq!(waiting, ["e1", "e2"]);
        assert_eq!(
            tx.held_with_device("e1").unwrap(),
            Some((
                "{\"id\":\"e1\"}".into(),
                "da".into(),
                "A".into(),
                "Ane".into()
            ))
        );
        tx.reject_held("e2", "refused (invalid-input)").unwrap();
        assert!(!tx.held_for("e2", "da").unwrap());
        let listed = tx.held().unwrap();
        assert_eq!(
            listed
                .iter()
                .map(|h| (h.entry_id.as_str(), h.status.as_str(), h.reason.as_deref()))
                .collect::<Vec<_>>(),
            [
                ("e1", "held", None),
                ("e2", "rejected", Some("refused (invalid-input)"))
            ]
        );
        tx.release_held("e1").unwrap();
        assert!(!tx.device_holds("da").unwrap());
        assert_eq!(tx.held_with_device("e1").unwrap(), None);
    });
}

pub fn a_transaction_not_committed_leaves_nothing(storage: &dyn Storage) {
    committed(storage, |tx| team(tx, "A"));
    let before = committed(storage, |tx| tx.dump().unwrap());
    {
        let mut tx = begin(storage);
        team(&mut *tx, "B");
        device(&mut *tx, "da", "A", "Ane");
        tx.charge("da", 1, 1, 1).unwrap();
        tx.claim_subject("s", "A").unwrap();
        tx.lock_team("A").unwrap();
        append(&mut *tx, "A", "da", &entry("da"));
        // Dropped: rolled back.
    }
    assert_eq!(committed(storage, |tx| tx.dump().unwrap()), before);
}

pub fn concurrent_appends_to_one_team_get_distinct_consecutive_numbers(storage: &dyn Storage) {
    committed(storage, |tx| team(tx, "A"));
    let per_thread = 20;
    let seqs: Vec<u64> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|t| {
                scope.spawn(move || {
                    let device = format!("d{t}");
                    (0..per_thread)
                        .map(|_| {
                            committed(storage, |tx| {
                                tx.lock_team("A").unwrap();
                                append(tx, "A", &device, &entry(&device))
                            })
                        })
                        .collect::<Vec<u64>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a thread"))
            .collect()
    });
    let mut sorted = seqs.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (1..=4 * per_thread as u64).collect::<Vec<_>>());
    let pulled = committed(storage, |tx| tx.entries_after("A", 0, 1000).unwrap());
    assert_eq!(pulled.len(), 4 * per_thread);
}

//! The crash suite: phone processes and the centre process killed with SIGKILL at random moments
//! while they record and sync, again and again.
//!
//! Four phones (three of one team, one of another) run as `crash-worker phone` processes, each
//! recording and syncing without end; the centre runs as `crash-worker centre`, the same server
//! as `gadeplan-centre serve`, on a new system-chosen port at every restart (phones are told it
//! when they start; a phone whose centre died keeps trying the old one, as one out of reach). In each round some phones start, and every process of the round,
//! the centre included now and then, is killed at its own random moment. After each kill:
//!
//! - the phone's store opens again, every id ever reported to the caller is in it exactly once
//!   (or its marker, the citizen purged: the centre releases every citizen without an open course),
//!   and `PRAGMA integrity_check` is `ok`;
//! - two of the phones also rekey their stores between two keys now and then: one killed while
//!   rekeying opens with its old key or its new one (never neither), one killed after the rekey
//!   returned with the new one only;
//! - after a centre kill, every entry any phone holds as acknowledged is in the centre's store,
//!   which passes `integrity_check`.
//!
//! At the end the centre comes back, every phone syncs, and each team's phones and the centre hold
//! exactly the same entries (every reported one among them), the same digest and the same
//! projected tables, which also equal a rebuild from the journal.
//!
//! `GADEPLAN_CRASH_KILLS` sets the number of kills: 100 by default (CI), 500 for the full run;
//! `GADEPLAN_CRASH_SEED` the seed (the run prints it).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use gadeplan::transport::HttpTransport;
use gadeplan_centre::{Centre, Database};
use gadeplan_core::Store;
use gadeplan_tests::work::{Dice, assert_team_converged};
use gadeplan_tests::*;
use tempfile::TempDir;

const WORKER: &str = env!("CARGO_BIN_EXE_crash-worker");
/// The phones that rekey their stores now and then (Jonas and Aisha).
const REKEYING: [usize; 2] = [1, 3];
const PHONES: [(&str, &str); 4] = [
    (TEAM_A, "Mette"),
    (TEAM_A, "Jonas"),
    (TEAM_A, "Lis"),
    (TEAM_B, "Aisha"),
];
/// Each process of a round dies within this many milliseconds of the round's start.
const LONGEST_LIFE_MS: u64 = 250;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn hex(key: &[u8]) -> String {
    key.iter().map(|b| format!("{b:02x}")).collect()
}

struct Phone {
    team: &'static str,
    worker: &'static str,
    path: String,
    /// Every id a worker process printed: the core had returned it as recorded.
    reported: BTreeSet<String>,
    /// The key the store opens with, as far as the suite knows.
    key: Vec<u8>,
    /// The key a rekeying phone moves its store to next; none for the others.
    other: Option<Vec<u8>>,
}

impl Phone {
    fn open(&self) -> Arc<Store> {
        Store::open(self.path.clone(), self.key.clone()).unwrap_or_else(|e| {
            panic!(
                "{}'s phone does not open after the kill: {e:?}",
                self.worker
            )
        })
    }

    /// The store a kill left, when the worker had announced a rekey to `announced` and not
    /// said that it returned: it must open with the old key or the announced one, and the suite
    /// goes on with whichever it is. Returns whether the rekey had taken.
    fn settle_rekey(&mut self, announced: &str) -> bool {
        assert_eq!(Some(announced), self.other.as_deref().map(hex).as_deref());
        match Store::open(self.path.clone(), self.key.clone()) {
            Ok(_) => false,
            Err(gadeplan_core::Error::WrongKey { .. }) => {
                let new = self.other.clone().expect("a rekeying phone");
                if let Err(e) = Store::open(self.path.clone(), new) {
                    panic!(
                        "{}'s phone, killed while rekeying, opens with neither key: {e:?}",
                        self.worker
                    );
                }
                self.rekeyed();
                true
            }
            Err(e) => panic!(
                "{}'s phone, killed while rekeying, does not open: {e:?}",
                self.worker
            ),
        }
    }

    /// The store is under the other key now; the old one is the next.
    fn rekeyed(&mut self) {
        let new = self.other.take().expect("a rekeying phone");
        self.other = Some(std::mem::replace(&mut self.key, new));
    }
}

/// A `crash-worker` process; killed when dropped (a failed assertion), so none outlives the suite.
struct Worker {
    child: Reaped,
    name: String,
}

impl Worker {
    /// SIGKILLs the process and returns whether it was still running, and what it printed. A
    /// worker that ended by itself failed: only this kill may end one.
    fn kill(mut self) -> (bool, String) {
        let mut child = self.child.take();
        let running = child.try_wait().expect("wait").is_none();
        if running {
            child.kill().expect("SIGKILL");
        }
        let status = child.wait().expect("wait");
        let mut out = String::new();
        if let Some(mut stdout) = child.stdout.take() {
            stdout.read_to_string(&mut out).expect("stdout");
        }
        if status.signal() != Some(9) {
            let mut err = String::new();
            if let Some(mut stderr) = child.stderr.take() {
                let _ = stderr.read_to_string(&mut err);
            }
            panic!("{} ended by itself ({status}):\n{err}", self.name);
        }
        (running, out)
    }
}

/// Starts the centre on a port the system picks, anew at every restart (a port kept across
/// restarts could be taken meanwhile); returns it with its address.
fn start_centre(database: &Database) -> (Worker, String) {
    let named = match database {
        Database::Embedded { data, .. } => data.to_string_lossy().into_owned(),
        Database::Postgres(address) => address.clone(),
    };
    let mut child = Command::new(WORKER)
        .args(["centre", &named, "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("centre process");
    let stdout = child.stdout.take().expect("stdout");
    let (said, heard) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        let _ = reader.read_line(&mut line);
        let _ = said.send((line, reader.into_inner()));
    });
    let centre = Worker {
        child: Reaped::new(child),
        name: "the centre".into(),
    };
    // A loaded machine may take a while; a centre that never says it serves fails the suite.
    let (line, stdout) = heard
        .recv_timeout(Duration::from_secs(60))
        .expect("the centre did not start within a minute");
    let url = line
        .trim()
        .strip_prefix("serving ")
        .unwrap_or_else(|| panic!("the centre did not start: {line:?}"))
        .to_string();
    let mut centre = centre;
    centre.child.child().stdout = Some(stdout);
    (centre, url)
}

/// Entries the phone holds as acknowledged by the centre: its own, up to the push watermark.
fn acknowledged(store: &Store) -> Vec<String> {
    store
        .with_connection(|c| {
            let mut stmt = c.prepare(
                "SELECT id FROM entries
                 WHERE author_device = (SELECT value FROM meta WHERE key = 'device_id')
                   AND id <= (SELECT value FROM meta WHERE key = 'sync_pushed_through')",
            )?;
            let ids = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(ids)
        })
        .expect("acknowledged ids")
}

#[test]
fn processes_killed_at_random_moments_lose_and_double_nothing() {
    let kills_wanted = env_number("GADEPLAN_CRASH_KILLS", 100);
    let seed = env_number("GADEPLAN_CRASH_SEED", 0x5DEE_CE66_D1CE_4E5B);
    eprintln!("crash suite: {kills_wanted} kills, seed {seed}");
    let started = Instant::now();
    let dir = TempDir::new().unwrap();
    let data = test_database(&dir.path().join("centre"));
    {
        let operator = Centre::connect(&data, Default::default()).unwrap();
        operator.add_team(TEAM_A).unwrap();
        operator.add_team(TEAM_B).unwrap();
    }
    let (first, mut url) = start_centre(&data);
    let mut centre = Some(first);

    let mut phones: Vec<Phone> = PHONES
        .iter()
        .map(|(team, worker)| {
            let path = dir.path().join(format!("{worker}.db"));
            let path = path.to_string_lossy().into_owned();
            let store = Store::create(
                path.clone(),
                key_of(worker).to_vec(),
                (*worker).into(),
                format!("{worker}'s phone"),
            )
            .unwrap();
            let code = Centre::connect(&data, Default::default())
                .unwrap()
                .new_enrolment(team, worker, 1)
                .unwrap()
                .code;
            store
                .enrol(Arc::new(HttpTransport::new(&url)), url.clone(), code)
                .unwrap();
            let i = PHONES.iter().position(|(_, w)| w == worker).unwrap();
            Phone {
                team,
                worker,
                path,
                reported: BTreeSet::new(),
                key: key_of(worker).to_vec(),
                other: REKEYING
                    .contains(&i)
                    .then(|| key_of(worker).iter().map(|b| !b).collect()),
            }
        })
        .collect();

    let mut dice = Dice(seed | 1);
    let (mut phone_kills, mut centre_kills, mut rounds) = (0u64, 0u64, 0u64);
    let (mut syncs, mut unreachable) = (0usize, 0usize);
    let mut interrupted: BTreeMap<&str, u64> = BTreeMap::new();
    // Rekeys that returned, and kills inside one that left the old key or the new.
    let (mut rekeys, mut rekeys_cut_before, mut rekeys_cut_after) = (0u64, 0u64, 0u64);
    while phone_kills + centre_kills < kills_wanted {
        rounds += 1;
        if centre.is_none() {
            let (restarted, at) = start_centre(&data);
            centre = Some(restarted);
            url = at;
        }
        // Which phones work this round, each with its moment of death.
        let mut doomed: Vec<(u64, Option<usize>, Worker)> = Vec::new();
        for (i, phone) in phones.iter().enumerate() {
            if dice.below(4) == 0 {
                continue;
            }
            let child = Command::new(WORKER)
                .args([
                    "phone",
                    &phone.path,
                    &hex(&phone.key),
                    &url,
                    &dice.below(u64::MAX).to_string(),
                    if i == 0 { "true" } else { "false" },
                    &phone.other.as_deref().map_or("-".into(), hex),
                ])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("phone process");
            let worker = Worker {
                child: Reaped::new(child),
                name: format!("{}'s phone", phone.worker),
            };
            doomed.push((1 + dice.below(LONGEST_LIFE_MS), Some(i), worker));
        }
        let centre_dies = dice.below(2) == 0;
        if centre_dies {
            let worker = centre.take().expect("centre running");
            doomed.push((1 + dice.below(LONGEST_LIFE_MS), None, worker));
        }
        doomed.sort_by_key(|(at, _, _)| *at);
        let round_start = Instant::now();
        let mut ran = Vec::new();
        for (at, phone, worker) in doomed {
            let due = round_start + Duration::from_millis(at);
            std::thread::sleep(due.saturating_duration_since(Instant::now()));
            let (killed, out) = worker.kill();
            match phone {
                Some(i) => {
                    phone_kills += u64::from(killed);
                    *interrupted
                        .entry(match out.lines().last() {
                            None => "opening the store",
                            Some("recording") => "recording",
                            Some("syncing") => "syncing",
                            Some(l) if l.starts_with("rekeying ") => "rekeying",
                            Some(_) => "between steps",
                        })
                        .or_default() += 1;
                    let mut announced = None;
                    for line in out.lines() {
                        match line.split_once(' ') {
                            Some(("recorded", id)) => {
                                assert!(
                                    phones[i].reported.insert(id.to_string()),
                                    "an id reported twice: {id}"
                                );
                            }
                            Some(("rekeying", key)) => announced = Some(key),
                            _ if line == "rekeyed" => {
                                let key = announced.take().expect("announced first");
                                assert_eq!(
                                    Some(key),
                                    phones[i].other.as_deref().map(hex).as_deref()
                                );
                                phones[i].rekeyed();
                                rekeys += 1;
                            }
                            _ if line == "synced" => syncs += 1,
                            _ if line == "unreachable" => unreachable += 1,
                            _ if line == "recording" || line == "syncing" => {}
                            _ => panic!("unexpected line from a phone: {line}"),
                        }
                    }
                    if let Some(key) = announced {
                        if phones[i].settle_rekey(key) {
                            rekeys_cut_after += 1;
                        } else {
                            rekeys_cut_before += 1;
                        }
                    }
                    ran.push(i);
                }
                None => centre_kills += u64::from(killed),
            }
        }

        // The restart: each phone that ran opens again and still holds every reported id.
        let mut acked_by_phones = BTreeSet::new();
        for (i, phone) in phones.iter().enumerate() {
            if !ran.contains(&i) && !centre_dies {
                continue;
            }
            let store = phone.open();
            if let Some(other) = &phone.other {
                let refused = Store::open(phone.path.clone(), other.clone()).err();
                assert!(
                    matches!(refused, Some(gadeplan_core::Error::WrongKey { .. })),
                    "round {rounds}: {}'s store opens with its other key too: {refused:?}",
                    phone.worker
                );
            }
            // Purged (held at the centre) or here: never lost.
            let held: BTreeSet<String> = held_ids(&store).into_iter().collect();
            let missing: Vec<&String> = phone.reported.difference(&held).collect();
            assert!(
                missing.is_empty(),
                "round {rounds}: {} lost reported entries {missing:?}",
                phone.worker
            );
            assert_eq!(integrity(&store), "ok", "round {rounds}: {}", phone.worker);
            acked_by_phones.extend(acknowledged(&store));
        }
        // After the centre's death: what it acknowledged, it kept.
        if centre_dies {
            let operator =
                Centre::connect(&data, Default::default()).expect("the centre's store opens again");
            let mut at_centre = BTreeSet::new();
            for team in [TEAM_A, TEAM_B] {
                at_centre.extend(operator.team_entry_ids(team).unwrap());
            }
            let lost: Vec<&String> = acked_by_phones.difference(&at_centre).collect();
            assert!(
                lost.is_empty(),
                "round {rounds}: the centre lost acknowledged entries {lost:?}"
            );
            assert_eq!(
                centre_integrity(&data),
                "ok",
                "round {rounds}: the centre's file"
            );
        }
    }

    // The last round: the centre back, every phone syncs until nothing moves.
    let _centre = match centre {
        Some(running) => running,
        None => {
            let (restarted, at) = start_centre(&data);
            url = at;
            restarted
        }
    };
    let transport = Arc::new(HttpTransport::new(&url));
    let stores: Vec<Arc<Store>> = phones.iter().map(Phone::open).collect();
    for pass in 0..3 {
        for store in &stores {
            let report = store.sync(transport.clone()).expect("sync after the kills");
            if pass == 2 {
                assert!(report.in_step);
            }
        }
    }
    let operator = Centre::connect(&data, Default::default()).unwrap();
    let mut by_team: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, phone) in phones.iter().enumerate() {
        by_team.entry(phone.team).or_default().push(i);
    }
    let mut entries = 0;
    for (team, members) in &by_team {
        let team_stores: Vec<&Store> = members.iter().map(|i| &*stores[*i]).collect();
        let at_centre = assert_team_converged(&operator, team, &team_stores);
        for i in members {
            let lost: Vec<&String> = phones[*i].reported.difference(&at_centre).collect();
            assert!(
                lost.is_empty(),
                "{team}: reported but not at the centre: {lost:?}"
            );
        }
        for store in &team_stores {
            let before = dump(store);
            store.rebuild_projections().unwrap();
            assert_eq!(dump(store), before, "{team}: projections equal a rebuild");
        }
        entries += at_centre.len();
    }
    assert_eq!(centre_integrity(&data), "ok");
    let reported: usize = phones.iter().map(|p| p.reported.len()).sum();
    // The centre releases every citizen without an open course (`crash-worker centre`): the
    // phones purged during the syncs the kills cut short, and hold those citizens' markers.
    let purged: u64 = stores
        .iter()
        .map(|s| s.sync_status().unwrap().at_centre)
        .sum();
    assert!(purged > 0, "the phones really purged");
    eprintln!(
        "crash suite: {} kills ({phone_kills} of phones, {centre_kills} of the centre) in {rounds} rounds; \
         phones killed while {interrupted:?}; {rekeys} rekeys returned, {rekeys_cut_before} cut short under the old key and {rekeys_cut_after} under the new; {reported} ids reported, {syncs} syncs finished and {unreachable} found no centre between kills; \
         after the last sync {entries} entries, each once on the centre and on every phone of its team (here or purged: {purged} citizens held at the centre only); \
         integrity ok everywhere; {:.0} s",
        phone_kills + centre_kills,
        started.elapsed().as_secs_f64()
    );
    assert!(
        phone_kills > 0
            && centre_kills > 0
            && interrupted.contains_key("recording")
            && interrupted.contains_key("syncing")
            && interrupted.contains_key("rekeying"),
        "the suite killed both kinds of process while work was going on, a rekey included"
    );
}

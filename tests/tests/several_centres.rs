//! Several centre processes on one PostgreSQL database, as behind a load balancer: two
//! `gadeplan-centre serve --database postgres://…` processes, four phones of two teams whose
//! every request goes to one of the two at random, and now and then one process killed with
//! SIGKILL at a random moment (mid-push as often as not) and started again on a new port. The
//! phones sync at the same moments, so two processes take in one team's pushes at once.
//!
//! Afterwards, with both serving, every phone syncs until nothing moves, and the guarantees are
//! those of one centre: every entry a phone recorded is at the centre exactly once; each team's
//! sequence runs from 1 without a gap or a number twice; every phone's pull cursor is its team's
//! last number (what it was told matches what the centre holds); each team's phones hold exactly
//! the centre's entries, with its digest and the same projected tables. A phone talking to two
//! processes at random sees one centre.
//!
//! Needs the test command's PostgreSQL (skipped without it, see `gadeplan_testkit::postgres`).
//! `GADEPLAN_SEVERAL_ROUNDS` sets the rounds (24 by default), `GADEPLAN_SEVERAL_SEED` the seed.

use std::collections::BTreeSet;
use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use gadeplan::transport::HttpTransport;
use gadeplan_centre::{Centre, Database};
use gadeplan_core::sync::transport::{Transport, TransportError};
use gadeplan_core::{Error, Store};
use gadeplan_tests::binaries::serve_postgres;
use gadeplan_tests::work::{Dice, act, assert_team_converged};
use gadeplan_tests::*;

const PHONES: [(&str, &str); 4] = [
    (TEAM_A, "Mette"),
    (TEAM_A, "Jonas"),
    (TEAM_A, "Lis"),
    (TEAM_B, "Aisha"),
];

/// A centre process, its stderr drained so that its log never fills the pipe and stops it.
struct Process {
    child: Reaped,
    url: String,
}

fn start(address: &str) -> Process {
    let (mut child, url) = serve_postgres(address, &[]);
    if let Some(mut stderr) = child.child().stderr.take() {
        std::thread::spawn(move || {
            let mut sink = Vec::new();
            let _ = stderr.read_to_end(&mut sink);
        });
    }
    Process { child, url }
}

/// Sends each request to one of the processes at random, as a load balancer without affinity
/// would; one that was killed is unreachable until it is started again.
struct EitherCentre {
    urls: Arc<Mutex<Vec<String>>>,
    dice: Mutex<Dice>,
}

impl Transport for EitherCentre {
    fn send(
        &self,
        endpoint: String,
        token: Option<String>,
        body: Vec<u8>,
    ) -> Result<Vec<u8>, TransportError> {
        let url = {
            let urls = self.urls.lock().unwrap();
            let pick = self.dice.lock().unwrap().below(urls.len() as u64) as usize;
            urls[pick].clone()
        };
        HttpTransport::new(&url).send(endpoint, token, body)
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn phones_syncing_through_two_centre_processes_at_random_see_one_centre() {
    let Some(address) = gadeplan_testkit::postgres::fresh_database() else {
        return;
    };
    let rounds = env_number("GADEPLAN_SEVERAL_ROUNDS", 24) as usize;
    let seed = env_number("GADEPLAN_SEVERAL_SEED", 0x0BAD_5EED_2026_1205);
    eprintln!("several centres: {rounds} rounds, seed {seed}");
    let mut dice = Dice(seed);
    let database = Database::Postgres(address.clone());
    let operator = Centre::connect(&database, Default::default()).unwrap();
    operator.add_team(TEAM_A).unwrap();
    operator.add_team(TEAM_B).unwrap();

    let mut processes = [start(&address), start(&address)];
    let urls = Arc::new(Mutex::new(
        processes.iter().map(|p| p.url.clone()).collect::<Vec<_>>(),
    ));
    let transport = Arc::new(EitherCentre {
        urls: urls.clone(),
        dice: Mutex::new(Dice(seed ^ 0xFFFF)),
    });

    let dir = tempfile::TempDir::new().unwrap();
    let phones: Vec<Arc<Store>> = PHONES
        .iter()
        .map(|(team, worker)| {
            let store = Store::create(
                dir.path()
                    .join(format!("{worker}.db"))
                    .to_string_lossy()
                    .into_owned(),
                key_of(worker).to_vec(),
                (*worker).into(),
                format!("{worker}'s phone"),
            )
            .unwrap();
            let code = operator.new_enrolment(team, worker, 1).unwrap().code;
            store
                .enrol(transport.clone(), processes[0].url.clone(), code)
                .unwrap();
            store
        })
        .collect();
    let mut recorded: Vec<BTreeSet<String>> = vec![BTreeSet::new(); phones.len()];
    let mut phone_dice: Vec<Dice> = (0..phones.len() as u64)
        .map(|i| Dice(seed.rotate_left(8 * i as u32 + 1) | 1))
        .collect();
    let mut kills = 0;

    for round in 0..rounds {
        // Now and then one process dies at a random moment of the round's syncs.
        let killer = (round % 4 == 3).then(|| {
            let victim = dice.below(2) as usize;
            let after = Duration::from_millis(dice.below(150));
            let mut child = std::mem::replace(&mut processes[victim].child, Reaped(None));
            (
                victim,
                std::thread::spawn(move || {
                    std::thread::sleep(after);
                    let mut child = child.take();
                    child.kill().expect("SIGKILL");
                    child.wait().expect("reaped");
                }),
            )
        });
        // The phones sync at the same moment, each through either process.
        std::thread::scope(|scope| {
            for (i, ((store, mine), phone_dice)) in phones
                .iter()
                .zip(recorded.iter_mut())
                .zip(phone_dice.iter_mut())
                .enumerate()
            {
                let transport = transport.clone();
                scope.spawn(move || {
                    let own: Vec<String> = mine.iter().cloned().collect();
                    for _ in 0..phone_dice.below(6) {
                        mine.extend(act(store, &own, phone_dice, round, i < 3));
                    }
                    match store.sync(transport) {
                        // A process killed mid-request answers nothing: the phone tries
                        // again later.
                        Ok(_) | Err(Error::Unreachable { .. }) => {}
                        Err(e) => panic!("round {round}: {e:?}"),
                    }
                });
            }
        });
        if let Some((victim, thread)) = killer {
            thread.join().unwrap();
            kills += 1;
            processes[victim] = start(&address);
            urls.lock().unwrap()[victim] = processes[victim].url.clone();
        }
    }
    eprintln!("several centres: {kills} processes killed");

    // Both serving: every phone syncs until nothing moves.
    for pass in 0..3 {
        for store in &phones {
            let report = store
                .sync(transport.clone())
                .expect("sync with both serving");
            if pass == 2 {
                assert!(report.in_step);
                // In step by syncing, not by a repair round hiding a skipped entry.
                assert!(!report.repaired);
            }
        }
    }
    assert_eq!(centre_integrity(&database), "ok", "each team's sequence");
    for team in [TEAM_A, TEAM_B] {
        let members: Vec<usize> = (0..PHONES.len()).filter(|i| PHONES[*i].0 == team).collect();
        let team_phones: Vec<&Store> = members.iter().map(|i| &*phones[*i]).collect();
        let at_centre = assert_team_converged(&operator, team, &team_phones);
        let last = operator.team_entry_ids(team).unwrap().len() as u64;
        for i in members {
            let lost: Vec<&String> = recorded[i].difference(&at_centre).collect();
            assert!(
                lost.is_empty(),
                "{team}: recorded but not at the centre: {lost:?}"
            );
            let cursor = phones[i].sync_status().unwrap().cursor;
            assert_eq!(
                cursor, last,
                "{team}: phone {i} was told the team's last number"
            );
        }
    }
}

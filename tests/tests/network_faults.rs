//! The network-fault suite: sync rounds among three phones of one team, one phone of another and
//! the centre, through connections that drop, repeat, delay, truncate and reorder traffic in both
//! directions, with the workers recording, correcting, merging and editing in between. At the end
//! every replica has the same digest as the centre and no entry is missing or doubled.
//!
//! `GADEPLAN_FAULT_ROUNDS` sets the number of rounds: 100 by default (CI), 1,000 for the full run
//! (`docs/reliability.md`).

use std::collections::BTreeSet;
use std::sync::Arc;

use gadeplan::faults::{FaultRates, FaultyTransport};
use gadeplan::transport::HttpTransport;
use gadeplan_core::{
    BrosetItem, Error, PersonUpdate, RiskCheckInput, Stage, StageInput, Store, Subject,
};
use gadeplan_tests::*;

const HOSTILE: FaultRates = FaultRates {
    drop_request: 15,
    drop_response: 15,
    repeat_request: 15,
    truncate_request: 8,
    truncate_response: 8,
    delay: 10,
    replay_late: 10,
};

struct Phone {
    team: &'static str,
    store: Arc<Store>,
    link: Arc<FaultyTransport<HttpTransport>>,
    records: Vec<String>,
}

struct Dice(u64);

impl Dice {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn rounds() -> usize {
    std::env::var("GADEPLAN_FAULT_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100)
}

/// One worker's moment: note, check, contact, correct, edit or merge. Returns the new entry ids.
fn act(phone: &mut Phone, dice: &mut Dice, round: usize, may_merge: bool) -> Vec<String> {
    let store = phone.store.clone();
    let persons = store.list_persons(None, 0).unwrap();
    let roll = dice.below(100);
    if persons.len() < 2 || roll < 15 {
        let noted = store
            .add_person(gadeplan_core::NewPerson {
                alias: format!("P{round}-{}", dice.below(1000)),
                description: None,
                birth_year: None,
                from_unknown: None,
                occurred_at: None,
            })
            .unwrap();
        return vec![noted.id];
    }
    let person = persons[dice.below(persons.len() as u64) as usize]
        .id
        .clone();
    match roll {
        15..=44 => vec![contact(&store, &person)],
        45..=59 => {
            let observed: Vec<BrosetItem> = BrosetItem::ALL
                .iter()
                .copied()
                .filter(|_| dice.below(4) == 0)
                .collect();
            let plan = (observed.len() >= 3).then(|| "two of us".to_string());
            vec![
                store
                    .record_risk_check(RiskCheckInput {
                        subject: Subject::Person { id: person },
                        observed,
                        plan,
                        occurred_at: None,
                    })
                    .unwrap()
                    .id,
            ]
        }
        60..=69 => vec![
            store
                .record_stage(StageInput {
                    person,
                    stage: Stage::ALL[dice.below(4) as usize],
                    importance: None,
                    confidence: None,
                    occurred_at: None,
                })
                .unwrap()
                .id,
        ],
        70..=79 => {
            // Concurrent edits of the same attribute on different phones become conflicts.
            let update = PersonUpdate {
                person,
                description: Some(format!("seen in round {round}")),
                ..Default::default()
            };
            vec![store.update_person(update).unwrap().id]
        }
        80..=89 => {
            // Correct or void one of this phone's own records.
            let Some(target) = phone
                .records
                .get(dice.below(phone.records.len().max(1) as u64) as usize)
                .cloned()
            else {
                return vec![];
            };
            let outcome = if roll < 86 {
                store.amend(
                    target,
                    r#"{"note": "corrected"}"#.into(),
                    None,
                    Some("typo".into()),
                )
            } else {
                store.void_entry(target, "recorded by mistake".into())
            };
            match outcome {
                Ok(r) => vec![r.id],
                // Not every record takes a note, and a record voided elsewhere cannot be again.
                Err(
                    Error::InvalidInput { .. }
                    | Error::NotAllowed { .. }
                    | Error::PlanRequired { .. },
                ) => vec![],
                Err(e) => panic!("{e:?}"),
            }
        }
        _ if may_merge => {
            let other = persons[dice.below(persons.len() as u64) as usize]
                .id
                .clone();
            match store.merge_persons(person, other) {
                Ok(r) => vec![r.id],
                Err(Error::NotAllowed { .. }) => vec![],
                Err(e) => panic!("{e:?}"),
            }
        }
        _ => vec![contact(&store, &person)],
    }
}

#[test]
fn every_replica_converges_through_a_hostile_network() {
    let h = Harness::new();
    let mut phones: Vec<Phone> = [
        (TEAM_A, "Mette"),
        (TEAM_A, "Jonas"),
        (TEAM_A, "Lis"),
        (TEAM_B, "Aisha"),
    ]
    .iter()
    .enumerate()
    .map(|(i, (team, worker))| Phone {
        team,
        store: h.phone(team, worker),
        link: Arc::new(FaultyTransport::new(
            HttpTransport::new(&h.url()),
            HOSTILE,
            1000 + i as u64,
        )),
        records: Vec::new(),
    })
    .collect();
    let mut dice = Dice(0x9E37_79B9_7F4A_7C15);
    let mut recorded: Vec<BTreeSet<String>> = vec![BTreeSet::new(); phones.len()];
    let rounds = rounds();
    let (mut attempts, mut failed) = (0, 0);
    for round in 0..rounds {
        for (i, phone) in phones.iter_mut().enumerate() {
            for _ in 0..dice.below(3) {
                let ids = act(phone, &mut dice, round, i == 0);
                phone.records.extend(ids.iter().cloned());
                recorded[i].extend(ids);
            }
            attempts += 1;
            match phone.store.sync(phone.link.clone()) {
                Ok(_) => {}
                Err(Error::Unreachable { .. }) => failed += 1,
                Err(e) => panic!("round {round}: {e:?}"),
            }
        }
    }

    // The network heals: sync until every phone gets through and nothing moves.
    for phone in &phones {
        phone.link.set_rates(FaultRates::NONE);
    }
    for _ in 0..3 {
        for phone in &phones {
            assert!(phone.store.sync(phone.link.clone()).unwrap().in_step);
        }
    }
    for team in [TEAM_A, TEAM_B] {
        let team_phones: Vec<usize> = (0..phones.len())
            .filter(|i| phones[*i].team == team)
            .collect();
        let expected: BTreeSet<String> = team_phones
            .iter()
            .flat_map(|i| recorded[*i].iter().cloned())
            .collect();
        let at_centre = h.centre_ids(team);
        assert_eq!(
            at_centre.len(),
            expected.len(),
            "{team}: nothing doubled at the centre"
        );
        assert_eq!(
            at_centre.into_iter().collect::<BTreeSet<_>>(),
            expected,
            "{team}: nothing lost at the centre"
        );
        let centre_digest = h.operator.team_digest(team).unwrap();
        let first_dump = dump(&phones[team_phones[0]].store);
        for i in &team_phones {
            let store = &phones[*i].store;
            assert_eq!(
                local_ids(store).into_iter().collect::<BTreeSet<_>>(),
                expected,
                "{team}: phone {i} holds exactly its team's entries"
            );
            assert_eq!(store.digest().unwrap(), centre_digest);
            let this = dump(store);
            let only_here: Vec<&String> = this.iter().filter(|l| !first_dump.contains(l)).collect();
            let only_there: Vec<&String> =
                first_dump.iter().filter(|l| !this.contains(l)).collect();
            assert!(
                only_here.is_empty() && only_there.is_empty(),
                "{team}: phone {i} projects other tables:\n  only here: {only_here:#?}\n  only on the first: {only_there:#?}"
            );
            let ok: String = store
                .with_connection(|c| Ok(c.query_row("PRAGMA integrity_check", [], |r| r.get(0))?))
                .unwrap();
            assert_eq!(ok, "ok");
        }
    }
    let injected: u64 = phones.iter().map(|p| p.link.counts.injected()).sum();
    let entries: usize = recorded.iter().map(BTreeSet::len).sum();
    eprintln!(
        "network-fault suite: {rounds} rounds, {attempts} sync attempts ({failed} cut off), {injected} faults injected, {entries} entries, all replicas in step"
    );
    assert!(injected > 0 && failed > 0, "the network really misbehaved");
}

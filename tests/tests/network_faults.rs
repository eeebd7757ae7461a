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
use gadeplan_core::{Error, Store};
use gadeplan_tests::work::{Dice, act, assert_team_converged};
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

fn rounds() -> usize {
    std::env::var("GADEPLAN_FAULT_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100)
}

#[test]
fn every_replica_converges_through_a_hostile_network() {
    // Every citizen without an open course is released at once: the phones purge (and fetch
    // back) through the same hostile network.
    let h = Harness::with(gadeplan_centre::server::Settings {
        policy: gadeplan_centre::policy::Policy {
            keep: gadeplan_core::kinds::keep::KeepRule {
                closed_days: 0,
                unmet_months: 0,
            },
            ..Default::default()
        },
        enrol: gadeplan_centre::policy::EnrolLimits {
            per_source_per_minute: u32::MAX,
            total_per_minute: u32::MAX,
        },
        ..Default::default()
    });
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
                let ids = act(&phone.store, &phone.records, &mut dice, round, i == 0);
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
        assert_eq!(
            h.centre_ids(team).into_iter().collect::<BTreeSet<_>>(),
            expected,
            "{team}: nothing lost at the centre, nothing there not recorded"
        );
        let stores: Vec<&Store> = team_phones.iter().map(|i| &*phones[*i].store).collect();
        assert_team_converged(&h.operator, team, &stores);
    }
    let injected: u64 = phones.iter().map(|p| p.link.counts.injected()).sum();
    let entries: usize = recorded.iter().map(BTreeSet::len).sum();
    let at_centre: u64 = phones
        .iter()
        .map(|p| p.store.sync_status().unwrap().at_centre)
        .sum();
    eprintln!(
        "network-fault suite: {rounds} rounds, {attempts} sync attempts ({failed} cut off), {injected} faults injected, {entries} entries, {at_centre} citizens purged from phones at the end, all replicas in step"
    );
    assert!(injected > 0 && failed > 0, "the network really misbehaved");
    assert!(at_centre > 0, "the phones really purged");
}

//! What the workers do in the stress suites, and what "converged" means after them: a worker's
//! random moment in the field (shared by the network-fault suite and the crash suite's phone
//! process), and the check that a team's phones and the centre hold the same entries and tables.

use std::collections::BTreeSet;

use gadeplan_centre::Centre;
use gadeplan_core::{
    BrosetItem, Error, PersonUpdate, RiskCheckInput, Stage, StageInput, Store, Subject,
};

use crate::{contact, dump, local_ids};

/// A small, seeded xorshift: the suites must be reproducible from their seed, and need no
/// statistical quality.
pub struct Dice(pub u64);

impl Dice {
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// One worker's moment: note, check, contact, correct, edit or merge. Returns the new entry ids.
pub fn act(
    store: &Store,
    own_records: &[String],
    dice: &mut Dice,
    round: usize,
    may_merge: bool,
) -> Vec<String> {
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
        15..=44 => vec![contact(store, &person)],
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
            let Some(target) = own_records
                .get(dice.below(own_records.len().max(1) as u64) as usize)
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
        _ => vec![contact(store, &person)],
    }
}

/// Asserts that every phone of `team` holds exactly the centre's entries for the team, with the
/// centre's digest, identical projected tables and a sound file. Returns the centre's entry ids.
pub fn assert_team_converged(centre: &Centre, team: &str, phones: &[&Store]) -> BTreeSet<String> {
    let at_centre = centre.team_entry_ids(team).expect("centre ids");
    let at_centre_set: BTreeSet<String> = at_centre.iter().cloned().collect();
    assert_eq!(
        at_centre.len(),
        at_centre_set.len(),
        "{team}: no entry twice at the centre"
    );
    let centre_digest = centre.team_digest(team).expect("centre digest");
    let first_dump = phones.first().map(|p| dump(p)).unwrap_or_default();
    for (i, store) in phones.iter().enumerate() {
        assert_eq!(
            local_ids(store).into_iter().collect::<BTreeSet<_>>(),
            at_centre_set,
            "{team}: phone {i} holds exactly its team's entries"
        );
        assert_eq!(store.digest().expect("digest"), centre_digest);
        let this = dump(store);
        let only_here: Vec<&String> = this.iter().filter(|l| !first_dump.contains(l)).collect();
        let only_there: Vec<&String> = first_dump.iter().filter(|l| !this.contains(l)).collect();
        assert!(
            only_here.is_empty() && only_there.is_empty(),
            "{team}: phone {i} projects other tables:\n  only here: {only_here:#?}\n  only on the first: {only_there:#?}"
        );
        assert_eq!(crate::integrity(store), "ok");
    }
    at_centre_set
}

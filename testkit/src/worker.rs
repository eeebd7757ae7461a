//! The stress suites' random worker: one moment in the field (note a citizen, check, contact,
//! assess a stage, edit, correct or void an own record, merge), on whatever the phone shows. The
//! network-fault suite and the crash suite's phone process both draw from it.

use gadeplan_core::{
    BrosetItem, ContactInput, ContactKind, Error, Outcome, PersonUpdate, PlaceKind, RiskCheckInput,
    Stage, StageInput, Store, Subject,
};

use crate::Dice;

/// A contact with a person, as the suites record one.
pub fn contact(store: &Store, person: &str) -> String {
    store
        .record_contact(ContactInput {
            subject: Some(Subject::Person { id: person.into() }),
            place: "Enghave Plads".into(),
            place_kind: PlaceKind::Park,
            kind: ContactKind::Conversation,
            outcome: Outcome::ContactMade,
            colleague: Some("Jonas".into()),
            minutes: Some(10),
            note: Some("talked about a shelter bed".into()),
            risk_check: None,
            occurred_at: None,
        })
        .expect("contact")
        .id
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
        return vec![noted.entry];
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

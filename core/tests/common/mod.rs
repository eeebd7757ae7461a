//! Helpers shared by the core's integration tests: stores in temporary directories and a dump of
//! every projection table to compare replicas and rebuilds with.

#![allow(dead_code)]

use std::sync::Arc;

use gadeplan_core::{ContactInput, ContactKind, NewPerson, Outcome, PlaceKind, Store, Subject};
use tempfile::TempDir;

pub const KEY: [u8; 32] = [7u8; 32];

pub fn new_store(dir: &TempDir, name: &str) -> Arc<Store> {
    let path = dir.path().join(name);
    Store::create(
        path.to_string_lossy().into_owned(),
        KEY.to_vec(),
        "Mette".into(),
        "phone-1".into(),
    )
    .unwrap()
}

pub fn path(dir: &TempDir, name: &str) -> String {
    dir.path().join(name).to_string_lossy().into_owned()
}

pub fn person(store: &Store, alias: &str) -> String {
    store
        .add_person(NewPerson {
            alias: alias.into(),
            description: None,
            birth_year: None,
            from_unknown: None,
            occurred_at: None,
        })
        .unwrap()
        .person
}

pub fn contact(subject: Subject) -> ContactInput {
    ContactInput {
        subject: Some(subject),
        place: "Enghave Plads".into(),
        place_kind: PlaceKind::Park,
        kind: ContactKind::Conversation,
        meeting: None,
        announced: None,
        safety_reason: None,
        outcome: Outcome::ContactMade,
        colleague: Some("Jonas".into()),
        minutes: Some(15),
        note: None,
        risk_check: None,
        occurred_at: None,
        place_id: None,
    }
}

/// Every row of every projection table, sorted, as text (see `kinds::dump`).
pub fn dump_projections(store: &Store) -> Vec<String> {
    store.with_connection(gadeplan_core::kinds::dump).unwrap()
}

pub fn entry_count(store: &Store) -> i64 {
    store
        .with_connection(|c| Ok(c.query_row("SELECT count(*) FROM entries", [], |r| r.get(0))?))
        .unwrap()
}

/// The rows one dump has and the other has not, both ways: what a failed comparison shows.
pub fn differences(a: &[String], b: &[String]) -> String {
    let only_a: Vec<&String> = a.iter().filter(|l| !b.contains(l)).collect();
    let only_b: Vec<&String> = b.iter().filter(|l| !a.contains(l)).collect();
    format!("only in the first: {only_a:#?}\nonly in the second: {only_b:#?}")
}

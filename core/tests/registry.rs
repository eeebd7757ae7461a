//! The kinds' registry and the schema agree: what the registry says a rebuild clears, the
//! timeline reads and the journal's index covers is what the migrations made. A kind added to
//! the registry without its migration (or a migration adding a projection table no kind
//! declares) fails here, before any store in the field could be rebuilt without it.

mod common;

use std::collections::BTreeSet;

use common::*;
use gadeplan_core::{EntryKind, kinds, queries};
use tempfile::TempDir;

/// Tables that are not projections: the journal, the device's identity, sync state.
fn not_projections(name: &str) -> bool {
    name == "entries" || name == "meta" || name.starts_with("sync_")
}

#[test]
fn the_projection_tables_are_every_table_but_the_journal_meta_and_sync_state() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "r.db");
    let in_schema: BTreeSet<String> = store
        .with_connection(|c| {
            let names = c
                .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")?
                .query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(names)
        })
        .unwrap()
        .into_iter()
        .filter(|n| !not_projections(n))
        .collect();
    let declared: BTreeSet<String> = kinds::projection_tables()
        .into_iter()
        .map(str::to_string)
        .collect();
    assert_eq!(in_schema, declared);
}

#[test]
fn every_record_table_has_the_columns_every_record_row_writes() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "r.db");
    for table in kinds::record_tables() {
        let columns: BTreeSet<String> = store
            .with_connection(|c| {
                let names = c
                    .prepare(&format!(
                        "SELECT name FROM pragma_table_info('{}')",
                        table.table
                    ))?
                    .query_map([], |r| r.get::<_, String>(0))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(names)
            })
            .unwrap()
            .into_iter()
            .collect();
        for column in [
            "owner",
            "occurred_at",
            "entry_id",
            "voided",
            "author_worker",
        ] {
            assert!(columns.contains(column), "{}: no {column}", table.table);
        }
        if let Some(summary) = &table.summary {
            assert!(
                columns.contains(summary.from),
                "{}: no {}",
                table.table,
                summary.from
            );
        }
    }
}

#[test]
fn the_journal_index_covers_exactly_the_kinds_without_a_record_table() {
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "r.db");
    let index_sql: String = store
        .with_connection(|c| {
            Ok(c.query_row(
                "SELECT sql FROM sqlite_master WHERE name = 'entries_about'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    let condition = index_sql.split("WHERE").nth(1).unwrap().trim().to_string();
    assert_eq!(condition, queries::indexed_kinds_condition());
    // And every kind is found by the timeline one way or the other.
    for kind in EntryKind::ALL {
        let indexed = condition.contains(&format!("'{}'", kind.code()));
        assert!(indexed != kind.record().is_some(), "{kind:?}");
    }
}

/// `Store::record` takes an entry of any kind through its kind's command: the same rules and
/// the same tables as the kind's own method.
#[test]
fn any_kind_is_recorded_through_one_method_with_the_same_rules() {
    use gadeplan_core::{NewEntry, Subject, VoidInput};
    let dir = TempDir::new().unwrap();
    let by_kind = new_store(&dir, "a.db");
    let generic = new_store(&dir, "b.db");
    let kim = person(&by_kind, "Kim");
    let kim_too = generic
        .record(NewEntry::PersonNoted(gadeplan_core::NewPerson {
            alias: "Kim".into(),
            description: None,
            birth_year: None,
            from_unknown: None,
            occurred_at: None,
        }))
        .unwrap()
        .subject;
    let one = by_kind
        .record_contact(contact(Subject::Person { id: kim.clone() }))
        .unwrap();
    let two = generic
        .record(NewEntry::ContactLogged(contact(Subject::Person {
            id: kim_too.clone(),
        })))
        .unwrap();
    assert_eq!(one.subject, kim);
    assert_eq!(two.subject, kim_too);
    let a = by_kind.person(kim).unwrap().timeline;
    let b = generic.person(kim_too.clone()).unwrap().timeline;
    assert_eq!(
        a.iter().map(|i| i.content.clone()).collect::<Vec<_>>(),
        b.iter().map(|i| i.content.clone()).collect::<Vec<_>>()
    );
    // The rules hold: a void needs its reason, and nothing is recorded without one.
    let refused = generic.record(NewEntry::EntryVoided(VoidInput {
        entry: two.id.clone(),
        reason: "  ".into(),
    }));
    assert!(
        matches!(refused, Err(gadeplan_core::Error::InvalidInput { .. })),
        "{refused:?}"
    );
    assert_eq!(generic.person(kim_too).unwrap().timeline.len(), 2);
}

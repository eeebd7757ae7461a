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
/// The journal, its tombstones (an erasure's: they stand for entries no longer there, so no
/// rebuild could make them), the device's identity and the sync state.
fn not_projections(name: &str) -> bool {
    name == "entries" || name == "meta" || name.starts_with("sync_") || name.starts_with("erased_")
}

#[test]
fn the_projection_tables_are_every_table_but_the_journal_its_tombstones_meta_and_sync_state() {
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

/// Every kind that is amended has a typed correction, and only those.
#[test]
fn the_kinds_amended_are_the_kinds_with_a_typed_correction() {
    let amended: Vec<EntryKind> = EntryKind::ALL
        .iter()
        .copied()
        .filter(|k| k.amendable())
        .collect();
    assert_eq!(gadeplan_core::Correction::KINDS, amended.as_slice());
}

/// A shell corrects a record with typed fields of its kind: the core makes the merge patch,
/// with the same rules as any amendment, and refuses a correction of another kind.
#[test]
fn a_typed_correction_amends_a_record_with_the_rules_of_an_amendment() {
    use gadeplan_core::{
        ContactCorrection, Correction, CorrectionInput, EntryContent, Error, RiskCheckCorrection,
        RiskCheckInput, Subject,
    };
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "c.db");
    let kim = person(&store, "Kim");
    let mut noted = contact(Subject::Person { id: kim.clone() });
    noted.note = Some("slept at the station".into());
    let logged = store.record_contact(noted).unwrap();
    let corrected = store
        .correct(CorrectionInput {
            entry: logged.id.clone(),
            correction: Correction::ContactLogged(ContactCorrection {
                minutes: Some(25),
                clear_note: true,
                ..Default::default()
            }),
            occurred_at: None,
            reason: Some("it was longer".into()),
        })
        .unwrap();
    let item = store.entry(logged.id.clone()).unwrap();
    assert_eq!(item.amended_by, [corrected.id]);
    let EntryContent::ContactLogged(shown) = item.content else {
        panic!("not a contact");
    };
    assert_eq!((shown.minutes, shown.note), (Some(25), None));
    assert_eq!(shown.place, "Enghave Plads", "what was not corrected stays");

    let before = dump_projections(&store);
    // Another kind's correction, and one that would leave a high score without its plan.
    let wrong = store.correct(CorrectionInput {
        entry: logged.id.clone(),
        correction: Correction::RiskChecked(RiskCheckCorrection::default()),
        occurred_at: None,
        reason: None,
    });
    assert!(
        matches!(&wrong, Err(Error::InvalidInput { field, .. }) if field == "correction"),
        "{wrong:?}"
    );
    let check = store
        .record_risk_check(RiskCheckInput {
            subject: Subject::Person { id: kim },
            observed: vec![],
            plan: None,
            occurred_at: None,
        })
        .unwrap();
    let before_high = dump_projections(&store);
    let high = store.correct(CorrectionInput {
        entry: check.id.clone(),
        correction: Correction::RiskChecked(RiskCheckCorrection {
            observed: Some(gadeplan_core::BrosetItem::ALL.to_vec()),
            ..Default::default()
        }),
        occurred_at: None,
        reason: None,
    });
    assert!(matches!(high, Err(Error::PlanRequired { .. })), "{high:?}");
    assert_eq!(dump_projections(&store), before_high, "nothing recorded");
    // Nothing to change is refused too.
    let empty = store.correct(CorrectionInput {
        entry: check.id,
        correction: Correction::RiskChecked(RiskCheckCorrection::default()),
        occurred_at: None,
        reason: None,
    });
    assert!(
        matches!(empty, Err(Error::InvalidInput { .. })),
        "{empty:?}"
    );
    assert_ne!(before, before_high, "only the check was recorded between");
}

/// A typed correction normalises as the command does: text trimmed, and a citizen corrected to
/// outside the target group referred unless it says how else they are helped on.
#[test]
fn a_typed_correction_normalises_as_the_command_does() {
    use gadeplan_core::{
        Correction, CorrectionInput, Criterion, Decision, EntryContent, ReferralKind,
        ScreeningCorrection, ScreeningInput,
    };
    let dir = TempDir::new().unwrap();
    let store = new_store(&dir, "n.db");
    let kim = person(&store, "Kim");
    let screened = store
        .record_screening(ScreeningInput {
            person: kim,
            criteria: Criterion::ALL.to_vec(),
            high_burden: vec![],
            criteria_not_met: vec![],
            burden_not_high: vec![],
            decision: Decision::Undecided,
            reason: Some("not yet".into()),
            referral_kind: None,
            referred_to: None,
            occurred_at: None,
        })
        .unwrap();
    store
        .correct(CorrectionInput {
            entry: screened.id.clone(),
            correction: Correction::ScreeningRecorded(ScreeningCorrection {
                decision: Some(Decision::Outside),
                reason: Some("  helped to the shelter's own programme  ".into()),
                referred_to: Some(" Mændenes Hjem ".into()),
                ..Default::default()
            }),
            occurred_at: None,
            reason: None,
        })
        .unwrap();
    let EntryContent::ScreeningRecorded(shown) = store.entry(screened.id).unwrap().content else {
        panic!("not a screening");
    };
    assert_eq!(shown.decision, Decision::Outside);
    assert_eq!(shown.referral_kind, Some(ReferralKind::Refer));
    assert_eq!(shown.referred_to.as_deref(), Some("Mændenes Hjem"));
    assert_eq!(
        shown.reason.as_deref(),
        Some("helped to the shelter's own programme")
    );
}

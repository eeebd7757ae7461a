//! The screens' queries must cost the same with 5,000 persons as with 500: each must reach its
//! rows through a key or index, never by scanning a table whose size grows with the journal.

use gadeplan_core::{Store, queries};
use tempfile::TempDir;

fn plan(store: &Store, sql: &str) -> Vec<String> {
    store
        .with_connection(|c| {
            let mut stmt = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
            let params: Vec<String> = (0..stmt.parameter_count())
                .map(|_| "x".to_string())
                .collect();
            let rows = stmt.query_map(rusqlite::params_from_iter(params.iter()), |r| {
                r.get::<_, String>(3)
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .unwrap()
}

#[test]
fn no_screen_scans_a_growing_table() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("plan.db").to_string_lossy().into_owned();
    let store = Store::create(path, vec![1; 32], "w".into(), "d".into()).unwrap();
    for (name, sql) in queries::screen_queries() {
        let steps = plan(&store, sql);
        for step in &steps {
            // The persons list walks `listing` in order and stops at its LIMIT; the whole
            // journal, asked for as such, is read newest first up to its limit.
            let allowed = step == "SCAN l"
                || step == "SCAN CONSTANT ROW"
                || step.starts_with("SCAN (subquery")
                || (name == "journal log" && step == "SCAN entries");
            assert!(
                !step.starts_with("SCAN") || allowed,
                "{name}: {step}\n{steps:#?}"
            );
        }
    }
}

/// A cached statement keeps its plan whatever is bound to it. SQLite built with STAT4 would
/// otherwise prepare a look-up such as the last contact's (an equality, then ORDER BY … LIMIT)
/// again at every new value bound: the parse and plan cost every projected entry paid, a third
/// of a push at the centre before it was found (`db::plan_once`).
#[test]
fn a_projection_look_up_is_planned_once_whatever_is_bound() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("plan.db").to_string_lossy().into_owned();
    let store = Store::create(path, vec![1; 32], "w".into(), "d".into()).unwrap();
    let reprepared = store
        .with_connection(|c| {
            for owner in ["a", "b", "c", "d"] {
                gadeplan_core::projection::last_contact(c, owner)?;
            }
            // The same text as `last_contact`'s, so the cache hands back its statement.
            let stmt = c.prepare_cached(
                "SELECT occurred_at FROM contacts WHERE owner = ?1 AND met = 1 AND voided = 0
             ORDER BY occurred_at DESC LIMIT 1",
            )?;
            Ok(stmt.get_status(rusqlite::StatementStatus::RePrepare))
        })
        .unwrap();
    assert_eq!(reprepared, 0);
}

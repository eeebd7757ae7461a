//! The leader's figures must cost what the period or the team's open work holds, not what the
//! years of records hold (issue 16): every query of the indicators, the overview, the team's
//! open courses and the report's 30 days reaches its rows by a key or an index, in the embedded
//! store and in the read model a PostgreSQL centre keeps, never by scanning a table that grows
//! with the journal. The benchmark's C3 measures what this holds.

use gadeplan_centre::replica::Replica;
use gadeplan_centre::{Centre, indicators, overview, report, team_courses};
use rusqlite::Connection;

fn plan(conn: &Connection, sql: &str) -> Vec<String> {
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    let params: Vec<String> = (0..stmt.parameter_count()).map(|_| "x".into()).collect();
    stmt.query_map(rusqlite::params_from_iter(params.iter()), |r| {
        r.get::<_, String>(3)
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

fn queries() -> Vec<(&'static str, &'static str)> {
    let mut all = indicators::screen_queries();
    all.extend(overview::screen_queries());
    all.extend(team_courses::screen_queries());
    all.extend(report::screen_queries());
    all
}

fn no_query_scans(conn: &Connection, store: &str) {
    for (name, sql) in queries() {
        let steps = plan(conn, sql);
        for step in &steps {
            // A course's responsible workers are a JSON array read in place (`json_each`).
            let allowed = step.starts_with("SCAN w VIRTUAL TABLE") || step == "SCAN CONSTANT ROW";
            assert!(
                !step.starts_with("SCAN") || allowed,
                "{store}, {name}: {step}\n{steps:#?}"
            );
        }
        // The period's queries start from the period's rows by time.
        if indicators::screen_queries().iter().any(|(n, _)| *n == name)
            && name != "a course's closing"
        {
            let first = steps
                .iter()
                .find(|s| s.starts_with("SEARCH") || s.starts_with("SCAN"))
                .unwrap();
            assert!(
                first.contains("_by_time"),
                "{store}, {name} does not start by time: {steps:#?}"
            );
        }
    }
}

#[test]
fn the_leaders_figures_read_by_index_in_both_stores() {
    let dir = tempfile::TempDir::new().unwrap();
    let data = dir.path().join("centre");
    drop(Centre::open(&data).unwrap());
    no_query_scans(&gadeplan_tests::centre_db(&data), "the embedded store");
    let replica = Replica::new().unwrap();
    no_query_scans(replica.connection(), "the read model");
}

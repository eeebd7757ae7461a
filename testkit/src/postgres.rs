//! The test suites' PostgreSQL: a fresh, empty database for each test on the throwaway server
//! that `scripts/test.sh` starts (`scripts/postgres.sh`) and names in `GADEPLAN_TEST_POSTGRES`
//! (the address of its `postgres` database). Without that variable a suite that needs
//! PostgreSQL is skipped with a line saying so, unless `GADEPLAN_REQUIRE_POSTGRES` is set (the
//! test command sets it), so that a missing server fails the run rather than passing it.

use std::sync::atomic::{AtomicU32, Ordering};

/// The address of a new empty database, or `None` (with a note on stderr) when no test server is
/// named and none is required.
pub fn fresh_database() -> Option<String> {
    let Ok(admin) = std::env::var("GADEPLAN_TEST_POSTGRES") else {
        if std::env::var_os("GADEPLAN_REQUIRE_POSTGRES").is_some() {
            panic!("GADEPLAN_REQUIRE_POSTGRES is set but GADEPLAN_TEST_POSTGRES names no server");
        }
        eprintln!(
            "skipped: no PostgreSQL test server (set GADEPLAN_TEST_POSTGRES, or run scripts/test.sh)"
        );
        return None;
    };
    Some(fresh_database_on(&admin))
}

/// A new empty database on the server whose `postgres` database is at `admin`; its address.
pub fn fresh_database_on(admin: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "gadeplan_{}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos())
    );
    let mut client = postgres::Client::connect(admin, postgres::NoTls)
        .unwrap_or_else(|e| panic!("the PostgreSQL test server at {admin}: {e}"));
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("a test database");
    with_database(admin, &name)
}

/// The address `admin` with its database replaced by `name`.
pub fn with_database(admin: &str, name: &str) -> String {
    let (base, query) = match admin.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (admin, String::new()),
    };
    let server = match base.rsplit_once('/') {
        Some((server, _)) if server.contains("://") && !server.ends_with('/') => server,
        _ => base.trim_end_matches('/'),
    };
    format!("{server}/{name}{query}")
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn a_database_replaces_the_one_named() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            with_database("postgres://u@h:1/postgres?sslmode=disable", "t2"),
            "postgres://u@h:1/t2?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://u@h:1", "t3"),
            "postgres://u@h:1/t3"
        );
    }
}

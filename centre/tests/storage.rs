//! The storage seam's conformance suite (`conformance/`), run for every backend: the embedded
//! SQLite store always, PostgreSQL on the test command's server (`scripts/test.sh` starts one;
//! without it these are skipped, see `gadeplan_testkit::postgres`).

mod conformance;

mod sqlite {
    crate::conformance_suite!(crate::conformance::sqlite);
}

mod postgres {
    crate::conformance_suite!(crate::conformance::postgres);
}

/// What only the PostgreSQL backend has: several processes on one database, and a server that
/// may refuse or fail a migration.
mod postgres_migrations {
    use gadeplan_centre::storage::postgres::{PostgresStorage, latest_version};

    fn client(address: &str) -> postgres::Client {
        postgres::Client::connect(address, postgres::NoTls).expect("PostgreSQL")
    }

    #[test]
    fn processes_starting_at_once_migrate_one_after_the_other() {
        let Some(address) = gadeplan_testkit::postgres::fresh_database() else {
            return;
        };
        std::thread::scope(|scope| {
            let starts: Vec<_> = (0..4)
                .map(|_| scope.spawn(|| PostgresStorage::connect(&address).map(|_| ())))
                .collect();
            for start in starts {
                start.join().unwrap().expect("every process starts");
            }
        });
        let versions: Vec<i32> = client(&address)
            .query(
                "SELECT version FROM centre_schema_version ORDER BY version",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(versions, (1..=latest_version()).collect::<Vec<_>>());
    }

    #[test]
    fn a_migration_that_fails_leaves_nothing_and_the_next_start_completes_it() {
        let Some(address) = gadeplan_testkit::postgres::fresh_database() else {
            return;
        };
        // A table in the way: the first migration fails at its last statement.
        client(&address)
            .batch_execute("CREATE TABLE centre_held (something integer)")
            .unwrap();
        let refused = PostgresStorage::connect(&address).err().expect("refused");
        assert_eq!(refused.status, 500, "{refused:?}");
        let tables: i64 = client(&address)
            .query_one(
                "SELECT count(*) FROM information_schema.tables
                 WHERE table_schema = current_schema() AND table_name LIKE 'centre_%'
                   AND table_name NOT IN ('centre_held', 'centre_schema_version')",
                &[],
            )
            .unwrap()
            .get(0);
        assert_eq!(tables, 0, "nothing of the failed migration stays");
        client(&address)
            .batch_execute("DROP TABLE centre_held")
            .unwrap();
        PostgresStorage::connect(&address).expect("the next start migrates");
    }

    #[test]
    fn a_database_a_newer_centre_migrated_is_refused() {
        let Some(address) = gadeplan_testkit::postgres::fresh_database() else {
            return;
        };
        PostgresStorage::connect(&address).unwrap();
        client(&address)
            .execute(
                "INSERT INTO centre_schema_version (version) VALUES ($1)",
                &[&(latest_version() + 1)],
            )
            .unwrap();
        let refused = PostgresStorage::connect(&address).err().expect("refused");
        assert_eq!(refused.code, "store-too-new");
    }

    #[test]
    fn an_address_that_is_not_postgresql_is_refused_clearly() {
        let refused = PostgresStorage::connect("postgres://[::1")
            .err()
            .expect("refused");
        assert_eq!(refused.code, "invalid-input");
        // A server that is not there: unavailable (tried again later), not a crash.
        let refused = PostgresStorage::connect("postgres://nobody@127.0.0.1:1/none")
            .err()
            .expect("refused");
        assert_eq!(refused.code, "database-unavailable");
    }
}

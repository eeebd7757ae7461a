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

//! `gadeplan-centre`: the treatment centre's side of Gadeplan. It receives what the phones
//! recorded, keeps the shared picture of every citizen per team with the core's own journal and
//! projections, sends each phone its team's entries, and reports the team's numbers.
//!
//! `store` owns the protocol's rules over the storage seam (`storage`: one trait, a SQLite and a
//! PostgreSQL backend, one conformance suite; `schema`, the SQLite tables' migrations), with the
//! core's projections in the backend (SQLite) or in a read model beside the process (`replica`);
//! `server` the HTTP face, `listener` the connections beneath it (caps, timeouts, hyper's own
//! refusals), `policy` the limits an operator sets, `report` the team leader's figures, `export`
//! the questionnaires as CSV, `secrets` the tokens and codes, `watch` the check-in timer.

pub mod access_report;
pub mod accounts;
pub mod audit;
mod calendar;
pub mod enrolment_qr;
pub mod erasure;
pub mod export;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub mod indicators;
pub mod keep;
pub mod listener;
pub mod openapi;
pub mod overview;
pub mod policy;
pub mod replica;
pub mod report;
pub mod retention;
mod schema;
pub mod secrets;
pub mod server;
pub mod storage;
pub mod store;
pub mod team_courses;
pub mod tls;
pub mod watch;
pub mod web;

pub use report::TeamReport;
pub use server::RunningCentre;
pub use storage::Database;
pub use store::{Centre, Refusal};

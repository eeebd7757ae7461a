//! `gadeplan-centre`: the treatment centre's side of Gadeplan. It receives what the phones
//! recorded, keeps the shared picture of every citizen per team with the core's own journal and
//! projections, sends each phone its team's entries, and reports the team's numbers.
//!
//! `store` owns the data and the protocol's rules (with `schema`, its tables and migrations),
//! `server` the HTTP face, `listener` the connections beneath it (caps, timeouts, hyper's own
//! refusals), `policy` the limits an operator sets, `report` the team leader's figures, `secrets`
//! the tokens and codes.

#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub mod listener;
pub mod policy;
pub mod report;
mod schema;
pub mod secrets;
pub mod server;
pub mod store;

pub use report::TeamReport;
pub use server::RunningCentre;
pub use store::{Centre, Refusal};

//! Test support, out of the phone library: what the demo and the test suites make up, in one
//! place. `dice` is the seeded generator both draw from (the same seed, the same run); `world`
//! is the demo's week of outreach (nicknames, places, what a worker does at one moment); `worker`
//! is the stress suites' random worker (the network-fault suite and the crash suite's phone
//! process); `postgres` gives each test a fresh database on the test command's PostgreSQL.
//! Everything here goes through the core's public API, as a shell would.

pub mod dice;
pub mod plaintext;
pub mod postgres;
pub mod worker;
pub mod world;

pub use dice::Dice;

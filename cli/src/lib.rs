//! The `gadeplan` shell's reusable parts: the HTTP sync transport, a transport that injects the
//! faults of a mobile connection, and the demo that simulates a week of outreach with them. The
//! binary (`main.rs`) is the command line over the core's API; the workspace tests use these.

#[cfg(feature = "demo")]
pub mod demo;
pub mod faults;
pub mod transport;

//! Entry payload validation: `gadeplan_core::fuzzing::entry_payload`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gadeplan_core::fuzzing::entry_payload(data));

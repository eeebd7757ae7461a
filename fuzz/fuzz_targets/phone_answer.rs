//! The phone decoding a centre's answer: `gadeplan_core::fuzzing::phone_answer`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gadeplan_core::fuzzing::phone_answer(data));

//! A whole sync run of a phone against a centre answering with fuzzed bytes:
//! `gadeplan_core::fuzzing::PhoneSync`.
#![no_main]

use std::sync::OnceLock;

use gadeplan_core::fuzzing::PhoneSync;

static PHONE: OnceLock<PhoneSync> = OnceLock::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    PHONE
        .get_or_init(|| {
            let dir = std::env::temp_dir().join(format!("gadeplan-fuzz-{}", std::process::id()));
            std::fs::create_dir_all(&dir).expect("temporary directory");
            PhoneSync::new(&dir)
        })
        .run(data)
});

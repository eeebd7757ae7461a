//! One HTTP request to the centre's router: `gadeplan_centre::fuzzing::CentreUnderFuzz`.
#![no_main]

use std::sync::OnceLock;

use gadeplan_centre::fuzzing::CentreUnderFuzz;

static CENTRE: OnceLock<CentreUnderFuzz> = OnceLock::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    CENTRE
        .get_or_init(|| {
            let dir =
                std::env::temp_dir().join(format!("gadeplan-fuzz-centre-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            CentreUnderFuzz::new(&dir)
        })
        .handle(data)
});

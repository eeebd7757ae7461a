//! The centre fuzzer's corpus replayed on stable: every request cargo-fuzz kept
//! (`fuzz/corpus/centre_request/`) goes through the router again, answered with no panic, no 5xx
//! and a JSON refusal for every 4xx.

use std::path::Path;

use gadeplan_centre::fuzzing::CentreUnderFuzz;
use gadeplan_core::fuzzing::corpus;

#[test]
fn centre_request_corpus() {
    let data = tempfile::TempDir::new().unwrap();
    let centre = CentreUnderFuzz::new(&data.path().join("centre"));
    for input in corpus(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join(".."),
        "centre_request",
    ) {
        centre.handle(&input);
    }
}

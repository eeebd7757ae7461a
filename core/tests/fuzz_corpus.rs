//! The fuzzers' corpus replayed on stable: every input cargo-fuzz kept for the phone's targets
//! (`fuzz/corpus/`: the seeds, the inputs it found that reach new code, and any input that once
//! failed) goes through the same entry points again, so CI holds the ground the fuzzers won.

use std::path::Path;

use gadeplan_core::fuzzing;

fn corpus(target: &str) -> Vec<Vec<u8>> {
    fuzzing::corpus(&Path::new(env!("CARGO_MANIFEST_DIR")).join(".."), target)
}

#[test]
fn phone_answer_corpus() {
    for data in corpus("phone_answer") {
        fuzzing::phone_answer(&data);
    }
}

#[test]
fn entry_payload_corpus() {
    for data in corpus("entry_payload") {
        fuzzing::entry_payload(&data);
    }
}

#[test]
fn phone_sync_corpus() {
    let dir = tempfile::TempDir::new().unwrap();
    let phone = fuzzing::PhoneSync::new(dir.path());
    for data in corpus("phone_sync") {
        phone.run(&data);
    }
}

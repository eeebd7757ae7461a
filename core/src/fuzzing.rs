//! The phone side's fuzz entry points: each takes arbitrary bytes and must return, whatever they
//! hold, without a panic, and with the invariants below intact. The cargo-fuzz targets in `fuzz/`
//! (nightly) call these functions, and `core/tests/fuzz_corpus.rs` replays the committed corpus
//! through the same functions on stable in CI, so both check exactly the same thing. The centre's
//! request handling has its own in `gadeplan_centre::fuzzing`.
//!
//! Nothing here is exported to the phones.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::api::{ContactInput, NewPerson, Store};
use crate::journal::Entry;
use crate::journal::EntryKind;
use crate::kinds::Payload;
use crate::sync::{Answer, Transport, TransportError, read_answer, wire};
use crate::vocabulary::{ContactKind, Outcome, PlaceKind};

/// The sync protocol's endpoints, in the order a fuzz input's first byte picks them (here and in
/// the centre's target), so that seed inputs are written the same way.
pub const ENDPOINTS: [&str; 4] = ["enrol", "push", "pull", "digest"];

/// The phone reading a centre's answer as it came off the wire: the first byte picks which
/// endpoint's answer it expects (`ENDPOINTS`), the rest is the body. Pulled entries are also put
/// through the checks every arriving entry meets.
pub fn phone_answer(data: &[u8]) {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    match ENDPOINTS[which as usize % ENDPOINTS.len()] {
        "enrol" => drop(read_answer::<wire::EnrolResponse>(body)),
        "push" => drop(read_answer::<wire::PushResponse>(body)),
        "pull" => {
            if let Ok(Answer::Ok(pull)) = read_answer::<wire::PullAnswer>(body) {
                for sequenced in &pull.entries {
                    // Read as the pull reads it; one that does not read is set aside there.
                    if let Ok(entry) = serde_json::from_value::<Entry>(sequenced.entry.clone()) {
                        entry_round_trip(&entry);
                    }
                }
            }
        }
        _ => drop(read_answer::<wire::DigestResponse>(body)),
    }
}

/// Entry payload validation, two ways: the first byte picks a kind and the rest is that kind's
/// payload JSON; and the whole input read as one wire entry. A payload that passes must come back
/// the same from its own JSON.
pub fn entry_payload(data: &[u8]) {
    if let Some((&which, json)) = data.split_first()
        && let Ok(json) = std::str::from_utf8(json)
    {
        let kind = EntryKind::ALL[which as usize % EntryKind::ALL.len()];
        payload_round_trip(kind, json);
    }
    if let Ok(entry) = serde_json::from_slice::<Entry>(data) {
        entry_round_trip(&entry);
    }
}

fn payload_round_trip(kind: EntryKind, json: &str) {
    if let Ok(payload) = Payload::parse(kind, json) {
        assert_eq!(payload.kind(), kind);
        let again =
            Payload::parse(kind, &payload.to_json()).expect("a valid payload's own JSON is valid");
        assert_eq!(again, payload, "a payload survives its own JSON");
    }
}

fn entry_round_trip(entry: &Entry) {
    if let Ok(payload) = crate::ingest::check(entry, crate::clock::now().timestamp_millis()) {
        payload_round_trip(entry.kind, &entry.payload);
        assert_eq!(payload.kind(), entry.kind);
    }
}

/// A phone syncing against a centre that answers with whatever the fuzzer says.
///
/// A template store (enrolled, holding three entries of its own to push) is made once; every run
/// works on a fresh copy of it, so a run depends only on its input. The input is the sequence of
/// answers, each a little-endian `u16` length and that many bytes; when they run out the centre
/// is unreachable. In an answer, `@OWN0@`, `@OWN1@` and `@OWN2@` stand for the ids of the
/// template's own entries (made anew in each process), so a seed can acknowledge the push and
/// carry the run on to the pull. Afterwards the phone must still hold every entry it recorded, unless an answer
/// told it to erase itself (a revoked phone), and its file must pass `integrity_check`.
pub struct PhoneSync {
    template: PathBuf,
    run: PathBuf,
    key: Vec<u8>,
    own: Vec<String>,
}

const KEY: [u8; 32] = [0x42; 32];

impl PhoneSync {
    /// Makes the template under `dir`, which must exist and be writable.
    pub fn new(dir: &Path) -> PhoneSync {
        let template = dir.join("phone-sync-template.db");
        let run = dir.join("phone-sync-run.db");
        for file in [&template, &run] {
            remove_store(file);
        }
        let store = Store::create(
            template.to_string_lossy().into_owned(),
            KEY.to_vec(),
            "Fuzz".into(),
            "fuzzing phone".into(),
        )
        .expect("template store");
        let enrolment = serde_json::to_vec(&wire::EnrolResponse {
            protocol: wire::PROTOCOL,
            token: "t".repeat(64),
            team: "Fuzz".into(),
            centre_time: None,
        })
        .expect("JSON");
        store
            .enrol(
                Arc::new(Scripted::new(vec![enrolment])),
                "fuzz".into(),
                "code".into(),
            )
            .expect("enrolled");
        let person = store
            .add_person(NewPerson {
                alias: "Fuzz".into(),
                description: Some("template".into()),
                birth_year: None,
                from_unknown: None,
                occurred_at: None,
            })
            .expect("person");
        let contact = store
            .record_contact(ContactInput {
                subject: Some(crate::api::Subject::Person {
                    id: person.person.clone(),
                }),
                place: "Park".into(),
                place_kind: PlaceKind::Park,
                kind: ContactKind::Conversation,
                meeting: None,
                announced: None,
                safety_reason: None,
                outcome: Outcome::ContactMade,
                colleague: None,
                minutes: Some(5),
                note: Some("template note".into()),
                risk_check: None,
                occurred_at: None,
                place_id: None,
            })
            .expect("contact");
        let amended = store
            .amend(contact.id.clone(), r#"{"minutes": 6}"#.into(), None, None)
            .expect("amendment");
        drop(store);
        PhoneSync {
            template,
            run,
            key: KEY.to_vec(),
            own: vec![person.entry, contact.id, amended.id],
        }
    }

    pub fn run(&self, data: &[u8]) {
        remove_store(&self.run);
        std::fs::copy(&self.template, &self.run).expect("copy of the template");
        let store =
            Store::open(self.run.to_string_lossy().into_owned(), self.key.clone()).expect("open");
        let own: Vec<(String, &str)> = self
            .own
            .iter()
            .enumerate()
            .map(|(i, id)| (format!("@OWN{i}@"), id.as_str()))
            .collect();
        let own: Vec<(&str, &str)> = own.iter().map(|(p, id)| (p.as_str(), *id)).collect();
        let answers = Arc::new(Scripted::framed(data, &own));
        let _ = store.sync(answers.clone());
        let wiped = !store.sync_status().expect("status").enrolled;
        let ok: String = store
            .with_connection(|c| Ok(c.query_row("PRAGMA integrity_check", [], |r| r.get(0))?))
            .expect("integrity check");
        assert_eq!(ok, "ok");
        if !wiped {
            for id in &self.own {
                store
                    .entry(id.clone())
                    .expect("an entry recorded on the phone is never lost to a centre's answer");
            }
        }
    }
}

fn remove_store(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        let _ = std::fs::remove_file(file);
    }
}

/// A transport that gives back prepared answers in turn, then reports the centre unreachable.
struct Scripted {
    answers: Mutex<VecDeque<Vec<u8>>>,
}

impl Scripted {
    fn new(answers: Vec<Vec<u8>>) -> Scripted {
        Scripted {
            answers: Mutex::new(answers.into()),
        }
    }

    /// Answers framed as little-endian `u16` lengths, each followed by its bytes, with
    /// `placeholders` filled in.
    fn framed(mut data: &[u8], placeholders: &[(&str, &str)]) -> Scripted {
        let mut answers = Vec::new();
        while let [a, b, rest @ ..] = data {
            let len = (u16::from_le_bytes([*a, *b]) as usize).min(rest.len());
            answers.push(fill_in(&rest[..len], placeholders));
            data = &rest[len..];
        }
        Scripted::new(answers)
    }
}

impl Transport for Scripted {
    fn send(
        &self,
        _endpoint: String,
        _token: Option<String>,
        _body: Vec<u8>,
    ) -> Result<Vec<u8>, TransportError> {
        self.answers
            .lock()
            .expect("not poisoned")
            .pop_front()
            .ok_or_else(|| TransportError::Unreachable {
                detail: "no more answers".into(),
            })
    }
}

/// `bytes` with every `(placeholder, value)` put in; the fuzz targets use placeholders where a
/// seed needs a value only known when the target runs (an id, a token).
pub fn fill_in(bytes: &[u8], placeholders: &[(&str, &str)]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for (placeholder, value) in placeholders {
        let needle = placeholder.as_bytes();
        let mut filled = Vec::with_capacity(out.len());
        let mut rest = &out[..];
        while let Some(at) = rest.windows(needle.len()).position(|w| w == needle) {
            filled.extend_from_slice(&rest[..at]);
            filled.extend_from_slice(value.as_bytes());
            rest = &rest[at + needle.len()..];
        }
        filled.extend_from_slice(rest);
        out = filled;
    }
    out
}

/// Every input kept for `target` in the repository's `fuzz/corpus/`, in name order, for the
/// replay tests (`repo` is the repository's root). Panics if there are none: a missing corpus
/// must fail the replay, not pass it.
pub fn corpus(repo: &Path, target: &str) -> Vec<Vec<u8>> {
    let dir = repo.join("fuzz/corpus").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|f| f.expect("directory entry").path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{target}: the corpus is missing");
    files
        .iter()
        .map(|f| std::fs::read(f).expect("corpus file"))
        .collect()
}

/// Frames answers the way [`PhoneSync::run`] reads them: for writing seed inputs.
pub fn frame_answers(answers: &[Vec<u8>]) -> Vec<u8> {
    let mut data = Vec::new();
    for answer in answers {
        let len = u16::try_from(answer.len()).unwrap_or(u16::MAX);
        data.extend_from_slice(&len.to_le_bytes());
        data.extend_from_slice(&answer[..len as usize]);
    }
    data
}

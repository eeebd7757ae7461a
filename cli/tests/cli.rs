//! The `gadeplan` binary as scripts use it: JSON out, JSON errors, exit codes, and the promise
//! that a refused command leaves everything recorded exactly as it was.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use tempfile::TempDir;

const KEY: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

struct Session {
    _dir: TempDir,
    store: PathBuf,
    key_file: PathBuf,
}

impl Session {
    fn new() -> Self {
        let dir = TempDir::new().unwrap();
        let key_file = dir.path().join("key");
        std::fs::write(&key_file, format!("{KEY}\n")).unwrap();
        set_mode(&key_file, 0o600);
        let store = dir.path().join("field.db");
        let s = Session {
            _dir: dir,
            store,
            key_file,
        };
        s.ok(&["init", "--worker", "Mette", "--device", "test-phone"]);
        s
    }

    fn raw(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_gadeplan"))
            .arg("--store")
            .arg(&self.store)
            .arg("--key-file")
            .arg(&self.key_file)
            .args(args)
            .env_remove("GADEPLAN_KEY")
            .env_remove("GADEPLAN_STORE")
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> Value {
        let out = self.raw(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: stdout is not JSON ({e})"))
    }

    fn id(&self, args: &[&str]) -> String {
        self.ok(args)["id"].as_str().unwrap().to_string()
    }

    /// Everything recorded, as the CLI shows it: the journal with corrections applied and the
    /// persons list.
    fn state(&self) -> (Value, Value) {
        (self.ok(&["log"]), self.ok(&["person", "list"]))
    }
}

/// Key files must be private to their owner; tests write them with the umask's mode first.
#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) {}

fn error_of(out: &Output) -> Value {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = stderr.trim();
    assert_eq!(
        line.lines().count(),
        1,
        "stderr must be one JSON object: {stderr}"
    );
    serde_json::from_str(line).unwrap_or_else(|e| panic!("stderr is not JSON ({e}): {stderr}"))
}

#[test]
fn a_field_session_end_to_end() {
    let s = Session::new();
    let kim = s.id(&[
        "person",
        "add",
        "--alias",
        "Kim",
        "--description",
        "red jacket, grey dog",
        "--birth-year",
        "1979",
    ]);
    let check = s.ok(&[
        "risk",
        "--person",
        &kim,
        "--observed",
        "irritability,boisterousness",
    ]);
    assert_eq!(check["score"], 2);
    assert_eq!(check["band"], "moderate");
    assert_eq!(check["action"], "Start de-escalation");
    let check_id = check["id"].as_str().unwrap();
    s.id(&[
        "contact",
        "--person",
        &kim,
        "--place",
        "Enghave Plads",
        "--place-kind",
        "park",
        "--kind",
        "conversation",
        "--outcome",
        "contact-made",
        "--with",
        "Jonas",
        "--minutes",
        "20",
        "--note",
        "talked about a shelter bed",
        "--risk-check",
        check_id,
    ]);
    let screening = s.ok(&[
        "screen",
        "--person",
        &kim,
        "--criteria",
        "section-101,drug-use,limited-treatment-use,multi-system-need,burdened-situation",
        "--high-burden",
        "mental-health,economy,crime",
        "--decision",
        "in",
    ]);
    assert_eq!(screening["indicated"], true);
    assert_eq!(screening["decision"], "in");
    s.ok(&[
        "stage",
        "--person",
        &kim,
        "--stage",
        "contemplation",
        "--importance",
        "8",
        "--confidence",
        "4",
    ]);

    let list = s.ok(&["person", "list"]);
    let row = &list[0];
    for key in [
        "id",
        "alias",
        "last_contact_at",
        "risk",
        "stage",
        "screening",
    ] {
        assert!(row.get(key).is_some(), "person list lacks {key}");
    }
    assert_eq!(row["risk"], "moderate");
    assert_eq!(row["stage"], "contemplation");
    assert_eq!(row["screening"], "in");

    let shown = s.ok(&["person", "show", &kim]);
    let kinds: Vec<&str> = shown["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "person.noted",
            "risk.checked",
            "contact.logged",
            "screening.recorded",
            "stage.assessed"
        ]
    );
    assert_eq!(shown["timeline"][2]["payload"]["colleague"], "Jonas");

    let today = s.ok(&["log", "--today"]);
    assert_eq!(today.as_array().unwrap().len(), 5);
    assert_eq!(
        s.ok(&["log", "--person", &kim]).as_array().unwrap().len(),
        5
    );

    let instruments = s.ok(&["instruments"]);
    assert_eq!(instruments["broset"]["items"].as_array().unwrap().len(), 6);
    assert_eq!(instruments["broset"]["items"][0]["da"], "Forvirring");
}

#[test]
fn merge_amend_void_and_unknown_citizens() {
    let s = Session::new();
    let a = s.id(&["person", "add", "--alias", "Manden med hunden"]);
    let b = s.id(&["person", "add", "--alias", "Hunde-Jens"]);
    let c = s.id(&[
        "contact",
        "--person",
        &a,
        "--place",
        "Kiosk",
        "--place-kind",
        "street",
        "--kind",
        "brief-contact",
        "--outcome",
        "contact-made",
    ]);
    s.ok(&["person", "merge", &b, &a]);
    let list = s.ok(&["person", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], b.as_str());
    s.ok(&[
        "amend",
        &c,
        "--note",
        "gave him a sleeping bag",
        "--reason",
        "forgot the note",
    ]);
    let entry = s.ok(&["entry", &c]);
    assert_eq!(entry["payload"]["note"], "gave him a sleeping bag");
    assert!(entry["original_payload"].is_object());
    s.ok(&["void", &c, "--reason", "wrong person"]);
    assert!(s.ok(&["person", "list"])[0]["last_contact_at"].is_null());

    let check = s.ok(&["risk", "--unknown", "woman in green coat at the fountain"]);
    let contact = s.ok(&[
        "contact",
        "--risk-check",
        check["id"].as_str().unwrap(),
        "--place",
        "Fountain",
        "--place-kind",
        "park",
        "--kind",
        "observation",
        "--outcome",
        "not-approached-risk",
    ]);
    assert_eq!(contact["subject"], check["subject"]);
    let unknowns = s.ok(&["unknown", "list"]);
    assert_eq!(unknowns[0]["id"], check["subject"]);
    let named = s.id(&[
        "person",
        "add",
        "--alias",
        "Grønne Grethe",
        "--from-unknown",
        check["subject"].as_str().unwrap(),
    ]);
    assert_eq!(
        s.ok(&["person", "show", &named])["timeline"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn every_kind_of_bad_input_is_refused_and_changes_nothing() {
    let s = Session::new();
    let kim = s.id(&["person", "add", "--alias", "Kim"]);
    let contact = s.id(&[
        "contact",
        "--person",
        &kim,
        "--place",
        "Park",
        "--place-kind",
        "park",
        "--kind",
        "conversation",
        "--outcome",
        "contact-made",
    ]);
    s.ok(&["void", &contact, "--reason", "test void"]);
    let live = s.id(&[
        "contact",
        "--person",
        &kim,
        "--place",
        "Park",
        "--place-kind",
        "park",
        "--kind",
        "conversation",
        "--outcome",
        "contact-made",
    ]);
    let person_entry = s.ok(&["log"])[0]["id"].as_str().unwrap().to_string();
    let nobody = "01a20000-0000-7000-8000-000000000000";
    let long = "x".repeat(101);
    let huge = "y".repeat(10_000);
    // Kim has an open course (in its first phase); Lis none.
    s.ok(&[
        "course",
        "open",
        "--person",
        &kim,
        "--found-via",
        "own-outreach",
    ]);
    let lis = s.ok(&["person", "add", "--alias", "Lis"])["id"]
        .as_str()
        .unwrap()
        .to_string();
    let before = s.state();

    let c = |rest: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = ["contact", "--person", kim.as_str()]
            .iter()
            .map(|x| x.to_string())
            .collect();
        v.extend(rest.iter().map(|x| x.to_string()));
        v
    };
    let base = [
        "--place",
        "Park",
        "--place-kind",
        "park",
        "--kind",
        "conversation",
        "--outcome",
        "contact-made",
    ];
    let with = |extra: &[&str]| -> Vec<String> {
        let mut v = c(&base);
        v.extend(extra.iter().map(|x| x.to_string()));
        v
    };
    let owned = |a: &[&str]| -> Vec<String> { a.iter().map(|x| x.to_string()).collect() };
    let q = |rest: &[&str]| -> Vec<String> {
        let mut v = owned(&["questionnaire", "--person", &kim]);
        v.extend(rest.iter().map(|x| x.to_string()));
        v
    };
    let contact_as = |kind: &str, extra: &[&str]| -> Vec<String> {
        let mut v = c(&[
            "--place",
            "Park",
            "--place-kind",
            "park",
            "--kind",
            kind,
            "--outcome",
            "contact-made",
        ]);
        v.extend(extra.iter().map(|x| x.to_string()));
        v
    };

    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            owned(&["init", "--worker", "Someone"]),
            "already-initialised",
        ),
        (owned(&["person", "add", "--alias", ""]), "invalid-input"),
        (owned(&["person", "add", "--alias", "   "]), "invalid-input"),
        (owned(&["person", "add", "--alias", &long]), "invalid-input"),
        (
            owned(&["person", "add", "--alias", "A", "--birth-year", "1800"]),
            "invalid-input",
        ),
        (
            owned(&["person", "add", "--alias", "A", "--birth-year", "3000"]),
            "invalid-input",
        ),
        (
            owned(&["person", "add", "--alias", "A", "--birth-year", "nineteen"]),
            "usage",
        ),
        (
            owned(&["person", "add", "--alias", "A", "--description", &huge]),
            "invalid-input",
        ),
        (
            owned(&["person", "add", "--alias", "A\u{7}"]),
            "invalid-input",
        ),
        (
            owned(&["person", "add", "--alias", "A", "--from-unknown", nobody]),
            "not-found",
        ),
        (owned(&["person", "add"]), "usage"),
        (owned(&["person", "show", nobody]), "not-found"),
        (owned(&["person", "show", "not-an-id"]), "invalid-input"),
        (owned(&["person", "merge", &kim, &kim]), "not-allowed"),
        (owned(&["person", "merge", &kim, nobody]), "not-found"),
        (owned(&["person", "update", &kim]), "invalid-input"),
        (
            owned(&["person", "update", &kim, "--alias", ""]),
            "invalid-input",
        ),
        (
            owned(&["person", "update", nobody, "--alias", "B"]),
            "not-found",
        ),
        (owned(&["person", "frobnicate"]), "usage"),
        (owned(&["risk", "--observed", "confusion"]), "invalid-input"),
        (
            owned(&["risk", "--person", &kim, "--observed", "shouting"]),
            "invalid-input",
        ),
        (
            owned(&[
                "risk",
                "--person",
                &kim,
                "--observed",
                "confusion,irritability,boisterousness",
            ]),
            "plan-required",
        ),
        (
            owned(&[
                "risk",
                "--person",
                &kim,
                "--observed",
                "confusion,irritability,boisterousness",
                "--plan",
                " ",
            ]),
            "plan-required",
        ),
        (owned(&["risk", "--person", nobody]), "not-found"),
        (owned(&["risk", "--person", "Kim"]), "invalid-input"),
        (
            owned(&["risk", "--person", &kim, "--unknown", "someone"]),
            "usage",
        ),
        (owned(&["risk", "--unknown", ""]), "invalid-input"),
        (owned(&["risk", "--unknown-id", nobody]), "not-found"),
        (
            owned(&["risk", "--person", &kim, "--at", "yesterday"]),
            "invalid-input",
        ),
        (
            owned(&["risk", "--person", &kim, "--at", "2999-01-01T00:00:00Z"]),
            "invalid-input",
        ),
        (
            c(&[
                "--place",
                "Park",
                "--place-kind",
                "bench",
                "--kind",
                "conversation",
                "--outcome",
                "contact-made",
            ]),
            "invalid-input",
        ),
        (
            c(&[
                "--place",
                "Park",
                "--place-kind",
                "park",
                "--kind",
                "chat",
                "--outcome",
                "contact-made",
            ]),
            "invalid-input",
        ),
        (
            c(&[
                "--place",
                "Park",
                "--place-kind",
                "park",
                "--kind",
                "conversation",
                "--outcome",
                "maybe",
            ]),
            "invalid-input",
        ),
        (
            c(&[
                "--place",
                "",
                "--place-kind",
                "park",
                "--kind",
                "conversation",
                "--outcome",
                "contact-made",
            ]),
            "invalid-input",
        ),
        (
            c(&[
                "--place-kind",
                "park",
                "--kind",
                "conversation",
                "--outcome",
                "contact-made",
            ]),
            "usage",
        ),
        (with(&["--minutes", "100000"]), "invalid-input"),
        (with(&["--minutes", "-5"]), "usage"),
        (with(&["--note", &huge]), "invalid-input"),
        (with(&["--risk-check", &live]), "invalid-input"),
        (with(&["--risk-check", nobody]), "not-found"),
        (with(&["--at", "1999-12-31T23:00:00Z"]), "invalid-input"),
        (
            owned(&[
                "contact",
                "--place",
                "Park",
                "--place-kind",
                "park",
                "--kind",
                "conversation",
                "--outcome",
                "contact-made",
            ]),
            "invalid-input",
        ),
        (
            owned(&["screen", "--person", &kim, "--decision", "in"]),
            "reason-required",
        ),
        (
            // Every criterion known and met: `undecided` departs from `in`.
            owned(&[
                "screen",
                "--person",
                &kim,
                "--criteria",
                "section-101,drug-use,limited-treatment-use,multi-system-need,burdened-situation",
                "--high-burden",
                "crime,economy,mental-health",
                "--decision",
                "undecided",
            ]),
            "reason-required",
        ),
        (
            // Every criterion not met: `outside` is indicated, but says to what it refers.
            owned(&[
                "screen",
                "--person",
                &kim,
                "--not-met",
                "section-101,drug-use,limited-treatment-use,multi-system-need,burdened-situation,physical-health,mental-health,economy,crime,family-social",
                "--decision",
                "outside",
            ]),
            "invalid-input",
        ),
        (
            owned(&["screen", "--person", &kim, "--decision", "perhaps"]),
            "invalid-input",
        ),
        (
            owned(&[
                "screen",
                "--person",
                &kim,
                "--criteria",
                "section-102",
                "--decision",
                "outside",
                "--referred-to",
                "GP",
            ]),
            "invalid-input",
        ),
        (
            owned(&[
                "screen",
                "--person",
                &kim,
                "--criteria",
                "complex-burden",
                "--decision",
                "outside",
                "--referred-to",
                "GP",
            ]),
            "invalid-input",
        ),
        (
            owned(&[
                "screen",
                "--person",
                &kim,
                "--high-burden",
                "housing",
                "--decision",
                "outside",
                "--referred-to",
                "GP",
            ]),
            "invalid-input",
        ),
        (
            owned(&[
                "screen",
                "--person",
                &kim,
                "--decision",
                "outside",
                "--referred-to",
                "GP",
                "--referral",
                "push",
            ]),
            "invalid-input",
        ),
        (
            owned(&[
                "screen",
                "--person",
                &kim,
                "--decision",
                "undecided",
                "--reason",
                "r",
                "--referred-to",
                "GP",
            ]),
            "invalid-input",
        ),
        (
            owned(&["stage", "--person", &kim, "--stage", "denial"]),
            "invalid-input",
        ),
        (
            owned(&[
                "stage",
                "--person",
                &kim,
                "--stage",
                "action",
                "--importance",
                "11",
            ]),
            "invalid-input",
        ),
        (
            owned(&[
                "stage",
                "--person",
                &kim,
                "--stage",
                "action",
                "--confidence",
                "300",
            ]),
            "usage",
        ),
        (owned(&["amend", nobody, "--note", "x"]), "not-found"),
        (owned(&["amend", &live]), "invalid-input"),
        (
            owned(&["amend", &live, "--patch", "not json"]),
            "invalid-input",
        ),
        (
            owned(&["amend", &live, "--patch", "[1,2]"]),
            "invalid-input",
        ),
        (
            owned(&["amend", &live, "--patch", r#"{"unknown": "someone else"}"#]),
            "invalid-input",
        ),
        (
            owned(&["amend", &live, "--patch", r#"{"colour": "red"}"#]),
            "invalid-input",
        ),
        (
            owned(&["amend", &live, "--outcome", "maybe"]),
            "invalid-input",
        ),
        (
            owned(&["amend", &live, "--at", "2999-01-01T00:00:00Z"]),
            "invalid-input",
        ),
        (owned(&["amend", &contact, "--note", "x"]), "not-allowed"),
        (
            owned(&["amend", &person_entry, "--patch", r#"{"alias": "B"}"#]),
            "not-allowed",
        ),
        (owned(&["void", &live]), "usage"),
        (owned(&["void", &live, "--reason", "  "]), "invalid-input"),
        (
            owned(&["void", &contact, "--reason", "again"]),
            "not-allowed",
        ),
        (owned(&["void", nobody, "--reason", "r"]), "not-found"),
        (owned(&["log", "--person", &kim, "--today"]), "usage"),
        (owned(&["log", "--person", nobody]), "not-found"),
        (owned(&["entry", nobody]), "not-found"),
        (owned(&["no-such-command"]), "usage"),
        (owned(&["identity", "extra"]), "usage"),
        (owned(&["unknown", "list", "extra"]), "usage"),
        (owned(&["instruments", "--lang", "xx"]), "usage"),
        (owned(&["enrol", "--centre", "http://127.0.0.1:1"]), "usage"),
        (owned(&["enrol", "--code", "ABCD-EFGH"]), "usage"),
        (
            owned(&["enrol", "--centre", "centre.example", "--code", "ABCD"]),
            "invalid-input",
        ),
        (
            owned(&["enrol", "--centre", "ftp://centre.example", "--code", "A"]),
            "invalid-input",
        ),
        (
            owned(&["enrol", "--centre", "https://", "--code", "A"]),
            "invalid-input",
        ),
        (
            owned(&[
                "--ca-file",
                "/nonexistent.pem",
                "enrol",
                "--centre",
                "https://centre.example",
                "--code",
                "A",
            ]),
            "invalid-input",
        ),
        (
            owned(&["enrol", "--centre", "http://127.0.0.1:1", "--code", " "]),
            "invalid-input",
        ),
        (
            owned(&["enrol", "--centre", "http://127.0.0.1:1", "--code", "ABCD"]),
            "unreachable",
        ),
        (
            owned(&["enrol", "--link", "gadeplan://join?x=1"]),
            "invalid-input",
        ),
        (
            owned(&[
                "enrol",
                "--link",
                "gadeplan://enrol?centre=ftp%3A%2F%2Fc.dk&code=ABCD",
            ]),
            "invalid-input",
        ),
        (
            owned(&[
                "enrol",
                "--link",
                "gadeplan://enrol?centre=http%3A%2F%2F127.0.0.1%3A1&code=ABCD",
                "--code",
                "EFGH",
            ]),
            "usage",
        ),
        // The link read, its centre tried: nobody there.
        (
            owned(&[
                "enrol",
                "--link",
                "gadeplan://enrol?centre=http%3A%2F%2F127.0.0.1%3A1&code=ABCD",
            ]),
            "unreachable",
        ),
        (owned(&["sync"]), "not-enrolled"),
        (owned(&["sync", "--centre", "http://"]), "invalid-input"),
        (
            owned(&["sync", "--centre", "http://127.0.0.1:1"]),
            "not-enrolled",
        ),
        (owned(&["status", "extra"]), "usage"),
        (owned(&["demo", "--seed", "-1"]), "usage"),
        (owned(&["demo", "--seed", "abc"]), "usage"),
        (owned(&["demo", "--seed", &huge]), "usage"),
        (owned(&["rebuild", "extra"]), "usage"),
        // Courses: a second open course, a person unknown, codes not in the vocabularies, a
        // responsible worker's name too long, a phase without a course or the one it is in, a
        // treatment status for a course never bridged, a course that is not the person's.
        (
            owned(&["course", "open", "--person", &kim, "--found-via", "other"]),
            "not-allowed",
        ),
        (
            owned(&["course", "open", "--person", nobody, "--found-via", "other"]),
            "not-found",
        ),
        (
            owned(&["course", "open", "--person", &lis, "--found-via", "street"]),
            "invalid-input",
        ),
        (
            owned(&[
                "course",
                "open",
                "--person",
                &lis,
                "--found-via",
                "other",
                "--treatment-before",
                "sometimes",
            ]),
            "invalid-input",
        ),
        (
            owned(&[
                "course",
                "open",
                "--person",
                &lis,
                "--found-via",
                "other",
                "--responsible",
                &long,
            ]),
            "invalid-input",
        ),
        (owned(&["course", "open", "--person", &lis]), "usage"),
        (
            owned(&["course", "phase", "--person", &lis, "--phase", "motivation"]),
            "not-allowed",
        ),
        (
            owned(&["course", "phase", "--person", &kim, "--phase", "contact"]),
            "invalid-input",
        ),
        (
            owned(&["course", "phase", "--person", &kim, "--phase", "detox"]),
            "invalid-input",
        ),
        (
            owned(&[
                "course",
                "phase",
                "--person",
                &kim,
                "--course",
                nobody,
                "--phase",
                "motivation",
            ]),
            "not-found",
        ),
        (
            owned(&[
                "course",
                "close",
                "--person",
                &kim,
                "--reason",
                "treatment",
                "--treatment-status",
                "completed",
            ]),
            "invalid-input",
        ),
        (
            owned(&["course", "close", "--person", &kim, "--reason", "bored"]),
            "invalid-input",
        ),
        (owned(&["course", "close", "--person", &kim]), "usage"),
        (owned(&["caseload", "extra"]), "usage"),
        // Bridge-building: a visitation or start with no wish, a handover with no start, a wish
        // for a person with no course, codes not in the vocabularies, a time that is no time.
        (
            owned(&[
                "treatment",
                "visit",
                "--person",
                &kim,
                "--kind",
                "direct",
                "--result",
                "admitted",
            ]),
            "not-allowed",
        ),
        (
            owned(&[
                "treatment",
                "start",
                "--person",
                &kim,
                "--offer",
                "day",
                "--intensity",
                "day",
            ]),
            "not-allowed",
        ),
        (
            owned(&[
                "treatment",
                "handover",
                "--person",
                &kim,
                "--counsellor",
                "Birgitte",
            ]),
            "not-allowed",
        ),
        (
            owned(&["treatment", "request", "--person", &lis]),
            "not-allowed",
        ),
        (
            owned(&[
                "treatment",
                "request",
                "--person",
                &kim,
                "--at",
                "yesterday",
            ]),
            "invalid-input",
        ),
        (
            owned(&[
                "treatment",
                "visit",
                "--person",
                &kim,
                "--kind",
                "phone",
                "--result",
                "admitted",
            ]),
            "invalid-input",
        ),
        (
            owned(&[
                "treatment",
                "start",
                "--person",
                &kim,
                "--offer",
                "day",
                "--intensity",
                "weekly",
            ]),
            "invalid-input",
        ),
        (
            owned(&["treatment", "start", "--person", &kim, "--intensity", "day"]),
            "usage",
        ),
        (
            owned(&[
                "bridge",
                "--person",
                &kim,
                "--service",
                "dentist",
                "--status",
                "contacted",
            ]),
            "invalid-input",
        ),
        (
            owned(&[
                "bridge",
                "--person",
                &kim,
                "--service",
                "gp",
                "--status",
                "maybe",
            ]),
            "invalid-input",
        ),
        (owned(&["treatment", "waiting", "extra"]), "usage"),
        // Network and consent: a role or form not in the vocabularies, a phone that is no
        // number, a disclosure with no consent or an unknown one, a withdrawal of nothing.
        (
            owned(&[
                "network", "add", "--person", &kim, "--role", "friend", "--name", "Anna",
            ]),
            "invalid-input",
        ),
        (
            owned(&[
                "network", "add", "--person", &kim, "--role", "gp", "--name", "Holm", "--phone",
                "ring",
            ]),
            "invalid-input",
        ),
        (
            owned(&["network", "add", "--person", &kim, "--role", "gp"]),
            "usage",
        ),
        (
            owned(&[
                "consent", "give", "--person", &kim, "--to", "X", "--about", "Y", "--form", "nod",
            ]),
            "invalid-input",
        ),
        (
            owned(&["consent", "withdraw", "--person", &kim, "--consent", nobody]),
            "not-found",
        ),
        (
            owned(&[
                "disclose",
                "--person",
                &kim,
                "--what",
                "in treatment",
                "--to",
                "X",
            ]),
            "consent-required",
        ),
        (
            owned(&[
                "disclose",
                "--person",
                &kim,
                "--what",
                "w",
                "--to",
                "X",
                "--consent",
                nobody,
            ]),
            "not-found",
        ),
        // The plan: none to evaluate yet, a plan file that is no plan or missing, a goal the
        // plan does not have (there is none), html without a file to write it to.
        (
            owned(&[
                "plan",
                "evaluate",
                "--person",
                &kim,
                "--goal",
                "1",
                "--reached",
                "yes",
            ]),
            "not-allowed",
        ),
        (
            owned(&[
                "plan",
                "evaluate",
                "--person",
                &kim,
                "--goal",
                "1",
                "--reached",
                "maybe",
            ]),
            "invalid-input",
        ),
        (
            owned(&[
                "plan",
                "set",
                "--person",
                &kim,
                "--file",
                "/nonexistent/plan.json",
            ]),
            "invalid-input",
        ),
        (
            owned(&["plan", "show", "--person", &kim, "--format", "html"]),
            "invalid-input",
        ),
        (
            owned(&["plan", "show", "--person", &kim, "--format", "pdf"]),
            "invalid-input",
        ),
        (owned(&["plan", "set", "--person", &kim]), "usage"),
        // Issue 14: the questionnaires, the screening's three answers, the stages' scales, the
        // contact's new words.
        (
            q(&["--instrument", "motivation", "--answers", "6,1,1,1,1,1"]),
            "invalid-input",
        ),
        (
            q(&["--instrument", "motivation", "--answers", "0,1,1,1,1,1"]),
            "invalid-input",
        ),
        (
            q(&["--instrument", "motivation", "--answers", "1,1,1,1,1"]),
            "invalid-input",
        ),
        (
            q(&["--instrument", "motivation", "--answers", "1,1,1,1,1,1,1"]),
            "invalid-input",
        ),
        (
            q(&["--instrument", "motivation", "--answers", "a,1,1,1,1,1"]),
            "invalid-input",
        ),
        (
            q(&["--instrument", "drug-situation", "--answers", "31,0,0"]),
            "invalid-input",
        ),
        (
            q(&["--instrument", "drug-situation", "--answers", "3,5,0"]),
            "invalid-input",
        ),
        (
            q(&["--instrument", "mental-health", "--answers", "3,4,256"]),
            "invalid-input",
        ),
        (
            q(&["--instrument", "wellbeing", "--answers", "1"]),
            "invalid-input",
        ),
        (q(&["--instrument", "motivation"]), "invalid-input"),
        (
            q(&["--instrument", "motivation", "--not-possible", "  "]),
            "invalid-input",
        ),
        (
            q(&[
                "--instrument",
                "motivation",
                "--answers",
                "1,1,1,1,1,1",
                "--not-possible",
                "gone",
            ]),
            "usage",
        ),
        (
            q(&[
                "--instrument",
                "motivation",
                "--answers",
                "1,1,1,1,1,1",
                "--occasion",
                "midway",
            ]),
            "invalid-input",
        ),
        (
            owned(&[
                "questionnaire",
                "--person",
                &lis,
                "--instrument",
                "motivation",
                "--answers",
                "1,1,1,1,1,1",
            ]),
            "not-allowed",
        ),
        (
            owned(&[
                "screen",
                "--person",
                &kim,
                "--criteria",
                "drug-use",
                "--not-met",
                "drug-use",
                "--decision",
                "undecided",
            ]),
            "invalid-input",
        ),
        (
            owned(&[
                "screen",
                "--person",
                &kim,
                "--criteria",
                "drug-use",
                "--unknown",
                "drug-use",
                "--decision",
                "undecided",
            ]),
            "invalid-input",
        ),
        (
            owned(&[
                "screen",
                "--person",
                &kim,
                "--not-met",
                "sunshine",
                "--decision",
                "undecided",
            ]),
            "invalid-input",
        ),
        (
            owned(&[
                "screen",
                "--person",
                &kim,
                "--decision",
                "outside",
                "--referred-to",
                "GP",
            ]),
            "reason-required",
        ),
        (
            owned(&[
                "stage",
                "--person",
                &kim,
                "--stage",
                "action",
                "--craving",
                "11",
            ]),
            "invalid-input",
        ),
        (
            owned(&[
                "stage",
                "--person",
                &kim,
                "--stage",
                "action",
                "--life-control",
                "11",
            ]),
            "invalid-input",
        ),
        (contact_as("meeting", &[]), "invalid-input"),
        (
            contact_as("conversation", &["--meeting", "partner-meeting"]),
            "invalid-input",
        ),
        (
            contact_as("meeting", &["--meeting", "tea-party"]),
            "invalid-input",
        ),
        // Issue 15's incidents.
        (
            owned(&["incident", "--person", &kim, "--kind", "brawl"]),
            "invalid-input",
        ),
        (owned(&["incident", "--kind", "threat"]), "invalid-input"),
        (
            owned(&["incident", "--kind", "threat", "--contact", &person_entry]),
            "invalid-input",
        ),
        (
            owned(&["incident", "--kind", "threat", "--contact", nobody]),
            "not-found",
        ),
        (
            owned(&[
                "incident",
                "--person",
                &lis,
                "--kind",
                "threat",
                "--contact",
                &live,
            ]),
            "invalid-input",
        ),
    ];
    for (args, expected) in &cases {
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = s.raw(&argv);
        assert!(!out.status.success(), "{argv:?} should have been refused");
        assert!(out.stdout.is_empty(), "{argv:?} printed on stdout");
        let err = error_of(&out);
        assert_eq!(err["error"], *expected, "{argv:?}: {err}");
        assert!(err["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert_eq!(
            s.state(),
            before,
            "{argv:?}: a refused command changed what is recorded"
        );
    }
    // Issue 14's refusals name the field at fault (the issue asks for that).
    let fields: Vec<(Vec<String>, &str)> = vec![
        (
            q(&["--instrument", "motivation", "--answers", "6,1,1,1,1,1"]),
            "answers[1]",
        ),
        (
            q(&["--instrument", "drug-situation", "--answers", "3,5,0"]),
            "answers[2]",
        ),
        (
            q(&["--instrument", "motivation", "--answers", "1,1,1,1,1"]),
            "answers",
        ),
        (
            q(&["--instrument", "wellbeing", "--answers", "1"]),
            "instrument",
        ),
        (
            q(&["--instrument", "motivation", "--not-possible", " "]),
            "not_possible",
        ),
        (
            owned(&[
                "stage",
                "--person",
                &kim,
                "--stage",
                "action",
                "--craving",
                "11",
            ]),
            "craving",
        ),
        (contact_as("meeting", &[]), "meeting"),
    ];
    for (args, field) in &fields {
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let err = error_of(&s.raw(&argv));
        assert_eq!(err["field"], *field, "{argv:?}: {err}");
        assert_eq!(s.state(), before, "{argv:?} changed what is recorded");
    }
    eprintln!(
        "{} bad inputs refused with the store unchanged",
        cases.len() + fields.len()
    );
}

#[test]
fn keys_wrong_or_missing_are_typed_and_touch_nothing() {
    let s = Session::new();
    s.ok(&["person", "add", "--alias", "Kim"]);
    let bytes = |p: &Path| std::fs::read(p).unwrap();
    let before = bytes(&s.store);
    let run = |key_file: Option<&str>, env_key: Option<&str>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_gadeplan"));
        cmd.arg("--store").arg(&s.store).env_remove("GADEPLAN_KEY");
        if let Some(k) = key_file {
            cmd.arg("--key-file").arg(k);
        }
        if let Some(k) = env_key {
            cmd.env("GADEPLAN_KEY", k);
        }
        cmd.args(["person", "list"]).output().unwrap()
    };
    let other = "11".repeat(32);
    for out in [
        run(None, None),
        run(None, Some(&other)),
        run(None, Some("abc")),
        run(Some("/no/such/key"), None),
    ] {
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(error_of(&out)["error"], "wrong-key");
    }
    assert_eq!(bytes(&s.store), before, "the store file changed");
    // The right key through the environment works.
    let out = run(None, Some(KEY));
    assert!(out.status.success());

    // A missing store is not created by a command other than init.
    let missing = s.store.with_file_name("missing.db");
    let out = Command::new(env!("CARGO_BIN_EXE_gadeplan"))
        .arg("--store")
        .arg(&missing)
        .env("GADEPLAN_KEY", KEY)
        .args(["person", "list"])
        .output()
        .unwrap();
    assert_eq!(error_of(&out)["error"], "no-store");
    assert!(!missing.exists());
}

/// `rekey --new-key-file`: refused with a wrong current key or a malformed new one, the store
/// unchanged; then only the new key opens the store, with everything in it.
#[test]
fn rekey_moves_the_store_to_the_new_key_file() {
    let s = Session::new();
    s.ok(&["person", "add", "--alias", "Kim"]);
    let before = s.state();
    let new_key_file = s.key_file.with_file_name("new-key");
    let new_key = "a5".repeat(32);
    std::fs::write(&new_key_file, &new_key).unwrap();
    set_mode(&new_key_file, 0o600);
    let rekey = ["rekey", "--new-key-file", new_key_file.to_str().unwrap()];
    // The current key given wrongly: refused, typed, and the old key goes on.
    let wrong = Command::new(env!("CARGO_BIN_EXE_gadeplan"))
        .arg("--store")
        .arg(&s.store)
        .env("GADEPLAN_KEY", "11".repeat(32))
        .args(rekey)
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(1));
    assert_eq!(error_of(&wrong)["error"], "wrong-key");
    // The new key the same as the current one, or not a key: the option's fault.
    let bad_key_file = s.key_file.with_file_name("bad-key");
    for (text, field) in [(KEY, "new_key"), ("not a key", "new-key-file")] {
        std::fs::write(&bad_key_file, text).unwrap();
        set_mode(&bad_key_file, 0o600);
        let out = s.raw(&["rekey", "--new-key-file", bad_key_file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1));
        let error = error_of(&out);
        assert_eq!(error["error"], "invalid-input", "{error}");
        assert_eq!(error["field"], field, "{error}");
    }
    assert_eq!(s.state(), before);

    let answer = s.ok(&rekey);
    assert_eq!(answer["rekeyed"], true);
    assert!(answer["message"].as_str().unwrap().contains("old key file"));
    let old = s.raw(&["person", "list"]);
    assert_eq!(old.status.code(), Some(1));
    assert_eq!(error_of(&old)["error"], "wrong-key");
    std::fs::copy(&new_key_file, &s.key_file).unwrap();
    assert_eq!(s.state(), before);
}

/// As ssh refuses a private key that others can read, the CLI refuses a key file that grants its
/// group or others anything, before reading it; `GADEPLAN_KEY` stays allowed.
#[cfg(unix)]
#[test]
fn key_files_open_to_group_or_others_are_refused() {
    let s = Session::new();
    s.ok(&["person", "add", "--alias", "Kim"]);
    let store_bytes = || std::fs::read(&s.store).unwrap();
    let before = store_bytes();
    let key_file = s.store.with_file_name("other-key");
    std::fs::write(&key_file, format!("{KEY}\n")).unwrap();
    let run = |args: &[&str], store: &Path| {
        Command::new(env!("CARGO_BIN_EXE_gadeplan"))
            .arg("--store")
            .arg(store)
            .arg("--key-file")
            .arg(&key_file)
            .args(args)
            .env_remove("GADEPLAN_KEY")
            .env_remove("GADEPLAN_STORE")
            .output()
            .unwrap()
    };
    for mode in [0o644, 0o640, 0o604, 0o660, 0o606, 0o770, 0o601, 0o610] {
        set_mode(&key_file, mode);
        for args in [
            &["person", "list"][..],
            &["person", "add", "--alias", "Jens"],
        ] {
            let out = run(args, &s.store);
            assert_eq!(out.status.code(), Some(1), "mode {mode:o}");
            assert!(out.stdout.is_empty());
            let err = error_of(&out);
            assert_eq!(err["error"], "invalid-input", "mode {mode:o}: {err}");
            assert_eq!(err["field"], "key-file", "mode {mode:o}: {err}");
            let message = err["message"].as_str().unwrap();
            assert!(
                message.contains(&format!("chmod 600 {}", key_file.display())),
                "{message}"
            );
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!stderr.contains(&KEY[..16]), "the key was printed");
        }
        assert_eq!(
            store_bytes(),
            before,
            "mode {mode:o}: the store file changed"
        );
        // init with it creates nothing.
        let fresh = s.store.with_file_name("fresh.db");
        let out = run(&["init", "--worker", "Mette"], &fresh);
        assert_eq!(error_of(&out)["field"], "key-file");
        assert!(
            !fresh.exists(),
            "init created a store with a key open to others"
        );
    }
    for mode in [0o600, 0o400] {
        set_mode(&key_file, mode);
        let out = run(&["person", "list"], &s.store);
        assert!(
            out.status.success(),
            "mode {mode:o}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let list: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(list[0]["alias"], "Kim");
    }
    // The environment is not a file others can read; it stays allowed.
    let out = Command::new(env!("CARGO_BIN_EXE_gadeplan"))
        .arg("--store")
        .arg(&s.store)
        .env("GADEPLAN_KEY", KEY)
        .args(["person", "list"])
        .output()
        .unwrap();
    assert!(out.status.success());
}

#[test]
fn errors_do_not_echo_recorded_text() {
    let s = Session::new();
    let secret = "Hemmelig-Hansen-Alias";
    let out = s.raw(&["person", "add", "--alias", secret, "--birth-year", "1800"]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains(secret));
    let out = s.raw(&[
        "contact",
        "--unknown",
        secret,
        "--place",
        secret,
        "--place-kind",
        secret,
        "--kind",
        "x",
        "--outcome",
        "y",
    ]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains(secret));
    let out = s.raw(&["person", "add", "--alias", secret, "--birth-year", secret]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains(secret));
}

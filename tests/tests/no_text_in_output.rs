//! A whole session through the real binaries, recording known strings in every free-text field,
//! then a search of everything that is not the worker's own screen for them: the centre
//! server's whole output, the stderr of every CLI and operator command (errors included, many of
//! them provoked with the strings in their input; a refused command must print nothing on
//! stdout), and the files on disk (the phone's store and WAL, the centre's store and WAL).
//!
//! The server logs every request it refuses as a JSON line (`tracing`); the phone CLI prints its
//! JSON output and one-line errors. `RUST_LOG=trace` and `RUST_BACKTRACE=1` are set, so that the
//! most the log can say, and any panic, is searched too.
//!
//! What the worker asked to see (`person show`, `log`) rightly prints the strings on stdout;
//! and the centre's report to the team leader names quiet citizens by alias, on stdout too.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use gadeplan_tests::binaries::serve;
use gadeplan_tests::workspace_binary;
use serde_json::Value;
use tempfile::TempDir;

/// Each free-text field gets a string found nowhere else.
const ALIAS: &str = "Alias-Qx7Zm";
const ALIAS_2: &str = "Alias-Wv3Kp";
const DESCRIPTION: &str = "Beskrivelse-Rt9Lc";
const PLAN: &str = "Plan-Hj4Nd";
const PLACE: &str = "Sted-Yb2Fs";
const NOTE: &str = "Note-Gm8Tw";
const COLLEAGUE: &str = "Kollega-Pz5Ve";
const REASON: &str = "Grund-Kc6Ua";
const REFERRED: &str = "Henvist-Ds1Xo";
const AMENDED: &str = "Rettet-Lf0Qi";
const VOIDED: &str = "Annulleret-Nb7Jy";
const UNKNOWN: &str = "Ukendt-Ew3Hr";
const GOAL: &str = "Maal-Tc5Ru";
const COUNSELLOR: &str = "Behandler-Vk2Ys";
const CONSENTED: &str = "Samtykke-Mq8Ab";
const DISCLOSED: &str = "Fortalt-Zx4Pn";
const SECRETS: [&str; 16] = [
    ALIAS,
    ALIAS_2,
    DESCRIPTION,
    PLAN,
    PLACE,
    NOTE,
    COLLEAGUE,
    REASON,
    REFERRED,
    AMENDED,
    VOIDED,
    UNKNOWN,
    GOAL,
    COUNSELLOR,
    CONSENTED,
    DISCLOSED,
];

struct Phone {
    store: PathBuf,
    key: String,
}

/// Everything printed where a log or an error goes, gathered for the search, each part headed by
/// the command's name only (its arguments hold the strings searched for).
#[derive(Default)]
struct Gathered {
    text: String,
    commands: usize,
}

impl Gathered {
    fn take(&mut self, what: &str, out: &Output) {
        self.commands += 1;
        self.text.push_str(&format!("--- {what}\n"));
        self.text.push_str(&String::from_utf8_lossy(&out.stderr));
    }
}

fn gadeplan(phone: &Phone, args: &[&str], seen: &mut Gathered) -> Output {
    let out = Command::new(workspace_binary("gadeplan", "gadeplan"))
        .arg("--store")
        .arg(&phone.store)
        .args(args)
        .env("GADEPLAN_KEY", &phone.key)
        .env("RUST_LOG", "trace")
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    seen.take(&format!("gadeplan {}", args[0]), &out);
    out
}

fn ok(phone: &Phone, args: &[&str], seen: &mut Gathered) -> Value {
    let out = gadeplan(phone, args, seen);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A refused command: its error goes to stderr (gathered for the search), and its stdout must
/// be empty, so nothing of it can show anywhere else.
fn refused(phone: &Phone, args: &[&str], seen: &mut Gathered) {
    let out = gadeplan(phone, args, seen);
    assert!(!out.status.success(), "{} should be refused", args[0]);
    assert!(
        out.stdout.is_empty(),
        "a refused {} printed on stdout",
        args[0]
    );
}

fn operator(data: &Path, args: &[&str], seen: &mut Gathered) -> Output {
    let out = Command::new(workspace_binary("gadeplan-centre", "gadeplan-centre"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env("RUST_LOG", "trace")
        .output()
        .unwrap();
    seen.take(&format!("gadeplan-centre {}", args[0]), &out);
    out
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

#[test]
fn no_recorded_text_in_any_log_error_or_file() {
    let dir = TempDir::new().unwrap();
    let data = dir.path().join("centre");
    let mut seen = Gathered::default();
    operator(&data, &["team", "add", "Vesterbro"], &mut seen);
    let (mut server, url) = serve(&data, &[]);

    let phones: Vec<Phone> = ["Mette", "Jonas"]
        .iter()
        .enumerate()
        .map(|(i, worker)| {
            let phone = Phone {
                store: dir.path().join(format!("{worker}.db")),
                key: format!("{:02x}", 0x10 + i).repeat(32),
            };
            ok(
                &phone,
                &["init", "--worker", worker, "--device", "phone"],
                &mut seen,
            );
            let out = operator(
                &data,
                &["enrol", "--team", "Vesterbro", "--worker", worker],
                &mut seen,
            );
            let code: Value = serde_json::from_slice(&out.stdout).unwrap();
            ok(
                &phone,
                &[
                    "enrol",
                    "--centre",
                    &url,
                    "--code",
                    code["code"].as_str().unwrap(),
                ],
                &mut seen,
            );
            phone
        })
        .collect();
    let (mette, jonas) = (&phones[0], &phones[1]);

    // Recording, with every free-text field carrying its string.
    let kim = id(&ok(
        mette,
        &[
            "person",
            "add",
            "--alias",
            ALIAS,
            "--description",
            DESCRIPTION,
        ],
        &mut seen,
    ));
    let bo = id(&ok(
        mette,
        &["person", "add", "--alias", ALIAS_2],
        &mut seen,
    ));
    let check = id(&ok(
        mette,
        &[
            "risk",
            "--person",
            &kim,
            "--observed",
            "confusion,irritability,boisterousness",
            "--plan",
            PLAN,
        ],
        &mut seen,
    ));
    let contact = id(&ok(
        mette,
        &[
            "contact",
            "--risk-check",
            &check,
            "--place",
            PLACE,
            "--place-kind",
            "park",
            "--kind",
            "conversation",
            "--outcome",
            "contact-made",
            "--with",
            COLLEAGUE,
            "--note",
            NOTE,
        ],
        &mut seen,
    ));
    ok(
        mette,
        &[
            "screen",
            "--person",
            &bo,
            "--criteria",
            "drug-use",
            "--decision",
            "outside",
            "--reason",
            REASON,
            "--referred-to",
            REFERRED,
        ],
        &mut seen,
    );
    ok(mette, &["amend", &contact, "--note", AMENDED], &mut seen);
    let extra = id(&ok(
        mette,
        &[
            "contact",
            "--unknown",
            UNKNOWN,
            "--place",
            PLACE,
            "--place-kind",
            "street",
            "--kind",
            "conversation",
            "--outcome",
            "contact-made",
        ],
        &mut seen,
    ));
    ok(mette, &["void", &extra, "--reason", VOIDED], &mut seen);
    // The course, its plan, bridging into treatment, consent and a disclosure.
    ok(
        mette,
        &[
            "course",
            "open",
            "--person",
            &kim,
            "--found-via",
            "own-outreach",
        ],
        &mut seen,
    );
    let plan_file = dir.path().join("plan.json");
    std::fs::write(
        &plan_file,
        format!(
            r#"{{"goal": "{GOAL}", "plans": [{{"goal": "{GOAL} 1"}}], "crisis_plan": "{GOAL} 2"}}"#
        ),
    )
    .unwrap();
    let plan_path = plan_file.to_string_lossy().into_owned();
    ok(
        mette,
        &["plan", "set", "--person", &kim, "--file", &plan_path],
        &mut seen,
    );
    ok(
        mette,
        &[
            "plan",
            "evaluate",
            "--person",
            &kim,
            "--goal",
            "1",
            "--reached",
            "yes",
            "--comment",
            GOAL,
        ],
        &mut seen,
    );
    ok(
        mette,
        &["treatment", "request", "--person", &kim],
        &mut seen,
    );
    ok(
        mette,
        &[
            "treatment",
            "start",
            "--person",
            &kim,
            "--offer",
            GOAL,
            "--intensity",
            "day",
            "--counsellor",
            COUNSELLOR,
        ],
        &mut seen,
    );
    let consent = id(&ok(
        mette,
        &[
            "consent", "give", "--person", &kim, "--to", CONSENTED, "--about", CONSENTED, "--form",
            "written",
        ],
        &mut seen,
    ));
    ok(
        mette,
        &[
            "disclose",
            "--person",
            &kim,
            "--what",
            DISCLOSED,
            "--to",
            CONSENTED,
            "--consent",
            &consent,
        ],
        &mut seen,
    );
    ok(
        mette,
        &[
            "network", "add", "--person", &kim, "--role", "gp", "--name", COUNSELLOR,
        ],
        &mut seen,
    );
    // Refused with the strings in their input.
    refused(
        mette,
        &[
            "disclose", "--person", &kim, "--what", DISCLOSED, "--to", CONSENTED,
        ],
        &mut seen,
    );
    std::fs::write(
        &plan_file,
        format!(r#"{{"goal": "{GOAL}", "plans": [{{"goal": 7, "x": "{GOAL}"}}]}}"#),
    )
    .unwrap();
    refused(
        mette,
        &["plan", "set", "--person", &kim, "--file", &plan_path],
        &mut seen,
    );
    refused(
        mette,
        &[
            "network", "add", "--person", &kim, "--role", COUNSELLOR, "--name", COUNSELLOR,
            "--phone", DISCLOSED,
        ],
        &mut seen,
    );
    ok(mette, &["sync"], &mut seen);
    ok(jonas, &["sync"], &mut seen);
    ok(
        jonas,
        &[
            "person",
            "update",
            &kim,
            "--description",
            &format!("{DESCRIPTION} 2"),
        ],
        &mut seen,
    );
    ok(jonas, &["sync"], &mut seen);
    ok(mette, &["sync"], &mut seen);
    // What the worker asks to see shows the text, as it should.
    let shown = gadeplan(mette, &["person", "show", &kim], &mut seen);
    assert!(String::from_utf8_lossy(&shown.stdout).contains(ALIAS));
    for args in [
        &["log"][..],
        &["status"],
        &["unknown", "list"],
        &["identity"],
        &["rebuild"],
    ] {
        ok(mette, args, &mut seen);
    }

    // Errors provoked with the strings in their input.
    refused(
        mette,
        &["person", "add", "--alias", ALIAS, "--birth-year", "1800"],
        &mut seen,
    );
    refused(
        mette,
        &["person", "add", "--alias", ALIAS, "--birth-year", NOTE],
        &mut seen,
    );
    refused(
        mette,
        &["person", "update", &kim, "--alias", &ALIAS.repeat(20)],
        &mut seen,
    );
    refused(
        mette,
        &[
            "risk",
            "--person",
            &kim,
            "--observed",
            "attacks-on-objects,verbal-threats,physical-threats",
        ],
        &mut seen,
    );
    refused(
        mette,
        &["risk", "--person", &kim, "--observed", PLAN, "--plan", PLAN],
        &mut seen,
    );
    refused(
        mette,
        &[
            "contact",
            "--person",
            &kim,
            "--place",
            PLACE,
            "--place-kind",
            PLACE,
            "--kind",
            NOTE,
            "--outcome",
            REASON,
            "--note",
            NOTE,
        ],
        &mut seen,
    );
    refused(
        mette,
        &[
            "contact",
            "--unknown",
            UNKNOWN,
            "--place",
            "",
            "--place-kind",
            "park",
            "--kind",
            "conversation",
            "--outcome",
            "contact-made",
        ],
        &mut seen,
    );
    refused(
        mette,
        &[
            "screen",
            "--person",
            &bo,
            "--criteria",
            REASON,
            "--decision",
            "include",
        ],
        &mut seen,
    );
    refused(
        mette,
        &[
            "screen",
            "--person",
            &bo,
            "--criteria",
            "drug-use",
            "--decision",
            "outside",
            "--referred-to",
            &REFERRED.repeat(100),
        ],
        &mut seen,
    );
    refused(
        mette,
        &[
            "amend",
            &contact,
            "--patch",
            &format!(r#"{{"note": "{AMENDED}", "risk_check": "{NOTE}"}}"#),
        ],
        &mut seen,
    );
    refused(
        mette,
        &[
            "amend",
            &contact,
            "--patch",
            &format!(r#"{{"note": {NOTE}}}"#),
        ],
        &mut seen,
    );
    refused(mette, &["void", &extra, "--reason", VOIDED], &mut seen);
    refused(mette, &["person", "show", ALIAS], &mut seen);
    refused(mette, &["log", "--person", NOTE], &mut seen);
    refused(mette, &["person", "merge", &kim, &kim], &mut seen);
    refused(
        mette,
        &["enrol", "--centre", &url, "--code", NOTE],
        &mut seen,
    );
    refused(mette, &["sync", "--centre", PLACE], &mut seen);
    // The wrong key, with the strings stored behind it.
    let wrong = Phone {
        store: mette.store.clone(),
        key: "ff".repeat(32),
    };
    refused(&wrong, &["person", "show", &kim], &mut seen);

    // The operator's side, errors included.
    for args in [
        &["devices"][..],
        &["team", "list"],
        &["report"],
        &["report", "--format", "table"],
        &["report", "--team", ALIAS],
        &["team", "add", &ALIAS.repeat(20)],
        &["revoke", NOTE],
        &["enrol", "--team", PLACE, "--worker", ALIAS],
    ] {
        operator(&data, args, &mut seen);
    }

    let mut server = server.take();
    server.kill().unwrap();
    server.wait().unwrap();
    let mut log = String::new();
    server
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    server
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    seen.text.push_str("--- the centre server\n");
    seen.text.push_str(&log);

    for secret in SECRETS {
        assert!(
            !seen.text.contains(secret),
            "{secret} appears in a log or error:\n{}",
            seen.text
        );
    }
    let mut files = 0;
    for file in [
        mette.store.clone(),
        jonas.store.clone(),
        data.join("centre.db"),
    ] {
        for suffix in ["", "-wal"] {
            let mut path = file.clone().into_os_string();
            path.push(suffix);
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            files += 1;
            for secret in SECRETS {
                assert!(
                    !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                    "{secret} in plaintext in {path:?}"
                );
            }
        }
    }
    eprintln!(
        "{} strings searched for in the output of {} commands, the centre's log and {files} files: none found",
        SECRETS.len(),
        seen.commands
    );
}

//! Recorded text kept off the command line: every recorded text `--X` has a sibling
//! `--X-file PATH` (`-` for standard input), so that what a worker records about a citizen never
//! shows in `ps` or in the shell's history. Each sibling must record exactly the text read, with
//! one line end removed; the two forms conflict; only one option may read standard input; and a
//! file that cannot be read is refused, named by its option, with nothing recorded.

use std::cell::RefCell;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use gadeplan_centre::{Centre, RunningCentre};
use serde_json::Value;
use tempfile::TempDir;

/// Every criterion and burden area answered "not met": the criteria indicate `outside`.
const NOTHING_MET: &str = "section-101,drug-use,limited-treatment-use,multi-system-need,\
burdened-situation,physical-health,mental-health,economy,crime,family-social";

const KEY: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

/// How a text reaches the command.
#[derive(Clone, Copy, Debug)]
enum Via {
    File,
    Stdin,
}

/// A store with its key file (private to its owner), and every argv the test gave the binary.
struct Phone {
    dir: TempDir,
    store: PathBuf,
    key_file: PathBuf,
    argvs: RefCell<Vec<Vec<String>>>,
}

impl Phone {
    /// A store not yet initialised.
    fn blank() -> Self {
        let dir = TempDir::new().unwrap();
        let key_file = dir.path().join("key");
        std::fs::write(&key_file, format!("{KEY}\n")).unwrap();
        private(&key_file);
        Phone {
            store: dir.path().join("field.db"),
            key_file,
            dir,
            argvs: RefCell::new(Vec::new()),
        }
    }

    fn new() -> Self {
        let p = Phone::blank();
        p.ok(&["init", "--worker", "Mette"], b"");
        p
    }

    /// A new file in the test's directory holding `contents`; its path.
    fn file(&self, contents: &[u8]) -> String {
        let n = std::fs::read_dir(self.dir.path()).unwrap().count();
        let path = self.dir.path().join(format!("text-{n}"));
        std::fs::write(&path, contents).unwrap();
        path.to_string_lossy().into_owned()
    }

    /// Runs `gadeplan` with `stdin` on its standard input, remembering the argv it was given.
    fn run(&self, args: &[&str], stdin: &[u8]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_gadeplan"));
        cmd.arg("--store")
            .arg(&self.store)
            .arg("--key-file")
            .arg(&self.key_file)
            .args(args)
            .env_remove("GADEPLAN_KEY")
            .env_remove("GADEPLAN_STORE")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        self.argvs.borrow_mut().push(
            std::iter::once(cmd.get_program())
                .chain(cmd.get_args())
                .map(|a| a.to_string_lossy().into_owned())
                .collect(),
        );
        let mut child = cmd.spawn().unwrap();
        let mut input = child.stdin.take().unwrap();
        let stdin = stdin.to_vec();
        // A command that reads no input, or stops at its limit, closes the pipe early.
        let writer = std::thread::spawn(move || {
            let _ = input.write_all(&stdin);
        });
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap();
        out
    }

    fn ok(&self, args: &[&str], stdin: &[u8]) -> Value {
        let out = self.run(args, stdin);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: stdout is not JSON ({e})"))
    }

    fn id(&self, args: &[&str], stdin: &[u8]) -> String {
        self.ok(args, stdin)["id"].as_str().unwrap().to_string()
    }

    /// `args` with `--{option}-file` added, the text coming in a file or on standard input.
    fn with_text(&self, args: &[&str], option: &str, text: &str, via: Via) -> Value {
        let flag = format!("--{option}-file");
        let (path, stdin) = match via {
            Via::File => (self.file(format!("{text}\n").as_bytes()), Vec::new()),
            Via::Stdin => ("-".to_string(), format!("{text}\n").into_bytes()),
        };
        let mut argv = args.to_vec();
        argv.extend([flag.as_str(), path.as_str()]);
        self.ok(&argv, &stdin)
    }

    fn entry(&self, id: &str) -> Value {
        self.ok(&["entry", id], b"")
    }

    /// Everything recorded, as the CLI shows it.
    fn state(&self) -> Value {
        serde_json::json!([
            self.ok(&["log"], b""),
            self.ok(&["person", "list"], b""),
            self.ok(&["unknown", "list"], b""),
        ])
    }

    /// No argv given to the binary so far contains any of `texts`.
    fn assert_argv_free_of(&self, texts: &[&str]) {
        let argvs = self.argvs.borrow();
        assert!(!argvs.is_empty());
        for argv in argvs.iter() {
            for arg in argv {
                for text in texts {
                    assert!(
                        !arg.contains(text),
                        "recorded text on the command line: {argv:?}"
                    );
                }
            }
        }
    }
}

#[cfg(unix)]
fn private(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

#[cfg(not(unix))]
fn private(_: &std::path::Path) {}

fn error_of(out: &Output) -> Value {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = stderr.trim();
    assert_eq!(line.lines().count(), 1, "stderr must be one JSON object");
    serde_json::from_str(line).unwrap_or_else(|e| panic!("stderr is not JSON ({e}): {stderr}"))
}

/// A text for `option` that a script would struggle to quote and a reader would recognise.
fn text_for(option: &str) -> String {
    format!("{option}: Grønne «Grethe» said 'no' and \"maybe\", $HOME; -x")
}

const CONTACT: [&str; 6] = [
    "--place-kind",
    "park",
    "--kind",
    "conversation",
    "--outcome",
    "contact-made",
];

#[test]
fn every_text_option_reads_a_file_and_standard_input() {
    for via in [Via::File, Via::Stdin] {
        let p = Phone::blank();
        let t = text_for;

        let me = p.with_text(&["init"], "worker", &t("worker"), via);
        assert_eq!(me["worker"], t("worker"), "{via:?}");

        let kim = p.with_text(&["person", "add"], "alias", &t("alias"), via)["id"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(p.ok(&["person", "show", &kim], b"")["alias"], t("alias"));
        let jens = p.with_text(
            &["person", "add", "--alias", "Jens"],
            "description",
            &t("description"),
            via,
        )["id"]
            .as_str()
            .unwrap()
            .to_string();
        let shown = p.ok(&["person", "show", &jens], b"");
        assert_eq!(shown["description"], t("description"), "{via:?}");

        p.with_text(&["person", "update", &kim], "alias", &t("new alias"), via);
        p.with_text(
            &["person", "update", &kim],
            "description",
            &t("new description"),
            via,
        );
        let shown = p.ok(&["person", "show", &kim], b"");
        assert_eq!(shown["alias"], t("new alias"), "{via:?}");
        assert_eq!(shown["description"], t("new description"), "{via:?}");

        let check = p.with_text(&["risk"], "unknown", &t("unknown"), via);
        assert_eq!(
            p.entry(check["id"].as_str().unwrap())["payload"]["unknown"],
            t("unknown")
        );
        assert_eq!(
            p.ok(&["unknown", "list"], b"")[0]["description"],
            t("unknown")
        );
        let high = [
            "risk",
            "--person",
            &kim,
            "--observed",
            "confusion,irritability,boisterousness",
        ];
        let check = p.with_text(&high, "plan", &t("plan"), via)["id"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(p.entry(&check)["payload"]["plan"], t("plan"), "{via:?}");

        let mut contact = vec!["contact", "--person", &kim];
        contact.extend(CONTACT);
        let with_place = [contact.as_slice(), &["--place", "Park"]].concat();
        let c = p.with_text(&contact, "place", &t("place"), via)["id"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(p.entry(&c)["payload"]["place"], t("place"), "{via:?}");
        let c = p.with_text(&with_place, "with", &t("with"), via)["id"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(p.entry(&c)["payload"]["colleague"], t("with"), "{via:?}");
        let c = p.with_text(&with_place, "note", &t("note"), via)["id"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(p.entry(&c)["payload"]["note"], t("note"), "{via:?}");
        let mut unknown_contact = vec!["contact", "--place", "Park"];
        unknown_contact.extend(CONTACT);
        let u = p.with_text(&unknown_contact, "unknown", &t("unknown met"), via)["id"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(p.entry(&u)["payload"]["unknown"], t("unknown met"));

        let s = p.with_text(
            &["screen", "--person", &kim, "--decision", "undecided"],
            "reason",
            &t("screening reason"),
            via,
        )["id"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(p.entry(&s)["payload"]["reason"], t("screening reason"));
        let s = p.with_text(
            &[
                "screen",
                "--person",
                &jens,
                "--not-met",
                NOTHING_MET,
                "--decision",
                "outside",
            ],
            "referred-to",
            &t("referred to"),
            via,
        )["id"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(p.entry(&s)["payload"]["referred_to"], t("referred to"));

        p.with_text(&["amend", &c], "note", &t("amended note"), via);
        assert_eq!(p.entry(&c)["payload"]["note"], t("amended note"));
        p.with_text(&["amend", &c], "place", &t("amended place"), via);
        assert_eq!(p.entry(&c)["payload"]["place"], t("amended place"));
        p.with_text(&["amend", &check], "plan", &t("amended plan"), via);
        assert_eq!(p.entry(&check)["payload"]["plan"], t("amended plan"));
        let patch = serde_json::json!({"minutes": 25, "note": t("patched note")}).to_string();
        p.with_text(&["amend", &c], "patch", &patch, via);
        let amended = p.entry(&c);
        assert_eq!(amended["payload"]["note"], t("patched note"), "{via:?}");
        assert_eq!(amended["payload"]["minutes"], 25, "{via:?}");
        let a = p.with_text(
            &["amend", &c, "--minutes", "30"],
            "reason",
            &t("amend reason"),
            via,
        )["id"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(p.entry(&a)["payload"]["reason"], t("amend reason"));
        p.with_text(&["void", &c], "reason", &t("void reason"), via);
        assert_eq!(p.entry(&c)["void_reason"], t("void reason"), "{via:?}");

        let options = [
            "worker",
            "alias",
            "description",
            "new alias",
            "new description",
            "unknown",
            "plan",
            "place",
            "with",
            "note",
            "unknown met",
            "screening reason",
            "referred to",
            "amended note",
            "amended place",
            "amended plan",
            "patched note",
            "amend reason",
            "void reason",
        ];
        let texts: Vec<String> = options.iter().map(|o| t(o)).collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        p.assert_argv_free_of(&texts);
        // Not even the distinctive part of any of them.
        p.assert_argv_free_of(&["Grethe"]);
    }
}

#[test]
fn a_note_on_standard_input_is_not_on_the_command_line() {
    let p = Phone::new();
    let kim = p.id(&["person", "add", "--alias", "Kim"], b"");
    let note = "Kim told us about the abscess on his leg and his methadone dose";
    let mut args = vec!["contact", "--person", &kim, "--place", "Park"];
    args.extend(CONTACT);
    args.extend(["--note-file", "-"]);
    // Reading this process's child's /proc/<pid>/cmdline while it runs is a race; what the
    // child is given is exactly this argv, so this argv is what `ps` could show.
    assert!(args.iter().all(|a| !a.contains("abscess")));
    let c = p.id(&args, format!("{note}\n").as_bytes());
    assert_eq!(p.entry(&c)["payload"]["note"], note);
    p.assert_argv_free_of(&[note, "abscess", "methadone"]);
}

#[test]
fn a_multi_line_note_keeps_its_lines_and_loses_one_line_end() {
    let p = Phone::new();
    let kim = p.id(&["person", "add", "--alias", "Kim"], b"");
    let mut contact = vec!["contact", "--person", &kim, "--place", "Park"];
    contact.extend(CONTACT);
    let lines = "Slept at the station.\n\nWants a shelter bed:\n\t- for the dog too";
    for (read, recorded) in [
        (format!("{lines}\n"), lines),
        (format!("{lines}\r\n"), lines),
        (lines.to_string(), lines),
    ] {
        for via in [Via::File, Via::Stdin] {
            let (path, stdin) = match via {
                Via::File => (p.file(read.as_bytes()), Vec::new()),
                Via::Stdin => ("-".to_string(), read.clone().into_bytes()),
            };
            let args = [contact.as_slice(), &["--note-file", &path]].concat();
            let c = p.id(&args, &stdin);
            assert_eq!(p.entry(&c)["payload"]["note"], recorded, "{read:?} {via:?}");
        }
    }
    // An amended note is recorded as given, not trimmed by the core, so it shows that exactly
    // one line end is removed and nothing else.
    let args = [contact.as_slice(), &["--note", "first"]].concat();
    let c = p.id(&args, b"");
    for (read, recorded) in [
        ("  indented\nsecond line\n\n", "  indented\nsecond line\n"),
        ("two line ends\r\n\r\n", "two line ends\r\n"),
        ("trailing spaces  \n", "trailing spaces  "),
        ("no line end", "no line end"),
    ] {
        let amend_note = |via| {
            let (path, stdin) = match via {
                Via::File => (p.file(read.as_bytes()), Vec::new()),
                Via::Stdin => ("-".to_string(), read.as_bytes().to_vec()),
            };
            p.run(&["amend", &c, "--note-file", &path], &stdin)
        };
        for via in [Via::File, Via::Stdin] {
            let out = amend_note(via);
            if recorded.contains('\r') {
                // A carriage return inside a note is a control character: the core refuses it,
                // which proves it was kept.
                assert_eq!(error_of(&out)["error"], "invalid-input", "{read:?}");
                continue;
            }
            assert!(out.status.success(), "{read:?} {via:?}");
            assert_eq!(p.entry(&c)["payload"]["note"], recorded, "{read:?} {via:?}");
        }
    }
}

#[test]
fn only_one_option_reads_standard_input() {
    let p = Phone::new();
    let kim = p.id(&["person", "add", "--alias", "Kim"], b"");
    let mut contact = vec!["contact", "--person", &kim];
    contact.extend(CONTACT);
    let c = p.id(&[contact.as_slice(), &["--place", "Park"]].concat(), b"");
    let before = p.state();
    let secret = "Hemmelig-Hansen on standard input";
    let cases: Vec<Vec<&str>> = vec![
        [
            contact.as_slice(),
            &["--place-file", "-", "--note-file", "-"],
        ]
        .concat(),
        [
            contact.as_slice(),
            &["--place", "Park", "--with-file", "-", "--note-file", "-"],
        ]
        .concat(),
        vec![
            "contact",
            "--unknown-file",
            "-",
            "--place-file",
            "-",
            "--place-kind",
            "park",
            "--kind",
            "observation",
            "--outcome",
            "not-found",
        ],
        vec![
            "person",
            "add",
            "--alias-file",
            "-",
            "--description-file",
            "-",
        ],
        vec![
            "person",
            "update",
            &kim,
            "--alias-file",
            "-",
            "--description-file",
            "-",
        ],
        vec!["risk", "--unknown-file", "-", "--plan-file", "-"],
        vec![
            "screen",
            "--person",
            &kim,
            "--decision",
            "outside",
            "--reason-file",
            "-",
            "--referred-to-file",
            "-",
        ],
        vec!["amend", &c, "--patch-file", "-", "--reason-file", "-"],
        vec!["amend", &c, "--note-file", "-", "--place-file", "-"],
        vec!["amend", &c, "--plan-file", "-", "--note-file", "-"],
    ];
    for args in &cases {
        let out = p.run(args, format!("{secret}\n").as_bytes());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?} printed on stdout");
        let err = error_of(&out);
        assert_eq!(err["error"], "usage", "{args:?}: {err}");
        let message = err["message"].as_str().unwrap();
        assert!(message.contains("standard input"), "{args:?}: {err}");
        let named: Vec<&str> = args
            .iter()
            .copied()
            .filter(|a| a.ends_with("-file"))
            .collect();
        for option in &named {
            assert!(message.contains(option), "{args:?}: {err}");
        }
        assert!(!String::from_utf8_lossy(&out.stderr).contains("Hemmelig"));
        assert_eq!(p.state(), before, "{args:?} changed what is recorded");
    }
}

/// Every recorded text option, with the command line around it that would otherwise succeed.
fn every_text_option(kim: &str, contact_id: &str, check_id: &str) -> Vec<(Vec<String>, String)> {
    let owned = |a: &[&str]| -> Vec<String> { a.iter().map(|s| s.to_string()).collect() };
    let mut contact = owned(&["contact", "--person", kim]);
    contact.extend(owned(&CONTACT));
    let with_place = [contact.clone(), owned(&["--place", "Park"])].concat();
    let screen = owned(&["screen", "--person", kim, "--decision", "undecided"]);
    let outside = owned(&[
        "screen",
        "--person",
        kim,
        "--not-met",
        NOTHING_MET,
        "--decision",
        "outside",
    ]);
    let amend = owned(&["amend", contact_id]);
    let mut unknown_contact = owned(&["contact", "--place", "Park"]);
    unknown_contact.extend(owned(&CONTACT));
    vec![
        (owned(&["init"]), "worker"),
        (owned(&["person", "add"]), "alias"),
        (owned(&["person", "add", "--alias", "A"]), "description"),
        (owned(&["person", "update", kim]), "alias"),
        (owned(&["person", "update", kim]), "description"),
        (owned(&["risk"]), "unknown"),
        (unknown_contact, "unknown"),
        (
            owned(&[
                "risk",
                "--person",
                kim,
                "--observed",
                "confusion,irritability,boisterousness",
            ]),
            "plan",
        ),
        (contact, "place"),
        (with_place.clone(), "with"),
        (with_place, "note"),
        (screen, "reason"),
        (outside, "referred-to"),
        (amend.clone(), "note"),
        (amend.clone(), "place"),
        (owned(&["amend", check_id]), "plan"),
        (amend.clone(), "patch"),
        ([amend, owned(&["--minutes", "3"])].concat(), "reason"),
        (owned(&["void", contact_id]), "reason"),
        (owned(&["enrol", "--centre", "http://127.0.0.1:1"]), "code"),
    ]
    .into_iter()
    .map(|(args, option)| (args, option.to_string()))
    .collect()
}

#[test]
fn an_option_and_its_file_sibling_conflict() {
    let p = Phone::new();
    let kim = p.id(&["person", "add", "--alias", "Kim"], b"");
    let mut contact = vec!["contact", "--person", &kim, "--place", "Park"];
    contact.extend(CONTACT);
    let c = p.id(&contact, b"");
    let check = p.id(&["risk", "--person", &kim], b"");
    let file = p.file(b"from the file\n");
    let before = p.state();
    let cases = every_text_option(&kim, &c, &check);
    assert_eq!(cases.len(), 20);
    for (args, option) in &cases {
        for file in [file.as_str(), "-"] {
            let inline = format!("--{option}");
            let sibling = format!("--{option}-file");
            let mut argv: Vec<&str> = args.iter().map(String::as_str).collect();
            argv.extend([inline.as_str(), "inline text", sibling.as_str(), file]);
            let out = p.run(&argv, b"from standard input\n");
            assert_eq!(out.status.code(), Some(2), "{argv:?}");
            assert!(out.stdout.is_empty(), "{argv:?} printed on stdout");
            let err = error_of(&out);
            assert_eq!(err["error"], "usage", "{argv:?}: {err}");
            let message = err["message"].as_str().unwrap();
            assert!(
                message.contains(&format!("{inline} <")) && message.contains(&sibling),
                "{argv:?}: {err}"
            );
            assert_eq!(p.state(), before, "{argv:?} changed what is recorded");
        }
    }
    // And each of them alone is accepted by the parser: the same command lines with the file
    // sibling only are not usage errors (whatever the core then says).
    for (args, option) in &cases {
        let sibling = format!("--{option}-file");
        let mut argv: Vec<&str> = args.iter().map(String::as_str).collect();
        argv.extend([sibling.as_str(), file.as_str()]);
        let out = p.run(&argv, b"");
        if !out.status.success() {
            assert_ne!(error_of(&out)["error"], "usage", "{argv:?}");
        }
    }
}

#[test]
fn a_file_that_cannot_be_read_is_refused_and_changes_nothing() {
    let p = Phone::new();
    let kim = p.id(&["person", "add", "--alias", "Kim"], b"");
    let mut contact = vec!["contact", "--person", &kim, "--place", "Park"];
    contact.extend(CONTACT);
    let c = p.id(&contact, b"");
    let check = p.id(&["risk", "--person", &kim], b"");
    let secret = "Hemmelig-Hansen";
    let missing = p.dir.path().join("no-such-file");
    let missing = missing.to_string_lossy().into_owned();
    let directory = p.dir.path().to_string_lossy().into_owned();
    let not_utf8 = p.file(&[secret.as_bytes(), b" \xff\xfe\n"].concat());
    let huge = p.file(secret.repeat(80_000).as_bytes()); // over 1 MiB
    let unreadable = p.file(format!("{secret}\n").as_bytes());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&unreadable, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    // Root reads a file whatever its mode; then that case proves nothing and is left out.
    let mut bad = vec![missing.as_str(), directory.as_str(), &not_utf8, &huge];
    if std::fs::read(&unreadable).is_err() {
        bad.push(&unreadable);
    }
    let before = p.state();
    for (args, option) in every_text_option(&kim, &c, &check) {
        if option == "worker" {
            continue; // init is refused on an existing store anyway; see below
        }
        for path in &bad {
            let sibling = format!("--{option}-file");
            let mut argv: Vec<&str> = args.iter().map(String::as_str).collect();
            argv.extend([sibling.as_str(), path]);
            let out = p.run(&argv, b"");
            assert_eq!(out.status.code(), Some(1), "{argv:?}");
            assert!(out.stdout.is_empty(), "{argv:?} printed on stdout");
            let err = error_of(&out);
            assert_eq!(err["error"], "invalid-input", "{argv:?}: {err}");
            assert_eq!(err["field"], format!("{option}-file"), "{argv:?}: {err}");
            assert!(
                !String::from_utf8_lossy(&out.stderr).contains("Hemmelig"),
                "{argv:?}: the error shows what the file holds"
            );
            assert_eq!(p.state(), before, "{argv:?} changed what is recorded");
        }
    }
    // init reads its worker's name before it creates anything.
    let blank = Phone::blank();
    let out = blank.run(&["init", "--worker-file", &missing], b"");
    assert_eq!(error_of(&out)["field"], "worker-file");
    assert!(!blank.store.exists(), "a refused init created the store");
}

#[test]
fn errors_about_text_read_do_not_repeat_it() {
    let p = Phone::new();
    let kim = p.id(&["person", "add", "--alias", "Kim"], b"");
    let mut contact = vec!["contact", "--person", &kim, "--place", "Park"];
    contact.extend(CONTACT);
    let c = p.id(&contact, b"");
    let before = p.state();
    let secret = "Hemmelig-Hansen";
    let cases: Vec<(Vec<&str>, String)> = vec![
        (vec!["person", "add", "--alias-file"], secret.repeat(20)),
        (
            vec!["person", "add", "--alias", "A", "--description-file"],
            format!("{secret}\u{7}"),
        ),
        (
            [contact.as_slice(), &["--note-file"]].concat(),
            format!("{secret} {}", "x".repeat(9_000)),
        ),
        (vec!["amend", &c, "--patch-file"], format!("{{{secret}")),
        (
            vec!["amend", &c, "--patch-file"],
            format!("{{\"unknown\": \"{secret}\"}}"),
        ),
        (vec!["void", &c, "--reason-file"], "  \n".to_string()),
    ];
    for (args, text) in &cases {
        for via in [Via::File, Via::Stdin] {
            let (path, stdin) = match via {
                Via::File => (p.file(text.as_bytes()), Vec::new()),
                Via::Stdin => ("-".to_string(), text.as_bytes().to_vec()),
            };
            let argv = [args.as_slice(), &[path.as_str()]].concat();
            let out = p.run(&argv, &stdin);
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            let err = error_of(&out);
            assert_eq!(err["error"], "invalid-input", "{args:?}: {err}");
            assert!(
                !String::from_utf8_lossy(&out.stderr).contains("Hemmelig"),
                "{args:?}: {err}"
            );
            assert_eq!(p.state(), before, "{args:?} changed what is recorded");
        }
    }
}

#[test]
fn enrol_reads_its_code_from_a_file_or_standard_input() {
    let dir = TempDir::new().unwrap();
    let data = dir.path().join("centre");
    let operator = Centre::open(&data).unwrap();
    operator.add_team("Vesterbro").unwrap();
    let centre = RunningCentre::start(&data, "127.0.0.1:0").unwrap();
    for via in [Via::File, Via::Stdin] {
        let p = Phone::new();
        let code = operator
            .new_enrolment("Vesterbro", "Mette", 1)
            .unwrap()
            .code;
        let status = p.with_text(&["enrol", "--centre", &centre.url()], "code", &code, via);
        assert_eq!(status["team"], "Vesterbro", "{via:?}");
        p.assert_argv_free_of(&[&code]);
    }
}

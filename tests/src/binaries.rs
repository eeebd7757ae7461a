//! Driving the real binaries: `gadeplan-centre serve` as a child process, and `gadeplan` phones
//! run command by command, optionally under `faketime` (Debian's libfaketime, which
//! `scripts/test.sh` installs when missing) to give a phone the wrong clock.

use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::{Reaped, workspace_binary};

/// `gadeplan-centre serve` on a loopback port of its own, killed when dropped, with its address
/// (read from the first line it prints on stderr; the rest of its stderr stays to be read).
pub fn serve(data: &Path, extra: &[&str]) -> (Reaped, String) {
    serve_from(&[OsStr::new("--data"), data.as_os_str()], extra)
}

/// `gadeplan-centre serve` from a PostgreSQL database, as `serve`: any number may run at once.
pub fn serve_postgres(address: &str, extra: &[&str]) -> (Reaped, String) {
    serve_from(&[OsStr::new("--database"), OsStr::new(address)], extra)
}

fn serve_from(database: &[&OsStr], extra: &[&str]) -> (Reaped, String) {
    let mut child = Command::new(workspace_binary("gadeplan-centre", "gadeplan-centre"))
        .args(database)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(extra)
        .env("RUST_LOG", "trace")
        .env("RUST_BACKTRACE", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while stderr.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
        line.push(byte[0]);
    }
    let serving: Value = serde_json::from_slice(&line)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&line)));
    child.stderr = Some(stderr);
    (
        Reaped::new(child),
        serving["serving"].as_str().unwrap().to_string(),
    )
}

/// An operator command on the centre's data directory.
pub fn operator(data: &Path, args: &[&str]) -> Output {
    Command::new(workspace_binary("gadeplan-centre", "gadeplan-centre"))
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

/// A phone driven through the `gadeplan` binary: its store file and key file.
pub struct CliPhone {
    pub store: PathBuf,
    pub key_file: PathBuf,
}

/// `faketime`'s path, or a clear failure: the clock tests need it.
pub fn faketime() -> PathBuf {
    let found = ["/usr/bin/faketime", "/usr/local/bin/faketime"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists());
    found.expect("faketime is missing: run scripts/test.sh, which installs Debian's faketime")
}

impl CliPhone {
    /// A phone in `dir` named `name`, with a fresh key in a file only its owner may read.
    pub fn new(dir: &Path, name: &str) -> CliPhone {
        use std::os::unix::fs::PermissionsExt;
        let key_file = dir.join(format!("{name}.key"));
        let key: String = crate::key_of(name)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        std::fs::write(&key_file, key).unwrap();
        std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600)).unwrap();
        CliPhone {
            store: dir.join(format!("{name}.db")),
            key_file,
        }
    }

    /// Runs `gadeplan` on this phone, under `faketime <when>` if given.
    pub fn run(&self, when: Option<&str>, args: &[&str]) -> Output {
        let binary = workspace_binary("gadeplan", "gadeplan");
        let mut command = match when {
            Some(when) => {
                let mut c = Command::new(faketime());
                c.arg(when).arg(binary);
                c
            }
            None => Command::new(binary),
        };
        command
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

    /// A command that must succeed: its JSON output.
    pub fn ok(&self, when: Option<&str>, args: &[&str]) -> Value {
        let out = self.run(when, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// A command that must be refused: its one JSON error (and no panic, no output).
    pub fn refused(&self, when: Option<&str>, args: &[&str]) -> Value {
        let out = self.run(when, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
        assert!(out.stdout.is_empty(), "{args:?} printed on stdout");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.trim().lines().count(), 1, "{args:?}: {stderr}");
        serde_json::from_str(stderr.trim()).unwrap_or_else(|e| panic!("{e}: {stderr}"))
    }
}

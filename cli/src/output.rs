//! What the CLI prints: results as JSON on stdout, errors as one JSON object on stderr, and the
//! key read from a file (private to its owner) or the environment.
//!
//! Error messages are built from the core's typed errors and from clap's error *kind* and
//! argument name, never from the values typed: a mistyped alias must not end up in a log.

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use gadeplan_core::{Error, PersonDetail, TimelineItem};
use serde_json::{Value, json};

pub fn print(value: &Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("JSON values serialise")
    );
}

/// Why a command failed: a command line that is malformed in a way clap cannot see, or anything
/// the core (or the CLI reading its input) refuses.
#[derive(Debug)]
pub enum Failure {
    Usage { field: String, message: String },
    Core(Error),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Core(e)
    }
}

pub fn failure(f: &Failure) -> ExitCode {
    match f {
        Failure::Usage { field, message } => usage(message, Some(field)),
        Failure::Core(e) => core_error(e),
    }
}

pub fn core_error(e: &Error) -> ExitCode {
    let mut body = json!({"error": e.code(), "message": e.to_string()});
    if let Error::InvalidInput { field, .. } = e {
        body["field"] = json!(field);
    }
    eprintln!("{body}");
    ExitCode::from(1)
}

/// A malformed command line. Help and version requests are not errors and print as clap prints.
pub fn usage_error(e: clap::Error) -> ExitCode {
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        };
    }
    let arg = match e.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join(", ")),
        _ => None,
    };
    let what = match e.kind() {
        ErrorKind::MissingRequiredArgument => "a required argument is missing",
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => "an argument's value is not valid",
        ErrorKind::UnknownArgument => "unknown argument",
        ErrorKind::InvalidSubcommand => "unknown command",
        ErrorKind::ArgumentConflict => "arguments that cannot be used together",
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            "wrong number of values"
        }
        ErrorKind::MissingSubcommand => "a command is missing",
        ErrorKind::NoEquals => "an argument needs '='",
        _ => "the command line is not valid",
    };
    // A conflict names the argument given first too (`--note` and `--note-file`).
    let prior = match e.get(ContextKind::PriorArg) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join(", ")),
        _ => None,
    };
    let message = match (&arg, prior) {
        (Some(arg), Some(prior)) => format!("{what}: {arg} and {prior}"),
        (Some(arg), None) => format!("{what}: {arg}"),
        (None, _) => what.to_string(),
    };
    usage(&message, arg.as_deref())
}

fn usage(message: &str, field: Option<&str>) -> ExitCode {
    let mut body = json!({"error": "usage", "message": format!("{message} (see gadeplan --help)")});
    if let Some(field) = field {
        body["field"] = json!(field);
    }
    eprintln!("{body}");
    ExitCode::from(2)
}

/// The store key: `--key-file PATH`, else `GADEPLAN_KEY`; 64 hex characters either way.
pub fn read_key(key_file: Option<&Path>) -> Result<Vec<u8>, Error> {
    let text = match key_file {
        Some(path) => read_key_file(path)?,
        None => std::env::var("GADEPLAN_KEY").map_err(|_| Error::WrongKey {
            detail: "no key given: pass --key-file PATH or set GADEPLAN_KEY (64 hex characters)"
                .into(),
        })?,
    };
    gadeplan_core::db::parse_hex_key(&text)
}

/// The new key of a rekey, from a file as private as the current key's; a malformed one is the
/// option's fault, not the store's (`wrong-key` would say the current key did not open it).
pub fn read_new_key(path: &Path) -> Result<Vec<u8>, Error> {
    read_key(Some(path)).map_err(|e| match e {
        Error::WrongKey { detail } => Error::invalid("new-key-file", detail),
        other => other,
    })
}

/// Reads a key file that only its owner can use. As ssh does with a private key, a key file that
/// grants its group or others any permission is refused unread: the key opens everything the
/// worker recorded. The mode is taken from the file opened, not from its path a moment before.
fn read_key_file(path: &Path) -> Result<String, Error> {
    let unreadable = |e: std::io::Error| Error::WrongKey {
        detail: format!("the key file cannot be read ({})", e.kind()),
    };
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file.metadata().map_err(unreadable)?.permissions().mode();
        if mode & 0o077 != 0 {
            return Err(Error::invalid(
                "key-file",
                format!(
                    "the key file is open to its group or others (mode {:04o}); make it private \
                     to its owner with: chmod 600 {}",
                    mode & 0o7777,
                    path.display()
                ),
            ));
        }
    }
    let mut text = String::new();
    file.read_to_string(&mut text).map_err(unreadable)?;
    Ok(text)
}

/// A timeline item with its payloads as JSON objects rather than JSON text.
pub fn timeline_item(item: &TimelineItem) -> Value {
    let mut v = json!(item);
    for field in ["payload", "original_payload"] {
        if let Some(Value::String(text)) = v.get(field)
            && let Ok(parsed) = serde_json::from_str::<Value>(text)
        {
            v[field] = parsed;
        }
    }
    v
}

pub fn person_detail(detail: &PersonDetail) -> Value {
    let mut v = json!(detail);
    v["timeline"] = Value::Array(detail.timeline.iter().map(timeline_item).collect());
    if let Some(Value::Array(conflicts)) = v.get_mut("conflicts") {
        for conflict in conflicts {
            if let Some(Value::Array(values)) = conflict.get_mut("values") {
                for value in values {
                    if let Some(Value::String(text)) = value.get("value")
                        && let Ok(parsed) = serde_json::from_str::<Value>(text)
                    {
                        value["value"] = parsed;
                    }
                }
            }
        }
    }
    v
}

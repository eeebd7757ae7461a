//! What the CLI prints: results as JSON on stdout, errors as one JSON object on stderr, and the
//! key read from a file or the environment.
//!
//! Error messages are built from the core's typed errors and from clap's error *kind* and
//! argument name, never from the values typed: a mistyped alias must not end up in a log.

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
    let message = match &arg {
        Some(arg) => format!("{what}: {arg} (see gadeplan --help)"),
        None => format!("{what} (see gadeplan --help)"),
    };
    let mut body = json!({"error": "usage", "message": message});
    if let Some(arg) = arg {
        body["field"] = json!(arg);
    }
    eprintln!("{body}");
    ExitCode::from(2)
}

/// The store key: `--key-file PATH`, else `GADEPLAN_KEY`; 64 hex characters either way.
pub fn read_key(key_file: Option<&Path>) -> Result<Vec<u8>, Error> {
    let text = match key_file {
        Some(path) => std::fs::read_to_string(path).map_err(|e| Error::WrongKey {
            detail: format!("the key file cannot be read ({})", e.kind()),
        })?,
        None => std::env::var("GADEPLAN_KEY").map_err(|_| Error::WrongKey {
            detail: "no key given: pass --key-file PATH or set GADEPLAN_KEY (64 hex characters)"
                .into(),
        })?,
    };
    gadeplan_core::db::parse_hex_key(&text)
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

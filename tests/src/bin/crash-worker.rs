//! The processes the crash suite (`tests/tests/crash.rs`) kills with SIGKILL.
//!
//! - `crash-worker phone <store> <key-hex> <centre-url> <seed> <may-merge> <other-key-hex|->` is
//!   a phone app that never stops: it opens its encrypted store, records a few entries, syncs,
//!   and again, printing `recorded <id>` the moment the core has returned each id to it (that is
//!   the promise under test: an id the caller was given is stored), `recording` and `syncing`
//!   before each step so the suite can tell what a kill interrupted, and `synced` /
//!   `unreachable` after each sync. Given another key, it also rekeys its store now and then,
//!   between the two keys: `rekeying <key-hex>` names the key it is about to move to, before the
//!   call, and `rekeyed` says the call returned (the store opens with that key only from then).
//! - `crash-worker centre <data> <listen>` is the centre's server, started through the same
//!   function as `gadeplan-centre serve`; it prints `serving <url>` once it accepts connections.
//!
//! Anything unexpected (a sync error other than an unreachable centre, a failed record) ends the
//! process with a message on stderr and exit status 3, which the suite reports as a failure: only
//! the suite's SIGKILL may end a worker.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use gadeplan::transport::HttpTransport;
use gadeplan_core::{Error, Store};
use gadeplan_tests::work::{Dice, act};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["phone", store, key, url, seed, may_merge, other_key] => {
            phone(store, key, url, seed, may_merge, other_key)
        }
        ["centre", data, listen] => centre(data, listen),
        _ => Err("usage: crash-worker phone <store> <key-hex> <url> <seed> <may-merge> <other-key-hex|-> | centre <data> <listen>".into()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("crash-worker: {message}");
            ExitCode::from(3)
        }
    }
}

/// One line on stdout, flushed at once: the suite reads what was said before the kill.
fn say(line: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")
        .and_then(|_| out.flush())
        .map_err(|e| e.to_string())
}

/// A key given as hex on the command line.
fn key_from_hex(hex: &str) -> Result<Vec<u8>, String> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("x"), 16))
        .collect::<Result<Vec<u8>, _>>()
        .map_err(|e| format!("key: {e}"))
}

fn phone(
    path: &str,
    key: &str,
    url: &str,
    seed: &str,
    may_merge: &str,
    other_key: &str,
) -> Result<(), String> {
    let mut keys = (
        key_from_hex(key)?,
        (other_key != "-")
            .then(|| key_from_hex(other_key))
            .transpose()?,
    );
    let seed: u64 = seed.parse().map_err(|e| format!("seed: {e}"))?;
    let may_merge = may_merge == "true";
    let store = Store::open(path.into(), keys.0.clone()).map_err(|e| format!("open: {e:?}"))?;
    let transport = Arc::new(HttpTransport::new(url));
    let mut dice = Dice(seed | 1);
    let mut own = Vec::new();
    for round in 0.. {
        // Recording is quick beside a sync; a handful of records per sync lets kills land in both.
        for _ in 0..dice.below(10) {
            say("recording")?;
            for id in act(&store, &own, &mut dice, round, may_merge) {
                say(&format!("recorded {id}"))?;
                own.push(id);
            }
        }
        say("syncing")?;
        match store.sync(transport.clone()) {
            Ok(_) => say("synced")?,
            Err(Error::Unreachable { .. }) => {
                say("unreachable")?;
                // A phone without a centre waits a little before trying again.
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) => return Err(format!("sync: {e:?}")),
        }
        if dice.below(2) == 0 {
            rekey(&store, &mut keys)?;
        }
    }
    Ok(())
}

/// Moves the store to the other key, if there is one, announcing it first: a kill between the
/// announcement and `rekeyed` may leave the store under either key, and never under neither.
fn rekey(store: &Store, keys: &mut (Vec<u8>, Option<Vec<u8>>)) -> Result<(), String> {
    let Some(next) = keys.1.take() else {
        return Ok(());
    };
    let hex: String = next.iter().map(|b| format!("{b:02x}")).collect();
    say(&format!("rekeying {hex}"))?;
    store
        .rekey(keys.0.clone(), next.clone())
        .map_err(|e| format!("rekey: {e:?}"))?;
    say("rekeyed")?;
    keys.1 = Some(std::mem::replace(&mut keys.0, next));
    Ok(())
}

fn centre(data: &str, listen: &str) -> Result<(), String> {
    // The phones record and sync without end: no quota, which would only slow the suite down.
    let mut settings = gadeplan_centre::server::Settings::default();
    settings.policy.quota = gadeplan_centre::policy::Quota::unlimited();
    // Every citizen without an open course is released at once: the phones purge during their
    // syncs, and are killed during purges too.
    settings.policy.keep = gadeplan_core::kinds::keep::KeepRule {
        closed_days: 0,
        unmet_months: 0,
    };
    let database = gadeplan_centre::Database::named(data);
    gadeplan_centre::server::serve_until_interrupted(&database, listen, &settings, |addr| {
        let _ = say(&format!("serving http://{addr}"));
    })
    .map_err(|r| format!("{}: {}", r.code, r.message))
}

//! What a shell does after `Store::sync` failed (issue 18, review: "Rules a shell holds that
//! belong in the core"): both shells decided it themselves, differently (Android parsed the
//! refusal's code and kept its own list of refusals that pass; iOS retried on its own terms). The
//! core knows its errors, so it says once, for both: try again at the next chance or stop, and
//! whether to tell the worker now.
//!
//! The mapping is the project's own (the seeds say nothing of syncing). It is an exhaustive
//! `match` over `Error`, so a new error cannot be left out; the shells' string form (the Kotlin
//! exception's class name, the Swift case's name, as `error_text` takes them) goes back to an
//! `Error` through `Error::from_ffi`, the twin of `Error::variant_name`.

use crate::error::Error;

/// What a shell does after a sync failed with an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SyncAdvice {
    /// Try again at the next chance (a timer, the network coming back, the app opening); nothing
    /// recorded is lost. `tell`: show the worker the error now (in `error_text`'s words).
    Retry { tell: bool },
    /// Do not try again until something changes (the worker acts, or the shell routes to
    /// enrolment or the revoked screen). `tell`: show the worker the error now.
    Stop { tell: bool },
}

/// The centre's refusals that only put sending off (the centre takes no more for now), not a
/// fault: `quota-exceeded` (what one device may send for now; `engine::puts_off_push` ends a run's
/// pushing on it) and `rate-limited` (the centre's rate limiting: "wait a minute and try again").
/// One list for the engine and the shells.
pub(crate) fn refusal_only_puts_off(code: &str) -> bool {
    matches!(code, "quota-exceeded" | "rate-limited")
}

impl Error {
    /// What a shell does after `Store::sync` failed with this error (see `SyncAdvice`).
    pub fn sync_advice(&self) -> SyncAdvice {
        match self {
            // No network, or the answer cut off: the next chance sends it; not worth a word.
            Error::Unreachable { .. } => SyncAdvice::Retry { tell: false },
            Error::CentreRefused { code, .. } if refusal_only_puts_off(code) => {
                SyncAdvice::Retry { tell: false }
            }
            // Any other refusal needs someone to act (a wrong token, an unknown protocol…).
            Error::CentreRefused { .. } => SyncAdvice::Stop { tell: true },
            // The worker can fix these (the clock, free space); sync then succeeds by itself.
            Error::ClockWrong { .. } | Error::StorageFull { .. } => {
                SyncAdvice::Retry { tell: true }
            }
            // The shell routes: to the revoked screen, or to enrolment.
            Error::Revoked | Error::NotEnrolled => SyncAdvice::Stop { tell: false },
            // Trying again cannot help: the key or the app must change.
            Error::WrongKey { .. } | Error::StoreTooNew { .. } => SyncAdvice::Stop { tell: true },
            // A storage failure rolled back; it may pass, but the worker should know.
            Error::Storage { .. } => SyncAdvice::Retry { tell: true },
            // Not errors a sync gives; should one come, say it and try again later.
            Error::NoStore { .. }
            | Error::AlreadyInitialised
            | Error::InvalidInput { .. }
            | Error::PlanRequired { .. }
            | Error::ReasonRequired { .. }
            | Error::ConsentRequired { .. }
            | Error::NotFound { .. }
            | Error::NotAllowed { .. } => SyncAdvice::Retry { tell: true },
        }
    }
}

/// What a shell does after `Store::sync` failed with the error of `variant` (the Kotlin
/// exception's class simple name, the Swift case's name) and `message`. A variant this core does
/// not know (a newer shell) gives `Retry { tell: true }`: say it, and try again later.
#[uniffi::export]
pub fn sync_advice(variant: String, message: String) -> SyncAdvice {
    Error::from_ffi(&variant, &message)
        .map_or(SyncAdvice::Retry { tell: true }, |e| e.sync_advice())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::StorageCause;

    fn refused(code: &str) -> Error {
        Error::CentreRefused {
            code: code.into(),
            message: "some reason (with brackets)".into(),
        }
    }

    #[test]
    fn the_string_form_gives_what_the_error_gives() {
        let errors = [
            Error::Unreachable {
                detail: "timed out".into(),
            },
            refused("quota-exceeded"),
            refused("rate-limited"),
            refused("unknown-token"),
            Error::ClockWrong {
                detail: "ahead".into(),
            },
            Error::storage_full(),
            Error::Revoked,
            Error::NotEnrolled,
            Error::WrongKey { detail: "x".into() },
            Error::StoreTooNew {
                found: 9,
                supported: 3,
            },
            Error::Storage {
                detail: "disk I/O error".into(),
                cause: StorageCause::Io,
                source: None,
            },
        ];
        for e in errors {
            assert_eq!(
                sync_advice(e.variant_name().into(), e.to_string()),
                e.sync_advice(),
                "{e}"
            );
        }
    }

    #[test]
    fn each_failure_is_advised_as_the_rule_says() {
        let advise = |v: &str, m: &str| sync_advice(v.into(), m.into());
        let retry = |tell| SyncAdvice::Retry { tell };
        let stop = |tell| SyncAdvice::Stop { tell };
        assert_eq!(
            advise("Unreachable", "the centre could not be reached: x"),
            retry(false)
        );
        assert_eq!(
            advise(
                "CentreRefused",
                "the centre refused: too much for now (quota-exceeded)"
            ),
            retry(false)
        );
        assert_eq!(
            advise("CentreRefused", "the centre refused: wait (rate-limited)"),
            retry(false)
        );
        assert_eq!(
            advise(
                "CentreRefused",
                "the centre refused: no such token (unknown-token)"
            ),
            stop(true)
        );
        assert_eq!(advise("CentreRefused", "garbled"), stop(true));
        assert_eq!(advise("ClockWrong", "ahead"), retry(true));
        assert_eq!(advise("StorageFull", "full"), retry(true));
        assert_eq!(advise("Revoked", ""), stop(false));
        assert_eq!(advise("NotEnrolled", ""), stop(false));
        assert_eq!(advise("WrongKey", ""), stop(true));
        assert_eq!(advise("StoreTooNew", ""), stop(true));
        assert_eq!(advise("Storage", ""), retry(true));
        assert_eq!(advise("SomethingNewer", ""), retry(true));
    }

    #[test]
    fn the_engine_puts_off_pushing_on_the_same_refusals() {
        assert!(refusal_only_puts_off("quota-exceeded"));
        assert!(!refusal_only_puts_off("token-expired"));
    }
}

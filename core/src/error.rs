//! The one error type every caller of the core sees: the CLI, the phone shells and the centre.
//!
//! Each variant is a decision the caller can act on (ask for the key again, show the field that
//! is wrong, ask for a plan) and has a stable kebab-case `code()` used in the CLI's JSON errors.
//! Messages never contain recorded personal text (aliases, notes, plans, places): they name
//! fields and rules, not values, because error messages end up in logs and crash reports.
//!
//! Across the FFI the error is *flat*: Kotlin gets `GadeplanException.WrongKey(message)` and so on,
//! Swift `GadeplanError.WrongKey(message:)`, each variant a type to catch and each `message` the
//! human-readable text below. (uniffi's default for variants with fields makes the message a dump
//! of the fields, `field=…, reason=…`; a shell would show that to a worker.) The fields stay in
//! Rust, where the CLI and the centre use them, and every message already names its field.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error, name = "GadeplanError")]
pub enum Error {
    /// The key does not open this store (or no usable key was given). The file is untouched.
    #[error("the key does not open this store: {detail}")]
    WrongKey { detail: String },

    /// No store at the path, or a file that is not a Gadeplan store.
    #[error("no Gadeplan store: {detail}")]
    NoStore { detail: String },

    /// `init` on a store that already exists.
    #[error("the store is already initialised; nothing was changed")]
    AlreadyInitialised,

    /// The store was written by a newer version of Gadeplan than this one.
    #[error(
        "the store has schema version {found}, newer than this app's {supported}; update the app"
    )]
    StoreTooNew { found: u32, supported: u32 },

    /// A field's value is malformed or out of range.
    #[error("invalid {field}: {reason}")]
    InvalidInput { field: String, reason: String },

    /// A high Brøset score needs a plan for how violence is avoided (Bilag 1A).
    #[error(
        "a high risk score ({score}) needs a plan for how violence is avoided: de-escalation must start and the plan must be recorded"
    )]
    PlanRequired { score: u8 },

    /// A screening decision that departs from what the criteria indicate needs a reason.
    #[error(
        "the decision '{decision}' departs from what the criteria indicate ({indicated}); give the reason for the professional assessment"
    )]
    ReasonRequired { decision: String, indicated: String },

    /// A disclosure about a citizen needs the citizen's consent in force for it (002 L3433,
    /// L3072: the workers' duty of confidentiality; information shared with consent).
    #[error("no consent in force for this disclosure: {detail}")]
    ConsentRequired { detail: String },

    /// The referenced person, entry or citizen does not exist in this store.
    #[error("{what} not found: {id}")]
    NotFound { what: String, id: String },

    /// The request is well-formed but not allowed in the current state (e.g. voiding twice).
    #[error("not allowed: {reason}")]
    NotAllowed { reason: String },

    /// Sync needs the phone to be enrolled at a centre first.
    #[error("this phone is not enrolled at a centre; enrol it with a code from the centre")]
    NotEnrolled,

    /// The centre revoked this device; everything it held has been erased from it.
    #[error("this device was revoked by the centre; its recorded data has been erased from it")]
    Revoked,

    /// The centre refused the request (an expired code, a wrong token, an unknown protocol…).
    #[error("the centre refused: {message} ({code})")]
    CentreRefused { code: String, message: String },

    /// The centre could not be reached, or its answer was cut off; try again later. Nothing
    /// recorded is lost: what was not acknowledged is sent again.
    #[error("the centre could not be reached: {detail}")]
    Unreachable { detail: String },

    /// This device's clock is wrong: before the year 2000, past what an entry id can carry, or
    /// (as the centre says) ahead of the centre's by more than the skew allowed. The message
    /// says by how much and what to do; nothing recorded is lost.
    #[error("{detail}")]
    ClockWrong { detail: String },

    /// The phone's storage is full: nothing was recorded (the store is open for reading only
    /// until space is freed). The worker frees space; what is recorded is safe and readable.
    #[error("the phone's storage is full: free some space ({detail})")]
    StorageFull { detail: String },

    /// The storage layer failed; the transaction was rolled back and nothing was recorded.
    /// `cause` keeps what SQLite said it was (by its result code, never its message text), for
    /// the core's own decisions; the shells see the message.
    #[error("storage error (nothing was recorded): {detail}")]
    Storage {
        detail: String,
        cause: StorageCause,
        /// The SQLite error it came from, for a Rust log's cause chain (SQLite's messages name
        /// tables and constraints, never bound values); never sent across the FFI, where only
        /// the message goes.
        #[source]
        source: Option<ErrorSource>,
    },
}

/// The error an `Error` came from, kept for `std::error::Error::source` (a log's cause chain).
/// Two errors are equal when what they say to a caller is equal, whatever their sources.
#[derive(Debug, Clone)]
pub struct ErrorSource(std::sync::Arc<dyn std::error::Error + Send + Sync>);

impl ErrorSource {
    fn of(e: impl std::error::Error + Send + Sync + 'static) -> Option<ErrorSource> {
        Some(ErrorSource(std::sync::Arc::new(e)))
    }
}

impl std::fmt::Display for ErrorSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for ErrorSource {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

impl PartialEq for ErrorSource {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for ErrorSource {}

/// What kind of storage failure an `Error::Storage` is, from SQLite's primary result code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageCause {
    /// A constraint of the schema (a primary key, NOT NULL, CHECK) refused a row: what was to be
    /// written contradicts what is stored.
    Constraint,
    /// The operating system's I/O failed (SQLite's `SQLITE_IOERR`; a full disk can show so).
    Io,
    /// Anything else: a busy or locked store, a corrupt file, a fault of this program.
    Other,
}

impl Error {
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidInput {
            field: field.into(),
            reason: reason.into(),
        }
    }

    pub fn not_found(what: impl Into<String>, id: impl Into<String>) -> Self {
        Error::NotFound {
            what: what.into(),
            id: id.into(),
        }
    }

    /// The disk is full: nothing was written.
    pub fn storage_full() -> Self {
        Error::StorageFull {
            detail: "nothing was recorded; what is recorded can still be read".into(),
        }
    }

    /// A storage failure that is not SQLite's (a file operation, a lock poisoned by a panic).
    pub fn storage(detail: impl Into<String>) -> Self {
        Error::Storage {
            detail: detail.into(),
            cause: StorageCause::Other,
            source: None,
        }
    }

    /// Whether this is a constraint of the schema refusing a row.
    pub fn is_constraint(&self) -> bool {
        matches!(
            self,
            Error::Storage {
                cause: StorageCause::Constraint,
                ..
            }
        )
    }

    pub fn not_allowed(reason: impl Into<String>) -> Self {
        Error::NotAllowed {
            reason: reason.into(),
        }
    }

    /// The stable machine-readable name of the error, for scripts and the shells.
    pub fn code(&self) -> &'static str {
        match self {
            Error::WrongKey { .. } => "wrong-key",
            Error::NoStore { .. } => "no-store",
            Error::AlreadyInitialised => "already-initialised",
            Error::StoreTooNew { .. } => "store-too-new",
            Error::InvalidInput { .. } => "invalid-input",
            Error::PlanRequired { .. } => "plan-required",
            Error::ReasonRequired { .. } => "reason-required",
            Error::ConsentRequired { .. } => "consent-required",
            Error::NotFound { .. } => "not-found",
            Error::NotAllowed { .. } => "not-allowed",
            Error::NotEnrolled => "not-enrolled",
            Error::Revoked => "revoked",
            Error::CentreRefused { .. } => "centre-refused",
            Error::Unreachable { .. } => "unreachable",
            Error::ClockWrong { .. } => "clock-wrong",
            Error::StorageFull { .. } => "storage-full",
            Error::Storage { .. } => "storage",
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) {
            return Error::storage_full();
        }
        let cause = match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation) => StorageCause::Constraint,
            Some(rusqlite::ErrorCode::SystemIoFailure) => StorageCause::Io,
            _ => StorageCause::Other,
        };
        // SQLite's messages name tables and constraints, never bound values, so they are safe
        // to carry; the values themselves are never formatted into them.
        Error::Storage {
            detail: e.to_string(),
            cause,
            source: ErrorSource::of(e),
        }
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        // serde_json's own message can quote the offending value, so neither the message nor a
        // source carries it (a log printing the cause chain would): only its class and place.
        Error::Storage {
            detail: format!(
                "stored JSON unreadable ({:?} at line {} column {})",
                e.classify(),
                e.line(),
                e.column()
            ),
            cause: StorageCause::Other,
            source: None,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    /// A storage failure keeps what SQLite said by its code, and the SQLite error as its source;
    /// the message the shells get is the same as before.
    #[test]
    fn a_storage_failure_keeps_sqlites_code_and_error() {
        let constraint = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY),
            Some("UNIQUE constraint failed: persons.id".into()),
        );
        let e = Error::from(constraint);
        assert!(e.is_constraint());
        let source = std::error::Error::source(&e).expect("a source");
        assert!(source.to_string().contains("persons.id"), "{source}");
        assert_eq!(e.code(), "storage");
        let io = Error::from(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_IOERR_WRITE),
            None,
        ));
        assert!(matches!(
            io,
            Error::Storage {
                cause: StorageCause::Io,
                ..
            }
        ));
        assert!(!io.is_constraint());
        // Errors compare by what they say, whatever their sources.
        assert_eq!(Error::storage("x"), Error::storage("x"));
    }
}

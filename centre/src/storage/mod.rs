//! The storage seam: everything the protocol's rules (`store`) and the operator's commands need
//! from durable storage, as one transaction trait, [`Tx`], with one implementation per backend
//! (`sqlite`, the embedded default; `postgres`, for a municipality's database server and several
//! centre processes). The rules live once, in `store`, above the seam; a backend only stores and
//! finds rows, each method one statement or two, and never decides what a request may do.
//!
//! Every method runs inside the transaction [`Storage::begin`] opened; nothing is visible to
//! anyone else until [`Tx::commit`], and a transaction dropped without it is rolled back, so a
//! request refused halfway (or a connection lost halfway) leaves nothing half-applied.
//!
//! What a record means is the core's (its kinds, their rules and projections). The SQLite backend
//! keeps the core's journal and projections in its own file and hands them to `store` in the same
//! transaction ([`Tx::projection`]); the PostgreSQL backend keeps the journal as rows and each
//! centre process keeps the core's projections beside it in a rebuildable read model
//! (`crate::replica`) fed from the journal by sequence number (ADR 0009).
//!
//! Every backend passes one conformance suite (`centre/tests/conformance/`, run by
//! `centre/tests/storage.rs` for SQLite and for PostgreSQL on the test command's server). A method added here is
//! added to both backends and to the suite in the same change (`ARCHITECTURE.md`).

pub mod postgres;
pub mod sqlite;

use std::path::{Path, PathBuf};

use gadeplan_core::journal::Entry;
use gadeplan_core::sync::wire;

pub use self::sqlite::KeySource;
use crate::store::{DeviceInfo, HeldInfo, LeaderTokenInfo, Result};

/// Where a centre keeps its data: a data directory for the embedded store, or a PostgreSQL
/// server's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// The embedded store in a data directory, its key from `key`.
    Embedded {
        data: PathBuf,
        key: KeySource,
    },
    Postgres(String),
}

impl Database {
    /// `postgres://…` (or `postgresql://…`) names a PostgreSQL server; anything else a data
    /// directory.
    pub fn named(text: &str) -> Database {
        if postgres::is_address(text) {
            Database::Postgres(text.to_string())
        } else {
            Database::embedded(PathBuf::from(text))
        }
    }
}

impl Database {
    /// The embedded store in `data`, with its key file beside it.
    pub fn embedded(data: impl Into<PathBuf>) -> Database {
        Database::Embedded {
            data: data.into(),
            key: KeySource::default(),
        }
    }
}

impl From<&Path> for Database {
    fn from(path: &Path) -> Self {
        Database::embedded(path)
    }
}

impl From<&PathBuf> for Database {
    fn from(path: &PathBuf) -> Self {
        Database::embedded(path.clone())
    }
}

impl From<PathBuf> for Database {
    fn from(path: PathBuf) -> Self {
        Database::embedded(path)
    }
}

/// A durable store of the centre's data, shared by every request of a process (and, for
/// PostgreSQL, by several processes).
pub trait Storage: Send + Sync {
    /// Opens a transaction that may write. One team's appends are serialised by
    /// [`Tx::lock_team`]; everything else a transaction reads is as committed before it.
    fn begin(&self) -> Result<Box<dyn Tx + '_>>;

    /// `sqlite` or `postgres`, for logs and the health check.
    fn backend(&self) -> &'static str;

    /// Whether this backend keeps the core's journal and projections itself, handing them out
    /// in each transaction (`Tx::projection`); otherwise the process keeps a read model.
    fn keeps_projections(&self) -> bool;

    /// Takes what an erasure removed out of the files (issue 17), outside any transaction: the
    /// embedded store's log emptied into its file, whose freed pages are zeroed already (secure
    /// delete); PostgreSQL's journal tables rewritten, their statistics made again and its
    /// write-ahead log moved past them. Returns false when something still holds the old pages
    /// (a reader of the embedded store's log); the next scrub finishes it.
    fn scrub(&self) -> Result<bool>;
}

/// A check-in as the centre watches it (issue 15; the rules are `watch.rs`'s). Times are the
/// journal's RFC 3339 text; `next_at_ms` is when the next escalation step is due, `None` when
/// nothing more will happen (ended, acknowledged, or every step taken).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckinRow {
    pub id: String,
    pub team: String,
    pub worker: String,
    pub watcher: String,
    pub place: String,
    pub started_at: String,
    pub due_at: String,
    /// When the start or the extension that set `due_at` happened (a later one wins).
    pub due_set_at: String,
    pub high_risk: bool,
    pub ended_at: Option<String>,
    pub ended_by: Option<String>,
    pub on_behalf: bool,
    pub duress: bool,
    /// Escalation steps taken since it was last due: 0 none, 1 the watcher, 2 the team, 3 the
    /// team leader.
    pub level: u32,
    pub overdue_since: Option<String>,
    pub next_at_ms: Option<i64>,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<String>,
}

/// One escalation step taken: the check-in, its number (1, 2, …, never reused), whom it
/// reached, when, and which centre process took it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckinStepRow {
    pub checkin: String,
    pub step: u32,
    pub level: String,
    pub taken_at: String,
    pub process: String,
}

/// One record of the audit log (`audit.rs` makes and checks them).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditRow {
    pub seq: u64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub team: Option<String>,
    pub subject: Option<String>,
    pub detail: Option<String>,
    pub source: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// A worker on a team's roster: since when, and when retired (then no longer on it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRow {
    pub worker: String,
    pub added_at: String,
    pub retired_at: Option<String>,
}

/// An enrolment code as stored: its hash, never the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeRow {
    pub code_hash: String,
    pub team: String,
    pub worker: String,
    pub expires_at: String,
    pub used_at: Option<String>,
    pub failures: u32,
}

/// A device as enrolled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDevice {
    pub id: String,
    pub team: String,
    pub worker: String,
    pub name: String,
    pub token_hash: String,
    pub enrolled_at: String,
}

/// A leader token as made: its hash, never the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLeaderToken {
    pub id: String,
    pub token_hash: String,
    pub team: String,
    pub created_at: String,
    pub expires_at: String,
}

/// What one device has pushed in the hour `hour` and the 24 hours up to it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub hour_entries: u64,
    pub hour_bytes: u64,
    pub day_entries: u64,
    pub day_bytes: u64,
}

/// An entry held for an updated centre, as it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldRow {
    pub entry_id: String,
    pub device: String,
    pub team: String,
    pub kind: String,
    pub schema_version: u32,
    /// The entry's JSON, whole.
    pub entry: String,
    pub held_at: String,
}

/// A person who signs in to the page, as stored: the password's Argon2id hash (PHC string),
/// never the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    pub id: String,
    pub name: String,
    /// `leader`, `operator` or `auditor`.
    pub role: String,
    /// A leader's team; none for the other roles.
    pub team: Option<String>,
    pub password_hash: String,
    /// Failed sign-ins since the last one that succeeded.
    pub failures: u32,
    pub locked_until: Option<String>,
    pub created_at: String,
    pub disabled_at: Option<String>,
}

/// A signed-in session: the cookie's hash, never the cookie, and the token its forms carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub token_hash: String,
    pub user_id: String,
    pub csrf: String,
    pub created_at: String,
    pub expires_at: String,
    pub last_seen_at: String,
    pub ended_at: Option<String>,
}

/// A leader's access to one citizen's free text, for a reason (a code), until `expires_at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlassRow {
    pub user_id: String,
    pub subject: String,
    pub reason: String,
    pub granted_at: String,
    pub expires_at: String,
}

/// One transaction on the centre's storage. Times are the journal's text form (RFC 3339, UTC,
/// milliseconds), which sorts as time does.
pub trait Tx {
    // ----- teams ------------------------------------------------------------------------------

    /// Adds a team; false if one of that name exists.
    fn insert_team(&mut self, name: &str, at: &str) -> Result<bool>;
    fn team_exists(&mut self, name: &str) -> Result<bool>;
    /// Every team's name, in order.
    fn teams(&mut self) -> Result<Vec<String>>;

    // ----- enrolment codes --------------------------------------------------------------------

    fn insert_code(&mut self, code: &CodeRow) -> Result<()>;
    /// The code with this hash, held for this transaction (two phones enrolling with one code at
    /// once: one wins).
    fn code(&mut self, code_hash: &str) -> Result<Option<CodeRow>>;
    /// Counts a wrong try at a code; the try that reaches `attempts` uses it up.
    fn count_code_failure(&mut self, code_hash: &str, attempts: u32, at: &str) -> Result<()>;
    fn use_code(&mut self, code_hash: &str, at: &str) -> Result<()>;

    // ----- devices ----------------------------------------------------------------------------

    fn insert_device(&mut self, device: &NewDevice) -> Result<()>;
    fn device_by_id(&mut self, id: &str) -> Result<Option<DeviceInfo>>;
    fn device_by_token(&mut self, token_hash: &str) -> Result<Option<DeviceInfo>>;
    /// A new token for an enrolled device (its old one expired unused); a next token waiting
    /// beside the old one, and a request for a rotation, are forgotten with it.
    fn renew_device_token(&mut self, id: &str, token_hash: &str, at: &str) -> Result<()>;
    /// Keeps a token's hash as a device's next token, beside its current one, in place of a next
    /// token not yet used (token rotation).
    fn set_next_device_token(&mut self, id: &str, token_hash: &str) -> Result<()>;
    /// The device whose next token has this hash.
    fn device_by_next_token(&mut self, token_hash: &str) -> Result<Option<DeviceInfo>>;
    /// Makes a device's next token its token, the old one forgotten, and the operator's request
    /// for a rotation done; false if it had none.
    fn promote_next_device_token(&mut self, id: &str) -> Result<bool>;
    /// Notes that the operator asked a device to rotate its token at its next sync (a request
    /// already made keeps its time); false if there is no such device.
    fn request_token_rotation(&mut self, id: &str, at: &str) -> Result<bool>;
    /// Notes that a device's token was used at `at`.
    fn touch_device(&mut self, id: &str, at: &str) -> Result<()>;
    /// Revokes a device; a revocation as `lost` is never weakened to `retired`. False if there
    /// is no such device.
    fn revoke_device(&mut self, id: &str, at: &str, how: &str) -> Result<bool>;
    /// Every device, by team, worker and enrolment.
    fn devices(&mut self) -> Result<Vec<DeviceInfo>>;
    /// The workers with a device enrolled in a team, in order.
    fn team_workers(&mut self, team: &str) -> Result<Vec<String>>;

    // ----- the team roster (issue 15) ----------------------------------------------------------

    /// Puts a worker on a team's roster from `at`, or back on it if they were retired (their
    /// first addition kept). False if they were on it already.
    fn roster_add(&mut self, team: &str, worker: &str, at: &str) -> Result<bool>;
    /// Takes a worker off a team's roster at `at`. False if they were not on it.
    fn roster_retire(&mut self, team: &str, worker: &str, at: &str) -> Result<bool>;
    /// A team's roster, current and retired, by name (bytewise).
    fn roster(&mut self, team: &str) -> Result<Vec<RosterRow>>;

    // ----- check-ins the centre watches (issue 15) ---------------------------------------------

    /// One check-in, if the centre watches it.
    fn checkin(&mut self, id: &str) -> Result<Option<CheckinRow>>;
    /// Writes a check-in's row whole (inserted, or replacing the one with its id).
    fn put_checkin(&mut self, row: &CheckinRow) -> Result<()>;
    /// The check-ins whose next step is due at `now_ms`, as (id, team), soonest first, at most
    /// `limit`. Read outside any team's lock: each is judged again under it.
    fn checkins_due(&mut self, now_ms: i64, limit: u32) -> Result<Vec<(String, String)>>;
    /// Records a step; false if that step of that check-in is recorded already (by this process
    /// or another), and nothing is written.
    fn add_checkin_step(&mut self, step: &CheckinStepRow) -> Result<bool>;
    /// A check-in's steps, in order.
    fn checkin_steps(&mut self, checkin: &str) -> Result<Vec<CheckinStepRow>>;
    /// A team's check-ins (every team's with `None`) started at or after `since`, latest first.
    fn checkins_since(&mut self, team: Option<&str>, since: &str) -> Result<Vec<CheckinRow>>;
    /// A team's (every team's with `None`) live check-ins, latest first: not ended, or ended
    /// with the duress code and not acknowledged before `acknowledged_since`.
    fn live_checkins(
        &mut self,
        team: Option<&str>,
        acknowledged_since: &str,
    ) -> Result<Vec<CheckinRow>>;

    // ----- the audit log (issue 16) -------------------------------------------------------------

    /// Serialises appends to the audit log until the transaction ends (the chain has one
    /// order, whichever process appends).
    fn lock_audit(&mut self) -> Result<()>;
    /// The last record's number and hash, if any.
    fn audit_last(&mut self) -> Result<Option<(u64, String)>>;
    fn audit_insert(&mut self, row: &AuditRow) -> Result<()>;
    /// Records after `after`, in order, at most `limit`.
    fn audit_rows(&mut self, after: u64, limit: u32) -> Result<Vec<AuditRow>>;

    // ----- the page's accounts, sessions and break-the-glass grants (issue 16) ------------------

    /// Adds a user; false if one of that name exists.
    fn insert_user(&mut self, user: &UserRow) -> Result<bool>;
    fn user_by_name(&mut self, name: &str) -> Result<Option<UserRow>>;
    fn user_by_id(&mut self, id: &str) -> Result<Option<UserRow>>;
    /// Every user, by name.
    fn users(&mut self) -> Result<Vec<UserRow>>;
    /// A sign-in's outcome: the failures since the last success, and the lock's end if locked.
    fn set_user_failures(
        &mut self,
        id: &str,
        failures: u32,
        locked_until: Option<&str>,
    ) -> Result<()>;
    fn set_user_password(&mut self, id: &str, password_hash: &str) -> Result<()>;
    /// False if there is no user with that id.
    fn disable_user(&mut self, id: &str, at: &str) -> Result<bool>;
    fn insert_session(&mut self, session: &SessionRow) -> Result<()>;
    fn session(&mut self, token_hash: &str) -> Result<Option<SessionRow>>;
    fn touch_session(&mut self, token_hash: &str, at: &str) -> Result<()>;
    fn end_session(&mut self, token_hash: &str, at: &str) -> Result<()>;
    /// Ends every open session of a user; how many were open.
    fn end_user_sessions(&mut self, user_id: &str, at: &str) -> Result<u32>;
    fn insert_glass(&mut self, grant: &GlassRow) -> Result<()>;
    /// The grant to `user_id` for `subject` open at `now` that lasts longest, if any.
    fn glass(&mut self, user_id: &str, subject: &str, now: &str) -> Result<Option<GlassRow>>;

    // ----- leader tokens ----------------------------------------------------------------------

    fn insert_leader_token(&mut self, token: &NewLeaderToken) -> Result<()>;
    fn leader_token(&mut self, token_hash: &str) -> Result<Option<LeaderTokenInfo>>;
    fn touch_leader_token(&mut self, id: &str, at: &str) -> Result<()>;
    /// False if there is no token with that id.
    fn revoke_leader_token(&mut self, id: &str, at: &str) -> Result<bool>;
    /// Every leader token, by team and age.
    fn leader_tokens(&mut self) -> Result<Vec<LeaderTokenInfo>>;

    // ----- push quotas ------------------------------------------------------------------------

    /// What a device pushed in hour `hour` (hours since 1970) and the 24 hours up to it.
    fn usage(&mut self, device: &str, hour: i64) -> Result<Usage>;
    fn charge(&mut self, device: &str, hour: i64, entries: u64, bytes: u64) -> Result<()>;

    // ----- the journal ------------------------------------------------------------------------

    /// Serialises appends to a team's journal until this transaction ends, across every process
    /// on the same storage: a team's sequence numbers are then given out one after another, with
    /// no gap a phone could skip past and none used twice.
    fn lock_team(&mut self, team: &str) -> Result<()>;
    /// The team whose journal holds an entry with this id, if any does.
    fn entry_team(&mut self, id: &str) -> Result<Option<String>>;
    /// Whether an entry with this id is stored or held here.
    fn known(&mut self, id: &str) -> Result<bool>;
    /// Appends an entry to a team's journal (after [`Tx::lock_team`]) and returns its sequence
    /// number in the team. With a [`Tx::projection`], the projection has stored the entry
    /// itself, and only its place in the sequence is written here.
    fn append(&mut self, team: &str, device: &str, entry: &Entry) -> Result<u64>;
    /// The team's last sequence number, 0 before its first entry. With the journal append-only
    /// and the numbers gapless, it names the set of the team's entries exactly.
    fn latest_seq(&mut self, team: &str) -> Result<u64>;
    /// Up to `limit` of a team's entries after sequence number `after`, in sequence order, less
    /// the erased ones.
    fn entries_after(&mut self, team: &str, after: u64, limit: u32) -> Result<Vec<(u64, Entry)>>;
    /// Removes the text of erased entries from a team's journal (an erasure, issue 17; after
    /// [`Tx::lock_team`]), keeping each one's place in the sequence, its id and kind: the
    /// digest still counts them, and `entries_after` no longer hands them out. With a
    /// [`Tx::projection`], the core's own erasure removed them already in this transaction.
    fn erase_entries(&mut self, team: &str, ids: &[String]) -> Result<()>;
    /// Up to `limit` of a team's entries about any of `subjects` after sequence number
    /// `after`, in sequence order, less the erased ones (a citizen's history, `keep`).
    fn subject_entries(
        &mut self,
        team: &str,
        subjects: &[String],
        after: u64,
        limit: u32,
    ) -> Result<Vec<(u64, Entry)>>;
    /// A team's entry ids in byte order.
    fn team_entry_ids(&mut self, team: &str) -> Result<Vec<String>>;
    /// The digest of a team's entry ids and, with a device, that device's own entries held here.
    fn digest(&mut self, team: &str, device: Option<&str>) -> Result<wire::Digest>;

    // ----- citizens' teams --------------------------------------------------------------------

    fn subject_team(&mut self, subject: &str) -> Result<Option<String>>;
    /// Claims a citizen for a team unless some team has them already; returns the team that has
    /// them now.
    fn claim_subject(&mut self, subject: &str, team: &str) -> Result<String>;
    /// Takes back a claim made in this transaction (no entry about the citizen was stored).
    fn release_subject(&mut self, subject: &str) -> Result<()>;

    // ----- entries held for an updated centre -------------------------------------------------

    /// The JSON of the entry held under this id, if any.
    fn held_entry(&mut self, id: &str) -> Result<Option<String>>;
    fn hold(&mut self, row: &HeldRow) -> Result<()>;
    /// Whether anything is held (still waiting) for this device.
    fn device_holds(&mut self, device: &str) -> Result<bool>;
    /// Whether this id is held (still waiting) for this device.
    fn held_for(&mut self, id: &str, device: &str) -> Result<bool>;
    /// Every held or refused entry, as the operator lists them.
    fn held(&mut self) -> Result<Vec<HeldInfo>>;
    /// The held entries still waiting: id, kind and format, oldest id first.
    fn held_waiting(&mut self) -> Result<Vec<(String, String, u32)>>;
    /// A waiting entry's JSON and the device (id, team, worker) that pushed it.
    fn held_with_device(&mut self, id: &str) -> Result<Option<(String, String, String, String)>>;
    fn reject_held(&mut self, id: &str, reason: &str) -> Result<()>;
    fn release_held(&mut self, id: &str) -> Result<()>;

    // ----- the rest ---------------------------------------------------------------------------

    /// The core's journal and projections in this very transaction, for a backend that keeps
    /// them (SQLite); `None` where the process keeps them in its read model (PostgreSQL).
    fn projection(&mut self) -> Option<&rusqlite::Connection>;
    /// Every row of every table, one line each, in a fixed order: what the tests compare to show
    /// that a refused request changed nothing.
    fn dump(&mut self) -> Result<Vec<String>>;
    /// Makes everything this transaction wrote durable and visible.
    fn commit(self: Box<Self>) -> Result<()>;
}

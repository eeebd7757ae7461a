//! The phone's side of sync, without I/O: it builds request bytes and takes in response bytes;
//! the host's `Transport` carries them.
//!
//! State is two marks in `meta`. The **push watermark** is the highest of this device's own entry
//! ids the centre has acknowledged: own ids increase with the device's clock, so the outbox is
//! simply "own entries above the watermark", and recording writes nothing extra. The **cursor**
//! is the last centre sequence number applied. A round pushes bounded batches, then pulls
//! everything after the cursor, each step in its own transaction; a lost request or answer leaves
//! the marks where they were, so the next round repeats the step, and repeats are harmless on both
//! sides (the centre acknowledges an entry it has again; the phone skips an entry it has). A
//! digest of entry ids, compared at the end, detects divergence; repair resets both marks.

pub mod advice;
mod notices;
pub mod purge;
mod restamp;
pub mod transport;
pub mod wire;

use rusqlite::{Connection, params};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest as _, Sha256};

use crate::clock::{self, Clock, Hlc};
use crate::entries;
use crate::error::{Error, Result};
use crate::ingest::{self, Ingested, Intake};
use crate::journal::{self, Entry};
use crate::kinds::{self, Payload};
use crate::time::Time;

pub use advice::{SyncAdvice, sync_advice};
pub use notices::sync_notices;
pub(crate) use restamp::{has_entries_stamped_ahead, restamp};

pub use transport::{Transport, TransportError};
pub use wire::Digest;
use wire::{ErrorBody, PROTOCOL};

/// What one sync run did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct SyncReport {
    /// Entries the centre stored for the first time.
    pub pushed: u32,
    /// Entries the centre already had (a repeated request) and acknowledged again.
    pub acknowledged_again: u32,
    /// Entries the centre refused for good; they stay on the phone, marked.
    pub rejected: u32,
    /// Entries taken in from the centre.
    pub pulled: u32,
    /// The digests differed after the round and a full re-sync was made.
    pub repaired: bool,
    /// Entries this phone stamped while its clock was ahead, given fresh stamps (and ids) now
    /// that its clock agrees with the centre's, and then sent.
    pub restamped: u32,
    /// The phone's digest after the run (equal to the centre's when `in_step`).
    pub digest: Digest,
    pub in_step: bool,
}

/// Where this phone stands with the centre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct SyncStatus {
    pub enrolled: bool,
    pub centre: Option<String>,
    pub team: Option<String>,
    /// Own entries the centre has not acknowledged yet.
    pub pending: u64,
    pub rejected: u64,
    /// Entries from the centre this phone cannot take in: of a kind or version from a newer app,
    /// or refused by today's rules (an earlier centre accepted them before the rules). Kept
    /// aside, tried again at every pull; not shown in any list (`sync_notices` tells the worker).
    pub set_aside: u64,
    pub cursor: u64,
    /// How far this phone's clock was from the centre's at the last sync, in milliseconds
    /// (positive: ahead), when it was off by more than the centre allows; else none. A shell
    /// shows it and asks the worker to set the date and time.
    pub clock_off_by_ms: Option<i64>,
    /// The phone's storage is full: the store is open for reading only, and recording waits
    /// until space is freed.
    pub storage_full: bool,
    /// Citizens whose older history is held at the centre, not on this phone (released by the
    /// centre's rule, `purge`): found online (`Store::search_centre`) and fetched back
    /// (`Store::fetch_history`) when met again. A shell says so, so that nobody takes them for
    /// lost.
    pub at_centre: u64,
    /// Entries recorded here and never sent that an erasure at the centre removed (they were
    /// about a citizen everything about whom was erased, or corrected an erased entry).
    pub erased_unsent: u64,
    /// When the oldest of this phone's own entries not yet at the centre (pending as
    /// `SyncView::pending_subjects` has it) was recorded; none when all are sent.
    pub oldest_unsent_at: Option<Time>,
    /// That entry has waited longer than `UNSENT_TOO_LONG_HOURS` (by the phone's clock when the
    /// status was read): `sync_notices` says so ("unsent-long"), and no shell keeps its own
    /// threshold.
    pub unsent_too_long: bool,
}

/// How long an own entry may wait unsent before the worker is told (`SyncStatus::unsent_too_long`):
/// long enough for a shift's round without network, short enough that a colleague or the leader
/// is not left without what was recorded for a day. The project's own number (the seeds give
/// none); the Android shell used it, iOS 8 hours.
pub const UNSENT_TOO_LONG_HOURS: i64 = 4;

/// Whether an entry recorded at `recorded_ms` (wall time) and still unsent at `now_ms` has
/// waited too long.
fn waited_too_long(recorded_ms: i64, now_ms: i64) -> bool {
    now_ms.saturating_sub(recorded_ms) > UNSENT_TOO_LONG_HOURS * 60 * 60 * 1000
}

/// The sync state of one entry, as the log shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, uniffi::Enum)]
#[serde(rename_all = "kebab-case")]
pub enum SyncState {
    /// Recorded here, not yet acknowledged by the centre.
    Pending,
    /// At the centre (acknowledged, or received from it).
    Synced,
    /// Refused by the centre for good; kept here, with the reason in the status.
    Rejected,
}

pub(crate) use crate::meta::{
    CENTRE, CENTRE_SEEN, CLOCK_OFFSET, CURSOR, DIGEST, LATEST_JOIN, PULL_V2_UNTIL, PUSHED,
    ROTATE_TOKEN, TEAM, TOKEN,
};
pub(crate) use crate::meta::{get as meta_get, set as meta_set};

fn token(conn: &Connection) -> Result<String> {
    meta_get(conn, TOKEN)?.ok_or(Error::NotEnrolled)
}

fn cursor(conn: &Connection) -> Result<u64> {
    Ok(meta_get(conn, CURSOR)?
        .and_then(|c| c.parse().ok())
        .unwrap_or(0))
}

fn pushed_through(conn: &Connection) -> Result<String> {
    Ok(meta_get(conn, PUSHED)?.unwrap_or_default())
}

/// This device's clock as the store leaves it, for a write at `now_ms`: after the newest stamp
/// the journal holds within the skew allowed (a stamp further ahead, from a clock set wrong, is
/// not followed), and never before the newest of its own entries the centre has acknowledged, so
/// that whatever it records next is above the push watermark and is sent. Read inside the write
/// transaction, so two processes on one store never issue the same stamp.
///
/// An acknowledged stamp is followed even when this phone's clock is now behind it (a clock set
/// back after a sync): what it records next must lie above the watermark, or it would never be
/// sent (and a retired phone would erase it). Only an acknowledged stamp beyond the skew of the
/// latest time a centre reported is not followed: a centre under the time bounds cannot have
/// acknowledged one, only one from before them, and following it would stamp everything from then
/// on ahead of every centre (see `legacy_watermark`).
pub(crate) fn resume_clock(conn: &Connection, device: &str, now_ms: i64) -> Result<Clock> {
    let bound = now_ms.saturating_add(clock::MAX_SKEW_MS);
    let latest = entries::latest_recorded_at(conn, bound)?;
    let acknowledged = pushed_through(conn)?;
    let centre_bound = centre_bound(conn)?;
    let acknowledged = (!acknowledged.is_empty())
        .then(|| stamp_of_own_id(&acknowledged, device))
        .flatten()
        .filter(|stamp| centre_bound.is_none_or(|b| stamp.wall_ms <= b));
    let newest = match (latest, acknowledged) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    Ok(Clock::resume(device, newest.as_ref()))
}

/// The latest centre time seen plus the skew allowed: no centre under the bounds accepted (or will
/// accept) a stamp beyond it. None until a centre has said its time.
fn centre_bound(conn: &Connection) -> Result<Option<i64>> {
    Ok(meta_get(conn, CENTRE_SEEN)?
        .and_then(|v| v.parse::<i64>().ok())
        .map(|ms| ms.saturating_add(clock::MAX_SKEW_MS)))
}

/// Notes what an answer's `centre_time` tells: the latest centre time seen, and how far off this
/// phone's clock (reading `now_ms`) is.
pub(crate) fn note_centre(conn: &Connection, centre_time: Option<&str>, now_ms: i64) -> Result<()> {
    note_centre_time(conn, centre_time)?;
    note_offset(conn, offset_from(centre_time, now_ms))
}

/// Keeps the latest time a centre's answer carried.
pub(crate) fn note_centre_time(conn: &Connection, centre_time: Option<&str>) -> Result<()> {
    let Some(ms) = centre_time.and_then(|t| journal::timestamp_ms(t).ok()) else {
        return Ok(());
    };
    let seen = meta_get(conn, CENTRE_SEEN)?.and_then(|v| v.parse::<i64>().ok());
    if seen.is_none_or(|s| ms > s) {
        meta_set(conn, CENTRE_SEEN, &ms.to_string())?;
    }
    Ok(())
}

/// A push watermark a centre from before the time bounds put beyond every centre's clock (it
/// acknowledged an entry stamped years ahead) is forgotten, once: the next push sends everything
/// again (duplicates where the centre has them), so nothing recorded since below it is left
/// unsent. `apply_push` never moves the watermark beyond the bound again; it lists such entries
/// in `sync_acknowledged_ahead` instead.
pub(crate) fn legacy_watermark(conn: &Connection, device: &str) -> Result<()> {
    let watermark = pushed_through(conn)?;
    if let (Some(bound), Some(stamp)) = (centre_bound(conn)?, stamp_of_own_id(&watermark, device))
        && stamp.wall_ms > bound
    {
        conn.execute("DELETE FROM meta WHERE key = ?1", [PUSHED])?;
    }
    Ok(())
}

/// The clock stamp an own entry id was made from: its UUIDv7 time and the 12-bit counter
/// `journal::entry_id_for` puts beside it.
fn stamp_of_own_id(id: &str, device: &str) -> Option<Hlc> {
    let uuid = uuid::Uuid::parse_str(id).ok()?;
    let bytes = uuid.as_bytes();
    let counter = (u32::from(bytes[6] & 0x0f) << 8) | u32::from(bytes[7]);
    Some(Hlc {
        wall_ms: ingest::id_wall_ms(id)?,
        counter,
        device: device.to_string(),
    })
}

/// How far this phone's clock (reading `now_ms`) is from the centre's time in an answer, if the
/// answer carried it (version 2): positive when the phone is ahead.
pub(crate) fn offset_from(centre_time: Option<&str>, now_ms: i64) -> Option<i64> {
    let centre_ms = journal::timestamp_ms(centre_time?).ok()?;
    Some(now_ms.saturating_sub(centre_ms))
}

/// Keeps how far off this phone's clock is while that is more than the skew allowed, and forgets
/// it once the clocks agree.
pub(crate) fn note_offset(conn: &Connection, offset: Option<i64>) -> Result<()> {
    match offset {
        None => {}
        Some(offset) if offset.abs() > clock::MAX_SKEW_MS => {
            meta_set(conn, CLOCK_OFFSET, &offset.to_string())?
        }
        Some(_) => {
            conn.prepare_cached("DELETE FROM meta WHERE key = ?1")?
                .execute([CLOCK_OFFSET])?;
        }
    }
    Ok(())
}

/// How far off this phone's clock was at the last sync, if by more than the skew allowed.
pub(crate) fn clock_offset(conn: &Connection) -> Result<Option<i64>> {
    Ok(meta_get(conn, CLOCK_OFFSET)?.and_then(|v| v.parse().ok()))
}

/// The typed error a worker sees when the centre says this phone's clock is off.
pub(crate) fn clock_wrong(offset_ms: i64) -> Error {
    Error::ClockWrong {
        detail: format!(
            "the phone's clock is {} of the centre's; set the date and time, then sync again (nothing recorded is lost)",
            clock::describe_offset(offset_ms)
        ),
    }
}

/// A centre's answer: what was asked for, or a refusal.
pub(crate) enum Answer<T> {
    Ok(T),
    Refused(ErrorBody),
}

/// Reads an answer. A body that is neither the expected answer nor a refusal (cut off, garbled)
/// counts as no answer: the step is repeated later, nothing having changed.
pub(crate) fn read_answer<T: DeserializeOwned>(bytes: &[u8]) -> Result<Answer<T>> {
    let unreadable = || Error::Unreachable {
        detail: "the centre's answer was cut off or unreadable".into(),
    };
    let bytes = wire::inflate(bytes, wire::ANSWER_MAX_INFLATED_BYTES).ok_or_else(unreadable)?;
    let bytes = &bytes[..];
    if let Ok(answer) = serde_json::from_slice::<T>(bytes) {
        return Ok(Answer::Ok(answer));
    }
    match serde_json::from_slice::<ErrorBody>(bytes) {
        Ok(refusal) => Ok(Answer::Refused(refusal)),
        Err(_) => Err(Error::Unreachable {
            detail: "the centre's answer was cut off or unreadable".into(),
        }),
    }
}

/// A request body: JSON, compressed (see `wire::compress`).
pub(crate) fn encode<T: Serialize>(body: &T) -> Vec<u8> {
    wire::compress(&serde_json::to_vec(body).expect("wire types serialise infallibly"))
}

pub(crate) fn enrol_request(
    worker: &str,
    device_id: &str,
    device_name: &str,
    code: &str,
) -> Vec<u8> {
    encode(&wire::EnrolRequest {
        protocol: PROTOCOL,
        code: code.trim().to_string(),
        device_id: device_id.to_string(),
        device_name: device_name.to_string(),
        worker: worker.to_string(),
    })
}

pub(crate) fn finish_enrol(
    conn: &Connection,
    centre: &str,
    answer: wire::EnrolResponse,
) -> Result<()> {
    usable_token(&answer.token)?;
    meta_set(conn, TOKEN, &answer.token)?;
    meta_set(conn, TEAM, &answer.team)?;
    meta_set(conn, CENTRE, centre)?;
    note_centre(
        conn,
        answer.centre_time.as_deref(),
        clock::now().timestamp_millis(),
    )
}

/// A token the centre sent is at least as long as it makes them (256 bits, as hex).
fn usable_token(token: &str) -> Result<()> {
    if token.len() < 32 {
        return Err(Error::CentreRefused {
            code: "bad-token".into(),
            message: "the centre sent an unusable token".into(),
        });
    }
    Ok(())
}

/// The request for a new device token (`POST /v1/token`), the current one in its header.
pub(crate) fn token_request(conn: &Connection) -> Result<Request> {
    Ok(Request {
        token: token(conn)?,
        body: encode(&wire::TokenRequest { protocol: PROTOCOL }),
    })
}

/// Keeps the new device token the centre answered in place of `sent`, the token the request
/// went with, inside the caller's transaction; the next request goes with the new one, which
/// makes it the device's token at the centre. A token changed meanwhile (the phone forgot an
/// expired one and was enrolled again) is kept, and this answer dropped.
pub(crate) fn keep_new_token(
    conn: &Connection,
    sent: &str,
    answer: &wire::TokenResponse,
) -> Result<()> {
    usable_token(&answer.token)?;
    if meta_get(conn, TOKEN)?.as_deref() != Some(sent) {
        return Err(Error::not_allowed(
            "the device token changed while a new one was asked for; nothing was kept",
        ));
    }
    meta_set(conn, TOKEN, &answer.token)?;
    note_rotation_asked(conn, false)?;
    note_centre(
        conn,
        answer.centre_time.as_deref(),
        clock::now().timestamp_millis(),
    )
}

/// Notes whether the centre's last pull answer asked this phone to rotate its token.
pub(crate) fn note_rotation_asked(conn: &Connection, asked: bool) -> Result<()> {
    if asked {
        meta_set(conn, ROTATE_TOKEN, "1")
    } else {
        conn.prepare_cached("DELETE FROM meta WHERE key = ?1")?
            .execute([ROTATE_TOKEN])?;
        Ok(())
    }
}

/// Whether the centre asked this phone to rotate its token and it has not yet.
pub(crate) fn rotation_asked(conn: &Connection) -> Result<bool> {
    Ok(meta_get(conn, ROTATE_TOKEN)?.is_some())
}

/// Forgets the device token the centre let expire, keeping everything recorded and both marks,
/// so that the phone can be enrolled again with a new code and then sends what it has not sent.
pub(crate) fn forget_token(conn: &Connection) -> Result<()> {
    conn.prepare_cached("DELETE FROM meta WHERE key = ?1")?
        .execute([TOKEN])?;
    Ok(())
}

/// A request for the transport: its body and the device token that goes in its header.
pub(crate) struct Request {
    pub token: String,
    pub body: Vec<u8>,
}

/// The next batch of own entries the centre has not acknowledged, bounded by count and bytes.
pub(crate) struct PushBatch {
    pub request: Request,
    pub ids: Vec<String>,
}

/// Leaves out own entries a pre-bounds centre acknowledged beyond the watermark (see
/// `apply_push`): they are held there already.
const NOT_ACKNOWLEDGED_AHEAD: &str = "AND id NOT IN (SELECT entry_id FROM sync_acknowledged_ahead)";

pub(crate) fn next_push(
    conn: &Connection,
    device: &str,
    own_latest: Option<&str>,
) -> Result<Option<PushBatch>> {
    let token = token(conn)?;
    let after = pushed_through(conn)?;
    // Nothing of its own above the watermark: no need to read colleagues' entries to find that.
    if own_latest.is_none_or(|latest| latest <= after.as_str()) {
        return Ok(None);
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {} FROM entries WHERE id > ?1 AND author_device = ?2 {NOT_ACKNOWLEDGED_AHEAD}
         ORDER BY id LIMIT ?3",
        entries::COLUMNS
    ))?;
    let candidates: Vec<Entry> = stmt
        .query_map(
            params![after, device, wire::PUSH_MAX_ENTRIES as i64],
            entries::from_row,
        )?
        .collect::<rusqlite::Result<_>>()?;
    let mut batch = Vec::new();
    let mut bytes = 0;
    for entry in candidates {
        let size = entry.payload.len() + 400;
        if !batch.is_empty() && bytes + size > wire::PUSH_MAX_BYTES {
            break;
        }
        bytes += size;
        batch.push(entry);
    }
    if batch.is_empty() {
        return Ok(None);
    }
    let ids = batch.iter().map(|e| e.id.to_string()).collect();
    Ok(Some(PushBatch {
        request: Request {
            token,
            body: encode(&wire::PushRequest {
                protocol: PROTOCOL,
                token: None,
                entries: batch,
            }),
        },
        ids,
    }))
}

#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct PushOutcome {
    pub accepted: u32,
    pub duplicate: u32,
    pub rejected: u32,
}

/// Moves the watermark over the prefix of the batch the centre answered for. Refused entries
/// are listed as such; an entry missing from the answer stops the watermark there.
pub(crate) fn apply_push(
    conn: &Connection,
    batch: &PushBatch,
    answer: &wire::PushResponse,
) -> Result<PushOutcome> {
    let mut outcome = PushOutcome::default();
    let mut through = None;
    let bound = centre_bound(conn)?;
    for id in &batch.ids {
        let Some(result) = answer.results.iter().find(|r| r.id == *id) else {
            break;
        };
        match result.status {
            wire::PushStatus::Accepted => outcome.accepted += 1,
            wire::PushStatus::Duplicate => outcome.duplicate += 1,
            // Kept at a centre older than this entry, to be taken in when it is updated.
            wire::PushStatus::Held => outcome.accepted += 1,
            wire::PushStatus::Rejected => {
                outcome.rejected += 1;
                let reason = result
                    .error
                    .clone()
                    .unwrap_or_else(|| "refused by the centre".into());
                conn.prepare_cached(
                    "INSERT OR REPLACE INTO sync_rejected (entry_id, reason) VALUES (?1, ?2)",
                )?
                .execute(params![id, reason])?;
            }
        }
        // Never beyond what a centre under the bounds can hold (one before them acknowledged
        // entries stamped years ahead): such an entry is listed as acknowledged instead.
        let beyond = bound.is_some_and(|b| ingest::id_wall_ms(id).is_some_and(|ms| ms > b));
        if !beyond {
            through = Some(id.clone());
        } else if result.status != wire::PushStatus::Rejected {
            conn.prepare_cached(
                "INSERT OR IGNORE INTO sync_acknowledged_ahead (entry_id) VALUES (?1)",
            )?
            .execute([id])?;
        }
    }
    if let Some(through) = through
        && through > pushed_through(conn)?
    {
        meta_set(conn, PUSHED, &through)?;
    }
    Ok(outcome)
}

/// Runs `work` (one transaction applying a centre's answer) with the commit not waiting for the
/// disk (`synchronous = NORMAL`; the write-ahead log keeps it atomic), then restores the store's
/// `FULL`. Losing such a commit to a power cut costs only network work: the marks it moved fall
/// back with it, so the entries are pushed again (answered `duplicate`) or pulled again (a
/// repeat). What a worker records is committed `FULL`, which makes everything before it in the
/// log durable too, so nothing a worker saw and acted on can be lost. A push of 10,000 entries
/// saves fifty waits for the disk this way, a pull twenty.
pub(crate) fn relaxed<T>(
    conn: &mut Connection,
    work: impl FnOnce(&mut Connection) -> Result<T>,
) -> Result<T> {
    conn.execute_batch("PRAGMA synchronous = NORMAL")?;
    let outcome = work(conn);
    conn.execute_batch("PRAGMA synchronous = FULL")?;
    outcome
}

/// The newest entry this device recorded, read from the whole journal (see `Inner::own_latest`).
pub(crate) fn own_latest(conn: &Connection, device: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT max(id) FROM entries WHERE author_device = ?1")?
        .query_row([device], |r| r.get(0))?)
}

/// A pull from the cursor, in protocol `protocol` (`PROTOCOL`, or `wire::PULL_PROTOCOL` for a
/// range without the phone's own entries; see `engine::pull`).
pub(crate) fn pull_request(conn: &Connection, protocol: u32) -> Result<Request> {
    Ok(Request {
        token: token(conn)?,
        body: pull_body(protocol, cursor(conn)?, wire::PULL_MAX_ENTRIES),
    })
}

/// A pull's body: `limit` entries (or, from protocol 3, sequence numbers) after `after`.
pub(crate) fn pull_body(protocol: u32, after: u64, limit: u32) -> Vec<u8> {
    encode(&wire::PullRequest {
        protocol,
        token: None,
        after,
        limit,
    })
}

/// The pull cursor: the last team sequence number taken in.
pub(crate) fn pull_cursor(conn: &Connection) -> Result<u64> {
    cursor(conn)
}

/// The device token, for requests made off the store's lock.
pub(crate) fn device_token(conn: &Connection) -> Result<String> {
    token(conn)
}

/// Takes in what the centre sent and moves the cursor past it. Returns how many entries were new
/// here. Entries are held to the time bounds against the later of this phone's clock (`now_ms`)
/// and the centre's, so a phone whose clock is behind still takes in what its colleagues just
/// recorded.
///
/// An entry this phone cannot take in is set aside whole (`sync_set_aside`, counted in the
/// status) and the pull goes on past it: one of a kind or payload version from a newer app
/// (phones are updated over weeks, not at once), or one today's rules refuse though the centre
/// holds it (an earlier centre took it in before the rules). Each pull tries them again, so an
/// updated app takes them in at its next sync.
pub(crate) fn apply_pull(conn: &Connection, answer: &wire::PullAnswer, now_ms: i64) -> Result<u32> {
    let centre_ms = answer
        .centre_time
        .as_deref()
        .and_then(|t| journal::timestamp_ms(t).ok());
    let intake = Intake::phone(centre_ms.map_or(now_ms, |c| c.max(now_ms)));
    let start = cursor(conn)?;
    let mut last = start;
    let mut batch = Vec::new();
    for sequenced in answer.entries.iter().filter(|s| s.seq > start) {
        last = last.max(sequenced.seq);
        // Read in place: the answer's JSON is not copied per entry.
        match <Entry as serde::Deserialize>::deserialize(&sequenced.entry) {
            Ok(entry) => batch.push(entry),
            Err(_) => set_aside_json(
                conn,
                &sequenced.entry,
                "an entry of a kind or form this app does not know; update the app",
            )?,
        }
    }
    // An entry about a citizen purged from this phone is marked as held at the centre, not taken
    // in: their history comes back whole when they do. An erasure is always taken in.
    let mut kept = Vec::with_capacity(batch.len());
    for entry in batch {
        match purged_root_of(conn, &entry)? {
            Some(root) => purge::mark(conn, &entry, &root)?,
            None => kept.push(entry),
        }
    }
    let batch = kept;
    let outcomes = ingest_batch(conn, &batch, intake)?;
    let mut new = 0;
    for (entry, outcome) in batch.iter().zip(outcomes) {
        match outcome {
            Ok(Ingested::New) => new += 1,
            Ok(Ingested::Repeat) => {}
            Err(e) => set_aside(conn, entry, &e.to_string())?,
        }
    }
    new += retry_set_aside(conn, intake)?;
    // From protocol 3 the answer says how far it covers (past own entries left out).
    let last = answer.through.map_or(last, |through| through.max(last));
    if last > start {
        meta_set(conn, CURSOR, &last.to_string())?;
    }
    Ok(new)
}

/// The purged citizen an arriving entry is about (by its subject or the one it joins), unless
/// it is an erasure, which every replica applies.
fn purged_root_of(conn: &Connection, entry: &Entry) -> Result<Option<String>> {
    if entry.kind.rebuilds() {
        return Ok(None);
    }
    if let Some(root) = purge::purged_root(conn, &entry.subject)? {
        return Ok(Some(root));
    }
    let joined = Payload::read(entry.kind, &entry.payload)
        .ok()
        .and_then(|p| p.joins().map(|s| s.to_string()));
    match joined {
        Some(subject) => purge::purged_root(conn, &subject),
        None => Ok(None),
    }
}

/// Sets aside an entry this app cannot even read, as the centre sent it. Its id keys it, so that
/// the digest counts it as received and the same entry sent again replaces its row; one without
/// an id as text (never sent by a centre) is keyed by a hash of its content, for the same reasons.
fn set_aside_json(conn: &Connection, entry: &serde_json::Value, reason: &str) -> Result<()> {
    use sha2::{Digest as _, Sha256};
    let id = match entry.get("id").and_then(|v| v.as_str()) {
        Some(id) => id.to_string(),
        None => {
            let hash = Sha256::digest(entry.to_string().as_bytes());
            let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
            format!("unreadable-{hex}")
        }
    };
    keep_aside(conn, &id, &entry.to_string(), reason)
}

fn set_aside(conn: &Connection, entry: &Entry, reason: &str) -> Result<()> {
    let json = serde_json::to_string(entry).expect("entries serialise infallibly");
    keep_aside(conn, &entry.id, &json, reason)
}

/// One set-aside row: the same entry set aside again replaces its row.
fn keep_aside(conn: &Connection, id: &str, json: &str, reason: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO sync_set_aside (entry_id, entry, reason) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![id, json, reason])?;
    Ok(())
}

/// Tries the entries set aside again (one stamped a little ahead is taken in once its time has
/// come); returns how many were taken in.
fn retry_set_aside(conn: &Connection, intake: Intake) -> Result<u32> {
    let waiting: Vec<(String, String)> = conn
        .prepare_cached("SELECT entry_id, entry FROM sync_set_aside ORDER BY entry_id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut taken = 0;
    for (id, json) in waiting {
        let Ok(entry) = serde_json::from_str::<Entry>(&json) else {
            continue;
        };
        match ingest_batch(conn, std::slice::from_ref(&entry), intake)?.pop() {
            Some(Ok(outcome)) => {
                taken += u32::from(outcome == Ingested::New);
                conn.prepare_cached("DELETE FROM sync_set_aside WHERE entry_id = ?1")?
                    .execute([id])?;
            }
            Some(Err(e)) => {
                conn.prepare_cached("UPDATE sync_set_aside SET reason = ?2 WHERE entry_id = ?1")?
                    .execute(params![id, e.to_string()])?;
            }
            None => {}
        }
    }
    Ok(taken)
}

/// Ingests entries from elsewhere in arrival order, each checked on its own (one refused entry
/// does not refuse the others), and rebuilds the projections if a join arrived out of HLC order
/// among joins (see `ingest::joins_subjects`). Runs inside the caller's transaction.
pub fn ingest_batch(
    conn: &Connection,
    batch: &[Entry],
    intake: Intake,
) -> Result<Vec<Result<Ingested>>> {
    let mut latest_join = meta_get(conn, LATEST_JOIN)?.unwrap_or_default();
    let mut rebuild = false;
    let mut outcomes = Vec::with_capacity(batch.len());
    for entry in batch {
        let outcome = ingest::ingest(conn, entry, intake);
        // A failing store is not the entry's fault: the whole batch fails, to be tried again,
        // rather than the entry being marked rejected for good.
        if let Err(e @ (Error::Storage { .. } | Error::StorageFull { .. })) = outcome {
            return Err(e);
        }
        // An erasure removed entries: the projections are made again from what is left.
        if matches!(outcome, Ok(Ingested::New)) && entry.kind.rebuilds() {
            rebuild = true;
        }
        if matches!(outcome, Ok(Ingested::New)) && ingest::joins_subjects(entry) {
            if entry.recorded_at < latest_join {
                rebuild = true;
            } else {
                latest_join = entry.recorded_at.clone();
            }
        }
        outcomes.push(outcome);
    }
    if rebuild {
        kinds::rebuild(conn)?;
    }
    meta_set(conn, LATEST_JOIN, &latest_join)?;
    Ok(outcomes)
}

/// Notes a join recorded here (always the newest entry, so never out of order).
pub(crate) fn note_local_join(conn: &Connection, entry: &Entry) -> Result<()> {
    if ingest::joins_subjects(entry) {
        meta_set(conn, LATEST_JOIN, &entry.recorded_at)?;
    }
    Ok(())
}

pub(crate) fn digest_request(conn: &Connection, protocol: u32) -> Result<Request> {
    Ok(Request {
        token: token(conn)?,
        body: encode(&wire::DigestRequest {
            protocol,
            token: None,
        }),
    })
}

/// The request for the team's released citizens.
pub(crate) fn released_request(conn: &Connection) -> Result<Request> {
    Ok(Request {
        token: token(conn)?,
        body: encode(&wire::ReleasedRequest {
            protocol: wire::KEEP_PROTOCOL,
        }),
    })
}

/// A page of a citizen's history after sequence number `after`.
pub(crate) fn history_body(citizen: &str, after: u64) -> Vec<u8> {
    encode(&wire::HistoryRequest {
        protocol: wire::KEEP_PROTOCOL,
        citizen: citizen.to_string(),
        after,
        limit: wire::PULL_MAX_ENTRIES,
    })
}

/// A search among the team's citizens held at the centre only.
pub(crate) fn search_body(alias: &str) -> Vec<u8> {
    encode(&wire::SearchRequest {
        protocol: wire::KEEP_PROTOCOL,
        alias: alias.to_string(),
    })
}

/// A history's entries, read one by one as a pull's are: one this app cannot read is set aside
/// (counted as received), the rest returned for `purge::restore`.
pub(crate) fn history_entries(
    conn: &Connection,
    answer: &wire::HistoryAnswer,
) -> Result<Vec<Entry>> {
    let mut entries = Vec::with_capacity(answer.entries.len());
    for sequenced in &answer.entries {
        match <Entry as serde::Deserialize>::deserialize(&sequenced.entry) {
            Ok(entry) => entries.push(entry),
            Err(_) => set_aside_json(
                conn,
                &sequenced.entry,
                "an entry of a kind or form this app does not know; update the app",
            )?,
        }
    }
    Ok(entries)
}

/// Builds a digest from entry ids given in ascending order, one at a time, so that a journal of
/// any size is digested in constant memory.
#[derive(Default)]
pub struct DigestBuilder {
    hasher: Sha256,
    count: u64,
}

impl DigestBuilder {
    pub fn add(&mut self, id: &str) {
        self.hasher.update(id.as_bytes());
        self.hasher.update(b"\n");
        self.count += 1;
    }

    pub fn finish(self) -> Digest {
        let sha256 = self
            .hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Digest {
            count: self.count,
            sha256,
        }
    }
}

/// The digest of a set of entry ids given in ascending order.
pub fn digest_of<I: IntoIterator<Item = String>>(sorted_ids: I) -> Digest {
    let mut builder = DigestBuilder::default();
    for id in sorted_ids {
        builder.add(&id);
    }
    builder.finish()
}

/// The digest of the ids a query returns (it must order them), read row by row.
pub fn digest_query(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<Digest> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query(params)?;
    let mut builder = DigestBuilder::default();
    while let Some(row) = rows.next()? {
        builder.add(row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?);
    }
    Ok(builder.finish())
}

/// The phone's digest of what the centre should also hold: every entry, less own entries not yet
/// acknowledged and entries the centre refused, and with the centre's entries set aside here
/// (received, though not taken in: fetching them again would not change that) and the entries
/// the centre erased (their tombstones; the centre counts them too) and those purged from this
/// phone (their markers: held at the centre, `purge`).
pub(crate) fn local_digest(conn: &Connection, device: &str) -> Result<Digest> {
    // Kept from the last time, unless something it is computed from changed since (the
    // triggers of migration 0007 forget it then): an idle sync round costs the same whatever
    // the journal holds.
    if let Some((count, sha256)) = meta_get(conn, DIGEST)?
        .as_deref()
        .and_then(|v| v.split_once(':'))
        && let Ok(count) = count.parse()
    {
        let kept = Digest {
            count,
            sha256: sha256.to_string(),
        };
        // Every test run (debug builds) holds the kept digest to the journal's.
        #[cfg(debug_assertions)]
        assert_eq!(kept, computed_digest(conn, device)?, "a stale kept digest");
        return Ok(kept);
    }
    let keep = |conn: &Connection, digest: &Digest| {
        meta_set(conn, DIGEST, &format!("{}:{}", digest.count, digest.sha256))
    };
    if !conn.is_autocommit() {
        let digest = computed_digest(conn, device)?;
        let _ = keep(conn, &digest);
        return Ok(digest);
    }
    // Read and kept in one transaction: should another connection (the CLI on the same store)
    // write in between, keeping it fails and it is simply not kept. A store open for reading
    // only (a full disk) computes it every time.
    let tx = conn.unchecked_transaction()?;
    let digest = computed_digest(&tx, device)?;
    if keep(&tx, &digest).is_ok() {
        let _ = tx.commit();
    }
    Ok(digest)
}

/// `local_digest` computed from the journal, as the kept one must equal.
pub(crate) fn computed_digest(conn: &Connection, device: &str) -> Result<Digest> {
    digest_query(
        conn,
        "SELECT id FROM entries
         WHERE NOT (author_device = ?1 AND id > ?2)
           AND id NOT IN (SELECT entry_id FROM sync_rejected)
         UNION SELECT entry_id FROM sync_set_aside
         UNION SELECT entry_id FROM sync_acknowledged_ahead
         UNION SELECT entry_id FROM erased_entries WHERE counted = 1
         UNION SELECT entry_id FROM sync_purged_entries
         ORDER BY 1",
        params![device, pushed_through(conn)?],
    )
}

/// Forgets both marks so that the next round sends and fetches everything again; repeats are
/// harmless on both sides, so this repairs any divergence the digests showed.
pub(crate) fn reset_marks(conn: &Connection) -> Result<()> {
    conn.execute(
        "DELETE FROM meta WHERE key IN (?1, ?2)",
        params![CURSOR, PUSHED],
    )?;
    Ok(())
}

pub(crate) fn status(conn: &Connection, device: &str) -> Result<SyncStatus> {
    let token = meta_get(conn, TOKEN)?;
    let pending: i64 = conn.query_row(
        &format!(
            "SELECT count(*) FROM entries WHERE id > ?1 AND author_device = ?2 {NOT_ACKNOWLEDGED_AHEAD}"
        ),
        params![pushed_through(conn)?, device],
        |r| r.get(0),
    )?;
    let rejected: i64 = conn.query_row("SELECT count(*) FROM sync_rejected", [], |r| r.get(0))?;
    let set_aside: i64 = conn.query_row("SELECT count(*) FROM sync_set_aside", [], |r| r.get(0))?;
    // The oldest pending entry, as `SyncView::pending_subjects` defines pending: one device's ids
    // sort as its clock stamps do.
    let oldest: Option<String> = conn
        .prepare_cached(
            "SELECT e.recorded_at FROM entries e
             WHERE e.id > ?1 AND e.author_device = ?2
               AND NOT EXISTS (SELECT 1 FROM sync_rejected r WHERE r.entry_id = e.id)
               AND NOT EXISTS (SELECT 1 FROM sync_acknowledged_ahead a WHERE a.entry_id = e.id)
             ORDER BY e.id LIMIT 1",
        )?
        .query_row(params![pushed_through(conn)?, device], |r| r.get(0))
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })?;
    let oldest_ms = oldest
        .map(|text| Hlc::decode(&text).map(|h| h.wall_ms))
        .transpose()?;
    Ok(SyncStatus {
        oldest_unsent_at: oldest_ms
            .and_then(chrono::DateTime::from_timestamp_millis)
            .map(|t| Time::stored(journal::format_timestamp(t))),
        unsent_too_long: oldest_ms
            .is_some_and(|ms| waited_too_long(ms, clock::now().timestamp_millis())),
        enrolled: token.is_some(),
        centre: meta_get(conn, CENTRE)?,
        team: meta_get(conn, TEAM)?,
        pending: pending as u64,
        rejected: rejected as u64,
        set_aside: set_aside as u64,
        cursor: cursor(conn)?,
        clock_off_by_ms: clock_offset(conn)?,
        storage_full: false,
        at_centre: purge::at_centre(conn)?,
        erased_unsent: meta_get(conn, crate::meta::ERASED_UNSENT)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
    })
}

/// What the log needs to tell an entry's sync state.
pub struct SyncView {
    device: String,
    pushed_through: String,
}

impl SyncView {
    pub fn load(conn: &Connection) -> Result<Self> {
        Ok(SyncView {
            device: meta_get(conn, crate::meta::DEVICE_ID)?.unwrap_or_default(),
            pushed_through: pushed_through(conn)?,
        })
    }

    pub fn state(&self, conn: &Connection, entry: &Entry) -> Result<SyncState> {
        if entry.author_device != self.device {
            return Ok(SyncState::Synced);
        }
        let rejected: bool = conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM sync_rejected WHERE entry_id = ?1)")?
            .query_row([&entry.id], |r| r.get(0))?;
        let acknowledged_ahead = || -> Result<bool> {
            Ok(conn
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM sync_acknowledged_ahead WHERE entry_id = ?1)",
                )?
                .query_row([&entry.id], |r| r.get(0))?)
        };
        Ok(if rejected {
            SyncState::Rejected
        } else if *entry.id <= *self.pushed_through || acknowledged_ahead()? {
            SyncState::Synced
        } else {
            SyncState::Pending
        })
    }
    /// The subjects of this device's own entries not yet at the centre (pending: above the push
    /// watermark, not refused, not acknowledged ahead), one per entry. Few (only what was recorded
    /// since the last sync) and read by the id's range, so the persons list can mark each person
    /// with something not sent (review finding M7).
    pub fn pending_subjects(&self, conn: &Connection) -> Result<Vec<String>> {
        Ok(conn
            .prepare_cached(
                "SELECT e.subject FROM entries e
                 WHERE e.id > ?1 AND e.author_device = ?2
                   AND NOT EXISTS (SELECT 1 FROM sync_rejected r WHERE r.entry_id = e.id)
                   AND NOT EXISTS (SELECT 1 FROM sync_acknowledged_ahead a WHERE a.entry_id = e.id)",
            )?
            .query_map([&self.pushed_through, &self.device], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }
}

/// Erases everything recorded on this device (after the centre revoked it): the journal, every
/// projection and the sync state. Pages are overwritten, not just freed, and the file shrunk.
pub(crate) fn wipe(conn: &Connection) -> Result<()> {
    conn.execute_batch("PRAGMA secure_delete = ON;")?;
    let tx = conn.unchecked_transaction()?;
    // Every table but `meta` (the device's identity), read from the schema itself: a table a
    // later migration adds is emptied without being named here. A virtual table (full-text
    // search) is emptied through itself, never through its shadow tables.
    let tables: Vec<String> = tx
        .prepare(
            "SELECT name FROM pragma_table_list
             WHERE schema = 'main' AND type IN ('table', 'virtual')
               AND name <> 'meta' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for table in tables {
        tx.execute(&format!("DELETE FROM \"{table}\""), [])?;
    }
    tx.execute(
        "DELETE FROM meta WHERE key LIKE 'sync_%' OR key IN (?1, ?2, ?3, ?4)",
        [
            LATEST_JOIN,
            crate::meta::ROSTER,
            crate::meta::CHECKIN_ALERTS,
            crate::meta::CHECKIN_CODES,
        ],
    )?;
    tx.commit()?;
    conn.execute_batch("VACUUM;")?;
    // The erased pages must leave the write-ahead log too. The screens' reads are held off by
    // the caller; a checkpoint that still cannot finish is said, never passed over.
    for attempt in 0..5 {
        if crate::db::checkpoint_whole(conn)? {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(100 << attempt));
    }
    Err(Error::storage(
        "the records are erased, but their encrypted pages stay in the store's log until the app is closed",
    ))
}

#[cfg(test)]
mod unsent_tests {
    use super::*;

    #[test]
    fn an_entry_waits_too_long_past_the_threshold_only() {
        let hour = 60 * 60 * 1000;
        let now = 1_800_000_000_000;
        assert!(!waited_too_long(now - UNSENT_TOO_LONG_HOURS * hour, now));
        assert!(waited_too_long(now - UNSENT_TOO_LONG_HOURS * hour - 1, now));
        assert!(!waited_too_long(now, now));
    }
}

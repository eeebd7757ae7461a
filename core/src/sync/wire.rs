//! The sync wire format, versions 1 and 2: the JSON bodies phones and the centre exchange.
//! Documented for people in `docs/sync-protocol.md`; the centre and the phones both use these
//! types, so the two sides cannot drift.
//!
//! Version 2 moves the device token out of the body into an `Authorization: Bearer` header (so
//! the centre knows who is asking before it inflates a body), and adds the centre's time to its
//! answers (so a phone learns that its clock is wrong). A centre answers a version-1 request in
//! version 1's exact shape: the fields version 2 added are left out, since phones of version 1
//! refuse fields they do not know. Phones of version 2 read answers tolerantly, so a later
//! centre may add fields without stranding them.

use serde::{Deserialize, Serialize};

use crate::journal::Entry;

/// The protocol version this build's phones speak to every endpoint but `pull`.
pub const PROTOCOL: u32 = 2;
/// The version a phone pulls with: from 3, a pull leaves out the phone's own entries (it has
/// them) and covers a range of sequence numbers, so that pages can be asked for side by side
/// (see `PullRequest`). A centre that does not know it refuses it, and the phone pulls with
/// `PROTOCOL` (see `engine`).
pub const PULL_PROTOCOL: u32 = 3;
/// The version whose digest answer carries the hash of the team's released citizens (issue 17,
/// `sync::purge`), and which `released`, `history` and `search` speak. A centre that does not
/// know it refuses it, and the phone asks the digest with `PROTOCOL` and purges nothing.
pub const KEEP_PROTOCOL: u32 = 4;
/// The newest version the centre answers.
pub const LATEST_PROTOCOL: u32 = 4;
/// The oldest version the centre still answers (phones are updated over weeks, after the centre).
pub const MIN_PROTOCOL: u32 = 1;

/// Bounds of one push batch: a request stays small enough for a weak mobile link.
pub const PUSH_MAX_ENTRIES: usize = 200;
pub const PUSH_MAX_BYTES: usize = 256 * 1024;
/// How many entries the centre sends in one pull answer at most, and about how many bytes of
/// them (always at least one entry).
pub const PULL_MAX_ENTRIES: u32 = 500;
pub const PULL_MAX_BYTES: usize = 4 * 1024 * 1024;
/// The largest push body the centre reads, and the most it inflates one to. A phone's batch is
/// at most `PUSH_MAX_BYTES` of payloads plus one entry, so these leave room and no more.
pub const PUSH_MAX_BODY_BYTES: usize = 1024 * 1024;
pub const PUSH_MAX_INFLATED_BYTES: usize = 2 * 1024 * 1024;
/// The largest body of every other request (enrol, pull, digest), before and after inflating:
/// a few hundred bytes in practice.
pub const SMALL_MAX_BODY_BYTES: usize = 16 * 1024;

/// Bodies are JSON, sent zlib-compressed (RFC 1950). A body whose first byte is `{` is plain JSON
/// and is read as such, so a person with `curl` can still talk to the centre; a zlib stream
/// starts with a zlib header (`is_compressed`). Batches of entries repeat their field names, device ids and clock prefixes,
/// so they shrink several-fold: on a mobile link the bytes are the cost.
pub fn compress(json: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(json.len() / 3),
        flate2::Compression::default(),
    );
    encoder.write_all(json).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

/// Whether a body is zlib-compressed: it starts with a zlib header (RFC 1950: deflate with a
/// 32 KiB window, 0x78, and a second byte that makes the pair a multiple of 31), which no JSON
/// text starts with. A body that merely starts with the letter `x` is not compressed, so it is
/// refused as malformed JSON (400), answered plainly, not taken for a broken stream.
pub fn is_compressed(body: &[u8]) -> bool {
    match body {
        [0x78, flags, ..] => ((0x78u16 << 8) | u16::from(*flags)).is_multiple_of(31),
        _ => false,
    }
}

/// Why a body could not be read (`inflate_checked`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreadable {
    /// A compressed body whose stream is broken: malformed, as bad JSON is.
    Broken,
    /// Larger than `limit` bytes once inflated (or as it is).
    TooLarge,
}

/// The JSON text of a body, compressed or not, or why it cannot be had. Inflating is CPU work
/// proportional to `limit`: the centre does it off its async runtime, after authenticating where
/// the protocol lets it.
pub fn inflate_checked(
    body: &[u8],
    limit: usize,
) -> Result<std::borrow::Cow<'_, [u8]>, Unreadable> {
    use std::io::Read;
    if !is_compressed(body) {
        return if body.len() <= limit {
            Ok(std::borrow::Cow::Borrowed(body))
        } else {
            Err(Unreadable::TooLarge)
        };
    }
    let mut out = Vec::with_capacity((body.len() * 4).min(limit));
    let mut decoder = flate2::read::ZlibDecoder::new(body).take((limit as u64).saturating_add(1));
    decoder
        .read_to_end(&mut out)
        .map_err(|_| Unreadable::Broken)?;
    if out.len() <= limit {
        Ok(std::borrow::Cow::Owned(out))
    } else {
        Err(Unreadable::TooLarge)
    }
}

/// `inflate_checked`, for a reader to whom both reasons are one: `None` if the body cannot be
/// read.
pub fn inflate(body: &[u8], limit: usize) -> Option<std::borrow::Cow<'_, [u8]>> {
    inflate_checked(body, limit).ok()
}

/// The most a phone reads of a centre's answer once inflated: a pull answer is at most
/// `PULL_MAX_BYTES` and one entry.
pub const ANSWER_MAX_INFLATED_BYTES: usize = 16 * 1024 * 1024;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrolRequest {
    pub protocol: u32,
    pub code: String,
    pub device_id: String,
    pub device_name: String,
    pub worker: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrolResponse {
    pub protocol: u32,
    pub token: String,
    pub team: String,
    /// The centre's clock (version 2), RFC 3339 with milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub centre_time: Option<String>,
}

/// In version 1 the device token travels in every body; in version 2 it is in the
/// `Authorization` header and absent here.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    pub protocol: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    pub entries: Vec<Entry>,
}

/// A push as the centre reads it: each entry left as its JSON text until it is read on its own,
/// so that an entry of a newer kind or format (from a phone updated before the centre) is held
/// instead of making the whole request unreadable. The same shape as `PushRequest`. The entries
/// stay text (not a parsed tree) so that reading a request costs no more memory than its body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushArrival {
    pub protocol: u32,
    #[serde(default)]
    pub token: Option<String>,
    pub entries: Vec<Box<serde_json::value::RawValue>>,
}

/// One pushed entry, as the receiver can read it.
#[derive(Debug, Clone, PartialEq)]
pub enum Pushed {
    /// An entry of a kind and format this build knows.
    Entry(Entry),
    /// An entry of a newer kind or schema version than this build knows, with what identifies
    /// it; kept whole as it came, never read further.
    Newer(NewerEntry),
}

impl Pushed {
    pub fn id(&self) -> &str {
        match self {
            Pushed::Entry(e) => &e.id,
            Pushed::Newer(n) => &n.id,
        }
    }

    pub fn author(&self) -> (&str, &str) {
        match self {
            Pushed::Entry(e) => (&e.author_device, &e.author_worker),
            Pushed::Newer(n) => (&n.author_device, &n.author_worker),
        }
    }

    /// The clock stamp it was recorded at (the HLC's text).
    pub fn recorded_at(&self) -> &str {
        match self {
            Pushed::Entry(e) => &e.recorded_at,
            Pushed::Newer(n) => &n.recorded_at,
        }
    }

    /// The bytes it costs against a device's quota: an entry's payload, a newer entry whole.
    pub fn size(&self) -> usize {
        match self {
            Pushed::Entry(e) => e.payload.len(),
            Pushed::Newer(n) => n.json.len(),
        }
    }
}

/// What a receiver can tell of an entry newer than it: enough to hold it for its author and
/// its team, hold it to the time bounds, and take it in once updated.
#[derive(Debug, Clone, PartialEq)]
pub struct NewerEntry {
    pub id: String,
    pub kind: String,
    pub schema_version: u32,
    pub subject: String,
    pub author_worker: String,
    pub author_device: String,
    pub recorded_at: String,
    /// The entry's JSON exactly as it arrived.
    pub json: String,
}

/// The fields every entry has had since the first version, read from a newer one.
#[derive(Deserialize)]
struct EntryHeader {
    id: String,
    kind: String,
    schema_version: u32,
    subject: String,
    author_worker: String,
    author_device: String,
    recorded_at: String,
}

/// The largest newer entry a receiver keeps: a phone's whole batch of payloads, and its fields.
pub const NEWER_ENTRY_MAX_BYTES: usize = PUSH_MAX_BYTES + 4 * 1024;

/// Reads one pushed entry from its JSON text. An entry this build reads whole is an `Entry`
/// unless its schema version is newer than this build's; an entry of a newer version, or one it
/// cannot read whose kind it does not know, is `Newer` if it has every field an entry has always
/// had, its ids in their form, and is not larger than a phone's batch. Anything else is
/// malformed, and an error.
pub fn read_pushed(text: &str) -> crate::error::Result<Pushed> {
    use crate::error::Error;
    use crate::journal::{self, EntryKind, PAYLOAD_VERSION};
    let read = serde_json::from_str::<Entry>(text);
    if let Ok(entry) = &read
        && entry.schema_version <= PAYLOAD_VERSION
    {
        return Ok(Pushed::Entry(read.expect("checked just above")));
    }
    let malformed = || Error::invalid("entries", "an entry is malformed");
    let h: EntryHeader = serde_json::from_str(text).map_err(|_| malformed())?;
    let kind_like = !h.kind.is_empty()
        && h.kind.len() <= 64
        && h.kind
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '.' || c == '-' || c == '_');
    let newer = match read {
        Ok(_) => true,
        Err(_) => {
            (kind_like && EntryKind::parse(&h.kind).is_err()) || h.schema_version > PAYLOAD_VERSION
        }
    };
    let ids_fit = journal::entry_id("id", &h.id).is_ok()
        && journal::entry_id("subject", &h.subject).is_ok()
        && journal::entry_id("author_device", &h.author_device).is_ok()
        && crate::clock::Hlc::decode(&h.recorded_at).is_ok();
    if !(newer && ids_fit && kind_like && text.len() <= NEWER_ENTRY_MAX_BYTES) {
        return Err(malformed());
    }
    Ok(Pushed::Newer(NewerEntry {
        id: h.id,
        kind: h.kind,
        schema_version: h.schema_version,
        subject: h.subject,
        author_worker: h.author_worker,
        author_device: h.author_device,
        recorded_at: h.recorded_at,
        json: text.to_string(),
    }))
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PushStatus {
    /// Newly stored under the sequence number given.
    Accepted,
    /// Already stored (a repeated request): acknowledged again, not stored twice.
    Duplicate,
    /// Refused for good (the entry breaks a rule); the phone keeps it and shows why.
    Rejected,
    /// Of a newer kind or format than the centre knows: kept whole, unread and not passed on,
    /// until the centre is updated and takes it in. Acknowledged: the phone need not send it
    /// again.
    Held,
}

/// Read by phones: fields a newer centre adds are ignored (as in every answer).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResult {
    pub id: String,
    pub status: PushStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The results of a push, in the order the entries were sent. The centre may answer for a
/// prefix of the batch only (an entry stamped ahead of its clock, or the device's quota, stops
/// it there); the rest is sent again and then refused as a whole, with the reason.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    pub protocol: u32,
    pub results: Vec<PushResult>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub centre_time: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullRequest {
    pub protocol: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// The last centre sequence number the phone has applied (0 for none).
    pub after: u64,
    /// Up to 2: at most this many entries. From 3: the sequence numbers `after + 1` to
    /// `after + limit`, less the phone's own entries (a team's numbers have no gaps since the
    /// centre's hardening; on a store older than that a range may hold fewer entries).
    pub limit: u32,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sequenced {
    pub seq: u64,
    pub entry: Entry,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    pub protocol: u32,
    pub entries: Vec<Sequenced>,
    /// Whether more entries follow after the last one sent (from 3: after `through`).
    pub more: bool,
    /// From 3: the last sequence number this answer covers, the phone's next `after`: beyond
    /// the last entry sent when the phone's own entries were left out, and short of the range
    /// asked for when the answer's size bound cut it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub through: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub centre_time: Option<String>,
    /// The team's roster: the workers a phone may name as a colleague or a responsible worker
    /// (issue 15; a centre before it sends none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roster: Option<Vec<String>>,
    /// The team's check-ins the centre is escalating that have reached this phone's worker
    /// (issue 15): from protocol 2 with every answer, empty when there are none, so a phone
    /// forgets an alert once it is over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkins: Option<Vec<crate::kinds::checkins::CheckinAlert>>,
    /// The operator asked this phone to rotate its device token (`POST /v1/token`); said with
    /// every answer (from protocol 2) until the phone has used a new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotate_token: Option<bool>,
}

/// A pull answer as a phone reads it: each entry left as JSON until it is taken in on its own, so
/// that one entry this app cannot read (a kind or a format from a newer version, made by phones
/// already updated) is set aside instead of making the whole answer unreadable. The same shape as
/// `PullResponse`, and fields a newer centre adds are ignored.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PullAnswer {
    pub protocol: u32,
    pub entries: Vec<SequencedJson>,
    pub more: bool,
    #[serde(default)]
    pub through: Option<u64>,
    #[serde(default)]
    pub centre_time: Option<String>,
    #[serde(default)]
    pub roster: Option<Vec<String>>,
    #[serde(default)]
    pub checkins: Option<Vec<crate::kinds::checkins::CheckinAlert>>,
    #[serde(default)]
    pub rotate_token: Option<bool>,
}

/// A history answer as a phone reads it: like `PullAnswer`, each entry left as JSON.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct HistoryAnswer {
    pub protocol: u32,
    pub entries: Vec<SequencedJson>,
    pub more: bool,
}

/// One entry of a `PullAnswer`, not yet read.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SequencedJson {
    pub seq: u64,
    pub entry: serde_json::Value,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigestRequest {
    pub protocol: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

/// A summary of a set of entries: equal digests mean equal sets of entry ids.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
pub struct Digest {
    pub count: u64,
    /// SHA-256 over the sorted entry ids, each followed by a newline, in hex.
    pub sha256: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DigestResponse {
    pub protocol: u32,
    pub digest: Digest,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub centre_time: Option<String>,
    /// From 4: the hash of the team's released citizens (`sync::purge::released_hash`); the
    /// phone asks for the list (`released`) when it differs from the one it holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub released: Option<String>,
}

/// `POST /v1/token`: the phone asks for a new device token, its current one in the
/// `Authorization` header (version 2 and later only; there is no version-1 form).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    pub protocol: u32,
}

/// A new device token. The centre keeps it beside the current one, and both are accepted until
/// the phone first uses the new one, which then replaces the old; asked again before that, the
/// centre makes another, which replaces the unused one.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenResponse {
    pub protocol: u32,
    pub token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub centre_time: Option<String>,
}

/// `POST /v1/released` (from 4): the citizens of the phone's team whose entries its phones no
/// longer need to hold (the centre's rule, `kinds::keep`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleasedRequest {
    pub protocol: u32,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleasedResponse {
    pub protocol: u32,
    /// The citizens (each by the id kept after merges), sorted.
    pub released: Vec<String>,
    /// `sync::purge::released_hash` of the list.
    pub hash: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub centre_time: Option<String>,
}

/// `POST /v1/history` (from 4): everything the centre holds about one citizen of the phone's
/// team (under any of their ids), in sequence order, a page at a time: a citizen who came back,
/// or one the worker asked for.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryRequest {
    pub protocol: u32,
    pub citizen: String,
    /// The last sequence number received (0 for the first page).
    pub after: u64,
    pub limit: u32,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryResponse {
    pub protocol: u32,
    pub entries: Vec<Sequenced>,
    pub more: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub centre_time: Option<String>,
}

/// `POST /v1/search` (from 4): the citizens of the phone's team whose history is held at the
/// centre only (released from the phones), by a part of their nickname: what the worker finds
/// online when a citizen met again is not on the phone.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchRequest {
    pub protocol: u32,
    pub alias: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
pub struct CitizenAtCentre {
    pub citizen: String,
    pub alias: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResponse {
    pub protocol: u32,
    pub found: Vec<CitizenAtCentre>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub centre_time: Option<String>,
}

/// The body of every refusal (with a 4xx or 5xx status). Version 1's fields always; version 2's
/// only in answers to version 2.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub protocol: u32,
    pub error: String,
    pub message: String,
    /// The device is revoked: erase what it holds.
    #[serde(default)]
    pub wipe: bool,
    /// Why a device was revoked (version 2): `lost` (erase at once) or `retired` (what it has
    /// not yet sent is taken in first; a phone that still holds unsent entries does not erase).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation: Option<String>,
    /// The centre's clock (version 2): with `clock-ahead`, how a phone tells how far off it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub centre_time: Option<String>,
    /// When to try again, in seconds (version 2; also the `Retry-After` header).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_s: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_compressed_only_with_a_zlib_header() {
        let compressed = compress(b"{\"protocol\": 4}");
        assert!(is_compressed(&compressed));
        assert_eq!(
            inflate_checked(&compressed, 1024).unwrap().as_ref(),
            b"{\"protocol\": 4}"
        );
        // The letter x (0x78) alone, or before anything but a valid second byte: plain text,
        // refused later as JSON (schemathesis sent "x" and got 413 with a deflated answer).
        assert!(!is_compressed(b"x"));
        assert!(!is_compressed(b"x{}"));
        assert_eq!(inflate_checked(b"x", 1024).unwrap().as_ref(), b"x");
        assert!(!is_compressed(b"{}"));
        // A zlib header over a broken stream is broken, not too large; too large is too large.
        assert_eq!(
            inflate_checked(&[0x78, 0x9c, 1, 2, 3], 1024),
            Err(Unreadable::Broken)
        );
        assert_eq!(
            inflate_checked(&compress(&[b' '; 2048]), 1024),
            Err(Unreadable::TooLarge)
        );
        assert_eq!(
            inflate_checked(&[b' '; 2048], 1024),
            Err(Unreadable::TooLarge)
        );
    }
}

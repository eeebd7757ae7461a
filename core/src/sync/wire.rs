//! The sync wire format, version 1: the JSON bodies phones and the centre exchange. Documented
//! for people in `docs/sync-protocol.md`; the centre and the phones both use these types, so the
//! two sides cannot drift.

use serde::{Deserialize, Serialize};

use crate::journal::Entry;

/// The protocol version this build speaks. A body with another version is refused (4xx).
pub const PROTOCOL: u32 = 1;

/// Bounds of one push batch: a request stays small enough for a weak mobile link.
pub const PUSH_MAX_ENTRIES: usize = 200;
pub const PUSH_MAX_BYTES: usize = 256 * 1024;
/// How many entries the centre sends in one pull answer at most.
pub const PULL_MAX_ENTRIES: u32 = 500;
/// The largest request body the centre reads.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;
/// The largest a compressed body may grow to when inflated (a guard against zip bombs).
pub const MAX_INFLATED_BYTES: u64 = 32 * 1024 * 1024;

/// Bodies are JSON, sent zlib-compressed (RFC 1950). A body whose first byte is `{` is plain JSON
/// and is read as such, so a person with `curl` can still talk to the centre; a zlib stream
/// starts with 0x78. Batches of entries repeat their field names, device ids and clock prefixes,
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

/// The JSON text of a body, compressed or not; `None` if it is neither, or inflates past the
/// limit.
pub fn inflate(body: &[u8]) -> Option<std::borrow::Cow<'_, [u8]>> {
    use std::io::Read;
    match body.first() {
        Some(0x78) => {
            let mut out = Vec::with_capacity(body.len() * 4);
            let mut decoder = flate2::read::ZlibDecoder::new(body).take(MAX_INFLATED_BYTES + 1);
            decoder.read_to_end(&mut out).ok()?;
            (out.len() as u64 <= MAX_INFLATED_BYTES).then_some(std::borrow::Cow::Owned(out))
        }
        _ => Some(std::borrow::Cow::Borrowed(body)),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrolRequest {
    pub protocol: u32,
    pub code: String,
    pub device_id: String,
    pub device_name: String,
    pub worker: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrolResponse {
    pub protocol: u32,
    pub token: String,
    pub team: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    pub protocol: u32,
    pub token: String,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PushStatus {
    /// Newly stored under the sequence number given.
    Accepted,
    /// Already stored (a repeated request): acknowledged again, not stored twice.
    Duplicate,
    /// Refused for good (the entry breaks a rule); the phone keeps it and shows why.
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushResult {
    pub id: String,
    pub status: PushStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushResponse {
    pub protocol: u32,
    pub results: Vec<PushResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullRequest {
    pub protocol: u32,
    pub token: String,
    /// The last centre sequence number the phone has applied (0 for none).
    pub after: u64,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sequenced {
    pub seq: u64,
    pub entry: Entry,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullResponse {
    pub protocol: u32,
    pub entries: Vec<Sequenced>,
    /// Whether more entries follow after the last one sent.
    pub more: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigestRequest {
    pub protocol: u32,
    pub token: String,
}

/// A summary of a set of entries: equal digests mean equal sets of entry ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields)]
pub struct Digest {
    pub count: u64,
    /// SHA-256 over the sorted entry ids, each followed by a newline, in hex.
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigestResponse {
    pub protocol: u32,
    pub digest: Digest,
}

/// The body of every refusal (with a 4xx or 5xx status).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorBody {
    pub protocol: u32,
    pub error: String,
    pub message: String,
    /// The device is revoked: erase what it holds.
    #[serde(default)]
    pub wipe: bool,
}

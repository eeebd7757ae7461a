//! The journal: what an entry is, its kinds (`EntryKind`, from the registry), and the rules every
//! kind's payload draws on (names, text limits, ids, stated times).
//!
//! Every recorded fact is an immutable entry. Its payload is JSON, validated by its kind (in
//! `kinds/`) on the phone when it is recorded and again wherever it arrives (the centre, another
//! phone), so a malformed entry can never reach a projection. Corrections are entries too
//! (`entry.amended`, `entry.voided`): nothing is edited in place. This module does no I/O.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};
pub use crate::ids::{DeviceId, EntryId, SubjectId};
use crate::vocabulary::Label;

/// The kinds of journal entry, made from the registry's lines (their codes and titles).
macro_rules! entry_kind_vocabulary {
    ( $( $variant:ident = $code:literal, $da:literal, $en:literal
         => $module:ident :: { $payload:ident, $content:ident, $input:ident $(, $correction:ident)? }; )+ ) => {
        crate::vocabulary::vocabulary! {
            /// The kinds of journal entry; the labels title the entries of a person's timeline.
            EntryKind, "entry kind" {
                $( $variant = $code, $da, $en; )+
            }
        }
    };
}
crate::registry::with_kinds!(entry_kind_vocabulary);

/// The newest payload version this build reads and writes.
///
/// 2 (issues 14 and 15, released together): new codes in the contact's vocabularies (place
/// kinds, contact kinds, outcomes, the meeting) and its safety fields (announced, the worker's
/// judgement, the warnings given), the screening's answers as `met`/`not-met`/`unknown`, the
/// stages' new scales, the questionnaires and incidents. A receiver that knows only 1 could not read such an entry and would refuse
/// it for good; stamped 2, it holds it (`sync::wire::read_pushed`) until it is updated. Each entry
/// is stamped with the oldest version that reads it (`Kind::schema_version`), so an entry with
/// none of version 2's content (a Brøset check, a plain contact) still reaches a colleague whose
/// app is not yet updated. Entries of version 1 read as they always did.
///
/// 3 (issue 15's map): the areas, places and rounds of Bilag 2B, a contact's place of the
/// register (`place_id`) and the place rules' warnings.
pub const PAYLOAD_VERSION: u32 = 3;

/// One immutable journal entry, exactly as stored and as sent over the wire.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// UUIDv7 made on the device that recorded it: the idempotency key everywhere.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: EntryId,
    pub kind: EntryKind,
    pub schema_version: u32,
    /// The person (or unknown citizen) the entry is about.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub subject: SubjectId,
    pub author_worker: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub author_device: DeviceId,
    /// When it happened, as the worker states it (RFC 3339, UTC, milliseconds).
    pub occurred_at: String,
    /// When it was recorded, as a hybrid logical clock timestamp (see `clock`).
    pub recorded_at: String,
    /// The kind's payload as JSON text.
    pub payload: String,
}

/// An entry's kind on the wire: one of the registry's codes.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for EntryKind {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "The entry's kind: one of the registry's codes (core/src/registry.rs).",
            ))
            .enum_values(Some(EntryKind::ALL.iter().map(|k| k.code())))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for EntryKind {}

/// Removes anything between double quotes except known field names, so a serde message cannot
/// carry a recorded value into a log.
pub(crate) fn redact_quoted(message: &str) -> String {
    let mut out = String::new();
    let mut parts = message.split('"');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for (i, part) in parts.enumerate() {
        if i % 2 == 0 {
            let looks_like_field = !part.is_empty()
                && part.len() <= 32
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c == '-' || c.is_ascii_digit());
            out.push('`');
            out.push_str(if looks_like_field { part } else { "…" });
            out.push('`');
        } else {
            out.push_str(part);
        }
    }
    out
}

pub const LIMIT_ALIAS: usize = 100;
pub const LIMIT_SHORT: usize = 300;
pub const LIMIT_LONG: usize = 2_000;
pub const LIMIT_NOTE: usize = 8_000;
pub const MIN_BIRTH_YEAR: i32 = 1900;

/// A name people compare by eye (a team, a worker, a device, a citizen's alias), as it is to be
/// stored: trimmed and in Unicode NFC, so that "Nørrebro" typed on two keyboards is one team.
/// Refuses what `name_rules` refuses.
pub fn name(field: &str, text: &str, limit: usize) -> Result<String> {
    use unicode_normalization::UnicodeNormalization;
    let normalised: String = text.trim().nfc().collect();
    name_rules(field, &normalised, limit)?;
    Ok(normalised)
}

/// The rules of a name wherever it arrives: not empty, within its limit, and free of control
/// and invisible format characters (zero-width spaces and non-joiners, bidi overrides and
/// isolates, the byte-order mark, soft hyphens), which would make two names that look alike
/// differ, or a name display other than it reads. Emoji are names too on a street ("🐈‍⬛" for
/// the man with the black cat): the joiner inside an emoji sequence and the tags of a
/// subdivision flag are visible parts of one picture, and pass.
pub fn name_rules(field: &str, text: &str, limit: usize) -> Result<()> {
    required_text(field, text, limit)?;
    let chars: Vec<char> = text.chars().collect();
    if (0..chars.len()).any(|i| hidden_at(&chars, i)) {
        return Err(Error::invalid(
            field,
            "contains invisible format or direction characters",
        ));
    }
    Ok(())
}

/// Whether the character at `i` is one a reader cannot see, given its neighbours.
fn hidden_at(chars: &[char], i: usize) -> bool {
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    let c = chars[i];
    if c.is_control() {
        return true;
    }
    if c.general_category() != GeneralCategory::Format {
        return false;
    }
    match c {
        // The zero-width joiner between two pictographs: 👨‍👩‍👧, 🐈‍⬛, ❤️‍🔥.
        '\u{200D}' => !joins_pictographs(chars, i),
        // A tag inside a whole subdivision flag: 🏴 + "gbsct" + cancel tag.
        '\u{E0020}'..='\u{E007F}' => !in_flag_tags(chars, i),
        _ => true,
    }
}

/// A visible emoji symbol (not a joiner or a variation selector).
fn pictograph(c: char) -> bool {
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    matches!(
        c.general_category(),
        GeneralCategory::OtherSymbol | GeneralCategory::ModifierSymbol
    )
}

/// Whether the joiner at `i` stands between a pictograph (with its emoji presentation selector,
/// if it has one) and another pictograph.
fn joins_pictographs(chars: &[char], i: usize) -> bool {
    let before = match i.checked_sub(1).map(|j| chars[j]) {
        Some('\u{FE0F}') => i >= 2 && pictograph(chars[i - 2]),
        Some(c) => pictograph(c),
        None => false,
    };
    before && chars.get(i + 1).is_some_and(|c| pictograph(*c))
}

/// Whether the tag at `i` belongs to a complete subdivision flag: the black flag, two to seven
/// tag letters or digits, and the cancel tag.
fn in_flag_tags(chars: &[char], i: usize) -> bool {
    let tag = |c: char| ('\u{E0020}'..='\u{E007F}').contains(&c);
    let mut start = i;
    while start > 0 && tag(chars[start - 1]) {
        start -= 1;
    }
    let mut end = i;
    while end + 1 < chars.len() && tag(chars[end + 1]) {
        end += 1;
    }
    let letters = &chars[start..end];
    start >= 1
        && chars[start - 1] == '\u{1F3F4}'
        && chars[end] == '\u{E007F}'
        && (2..=7).contains(&letters.len())
        && letters
            .iter()
            .all(|c| matches!(c, '\u{E0030}'..='\u{E0039}' | '\u{E0061}'..='\u{E007A}'))
}

pub fn required_text(field: &str, text: &str, limit: usize) -> Result<()> {
    if text.trim().is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    optional_text(field, Some(text), limit)
}

pub fn optional_text(field: &str, text: Option<&str>, limit: usize) -> Result<()> {
    if let Some(t) = text {
        if t.chars().count() > limit {
            return Err(Error::invalid(
                field,
                format!("longer than {limit} characters"),
            ));
        }
        if t.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            return Err(Error::invalid(field, "contains control characters"));
        }
    }
    Ok(())
}

pub fn birth_year(year: Option<i32>) -> Result<()> {
    if let Some(y) = year {
        let this_year = chrono::Datelike::year(&crate::clock::now());
        if !(MIN_BIRTH_YEAR..=this_year).contains(&y) {
            return Err(Error::invalid(
                "birth_year",
                format!("must be between {MIN_BIRTH_YEAR} and {this_year}"),
            ));
        }
    }
    Ok(())
}

pub(crate) fn instrument_version(field: &str, got: u32, known: u32) -> Result<()> {
    if got == 0 || got > known {
        return Err(Error::invalid(
            field,
            format!("unknown instrument version {got} (this build knows up to {known})"),
        ));
    }
    Ok(())
}

/// Entry and subject ids are UUIDs; the canonical hyphenated lower-case form only.
pub fn entry_id(field: &str, id: &str) -> Result<()> {
    match uuid::Uuid::parse_str(id) {
        Ok(u) if u.hyphenated().to_string() == id => Ok(()),
        _ => Err(Error::invalid(
            field,
            "not an id (a UUID in lower-case hyphenated form)",
        )),
    }
}

pub(crate) fn optional_id(field: &str, id: Option<&str>) -> Result<()> {
    id.map_or(Ok(()), |id| entry_id(field, id))
}

/// A new id for a person or an unknown citizen: a UUIDv7 on this device's clock, made without
/// `Uuid::now_v7`, which panics on a clock before 1970.
pub fn new_id() -> String {
    let now = crate::clock::now();
    let ts = uuid::Timestamp::from_unix(
        uuid::NoContext,
        now.timestamp().max(0) as u64,
        now.timestamp_subsec_nanos(),
    );
    uuid::Uuid::new_v7(ts).hyphenated().to_string()
}

/// The id of an entry stamped `hlc`: a UUIDv7 whose timestamp is the HLC's wall time and whose
/// 12-bit counter field is the HLC's counter (RFC 9562 §6.2, method 1), then random bits. Among
/// one device's entries, id order is HLC order, so the journal's primary key is also its
/// recording order, and "what this device recorded since" is a range of it.
///
/// A wall time outside 0..=`clock::MAX_WALL_MS` is refused: the id's 48 bits would silently
/// wrap it (to `00000000-…`), and the entry would neither sort nor sync as its clock says.
pub fn entry_id_for(hlc: &crate::clock::Hlc) -> Result<EntryId> {
    if !(0..=crate::clock::MAX_WALL_MS).contains(&hlc.wall_ms) {
        return Err(Error::ClockWrong {
            detail: "a clock stamp lies outside what an entry id can carry".into(),
        });
    }
    let mut tail = [0u8; 10];
    tail.copy_from_slice(&uuid::Uuid::new_v4().as_bytes()[6..16]);
    tail[0] = ((hlc.counter >> 8) & 0x0f) as u8;
    tail[1] = (hlc.counter & 0xff) as u8;
    Ok(EntryId::stored(
        uuid::Builder::from_unix_timestamp_millis(hlc.wall_ms as u64, &tail)
            .into_uuid()
            .hyphenated()
            .to_string(),
    ))
}

/// The smallest entry id that can have been made at or after `wall_ms`.
pub fn entry_id_lower_bound(wall_ms: i64) -> String {
    let ms = wall_ms.clamp(0, crate::clock::MAX_WALL_MS) as u64;
    format!(
        "{:08x}-{:04x}-0000-0000-000000000000",
        ms >> 16,
        ms & 0xffff
    )
}

/// Normalises a stated time to RFC 3339 UTC with milliseconds, which sorts as text.
/// The wall time a UUIDv7 entry id carries (the inverse of `entry_id_for`'s time).
pub fn id_wall_ms(id: &str) -> Option<i64> {
    let (secs, nanos) = uuid::Uuid::parse_str(id).ok()?.get_timestamp()?.to_unix();
    Some(secs as i64 * 1000 + (nanos / 1_000_000) as i64)
}

pub fn parse_timestamp(field: &str, text: &str) -> Result<String> {
    let t = DateTime::parse_from_rfc3339(text).map_err(|_| {
        Error::invalid(
            field,
            "not an RFC 3339 time (e.g. 2026-11-23T14:05:00+01:00)",
        )
    })?;
    Ok(format_timestamp(t.with_timezone(&Utc)))
}

pub fn format_timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A worker may state when something happened, but not in the future: a phone clock can be off
/// by minutes, so a small margin is allowed.
pub const FUTURE_MARGIN_MINUTES: i64 = 10;

pub fn stated_time(field: &str, text: Option<&str>, now: DateTime<Utc>) -> Result<String> {
    match text {
        None => Ok(format_timestamp(now)),
        Some(text) => {
            let normalised = parse_timestamp(field, text)?;
            check_occurred(field, timestamp_ms(&normalised)?, now.timestamp_millis())?;
            Ok(normalised)
        }
    }
}

/// The bounds of a time an entry says something happened, against the clock stamp of the entry
/// itself: not before the floor, and not after it was recorded (beyond the small margin a worker
/// may state). The same rule where an entry is recorded and wherever it arrives, so a clock set
/// wrong anywhere cannot put a risk check or a contact in the future for everyone.
pub fn check_occurred(field: &str, occurred_ms: i64, recorded_ms: i64) -> Result<()> {
    if occurred_ms > recorded_ms + FUTURE_MARGIN_MINUTES * 60_000 {
        return Err(Error::invalid(field, "lies in the future"));
    }
    if occurred_ms < crate::clock::FLOOR_MS {
        return Err(Error::invalid(field, "lies before the year 2000"));
    }
    Ok(())
}

/// Milliseconds since 1970 of a time in the journal's normalised form.
pub fn timestamp_ms(normalised: &str) -> Result<i64> {
    DateTime::parse_from_rfc3339(normalised)
        .map(|t| t.timestamp_millis())
        .map_err(|_| Error::invalid("time", "not an RFC 3339 time"))
}

/// Applies a JSON merge patch (RFC 7386): `null` removes a field, objects merge, the rest replace.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    if let Value::Object(patch_map) = patch {
        if !target.is_object() {
            *target = Value::Object(Default::default());
        }
        let map = target.as_object_mut().expect("made an object above");
        for (key, value) in patch_map {
            if value.is_null() {
                map.remove(key);
            } else {
                merge_patch(map.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
    } else {
        *target = patch.clone();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::Payload;
    use serde_json::json;

    #[test]
    fn merge_patch_follows_rfc_7386() {
        let mut v = json!({"a": "b", "c": {"d": "e", "f": "g"}});
        merge_patch(&mut v, &json!({"a": "z", "c": {"f": null}}));
        assert_eq!(v, json!({"a": "z", "c": {"d": "e"}}));
    }

    #[test]
    fn serde_errors_do_not_carry_recorded_text() {
        let err = Payload::from_value(
            EntryKind::ContactLogged,
            json!({"place": 5, "secret": "Kim"}),
        )
        .unwrap_err();
        assert!(!err.to_string().contains("Kim"), "{err}");
        let err = Payload::from_value(EntryKind::ContactLogged, json!({
            "place": "x", "place_kind": "Kim's bench", "kind": "observation", "outcome": "not-found"
        }))
        .unwrap_err();
        assert!(!err.to_string().contains("Kim"), "{err}");
    }

    #[test]
    fn ids_must_be_canonical_uuids() {
        assert!(entry_id("id", &new_id()).is_ok());
        assert!(entry_id("id", "not-an-id").is_err());
        assert!(entry_id("id", &new_id().to_uppercase()).is_err());
    }

    #[test]
    fn stated_times_are_normalised_and_not_in_the_future() {
        let now = Utc::now();
        let t = stated_time("at", Some("2026-01-02T03:04:05+01:00"), now).unwrap();
        assert_eq!(t, "2026-01-02T02:04:05.000Z");
        assert!(stated_time("at", Some("2999-01-01T00:00:00Z"), now).is_err());
        assert!(stated_time("at", Some("yesterday"), now).is_err());
    }
}

//! The journal: what an entry is, the payload of each kind, and the rules a payload must meet.
//!
//! Every recorded fact is an immutable entry. Its payload is JSON, validated here by kind, on
//! the phone when it is recorded and again wherever it arrives (the centre, another phone), so a
//! malformed entry can never reach a projection. Corrections are entries too (`entry.amended`,
//! `entry.voided`): nothing is edited in place. This module does no I/O.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::instruments;
use crate::vocabulary::{
    BrosetItem, BurdenArea, ContactKind, Criterion, Decision, Outcome, PlaceKind, ReferralKind,
    Stage,
};

pub use crate::vocabulary::EntryKind;

/// The schema version of every payload kind this build writes.
pub const PAYLOAD_VERSION: u32 = 1;

/// One immutable journal entry, exactly as stored and as sent over the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// UUIDv7 made on the device that recorded it: the idempotency key everywhere.
    pub id: String,
    pub kind: EntryKind,
    pub schema_version: u32,
    /// The person (or unknown citizen) the entry is about.
    pub subject: String,
    pub author_worker: String,
    pub author_device: String,
    /// When it happened, as the worker states it (RFC 3339, UTC, milliseconds).
    pub occurred_at: String,
    /// When it was recorded, as a hybrid logical clock timestamp (see `clock`).
    pub recorded_at: String,
    /// The kind's payload as JSON text.
    pub payload: String,
}

// ----- payloads ------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonNoted {
    pub alias: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_year: Option<i32>,
    /// The unknown citizen this person was first recorded as, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_unknown: Option<String>,
}

/// A change of some of a person's attributes. `based_on` names, per attribute, the entries whose
/// value the worker saw and replaces: two changes that did not see each other both stay, as a
/// conflict, until a later change names both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonUpdated {
    pub attributes: BTreeMap<String, Value>,
    #[serde(default)]
    pub based_on: BTreeMap<String, Vec<String>>,
}

pub const PERSON_ATTRIBUTES: [&str; 3] = ["alias", "description", "birth_year"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonMerged {
    /// The person (or unknown citizen) joined into the entry's subject.
    pub duplicate: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskChecked {
    /// A few words describing an unknown citizen; absent when the subject is a person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unknown: Option<String>,
    /// Every item's answer, not only the total (Bilag 1A).
    pub answers: BTreeMap<BrosetItem, bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    pub instrument_version: u32,
}

impl RiskChecked {
    pub fn observed(&self) -> Vec<BrosetItem> {
        self.answers
            .iter()
            .filter(|(_, on)| **on)
            .map(|(item, _)| *item)
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactLogged {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unknown: Option<String>,
    pub place: String,
    pub place_kind: PlaceKind,
    pub kind: ContactKind,
    pub outcome: Outcome,
    /// The colleague who was there; absent means the author was alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colleague: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_check: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreeningRecorded {
    pub criteria: BTreeMap<Criterion, bool>,
    pub high_burden: BTreeMap<BurdenArea, bool>,
    pub decision: Decision,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral_kind: Option<ReferralKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referred_to: Option<String>,
    pub instrument_version: u32,
}

impl ScreeningRecorded {
    pub fn criteria_met(&self) -> Vec<Criterion> {
        self.criteria
            .iter()
            .filter(|(_, on)| **on)
            .map(|(c, _)| *c)
            .collect()
    }
    pub fn high_areas(&self) -> Vec<BurdenArea> {
        self.high_burden
            .iter()
            .filter(|(_, on)| **on)
            .map(|(a, _)| *a)
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageAssessed {
    pub stage: Stage,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub importance: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<u8>,
    pub instrument_version: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryAmended {
    pub target: String,
    /// A JSON merge patch (RFC 7386) over the target's payload.
    pub patch: serde_json::Map<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurred_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryVoided {
    pub target: String,
    pub reason: String,
}

/// A payload that has passed its kind's rules.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    PersonNoted(PersonNoted),
    PersonUpdated(PersonUpdated),
    PersonMerged(PersonMerged),
    RiskChecked(RiskChecked),
    ContactLogged(ContactLogged),
    ScreeningRecorded(ScreeningRecorded),
    StageAssessed(StageAssessed),
    EntryAmended(EntryAmended),
    EntryVoided(EntryVoided),
}

impl Payload {
    pub fn kind(&self) -> EntryKind {
        match self {
            Payload::PersonNoted(_) => EntryKind::PersonNoted,
            Payload::PersonUpdated(_) => EntryKind::PersonUpdated,
            Payload::PersonMerged(_) => EntryKind::PersonMerged,
            Payload::RiskChecked(_) => EntryKind::RiskChecked,
            Payload::ContactLogged(_) => EntryKind::ContactLogged,
            Payload::ScreeningRecorded(_) => EntryKind::ScreeningRecorded,
            Payload::StageAssessed(_) => EntryKind::StageAssessed,
            Payload::EntryAmended(_) => EntryKind::EntryAmended,
            Payload::EntryVoided(_) => EntryKind::EntryVoided,
        }
    }

    pub fn to_json(&self) -> String {
        let text = match self {
            Payload::PersonNoted(p) => serde_json::to_string(p),
            Payload::PersonUpdated(p) => serde_json::to_string(p),
            Payload::PersonMerged(p) => serde_json::to_string(p),
            Payload::RiskChecked(p) => serde_json::to_string(p),
            Payload::ContactLogged(p) => serde_json::to_string(p),
            Payload::ScreeningRecorded(p) => serde_json::to_string(p),
            Payload::StageAssessed(p) => serde_json::to_string(p),
            Payload::EntryAmended(p) => serde_json::to_string(p),
            Payload::EntryVoided(p) => serde_json::to_string(p),
        };
        text.expect("payload types serialise infallibly")
    }

    /// Parses and validates a payload of the given kind: for what arrives (typed on this phone,
    /// pushed by a phone, pulled from the centre).
    pub fn parse(kind: EntryKind, json: &str) -> Result<Payload> {
        let payload = Payload::read(kind, json)?;
        payload.validate()?;
        Ok(payload)
    }

    /// Decodes a payload already in the journal, checking its shape only. What is stored was
    /// validated when it arrived, under the rules of that day; judging it again by today's rules
    /// (a rebuild after an upgrade) would make a store that held an alias an older version
    /// allowed impossible to open. Rules tighten for new input, never for the record.
    pub fn read(kind: EntryKind, json: &str) -> Result<Payload> {
        let value: Value = serde_json::from_str(json).map_err(|e| {
            Error::invalid(
                "payload",
                format!("not JSON ({:?} at column {})", e.classify(), e.column()),
            )
        })?;
        Payload::read_value(kind, value)
    }

    pub fn from_value(kind: EntryKind, value: Value) -> Result<Payload> {
        let payload = Payload::read_value(kind, value)?;
        payload.validate()?;
        Ok(payload)
    }

    /// `read`, from a JSON value.
    pub fn read_value(kind: EntryKind, value: Value) -> Result<Payload> {
        let payload = match kind {
            EntryKind::PersonNoted => Payload::PersonNoted(decode(value)?),
            EntryKind::PersonUpdated => Payload::PersonUpdated(decode(value)?),
            EntryKind::PersonMerged => Payload::PersonMerged(decode(value)?),
            EntryKind::RiskChecked => Payload::RiskChecked(decode(value)?),
            EntryKind::ContactLogged => Payload::ContactLogged(decode(value)?),
            EntryKind::ScreeningRecorded => Payload::ScreeningRecorded(decode(value)?),
            EntryKind::StageAssessed => Payload::StageAssessed(decode(value)?),
            EntryKind::EntryAmended => Payload::EntryAmended(decode(value)?),
            EntryKind::EntryVoided => Payload::EntryVoided(decode(value)?),
        };
        Ok(payload)
    }

    /// The rules of each kind beyond its shape.
    pub fn validate(&self) -> Result<()> {
        match self {
            Payload::PersonNoted(p) => {
                name_rules("alias", &p.alias, LIMIT_ALIAS)?;
                optional_text("description", p.description.as_deref(), LIMIT_LONG)?;
                birth_year(p.birth_year)?;
                optional_id("from_unknown", p.from_unknown.as_deref())
            }
            Payload::PersonUpdated(p) => {
                if p.attributes.is_empty() {
                    return Err(Error::invalid(
                        "attributes",
                        "name at least one attribute to change",
                    ));
                }
                for (name, value) in &p.attributes {
                    validate_attribute(name, value)?;
                }
                for (name, ids) in &p.based_on {
                    if !p.attributes.contains_key(name) {
                        return Err(Error::invalid(
                            "based_on",
                            "names an attribute the entry does not change",
                        ));
                    }
                    for id in ids {
                        entry_id("based_on", id)?;
                    }
                }
                Ok(())
            }
            Payload::PersonMerged(p) => entry_id("duplicate", &p.duplicate),
            Payload::RiskChecked(p) => {
                optional_text("unknown", p.unknown.as_deref(), LIMIT_SHORT)?;
                if p.answers.len() != BrosetItem::ALL.len() {
                    return Err(Error::invalid(
                        "answers",
                        "every one of the six Brøset items needs an answer",
                    ));
                }
                optional_text("plan", p.plan.as_deref(), LIMIT_LONG)?;
                instrument_version(
                    "instrument_version",
                    p.instrument_version,
                    instruments::BROSET_VERSION,
                )?;
                instruments::check_broset(&p.observed(), p.plan.as_deref()).map(|_| ())
            }
            Payload::ContactLogged(p) => {
                optional_text("unknown", p.unknown.as_deref(), LIMIT_SHORT)?;
                required_text("place", &p.place, LIMIT_SHORT)?;
                if let Some(colleague) = &p.colleague {
                    name_rules("colleague", colleague, LIMIT_ALIAS)?;
                }
                optional_text("note", p.note.as_deref(), LIMIT_NOTE)?;
                if let Some(m) = p.minutes
                    && m > MAX_CONTACT_MINUTES
                {
                    return Err(Error::invalid(
                        "minutes",
                        format!("must be at most {MAX_CONTACT_MINUTES}"),
                    ));
                }
                optional_id("risk_check", p.risk_check.as_deref())
            }
            Payload::ScreeningRecorded(p) => {
                if p.criteria.len() != Criterion::ALL.len()
                    || p.high_burden.len() != BurdenArea::ALL.len()
                {
                    return Err(Error::invalid(
                        "criteria",
                        "every criterion and burden area needs an answer",
                    ));
                }
                optional_text("reason", p.reason.as_deref(), LIMIT_LONG)?;
                optional_text("referred_to", p.referred_to.as_deref(), LIMIT_SHORT)?;
                instrument_version(
                    "instrument_version",
                    p.instrument_version,
                    instruments::SCREENING_VERSION,
                )?;
                match p.decision {
                    Decision::Outside => {
                        if p.referred_to.as_deref().is_none_or(|t| t.trim().is_empty())
                            || p.referral_kind.is_none()
                        {
                            return Err(Error::invalid(
                                "referred_to",
                                "a citizen outside the target group is helped on: say to which service and how (guide, refer, hand over)",
                            ));
                        }
                    }
                    _ => {
                        if p.referred_to.is_some() || p.referral_kind.is_some() {
                            return Err(Error::invalid(
                                "referred_to",
                                "only a decision of 'outside' refers the citizen on",
                            ));
                        }
                    }
                }
                instruments::check_screening(
                    &p.criteria_met(),
                    &p.high_areas(),
                    p.decision,
                    p.reason.as_deref(),
                )
                .map(|_| ())
            }
            Payload::StageAssessed(p) => {
                instruments::check_scale("importance", p.importance)?;
                instruments::check_scale("confidence", p.confidence)?;
                instrument_version(
                    "instrument_version",
                    p.instrument_version,
                    instruments::STAGES_VERSION,
                )
            }
            Payload::EntryAmended(p) => {
                entry_id("target", &p.target)?;
                if p.patch.is_empty() && p.occurred_at.is_none() {
                    return Err(Error::invalid(
                        "patch",
                        "an amendment must change something",
                    ));
                }
                if let Some(at) = &p.occurred_at {
                    parse_timestamp("occurred_at", at)?;
                }
                optional_text("reason", p.reason.as_deref(), LIMIT_LONG)
            }
            Payload::EntryVoided(p) => {
                entry_id("target", &p.target)?;
                required_text("reason", &p.reason, LIMIT_LONG)
            }
        }
    }
}

fn decode<T: serde::de::DeserializeOwned>(value: Value) -> Result<T> {
    // serde's message names the field and the expected type; it quotes the offending value only
    // for strings, so strip quoted parts to keep recorded text out of errors.
    serde_json::from_value(value)
        .map_err(|e| Error::invalid("payload", redact_quoted(&e.to_string())))
}

/// Removes anything between double quotes except known field names, so a serde message cannot
/// carry a recorded value into a log.
fn redact_quoted(message: &str) -> String {
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
/// A contact longer than a day is a typing error, not a contact.
pub const MAX_CONTACT_MINUTES: u32 = 24 * 60;
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

fn validate_attribute(name: &str, value: &Value) -> Result<()> {
    match name {
        "alias" => match value {
            Value::String(s) => name_rules("alias", s, LIMIT_ALIAS),
            _ => Err(Error::invalid("alias", "must be text")),
        },
        "description" => match value {
            Value::String(s) => optional_text("description", Some(s), LIMIT_LONG),
            Value::Null => Ok(()),
            _ => Err(Error::invalid("description", "must be text or null")),
        },
        "birth_year" => match value {
            Value::Null => Ok(()),
            Value::Number(n) => {
                let y = n
                    .as_i64()
                    .and_then(|y| i32::try_from(y).ok())
                    .ok_or_else(|| Error::invalid("birth_year", "must be a year"))?;
                birth_year(Some(y))
            }
            _ => Err(Error::invalid("birth_year", "must be a year or null")),
        },
        _ => Err(Error::invalid(
            "attributes",
            format!(
                "unknown attribute; allowed: {}",
                PERSON_ATTRIBUTES.join(", ")
            ),
        )),
    }
}

fn instrument_version(field: &str, got: u32, known: u32) -> Result<()> {
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

fn optional_id(field: &str, id: Option<&str>) -> Result<()> {
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
pub fn entry_id_for(hlc: &crate::clock::Hlc) -> Result<String> {
    if !(0..=crate::clock::MAX_WALL_MS).contains(&hlc.wall_ms) {
        return Err(Error::ClockWrong {
            detail: "a clock stamp lies outside what an entry id can carry".into(),
        });
    }
    let mut tail = [0u8; 10];
    tail.copy_from_slice(&uuid::Uuid::new_v4().as_bytes()[6..16]);
    tail[0] = ((hlc.counter >> 8) & 0x0f) as u8;
    tail[1] = (hlc.counter & 0xff) as u8;
    Ok(
        uuid::Builder::from_unix_timestamp_millis(hlc.wall_ms as u64, &tail)
            .into_uuid()
            .hyphenated()
            .to_string(),
    )
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

/// The kinds that record something about a citizen and so can be amended.
pub fn amendable(kind: EntryKind) -> bool {
    matches!(
        kind,
        EntryKind::RiskChecked
            | EntryKind::ContactLogged
            | EntryKind::ScreeningRecorded
            | EntryKind::StageAssessed
    )
}

/// The kinds that can be voided as a mistake. A merge or a void is not undone by voiding; an
/// attribute change is corrected by another change.
pub fn voidable(kind: EntryKind) -> bool {
    amendable(kind) || matches!(kind, EntryKind::PersonNoted | EntryKind::EntryAmended)
}

/// The fields an amendment may not change: they say *who* an entry is about, which a correction
/// must not move (merge or record anew instead).
pub const IMMUTABLE_FIELDS: [&str; 2] = ["unknown", "instrument_version"];

#[cfg(test)]
mod tests {
    use super::*;
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

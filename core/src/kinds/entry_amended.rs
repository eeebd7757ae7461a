//! A correction of an earlier record (`entry.amended`): a merge patch (RFC 7386) over its payload
//! and/or a corrected time; the original stays, and every replica re-projects the record from
//! its original and its amendments (`replay::effective`).

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::replay::{effective, reproject};
use super::subject::{non_empty, require_entry};
use super::{Built, Correction, Corrections, EntryContent, Kind, Payload, Referral};
use crate::error::{Error, Result};
use crate::journal::{self, Entry, EntryId, EntryKind, LIMIT_LONG};
use crate::projection::{self, insert_correction};
use crate::time::Time;

/// The fields an amendment may not change: they say *who* an entry is about, which a correction
/// must not move (merge or record anew instead).
/// Fields no amendment changes: what identifies the record's subject or instrument, and the
/// safety warnings given when it was recorded (a record of that moment).
pub const IMMUTABLE_FIELDS: [&str; 3] = ["unknown", "instrument_version", "safety_warnings"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryAmended {
    pub target: EntryId,
    /// A JSON merge patch (RFC 7386) over the target's payload.
    pub patch: serde_json::Map<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurred_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// What the timeline shows of a correction: which fields it changed (their new values show in
/// the corrected entry itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct EntryAmendedContent {
    pub target: String,
    /// The fields the correction changed.
    pub fields: Vec<String>,
    pub occurred_at: Option<Time>,
    pub reason: Option<String>,
}

/// A correction of a record: a JSON merge patch over its payload (e.g. `{"note": "…"}`,
/// `{"minutes": null}`) and/or a corrected time, and why.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AmendmentInput {
    pub entry: String,
    pub patch_json: String,
    pub occurred_at: Option<String>,
    pub reason: Option<String>,
}

/// A correction of a record, typed by its kind (`Correction`), and why: what the shells give.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CorrectionInput {
    pub entry: String,
    pub correction: Correction,
    pub occurred_at: Option<String>,
    pub reason: Option<String>,
}

/// The amendment a typed correction makes: its kind must be the record's.
pub(crate) fn build_correction(
    tx: &Connection,
    now: DateTime<Utc>,
    input: &CorrectionInput,
) -> Result<Built> {
    let target = require_entry(tx, &input.entry)?;
    if !target.kind.correctable() {
        return Err(Error::not_allowed(
            "this kind of entry has no typed correction",
        ));
    }
    if input.correction.kind() != target.kind {
        return Err(Error::invalid(
            "correction",
            format!(
                "corrects a {}, but the entry is a {}",
                input.correction.kind().code(),
                target.kind.code()
            ),
        ));
    }
    input.correction.check()?;
    amend(
        tx,
        now,
        target,
        input.correction.patch(),
        input.occurred_at.as_deref(),
        input.reason.as_deref(),
    )
}

/// The amendment of `target` by `patch`, checked: the target can be amended and is not voided,
/// the patch leaves alone what says who the record is about, and the amended record still meets
/// its kind's rules.
fn amend(
    tx: &Connection,
    now: DateTime<Utc>,
    target: Entry,
    patch: serde_json::Map<String, Value>,
    occurred_at: Option<&str>,
    reason: Option<&str>,
) -> Result<Built> {
    if projection::is_voided(tx, &target.id)? {
        return Err(Error::not_allowed("the entry is voided"));
    }
    if let Some(field) = IMMUTABLE_FIELDS.iter().find(|f| patch.contains_key(**f)) {
        return Err(Error::invalid(
            "patch",
            format!("'{field}' cannot be amended"),
        ));
    }
    let occurred_at = occurred_at
        .map(|t| journal::stated_time("occurred_at", Some(t), now))
        .transpose()?;
    // The amended record must still meet its kind's rules (a high score keeps its plan).
    let current = effective(tx, target.clone())?;
    let mut candidate: Value = serde_json::from_str(&current.payload.to_json())?;
    journal::merge_patch(&mut candidate, &Value::Object(patch.clone()));
    let amended = Payload::from_value(target.kind, candidate)?;
    amended.check_amended(tx)?;
    amended.check_patch(tx, &patch, &target.author_worker)?;
    let payload = Payload::EntryAmended(EntryAmended {
        target: target.id.clone(),
        patch,
        occurred_at,
        reason: non_empty(reason.map(str::to_string)),
    });
    Ok((target.subject.into(), None, payload))
}

impl Kind for EntryAmended {
    type Input = AmendmentInput;

    /// Version 2 when the patch gives its record version 2's content: a field only version 2
    /// has, a contact's code only version 2 knows, or screening answers as codes (version 1
    /// wrote `true` and `false`).
    fn schema_version(&self) -> u32 {
        use crate::vocabulary::{ContactKind, Outcome, PlaceKind};
        let field = |name: &str| self.patch.get(name).and_then(Value::as_str);
        let new_field = [
            "meeting",
            "recovery_goal",
            "life_control",
            "craving",
            "announced",
            "safety_reason",
        ]
            .iter()
            .any(|f| self.patch.contains_key(*f));
        let new_code = field("place_kind")
            .is_some_and(|c| PlaceKind::parse(c).is_ok_and(|k| k.since_version() == 2))
            || field("kind")
                .is_some_and(|c| ContactKind::parse(c).is_ok_and(|k| k.since_version() == 2))
            || field("outcome")
                .is_some_and(|c| Outcome::parse(c).is_ok_and(|k| k.since_version() == 2));
        let answers_as_codes = ["criteria", "high_burden"].iter().any(|f| {
            self.patch
                .get(*f)
                .and_then(Value::as_object)
                .is_some_and(|m| m.values().any(Value::is_string))
        });
        if new_field || new_code || answers_as_codes {
            2
        } else {
            1
        }
    }

    // A wrong correction is voided; the record's other amendments still apply.
    const CORRECTIONS: Corrections = Corrections::Void;

    fn build(tx: &Connection, now: DateTime<Utc>, input: &AmendmentInput) -> Result<Built> {
        let target = require_entry(tx, &input.entry)?;
        let patch_json = input.patch_json.as_str();
        if !target.kind.amendable() {
            let person = matches!(
                target.kind,
                EntryKind::PersonNoted | EntryKind::PersonUpdated
            );
            return Err(Error::not_allowed(if person {
                "a person's details are changed with a person update"
            } else {
                "this kind of entry cannot be amended"
            }));
        }
        let patch = match serde_json::from_str::<Value>(if patch_json.trim().is_empty() {
            "{}"
        } else {
            patch_json
        }) {
            Ok(Value::Object(map)) => map,
            _ => {
                return Err(Error::invalid(
                    "patch",
                    "must be a JSON object of the fields to change",
                ));
            }
        };
        amend(
            tx,
            now,
            target,
            patch,
            input.occurred_at.as_deref(),
            input.reason.as_deref(),
        )
    }

    fn validate(&self) -> Result<()> {
        journal::entry_id("target", &self.target)?;
        if self.patch.is_empty() && self.occurred_at.is_none() {
            return Err(Error::invalid(
                "patch",
                "an amendment must change something",
            ));
        }
        if let Some(at) = &self.occurred_at {
            journal::parse_timestamp("occurred_at", at)?;
        }
        journal::optional_text("reason", self.reason.as_deref(), LIMIT_LONG)
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        insert_correction(conn, entry, &self.target, "amended")?;
        reproject(conn, &self.target)
    }

    /// A void of an amendment re-projects what the amendment corrected.
    fn reproject(conn: &Connection, entry: &Entry) -> Result<()> {
        let amended: EntryAmended = serde_json::from_str(&entry.payload)?;
        reproject(conn, &amended.target)
    }

    fn content(&self) -> EntryContent {
        EntryContent::EntryAmended(EntryAmendedContent {
            target: self.target.to_string(),
            fields: self.patch.keys().cloned().collect(),
            occurred_at: self.occurred_at.clone().map(Time::stored),
            reason: self.reason.clone(),
        })
    }

    fn references(&self) -> Vec<(&'static str, &EntryId)> {
        vec![("target", &self.target)]
    }

    fn follow_references(&mut self, follow: &mut dyn FnMut(&mut EntryId)) {
        follow(&mut self.target);
    }

    /// A record about the same citizen, of a kind that is amended.
    fn may_refer_to(&self, _field: &str, r: &Referral<'_>) -> Result<bool> {
        Ok(r.same_subject() && r.referenced.kind.amendable())
    }

    fn stated_times(&self) -> Vec<&str> {
        self.occurred_at.iter().map(String::as_str).collect()
    }

    fn restate_times(&mut self, time: &dyn Fn(&str) -> Result<String>) -> Result<()> {
        if let Some(at) = &self.occurred_at {
            self.occurred_at = Some(time(at)?);
        }
        Ok(())
    }
}

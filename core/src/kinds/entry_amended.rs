//! A correction of an earlier record (`entry.amended`): a merge patch over its payload and/or a
//! corrected time; the original stays.
//!
//! Its command: the shell's input made into a payload, with the references checked. (Its payload
//! type and rules are still in `journal`, its projection in `projection`: issue 11 brings them
//! here.)

use rusqlite::Connection;

use super::Built;
use crate::error::{Error, Result};
use crate::journal::{self, Payload};
use chrono::{DateTime, Utc};
use serde_json::Value;

use super::subject::{non_empty, require_entry, require_risk_check};
use crate::journal::EntryKind;
use crate::projection;

/// The subject, the stated time and the payload of the entry to record.
pub(crate) fn build(
    tx: &Connection,
    now: DateTime<Utc>,
    entry_id: &str,
    patch_json: &str,
    occurred_at: Option<&str>,
    reason: Option<&str>,
) -> Result<Built> {
    let target = require_entry(tx, entry_id)?;
    if !journal::amendable(target.kind) {
        return Err(Error::not_allowed(match target.kind {
            EntryKind::PersonNoted | EntryKind::PersonUpdated => {
                "a person's details are changed with a person update"
            }
            _ => "this kind of entry cannot be amended",
        }));
    }
    if projection::is_voided(tx, &target.id)? {
        return Err(Error::not_allowed("the entry is voided"));
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
    if let Some(field) = journal::IMMUTABLE_FIELDS
        .iter()
        .find(|f| patch.contains_key(**f))
    {
        return Err(Error::invalid(
            "patch",
            format!("'{field}' cannot be amended"),
        ));
    }
    let occurred_at = occurred_at
        .map(|t| journal::stated_time("occurred_at", Some(t), now))
        .transpose()?;
    // The amended record must still meet its kind's rules (a high score keeps its plan).
    let current = projection::effective(tx, target.clone())?;
    let mut candidate: Value = serde_json::from_str(&current.payload.to_json())?;
    journal::merge_patch(&mut candidate, &Value::Object(patch.clone()));
    let amended = Payload::from_value(target.kind, candidate)?;
    if let Payload::ContactLogged(c) = &amended
        && let Some(check) = &c.risk_check
    {
        require_risk_check(tx, check)?;
    }
    let payload = Payload::EntryAmended(journal::EntryAmended {
        target: target.id.clone(),
        patch,
        occurred_at,
        reason: non_empty(reason.map(str::to_string)),
    });
    Ok((target.subject, None, payload))
}

/// What the timeline shows of it: which fields it changed (their new values show in the
/// corrected entry itself).
pub fn content(p: &journal::EntryAmended) -> super::EntryContent {
    super::EntryContent::EntryAmended {
        target: p.target.clone(),
        fields: p.patch.keys().cloned().collect(),
        occurred_at: p.occurred_at.clone().map(crate::time::Time::stored),
        reason: p.reason.clone(),
    }
}

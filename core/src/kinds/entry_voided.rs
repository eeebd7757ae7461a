//! A record voided as made by mistake (`entry.voided`), with its reason; it stays in the
//! timeline, marked, and every replica re-projects what it voids.

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::replay::reproject;
use super::subject::require_entry;
use super::{Built, Corrections, EntryContent, Kind, Payload, Referral};
use crate::error::{Error, Result};
use crate::journal::{self, Entry, EntryId, LIMIT_LONG};
use crate::projection::{self, insert_correction};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryVoided {
    pub target: EntryId,
    pub reason: String,
}

/// What the timeline shows of a void.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct EntryVoidedContent {
    pub target: String,
    pub reason: String,
}

/// A record to void as made by mistake, and why.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct VoidInput {
    pub entry: String,
    pub reason: String,
}

impl Kind for EntryVoided {
    type Input = VoidInput;

    // A void is not undone by voiding it.
    const CORRECTIONS: Corrections = Corrections::None;

    fn build(tx: &Connection, _now: DateTime<Utc>, input: &VoidInput) -> Result<Built> {
        let target = require_entry(tx, &input.entry)?;
        if !target.kind.voidable() {
            return Err(Error::not_allowed(
                "this kind of entry cannot be voided; record a correcting entry instead",
            ));
        }
        if projection::is_voided(tx, &target.id)? {
            return Err(Error::not_allowed("the entry is already voided"));
        }
        Payload::read(target.kind, &target.payload)?.check_void(tx, &target)?;
        let payload = Payload::EntryVoided(EntryVoided {
            target: target.id.clone(),
            reason: input.reason.trim().to_string(),
        });
        Ok((target.subject.into(), None, payload))
    }

    fn validate(&self) -> Result<()> {
        journal::entry_id("target", &self.target)?;
        journal::required_text("reason", &self.reason, LIMIT_LONG)
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        insert_correction(conn, entry, &self.target, "voided")?;
        reproject(conn, &self.target)
    }

    fn content(&self) -> EntryContent {
        EntryContent::EntryVoided(EntryVoidedContent {
            target: self.target.to_string(),
            reason: self.reason.clone(),
        })
    }

    fn references(&self) -> Vec<(&'static str, &EntryId)> {
        vec![("target", &self.target)]
    }

    fn follow_references(&mut self, follow: &mut dyn FnMut(&mut EntryId)) {
        follow(&mut self.target);
    }

    /// A record about the same citizen, of a kind that is voided.
    fn may_refer_to(&self, _field: &str, r: &Referral<'_>) -> Result<bool> {
        Ok(r.same_subject() && r.referenced.kind.voidable())
    }
}

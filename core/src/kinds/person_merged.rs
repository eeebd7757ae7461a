//! The same citizen noted twice, joined (`person.merged`).

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::persons::merge_subjects;
use super::subject::{require_person, require_unknown_citizen};
use super::{Built, Corrections, EntryContent, Kind, Payload};
use crate::error::{Error, Result};
use crate::journal::{self, Entry, SubjectId};
use crate::projection;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonMerged {
    /// The person (or unknown citizen) joined into the entry's subject.
    pub duplicate: SubjectId,
}

/// What the timeline shows of a merge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct PersonMergedContent {
    /// The person or unknown citizen joined into this one.
    pub duplicate: String,
}

/// Two records of one citizen to join: `duplicate` (a person, or an unknown citizen) into `keep`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MergeInput {
    pub keep: String,
    pub duplicate: String,
}

impl Kind for PersonMerged {
    type Input = MergeInput;

    const CORRECTIONS: Corrections = Corrections::None;
    const MAY_JOIN: bool = true;

    fn build(tx: &Connection, _now: DateTime<Utc>, input: &MergeInput) -> Result<Built> {
        let keep = require_person(tx, &input.keep)?;
        journal::entry_id("duplicate", &input.duplicate)?;
        let dup = projection::canonical(tx, &input.duplicate)?;
        if dup == keep {
            return Err(Error::not_allowed("these are already one person"));
        }
        if projection::resolve_person(tx, &dup)?.is_none() {
            require_unknown_citizen(tx, &dup)?;
        }
        let payload = Payload::PersonMerged(PersonMerged {
            duplicate: SubjectId::stored(dup),
        });
        Ok((keep, None, payload))
    }

    fn validate(&self) -> Result<()> {
        journal::entry_id("duplicate", &self.duplicate)
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        merge_subjects(conn, &entry.subject, &self.duplicate)
    }

    fn content(&self) -> EntryContent {
        EntryContent::PersonMerged(PersonMergedContent {
            duplicate: self.duplicate.to_string(),
        })
    }

    fn joins(&self) -> Option<&SubjectId> {
        Some(&self.duplicate)
    }
}

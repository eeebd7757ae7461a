//! A disclosure about the citizen (`disclosure.made`): what was told to whom, on which consent.
//! The workers are bound by confidentiality (002 L3433): a disclosure without a consent of the
//! citizen in force at its time, given for the same recipient, is refused (`consent-required`). Its row in `disclosures`.
//! Voided if recorded by mistake; never amended.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::consent_given::require_consent;
use super::subject::require_person;
use super::{Built, Corrections, EntryContent, Kind, Payload, RecordRow, RecordTable, Referral};
use crate::error::{Error, Result};
use crate::journal::{self, Entry, EntryId, LIMIT_SHORT};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisclosureMade {
    /// What was told.
    pub what: String,
    pub to_whom: String,
    /// The consent it rests on.
    pub consent: EntryId,
}

/// What the timeline shows of a disclosure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct DisclosureMadeContent {
    pub what: String,
    pub to_whom: String,
    pub consent: String,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DisclosureInput {
    pub person: String,
    pub what: String,
    pub to_whom: String,
    /// The consent it rests on; without one, the disclosure is refused.
    pub consent: Option<String>,
    pub occurred_at: Option<String>,
}

const TABLE: RecordTable = RecordTable {
    table: "disclosures",
    summary: None,
};

impl Kind for DisclosureMade {
    type Input = DisclosureInput;

    const CORRECTIONS: Corrections = Corrections::Void;
    const RECORD: Option<&'static RecordTable> = Some(&TABLE);

    fn build(tx: &Connection, now: DateTime<Utc>, input: &DisclosureInput) -> Result<Built> {
        let person = require_person(tx, &input.person)?;
        let Some(consent) = input.consent.as_deref() else {
            return Err(Error::ConsentRequired {
                detail: "name the citizen's consent it rests on".into(),
            });
        };
        let standing = require_consent(tx, &person, consent)?;
        let at = journal::stated_time("occurred_at", input.occurred_at.as_deref(), now)?;
        if standing.given.as_str() > at.as_str() {
            return Err(Error::ConsentRequired {
                detail: "the consent was given after the disclosure".into(),
            });
        }
        if standing.withdrawn.as_deref().is_some_and(|w| w <= at.as_str()) {
            return Err(Error::ConsentRequired {
                detail: "the citizen withdrew the consent".into(),
            });
        }
        // A consent covers the recipient it was given for, and no other.
        if !standing.covers(&input.to_whom) {
            return Err(Error::ConsentRequired {
                detail: "the consent was given for another recipient".into(),
            });
        }
        let payload = Payload::DisclosureMade(DisclosureMade {
            what: input.what.trim().to_string(),
            to_whom: input.to_whom.trim().to_string(),
            consent: EntryId::stored(consent.to_string()),
        });
        Ok((person, input.occurred_at.clone(), payload))
    }

    fn validate(&self) -> Result<()> {
        journal::required_text("what", &self.what, LIMIT_SHORT)?;
        journal::required_text("to_whom", &self.to_whom, LIMIT_SHORT)?;
        journal::entry_id("consent", &self.consent)
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        super::records::project_new(conn, entry, self)
    }

    fn content(&self) -> EntryContent {
        EntryContent::DisclosureMade(DisclosureMadeContent {
            what: self.what.clone(),
            to_whom: self.to_whom.clone(),
            consent: self.consent.to_string(),
        })
    }

    super::refers_to_one!(consent, ConsentGiven);

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO disclosures (owner, occurred_at, entry_id, voided, author_worker, what,
                to_whom, consent)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            row.owner,
            row.occurred_at,
            row.entry.id,
            row.voided,
            row.entry.author_worker,
            self.what,
            self.to_whom,
            self.consent,
        ])?;
        Ok(())
    }
}

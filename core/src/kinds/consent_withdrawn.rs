//! A consent the citizen withdrew (`consent.withdrawn`), naming the consent; from its time on no
//! disclosure may rest on it. Its row in `consent_withdrawals`. Voided if recorded by mistake
//! (the consent is then in force again).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::consent_given::require_consent;
use super::subject::require_person;
use super::{Built, Corrections, EntryContent, Kind, Payload, RecordRow, RecordTable, Referral};
use crate::error::{Error, Result};
use crate::journal::{self, Entry, EntryId};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentWithdrawn {
    pub consent: EntryId,
}

/// What the timeline shows of a consent withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct ConsentWithdrawnContent {
    pub consent: String,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ConsentWithdrawalInput {
    pub person: String,
    pub consent: String,
    pub occurred_at: Option<String>,
}

const TABLE: RecordTable = RecordTable {
    table: "consent_withdrawals",
    summary: None,
};

impl Kind for ConsentWithdrawn {
    type Input = ConsentWithdrawalInput;

    const CORRECTIONS: Corrections = Corrections::Void;
    const RECORD: Option<&'static RecordTable> = Some(&TABLE);

    fn build(tx: &Connection, now: DateTime<Utc>, input: &ConsentWithdrawalInput) -> Result<Built> {
        let person = require_person(tx, &input.person)?;
        let consent = require_consent(tx, &person, &input.consent)?;
        if consent.withdrawn.is_some() {
            return Err(Error::not_allowed("the consent is withdrawn already"));
        }
        let at = journal::stated_time("occurred_at", input.occurred_at.as_deref(), now)?;
        if at < consent.given {
            return Err(Error::invalid(
                "occurred_at",
                "before the consent was given",
            ));
        }
        let payload = Payload::ConsentWithdrawn(ConsentWithdrawn {
            consent: EntryId::stored(input.consent.clone()),
        });
        Ok((person, input.occurred_at.clone(), payload))
    }

    fn validate(&self) -> Result<()> {
        journal::entry_id("consent", &self.consent)
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        super::records::project_new(conn, entry, self)
    }

    fn content(&self) -> EntryContent {
        EntryContent::ConsentWithdrawn(ConsentWithdrawnContent {
            consent: self.consent.to_string(),
        })
    }

    super::refers_to_one!(consent, ConsentGiven);

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO consent_withdrawals (owner, occurred_at, entry_id, voided, author_worker, consent)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            row.owner,
            row.occurred_at,
            row.entry.id,
            row.voided,
            row.entry.author_worker,
            self.consent,
        ])?;
        Ok(())
    }
}


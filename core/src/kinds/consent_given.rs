//! A consent the citizen gave (`consent.given`): to whom, about what, verbally or in writing,
//! when. The workers are bound by confidentiality (002 L3433); information passes to partners
//! with the citizen's consent (002 L3072). Its row in `consents`; in force until withdrawn
//! (`consent.withdrawn`) or voided. A disclosure (`disclosure.made`) names the consent it rests
//! on.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::subject::require_person;
use super::{Built, Corrections, EntryContent, Kind, Payload, RecordRow, RecordTable};
use crate::error::{Error, Result};
use crate::journal::{self, Entry, LIMIT_SHORT};
use crate::projection;
use crate::vocabulary::{ConsentForm, Label};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentGiven {
    /// To whom information may pass (a partner, an organisation).
    pub to_whom: String,
    /// About what.
    pub about: String,
    pub form: ConsentForm,
}

/// What the timeline shows of a consent given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct ConsentGivenContent {
    pub to_whom: String,
    pub about: String,
    pub form: ConsentForm,
    pub form_label: Label,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ConsentInput {
    pub person: String,
    pub to_whom: String,
    pub about: String,
    pub form: ConsentForm,
    pub occurred_at: Option<String>,
}

const TABLE: RecordTable = RecordTable {
    table: "consents",
    summary: None,
};

impl Kind for ConsentGiven {
    type Input = ConsentInput;

    // A consent is withdrawn by the citizen (its own entry) or voided as a mistake; what it
    // said is not rewritten, since disclosures rest on it.
    const CORRECTIONS: Corrections = Corrections::Void;
    const RECORD: Option<&'static RecordTable> = Some(&TABLE);

    fn build(tx: &Connection, _now: DateTime<Utc>, input: &ConsentInput) -> Result<Built> {
        let person = require_person(tx, &input.person)?;
        let payload = Payload::ConsentGiven(ConsentGiven {
            to_whom: input.to_whom.trim().to_string(),
            about: input.about.trim().to_string(),
            form: input.form,
        });
        Ok((person, input.occurred_at.clone(), payload))
    }

    fn validate(&self) -> Result<()> {
        journal::required_text("to_whom", &self.to_whom, LIMIT_SHORT)?;
        journal::required_text("about", &self.about, LIMIT_SHORT)
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        super::records::project_new(conn, entry, self)
    }

    fn content(&self) -> EntryContent {
        EntryContent::ConsentGiven(ConsentGivenContent {
            to_whom: self.to_whom.clone(),
            about: self.about.clone(),
            form: self.form,
            form_label: self.form.label(),
        })
    }

    fn insert_record(&self, conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO consents (owner, occurred_at, entry_id, voided, author_worker, to_whom,
                about, form)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            row.owner,
            row.occurred_at,
            row.entry.id,
            row.voided,
            row.entry.author_worker,
            self.to_whom,
            self.about,
            self.form.code(),
        ])?;
        Ok(())
    }
}

const CONSENT: &str =
    "SELECT owner, occurred_at, to_whom FROM consents WHERE entry_id = ?1 AND voided = 0";
const WITHDRAWN_BY: &str = "SELECT min(occurred_at) FROM consent_withdrawals
     WHERE consent = ?1 AND voided = 0";

/// A recipient as compared: case, spacing and the ends folded, so "Bostøtten  i Valby" and
/// "bostøtten i valby" are one recipient.
fn folded(recipient: &str) -> String {
    recipient
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A consent that stands (given, not voided), as a withdrawal or disclosure finds it.
pub(crate) struct StandingConsent {
    pub given: String,
    /// When it was withdrawn, if it was.
    pub withdrawn: Option<String>,
    to_whom: String,
}

impl StandingConsent {
    /// Whether it was given for `recipient` (compared folded).
    pub fn covers(&self, recipient: &str) -> bool {
        folded(&self.to_whom) == folded(recipient)
    }
}

/// A consent of `person` (following merges) that stands.
pub(crate) fn require_consent(
    conn: &Connection,
    person: &str,
    consent: &str,
) -> Result<StandingConsent> {
    journal::entry_id("consent", consent)?;
    let found: Option<(String, String, String)> = conn
        .prepare_cached(CONSENT)?
        .query_row([consent], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((owner, given, to_whom)) = found else {
        return Err(Error::not_found("consent", consent));
    };
    if projection::canonical(conn, &owner)? != person {
        return Err(Error::invalid("consent", "the consent is another citizen's"));
    }
    let withdrawn: Option<String> = conn
        .prepare_cached(WITHDRAWN_BY)?
        .query_row([consent], |r| r.get(0))?;
    Ok(StandingConsent {
        given,
        withdrawn,
        to_whom,
    })
}

/// A consent as the person's screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct ConsentView {
    pub entry_id: String,
    pub given_at: String,
    pub to_whom: String,
    pub about: String,
    pub form: ConsentForm,
    /// When it was withdrawn, if it was.
    pub withdrawn_at: Option<String>,
    pub in_force: bool,
}

/// A person's consents, in force or withdrawn, oldest first (voided ones left out).
pub fn consents_of(conn: &Connection, person: &str) -> Result<Vec<ConsentView>> {
    let rows: Vec<(String, String, String, String, String)> = conn
        .prepare_cached(
            "SELECT entry_id, occurred_at, to_whom, about, form FROM consents
             WHERE owner = ?1 AND voided = 0 ORDER BY occurred_at, entry_id",
        )?
        .query_map([person], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(|(entry_id, given_at, to_whom, about, form)| {
            let withdrawn_at: Option<String> = conn
                .prepare_cached(WITHDRAWN_BY)?
                .query_row([&entry_id], |r| r.get(0))?;
            Ok(ConsentView {
                in_force: withdrawn_at.is_none(),
                entry_id,
                given_at,
                to_whom,
                about,
                form: ConsentForm::parse(&form)?,
                withdrawn_at,
            })
        })
        .collect()
}

//! What an entry says, typed, for the screens: one variant per kind with its fields (a contact's
//! place and note, a risk check's observed items, score and band, …), so that no shell parses
//! the payload's JSON or knows its field names. Built from the payload the timeline shows (with
//! every amendment applied) by an exhaustive match: a new kind does not compile until it has its
//! variant here and its `content` function in its module.

use serde::Serialize;
use serde_json::Value;

use crate::journal::Payload;
use crate::time::Time;
use crate::vocabulary::{
    BrosetItem, BurdenArea, ContactKind, Criterion, Decision, Outcome, PlaceKind, ReferralKind,
    RiskBand, Stage,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Enum)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum EntryContent {
    PersonNoted {
        alias: String,
        description: Option<String>,
        birth_year: Option<i32>,
        /// The unknown citizen this person turned out to be.
        from_unknown: Option<String>,
    },
    PersonUpdated {
        changes: Vec<AttributeChange>,
    },
    PersonMerged {
        /// The person or unknown citizen joined into this one.
        duplicate: String,
    },
    RiskChecked {
        /// The unknown citizen's description, when the check was of one.
        unknown: Option<String>,
        observed: Vec<BrosetItem>,
        score: u8,
        band: RiskBand,
        plan: Option<String>,
    },
    ContactLogged {
        unknown: Option<String>,
        place: String,
        place_kind: PlaceKind,
        contact_kind: ContactKind,
        outcome: Outcome,
        colleague: Option<String>,
        minutes: Option<u32>,
        note: Option<String>,
        risk_check: Option<String>,
    },
    ScreeningRecorded {
        criteria: Vec<Criterion>,
        high_burden: Vec<BurdenArea>,
        decision: Decision,
        reason: Option<String>,
        referral_kind: Option<ReferralKind>,
        referred_to: Option<String>,
    },
    StageAssessed {
        stage: Stage,
        importance: Option<u8>,
        confidence: Option<u8>,
    },
    EntryAmended {
        target: String,
        /// The fields the correction changed.
        fields: Vec<String>,
        occurred_at: Option<Time>,
        reason: Option<String>,
    },
    EntryVoided {
        target: String,
        reason: String,
    },
}

/// One attribute a person update sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct AttributeChange {
    pub attribute: String,
    pub value: AttributeValue,
}

/// A person attribute's value, typed: what a shell shows without reading JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Enum)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum AttributeValue {
    Text {
        text: String,
    },
    Year {
        year: i32,
    },
    /// The attribute was removed (an empty description, a birth year cleared).
    Cleared,
}

impl AttributeValue {
    /// From the JSON a person update stores (text, a year, or null).
    pub fn from_json(value: &Value) -> AttributeValue {
        match value {
            Value::Null => AttributeValue::Cleared,
            Value::String(text) => AttributeValue::Text { text: text.clone() },
            Value::Number(n) => match n.as_i64().and_then(|y| i32::try_from(y).ok()) {
                Some(year) => AttributeValue::Year { year },
                None => AttributeValue::Text {
                    text: n.to_string(),
                },
            },
            other => AttributeValue::Text {
                text: other.to_string(),
            },
        }
    }
}

/// The content of a payload, by its kind's own conversion.
pub fn of(payload: &Payload) -> EntryContent {
    use super::*;
    match payload {
        Payload::PersonNoted(p) => person_noted::content(p),
        Payload::PersonUpdated(p) => person_updated::content(p),
        Payload::PersonMerged(p) => person_merged::content(p),
        Payload::RiskChecked(p) => risk_checked::content(p),
        Payload::ContactLogged(p) => contact_logged::content(p),
        Payload::ScreeningRecorded(p) => screening_recorded::content(p),
        Payload::StageAssessed(p) => stage_assessed::content(p),
        Payload::EntryAmended(p) => entry_amended::content(p),
        Payload::EntryVoided(p) => entry_voided::content(p),
    }
}

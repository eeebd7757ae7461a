//! A change to a person's attributes (`person.updated`), replacing every value the worker could
//! see.
//!
//! Its command: the shell's input made into a payload, with the references checked. (Its payload
//! type and rules are still in `journal`, its projection in `projection`: issue 11 brings them
//! here.)

use rusqlite::Connection;

use super::Built;
use crate::error::{Error, Result};
use crate::journal::{self, Payload};
use serde_json::Value;

use super::subject::{non_empty, require_person};
use crate::projection;

/// A change to a person's attributes; `None` leaves an attribute as it is. An empty
/// description clears it; `clear_birth_year` removes the birth year.
#[derive(Debug, Clone, PartialEq, Eq, Default, uniffi::Record)]
pub struct PersonUpdate {
    pub person: String,
    pub alias: Option<String>,
    pub description: Option<String>,
    pub birth_year: Option<i32>,
    pub clear_birth_year: bool,
}

/// The subject, the stated time and the payload of the entry to record.
pub(crate) fn build(tx: &Connection, input: &PersonUpdate) -> Result<Built> {
    let person = require_person(tx, &input.person)?;
    let mut attributes = std::collections::BTreeMap::new();
    if let Some(alias) = &input.alias {
        attributes.insert(
            "alias".to_string(),
            Value::from(journal::name("alias", alias, journal::LIMIT_ALIAS)?),
        );
    }
    if let Some(description) = &input.description {
        attributes.insert(
            "description".to_string(),
            non_empty(Some(description.clone())).map_or(Value::Null, Value::from),
        );
    }
    if input.clear_birth_year && input.birth_year.is_some() {
        return Err(Error::invalid(
            "birth_year",
            "give a birth year or clear it, not both",
        ));
    }
    if let Some(year) = input.birth_year {
        attributes.insert("birth_year".to_string(), Value::from(year));
    } else if input.clear_birth_year {
        attributes.insert("birth_year".to_string(), Value::Null);
    }
    // The change replaces every value the worker could see, conflicting ones included:
    // recording a change is how a conflict is settled.
    let mut based_on = std::collections::BTreeMap::new();
    for attribute in attributes.keys() {
        let heads = projection::attribute_heads(tx, &person, attribute)?;
        based_on.insert(
            attribute.clone(),
            heads.into_iter().map(|h| h.entry_id).collect(),
        );
    }
    let payload = Payload::PersonUpdated(journal::PersonUpdated {
        attributes,
        based_on,
    });
    Ok((person, None, payload))
}

/// What the timeline shows of it.
pub fn content(p: &journal::PersonUpdated) -> super::EntryContent {
    super::EntryContent::PersonUpdated {
        changes: p
            .attributes
            .iter()
            .map(|(attribute, value)| super::AttributeChange {
                attribute: attribute.clone(),
                value: super::AttributeValue::from_json(value),
            })
            .collect(),
    }
}

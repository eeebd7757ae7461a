//! A change to a person's attributes (`person.updated`), replacing every value the worker could
//! see. `based_on` names, per attribute, the entries whose value the worker saw and replaces: two
//! changes that did not see each other both stay, as a conflict, until a later change names both.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::persons::{PersonAttribute, refresh_attributes};
use super::subject::{non_empty, require_person};
use super::{
    AttributeChange, AttributeValue, Built, Corrections, EntryContent, Kind, Payload, Referral,
};
use crate::error::{Error, Result};
use crate::journal::{self, Entry, EntryId, EntryKind, LIMIT_ALIAS};
use crate::projection::{self, insert_attribute};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonUpdated {
    pub attributes: BTreeMap<String, Value>,
    #[serde(default)]
    pub based_on: BTreeMap<String, Vec<EntryId>>,
}

/// What the timeline shows of a change: each attribute it sets, typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct PersonUpdatedContent {
    pub changes: Vec<AttributeChange>,
}

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

impl Kind for PersonUpdated {
    type Input = PersonUpdate;

    // A change is corrected by another change.
    const CORRECTIONS: Corrections = Corrections::None;

    fn build(tx: &Connection, _now: DateTime<Utc>, input: &PersonUpdate) -> Result<Built> {
        let person = require_person(tx, &input.person)?;
        let mut attributes = BTreeMap::new();
        if let Some(alias) = &input.alias {
            attributes.insert(
                PersonAttribute::Alias.name().to_string(),
                Value::from(journal::name("alias", alias, LIMIT_ALIAS)?),
            );
        }
        if let Some(description) = &input.description {
            attributes.insert(
                PersonAttribute::Description.name().to_string(),
                non_empty(Some(description.clone())).map_or(Value::Null, Value::from),
            );
        }
        if input.clear_birth_year && input.birth_year.is_some() {
            return Err(Error::invalid(
                "birth_year",
                "give a birth year or clear it, not both",
            ));
        }
        let birth_year = PersonAttribute::BirthYear.name().to_string();
        if let Some(year) = input.birth_year {
            attributes.insert(birth_year, Value::from(year));
        } else if input.clear_birth_year {
            attributes.insert(birth_year, Value::Null);
        }
        // The change replaces every value the worker could see, conflicting ones included:
        // recording a change is how a conflict is settled.
        let mut based_on = BTreeMap::new();
        for attribute in attributes.keys() {
            let heads = projection::attribute_heads(tx, &person, attribute)?;
            based_on.insert(
                attribute.clone(),
                heads.into_iter().map(|h| EntryId::stored(h.entry_id)).collect(),
            );
        }
        let payload = Payload::PersonUpdated(PersonUpdated {
            attributes,
            based_on,
        });
        Ok((person, None, payload))
    }

    fn validate(&self) -> Result<()> {
        if self.attributes.is_empty() {
            return Err(Error::invalid(
                "attributes",
                "name at least one attribute to change",
            ));
        }
        for (name, value) in &self.attributes {
            PersonAttribute::parse(name)?.validate(value)?;
        }
        for (name, ids) in &self.based_on {
            if !self.attributes.contains_key(name) {
                return Err(Error::invalid(
                    "based_on",
                    "names an attribute the entry does not change",
                ));
            }
            for id in ids {
                journal::entry_id("based_on", id)?;
            }
        }
        Ok(())
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        for (attribute, value) in &self.attributes {
            insert_attribute(conn, entry, attribute, value)?;
            for superseded in self.based_on.get(attribute).into_iter().flatten() {
                conn.prepare_cached(
                    "INSERT OR IGNORE INTO attribute_supersedes (entry_id, attribute, superseded) VALUES (?1, ?2, ?3)",
                )?
                .execute(params![entry.id, attribute, superseded])?;
            }
        }
        refresh_attributes(conn, &entry.subject)
    }

    fn content(&self) -> EntryContent {
        EntryContent::PersonUpdated(PersonUpdatedContent {
            changes: self
                .attributes
                .iter()
                .map(|(attribute, value)| AttributeChange {
                    attribute: attribute.clone(),
                    value: AttributeValue::from_json(value),
                })
                .collect(),
        })
    }

    fn references(&self) -> Vec<(&'static str, &EntryId)> {
        self.based_on
            .values()
            .flatten()
            .map(|id| ("based_on", id))
            .collect()
    }

    fn follow_references(&mut self, follow: &mut dyn FnMut(&mut EntryId)) {
        self.based_on.values_mut().flatten().for_each(follow);
    }

    /// Earlier values of the same person.
    fn may_refer_to(&self, _field: &str, r: &Referral<'_>) -> Result<bool> {
        Ok(r.same_subject()
            && matches!(
                r.referenced.kind,
                EntryKind::PersonNoted | EntryKind::PersonUpdated
            ))
    }
}

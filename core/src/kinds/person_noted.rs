//! A citizen noted by alias (`person.noted`), possibly an unknown citizen now identified.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::persons::{PersonAttribute, merge_subjects, refresh_attributes};
use super::records::refresh_person;
use super::subject::{non_empty, require_unknown_citizen};
use super::{Built, Corrections, EntryContent, Kind, Payload};
use crate::error::{Error, Result};
use crate::journal::{self, Entry, LIMIT_ALIAS, LIMIT_LONG, SubjectId};
use crate::projection::{self, canonical, insert_attribute, is_voided, last_contact};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonNoted {
    pub alias: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_year: Option<i32>,
    /// The unknown citizen this person was first recorded as, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_unknown: Option<SubjectId>,
}

/// What the timeline shows of a person noted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct PersonNotedContent {
    pub alias: String,
    pub description: Option<String>,
    pub birth_year: Option<i32>,
    /// The unknown citizen this person turned out to be.
    pub from_unknown: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewPerson {
    pub alias: String,
    pub description: Option<String>,
    pub birth_year: Option<i32>,
    /// The unknown citizen this person turns out to be: their records join the person.
    pub from_unknown: Option<String>,
    pub occurred_at: Option<String>,
}

impl Kind for PersonNoted {
    type Input = NewPerson;

    // A person noted by mistake is voided; their details are changed by `person.updated`.
    const CORRECTIONS: Corrections = Corrections::Void;
    const MAY_JOIN: bool = true;

    fn build(tx: &Connection, _now: DateTime<Utc>, input: &NewPerson) -> Result<Built> {
        if let Some(unknown) = &input.from_unknown {
            journal::entry_id("from_unknown", unknown)?;
            require_unknown_citizen(tx, unknown)?;
            if projection::canonical(tx, unknown)? != *unknown {
                return Err(Error::not_allowed(
                    "this unknown citizen is already identified as a person",
                ));
            }
        }
        let payload = Payload::PersonNoted(PersonNoted {
            alias: journal::name("alias", &input.alias, LIMIT_ALIAS)?,
            description: non_empty(input.description.clone()),
            birth_year: input.birth_year,
            from_unknown: input.from_unknown.clone().map(SubjectId::stored),
        });
        Ok((journal::new_id(), input.occurred_at.clone(), payload))
    }

    fn validate(&self) -> Result<()> {
        journal::name_rules("alias", &self.alias, LIMIT_ALIAS)?;
        journal::optional_text("description", self.description.as_deref(), LIMIT_LONG)?;
        journal::birth_year(self.birth_year)?;
        journal::optional_id("from_unknown", self.from_unknown.as_deref())
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO persons (id, noted_entry, noted_at, alias, description, birth_year)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            entry.subject,
            entry.id,
            entry.occurred_at,
            self.alias,
            self.description,
            self.birth_year
        ])?;
        for attribute in PersonAttribute::ALL {
            let value = match attribute {
                PersonAttribute::Alias => Value::from(self.alias.clone()),
                PersonAttribute::Description => {
                    self.description.clone().map_or(Value::Null, Value::from)
                }
                PersonAttribute::BirthYear => self.birth_year.map_or(Value::Null, Value::from),
            };
            insert_attribute(conn, entry, attribute.name(), &value)?;
        }
        let kept = canonical(conn, &entry.subject)?;
        if kept != entry.subject {
            // Merged away before it arrived here (sync delivers in any order): it joins the
            // person kept, as it would have had it come first.
            conn.prepare_cached("UPDATE persons SET merged_into = ?2 WHERE id = ?1")?
                .execute(params![entry.subject, kept])?;
        } else {
            // Records about the person may have arrived first: the list entry and the
            // summary start from whatever is already there.
            conn.prepare_cached(
                "INSERT INTO listing (last_contact, noted_at, person_id) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![
                last_contact(conn, &entry.subject)?,
                entry.occurred_at,
                entry.subject
            ])?;
            refresh_person(conn, &entry.subject)?;
        }
        if is_voided(conn, &entry.id)? {
            // Voided before it arrived here (sync can deliver the void first).
            projection::set_person_voided(conn, &entry.subject, true)?;
        }
        if let Some(unknown) = &self.from_unknown {
            merge_subjects(conn, &entry.subject, unknown)?;
        }
        refresh_attributes(conn, &entry.subject)
    }

    fn reproject(conn: &Connection, entry: &Entry) -> Result<()> {
        projection::set_person_voided(conn, &entry.subject, is_voided(conn, &entry.id)?)
    }

    fn content(&self) -> EntryContent {
        EntryContent::PersonNoted(PersonNotedContent {
            alias: self.alias.clone(),
            description: self.description.clone(),
            birth_year: self.birth_year,
            from_unknown: self.from_unknown.as_ref().map(ToString::to_string),
        })
    }

    fn joins(&self) -> Option<&SubjectId> {
        self.from_unknown.as_ref()
    }
}

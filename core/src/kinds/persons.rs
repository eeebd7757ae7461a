//! What the person kinds (noted, updated, merged) share: a person's attributes, each a closed
//! list with its rules and its column, and the join of two subjects into one.

use rusqlite::{Connection, params};
use serde_json::Value;

use super::records::{move_records, refresh_person};
use crate::error::{Error, Result};
use crate::journal::{self, LIMIT_ALIAS, LIMIT_LONG};
use crate::projection::{
    attribute_heads, canonical, last_contact, move_listing, remove_from_listing,
};

/// An attribute of a person a worker may change (`person.updated`). Closed: every match over it
/// is exhaustive, so a new attribute cannot be forgotten where it is validated or shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonAttribute {
    Alias,
    Description,
    BirthYear,
}

impl PersonAttribute {
    pub const ALL: [PersonAttribute; 3] = [
        PersonAttribute::Alias,
        PersonAttribute::Description,
        PersonAttribute::BirthYear,
    ];

    /// Its name in a payload, and its column in `persons`.
    pub fn name(self) -> &'static str {
        match self {
            PersonAttribute::Alias => "alias",
            PersonAttribute::Description => "description",
            PersonAttribute::BirthYear => "birth_year",
        }
    }

    /// Its name in the worker's words, for a conflict over it (`AttributeConflict::label`), so
    /// that no shell keeps the attributes' names. The project's own words (the seeds name no
    /// attributes); the code is `name`.
    pub fn label(self) -> crate::vocabulary::Label {
        let (da, en) = match self {
            PersonAttribute::Alias => ("Kaldenavn", "Nickname"),
            PersonAttribute::Description => ("Beskrivelse", "Description"),
            PersonAttribute::BirthYear => ("Fødselsår", "Birth year"),
        };
        crate::vocabulary::Label {
            code: self.name().into(),
            da: da.into(),
            en: en.into(),
        }
    }

    pub fn parse(name: &str) -> Result<PersonAttribute> {
        PersonAttribute::ALL
            .into_iter()
            .find(|a| a.name() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = PersonAttribute::ALL.iter().map(|a| a.name()).collect();
                Error::invalid(
                    "attributes",
                    format!("unknown attribute; allowed: {}", names.join(", ")),
                )
            })
    }

    /// The rules of a value a change sets.
    pub fn validate(self, value: &Value) -> Result<()> {
        match self {
            PersonAttribute::Alias => match value {
                Value::String(s) => journal::name_rules("alias", s, LIMIT_ALIAS),
                _ => Err(Error::invalid("alias", "must be text")),
            },
            PersonAttribute::Description => match value {
                Value::String(s) => journal::optional_text("description", Some(s), LIMIT_LONG),
                Value::Null => Ok(()),
                _ => Err(Error::invalid("description", "must be text or null")),
            },
            PersonAttribute::BirthYear => match value {
                Value::Null => Ok(()),
                Value::Number(n) => {
                    let y = n
                        .as_i64()
                        .and_then(|y| i32::try_from(y).ok())
                        .ok_or_else(|| Error::invalid("birth_year", "must be a year"))?;
                    journal::birth_year(Some(y))
                }
                _ => Err(Error::invalid("birth_year", "must be a year or null")),
            },
        }
    }

    /// Shows a value in the person's row. An alias is never removed: a value other than text
    /// leaves the row as it was.
    fn show(self, conn: &Connection, person: &str, value: &Value) -> Result<()> {
        match self {
            PersonAttribute::Alias => {
                if let Some(alias) = value.as_str() {
                    conn.execute(
                        "UPDATE persons SET alias = ?2 WHERE id = ?1",
                        params![person, alias],
                    )?;
                }
            }
            PersonAttribute::Description => {
                conn.execute(
                    "UPDATE persons SET description = ?2 WHERE id = ?1",
                    params![person, value.as_str()],
                )?;
            }
            PersonAttribute::BirthYear => {
                conn.execute(
                    "UPDATE persons SET birth_year = ?2 WHERE id = ?1",
                    params![person, value.as_i64()],
                )?;
            }
        }
        Ok(())
    }
}

/// Recomputes a person's current attributes: per attribute, the values no later change has
/// replaced ("heads"); the latest by HLC is shown, and more than one head is a conflict.
pub(crate) fn refresh_attributes(conn: &Connection, person: &str) -> Result<()> {
    let mut conflicts = 0;
    for attribute in PersonAttribute::ALL {
        let heads = attribute_heads(conn, person, attribute.name())?;
        if heads.len() > 1 {
            conflicts += 1;
        }
        let Some(head) = heads.first() else { continue };
        let value: Value = serde_json::from_str(&head.value)?;
        attribute.show(conn, person, &value)?;
    }
    conn.execute(
        "UPDATE persons SET attribute_conflicts = ?2 WHERE id = ?1",
        params![person, conflicts],
    )?;
    Ok(())
}

/// Joins `duplicate` into `keep`: both resolve to their current subjects first, so merges made
/// on different phones in any order end in the same place, and a merge of two already joined
/// subjects changes nothing.
pub(crate) fn merge_subjects(conn: &Connection, keep: &str, duplicate: &str) -> Result<()> {
    let keep = canonical(conn, keep)?;
    let duplicate = canonical(conn, duplicate)?;
    if keep == duplicate {
        return Ok(());
    }
    let (keep_before, duplicate_before) =
        (last_contact(conn, &keep)?, last_contact(conn, &duplicate)?);
    remove_from_listing(conn, &duplicate, &duplicate_before)?;
    conn.execute(
        "UPDATE subject_redirects SET to_id = ?1 WHERE to_id = ?2",
        params![keep, duplicate],
    )?;
    conn.execute(
        "INSERT OR REPLACE INTO subject_redirects (from_id, to_id) VALUES (?1, ?2)",
        params![duplicate, keep],
    )?;
    conn.execute(
        "UPDATE persons SET merged_into = ?1 WHERE id = ?2 OR merged_into = ?2",
        params![keep, duplicate],
    )?;
    move_records(conn, &duplicate, &keep)?;
    move_listing(conn, &keep, &keep_before, &last_contact(conn, &keep)?)?;
    // The duplicate's summary empties with its rows gone, whatever it had shown before: a
    // replica that saw its records before the merge must end as one that saw the merge first.
    refresh_person(conn, &duplicate)?;
    refresh_person(conn, &keep)
}

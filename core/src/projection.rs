//! The projection tables below the kinds: the parts every kind's projection shares (the
//! subjects a merge redirects, the persons list kept in order, unknown citizens, person
//! attributes and the corrections table) and the look-ups commands and screens make of them.
//!
//! Nothing here knows a kind: each kind's `project` (in `kinds/`) calls these, and
//! `kinds::replay` applies and rebuilds the whole. Corrections are applied by *re-projecting*
//! their target from its original payload plus every amendment that is not itself voided, so the
//! order in which a correction and its target arrive does not change the result.

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

use crate::error::Result;
use crate::journal::Entry;

/// The projection tables every store has whatever its kinds, in the order a rebuild clears
/// them; each record kind's own table follows them (`kinds::replay::projection_tables`).
pub const SHARED_TABLES: &[&str] = &[
    "subject_redirects",
    "persons",
    "listing",
    "unknown_citizens",
    "person_attributes",
    "attribute_supersedes",
    "corrections",
];

pub(crate) fn insert_attribute(
    conn: &Connection,
    entry: &Entry,
    attribute: &str,
    value: &Value,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO person_attributes (entry_id, attribute, person_id, value, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![entry.id, attribute, entry.subject, value.to_string(), entry.recorded_at])?;
    Ok(())
}

pub(crate) fn insert_correction(
    conn: &Connection,
    entry: &Entry,
    target: &str,
    kind: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO corrections (entry_id, target, kind, recorded_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![entry.id, target, kind, entry.recorded_at])?;
    Ok(())
}

pub(crate) fn note_unknown(conn: &Connection, entry: &Entry, description: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO unknown_citizens (id, first_entry, first_seen_at, description) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![entry.subject, entry.id, entry.occurred_at, description])?;
    Ok(())
}

/// Whether an entry is voided. Only a void about the same citizen counts: a correction of
/// another citizen's entry was refused where it was recorded, so it can only come from a faulty
/// or hostile replica, and every replica ignores it alike, in whatever order it arrives.
pub fn is_voided(conn: &Connection, entry_id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM corrections c
                JOIN entries v ON v.id = c.entry_id
                JOIN entries t ON t.id = c.target
             WHERE c.target = ?1 AND c.kind = 'voided' AND v.subject = t.subject)",
        )?
        .query_row([entry_id], |r| r.get(0))?)
}

/// The subject a possibly merged-away id now stands for.
pub fn canonical(conn: &Connection, subject: &str) -> Result<String> {
    Ok(conn
        .prepare_cached("SELECT to_id FROM subject_redirects WHERE from_id = ?1")?
        .query_row([subject], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| subject.to_string()))
}

/// The ids merged into the kept subject `kept` (duplicates merged, an unknown citizen
/// identified), sorted.
pub fn merged_into(conn: &Connection, kept: &str) -> Result<Vec<String>> {
    Ok(conn
        .prepare_cached("SELECT from_id FROM subject_redirects WHERE to_id = ?1 ORDER BY from_id")?
        .query_map([kept], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Every id the citizen kept as `kept` is known by: that one first, then those merged into it.
pub fn known_as(conn: &Connection, kept: &str) -> Result<Vec<String>> {
    let mut ids = merged_into(conn, kept)?;
    ids.insert(0, kept.to_string());
    Ok(ids)
}

/// The person a subject resolves to, or `None` for an unknown citizen not yet identified.
pub fn resolve_person(conn: &Connection, subject: &str) -> Result<Option<String>> {
    let id = canonical(conn, subject)?;
    let exists: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM persons WHERE id = ?1)")?
        .query_row([&id], |r| r.get(0))?;
    Ok(exists.then_some(id))
}

/// One current value of a person's attribute.
#[derive(Debug, Clone)]
pub struct AttributeHead {
    pub entry_id: String,
    pub value: String,
    pub recorded_at: String,
}

/// The values of an attribute that no later change has replaced, latest first.
pub fn attribute_heads(
    conn: &Connection,
    person: &str,
    attribute: &str,
) -> Result<Vec<AttributeHead>> {
    let mut stmt = conn.prepare_cached(
        "SELECT pa.entry_id, pa.value, pa.recorded_at FROM person_attributes pa
         WHERE pa.person_id = ?1 AND pa.attribute = ?2
           AND NOT EXISTS (SELECT 1 FROM attribute_supersedes s WHERE s.superseded = pa.entry_id AND s.attribute = pa.attribute)
         ORDER BY pa.recorded_at DESC, pa.entry_id DESC",
    )?;
    let rows = stmt.query_map(params![person, attribute], |r| {
        Ok(AttributeHead {
            entry_id: r.get(0)?,
            value: r.get(1)?,
            recorded_at: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// When the citizen was last met (a contact made or declined, not voided); `""` for never, which
/// is also the key the persons list sorts never-met persons under.
pub fn last_contact(conn: &Connection, owner: &str) -> Result<String> {
    Ok(conn
        // Walks the owner's contacts back from the newest, stopping at the first one that counts.
        .prepare_cached(
            "SELECT occurred_at FROM contacts WHERE owner = ?1 AND met = 1 AND voided = 0
             ORDER BY occurred_at DESC LIMIT 1",
        )?
        .query_row([owner], |r| r.get(0))
        .optional()?
        .unwrap_or_default())
}

/// Moves a person's row in the persons list from one last-contact key to another. The list
/// holds exactly the persons neither merged away nor voided, each under `last_contact`; an owner
/// without a row (an unknown citizen, a merged or voided person) is left alone.
pub(crate) fn move_listing(conn: &Connection, person: &str, from: &str, to: &str) -> Result<()> {
    if from != to {
        conn.prepare_cached(
            "UPDATE listing SET last_contact = ?3
             WHERE last_contact = ?2 AND person_id = ?1
               AND noted_at = (SELECT noted_at FROM persons WHERE id = ?1)",
        )?
        .execute(params![person, from, to])?;
    }
    Ok(())
}

pub(crate) fn remove_from_listing(conn: &Connection, person: &str, key: &str) -> Result<()> {
    conn.prepare_cached(
        "DELETE FROM listing WHERE last_contact = ?2 AND person_id = ?1
           AND noted_at = (SELECT noted_at FROM persons WHERE id = ?1)",
    )?
    .execute(params![person, key])?;
    Ok(())
}

/// Marks a person voided (or not) and takes them off (or puts them back on) the persons list.
pub(crate) fn set_person_voided(conn: &Connection, person: &str, voided: bool) -> Result<()> {
    let key = last_contact(conn, person)?;
    remove_from_listing(conn, person, &key)?;
    conn.prepare_cached("UPDATE persons SET voided = ?2 WHERE id = ?1")?
        .execute(params![person, voided])?;
    if !voided {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO listing (last_contact, noted_at, person_id)
             SELECT ?2, noted_at, id FROM persons WHERE id = ?1 AND merged_into IS NULL",
        )?
        .execute(params![person, key])?;
    }
    Ok(())
}

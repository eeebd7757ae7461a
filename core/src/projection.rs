//! Projections: the read tables (persons, contacts, risk checks, screenings, stages) kept from
//! the journal, in the same transaction as the entry that changes them.
//!
//! `apply` takes one entry in; `rebuild` clears every projection and replays the journal in HLC
//! order, and must give the same tables (a property test holds it to that). Corrections are
//! applied by *re-projecting* their target from its original payload plus every amendment that
//! is not itself voided, so the order in which a correction and its target arrive does not
//! change the result.

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

use crate::entries;
use crate::error::Result;
use crate::instruments;
use crate::journal::{self, Entry, EntryAmended, EntryKind, Payload};
use crate::schema;

/// The record tables whose rows are about a subject, each keyed by the entry that made it.
pub const RECORD_TABLES: [&str; 4] = ["contacts", "risk_checks", "screenings", "stages"];

fn record_table(kind: EntryKind) -> Option<&'static str> {
    match kind {
        EntryKind::ContactLogged => Some("contacts"),
        EntryKind::RiskChecked => Some("risk_checks"),
        EntryKind::ScreeningRecorded => Some("screenings"),
        EntryKind::StageAssessed => Some("stages"),
        _ => None,
    }
}

/// Takes one new entry (already validated and inserted in the journal) into the projections.
pub fn apply(conn: &Connection, entry: &Entry, payload: &Payload) -> Result<()> {
    match payload {
        Payload::PersonNoted(p) => {
            conn.prepare_cached(
                "INSERT INTO persons (id, noted_entry, noted_at, alias, description, birth_year)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                entry.subject,
                entry.id,
                entry.occurred_at,
                p.alias,
                p.description,
                p.birth_year
            ])?;
            let values = [
                ("alias", Value::from(p.alias.clone())),
                (
                    "description",
                    p.description.clone().map_or(Value::Null, Value::from),
                ),
                ("birth_year", p.birth_year.map_or(Value::Null, Value::from)),
            ];
            for (attribute, value) in values {
                insert_attribute(conn, entry, attribute, &value)?;
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
                set_person_voided(conn, &entry.subject, true)?;
            }
            if let Some(unknown) = &p.from_unknown {
                merge_subjects(conn, &entry.subject, unknown)?;
            }
            refresh_attributes(conn, &entry.subject)?;
        }
        Payload::PersonUpdated(p) => {
            for (attribute, value) in &p.attributes {
                insert_attribute(conn, entry, attribute, value)?;
                for superseded in p.based_on.get(attribute).into_iter().flatten() {
                    conn.prepare_cached(
                        "INSERT OR IGNORE INTO attribute_supersedes (entry_id, attribute, superseded) VALUES (?1, ?2, ?3)",
                    )?
                    .execute(params![entry.id, attribute, superseded])?;
                }
            }
            refresh_attributes(conn, &entry.subject)?;
        }
        Payload::PersonMerged(p) => merge_subjects(conn, &entry.subject, &p.duplicate)?,
        Payload::RiskChecked(journal::RiskChecked { unknown, .. })
        | Payload::ContactLogged(journal::ContactLogged { unknown, .. }) => {
            if let Some(description) = unknown {
                note_unknown(conn, entry, description)?;
            }
            project_new_record(conn, entry, payload)?;
        }
        Payload::ScreeningRecorded(_) | Payload::StageAssessed(_) => {
            project_new_record(conn, entry, payload)?
        }
        Payload::EntryAmended(p) => {
            insert_correction(conn, entry, &p.target, "amended")?;
            reproject(conn, &p.target)?;
        }
        Payload::EntryVoided(p) => {
            insert_correction(conn, entry, &p.target, "voided")?;
            reproject(conn, &p.target)?;
        }
    }
    Ok(())
}

/// Every row of every projection table, sorted, as text: two replicas (or one before and after
/// a rebuild) hold the same projections exactly when their dumps are equal. For tests and checks.
pub fn dump(conn: &Connection) -> Result<Vec<String>> {
    crate::db::dump_tables(conn, schema::PROJECTION_TABLES)
}

/// Clears every projection and replays the whole journal in HLC order.
pub fn rebuild(conn: &Connection) -> Result<()> {
    for table in schema::PROJECTION_TABLES {
        conn.execute(&format!("DELETE FROM {table}"), [])?;
    }
    entries::for_each_in_hlc_order(conn, |entry| {
        let payload = Payload::read(entry.kind, &entry.payload)?;
        apply(conn, &entry, &payload)
    })?;
    conn.execute("DELETE FROM meta WHERE key = ?1", [schema::NEEDS_REBUILD])?;
    Ok(())
}

fn insert_attribute(
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

fn insert_correction(conn: &Connection, entry: &Entry, target: &str, kind: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO corrections (entry_id, target, kind, recorded_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![entry.id, target, kind, entry.recorded_at])?;
    Ok(())
}

fn note_unknown(conn: &Connection, entry: &Entry, description: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO unknown_citizens (id, first_entry, first_seen_at, description) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![entry.subject, entry.id, entry.occurred_at, description])?;
    Ok(())
}

/// Re-projects whatever a correction targets.
fn reproject(conn: &Connection, target: &str) -> Result<()> {
    let Some(entry) = entries::load(conn, target)? else {
        // The target has not arrived yet; when it does, `project_record` folds this correction in.
        return Ok(());
    };
    match entry.kind {
        EntryKind::EntryAmended => {
            let amended: EntryAmended = serde_json::from_str(&entry.payload)?;
            reproject(conn, &amended.target)
        }
        EntryKind::PersonNoted => {
            set_person_voided(conn, &entry.subject, is_voided(conn, &entry.id)?)
        }
        kind if record_table(kind).is_some() => project_record(conn, &entry.id),
        _ => Ok(()),
    }
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

/// What an entry says once its amendments are applied.
pub struct Effective {
    pub entry: Entry,
    pub payload: Payload,
    pub occurred_at: String,
    /// The amendments applied, oldest first.
    pub amended_by: Vec<String>,
    /// The void entry and its reason, if the entry is voided.
    pub voided: Option<(String, String)>,
}

/// Folds an entry's amendments (in HLC order, skipping voided ones) over its payload. An
/// amendment that would make the payload break its kind's rules, touch a field that says who
/// the entry is about, or that is about another citizen, is skipped: it was refused where it was
/// recorded, so it can only come from a faulty replica, and skipping it is the same decision on
/// every replica.
pub fn effective(conn: &Connection, entry: Entry) -> Result<Effective> {
    let mut value: Value = serde_json::from_str(&entry.payload)?;
    let mut occurred_at = entry.occurred_at.clone();
    let mut amended_by = Vec::new();
    let mut voided = None;
    let corrections: Vec<(String, String)> = conn
        .prepare_cached("SELECT entry_id, kind FROM corrections WHERE target = ?1 ORDER BY recorded_at, entry_id")?
        .query_map([&entry.id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (correction_id, kind) in corrections {
        let Some(correction) = entries::load(conn, &correction_id)? else {
            continue;
        };
        // A correction about another citizen is ignored, as in `is_voided`.
        if correction.subject != entry.subject {
            continue;
        }
        if kind == "voided" {
            if voided.is_none() {
                let p: journal::EntryVoided = serde_json::from_str(&correction.payload)?;
                voided = Some((correction_id, p.reason));
            }
            continue;
        }
        if is_voided(conn, &correction_id)? {
            continue;
        }
        let amendment: EntryAmended = serde_json::from_str(&correction.payload)?;
        if journal::IMMUTABLE_FIELDS
            .iter()
            .any(|f| amendment.patch.contains_key(*f))
        {
            continue;
        }
        let mut candidate = value.clone();
        journal::merge_patch(&mut candidate, &Value::Object(amendment.patch.clone()));
        if Payload::from_value(entry.kind, candidate.clone()).is_ok() {
            value = candidate;
            if let Some(at) = amendment.occurred_at {
                occurred_at = at;
            }
            amended_by.push(correction_id);
        }
    }
    // Either the stored payload or a candidate validated just above.
    let payload = Payload::read_value(entry.kind, value)?;
    Ok(Effective {
        entry,
        payload,
        occurred_at,
        amended_by,
        voided,
    })
}

/// Takes a record entry that has just arrived into its table. This is the write path of every
/// contact and risk check, so it is kept to one insert and one small update of the person:
/// unless a correction of it arrived first (possible only through sync), the payload in hand is
/// already the effective one and the person's summary can only move forward.
fn project_new_record(conn: &Connection, entry: &Entry, payload: &Payload) -> Result<()> {
    let corrected: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM corrections WHERE target = ?1)")?
        .query_row([&entry.id], |r| r.get(0))?;
    if corrected {
        return project_record(conn, &entry.id);
    }
    let owner = canonical(conn, &entry.subject)?;
    let row = RecordRow {
        entry,
        payload,
        occurred_at: &entry.occurred_at,
        owner: &owner,
        voided: false,
    };
    if let Payload::ContactLogged(c) = payload
        && c.outcome.met_citizen()
    {
        let before = last_contact(conn, &owner)?;
        insert_record_row(conn, &row)?;
        if before.as_str() < row.occurred_at {
            move_listing(conn, &owner, &before, row.occurred_at)?;
        }
        return Ok(());
    }
    insert_record_row(conn, &row)?;
    advance_person(conn, &row)
}

/// (Re)writes the projection row of one record entry from its effective payload, after a
/// correction; the person's summary is then recomputed, since a void or an amendment can move
/// it back as well as forward.
fn project_record(conn: &Connection, entry_id: &str) -> Result<()> {
    let Some(entry) = entries::load(conn, entry_id)? else {
        return Ok(());
    };
    let Some(table) = record_table(entry.kind) else {
        return Ok(());
    };
    let owner = canonical(conn, &entry.subject)?;
    let before = last_contact(conn, &owner)?;
    conn.prepare_cached(&format!(
        "DELETE FROM {table} WHERE owner = ?1 AND entry_id = ?2"
    ))?
    .execute(params![owner, entry_id])?;
    let eff = effective(conn, entry)?;
    let row = RecordRow {
        entry: &eff.entry,
        payload: &eff.payload,
        occurred_at: &eff.occurred_at,
        owner: &owner,
        voided: eff.voided.is_some(),
    };
    insert_record_row(conn, &row)?;
    move_listing(conn, &owner, &before, &last_contact(conn, &owner)?)?;
    refresh_person(conn, &owner)
}

/// One record as its projection row is made from it.
struct RecordRow<'a> {
    entry: &'a Entry,
    payload: &'a Payload,
    occurred_at: &'a str,
    owner: &'a str,
    voided: bool,
}

fn insert_record_row(conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
    let e = row.entry;
    match row.payload {
        Payload::ContactLogged(c) => {
            conn.prepare_cached(
                "INSERT INTO contacts (owner, occurred_at, entry_id, voided, author_worker, place_kind, kind, outcome,
                    met, with_colleague, minutes, risk_check_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?
            .execute(params![
                row.owner,
                row.occurred_at,
                e.id,
                row.voided,
                e.author_worker,
                c.place_kind.code(),
                c.kind.code(),
                c.outcome.code(),
                c.outcome.met_citizen(),
                c.colleague.is_some(),
                c.minutes,
                c.risk_check
            ])?;
        }
        Payload::RiskChecked(r) => {
            let scored = instruments::score_broset(&r.observed());
            conn.prepare_cached(
                "INSERT INTO risk_checks (owner, occurred_at, entry_id, voided, author_worker, score, band, instrument_version)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                row.owner,
                row.occurred_at,
                e.id,
                row.voided,
                e.author_worker,
                scored.score,
                scored.band.code(),
                r.instrument_version
            ])?;
        }
        Payload::ScreeningRecorded(s) => {
            let assessed = instruments::assess_screening(&s.criteria_met(), &s.high_areas());
            conn.prepare_cached(
                "INSERT INTO screenings (owner, occurred_at, entry_id, voided, author_worker, complex_burden, indicated,
                    decision, referral_kind, instrument_version)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                row.owner,
                row.occurred_at,
                e.id,
                row.voided,
                e.author_worker,
                assessed.complex_burden,
                assessed.indicated,
                s.decision.code(),
                s.referral_kind.map(|k| k.code()),
                s.instrument_version
            ])?;
        }
        Payload::StageAssessed(s) => {
            conn.prepare_cached(
                "INSERT INTO stages (owner, occurred_at, entry_id, voided, author_worker, stage, importance, confidence,
                    instrument_version)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                row.owner,
                row.occurred_at,
                e.id,
                row.voided,
                e.author_worker,
                s.stage.code(),
                s.importance,
                s.confidence,
                s.instrument_version
            ])?;
        }
        _ => {}
    }
    Ok(())
}

/// Moves a person's summary (latest risk check, stage, screening) forward for one new record,
/// if it is later than what the summary shows. "Later" is the same order `refresh_person` uses (time it happened, then entry id), so
/// the two always agree; an owner that is not a person matches no row.
fn advance_person(conn: &Connection, row: &RecordRow<'_>) -> Result<()> {
    let (sql, value): (&str, &str) = match row.payload {
        Payload::RiskChecked(r) => (
            "UPDATE persons SET risk_check_id = ?3, risk_band = ?4, risk_at = ?2
             WHERE id = ?1 AND (risk_at IS NULL OR (risk_at, risk_check_id) < (?2, ?3))",
            instruments::score_broset(&r.observed()).band.code(),
        ),
        Payload::StageAssessed(s) => (
            "UPDATE persons SET stage_entry = ?3, stage = ?4, stage_at = ?2
             WHERE id = ?1 AND (stage_at IS NULL OR (stage_at, stage_entry) < (?2, ?3))",
            s.stage.code(),
        ),
        Payload::ScreeningRecorded(s) => (
            "UPDATE persons SET screening_entry = ?3, screening_decision = ?4, screening_at = ?2
             WHERE id = ?1 AND (screening_at IS NULL OR (screening_at, screening_entry) < (?2, ?3))",
            s.decision.code(),
        ),
        _ => return Ok(()),
    };
    conn.prepare_cached(sql)?
        .execute(params![row.owner, row.occurred_at, row.entry.id, value])?;
    Ok(())
}

/// The subject a possibly merged-away id now stands for.
pub fn canonical(conn: &Connection, subject: &str) -> Result<String> {
    Ok(conn
        .prepare_cached("SELECT to_id FROM subject_redirects WHERE from_id = ?1")?
        .query_row([subject], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| subject.to_string()))
}

/// The person a subject resolves to, or `None` for an unknown citizen not yet identified.
pub fn resolve_person(conn: &Connection, subject: &str) -> Result<Option<String>> {
    let id = canonical(conn, subject)?;
    let exists: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM persons WHERE id = ?1)")?
        .query_row([&id], |r| r.get(0))?;
    Ok(exists.then_some(id))
}

/// Joins `duplicate` into `keep`: both resolve to their current subjects first, so merges made
/// on different phones in any order end in the same place, and a merge of two already joined
/// subjects changes nothing.
fn merge_subjects(conn: &Connection, keep: &str, duplicate: &str) -> Result<()> {
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
    for table in RECORD_TABLES {
        conn.prepare_cached(&format!("UPDATE {table} SET owner = ?1 WHERE owner = ?2"))?
            .execute(params![keep, duplicate])?;
    }
    move_listing(conn, &keep, &keep_before, &last_contact(conn, &keep)?)?;
    // The duplicate's summary empties with its rows gone, whatever it had shown before: a
    // replica that saw its records before the merge must end as one that saw the merge first.
    refresh_person(conn, &duplicate)?;
    refresh_person(conn, &keep)
}

/// Recomputes a person's current attributes: per attribute, the values no later change has
/// replaced ("heads"); the latest by HLC is shown, and more than one head is a conflict.
fn refresh_attributes(conn: &Connection, person: &str) -> Result<()> {
    let mut conflicts = 0;
    for attribute in journal::PERSON_ATTRIBUTES {
        let heads = attribute_heads(conn, person, attribute)?;
        if heads.len() > 1 {
            conflicts += 1;
        }
        let Some(head) = heads.first() else { continue };
        let value: Value = serde_json::from_str(&head.value)?;
        match attribute {
            "alias" => {
                if let Some(alias) = value.as_str() {
                    conn.execute(
                        "UPDATE persons SET alias = ?2 WHERE id = ?1",
                        params![person, alias],
                    )?;
                }
            }
            "description" => {
                conn.execute(
                    "UPDATE persons SET description = ?2 WHERE id = ?1",
                    params![person, value.as_str()],
                )?;
            }
            _ => {
                conn.execute(
                    "UPDATE persons SET birth_year = ?2 WHERE id = ?1",
                    params![person, value.as_i64()],
                )?;
            }
        }
    }
    conn.execute(
        "UPDATE persons SET attribute_conflicts = ?2 WHERE id = ?1",
        params![person, conflicts],
    )?;
    Ok(())
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

/// Recomputes a person's summary columns (latest risk check, stage, screening) from the record
/// tables, after a merge or a correction. Each is a look-up within the person's own rows, so the
/// cost does not grow with the journal.
pub fn refresh_person(conn: &Connection, person: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE persons SET
            (risk_check_id, risk_band, risk_at) = (SELECT entry_id, band, occurred_at FROM risk_checks
                WHERE owner = ?1 AND voided = 0 ORDER BY occurred_at DESC, entry_id DESC LIMIT 1),
            (stage_entry, stage, stage_at) = (SELECT entry_id, stage, occurred_at FROM stages
                WHERE owner = ?1 AND voided = 0 ORDER BY occurred_at DESC, entry_id DESC LIMIT 1),
            (screening_entry, screening_decision, screening_at) = (SELECT entry_id, decision, occurred_at FROM screenings
                WHERE owner = ?1 AND voided = 0 ORDER BY occurred_at DESC, entry_id DESC LIMIT 1)
         WHERE id = ?1",
    )?
    .execute([person])?;
    Ok(())
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
fn move_listing(conn: &Connection, person: &str, from: &str, to: &str) -> Result<()> {
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

fn remove_from_listing(conn: &Connection, person: &str, key: &str) -> Result<()> {
    conn.prepare_cached(
        "DELETE FROM listing WHERE last_contact = ?2 AND person_id = ?1
           AND noted_at = (SELECT noted_at FROM persons WHERE id = ?1)",
    )?
    .execute(params![person, key])?;
    Ok(())
}

/// Marks a person voided (or not) and takes them off (or puts them back on) the persons list.
fn set_person_voided(conn: &Connection, person: &str, voided: bool) -> Result<()> {
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

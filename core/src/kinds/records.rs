//! What every record kind (a contact, a risk check, a screening, a stage) shares: its row in its
//! own table, keyed by the subject it counts for now (`owner`) and time; the person's summary
//! columns it moves (`Summary`); and its re-projection after a correction.
//!
//! The summary refresh is one statement made from every record kind's `Summary`, so a new kind
//! with a summary column is refreshed, after merges and corrections, without being named here.

use std::sync::LazyLock;

use rusqlite::{Connection, params};

use super::replay::effective;
use super::{Kind, RecordRow, record_tables};
use crate::entries;
use crate::error::Result;
use crate::journal::Entry;
use crate::projection::{canonical, last_contact, move_listing};

/// Takes a record entry that has just arrived into its table. This is the write path of every
/// contact and risk check, so it is kept to one insert and one small update of the person:
/// unless a correction of it arrived first (possible only through sync), the payload in hand is
/// already the effective one and the person's summary can only move forward.
pub(crate) fn project_new<K: Kind>(conn: &Connection, entry: &Entry, record: &K) -> Result<()> {
    let corrected: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM corrections WHERE target = ?1)")?
        .query_row([&entry.id], |r| r.get(0))?;
    if corrected {
        return project_record(conn, &entry.id);
    }
    let owner = canonical(conn, &entry.subject)?;
    let row = RecordRow {
        entry,
        occurred_at: &entry.occurred_at,
        owner: &owner,
        voided: false,
    };
    let before = if record.meets_citizen() {
        Some(last_contact(conn, &owner)?)
    } else {
        None
    };
    record.insert_record(conn, &row)?;
    if let Some(before) = before
        && before.as_str() < row.occurred_at
    {
        move_listing(conn, &owner, &before, row.occurred_at)?;
    }
    advance_person(
        conn,
        &row,
        K::RECORD.and_then(|t| t.summary.as_ref()),
        record,
    )
}

/// (Re)writes the projection row of one record entry from its effective payload, after a
/// correction; the person's summary is then recomputed, since a void or an amendment can move
/// it back as well as forward.
pub(crate) fn project_record(conn: &Connection, entry_id: &str) -> Result<()> {
    let Some(entry) = entries::load(conn, entry_id)? else {
        return Ok(());
    };
    let Some(table) = entry.kind.record() else {
        return Ok(());
    };
    let owner = canonical(conn, &entry.subject)?;
    let before = last_contact(conn, &owner)?;
    conn.prepare_cached(&format!(
        "DELETE FROM {} WHERE owner = ?1 AND entry_id = ?2",
        table.table
    ))?
    .execute(params![owner, entry_id])?;
    let eff = effective(conn, entry)?;
    let row = RecordRow {
        entry: &eff.entry,
        occurred_at: &eff.occurred_at,
        owner: &owner,
        voided: eff.voided.is_some(),
    };
    eff.payload.insert_record(conn, &row)?;
    move_listing(conn, &owner, &before, &last_contact(conn, &owner)?)?;
    refresh_person(conn, &owner)
}

/// Moves a person's summary (the latest record of the kind) forward for one new record, if it is
/// later than what the summary shows. "Later" is the same order `refresh_person` uses (time it
/// happened, then entry id), so the two always agree; an owner that is not a person matches no
/// row.
fn advance_person<K: Kind>(
    conn: &Connection,
    row: &RecordRow<'_>,
    summary: Option<&super::Summary>,
    record: &K,
) -> Result<()> {
    let (Some(s), Some(value)) = (summary, record.summary_value()) else {
        return Ok(());
    };
    conn.prepare_cached(advance_sql(s))?.execute(params![
        row.owner,
        row.occurred_at,
        row.entry.id,
        value
    ])?;
    Ok(())
}

/// Each summary's `advance_person` statement, made once (it runs on the write path of every
/// record with a summary), keyed by the summary's entry column.
static ADVANCE: LazyLock<Vec<(&'static str, String)>> = LazyLock::new(|| {
    record_tables()
        .filter_map(|t| t.summary.as_ref())
        .map(|s| {
            let sql = format!(
                "UPDATE persons SET {entry} = ?3, {value} = ?4, {at} = ?2
                 WHERE id = ?1 AND ({at} IS NULL OR ({at}, {entry}) < (?2, ?3))",
                entry = s.entry,
                value = s.value,
                at = s.at
            );
            (s.entry, sql)
        })
        .collect()
});

fn advance_sql(summary: &super::Summary) -> &'static str {
    ADVANCE
        .iter()
        .find(|(entry, _)| *entry == summary.entry)
        .map(|(_, sql)| sql.as_str())
        .expect("every summary belongs to a record table of the registry")
}

/// The statement that recomputes every summary column of a person, made from the record kinds'
/// `Summary`s.
static REFRESH_PERSON: LazyLock<String> = LazyLock::new(|| {
    let sets: Vec<String> = record_tables()
        .filter_map(|t| t.summary.as_ref().map(|s| (t.table, s)))
        .map(|(table, s)| {
            format!(
                "({entry}, {value}, {at}) = (SELECT entry_id, {from}, occurred_at FROM {table}
                    WHERE owner = ?1 AND voided = 0 ORDER BY occurred_at DESC, entry_id DESC LIMIT 1)",
                entry = s.entry,
                value = s.value,
                at = s.at,
                from = s.from,
            )
        })
        .collect();
    format!("UPDATE persons SET {} WHERE id = ?1", sets.join(",\n"))
});

/// Recomputes a person's summary columns (the latest record of each kind that has one) from the
/// record tables, after a merge or a correction. Each is a look-up within the person's own rows,
/// so the cost does not grow with the journal.
pub fn refresh_person(conn: &Connection, person: &str) -> Result<()> {
    conn.prepare_cached(&REFRESH_PERSON)?.execute([person])?;
    Ok(())
}

/// The latest time any record about a person says it happened, over every record kind's table
/// (each reached by its key, owner then time), made from the registry.
static LAST_RECORDED: LazyLock<String> = LazyLock::new(|| {
    let parts: Vec<String> = record_tables()
        .map(|t| {
            format!(
                "SELECT max(occurred_at) AS at FROM {} WHERE owner = ?1",
                t.table
            )
        })
        .collect();
    format!("SELECT max(at) FROM ({})", parts.join(" UNION ALL "))
});

/// When the latest record about a person happened (none: nothing recorded but the person).
pub fn last_recorded(conn: &Connection, person: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(&LAST_RECORDED)?
        .query_row([person], |r| r.get(0))?)
}

/// Moves every record of `from` to `to` (a merge), in every record kind's table.
pub(crate) fn move_records(conn: &Connection, from: &str, to: &str) -> Result<()> {
    for table in record_tables() {
        conn.prepare_cached(&format!(
            "UPDATE {} SET owner = ?1 WHERE owner = ?2",
            table.table
        ))?
        .execute(params![to, from])?;
    }
    Ok(())
}

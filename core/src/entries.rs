//! Reading and writing journal entries in the `entries` table. The only code that touches it.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::clock::Hlc;
use crate::error::Result;
use crate::journal::{Entry, EntryKind};

/// The columns `from_row` reads, in its order; a macro so that queries can `concat!` it into
/// constant SQL (which `queries::SCREEN_QUERIES` lists for the query-plan test).
#[macro_export]
#[doc(hidden)]
macro_rules! entry_columns {
    () => {
        "id, kind, schema_version, subject, author_worker, author_device, occurred_at, recorded_at, payload"
    };
}

pub const COLUMNS: &str = entry_columns!();

pub fn from_row(row: &Row<'_>) -> rusqlite::Result<Entry> {
    from_row_at(row, 0)
}

/// An entry read from `COLUMNS` starting at column `at` of a row that selects more.
pub fn from_row_at(row: &Row<'_>, at: usize) -> rusqlite::Result<Entry> {
    let kind: String = row.get(at + 1)?;
    Ok(Entry {
        id: row.get(at)?,
        kind: EntryKind::parse(&kind).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(
                at + 1,
                rusqlite::types::Type::Text,
                Box::new(e),
            )
        })?,
        schema_version: row.get(at + 2)?,
        subject: row.get(at + 3)?,
        author_worker: row.get(at + 4)?,
        author_device: row.get(at + 5)?,
        occurred_at: row.get(at + 6)?,
        recorded_at: row.get(at + 7)?,
        payload: row.get(at + 8)?,
    })
}

/// Inserts an entry; returns false (and changes nothing) when one with that id is already there,
/// which is what makes a repeated delivery harmless.
pub fn insert(conn: &Connection, e: &Entry) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "INSERT INTO entries (id, kind, schema_version, subject, author_worker, author_device, occurred_at, recorded_at, payload)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(id) DO NOTHING",
        )?
        .execute(params![
            e.id,
            e.kind.code(),
            e.schema_version,
            e.subject,
            e.author_worker,
            e.author_device,
            e.occurred_at,
            e.recorded_at,
            e.payload
        ])?;
    Ok(n == 1)
}

pub fn load(conn: &Connection, id: &str) -> Result<Option<Entry>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM entries WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

/// Visits every entry in HLC order (the order a rebuild replays them in), row by row: a phone
/// with years of journal must not hold it all in memory.
pub fn for_each_in_hlc_order(
    conn: &Connection,
    mut visit: impl FnMut(Entry) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM entries ORDER BY recorded_at, id"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        visit(from_row(row)?)?;
    }
    Ok(())
}

/// Every entry in HLC order, collected (for tests and small journals).
pub fn all_in_hlc_order(conn: &Connection) -> Result<Vec<Entry>> {
    let mut all = Vec::new();
    for_each_in_hlc_order(conn, |entry| {
        all.push(entry);
        Ok(())
    })?;
    Ok(all)
}

/// The latest clock stamp in the journal at or before `until_ms`, from which the device's clock
/// resumes. Stamps beyond it (a colleague's clock set years ahead, or this phone's own before its
/// clock was put right) are not followed: one wrong clock must not drag every clock after it.
/// Entry ids begin with their stamp's wall time, so only the entries of the newest millisecond
/// below the bound need looking at, found through the primary key rather than a scan.
pub fn latest_recorded_at(conn: &Connection, until_ms: i64) -> Result<Option<Hlc>> {
    let id_bound = crate::journal::entry_id_lower_bound(until_ms.saturating_add(1));
    let newest: Option<String> = conn
        .prepare_cached("SELECT max(id) FROM entries WHERE id < ?1")?
        .query_row([&id_bound], |r| r.get(0))?;
    let Some(wall_ms) = newest.as_deref().and_then(crate::journal::id_wall_ms) else {
        return Ok(None);
    };
    let latest: Option<String> = conn
        .prepare_cached(
            "SELECT max(recorded_at) FROM entries WHERE id >= ?1 AND id < ?2 AND recorded_at < ?3",
        )?
        .query_row(
            params![
                crate::journal::entry_id_lower_bound(wall_ms),
                id_bound,
                format!("{:015}", until_ms.saturating_add(1)),
            ],
            |r| r.get(0),
        )?;
    latest.map(|text| Hlc::decode(&text)).transpose()
}

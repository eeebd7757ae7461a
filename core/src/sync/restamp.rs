//! Re-stamping what a wrong clock stamped, once the clock is right again.
//!
//! A phone records with its own clock, offline, and cannot know that the clock is wrong until the
//! centre says so. An entry stamped years ahead is not taken in anywhere (see `ingest::check`),
//! so it would stay on the phone for good. When the phone's clock agrees with the centre's again,
//! its own entries the centre has certainly not taken in (stamped beyond the skew of the
//! centre's clock, and what refers to them) get fresh stamps and so fresh ids, each after what it
//! refers to, with every reference to them rewritten, in one transaction: nothing recorded is
//! lost, nothing is doubled, and nothing another replica holds changes.
//!
//! The time each entry says it *happened* was read off the same wrong clock when the worker left
//! it at "now". Where it lies after the fresh stamp it cannot be right: it is moved back by the
//! offset the centre reported while the clock was wrong, if the phone learnt one, and never
//! earlier than the last stamp the centre acknowledged (when the true time is unknown, the
//! earliest it can have been: a risk check then counts as older, never as newer than it is).

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, params};

use super::{CLOCK_OFFSET, pushed_through, resume_clock, stamp_of_own_id};
use crate::clock::{self, Hlc};
use crate::entries;
use crate::error::Result;
use crate::journal::{self, Entry, EntryId};
use crate::kinds::{self, Payload};

/// The `recorded_at` text below which a stamp is within the skew allowed at `now_ms`.
fn stamp_bound(now_ms: i64) -> String {
    format!(
        "{:015}",
        now_ms.saturating_add(clock::MAX_SKEW_MS).saturating_add(1)
    )
}

/// This device's entries that no other replica holds: above the watermark, or refused.
fn unshared_sql(extra: &str) -> String {
    format!(
        "SELECT {cols} FROM entries WHERE id > ?1 AND author_device = ?2 {extra}
            {not_ahead}
         UNION
         SELECT {cols} FROM entries WHERE id IN (SELECT entry_id FROM sync_rejected)
            AND author_device = ?2 {extra}
         ORDER BY recorded_at, id",
        cols = entries::COLUMNS,
        not_ahead = super::NOT_ACKNOWLEDGED_AHEAD,
    )
}

fn unshared(conn: &Connection, device: &str, extra: &str, bound: &str) -> Result<Vec<Entry>> {
    let watermark = pushed_through(conn)?;
    let sql = unshared_sql(extra);
    let mut stmt = conn.prepare(&sql)?;
    let rows = if extra.is_empty() {
        stmt.query_map(params![watermark, device], entries::from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?
    } else {
        stmt.query_map(params![watermark, device, bound], entries::from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?
    };
    Ok(rows)
}

/// Whether this device holds unsent entries stamped beyond the skew of its clock now: it was
/// ahead when it stamped them, or is behind now. Only the centre's clock can tell which.
pub(crate) fn has_entries_stamped_ahead(
    conn: &Connection,
    device: &str,
    now_ms: i64,
    own_latest: Option<&str>,
) -> Result<bool> {
    // With nothing of its own above the watermark only refused entries can be unshared: a
    // look at those few, not at every entry above the watermark.
    let watermark = pushed_through(conn)?;
    if own_latest.is_none_or(|latest| latest <= watermark.as_str()) {
        let refused_ahead: bool = conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM entries WHERE id IN (SELECT entry_id FROM sync_rejected)
                    AND author_device = ?1 AND recorded_at >= ?2)",
            )?
            .query_row(params![device, stamp_bound(now_ms)], |r| r.get(0))?;
        return Ok(refused_ahead);
    }
    Ok(!unshared(conn, device, "AND recorded_at >= ?3", &stamp_bound(now_ms))?.is_empty())
}

/// Re-stamps this device's entries the centre has certainly never taken in: those no other
/// replica holds that are stamped beyond the skew of the centre's clock now (`centre_ms`; the
/// centre refused them against a clock that was no later), and every unshared entry that refers
/// to one of them (which the centre refused for want of what it refers to). An entry the centre
/// may hold (its push answer lost) is never re-stamped: that would make it two. Fresh stamps are
/// drawn from this phone's clock at `now_ms` (found to agree with the centre's) in an order where
/// everything comes after what it refers to, so they are pushed in an order the centre accepts.
/// Runs inside the caller's transaction; returns how many entries were re-stamped.
pub(crate) fn restamp(conn: &Connection, device: &str, now_ms: i64, centre_ms: i64) -> Result<u32> {
    let ahead = unshared(
        conn,
        device,
        "AND recorded_at >= ?3",
        &stamp_bound(centre_ms),
    )?;
    if ahead.is_empty() {
        return Ok(0);
    }
    let chosen = in_causal_order(
        conn,
        with_referrers(conn, ahead, unshared(conn, device, "", "")?)?,
    )?;
    let offset = super::clock_offset(conn)?;
    let watermark = pushed_through(conn)?;
    let lower = stamp_of_own_id(&watermark, device)
        .map(|h| h.wall_ms)
        .or(created_at_ms(conn)?)
        .unwrap_or(clock::FLOOR_MS);
    let mut clock = resume_clock(conn, device, now_ms)?;
    let mut renamed = HashMap::new();
    let mut fresh = Vec::with_capacity(chosen.len());
    for old in &chosen {
        let stamp = clock.tick(now_ms)?;
        let id = journal::entry_id_for(&stamp)?;
        renamed.insert(old.id.to_string(), id.to_string());
        fresh.push((old, stamp, id));
    }
    for (old, stamp, id) in fresh {
        let occurred_at = corrected(&old.occurred_at, &stamp, offset, lower)?;
        let payload = rewritten(old, &renamed, |at| corrected(at, &stamp, offset, lower))?;
        conn.execute("DELETE FROM sync_rejected WHERE entry_id = ?1", [&old.id])?;
        conn.execute("DELETE FROM entries WHERE id = ?1", [&old.id])?;
        entries::insert(
            conn,
            &Entry {
                id,
                recorded_at: stamp.encode(),
                occurred_at,
                payload,
                ..old.clone()
            },
        )?;
    }
    kinds::rebuild(conn)?;
    super::meta_set(conn, super::LATEST_JOIN, &newest_join(conn)?)?;
    conn.execute("DELETE FROM meta WHERE key = ?1", [CLOCK_OFFSET])?;
    Ok(chosen.len() as u32)
}

/// `ahead` and every entry of `unshared` that needs one of them at the centre first, directly
/// or through another such entry (see `needs`).
fn with_referrers(
    conn: &Connection,
    ahead: Vec<Entry>,
    unshared: Vec<Entry>,
) -> Result<Vec<Entry>> {
    let joins = Joins::among(&ahead)?;
    let mut ids: HashSet<String> = ahead.iter().map(|e| e.id.to_string()).collect();
    let mut chosen = ahead;
    let mut rest = Vec::new();
    for entry in unshared {
        if !ids.contains(entry.id.as_str()) {
            let needs = needs(conn, &entry, &joins)?;
            rest.push((entry, needs));
        }
    }
    loop {
        let (joining, staying): (Vec<_>, Vec<_>) = rest
            .into_iter()
            .partition(|(_, needs)| needs.iter().any(|id| ids.contains(id)));
        rest = staying;
        if joining.is_empty() {
            return Ok(chosen);
        }
        for (entry, _) in joining {
            ids.insert(entry.id.to_string());
            chosen.push(entry);
        }
    }
}

/// The entries in an order where each comes after every one of them it needs; otherwise in the
/// order they were stamped.
fn in_causal_order(conn: &Connection, mut entries: Vec<Entry>) -> Result<Vec<Entry>> {
    entries.sort_by(|a, b| (&a.recorded_at, &a.id).cmp(&(&b.recorded_at, &b.id)));
    let joins = Joins::among(&entries)?;
    let ids: HashSet<String> = entries.iter().map(|e| e.id.to_string()).collect();
    let mut waiting: Vec<(Entry, Vec<String>)> = Vec::with_capacity(entries.len());
    for entry in entries {
        let needs = needs(conn, &entry, &joins)?
            .into_iter()
            .filter(|id| ids.contains(id) && *id != entry.id)
            .collect();
        waiting.push((entry, needs));
    }
    let mut placed: HashSet<String> = HashSet::new();
    let mut ordered = Vec::with_capacity(waiting.len());
    while !waiting.is_empty() {
        // What an entry needs was always made before it, so some entry is always ready; a
        // cycle (impossible) is broken in stamp order rather than looping.
        let next = waiting
            .iter()
            .position(|(_, needs)| needs.iter().all(|id| placed.contains(id)))
            .unwrap_or(0);
        let (entry, _) = waiting.remove(next);
        placed.insert(entry.id.to_string());
        ordered.push(entry);
    }
    Ok(ordered)
}

/// What the centre must hold before it takes an entry in: the entries it refers to; and where it
/// refers to an entry about another citizen (a contact naming the risk check of a citizen since
/// merged into its own), the joins among those being re-stamped that make the two citizens one.
/// An entry that needs a re-stamped one was refused by the centre (or not yet sent), so it is
/// never held there and re-stamping it cannot make a second copy.
fn needs(conn: &Connection, entry: &Entry, joins: &Joins) -> Result<Vec<String>> {
    let mut needs = refers_to(entry)?;
    for id in needs.clone() {
        if let Some(target) = entries::load(conn, &id)?
            && target.subject != entry.subject
        {
            needs.extend(joins.joining(&entry.subject, &target.subject));
        }
    }
    Ok(needs)
}

/// The joins (merges, identifications) among some entries, as the citizens each makes one.
struct Joins(Vec<(String, [String; 2])>);

impl Joins {
    fn among(entries: &[Entry]) -> Result<Joins> {
        let mut joins = Vec::new();
        for entry in entries.iter().filter(|e| crate::ingest::joins_subjects(e)) {
            let payload = Payload::read(entry.kind, &entry.payload)?;
            let other = payload.joins().map(ToString::to_string);
            if let Some(other) = other {
                joins.push((entry.id.to_string(), [entry.subject.to_string(), other]));
            }
        }
        Ok(Joins(joins))
    }

    /// The joins that connect citizens `a` and `b`, directly or through one another.
    fn joining(&self, a: &str, b: &str) -> Vec<String> {
        let mut reached: HashSet<&str> = HashSet::from([a]);
        let mut used = Vec::new();
        loop {
            let before = reached.len();
            for (id, [x, y]) in &self.0 {
                if reached.contains(x.as_str()) != reached.contains(y.as_str()) {
                    reached.insert(x);
                    reached.insert(y);
                    used.push(id.clone());
                }
            }
            if reached.contains(b) {
                return used;
            }
            if reached.len() == before {
                return Vec::new();
            }
        }
    }
}

/// The ids of the entries an entry refers to.
fn refers_to(entry: &Entry) -> Result<Vec<String>> {
    let payload = Payload::read(entry.kind, &entry.payload)?;
    Ok(crate::ingest::references(&payload)
        .into_iter()
        .map(|(_, id)| id.to_string())
        .collect())
}

/// The stamp of the newest entry that joins two citizens (see `ingest::joins_subjects`).
fn newest_join(conn: &Connection) -> Result<String> {
    let mut newest = String::new();
    entries::for_each_in_hlc_order(conn, |entry| {
        if crate::ingest::joins_subjects(&entry) {
            newest = entry.recorded_at;
        }
        Ok(())
    })?;
    Ok(newest)
}

fn created_at_ms(conn: &Connection) -> Result<Option<i64>> {
    Ok(
        super::meta_get(conn, crate::meta::CREATED_AT)?
            .and_then(|t| journal::timestamp_ms(&t).ok()),
    )
}

/// A time the wrong clock gave, brought back within the fresh stamp: left as it is where it is
/// possible (a time the worker stated, say), else moved back by the offset the centre reported,
/// and never before `lower_ms` nor after the stamp.
fn corrected(at: &str, stamp: &Hlc, offset: Option<i64>, lower_ms: i64) -> Result<String> {
    let at_ms = journal::timestamp_ms(at)?;
    if at_ms <= stamp.wall_ms {
        return Ok(at.to_string());
    }
    let lower_ms = lower_ms.clamp(clock::FLOOR_MS, stamp.wall_ms);
    let moved = match offset {
        Some(offset) if offset > 0 => at_ms.saturating_sub(offset).clamp(lower_ms, stamp.wall_ms),
        _ => lower_ms,
    };
    let moved = chrono::DateTime::<chrono::Utc>::from_timestamp_millis(moved)
        .expect("within the clock's bounds");
    Ok(journal::format_timestamp(moved))
}

/// The entry's payload with its references to renamed entries followed, and an amendment's
/// corrected time passed through `time`.
fn rewritten(
    entry: &Entry,
    renamed: &HashMap<String, String>,
    time: impl Fn(&str) -> Result<String>,
) -> Result<String> {
    let mut follow = |id: &mut EntryId| {
        if let Some(new) = renamed.get(id.as_str()) {
            *id = EntryId::stored(new.clone());
        }
    };
    let original = Payload::read(entry.kind, &entry.payload)?;
    let mut payload = original.clone();
    payload.follow_references(&mut follow);
    payload.restate_times(&time)?;
    Ok(if payload == original {
        entry.payload.clone()
    } else {
        payload.to_json()
    })
}

//! An erasure (`entry.erased`): made only at the centre, by its operator, with a recorded legal
//! reason; one entry (with every correction of it), or everything recorded about a citizen.
//!
//! The centre lists in the payload every entry it holds that the erasure removes, with its kind,
//! and the citizen's ids (the one kept and those merged into it): every replica that applies it
//! removes exactly those entries from its journal and keeps a tombstone for each (its id and
//! kind, and this entry, which says when and why), so that every replica's journal and digest
//! stay the same. A replica also removes what it holds about an erased citizen that the centre
//! never had (a phone's own entries recorded before it heard of the erasure; the centre refuses
//! them, `ingest`), with a tombstone the digest does not count. Applying one rebuilds the
//! projections from what is left (`Kind::REBUILDS`), and asks for the store's log to be emptied
//! (`meta::SCRUB_PENDING`), so that the removed text leaves the file, its free pages (secure
//! delete is always on, `db::configure`) and its log.
//!
//! An erased entry is a whole entry: its codes go with its free text. A half entry would no
//! longer be the record its worker made, and might break its kind's rules on a replica that
//! validates it again; the tombstone keeps that something was recorded, when, and of what kind.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::{Built, Corrections, EntryContent, Kind, Payload};
use crate::entries;
use crate::error::{Error, Result};
use crate::vocabulary::Label;
use crate::journal::{self, Entry, EntryId, EntryKind, LIMIT_LONG, SubjectId};

crate::vocabulary::vocabulary! {
    /// What an erasure removes: one entry and the corrections of it, or everything recorded
    /// about one citizen *(the words are the project's own)*.
    ErasureScope, "erasure scope" {
        Entry = "entry", "Én registrering", "One entry";
        Citizen = "citizen", "Alt om borgeren", "Everything about the citizen";
    }
}

/// One entry an erasure removes: its id and its kind's code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErasedEntry {
    pub id: EntryId,
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryErased {
    pub scope: ErasureScope,
    /// The citizen's ids: for a citizen, the one kept and every one merged into it; for an
    /// entry, the entry's subject.
    pub subjects: Vec<SubjectId>,
    /// Every entry the centre held that the erasure removes.
    pub erased: Vec<ErasedEntry>,
    /// The legal reason, as the operator recorded it.
    pub reason: String,
}

/// What the timeline shows of an erasure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct EntryErasedContent {
    pub scope: ErasureScope,
    /// How many entries the centre erased.
    pub entries: u32,
    pub reason: String,
}

/// An erasure, as the centre's operator asks for one (`gadeplan-centre erase`). A phone cannot
/// record one: `Store::record` refuses it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ErasureInput {
    pub entry: Option<String>,
    pub citizen: Option<String>,
    pub reason: String,
}

/// The most entries one erasure lists: a citizen of many years has a few thousand.
pub const MAX_ERASED: usize = 100_000;

impl Kind for EntryErased {
    type Input = ErasureInput;

    // An erasure is not undone.
    const CORRECTIONS: Corrections = Corrections::None;
    const REBUILDS: bool = true;

    fn build(_tx: &Connection, _now: DateTime<Utc>, _input: &ErasureInput) -> Result<Built> {
        Err(Error::not_allowed(
            "only the centre erases (gadeplan-centre erase, with the legal reason)",
        ))
    }

    fn validate(&self) -> Result<()> {
        // Who stamped it is the entry's, not the payload's: `ingest::check` holds an erasure to
        // the centre's device (`made_by_the_centre`).
        journal::required_text("reason", &self.reason, LIMIT_LONG)?;
        if self.subjects.is_empty() {
            return Err(Error::invalid("subjects", "names no citizen"));
        }
        for subject in &self.subjects {
            journal::entry_id("subjects", subject)?;
        }
        if self.erased.len() > MAX_ERASED {
            return Err(Error::invalid("erased", "lists too many entries"));
        }
        for erased in &self.erased {
            journal::entry_id("erased", &erased.id)?;
            if erased.kind.is_empty() || erased.kind.len() > 100 {
                return Err(Error::invalid("erased", "an entry's kind is missing"));
            }
        }
        Ok(())
    }

    fn project(&self, conn: &Connection, entry: &Entry) -> Result<()> {
        // Corrections of what is erased that the centre did not list (this phone's own, recorded
        // before it heard of the erasure, which the centre refuses) go too, with their words.
        let listed: Vec<String> = self.erased.iter().map(|e| e.id.to_string()).collect();
        let local: Vec<(String, String)> = corrections_of(conn, &listed)?
            .into_iter()
            .filter(|(id, _)| !listed.contains(id))
            .collect();
        for erased in &self.erased {
            remove(conn, &erased.id, &erased.kind, &entry.id, true)?;
        }
        for (id, kind) in local {
            remove(conn, &id, &kind, &entry.id, false)?;
        }
        if self.scope == ErasureScope::Citizen {
            for subject in &self.subjects {
                // What this replica holds about the citizen that the centre did not list.
                for (id, kind) in entries_about(conn, subject)? {
                    remove(conn, &id, &kind, &entry.id, false)?;
                }
                conn.prepare_cached(
                    "INSERT OR IGNORE INTO erased_subjects (subject, erased_by) VALUES (?1, ?2)",
                )?
                .execute(params![subject, entry.id])?;
            }
        }
        crate::meta::set(conn, crate::meta::SCRUB_PENDING, "1")
    }

    fn content(&self) -> EntryContent {
        EntryContent::EntryErased(EntryErasedContent {
            scope: self.scope,
            entries: u32::try_from(self.erased.len()).unwrap_or(u32::MAX),
            reason: self.reason.clone(),
        })
    }

    fn schema_version(&self) -> u32 {
        journal::PAYLOAD_VERSION
    }
}

/// The entries about one subject, with their kinds, but the erasures (which stay, saying when
/// and why).
fn entries_about(conn: &Connection, subject: &str) -> Result<Vec<(String, String)>> {
    Ok(conn
        .prepare_cached("SELECT id, kind FROM entries WHERE subject = ?1 AND kind <> ?2 ORDER BY id")?
        .query_map(params![subject, EntryKind::EntryErased.code()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Every correction of the entries `ids`, and of those corrections in turn, with their kinds,
/// as this replica's journal holds them.
fn corrections_of(conn: &Connection, ids: &[String]) -> Result<Vec<(String, String)>> {
    let mut found: Vec<(String, String)> = Vec::new();
    let mut seen: BTreeSet<String> = ids.iter().cloned().collect();
    let mut next: Vec<String> = ids.to_vec();
    while let Some(target) = next.pop() {
        let rows: Vec<(String, String)> = conn
            .prepare_cached(
                "SELECT e.id, e.kind FROM corrections c JOIN entries e ON e.id = c.entry_id
                 WHERE c.target = ?1 ORDER BY e.id",
            )?
            .query_map([&target], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (id, kind) in rows {
            if seen.insert(id.clone()) {
                next.push(id.clone());
                found.push((id, kind));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Removes one entry from the journal (and any copy set aside or marked refused), keeping its
/// tombstone; `counted` says whether the centre listed it (the digest counts those). One of this
/// phone's own the centre never had (recorded before the phone heard of the erasure) is counted
/// in `meta::ERASED_UNSENT`, which the worker is told of: nothing they recorded goes unsaid.
fn remove(conn: &Connection, id: &str, kind: &str, by: &str, counted: bool) -> Result<()> {
    let new = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO erased_entries (entry_id, kind, erased_by, counted)
             VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![id, kind, by, counted])?;
    if new == 1 && !counted {
        let own: bool = conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM entries e JOIN meta m ON m.key = ?2
                 WHERE e.id = ?1 AND e.author_device = m.value)",
            )?
            .query_row(params![id, crate::meta::DEVICE_ID], |r| r.get(0))?;
        if own {
            let before: u64 = crate::meta::get(conn, crate::meta::ERASED_UNSENT)?
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            crate::meta::set(conn, crate::meta::ERASED_UNSENT, &(before + 1).to_string())?;
        }
    }
    for sql in [
        "DELETE FROM entries WHERE id = ?1",
        "DELETE FROM sync_set_aside WHERE entry_id = ?1",
        "DELETE FROM sync_rejected WHERE entry_id = ?1",
    ] {
        conn.prepare_cached(sql)?.execute([id])?;
    }
    Ok(())
}

/// Whether an entry id was erased here: such an entry is never taken in again.
pub fn is_erased(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM erased_entries WHERE entry_id = ?1)")?
        .query_row([id], |r| r.get(0))?)
}

/// The erasure that erased everything about a subject, if one did.
pub fn subject_erased_by(conn: &Connection, subject: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT erased_by FROM erased_subjects WHERE subject = ?1")?
        .query_row([subject], |r| r.get(0))
        .optional()?)
}

/// The erasure of one entry and of every correction of it, as the centre's journal (`conn`)
/// holds them, with `reason`: the payload the centre records.
pub fn of_entry(conn: &Connection, id: &str, reason: &str) -> Result<(SubjectId, EntryErased)> {
    let target = entries::load(conn, id)?.ok_or_else(|| {
        if is_erased(conn, id).unwrap_or(false) {
            Error::not_allowed("this entry is erased already")
        } else {
            Error::not_found("entry", id)
        }
    })?;
    if target.kind == EntryKind::EntryErased {
        return Err(Error::not_allowed("an erasure is not erased"));
    }
    let mut erased = vec![ErasedEntry {
        id: target.id.clone(),
        kind: target.kind.code().to_string(),
    }];
    // The corrections of it carry its words too (an amendment's patch, a void's reason), and
    // so do the corrections of those (a void of an amendment).
    for (id, kind) in corrections_of(conn, &[target.id.to_string()])? {
        erased.push(ErasedEntry {
            id: EntryId::stored(id),
            kind,
        });
    }
    let payload = EntryErased {
        scope: ErasureScope::Entry,
        subjects: vec![target.subject.clone()],
        erased,
        reason: reason.trim().to_string(),
    };
    payload.validate()?;
    Ok((target.subject, payload))
}

/// The erasure of everything recorded about a citizen (by any of its ids), as the centre's
/// journal holds it, with `reason`. Refused while the citizen has an open course: erasing it
/// would take the work under way with it; the course is closed first.
pub fn of_citizen(
    conn: &Connection,
    citizen: &str,
    reason: &str,
) -> Result<(SubjectId, EntryErased)> {
    if subject_erased_by(conn, citizen)?.is_some() {
        return Err(Error::not_allowed(
            "everything about this citizen is erased already",
        ));
    }
    let kept = crate::projection::canonical(conn, citizen)?;
    let known: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM entries WHERE subject = ?1)")?
        .query_row([&kept], |r| r.get(0))?;
    if !known {
        return Err(Error::not_found("citizen", citizen));
    }
    if !super::courses::open_courses(conn, &kept)?.is_empty() {
        return Err(Error::not_allowed(
            "the citizen has an open course; close it before erasing everything about them",
        ));
    }
    let subjects: BTreeSet<String> = crate::projection::known_as(conn, &kept)?
        .into_iter()
        .collect();
    let mut erased = Vec::new();
    for subject in &subjects {
        erased.extend(entries_about(conn, subject)?.into_iter().map(|(id, kind)| ErasedEntry {
            id: EntryId::stored(id),
            kind,
        }));
    }
    erased.sort_by(|a, b| a.id.cmp(&b.id));
    let payload = EntryErased {
        scope: ErasureScope::Citizen,
        subjects: subjects.into_iter().map(SubjectId::stored).collect(),
        erased,
        reason: reason.trim().to_string(),
    };
    payload.validate()?;
    Ok((SubjectId::stored(kept), payload))
}

/// The device an erasure is stamped with: the centre's, which no phone has (the centre refuses
/// to enrol a device with this id), so that no phone takes one for its own.
pub const CENTRE_DEVICE: &str = "00000000-0000-4000-8000-000000000000";

/// Whether an entry of this kind was made where it may be: an erasure only by the centre's own
/// device. One pushed by a phone (a modified app, a stolen phone) is refused wherever it
/// arrives, so that no phone can erase.
pub fn made_by_the_centre(entry: &Entry) -> bool {
    entry.kind != EntryKind::EntryErased || *entry.author_device == *CENTRE_DEVICE
}
/// The author an erasure names.
pub const CENTRE_AUTHOR: &str = "Centret";

/// The erasure as an entry of the journal about `subject`, stamped at `now` by the centre's
/// clock with `counter` (below 4,096), which tells apart two erasures made in one millisecond.
pub fn entry(
    subject: SubjectId,
    payload: EntryErased,
    now: DateTime<Utc>,
    counter: u32,
) -> Result<Entry> {
    let hlc = crate::clock::Hlc {
        wall_ms: now.timestamp_millis(),
        counter,
        device: CENTRE_DEVICE.to_string(),
    };
    let payload = Payload::EntryErased(payload);
    Ok(Entry {
        id: journal::entry_id_for(&hlc)?,
        kind: EntryKind::EntryErased,
        schema_version: payload.schema_version(),
        subject,
        author_worker: CENTRE_AUTHOR.to_string(),
        author_device: crate::ids::DeviceId::stored(CENTRE_DEVICE),
        occurred_at: journal::format_timestamp(now),
        recorded_at: hlc.encode(),
        payload: payload.to_json(),
    })
}

//! Erasure at the centre (issue 17): the operator erases one entry, or everything recorded about
//! a citizen, with the legal reason (`gadeplan-centre erase`). The erasure is an entry of the
//! team's journal (`entry.erased`, made here by the core's `kinds::entry_erased`, which lists
//! what the centre holds), applied here as on every phone: taken in by the core's own ingest
//! (the embedded store's journal, or the read model beside PostgreSQL), its erased entries'
//! text removed from the journal through the storage seam, and the files scrubbed
//! (`Storage::scrub`). The phones apply it when they next pull; an erased entry pushed again
//! is answered as one already here and not stored, and an entry about an erased citizen is
//! refused (`ingest`). Recorded in the audit log with the erasure's id and count (the reason
//! stays in the journal: the log holds no free text).

use gadeplan_core::ingest::{Ingested, Intake};
use gadeplan_core::journal::{Entry, SubjectId};
use gadeplan_core::kinds::entry_erased::{self, EntryErased};
use gadeplan_core::sync;
use serde::Serialize;

use crate::audit::{self, AuditEvent};
use crate::storage::Tx;
use crate::store::{Centre, Refusal, Result};

/// What to erase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// One entry (and the corrections of it), by id.
    Entry(String),
    /// Everything recorded about a citizen, by any of the citizen's ids.
    Citizen(String),
}

/// What an erasure did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Erased {
    /// The erasure's own entry (which holds the reason).
    pub erasure: String,
    pub team: String,
    /// The citizen it concerns.
    pub citizen: String,
    /// How many entries it removed.
    pub entries: usize,
    /// Whether the files no longer hold the erased text (false: a reader held the embedded
    /// store's log; the server finishes it within a second).
    pub scrubbed: bool,
}

impl Centre {
    /// Erases `target` with `reason` (required), as the operator `actor` asks.
    pub fn erase(&self, target: &Target, reason: &str, actor: &str) -> Result<Erased> {
        if reason.trim().is_empty() {
            return Err(Refusal::new(
                400,
                "invalid-input",
                "reason: give the legal reason for the erasure",
            ));
        }
        let now = crate::store::now();
        let now_ms = now.timestamp_millis();
        let mut tx = self.storage.begin()?;
        let team = match target {
            Target::Entry(id) => tx.entry_team(id)?,
            Target::Citizen(id) => tx.subject_team(id)?,
        }
        .ok_or_else(|| {
            let what = match target {
                Target::Entry(id) => format!("entry {id}"),
                Target::Citizen(id) => format!("citizen {id}"),
            };
            Refusal::new(404, "not-found", format!("no {what} at this centre"))
        })?;
        tx.lock_team(&team)?;
        let mut replica = match &self.replica {
            Some(replica) => Some(replica.lock().map_err(|_| {
                Refusal::new(500, "storage", "the centre's read model is unavailable")
            })?),
            None => None,
        };
        let plan = |conn: &rusqlite::Connection| -> Result<(String, EntryErased)> {
            let (subject, payload) = match target {
                Target::Entry(id) => entry_erased::of_entry(conn, id, reason)?,
                Target::Citizen(id) => entry_erased::of_citizen(conn, id, reason)?,
            };
            Ok((subject.into_string(), payload))
        };
        let (citizen, payload) = match (tx.projection(), replica.as_deref_mut()) {
            (Some(conn), _) => plan(conn)?,
            (None, Some(replica)) => {
                replica.catch_up(&mut *tx, &team)?;
                plan(replica.connection())?
            }
            (None, None) => unreachable!("a backend without projections has a read model"),
        };
        let ids: Vec<String> = payload.erased.iter().map(|e| e.id.to_string()).collect();
        let payload_subjects: Vec<String> = match target {
            Target::Citizen(_) => payload.subjects.iter().map(|s| s.to_string()).collect(),
            Target::Entry(_) => Vec::new(),
        };
        let entry = centre_entry(&citizen, now, payload)?;
        let outcome = match (tx.projection(), replica.as_deref_mut()) {
            (Some(conn), _) => {
                sync::ingest_batch(conn, std::slice::from_ref(&entry), Intake::centre(now_ms))?
            }
            (None, Some(replica)) => replica.ingest(&team, std::slice::from_ref(&entry), now_ms)?,
            (None, None) => unreachable!("a backend without projections has a read model"),
        }
        .pop();
        match outcome {
            Some(Ok(Ingested::New)) => {}
            Some(Err(e)) => return Err(e.into()),
            _ => {
                return Err(Refusal::new(
                    500,
                    "storage",
                    "the erasure's id was taken; try again",
                ));
            }
        }
        let seq = tx.append(&team, entry_erased::CENTRE_DEVICE, &entry)?;
        tx.erase_entries(&team, &ids)?;
        release_held(&mut *tx, &team, &payload_subjects, &ids)?;
        audit::append(
            &mut *tx,
            &AuditEvent {
                actor: actor.to_string(),
                action: "erased".into(),
                team: Some(team.clone()),
                subject: Some(match target {
                    Target::Entry(id) => id.clone(),
                    Target::Citizen(_) => citizen.clone(),
                }),
                detail: Some(format!("{} entries, erasure {}", ids.len(), entry.id)),
                source: None,
            },
        )?;
        tx.commit()?;
        if let Some(replica) = replica.as_deref_mut() {
            replica.settle(&team, Some(seq));
            replica.scrub()?;
        }
        drop(replica);
        self.forget_released(&team);
        let scrubbed = self.storage.scrub()?;
        Ok(Erased {
            erasure: entry.id.to_string(),
            team,
            citizen,
            entries: ids.len(),
            scrubbed,
        })
    }

    /// Finishes a scrub of the embedded store an erasure could not finish (a reader held its
    /// log); the server calls it every second, and it costs a look-up when there is nothing to
    /// do. PostgreSQL's scrub is finished by the erasure itself, and a read model's by its
    /// next catch-up.
    pub fn scrub_if_pending(&self) -> Result<bool> {
        if !self.storage.keeps_projections() {
            return Ok(true);
        }
        self.storage.scrub()
    }
}

/// Entries held for a newer centre (`centre_held`, whole as their phone pushed them) about an
/// erased citizen, or naming an erased entry (a correction of it): removed with the erasure,
/// not listed in it. Their phone removes them as its own when it applies the erasure, so neither
/// digest counts them any more.
fn release_held(tx: &mut dyn Tx, team: &str, subjects: &[String], ids: &[String]) -> Result<()> {
    let held: Vec<String> = tx
        .held()?
        .into_iter()
        .filter(|h| h.team == team)
        .map(|h| h.entry_id)
        .collect();
    for id in held {
        let Some((json, ..)) = tx.held_with_device(&id)? else {
            continue;
        };
        let subject = serde_json::from_str::<serde_json::Value>(&json)
            .ok()
            .and_then(|v| {
                v.get("subject")
                    .and_then(|s| s.as_str())
                    .map(str::to_string)
            });
        let about = subject.is_some_and(|s| subjects.contains(&s));
        if about || ids.iter().any(|erased| json.contains(erased.as_str())) {
            tx.release_held(&id)?;
        }
    }
    Ok(())
}

/// The erasure as an entry of the journal, stamped by the centre's clock; a random counter tells
/// apart two erasures made in one millisecond (two operators at once).
fn centre_entry(
    citizen: &str,
    now: chrono::DateTime<chrono::Utc>,
    payload: EntryErased,
) -> Result<Entry> {
    let mut counter = [0u8; 2];
    getrandom::fill(&mut counter).map_err(|e| Refusal::new(500, "random", e.to_string()))?;
    Ok(entry_erased::entry(
        SubjectId::stored(citizen),
        payload,
        now,
        u32::from(u16::from_le_bytes(counter) & 0x0fff),
    )?)
}

//! Phones hold what the work needs (issue 17). The centre decides, per team, which citizens a
//! phone no longer needs (`kinds::keep`: no open course, none closed lately, not met lately,
//! nothing open about them) and sends the list; the phone removes each one's entries once the
//! centre has everything about them, and fetches their history again when they come back.
//!
//! A purged entry leaves the journal physically (secure delete, then the log emptied: the same
//! scrub as an erasure) and leaves a marker, its id and whose it was (`sync_purged_entries`),
//! which the digest counts as held, so nothing is sent again or fetched again because of it. A
//! citizen's entries leave only when every one of them is at the centre: none of this phone's own
//! not yet acknowledged (or acknowledged ahead) and none the centre refused (those stay, with the
//! citizen, until the worker deals with them). An entry about a purged citizen that arrives in a
//! pull is marked the same way instead of being taken in, until the citizen comes back; an
//! erasure is always taken in. A citizen comes back when the centre's list no longer holds them
//! (a new contact, a course reopened) or when the worker fetches them (`Store::fetch_history`,
//! kept then for `FETCHED_DAYS` whatever the list says); their history comes from the centre
//! (`wire::HistoryRequest`) and replaces the markers in one transaction.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest as _, Sha256};

use super::{PUSHED, meta_get};
use crate::error::Result;
use crate::ingest::{Ingested, Intake};
use crate::journal::{self, Entry};
use crate::kinds;

/// How long a citizen the worker fetched stays on the phone, released or not.
pub const FETCHED_DAYS: i64 = 7;

/// The hash of a list of released citizens as the centre and the phone both compute it: equal
/// hashes, equal lists, so the list is sent only when it changed.
pub fn released_hash(sorted: &[String]) -> String {
    let mut hasher = Sha256::new();
    for subject in sorted {
        hasher.update(subject.as_bytes());
        hasher.update(b"\n");
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The hash of the list this phone holds (the centre's last).
pub(crate) fn held_hash(conn: &Connection) -> Result<String> {
    let list: Vec<String> = conn
        .prepare_cached("SELECT subject FROM sync_released ORDER BY subject")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(released_hash(&list))
}

/// What applying the centre's list did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Purged {
    /// Citizens whose entries left this phone.
    pub citizens: u32,
    /// Citizens released but kept for now: something about them is not at the centre yet.
    pub deferred: u32,
}

/// Keeps the centre's list of released citizens, replacing the last one.
pub fn keep_list(conn: &Connection, released: &[String]) -> Result<()> {
    conn.execute("DELETE FROM sync_released", [])?;
    let mut insert =
        conn.prepare_cached("INSERT OR IGNORE INTO sync_released (subject) VALUES (?1)")?;
    for subject in released {
        insert.execute([subject])?;
    }
    Ok(())
}

/// Removes the entries of every released citizen not yet purged (and not fetched lately) whose
/// entries are all at the centre, inside the caller's transaction; the projections are made
/// again from what is left, and the log's scrub asked for.
pub fn purge_released(conn: &Connection, device: &str, now: DateTime<Utc>) -> Result<Purged> {
    let now_text = journal::format_timestamp(now);
    let candidates: Vec<String> = conn
        .prepare_cached(
            "SELECT subject FROM sync_released
             WHERE subject NOT IN (SELECT root FROM sync_purged_subjects)
               AND subject NOT IN (SELECT subject FROM sync_fetched WHERE until > ?1)
             ORDER BY subject",
        )?
        .query_map([&now_text], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let watermark = meta_get(conn, PUSHED)?.unwrap_or_default();
    let mut outcome = Purged::default();
    for root in candidates {
        // Only a citizen this phone holds as one (a merge not yet here waits for it).
        if crate::projection::canonical(conn, &root)? != root {
            continue;
        }
        let subjects = crate::projection::known_as(conn, &root)?;
        let mut entries: Vec<(String, String)> = Vec::new();
        for subject in &subjects {
            let rows: Vec<(String, String)> = conn
                .prepare_cached("SELECT id, author_device FROM entries WHERE subject = ?1")?
                .query_map([subject], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            entries.extend(rows);
        }
        if entries.is_empty() {
            continue;
        }
        if !all_at_centre(conn, device, &watermark, &entries)? {
            outcome.deferred += 1;
            continue;
        }
        for (id, _) in &entries {
            conn.prepare_cached(
                "INSERT OR IGNORE INTO sync_purged_entries (entry_id, root) VALUES (?1, ?2)",
            )?
            .execute(params![id, root])?;
            conn.prepare_cached("DELETE FROM entries WHERE id = ?1")?
                .execute([id])?;
        }
        for subject in &subjects {
            conn.prepare_cached(
                "INSERT OR REPLACE INTO sync_purged_subjects (subject, root, purged_at) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![subject, root, now_text])?;
        }
        outcome.citizens += 1;
    }
    if outcome.citizens > 0 {
        kinds::rebuild(conn)?;
        crate::meta::set(conn, crate::meta::SCRUB_PENDING, "1")?;
    }
    Ok(outcome)
}

/// Whether every entry listed is at the centre: a colleague's came from it; this phone's own
/// must be at or below the push watermark (or acknowledged ahead) and not refused.
fn all_at_centre(
    conn: &Connection,
    device: &str,
    watermark: &str,
    entries: &[(String, String)],
) -> Result<bool> {
    for (id, author) in entries {
        let refused: bool = conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM sync_rejected WHERE entry_id = ?1)")?
            .query_row([id], |r| r.get(0))?;
        if refused {
            return Ok(false);
        }
        if author != device || id.as_str() <= watermark {
            continue;
        }
        let ahead: bool = conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM sync_acknowledged_ahead WHERE entry_id = ?1)",
            )?
            .query_row([id], |r| r.get(0))?;
        if !ahead {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The purged citizen a subject belongs to, if it is one.
pub(crate) fn purged_root(conn: &Connection, subject: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT root FROM sync_purged_subjects WHERE subject = ?1")?
        .query_row([subject], |r| r.get(0))
        .optional()?)
}

/// Marks an entry about a purged citizen, arrived in a pull, as held at the centre instead of
/// taking it in (their history comes back whole when they do).
pub(crate) fn mark(conn: &Connection, entry: &Entry, root: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO sync_purged_entries (entry_id, root) VALUES (?1, ?2)",
    )?
    .execute(params![entry.id, root])?;
    Ok(())
}

/// The purged citizens the centre no longer releases: their history is fetched back.
pub(crate) fn returning(conn: &Connection) -> Result<Vec<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT DISTINCT root FROM sync_purged_subjects
             WHERE root NOT IN (SELECT subject FROM sync_released) ORDER BY root",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Takes a citizen's history back from the centre (`entries`, in the centre's order), in the
/// caller's transaction: the markers go, the entries are taken in as from a pull. Returns how
/// many were new here. `fetched` keeps them for `FETCHED_DAYS` whatever the list says (the
/// worker asked for them).
pub(crate) fn restore(
    conn: &Connection,
    root: &str,
    entries: &[Entry],
    intake: Intake,
    fetched: Option<DateTime<Utc>>,
) -> Result<u32> {
    conn.prepare_cached("DELETE FROM sync_purged_entries WHERE root = ?1")?
        .execute([root])?;
    conn.prepare_cached("DELETE FROM sync_purged_subjects WHERE root = ?1")?
        .execute([root])?;
    if let Some(at) = fetched {
        conn.prepare_cached(
            "INSERT OR REPLACE INTO sync_fetched (subject, until) VALUES (?1, ?2)",
        )?
        .execute(params![
            root,
            journal::format_timestamp(at + Duration::days(FETCHED_DAYS))
        ])?;
    }
    let mut new = 0;
    for (entry, outcome) in entries
        .iter()
        .zip(super::ingest_batch(conn, entries, intake)?)
    {
        match outcome {
            Ok(Ingested::New) => new += 1,
            Ok(Ingested::Repeat) => {}
            // One refused now (stamped ahead of this clock, a rule of a newer app) waits aside
            // and is tried again at every pull, as a pulled one would.
            Err(e) => super::set_aside(conn, entry, &e.to_string())?,
        }
    }
    // A citizen's history holds the entries of every duplicate merged into them at the centre,
    // one of whom this phone may have purged on their own before it heard of the merge: an entry
    // here needs no marker, and a purged citizen none of whose markers is left is purged no
    // more (else their entries would stay here, purged in name, and never leave again).
    conn.execute(
        "DELETE FROM sync_purged_entries WHERE entry_id IN (SELECT id FROM entries)",
        [],
    )?;
    conn.execute(
        "DELETE FROM sync_purged_subjects WHERE root NOT IN (SELECT root FROM sync_purged_entries)",
        [],
    )?;
    Ok(new)
}

/// How many citizens' older history is at the centre, not on this phone.
pub(crate) fn at_centre(conn: &Connection) -> Result<u64> {
    Ok(conn
        .prepare_cached("SELECT count(DISTINCT root) FROM sync_purged_subjects")?
        .query_row([], |r| r.get::<_, i64>(0))? as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Store;
    use crate::vocabulary::{ContactKind, Outcome, PlaceKind};
    use crate::{ContactInput, NewPerson, Subject};

    fn store(dir: &tempfile::TempDir) -> std::sync::Arc<Store> {
        Store::create(
            dir.path().join("p.db").to_string_lossy().into_owned(),
            vec![7; 32],
            "Mette".into(),
            "phone".into(),
        )
        .unwrap()
    }

    fn entry_ids(store: &Store) -> Vec<String> {
        store
            .with_connection(|c| {
                Ok(c.prepare("SELECT id FROM entries ORDER BY id")?
                    .query_map([], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?)
            })
            .unwrap()
    }

    #[test]
    fn nothing_leaves_before_the_centre_has_it_and_all_leaves_after() {
        let dir = tempfile::TempDir::new().unwrap();
        let store = store(&dir);
        let kim = store
            .add_person(NewPerson {
                alias: "Kim".into(),
                description: None,
                birth_year: None,
                from_unknown: None,
                occurred_at: None,
            })
            .unwrap()
            .person;
        store
            .record_contact(ContactInput {
                subject: Some(Subject::Person { id: kim.clone() }),
                place: "Enghave Plads".into(),
                place_kind: PlaceKind::Park,
                kind: ContactKind::Conversation,
                meeting: None,
                announced: None,
                safety_reason: None,
                outcome: Outcome::ContactMade,
                colleague: None,
                minutes: Some(5),
                note: Some("noget om datteren".into()),
                risk_check: None,
                occurred_at: None,
                place_id: None,
            })
            .unwrap();
        let device = store.identity().unwrap().device_id;
        let before = entry_ids(&store);
        let digest_before = store.digest().unwrap();
        // Released, but nothing of it acknowledged yet: it stays.
        let outcome = store
            .with_connection(|c| {
                keep_list(c, std::slice::from_ref(&kim))?;
                purge_released(c, &device, chrono::Utc::now())
            })
            .unwrap();
        assert_eq!(
            outcome,
            Purged {
                citizens: 0,
                deferred: 1
            }
        );
        assert_eq!(entry_ids(&store), before);
        // Acknowledged up to the first of the two: still one outstanding.
        store
            .with_connection(|c| {
                crate::meta::set(c, PUSHED, &before[0])?;
                assert_eq!(purge_released(c, &device, chrono::Utc::now())?.deferred, 1);
                // Refused by the centre: stays, whatever the watermark says.
                crate::meta::set(c, PUSHED, &before[1])?;
                c.execute(
                    "INSERT INTO sync_rejected (entry_id, reason) VALUES (?1, 'refused')",
                    [&before[1]],
                )?;
                assert_eq!(purge_released(c, &device, chrono::Utc::now())?.deferred, 1);
                c.execute("DELETE FROM sync_rejected", [])?;
                Ok(())
            })
            .unwrap();
        assert_eq!(entry_ids(&store), before);
        // All at the centre: everything about Kim leaves; the digest counts the markers.
        let digest_acknowledged = store.digest().unwrap();
        let outcome = store
            .with_connection(|c| purge_released(c, &device, chrono::Utc::now()))
            .unwrap();
        assert_eq!(
            outcome,
            Purged {
                citizens: 1,
                deferred: 0
            }
        );
        assert!(entry_ids(&store).is_empty());
        assert_eq!(store.digest().unwrap(), digest_acknowledged);
        assert_ne!(digest_acknowledged, digest_before);
        assert!(store.person(kim.clone()).is_err());
        assert!(store.list_persons(None, 0).unwrap().is_empty());
        assert_eq!(store.sync_status().unwrap().at_centre, 1);
        // Released again: already purged, nothing more happens.
        let again = store
            .with_connection(|c| purge_released(c, &device, chrono::Utc::now()))
            .unwrap();
        assert_eq!(again, Purged::default());
    }
}

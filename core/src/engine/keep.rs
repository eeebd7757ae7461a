//! The sync loop's part of keeping only what the work needs (`sync::purge`): after a round in
//! step with the centre, the released list is fetched when its hash changed, the released
//! citizens whose entries are all at the centre are purged, and those who came back are fetched
//! back; and, at the worker's request, a search among the citizens held at the centre only and
//! the fetch of one's history. Each answer is applied in its own transaction.

use chrono::{DateTime, Utc};
use rusqlite::TransactionBehavior;

use super::answered;
use crate::clock;
use crate::error::{Error, Result};
use crate::ingest::Intake;
use crate::journal::Entry;
use crate::session::Session;
use crate::sync::{self, Transport, purge, wire};

/// Follows the centre's released list (its hash from the digest answer; none from a centre
/// before it, which releases nothing). Run only when the digests agree: a centre that lost
/// entries (restored from a backup) must have them again before anything leaves a phone.
pub(super) fn follow(
    session: &Session,
    transport: &dyn Transport,
    hash: Option<String>,
) -> Result<()> {
    let Some(hash) = hash else {
        return Ok(());
    };
    if hash != purge::held_hash(&session.lock()?.conn)? {
        let request = sync::released_request(&session.lock()?.conn)?;
        let bytes = transport.send("released".into(), Some(request.token), request.body)?;
        let answer: wire::ReleasedResponse = answered(session, &bytes)?;
        let mut inner = session.lock()?;
        let tx = inner
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        purge::keep_list(&tx, &answer.released)?;
        tx.commit()?;
    }
    {
        let mut inner = session.lock()?;
        let device = inner.identity.device_id.clone();
        let tx = inner
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let purged = purge::purge_released(&tx, &device, clock::now())?;
        tx.commit()?;
        // The newest own entry may have left; found again from the journal only then (a scan
        // an idle round must not pay).
        if purged.citizens > 0 {
            inner.forget_own_latest();
        }
    }
    let returning = purge::returning(&session.lock()?.conn)?;
    for root in returning {
        restore(session, transport, &root, None)?;
    }
    Ok(())
}

/// A citizen's history from the centre, page after page, read as a pull's entries are.
fn history(session: &Session, transport: &dyn Transport, citizen: &str) -> Result<Vec<Entry>> {
    let token = sync::device_token(&session.lock()?.conn)?;
    let mut after = 0;
    let mut entries = Vec::new();
    loop {
        let body = sync::history_body(citizen, after);
        let bytes = transport.send("history".into(), Some(token.clone()), body)?;
        let answer: wire::HistoryAnswer = answered(session, &bytes)?;
        let last = answer.entries.last().map(|e| e.seq);
        entries.extend(sync::history_entries(&session.lock()?.conn, &answer)?);
        match last {
            Some(seq) if answer.more && seq > after => after = seq,
            _ => return Ok(entries),
        }
    }
}

/// Fetches a citizen's history and takes it in, in place of the markers, in one transaction.
fn restore(
    session: &Session,
    transport: &dyn Transport,
    root: &str,
    fetched: Option<DateTime<Utc>>,
) -> Result<u32> {
    let entries = history(session, transport, root)?;
    let mut inner = session.lock()?;
    let intake = Intake::phone(clock::now().timestamp_millis());
    let tx = inner
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    let new = purge::restore(&tx, root, &entries, intake, fetched)?;
    tx.commit()?;
    if new > 0 {
        inner.forget_own_latest();
    }
    Ok(new)
}

/// Fetches one citizen's history at the worker's request (see `api::Store::fetch_history`).
pub(crate) fn fetch_history(
    session: &Session,
    transport: &dyn Transport,
    citizen: &str,
) -> Result<u32> {
    crate::journal::entry_id("citizen", citizen)?;
    let _running = session.sync_running();
    session.lock()?.writable()?;
    restore(session, transport, citizen, Some(clock::now()))
}

/// The citizens of the team held at the centre only whose nickname holds `alias` (see
/// `api::Store::search_centre`).
pub(crate) fn search(
    session: &Session,
    transport: &dyn Transport,
    alias: &str,
) -> Result<Vec<wire::CitizenAtCentre>> {
    if alias.trim().is_empty() {
        return Err(Error::invalid("alias", "must not be empty"));
    }
    let token = sync::device_token(&session.lock()?.conn)?;
    let bytes = transport.send(
        "search".into(),
        Some(token),
        sync::search_body(alias.trim()),
    )?;
    let answer: wire::SearchResponse = answered(session, &bytes)?;
    Ok(answer.found)
}

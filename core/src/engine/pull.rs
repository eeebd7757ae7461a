//! The pull half of a round. With a centre that speaks protocol 3 a page is a range of the
//! team's sequence numbers (which have no gaps), less the phone's own entries (it has them: a
//! push is not followed by its own entries coming back), so the pages of a long pull (a replaced
//! phone's whole team history) are known before any answer arrives and up to `WINDOW` of them are
//! asked for side by side: over a slow link the round trips overlap and the pull takes about its
//! bytes over the bandwidth, not a round trip a page. Answers are applied one after another, in
//! order, each in its own transaction, as before; one the centre cut short (its size bound) has
//! the rest of its range fetched before the next is applied.
//!
//! A centre that does not speak protocol 3 refuses it (`unsupported-protocol`); the phone then
//! pulls page after page with protocol 2, as before, and tries 3 again a day later. The repair
//! round after a digest mismatch pulls with protocol 2 too: it must bring back the phone's own
//! entries if the phone lost some.

use std::collections::BTreeMap;
use std::sync::{Condvar, Mutex};

use rusqlite::TransactionBehavior;

use super::answered;
use crate::clock;
use crate::error::{Error, Result};
use crate::session::Session;
use crate::sync::{self, SyncReport, Transport, wire};

/// Pages asked for at once.
const WINDOW: u64 = 4;
/// How long a centre that refused protocol 3 is pulled from with 2.
const FALLBACK_MS: i64 = 24 * 3_600_000;

/// Pulls until the centre has nothing more: ranged and side by side where the centre can,
/// page after page where it cannot or where `full` (a repair) asks for own entries too.
pub(super) fn pull(
    session: &Session,
    transport: &dyn Transport,
    report: &mut SyncReport,
    full: bool,
) -> Result<()> {
    let now_ms = clock::now().timestamp_millis();
    let older_centre = {
        let inner = session.lock()?;
        sync::meta_get(&inner.conn, sync::PULL_V2_UNTIL)?
            .and_then(|v| v.parse::<i64>().ok())
            .is_some_and(|until| until > now_ms)
    };
    if full || older_centre {
        return page_after_page(session, transport, report);
    }
    match side_by_side(session, transport, report) {
        Err(Error::CentreRefused { code, .. }) if code == "unsupported-protocol" => {
            {
                let inner = session.lock()?;
                sync::meta_set(
                    &inner.conn,
                    sync::PULL_V2_UNTIL,
                    &(now_ms + FALLBACK_MS).to_string(),
                )?;
            }
            page_after_page(session, transport, report)
        }
        other => other,
    }
}

/// Applies one answer in its own transaction; returns whether more follows.
fn apply(session: &Session, report: &mut SyncReport, bytes: &[u8]) -> Result<(bool, u64)> {
    let answer: wire::PullAnswer = answered(session, bytes)?;
    let mut inner = session.lock()?;
    let now_ms = clock::now().timestamp_millis();
    let (pulled, cursor) = sync::relaxed(&mut inner.conn, |conn| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        sync::note_centre(&tx, answer.centre_time.as_deref(), now_ms)?;
        if let Some(workers) = &answer.roster {
            crate::roster::replace(&tx, workers)?;
        }
        if let Some(alerts) = &answer.checkins {
            crate::kinds::checkins::replace_alerts(&tx, alerts)?;
        }
        sync::note_rotation_asked(&tx, answer.rotate_token == Some(true))?;
        let pulled = sync::apply_pull(&tx, &answer, now_ms)?;
        let cursor = sync::pull_cursor(&tx)?;
        tx.commit()?;
        Ok((pulled, cursor))
    })?;
    report.pulled += pulled;
    // From protocol 3 an answer may be empty (only own entries in its range) with more after it.
    let more = if answer.through.is_some() {
        answer.more
    } else {
        answer.more && !answer.entries.is_empty()
    };
    Ok((more, cursor))
}

/// Protocol 2: a page, then the next after its last entry.
fn page_after_page(
    session: &Session,
    transport: &dyn Transport,
    report: &mut SyncReport,
) -> Result<()> {
    loop {
        let request = sync::pull_request(&session.lock()?.conn, wire::PROTOCOL)?;
        let bytes = transport.send("pull".into(), Some(request.token), request.body)?;
        let (more, _) = apply(session, report, &bytes)?;
        if !more {
            return Ok(());
        }
    }
}

/// What the fetching threads and the applying one share.
struct Pages {
    /// The next page to ask for.
    next: u64,
    /// Pages applied so far: a fetcher stays within `WINDOW` of them.
    applied: u64,
    /// No more pages are wanted (the end was reached, or something failed).
    stop: bool,
    arrived: BTreeMap<u64, std::result::Result<Vec<u8>, sync::TransportError>>,
}

/// Protocol 3: pages `k` = sequence numbers `start + k·L + 1 ..= start + (k+1)·L`. The first
/// is asked for alone (most rounds end there: nothing new, or a few entries); after it, up to
/// `WINDOW` at once, applied in order.
fn side_by_side(
    session: &Session,
    transport: &dyn Transport,
    report: &mut SyncReport,
) -> Result<()> {
    let (token, first) = {
        let inner = session.lock()?;
        (
            sync::device_token(&inner.conn)?,
            sync::pull_cursor(&inner.conn)?,
        )
    };
    let width = u64::from(wire::PULL_MAX_ENTRIES);
    let body = sync::pull_body(wire::PULL_PROTOCOL, first, wire::PULL_MAX_ENTRIES);
    let bytes = transport.send("pull".into(), Some(token.clone()), body)?;
    let more = rest_of_range(session, transport, report, &token, &bytes, first + width)?;
    if !more {
        return Ok(());
    }
    let start = first + width;
    let pages = Mutex::new(Pages {
        next: 0,
        applied: 0,
        stop: false,
        arrived: BTreeMap::new(),
    });
    let changed = Condvar::new();
    let lock = || {
        pages
            .lock()
            .map_err(|_| Error::storage("a pull thread failed"))
    };
    std::thread::scope(|scope| {
        for _ in 0..WINDOW {
            scope.spawn(|| {
                loop {
                    let mut asked = Asked {
                        page: None,
                        pages: &pages,
                        changed: &changed,
                    };
                    let k = {
                        let Ok(mut p) = pages.lock() else { return };
                        while !p.stop && p.next >= p.applied + WINDOW {
                            p = match changed.wait(p) {
                                Ok(p) => p,
                                Err(_) => return,
                            };
                        }
                        if p.stop {
                            return;
                        }
                        p.next += 1;
                        p.next - 1
                    };
                    asked.page = Some(k);
                    let body = sync::pull_body(
                        wire::PULL_PROTOCOL,
                        start + k * width,
                        wire::PULL_MAX_ENTRIES,
                    );
                    let answer = transport.send("pull".into(), Some(token.clone()), body);
                    asked.page = None;
                    let Ok(mut p) = pages.lock() else { return };
                    let failed = answer.is_err();
                    p.arrived.insert(k, answer);
                    p.stop |= failed;
                    changed.notify_all();
                }
            });
        }
        // However the applying ends (an answer, an error, a panic), the fetchers stop.
        let _stop = Stop {
            pages: &pages,
            changed: &changed,
        };
        (|| -> Result<()> {
            for k in 0.. {
                let bytes = {
                    let mut p = lock()?;
                    loop {
                        if let Some(answer) = p.arrived.remove(&k) {
                            break answer?;
                        }
                        p = changed
                            .wait(p)
                            .map_err(|_| Error::storage("a pull thread failed"))?;
                    }
                };
                let end = start + (k + 1) * width;
                let more = rest_of_range(session, transport, report, &token, &bytes, end)?;
                let mut p = lock()?;
                p.applied = k + 1;
                changed.notify_all();
                if !more {
                    return Ok(());
                }
            }
            Ok(())
        })()
    })
}

/// Applies a page's answer and, where the centre's size bound cut it short of `end`, fetches and
/// applies the rest of its range, one answer after another. Returns whether more follows `end`.
fn rest_of_range(
    session: &Session,
    transport: &dyn Transport,
    report: &mut SyncReport,
    token: &str,
    answer: &[u8],
    end: u64,
) -> Result<bool> {
    let (mut more, mut cursor) = apply(session, report, answer)?;
    while more && cursor < end {
        let limit = u32::try_from(end - cursor).unwrap_or(wire::PULL_MAX_ENTRIES);
        let body = sync::pull_body(wire::PULL_PROTOCOL, cursor, limit);
        let bytes = transport.send("pull".into(), Some(token.to_string()), body)?;
        (more, cursor) = apply(session, report, &bytes)?;
    }
    Ok(more)
}

/// Stops the fetchers when dropped, a panic's unwinding included: they would otherwise wait for
/// a window that never moves, and the scope for them.
struct Stop<'a> {
    pages: &'a Mutex<Pages>,
    changed: &'a Condvar,
}

impl Drop for Stop<'_> {
    fn drop(&mut self) {
        let mut p = self
            .pages
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        p.stop = true;
        drop(p);
        self.changed.notify_all();
    }
}

/// A page a fetcher has asked for: if the fetcher unwinds before its answer is in (the host's
/// transport panicked), the page is marked failed, so that the applier waiting for it stops.
struct Asked<'a> {
    page: Option<u64>,
    pages: &'a Mutex<Pages>,
    changed: &'a Condvar,
}

impl Drop for Asked<'_> {
    fn drop(&mut self) {
        if let Some(k) = self.page {
            let mut p = self
                .pages
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            p.arrived.insert(
                k,
                Err(sync::TransportError::Unreachable {
                    detail: "the transport failed while fetching a page".into(),
                }),
            );
            p.stop = true;
            drop(p);
            self.changed.notify_all();
        }
    }
}

//! The sync loop, transport-injected: the host's `Transport` (Kotlin's and Swift's HTTP stacks,
//! the CLI's) is called from here, and every answer is applied in its own transaction, which is
//! the only place a mark (the push watermark, the pull cursor) moves. Its parts (marks, batches,
//! digests, the wire) are `sync`; the loop sits above both `sync` and `session`, so that neither
//! needs the other's user. The store stays usable
//! while a request is under way: its lock is held only to read or apply each step. One run at a
//! time per store (`Session::sync_running`).

mod keep;
mod pull;

pub(crate) use keep::{fetch_history, search};

use rusqlite::TransactionBehavior;

use crate::clock;
use crate::error::{Error, Result};
use crate::session::{Inner, Session};
use crate::sync;
use crate::sync::{SyncReport, SyncStatus, Transport, wire};

/// Enrols this phone at a centre with a one-time code (see `api::Store::enrol`).
pub(crate) fn enrol(
    session: &Session,
    transport: &dyn Transport,
    centre: &str,
    code: &str,
) -> Result<SyncStatus> {
    if code.trim().is_empty() {
        return Err(Error::invalid("code", "must not be empty"));
    }
    let request = {
        let mut inner = session.lock()?;
        inner.writable()?;
        if sync::meta_get(&inner.conn, sync::TOKEN)?.is_some() {
            return Err(Error::not_allowed("this phone is already enrolled"));
        }
        let id = &inner.identity;
        sync::enrol_request(&id.worker, &id.device_id, &id.device_name, code)
    };
    let bytes = transport.send("enrol".into(), None, request)?;
    let answer: wire::EnrolResponse = answered(session, &bytes)?;
    let inner = session.lock()?;
    sync::finish_enrol(&inner.conn, centre.trim(), answer)?;
    sync::status(&inner.conn, &inner.identity.device_id)
}

/// Asks the centre for a new device token and keeps it (see `api::Store::rotate_token`). No
/// sync runs meanwhile (the gate): every request of a run goes with one token. The new token is
/// kept in one transaction once the answer is there; an answer lost on the way leaves the old
/// token, which the centre still accepts.
pub(crate) fn rotate_token(session: &Session, transport: &dyn Transport) -> Result<()> {
    let _running = session.sync_running();
    rotate(session, transport)
}

/// The rotation itself, by one holding the gate.
fn rotate(session: &Session, transport: &dyn Transport) -> Result<()> {
    let request = {
        let mut inner = session.lock()?;
        inner.writable()?;
        sync::token_request(&inner.conn)?
    };
    let bytes = transport.send("token".into(), Some(request.token.clone()), request.body)?;
    let answer: wire::TokenResponse = answered(session, &bytes)?;
    let mut inner = session.lock()?;
    let tx = inner
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    sync::keep_new_token(&tx, &request.token, &answer)?;
    tx.commit()?;
    Ok(())
}

/// One sync run (see `api::Store::sync`): re-stamp what a wrong clock stamped if the clock is
/// right now, push and pull, compare digests, and repair a divergence with one more round.
pub(crate) fn sync(session: &Session, transport: &dyn Transport) -> Result<SyncReport> {
    let _running = session.sync_running();
    session.lock()?.writable()?;
    let mut report = SyncReport {
        pushed: 0,
        acknowledged_again: 0,
        rejected: 0,
        pulled: 0,
        repaired: false,
        restamped: restamp_if_clock_right(session, transport)?,
        digest: sync::digest_of(Vec::new()),
        in_step: false,
    };
    let mut deferred = sync_round(session, transport, &mut report, false)?;
    let (mut local, mut centre, mut released) = digests(session, transport)?;
    if local != centre && deferred.is_none() {
        sync::reset_marks(&session.lock()?.conn)?;
        // Everything again, the phone's own entries included (it may have lost some).
        deferred = sync_round(session, transport, &mut report, true)?;
        report.repaired = true;
        (local, centre, released) = digests(session, transport)?;
    }
    report.in_step = local == centre;
    report.digest = local;
    // What the phones keep follows a round in step; a connection lost on the way is tried again
    // at the next sync, and the scrub and the rotation run whatever it did.
    let kept = match (report.in_step && deferred.is_none())
        .then(|| keep::follow(session, transport, released))
    {
        Some(Err(Error::Unreachable { .. })) | None => Ok(()),
        Some(other) => other,
    };
    scrub(session)?;
    rotate_if_asked(session, transport)?;
    kept?;
    match deferred {
        Some(refusal) => Err(refusal),
        None => Ok(report),
    }
}

/// After an erasure was taken in (by this run or an earlier one a reader held up), the store's
/// log is emptied into its file with the screens' reads held off for the moment it takes, so
/// that the erased text leaves the phone's files as well as its tables (`db::scrub_if_pending`).
fn scrub(session: &Session) -> Result<()> {
    let inner = session.lock()?;
    if sync::meta_get(&inner.conn, crate::meta::SCRUB_PENDING)?.is_none() {
        return Ok(());
    }
    let _reads = session.pause_reads()?;
    crate::db::scrub_if_pending(&inner.conn)?;
    Ok(())
}

/// Rotates the device token at the end of a run if the centre's operator asked for it (a pull
/// answer said so). An answer lost on the way is not the run's failure: the next run asks again,
/// as the centre goes on asking until the new token is used.
fn rotate_if_asked(session: &Session, transport: &dyn Transport) -> Result<()> {
    if !sync::rotation_asked(&session.lock()?.conn)? {
        return Ok(());
    }
    match rotate(session, transport) {
        Err(Error::Unreachable { .. }) => Ok(()),
        other => other,
    }
}

/// Entries stamped while this phone's clock was ahead are sent once its clock agrees with
/// the centre's again. Only then: their stamps cannot tell whether the clock was ahead when
/// it made them or is behind now, and only the centre's time can. The digest answer
/// carries it; this costs a request only when such entries exist.
fn restamp_if_clock_right(session: &Session, transport: &dyn Transport) -> Result<u32> {
    let request = {
        let mut inner = session.lock()?;
        let now_ms = clock::now().timestamp_millis();
        let own_latest = inner.own_latest()?;
        let ahead = sync::has_entries_stamped_ahead(
            &inner.conn,
            &inner.identity.device_id,
            now_ms,
            own_latest.as_deref(),
        )?;
        if !ahead {
            return Ok(0);
        }
        sync::digest_request(&inner.conn, wire::PROTOCOL)?
    };
    let bytes = transport.send("digest".into(), Some(request.token), request.body)?;
    let centre_time = match sync::read_answer::<wire::DigestResponse>(&bytes)? {
        sync::Answer::Ok(answer) => answer.centre_time,
        // A retired phone may not read the team's digest, yet is to send what it holds
        // before it erases itself; every refusal of protocol 2 carries the centre's time.
        sync::Answer::Refused(refusal) if refusal.revocation.as_deref() == Some("retired") => {
            refusal.centre_time
        }
        sync::Answer::Refused(_) => {
            return answered::<wire::DigestResponse>(session, &bytes).map(|_| 0);
        }
    };
    let mut inner = session.lock()?;
    sync::note_centre_time(&inner.conn, centre_time.as_deref())?;
    let now_ms = clock::now().timestamp_millis();
    let offset = sync::offset_from(centre_time.as_deref(), now_ms);
    let Some(offset) = offset.filter(|o| o.abs() <= clock::MAX_SKEW_MS) else {
        // Still wrong (or an older centre that does not say): the push will tell the worker.
        sync::note_offset(&inner.conn, offset)?;
        return Ok(0);
    };
    let Inner { conn, identity, .. } = &mut *inner;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let restamped = sync::restamp(&tx, &identity.device_id, now_ms, now_ms - offset)?;
    tx.commit()?;
    inner.forget_own_latest();
    Ok(restamped)
}

/// One round: push, then pull (`full`: the phone's own entries too). A push the centre puts off
/// (see `sync`) ends the pushing, not the round; the refusal is returned for `sync` to report
/// after the pull.
fn sync_round(
    session: &Session,
    transport: &dyn Transport,
    report: &mut SyncReport,
    full: bool,
) -> Result<Option<Error>> {
    let mut deferred = None;
    {
        let inner = session.lock()?;
        sync::legacy_watermark(&inner.conn, &inner.identity.device_id)?;
    }
    loop {
        let batch = {
            let mut inner = session.lock()?;
            let own_latest = inner.own_latest()?;
            sync::next_push(
                &inner.conn,
                &inner.identity.device_id,
                own_latest.as_deref(),
            )?
        };
        let Some(batch) = batch else { break };
        let bytes = transport.send(
            "push".into(),
            Some(batch.request.token.clone()),
            batch.request.body.clone(),
        )?;
        let answer: wire::PushResponse = match answered(session, &bytes) {
            Ok(answer) => answer,
            Err(refusal) if puts_off_push(&refusal) => {
                deferred = Some(refusal);
                break;
            }
            Err(e) => return Err(e),
        };
        let mut inner = session.lock()?;
        let outcome = sync::relaxed(&mut inner.conn, |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            sync::note_centre(
                &tx,
                answer.centre_time.as_deref(),
                clock::now().timestamp_millis(),
            )?;
            let outcome = sync::apply_push(&tx, &batch, &answer)?;
            tx.commit()?;
            Ok(outcome)
        })?;
        if outcome.accepted + outcome.duplicate + outcome.rejected == 0 {
            return Err(Error::Unreachable {
                detail: "the centre acknowledged none of the entries sent".into(),
            });
        }
        report.pushed += outcome.accepted;
        report.acknowledged_again += outcome.duplicate;
        report.rejected += outcome.rejected;
    }
    pull::pull(session, transport, report, full)?;
    Ok(deferred)
}

/// How long a centre that refused the released list's version is taken for an older one.
const KEEP_FALLBACK_MS: i64 = 24 * 3_600_000;

/// The phone's digest, the centre's, and (from a centre that keeps the released list) the
/// list's hash. Asked in `wire::KEEP_PROTOCOL` unless the centre refused it lately.
fn digests(
    session: &Session,
    transport: &dyn Transport,
) -> Result<(sync::Digest, sync::Digest, Option<String>)> {
    let now_ms = clock::now().timestamp_millis();
    let older_centre = sync::meta_get(&session.lock()?.conn, crate::meta::KEEP_UNSUPPORTED_UNTIL)?
        .and_then(|v| v.parse::<i64>().ok())
        .is_some_and(|until| until > now_ms);
    let protocol = if older_centre {
        wire::PROTOCOL
    } else {
        wire::KEEP_PROTOCOL
    };
    let ask = |protocol| -> Result<wire::DigestResponse> {
        let request = sync::digest_request(&session.lock()?.conn, protocol)?;
        let bytes = transport.send("digest".into(), Some(request.token), request.body)?;
        answered(session, &bytes)
    };
    let answer = match ask(protocol) {
        Err(Error::CentreRefused { code, .. })
            if code == "unsupported-protocol" && protocol != wire::PROTOCOL =>
        {
            sync::meta_set(
                &session.lock()?.conn,
                crate::meta::KEEP_UNSUPPORTED_UNTIL,
                &(now_ms + KEEP_FALLBACK_MS).to_string(),
            )?;
            ask(wire::PROTOCOL)?
        }
        other => other?,
    };
    let inner = session.lock()?;
    sync::note_centre(
        &inner.conn,
        answer.centre_time.as_deref(),
        clock::now().timestamp_millis(),
    )?;
    Ok((
        sync::local_digest(&inner.conn, &inner.identity.device_id)?,
        answer.digest,
        answer.released,
    ))
}

/// Reads a centre's answer, acting on a refusal that asks something of the phone: erase
/// itself (revoked), forget an expired token (enrol again), note how far off its clock is.
pub(crate) fn answered<T: serde::de::DeserializeOwned>(
    session: &Session,
    bytes: &[u8],
) -> Result<T> {
    let refusal = match sync::read_answer::<T>(bytes)? {
        sync::Answer::Ok(answer) => return Ok(answer),
        sync::Answer::Refused(refusal) => refusal,
    };
    let mut inner = session.lock()?;
    sync::note_centre_time(&inner.conn, refusal.centre_time.as_deref())?;
    match refusal.error.as_str() {
        _ if refusal.wipe => {
            // A retired phone's unsent records are taken in before it erases itself; a phone
            // that still holds some (its push was put off) keeps them for the next sync.
            let pending = sync::status(&inner.conn, &inner.identity.device_id)?.pending;
            if refusal.revocation.as_deref() == Some("retired") && pending > 0 {
                return Err(Error::CentreRefused {
                    code: refusal.error,
                    message: "this phone is retired; it erases itself once the centre has everything it recorded".into(),
                });
            }
            let _reads = session.pause_reads()?;
            sync::wipe(&inner.conn)?;
            // What the next start shows (`start::start_state`): the phone was revoked, and how.
            sync::meta_set(
                &inner.conn,
                crate::meta::REVOKED,
                refusal.revocation.as_deref().unwrap_or("lost"),
            )?;
            inner.forget_own_latest();
            Err(Error::Revoked)
        }
        // The phone built the request itself, so a centre that found it malformed received
        // it damaged: a fault of the connection, retried like one.
        "malformed" => Err(Error::Unreachable {
            detail: "the request arrived damaged".into(),
        }),
        "busy" => Err(Error::Unreachable {
            detail: "the centre is busy; try again shortly".into(),
        }),
        // The centre is up but its database is not (restarting, failed over): as good as out
        // of reach, and tried again like it.
        "database-unavailable" => Err(Error::Unreachable {
            detail: "the centre's database is unavailable; try again shortly".into(),
        }),
        "clock-ahead" => {
            let offset = sync::offset_from(
                refusal.centre_time.as_deref(),
                clock::now().timestamp_millis(),
            );
            sync::note_offset(&inner.conn, offset)?;
            Err(match offset {
                Some(offset) if offset.abs() > clock::MAX_SKEW_MS => sync::clock_wrong(offset),
                _ => Error::ClockWrong {
                    detail: "entries on this phone were stamped by a clock that was ahead; sync again to send them (nothing recorded is lost)".into(),
                },
            })
        }
        "token-expired" => {
            sync::forget_token(&inner.conn)?;
            Err(Error::CentreRefused {
                code: refusal.error,
                message: refusal.message,
            })
        }
        _ => Err(Error::CentreRefused {
            code: refusal.error,
            message: refusal.message,
        }),
    }
}

/// A refusal that ends a run's pushing but not its pull: the phone's clock is ahead, or it has
/// sent all the centre takes from one device for now.
fn puts_off_push(refusal: &Error) -> bool {
    match refusal {
        Error::ClockWrong { .. } => true,
        Error::CentreRefused { code, .. } => sync::advice::refusal_only_puts_off(code),
        _ => false,
    }
}

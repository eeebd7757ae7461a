//! A check-in (*tjek-ind*; issue 15), read from the rows of its four kinds: `checkins` (one per
//! `checkin.started`), `checkin_extensions`, `checkin_ends` and `checkin_acknowledgements`
//! (each naming the check-in by the starting entry's id, and all kept under the check-in's own
//! subject). Nothing here is stored: the check-in is due at its latest extension's due time (or
//! its start's), and ended by its first end. Each entry keeps a row of its own, so replicas
//! agree whatever order the entries reach them in.
//!
//! The seeds ask that a worker alone on a home visit sends "en SMS til en kollega, når borgerens
//! hjem forlades" (002 L2616–2617); the lone-worker systems' lesson (`anchors.md` §5) is that the
//! timer runs at the server, where a phone's lost signal cannot stop it. So the phone records
//! the check-in and the centre watches it (`gadeplan-centre`'s `watch`); what the phone shows of
//! it here is its own check-ins' state, the colleagues' overdue check-ins as the centre last
//! sent them (`meta`, replaced at every pull), and the text of the SMS the shells offer when
//! there is no data.
//!
//! The worker's codes: a normal code ends a check-in; a duress code (*tvangskode*) ends it just
//! as visibly on this phone, while the entry tells the centre to raise the alarm at once. Both
//! are kept as salted hashes in `meta`; without codes set, no code is asked.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::guarantee;
use crate::error::{Error, Result};
use crate::journal;
use crate::meta;
use crate::time::Time;
use crate::vocabulary::{AlertKind, CheckinReason, EscalationLevel, Label};

/// The longest a check-in (or an extension) runs: a working day's visit.
pub const MAX_MINUTES: u32 = 12 * 60;

/// A worker's own check-in is "about to fall due" this long before its due time.
pub const DUE_SOON_MINUTES: i64 = 10;

/// Where one check-in stands on this phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct CheckinView {
    /// The id of the entry that started it; the commands name the check-in by it.
    pub id: String,
    /// The first eight characters of the id after its time part: what the SMS names.
    pub code: String,
    /// The subject its entries are kept under (its timeline).
    pub subject: String,
    pub worker: String,
    pub watcher: String,
    pub place: String,
    pub person: Option<String>,
    pub reason: CheckinReason,
    pub reason_label: Label,
    pub high_risk: bool,
    pub started_at: Time,
    pub due_at: Time,
    /// When the worker's own "due soon" reminder starts (`DUE_SOON_MINUTES` before `due_at`):
    /// a shell schedules its local notification here and at `due_at`, so that an overdue own
    /// check-in is told on time even with no signal (issue 18), and holds no minutes of its own.
    pub due_soon_at: Time,
    pub ended_at: Option<Time>,
    pub ended_by: Option<String>,
    /// Whether the end was reported by the watcher on the worker's behalf.
    pub ended_on_behalf: bool,
    /// Who took charge while it was open (an acknowledgement after the end, of a duress alarm,
    /// is not shown here: the worker's phone may be in other hands).
    pub acknowledged_by: Vec<String>,
}

impl CheckinView {
    pub fn is_open(&self) -> bool {
        self.ended_at.is_none()
    }
}

/// The short code an SMS names a check-in by: eight hex digits of the id's random part (a
/// UUIDv7 starts with its time, which two check-ins of one minute share).
pub fn short_code(id: &str) -> String {
    id.chars()
        .filter(char::is_ascii_hexdigit)
        .skip(16)
        .take(8)
        .collect()
}

const SELECT: &str = "SELECT c.entry_id, c.author_worker, c.watcher, c.place, c.person, c.reason,
        c.high_risk, c.occurred_at,
        coalesce((SELECT x.due_at FROM checkin_extensions x
                  WHERE x.owner = c.owner AND x.checkin = c.entry_id AND NOT x.voided
                  ORDER BY x.occurred_at DESC, x.entry_id DESC LIMIT 1), c.due_at),
        (SELECT e.occurred_at || char(31) || e.author_worker || char(31) || e.on_behalf
         FROM checkin_ends e
         WHERE e.owner = c.owner AND e.checkin = c.entry_id AND NOT e.voided
         ORDER BY e.occurred_at, e.entry_id LIMIT 1),
        (SELECT group_concat(author_worker, char(31)) FROM
            (SELECT DISTINCT a.author_worker FROM checkin_acknowledgements a
             WHERE a.owner = c.owner AND a.checkin = c.entry_id AND NOT a.voided
               AND NOT EXISTS (SELECT 1 FROM checkin_ends e
                   WHERE e.owner = c.owner AND e.checkin = c.entry_id AND NOT e.voided
                     AND e.occurred_at < a.occurred_at)
             ORDER BY a.author_worker))
        , c.owner
    FROM checkins c WHERE NOT c.voided";

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<CheckinView> {
    let id: String = r.get(0)?;
    let reason: String = r.get(5)?;
    let reason = CheckinReason::parse(&reason).unwrap_or(CheckinReason::Other);
    let end: Option<String> = r.get(9)?;
    let (ended_at, ended_by, ended_on_behalf) = match end {
        Some(text) => {
            let mut parts = text.splitn(3, '\u{1f}');
            let at = parts.next().unwrap_or_default().to_string();
            let by = parts.next().unwrap_or_default().to_string();
            let on_behalf = parts.next() == Some("1");
            (Some(Time::stored(at)), Some(by), on_behalf)
        }
        None => (None, None, false),
    };
    let acknowledged: Option<String> = r.get(10)?;
    let due_at: String = r.get(8)?;
    Ok(CheckinView {
        code: short_code(&id),
        subject: r.get(11)?,
        id,
        worker: r.get(1)?,
        watcher: r.get(2)?,
        place: r.get(3)?,
        person: r.get(4)?,
        reason,
        reason_label: reason.label(),
        high_risk: r.get(6)?,
        started_at: Time::stored(r.get(7)?),
        due_soon_at: Time::stored(due_soon(&due_at)),
        due_at: Time::stored(due_at),
        ended_at,
        ended_by,
        ended_on_behalf,
        acknowledged_by: acknowledged
            .map(|a| a.split('\u{1f}').map(str::to_string).collect())
            .unwrap_or_default(),
    })
}

/// `DUE_SOON_MINUTES` before `due_at` (as stored; a time that does not parse is kept as it is).
fn due_soon(due_at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(due_at)
        .map(|t| {
            journal::format_timestamp(
                t.with_timezone(&chrono::Utc) - Duration::minutes(DUE_SOON_MINUTES),
            )
        })
        .unwrap_or_else(|_| due_at.to_string())
}

/// One check-in by its id, or by the short code its SMS names (among those this phone knows).
pub(crate) fn find(conn: &Connection, id_or_code: &str) -> Result<CheckinView> {
    let id_or_code = id_or_code.trim();
    let by_id = conn
        .prepare_cached(&format!("{SELECT} AND c.entry_id = ?1"))?
        .query_row([id_or_code], read)
        .optional()?;
    if let Some(found) = by_id {
        return Ok(found);
    }
    let code = id_or_code.to_ascii_lowercase();
    if code.len() == 8 && code.chars().all(|c| c.is_ascii_hexdigit()) {
        let mut matching: Vec<CheckinView> =
            all(conn)?.into_iter().filter(|c| c.code == code).collect();
        if matching.len() == 1 {
            return Ok(matching.remove(0));
        }
    }
    Err(Error::not_found("check-in", id_or_code))
}

/// Every check-in this phone knows, the latest first.
pub fn all(conn: &Connection) -> Result<Vec<CheckinView>> {
    let mut statement = conn.prepare_cached(&format!(
        "{SELECT} ORDER BY c.occurred_at DESC, c.entry_id DESC"
    ))?;
    let rows = statement.query_map([], read)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A worker's open check-ins (normally one).
pub(crate) fn open_of(conn: &Connection, worker: &str) -> Result<Vec<CheckinView>> {
    Ok(all(conn)?
        .into_iter()
        .filter(|c| c.is_open() && c.worker == worker)
        .collect())
}

/// The worker's own open check-in: the one named (by id or short code), or their only open one.
/// Another's check-in, or one already ended, is refused.
pub(crate) fn own_open(conn: &Connection, named: Option<&str>) -> Result<CheckinView> {
    let me = own_worker(conn)?;
    let checkin = match named {
        Some(named) => find(conn, named)?,
        None => open_of(conn, &me)?
            .into_iter()
            .next()
            .ok_or_else(|| Error::not_allowed("you have no open check-in"))?,
    };
    if checkin.worker != me {
        return Err(Error::not_allowed(format!(
            "the check-in is {}'s, not yours",
            checkin.worker
        )));
    }
    require_open(&checkin)?;
    Ok(checkin)
}

/// Refuses a check-in that has already ended.
pub(crate) fn require_open(checkin: &CheckinView) -> Result<()> {
    if checkin.is_open() {
        Ok(())
    } else {
        Err(Error::not_allowed("the check-in has already ended"))
    }
}

/// The watcher named in a stored `checkin.started` payload.
pub(crate) fn watcher_of(started: &crate::journal::Entry) -> Option<String> {
    match super::Payload::read(started.kind, &started.payload) {
        Ok(super::Payload::CheckinStarted(c)) => Some(c.watcher),
        _ => None,
    }
}

/// The phone's own worker, whom a check-in command acts as.
pub(crate) fn own_worker(conn: &Connection) -> Result<String> {
    meta::get(conn, meta::WORKER)?.ok_or_else(|| Error::storage("this phone's store has no worker"))
}

/// A number of minutes a check-in or an extension runs.
pub(crate) fn minutes(field: &str, minutes: u32) -> Result<()> {
    if minutes == 0 || minutes > MAX_MINUTES {
        return Err(Error::invalid(
            field,
            format!("between 1 and {MAX_MINUTES} minutes"),
        ));
    }
    Ok(())
}

/// The due time `minutes` after a stored time.
pub fn due_after(at: &str, minutes: u32) -> Result<String> {
    let at = DateTime::parse_from_rfc3339(at)
        .map_err(|_| Error::storage("a stored time is unreadable"))?
        .with_timezone(&Utc);
    Ok(journal::format_timestamp(
        at + Duration::minutes(i64::from(minutes)),
    ))
}

/// What an entry means to a check-in's timer (`Kind::watched`): the centre keeps its watch from
/// these, the entry's own time and author giving the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Watched {
    Started {
        watcher: String,
        place: String,
        minutes: u32,
        high_risk: bool,
    },
    Extended {
        checkin: String,
        minutes: u32,
    },
    Ended {
        checkin: String,
        duress: bool,
        on_behalf: bool,
    },
    Acknowledged {
        checkin: String,
    },
}

// ---- The worker's codes ---------------------------------------------------------------------

/// What ending a check-in with `code` means on this phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CodeMeaning {
    /// No codes are set, or the normal code was given.
    Normal,
    /// The duress code: the end looks the same here, and the centre raises the alarm.
    Duress,
}

#[derive(Serialize, Deserialize)]
struct Codes {
    salt: String,
    normal: String,
    duress: String,
}

fn hash(salt: &str, code: &str) -> String {
    let digest = Sha256::digest(format!("{salt}\n{}", code.trim()).as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Sets the worker's normal and duress codes (4–12 digits, different from each other).
pub(crate) fn set_codes(conn: &Connection, normal: &str, duress: &str) -> Result<()> {
    for (field, code) in [("code", normal), ("duress_code", duress)] {
        let code = code.trim();
        if code.len() < 4 || code.len() > 12 || !code.chars().all(|c| c.is_ascii_digit()) {
            return Err(Error::invalid(field, "4 to 12 digits"));
        }
    }
    if normal.trim() == duress.trim() {
        return Err(Error::invalid(
            "duress_code",
            "must differ from the normal code",
        ));
    }
    let salt = journal::new_id();
    let codes = Codes {
        normal: hash(&salt, normal),
        duress: hash(&salt, duress),
        salt,
    };
    meta::set(
        conn,
        meta::CHECKIN_CODES,
        &serde_json::to_string(&codes).expect("codes serialise"),
    )
}

/// Whether codes are set on this phone.
pub fn codes_set(conn: &Connection) -> Result<bool> {
    Ok(meta::get(conn, meta::CHECKIN_CODES)?.is_some())
}

/// What a code given to end one's own check-in means; a wrong or missing code (with codes set)
/// is refused, and nothing is recorded.
pub(crate) fn meaning(conn: &Connection, code: Option<&str>) -> Result<CodeMeaning> {
    let Some(stored) = meta::get(conn, meta::CHECKIN_CODES)? else {
        return Ok(CodeMeaning::Normal);
    };
    let codes: Codes = serde_json::from_str(&stored)
        .map_err(|_| Error::storage("the stored check-in codes are unreadable"))?;
    let Some(code) = code.filter(|c| !c.trim().is_empty()) else {
        return Err(Error::invalid("code", "give your code to end the check-in"));
    };
    let given = hash(&codes.salt, code);
    if given == codes.normal {
        Ok(CodeMeaning::Normal)
    } else if given == codes.duress {
        Ok(CodeMeaning::Duress)
    } else {
        Err(Error::invalid("code", "not your code"))
    }
}

// ---- What the centre sends, and the alerts ---------------------------------------------------

/// A colleague's check-in the centre is escalating, as a pull answer carries it (protocol 2 and
/// later; `docs/sync-protocol.md`). The centre sends each phone those that have reached it: the
/// watcher's from the first step, everyone's from the second, never the worker's own.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckinAlert {
    pub checkin: String,
    pub worker: String,
    pub watcher: String,
    pub place: String,
    pub due_at: String,
    /// When it became overdue (its due time plus the centre's grace period), or when the
    /// duress code was given.
    pub overdue_since: String,
    /// `watcher`, `team` or `leader`: whom the escalation has reached.
    pub level: String,
    /// The worker ended it with the duress code.
    pub duress: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged_at: Option<String>,
}

/// Replaces the colleagues' overdue check-ins with those a centre has just sent.
pub fn replace_alerts(conn: &Connection, alerts: &[CheckinAlert]) -> Result<()> {
    meta::set(
        conn,
        meta::CHECKIN_ALERTS,
        &serde_json::to_string(alerts).expect("alerts serialise"),
    )
}

fn centre_alerts(conn: &Connection) -> Result<Vec<CheckinAlert>> {
    meta::get(conn, meta::CHECKIN_ALERTS)?
        .map(|text| {
            serde_json::from_str(&text)
                .map_err(|_| Error::storage("the stored check-in alerts are unreadable"))
        })
        .transpose()
        .map(Option::unwrap_or_default)
}

/// One thing a worker must know now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct Alert {
    pub kind: AlertKind,
    pub kind_label: Label,
    pub checkin: String,
    pub worker: String,
    pub watcher: String,
    pub place: String,
    pub due_at: Time,
    /// Whom the centre's escalation has reached (a colleague's check-in).
    pub level: Option<EscalationLevel>,
    /// Who took charge of it, if anyone has.
    pub acknowledged_by: Option<String>,
    /// Whether a phone raises a notification for it (`notifies`), so that no shell keeps its
    /// own list of the kinds that do.
    pub notify: bool,
}

/// Whether an alert of `kind` is worth a notification when a sync or the app brings it: all are
/// but the worker's own reminder that a check-in falls due soon, which the phone tells itself by a
/// local notification at `CheckinView::due_soon_at`, with or without signal (issue 18), so that a
/// sync bringing it again does not tell it twice. A colleague's overdue check-in or alarm, the
/// worker's own overdue check-in and one that has not reached the centre (the watcher cannot see
/// it) must reach the worker with the app closed. *(The project's own choice; lone-worker systems
/// remind before a check-in is due, anchors.md §5.)*
pub fn notifies(kind: AlertKind) -> bool {
    match kind {
        AlertKind::ColleagueOverdue
        | AlertKind::ColleagueDuress
        | AlertKind::OwnOverdue
        | AlertKind::OwnNotDelivered => true,
        AlertKind::OwnDueSoon => false,
    }
}

/// What this phone's worker must know now: a colleague's check-in the centre is escalating (as
/// of the last sync; one since ended on this phone is left out unless it was the duress code),
/// and their own open check-in about to fall due, overdue, or not yet at the centre. The worker's
/// own duress end shows nothing here: the phone may be in other hands.
pub fn alerts(
    conn: &Connection,
    now: DateTime<Utc>,
    pending: &dyn Fn(&str) -> bool,
) -> Result<Vec<Alert>> {
    let me = own_worker(conn)?;
    let known = all(conn)?;
    let mut alerts = Vec::new();
    for alert in centre_alerts(conn)? {
        if alert.worker == me {
            continue;
        }
        let ended_here = known.iter().any(|c| c.id == alert.checkin && !c.is_open());
        if ended_here && !alert.duress {
            continue;
        }
        let kind = if alert.duress {
            AlertKind::ColleagueDuress
        } else {
            AlertKind::ColleagueOverdue
        };
        alerts.push(Alert {
            kind,
            kind_label: kind.label(),
            checkin: alert.checkin,
            worker: alert.worker,
            watcher: alert.watcher,
            place: alert.place,
            due_at: Time::stored(alert.due_at),
            level: EscalationLevel::parse(&alert.level).ok(),
            acknowledged_by: alert.acknowledged_by,
            notify: notifies(kind),
        });
    }
    let now_text = journal::format_timestamp(now);
    let soon = journal::format_timestamp(now + Duration::minutes(DUE_SOON_MINUTES));
    for own in known.into_iter().filter(|c| c.is_open() && c.worker == me) {
        let timing = if own.due_at.as_str() <= now_text.as_str() {
            Some(AlertKind::OwnOverdue)
        } else if own.due_at.as_str() <= soon.as_str() {
            Some(AlertKind::OwnDueSoon)
        } else {
            None
        };
        let undelivered = pending(&own.id).then_some(AlertKind::OwnNotDelivered);
        for kind in timing.into_iter().chain(undelivered) {
            alerts.push(Alert {
                kind,
                kind_label: kind.label(),
                checkin: own.id.clone(),
                worker: own.worker.clone(),
                watcher: own.watcher.clone(),
                place: own.place.clone(),
                due_at: own.due_at.clone(),
                level: None,
                // Who took charge belongs to the check-in falling due, not to its delivery.
                acknowledged_by: timing
                    .filter(|t| *t == kind)
                    .and_then(|_| own.acknowledged_by.first().cloned()),
                notify: notifies(kind),
            });
        }
    }
    Ok(alerts)
}

// ---- The SMS -----------------------------------------------------------------------------------

/// Which message the worker sends the watcher by SMS when the phone has no data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CheckinMessageKind {
    /// "I am going in": the place, and when the check-in falls due.
    Started,
    /// "I have left" (002 L2616–2617: "når borgerens hjem forlades").
    Ended,
}

/// An SMS for the watcher: to whom, and its text (Danish; the wording is the project's own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct CheckinMessage {
    pub to: String,
    pub text: String,
}

/// The SMS about the worker's check-in: the one named, else their open one, else (for the
/// "left" message) their latest.
pub(crate) fn message_for(
    conn: &Connection,
    named: Option<&str>,
    kind: CheckinMessageKind,
    now: DateTime<Utc>,
) -> Result<CheckinMessage> {
    let me = own_worker(conn)?;
    let checkin = match named {
        Some(named) => find(conn, named)?,
        None => all(conn)?
            .into_iter()
            .filter(|c| c.worker == me)
            .find(|c| c.is_open() || kind == CheckinMessageKind::Ended)
            .ok_or_else(|| Error::not_allowed("you have no check-in"))?,
    };
    if checkin.worker != me {
        return Err(Error::not_allowed(format!(
            "the check-in is {}'s, not yours",
            checkin.worker
        )));
    }
    message(conn, &checkin, kind, now)
}

/// The SMS about one of the worker's check-ins. The watcher who receives "left" records the end
/// on the worker's behalf (`checkin end --checkin CODE --on-behalf`), naming the code the
/// message gives; the text names no citizen.
fn message(
    conn: &Connection,
    checkin: &CheckinView,
    kind: CheckinMessageKind,
    now: DateTime<Utc>,
) -> Result<CheckinMessage> {
    let zone = guarantee::time_zone(conn)?;
    let clock = |at: &str| -> Result<String> {
        Ok(DateTime::parse_from_rfc3339(at)
            .map_err(|_| Error::storage("a stored time is unreadable"))?
            .with_timezone(&zone)
            .format("%H:%M")
            .to_string())
    };
    let text = match kind {
        CheckinMessageKind::Started => format!(
            "Gadeplan tjek-ind {}: {} går ind på {} og melder sig ud senest kl. {}.",
            checkin.code,
            checkin.worker,
            checkin.place,
            clock(checkin.due_at.as_str())?
        ),
        CheckinMessageKind::Ended => format!(
            "Gadeplan tjek-ind {}: {} har forladt {} kl. {}. Alt er i orden.",
            checkin.code,
            checkin.worker,
            checkin.place,
            clock(&journal::format_timestamp(now))?
        ),
    };
    Ok(CheckinMessage {
        to: checkin.watcher.clone(),
        text,
    })
}

#[cfg(test)]
mod notify_tests {
    use super::*;

    #[test]
    fn every_alert_notifies_but_the_own_reminder_that_a_checkin_falls_due_soon() {
        for kind in AlertKind::ALL {
            assert_eq!(notifies(*kind), *kind != AlertKind::OwnDueSoon, "{kind:?}");
        }
    }
}

#[cfg(test)]
mod due_soon_tests {
    use super::*;

    #[test]
    fn the_own_reminder_starts_the_due_soon_minutes_before_the_due_time() {
        assert_eq!(DUE_SOON_MINUTES, 10);
        assert_eq!(
            due_soon("2026-12-05T14:05:00.000Z"),
            "2026-12-05T13:55:00.000Z"
        );
        assert_eq!(due_soon("not a time"), "not a time");
    }
}

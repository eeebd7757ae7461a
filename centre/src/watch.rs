//! The centre's check-in timer (issue 15). A phone in a stairwell may have no signal when its
//! worker's check-in falls due, so the timer runs here (the lone-worker systems' lesson,
//! `anchors.md` §5), and it is state in the centre's store, never a clock in memory: each
//! check-in's row says when its next escalation step is due, every process serving the store
//! looks for due steps every second, and each step is taken under the team's lock and recorded
//! once (`centre_checkin_steps`' key), so a restarted centre carries on where it stopped and two
//! processes never take the same step twice.
//!
//! The ladder: overdue (its due time plus the grace period; none for a high-risk check-in) it
//! reaches the watcher, then after each wait without an acknowledgement the other workers of the
//! team, then the team leader. The first acknowledgement takes charge and stops it; an extension
//! starts the check-in's period again; an end stops it, unless it was the duress code, which takes
//! every step at once. Phones learn of it at their next pull (`alerts_for`), the team leader
//! through `GET /v1/checkins`, the operator through `gadeplan-centre checkins`; an operator may
//! also have a command run at each step (`serve --checkin-notify`, e.g. an SMS gateway's).

use gadeplan_core::journal::{self, Entry};
use gadeplan_core::kinds::Payload;
use gadeplan_core::kinds::checkins::{CheckinAlert, Watched, due_after};
use serde::Serialize;

use crate::policy::Watch;
use crate::storage::{CheckinRow, CheckinStepRow, Tx};
use crate::store::{Centre, Refusal, Result, now_text};

/// The ladder's rungs, by level (1, 2, 3).
const LEVELS: [&str; 3] = ["watcher", "team", "leader"];

/// At most this many due check-ins are taken in one look (the rest at the next second's).
const BATCH: u32 = 100;

/// A duress end or an acknowledgement stays on the phones' lists this long after it was
/// acknowledged, so the team knows who took charge.
const ACKNOWLEDGED_SHOWN_MS: i64 = 60 * 60 * 1000;

/// A check-in with its steps, as the operator and the team leader read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CheckinReport {
    pub id: String,
    pub team: String,
    pub worker: String,
    pub watcher: String,
    pub place: String,
    pub started_at: String,
    pub due_at: String,
    pub high_risk: bool,
    /// `open`, `overdue`, `acknowledged`, `ended`, or `duress`.
    pub state: String,
    pub ended_at: Option<String>,
    pub ended_by: Option<String>,
    pub on_behalf: bool,
    pub overdue_since: Option<String>,
    /// Whom the escalation has reached: `watcher`, `team`, `leader`.
    pub level: Option<String>,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<String>,
    pub steps: Vec<StepReport>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StepReport {
    pub step: u32,
    pub level: String,
    pub taken_at: String,
    pub process: String,
}

/// One step just taken, for the log and the operator's notification command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Escalated {
    pub checkin: String,
    pub team: String,
    pub worker: String,
    pub watcher: String,
    pub level: String,
    pub duress: bool,
}

fn ms(at: &str) -> Result<i64> {
    journal::timestamp_ms(at).map_err(|e| Refusal::new(500, "storage", e.to_string()))
}

/// This process, as a step records who took it.
fn process() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "centre".into());
    format!("{host}:{}", std::process::id())
}

/// When the first step of a check-in due at `due_at` falls.
fn first_step_ms(due_at: &str, high_risk: bool, watch: &Watch) -> Result<i64> {
    let grace = if high_risk { 0 } else { watch.grace_minutes };
    Ok(ms(due_at)? + i64::from(grace) * 60_000)
}

/// Takes the check-in's next step at `now`; `None` if another process took it already.
fn take_step(
    tx: &mut dyn Tx,
    row: &mut CheckinRow,
    now: &str,
    watch: &Watch,
) -> Result<Option<Escalated>> {
    let level = (row.level + 1).min(LEVELS.len() as u32);
    let step = CheckinStepRow {
        checkin: row.id.clone(),
        step: tx.checkin_steps(&row.id)?.len() as u32 + 1,
        level: LEVELS[level as usize - 1].to_string(),
        taken_at: now.to_string(),
        process: process(),
    };
    if !tx.add_checkin_step(&step)? {
        return Ok(None);
    }
    row.level = level;
    if row.overdue_since.is_none() {
        row.overdue_since = Some(now.to_string());
    }
    row.next_at_ms = (level < LEVELS.len() as u32)
        .then(|| ms(now).map(|n| n + i64::from(watch.step_minutes) * 60_000))
        .transpose()?;
    Ok(Some(Escalated {
        checkin: row.id.clone(),
        team: row.team.clone(),
        worker: row.worker.clone(),
        watcher: row.watcher.clone(),
        level: step.level,
        duress: row.duress,
    }))
}

/// Keeps the watch of a check-in from one of its entries, just stored for `team` (in the push's
/// transaction, under the team's lock). Every other entry is passed over. Returns the steps a
/// duress end took.
pub(crate) fn note(
    tx: &mut dyn Tx,
    team: &str,
    entry: &Entry,
    watch: &Watch,
) -> Result<Vec<Escalated>> {
    // Every entry of a push passes here: only a check-in's is read again.
    if !entry.kind.watched() {
        return Ok(vec![]);
    }
    let Ok(payload) = Payload::read(entry.kind, &entry.payload) else {
        return Ok(vec![]);
    };
    let Some(watched) = payload.watched() else {
        return Ok(vec![]);
    };
    let at = entry.occurred_at.as_str();
    let due =
        |minutes| due_after(at, minutes).map_err(|e| Refusal::new(500, "storage", e.to_string()));
    let (checkin, change): (String, Watched) = match &watched {
        Watched::Started {
            watcher,
            place,
            minutes,
            high_risk,
        } => {
            if tx.checkin(&entry.id)?.is_none() {
                let due_at = due(*minutes)?;
                tx.put_checkin(&CheckinRow {
                    id: entry.id.to_string(),
                    team: team.to_string(),
                    worker: entry.author_worker.to_string(),
                    watcher: watcher.clone(),
                    place: place.clone(),
                    started_at: at.to_string(),
                    next_at_ms: Some(first_step_ms(&due_at, *high_risk, watch)?),
                    due_at,
                    due_set_at: at.to_string(),
                    high_risk: *high_risk,
                    ended_at: None,
                    ended_by: None,
                    on_behalf: false,
                    duress: false,
                    level: 0,
                    overdue_since: None,
                    acknowledged_by: None,
                    acknowledged_at: None,
                })?;
            }
            return Ok(vec![]);
        }
        Watched::Extended { checkin, .. }
        | Watched::Ended { checkin, .. }
        | Watched::Acknowledged { checkin } => (checkin.clone(), watched.clone()),
    };
    // A check-in started before this centre watched (held, or from before the update) has no
    // row; its other entries are kept in the journal all the same.
    let Some(mut row) = tx.checkin(&checkin)? else {
        return Ok(vec![]);
    };
    let mut taken = Vec::new();
    match change {
        Watched::Extended { minutes, .. } => {
            // An extension after the end, or older than the one that set the due time (two
            // arriving out of their order), changes nothing.
            if row.ended_at.is_some() || at <= row.due_set_at.as_str() {
                return Ok(vec![]);
            }
            row.due_at = due(minutes)?;
            row.due_set_at = at.to_string();
            let first = first_step_ms(&row.due_at, row.high_risk, watch)?;
            // An extension that arrives already overdue (made offline, sent late) leaves an
            // escalation under way as it is: the worker has not been heard from since, and
            // whoever took charge keeps it. Otherwise the period starts again.
            let overdue_already = first <= crate::store::now().timestamp_millis();
            if !(overdue_already && row.level > 0) {
                row.level = 0;
                row.overdue_since = None;
                row.acknowledged_by = None;
                row.acknowledged_at = None;
                row.next_at_ms = Some(first);
            }
        }
        Watched::Ended {
            duress, on_behalf, ..
        } => {
            // The first end is the check-in's end; a duress code counts whenever it arrives
            // (the watcher's end on the worker's behalf, after an SMS sent under threat, may
            // reach the centre first).
            if row.ended_at.is_none() {
                row.ended_at = Some(at.to_string());
                row.ended_by = Some(entry.author_worker.to_string());
                row.on_behalf = on_behalf;
                row.next_at_ms = None;
            } else if !duress || row.duress {
                return Ok(vec![]);
            }
            if duress {
                // Every rung at once, taken anew whatever an earlier escalation reached and
                // whoever took charge of it; nothing on the worker's own phone.
                row.duress = true;
                row.level = 0;
                row.overdue_since = None;
                row.acknowledged_by = None;
                row.acknowledged_at = None;
                let now = now_text();
                while row.level < LEVELS.len() as u32 {
                    match take_step(tx, &mut row, &now, watch)? {
                        Some(step) => taken.push(step),
                        None => break,
                    }
                }
                row.next_at_ms = None;
            }
        }
        Watched::Acknowledged { .. } => {
            // One made before the check-in's latest due time was set (offline, sent late) was
            // about an earlier period, and does not stop this one.
            if at < row.due_set_at.as_str() {
                return Ok(vec![]);
            }
            acknowledge_row(&mut row, &entry.author_worker, &now_text());
        }
        Watched::Started { .. } => unreachable!("a start is kept above"),
    }
    tx.put_checkin(&row)?;
    Ok(taken)
}

/// The first acknowledgement of an escalated check-in takes charge of it; later ones, and one
/// before any step, change nothing.
fn acknowledge_row(row: &mut CheckinRow, by: &str, now: &str) -> bool {
    let escalating = row.level > 0 && (row.ended_at.is_none() || row.duress);
    if !escalating || row.acknowledged_by.is_some() {
        return false;
    }
    row.acknowledged_by = Some(by.to_string());
    row.acknowledged_at = Some(now.to_string());
    row.next_at_ms = None;
    true
}

/// The time before which an acknowledged duress alarm is no longer shown.
fn acknowledged_shown_since(now_ms: i64) -> String {
    journal::format_timestamp(
        chrono::DateTime::from_timestamp_millis(now_ms - ACKNOWLEDGED_SHOWN_MS).unwrap_or_default(),
    )
}

/// The check-ins escalating for a worker of `team` to know of: the watcher's from the first
/// step, everyone's from the second; never the worker's own (their phone may be in other
/// hands); an acknowledged duress alarm for an hour after.
/// `roster` is the team's current workers (the pull has read it).
pub(crate) fn alerts_for(
    tx: &mut dyn Tx,
    team: &str,
    worker: &str,
    roster: &[String],
    now_ms: i64,
) -> Result<Vec<CheckinAlert>> {
    let acknowledged_since = acknowledged_shown_since(now_ms);
    let mut alerts = Vec::new();
    for row in tx.live_checkins(Some(team), &acknowledged_since)? {
        // A watcher who is the worker, or not on the roster (a name from an old phone), is no
        // one to reach: the first step then reaches the team.
        let watcher_reachable = row.watcher != row.worker && roster.contains(&row.watcher);
        let reached =
            row.level >= 2 || (row.level == 1 && (row.watcher == worker || !watcher_reachable));
        if row.worker == worker || !reached {
            continue;
        }
        alerts.push(CheckinAlert {
            level: LEVELS[row.level as usize - 1].to_string(),
            overdue_since: row
                .overdue_since
                .clone()
                .unwrap_or_else(|| row.due_at.clone()),
            checkin: row.id,
            worker: row.worker,
            watcher: row.watcher,
            place: row.place,
            due_at: row.due_at,
            duress: row.duress,
            acknowledged_by: row.acknowledged_by,
            acknowledged_at: row.acknowledged_at,
        });
    }
    Ok(alerts)
}

fn report_of(tx: &mut dyn Tx, row: CheckinRow) -> Result<CheckinReport> {
    let steps = tx
        .checkin_steps(&row.id)?
        .into_iter()
        .map(|s| StepReport {
            step: s.step,
            level: s.level,
            taken_at: s.taken_at,
            process: s.process,
        })
        .collect();
    let state = if row.duress {
        "duress"
    } else if row.ended_at.is_some() {
        "ended"
    } else if row.acknowledged_by.is_some() {
        "acknowledged"
    } else if row.level > 0 {
        "overdue"
    } else {
        "open"
    };
    Ok(CheckinReport {
        state: state.to_string(),
        level: (row.level > 0).then(|| LEVELS[row.level as usize - 1].to_string()),
        id: row.id,
        team: row.team,
        worker: row.worker,
        watcher: row.watcher,
        place: row.place,
        started_at: row.started_at,
        due_at: row.due_at,
        high_risk: row.high_risk,
        ended_at: row.ended_at,
        ended_by: row.ended_by,
        on_behalf: row.on_behalf,
        overdue_since: row.overdue_since,
        acknowledged_by: row.acknowledged_by,
        acknowledged_at: row.acknowledged_at,
        steps,
    })
}

impl Centre {
    /// Takes every escalation step due at `now_ms` (each in its own transaction, under its
    /// team's lock, judged again there). Returns the steps this process took.
    pub fn escalate_due(&self, now_ms: i64) -> Result<Vec<Escalated>> {
        let watch = self.policy.watch;
        let due = self.write(|tx| tx.checkins_due(now_ms, BATCH))?;
        let mut taken = Vec::new();
        for (id, team) in due {
            let step = self.write(|tx| {
                tx.lock_team(&team)?;
                let Some(mut row) = tx.checkin(&id)? else {
                    return Ok(None);
                };
                if row.next_at_ms.is_none_or(|at| at > now_ms) {
                    return Ok(None);
                }
                let now = journal::format_timestamp(
                    chrono::DateTime::from_timestamp_millis(now_ms).unwrap_or_default(),
                );
                let step = take_step(tx, &mut row, &now, &watch)?;
                tx.put_checkin(&row)?;
                Ok(step)
            })?;
            taken.extend(step);
        }
        Ok(taken)
    }

    /// A team's check-ins (every team's with `None`) that are live (not ended, and duress alarms
    /// until an hour after they were acknowledged), latest first, with their steps; with `all`,
    /// every one started in the last `days` (at most ten years).
    pub fn checkins(&self, team: Option<&str>, days: u32, all: bool) -> Result<Vec<CheckinReport>> {
        let now = crate::store::now();
        self.write(|tx| {
            let rows = if all {
                let since = now
                    .checked_sub_signed(chrono::Duration::days(i64::from(days.min(3_660))))
                    .unwrap_or(now);
                tx.checkins_since(team, &journal::format_timestamp(since))?
            } else {
                tx.live_checkins(team, &acknowledged_shown_since(now.timestamp_millis()))?
            };
            rows.into_iter().map(|r| report_of(tx, r)).collect()
        })
    }

    /// The team leader (or the operator for them) takes charge of an escalated check-in of
    /// `team`: the first acknowledgement stops the escalation. `by` is recorded.
    pub fn acknowledge_checkin(
        &self,
        team: Option<&str>,
        id: &str,
        by: &str,
    ) -> Result<CheckinReport> {
        self.acknowledge_checkin_as(team, id, by, None, None)
    }

    /// `acknowledge_checkin`, recorded in the audit log as `actor` (the page's account; else by
    /// the name given) from `source`, while the check-in names who took charge by `by`.
    pub fn acknowledge_checkin_as(
        &self,
        team: Option<&str>,
        id: &str,
        by: &str,
        actor: Option<&str>,
        source: Option<&str>,
    ) -> Result<CheckinReport> {
        let by = journal::name("by", by, journal::LIMIT_ALIAS)
            .map_err(|e| Refusal::new(400, "invalid-input", e.to_string()))?;
        self.write(|tx| {
            let not_found = || Refusal::new(404, "not-found", "no such check-in");
            let row = tx.checkin(id)?.ok_or_else(not_found)?;
            if team.is_some_and(|t| t != row.team) {
                return Err(not_found());
            }
            tx.lock_team(&row.team)?;
            let mut row = tx.checkin(id)?.ok_or_else(not_found)?;
            if let Some(first) = &row.acknowledged_by {
                return Err(Refusal::new(
                    409,
                    "already-acknowledged",
                    format!("{first} has already taken charge of it"),
                ));
            }
            if !acknowledge_row(&mut row, &by, &now_text()) {
                return Err(Refusal::new(
                    409,
                    "not-escalating",
                    "the check-in is not overdue (or has ended)",
                ));
            }
            tx.put_checkin(&row)?;
            crate::audit::append(
                tx,
                &crate::audit::AuditEvent {
                    actor: actor.map_or_else(|| by.clone(), Into::into),
                    action: "checkin-acknowledged".into(),
                    team: Some(row.team.clone()),
                    subject: Some(row.id.clone()),
                    source: source.map(Into::into),
                    ..Default::default()
                },
            )?;
            report_of(tx, row)
        })
    }
}

/// Says each step taken in the log (ids and names of workers only: a place may be a citizen's
/// address), and runs the operator's notification command for it, if one is set, with the step
/// in its environment. The command runs after the step is committed: a centre killed in between
/// has recorded the step (phones and the page see it) but not run the command.
pub fn announce(steps: &[Escalated], notify: Option<&str>) {
    for step in steps {
        tracing::warn!(
            event = "checkin-escalated",
            checkin = %step.checkin,
            team = %step.team,
            worker = %step.worker,
            watcher = %step.watcher,
            level = %step.level,
            duress = step.duress,
        );
        if let Some(command) = notify {
            let spawned = std::process::Command::new("/bin/sh")
                .arg("-c")
                .arg(command)
                .env("GADEPLAN_CHECKIN", &step.checkin)
                .env("GADEPLAN_TEAM", &step.team)
                .env("GADEPLAN_WORKER", &step.worker)
                .env("GADEPLAN_WATCHER", &step.watcher)
                .env("GADEPLAN_LEVEL", &step.level)
                .env("GADEPLAN_DURESS", if step.duress { "1" } else { "0" })
                .stdin(std::process::Stdio::null())
                .spawn();
            match spawned {
                // Reaped on a thread of its own, so the timer never waits for a gateway.
                Ok(mut child) => {
                    std::thread::spawn(move || {
                        let _ = child.wait();
                    });
                }
                Err(e) => tracing::error!(event = "checkin-notify-failed", message = %e),
            }
        }
    }
}

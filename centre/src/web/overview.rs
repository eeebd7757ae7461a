//! The team at a glance (`/team`), the check-ins part of it that the page's script fetches
//! again every 15 seconds (`/team/checkins`), and taking charge of an overdue check-in.
//!
//! The overview shows citizens (by nickname), so each showing is in the audit log, with how
//! many citizens it listed. The check-ins are the workers' own safety records, but a place may
//! be a citizen's address: their refreshes are logged once in each ten minutes of a session
//! (every 15 seconds would drown the log), and taking charge each time.

use askama::Template;
use axum::extract::{Form, State};
use axum::response::Response;
use serde::Deserialize;

use super::i18n::Texts;
use super::session::{Answer, Chrome, Ctx, Incoming, local, render, signed_in};
use crate::accounts::Role;
use crate::overview::Citizen;
use crate::report::CASELOAD_LIMIT;
use crate::server::Shared;
use crate::store::{Refusal, now};

pub(crate) struct WorkerRow {
    name: String,
    open: u64,
    width: u32,
    over: bool,
}

pub(crate) struct TrendBar {
    month: String,
    average: String,
    x: u32,
    y: u32,
    height: u32,
    over: bool,
}

pub(crate) struct WaitingRow {
    id: String,
    alias: String,
    wished_on: String,
    last_day: String,
    days_left: String,
    breached: bool,
}

pub(crate) struct QuietRow {
    id: String,
    alias: String,
    last_conversation: String,
    last_seen: String,
}

pub(crate) struct DueRow {
    id: String,
    alias: String,
    questionnaire: String,
    since: String,
}

#[derive(Template)]
#[template(path = "overview.html")]
struct OverviewPage {
    chrome: Chrome,
    checkins: String,
    average: String,
    guideline: u64,
    over: bool,
    workers: Vec<WorkerRow>,
    trend: Vec<TrendBar>,
    trend_width: u32,
    guideline_y: u32,
    trend_summary: String,
    waiting: Vec<WaitingRow>,
    quiet: Vec<QuietRow>,
    due: Vec<DueRow>,
    conflicts: Vec<Citizen>,
    duplicates: Vec<(Citizen, Citizen)>,
}

pub(crate) struct CheckinLine {
    id: String,
    worker: String,
    watcher: String,
    place: String,
    due: String,
    state: String,
    class: &'static str,
    can_ack: bool,
    acknowledged_by: Option<String>,
}

#[derive(Template)]
#[template(path = "checkins.html")]
struct CheckinsFragment {
    t: &'static Texts,
    csrf: String,
    rows: Vec<CheckinLine>,
}

fn checkins_html(ctx: &Ctx) -> Result<String, Refusal> {
    let t = ctx.t();
    let rows = ctx
        .centre
        .checkins(Some(ctx.team()), 2, false)?
        .into_iter()
        .map(|c| {
            let (state, class) = match c.state.as_str() {
                "overdue" => (t.state_overdue, "overdue"),
                "duress" => (t.state_duress, "duress"),
                "acknowledged" => (t.state_acknowledged, "acknowledged"),
                "ended" => (t.state_ended, "ended"),
                _ => (t.state_open, "open"),
            };
            CheckinLine {
                can_ack: matches!(c.state.as_str(), "overdue" | "duress")
                    && c.acknowledged_by.is_none(),
                id: c.id,
                worker: c.worker,
                watcher: c.watcher,
                place: c.place,
                due: local(&c.due_at),
                state: state.to_string(),
                class,
                acknowledged_by: c.acknowledged_by,
            }
        })
        .collect();
    render(&CheckinsFragment {
        t,
        csrf: ctx.session.csrf.clone(),
        rows,
    })
}

pub(crate) async fn page(State(state): State<Shared>, incoming: Incoming) -> Response {
    signed_in(state, incoming, &[Role::Leader], |ctx| {
        let t = ctx.t();
        let o = ctx.centre.overview(ctx.team(), now())?;
        // Every enrolled worker, with the open courses each carries (none if none).
        let mut carried: Vec<(String, u64)> = o.enrolled.iter().map(|w| (w.clone(), 0)).collect();
        for w in &o.caseload.workers {
            match carried.iter_mut().find(|(name, _)| *name == w.worker) {
                Some(line) => line.1 = u64::from(w.open_courses),
                None => carried.push((w.worker.clone(), u64::from(w.open_courses))),
            }
        }
        carried.sort();
        let widest = carried
            .iter()
            .map(|(_, n)| *n)
            .max()
            .unwrap_or(0)
            .max(CASELOAD_LIMIT * 2);
        let workers = carried
            .into_iter()
            .map(|(name, open)| WorkerRow {
                name,
                open,
                width: (open * 100 / widest.max(1)) as u32,
                over: open > CASELOAD_LIMIT,
            })
            .collect();
        // The trend's bars: 60 units a month, the tallest 100 high on a base line at 110, the
        // guideline's dashed line at 15.
        let top = o
            .trend
            .iter()
            .map(|(_, a)| *a)
            .fold(CASELOAD_LIMIT as f64 * 1.5, f64::max);
        let scale = |v: f64| ((v / top) * 100.0).round() as u32;
        let trend = o
            .trend
            .iter()
            .enumerate()
            .map(|(i, (month, average))| TrendBar {
                month: month.clone(),
                average: format!("{average:.1}"),
                x: i as u32 * 60 + 10,
                y: 110 - scale(*average),
                height: scale(*average),
                over: *average > CASELOAD_LIMIT as f64,
            })
            .collect::<Vec<_>>();
        let waiting = o
            .waiting
            .iter()
            .map(|(c, g)| WaitingRow {
                id: c.id.clone(),
                alias: c.alias.clone(),
                wished_on: g.wished_on.clone(),
                last_day: g.last_day.clone(),
                days_left: g.days_left.map(|d| d.to_string()).unwrap_or_default(),
                breached: g.state == gadeplan_core::kinds::guarantee::GuaranteeState::Breached,
            })
            .collect();
        let quiet = o
            .quiet
            .iter()
            .map(|q| QuietRow {
                id: q.person.clone(),
                alias: q.alias.clone(),
                last_conversation: q
                    .intensity
                    .last_conversation_at
                    .as_ref()
                    .map_or_else(|| t.never.to_string(), |at| local(at.as_str())),
                last_seen: q
                    .last_seen_at
                    .as_ref()
                    .map_or_else(|| t.never.to_string(), |at| local(at.as_str())),
            })
            .collect();
        let due = o
            .questionnaires_due
            .iter()
            .map(|(c, d)| DueRow {
                id: c.id.clone(),
                alias: c.alias.clone(),
                questionnaire: format!(
                    "{} ({})",
                    ctx.lang.label(&d.instrument.label()),
                    ctx.lang.label(&d.occasion.label())
                ),
                since: local(d.since.as_str()),
            })
            .collect();
        // Each citizen once, in however many lists.
        let shown = o
            .waiting
            .iter()
            .map(|(c, _)| c.id.as_str())
            .chain(o.quiet.iter().map(|q| q.person.as_str()))
            .chain(o.questionnaires_due.iter().map(|(c, _)| c.id.as_str()))
            .chain(o.conflicts.iter().map(|c| c.id.as_str()))
            .chain(
                o.duplicates
                    .iter()
                    .flat_map(|(a, b)| [a.id.as_str(), b.id.as_str()]),
            )
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let page = OverviewPage {
            chrome: ctx.chrome(t.overview_title),
            checkins: checkins_html(ctx)?,
            average: format!("{:.1}", o.caseload.average),
            guideline: CASELOAD_LIMIT,
            over: o.caseload.over_guideline,
            workers,
            trend_width: trend.len() as u32 * 60 + 20,
            guideline_y: 110 - scale(CASELOAD_LIMIT as f64),
            trend_summary: trend
                .iter()
                .map(|b| format!("{}: {}", b.month, b.average))
                .collect::<Vec<_>>()
                .join(", "),
            trend,
            waiting,
            quiet,
            due,
            conflicts: o.conflicts,
            duplicates: o.duplicates,
        };
        let body = render(&page)?;
        ctx.audit(
            "overview-read",
            Some(ctx.team()),
            None,
            Some(format!("citizens-shown:{shown}")),
        )?;
        Ok(Answer::Page(body))
    })
    .await
}

pub(crate) async fn checkins_fragment(State(state): State<Shared>, incoming: Incoming) -> Response {
    let shared = state.clone();
    signed_in(state, incoming, &[Role::Leader], move |ctx| {
        let body = checkins_html(ctx)?;
        // A check-in's place may be a citizen's address: the refreshes are in the audit log,
        // once in each ten minutes of a session's (every 15 seconds would drown the log).
        let due = {
            let mut audited = shared
                .refreshes_audited
                .lock()
                .map_err(|_| Refusal::new(500, "internal", "the audit throttle is unavailable"))?;
            let now = std::time::Instant::now();
            audited.retain(|_, at| now.duration_since(*at) < REFRESH_AUDIT_EVERY);
            let due = !audited.contains_key(ctx.session.key());
            if due {
                audited.insert(ctx.session.key().to_string(), now);
            }
            due
        };
        if due {
            ctx.audit("checkins-read", Some(ctx.team()), None, None)?;
        }
        Ok(Answer::Page(body))
    })
    .await
}

/// How often a session's check-in refreshes are written to the audit log.
const REFRESH_AUDIT_EVERY: std::time::Duration = std::time::Duration::from_secs(600);

#[derive(Deserialize)]
pub(crate) struct Acknowledge {
    csrf: String,
    checkin: String,
}

pub(crate) async fn acknowledge(
    State(state): State<Shared>,
    incoming: Incoming,
    Form(form): Form<Acknowledge>,
) -> Response {
    signed_in(state, incoming, &[Role::Leader], move |ctx| {
        ctx.check_form(&form.csrf)?;
        // Recorded with the check-in by the leader's name, and in the audit log by their account
        // and from where.
        ctx.centre.acknowledge_checkin_as(
            Some(ctx.team()),
            &form.checkin,
            &ctx.user.name,
            Some(&ctx.actor()),
            Some(&ctx.source()),
        )?;
        Ok(Answer::Redirect("/team".into()))
    })
    .await
}

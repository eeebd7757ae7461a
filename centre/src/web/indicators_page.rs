//! The indicators for a period (`/indicators?from=…&to=…`, this quarter by default), as tables
//! with bars, printable (the style sheet's print rules), and every figure as CSV
//! (`/indicators.csv`). Codes are shown by their labels from the core's vocabularies; the CSV
//! keeps the codes. Each showing and each export is in the audit log with the period.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::{Datelike, Days, NaiveDate};
use gadeplan_core::vocabulary::{
    CloseReason, FoundVia, IncidentKind, Label, RiskBand, ServicesAttachment,
    SubstitutionAttachment, TreatmentAttachment, TreatmentStatus,
};

use super::session::{Answer, Chrome, Ctx, Incoming, render, signed_in, today};
use crate::accounts::Role;
use crate::indicators::{Indicators, Period};
use crate::server::Shared;
use crate::store::{Refusal, now};

pub(crate) struct Row {
    label: String,
    code: String,
    value: String,
    width: u32,
}

pub(crate) struct Group {
    title: String,
    code: &'static str,
    rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "indicators.html")]
struct IndicatorsPage {
    chrome: Chrome,
    team: String,
    from: String,
    to: String,
    quick: Vec<(String, String, String)>,
    headline: Vec<Row>,
    groups: Vec<Group>,
}

/// The period the request asks for: `from` and `to`, or this quarter.
fn period_of(incoming: &Incoming) -> Result<Period, Refusal> {
    match (incoming.query("from"), incoming.query("to")) {
        (Some(from), Some(to)) => Period::parse(&from, &to),
        _ => Ok(Period::quarter_of(today())),
    }
}

/// A group's rows in the vocabulary's own order (`order`, its codes; others after, by code).
fn rows(
    map: &BTreeMap<String, u64>,
    order: &[&str],
    label: impl Fn(&str) -> Option<Label>,
    ctx: &Ctx,
) -> Vec<Row> {
    let most = map.values().copied().max().unwrap_or(0).max(1);
    let mut entries: Vec<(&String, &u64)> = map.iter().collect();
    entries.sort_by_key(|(code, _)| order.iter().position(|o| o == code).unwrap_or(usize::MAX));
    entries
        .into_iter()
        .map(|(code, n)| Row {
            label: label(code)
                .map(|l| ctx.lang.label(&l))
                .unwrap_or_else(|| code.clone()),
            code: code.clone(),
            value: n.to_string(),
            width: (n * 100 / most) as u32,
        })
        .collect()
}

fn plain(label: &str, code: &str, value: String) -> Row {
    Row {
        label: label.to_string(),
        code: code.to_string(),
        value,
        width: 0,
    }
}

/// The guarantee's states in the page's words, as a vocabulary's label.
fn guarantee_label(code: &str) -> Label {
    let word = |t: &super::i18n::Texts| match code {
        "met" => t.met,
        "breached" => t.breached,
        _ => t.waiting_state,
    };
    Label {
        code: code.into(),
        da: word(&super::i18n::DA).into(),
        en: word(&super::i18n::EN).into(),
    }
}

fn groups(i: &Indicators, ctx: &Ctx) -> Vec<Group> {
    let t = ctx.t();
    let counts = |pairs: &[(&str, u64)]| -> BTreeMap<String, u64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    };
    let g = &i.guarantee;
    let h = &i.home_visits;
    let worker_contacts: BTreeMap<String, u64> = i
        .workers
        .iter()
        .map(|w| (w.worker.clone(), w.contacts))
        .collect();
    let worker_solo: BTreeMap<String, u64> = i
        .workers
        .iter()
        .map(|w| (w.worker.clone(), w.solo))
        .collect();
    // A group of one vocabulary's codes, in its order, with its labels.
    macro_rules! coded {
        ($title:expr, $code:literal, $map:expr, $vocab:ty) => {
            Group {
                title: $title.into(),
                code: $code,
                rows: rows(
                    $map,
                    &<$vocab>::codes(),
                    |c| <$vocab>::parse(c).ok().map(|v| v.label()),
                    ctx,
                ),
            }
        };
    }
    vec![
        Group {
            title: t.guarantee.into(),
            code: "guarantee",
            rows: rows(
                &counts(&[
                    ("met", g.met),
                    ("breached", g.breached),
                    ("waiting", g.waiting),
                ]),
                &["met", "breached", "waiting"],
                |c| Some(guarantee_label(c)),
                ctx,
            ),
        },
        coded!(t.recruitment, "recruitment", &i.recruitment, FoundVia),
        coded!(
            t.attachment_treatment,
            "attachment-treatment",
            &i.attachment_treatment,
            TreatmentAttachment
        ),
        coded!(
            t.attachment_substitution,
            "attachment-substitution",
            &i.attachment_substitution,
            SubstitutionAttachment
        ),
        coded!(
            t.attachment_services,
            "attachment-services",
            &i.attachment_services,
            ServicesAttachment
        ),
        coded!(
            t.closed_by_reason,
            "closed-by-reason",
            &i.closed_by_reason,
            CloseReason
        ),
        coded!(
            t.status_at_closing,
            "status-at-closing",
            &i.status_at_closing,
            TreatmentStatus
        ),
        coded!(
            t.status_three_months,
            "status-three-months",
            &i.status_three_months,
            TreatmentStatus
        ),
        Group {
            title: t.contacts.into(),
            code: "contacts-by-worker",
            rows: rows(&worker_contacts, &[], |_| None, ctx),
        },
        Group {
            title: t.solo_contacts.into(),
            code: "solo-contacts-by-worker",
            rows: rows(&worker_solo, &[], |_| None, ctx),
        },
        Group {
            title: t.home_visits.into(),
            code: "home-visits",
            rows: vec![
                plain(t.announced, "announced", h.announced.to_string()),
                plain(t.unannounced, "unannounced", h.unannounced.to_string()),
                plain(
                    t.with_colleague,
                    "with-colleague",
                    h.with_colleague.to_string(),
                ),
                plain(t.alone, "alone", h.alone.to_string()),
            ],
        },
        coded!(t.risk_checks, "risk-checks", &i.risk_checks, RiskBand),
        Group {
            title: t.coverage.into(),
            code: "coverage",
            rows: {
                let most = i
                    .coverage
                    .iter()
                    .map(|a| a.contacts_28_days)
                    .max()
                    .unwrap_or(0)
                    .max(1);
                i.coverage
                    .iter()
                    .map(|a| Row {
                        label: format!(
                            "{} ({})",
                            a.name,
                            gadeplan_core::vocabulary::AreaPriority::parse(&a.priority)
                                .map(|p| ctx.lang.label(&p.label()))
                                .unwrap_or_else(|_| a.priority.clone())
                        ),
                        code: a.area.clone(),
                        value: format!("{} / {}", a.contacts_28_days, a.rounds_28_days),
                        width: a.contacts_28_days * 100 / most,
                    })
                    .collect()
            },
        },
        coded!(t.incidents, "incidents", &i.incidents, IncidentKind),
    ]
}

fn audit(ctx: &Ctx, action: &str, period: &Period) -> Result<(), Refusal> {
    ctx.audit(
        action,
        Some(ctx.team()),
        None,
        Some(format!("{}..{}", period.first_day, period.last_day)),
    )
}

pub(crate) async fn page(State(state): State<Shared>, incoming: Incoming) -> Response {
    signed_in(state, incoming, &[Role::Leader], |ctx| {
        let t = ctx.t();
        let period = period_of(ctx.incoming)?;
        let i = ctx.centre.indicators(ctx.team(), period, now())?;
        let today = today();
        let this_quarter = Period::quarter_of(today);
        let last_quarter = Period::quarter_of(this_quarter.first_day - Days::new(1));
        let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).expect("a day");
        let quick = vec![
            (
                t.this_quarter.to_string(),
                this_quarter.first_day.to_string(),
                this_quarter.last_day.to_string(),
            ),
            (
                t.last_quarter.to_string(),
                last_quarter.first_day.to_string(),
                last_quarter.last_day.to_string(),
            ),
            (
                t.this_year.to_string(),
                year_start.to_string(),
                today.to_string(),
            ),
        ];
        let headline = vec![
            plain(
                t.citizens_found,
                "citizens-found",
                i.citizens_found.to_string(),
            ),
            plain(
                t.received_effort,
                "received-effort",
                i.received_effort.to_string(),
            ),
            plain(
                t.outside_target_group,
                "outside-target-group",
                i.outside_target_group.to_string(),
            ),
            plain(t.bridged, "bridged", i.bridged.to_string()),
            plain(
                t.median_days,
                "median-days",
                i.guarantee
                    .median_days
                    .map(|d| format!("{d:.1}"))
                    .unwrap_or_else(|| "–".into()),
            ),
            plain(t.contacts, "contacts", i.contacts.to_string()),
            plain(
                t.solo_contacts,
                "solo-contacts",
                i.solo_contacts.to_string(),
            ),
            plain(
                t.police_called,
                "police-called",
                i.police_called.to_string(),
            ),
        ];
        let page = IndicatorsPage {
            chrome: ctx.chrome(t.indicators_title),
            team: i.team.clone(),
            from: period.first_day.to_string(),
            to: period.last_day.to_string(),
            quick,
            headline,
            groups: groups(&i, ctx),
        };
        let body = render(&page)?;
        audit(ctx, "indicators-read", &period)?;
        Ok(Answer::Page(body))
    })
    .await
}

pub(crate) async fn csv(State(state): State<Shared>, incoming: Incoming) -> Response {
    signed_in(state, incoming, &[Role::Leader], |ctx| {
        let period = period_of(ctx.incoming)?;
        let i = ctx.centre.indicators(ctx.team(), period, now())?;
        audit(ctx, "indicators-exported", &period)?;
        Ok(Answer::Csv {
            filename: format!(
                "gadeplan-{}-{}-{}.csv",
                i.team.replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
                period.first_day,
                period.last_day
            ),
            body: i.to_csv(),
        })
    })
    .await
}

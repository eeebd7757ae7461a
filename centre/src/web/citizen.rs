//! A citizen's course for the team leader (`/citizen/{id}`): the summary, the courses with their
//! phase and guarantee, and the timeline by kind, time and author. Free text (the entries'
//! contents, the plan's words, the description) is shown only after the leader has given a
//! reason (`/citizen/{id}/glass`), for 30 minutes, and both the grant and each showing with it
//! are in the audit log (DHIS2's "break the glass"). A citizen of another team is not found.

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::session::{Answer, Chrome, Incoming, local, render, signed_in};
use crate::accounts::{GLASS_REASONS, Role};
use crate::server::Shared;
use crate::store::now;

pub(crate) struct CourseRow {
    opened: String,
    phase: String,
    responsible: String,
    guarantee: String,
    closed: String,
}

pub(crate) struct TimelineRow {
    at: String,
    title: String,
    author: String,
    voided: bool,
    text: Option<String>,
}

#[derive(Template)]
#[template(path = "citizen.html")]
struct CitizenPage {
    chrome: Chrome,
    id: String,
    alias: String,
    facts: Vec<(String, String)>,
    courses: Vec<CourseRow>,
    glass_until: Option<String>,
    reasons: Vec<(String, String)>,
    plan: Vec<(String, String)>,
    timeline: Vec<TimelineRow>,
}

fn reason_label(t: &super::i18n::Texts, code: &str) -> String {
    match code {
        "course-follow-up" => t.reason_course_follow_up,
        "safety-incident" => t.reason_safety_incident,
        "complaint-or-inquiry" => t.reason_complaint_or_inquiry,
        "handover" => t.reason_handover,
        "supervision" => t.reason_supervision,
        other => other,
    }
    .to_string()
}

pub(crate) async fn page(
    State(state): State<Shared>,
    incoming: Incoming,
    Path(id): Path<String>,
) -> Response {
    signed_in(state, incoming, &[Role::Leader], move |ctx| {
        let t = ctx.t();
        let detail = ctx.centre.citizen(ctx.team(), &id, now())?;
        let glass = ctx.centre.glass(&ctx.user, &detail.person.id)?;
        let p = &detail.person;
        let mut facts = vec![(t.opened.to_string(), local(p.noted_at.as_str()))];
        if let Some(stage) = p.stage {
            facts.push((t.stage.to_string(), ctx.lang.label(&stage.label())));
        }
        if let Some(risk) = p.risk {
            facts.push((t.risk_checks.to_string(), ctx.lang.label(&risk.label())));
        }
        if glass.is_some()
            && let Some(description) = &p.description
        {
            facts.push((t.description.to_string(), description.clone()));
        }
        let courses = detail
            .courses
            .iter()
            .map(|c| CourseRow {
                opened: local(&c.opened_at),
                phase: ctx.lang.label(&c.phase.label()),
                responsible: c.responsible.join(", "),
                guarantee: c
                    .guarantee
                    .as_ref()
                    .map(|g| {
                        format!(
                            "{} → {} ({})",
                            g.wished_on,
                            g.last_day,
                            match g.state {
                                gadeplan_core::kinds::guarantee::GuaranteeState::Met => t.met,
                                gadeplan_core::kinds::guarantee::GuaranteeState::Breached =>
                                    t.breached,
                                gadeplan_core::kinds::guarantee::GuaranteeState::Waiting =>
                                    t.waiting_state,
                            }
                        )
                    })
                    .unwrap_or_default(),
                closed: c
                    .closed_at
                    .as_deref()
                    .map(|at| {
                        let reason = c
                            .close_reason
                            .map(|r| ctx.lang.label(&r.label()))
                            .unwrap_or_default();
                        format!("{} {reason}", local(at))
                    })
                    .unwrap_or_default(),
            })
            .collect();
        // The plan's words, with the form's own labels (Bilag 1C, 002 L3840–3893).
        let plan = match (&glass, &detail.plan) {
            (Some(_), Some(plan)) => {
                let f = &plan.fields;
                [
                    ("Borgerens overordnede mål i forhold til indtag af:", Some(&f.goal)),
                    ("Hvad ønsker borgeren at opnå ved det overordnede mål:", f.achieve.as_ref()),
                    ("Andre bemærkninger og opmærksomhedspunkter:", f.remarks.as_ref()),
                    (
                        "I tilfælde af akut krise – hvilke initiativer og hvilken støtte ønsker borgeren:",
                        f.crisis_plan.as_ref(),
                    ),
                ]
                .into_iter()
                .filter_map(|(label, value)| value.map(|v| (label.to_string(), v.clone())))
                .collect()
            }
            _ => Vec::new(),
        };
        let timeline = detail
            .timeline
            .iter()
            .map(|item| TimelineRow {
                at: local(item.occurred_at.as_str()),
                title: ctx.lang.label(&item.title),
                author: item.author_worker.clone(),
                voided: item.voided_by.is_some(),
                text: glass
                    .as_ref()
                    .map(|_| words_of(&item.payload))
                    .filter(|words| !words.is_empty()),
            })
            .collect();
        let page = CitizenPage {
            chrome: ctx.chrome(t.citizen_title),
            id: p.id.clone(),
            alias: p.alias.clone(),
            facts,
            courses,
            glass_until: glass.as_ref().map(|g| local(&g.expires_at)),
            reasons: GLASS_REASONS
                .iter()
                .map(|code| (code.to_string(), reason_label(t, code)))
                .collect(),
            plan,
            timeline,
        };
        let body = render(&page)?;
        ctx.audit(
            if glass.is_some() {
                "citizen-free-text-read"
            } else {
                "citizen-read"
            },
            Some(ctx.team()),
            Some(&p.id),
            glass.map(|g| g.reason),
        )?;
        Ok(Answer::Page(body))
    })
    .await
}

/// An entry's words: each text of its payload on a line of its own, named by its field (ids and
/// codes of one word with a dash are left out: the timeline's title says what the entry is).
fn words_of(payload: &str) -> String {
    fn walk(path: &str, value: &serde_json::Value, lines: &mut Vec<String>) {
        match value {
            serde_json::Value::String(text) => {
                let code_or_id = !text.contains(' ') && (text.contains('-') || text.len() >= 32);
                if !text.trim().is_empty() && !code_or_id {
                    lines.push(format!("{path}: {text}"));
                }
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    walk(path, item, lines);
                }
            }
            serde_json::Value::Object(fields) => {
                for (key, v) in fields {
                    let path = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    walk(&path, v, lines);
                }
            }
            _ => {}
        }
    }
    let mut lines = Vec::new();
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(payload) {
        walk("", &value, &mut lines);
    }
    lines.join("\n")
}

#[derive(Deserialize)]
pub(crate) struct Glass {
    csrf: String,
    reason: String,
}

pub(crate) async fn break_glass(
    State(state): State<Shared>,
    incoming: Incoming,
    Path(id): Path<String>,
    Form(form): Form<Glass>,
) -> Response {
    signed_in(state, incoming, &[Role::Leader], move |ctx| {
        ctx.check_form(&form.csrf)?;
        // Only a citizen of the leader's own team.
        let detail = ctx.centre.citizen(ctx.team(), &id, now())?;
        ctx.centre
            .break_glass(&ctx.user, &detail.person.id, &form.reason, &ctx.source())?;
        Ok(Answer::Redirect(format!(
            "/citizen/{}#free-text",
            detail.person.id
        )))
    })
    .await
}

//! The audit log for the auditor (`/audit`, a hundred records a page, newest last, with the
//! chain checked), and the whole log as CSV (`/audit.csv`). Reading and exporting it are
//! recorded in it too.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::session::{Answer, Chrome, Ctx, Incoming, local, render, signed_in};
use crate::accounts::Role;
use crate::export::cell;
use crate::server::Shared;
use crate::store::Refusal;

const PAGE: u64 = 100;

pub(crate) struct AuditLine {
    seq: u64,
    at: String,
    actor: String,
    action: String,
    team: String,
    subject: String,
    detail: String,
    source: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    intact: bool,
    records: u64,
    broken_at: u64,
    rows: Vec<AuditLine>,
    older: Option<u64>,
    newer: Option<u64>,
}

fn record(ctx: &Ctx, action: &str) -> Result<(), Refusal> {
    ctx.audit(action, None, None, None)
}

pub(crate) async fn page(State(state): State<Shared>, incoming: Incoming) -> Response {
    signed_in(state, incoming, &[Role::Auditor], |ctx| {
        let check = ctx.centre.verify_audit()?;
        let last = check.records;
        let after = ctx
            .incoming
            .query("after")
            .and_then(|a| a.parse::<u64>().ok())
            .unwrap_or(last.saturating_sub(PAGE))
            .min(last);
        let rows = ctx
            .centre
            .audit(after, PAGE as u32)?
            .into_iter()
            .map(|r| AuditLine {
                seq: r.seq,
                at: local(&r.at),
                actor: r.actor,
                action: r.action,
                team: r.team.unwrap_or_default(),
                subject: r.subject.unwrap_or_default(),
                detail: r.detail.unwrap_or_default(),
                source: r.source.unwrap_or_default(),
            })
            .collect();
        let body = render(&AuditPage {
            chrome: ctx.chrome(ctx.t().audit_title),
            intact: check.intact,
            records: check.records,
            broken_at: check.first_broken.unwrap_or(0),
            rows,
            older: (after > 0).then(|| after.saturating_sub(PAGE)),
            newer: (after.saturating_add(PAGE) < last).then_some(after + PAGE),
        })?;
        record(ctx, "audit-read")?;
        Ok(Answer::Page(body))
    })
    .await
}

pub(crate) async fn csv(State(state): State<Shared>, incoming: Incoming) -> Response {
    signed_in(state, incoming, &[Role::Auditor], |ctx| {
        record(ctx, "audit-exported")?;
        let mut body =
            String::from("seq,at,actor,action,team,subject,detail,source,prev_hash,hash\n");
        let mut after = 0;
        loop {
            let page = ctx.centre.audit(after, 1_000)?;
            let Some(last) = page.last() else { break };
            after = last.seq;
            for r in &page {
                let fields = [
                    r.seq.to_string(),
                    r.at.clone(),
                    r.actor.clone(),
                    r.action.clone(),
                    r.team.clone().unwrap_or_default(),
                    r.subject.clone().unwrap_or_default(),
                    r.detail.clone().unwrap_or_default(),
                    r.source.clone().unwrap_or_default(),
                    r.prev_hash.clone(),
                    r.hash.clone(),
                ];
                let line: Vec<String> = fields.iter().map(|f| cell(f)).collect();
                body.push_str(&line.join(","));
                body.push('\n');
            }
        }
        Ok(Answer::Csv {
            filename: "gadeplan-audit.csv".into(),
            body,
        })
    })
    .await
}

//! The operator's phones and enrolment (`/devices`): every device with its last sync and the
//! entries held at the centre for it; revoking one after one confirmation (lost: refused at
//! once and told to erase; handed in: send what is left, then erase), and a new enrolment code
//! shown as the QR code the phone scans (`gadeplan://enrol?centre=…&code=…`, the core's link).
//! Each action is in the audit log, as the command line's are.

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::session::{Answer, Chrome, Ctx, Incoming, local, render, signed_in};
use crate::accounts::Role;
use crate::server::Shared;
use crate::store::{Refusal, Revocation};

pub(crate) struct DeviceRow {
    id: String,
    short: String,
    name: String,
    team: String,
    worker: String,
    enrolled: String,
    last_sync: String,
    held: usize,
    revoked: Option<String>,
}

pub(crate) struct EnrolmentShown {
    team: String,
    worker: String,
    code: String,
    link: String,
    qr: String,
    expires: String,
}

#[derive(Template)]
#[template(path = "devices.html")]
struct DevicesPage {
    chrome: Chrome,
    devices: Vec<DeviceRow>,
    teams: Vec<String>,
    enrolment: Option<EnrolmentShown>,
}

#[derive(Template)]
#[template(path = "revoke.html")]
struct RevokePage {
    chrome: Chrome,
    id: String,
    name: String,
    worker: String,
    team: String,
    last_sync: String,
}

fn devices_page(ctx: &Ctx, enrolment: Option<EnrolmentShown>) -> Result<String, Refusal> {
    let t = ctx.t();
    let held = ctx.centre.held()?;
    let devices = ctx
        .centre
        .devices()?
        .into_iter()
        .map(|d| DeviceRow {
            short: d.id.chars().take(8).collect(),
            held: held.iter().filter(|h| h.device == d.id).count(),
            name: d.name,
            team: d.team,
            worker: d.worker,
            enrolled: local(&d.enrolled_at),
            last_sync: d
                .last_used_at
                .as_deref()
                .map_or_else(|| t.never.to_string(), local),
            revoked: d.revocation,
            id: d.id,
        })
        .collect();
    render(&DevicesPage {
        chrome: ctx.chrome(t.devices_title),
        devices,
        teams: ctx.centre.teams()?,
        enrolment,
    })
}

pub(crate) async fn page(State(state): State<Shared>, incoming: Incoming) -> Response {
    signed_in(state, incoming, &[Role::Operator], |ctx| {
        let body = devices_page(ctx, None)?;
        ctx.audit("devices-read", None, None, None)?;
        Ok(Answer::Page(body))
    })
    .await
}

pub(crate) async fn confirm(
    State(state): State<Shared>,
    incoming: Incoming,
    Path(id): Path<String>,
) -> Response {
    signed_in(state, incoming, &[Role::Operator], move |ctx| {
        let t = ctx.t();
        let d = ctx.centre.device_info(&id)?;
        Ok(Answer::Page(render(&RevokePage {
            chrome: ctx.chrome(t.revoke_question),
            last_sync: d
                .last_used_at
                .as_deref()
                .map_or_else(|| t.never.to_string(), local),
            id: d.id,
            name: d.name,
            worker: d.worker,
            team: d.team,
        })?))
    })
    .await
}

#[derive(Deserialize)]
pub(crate) struct Revoke {
    csrf: String,
    how: String,
}

pub(crate) async fn revoke(
    State(state): State<Shared>,
    incoming: Incoming,
    Path(id): Path<String>,
    Form(form): Form<Revoke>,
) -> Response {
    signed_in(state, incoming, &[Role::Operator], move |ctx| {
        ctx.check_form(&form.csrf)?;
        let how = match form.how.as_str() {
            "lost" => Revocation::Lost,
            "retired" => Revocation::Retired,
            _ => {
                return Err(Refusal::new(
                    400,
                    "invalid-input",
                    "say whether the phone is lost or handed in",
                ));
            }
        };
        let device = ctx.centre.device_info(&id)?;
        ctx.centre.revoke(&id, how)?;
        ctx.audit("device-revoked", Some(&device.team), Some(&id), None)?;
        Ok(Answer::Redirect("/devices".into()))
    })
    .await
}

#[derive(Deserialize)]
pub(crate) struct Enrol {
    csrf: String,
    team: String,
    worker: String,
    hours: u32,
}

pub(crate) async fn enrol(
    State(state): State<Shared>,
    incoming: Incoming,
    Form(form): Form<Enrol>,
) -> Response {
    signed_in(state, incoming, &[Role::Operator], move |ctx| {
        ctx.check_form(&form.csrf)?;
        let base = ctx
            .incoming
            .base_url()
            .ok_or_else(|| Refusal::new(400, "invalid-input", "the request names no host"))?;
        let enrolment = ctx
            .centre
            .new_enrolment(&form.team, &form.worker, form.hours)?;
        let link = gadeplan_core::enrol_link::make(&base, &enrolment.code);
        gadeplan_core::parse_enrol_link(link.clone())
            .map_err(|e| Refusal::new(400, "invalid-input", e.to_string()))?;
        ctx.audit(
            "enrolment-made",
            Some(&enrolment.team),
            Some(&enrolment.worker),
            None,
        )?;
        // Shown once, on the answer to the form: the code is not kept (only its hash).
        let shown = EnrolmentShown {
            qr: crate::enrolment_qr::svg(&link)?,
            team: enrolment.team,
            worker: enrolment.worker,
            code: enrolment.code,
            link,
            expires: local(&enrolment.expires_at),
        };
        Ok(Answer::Page(devices_page(ctx, Some(shown))?))
    })
    .await
}

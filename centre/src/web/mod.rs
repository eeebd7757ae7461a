//! The centre's page (issue 16): server-rendered HTML for the team leader, the operator and the
//! auditor, served by the same process as the sync protocol. Templates are compiled in
//! (askama, escaping everything by default), the style sheet and the one small script are
//! compiled in too (`centre/static/`), so the page needs nothing from the network at run time.
//!
//! Every page but sign-in needs a session (`accounts`), and its role: a leader sees their own
//! team only, an operator the phones and enrolment, an auditor the audit log. Every form carries
//! the session's token (`csrf`), checked before anything is done, and the cookies are HTTP-only
//! and same-site strict. Each read of citizen-level data is written to the audit log after it is
//! answered; each action with its effect.
//!
//! `session` holds the request's context (cookies, language, the signed-in user) and the
//! answers (pages, redirects, refusals); each page is a module of its own.

mod audit_page;
mod citizen;
mod devices;
pub mod i18n;
mod indicators_page;
mod overview;
mod session;
mod sign_in;

use axum::Router;
use axum::routing::{get, post};

use crate::server::Shared;

/// The page's routes, merged into the centre's router.
pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/", get(session::home))
        .route("/login", get(sign_in::form).post(sign_in::submit))
        .route("/logout", post(sign_in::sign_out))
        .route("/team", get(overview::page))
        .route("/team/checkins", get(overview::checkins_fragment))
        .route("/team/checkins/ack", post(overview::acknowledge))
        .route("/indicators", get(indicators_page::page))
        .route("/indicators.csv", get(indicators_page::csv))
        .route("/citizen/{id}", get(citizen::page))
        .route("/citizen/{id}/glass", post(citizen::break_glass))
        .route("/devices", get(devices::page))
        .route(
            "/devices/{id}/revoke",
            get(devices::confirm).post(devices::revoke),
        )
        .route("/devices/enrol", post(devices::enrol))
        .route("/audit", get(audit_page::page))
        .route("/audit.csv", get(audit_page::csv))
        .route("/static/page.css", get(session::style))
        .route("/static/page.js", get(session::script))
}

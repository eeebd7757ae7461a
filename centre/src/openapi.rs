//! The OpenAPI description of the centre's endpoints, generated from the handlers' annotations
//! (`server`) and the wire types themselves (`gadeplan_core::sync::wire`, with the core's
//! `openapi` feature; the report's types here), so that it cannot drift from what is served.
//! The centre serves it at `GET /openapi.json`; `docs/openapi.json` is the committed copy, which
//! `centre/tests/openapi.rs` holds equal to this (`GADEPLAN_WRITE_OPENAPI=1` rewrites it), and
//! which `scripts/schemathesis.sh` fuzzes a running centre against.

use gadeplan_core::sync::wire::ErrorBody;
use utoipa::Modify;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Gadeplan centre",
        description = "The sync protocol between the outreach workers' phones and the treatment centre, and the team leader's report. Every refusal is a 4xx or 5xx with a JSON ErrorBody. See docs/sync-protocol.md.",
        license(name = "MPL-2.0")
    ),
    paths(
        crate::server::enrol,
        crate::server::push,
        crate::server::pull,
        crate::server::digest,
        crate::server::token,
        crate::server::released,
        crate::server::history,
        crate::server::search,
        crate::server::report,
        crate::server::checkins,
        crate::server::acknowledge_checkin,
        crate::server::health,
        crate::server::openapi,
    ),
    modifiers(&Tokens)
)]
struct Description;

/// What any request of a device may be refused with, each a JSON `ErrorBody`.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)] // Described, never built: the handlers answer with `Refusal`.
pub(crate) enum DeviceRefusals {
    #[response(
        status = 400,
        description = "malformed, unsupported protocol, bad input"
    )]
    BadRequest(ErrorBody),
    #[response(status = 401, description = "no token, unknown or expired token")]
    Unauthorized(ErrorBody),
    #[response(status = 403, description = "revoked device, not the author")]
    Forbidden(ErrorBody),
    #[response(status = 408, description = "the body did not arrive in time")]
    Timeout(ErrorBody),
    #[response(status = 413, description = "body or batch too large")]
    TooLarge(ErrorBody),
    #[response(status = 500, description = "the centre failed")]
    Failed(ErrorBody),
    #[response(
        status = 503,
        description = "busy, or its database unreachable; try again"
    )]
    Unavailable(ErrorBody),
}

/// What a push may be refused with besides: for now (the clock, the quota) or a full disk.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)] // Described, never built.
pub(crate) enum PushRefusals {
    #[response(
        status = 409,
        description = "an entry stamped ahead of the centre's clock"
    )]
    ClockAhead(ErrorBody),
    #[response(status = 429, description = "over the device's quota; see Retry-After")]
    Quota(ErrorBody),
    #[response(status = 507, description = "the centre's storage is full")]
    Full(ErrorBody),
}

/// The two bearer tokens: a device's (from enrolment) and a team leader's (from the operator).
struct Tokens;

impl Modify for Tokens {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (name, description) in [
            ("device_token", "A phone's token, answered by /v1/enrol."),
            (
                "leader_token",
                "A team leader's token, made by `gadeplan-centre leader-token`.",
            ),
        ] {
            components.add_security_scheme(
                name,
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .description(Some(description))
                        .build(),
                ),
            );
        }
    }
}

/// The description as the centre serves it and the repository keeps it (pretty, with a final
/// newline).
pub fn json() -> String {
    let mut text = Description::openapi()
        .to_pretty_json()
        .expect("the description serialises");
    text.push('\n');
    text
}

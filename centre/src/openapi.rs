//! The OpenAPI description of the centre's endpoints, generated from the handlers' annotations
//! (`server`) and the wire types themselves (`gadeplan_core::sync::wire`, with the core's
//! `openapi` feature; the report's types here), so that it cannot drift from what is served.
//! The centre serves it at `GET /openapi.json`; `docs/openapi.json` is the committed copy, which
//! `centre/tests/openapi.rs` holds equal to this (`GADEPLAN_WRITE_OPENAPI=1` rewrites it), and
//! which `scripts/schemathesis.sh` fuzzes a running centre against.

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
        crate::server::report,
        crate::server::health,
        crate::server::openapi,
    ),
    modifiers(&Tokens)
)]
struct Description;

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

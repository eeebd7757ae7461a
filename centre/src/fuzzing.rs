//! The centre's fuzz entry point: one HTTP request made from arbitrary bytes, answered by the
//! real router over a real (temporary) centre store. Whatever the bytes, the centre must answer
//! without a panic and without a 5xx (bad input is the sender's fault: a 4xx), and every refusal
//! must be a JSON `ErrorBody` (unknown paths and wrong methods included). The cargo-fuzz target `centre_request`
//! (in `fuzz/`) and the corpus replay `centre/tests/fuzz_corpus.rs` both call [`CentreUnderFuzz`].
//!
//! The input is: a byte choosing the path, a byte of flags (method flipped, `Content-Type`,
//! a leader's `Authorization`), then the body. In a body the placeholders `@TOKEN@`, `@DEVICE@`,
//! `@LEADER@` and `@CODE@` become the enrolled test device's token and id, the team leader's token
//! and an unused enrolment code, so seed inputs written from a real exchange reach past
//! authentication (`tests/tests/fuzz_seeds.rs` writes them).

use std::path::Path;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, header};
use gadeplan_core::fuzzing::ENDPOINTS;
use gadeplan_core::sync::wire;
use tower::ServiceExt;

use crate::server::router;
use crate::store::Centre;

/// The one device enrolled in the fuzzed centre; seed inputs say `@DEVICE@` for it.
pub const DEVICE: &str = "0192f7a0-0000-7000-8000-00000000f022";
/// Its worker's name and team.
pub const WORKER: &str = "Fuzz";
pub const TEAM: &str = "Fuzz";

/// What a fuzz input's first byte picks beyond the sync endpoints (which come first, in
/// `gadeplan_core::fuzzing::ENDPOINTS` order).
const OTHER_PATHS: [&str; 3] = ["/v1/report", "/health", "/v1/nothing"];

pub struct CentreUnderFuzz {
    runtime: tokio::runtime::Runtime,
    router: Router,
    token: String,
    leader: String,
    code: String,
}

impl CentreUnderFuzz {
    /// A centre in the empty directory `data`, with one team, one enrolled device and a spare
    /// enrolment code for the same worker.
    pub fn new(data: &Path) -> CentreUnderFuzz {
        let mut centre = Centre::open(data).expect("centre store");
        centre.add_team(TEAM).expect("team");
        let code = centre.new_enrolment(TEAM, WORKER, 24).expect("code").code;
        let token = centre
            .enrol(wire::EnrolRequest {
                protocol: wire::PROTOCOL,
                code,
                device_id: DEVICE.into(),
                device_name: "fuzzing phone".into(),
                worker: WORKER.into(),
            })
            .expect("enrolled")
            .token;
        let spare = centre
            .new_enrolment(TEAM, WORKER, 24)
            .expect("spare code")
            .code;
        let leader = centre.leader_token(TEAM).expect("leader token");
        CentreUnderFuzz {
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime"),
            router: router(centre),
            token,
            leader,
            code: spare,
        }
    }

    pub fn handle(&self, data: &[u8]) {
        let [path, flags, body @ ..] = data else {
            return;
        };
        let pick = *path as usize % (ENDPOINTS.len() + OTHER_PATHS.len());
        let path = match ENDPOINTS.get(pick) {
            Some(endpoint) => format!("/v1/{endpoint}"),
            None => OTHER_PATHS[pick - ENDPOINTS.len()].to_string(),
        };
        let path = path.as_str();
        let natural = if matches!(path, "/v1/report" | "/health") {
            Method::GET
        } else {
            Method::POST
        };
        let method = match (flags & 1 == 1, natural == Method::GET) {
            (false, _) => natural.clone(),
            (true, true) => Method::POST,
            (true, false) => Method::GET,
        };
        let mut request = Request::builder().method(method.clone()).uri(path);
        if flags & 2 == 2 {
            request = request.header(header::CONTENT_TYPE, "application/json");
        }
        if flags & 4 == 4 {
            request = request.header(header::AUTHORIZATION, format!("Bearer {}", self.leader));
        }
        let body = self.fill_in(body);
        let request = request.body(Body::from(body)).expect("request");
        let response = self
            .runtime
            .block_on(self.router.clone().oneshot(request))
            .expect("the router is infallible");
        let status = response.status();
        let bytes = self
            .runtime
            .block_on(axum::body::to_bytes(response.into_body(), usize::MAX))
            .expect("body");
        let text = wire::inflate(&bytes).map(|b| String::from_utf8_lossy(&b).into_owned());
        assert!(
            !status.is_server_error(),
            "{method} {path} answered {status} ({text:?}): bad input must be a 4xx"
        );
        if status.is_client_error() {
            let text = text.expect("a refusal inflates");
            serde_json::from_str::<wire::ErrorBody>(&text)
                .unwrap_or_else(|e| panic!("{path} refused with a body that is no ErrorBody: {e}"));
        }
    }

    fn fill_in(&self, body: &[u8]) -> Vec<u8> {
        gadeplan_core::fuzzing::fill_in(
            body,
            &[
                ("@TOKEN@", self.token.as_str()),
                ("@DEVICE@", DEVICE),
                ("@LEADER@", self.leader.as_str()),
                ("@CODE@", self.code.as_str()),
            ],
        )
    }
}

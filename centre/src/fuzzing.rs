//! The centre's fuzz entry point: one HTTP request made from arbitrary bytes, answered by the
//! real router over a real (temporary) centre store. Whatever the bytes, the centre must answer
//! without a panic and without a 5xx (bad input is the sender's fault: a 4xx), and every refusal
//! must be a JSON `ErrorBody` (unknown paths and wrong methods included). The cargo-fuzz target `centre_request`
//! (in `fuzz/`) and the corpus replay `centre/tests/fuzz_corpus.rs` both call [`CentreUnderFuzz`].
//!
//! The input is: a byte choosing the path, a byte of flags (1: method flipped, 2: `Content-Type`,
//! 4: a leader's `Authorization`, 8: the device's `Authorization`, as protocol 2 sends it), then
//! the body. In a body the placeholders `@TOKEN@`, `@DEVICE@`,
//! `@LEADER@` and `@CODE@` become the enrolled test device's token and id, the team leader's token
//! and an unused enrolment code, so seed inputs written from a real exchange reach past
//! authentication (`tests/tests/fuzz_seeds.rs` writes them).
//!
//! A second team holds a citizen and a risk check of its own, which a body names as
//! `@OTHER_SUBJECT@`, `@OTHER_NOTED@` (the citizen's `person.noted`) and `@OTHER_ENTRY@` (the
//! check), and after every input that team's entries must be exactly what they were: whatever the
//! fuzzed device sends, it cannot touch another team's records.

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
/// The other team, whose records no input may touch.
pub const OTHER_TEAM: &str = "Andet";
const OTHER_DEVICE: &str = "0192f7a0-0000-7000-8000-00000000a2d3";

/// What a fuzz input's first byte picks beyond the sync endpoints (which come first, in
/// `gadeplan_core::fuzzing::ENDPOINTS` order). The token's rotation came later and goes last,
/// so that the written seeds (`tests/tests/fuzz_seeds.rs`, first bytes below it) pick what they
/// picked before.
const OTHER_PATHS: [&str; 4] = ["/v1/report", "/health", "/v1/nothing", "/v1/token"];

pub struct CentreUnderFuzz {
    runtime: tokio::runtime::Runtime,
    router: Router,
    token: String,
    leader: String,
    code: String,
    /// A second connection to the same store, to look at the other team (behind a lock, so the
    /// fuzz target can keep the harness in a static).
    observer: std::sync::Mutex<Centre>,
    other: OtherTeam,
}

/// The other team's records, as the fuzzed centre was made with them.
struct OtherTeam {
    subject: String,
    noted: String,
    check: String,
    /// Its entries and its figures (citizens, screenings, risk checks by band…).
    digest: wire::Digest,
    report: serde_json::Value,
}

/// What the other team holds: its entries' digest and its report, less when it was made.
fn other_team_now(centre: &Centre) -> (wire::Digest, serde_json::Value) {
    let mut report = serde_json::to_value(
        centre
            .report(OTHER_TEAM, gadeplan_core::clock::now())
            .expect("report"),
    )
    .expect("JSON");
    report["generated_at"] = serde_json::Value::Null;
    (centre.team_digest(OTHER_TEAM).expect("digest"), report)
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
        let leader = centre.leader_token(TEAM, None).expect("leader token").token;
        let other = other_team(&mut centre);
        let observer = std::sync::Mutex::new(Centre::open(data).expect("a second connection"));
        CentreUnderFuzz {
            observer,
            other,
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime"),
            // Unlimited enrolment, so the fuzzer reaches the enrolment rules themselves.
            router: router(
                centre,
                &crate::server::Settings {
                    enrol: crate::policy::EnrolLimits {
                        per_source_per_minute: u32::MAX,
                        total_per_minute: u32::MAX,
                    },
                    ..Default::default()
                },
            ),
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
        if flags & 8 == 8 {
            request = request.header(header::AUTHORIZATION, format!("Bearer {}", self.token));
        } else if flags & 4 == 4 {
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
        let text =
            wire::inflate(&bytes, usize::MAX).map(|b| String::from_utf8_lossy(&b).into_owned());
        assert!(
            !status.is_server_error(),
            "{method} {path} answered {status} ({text:?}): bad input must be a 4xx"
        );
        if status.is_client_error() {
            let text = text.expect("a refusal inflates");
            serde_json::from_str::<wire::ErrorBody>(&text)
                .unwrap_or_else(|e| panic!("{path} refused with a body that is no ErrorBody: {e}"));
        }
        assert_eq!(
            other_team_now(&self.observer.lock().expect("not poisoned")),
            (self.other.digest.clone(), self.other.report.clone()),
            "{method} {path} changed another team's records or figures"
        );
    }

    fn fill_in(&self, body: &[u8]) -> Vec<u8> {
        gadeplan_core::fuzzing::fill_in(
            body,
            &[
                ("@TOKEN@", self.token.as_str()),
                ("@DEVICE@", DEVICE),
                ("@LEADER@", self.leader.as_str()),
                ("@CODE@", self.code.as_str()),
                ("@OTHER_SUBJECT@", self.other.subject.as_str()),
                ("@OTHER_NOTED@", self.other.noted.as_str()),
                ("@OTHER_ENTRY@", self.other.check.as_str()),
            ],
        )
    }
}

/// A second team with a device that recorded a citizen and a risk check.
fn other_team(centre: &mut Centre) -> OtherTeam {
    use gadeplan_core::clock::{self, Hlc};
    use gadeplan_core::journal::{self, Entry, EntryKind};
    centre.add_team(OTHER_TEAM).expect("team");
    let code = centre
        .new_enrolment(OTHER_TEAM, "Aisha", 24)
        .expect("code")
        .code;
    let token = centre
        .enrol(wire::EnrolRequest {
            protocol: wire::PROTOCOL,
            code,
            device_id: OTHER_DEVICE.into(),
            device_name: "their phone".into(),
            worker: "Aisha".into(),
        })
        .expect("enrolled")
        .token;
    let device = centre.device(&token).expect("device");
    let now = clock::now().timestamp_millis();
    let subject = journal::new_id();
    let entry = |counter: u32, kind: EntryKind, payload: &str| {
        let hlc = Hlc {
            wall_ms: now,
            counter,
            device: OTHER_DEVICE.into(),
        };
        Entry {
            id: journal::entry_id_for(&hlc).expect("an id"),
            kind,
            schema_version: journal::PAYLOAD_VERSION,
            subject: subject.clone().into(),
            author_worker: "Aisha".into(),
            author_device: OTHER_DEVICE.into(),
            occurred_at: journal::format_timestamp(clock::now()),
            recorded_at: hlc.encode(),
            payload: payload.into(),
        }
    };
    let noted = entry(0, EntryKind::PersonNoted, r#"{"alias":"Theirs"}"#);
    let check = entry(
        1,
        EntryKind::RiskChecked,
        r#"{"answers":{"confusion":true,"irritability":false,"boisterousness":false,"physical-threats":false,"verbal-threats":false,"attacks-on-objects":false},"instrument_version":1}"#,
    );
    let answer = centre
        .push(&device, wire::PROTOCOL, vec![noted.clone(), check.clone()])
        .expect("pushed");
    assert!(
        answer
            .results
            .iter()
            .all(|r| r.status == wire::PushStatus::Accepted),
        "{answer:?}"
    );
    let (digest, report) = other_team_now(centre);
    OtherTeam {
        digest,
        report,
        subject,
        noted: noted.id.into(),
        check: check.id.into(),
    }
}

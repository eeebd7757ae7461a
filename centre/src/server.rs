//! The HTTP face of the centre: the sync protocol's endpoints (enrol, push, pull, digest, and
//! a device token's rotation), the team leader's report, and a health check. Each request body
//! is JSON (see `docs/sync-protocol.md`); every refusal is a 4xx/5xx with a JSON `ErrorBody`.
//!
//! What a hostile client could use to tie the centre up is bounded here: each route reads at
//! most its own body size, within a time limit; a body is inflated (to a bounded size) on the
//! blocking pool, never on the async runtime, and in protocol 2 only after the device token in
//! the `Authorization` header has been checked; enrolment is rate-limited per source address and
//! overall. Connections themselves (their number, slow or idle ones) are the `listener`'s. The
//! database work runs on the blocking pool, each request its own transactions on the storage
//! (one after another on the embedded SQLite file; side by side on PostgreSQL).
//!
//! Every refusal is logged as one structured line (`tracing`, target `security` for the ones
//! that matter to security: enrolment failures, unknown or expired tokens, revoked devices, rate
//! limits, quotas, clocks). Lines carry codes, routes, device ids and source addresses, never
//! what a request's body held.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Extension, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use gadeplan_core::sync::wire;
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota as Rate, RateLimiter};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::listener::{self, ListenerSettings};
use crate::policy::{BODY_TIMEOUT, EnrolLimits, Policy};
use crate::storage::Database;
use crate::store::{Centre, Device, Refusal};
use crate::tls::Tls;

/// Everything a running centre is set up with.
#[derive(Debug, Clone)]
pub struct Settings {
    pub policy: Policy,
    pub enrol: EnrolLimits,
    /// How long a request's body may take to arrive.
    pub body_timeout: Duration,
    pub listener: ListenerSettings,
    /// HTTPS served by the centre itself, or `None` for plain HTTP (behind a proxy that holds
    /// the certificate, or on loopback).
    pub tls: Option<Arc<Tls>>,
    /// The operator's command run at each check-in escalation step (`watch::announce`).
    pub checkin_notify: Option<String>,
    /// The oldest protocol served to devices. At 2, a push, pull or digest without a token in
    /// its header is refused before its body is read (protocol 1 sends the token in the body,
    /// so its body must be inflated before the sender is known): for a centre whose phones are
    /// all updated.
    pub min_protocol: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            policy: Policy::default(),
            enrol: EnrolLimits::default(),
            body_timeout: BODY_TIMEOUT,
            listener: ListenerSettings::default(),
            tls: None,
            checkin_notify: None,
            min_protocol: wire::MIN_PROTOCOL,
        }
    }
}

pub(crate) struct Server {
    pub(crate) centre: Centre,
    /// Whether the page's cookies are marked `Secure` (the centre serves HTTPS itself).
    pub(crate) secure_cookies: bool,
    /// Sign-in attempts per source address (each costs an Argon2id check: memory and time).
    pub(crate) sign_in_per_source: DefaultKeyedRateLimiter<IpAddr>,
    /// Password checks at once, whatever the sources.
    pub(crate) password_checks: Arc<tokio::sync::Semaphore>,
    /// When each session's check-in refreshes were last written to the audit log.
    pub(crate) refreshes_audited:
        std::sync::Mutex<std::collections::HashMap<String, std::time::Instant>>,
    enrol_per_source: DefaultKeyedRateLimiter<IpAddr>,
    enrol_total: DefaultDirectRateLimiter,
    body_timeout: Duration,
    min_protocol: u32,
}

pub(crate) type Shared = Arc<Server>;

pub fn router(centre: Centre, settings: &Settings) -> Router {
    routes(shared(centre, settings))
}

fn shared(centre: Centre, settings: &Settings) -> Shared {
    Centre::warm_up_sign_in();
    let per_minute = |n: u32| Rate::per_minute(NonZeroU32::new(n.max(1)).expect("at least one"));
    Arc::new(Server {
        centre: centre.with_checkin_notify(settings.checkin_notify.clone()),
        secure_cookies: settings.tls.is_some(),
        sign_in_per_source: RateLimiter::keyed(per_minute(
            crate::accounts::SIGN_IN_PER_SOURCE_PER_MINUTE,
        )),
        password_checks: Arc::new(tokio::sync::Semaphore::new(
            crate::accounts::PASSWORD_CHECKS_AT_ONCE,
        )),
        refreshes_audited: Default::default(),
        enrol_per_source: RateLimiter::keyed(per_minute(settings.enrol.per_source_per_minute)),
        enrol_total: RateLimiter::direct(per_minute(settings.enrol.total_per_minute)),
        body_timeout: settings.body_timeout,
        min_protocol: settings.min_protocol,
    })
}

fn routes(state: Shared) -> Router {
    Router::new()
        .route("/v1/enrol", post(enrol))
        .route("/v1/push", post(push))
        .route("/v1/pull", post(pull))
        .route("/v1/digest", post(digest))
        .route("/v1/token", post(token))
        .route("/v1/released", post(released))
        .route("/v1/history", post(history))
        .route("/v1/search", post(search))
        .route("/v1/report", get(report))
        .route("/v1/checkins", get(checkins))
        .route("/v1/checkins/acknowledge", post(acknowledge_checkin))
        .route("/health", get(health))
        .route("/openapi.json", get(openapi))
        .merge(crate::web::routes())
        .fallback(|| async {
            refusal(
                Refusal::new(404, "not-found", "no such endpoint"),
                wire::MIN_PROTOCOL,
                false,
            )
        })
        .method_not_allowed_fallback(|| async {
            refusal(
                Refusal::new(
                    405,
                    "method-not-allowed",
                    "the endpoints take POST; the report GET",
                ),
                wire::MIN_PROTOCOL,
                false,
            )
        })
        .with_state(state)
}

/// Whether the centre answers at all (for a load balancer's health check).
#[utoipa::path(
    get,
    path = "/health",
    tag = "operations",
    responses((status = 200, description = "serving", body = String, content_type = "text/plain"))
)]
pub(crate) async fn health() -> &'static str {
    "ok"
}

/// This description of the endpoints.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "operations",
    responses((status = 200, description = "the OpenAPI description", content_type = "application/json"))
)]
pub(crate) async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        crate::openapi::json(),
    )
        .into_response()
}

/// An answer, compressed when the request was (see `wire::compress`).
fn json<T: Serialize>(status: StatusCode, body: &T, compressed: bool) -> Response {
    let bytes = serde_json::to_vec(body).expect("wire types serialise");
    let bytes = if compressed {
        wire::compress(&bytes)
    } else {
        bytes
    };
    (status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response()
}

/// A refusal in the shape of the request's protocol version, with `Retry-After` when it says
/// when to try again.
fn refusal(r: Refusal, protocol: u32, compressed: bool) -> Response {
    let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = json(status, &r.body(protocol), compressed);
    if let Some(seconds) = r.retry_after_s {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

/// Logs a refusal: one line, codes and ids only.
fn log_refusal(route: &str, source: IpAddr, device: Option<&str>, r: &Refusal) {
    let device = device.or(r.device.as_deref()).unwrap_or("");
    let security = matches!(
        r.code.as_str(),
        "invalid-code"
            | "code-used"
            | "code-expired"
            | "already-enrolled"
            | "unknown-token"
            | "token-expired"
            | "revoked"
            | "not-the-author"
            | "rate-limited"
            | "quota-exceeded"
            | "clock-ahead"
            | "missing-token"
    );
    if security {
        tracing::warn!(target: "security", event = "refused", route, source = %source, device, status = r.status, code = %r.code);
    } else {
        tracing::info!(event = "refused", route, source = %source, device, status = r.status, code = %r.code);
    }
}

fn parse<T: DeserializeOwned>(body: &[u8], inflated_limit: usize) -> Result<T, Refusal> {
    let body = wire::inflate_checked(body, inflated_limit).map_err(|why| match why {
        wire::Unreadable::Broken => {
            Refusal::new(400, "malformed", "the body's compressed stream is broken")
        }
        wire::Unreadable::TooLarge => Refusal::new(
            413,
            "malformed",
            "the body is larger than this endpoint takes once inflated",
        ),
    })?;
    // serde's message can quote what was sent; say only where the body went wrong.
    serde_json::from_slice(&body).map_err(|e| {
        Refusal::new(
            400,
            "malformed",
            format!(
                "the body is not a valid request ({:?} at line {} column {})",
                e.classify(),
                e.line(),
                e.column()
            ),
        )
    })
}

/// Reads a body whole, within the route's `limit` and the body timeout: a client that trickles
/// a body, or sends more than the route takes, holds nothing for long.
async fn read_body(body: Body, limit: usize, timeout: Duration) -> Result<Bytes, Refusal> {
    match tokio::time::timeout(timeout, axum::body::to_bytes(body, limit)).await {
        Err(_) => Err(Refusal::new(
            408,
            "timeout",
            "the request's body took too long to arrive",
        )),
        Ok(Err(e)) => {
            // The route's body limit shows as an error whose source is `LengthLimitError`.
            let too_large = std::error::Error::source(&e)
                .is_some_and(|s| s.is::<http_body_util::LengthLimitError>());
            Err(if too_large {
                Refusal::new(
                    413,
                    "too-large",
                    "the body is larger than this endpoint takes",
                )
            } else {
                Refusal::new(400, "malformed", "the body could not be read")
            })
        }
        Ok(Ok(bytes)) => Ok(bytes),
    }
}

/// The device token of a protocol-2 request, from `Authorization: Bearer …`.
fn bearer(headers: &HeaderMap) -> Option<String> {
    headers.get(header::AUTHORIZATION).map(|v| {
        v.to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .unwrap_or_default()
            .to_string()
    })
}

fn source_of(connected: Option<Extension<ConnectInfo<SocketAddr>>>) -> IpAddr {
    connected.map_or(
        IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        |Extension(ConnectInfo(a))| a.ip(),
    )
}

/// A request of the sync protocol that a device makes: its version, and in version 1 the token.
trait DeviceRequest: DeserializeOwned + Send + 'static {
    fn protocol(&self) -> u32;
    fn body_token(&self) -> Option<&str>;
}

macro_rules! device_request {
    ($($t:ty),*) => {$(
        impl DeviceRequest for $t {
            fn protocol(&self) -> u32 {
                self.protocol
            }
            fn body_token(&self) -> Option<&str> {
                self.token.as_deref()
            }
        }
    )*};
}
device_request!(wire::PushArrival, wire::PullRequest, wire::DigestRequest);

/// A rotation exists from protocol 2 on, and the released list, a history and a search from 4,
/// so their token is only ever in the header.
macro_rules! header_token_request {
    ($($t:ty),*) => {$(
        impl DeviceRequest for $t {
            fn protocol(&self) -> u32 {
                self.protocol
            }
            fn body_token(&self) -> Option<&str> {
                None
            }
        }
    )*};
}
header_token_request!(
    wire::TokenRequest,
    wire::ReleasedRequest,
    wire::HistoryRequest,
    wire::SearchRequest
);

/// What a device's request does once authenticated: given the centre, the device, the request's
/// protocol version, its body and the address it came from (for the audit log).
type DeviceOp<Req, Resp> = fn(&Centre, &Device, u32, Req, IpAddr) -> Result<Resp, Refusal>;

/// A device's request: the token is checked (from the header in protocol 2, before the body is
/// touched; from the body in protocol 1), the body inflated and parsed off the async runtime,
/// then `op` runs.
async fn device_request<Req, Resp>(
    route: &'static str,
    state: Shared,
    source: IpAddr,
    headers: HeaderMap,
    body: Body,
    (body_limit, inflated_limit): (usize, usize),
    op: DeviceOp<Req, Resp>,
) -> Response
where
    Req: DeviceRequest,
    Resp: Serialize + Send + 'static,
{
    let header_token = bearer(&headers);
    // A header says the phone speaks protocol 2, whose refusals it reads with their new fields.
    let mut protocol = if header_token.is_some() { 2 } else { 1 };
    if header_token.is_none() && state.min_protocol >= 2 {
        let r = Refusal::new(
            400,
            "unsupported-protocol",
            format!(
                "this centre speaks protocols {} to {}; update the app",
                state.min_protocol,
                wire::PROTOCOL
            ),
        );
        log_refusal(route, source, None, &r);
        return refusal(r, protocol, false);
    }
    let bytes = match read_body(body, body_limit, state.body_timeout).await {
        Ok(bytes) => bytes,
        Err(r) => {
            log_refusal(route, source, None, &r);
            return refusal(r, protocol, false);
        }
    };
    let compressed = wire::is_compressed(&bytes);
    let outcome = tokio::task::spawn_blocking(move || {
        let mut device = None;
        let work = (|| {
            let centre = &state.centre;
            if let Some(token) = &header_token {
                device = Some(centre.device(token)?);
            }
            let request: Req = parse(&bytes, inflated_limit)?;
            protocol = request.protocol();
            match (protocol, &header_token, request.body_token()) {
                (1, None, Some(token)) => device = Some(centre.device(token)?),
                (1, Some(_), _) => {
                    return Err(Refusal::new(
                        400,
                        "invalid-input",
                        "protocol 1 carries the device token in the body, not a header",
                    ));
                }
                (_, Some(_), None) => {}
                (_, Some(_), Some(_)) => {
                    return Err(Refusal::new(
                        400,
                        "invalid-input",
                        "the device token goes in the Authorization header only",
                    ));
                }
                (_, None, _) => {
                    return Err(Refusal::new(
                        401,
                        "missing-token",
                        "the device token goes in the Authorization header",
                    ));
                }
            }
            let device = device.as_ref().expect("authenticated above");
            op(centre, device, protocol, request, source)
        })();
        (work, device.map(|d| d.id), protocol)
    })
    .await;
    match outcome {
        Ok((Ok(body), _, _)) => json(StatusCode::OK, &body, compressed),
        Ok((Err(r), device, protocol)) => {
            log_refusal(route, source, device.as_deref(), &r);
            refusal(r, protocol, compressed)
        }
        Err(_) => {
            let r = Refusal::new(500, "internal", "the request failed inside the centre");
            log_refusal(route, source, None, &r);
            refusal(r, protocol, compressed)
        }
    }
}

#[utoipa::path(
    post,
    path = "/v1/enrol",
    tag = "sync",
    description = "Enrols a phone with a one-time code; answers its device token. Rate-limited per source and overall. The body may be zlib-compressed JSON (answered compressed).",
    request_body(content = wire::EnrolRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "answered", body = wire::EnrolResponse),
        (status = 400, description = "malformed or bad input", body = wire::ErrorBody),
        (status = 403, description = "unknown, used or expired code", body = wire::ErrorBody),
        (status = 409, description = "the device is enrolled already", body = wire::ErrorBody),
        (status = 413, description = "body too large", body = wire::ErrorBody),
        (status = 429, description = "too many attempts; see Retry-After", body = wire::ErrorBody),
        (status = 500, description = "the centre failed", body = wire::ErrorBody),
        (status = 503, description = "busy, or its database unreachable; try again", body = wire::ErrorBody)
    ),
    security(())
)]
pub(crate) async fn enrol(
    State(state): State<Shared>,
    connected: Option<Extension<ConnectInfo<SocketAddr>>>,
    body: Body,
) -> Response {
    let source = source_of(connected);
    let limited = state
        .enrol_per_source
        .check_key(&source)
        .and_then(|_| state.enrol_total.check());
    if let Err(not_until) = limited {
        let wait = not_until
            .wait_time_from(governor::clock::Clock::now(
                &governor::clock::DefaultClock::default(),
            ))
            .as_secs()
            .max(1);
        let r = Refusal::new(
            429,
            "rate-limited",
            "too many enrolment attempts; wait a minute and try again",
        )
        .retry_after(wait);
        log_refusal("enrol", source, None, &r);
        return refusal(r, wire::MIN_PROTOCOL, false);
    }
    // Forget sources not seen for a while, so the limiter's memory stays bounded.
    state.enrol_per_source.retain_recent();
    let bytes = match read_body(body, wire::SMALL_MAX_BODY_BYTES, state.body_timeout).await {
        Ok(bytes) => bytes,
        Err(r) => {
            log_refusal("enrol", source, None, &r);
            return refusal(r, wire::MIN_PROTOCOL, false);
        }
    };
    let compressed = wire::is_compressed(&bytes);
    let outcome = tokio::task::spawn_blocking(move || {
        // Until the body says otherwise, answer in version 1's shape, which every phone reads.
        let request: wire::EnrolRequest = parse(&bytes, wire::SMALL_MAX_BODY_BYTES)
            .map_err(|r| (Box::new(r), wire::MIN_PROTOCOL))?;
        let protocol = request.protocol;
        let device = request.device_id.clone();
        let centre = &state.centre;
        let answer = centre.enrol(request).map_err(|r| (Box::new(r), protocol))?;
        tracing::info!(target: "security", event = "enrolled", source = %source, device);
        Ok(answer)
    })
    .await;
    match outcome {
        Ok(Ok(answer)) => json(StatusCode::OK, &answer, compressed),
        Ok(Err((r, protocol))) => {
            log_refusal("enrol", source, None, &r);
            refusal(*r, protocol, compressed)
        }
        Err(_) => refusal(
            Refusal::new(500, "internal", "the request failed inside the centre"),
            wire::MIN_PROTOCOL,
            compressed,
        ),
    }
}

#[utoipa::path(
    post,
    path = "/v1/push",
    tag = "sync",
    description = "Takes in the phone's entries in the order sent and answers for the longest prefix taken: each accepted, duplicate, held or rejected. The body may be zlib-compressed JSON (answered compressed).",
    request_body(content = wire::PushRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "answered", body = wire::PushResponse),
        crate::openapi::DeviceRefusals,
        crate::openapi::PushRefusals
    ),
    security(("device_token" = []))
)]
pub(crate) async fn push(
    State(state): State<Shared>,
    connected: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    device_request(
        "push",
        state,
        source_of(connected),
        headers,
        body,
        (wire::PUSH_MAX_BODY_BYTES, wire::PUSH_MAX_INFLATED_BYTES),
        |c, d, p, r: wire::PushArrival, _| c.push_arrived(d, p, r.entries),
    )
    .await
}

#[utoipa::path(
    post,
    path = "/v1/pull",
    tag = "sync",
    description = "The team's entries after the phone's cursor, in sequence order, a page at a time.",
    request_body(content = wire::PullRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "answered", body = wire::PullResponse),
        crate::openapi::DeviceRefusals
    ),
    security(("device_token" = []))
)]
pub(crate) async fn pull(
    State(state): State<Shared>,
    connected: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    device_request(
        "pull",
        state,
        source_of(connected),
        headers,
        body,
        (wire::SMALL_MAX_BODY_BYTES, wire::SMALL_MAX_BODY_BYTES),
        |c, d, _, r: wire::PullRequest, _| c.pull(d, r),
    )
    .await
}

#[utoipa::path(
    post,
    path = "/v1/digest",
    tag = "sync",
    description = "What the phone should hold: the count and hash of its team's entry ids and its own held here.",
    request_body(content = wire::DigestRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "answered", body = wire::DigestResponse),
        crate::openapi::DeviceRefusals
    ),
    security(("device_token" = []))
)]
pub(crate) async fn digest(
    State(state): State<Shared>,
    connected: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    device_request(
        "digest",
        state,
        source_of(connected),
        headers,
        body,
        (wire::SMALL_MAX_BODY_BYTES, wire::SMALL_MAX_BODY_BYTES),
        |c, d, _, r: wire::DigestRequest, _| c.digest(d, r),
    )
    .await
}

#[utoipa::path(
    post,
    path = "/v1/token",
    tag = "sync",
    description = "A new device token, without enrolling again. The centre keeps it beside the current one and accepts both until the new one is first used, which then replaces the old; asked again before that, it makes another in place of the unused one, so a lost answer locks no phone out. Recorded in the audit log. The body may be zlib-compressed JSON (answered compressed).",
    request_body(content = wire::TokenRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "a new token", body = wire::TokenResponse),
        crate::openapi::DeviceRefusals
    ),
    security(("device_token" = []))
)]
pub(crate) async fn token(
    State(state): State<Shared>,
    connected: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    device_request(
        "token",
        state,
        source_of(connected),
        headers,
        body,
        (wire::SMALL_MAX_BODY_BYTES, wire::SMALL_MAX_BODY_BYTES),
        |c, d, p, _: wire::TokenRequest, source| c.rotate_token(d, p, Some(source.to_string())),
    )
    .await
}

#[utoipa::path(
    post,
    path = "/v1/released",
    tag = "sync",
    description = "From protocol 4: the citizens of the phone's team its phones no longer need to hold (no open course, none closed lately, not met lately, nothing open about them; the operator's serve --keep-closed-days and --keep-unmet-months), and the list's hash, which every digest answer of protocol 4 carries. The phone removes each one's entries once the centre has all of them, keeping a marker the digest counts. The body may be zlib-compressed JSON (answered compressed).",
    request_body(content = wire::ReleasedRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "the released citizens", body = wire::ReleasedResponse),
        crate::openapi::DeviceRefusals
    ),
    security(("device_token" = []))
)]
pub(crate) async fn released(
    State(state): State<Shared>,
    connected: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    device_request(
        "released",
        state,
        source_of(connected),
        headers,
        body,
        (wire::SMALL_MAX_BODY_BYTES, wire::SMALL_MAX_BODY_BYTES),
        |c, d, _, r: wire::ReleasedRequest, _| c.released_for(d, r),
    )
    .await
}

#[utoipa::path(
    post,
    path = "/v1/history",
    tag = "sync",
    description = "From protocol 4: a page of everything the centre holds about one citizen of the phone's team (under any of their ids), in sequence order: a citizen who came back, or one the worker asked for. A citizen of another team, or none, is not found. Recorded in the audit log. The body may be zlib-compressed JSON (answered compressed).",
    request_body(content = wire::HistoryRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "a page of the citizen's history", body = wire::HistoryResponse),
        (status = 404, description = "no such citizen in the team", body = wire::ErrorBody),
        crate::openapi::DeviceRefusals
    ),
    security(("device_token" = []))
)]
pub(crate) async fn history(
    State(state): State<Shared>,
    connected: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    device_request(
        "history",
        state,
        source_of(connected),
        headers,
        body,
        (wire::SMALL_MAX_BODY_BYTES, wire::SMALL_MAX_BODY_BYTES),
        |c, d, _, r: wire::HistoryRequest, _| c.history(d, r),
    )
    .await
}

#[utoipa::path(
    post,
    path = "/v1/search",
    tag = "sync",
    description = "From protocol 4: the citizens of the phone's team held at the centre only (released from the phones) whose nickname holds the words asked for, at most 20. Recorded in the audit log (not the words). The body may be zlib-compressed JSON (answered compressed).",
    request_body(content = wire::SearchRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "the citizens found", body = wire::SearchResponse),
        crate::openapi::DeviceRefusals
    ),
    security(("device_token" = []))
)]
pub(crate) async fn search(
    State(state): State<Shared>,
    connected: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    device_request(
        "search",
        state,
        source_of(connected),
        headers,
        body,
        (wire::SMALL_MAX_BODY_BYTES, wire::SMALL_MAX_BODY_BYTES),
        |c, d, _, r: wire::SearchRequest, _| c.search(d, r),
    )
    .await
}

/// `GET /v1/report` with `Authorization: Bearer <leader token>`: the report of that token's team.
#[utoipa::path(
    get,
    path = "/v1/report",
    tag = "report",
    description = "The team leader's figures for the token's team.",
    responses(
        (status = 200, description = "the report", body = crate::report::TeamReport),
        (status = 401, description = "no token, unknown, expired or revoked", body = wire::ErrorBody),
        (status = 500, description = "the centre failed", body = wire::ErrorBody),
        (status = 503, description = "busy, or its database unreachable; try again", body = wire::ErrorBody)
    ),
    security(("leader_token" = []))
)]
pub(crate) async fn report(
    State(state): State<Shared>,
    connected: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
) -> Response {
    leader_request("report", state, connected, headers, |centre, team| {
        centre.report(&team, crate::store::now())
    })
    .await
}

/// Serves until `shutdown` resolves, watching check-ins meanwhile.
pub async fn serve(
    centre: Centre,
    listener: tokio::net::TcpListener,
    settings: &Settings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let state = shared(centre, settings);
    let watching = tokio::spawn(watch_checkins(state.clone()));
    let retaining = state
        .centre
        .policy()
        .retention_years
        .map(|years| tokio::spawn(retain_daily(state.clone(), years)));
    let served = listener::serve_with_tls(
        listener,
        routes(state),
        settings.listener.clone(),
        settings.tls.clone(),
        shutdown,
    )
    .await;
    watching.abort();
    if let Some(retaining) = retaining {
        retaining.abort();
    }
    served
}

/// The municipality's retention rule (`serve --retention-years N`, `retention`), applied at
/// start and then once a day; each erasure is logged (by ids) and in the audit log.
async fn retain_daily(state: Shared, years: u32) {
    let mut tick = tokio::time::interval(Duration::from_secs(24 * 60 * 60));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let state = state.clone();
        let outcome = tokio::task::spawn_blocking(move || {
            state.centre.apply_retention(years, "retention-rule")
        })
        .await;
        match outcome {
            Ok(Ok(erased)) => {
                for done in erased {
                    tracing::info!(
                        target: "retention",
                        event = "retention-erased",
                        team = %done.team,
                        citizen = %done.citizen,
                        entries = done.entries,
                        erasure = %done.erasure
                    );
                }
            }
            Ok(Err(r)) => tracing::error!(event = "retention-failed", message = %r.message),
            Err(_) => tracing::error!(event = "retention-failed", message = "the task ended"),
        }
    }
}

/// The check-in timer's loop (`watch`): every second, the steps due are taken. The state is
/// the store's, so a second lost to a restart is only a second late, and two processes on one
/// store share the work without doubling it. The same tick finishes an erasure's scrub of the
/// embedded store that a reader had held up (`erasure`).
async fn watch_checkins(state: Shared) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let state = state.clone();
        let outcome = tokio::task::spawn_blocking(move || {
            let centre = &state.centre;
            let taken = centre.escalate_due(crate::store::now().timestamp_millis())?;
            crate::watch::announce(&taken, centre.checkin_notify());
            centre.scrub_if_pending()?;
            Ok::<_, Refusal>(())
        })
        .await;
        if let Ok(Err(r)) = outcome {
            tracing::error!(event = "checkin-watch-failed", message = %r.message);
        }
    }
}

/// `GET /v1/checkins` with a leader token: the team's check-ins not ended (and duress alarms)
/// from the last two days, with their escalation steps, for the team leader's page.
#[utoipa::path(
    get,
    path = "/v1/checkins",
    tag = "checkins",
    description = "The token's team's check-ins that are open, overdue or acknowledged, and duress alarms, with their escalation steps.",
    responses(
        (status = 200, description = "the check-ins", body = Vec<crate::watch::CheckinReport>),
        (status = 401, description = "no token, unknown, expired or revoked", body = wire::ErrorBody),
        (status = 500, description = "the centre failed", body = wire::ErrorBody),
        (status = 503, description = "busy, or its database unreachable; try again", body = wire::ErrorBody)
    ),
    security(("leader_token" = []))
)]
pub(crate) async fn checkins(
    State(state): State<Shared>,
    connected: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
) -> Response {
    leader_request("checkins", state, connected, headers, |centre, team| {
        centre.checkins(Some(&team), 2, false)
    })
    .await
}

/// What the team leader sends to take charge of an overdue check-in.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcknowledgeCheckin {
    pub checkin: String,
    /// Who takes charge (recorded).
    pub by: String,
}

/// `POST /v1/checkins/acknowledge` with a leader token: takes charge of an overdue check-in of
/// the team; the first acknowledgement stops the escalation.
#[utoipa::path(
    post,
    path = "/v1/checkins/acknowledge",
    tag = "checkins",
    request_body(content = AcknowledgeCheckin, content_type = "application/json"),
    responses(
        (status = 200, description = "taken charge of", body = crate::watch::CheckinReport),
        (status = 400, description = "malformed", body = wire::ErrorBody),
        (status = 401, description = "no token, unknown, expired or revoked", body = wire::ErrorBody),
        (status = 404, description = "no such check-in in the team", body = wire::ErrorBody),
        (status = 409, description = "already acknowledged, or not overdue", body = wire::ErrorBody),
        (status = 500, description = "the centre failed", body = wire::ErrorBody),
        (status = 503, description = "busy, or its database unreachable; try again", body = wire::ErrorBody)
    ),
    security(("leader_token" = []))
)]
pub(crate) async fn acknowledge_checkin(
    State(state): State<Shared>,
    connected: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    leader_request(
        "checkins-acknowledge",
        state,
        connected,
        headers,
        move |centre, team| {
            let asked: AcknowledgeCheckin = serde_json::from_slice(&body)
                .map_err(|e| Refusal::new(400, "invalid-input", e.to_string()))?;
            centre.acknowledge_checkin(Some(&team), &asked.checkin, &asked.by)
        },
    )
    .await
}

/// A team leader's request: the token's team found, `work` done off the async threads, and its
/// answer as JSON, or the refusal logged and said.
async fn leader_request<T: serde::Serialize + Send + 'static>(
    what: &'static str,
    state: Shared,
    connected: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    work: impl FnOnce(&Centre, String) -> Result<T, Refusal> + Send + 'static,
) -> Response {
    let source = source_of(connected);
    let token = bearer(&headers).unwrap_or_default();
    let outcome = tokio::task::spawn_blocking(move || {
        let centre = &state.centre;
        let (team, token_id) = centre.leader(&token)?;
        let answer = work(centre, team.clone())?;
        // Recorded once answered: by which token, from where (taking charge is recorded with
        // the check-in too, by the name given).
        let action = match what {
            "report" => "report-read",
            "checkins" => "checkins-read",
            other => other,
        };
        centre.audit_event(crate::audit::AuditEvent {
            actor: format!("leader-token:{token_id}"),
            action: action.into(),
            team: Some(team),
            source: Some(source.to_string()),
            ..Default::default()
        })?;
        Ok(answer)
    })
    .await;
    match outcome {
        Ok(Ok(answer)) => json(StatusCode::OK, &answer, false),
        Ok(Err(r)) => {
            log_refusal(what, source, None, &r);
            refusal(r, wire::MIN_PROTOCOL, false)
        }
        Err(_) => refusal(
            Refusal::new(500, "internal", "the request failed inside the centre"),
            wire::MIN_PROTOCOL,
            false,
        ),
    }
}

/// The structured log: one JSON object per line on stderr, at the level RUST_LOG says (default
/// info). Security events carry the target "security". For `serve` (and the demo's page).
pub fn start_log() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// What `gadeplan-centre serve` does: opens the centre's store under `data`, listens on `listen`,
/// tells `listening` the bound address, and serves until Ctrl-C (SIGINT) or SIGTERM. A SIGKILL
/// instead leaves the store as its last committed transaction left it; the crash suite relies
/// on that.
pub fn serve_until_interrupted(
    database: &Database,
    listen: &str,
    settings: &Settings,
    listening: impl FnOnce(SocketAddr),
) -> Result<(), Refusal> {
    let centre = Centre::connect(database, settings.policy)?;
    let runtime =
        tokio::runtime::Runtime::new().map_err(|e| Refusal::new(500, "runtime", e.to_string()))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| Refusal::new(500, "listen", format!("cannot listen on {listen}: {e}")))?;
        let addr = listener
            .local_addr()
            .map_err(|e| Refusal::new(500, "listen", e.to_string()))?;
        listening(addr);
        tracing::info!(event = "serving", address = %addr, tls = settings.tls.is_some());
        if let Some(tls) = settings.tls.clone() {
            tokio::spawn(reload_on_hangup(tls));
        }
        serve(centre, listener, settings, async {
            let mut terminate =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = async {
                    match terminate.as_mut() {
                        Some(t) => { t.recv().await; }
                        None => std::future::pending::<()>().await,
                    }
                } => {}
            }
            tracing::info!(event = "stopping");
        })
        .await
        .map_err(|e| Refusal::new(500, "serve", e.to_string()))
    })
}

/// Reads the certificate and key again at every SIGHUP (a renewed certificate, without a
/// restart); a failed reload keeps the one in use and is logged.
async fn reload_on_hangup(tls: Arc<Tls>) {
    let Ok(mut hangups) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
    else {
        return;
    };
    while hangups.recv().await.is_some() {
        match tls.reload() {
            Ok(()) => tracing::info!(event = "tls-reloaded"),
            Err(r) => tracing::error!(event = "tls-reload-failed", message = %r.message),
        }
    }
}

/// A centre serving on a loopback port from a thread of its own: for the demo and the tests,
/// which drive phones synchronously beside it. Stops when dropped.
pub struct RunningCentre {
    pub addr: SocketAddr,
    /// `https` when it serves TLS itself.
    scheme: &'static str,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RunningCentre {
    pub fn start(database: impl Into<Database>, listen: &str) -> Result<RunningCentre, Refusal> {
        RunningCentre::start_with(database, listen, Settings::default())
    }

    pub fn start_with(
        database: impl Into<Database>,
        listen: &str,
        settings: Settings,
    ) -> Result<RunningCentre, Refusal> {
        let centre = Centre::connect(&database.into(), settings.policy)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| Refusal::new(500, "runtime", e.to_string()))?;
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind(listen))
            .map_err(|e| Refusal::new(500, "listen", format!("cannot listen on {listen}: {e}")))?;
        let addr = listener
            .local_addr()
            .map_err(|e| Refusal::new(500, "listen", e.to_string()))?;
        let scheme = if settings.tls.is_some() {
            "https"
        } else {
            "http"
        };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let _ = runtime.block_on(serve(centre, listener, &settings, async {
                let _ = stopped.await;
            }));
        });
        Ok(RunningCentre {
            addr,
            scheme,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    pub fn url(&self) -> String {
        format!("{}://{}", self.scheme, self.addr)
    }
}

impl Drop for RunningCentre {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

//! The HTTP face of the centre: the sync protocol's four endpoints, the team leader's report,
//! and a health check. Each request body is JSON (see `docs/sync-protocol.md`); every refusal is a
//! 4xx/5xx with a JSON `ErrorBody`. The database work runs on the blocking pool, one request at a
//! time against the one connection, which keeps every request a plain transaction.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use gadeplan_core::sync::wire;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::store::{Centre, Refusal};

type Shared = Arc<Mutex<Centre>>;

pub fn router(centre: Centre) -> Router {
    let state: Shared = Arc::new(Mutex::new(centre));
    Router::new()
        .route("/v1/enrol", post(enrol))
        .route("/v1/push", post(push))
        .route("/v1/pull", post(pull))
        .route("/v1/digest", post(digest))
        .route("/v1/report", get(report))
        .route("/health", get(|| async { "ok" }))
        .fallback(|| async { refusal(Refusal::new(404, "not-found", "no such endpoint"), false) })
        .method_not_allowed_fallback(|| async {
            refusal(
                Refusal::new(
                    405,
                    "method-not-allowed",
                    "the endpoints take POST; the report GET",
                ),
                false,
            )
        })
        .layer(DefaultBodyLimit::max(wire::MAX_BODY_BYTES))
        .with_state(state)
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

fn refusal(r: Refusal, compressed: bool) -> Response {
    let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    json(status, &r.body(), compressed)
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, Refusal> {
    let body = wire::inflate(body).ok_or_else(|| {
        Refusal::new(
            413,
            "malformed",
            "the compressed body is broken or inflates past the limit",
        )
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

/// The answer to a request whose work ran on the blocking pool.
fn answer<T: Serialize>(
    outcome: Result<Result<T, Refusal>, tokio::task::JoinError>,
    compressed: bool,
) -> Response {
    match outcome {
        Ok(Ok(body)) => json(StatusCode::OK, &body, compressed),
        Ok(Err(r)) => refusal(r, compressed),
        Err(_) => refusal(
            Refusal::new(500, "internal", "the request failed inside the centre"),
            compressed,
        ),
    }
}

/// A body as the handlers receive it: read whole, or refused by axum (too large, cut off).
type Body = Result<Bytes, BytesRejection>;

/// Parses the body, then runs `op` on the blocking pool with the centre locked.
async fn handle<Req, Resp>(
    state: Shared,
    body: Body,
    op: fn(&mut Centre, Req) -> Result<Resp, Refusal>,
) -> Response
where
    Req: DeserializeOwned + Send + 'static,
    Resp: Serialize + Send + 'static,
{
    // axum's own refusal is plain text; a phone reads only JSON refusals.
    let body = match body {
        Ok(body) => body,
        Err(rejection) => {
            let status = rejection.status().as_u16();
            let code = if status == 413 {
                "too-large"
            } else {
                "malformed"
            };
            return refusal(Refusal::new(status, code, rejection.body_text()), false);
        }
    };
    let compressed = body.first() == Some(&0x78);
    let request: Req = match parse(&body) {
        Ok(r) => r,
        Err(r) => return refusal(r, compressed),
    };
    let outcome = tokio::task::spawn_blocking(move || {
        let mut centre = state.lock().map_err(|_| {
            Refusal::new(500, "storage", "the centre's store is unusable; restart it")
        })?;
        op(&mut centre, request)
    })
    .await;
    answer(outcome, compressed)
}

async fn enrol(State(state): State<Shared>, body: Body) -> Response {
    handle(state, body, |c, r: wire::EnrolRequest| c.enrol(r)).await
}

async fn push(State(state): State<Shared>, body: Body) -> Response {
    handle(state, body, |c, r: wire::PushRequest| c.push(r)).await
}

async fn pull(State(state): State<Shared>, body: Body) -> Response {
    handle(state, body, |c, r: wire::PullRequest| c.pull(r)).await
}

async fn digest(State(state): State<Shared>, body: Body) -> Response {
    handle(state, body, |c, r: wire::DigestRequest| c.digest(r)).await
}

/// `GET /v1/report` with `Authorization: Bearer <leader token>`: the report of that token's team.
async fn report(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or_default()
        .to_string();
    let outcome = tokio::task::spawn_blocking(move || {
        let centre = state.lock().map_err(|_| {
            Refusal::new(500, "storage", "the centre's store is unusable; restart it")
        })?;
        let team = centre.leader_team(&token)?;
        centre.report(&team, crate::store::now())
    })
    .await;
    answer(outcome, false)
}

/// Serves until `shutdown` resolves.
pub async fn serve(
    centre: Centre,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(centre))
        .with_graceful_shutdown(shutdown)
        .await
}

/// What `gadeplan-centre serve` does: opens the centre's store under `data`, listens on `listen`,
/// tells `listening` the bound address, and serves until Ctrl-C (SIGINT). A SIGKILL instead
/// leaves the store as its last committed transaction left it; the crash suite relies on that.
pub fn serve_until_interrupted(
    data: &Path,
    listen: &str,
    listening: impl FnOnce(SocketAddr),
) -> Result<(), Refusal> {
    let centre = Centre::open(data)?;
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
        serve(centre, listener, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| Refusal::new(500, "serve", e.to_string()))
    })
}

/// A centre serving on a loopback port from a thread of its own: for the demo and the tests,
/// which drive phones synchronously beside it. Stops when dropped.
pub struct RunningCentre {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RunningCentre {
    pub fn start(data: &Path, listen: &str) -> Result<RunningCentre, Refusal> {
        let centre = Centre::open(data)?;
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
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let _ = runtime.block_on(serve(centre, listener, async {
                let _ = stopped.await;
            }));
        });
        Ok(RunningCentre {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
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

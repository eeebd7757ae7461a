//! The centre's connection guard: everything between the listening socket and the router. It owns
//! how many connections are served at once (in all and per source address), how long a client may
//! take to send a request's head or sit idle between requests, how large a head may be, what a
//! refused connection is told, and how serving stops. `axum::serve` leaves all of this open, and a
//! security review showed what that costs: connections trickling header lines were never closed,
//! a few hundred idle sockets used up the process's file descriptors and denied all service, and
//! the refusals hyper makes by itself (400, 414, 431) had empty bodies, where the protocol
//! promises every refusal a JSON `ErrorBody`.
//!
//! So the centre drives hyper's HTTP/1.1 server by hand. The accept loop never waits on a client:
//! a connection over a cap is answered `503 busy` from a task of its own (or, when even those are
//! many, with one non-blocking write) and closed. A served connection holds a slot as an RAII
//! guard, so a connection that fails or panics still gives its slot back.
//!
//! hyper writes its own refusals with no hook for the body, so the connection's socket is wrapped
//! in a writer that rewrites them. It does not guess from the text: the service pushes each
//! request's method into a queue it shares with the writer, and the writer follows the framing of
//! the responses it is given (it reads each head, pops the queue at each final head and passes that
//! response's body through by its content-length). A final head written while the queue is empty
//! answers no request the service saw, so hyper wrote it; only those are rewritten. Once a
//! response's framing cannot be followed (chunked, close-delimited, an upgrade), the writer passes
//! everything through unchanged for the rest of the connection: it never alters a byte of the
//! service's own responses.

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::future::Future;
use std::io::{self, Write as _};
use std::net::{IpAddr, SocketAddr};
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, Response};
use gadeplan_core::sync::wire;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower::ServiceExt;

use crate::store::Refusal;
use crate::tls::Tls;

/// How the centre's connections are bounded. `Default` suits a production centre.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListenerSettings {
    /// Connections served at once, all sources together. Default: the lower of 1024 and the
    /// process's soft `RLIMIT_NOFILE` minus a reserve of 64 for the store's files, the runtime and
    /// the refusals in progress, so that the cap, not the file descriptors, runs out first.
    pub max_connections: usize,
    /// Connections served at once from one source IP address (default 64), so that one address
    /// cannot take every slot. IPv4-mapped IPv6 addresses count as their IPv4 address.
    pub max_connections_per_source: usize,
    /// How long a client may take to send a request's head; also how long an idle keep-alive
    /// connection is kept waiting for its next request (default 10 s).
    pub header_timeout: Duration,
    /// The largest request head accepted, request line included (default 16 KiB). A larger head
    /// is refused with 431. hyper's read buffer cannot be smaller than 8192 bytes; a smaller
    /// limit is still enforced on the head itself.
    pub max_header_bytes: usize,
    /// How long a client may leave an answer unread before its connection is dropped (default
    /// 30 s): one that stops reading a pull answer would otherwise hold its slot, and the answer
    /// in memory, for as long as it likes.
    pub write_timeout: Duration,
    /// How long shutdown waits for connections in flight before it drops them (default 10 s).
    pub shutdown_grace: Duration,
}

impl Default for ListenerSettings {
    fn default() -> Self {
        ListenerSettings {
            max_connections: default_max_connections(),
            max_connections_per_source: 64,
            header_timeout: Duration::from_secs(10),
            max_header_bytes: 16 * 1024,
            write_timeout: Duration::from_secs(30),
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// File descriptors kept out of the connection cap: the store (database, WAL, shared memory,
/// key), the runtime's own, stdio, the listener, and up to `REFUSING_AT_ONCE` refused sockets.
const FD_RESERVE: u64 = 64;
const MAX_CONNECTIONS_CEILING: usize = 1024;
/// Refused connections given a proper goodbye at once; beyond this, a refusal is one
/// non-blocking write and an immediate close, so refusals cannot pile up file descriptors.
const REFUSING_AT_ONCE: usize = 16;
/// How long a refused or rejected client gets to take its answer before the socket is closed.
const GOODBYE_TIME: Duration = Duration::from_secs(1);
/// What is read and dropped after a refusal, so that closing with unread input does not make the
/// kernel send a reset that can destroy the answer before the client reads it.
const GOODBYE_DRAIN_BYTES: usize = 64 * 1024;
const RETRY_AFTER_SECS: u32 = 5;
/// How often a connection checks whether its client stopped reading.
const WRITE_WATCH: Duration = Duration::from_millis(250);
/// The pause after an accept error that is not about one connection (EMFILE, ENFILE, ENOBUFS):
/// the waiting connection stays in the backlog, and retrying at once would only spin.
const ACCEPT_PAUSE: Duration = Duration::from_millis(100);
/// hyper refuses a `max_buf_size` below this.
const HYPER_MIN_BUF: usize = 8192;

fn default_max_connections() -> usize {
    let usable = open_files_limit().saturating_sub(FD_RESERVE);
    usize::try_from(usable)
        .unwrap_or(usize::MAX)
        .clamp(1, MAX_CONNECTIONS_CEILING)
}

/// The soft `RLIMIT_NOFILE`; `u64::MAX` when there is none or it cannot be read.
#[cfg(unix)]
fn open_files_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit only writes the one `rlimit` it is given, which lives on this stack.
    let read = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    if read != 0 || limit.rlim_cur == libc::RLIM_INFINITY {
        return u64::MAX;
    }
    // `rlim_t` is u64 on Linux and the BSDs, but not by definition.
    #[allow(clippy::unnecessary_cast)]
    let soft = limit.rlim_cur as u64;
    soft
}

#[cfg(not(unix))]
fn open_files_limit() -> u64 {
    u64::MAX
}

/// Serves `router` on `listener` until `shutdown` resolves, within the bounds of `settings`.
///
/// Every request reaches the router with the peer's address as `ConnectInfo<SocketAddr>` in its
/// extensions. When `shutdown` resolves, the listener is closed, each connection finishes the
/// request it is serving (idle ones close at once), and after `settings.shutdown_grace` whatever
/// is still running is dropped. Accept errors never end the loop; this returns `Ok(())` once
/// serving has stopped.
///
/// ```no_run
/// # async fn run(router: axum::Router) -> std::io::Result<()> {
/// use gadeplan_centre::listener::{self, ListenerSettings};
///
/// let tcp = tokio::net::TcpListener::bind("127.0.0.1:8470").await?;
/// listener::serve(tcp, router, ListenerSettings::default(), async {
///     let _ = tokio::signal::ctrl_c().await;
/// })
/// .await
/// # }
/// ```
pub async fn serve(
    listener: TcpListener,
    router: Router,
    settings: ListenerSettings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    serve_with_tls(listener, router, settings, None, shutdown).await
}

/// `serve`, speaking HTTPS when `tls` is given: each connection's TLS handshake must finish
/// within the header timeout, and a connection turned away for want of a slot is closed without
/// an answer (a plain-text one would not reach a TLS client; it tries again, as after a drop).
pub async fn serve_with_tls(
    listener: TcpListener,
    router: Router,
    settings: ListenerSettings,
    tls: Option<Arc<Tls>>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let guard = Arc::new(Guard::new(router, &settings, tls));
    let (stop, stopping) = watch::channel(false);
    let mut tasks = JoinSet::new();
    let mut shutdown = pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        match accepted {
            Ok((stream, peer)) => guard.admit(stream, peer, &mut tasks, &stopping),
            Err(e) if is_about_one_connection(&e) => {}
            Err(_) => {
                tokio::select! {
                    biased;
                    () = &mut shutdown => break,
                    () = tokio::time::sleep(ACCEPT_PAUSE) => {}
                }
            }
        }
        // Finished tasks keep their results until collected.
        while tasks.try_join_next().is_some() {}
    }
    drop(listener);
    let _ = stop.send(true);
    let all_done = async { while tasks.join_next().await.is_some() {} };
    if tokio::time::timeout(settings.shutdown_grace, all_done)
        .await
        .is_err()
    {
        tasks.shutdown().await;
    }
    Ok(())
}

fn is_about_one_connection(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused
            | io::ErrorKind::Interrupted
    )
}

/// What every connection of one `serve` shares.
struct Guard {
    router: Router,
    http: http1::Builder,
    tls: Option<Arc<Tls>>,
    header_timeout: Duration,
    write_timeout: Duration,
    slots: Arc<Slots>,
    refusing: Arc<AtomicUsize>,
    max_header_bytes: usize,
    busy_centre: Vec<u8>,
    busy_source: Vec<u8>,
}

/// Why a connection was turned away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Busy {
    Centre,
    Source,
}

impl Guard {
    fn new(router: Router, settings: &ListenerSettings, tls: Option<Arc<Tls>>) -> Guard {
        let mut http = http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(settings.header_timeout)
            .keep_alive(true)
            .max_buf_size(settings.max_header_bytes.max(HYPER_MIN_BUF))
            .max_header_size(settings.max_header_bytes);
        Guard {
            router,
            http,
            tls,
            header_timeout: settings.header_timeout,
            write_timeout: settings.write_timeout,
            slots: Arc::new(Slots::new(
                settings.max_connections,
                settings.max_connections_per_source,
            )),
            refusing: Arc::new(AtomicUsize::new(0)),
            max_header_bytes: settings.max_header_bytes,
            busy_centre: busy_response(
                "the centre is serving as many connections as it can; try again shortly",
            ),
            busy_source: busy_response(
                "too many connections from this address at once; try again shortly",
            ),
        }
    }

    fn admit(
        self: &Arc<Self>,
        stream: TcpStream,
        peer: SocketAddr,
        tasks: &mut JoinSet<()>,
        stopping: &watch::Receiver<bool>,
    ) {
        // Answers are written whole by hyper; Nagle would only delay the last segment of each.
        let _ = stream.set_nodelay(true);
        match (self.slots.take(peer.ip()), &self.tls) {
            (Ok(slot), None) => {
                tasks.spawn(serve_connection(
                    Arc::clone(self),
                    stream,
                    peer,
                    slot,
                    stopping.clone(),
                ));
            }
            (Ok(slot), Some(tls)) => {
                let (guard, stopping) = (Arc::clone(self), stopping.clone());
                let acceptor = tls.acceptor();
                tasks.spawn(async move {
                    let handshake = acceptor.accept(stream);
                    if let Ok(Ok(stream)) =
                        tokio::time::timeout(guard.header_timeout, handshake).await
                    {
                        serve_connection(guard, stream, peer, slot, stopping).await;
                    }
                });
            }
            (Err(_), Some(_)) => drop(stream),
            (Err(busy), None) => self.refuse(stream, busy, tasks),
        }
    }

    fn refuse(self: &Arc<Self>, stream: TcpStream, busy: Busy, tasks: &mut JoinSet<()>) {
        match Counted::take(&self.refusing, REFUSING_AT_ONCE) {
            Some(counted) => {
                let guard = Arc::clone(self);
                tasks.spawn(async move {
                    let _counted = counted;
                    let mut stream = stream;
                    let answer = match busy {
                        Busy::Centre => &guard.busy_centre,
                        Busy::Source => &guard.busy_source,
                    };
                    let wrote = tokio::time::timeout(GOODBYE_TIME, stream.write_all(answer)).await;
                    if matches!(wrote, Ok(Ok(()))) {
                        goodbye(&mut stream).await;
                    }
                });
            }
            None => {
                // A fresh socket's send buffer is empty, so the one write of a few hundred bytes
                // normally goes through whole; if not, the client just sees the close.
                if let Ok(stream) = stream.into_std() {
                    let answer = match busy {
                        Busy::Centre => &self.busy_centre,
                        Busy::Source => &self.busy_source,
                    };
                    let _ = (&stream).write(answer);
                }
            }
        }
    }
}

async fn serve_connection<S>(
    guard: Arc<Guard>,
    mut stream: S,
    peer: SocketAddr,
    _slot: Slot,
    mut stopping: watch::Receiver<bool>,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let exchange = Arc::new(Exchange::default());
    {
        // Borrowed, not moved, so that the socket outlives hyper for the goodbye below.
        let io = TokioIo::new(RefusalWriter::new(
            &mut stream,
            Arc::clone(&exchange),
            guard.max_header_bytes,
        ));
        let service = ConnService {
            router: guard.router.clone(),
            peer,
            exchange: Arc::clone(&exchange),
        };
        let mut conn = pin!(guard.http.serve_connection(io, service));
        // hyper has no write timeout: a client that stops reading is noticed here.
        let unread = async {
            loop {
                tokio::time::sleep(WRITE_WATCH).await;
                if exchange.stalled_longer_than(guard.write_timeout) {
                    break;
                }
            }
        };
        tokio::select! {
            _ = conn.as_mut() => {}
            () = unread => {}
            () = async { let _ = stopping.wait_for(|stop| *stop).await; } => {
                conn.as_mut().graceful_shutdown();
                let _ = conn.await;
            }
        }
    }
    // hyper closes at once after its own refusal, often with the rest of a too-large head unread.
    if exchange.refused.load(Ordering::Relaxed) {
        goodbye(&mut stream).await;
    }
}

/// Closes our side and reads what the client still sends for a moment, so that the answer
/// already written reaches the client instead of being destroyed by a reset.
async fn goodbye<S: AsyncRead + AsyncWrite + Unpin>(stream: &mut S) {
    let _ = tokio::time::timeout(GOODBYE_TIME, async {
        let _ = stream.shutdown().await;
        let mut sink = [0u8; 4096];
        let mut drained = 0;
        while drained < GOODBYE_DRAIN_BYTES {
            match stream.read(&mut sink).await {
                Ok(0) | Err(_) => break,
                Ok(n) => drained += n,
            }
        }
    })
    .await;
}

/// A refusal's JSON body in the shape of protocol version 1: made before any request is read, it
/// must suit the oldest phone still answered (version 2's phones read it too).
fn error_json(refusal: &Refusal) -> Vec<u8> {
    serde_json::to_vec(&refusal.body(wire::MIN_PROTOCOL)).expect("an ErrorBody serialises")
}

fn busy_response(message: &str) -> Vec<u8> {
    let body = error_json(&Refusal::new(503, "busy", message));
    let mut response = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nretry-after: {RETRY_AFTER_SECS}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(&body);
    response
}

/// The connections being served, in all and per source address.
struct Slots {
    max_total: usize,
    max_per_source: usize,
    taken: Mutex<Taken>,
}

#[derive(Default)]
struct Taken {
    total: usize,
    per_source: HashMap<IpAddr, usize>,
}

impl Slots {
    fn new(max_total: usize, max_per_source: usize) -> Slots {
        Slots {
            max_total,
            max_per_source,
            taken: Mutex::new(Taken::default()),
        }
    }

    fn take(self: &Arc<Self>, ip: IpAddr) -> Result<Slot, Busy> {
        let ip = ip.to_canonical();
        // Never held across anything that can panic, so a poisoned lock still holds good counts.
        let mut taken = self.taken.lock().unwrap_or_else(PoisonError::into_inner);
        if taken.total >= self.max_total {
            return Err(Busy::Centre);
        }
        let from_source = taken.per_source.entry(ip).or_insert(0);
        if *from_source >= self.max_per_source {
            if *from_source == 0 {
                taken.per_source.remove(&ip);
            }
            return Err(Busy::Source);
        }
        *from_source += 1;
        taken.total += 1;
        Ok(Slot {
            slots: Arc::clone(self),
            ip,
        })
    }
}

/// A served connection's place under both caps, given back when the connection's task ends in
/// any way (finished, failed, panicked or aborted).
struct Slot {
    slots: Arc<Slots>,
    ip: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut taken = self
            .slots
            .taken
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        taken.total -= 1;
        if let Some(from_source) = taken.per_source.get_mut(&self.ip) {
            *from_source -= 1;
            if *from_source == 0 {
                taken.per_source.remove(&self.ip);
            }
        }
    }
}

/// One place in a plain counter, given back on drop.
struct Counted(Arc<AtomicUsize>);

impl Counted {
    fn take(counter: &Arc<AtomicUsize>, max: usize) -> Option<Counted> {
        counter
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < max).then_some(n + 1)
            })
            .ok()
            .map(|_| Counted(Arc::clone(counter)))
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// What one connection's service tells its writer.
#[derive(Debug, Default)]
struct Exchange {
    /// The method of each request handed to the service whose response head the writer has not
    /// seen yet, oldest first.
    methods: Mutex<VecDeque<Method>>,
    /// The writer rewrote one of hyper's refusals; hyper closes the connection after it.
    refused: AtomicBool,
    /// Since when the socket has taken none of the output waiting for it, if it is waiting.
    stalled_since: Mutex<Option<std::time::Instant>>,
}

impl Exchange {
    fn push(&self, method: Method) {
        self.methods
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push_back(method);
    }

    fn pop(&self) -> Option<Method> {
        self.methods
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop_front()
    }

    /// Notes whether the socket took output just now (`moved`) or made the writer wait.
    fn note_write(&self, moved: bool) {
        let mut since = self
            .stalled_since
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if moved {
            *since = None;
        } else if since.is_none() {
            *since = Some(std::time::Instant::now());
        }
    }

    fn stalled_longer_than(&self, limit: Duration) -> bool {
        self.stalled_since
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some_and(|since| since.elapsed() > limit)
    }
}

/// The router as one connection's hyper service: notes each request's method for the writer and
/// gives the handlers the peer's address.
#[derive(Clone)]
struct ConnService {
    router: Router,
    peer: SocketAddr,
    exchange: Arc<Exchange>,
}

impl hyper::service::Service<Request<Incoming>> for ConnService {
    type Response = Response<axum::body::Body>;
    type Error = Infallible;
    type Future = tower::util::Oneshot<Router, Request<Incoming>>;

    fn call(&self, mut request: Request<Incoming>) -> Self::Future {
        // hyper calls the service once per request, after the head is parsed and before the
        // response's head can be written, so the writer always finds the method in time.
        self.exchange.push(request.method().clone());
        request.extensions_mut().insert(ConnectInfo(self.peer));
        self.router.clone().oneshot(request)
    }
}

/// The most bytes accepted from hyper but not yet taken by the socket; past it, writes wait.
const PENDING_LIMIT: usize = 64 * 1024;
/// A response head longer than this is not followed: hyper's own are under 200 bytes.
const MAX_RESPONSE_HEAD: usize = 64 * 1024;
/// Response headers parsed at most; more means a head the writer does not follow.
const MAX_RESPONSE_HEADERS: usize = 64;

/// The connection's socket as hyper sees it: reads pass straight through, writes go through a
/// `Rewriter` and a buffer of output the socket has not taken yet.
struct RefusalWriter<S> {
    inner: S,
    rewriter: Rewriter,
    pending: Vec<u8>,
    /// How much of `pending` the socket has taken.
    sent: usize,
}

impl<S> RefusalWriter<S> {
    fn new(inner: S, exchange: Arc<Exchange>, max_header_bytes: usize) -> Self {
        RefusalWriter {
            inner,
            rewriter: Rewriter::new(exchange, max_header_bytes),
            pending: Vec::new(),
            sent: 0,
        }
    }
}

impl<S: AsyncWrite + Unpin> RefusalWriter<S> {
    fn poll_drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.sent < self.pending.len() {
            let written = Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.sent..]);
            self.rewriter.exchange.note_write(written.is_ready());
            let n = ready!(written)?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.sent += n;
        }
        self.pending.clear();
        self.sent = 0;
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for RefusalWriter<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for RefusalWriter<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if let Poll::Ready(Err(e)) = this.poll_drain(cx) {
            return Poll::Ready(Err(e));
        }
        let waiting = this.pending.len() - this.sent;
        let room = PENDING_LIMIT.saturating_sub(waiting);
        if room == 0 {
            // Only reached when the drain above was pending, so the socket will wake us.
            return Poll::Pending;
        }
        if this.sent > 0 {
            this.pending.drain(..this.sent);
            this.sent = 0;
        }
        let n = buf.len().min(room);
        this.rewriter.feed(&buf[..n], &mut this.pending);
        // An error here comes back from the next write or flush, which drain again.
        let _ = this.poll_drain(cx);
        Poll::Ready(Ok(n))
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        ready!(this.poll_drain(cx))?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        this.rewriter.finish(&mut this.pending);
        ready!(this.poll_drain(cx))?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

/// Where the writer is in the stream of responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    /// At (or inside) a response head, held back until it is complete.
    Head,
    /// Inside a body of a known length: this many bytes pass unchanged.
    Body(u64),
    /// Framing no longer followed: everything passes unchanged.
    Through,
}

/// Follows the responses written on one connection and turns hyper's own refusals into JSON
/// refusals; every other byte passes unchanged and in order.
#[derive(Debug)]
struct Rewriter {
    exchange: Arc<Exchange>,
    max_header_bytes: usize,
    framing: Framing,
    head: Vec<u8>,
}

impl Rewriter {
    fn new(exchange: Arc<Exchange>, max_header_bytes: usize) -> Self {
        Rewriter {
            exchange,
            max_header_bytes,
            framing: Framing::Head,
            head: Vec::new(),
        }
    }

    /// Takes `input`, whole, and appends what is to be sent to `out`; a head not yet complete is
    /// held back until the rest of it arrives.
    fn feed(&mut self, mut input: &[u8], out: &mut Vec<u8>) {
        while !input.is_empty() {
            match self.framing {
                Framing::Through => {
                    out.extend_from_slice(input);
                    return;
                }
                Framing::Body(left) => {
                    let n = usize::try_from(left).map_or(input.len(), |left| left.min(input.len()));
                    out.extend_from_slice(&input[..n]);
                    input = &input[n..];
                    let left = left - n as u64;
                    self.framing = if left == 0 {
                        Framing::Head
                    } else {
                        Framing::Body(left)
                    };
                }
                Framing::Head => {
                    let (taken, complete) = self.take_head(input);
                    input = &input[taken..];
                    if complete {
                        self.on_head(out);
                    } else if self.head.len() > MAX_RESPONSE_HEAD {
                        out.append(&mut self.head);
                        self.framing = Framing::Through;
                    }
                }
            }
        }
    }

    /// Releases a head still held back, unchanged: the connection is closing.
    fn finish(&mut self, out: &mut Vec<u8>) {
        out.append(&mut self.head);
    }

    /// Moves bytes from `input` into the held head up to its end; returns how many it took and
    /// whether the head is now complete.
    fn take_head(&mut self, input: &[u8]) -> (usize, bool) {
        for (i, &byte) in input.iter().enumerate() {
            self.head.push(byte);
            if byte == b'\n' && self.head.ends_with(b"\r\n\r\n") {
                return (i + 1, true);
            }
            if self.head.len() > MAX_RESPONSE_HEAD {
                return (i + 1, false);
            }
        }
        (input.len(), false)
    }

    fn on_head(&mut self, out: &mut Vec<u8>) {
        let head = std::mem::take(&mut self.head);
        let mut headers = [httparse::EMPTY_HEADER; MAX_RESPONSE_HEADERS];
        let mut response = httparse::Response::new(&mut headers);
        let parsed =
            matches!(response.parse(&head), Ok(httparse::Status::Complete(n)) if n == head.len());
        let (true, Some(code), Some(version)) = (parsed, response.code, response.version) else {
            out.extend_from_slice(&head);
            self.framing = Framing::Through;
            return;
        };
        if (100..200).contains(&code) {
            // Interim answers (hyper's own 100 Continue) come before a request's final answer.
            out.extend_from_slice(&head);
            self.framing = if code == 101 {
                Framing::Through
            } else {
                Framing::Head
            };
            return;
        }
        let method = self.exchange.pop();
        let framing = body_framing(method.as_ref(), code, response.headers);
        if method.is_none() && framing == Framing::Head {
            let date = response
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case("date"))
                .map(|h| h.value);
            let reason = response.reason.unwrap_or("");
            if let Some(refusal) = self.own_refusal(code, version, reason, date) {
                out.extend_from_slice(&refusal);
                self.exchange.refused.store(true, Ordering::Relaxed);
                // hyper closes the connection after its refusal; nothing else is expected.
                self.framing = Framing::Through;
                return;
            }
        }
        out.extend_from_slice(&head);
        self.framing = framing;
    }

    /// The JSON version of one of hyper's bodiless refusals (`Server::on_error` in hyper's
    /// `proto/h1/role.rs`), or `None` for any other status.
    fn own_refusal(
        &self,
        code: u16,
        version: u8,
        reason: &str,
        date: Option<&[u8]>,
    ) -> Option<Vec<u8>> {
        let refusal = match code {
            400 => Refusal::new(400, "malformed", "the request is not valid HTTP/1.1"),
            414 => Refusal::new(414, "malformed", "the request's target is too long"),
            431 => Refusal::new(
                431,
                "too-large",
                format!(
                    "the request's head is larger than {} bytes",
                    self.max_header_bytes
                ),
            ),
            _ => return None,
        };
        let body = error_json(&refusal);
        let mut answer = format!(
            "HTTP/1.{version} {code} {reason}\r\ncontent-type: application/json\r\n\
             content-length: {}\r\nconnection: close\r\n",
            body.len()
        )
        .into_bytes();
        if let Some(date) = date {
            answer.extend_from_slice(b"date: ");
            answer.extend_from_slice(date);
            answer.extend_from_slice(b"\r\n");
        }
        answer.extend_from_slice(b"\r\n");
        answer.extend_from_slice(&body);
        Some(answer)
    }
}

/// How the body after a final response head is delimited, as RFC 9112 section 6.3 has it for a
/// response to `method` (`None`: a response to no request, which hyper sends without a body).
fn body_framing(method: Option<&Method>, code: u16, headers: &[httparse::Header<'_>]) -> Framing {
    if method == Some(&Method::HEAD) || code == 204 || code == 304 {
        return Framing::Head;
    }
    if method == Some(&Method::CONNECT) && (200..300).contains(&code) {
        return Framing::Through;
    }
    let mut length = None;
    for header in headers {
        if header.name.eq_ignore_ascii_case("transfer-encoding") {
            return Framing::Through;
        }
        if header.name.eq_ignore_ascii_case("content-length") {
            let value = std::str::from_utf8(header.value)
                .ok()
                .map(str::trim)
                .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|v| v.parse::<u64>().ok());
            match (value, length) {
                (None, _) => return Framing::Through,
                (Some(n), Some(before)) if n != before => return Framing::Through,
                (Some(n), _) => length = Some(n),
            }
        }
    }
    match length {
        Some(0) => Framing::Head,
        Some(n) => Framing::Body(n),
        // Delimited by the close of the connection.
        None => Framing::Through,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATE: &str = "date: Tue, 05 May 2026 10:00:00 GMT\r\n";

    fn exchange(methods: &[Method]) -> Arc<Exchange> {
        let exchange = Arc::new(Exchange::default());
        for m in methods {
            exchange.push(m.clone());
        }
        exchange
    }

    /// Runs `input` through a rewriter one byte at a time and whole; both must agree.
    fn rewrite(methods: &[Method], input: &[u8]) -> (Vec<u8>, bool) {
        let whole = exchange(methods);
        let mut rewriter = Rewriter::new(Arc::clone(&whole), 16384);
        let mut at_once = Vec::new();
        rewriter.feed(input, &mut at_once);
        rewriter.finish(&mut at_once);

        let bytewise = exchange(methods);
        let mut rewriter = Rewriter::new(Arc::clone(&bytewise), 16384);
        let mut one_by_one = Vec::new();
        for byte in input {
            rewriter.feed(std::slice::from_ref(byte), &mut one_by_one);
        }
        rewriter.finish(&mut one_by_one);
        assert_eq!(
            String::from_utf8_lossy(&at_once),
            String::from_utf8_lossy(&one_by_one)
        );
        let refused = whole.refused.load(Ordering::Relaxed);
        assert_eq!(refused, bytewise.refused.load(Ordering::Relaxed));
        (at_once, refused)
    }

    fn hyper_refusal(status: &str) -> String {
        format!("HTTP/1.1 {status}\r\ncontent-length: 0\r\n{DATE}\r\n")
    }

    fn json_of(answer: &[u8]) -> (String, gadeplan_core::sync::wire::ErrorBody) {
        let text = String::from_utf8(answer.to_vec()).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length: "))
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(length, body.len(), "{text}");
        (head.to_string(), serde_json::from_str(body).unwrap())
    }

    /// A body that looks like one of hyper's refusals must pass as it is.
    const TRAP: &str = "HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n";

    #[test]
    fn the_service_s_responses_pass_unchanged_and_hyper_s_refusal_is_rewritten() {
        let service = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: {len}\r\n{DATE}\r\n{TRAP}\
             HTTP/1.1 100 Continue\r\n\r\n\
             HTTP/1.1 200 OK\r\ncontent-length: {len}\r\n{DATE}\r\n{TRAP}\
             HTTP/1.1 200 OK\r\ncontent-length: {len}\r\n{DATE}\r\n\
             HTTP/1.1 204 No Content\r\n{DATE}\r\n\
             HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n{DATE}\r\n",
            len = TRAP.len()
        );
        let input = format!("{service}{}", hyper_refusal("400 Bad Request"));
        let methods = [
            Method::GET,
            Method::POST,
            Method::HEAD,
            Method::DELETE,
            Method::GET,
        ];
        let (out, refused) = rewrite(&methods, input.as_bytes());
        assert!(refused);
        assert!(out.starts_with(service.as_bytes()));
        let (head, body) = json_of(&out[service.len()..]);
        assert!(head.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{head}");
        assert!(head.contains("content-type: application/json\r\n"));
        assert!(head.contains("connection: close\r\n"));
        assert!(head.contains(DATE.trim_end()));
        assert_eq!(body.error, "malformed");
        assert_eq!(body.protocol, wire::MIN_PROTOCOL);
    }

    #[test]
    fn too_large_and_too_long_heads_get_their_codes() {
        let (out, _) = rewrite(
            &[],
            hyper_refusal("431 Request Header Fields Too Large").as_bytes(),
        );
        let (head, body) = json_of(&out);
        assert!(head.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
        assert_eq!(body.error, "too-large");
        assert!(body.message.contains("16384"), "{}", body.message);

        let (out, _) = rewrite(&[], hyper_refusal("414 URI Too Long").as_bytes());
        let (head, body) = json_of(&out);
        assert!(head.starts_with("HTTP/1.1 414 URI Too Long\r\n"));
        assert_eq!(body.error, "malformed");
    }

    #[test]
    fn a_head_with_an_empty_queue_but_another_status_passes_unchanged() {
        let input = hyper_refusal("500 Internal Server Error") + &hyper_refusal("400 Bad Request");
        let (out, refused) = rewrite(&[], input.as_bytes());
        assert!(
            refused,
            "the 500 kept the framing, so the 400 after it is still known"
        );
        assert!(out.starts_with(hyper_refusal("500 Internal Server Error").as_bytes()));
    }

    #[test]
    fn a_service_refusal_with_the_same_status_is_not_touched() {
        // The service's own 400 (with a queue entry) is the service's business.
        let input = hyper_refusal("400 Bad Request");
        let (out, refused) = rewrite(&[Method::POST], input.as_bytes());
        assert!(!refused);
        assert_eq!(out, input.as_bytes());
    }

    #[test]
    fn after_a_chunked_or_close_delimited_response_everything_passes() {
        for service in [
            format!(
                "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n{DATE}\r\n5\r\nhello\r\n0\r\n\r\n"
            ),
            format!("HTTP/1.0 200 OK\r\n{DATE}\r\nuntil the end"),
            "HTTP/1.1 200 OK\r\ncontent-length: 3\r\ncontent-length: 4\r\n\r\nabcd".to_string(),
            "HTTP/1.1 101 Switching Protocols\r\nupgrade: x\r\n\r\n".to_string(),
        ] {
            let input = service.clone() + &hyper_refusal("400 Bad Request");
            let (out, refused) = rewrite(&[Method::GET], input.as_bytes());
            assert!(!refused, "{service}");
            assert_eq!(out, input.as_bytes());
        }
    }

    #[test]
    fn garbage_and_unfinished_heads_pass_unchanged() {
        let (out, refused) = rewrite(&[], b"NOT HTTP AT ALL\r\n\r\nmore");
        assert!(!refused);
        assert_eq!(out, b"NOT HTTP AT ALL\r\n\r\nmore");
        let (out, _) = rewrite(&[], b"HTTP/1.1 400 Bad Request\r\ncontent-len");
        assert_eq!(out, b"HTTP/1.1 400 Bad Request\r\ncontent-len");
    }

    /// A socket that takes at most one byte per write and is not ready every other time.
    #[derive(Default)]
    struct Trickle {
        taken: Vec<u8>,
        ready: bool,
    }

    impl AsyncWrite for Trickle {
        fn poll_write(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            buf: &[u8],
        ) -> Poll<io::Result<usize>> {
            self.ready = !self.ready;
            if !self.ready || buf.is_empty() {
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            self.taken.push(buf[0]);
            Poll::Ready(Ok(1))
        }

        fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }

        fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }
    }

    #[test]
    fn the_writer_survives_partial_writes_and_split_heads() {
        let service = format!(
            "HTTP/1.1 200 OK\r\ncontent-length: {len}\r\n{DATE}\r\n{TRAP}",
            len = TRAP.len()
        );
        let input = service.clone() + &hyper_refusal("431 Request Header Fields Too Large");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let mut writer = RefusalWriter::new(Trickle::default(), exchange(&[Method::GET]), 16384);
        runtime.block_on(async {
            for piece in input.as_bytes().chunks(7) {
                writer.write_all(piece).await.unwrap();
            }
            writer.flush().await.unwrap();
            writer.shutdown().await.unwrap();
        });
        let out = writer.inner.taken;
        assert!(out.starts_with(service.as_bytes()));
        let (head, body) = json_of(&out[service.len()..]);
        assert!(head.starts_with("HTTP/1.1 431 "));
        assert_eq!(body.error, "too-large");
    }

    #[test]
    fn writes_wait_once_the_socket_is_far_behind() {
        struct Stuck;
        impl AsyncWrite for Stuck {
            fn poll_write(
                self: Pin<&mut Self>,
                _: &mut Context<'_>,
                _: &[u8],
            ) -> Poll<io::Result<usize>> {
                Poll::Pending
            }
            fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
                Poll::Pending
            }
            fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
                Poll::Pending
            }
        }
        let mut writer = RefusalWriter::new(Stuck, exchange(&[]), 16384);
        let body = vec![b'x'; 3 * PENDING_LIMIT];
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let mut accepted = 0;
        for _ in 0..10 {
            match Pin::new(&mut writer).poll_write(&mut cx, &body[accepted..]) {
                Poll::Ready(Ok(n)) => accepted += n,
                Poll::Ready(Err(e)) => panic!("{e}"),
                Poll::Pending => break,
            }
        }
        assert!(accepted <= PENDING_LIMIT + MAX_RESPONSE_HEAD, "{accepted}");
    }

    #[test]
    fn slots_count_per_source_and_come_back_on_drop() {
        let slots = Arc::new(Slots::new(3, 2));
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        let mapped: IpAddr = "::ffff:127.0.0.1".parse().unwrap();
        let b: IpAddr = "127.0.0.2".parse().unwrap();
        let first = slots.take(a).unwrap();
        let _second = slots.take(mapped).unwrap();
        assert_eq!(slots.take(a).err(), Some(Busy::Source));
        let _third = slots.take(b).unwrap();
        assert_eq!(slots.take(b).err(), Some(Busy::Centre));
        drop(first);
        assert!(slots.take(a).is_ok());
        let taken = slots.taken.lock().unwrap();
        assert_eq!(taken.total, 2);
        assert_eq!(taken.per_source.len(), 2);
    }

    #[test]
    fn a_panicking_holder_gives_its_slot_back() {
        let slots = Arc::new(Slots::new(1, 1));
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        let held = slots.take(ip).unwrap();
        let _ = std::thread::spawn(move || {
            let _held = held;
            panic!("a connection failed");
        })
        .join();
        assert!(slots.take(ip).is_ok());
    }

    #[test]
    fn the_default_cap_stays_within_the_file_limit() {
        let settings = ListenerSettings::default();
        assert!(settings.max_connections >= 1);
        assert!(settings.max_connections <= MAX_CONNECTIONS_CEILING);
        let limit = open_files_limit();
        if limit < MAX_CONNECTIONS_CEILING as u64 + FD_RESERVE {
            assert!((settings.max_connections as u64) <= limit.saturating_sub(FD_RESERVE).max(1));
        }
    }
}

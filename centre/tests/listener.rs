//! The connection guard (`gadeplan_centre::listener`) against real sockets: a small router of our
//! own served on 127.0.0.1, and raw blocking clients that send exactly the bytes each case needs.
//! Every client read has a timeout, so no test can hang; bounds are generous (a connection "closed
//! within 5 s" for a 300 ms header timeout), so the tests check behaviour, not speed.

use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::ConnectInfo;
use axum::routing::{get, post};
use gadeplan_centre::listener::{self, ListenerSettings};
use gadeplan_core::sync::wire::{ErrorBody, MIN_PROTOCOL};

/// What GET /get answers: a body that looks like one of hyper's own refusals, which the guard must
/// pass through untouched.
const TRAP: &str = "HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n";
const CLIENT_PATIENCE: Duration = Duration::from_secs(5);

fn router(started: mpsc::Sender<&'static str>) -> Router {
    let slow_started = started.clone();
    Router::new()
        .route("/get", get(|| async { TRAP }))
        .route("/echo", post(|body: Bytes| async move { body }))
        .route("/panic", get(panics))
        .route(
            "/peer",
            get(|ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.to_string() }),
        )
        .route(
            "/slow",
            get(move || async move {
                let _ = slow_started.send("slow");
                tokio::time::sleep(Duration::from_millis(500)).await;
                "slow done"
            }),
        )
        .route("/big", get(|| async { vec![b'x'; 16 * 1024 * 1024] }))
        .route(
            "/forever",
            get(move || async move {
                let _ = started.send("forever");
                tokio::time::sleep(Duration::from_secs(3600)).await;
                "never"
            }),
        )
}

async fn panics() -> &'static str {
    panic!("a handler failed (this panic is part of the test)")
}

/// The settings of most tests: a short header timeout, the rest as in production.
fn settings() -> ListenerSettings {
    ListenerSettings {
        header_timeout: Duration::from_millis(300),
        shutdown_grace: Duration::from_secs(5),
        ..ListenerSettings::default()
    }
}

/// Settings under which idle connections stay open for the whole test.
fn patient(settings: ListenerSettings) -> ListenerSettings {
    ListenerSettings {
        header_timeout: Duration::from_secs(30),
        ..settings
    }
}

/// `listener::serve` on a runtime of its own, on a thread of its own.
struct Server {
    addr: SocketAddr,
    started: mpsc::Receiver<&'static str>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<thread::JoinHandle<std::io::Result<()>>>,
}

fn start(settings: ListenerSettings) -> Server {
    let (started_tx, started) = mpsc::channel();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let tcp = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = tcp.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = thread::spawn(move || {
        runtime.block_on(listener::serve(tcp, router(started_tx), settings, async {
            let _ = stopped.await;
        }))
    });
    Server {
        addr,
        started,
        stop: Some(stop),
        thread: Some(thread),
    }
}

impl Server {
    fn signal_stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    /// Stops the server and returns what `serve` returned, failing if that takes over 5 s.
    fn stop(mut self) -> std::io::Result<()> {
        self.signal_stop();
        let thread = self.thread.take().unwrap();
        let (done_tx, done) = mpsc::channel();
        thread::spawn(move || {
            let _ = done_tx.send(thread.join().expect("serve panicked"));
        });
        done.recv_timeout(CLIENT_PATIENCE)
            .expect("serve did not return within 5 s of the shutdown signal")
    }

    fn wait_started(&self, which: &str) {
        let got = self
            .started
            .recv_timeout(CLIENT_PATIENCE)
            .expect("the handler did not start");
        assert_eq!(got, which);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.signal_stop();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One response as read off the wire.
#[derive(Debug)]
struct Answer {
    raw: Vec<u8>,
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap()
    }

    /// The JSON refusal in the body, checked against its headers.
    fn refusal(&self) -> ErrorBody {
        assert_eq!(
            self.header("content-type"),
            Some("application/json"),
            "{self:?}"
        );
        assert_eq!(self.header("connection"), Some("close"), "{self:?}");
        let body: ErrorBody = serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not an ErrorBody ({e}): {}", self.text()));
        // Nothing of the request is known, so the refusal speaks the oldest version still answered.
        assert_eq!(body.protocol, MIN_PROTOCOL);
        assert!(!body.message.is_empty());
        body
    }
}

struct Client {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Client {
    fn connect(addr: SocketAddr) -> Client {
        Client::over(TcpStream::connect(addr).unwrap())
    }

    /// A client whose connection comes from `source` (any 127.x.y.z address reaches 127.0.0.1 on
    /// Linux), to stand for another machine.
    fn connect_from(source: IpAddr, addr: SocketAddr) -> Client {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .unwrap();
        let stream = runtime.block_on(async {
            let socket = tokio::net::TcpSocket::new_v4()?;
            socket.bind(SocketAddr::new(source, 0))?;
            let stream = socket.connect(addr).await?;
            stream.into_std()
        });
        let stream = stream.unwrap_or_else(|e| panic!("cannot connect from {source}: {e}"));
        stream.set_nonblocking(false).unwrap();
        Client::over(stream)
    }

    fn over(stream: TcpStream) -> Client {
        stream.set_read_timeout(Some(CLIENT_PATIENCE)).unwrap();
        stream.set_write_timeout(Some(CLIENT_PATIENCE)).unwrap();
        Client {
            stream,
            buf: Vec::new(),
        }
    }

    fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).unwrap();
    }

    fn get(&mut self, path: &str) -> Answer {
        self.send(format!("GET {path} HTTP/1.1\r\nhost: centre\r\n\r\n").as_bytes());
        self.answer()
    }

    /// Reads more into the buffer; false at the end of the stream.
    fn fill(&mut self) -> bool {
        let mut chunk = [0u8; 4096];
        match self.stream.read(&mut chunk) {
            Ok(0) => false,
            Ok(n) => {
                self.buf.extend_from_slice(&chunk[..n]);
                true
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                panic!(
                    "no answer within 5 s; so far: {:?}",
                    String::from_utf8_lossy(&self.buf)
                )
            }
            Err(e) => panic!(
                "reading failed ({e}); so far: {:?}",
                String::from_utf8_lossy(&self.buf)
            ),
        }
    }

    /// The next response; a response to HEAD has no body whatever its content-length says.
    fn answer_to(&mut self, head_request: bool) -> Answer {
        let end = loop {
            if let Some(at) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            assert!(self.fill(), "closed in the middle of a head");
        };
        let head = String::from_utf8(self.buf[..end].to_vec()).unwrap();
        let mut lines = head.split("\r\n");
        let status: u16 = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers: Vec<(String, String)> = lines
            .filter(|l| !l.is_empty())
            .map(|l| {
                let (name, value) = l.split_once(": ").unwrap();
                (name.to_string(), value.to_string())
            })
            .collect();
        let length = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .map_or(0, |(_, v)| v.parse::<usize>().unwrap());
        let no_body = head_request || (100..200).contains(&status) || status == 204;
        let total = end + if no_body { 0 } else { length };
        while self.buf.len() < total {
            assert!(self.fill(), "closed in the middle of a body");
        }
        let raw: Vec<u8> = self.buf.drain(..total).collect();
        Answer {
            body: raw[end..].to_vec(),
            raw,
            status,
            headers,
        }
    }

    fn answer(&mut self) -> Answer {
        self.answer_to(false)
    }

    /// Waits for the server to close the connection and returns what came before the close.
    /// A reset counts as a close: the server may close with our bytes unread.
    fn closed(&mut self) -> Vec<u8> {
        let mut chunk = [0u8; 4096];
        loop {
            match self.stream.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => self.buf.extend_from_slice(&chunk[..n]),
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    panic!("the connection was not closed within 5 s")
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted
                    ) =>
                {
                    break;
                }
                Err(e) => panic!("reading failed: {e}"),
            }
        }
        std::mem::take(&mut self.buf)
    }
}

/// Retries `attempt` until it answers 200, for at most 5 s.
fn served_eventually(mut attempt: impl FnMut() -> Answer) -> Answer {
    let deadline = Instant::now() + CLIENT_PATIENCE;
    loop {
        let answer = attempt();
        if answer.status == 200 || Instant::now() > deadline {
            return answer;
        }
        thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_head_trickled_slowly_is_closed_after_the_header_timeout() {
    let server = start(settings());
    let mut client = Client::connect(server.addr);
    client.send(b"GET /get HTTP/1.1\r\nhost: centre\r\n");
    let mut writer = client.stream.try_clone().unwrap();
    // One header line every 100 ms: each arrives well within any per-read timeout, but the head
    // as a whole never ends.
    let trickler = thread::spawn(move || {
        for line in 0..50 {
            if writer
                .write_all(format!("x-trickle-{line}: .\r\n").as_bytes())
                .is_err()
            {
                return;
            }
            thread::sleep(Duration::from_millis(100));
        }
    });
    let before_close = client.closed();
    assert!(
        before_close.is_empty(),
        "no answer to a head never finished: {:?}",
        String::from_utf8_lossy(&before_close)
    );
    trickler.join().unwrap();
}

#[test]
fn a_connection_that_sends_nothing_is_closed_after_the_header_timeout() {
    let server = start(settings());
    let mut client = Client::connect(server.addr);
    assert!(client.closed().is_empty());
}

#[test]
fn an_idle_keep_alive_connection_is_closed_after_the_header_timeout() {
    let server = start(settings());
    let mut client = Client::connect(server.addr);
    // Back to back, the connection is kept for the next request...
    assert_eq!(client.get("/get").status, 200);
    assert_eq!(client.get("/get").status, 200);
    // ...but not for long when none comes.
    assert!(client.closed().is_empty());
}

fn assert_busy(answer: &Answer) {
    assert_eq!(answer.status, 503, "{answer:?}");
    let retry: u32 = answer
        .header("retry-after")
        .expect("a Retry-After header")
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry));
    assert_eq!(answer.refusal().error, "busy");
}

#[test]
fn the_global_cap_answers_busy_while_the_others_are_served() {
    let server = start(patient(ListenerSettings {
        max_connections: 2,
        ..settings()
    }));
    let mut first = Client::connect(server.addr);
    assert_eq!(first.get("/get").status, 200);
    let mut second = Client::connect(server.addr);
    assert_eq!(second.get("/get").status, 200);

    let mut third = Client::connect(server.addr);
    let refused = third.get("/get");
    assert_busy(&refused);
    assert!(third.closed().is_empty(), "closed right after the 503");

    // The two served connections go on being served.
    assert_eq!(first.get("/get").status, 200);
    assert_eq!(second.get("/get").status, 200);

    // A slot frees when a connection closes.
    drop(second);
    let answer = served_eventually(|| Client::connect(server.addr).get("/get"));
    assert_eq!(answer.status, 200, "{answer:?}");
}

#[test]
fn a_client_that_stops_reading_an_answer_is_dropped_and_frees_its_slot() {
    let server = start(patient(ListenerSettings {
        max_connections: 1,
        write_timeout: Duration::from_millis(300),
        ..settings()
    }));
    // Asks for 16 MiB and never reads it: the socket buffers fill and the server's writes wait.
    let mut stalled = Client::connect(server.addr);
    stalled.send(b"GET /big HTTP/1.1\r\nhost: centre\r\n\r\n");
    thread::sleep(Duration::from_millis(100));
    assert_busy(&Client::connect(server.addr).get("/get"));
    // Within the write timeout (and the watch's period) the slot is free again.
    let answer = served_eventually(|| Client::connect(server.addr).get("/get"));
    assert_eq!(answer.status, 200, "{answer:?}");
}

#[test]
fn a_connection_whose_handler_panics_gives_its_slot_back() {
    let server = start(patient(ListenerSettings {
        max_connections: 1,
        ..settings()
    }));
    let mut failing = Client::connect(server.addr);
    failing.send(b"GET /panic HTTP/1.1\r\nhost: centre\r\n\r\n");
    assert!(failing.closed().is_empty());
    let answer = served_eventually(|| Client::connect(server.addr).get("/get"));
    assert_eq!(answer.status, 200, "{answer:?}");
}

#[test]
fn the_per_source_cap_answers_busy_while_other_sources_are_served() {
    let server = start(patient(ListenerSettings {
        max_connections: 100,
        max_connections_per_source: 2,
        ..settings()
    }));
    let here: IpAddr = "127.0.0.1".parse().unwrap();
    let elsewhere: IpAddr = "127.0.0.2".parse().unwrap();
    let mut first = Client::connect_from(here, server.addr);
    assert_eq!(first.get("/get").status, 200);
    let mut second = Client::connect_from(here, server.addr);
    assert_eq!(second.get("/get").status, 200);

    let mut third = Client::connect_from(here, server.addr);
    assert_busy(&third.get("/get"));
    assert!(third.closed().is_empty());

    // Another source has slots of its own, and the first source's connections go on.
    let mut other = Client::connect_from(elsewhere, server.addr);
    assert_eq!(
        other.get("/peer").text(),
        other.stream.local_addr().unwrap().to_string()
    );
    let mut other_again = Client::connect_from(elsewhere, server.addr);
    assert_eq!(other_again.get("/get").status, 200);
    assert_eq!(first.get("/get").status, 200);

    drop(first);
    let answer = served_eventually(|| Client::connect_from(here, server.addr).get("/get"));
    assert_eq!(answer.status, 200, "{answer:?}");
}

#[test]
fn a_garbage_request_line_gets_a_json_400() {
    let server = start(settings());
    let garbage: [&[u8]; 3] = [
        b"THIS IS NOT HTTP\r\n\r\n",
        b"GET /get HTTP/9.9\r\nhost: centre\r\n\r\n",
        // The start of a TLS ClientHello: a client that took the centre for HTTPS.
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",
    ];
    for request in garbage {
        let mut client = Client::connect(server.addr);
        client.send(request);
        let answer = client.answer();
        assert_eq!(answer.status, 400, "{answer:?}");
        assert_eq!(answer.refusal().error, "malformed");
        assert!(client.closed().is_empty());
    }
}

#[test]
fn a_head_over_the_limit_gets_a_json_431() {
    let server = start(settings());
    // Well under the 16 KiB default: served.
    let mut client = Client::connect(server.addr);
    let fits = format!(
        "GET /get HTTP/1.1\r\nhost: centre\r\nx-big: {}\r\n\r\n",
        "a".repeat(12 * 1024)
    );
    client.send(fits.as_bytes());
    assert_eq!(client.answer().status, 200);

    let mut client = Client::connect(server.addr);
    let too_big = format!(
        "GET /get HTTP/1.1\r\nhost: centre\r\nx-big: {}\r\n\r\n",
        "a".repeat(40 * 1024)
    );
    client.send(too_big.as_bytes());
    let answer = client.answer();
    assert_eq!(answer.status, 431, "{answer:?}");
    assert_eq!(answer.refusal().error, "too-large");
    assert!(client.closed().is_empty());
}

/// `raw` with its date header's value replaced by a fixed one, to compare answers made at
/// different moments.
fn expected(status_line: &str, content_type: &str, body: &[u8], answer: &Answer) -> Vec<u8> {
    let date = answer.header("date").expect("a date header");
    let mut bytes = format!(
        "{status_line}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\ndate: {date}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

#[test]
fn pipelined_requests_before_garbage_are_answered_intact_then_refused() {
    let server = start(settings());
    let mut client = Client::connect(server.addr);
    let echoed = "HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\n\r\n";
    let pipeline = format!(
        "GET /get HTTP/1.1\r\nhost: centre\r\n\r\n\
         POST /echo HTTP/1.1\r\nhost: centre\r\ncontent-length: {}\r\n\r\n{echoed}\
         NOT HTTP\r\n\r\n",
        echoed.len()
    );
    client.send(pipeline.as_bytes());

    let first = client.answer();
    assert_eq!(
        String::from_utf8_lossy(&first.raw),
        String::from_utf8_lossy(&expected(
            "HTTP/1.1 200 OK",
            "text/plain; charset=utf-8",
            TRAP.as_bytes(),
            &first
        ))
    );
    let second = client.answer();
    assert_eq!(
        String::from_utf8_lossy(&second.raw),
        String::from_utf8_lossy(&expected(
            "HTTP/1.1 200 OK",
            "application/octet-stream",
            echoed.as_bytes(),
            &second
        ))
    );
    let third = client.answer();
    assert_eq!(third.status, 400, "{third:?}");
    assert_eq!(third.refusal().error, "malformed");
    assert!(client.closed().is_empty());
}

#[test]
fn head_requests_and_expect_100_continue_work() {
    let server = start(settings());
    let mut client = Client::connect(server.addr);

    client.send(b"HEAD /get HTTP/1.1\r\nhost: centre\r\n\r\n");
    let head = client.answer_to(true);
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("content-length"),
        Some(&*TRAP.len().to_string())
    );
    assert!(head.body.is_empty());

    let get = client.get("/get");
    assert_eq!(get.status, 200);
    assert_eq!(get.text(), TRAP);

    client.send(
        b"POST /echo HTTP/1.1\r\nhost: centre\r\nexpect: 100-continue\r\ncontent-length: 5\r\n\r\n",
    );
    let interim = client.answer();
    assert_eq!(interim.status, 100, "{interim:?}");
    assert_eq!(interim.raw, b"HTTP/1.1 100 Continue\r\n\r\n");
    client.send(b"hello");
    let echoed = client.answer();
    assert_eq!(echoed.status, 200);
    assert_eq!(echoed.text(), "hello");

    // The guard followed every answer above, so it still knows hyper's own refusal.
    client.send(b"NOT HTTP\r\n\r\n");
    let refused = client.answer();
    assert_eq!(refused.status, 400, "{refused:?}");
    assert_eq!(refused.refusal().error, "malformed");
}

#[test]
fn connect_info_reaches_the_handler() {
    let server = start(settings());
    let mut client = Client::connect(server.addr);
    let answer = client.get("/peer");
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.text(),
        client.stream.local_addr().unwrap().to_string()
    );
}

#[test]
fn shutdown_waits_for_a_request_in_flight() {
    let mut server = start(patient(settings()));
    let mut idle = Client::connect(server.addr);
    assert_eq!(idle.get("/get").status, 200);
    let mut busy = Client::connect(server.addr);
    busy.send(b"GET /slow HTTP/1.1\r\nhost: centre\r\n\r\n");
    server.wait_started("slow");

    server.signal_stop();
    let answer = busy.answer();
    assert_eq!(answer.status, 200);
    assert_eq!(answer.text(), "slow done");
    assert!(busy.closed().is_empty());
    assert!(
        idle.closed().is_empty(),
        "an idle connection closes at once"
    );

    let addr = server.addr;
    server.stop().unwrap();
    assert!(
        TcpStream::connect(addr).is_err(),
        "nothing listens after shutdown"
    );
}

#[test]
fn shutdown_gives_up_after_the_grace() {
    let server = start(ListenerSettings {
        shutdown_grace: Duration::from_millis(300),
        ..patient(settings())
    });
    let mut client = Client::connect(server.addr);
    client.send(b"GET /forever HTTP/1.1\r\nhost: centre\r\n\r\n");
    server.wait_started("forever");
    server.stop().unwrap();
    assert!(client.closed().is_empty());
}

const CHILD: &str = "GADEPLAN_LISTENER_TEST_CHILD";

/// Lowering the open-files limit affects the whole process, so this runs
/// `out_of_file_descriptors_child` in a test process of its own.
#[test]
#[cfg(target_os = "linux")]
fn running_out_of_file_descriptors_does_not_end_the_accept_loop() {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "out_of_file_descriptors_child",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "the child failed:\n{stdout}\n{stderr}"
    );
}

#[test]
#[cfg(target_os = "linux")]
#[ignore = "run by running_out_of_file_descriptors_does_not_end_the_accept_loop in a process of its own"]
fn out_of_file_descriptors_child() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    let server = start(patient(settings()));
    let mut early = Client::connect(server.addr);
    assert_eq!(early.get("/get").status, 200);

    // Leave the process a little room, then take all of it.
    let open = std::fs::read_dir("/proc/self/fd").unwrap().count() as u64;
    let limit = libc::rlimit {
        rlim_cur: open + 32,
        rlim_max: open + 32,
    };
    // SAFETY: setrlimit reads the one `rlimit` it is given.
    assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) }, 0);
    let mut filler = Vec::new();
    loop {
        match std::fs::File::open("/dev/null") {
            Ok(file) => filler.push(file),
            Err(e) => {
                assert_eq!(e.raw_os_error(), Some(libc::EMFILE), "{e}");
                break;
            }
        }
        assert!(filler.len() < 10_000);
    }

    // One descriptor for the client; none is left for the server to accept it with.
    filler.pop();
    let mut late = Client::connect(server.addr);
    late.stream
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    late.send(b"GET /get HTTP/1.1\r\nhost: centre\r\n\r\n");
    let mut chunk = [0u8; 64];
    match late.stream.read(&mut chunk) {
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
        other => panic!("the server could not have accepted, yet: {other:?}"),
    }
    // Connections already served go on while accepting fails.
    assert_eq!(early.get("/get").status, 200);

    drop(filler);
    late.stream.set_read_timeout(Some(CLIENT_PATIENCE)).unwrap();
    let answer = late.answer();
    assert_eq!(answer.status, 200, "{answer:?}");
    server.stop().unwrap();
}

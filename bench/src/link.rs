//! A link emulator as a transport: every request crosses an uplink and every answer a downlink
//! of the given bandwidth, each way half the round-trip time late, over the real loopback
//! transport beneath. The links are shared, as one radio is: bytes of requests in flight at the
//! same moment queue behind one another, so requests sent side by side (a pipelined pull) gain
//! the round trips they overlap, never bandwidth.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use gadeplan_core::{Transport, TransportError};

/// A link's shape.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub name: &'static str,
    pub round_trip: Duration,
    /// Bits per second, centre to phone.
    pub down_bps: f64,
    /// Bits per second, phone to centre.
    pub up_bps: f64,
}

/// 3G as the issue measured it: 300 ms round trip, 1 Mbit/s down, 0.5 up.
pub const THREE_G: Shape = Shape {
    name: "3G",
    round_trip: Duration::from_millis(300),
    down_bps: 1_000_000.0,
    up_bps: 500_000.0,
};

/// EDGE: 600 ms round trip, 200 kbit/s each way.
pub const EDGE: Shape = Shape {
    name: "EDGE",
    round_trip: Duration::from_millis(600),
    down_bps: 200_000.0,
    up_bps: 200_000.0,
};

pub struct Emulated<T: Transport> {
    inner: T,
    shape: Shape,
    /// When each link is next free.
    up_free: Mutex<Instant>,
    down_free: Mutex<Instant>,
    /// Bytes carried each way, for the floor a run is compared with.
    pub sent: Mutex<u64>,
    pub received: Mutex<u64>,
}

impl<T: Transport> Emulated<T> {
    pub fn new(inner: T, shape: Shape) -> Self {
        let now = Instant::now();
        Emulated {
            inner,
            shape,
            up_free: Mutex::new(now),
            down_free: Mutex::new(now),
            sent: Mutex::new(0),
            received: Mutex::new(0),
        }
    }

    /// The least time the bytes carried so far can take over this link, plus one round trip:
    /// what a perfect protocol would need.
    pub fn floor(&self) -> Duration {
        let up = *self.sent.lock().unwrap() as f64 * 8.0 / self.shape.up_bps;
        let down = *self.received.lock().unwrap() as f64 * 8.0 / self.shape.down_bps;
        Duration::from_secs_f64(up + down) + self.shape.round_trip
    }
}

/// Occupies a link for `bytes` from `ready` on (or once it is free); returns when they are
/// through.
fn occupy(link: &Mutex<Instant>, ready: Instant, bytes: usize, bps: f64) -> Instant {
    let mut free = link.lock().unwrap();
    let start = ready.max(*free);
    let done = start + Duration::from_secs_f64(bytes as f64 * 8.0 / bps);
    *free = done;
    done
}

fn sleep_until(t: Instant) {
    if let Some(left) = t.checked_duration_since(Instant::now()) {
        std::thread::sleep(left);
    }
}

impl<T: Transport> Transport for Emulated<T> {
    fn send(
        &self,
        endpoint: String,
        token: Option<String>,
        body: Vec<u8>,
    ) -> Result<Vec<u8>, TransportError> {
        let half = self.shape.round_trip / 2;
        // HTTP's head and TCP/TLS framing: a few hundred bytes each way.
        let overhead = 300;
        *self.sent.lock().unwrap() += (body.len() + overhead) as u64;
        let uploaded = occupy(
            &self.up_free,
            Instant::now(),
            body.len() + overhead,
            self.shape.up_bps,
        );
        sleep_until(uploaded + half);
        let answer = self.inner.send(endpoint, token, body)?;
        *self.received.lock().unwrap() += (answer.len() + overhead) as u64;
        let downloaded = occupy(
            &self.down_free,
            Instant::now() + half,
            answer.len() + overhead,
            self.shape.down_bps,
        );
        sleep_until(downloaded);
        Ok(answer)
    }
}

//! A transport that misbehaves like a mobile connection in a park: it drops requests before they
//! leave, drops answers after the centre has acted, sends a request twice, cuts a request or an
//! answer short, delays, delivers an old request again after newer ones, and is sometimes simply
//! offline. The demo and the fault tests wrap the real HTTP transport in
//! it; a seed makes every run reproducible.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use gadeplan_core::{Transport, TransportError};

/// How often each fault happens, per request, in percent.
#[derive(Debug, Clone, Copy)]
pub struct FaultRates {
    pub drop_request: u32,
    pub drop_response: u32,
    pub repeat_request: u32,
    pub truncate_request: u32,
    pub truncate_response: u32,
    pub delay: u32,
    /// Deliver an earlier request again, late, before this one: reordered traffic.
    pub replay_late: u32,
}

impl FaultRates {
    pub const NONE: FaultRates = FaultRates {
        drop_request: 0,
        drop_response: 0,
        repeat_request: 0,
        truncate_request: 0,
        truncate_response: 0,
        delay: 0,
        replay_late: 0,
    };
    pub const PARK: FaultRates = FaultRates {
        drop_request: 10,
        drop_response: 10,
        repeat_request: 10,
        truncate_request: 5,
        truncate_response: 5,
        delay: 10,
        replay_late: 5,
    };
}

/// What was injected, for the demo's summary and the tests' assertions that faults really fired.
#[derive(Debug, Default)]
pub struct FaultCounts {
    pub requests: AtomicU64,
    pub dropped_requests: AtomicU64,
    pub dropped_responses: AtomicU64,
    pub repeated_requests: AtomicU64,
    pub truncated_requests: AtomicU64,
    pub truncated_responses: AtomicU64,
    pub delayed: AtomicU64,
    pub replayed_late: AtomicU64,
    pub offline_refusals: AtomicU64,
}

impl FaultCounts {
    /// The faults that damage or disturb an exchange (not the offline refusals, which are a
    /// phone knowing it has no signal), for checks that the network really misbehaved.
    pub fn injected(&self) -> u64 {
        [
            &self.dropped_requests,
            &self.dropped_responses,
            &self.repeated_requests,
            &self.truncated_requests,
            &self.truncated_responses,
            &self.delayed,
            &self.replayed_late,
        ]
        .iter()
        .map(|a| a.load(Ordering::Relaxed))
        .sum()
    }

    pub fn summary(&self) -> serde_json::Value {
        let g = |a: &AtomicU64| a.load(Ordering::Relaxed);
        serde_json::json!({
            "requests": g(&self.requests),
            "dropped_requests": g(&self.dropped_requests),
            "dropped_responses": g(&self.dropped_responses),
            "repeated_requests": g(&self.repeated_requests),
            "truncated_requests": g(&self.truncated_requests),
            "truncated_responses": g(&self.truncated_responses),
            "delayed": g(&self.delayed),
            "replayed_late": g(&self.replayed_late),
            "offline_refusals": g(&self.offline_refusals),
        })
    }
}

/// A request as it was sent: the endpoint, the token of its header, the body.
type SentRequest = (String, Option<String>, Vec<u8>);

pub struct FaultyTransport<T: Transport> {
    inner: T,
    /// Requests sent before, kept to be delivered again out of order.
    sent: Mutex<Vec<SentRequest>>,
    rates: Mutex<FaultRates>,
    rng: Mutex<u64>,
    offline: AtomicBool,
    pub counts: FaultCounts,
}

impl<T: Transport> FaultyTransport<T> {
    pub fn new(inner: T, rates: FaultRates, seed: u64) -> Self {
        FaultyTransport {
            inner,
            sent: Mutex::new(Vec::new()),
            rates: Mutex::new(rates),
            rng: Mutex::new(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1),
            offline: AtomicBool::new(false),
            counts: FaultCounts::default(),
        }
    }

    pub fn set_offline(&self, offline: bool) {
        self.offline.store(offline, Ordering::Relaxed);
    }

    pub fn set_rates(&self, rates: FaultRates) {
        *self.rates.lock().expect("rates") = rates;
    }

    /// The next number of a seeded xorshift64*: enough for reproducible fault patterns.
    fn pick(&self) -> u64 {
        let mut state = self.rng.lock().expect("rng");
        let mut x = *state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        *state = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33
    }

    /// A percentage roll.
    fn roll(&self, percent: u32) -> bool {
        self.pick() % 100 < percent as u64
    }
}

fn lost(what: &str) -> TransportError {
    TransportError::Unreachable {
        detail: format!("(injected) {what}"),
    }
}

impl<T: Transport> Transport for FaultyTransport<T> {
    fn send(
        &self,
        endpoint: String,
        token: Option<String>,
        body: Vec<u8>,
    ) -> Result<Vec<u8>, TransportError> {
        self.counts.requests.fetch_add(1, Ordering::Relaxed);
        if self.offline.load(Ordering::Relaxed) {
            self.counts.offline_refusals.fetch_add(1, Ordering::Relaxed);
            return Err(lost("no signal"));
        }
        let rates = *self.rates.lock().expect("rates");
        if self.roll(rates.delay) {
            self.counts.delayed.fetch_add(1, Ordering::Relaxed);
            std::thread::sleep(Duration::from_millis(5));
        }
        if self.roll(rates.replay_late) {
            let stale = {
                let sent = self.sent.lock().expect("sent");
                (!sent.is_empty()).then(|| sent[(self.pick() as usize) % sent.len()].clone())
            };
            if let Some((old_endpoint, old_token, old_body)) = stale {
                // An old request arrives now, after newer ones; whatever it gets back is lost.
                self.counts.replayed_late.fetch_add(1, Ordering::Relaxed);
                let _ = self.inner.send(old_endpoint, old_token, old_body);
            }
        }
        {
            let mut sent = self.sent.lock().expect("sent");
            if sent.len() >= 64 {
                sent.remove(0);
            }
            sent.push((endpoint.clone(), token.clone(), body.clone()));
        }
        if self.roll(rates.drop_request) {
            self.counts.dropped_requests.fetch_add(1, Ordering::Relaxed);
            return Err(lost("request dropped"));
        }
        if self.roll(rates.truncate_request) && body.len() > 1 {
            // The centre gets half a body and refuses it; the phone sees a damaged exchange.
            self.counts
                .truncated_requests
                .fetch_add(1, Ordering::Relaxed);
            return self
                .inner
                .send(endpoint, token, body[..body.len() / 2].to_vec());
        }
        let mut answer = self
            .inner
            .send(endpoint.clone(), token.clone(), body.clone())?;
        if self.roll(rates.repeat_request) {
            self.counts
                .repeated_requests
                .fetch_add(1, Ordering::Relaxed);
            answer = self.inner.send(endpoint, token, body)?;
        }
        if self.roll(rates.drop_response) {
            self.counts
                .dropped_responses
                .fetch_add(1, Ordering::Relaxed);
            return Err(lost("answer dropped after the centre acted"));
        }
        if self.roll(rates.truncate_response) && answer.len() > 1 {
            self.counts
                .truncated_responses
                .fetch_add(1, Ordering::Relaxed);
            answer.truncate(answer.len() / 2);
        }
        Ok(answer)
    }
}

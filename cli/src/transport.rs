//! The CLI's sync transport: each request is a POST of JSON bytes to `{centre}/v1/{endpoint}`
//! over plain HTTP (ureq), for loopback, tests and a centre reached through a local TLS proxy. The
//! phones implement the same trait with their platforms' HTTPS stacks.

use std::time::Duration;

use gadeplan_core::{Transport, TransportError};

pub struct HttpTransport {
    base: String,
    agent: ureq::Agent,
}

/// A pull answer is at most a few megabytes; refuse to read more than this from a centre.
const MAX_ANSWER_BYTES: u64 = 64 * 1024 * 1024;

impl HttpTransport {
    pub fn new(centre: &str) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        HttpTransport {
            base: centre.trim_end_matches('/').to_string(),
            agent,
        }
    }
}

impl Transport for HttpTransport {
    fn send(&self, endpoint: String, body: Vec<u8>) -> Result<Vec<u8>, TransportError> {
        let url = format!("{}/v1/{endpoint}", self.base);
        let unreachable = |e: ureq::Error| TransportError::Unreachable {
            detail: e.to_string(),
        };
        let mut response = self
            .agent
            .post(&url)
            .header("Content-Type", "application/json")
            .send(&body[..])
            .map_err(unreachable)?;
        response
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER_BYTES)
            .read_to_vec()
            .map_err(unreachable)
    }
}

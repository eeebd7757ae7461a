//! The CLI's sync transport: each request is a POST of JSON bytes to `{centre}/v1/{endpoint}`
//! over plain HTTP (ureq), for loopback, tests and a centre reached through a local TLS proxy. The
//! phones implement the same trait with their platforms' HTTPS stacks.

use std::time::Duration;

use gadeplan_core::{Transport, TransportError};

pub struct HttpTransport {
    base: String,
    agent: ureq::Agent,
}

/// Checks a centre address given on the command line before anything is sent: this transport
/// speaks plain HTTP only, so the address is `http://host[:port]`.
pub fn centre_address(text: &str) -> Result<String, gadeplan_core::Error> {
    let text = text.trim();
    let host = text.strip_prefix("http://").unwrap_or_default();
    if host.is_empty() || host.starts_with('/') || text.chars().any(char::is_whitespace) {
        return Err(gadeplan_core::Error::invalid(
            "centre",
            "must be an address like http://127.0.0.1:8470 (plain HTTP; reach an HTTPS centre \
             through a local TLS proxy)",
        ));
    }
    Ok(text.to_string())
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
    fn send(
        &self,
        endpoint: String,
        token: Option<String>,
        body: Vec<u8>,
    ) -> Result<Vec<u8>, TransportError> {
        let url = format!("{}/v1/{endpoint}", self.base);
        let unreachable = |e: ureq::Error| TransportError::Unreachable {
            detail: e.to_string(),
        };
        let mut request = self
            .agent
            .post(&url)
            .header("Content-Type", "application/json");
        if let Some(token) = token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        let mut response = request.send(&body[..]).map_err(unreachable)?;
        response
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER_BYTES)
            .read_to_vec()
            .map_err(unreachable)
    }
}

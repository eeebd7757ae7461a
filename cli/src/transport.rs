//! The CLI's sync transport: each request is a POST of JSON bytes to `{centre}/v1/{endpoint}`
//! (ureq), over HTTPS to a centre on the internet or plain HTTP on loopback and in tests. HTTPS
//! is rustls: the centre's certificate is checked against the platform's trust store (the
//! operating system's verifier), or against only the CAs of a given PEM bundle (`--ca-file`,
//! for a municipality's own CA). The phones implement the same trait with their platforms'
//! HTTPS stacks.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use gadeplan_core::{Error, Transport, TransportError};
use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig, TlsProvider};

pub struct HttpTransport {
    base: String,
    agent: ureq::Agent,
}

/// Checks a centre address given on the command line before anything is sent:
/// `https://host[:port]`, or `http://host[:port]` (loopback, a local proxy, tests).
pub fn centre_address(text: &str) -> Result<String, Error> {
    let text = text.trim();
    let host = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .unwrap_or_default();
    if host.is_empty() || host.starts_with('/') || text.chars().any(char::is_whitespace) {
        return Err(Error::invalid(
            "centre",
            "must be an address like https://centre.kommune.dk or http://127.0.0.1:8470",
        ));
    }
    Ok(text.to_string())
}

/// The CAs of a PEM bundle, for a centre whose certificate the platform does not trust.
fn bundle(path: &Path) -> Result<Vec<Certificate<'static>>, Error> {
    let bytes = std::fs::read(path)
        .map_err(|e| Error::invalid("ca_file", format!("cannot read {}: {e}", path.display())))?;
    let mut certificates = Vec::new();
    for item in ureq::tls::parse_pem(&bytes) {
        match item {
            Ok(PemItem::Certificate(c)) => certificates.push(c),
            Ok(_) => {}
            Err(e) => return Err(Error::invalid("ca_file", format!("not PEM: {e}"))),
        }
    }
    if certificates.is_empty() {
        return Err(Error::invalid("ca_file", "holds no certificate"));
    }
    Ok(certificates)
}

/// A pull answer is at most a few megabytes; refuse to read more than this from a centre.
const MAX_ANSWER_BYTES: u64 = 64 * 1024 * 1024;

impl HttpTransport {
    /// To `centre`, trusting the platform's CAs.
    pub fn new(centre: &str) -> Self {
        HttpTransport::trusting(centre, RootCerts::PlatformVerifier)
    }

    /// To `centre`, trusting the CAs of the PEM bundle at `ca_file` only, or the platform's
    /// without one.
    pub fn with_ca_file(centre: &str, ca_file: Option<&Path>) -> Result<Self, Error> {
        Ok(match ca_file {
            Some(path) => {
                HttpTransport::trusting(centre, RootCerts::Specific(Arc::new(bundle(path)?)))
            }
            None => HttpTransport::new(centre),
        })
    }

    fn trusting(centre: &str, roots: RootCerts) -> Self {
        let tls = TlsConfig::builder()
            .provider(TlsProvider::Rustls)
            .root_certs(roots)
            .build();
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .tls_config(tls)
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

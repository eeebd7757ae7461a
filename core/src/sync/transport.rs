//! The one thing the sync engine needs from its host: send request bytes to an endpoint of the
//! centre and give back the response bytes. The CLI implements it over HTTP in Rust; the phone
//! shells implement it with their own HTTP stacks (OkHttp, URLSession), so TLS, proxies and
//! certificates are the platform's.

/// Why a request got no usable answer. Always worth retrying later: nothing the engine relies on
/// has changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum TransportError {
    /// No connection, a timeout, a dropped connection: the request may or may not have arrived.
    #[error("the centre could not be reached: {detail}")]
    Unreachable { detail: String },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for TransportError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        TransportError::Unreachable {
            detail: format!("the transport failed unexpectedly: {}", e.reason),
        }
    }
}

/// Sends `body` to the centre's `endpoint` (`enrol`, `push`, `pull`, `digest` or `token`; the
/// host knows the centre's address, e.g. `https://centre.example/v1/{endpoint}`, and POSTs the
/// bytes as `application/json`), with the header `Authorization: Bearer <token>` when `token` is
/// given (every request but enrolment). Returns the response body whatever the HTTP status:
/// refusals are JSON too and the engine reads them. It is called from several threads at once (a pull
/// asks for a few pages side by side): an implementation keeps no state between calls, as an
/// HTTP client's per-request connection or task does.
#[uniffi::export(with_foreign)]
pub trait Transport: Send + Sync {
    fn send(
        &self,
        endpoint: String,
        token: Option<String>,
        body: Vec<u8>,
    ) -> Result<Vec<u8>, TransportError>;
}

/// A transport that could not reach the centre is the core's `Unreachable`: retried later.
impl From<TransportError> for crate::error::Error {
    fn from(e: TransportError) -> Self {
        match e {
            TransportError::Unreachable { detail } => crate::error::Error::Unreachable { detail },
        }
    }
}

//! HTTPS served by the centre itself (rustls, with the `ring` provider): a certificate chain and
//! its private key from PEM files, read at start and again on `reload` (SIGHUP, for a renewed
//! certificate, without dropping a connection). A reload that fails keeps the certificate in
//! use and says why; the centre never serves without one once started with TLS.
//!
//! The centre may as well sit behind the municipality's proxy or load balancer, which then holds
//! the certificate; `serve` without `--tls-cert` speaks plain HTTP for that.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::crypto::ring;

use crate::store::Refusal;

pub struct Tls {
    cert: PathBuf,
    key: PathBuf,
    config: RwLock<Arc<ServerConfig>>,
}

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tls")
            .field("cert", &self.cert)
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

fn refusal(message: String) -> Refusal {
    Refusal::new(500, "tls", message)
}

/// Reads the chain and key and makes a server configuration of them (HTTP/1.1 only).
// rustls marks the `ring` provider deprecated because it lacks post-quantum key exchange; it is
// kept because it builds with a C compiler alone (aws-lc-rs needs CMake or prebuilt objects on
// the municipality's build hosts), and the same provider serves the CLI (ureq). ADR 0010.
#[allow(deprecated)]
fn load(cert: &Path, key: &Path) -> Result<ServerConfig, Refusal> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .map_err(|e| {
            refusal(format!(
                "cannot read the certificate {}: {e}",
                cert.display()
            ))
        })?
        .collect::<Result<_, _>>()
        .map_err(|e| {
            refusal(format!(
                "the certificate {} is not PEM: {e}",
                cert.display()
            ))
        })?;
    if chain.is_empty() {
        return Err(refusal(format!("no certificate in {}", cert.display())));
    }
    let private = PrivateKeyDer::from_pem_file(key).map_err(|e| {
        refusal(format!(
            "cannot read a private key from {}: {e}",
            key.display()
        ))
    })?;
    let mut config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| refusal(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(chain, private)
        .map_err(|e| {
            refusal(format!(
                "the certificate and key do not make a server identity: {e}"
            ))
        })?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

impl Tls {
    /// The certificate chain (`cert`, PEM, the server's first) and its key (`key`, PEM: PKCS#8,
    /// PKCS#1 or SEC1).
    pub fn load(cert: &Path, key: &Path) -> Result<Tls, Refusal> {
        let config = load(cert, key)?;
        Ok(Tls {
            cert: cert.to_path_buf(),
            key: key.to_path_buf(),
            config: RwLock::new(Arc::new(config)),
        })
    }

    /// Reads the files again; new connections get the new certificate. On failure the one in
    /// use stays.
    pub fn reload(&self) -> Result<(), Refusal> {
        let config = load(&self.cert, &self.key)?;
        *self
            .config
            .write()
            .map_err(|_| refusal("the TLS configuration is unusable".into()))? = Arc::new(config);
        Ok(())
    }

    /// What accepts the next connection.
    pub fn acceptor(&self) -> TlsAcceptor {
        let config = match self.config.read() {
            Ok(config) => Arc::clone(&config),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        };
        TlsAcceptor::from(config)
    }
}

//! `sim serve --tls`: HTTPS with a throwaway certificate authority, as a
//! real API server serves, so clients take the same rustls (or Go TLS) path
//! they take against a real cluster: the CA goes into the written
//! kubeconfig as `certificate-authority-data`, the serving certificate names
//! `127.0.0.1`, `::1` and `localhost`. A new CA per start; nothing is kept.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

/// How long a client may take to finish its TLS handshake.
const HANDSHAKE: Duration = Duration::from_secs(10);

/// A throwaway CA and the serving certificate it signed.
#[derive(Clone)]
pub struct Certificates {
    /// The CA certificate, PEM: what a kubeconfig trusts.
    pub ca_pem: String,
    config: Arc<rustls::ServerConfig>,
}

impl std::fmt::Debug for Certificates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Certificates").finish_non_exhaustive()
    }
}

impl Certificates {
    /// A new CA (ECDSA P-256) and a serving certificate for loopback.
    pub fn throwaway() -> Result<Certificates, String> {
        let fail = |what: &str, e: rcgen::Error| format!("cannot make the {what}: {e}");
        let ca_key = KeyPair::generate().map_err(|e| fail("CA key", e))?;
        let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(|e| fail("CA", e))?;
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "warroom-sim CA");
        ca.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca_cert = ca.self_signed(&ca_key).map_err(|e| fail("CA", e))?;
        let issuer = Issuer::new(ca, ca_key);

        let key = KeyPair::generate().map_err(|e| fail("serving key", e))?;
        // Strings that parse as IP addresses become IP SANs.
        let mut serving = CertificateParams::new(vec![
            "127.0.0.1".to_string(),
            "::1".to_string(),
            "localhost".to_string(),
        ])
        .map_err(|e| fail("serving certificate", e))?;
        serving
            .distinguished_name
            .push(DnType::CommonName, "kube-apiserver");
        serving.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
        ];
        serving.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let cert = serving
            .signed_by(&key, &issuer)
            .map_err(|e| fail("serving certificate", e))?;

        let chain = vec![
            cert.der().clone(),
            CertificateDer::from(ca_cert.der().to_vec()),
        ];
        let private = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS configuration: {e}"))?
            .with_no_client_auth()
            .with_single_cert(chain, private)
            .map_err(|e| format!("TLS configuration: {e}"))?;
        // The sim speaks HTTP/1.1 only; clients offering h2 fall back.
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Certificates {
            ca_pem: ca_cert.pem(),
            config: Arc::new(config),
        })
    }

    /// A bearer token nobody can guess (128 random bits, hex): what a
    /// kubeconfig for an HTTPS sim carries when no `--token` was given.
    pub fn token() -> Result<String, String> {
        let mut bytes = [0u8; 16];
        rustls::crypto::ring::default_provider()
            .secure_random
            .fill(&mut bytes)
            .map_err(|_| "no randomness for a token".to_string())?;
        Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }
}

/// A TCP listener whose connections are TLS: handshakes run beside the
/// accept loop, so a slow or broken client never holds up the next one; a
/// failed handshake is dropped (the client sees why).
pub struct TlsListener {
    tcp: TcpListener,
    acceptor: TlsAcceptor,
    handshakes: JoinSet<Option<(TlsStream<TcpStream>, SocketAddr)>>,
}

impl TlsListener {
    pub fn new(tcp: TcpListener, certificates: &Certificates) -> TlsListener {
        TlsListener {
            tcp,
            acceptor: TlsAcceptor::from(certificates.config.clone()),
            handshakes: JoinSet::new(),
        }
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            tokio::select! {
                accepted = self.tcp.accept() => match accepted {
                    Ok((stream, addr)) => {
                        let acceptor = self.acceptor.clone();
                        self.handshakes.spawn(async move {
                            match tokio::time::timeout(HANDSHAKE, acceptor.accept(stream)).await {
                                Ok(Ok(tls)) => Some((tls, addr)),
                                Ok(Err(e)) => {
                                    tracing::debug!(%addr, error = %e, "TLS handshake failed");
                                    None
                                }
                                Err(_) => None,
                            }
                        });
                    }
                    // Out of file descriptors and the like: wait, retry.
                    Err(e) => {
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                },
                Some(done) = self.handshakes.join_next(), if !self.handshakes.is_empty() => {
                    if let Ok(Some(connection)) = done {
                        return connection;
                    }
                }
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}

#[cfg(test)]
mod tests;

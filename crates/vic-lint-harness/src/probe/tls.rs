//! TLS for the probe: any certificate is accepted, because the probe judges what the UI tells
//! its user, not the appliance's certificate set-up; the evidence says which one was served.

use std::net::IpAddr;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use tokio_rustls::rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use tokio_rustls::rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use tokio_rustls::rustls::{ClientConfig, DigitallySignedStruct, Error, SignatureScheme};

#[derive(Debug)]
struct AcceptAny {
    provider: Arc<CryptoProvider>,
    served: Mutex<Option<Vec<u8>>>,
}

impl ServerCertVerifier for AcceptAny {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        *self.served.lock().unwrap_or_else(PoisonError::into_inner) = Some(end_entity.to_vec());
        Ok(ServerCertVerified::assertion())
    }

    // The handshake's signatures are still checked: only the trust in the certificate is waived.
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

/// A TLS connection over `tcp`, and a note on the certificate served, compared with the one at
/// `expected` (a PEM file in the tree copy) when the manifest names it.
pub async fn connect(
    tcp: tokio::net::TcpStream,
    ip: IpAddr,
    expected: Option<&Path>,
) -> Result<(tokio_rustls::client::TlsStream<tokio::net::TcpStream>, String), String> {
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let verifier = Arc::new(AcceptAny { provider: provider.clone(), served: Mutex::new(None) });
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("cannot set up TLS: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(verifier.clone())
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let stream = connector
        .connect(ServerName::IpAddress(ip.into()), tcp)
        .await
        .map_err(|e| format!("TLS handshake failed: {e}"))?;
    let served = verifier.served.lock().unwrap_or_else(PoisonError::into_inner).take();
    Ok((stream, note(served.as_deref(), expected)))
}

fn note(served: Option<&[u8]>, expected: Option<&Path>) -> String {
    let Some(served) = served else { return "no certificate seen".into() };
    let Some(path) = expected else { return "a certificate (any is accepted)".into() };
    let name = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    match CertificateDer::pem_file_iter(path) {
        Ok(mut certs) => {
            if certs.any(|c| c.is_ok_and(|c| c.as_ref() == served)) {
                format!("the tree's certificate ({name})")
            } else {
                format!("a certificate other than the tree's {name} (accepted: it may be self-signed)")
            }
        }
        Err(_) => format!("a certificate; the tree has no readable {name} (accepted: it may be self-signed)"),
    }
}

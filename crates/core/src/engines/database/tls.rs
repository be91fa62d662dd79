//! `sslmode` and `sslrootcert` with libpq's meaning, over rustls.
//!
//! tokio-postgres knows only `disable`, `prefer` and `require` and leaves certificate checks to
//! the connector. libpq's modes differ in what they check: `prefer`/`require` encrypt without
//! checking the certificate, `verify-ca` checks the chain, `verify-full` the chain and the host
//! name. Users copy URLs from libpq tools, so the modes are read here and mapped faithfully.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, Error, RootCertStore, SignatureScheme};
use tokio_postgres::config::SslMode;
use tokio_postgres_rustls::MakeRustlsConnect;

/// How much of the server's certificate is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    Nothing,
    Chain,
    ChainAndName,
}

/// The TLS part of a connection URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsSettings {
    /// Whether TLS is off, tried, or required.
    pub mode: SslMode,
    check: Check,
    root_cert: Option<String>,
}

/// Splits `sslmode` and `sslrootcert` out of a URL or key/value DSN; the rest goes to
/// tokio-postgres. The default is libpq's `prefer`.
pub fn split(url: &str) -> Result<(String, TlsSettings), String> {
    let mut mode = None;
    let mut root_cert = None;
    let mut take = |key: &str, value: &str| -> bool {
        match key {
            "sslmode" => mode = Some(value.to_owned()),
            "sslrootcert" => root_cert = Some(value.to_owned()),
            _ => return false,
        }
        true
    };
    let rest = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        match url.split_once('?') {
            Some((base, query)) => {
                let kept: Vec<&str> = query
                    .split('&')
                    .filter(|p| {
                        let (k, v) = p.split_once('=').unwrap_or((p, ""));
                        !take(k, v)
                    })
                    .collect();
                if kept.is_empty() {
                    base.to_owned()
                } else {
                    format!("{base}?{}", kept.join("&"))
                }
            }
            None => url.to_owned(),
        }
    } else {
        url.split_whitespace()
            .filter(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                !take(k.trim(), v.trim())
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    // libpq 16: `sslrootcert=system` means the operating system's roots, and checking
    // anything less than the host name against them would trust every public CA's customers.
    if root_cert.as_deref() == Some("system") {
        root_cert = None;
        match mode.as_deref() {
            None | Some("verify-full") => mode = Some("verify-full".into()),
            Some(weak) => {
                return Err(format!(
                    "weak sslmode {weak:?} may not be used with sslrootcert=system (use \"verify-full\")"
                ))
            }
        }
    }
    let (mode, check) = match mode.as_deref().unwrap_or("prefer") {
        "disable" => (SslMode::Disable, Check::Nothing),
        "allow" | "prefer" => (SslMode::Prefer, Check::Nothing),
        // libpq: `require` with a root certificate file behaves as `verify-ca`.
        "require" if root_cert.is_some() => (SslMode::Require, Check::Chain),
        "require" => (SslMode::Require, Check::Nothing),
        "verify-ca" => (SslMode::Require, Check::Chain),
        "verify-full" => (SslMode::Require, Check::ChainAndName),
        other => {
            return Err(format!(
                "invalid sslmode {other:?}: use disable, allow, prefer, require, verify-ca or verify-full"
            ))
        }
    };
    Ok((
        rest,
        TlsSettings {
            mode,
            check,
            root_cert,
        },
    ))
}

/// The connector for `settings`.
pub fn connector(settings: &TlsSettings) -> Result<MakeRustlsConnect, String> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup failed: {e}"))?;
    let verifier: Arc<dyn ServerCertVerifier> = match settings.check {
        Check::Nothing => Arc::new(Unchecked(provider)),
        check => {
            let roots = Arc::new(roots(settings.root_cert.as_deref())?);
            let inner = WebPkiServerVerifier::builder_with_provider(roots, provider)
                .build()
                .map_err(|e| format!("TLS setup failed: {e}"))?;
            Arc::new(Checked {
                inner,
                check_name: check == Check::ChainAndName,
            })
        }
    };
    let config = builder
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}

/// The root certificates: `sslrootcert`'s PEM file, else the operating system's.
fn roots(file: Option<&str>) -> Result<RootCertStore, String> {
    let mut store = RootCertStore::empty();
    match file {
        Some(path) => {
            let certs = CertificateDer::pem_file_iter(path)
                .map_err(|e| format!("cannot read sslrootcert {path:?}: {e}"))?;
            for cert in certs {
                let cert = cert.map_err(|e| format!("cannot read sslrootcert {path:?}: {e}"))?;
                store
                    .add(cert)
                    .map_err(|e| format!("bad certificate in sslrootcert {path:?}: {e}"))?;
            }
        }
        None => {
            for cert in rustls_native_certs::load_native_certs().certs {
                let _ = store.add(cert);
            }
        }
    }
    if store.is_empty() {
        return Err("no root certificates to verify the server with (set sslrootcert)".into());
    }
    Ok(store)
}

/// libpq's `prefer`/`require`: encryption without authentication of the server. Handshake
/// signatures are still verified, so the session key belongs to whoever holds the certificate.
#[derive(Debug)]
struct Unchecked(Arc<CryptoProvider>);

impl ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca` (chain only) and `verify-full` (chain and host name).
#[derive(Debug)]
struct Checked {
    inner: Arc<WebPkiServerVerifier>,
    check_name: bool,
}

impl ServerCertVerifier for Checked {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        match self
            .inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Err(Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if !self.check_name => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssl_settings_are_split_out_of_urls_and_dsns() {
        let (rest, tls) =
            split("postgresql://u:p@h:5432/db?sslmode=verify-full&application_name=x").unwrap();
        assert_eq!(rest, "postgresql://u:p@h:5432/db?application_name=x");
        assert_eq!(
            (tls.mode, tls.check),
            (SslMode::Require, Check::ChainAndName)
        );
        let (rest, tls) = split("postgres://h/db?sslmode=disable").unwrap();
        assert_eq!(rest, "postgres://h/db");
        assert_eq!(tls.mode, SslMode::Disable);
        let (rest, tls) = split("host=h sslmode=require sslrootcert=/ca.pem dbname=d").unwrap();
        assert_eq!(rest, "host=h dbname=d");
        assert_eq!(
            (tls.check, tls.root_cert.as_deref()),
            (Check::Chain, Some("/ca.pem"))
        );
        let (_, tls) = split("postgres://h/db").unwrap();
        assert_eq!((tls.mode, tls.check), (SslMode::Prefer, Check::Nothing));
        let (_, tls) = split("postgres://h/db?sslrootcert=system").unwrap();
        assert_eq!((tls.check, tls.root_cert), (Check::ChainAndName, None));
        assert_eq!(
            split("postgres://h/db?sslmode=require&sslrootcert=system").unwrap_err(),
            "weak sslmode \"require\" may not be used with sslrootcert=system (use \"verify-full\")"
        );
        assert!(split("postgres://h/db?sslmode=sure")
            .unwrap_err()
            .contains("invalid sslmode \"sure\""));
    }

    #[test]
    fn a_missing_root_certificate_file_is_named() {
        let (_, tls) =
            split("postgres://h/db?sslmode=verify-ca&sslrootcert=/nonexistent.pem").unwrap();
        let err = connector(&tls).err().unwrap();
        assert!(
            err.contains("cannot read sslrootcert \"/nonexistent.pem\""),
            "{err}"
        );
    }
}

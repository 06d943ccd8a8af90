//! How a desk reaches the team server: the URL parsed as libpq's, and TLS when it asks
//! for it. `sslmode=require`, `verify-ca` and `verify-full` all connect over TLS and verify
//! the server's certificate chain and name (rustls, which has no unverified mode), against
//! `sslrootcert=FILE` (PEM) when given, else the system's trusted roots. Without
//! `sslmode`, or with `disable`, `allow` or `prefer`, the connection is plain (a Unix
//! socket, or a network the unit trusts).

use postgres::config::SslMode;
use postgres::{Client, Config, NoTls};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;
use std::sync::Arc;
use tokio_postgres_rustls::MakeRustlsConnect;

use super::postgres::redacted;
use crate::error::{Error, Result};

/// A parsed server URL and the TLS it asks for.
pub struct Target {
    /// libpq's settings (without the TLS ones this module handles).
    pub config: Config,
    tls: Option<MakeRustlsConnect>,
}

impl Target {
    /// Parses `url`.
    pub fn parse(url: &str) -> Result<Target> {
        let bad =
            |why: String| Error::Usage(format!("{} is not a server URL: {why}", redacted(url)));
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let mut mode = None;
        let mut root = None;
        let mut rest = Vec::new();
        for kv in query.split('&').filter(|kv| !kv.is_empty()) {
            match kv.split_once('=') {
                Some(("sslmode", m)) => mode = Some(m.to_string()),
                Some(("sslrootcert", f)) => {
                    root = Some(
                        percent_decode(f).map_err(|_| bad("sslrootcert is not a path".into()))?,
                    )
                }
                _ => rest.push(kv),
            }
        }
        let plain = if rest.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", rest.join("&"))
        };
        let mut config: Config = plain.parse().map_err(|e| bad(format!("{e}")))?;
        let tls = match mode.as_deref() {
            None | Some("disable" | "allow" | "prefer") => None,
            Some("require" | "verify-ca" | "verify-full") => {
                config.ssl_mode(SslMode::Require);
                Some(connector(root.as_deref())?)
            }
            Some(other) => return Err(bad(format!("unknown sslmode {other}"))),
        };
        Ok(Target { config, tls })
    }

    /// Connects with these settings.
    pub fn connect(&self, config: &Config) -> std::result::Result<Client, postgres::Error> {
        match &self.tls {
            Some(tls) => config.connect(tls.clone()),
            None => config.connect(NoTls),
        }
    }
}

fn connector(root: Option<&str>) -> Result<MakeRustlsConnect> {
    let mut roots = rustls::RootCertStore::empty();
    match root {
        Some(file) => {
            let certs = CertificateDer::pem_file_iter(file).map_err(|e| {
                Error::invalid(format!("cannot read the server's CA file {file}: {e}"))
            })?;
            for c in certs {
                let c = c.map_err(|e| {
                    Error::invalid(format!("{file} is not a PEM certificate file: {e}"))
                })?;
                roots
                    .add(c)
                    .map_err(|e| Error::invalid(format!("{file}: {e}")))?;
            }
        }
        None => {
            for c in rustls_native_certs::load_native_certs().certs {
                let _ = roots.add(c);
            }
        }
    }
    if roots.is_empty() {
        return Err(Error::invalid(
            "no trusted certificate to check the team server's against: name its CA with sslrootcert=FILE",
        ));
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::invalid(format!("TLS set-up: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}

fn percent_decode(s: &str) -> std::result::Result<String, ()> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3).ok_or(())?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| ())?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_settings_are_read_and_the_rest_left_to_libpq() {
        let t = Target::parse("postgres://u:p@/db?host=%2Ftmp%2Fs").unwrap();
        assert!(t.tls.is_none());
        assert_eq!(t.config.get_dbname(), Some("db"));
        assert!(Target::parse("postgres://h/db?sslmode=bogus").is_err());
        let missing = Target::parse("postgres://h/db?sslmode=verify-full&sslrootcert=%2Fnone.pem");
        assert!(matches!(missing, Err(Error::Invalid(m)) if m.contains("/none.pem")));
    }
}

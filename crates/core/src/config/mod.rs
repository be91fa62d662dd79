//! Server configuration in Vault's HCL dialect.
//!
//! ```hcl
//! storage "local" { path = "/var/lib/strongroom/strongroom.db" }
//! seal "shamir" {}
//! listener "tcp" { address = "127.0.0.1:8200"  tls_disable = true }
//! api_addr          = "http://127.0.0.1:8200"
//! default_lease_ttl = "768h"
//! ```
//!
//! Values may be written as Vault writes them (`"true"`, `"128"`) or natively (`true`, `128`).
//! Anything this build does not understand, an unknown block, key or storage type, is an
//! error naming the file and line, never silently ignored.

mod parse;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::node::{Node, NodeOptions, DEFAULT_LEASE_TTL};
use crate::seal::awskms::{AwsKms, AwsKmsSettings};
use crate::seal::Seal;
use crate::storage::dynamodb::DynamoDbSettings;
use crate::storage::{Backend, DynamoDbBackend, InmemBackend, LocalBackend, StorageError};

/// Default listener address, as Vault's.
pub const DEFAULT_ADDRESS: &str = "127.0.0.1:8200";

/// A configuration problem.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config file {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file is not valid HCL.
    #[error("{file}:{line}:{column}: {message}")]
    Syntax {
        /// The file.
        file: String,
        /// One-based line.
        line: usize,
        /// One-based column.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// Valid HCL that is not a valid configuration.
    #[error("{file}:{line}: {message}")]
    Invalid {
        /// The file.
        file: String,
        /// One-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// Where data is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageConfig {
    /// In memory; lost on exit.
    Inmem,
    /// One SQLite file.
    Local {
        /// The database file.
        path: PathBuf,
    },
    /// A DynamoDB table.
    DynamoDb(DynamoDbSettings),
}

impl StorageConfig {
    /// Opens the configured backend (the one place adapters turn config into storage).
    pub async fn open(&self) -> Result<Arc<dyn Backend>, StorageError> {
        Ok(match self {
            StorageConfig::Inmem => Arc::new(InmemBackend::new()),
            StorageConfig::Local { path } => Arc::new(LocalBackend::open(path).await?),
            StorageConfig::DynamoDb(settings) => {
                Arc::new(DynamoDbBackend::open(settings.clone()).await?)
            }
        })
    }
}

/// The seal protecting the root key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SealConfig {
    /// Key shares (the default when no `seal` block is given).
    Shamir,
    /// AWS KMS auto-unseal.
    AwsKms(AwsKmsSettings),
}

impl SealConfig {
    /// The seal's type name (`shamir`, `awskms`).
    pub fn type_name(&self) -> &'static str {
        match self {
            SealConfig::Shamir => "shamir",
            SealConfig::AwsKms(_) => "awskms",
        }
    }

    /// Builds the seal (for KMS: the client; nothing is sent to KMS yet).
    pub async fn open(&self) -> Seal {
        match self {
            SealConfig::Shamir => Seal::Shamir,
            SealConfig::AwsKms(settings) => {
                Seal::AwsKms(Arc::new(AwsKms::connect(settings.clone()).await))
            }
        }
    }
}

/// A `listener "tcp"` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListenerConfig {
    /// `host:port` to bind.
    pub address: String,
}

/// A parsed server configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The `storage` block.
    pub storage: StorageConfig,
    /// The seal in use (Shamir when no `seal` block is given).
    pub seal: SealConfig,
    /// The seal marked `disabled = "true"`: the one a pending seal migration starts from.
    pub old_seal: Option<SealConfig>,
    /// The `listener` blocks.
    pub listeners: Vec<ListenerConfig>,
    /// `api_addr`.
    pub api_addr: Option<String>,
    /// `cluster_addr`.
    pub cluster_addr: Option<String>,
    /// `cluster_name`.
    pub cluster_name: Option<String>,
    /// `ui`: serve the web UI at `/ui`.
    pub ui: bool,
    /// `default_lease_ttl`.
    pub default_lease_ttl: Option<Duration>,
    /// `max_lease_ttl`.
    pub max_lease_ttl: Option<Duration>,
    /// `lease_revocation_attempts` (Strongroom): failed revocations before a lease is marked
    /// irrevocable; Vault hard-codes 6.
    pub lease_revocation_attempts: Option<u32>,
    /// `lease_revocation_retry_base` (Strongroom): attempt n waits 2^n times this (±50 %);
    /// Vault hard-codes 10 s.
    pub lease_revocation_retry_base: Option<Duration>,
    /// `disable_clustering`: in Vault, standbys then redirect instead of forwarding. Strongroom's
    /// standbys always redirect (there is no request forwarding yet), so it is accepted and
    /// changes nothing.
    pub disable_clustering: bool,
    /// `disable_mlock`: accepted for compatibility (Strongroom never relies on mlock; key
    /// material is zeroized instead).
    pub disable_mlock: bool,
    /// `log_level` (`trace`, `debug`, `info`, `warn`, `error`).
    pub log_level: Option<String>,
}

/// Whether `address` has the `host:port` form a listener can bind.
fn is_host_port(address: &str) -> bool {
    address
        .rsplit_once(':')
        .is_some_and(|(host, port)| !host.is_empty() && port.parse::<u16>().is_ok())
}

/// Quotes `text` as an HCL string literal that parses back to exactly `text`.
pub(crate) fn hcl_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // `${` and `%{` start HCL templates; doubling the sigil keeps them literal.
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Config {
    /// The `-dev` configuration: in memory, one plain-HTTP listener on `address`.
    pub fn dev(address: &str) -> Result<Self, ConfigError> {
        if !is_host_port(address) {
            return Err(ConfigError::Invalid {
                file: "-dev-listen-address".into(),
                line: 1,
                message: format!("address {address:?} must be host:port"),
            });
        }
        let mut config = Self::with_storage(StorageConfig::Inmem);
        config.listeners.push(ListenerConfig {
            address: address.to_owned(),
        });
        // As in Vault, a dev server serves the web UI.
        config.ui = true;
        Ok(config)
    }

    /// `storage` with every other setting at its default (Shamir seal, no listener).
    fn with_storage(storage: StorageConfig) -> Self {
        Self {
            storage,
            seal: SealConfig::Shamir,
            old_seal: None,
            listeners: Vec::new(),
            api_addr: None,
            cluster_addr: None,
            cluster_name: None,
            ui: false,
            default_lease_ttl: None,
            max_lease_ttl: None,
            lease_revocation_attempts: None,
            lease_revocation_retry_base: None,
            disable_clustering: false,
            disable_mlock: false,
            log_level: None,
        }
    }

    /// Reads and parses a config file; environment variables override it as in Vault.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let source = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&source, &path.display().to_string())
    }

    /// Parses config text, with this process's environment; `file` names it in errors.
    pub fn parse(source: &str, file: &str) -> Result<Self, ConfigError> {
        parse::parse(source, file, &|name| std::env::var(name).ok())
    }

    /// Parses config text with `env` standing in for the process environment.
    pub fn parse_with_env(
        source: &str,
        file: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        parse::parse(source, file, env)
    }

    /// Opens the storage and the seals and returns the (sealed) node they make: the one place
    /// front ends turn a config into a node. Nothing is sent to KMS yet.
    pub async fn open_node(&self) -> Result<Arc<Node>, StorageError> {
        let storage = self.storage.open().await?;
        let seal = self.seal.open().await;
        let old_seal = match &self.old_seal {
            Some(old) => Some(old.open().await),
            None => None,
        };
        Ok(Node::with_seal(
            storage,
            self.node_options(),
            seal,
            old_seal,
        ))
    }

    /// The settings the node needs.
    pub fn node_options(&self) -> NodeOptions {
        NodeOptions {
            cluster_name: self.cluster_name.clone(),
            api_addr: self.api_addr.clone().or_else(|| {
                self.listeners
                    .first()
                    .map(|l| format!("http://{}", l.address))
            }),
            cluster_addr: self.cluster_addr.clone(),
            max_lease_ttl: self.max_lease_ttl.unwrap_or(DEFAULT_LEASE_TTL),
            default_lease_ttl: self.default_lease_ttl.unwrap_or(DEFAULT_LEASE_TTL),
            ..NodeOptions::default()
        }
        .with_revocation(
            self.lease_revocation_attempts,
            self.lease_revocation_retry_base,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_parse_back_whatever_they_hold() {
        for db in [
            "/data \"quoted\" \\dir/strongroom.db",
            "/odd/${HOME}/%{x}/$/%/new\nline\ttab\u{7}/db",
        ] {
            let text = format!("storage \"local\" {{\n  path = {}\n}}\n", hcl_string(db));
            let config = Config::parse(&text, "rendered").unwrap();
            assert_eq!(
                config.storage,
                StorageConfig::Local { path: db.into() },
                "{text}"
            );
        }
    }

    #[test]
    fn dev_config_checks_the_address() {
        let config = Config::dev("127.0.0.1:8300").unwrap();
        assert_eq!(config.storage, StorageConfig::Inmem);
        assert_eq!(
            config.node_options().api_addr.as_deref(),
            Some("http://127.0.0.1:8300")
        );
        let err = Config::dev("8300").unwrap_err().to_string();
        assert_eq!(
            err,
            "-dev-listen-address:1: address \"8300\" must be host:port"
        );
    }
}

//! The stored form of a lease, at `sys/expire/id/<lease id>` behind the barrier.
//!
//! Unlike Vault, the entry never holds the secret that was handed out (Vault stores the whole
//! response, database password included): only what the engine needs to renew or revoke it.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::random::random_base62;

/// What a lease stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LeaseKind {
    /// A secret from an engine; revoking it asks the engine.
    Secret,
    /// A token with a TTL; revoking it revokes the token, its children and their leases.
    Token,
}

/// One lease.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeaseEntry {
    /// `<request path>/<24 base62>`, or `<token path>/<salted token>` for tokens.
    pub lease_id: String,
    /// The request path that created it (`database/creds/readonly`).
    pub path: String,
    /// The mount it came from, with a trailing `/` (`database/`).
    pub mount: String,
    /// The engine's role name, for counts by role ("" when the engine has none).
    #[serde(default)]
    pub role: String,
    /// Secret or token.
    pub kind: LeaseKind,
    /// Salted id of the token that created it (for secrets), or of the token itself.
    #[serde(default)]
    pub client_token: String,
    /// What the engine needs to renew or revoke (never the secret itself).
    #[serde(default)]
    pub internal: Value,
    /// Whether renewals are allowed.
    pub renewable: bool,
    /// The engine's TTL in seconds (0: mount default), reused when a renewal has no increment.
    #[serde(default)]
    pub backend_ttl: u64,
    /// The engine's cap in seconds (0: none).
    #[serde(default)]
    pub backend_max_ttl: u64,
    /// A token's explicit cap in seconds (0: none).
    #[serde(default)]
    pub explicit_max_ttl: u64,
    /// Unix milliseconds.
    pub issue_time: i64,
    /// Unix milliseconds.
    pub expire_time: i64,
    /// Unix milliseconds of the last renewal.
    #[serde(default)]
    pub last_renewal: Option<i64>,
    /// Failed revocation attempts so far.
    #[serde(default)]
    pub revoke_attempts: u32,
    /// Set once retries are exhausted: the lease is irrevocable until `revoke-force`.
    #[serde(default)]
    pub revoke_error: Option<String>,
}

impl LeaseEntry {
    /// Whether revocation gave up on this lease.
    pub fn is_irrevocable(&self) -> bool {
        self.revoke_error.is_some()
    }
}

/// A new lease id under `path`.
pub fn new_lease_id(path: &str) -> String {
    format!("{}/{}", path.trim_end_matches('/'), random_base62(24))
}

/// Storage key of a lease entry, relative to `sys/expire/`.
pub fn entry_key(lease_id: &str) -> String {
    format!("id/{lease_id}")
}

/// Storage key of a token-index record, relative to `sys/expire/`.
pub fn token_index_key(salted_token: &str, salted_lease: &str) -> String {
    format!("token/{salted_token}/{salted_lease}")
}

/// Checks a lease id or prefix from a request: no empty, `.` or `..` segments.
pub fn check_lease_path(id: &str) -> bool {
    !id.is_empty()
        && id
            .trim_end_matches('/')
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lease_ids_have_vaults_shape() {
        let id = new_lease_id("database/creds/readonly");
        let (path, suffix) = id.rsplit_once('/').unwrap();
        assert_eq!(path, "database/creds/readonly");
        assert_eq!(suffix.len(), 24);
        assert!(suffix.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_eq!(entry_key(&id), format!("id/{id}"));
        assert!(check_lease_path("database/creds/"));
        assert!(!check_lease_path("database//x"));
        assert!(!check_lease_path("../x"));
        assert!(!check_lease_path(""));
    }
}

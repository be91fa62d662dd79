//! `kv` version 1: a key/value store of JSON objects.
//!
//! Each secret is one JSON object stored (through the barrier) at its path inside the mount.
//! Reads of missing secrets and lists of empty folders answer Vault's 404.
//!
//! A mount with the option `leased=true` hands out every read under a renewable lease, like
//! Vault's `-dev-leased-kv`: the TTL is the secret's `ttl` field, else the mount default, and
//! revoking the lease leaves the secret in place. It lets lease tooling be tried without a
//! database.

use async_trait::async_trait;
use serde_json::{json, Map, Value};

use crate::logical::{
    Backend, BackendRequest, LeaseRequest, LogicalError, Operation, Renewal, Response, Secret,
};
use crate::mount::MountEntry;
use crate::timefmt::parse_duration;

/// The kv version 1 engine.
pub struct KvBackend {
    leased: bool,
}

impl KvBackend {
    /// An engine; `leased` puts reads under leases.
    pub fn new(leased: bool) -> Self {
        Self { leased }
    }
}

/// Whether a kv mount was enabled with `leased=true`.
pub fn is_leased(entry: &MountEntry) -> bool {
    entry
        .options
        .get("leased")
        .and_then(|v| crate::logical::parse_bool(v))
        .unwrap_or(false)
}

/// The secret's own `ttl` field in seconds (0 when absent or unreadable).
fn secret_ttl(data: &Map<String, Value>) -> u64 {
    match data.get("ttl") {
        Some(Value::Number(n)) => n.as_u64().unwrap_or(0),
        Some(Value::String(s)) => parse_duration(s).map_or(0, |d| d.as_secs()),
        _ => 0,
    }
}

async fn read_secret(
    storage: &crate::barrier::BarrierView,
    key: &str,
) -> Result<Option<Map<String, Value>>, LogicalError> {
    let Some(bytes) = storage.get(key).await? else {
        return Ok(None);
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| LogicalError::Internal(format!("stored secret {key:?} is corrupt: {e}")))
}

fn check_key(path: &str) -> Result<(), LogicalError> {
    if path.is_empty() || path.ends_with('/') {
        return Err(LogicalError::InvalidRequest(format!(
            "invalid secret path {path:?}: a secret is named by a path that does not end in \"/\""
        )));
    }
    Ok(())
}

#[async_trait]
impl Backend for KvBackend {
    async fn handle(&self, req: &BackendRequest<'_>) -> Result<Option<Response>, LogicalError> {
        match req.operation {
            Operation::List => {
                let prefix = if req.path.is_empty() || req.path.ends_with('/') {
                    req.path.to_owned()
                } else {
                    format!("{}/", req.path)
                };
                Ok(Some(Response::list(req.storage.list(&prefix).await?)))
            }
            Operation::Read => {
                check_key(req.path)?;
                let Some(data) = read_secret(req.storage, req.path).await? else {
                    return Ok(None);
                };
                let secret = self.leased.then(|| Secret {
                    ttl: secret_ttl(&data),
                    max_ttl: 0,
                    renewable: true,
                    internal: json!({ "path": req.path }),
                    role: String::new(),
                });
                Ok(Some(Response {
                    secret,
                    ..Response::with_data(data)
                }))
            }
            Operation::Create | Operation::Update => {
                check_key(req.path)?;
                if req.data.is_empty() {
                    return Err(LogicalError::InvalidRequest("no data provided".into()));
                }
                let bytes = serde_json::to_vec(req.data)
                    .map_err(|e| LogicalError::Internal(e.to_string()))?;
                req.storage.put(req.path, &bytes).await?;
                Ok(None)
            }
            Operation::Delete => {
                check_key(req.path)?;
                req.storage.delete(req.path).await?;
                Ok(None)
            }
        }
    }

    /// A leased read is renewed with the secret's current `ttl` (it may have been rewritten).
    async fn renew(&self, req: &LeaseRequest<'_>) -> Result<Renewal, LogicalError> {
        if !self.leased {
            return Err(LogicalError::InvalidRequest(
                "lease is not renewable".into(),
            ));
        }
        let key = req
            .internal
            .get("path")
            .and_then(Value::as_str)
            .unwrap_or("");
        let ttl = match read_secret(req.storage, key).await? {
            Some(data) => secret_ttl(&data),
            None => 0,
        };
        Ok(Renewal {
            ttl,
            ..Renewal::default()
        })
    }

    async fn exists(&self, req: &BackendRequest<'_>) -> Result<Option<bool>, LogicalError> {
        if req.path.is_empty() || req.path.ends_with('/') {
            return Ok(Some(false));
        }
        Ok(Some(req.storage.get(req.path).await?.is_some()))
    }
}

//! `kv` version 1: a key/value store of JSON objects.
//!
//! Each secret is one JSON object stored (through the barrier) at its path inside the mount.
//! Reads of missing secrets and lists of empty folders answer Vault's 404.

use async_trait::async_trait;
use serde_json::{Map, Value};

use crate::logical::{Backend, BackendRequest, LogicalError, Operation, Response};

/// The kv version 1 engine.
pub struct KvBackend;

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
                let Some(bytes) = req.storage.get(req.path).await? else {
                    return Ok(None);
                };
                let data: Map<String, Value> = serde_json::from_slice(&bytes).map_err(|e| {
                    LogicalError::Internal(format!("stored secret {:?} is corrupt: {e}", req.path))
                })?;
                Ok(Some(Response::with_data(data)))
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

    async fn exists(&self, req: &BackendRequest<'_>) -> Result<Option<bool>, LogicalError> {
        if req.path.is_empty() || req.path.ends_with('/') {
            return Ok(Some(false));
        }
        Ok(Some(req.storage.get(req.path).await?.is_some()))
    }
}

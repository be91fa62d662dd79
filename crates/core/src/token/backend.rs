//! `auth/token/`: the token store's HTTP paths.

use std::sync::Arc;

use async_trait::async_trait;
use serde_json::{json, Map, Value};
use time::OffsetDateTime;

use super::{TokenEntry, TokenStore};
use crate::logical::{Backend, BackendRequest, LogicalError, Operation, Response};

/// The logical backend mounted at `auth/token/`.
pub struct TokenBackend {
    store: Arc<TokenStore>,
}

impl TokenBackend {
    /// A backend over `store`.
    pub fn new(store: Arc<TokenStore>) -> Self {
        Self { store }
    }
}

/// The `data` of a token lookup, in Vault's shape.
fn lookup_data(token: &str, entry: &TokenEntry) -> Map<String, Value> {
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let expire_time = (entry.ttl > 0)
        .then(|| {
            OffsetDateTime::from_unix_timestamp(entry.creation_time + entry.ttl as i64)
                .ok()
                .map(crate::timefmt::format_rfc3339)
        })
        .flatten();
    let remaining = expire_time
        .as_ref()
        .map_or(0, |_| (entry.creation_time + entry.ttl as i64 - now).max(0));
    let value = json!({
        "accessor": entry.accessor,
        "creation_time": entry.creation_time,
        "creation_ttl": entry.ttl,
        "display_name": entry.display_name,
        "entity_id": "",
        "expire_time": expire_time,
        "explicit_max_ttl": entry.explicit_max_ttl,
        "id": token,
        "meta": entry.meta,
        "num_uses": entry.num_uses,
        "orphan": entry.parent.is_empty(),
        "path": entry.path,
        "policies": entry.policies,
        "renewable": false,
        "ttl": remaining,
        "type": entry.token_type,
    });
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

#[async_trait]
impl Backend for TokenBackend {
    async fn handle(&self, req: &BackendRequest<'_>) -> Result<Option<Response>, LogicalError> {
        match (req.path, req.operation) {
            ("lookup-self", Operation::Read | Operation::Update) => {
                let (Some(token), Some(_)) = (req.client_token, req.token) else {
                    return Err(LogicalError::PermissionDenied);
                };
                // Re-read so the answer reflects the stored entry, not a cached copy.
                let entry = self
                    .store
                    .lookup(token)
                    .await
                    .map_err(|e| LogicalError::Internal(e.to_string()))?
                    .ok_or(LogicalError::PermissionDenied)?;
                Ok(Some(Response::with_data(lookup_data(token, &entry))))
            }
            ("lookup-self", _) => Err(LogicalError::UnsupportedOperation),
            (path, _) => Err(LogicalError::UnsupportedPath(format!("auth/token/{path}"))),
        }
    }
}

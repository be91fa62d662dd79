//! The logical request model shared by every mounted backend.
//!
//! The HTTP layer turns a Vault API call into a [`Request`]; the node authenticates it, the
//! mount router picks a [`Backend`], and the backend answers with a [`Response`] or a
//! [`LogicalError`]. Nothing here knows about HTTP.

mod fields;

use async_trait::async_trait;
use serde_json::{Map, Value};

use crate::barrier::{BarrierError, BarrierView};
use crate::error::{Classify, ErrorKind};
use crate::token::TokenEntry;

pub use fields::{parse_bool, Fields};

/// What a request does, as Vault's ACL sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// Write to a path that does not exist yet.
    Create,
    /// `GET`.
    Read,
    /// `PUT`/`POST` to an existing path (or a path without an existence check).
    Update,
    /// `DELETE`.
    Delete,
    /// `LIST`, or `GET` with `?list=true`.
    List,
}

impl Operation {
    /// The lowercase name used in logs and error messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Read => "read",
            Operation::Update => "update",
            Operation::Delete => "delete",
            Operation::List => "list",
        }
    }
}

/// A request for a logical path such as `secret/app` or `sys/mounts/secret`.
#[derive(Clone)]
pub struct Request {
    /// The operation.
    pub operation: Operation,
    /// The full path below `/v1/`, without a leading slash; lists end with `/`.
    pub path: String,
    /// The JSON body (an object).
    pub data: Map<String, Value>,
    /// The client token, from `X-Vault-Token` or `Authorization: Bearer`.
    pub client_token: Option<String>,
}

/// Shows field names only: bodies carry secrets and the token is a credential.
impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("operation", &self.operation)
            .field("path", &self.path)
            .field("data_keys", &self.data.keys().collect::<Vec<_>>())
            .field(
                "client_token",
                &self.client_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// What a backend sees: the request relative to its mount, its own storage, and the caller.
pub struct BackendRequest<'a> {
    /// The operation (after the create/update existence check).
    pub operation: Operation,
    /// The path relative to the mount point.
    pub path: &'a str,
    /// The request body.
    pub data: &'a Map<String, Value>,
    /// The mount's own storage.
    pub storage: &'a BarrierView,
    /// The authenticated caller, `None` on unauthenticated paths.
    pub token: Option<&'a TokenEntry>,
    /// The caller's token string (for `lookup-self`), `None` on unauthenticated paths.
    pub client_token: Option<&'a str>,
}

impl BackendRequest<'_> {
    /// Typed access to the body.
    pub fn fields(&self) -> Fields<'_> {
        Fields::new(self.data)
    }
}

/// A backend's answer; `None` from a backend means "no content" (HTTP 204).
#[derive(Clone, Default, PartialEq)]
pub struct Response {
    /// The `data` object.
    pub data: Option<Map<String, Value>>,
    /// Human-readable warnings.
    pub warnings: Vec<String>,
    /// The `auth` block (token creation, lookups that return auth).
    pub auth: Option<Value>,
}

/// Shows field names only: response data carries secrets.
impl std::fmt::Debug for Response {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response")
            .field(
                "data_keys",
                &self.data.as_ref().map(|d| d.keys().collect::<Vec<_>>()),
            )
            .field("warnings", &self.warnings)
            .field("auth", &self.auth.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Response {
    /// A response carrying `data`.
    pub fn with_data(data: Map<String, Value>) -> Self {
        Self {
            data: Some(data),
            ..Self::default()
        }
    }

    /// A list response (`{"keys": [...]}`); an empty list is Vault's 404.
    pub fn list(keys: Vec<String>) -> Self {
        let mut data = Map::new();
        data.insert("keys".into(), keys.into());
        Self::with_data(data)
    }
}

/// Errors a backend may return.
#[derive(Debug, thiserror::Error)]
pub enum LogicalError {
    /// The request is malformed; the message names the problem (HTTP 400).
    #[error("{0}")]
    InvalidRequest(String),
    /// No handler for the path.
    #[error("no handler for route {0:?}. route entry not found.")]
    UnsupportedPath(String),
    /// The path exists but does not support the operation.
    #[error("unsupported operation")]
    UnsupportedOperation,
    /// The caller may not do this.
    #[error("permission denied")]
    PermissionDenied,
    /// The barrier failed (sealed, storage, corrupted data).
    #[error(transparent)]
    Barrier(#[from] BarrierError),
    /// A server-side failure.
    #[error("{0}")]
    Internal(String),
}

impl Classify for LogicalError {
    fn kind(&self) -> ErrorKind {
        match self {
            LogicalError::InvalidRequest(_) => ErrorKind::InvalidRequest,
            LogicalError::UnsupportedPath(_) => ErrorKind::UnsupportedPath,
            LogicalError::UnsupportedOperation => ErrorKind::UnsupportedOperation,
            LogicalError::PermissionDenied => ErrorKind::PermissionDenied,
            LogicalError::Barrier(e) => e.kind(),
            LogicalError::Internal(_) => ErrorKind::Internal,
        }
    }
}

/// A mounted backend: a secrets engine, the token store, or the system backend.
#[async_trait]
pub trait Backend: Send + Sync {
    /// Handles one request.
    async fn handle(&self, req: &BackendRequest<'_>) -> Result<Option<Response>, LogicalError>;

    /// For writes: whether the target already exists, so the ACL can tell `create` from
    /// `update`. `None` means the backend does not distinguish (always `update`).
    async fn exists(&self, _req: &BackendRequest<'_>) -> Result<Option<bool>, LogicalError> {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn debug_output_never_shows_secrets() {
        let data = json!({"password": "hunter2"}).as_object().unwrap().clone();
        let req = Request {
            operation: Operation::Update,
            path: "secret/app".into(),
            data: data.clone(),
            client_token: Some("hvs.SECRETTOKEN".into()),
        };
        let shown = format!("{req:?} {:?}", Response::with_data(data));
        assert!(shown.contains("password") && shown.contains("secret/app"));
        assert!(
            !shown.contains("hunter2") && !shown.contains("SECRETTOKEN"),
            "{shown}"
        );
    }
}

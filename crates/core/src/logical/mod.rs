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
    /// Whether the caller's ACL grants `sudo` on this path (root tokens always).
    pub sudo: bool,
    /// Where this request's leases go, for engines that must store a lease before they
    /// create what it covers (`None` on unauthenticated paths).
    pub leases: Option<crate::lease::Issuer<'a>>,
    /// The password policies, for engines that generate passwords.
    pub passwords: &'a crate::system::password_policy::PasswordPolicies,
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
    /// A secret the node must put under a lease before answering.
    pub secret: Option<Secret>,
    /// The lease the node registered (`lease_id`, `lease_duration`, `renewable`).
    pub lease: Option<LeaseInfo>,
    /// Answer 202 Accepted (work queued, e.g. a lazy revoke or tidy).
    pub accepted: bool,
}

/// A secret an engine hands out under a lease: how long, and what the engine needs later to
/// renew or revoke it. The secret's values themselves stay in `data` and are never stored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Secret {
    /// Seconds (0: the mount's default).
    pub ttl: u64,
    /// The engine's cap in seconds (0: the mount's).
    pub max_ttl: u64,
    /// Whether `sys/leases/renew` may extend it.
    pub renewable: bool,
    /// Kept in the lease entry for renew and revoke (a username, never a password).
    pub internal: Value,
    /// The engine's role, for the dashboard's counts ("" when none).
    pub role: String,
}

/// The lease registered for a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaseInfo {
    /// The lease id.
    pub lease_id: String,
    /// Seconds.
    pub duration: u64,
    /// Whether it may be renewed.
    pub renewable: bool,
}

/// What an engine sees when a lease it issued is renewed or revoked.
pub struct LeaseRequest<'a> {
    /// The lease id.
    pub lease_id: &'a str,
    /// The mount's storage.
    pub storage: &'a BarrierView,
    /// What the engine stored with the lease.
    pub internal: &'a Value,
    /// The TTL asked for at renewal (0: the engine's default).
    pub increment: u64,
    /// When the lease was issued (Unix milliseconds).
    pub issue_ms: i64,
    /// The mount's TTL limits, so an engine can tell what a renewal will grant.
    pub limits: crate::lease::ttl::TtlLimits,
}

/// An engine's answer to a renewal.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Renewal {
    /// The TTL the engine grants (0: the mount default).
    pub ttl: u64,
    /// The engine's cap (0: none).
    pub max_ttl: u64,
    /// Replaces the lease's internal data when set.
    pub internal: Option<Value>,
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
    /// A 403 with Vault's specific message (`bad token`).
    #[error("{0}")]
    Forbidden(String),
    /// The barrier failed (sealed, storage, corrupted data).
    #[error(transparent)]
    Barrier(#[from] BarrierError),
    /// A server-side failure.
    #[error("{0}")]
    Internal(String),
    /// A system the engine manages failed or could not be reached (HTTP 502).
    #[error("{0}")]
    Upstream(String),
}

impl Classify for LogicalError {
    fn kind(&self) -> ErrorKind {
        match self {
            LogicalError::InvalidRequest(_) => ErrorKind::InvalidRequest,
            LogicalError::UnsupportedPath(_) => ErrorKind::UnsupportedPath,
            LogicalError::UnsupportedOperation => ErrorKind::UnsupportedOperation,
            LogicalError::PermissionDenied | LogicalError::Forbidden(_) => {
                ErrorKind::PermissionDenied
            }
            LogicalError::Barrier(e) => e.kind(),
            LogicalError::Internal(_) => ErrorKind::Internal,
            LogicalError::Upstream(_) => ErrorKind::Upstream,
        }
    }
}

/// A mounted backend: a secrets engine, the token store, or the system backend.
#[async_trait]
pub trait Backend: Send + Sync {
    /// Handles one request.
    async fn handle(&self, req: &BackendRequest<'_>) -> Result<Option<Response>, LogicalError>;

    /// Extends a lease this engine issued. Engines without renewal refuse.
    async fn renew(&self, _req: &LeaseRequest<'_>) -> Result<Renewal, LogicalError> {
        Err(LogicalError::InvalidRequest(
            "lease is not renewable".into(),
        ))
    }

    /// Revokes a lease this engine issued; must succeed when it is already gone.
    async fn revoke(&self, _req: &LeaseRequest<'_>) -> Result<(), LogicalError> {
        Ok(())
    }

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

//! The system backend mounted at `sys/`: mounts, key rotation and status.
//!
//! `sys/init`, `sys/unseal`, `sys/seal-status`, `sys/seal`, `sys/health`, `sys/leader` and
//! `sys/generate-root/*` work while sealed, need the node itself, or are authorized by key
//! shares, so the HTTP layer sends them straight to [`crate::node::Node`], which also answers
//! `sys/generate-root-token/*`; everything else under `sys/` is a logical path handled here.

mod leases;
mod mounts;
pub mod password_policy;
mod policy;
mod seal;
mod storage;

use serde_json::{Map, Value};

use crate::logical::{BackendRequest, LogicalError, Operation, Response};
use crate::node::{Active, NodeOptions};

/// What the system backend works with.
pub(crate) struct Context<'a> {
    pub(crate) active: &'a Active,
    pub(crate) options: &'a NodeOptions,
}

/// Whether `path` (relative to `sys/`) may be called without a token.
pub(crate) fn is_unauthenticated(path: &str) -> bool {
    path == "internal/ui/mounts" || path.starts_with("internal/ui/mounts/")
}

/// Whether `path` (relative to `sys/`) is root-protected for `op`: the ACL must grant `sudo`.
pub(crate) fn requires_sudo(path: &str, op: Operation) -> bool {
    matches!(path, "rotate" | "rotate/keyring" | "seal" | "step-down")
        || storage::is_storage_path(path)
        || seal::is_seal_path(path)
        || leases::canonical(path).is_some_and(|p| leases::requires_sudo(&p, op))
}

/// For create-vs-update on system paths that have an existence check (policies).
pub(crate) async fn exists(active: &Active, path: &str) -> Result<Option<bool>, LogicalError> {
    if policy::is_policy_path(path) {
        return policy::exists(&active.policies, path).await;
    }
    Ok(None)
}

/// Handles a request below `sys/`.
pub(crate) async fn handle(
    ctx: &Context<'_>,
    req: &BackendRequest<'_>,
) -> Result<Option<Response>, LogicalError> {
    let (active, options) = (ctx.active, ctx.options);
    let op = req.operation;
    if let Some(path) = leases::canonical(req.path) {
        return leases::handle(ctx, &path, req).await;
    }
    if policy::is_policy_path(req.path) {
        return policy::handle(ctx, req.path, req).await;
    }
    if let Some(rest) = req.path.strip_prefix("policies/password") {
        if rest.is_empty() || rest.starts_with('/') {
            return active.passwords.handle(rest, req).await;
        }
    }
    match req.path {
        "capabilities-self" | "capabilities" | "capabilities-accessor"
            if matches!(op, Operation::Update | Operation::Create) =>
        {
            policy::capabilities(ctx, req.path, req).await.map(Some)
        }
        "internal/ui/resultant-acl" if op == Operation::Read => {
            policy::resultant_acl(ctx, req).await.map(Some)
        }
        p if p.starts_with("mounts/") && p.ends_with("/tune") => {
            let path = &p["mounts/".len()..p.len() - "/tune".len()];
            match op {
                Operation::Read => mounts::read_tune(active, path).map(Some),
                Operation::Create | Operation::Update => mounts::tune(active, options, path, req)
                    .await
                    .map(|()| None),
                _ => Err(LogicalError::UnsupportedOperation),
            }
        }
        "mounts" if op == Operation::Read => Ok(Some(mounts::list(active))),
        p if p.starts_with("mounts/") => {
            let path = &p["mounts/".len()..];
            match op {
                Operation::Read => mounts::read(active, path).map(Some),
                Operation::Create | Operation::Update => mounts::enable(active, options, path, req)
                    .await
                    .map(|()| None),
                Operation::Delete => mounts::disable(active, path).await.map(|()| None),
                Operation::List => Err(LogicalError::UnsupportedOperation),
            }
        }
        "rotate" | "rotate/keyring" if op == Operation::Update => {
            let term = active.barrier.rotate().await?;
            tracing::info!(term, "barrier key rotated");
            Ok(None)
        }
        "step-down" if op == Operation::Update => {
            // Without HA there is nothing to give up; Vault answers 204 as well.
            if let Some(step_down) = &active.step_down {
                step_down.notify_one();
            }
            Ok(None)
        }
        "key-status" if op == Operation::Read => {
            let status = serde_json::to_value(active.barrier.key_status()?)
                .map_err(|e| LogicalError::Internal(e.to_string()))?;
            Ok(Some(Response::with_data(object(status))))
        }
        p if storage::is_storage_path(p) => storage::handle(active, p, req).await.map(Some),
        p if seal::is_seal_path(p) => seal::handle(active, p, req).await.map(Some),
        p if is_unauthenticated(p) && op == Operation::Read => {
            let path = p.strip_prefix("internal/ui/mounts").unwrap_or("");
            mounts::ui_mount(active, path.trim_start_matches('/')).map(Some)
        }
        "mounts"
        | "rotate"
        | "rotate/keyring"
        | "key-status"
        | "step-down"
        | "capabilities-self"
        | "capabilities"
        | "capabilities-accessor"
        | "internal/ui/resultant-acl" => Err(LogicalError::UnsupportedOperation),
        p if is_unauthenticated(p) => Err(LogicalError::UnsupportedOperation),
        other => Err(LogicalError::UnsupportedPath(format!("sys/{other}"))),
    }
}

/// A JSON value that is known to be an object, as a map.
fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

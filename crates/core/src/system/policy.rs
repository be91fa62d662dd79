//! `sys/policy`, `sys/policies/acl`, `sys/capabilities*` and `sys/internal/ui/resultant-acl`.

use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::{object, Context};
use crate::logical::{BackendRequest, LogicalError, Operation, Response};
use crate::policy::{decode_body, normalize_name, Acl, PolicyStoreError, RuleMap};
use crate::token::TokenEntry;

fn store_error(e: PolicyStoreError) -> LogicalError {
    match e {
        PolicyStoreError::Barrier(b) => LogicalError::Barrier(b),
        PolicyStoreError::Corrupt(m) => LogicalError::Internal(m),
        other => LogicalError::InvalidRequest(other.to_string()),
    }
}

/// Which API a policy path belongs to: Vault's legacy `sys/policy` (answers `rules`, data
/// copied to the top level) or `sys/policies/acl` (answers `policy`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Api {
    Legacy,
    Acl,
}

fn split(path: &str) -> Option<(Api, &str)> {
    if let Some(rest) = path.strip_prefix("policies/acl") {
        return Some((Api::Acl, rest.trim_start_matches('/')));
    }
    path.strip_prefix("policy")
        .filter(|r| r.is_empty() || r.starts_with('/'))
        .map(|rest| (Api::Legacy, rest.trim_start_matches('/')))
}

/// Whether `path` (below `sys/`) is a policy path.
pub(super) fn is_policy_path(path: &str) -> bool {
    split(path).is_some()
}

/// For create-vs-update: whether the named policy exists.
pub(super) async fn exists(
    policies: &crate::policy::PolicyStore,
    path: &str,
) -> Result<Option<bool>, LogicalError> {
    let Some((_, name)) = split(path).filter(|(_, n)| !n.is_empty()) else {
        return Ok(None);
    };
    let name = name.trim().to_lowercase();
    policies.exists(&name).await.map(Some).map_err(store_error)
}

/// Handles `sys/policy[/:name]` and `sys/policies/acl[/:name]`.
pub(super) async fn handle(
    ctx: &Context<'_>,
    path: &str,
    req: &BackendRequest<'_>,
) -> Result<Option<Response>, LogicalError> {
    let Some((api, name)) = split(path) else {
        return Err(LogicalError::UnsupportedPath(format!("sys/{path}")));
    };
    let store = &ctx.active.policies;
    if name.is_empty() {
        return match (req.operation, api) {
            (Operation::List, _) | (Operation::Read, Api::Legacy) => {
                let mut names = store.list().await.map_err(store_error)?;
                names.push("root".into());
                names.sort();
                let mut data = Map::new();
                data.insert("keys".into(), json!(names));
                if api == Api::Legacy {
                    data.insert("policies".into(), json!(names));
                }
                Ok(Some(Response::with_data(data)))
            }
            _ => Err(LogicalError::UnsupportedOperation),
        };
    }
    let (name, renamed) =
        normalize_name(name).map_err(|e| LogicalError::InvalidRequest(e.to_string()))?;
    match req.operation {
        Operation::Read => {
            let Some(policy) = store.get(&name).await.map_err(store_error)? else {
                return Ok(None);
            };
            let key = if api == Api::Legacy {
                "rules"
            } else {
                "policy"
            };
            let mut data = Map::new();
            data.insert("name".into(), Value::String(name));
            data.insert(key.into(), Value::String(policy.raw.clone()));
            Ok(Some(Response::with_data(data)))
        }
        Operation::Create | Operation::Update => {
            let f = req.fields();
            let mut warnings = Vec::new();
            let raw = match (f.string("policy")?, f.string("rules")?) {
                (Some(p), _) => p,
                (None, Some(r)) => {
                    warnings.push("'rules' is deprecated, please use 'policy' instead".into());
                    r
                }
                (None, None) => String::new(),
            };
            if raw.trim().is_empty() {
                return Err(LogicalError::InvalidRequest(
                    "'policy' parameter not supplied or empty".into(),
                ));
            }
            store
                .set(&name, &decode_body(&raw))
                .await
                .map_err(store_error)?;
            if renamed {
                warnings.push(format!("policy name was converted to {name}"));
            }
            Ok((!warnings.is_empty()).then(|| Response {
                warnings,
                ..Response::default()
            }))
        }
        Operation::Delete => {
            store.delete(&name).await.map_err(store_error)?;
            Ok(None)
        }
        Operation::List => Err(LogicalError::UnsupportedOperation),
    }
}

/// `sys/capabilities-self`, `sys/capabilities` (a token) and `sys/capabilities-accessor`:
/// the capabilities on each requested path, per path and, for a single path, under
/// `capabilities` too, as Vault answers.
pub(super) async fn capabilities(
    ctx: &Context<'_>,
    path: &str,
    req: &BackendRequest<'_>,
) -> Result<Response, LogicalError> {
    let f = req.fields();
    let mut paths = f.string_list("paths")?;
    paths.extend(f.string_list("path")?);
    if paths.is_empty() {
        return Err(LogicalError::InvalidRequest(
            "missing required field \"paths\"".into(),
        ));
    }
    let tokens = &ctx.active.tokens;
    let internal = |e: crate::token::TokenError| LogicalError::Internal(e.to_string());
    let entry = match path {
        "capabilities-self" => req.token.cloned(),
        "capabilities" => {
            let token = f.string("token")?.unwrap_or_default();
            tokens.lookup(&token).await.map_err(internal)?
        }
        _ => {
            let accessor = f.string("accessor")?.unwrap_or_default();
            match tokens
                .salted_by_accessor(&accessor)
                .await
                .map_err(internal)?
            {
                Some(salted) => tokens.entry_by_salted(&salted).await.map_err(internal)?,
                None => None,
            }
        }
    }
    .ok_or_else(|| LogicalError::InvalidRequest("invalid token".into()))?;
    let acl = acl_of(ctx, &entry).await?;
    let mut data = Map::new();
    for p in &paths {
        let p = p.trim_start_matches('/');
        data.insert(p.to_owned(), json!(acl.capability_names(p)));
    }
    if paths.len() == 1 {
        let only = data.values().next().cloned().unwrap_or(Value::Null);
        data.insert("capabilities".into(), only);
    }
    Ok(Response::with_data(object(Value::Object(data))))
}

/// `GET sys/internal/ui/resultant-acl`: the merged rules of the calling token's policies, as
/// Vault's UI reads them (`exact_paths`, `glob_paths` without the `*`, `root`), so a UI can
/// offer a narrow token the paths it may use without any right to list them.
pub(super) async fn resultant_acl(
    ctx: &Context<'_>,
    req: &BackendRequest<'_>,
) -> Result<Response, LogicalError> {
    let entry = req.token.ok_or(LogicalError::PermissionDenied)?;
    let acl = acl_of(ctx, entry).await?;
    let (exact, globs) = acl.rules();
    let paths = |rules: RuleMap| -> Map<String, Value> {
        rules
            .into_iter()
            .map(|(path, caps)| (path, json!({ "capabilities": caps })))
            .collect()
    };
    Ok(Response::with_data(object(json!({
        "root": acl.is_root(),
        "exact_paths": paths(exact),
        "glob_paths": paths(globs),
    }))))
}

/// The merged ACL of `entry`'s policies.
async fn acl_of(ctx: &Context<'_>, entry: &TokenEntry) -> Result<Arc<Acl>, LogicalError> {
    ctx.active
        .policies
        .acl(&entry.policies)
        .await
        .map_err(store_error)
}

//! `auth/token/`: create, look up, renew and revoke tokens, Vault's way.
//!
//! The token store is dispatched by the node with the lease manager and policy store at hand,
//! because a token's TTL is a lease and its policies must exist.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};
use zeroize::Zeroizing;

use super::{NewToken, TokenEntry, TokenStore};
use crate::lease::{self, ttl, Expiration, LeaseError};
use crate::logical::{BackendRequest, LogicalError, Operation, Response};
use crate::mount::MountEntry;
use crate::policy::PolicyStore;

/// What the token backend works with.
pub struct TokenContext<'a> {
    /// The token records.
    pub tokens: &'a TokenStore,
    /// Token TTLs are leases.
    pub leases: &'a Expiration,
    /// Policies must exist to be assigned.
    pub policies: &'a PolicyStore,
    /// The `auth/token/` mount (for its TTL limits).
    pub mount: &'a MountEntry,
}

fn internal<E: std::fmt::Display>(e: E) -> LogicalError {
    LogicalError::Internal(e.to_string())
}

/// Handles a request below `auth/token/`.
pub async fn handle(
    ctx: &TokenContext<'_>,
    req: &BackendRequest<'_>,
) -> Result<Option<Response>, LogicalError> {
    let write = matches!(req.operation, Operation::Update | Operation::Create);
    match req.path {
        "create" | "create-orphan" if write => create(ctx, req).await.map(Some),
        "lookup-self" if write || req.operation == Operation::Read => {
            let salted = caller(ctx, req)?;
            lookup(ctx, &salted, req.client_token).await.map(Some)
        }
        "lookup" if write || req.operation == Operation::Read => {
            let token = required(req, "token")?;
            let salted = ctx.tokens.salt_id(&token);
            lookup(ctx, &salted, Some(&token)).await.map(Some)
        }
        "lookup-accessor" if write => {
            let salted = by_accessor(ctx, &required(req, "accessor")?).await?;
            lookup(ctx, &salted, None).await.map(Some)
        }
        "renew-self" if write => {
            let salted = caller(ctx, req)?;
            renew(ctx, req, &salted, req.client_token).await.map(Some)
        }
        "renew" if write => {
            let token = required(req, "token")?;
            let salted = ctx.tokens.salt_id(&token);
            renew(ctx, req, &salted, Some(&token)).await.map(Some)
        }
        "renew-accessor" if write => {
            let salted = by_accessor(ctx, &required(req, "accessor")?).await?;
            renew(ctx, req, &salted, None).await.map(Some)
        }
        "revoke-self" if write => revoke(ctx, &caller(ctx, req)?).await,
        "revoke" if write => {
            let token = required(req, "token")?;
            revoke(ctx, &ctx.tokens.salt_id(&token)).await
        }
        "revoke-accessor" if write => {
            let salted = by_accessor(ctx, &required(req, "accessor")?).await?;
            revoke(ctx, &salted).await
        }
        "create" | "create-orphan" | "lookup-self" | "lookup" | "lookup-accessor"
        | "renew-self" | "renew" | "renew-accessor" | "revoke-self" | "revoke"
        | "revoke-accessor" => Err(LogicalError::UnsupportedOperation),
        path => Err(LogicalError::UnsupportedPath(format!("auth/token/{path}"))),
    }
}

fn caller(ctx: &TokenContext<'_>, req: &BackendRequest<'_>) -> Result<String, LogicalError> {
    req.client_token
        .map(|t| ctx.tokens.salt_id(t))
        .ok_or(LogicalError::PermissionDenied)
}

fn required(req: &BackendRequest<'_>, name: &str) -> Result<String, LogicalError> {
    req.fields()
        .string(name)?
        .filter(|s| !s.is_empty())
        .ok_or_else(|| LogicalError::InvalidRequest(format!("missing required field {name:?}")))
}

async fn by_accessor(ctx: &TokenContext<'_>, accessor: &str) -> Result<String, LogicalError> {
    ctx.tokens
        .salted_by_accessor(accessor)
        .await
        .map_err(internal)?
        .ok_or_else(|| LogicalError::InvalidRequest("invalid accessor".into()))
}

async fn entry(ctx: &TokenContext<'_>, salted: &str) -> Result<TokenEntry, LogicalError> {
    ctx.tokens
        .entry_by_salted(salted)
        .await
        .map_err(internal)?
        .ok_or_else(|| LogicalError::Forbidden("bad token".into()))
}

/// Vault's display name: `token` or `token-<name>` with anything but `[A-Za-z0-9-]` as `-`.
fn display_name(requested: &str) -> String {
    if requested.is_empty() {
        return "token".into();
    }
    let cleaned: String = requested
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let name = format!("token-{cleaned}");
    name.strip_suffix('-').map(str::to_owned).unwrap_or(name)
}

/// Lower-cased, trimmed, de-duplicated and sorted; `root` alone if present.
fn normalize_policies(policies: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = policies
        .into_iter()
        .map(|p| p.trim().to_lowercase())
        .filter(|p| !p.is_empty())
        .collect();
    out.sort();
    out.dedup();
    if out.iter().any(|p| p == "root") {
        return vec!["root".into()];
    }
    out
}

async fn create(
    ctx: &TokenContext<'_>,
    req: &BackendRequest<'_>,
) -> Result<Response, LogicalError> {
    let parent = req.token.ok_or(LogicalError::PermissionDenied)?;
    let parent_salted = caller(ctx, req)?;
    if parent.num_uses > 0 {
        return Err(LogicalError::InvalidRequest(
            "restricted use token cannot generate child tokens".into(),
        ));
    }
    let f = req.fields();
    let orphan = req.path == "create-orphan" || f.boolean("no_parent")?.unwrap_or(false);
    let id = f.string("id")?.filter(|s| !s.is_empty());
    if (f.boolean("no_parent")?.unwrap_or(false) || id.is_some()) && !req.sudo {
        return Err(LogicalError::InvalidRequest(
            "root or sudo privileges required to create a token with a custom id or no parent"
                .into(),
        ));
    }
    let periodic = f.duration("period")?.is_some_and(|p| !p.is_zero());
    for (name, given) in [
        ("period", periodic),
        (
            "role_name",
            f.string("role_name")?.is_some_and(|v| !v.is_empty()),
        ),
        (
            "entity_alias",
            f.string("entity_alias")?.is_some_and(|v| !v.is_empty()),
        ),
    ] {
        if given {
            return Err(LogicalError::InvalidRequest(format!(
                "{name:?} is not supported by this server"
            )));
        }
    }
    match f.string("type")?.as_deref() {
        None | Some("" | "service" | "default") => {}
        Some(other) => {
            return Err(LogicalError::InvalidRequest(format!(
                "token type {other:?} is not supported; only \"service\" tokens are"
            )))
        }
    }
    let requested = normalize_policies(f.string_list("policies")?);
    let no_default = f.boolean("no_default_policy")?.unwrap_or(false);
    let policies = token_policies(ctx, parent, req.sudo, requested, no_default).await?;
    let ttl_secs = f
        .duration("ttl")?
        .or(f.duration("lease")?)
        .unwrap_or_default()
        .as_secs();
    let explicit_max = f
        .duration("explicit_max_ttl")?
        .unwrap_or_default()
        .as_secs();
    let num_uses = f.uint("num_uses")?.unwrap_or(0);
    let meta: Option<BTreeMap<String, String>> = f.string_map("meta")?;
    let now = lease::now_ms();
    let never_expires = policies == ["root"] && ttl_secs == 0 && explicit_max == 0;
    let granted = if never_expires {
        None
    } else {
        Some(ttl::calculate(
            ctx.leases.limits(ctx.mount),
            ttl::TtlRequest {
                backend_ttl: ttl_secs,
                explicit_max_ttl: explicit_max,
                issue_ms: now,
                now_ms: now,
                ..ttl::TtlRequest::default()
            },
        )?)
    };
    let renewable = granted.is_some() && f.boolean("renewable")?.unwrap_or(true);
    let path = format!("auth/token/{}", req.path);
    let (token, entry) = ctx
        .tokens
        .create(NewToken {
            policies,
            path: path.clone(),
            display_name: display_name(&f.string("display_name")?.unwrap_or_default()),
            meta,
            num_uses,
            ttl: granted.as_ref().map_or(0, ttl::Ttl::seconds),
            explicit_max_ttl: explicit_max,
            parent: if orphan { String::new() } else { parent_salted },
            renewable,
            id,
        })
        .await
        .map_err(|e| match e {
            super::TokenError::DuplicateId | super::TokenError::InvalidId => {
                LogicalError::InvalidRequest(e.to_string())
            }
            other => internal(other),
        })?;
    let salted = ctx.tokens.salt_id(&token);
    let mut warnings = Vec::new();
    if let Some(ttl) = &granted {
        let lease = lease::TokenLease {
            path: &path,
            salted: &salted,
            ttl_secs,
            explicit_max_ttl: explicit_max,
            renewable,
            creation_ms: now,
            ttl_ms: ttl.ttl_ms,
        };
        if let Err(e) = ctx.leases.register_token(&lease).await {
            // No token without its lease: it would never expire.
            let _ = ctx.tokens.remove(&salted, &entry).await;
            return Err(e.into());
        }
        warnings.extend(ttl.warning.clone());
    }
    let duration = granted.as_ref().map_or(0, ttl::Ttl::seconds);
    Ok(Response {
        auth: Some(auth_block(&token, &entry, duration)),
        warnings,
        ..Response::default()
    })
}

/// Vault's rules for a child's policies: inherit when none are named; only a subset of the
/// parent's unless the caller has sudo; `default` added unless refused; every policy must
/// exist (Vault only warns, which hands out tokens that can do nothing).
async fn token_policies(
    ctx: &TokenContext<'_>,
    parent: &TokenEntry,
    sudo: bool,
    requested: Vec<String>,
    no_default: bool,
) -> Result<Vec<String>, LogicalError> {
    let mut policies = if requested.is_empty() {
        parent.policies.clone()
    } else {
        requested
    };
    if policies == ["root"] {
        if !parent.is_root() {
            return Err(LogicalError::InvalidRequest(
                "root tokens may only be created by a root token".into(),
            ));
        }
        return Ok(policies);
    }
    if !sudo && !parent.is_root() {
        if let Some(extra) = policies
            .iter()
            .find(|p| *p != "default" && !parent.policies.contains(p))
        {
            return Err(LogicalError::InvalidRequest(format!(
                "child policies must be subset of parent: {extra:?} is not among the parent's policies"
            )));
        }
    }
    let parent_has_default = parent.policies.iter().any(|p| p == "default");
    let add_default = if sudo || parent.is_root() {
        !no_default
    } else {
        parent_has_default && !no_default
    };
    if add_default {
        policies.push("default".into());
    } else if no_default {
        policies.retain(|p| p != "default");
    }
    for name in &policies {
        if !ctx.policies.exists(name).await.map_err(internal)? {
            return Err(LogicalError::InvalidRequest(format!(
                "policy {name:?} does not exist; write it first (sys/policies/acl/{name})"
            )));
        }
    }
    Ok(normalize_policies(policies))
}

/// The `auth` block of create and renew responses.
fn auth_block(token: &str, entry: &TokenEntry, duration: u64) -> Value {
    json!({
        "client_token": token,
        "accessor": entry.accessor,
        "policies": entry.policies,
        "token_policies": entry.policies,
        "identity_policies": null,
        "metadata": entry.meta,
        "lease_duration": duration,
        "renewable": entry.renewable,
        "entity_id": "",
        "token_type": entry.token_type,
        "orphan": entry.parent.is_empty(),
        "mfa_requirement": null,
        "num_uses": entry.num_uses,
    })
}

async fn lookup(
    ctx: &TokenContext<'_>,
    salted: &str,
    token: Option<&str>,
) -> Result<Response, LogicalError> {
    let entry = entry(ctx, salted).await?;
    let lease = if entry.ttl > 0 {
        match ctx.leases.lookup(&entry.lease_id(salted)).await {
            Ok(l) => Some(l),
            Err(LeaseError::Invalid(_)) => {
                return Err(LogicalError::InvalidRequest("bad token".into()))
            }
            Err(e) => return Err(e.into()),
        }
    } else {
        None
    };
    let data = json!({
        "accessor": entry.accessor,
        "creation_time": entry.creation_time,
        "creation_ttl": entry.ttl,
        "display_name": entry.display_name,
        "entity_id": "",
        "expire_time": lease.as_ref().map(|l| lease::rfc3339(l.expire_time)),
        "explicit_max_ttl": entry.explicit_max_ttl,
        // Lookups by accessor never reveal the token.
        "id": token.unwrap_or(""),
        "issue_time": lease.as_ref().map(|l| lease::rfc3339(l.issue_time)),
        "last_renewal": lease.as_ref().and_then(|l| l.last_renewal).map(lease::rfc3339),
        "last_renewal_time": lease.as_ref().and_then(|l| l.last_renewal).map(|ms| ms / 1000),
        "meta": entry.meta,
        "num_uses": entry.num_uses,
        "orphan": entry.parent.is_empty(),
        "path": entry.path,
        "policies": entry.policies,
        "renewable": entry.renewable,
        "ttl": lease.as_ref().map_or(0, |l| lease::seconds_left(l.expire_time)),
        "type": entry.token_type,
    });
    Ok(Response::with_data(match data {
        Value::Object(map) => map,
        _ => Map::new(),
    }))
}

async fn renew(
    ctx: &TokenContext<'_>,
    req: &BackendRequest<'_>,
    salted: &str,
    token: Option<&str>,
) -> Result<Response, LogicalError> {
    let entry = entry(ctx, salted).await?;
    let increment = req
        .fields()
        .duration("increment")?
        .unwrap_or_default()
        .as_secs();
    if entry.ttl == 0 {
        return Err(LogicalError::InvalidRequest(
            "token has no TTL, so there is nothing to renew".into(),
        ));
    }
    if !entry.renewable {
        return Err(LogicalError::InvalidRequest(
            "lease is not renewable".into(),
        ));
    }
    let grant = ctx
        .leases
        .renew_token(&entry.lease_id(salted), increment)
        .await?;
    let shown = Zeroizing::new(token.unwrap_or("").to_owned());
    Ok(Response {
        auth: Some(auth_block(&shown, &entry, grant.duration)),
        warnings: grant.warning.into_iter().collect(),
        ..Response::default()
    })
}

async fn revoke(ctx: &TokenContext<'_>, salted: &str) -> Result<Option<Response>, LogicalError> {
    ctx.leases.revoke_token_tree(salted).await?;
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_and_policies_are_normalized_like_vault() {
        assert_eq!(display_name(""), "token");
        assert_eq!(display_name("ci job#1"), "token-ci-job-1");
        assert_eq!(display_name("web!"), "token-web");
        assert_eq!(
            normalize_policies(vec![" Apps".into(), "default".into(), "apps".into()]),
            ["apps", "default"]
        );
        assert_eq!(
            normalize_policies(vec!["apps".into(), "ROOT".into()]),
            ["root"]
        );
    }
}

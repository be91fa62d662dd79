//! `sys/mounts` and `sys/internal/ui/mounts`.

use serde_json::{json, Map, Value};

use super::object;
use crate::logical::{BackendRequest, LogicalError, Response};
use crate::mount::{MountConfig, MountEntry, MountError, Table};
use crate::node::{Active, NodeOptions};

/// A mount as `sys/mounts` shows it (Vault's field set).
fn describe(entry: &MountEntry) -> Value {
    json!({
        "accessor": entry.accessor,
        "config": {
            "default_lease_ttl": entry.config.default_lease_ttl,
            "max_lease_ttl": entry.config.max_lease_ttl,
            "force_no_cache": false,
        },
        "description": entry.description,
        "external_entropy_access": false,
        "local": entry.local,
        "options": if entry.options.is_empty() { Value::Null } else { json!(entry.options) },
        "plugin_version": "",
        "running_plugin_version": format!("v{}+builtin.strongroom", crate::VERSION),
        "running_sha256": "",
        "seal_wrap": entry.seal_wrap,
        "type": entry.kind,
        "uuid": entry.uuid,
    })
}

fn mount_error(e: MountError) -> LogicalError {
    match e {
        MountError::Barrier(b) => LogicalError::Barrier(b),
        MountError::Corrupt(m) => LogicalError::Internal(m),
        other => LogicalError::InvalidRequest(other.to_string()),
    }
}

/// `GET sys/mounts`: every secrets engine by path.
pub(super) fn list(active: &Active) -> Response {
    let data: Map<String, Value> = active
        .mounts
        .entries(Table::Mounts)
        .iter()
        .map(|e| (e.path.clone(), describe(e)))
        .collect();
    Response::with_data(data)
}

fn find(active: &Active, path: &str) -> Option<MountEntry> {
    let wanted = format!("{}/", path.trim_matches('/'));
    active
        .mounts
        .entries(Table::Mounts)
        .into_iter()
        .find(|e| e.path == wanted)
}

/// `GET sys/mounts/:path`.
pub(super) fn read(active: &Active, path: &str) -> Result<Response, LogicalError> {
    let entry = find(active, path).ok_or_else(|| {
        LogicalError::InvalidRequest(format!(
            "no secret engine mount at {}/",
            path.trim_matches('/')
        ))
    })?;
    Ok(Response::with_data(object(describe(&entry))))
}

/// `POST sys/mounts/:path`: enables a secrets engine.
pub(super) async fn enable(
    active: &Active,
    options: &NodeOptions,
    path: &str,
    req: &BackendRequest<'_>,
) -> Result<(), LogicalError> {
    let fields = req.fields();
    let kind = fields
        .string("type")?
        .filter(|t| !t.is_empty())
        .ok_or_else(|| LogicalError::InvalidRequest("missing required field \"type\"".into()))?;
    let mut entry = MountEntry::new(
        Table::Mounts,
        path,
        &kind,
        &fields.string("description")?.unwrap_or_default(),
    );
    if let Some(config) = fields.object("config")? {
        let config = crate::logical::Fields::new(config);
        entry.config = MountConfig {
            default_lease_ttl: config
                .duration("default_lease_ttl")?
                .unwrap_or_default()
                .as_secs(),
            max_lease_ttl: config
                .duration("max_lease_ttl")?
                .unwrap_or_default()
                .as_secs(),
        };
        check_ttls(&entry.config, options)?;
    }
    if let Some(opts) = fields.string_map("options")? {
        entry.options = opts;
    }
    entry.local = fields.boolean("local")?.unwrap_or(false);
    entry.seal_wrap = fields.boolean("seal_wrap")?.unwrap_or(false);
    if entry.kind == "kv" {
        entry
            .options
            .entry("version".into())
            .or_insert_with(|| "1".into());
    }
    active.mounts.mount(entry).await.map_err(mount_error)
}

/// `DELETE sys/mounts/:path`: revokes the mount's leases first and keeps the mount if any
/// revocation fails (revoke-force them, then disable), as Vault does.
pub(super) async fn disable(active: &Active, path: &str) -> Result<(), LogicalError> {
    if let Some(entry) = find(active, path) {
        active
            .leases
            .revoke_prefix(&entry.path, crate::lease::Mode::Normal, true)
            .await
            .map_err(|e| {
                LogicalError::InvalidRequest(format!(
                    "failed to revoke the leases of {}: {e}",
                    entry.path
                ))
            })?;
    }
    match active.mounts.unmount(path).await {
        // Unmounting something that is not mounted succeeds, as in Vault.
        Ok(()) | Err(MountError::NotFound(_)) => Ok(()),
        Err(e) => Err(mount_error(e)),
    }
}

/// `GET sys/mounts/:path/tune`.
pub(super) fn read_tune(active: &Active, path: &str) -> Result<Response, LogicalError> {
    let entry = find(active, path).ok_or_else(|| {
        LogicalError::InvalidRequest(format!(
            "cannot fetch sysview for path \"{}/\"",
            path.trim_matches('/')
        ))
    })?;
    let limits = active.leases.limits(&entry);
    Ok(Response::with_data(object(json!({
        "default_lease_ttl": limits.default_ttl,
        "max_lease_ttl": limits.max_ttl,
        "description": entry.description,
        "force_no_cache": false,
        "options": entry.options,
    }))))
}

/// `POST sys/mounts/:path/tune`: lease TTLs and the description. New leases and renewals
/// use the new limits; existing expiry times stay as they are.
pub(super) async fn tune(
    active: &Active,
    options: &NodeOptions,
    path: &str,
    req: &BackendRequest<'_>,
) -> Result<(), LogicalError> {
    let entry = find(active, path).ok_or_else(|| {
        LogicalError::InvalidRequest(format!(
            "cannot tune \"{}/\": no such mount",
            path.trim_matches('/')
        ))
    })?;
    let fields = req.fields();
    let mut config = entry.config.clone();
    if let Some(d) = fields.duration("default_lease_ttl")? {
        config.default_lease_ttl = d.as_secs();
    }
    if let Some(m) = fields.duration("max_lease_ttl")? {
        config.max_lease_ttl = m.as_secs();
    }
    check_ttls(&config, options)?;
    let description = fields.string("description")?;
    active
        .mounts
        .update(&entry.path, |e| {
            e.config = config;
            if let Some(d) = description {
                e.description = d;
            }
        })
        .await
        .map_err(mount_error)
}

fn check_ttls(config: &MountConfig, options: &NodeOptions) -> Result<(), LogicalError> {
    let (default, max) = (config.default_lease_ttl, config.max_lease_ttl);
    if max != 0 && default > max {
        return Err(LogicalError::InvalidRequest(format!(
            "config.default_lease_ttl ({default}s) cannot be greater than config.max_lease_ttl ({max}s)"
        )));
    }
    let server = options.max_lease_ttl.as_secs();
    if max > server || default > server {
        return Err(LogicalError::InvalidRequest(format!(
            "lease TTLs cannot exceed the server's max_lease_ttl ({server}s)"
        )));
    }
    Ok(())
}

/// `GET sys/internal/ui/mounts[/:path]`: what the CLI asks before `kv` commands.
pub(super) fn ui_mount(active: &Active, path: &str) -> Result<Response, LogicalError> {
    if path.is_empty() {
        let table = |t: Table| -> Map<String, Value> {
            active
                .mounts
                .entries(t)
                .iter()
                .map(|e| (e.path.clone(), describe(e)))
                .collect()
        };
        let mut data = Map::new();
        data.insert("secret".into(), Value::Object(table(Table::Mounts)));
        data.insert("auth".into(), Value::Object(table(Table::Auth)));
        return Ok(Response::with_data(data));
    }
    let (route, _) = active.mounts.route(path).ok_or_else(|| {
        LogicalError::InvalidRequest(format!(
            "preflight capability check returned 403, please ensure client's policies grant access to path \"{path}/\""
        ))
    })?;
    let mut data = object(describe(&route.entry));
    data.insert("path".into(), Value::String(route.entry.route_path()));
    Ok(Response::with_data(data))
}

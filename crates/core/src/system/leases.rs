//! `sys/leases/*`: Vault's lease endpoints, and two documented extensions for the lease
//! dashboard, `sys/leases/counts`, `sys/leases/search` and `sys/leases/timeline`, which
//! answer from the in-memory index (no storage scan) and need only `read`, not `sudo`
//! (Vault's UI needs sudo to list).

use serde_json::{json, Map, Value};

use super::{object, Context};
use crate::lease::{self, Filter, LeaseEntry, Mode};
use crate::logical::{BackendRequest, Fields, LogicalError, Operation, Response};

/// Page size when the caller names none, and the largest page served.
const DEFAULT_PAGE: usize = 100;
const MAX_PAGE: usize = 10_000;

/// Maps Vault's legacy aliases (`sys/renew`, `sys/revoke`, ...) to `leases/...`.
pub(super) fn canonical(path: &str) -> Option<String> {
    for alias in ["renew", "revoke", "revoke-prefix", "revoke-force"] {
        if path == alias || path.starts_with(&format!("{alias}/")) {
            return Some(format!("leases/{path}"));
        }
    }
    (path == "leases" || path.starts_with("leases/")).then(|| path.to_owned())
}

/// Whether the lease path needs `sudo` for `op` (Vault's root-protected list).
pub(super) fn requires_sudo(path: &str, op: Operation) -> bool {
    path == "leases"
        || path.starts_with("leases/revoke-prefix/")
        || path.starts_with("leases/revoke-force/")
        || (op == Operation::List && path.starts_with("leases/lookup/"))
}

/// The lease id from the body (wins) or the URL suffix.
fn lease_id(fields: &Fields<'_>, suffix: &str) -> Result<String, LogicalError> {
    Ok(fields
        .string("lease_id")?
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| suffix.to_owned()))
}

fn sync_flag(fields: &Fields<'_>) -> Result<bool, LogicalError> {
    // Vault's code defaults to synchronous; the CLI always sends `sync` explicitly.
    Ok(fields.boolean("sync")?.unwrap_or(true))
}

fn done(sync: bool) -> Option<Response> {
    (!sync).then(|| Response {
        accepted: true,
        ..Response::default()
    })
}

/// Handles a lease path (already canonical: `leases...`).
pub(super) async fn handle(
    ctx: &Context<'_>,
    path: &str,
    req: &BackendRequest<'_>,
) -> Result<Option<Response>, LogicalError> {
    let leases = &ctx.active.leases;
    let f = req.fields();
    let op = req.operation;
    let write = matches!(op, Operation::Update | Operation::Create);
    let rest = path
        .strip_prefix("leases")
        .unwrap_or("")
        .trim_start_matches('/');
    let (verb, suffix) = rest.split_once('/').unwrap_or((rest, ""));
    match (verb, op) {
        ("lookup", Operation::List) => {
            let keys = leases.list(suffix).await?;
            Ok(Some(Response::list(keys)))
        }
        ("lookup", _) if write => {
            let id = lease_id(&f, suffix)?;
            let entry = leases.lookup(&id).await?;
            Ok(Some(Response::with_data(lookup_data(&entry))))
        }
        ("renew", _) if write => {
            let id = lease_id(&f, suffix)?;
            let increment = f.duration("increment")?.unwrap_or_default().as_secs();
            let grant = leases.renew(&id, increment).await?;
            Ok(Some(Response {
                warnings: grant.warning.into_iter().collect(),
                lease: Some(crate::logical::LeaseInfo {
                    lease_id: grant.lease_id,
                    duration: grant.duration,
                    renewable: grant.renewable,
                }),
                ..Response::default()
            }))
        }
        ("revoke", _) if write => {
            let id = lease_id(&f, suffix)?;
            let sync = sync_flag(&f)?;
            leases.revoke(&id, sync).await?;
            Ok(done(sync))
        }
        ("revoke-prefix", _) if write => {
            let sync = sync_flag(&f)?;
            leases.revoke_prefix(suffix, Mode::Normal, sync).await?;
            Ok(done(sync))
        }
        ("revoke-force", _) if write => {
            leases.revoke_prefix(suffix, Mode::Force, true).await?;
            Ok(None)
        }
        ("tidy", _) if write => {
            let started = leases.tidy();
            Ok(Some(Response {
                accepted: true,
                warnings: vec![if started {
                    "Tidy operation successfully started. Any information from the operation will be printed to the server logs.".into()
                } else {
                    "A tidy operation on leases is already in progress.".into()
                }],
                ..Response::default()
            }))
        }
        ("count", Operation::Read) => {
            let summary = leases.summary();
            let count = match f.string("type")?.as_deref() {
                Some("irrevocable") => summary.irrevocable,
                Some("all") | None => summary.total,
                Some(other) => {
                    return Err(LogicalError::InvalidRequest(format!(
                        "invalid type {other:?}: expected \"irrevocable\" or \"all\""
                    )))
                }
            };
            Ok(Some(Response::with_data(object(
                json!({ "lease_count": count }),
            ))))
        }
        ("", Operation::Read) => {
            match f.string("type")?.as_deref() {
                Some("irrevocable") => {}
                _ => {
                    return Err(LogicalError::InvalidRequest(
                        "type must be \"irrevocable\"".into(),
                    ))
                }
            }
            let limit = match f.string("limit")?.as_deref() {
                Some("none") => usize::MAX,
                _ => f.uint("limit")?.map_or(MAX_PAGE, |l| l as usize),
            };
            let filter = Filter {
                irrevocable: true,
                ..Filter::default()
            };
            let (page, total) = leases.search(&filter, None, limit);
            let mut warnings = Vec::new();
            if total > page.len() {
                warnings.push(format!(
                    "showing {} of {total} irrevocable leases; pass limit=none for all",
                    page.len()
                ));
            }
            let listed: Vec<Value> = page
                .iter()
                .map(|l| json!({"lease_id": l.lease_id, "namespace": "", "error": l.revoke_error}))
                .collect();
            Ok(Some(Response {
                warnings,
                ..Response::with_data(object(json!({ "leases": listed, "lease_count": total })))
            }))
        }
        ("counts", Operation::Read) => {
            let summary = leases.summary();
            let mounts: Map<String, Value> = summary
                .by_mount
                .iter()
                .map(|(mount, roles)| {
                    let total: usize = roles.values().sum();
                    (mount.clone(), json!({ "total": total, "roles": roles }))
                })
                .collect();
            Ok(Some(Response::with_data(object(json!({
                "total": summary.total,
                "irrevocable": summary.irrevocable,
                "mounts": mounts,
                "restoring": summary.restoring,
            })))))
        }
        ("search", Operation::Read) => search(ctx, &f).map(Some),
        ("timeline", Operation::Read) => timeline(ctx, &f).map(Some),
        (
            "lookup" | "renew" | "revoke" | "revoke-prefix" | "revoke-force" | "tidy" | "count"
            | "" | "counts" | "search" | "timeline",
            _,
        ) => Err(LogicalError::UnsupportedOperation),
        _ => Err(LogicalError::UnsupportedPath(format!("sys/{path}"))),
    }
}

/// `GET sys/leases/search`: filters `mount`, `role`, `prefix`, `expiring_within` (duration),
/// `irrevocable`; pages with `limit` and the `after` cursor the previous page returned.
fn search(ctx: &Context<'_>, f: &Fields<'_>) -> Result<Response, LogicalError> {
    let limit = f.uint("limit")?.map_or(DEFAULT_PAGE, |l| l as usize);
    if limit == 0 || limit > MAX_PAGE {
        return Err(LogicalError::InvalidRequest(format!(
            "limit must be between 1 and {MAX_PAGE}"
        )));
    }
    let mount = f.string("mount")?.filter(|m| !m.is_empty()).map(|m| {
        let m = m.trim_matches('/');
        format!("{m}/")
    });
    let filter = Filter {
        mount,
        role: f.string("role")?.filter(|r| !r.is_empty()),
        prefix: f.string("prefix")?.filter(|p| !p.is_empty()),
        expiring_before: f
            .duration("expiring_within")?
            .map(|d| lease::now_ms() + d.as_millis() as i64),
        irrevocable: f.boolean("irrevocable")?.unwrap_or(false),
    };
    let after = f.string("after")?.filter(|a| !a.is_empty());
    // One more than the page: a cursor is given only when something follows, so a last page
    // that is exactly full does not lead to an empty one.
    let (mut page, total) = ctx
        .active
        .leases
        .search(&filter, after.as_deref(), limit + 1);
    let more = page.len() > limit;
    page.truncate(limit);
    let next = more.then(|| {
        page.last().map(|l| {
            if filter.expiring_before.is_some() {
                format!("{}:{}", l.expire_ms, l.lease_id)
            } else {
                l.lease_id.clone()
            }
        })
    });
    let leases: Vec<Value> = page
        .iter()
        .map(|l| {
            json!({
                "lease_id": l.lease_id,
                "mount": l.mount,
                "role": l.role,
                "expire_time": lease::rfc3339(l.expire_ms),
                "ttl": lease::seconds_left(l.expire_ms),
                "irrevocable": l.revoke_error.is_some(),
                "revoke_error": l.revoke_error,
            })
        })
        .collect();
    Ok(Response::with_data(object(json!({
        "leases": leases,
        "total": total,
        "next": next.flatten(),
    }))))
}

/// Longest timeline window (a lease's default max TTL is 32 days).
const MAX_WINDOW_SECS: u64 = 32 * 24 * 3600;
/// Most slices in one timeline.
const MAX_BUCKETS: u64 = 500;

/// `GET sys/leases/timeline`: how many leases expire in each of `buckets` (default 24) equal
/// slices of the next `window` (default 24h), for the dashboard's expiring-soon chart.
fn timeline(ctx: &Context<'_>, f: &Fields<'_>) -> Result<Response, LogicalError> {
    let window = f.duration("window")?.map_or(24 * 3600, |d| d.as_secs());
    let buckets = f.uint("buckets")?.unwrap_or(24);
    if !(1..=MAX_BUCKETS).contains(&buckets) {
        return Err(LogicalError::InvalidRequest(format!(
            "buckets must be between 1 and {MAX_BUCKETS}"
        )));
    }
    if window == 0 || window > MAX_WINDOW_SECS || window % buckets != 0 {
        return Err(LogicalError::InvalidRequest(format!(
            "window must be between 1s and 768h and a whole number of seconds per bucket, \
             got {window}s for {buckets} buckets"
        )));
    }
    let bucket_secs = window / buckets;
    let start = lease::now_ms();
    let timeline = ctx
        .active
        .leases
        .timeline(start, bucket_secs as i64 * 1000, buckets as usize);
    Ok(Response::with_data(object(json!({
        "start_time": lease::rfc3339(start),
        "bucket_seconds": bucket_secs,
        "counts": timeline.counts,
        "overdue": timeline.overdue,
        "later": timeline.later,
    }))))
}

/// `sys/leases/lookup` data, Vault's fields plus the mount and role.
fn lookup_data(entry: &LeaseEntry) -> Map<String, Value> {
    let mut data = object(json!({
        "id": entry.lease_id,
        "issue_time": lease::rfc3339(entry.issue_time),
        "expire_time": lease::rfc3339(entry.expire_time),
        "last_renewal": entry.last_renewal.map(lease::rfc3339),
        "renewable": entry.renewable && !entry.is_irrevocable(),
        "ttl": lease::seconds_left(entry.expire_time),
        "mount": entry.mount,
        "role": entry.role,
    }));
    if let Some(e) = &entry.revoke_error {
        data.insert("revoke_error".into(), Value::String(e.clone()));
    }
    data
}

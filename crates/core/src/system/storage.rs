//! `sys/storage/dynamodb/*` (a Strongroom extension): the table behind the node, for operators
//! and the desktop app's storage page.
//!
//! - `GET  sys/storage/dynamodb`: the live table (status, billing, capacity, item count, size)
//!   and the settings the node runs with;
//! - `POST sys/storage/dynamodb`: change `billing_mode`, `read_capacity`, `write_capacity`;
//! - `GET  sys/storage/dynamodb/iam-policy`: bootstrap and steady-state IAM policies scoped to
//!   the table's real ARN;
//! - `GET  sys/storage/dynamodb/terraform`: an `aws_dynamodb_table` resource for the table.
//!
//! All of them need `sudo`: they reveal and change infrastructure.

use serde_json::{json, Value};

use super::object;
use crate::barrier::BarrierError;
use crate::logical::{BackendRequest, Fields, LogicalError, Operation, Response};
use crate::node::Active;
use crate::storage::dynamodb::{iam, BillingMode, TableChange};
use crate::storage::{DynamoDbBackend, StorageError};

const ROOT: &str = "storage/dynamodb";

/// Whether `path` (relative to `sys/`) is one of these endpoints.
pub(super) fn is_storage_path(path: &str) -> bool {
    path == "storage" || path.starts_with("storage/")
}

fn storage_error(e: StorageError) -> LogicalError {
    LogicalError::Barrier(BarrierError::Storage(e))
}

fn data(value: Value) -> Response {
    Response::with_data(object(value))
}

/// Handles `sys/storage/...`.
pub(super) async fn handle(
    active: &Active,
    path: &str,
    req: &BackendRequest<'_>,
) -> Result<Response, LogicalError> {
    let storage = active.barrier.storage();
    let Some(table) = storage.dynamodb() else {
        return Err(LogicalError::InvalidRequest(format!(
            "this node's storage is {:?}, not dynamodb: there is no table to administer",
            storage.kind()
        )));
    };
    match (path.strip_prefix(ROOT), req.operation) {
        (Some(""), Operation::Read) => describe(table).await,
        (Some(""), Operation::Update | Operation::Create) => update(table, req).await,
        (Some("/iam-policy"), Operation::Read) => {
            let arn = table.describe_table().await.map_err(storage_error)?.arn;
            let policies = iam::policies(table.settings(), &arn);
            Ok(data(
                serde_json::to_value(policies)
                    .map_err(|e| LogicalError::Internal(e.to_string()))?,
            ))
        }
        (Some("/terraform"), Operation::Read) => Ok(data(json!({
            "terraform": iam::terraform(table.settings()),
        }))),
        (Some("" | "/iam-policy" | "/terraform"), _) => Err(LogicalError::UnsupportedOperation),
        _ => Err(LogicalError::UnsupportedPath(format!("sys/{path}"))),
    }
}

async fn describe(table: &DynamoDbBackend) -> Result<Response, LogicalError> {
    let live = table.describe_table().await.map_err(storage_error)?;
    let s = table.settings();
    let counts = table.request_counts();
    Ok(data(json!({
        "table": live,
        // What this node has asked of the table since it opened: the basis of the desktop's
        // capacity estimate (the HA lock's UpdateItems count as writes).
        "workload": {
            "seconds": table.uptime().as_secs_f64(),
            "reads": counts.get_item + counts.query,
            "writes": counts.items_written + counts.update_item,
        },
        "config": {
            "table": s.table,
            "region": s.region,
            "endpoint": s.endpoint,
            "billing_mode": s.billing_mode.as_str(),
            "read_capacity": s.read_capacity,
            "write_capacity": s.write_capacity,
            "max_parallel": s.max_parallel,
            "ha_enabled": s.ha_enabled,
            "dynamodb_allow_updates": s.allow_updates,
        },
    })))
}

async fn update(
    table: &DynamoDbBackend,
    req: &BackendRequest<'_>,
) -> Result<Response, LogicalError> {
    let fields = Fields::new(req.data);
    let billing_mode = fields
        .string("billing_mode")?
        .map(|mode| {
            BillingMode::parse(&mode).ok_or_else(|| {
                LogicalError::InvalidRequest(format!(
                    "billing_mode {mode:?} must be PROVISIONED or PAY_PER_REQUEST"
                ))
            })
        })
        .transpose()?;
    let change = TableChange {
        billing_mode,
        read_capacity: fields.uint("read_capacity")?,
        write_capacity: fields.uint("write_capacity")?,
    };
    let updated = table.update_table(change).await.map_err(storage_error)?;
    tracing::info!(
        billing_mode = updated.billing_mode.as_str(),
        read_capacity = updated.read_capacity,
        write_capacity = updated.write_capacity,
        "DynamoDB table updated"
    );
    Ok(data(json!({ "table": updated })))
}

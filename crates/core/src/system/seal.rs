//! `sys/seal/awskms*` (a Strongroom extension): the KMS key behind an auto-unseal node, for
//! operators and the desktop app's IAM page.
//!
//! - `GET sys/seal/awskms`: the configured key, what it resolves to now (ARN, state), the
//!   region and endpoint, and how many requests the seal has sent to KMS;
//! - `GET sys/seal/awskms/policy?key_users=ARN,...&key_admins=ARN,...`: the IAM policy for the
//!   principal Strongroom runs as and the key policy separating key users from key admins.
//!
//! Both need `sudo`: they reveal infrastructure.

use super::object;
use crate::logical::{BackendRequest, Fields, LogicalError, Operation, Response};
use crate::node::Active;
use crate::seal::awskms::{policy, AwsKms};

/// Whether `path` (relative to `sys/`) is one of these endpoints.
pub(super) fn is_seal_path(path: &str) -> bool {
    path.starts_with("seal/")
}

/// Handles `sys/seal/...`.
pub(super) async fn handle(
    active: &Active,
    path: &str,
    req: &BackendRequest<'_>,
) -> Result<Response, LogicalError> {
    let kms = active.seal.auto().ok_or_else(|| {
        LogicalError::InvalidRequest(format!(
            "this node's seal is {:?}, not awskms: there is no KMS key to describe",
            active.seal.type_name()
        ))
    })?;
    match (path, req.operation) {
        ("seal/awskms", Operation::Read) => describe(kms).await,
        ("seal/awskms/policy", Operation::Read) => {
            let fields = Fields::new(req.data);
            let users = fields.string_list("key_users")?;
            let admins = fields.string_list("key_admins")?;
            let arn = key_arn(kms).await?;
            let documents =
                policy::documents(&arn, &users, &admins).map_err(LogicalError::InvalidRequest)?;
            let mut response = Response::with_data(object(documents));
            if users.is_empty() {
                response.warnings.push(
                    "no key_users given: pass the IAM role or user Strongroom runs as to get \
                     the key policy too"
                        .into(),
                );
            }
            Ok(response)
        }
        ("seal/awskms" | "seal/awskms/policy", _) => Err(LogicalError::UnsupportedOperation),
        (other, _) => Err(LogicalError::UnsupportedPath(format!("sys/{other}"))),
    }
}

/// The key's ARN: asked from KMS (the alias may have moved since the node started).
async fn key_arn(kms: &AwsKms) -> Result<String, LogicalError> {
    kms.describe_key()
        .await
        .map(|d| d.arn)
        .map_err(|e| LogicalError::Internal(e.to_string()))
}

async fn describe(kms: &AwsKms) -> Result<Response, LogicalError> {
    let description = kms
        .describe()
        .await
        .map_err(|e| LogicalError::Internal(e.to_string()))?;
    let value =
        serde_json::to_value(description).map_err(|e| LogicalError::Internal(e.to_string()))?;
    Ok(Response::with_data(object(value)))
}

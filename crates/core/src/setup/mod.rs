//! First-run setup (a Strongroom extension behind `sys/setup/*`): what the desktop wizard and
//! `strongroom server -setup` use before any config exists.
//!
//! The wizard's answers are checked by the same code the node will run — the config parser,
//! the DynamoDB probe, the KMS probe — so "Test connection" passing means the server will
//! start. Failures carry the form field at fault ([`SetupError::field`]).

pub mod form;

use serde::Serialize;
use serde_json::{json, Value};
use zeroize::Zeroizing;

use crate::aws::{Culprit, ProbeError};
use crate::config::{Config, SealConfig, StorageConfig};
use crate::seal::awskms::{policy, AwsKms};
use crate::storage::dynamodb::{iam, TableAdmin, TableDescription};

pub use form::{BlockForm, Plan, PlanOptions};

/// Where a host keeps secrets outside the config file (the desktop's OS keychain).
pub trait SecretStore: Send + Sync {
    /// The value stored under `name`, if any.
    fn get(&self, name: &str) -> Result<Option<Zeroizing<String>>, String>;
    /// Stores `value` under `name`, replacing what was there.
    fn set(&self, name: &str, value: &str) -> Result<(), String>;
    /// Removes `name`; removing what is not there succeeds.
    fn delete(&self, name: &str) -> Result<(), String>;
}

/// A setup request that failed, with the form field to show it at (`region`,
/// `storage.read_capacity`, `credentials`, `permissions`), if one is at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SetupError {
    /// The field at fault.
    pub field: Option<String>,
    /// What is wrong and what to do.
    pub message: String,
}

impl SetupError {
    /// An error at `field`.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// An error at no particular field.
    pub fn general(message: impl Into<String>) -> Self {
        Self {
            field: None,
            message: message.into(),
        }
    }

    /// The error's field as seen from inside one block (`storage.region` →
    /// `region`): the single-block check endpoints answer with bare names.
    fn bare(mut self) -> Self {
        if let Some(field) = &self.field {
            if let Some((_, key)) = field.split_once('.') {
                self.field = Some(key.to_owned());
            }
        }
        self
    }
}

/// The form field a probe failure points at; `resource` names the table or key field.
fn probe_error(e: ProbeError, resource: &str) -> SetupError {
    let field = match e.culprit {
        Culprit::Endpoint => Some("endpoint"),
        Culprit::Region => Some("region"),
        Culprit::Credentials => Some("credentials"),
        Culprit::Permissions => Some("permissions"),
        Culprit::Resource => Some(resource),
        Culprit::Service => None,
    };
    SetupError {
        field: field.map(str::to_owned),
        message: e.message,
    }
}

/// The result of a storage check: Vault-style raw JSON for the wizard.
#[derive(Debug, Serialize)]
pub struct StorageCheck {
    /// Always true (failures are errors).
    pub ok: bool,
    /// One sentence for the user.
    pub message: String,
    /// Whether the table exists (always true for local storage: the file is created).
    pub table_exists: bool,
    /// The table, for DynamoDB.
    pub table: Option<TableDescription>,
}

/// Parses one block on its own (with a neutral other block) to validate it.
fn single_block(
    block: &'static str,
    body: &Value,
    options: &PlanOptions<'_>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Config, SetupError> {
    let form = BlockForm::from_json(block, body).map_err(SetupError::bare)?;
    let (storage, seal) = if block == "storage" {
        (
            form,
            BlockForm::from_json("seal", &json!({"type": "shamir"}))?,
        )
    } else {
        (
            BlockForm::from_json("storage", &json!({"type": "local"}))?,
            form,
        )
    };
    let plan = form::plan(&storage, &seal, options, env).map_err(SetupError::bare)?;
    Ok(plan.config)
}

/// "Test connection" (`create`: "Create table") for a storage block.
pub async fn check_storage(
    body: &Value,
    options: &PlanOptions<'_>,
    env: &(dyn Fn(&str) -> Option<String> + Sync),
    create: bool,
) -> Result<StorageCheck, SetupError> {
    match single_block("storage", body, options, env)?.storage {
        StorageConfig::DynamoDb(settings) => {
            let admin = TableAdmin::connect(settings).await;
            let report = if create {
                admin.create_checked().await
            } else {
                admin.probe().await
            }
            .map_err(|e| probe_error(e, "table"))?;
            Ok(StorageCheck {
                ok: true,
                message: report.message,
                table_exists: report.table.is_some(),
                table: report.table,
            })
        }
        StorageConfig::Local { path } => Ok(StorageCheck {
            ok: true,
            message: format!(
                "Local storage needs no connection: everything is kept in {}.",
                path.display()
            ),
            table_exists: true,
            table: None,
        }),
        StorageConfig::Inmem => Err(SetupError::field("type", "choose local or dynamodb")),
    }
}

/// "Test key" for a seal block.
pub async fn check_seal(
    body: &Value,
    options: &PlanOptions<'_>,
    env: &(dyn Fn(&str) -> Option<String> + Sync),
) -> Result<Value, SetupError> {
    match single_block("seal", body, options, env)?.seal {
        SealConfig::Shamir => Ok(json!({
            "ok": true,
            "message": "Key shares need no connection: they are made when you initialize.",
        })),
        SealConfig::AwsKms(settings) => {
            let probe = AwsKms::connect(settings)
                .await
                .probe()
                .await
                .map_err(|e| probe_error(e, "kms_key_id"))?;
            Ok(json!({
                "ok": true,
                "message": probe.message,
                "key": {"arn": probe.arn, "key_id": probe.key_id, "state": probe.state},
            }))
        }
    }
}

/// The IAM documents the answers need, before anything exists: the DynamoDB bootstrap and
/// steady-state policies and Terraform (ARNs with `*` for the unknown account), and the KMS
/// policy for the key as named.
pub fn iam_documents(
    storage: &Value,
    seal: &Value,
    options: &PlanOptions<'_>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Value, SetupError> {
    let storage_form = BlockForm::from_json("storage", storage)?;
    let seal_form = BlockForm::from_json("seal", seal)?;
    let config = form::plan(&storage_form, &seal_form, options, env)?.config;
    let (dynamodb, terraform) = match &config.storage {
        StorageConfig::DynamoDb(s) => (
            Some(
                serde_json::to_value(iam::policies(s, &iam::table_arn(s, None)))
                    .map_err(|e| SetupError::general(e.to_string()))?,
            ),
            Some(iam::terraform(s)),
        ),
        _ => (None, None),
    };
    let kms = match &config.seal {
        SealConfig::AwsKms(s) => Some(
            policy::documents(&key_arn_pattern(&s.key_id, s.region.as_deref()), &[], &[])
                .map_err(SetupError::general)?,
        ),
        SealConfig::Shamir => None,
    };
    Ok(json!({"dynamodb": dynamodb, "terraform": terraform, "kms": kms}))
}

/// The ARN a policy can name for a key given as an id, ARN or alias, before it is looked up:
/// aliases cannot be named in a key's resource, so they widen to every key in the region.
fn key_arn_pattern(key_id: &str, region: Option<&str>) -> String {
    let region = region.unwrap_or("*");
    if key_id.starts_with("arn:") && !key_id.contains(":alias/") {
        key_id.to_owned()
    } else if key_id.starts_with("alias/") || key_id.contains(":alias/") {
        format!("arn:aws:kms:{region}:*:key/*")
    } else {
        format!("arn:aws:kms:{region}:*:key/{key_id}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_patterns_for_policies() {
        assert_eq!(
            key_arn_pattern("1234abcd-12ab-34cd-56ef-1234567890ab", Some("eu-west-1")),
            "arn:aws:kms:eu-west-1:*:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        );
        assert_eq!(
            key_arn_pattern("alias/strongroom", None),
            "arn:aws:kms:*:*:key/*"
        );
        let arn = "arn:aws:kms:us-east-1:111122223333:key/abc";
        assert_eq!(key_arn_pattern(arn, None), arn);
    }

    #[test]
    fn probe_failures_name_the_field() {
        let e = |culprit| ProbeError {
            culprit,
            message: "m".into(),
        };
        assert_eq!(
            probe_error(e(Culprit::Resource), "table").field.as_deref(),
            Some("table")
        );
        assert_eq!(
            probe_error(e(Culprit::Endpoint), "table").field.as_deref(),
            Some("endpoint")
        );
        assert_eq!(probe_error(e(Culprit::Service), "table").field, None);
        assert_eq!(
            SetupError::field("seal.region", "m")
                .bare()
                .field
                .as_deref(),
            Some("region")
        );
    }
}

//! "Test connection" and "Create table" for the setup wizard: every call a node will make is
//! tried once, and a failure names the setting at fault ([`Culprit`]) so the form can show it
//! at the right field — the endpoint that does not answer, the mistyped region, the keys AWS
//! does not know, the permission the IAM policy lacks, the table with the wrong key schema.

use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_dynamodb::Client;

use super::table::{check_schema, send_create, wait_active};
use super::{DynamoDbSettings, TableAdmin, TableDescription, KEY, PATH, VALUE};
use crate::aws::{self, Culprit, ProbeError};
use crate::storage::StorageError;

/// The partition the write probe uses: outside every path the storage layer lists.
const PROBE_PATH: &str = "_strongroom-setup-probe";

/// What a successful probe found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeReport {
    /// The table, when it exists (`None`: reachable, allowed, but not created yet).
    pub table: Option<TableDescription>,
    /// One sentence for the user.
    pub message: String,
}

impl TableAdmin {
    /// Checks credentials, reachability, `DescribeTable`, the key schema and — when the table
    /// exists — that items can be read, written and deleted (one probe item, removed again).
    pub async fn probe(&self) -> Result<ProbeReport, ProbeError> {
        let (client, s) = self.parts();
        check_credentials(s).await?;
        let table = match try_describe_classified(client, s).await? {
            None => {
                return Ok(ProbeReport {
                    table: None,
                    message: format!(
                        "Connected to DynamoDB in {}. Table {:?} does not exist yet: create it \
                         now, or let Strongroom create it when it starts.",
                        s.region, s.table
                    ),
                })
            }
            Some(table) => table,
        };
        check_schema(&table, &s.table).map_err(|e| ProbeError {
            culprit: Culprit::Resource,
            message: e.to_string(),
        })?;
        probe_items(client, s).await?;
        let description = TableDescription::from_sdk(&table);
        Ok(ProbeReport {
            message: format!(
                "Connected to DynamoDB in {}. Table {:?} is {} with the right key schema, and \
                 these credentials can read, write and delete items in it.",
                s.region, s.table, description.status
            ),
            table: Some(description),
        })
    }

    /// Creates the table (after the same checks as [`probe`](Self::probe)) and waits until it
    /// is ACTIVE; a table that already exists is checked and reported, not touched.
    pub async fn create_checked(&self) -> Result<ProbeReport, ProbeError> {
        let (client, s) = self.parts();
        check_credentials(s).await?;
        if try_describe_classified(client, s).await?.is_some() {
            let report = self.probe().await?;
            return Ok(ProbeReport {
                message: format!("Table {:?} already exists. {}", s.table, report.message),
                ..report
            });
        }
        send_create(client, s)
            .await
            .map_err(|e| classified(s, "CreateTable", &e))?;
        let table = wait_active(client, &s.table)
            .await
            .map_err(service_failure)?;
        let description = TableDescription::from_sdk(&table);
        Ok(ProbeReport {
            message: format!(
                "Created table {:?} in {} ({}).",
                s.table,
                s.region,
                match s.billing_mode {
                    super::BillingMode::PayPerRequest => "on-demand".to_owned(),
                    super::BillingMode::Provisioned => format!(
                        "{} read and {} write capacity units",
                        s.read_capacity, s.write_capacity
                    ),
                }
            ),
            table: Some(description),
        })
    }
}

fn service_failure(e: StorageError) -> ProbeError {
    ProbeError {
        culprit: Culprit::Service,
        message: e.to_string(),
    }
}

/// Without configured keys, the SDK's chain must find some.
async fn check_credentials(s: &DynamoDbSettings) -> Result<(), ProbeError> {
    if s.credentials.is_some() {
        return Ok(());
    }
    aws::check_chain_credentials(&s.region).await
}

async fn try_describe_classified(
    client: &Client,
    s: &DynamoDbSettings,
) -> Result<Option<aws_sdk_dynamodb::types::TableDescription>, ProbeError> {
    match client.describe_table().table_name(&s.table).send().await {
        Ok(out) => Ok(out.table),
        Err(e)
            if e.as_service_error()
                .is_some_and(|e| e.is_resource_not_found_exception()) =>
        {
            Ok(None)
        }
        Err(e) => Err(classified(s, "DescribeTable", &e)),
    }
}

/// Reads, writes and deletes one probe item, as a node's steady-state policy must allow.
async fn probe_items(client: &Client, s: &DynamoDbSettings) -> Result<(), ProbeError> {
    let key = uuid::Uuid::new_v4().to_string();
    client
        .get_item()
        .table_name(&s.table)
        .key(PATH, AttributeValue::S(PROBE_PATH.into()))
        .key(KEY, AttributeValue::S(key.clone()))
        .consistent_read(true)
        .send()
        .await
        .map_err(|e| classified(s, "GetItem", &e))?;
    client
        .put_item()
        .table_name(&s.table)
        .item(PATH, AttributeValue::S(PROBE_PATH.into()))
        .item(KEY, AttributeValue::S(key.clone()))
        .item(VALUE, AttributeValue::B(Vec::new().into()))
        .send()
        .await
        .map_err(|e| classified(s, "PutItem", &e))?;
    client
        .delete_item()
        .table_name(&s.table)
        .key(PATH, AttributeValue::S(PROBE_PATH.into()))
        .key(KEY, AttributeValue::S(key))
        .send()
        .await
        .map_err(|e| classified(s, "DeleteItem", &e))?;
    Ok(())
}

/// A failed call as a [`ProbeError`] whose message suits its culprit.
fn classified<E>(
    s: &DynamoDbSettings,
    operation: &str,
    err: &SdkError<E, HttpResponse>,
) -> ProbeError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let culprit = aws::culprit(err, s.endpoint.is_some(), &s.region);
    let cause = aws::describe_error("DynamoDB", err);
    let message = match culprit {
        Culprit::Endpoint => format!(
            "nothing answers at {} ({})",
            s.endpoint.as_deref().unwrap_or_default(),
            aws::root_cause(err)
        ),
        Culprit::Region => aws::region_failure("DynamoDB", &s.region, &cause),
        Culprit::Credentials => format!("AWS does not accept these credentials: {cause}"),
        Culprit::Permissions => format!(
            "these credentials may not call dynamodb:{operation} on table {:?}: {cause} (the \
             IAM policy below lists what Strongroom needs)",
            s.table
        ),
        Culprit::Resource | Culprit::Service => format!("{operation} failed: {cause}"),
    };
    ProbeError { culprit, message }
}

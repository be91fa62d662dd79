//! The table's life cycle: create when missing, check the key schema, describe, update.

use std::time::Duration;

use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::create_table::CreateTableError;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode as SdkBillingMode, KeySchemaElement, KeyType,
    ProvisionedThroughput, ScalarAttributeType, TableDescription as SdkTable, TableStatus,
};
use aws_sdk_dynamodb::Client;
use serde::Serialize;

use super::settings::DEFAULT_CAPACITY;
use super::{client, sdk_error, BillingMode, DynamoDbSettings, KEY, PATH};
use crate::storage::StorageError;

/// How long to wait for a table to become ACTIVE after creating or updating it.
const ACTIVE_TIMEOUT: Duration = Duration::from_secs(300);
/// How often to poll while waiting.
const ACTIVE_POLL: Duration = Duration::from_millis(500);

/// What DynamoDB reports about the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableDescription {
    /// The table name.
    pub name: String,
    /// The table ARN.
    pub arn: String,
    /// `CREATING`, `ACTIVE`, `UPDATING`, ...
    pub status: String,
    /// Provisioned or on-demand.
    #[serde(serialize_with = "billing_name")]
    pub billing_mode: BillingMode,
    /// Provisioned read capacity units (0 on demand).
    pub read_capacity: u64,
    /// Provisioned write capacity units (0 on demand).
    pub write_capacity: u64,
    /// DynamoDB's item count (refreshed by AWS about every six hours).
    pub item_count: u64,
    /// DynamoDB's table size in bytes (refreshed by AWS about every six hours).
    pub size_bytes: u64,
}

fn billing_name<S: serde::Serializer>(mode: &BillingMode, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(mode.as_str())
}

impl TableDescription {
    pub(super) fn from_sdk(table: &SdkTable) -> Self {
        let throughput = table.provisioned_throughput();
        let billing_mode = match table.billing_mode_summary().and_then(|s| s.billing_mode()) {
            Some(SdkBillingMode::PayPerRequest) => BillingMode::PayPerRequest,
            _ => BillingMode::Provisioned,
        };
        let units = |v: Option<i64>| v.and_then(|n| u64::try_from(n).ok()).unwrap_or(0);
        Self {
            name: table.table_name().unwrap_or_default().to_owned(),
            arn: table.table_arn().unwrap_or_default().to_owned(),
            status: table
                .table_status()
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
            billing_mode,
            read_capacity: units(throughput.and_then(|t| t.read_capacity_units())),
            write_capacity: units(throughput.and_then(|t| t.write_capacity_units())),
            item_count: units(table.item_count()),
            size_bytes: units(table.table_size_bytes()),
        }
    }
}

/// Table administration without opening storage: what `strongroom dynamodb` uses to set a
/// table up before any server runs, or to inspect one.
pub struct TableAdmin {
    client: Client,
    settings: DynamoDbSettings,
}

impl TableAdmin {
    /// A client for the table in `settings` (no request is sent yet).
    pub async fn connect(settings: DynamoDbSettings) -> Self {
        Self {
            client: client::connect(&settings).await,
            settings,
        }
    }

    /// The SDK client and the settings it was made for (for the setup probe).
    pub(super) fn parts(&self) -> (&Client, &DynamoDbSettings) {
        (&self.client, &self.settings)
    }

    /// The table as DynamoDB describes it.
    pub async fn describe(&self) -> Result<TableDescription, StorageError> {
        describe(&self.client, &self.settings.table).await
    }

    /// Creates the table if missing, as a server would at start, and checks its schema.
    pub async fn create(&self) -> Result<TableDescription, StorageError> {
        ensure(&self.client, &self.settings).await
    }

    /// Changes billing mode and capacity and waits until the table is ACTIVE again.
    pub async fn update(&self, change: TableChange) -> Result<TableDescription, StorageError> {
        update(&self.client, &self.settings.table, change).await
    }
}

/// Describes `table`; `Ok(None)` when it does not exist.
async fn try_describe(client: &Client, table: &str) -> Result<Option<SdkTable>, StorageError> {
    match client.describe_table().table_name(table).send().await {
        Ok(out) => Ok(out.table),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_not_found_exception()) =>
        {
            Ok(None)
        }
        Err(e) => Err(sdk_error("DescribeTable", e)),
    }
}

/// Describes the table.
pub(super) async fn describe(
    client: &Client,
    table: &str,
) -> Result<TableDescription, StorageError> {
    try_describe(client, table)
        .await?
        .map(|t| TableDescription::from_sdk(&t))
        .ok_or_else(|| StorageError::DynamoDb {
            operation: "DescribeTable",
            message: format!("table {table:?} does not exist"),
        })
}

/// Waits until the table is ACTIVE and returns its description.
pub(super) async fn wait_active(client: &Client, table: &str) -> Result<SdkTable, StorageError> {
    let deadline = tokio::time::Instant::now() + ACTIVE_TIMEOUT;
    loop {
        if let Some(t) = try_describe(client, table).await? {
            if t.table_status() == Some(&TableStatus::Active) {
                return Ok(t);
            }
        }
        if tokio::time::Instant::now() > deadline {
            return Err(StorageError::DynamoDb {
                operation: "DescribeTable",
                message: format!(
                    "table {table:?} did not become ACTIVE within {} s",
                    ACTIVE_TIMEOUT.as_secs()
                ),
            });
        }
        tokio::time::sleep(ACTIVE_POLL).await;
    }
}

/// Refuses a table whose primary key is not Vault's `Path` (string) + `Key` (string).
pub(super) fn check_schema(table: &SdkTable, name: &str) -> Result<(), StorageError> {
    let attr_type = |attr: &str| {
        table
            .attribute_definitions()
            .iter()
            .find(|d| d.attribute_name() == attr)
            .map(|d| d.attribute_type().as_str().to_owned())
            .unwrap_or_else(|| "?".into())
    };
    let found: Vec<String> = table
        .key_schema()
        .iter()
        .map(|k| {
            format!(
                "{} {:?} ({})",
                k.key_type().as_str(),
                k.attribute_name(),
                attr_type(k.attribute_name())
            )
        })
        .collect();
    let expected = [format!("HASH {PATH:?} (S)"), format!("RANGE {KEY:?} (S)")];
    if found == expected {
        Ok(())
    } else {
        Err(StorageError::TableSchema(format!(
            "table {name:?} has the key schema [{}], but Strongroom (like Vault) needs partition \
             key \"Path\" (string) and sort key \"Key\" (string); choose another table name or \
             recreate this table",
            found.join(", ")
        )))
    }
}

fn throughput(read: u64, write: u64) -> ProvisionedThroughput {
    let clamp = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    // Both values are set, so the builder cannot fail.
    ProvisionedThroughput::builder()
        .read_capacity_units(clamp(read))
        .write_capacity_units(clamp(write))
        .build()
        .unwrap_or_else(|_| unreachable!("both capacities are set"))
}

/// Sends `CreateTable` with Vault's key schema and the configured billing; a table another
/// node created first counts as success (it is waited for like our own).
pub(super) async fn send_create(
    client: &Client,
    s: &DynamoDbSettings,
) -> Result<(), SdkError<CreateTableError, HttpResponse>> {
    // Every required field is set, so the builders cannot fail.
    let attribute = |name: &str| {
        AttributeDefinition::builder()
            .attribute_name(name)
            .attribute_type(ScalarAttributeType::S)
            .build()
            .unwrap_or_else(|_| unreachable!("name and type are set"))
    };
    let key = |name: &str, kind: KeyType| {
        KeySchemaElement::builder()
            .attribute_name(name)
            .key_type(kind)
            .build()
            .unwrap_or_else(|_| unreachable!("name and key type are set"))
    };
    let mut request = client
        .create_table()
        .table_name(&s.table)
        .attribute_definitions(attribute(PATH))
        .attribute_definitions(attribute(KEY))
        .key_schema(key(PATH, KeyType::Hash))
        .key_schema(key(KEY, KeyType::Range));
    request = match s.billing_mode {
        BillingMode::PayPerRequest => request.billing_mode(SdkBillingMode::PayPerRequest),
        BillingMode::Provisioned => request
            .billing_mode(SdkBillingMode::Provisioned)
            .provisioned_throughput(throughput(s.read_capacity, s.write_capacity)),
    };
    match request.send().await {
        Ok(_) => Ok(()),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_in_use_exception()) =>
        {
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// Makes sure the table exists with Vault's key schema; creates it when missing and waits
/// until it is ACTIVE; applies billing and capacity changes when `allow_updates` is set.
pub(super) async fn ensure(
    client: &Client,
    s: &DynamoDbSettings,
) -> Result<TableDescription, StorageError> {
    let table = match try_describe(client, &s.table).await? {
        Some(t) => t,
        None => {
            tracing::info!(table = %s.table, billing_mode = s.billing_mode.as_str(), "creating the DynamoDB table");
            send_create(client, s)
                .await
                .map_err(|e| sdk_error("CreateTable", e))?;
            wait_active(client, &s.table).await?
        }
    };
    check_schema(&table, &s.table)?;
    let mut description = TableDescription::from_sdk(&table);
    let differs = description.billing_mode != s.billing_mode
        || (s.billing_mode == BillingMode::Provisioned
            && (description.read_capacity, description.write_capacity)
                != (s.read_capacity, s.write_capacity));
    if differs {
        if s.allow_updates {
            tracing::info!(table = %s.table, "updating the table's billing mode and capacity to match the configuration");
            let change = TableChange {
                billing_mode: Some(s.billing_mode),
                read_capacity: Some(s.read_capacity),
                write_capacity: Some(s.write_capacity),
            };
            description = update(client, &s.table, change).await?;
        } else {
            tracing::info!(
                table = %s.table,
                billing_mode = description.billing_mode.as_str(),
                read_capacity = description.read_capacity,
                write_capacity = description.write_capacity,
                "the table's billing mode or capacity differs from the configuration; set \
                 dynamodb_allow_updates = true to apply the configured values"
            );
        }
    } else if description.status != "ACTIVE" {
        description = TableDescription::from_sdk(&wait_active(client, &s.table).await?);
    }
    Ok(description)
}

/// A change of billing mode or capacity; what is `None` stays as the table has it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TableChange {
    /// The new billing mode.
    pub billing_mode: Option<BillingMode>,
    /// The new read capacity (provisioned tables).
    pub read_capacity: Option<u64>,
    /// The new write capacity (provisioned tables).
    pub write_capacity: Option<u64>,
}

/// Changes billing mode and capacity, then waits until the table is ACTIVE again. Unchanged
/// capacities keep the table's; an on-demand table switching back to provisioned starts from
/// the default capacity, since it reports 0 units.
pub(super) async fn update(
    client: &Client,
    table: &str,
    change: TableChange,
) -> Result<TableDescription, StorageError> {
    let current = describe(client, table).await?;
    let keep = |units: u64| if units == 0 { DEFAULT_CAPACITY } else { units };
    let billing_mode = change.billing_mode.unwrap_or(current.billing_mode);
    let read_capacity = change.read_capacity.unwrap_or(keep(current.read_capacity));
    let write_capacity = change
        .write_capacity
        .unwrap_or(keep(current.write_capacity));
    if billing_mode == BillingMode::Provisioned && (read_capacity == 0 || write_capacity == 0) {
        return Err(StorageError::InvalidTableUpdate(
            "a provisioned table needs read and write capacity of at least 1".into(),
        ));
    }
    let mut request = client.update_table().table_name(table);
    request = match billing_mode {
        BillingMode::PayPerRequest if current.billing_mode == BillingMode::PayPerRequest => {
            return Ok(current)
        }
        BillingMode::PayPerRequest => request.billing_mode(SdkBillingMode::PayPerRequest),
        BillingMode::Provisioned => {
            if current.billing_mode == BillingMode::Provisioned
                && (current.read_capacity, current.write_capacity)
                    == (read_capacity, write_capacity)
            {
                return Ok(current);
            }
            request
                .billing_mode(SdkBillingMode::Provisioned)
                .provisioned_throughput(throughput(read_capacity, write_capacity))
        }
    };
    request
        .send()
        .await
        .map_err(|e| sdk_error("UpdateTable", e))?;
    Ok(TableDescription::from_sdk(
        &wait_active(client, table).await?,
    ))
}

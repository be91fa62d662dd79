//! `dynamodb`: Vault's DynamoDB storage layout, with the weak spots of Vault's backend fixed.
//!
//! The items are Vault's (see [`keys`]), so a table is readable by either. What differs:
//! - folder items are written only when this node does not already know they exist, instead
//!   of on every put (Vault writes depth + 1 items per put);
//! - batch writes retry unprocessed items with jittered backoff and fail loudly rather than
//!   dropping them;
//! - a provisioned table is paced by a client-side capacity limiter ([`throttle`]);
//! - values over DynamoDB's 400 KB item limit are split into chunk items and reassembled, with
//!   the chunks written before the item that points at them, so a crash never exposes a
//!   half-written value;
//! - listing reads keys only (a projection), not every value in the folder;
//! - every storage request holds a `max_parallel` permit, so the limit is real (the lock's own
//!   requests, at most one in flight, bypass it; see [`lock`]).
//!
//! The HA lock lives in [`lock`], the table's life cycle in [`table`], and the IAM policy and
//! Terraform for the configured features in [`iam`].

mod chunks;
mod client;
pub mod iam;
mod keys;
mod lock;
pub mod probe;
pub mod settings;
pub mod table;
mod throttle;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::{
    AttributeValue, DeleteRequest, PutRequest, ReturnConsumedCapacity, ReturnValue, WriteRequest,
};
use aws_sdk_dynamodb::Client;
use tokio::sync::Semaphore;

use self::keys::ItemKey;
use self::throttle::{read_units, write_units, CapacityBucket};
use super::{Backend, HaBackend, StorageError};

pub use self::settings::{BillingMode, DynamoDbSettings, SettingError, StaticCredentials};
pub use self::table::{TableAdmin, TableChange, TableDescription};

/// Attribute names of Vault's items.
const PATH: &str = "Path";
const KEY: &str = "Key";
const VALUE: &str = "Value";
/// Present only on lock items (Vault's `Identity`), which List must not show.
const IDENTITY: &str = "Identity";
/// DynamoDB's BatchWriteItem limit.
const BATCH_LIMIT: usize = 25;
/// How long unprocessed batch items are retried before the write fails.
const BATCH_RETRY_BUDGET: Duration = Duration::from_secs(60);

/// How many DynamoDB requests of each kind this backend has sent (for benchmarks and tests).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RequestCounts {
    /// GetItem calls.
    pub get_item: u64,
    /// PutItem calls.
    pub put_item: u64,
    /// DeleteItem calls.
    pub delete_item: u64,
    /// Query calls (pages).
    pub query: u64,
    /// BatchWriteItem calls (including retries of unprocessed items).
    pub batch_write_item: u64,
    /// UpdateItem calls (the HA lock).
    pub update_item: u64,
    /// Items written or deleted, over all calls.
    pub items_written: u64,
}

#[derive(Default)]
struct Counters {
    get_item: AtomicU64,
    put_item: AtomicU64,
    delete_item: AtomicU64,
    query: AtomicU64,
    batch_write_item: AtomicU64,
    update_item: AtomicU64,
    items_written: AtomicU64,
}

fn bump(counter: &AtomicU64, by: u64) {
    counter.fetch_add(by, Ordering::Relaxed);
}

/// Storage in a DynamoDB table.
pub struct DynamoDbBackend {
    client: Client,
    settings: DynamoDbSettings,
    permits: Semaphore,
    /// Capacity limiters (unlimited for an on-demand table).
    reads: CapacityBucket,
    writes: CapacityBucket,
    /// Folder keys (`a/b/`) whose folder item this node wrote or saw, so puts can skip them.
    folders: Mutex<HashSet<String>>,
    counters: Counters,
    /// When the backend opened: the request counters' time base.
    opened: std::time::Instant,
}

impl DynamoDbBackend {
    /// Connects, creates the table if it is missing (and waits until it is ACTIVE), refuses a
    /// table whose key schema is not Vault's, and applies capacity or billing changes when
    /// `dynamodb_allow_updates` is set.
    pub async fn open(settings: DynamoDbSettings) -> Result<Self, StorageError> {
        let client = client::connect(&settings).await;
        let description = table::ensure(&client, &settings).await?;
        let (reads, writes) = limits(&description);
        Ok(Self {
            client,
            permits: Semaphore::new(settings.max_parallel),
            settings,
            reads: CapacityBucket::new(reads),
            writes: CapacityBucket::new(writes),
            folders: Mutex::new(HashSet::new()),
            counters: Counters::default(),
            opened: std::time::Instant::now(),
        })
    }

    /// The settings this backend was opened with.
    pub fn settings(&self) -> &DynamoDbSettings {
        &self.settings
    }

    /// The live table: status, billing, capacity, item count and size.
    pub async fn describe_table(&self) -> Result<TableDescription, StorageError> {
        table::describe(&self.client, &self.settings.table).await
    }

    /// Changes the table's billing mode and (for a provisioned table) its capacity, then
    /// waits until it is ACTIVE again. An explicit operator action, so it does not need
    /// `dynamodb_allow_updates`.
    pub async fn update_table(
        &self,
        change: TableChange,
    ) -> Result<TableDescription, StorageError> {
        let description = table::update(&self.client, &self.settings.table, change).await?;
        let (reads, writes) = limits(&description);
        self.reads.set_rate(reads).await;
        self.writes.set_rate(writes).await;
        Ok(description)
    }

    /// Requests sent so far, by kind.
    pub fn request_counts(&self) -> RequestCounts {
        let c = &self.counters;
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        RequestCounts {
            get_item: load(&c.get_item),
            put_item: load(&c.put_item),
            delete_item: load(&c.delete_item),
            query: load(&c.query),
            batch_write_item: load(&c.batch_write_item),
            update_item: load(&c.update_item),
            items_written: load(&c.items_written),
        }
    }

    /// How long the backend has been open (the period [`request_counts`](Self::request_counts)
    /// cover).
    pub fn uptime(&self) -> Duration {
        self.opened.elapsed()
    }

    /// Forgets which folder items exist. Called when this node becomes active, because while
    /// it was a standby another node may have removed folders it remembers.
    fn forget_folders(&self) {
        self.folders
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    async fn permit(&self) -> tokio::sync::SemaphorePermit<'_> {
        // The semaphore is never closed.
        self.permits
            .acquire()
            .await
            .unwrap_or_else(|_| unreachable!("permit pool closed"))
    }

    async fn take_read(&self, units: f64) {
        self.reads.take(units).await;
    }

    async fn charge_read(&self, units: f64) {
        self.reads.charge(units).await;
    }

    async fn take_write(&self, units: f64) {
        self.writes.take(units).await;
    }

    /// Reads one item with a strongly consistent read.
    async fn get_item(
        &self,
        item: &ItemKey,
    ) -> Result<Option<HashMap<String, AttributeValue>>, StorageError> {
        self.take_read(1.0).await;
        let _permit = self.permit().await;
        bump(&self.counters.get_item, 1);
        let out = self
            .client
            .get_item()
            .table_name(&self.settings.table)
            .key(PATH, AttributeValue::S(item.path.clone()))
            .key(KEY, AttributeValue::S(item.key.clone()))
            .consistent_read(true)
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
            .map_err(|e| sdk_error("GetItem", e))?;
        let size = out.item().map_or(0, attributes_size);
        let used = out
            .consumed_capacity()
            .and_then(|c| c.capacity_units())
            .unwrap_or_else(|| read_units(size));
        self.charge_read(used - 1.0).await;
        Ok(out.item)
    }

    /// Writes one item, returning the attributes it replaced.
    async fn put_item(
        &self,
        attrs: HashMap<String, AttributeValue>,
    ) -> Result<Option<HashMap<String, AttributeValue>>, StorageError> {
        self.take_write(write_units(attributes_size(&attrs))).await;
        let _permit = self.permit().await;
        bump(&self.counters.put_item, 1);
        bump(&self.counters.items_written, 1);
        let out = self
            .client
            .put_item()
            .table_name(&self.settings.table)
            .set_item(Some(attrs))
            .return_values(ReturnValue::AllOld)
            .send()
            .await
            .map_err(|e| sdk_error("PutItem", e))?;
        Ok(out.attributes)
    }

    /// Deletes one item, returning its attributes if it existed.
    async fn delete_item(
        &self,
        item: &ItemKey,
    ) -> Result<Option<HashMap<String, AttributeValue>>, StorageError> {
        self.take_write(1.0).await;
        let _permit = self.permit().await;
        bump(&self.counters.delete_item, 1);
        bump(&self.counters.items_written, 1);
        let out = self
            .client
            .delete_item()
            .table_name(&self.settings.table)
            .key(PATH, AttributeValue::S(item.path.clone()))
            .key(KEY, AttributeValue::S(item.key.clone()))
            .return_values(ReturnValue::AllOld)
            .send()
            .await
            .map_err(|e| sdk_error("DeleteItem", e))?;
        Ok(out.attributes)
    }

    /// The sort keys in partition `path` greater than `after` (ascending, consistent), at
    /// most `limit`; lock items are skipped. Reads keys only.
    async fn query_keys(
        &self,
        path: &str,
        after: &str,
        limit: Option<usize>,
        skip_locks: bool,
    ) -> Result<Vec<String>, StorageError> {
        let mut out = Vec::new();
        let mut start: Option<HashMap<String, AttributeValue>> = None;
        loop {
            let want = limit.map(|l| l - out.len());
            if want == Some(0) {
                break;
            }
            let mut query = self
                .client
                .query()
                .table_name(&self.settings.table)
                .consistent_read(true)
                .expression_attribute_names("#p", PATH)
                .expression_attribute_names("#k", KEY)
                .expression_attribute_values(":p", AttributeValue::S(path.to_owned()))
                .projection_expression(if skip_locks { "#k, #i" } else { "#k" })
                .return_consumed_capacity(ReturnConsumedCapacity::Total)
                .set_exclusive_start_key(start.take());
            if skip_locks {
                query = query.expression_attribute_names("#i", IDENTITY);
            }
            query = if after.is_empty() {
                query.key_condition_expression("#p = :p")
            } else {
                query
                    .key_condition_expression("#p = :p AND #k > :after")
                    .expression_attribute_values(":after", AttributeValue::S(after.to_owned()))
            };
            if let Some(want) = want {
                // Ask for a few more than needed when lock items might be skipped.
                let page = want.saturating_add(usize::from(skip_locks)).min(1000);
                query = query.limit(i32::try_from(page).unwrap_or(1000));
            }
            self.take_read(1.0).await;
            let page = {
                let _permit = self.permit().await;
                bump(&self.counters.query, 1);
                query.send().await.map_err(|e| sdk_error("Query", e))?
            };
            let used = page
                .consumed_capacity()
                .and_then(|c| c.capacity_units())
                .unwrap_or(1.0);
            self.charge_read(used - 1.0).await;
            for item in page.items() {
                if skip_locks && item.contains_key(IDENTITY) {
                    continue;
                }
                if let Some(AttributeValue::S(key)) = item.get(KEY) {
                    out.push(key.clone());
                    if limit.is_some_and(|l| out.len() >= l) {
                        return Ok(out);
                    }
                }
            }
            match page.last_evaluated_key {
                Some(key) if !key.is_empty() => start = Some(key),
                _ => break,
            }
        }
        Ok(out)
    }

    /// Sends write requests in batches of 25, retrying unprocessed items with jittered
    /// exponential backoff until they are all written or the retry budget is spent.
    async fn batch_write(&self, requests: Vec<WriteRequest>) -> Result<(), StorageError> {
        let mut requests = requests;
        while !requests.is_empty() {
            let rest = requests.split_off(requests.len().min(BATCH_LIMIT));
            let mut pending = std::mem::replace(&mut requests, rest);
            let started = tokio::time::Instant::now();
            for attempt in 0u32.. {
                let units: f64 = pending.iter().map(write_request_units).sum();
                self.take_write(units).await;
                let out = {
                    let _permit = self.permit().await;
                    bump(&self.counters.batch_write_item, 1);
                    bump(&self.counters.items_written, pending.len() as u64);
                    self.client
                        .batch_write_item()
                        .request_items(self.settings.table.clone(), pending)
                        .send()
                        .await
                        .map_err(|e| sdk_error("BatchWriteItem", e))?
                };
                pending = out
                    .unprocessed_items
                    .and_then(|mut m| m.remove(&self.settings.table))
                    .unwrap_or_default();
                if pending.is_empty() {
                    break;
                }
                if started.elapsed() > BATCH_RETRY_BUDGET {
                    return Err(StorageError::DynamoDb {
                        operation: "BatchWriteItem",
                        message: format!(
                            "{} items were still unprocessed after {} s of retries; the table is \
                             throttling (raise its capacity or switch to PAY_PER_REQUEST)",
                            pending.len(),
                            BATCH_RETRY_BUDGET.as_secs()
                        ),
                    });
                }
                tokio::time::sleep(backoff(attempt)).await;
            }
        }
        Ok(())
    }

    /// Writes the folder items of `key`'s ancestors that this node does not know to exist.
    async fn ensure_folders(&self, key: &str) -> Result<(), StorageError> {
        let missing: Vec<(String, ItemKey)> = {
            let known = self.folders.lock().unwrap_or_else(|e| e.into_inner());
            keys::folder_items(key)
                .into_iter()
                .filter(|(folder, _)| !known.contains(folder))
                .collect()
        };
        if missing.is_empty() {
            return Ok(());
        }
        let requests = missing
            .iter()
            .map(|(_, item)| put_request(key_attributes(item)))
            .collect::<Result<Vec<_>, _>>()?;
        self.batch_write(requests).await?;
        self.folders
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(missing.into_iter().map(|(folder, _)| folder));
        Ok(())
    }

    /// After `key` was deleted, removes the folder items of ancestors left empty, deepest
    /// first, stopping at the first folder that still has children.
    async fn prune_folders(&self, key: &str) -> Result<(), StorageError> {
        let folders = keys::folder_items(key);
        {
            // Forget first: a put racing with this prune sees the folder missing when it
            // checks again after writing its item, and rewrites the folder item.
            let mut known = self.folders.lock().unwrap_or_else(|e| e.into_inner());
            for (folder, _) in &folders {
                known.remove(folder);
            }
        }
        for (folder, item) in folders {
            let path = keys::list_path(&folder);
            if !self.query_keys(&path, "", Some(1), false).await?.is_empty() {
                break;
            }
            self.delete_item(&item).await?;
            // A put may have added a child between the check and the delete: restore the
            // folder item so the child stays listable.
            if !self.query_keys(&path, "", Some(1), false).await?.is_empty() {
                self.put_item(key_attributes(&item)).await?;
                break;
            }
        }
        Ok(())
    }
}

/// The read and write limits for a table: its provisioned capacity, or none on demand.
fn limits(table: &TableDescription) -> (Option<u64>, Option<u64>) {
    match table.billing_mode {
        BillingMode::PayPerRequest => (None, None),
        BillingMode::Provisioned => (Some(table.read_capacity), Some(table.write_capacity)),
    }
}

/// `{Path, Key}` attributes of an item.
fn key_attributes(item: &ItemKey) -> HashMap<String, AttributeValue> {
    HashMap::from([
        (PATH.to_owned(), AttributeValue::S(item.path.clone())),
        (KEY.to_owned(), AttributeValue::S(item.key.clone())),
    ])
}

fn put_request(item: HashMap<String, AttributeValue>) -> Result<WriteRequest, StorageError> {
    let put = PutRequest::builder()
        .set_item(Some(item))
        .build()
        .map_err(|e| StorageError::DynamoDb {
            operation: "BatchWriteItem",
            message: e.to_string(),
        })?;
    Ok(WriteRequest::builder().put_request(put).build())
}

fn delete_request(item: &ItemKey) -> Result<WriteRequest, StorageError> {
    let delete = DeleteRequest::builder()
        .set_key(Some(key_attributes(item)))
        .build()
        .map_err(|e| StorageError::DynamoDb {
            operation: "BatchWriteItem",
            message: e.to_string(),
        })?;
    Ok(WriteRequest::builder().delete_request(delete).build())
}

fn write_request_units(request: &WriteRequest) -> f64 {
    match request.put_request() {
        Some(put) => write_units(attributes_size(put.item())),
        None => 1.0,
    }
}

/// DynamoDB's size of an item: attribute names plus values.
fn attributes_size(attrs: &HashMap<String, AttributeValue>) -> usize {
    attrs
        .iter()
        .map(|(name, value)| {
            name.len()
                + match value {
                    AttributeValue::S(s) | AttributeValue::N(s) => s.len(),
                    AttributeValue::B(b) => b.as_ref().len(),
                    _ => 1,
                }
        })
        .sum()
}

/// The delay before retry `attempt` of unprocessed items: 50 ms doubling to 5 s, with half of
/// it random so that nodes retrying together spread out.
fn backoff(attempt: u32) -> Duration {
    let ceiling = 50u64.saturating_mul(1 << attempt.min(7)).min(5_000);
    let half = ceiling / 2;
    Duration::from_millis(half + rand::random_range(0..=half))
}

/// Turns an SDK error into a storage error that says what failed and why, in one line.
pub(crate) fn sdk_error<E>(operation: &'static str, err: SdkError<E, HttpResponse>) -> StorageError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    StorageError::DynamoDb {
        operation,
        message: crate::aws::describe_error("DynamoDB", &err),
    }
}

fn blob(value: &[u8]) -> AttributeValue {
    AttributeValue::B(Blob::new(value.to_vec()))
}

#[async_trait]
impl Backend for DynamoDbBackend {
    fn kind(&self) -> &'static str {
        "dynamodb"
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StorageError> {
        let item = keys::data_item(key)?;
        // A chunked value can change under a reader; re-read the item if its chunks moved.
        for _ in 0..3 {
            let Some(attrs) = self.get_item(&item).await? else {
                return Ok(None);
            };
            match chunks::Manifest::from_item(&attrs) {
                None => {
                    return Ok(Some(match attrs.get(VALUE) {
                        Some(AttributeValue::B(b)) => b.as_ref().to_vec(),
                        _ => Vec::new(),
                    }))
                }
                Some(manifest) => {
                    if let Some(value) = chunks::read(self, key, &manifest).await? {
                        return Ok(Some(value));
                    }
                }
            }
        }
        Err(StorageError::DynamoDb {
            operation: "Query",
            message: format!("the chunks of {key:?} kept changing while being read"),
        })
    }

    async fn put(&self, key: &str, value: &[u8]) -> Result<(), StorageError> {
        let item = keys::data_item(key)?;
        self.ensure_folders(key).await?;
        let mut attrs = key_attributes(&item);
        let chunked = chunks::needs_chunks(&attrs, value.len());
        let manifest = if chunked {
            let manifest = chunks::write(self, key, value).await?;
            manifest.add_to(&mut attrs);
            Some(manifest)
        } else {
            attrs.insert(VALUE.to_owned(), blob(value));
            None
        };
        let old = self.put_item(attrs).await?;
        // A delete in the same folder may have pruned a folder item between the check above
        // and the write: it forgets the folder first, so checking again after the write
        // restores any folder it removed (and costs nothing when none was).
        self.ensure_folders(key).await?;
        let replaced_chunks = old.as_ref().and_then(chunks::Manifest::from_item);
        if manifest.is_some() || replaced_chunks.is_some() {
            chunks::remove_stale(self, key, manifest.as_ref()).await?;
        }
        Ok(())
    }

    async fn delete(&self, key: &str) -> Result<(), StorageError> {
        let item = keys::data_item(key)?;
        let old = self.delete_item(&item).await?;
        if old.as_ref().and_then(chunks::Manifest::from_item).is_some() {
            chunks::remove_stale(self, key, None).await?;
        }
        self.prune_folders(key).await
    }

    async fn list_page(
        &self,
        prefix: &str,
        after: &str,
        limit: Option<usize>,
    ) -> Result<Vec<String>, StorageError> {
        if limit == Some(0) {
            return Ok(Vec::new());
        }
        self.query_keys(&keys::list_path(prefix), after, limit, true)
            .await
    }

    fn ha(&self) -> Option<&dyn HaBackend> {
        self.settings.ha_enabled.then_some(self as &dyn HaBackend)
    }

    fn dynamodb(&self) -> Option<&DynamoDbBackend> {
        Some(self)
    }
}

//! Physical storage: where the barrier's ciphertext lives.
//!
//! Every backend implements [`Backend`] with Vault's semantics: keys are `/`-separated paths;
//! `list(prefix)` returns the direct children of `prefix`, sub-folders with a trailing `/`,
//! sorted byte-wise; deleting a missing key succeeds. [`Backend::list_page`] adds OpenBao's
//! paging (`after`, `limit`) so large folders such as the lease index can be read in pages.
//! One conformance suite (`crates/core/tests/storage_conformance.rs`) runs against every
//! backend.

pub mod dynamodb;
mod inmem;
mod listing;
mod local;

use async_trait::async_trait;

use crate::error::{Classify, ErrorKind};

pub use dynamodb::DynamoDbBackend;
pub use inmem::InmemBackend;
pub use local::LocalBackend;

/// Errors raised by a storage backend.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// Storage keys are non-empty paths.
    #[error("storage key must not be empty")]
    EmptyKey,
    /// The backend cannot represent this key.
    #[error("storage key {key:?} cannot be stored: {reason}")]
    UnsupportedKey {
        /// The key.
        key: String,
        /// Why not.
        reason: String,
    },
    /// A DynamoDB request failed; the message is AWS's code and text, or why it got no answer.
    #[error("DynamoDB {operation} failed: {message}")]
    DynamoDb {
        /// The API call.
        operation: &'static str,
        /// What went wrong.
        message: String,
    },
    /// The DynamoDB table exists with a key schema Strongroom cannot use.
    #[error("{0}")]
    TableSchema(String),
    /// A requested table change is not valid.
    #[error("{0}")]
    InvalidTableUpdate(String),
    /// The embedded SQLite store failed.
    #[error("local storage: {0}")]
    Local(#[from] sqlx::Error),
    /// The local store's file or folder could not be prepared.
    #[error("local storage at {path}: {source}")]
    LocalFile {
        /// The file or folder concerned.
        path: String,
        /// What the operating system reported.
        source: std::io::Error,
    },
    /// The local store was written by a newer release and is not understood by this one.
    #[error(
        "local storage at {path} has schema version {found}; this build understands up to {supported}"
    )]
    NewerSchema {
        /// The database file.
        path: String,
        /// The `user_version` found in the file.
        found: i64,
        /// The newest version this build can read.
        supported: i64,
    },
    /// The file exists but is not a Strongroom store.
    #[error("{path} is not a Strongroom storage file (application_id {found:#x})")]
    ForeignFile {
        /// The database file.
        path: String,
        /// The `application_id` found in the file.
        found: i64,
    },
}

impl Classify for StorageError {
    fn kind(&self) -> ErrorKind {
        match self {
            StorageError::EmptyKey
            | StorageError::UnsupportedKey { .. }
            | StorageError::InvalidTableUpdate(_) => ErrorKind::InvalidRequest,
            _ => ErrorKind::Internal,
        }
    }
}

/// A physical storage backend.
///
/// Implementations must be safe to call concurrently; a `put` that returned `Ok` must survive a
/// crash of the process if the backend is persistent.
#[async_trait]
pub trait Backend: Send + Sync {
    /// The name Vault reports as `storage_type` (`inmem`, `local`, ...).
    fn kind(&self) -> &'static str;

    /// The value stored at `key`, or `None` when there is none.
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StorageError>;

    /// Stores `value` at `key`, replacing what was there.
    async fn put(&self, key: &str, value: &[u8]) -> Result<(), StorageError>;

    /// Removes `key`; removing a missing key succeeds.
    async fn delete(&self, key: &str) -> Result<(), StorageError>;

    /// The direct children of `prefix` that sort after `after`, at most `limit` of them
    /// (`None` for all). Folders carry a trailing `/`; results are sorted byte-wise.
    async fn list_page(
        &self,
        prefix: &str,
        after: &str,
        limit: Option<usize>,
    ) -> Result<Vec<String>, StorageError>;

    /// All direct children of `prefix` (see [`Backend::list_page`]).
    async fn list(&self, prefix: &str) -> Result<Vec<String>, StorageError> {
        self.list_page(prefix, "", None).await
    }

    /// Flushes and releases resources; called once at shutdown.
    async fn close(&self) {}

    /// The HA lock, when this backend provides one and HA is enabled.
    fn ha(&self) -> Option<&dyn HaBackend> {
        None
    }

    /// The DynamoDB backend, for table administration.
    fn dynamodb(&self) -> Option<&DynamoDbBackend> {
        None
    }
}

/// A lock record as stored (the fields of Vault's DynamoDB lock item).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockRecord {
    /// What the holder advertises (Vault: the active node's leader UUID).
    pub value: Vec<u8>,
    /// Random per lock attempt; only the holder knows its own.
    pub identity: Vec<u8>,
    /// When the lock lapses, in Unix nanoseconds of the writer's clock (informational: takeover
    /// never compares it with another node's clock).
    pub expires_unix_ns: i64,
}

/// Storage that can hold an HA lock shared by the nodes of a cluster.
///
/// Every call is one conditional write or one consistent read; the election logic (timing,
/// takeover of stale records, fencing) lives in `node::ha`.
#[async_trait]
pub trait HaBackend: Send + Sync {
    /// The current record at lock key `key`.
    async fn read_lock(&self, key: &str) -> Result<Option<LockRecord>, StorageError>;

    /// Writes `record` if the lock is free: absent, already held by `record.identity`, or
    /// still exactly `stale`, a record the caller watched stay unchanged for a full TTL.
    /// `Ok(false)` when another holder has it.
    async fn acquire_lock(
        &self,
        key: &str,
        record: &LockRecord,
        stale: Option<&LockRecord>,
    ) -> Result<bool, StorageError>;

    /// Rewrites `record` (a later expiry) if the lock is still held by `record.identity`.
    async fn renew_lock(&self, key: &str, record: &LockRecord) -> Result<bool, StorageError>;

    /// Removes the lock if it is held by `identity`.
    async fn release_lock(&self, key: &str, identity: &[u8]) -> Result<(), StorageError>;

    /// Called when this node becomes active: caches of what other nodes may have changed
    /// meanwhile must be dropped.
    fn became_active(&self) {}
}

/// Rejects keys the storage layer cannot represent.
fn check_key(key: &str) -> Result<(), StorageError> {
    if key.is_empty() {
        Err(StorageError::EmptyKey)
    } else {
        Ok(())
    }
}

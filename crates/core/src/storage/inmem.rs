//! `inmem`: a volatile store for `-dev` servers and tests.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::RwLock;

use async_trait::async_trait;

use super::listing::{list_children, OrderedKeys};
use super::{check_key, Backend, StorageError};

/// Keeps everything in a sorted map in memory; nothing survives the process.
#[derive(Default)]
pub struct InmemBackend {
    entries: RwLock<BTreeMap<Vec<u8>, Vec<u8>>>,
}

impl InmemBackend {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, BTreeMap<Vec<u8>, Vec<u8>>> {
        // A panic while holding the lock cannot leave the map half-updated (every write is a
        // single insert or remove), so a poisoned lock is still consistent.
        self.entries.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, BTreeMap<Vec<u8>, Vec<u8>>> {
        self.entries.write().unwrap_or_else(|e| e.into_inner())
    }
}

#[async_trait]
impl OrderedKeys for InmemBackend {
    async fn scan(
        &self,
        start: &[u8],
        end: Option<&[u8]>,
        max: usize,
    ) -> Result<Vec<String>, StorageError> {
        let upper = end.map_or(Bound::Unbounded, Bound::Excluded);
        let map = self.read();
        Ok(map
            .range::<[u8], _>((Bound::Included(start), upper))
            .take(max)
            .map(|(k, _)| String::from_utf8_lossy(k).into_owned())
            .collect())
    }
}

#[async_trait]
impl Backend for InmemBackend {
    fn kind(&self) -> &'static str {
        "inmem"
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StorageError> {
        check_key(key)?;
        Ok(self.read().get(key.as_bytes()).cloned())
    }

    async fn put(&self, key: &str, value: &[u8]) -> Result<(), StorageError> {
        check_key(key)?;
        self.write().insert(key.as_bytes().to_vec(), value.to_vec());
        Ok(())
    }

    async fn delete(&self, key: &str) -> Result<(), StorageError> {
        check_key(key)?;
        self.write().remove(key.as_bytes());
        Ok(())
    }

    async fn list_page(
        &self,
        prefix: &str,
        after: &str,
        limit: Option<usize>,
    ) -> Result<Vec<String>, StorageError> {
        list_children(self, prefix, after, limit).await
    }
}

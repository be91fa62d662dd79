//! A barrier view: the barrier restricted to one key prefix.
//!
//! Each mount sees only its own `logical/<uuid>/` (or `sys/`, `auth/<uuid>/`) part of storage,
//! so a backend cannot read or overwrite another mount's data by choosing a path.

use std::sync::Arc;

use super::{Barrier, BarrierError};

/// The barrier seen through a fixed prefix.
#[derive(Clone)]
pub struct BarrierView {
    barrier: Arc<Barrier>,
    prefix: String,
}

impl BarrierView {
    /// A view of `barrier` under `prefix` (which should end with `/`).
    pub fn new(barrier: Arc<Barrier>, prefix: impl Into<String>) -> Self {
        Self {
            barrier,
            prefix: prefix.into(),
        }
    }

    fn full(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// See [`Barrier::get`].
    pub async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, BarrierError> {
        self.barrier.get(&self.full(key)).await
    }

    /// See [`Barrier::put`].
    pub async fn put(&self, key: &str, value: &[u8]) -> Result<(), BarrierError> {
        self.barrier.put(&self.full(key), value).await
    }

    /// See [`Barrier::delete`].
    pub async fn delete(&self, key: &str) -> Result<(), BarrierError> {
        self.barrier.delete(&self.full(key)).await
    }

    /// See [`Barrier::list`].
    pub async fn list(&self, prefix: &str) -> Result<Vec<String>, BarrierError> {
        self.barrier.list(&self.full(prefix)).await
    }

    /// See [`Barrier::list_page`].
    pub async fn list_page(
        &self,
        prefix: &str,
        after: &str,
        limit: Option<usize>,
    ) -> Result<Vec<String>, BarrierError> {
        self.barrier
            .list_page(&self.full(prefix), after, limit)
            .await
    }
}

//! Per-lease locks, so renew, revoke and the timer never interleave on one lease.
//!
//! Locks are keyed by the exact id (not striped), so taking a second lease's lock while holding
//! one cannot deadlock on a hash collision; entries disappear when the last holder lets go.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::OwnedMutexGuard;

/// The lock table.
#[derive(Default)]
pub struct LockTable {
    locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

/// Holds one lease's lock; removes the table entry when nobody else waits. It owns a handle
/// on the table so a write-ahead lease can keep its lock while the engine works.
pub struct LeaseGuard {
    table: Arc<LockTable>,
    id: String,
    guard: Option<OwnedMutexGuard<()>>,
}

impl LockTable {
    /// Waits for `id`'s lock.
    pub async fn lock(self: &Arc<Self>, id: &str) -> LeaseGuard {
        let mutex = {
            let mut locks = self.locks.lock().unwrap_or_else(|e| e.into_inner());
            locks.entry(id.to_owned()).or_default().clone()
        };
        LeaseGuard {
            table: self.clone(),
            id: id.to_owned(),
            guard: Some(mutex.lock_owned().await),
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.locks.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

impl Drop for LeaseGuard {
    fn drop(&mut self) {
        drop(self.guard.take());
        let mut locks = self.table.locks.lock().unwrap_or_else(|e| e.into_inner());
        // Only the table still refers to it: nobody holds or awaits this lock.
        if locks
            .get(&self.id)
            .is_some_and(|m| Arc::strong_count(m) == 1)
        {
            locks.remove(&self.id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn locks_are_exclusive_per_id_and_cleaned_up() {
        let table = Arc::new(LockTable::default());
        let a = table.lock("a").await;
        let _b = table.lock("b").await;
        let t2 = table.clone();
        let waiter = tokio::spawn(async move {
            let _a = t2.lock("a").await;
        });
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished());
        drop(a);
        waiter.await.unwrap();
        drop(_b);
        assert_eq!(table.len(), 0);
    }
}

//! Revocation: on request (sync or lazy), by prefix, by token, on expiry by the timer, and the
//! restore of the index after unseal.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use rand::Rng;
use tokio::task::JoinSet;

use super::{
    backend_of, clock, entry, is_recoverable, now_ms, truncate_error, Expiration, LeaseEntry,
    LeaseError, LeaseKind, RESTORE_CONCURRENCY,
};
use crate::logical::{LeaseRequest, LogicalError, Renewal};

/// Which engine call to make for a lease.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Call {
    Renew,
    Revoke,
}

/// How a revocation treats engine failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Engine errors fail the revocation.
    Normal,
    /// Engine errors are logged and the lease is removed anyway (`revoke-force`).
    Force,
}

impl Expiration {
    /// Asks the lease's engine to renew or revoke. `Ok(None)` for a revoke; for a renew, what
    /// the engine granted.
    pub(super) async fn call_backend(
        &self,
        entry: &LeaseEntry,
        increment: u64,
        call: Call,
    ) -> Result<Option<Renewal>, LeaseError> {
        let Some((route, _)) = self.mounts.get().and_then(|m| m.route(&entry.path)) else {
            return Err(LeaseError::Invalid(format!(
                "no mount for lease path {:?}",
                entry.path
            )));
        };
        let Some(backend) = backend_of(&route.handler) else {
            return Err(LeaseError::Invalid(format!(
                "mount {} does not issue leases",
                route.entry.route_path()
            )));
        };
        let req = LeaseRequest {
            lease_id: &entry.lease_id,
            storage: &route.view,
            internal: &entry.internal,
            increment,
            issue_ms: entry.issue_time,
            limits: self.limits(&route.entry),
        };
        let result = match call {
            Call::Renew => backend.renew(&req).await.map(Some),
            Call::Revoke => backend.revoke(&req).await.map(|()| None),
        };
        result.map_err(|e| match (call, &e) {
            (Call::Renew, LogicalError::InvalidRequest(m)) => LeaseError::Invalid(m.clone()),
            (Call::Renew, _) => LeaseError::Backend(format!("failed to renew entry: {e}")),
            (Call::Revoke, _) if !is_recoverable(&e) => {
                LeaseError::Invalid(format!("failed to revoke entry: {e}"))
            }
            (Call::Revoke, _) => LeaseError::Backend(format!("failed to revoke entry: {e}")),
        })
    }

    /// Revokes one loaded lease (caller holds its lock): engine first, then the entry and
    /// its token-index record. Token leases revoke the token instead.
    async fn revoke_entry(&self, entry: &LeaseEntry, mode: Mode) -> Result<(), LeaseError> {
        match entry.kind {
            // The tree removes every token's lease, this one's included.
            LeaseKind::Token => return self.revoke_token_tree(&entry.client_token).await,
            LeaseKind::Secret => {
                if let Err(e) = self.call_backend(entry, 0, Call::Revoke).await {
                    match mode {
                        Mode::Normal => return Err(e),
                        Mode::Force => tracing::warn!(
                            lease_id = %entry.lease_id,
                            error = %e,
                            "revoke-force: ignoring the engine's error"
                        ),
                    }
                }
            }
        }
        self.delete_entry(entry).await?;
        Ok(())
    }

    pub(super) async fn delete_entry(&self, entry: &LeaseEntry) -> Result<(), LeaseError> {
        if entry.kind == LeaseKind::Secret && !entry.client_token.is_empty() {
            let key =
                entry::token_index_key(&entry.client_token, &self.tokens.salt_id(&entry.lease_id));
            self.view.delete(&key).await?;
        }
        self.view.delete(&entry::entry_key(&entry.lease_id)).await?;
        self.index().untrack(&entry.lease_id);
        Ok(())
    }

    /// `sys/leases/revoke`: synchronously (revoked when this returns) or lazily (expiry set
    /// to now; the timer revokes it). An unknown lease succeeds, as in Vault.
    pub async fn revoke(&self, lease_id: &str, sync: bool) -> Result<(), LeaseError> {
        if lease_id.is_empty() {
            return Err(LeaseError::Invalid("lease_id must be specified".into()));
        }
        if !entry::check_lease_path(lease_id) {
            return Ok(());
        }
        let guard = self.locks.lock(lease_id).await;
        let Some(mut entry) = self.load(lease_id).await? else {
            return Ok(());
        };
        if sync {
            if entry.kind == LeaseKind::Token {
                // The token tree takes each token lease's lock itself.
                drop(guard);
            }
            return self.revoke_entry(&entry, Mode::Normal).await;
        }
        self.expire_now(&mut entry).await
    }

    /// Sets a lease's expiry to now and queues it (the lazy revoke).
    pub(super) async fn expire_now(&self, entry: &mut LeaseEntry) -> Result<(), LeaseError> {
        if entry.is_irrevocable() {
            return Ok(());
        }
        entry.expire_time = entry.expire_time.min(now_ms());
        self.persist(entry).await?;
        self.track(entry);
        Ok(())
    }

    /// `sys/leases/revoke-prefix` and `revoke-force`: every lease under `prefix` (or the one
    /// lease it names), revoked in parallel by the worker pool. Lazy mode only marks them.
    pub async fn revoke_prefix(
        &self,
        prefix: &str,
        mode: Mode,
        sync: bool,
    ) -> Result<(), LeaseError> {
        let prefix = prefix.trim_start_matches('/');
        if !entry::check_lease_path(prefix) {
            return Err(LeaseError::Invalid(format!(
                "invalid prefix {prefix:?}: name a mount or a path below one"
            )));
        }
        if !prefix.ends_with('/') && self.load(prefix).await?.is_some() {
            return self.revoke_ids(vec![prefix.to_owned()], mode, sync).await;
        }
        let folder = format!("{}/", prefix.trim_end_matches('/'));
        let ids = self.collect(&folder).await?;
        self.revoke_ids(ids, mode, sync).await
    }

    /// Every lease id under `folder` in storage (recursive), in order.
    async fn collect(&self, folder: &str) -> Result<Vec<String>, LeaseError> {
        let mut ids = Vec::new();
        let mut pending = vec![folder.to_owned()];
        while let Some(dir) = pending.pop() {
            for child in self.view.list(&format!("id/{dir}")).await? {
                let path = format!("{dir}{child}");
                if child.ends_with('/') {
                    pending.push(path);
                } else {
                    ids.push(path);
                }
            }
        }
        ids.sort();
        Ok(ids)
    }

    async fn revoke_ids(&self, ids: Vec<String>, mode: Mode, sync: bool) -> Result<(), LeaseError> {
        let Some(me) = self.me.upgrade() else {
            return Ok(());
        };
        let total = ids.len();
        let mut jobs = JoinSet::new();
        for (i, id) in ids.into_iter().enumerate() {
            let me = me.clone();
            let permit = me.workers.clone().acquire_owned().await;
            jobs.spawn(async move {
                let _permit = permit;
                let result = async {
                    let guard = me.locks.lock(&id).await;
                    let Some(mut entry) = me.load(&id).await? else {
                        return Ok(());
                    };
                    if !sync && mode == Mode::Normal {
                        return me.expire_now(&mut entry).await;
                    }
                    if entry.kind == LeaseKind::Token {
                        drop(guard);
                    }
                    me.revoke_entry(&entry, mode).await
                }
                .await;
                result.map_err(|e| (i, id, e))
            });
        }
        let mut first_error = None;
        while let Some(done) = jobs.join_next().await {
            if let Ok(Err((i, id, e))) = done {
                if first_error.as_ref().is_none_or(|(j, _, _)| i < *j) {
                    first_error = Some((i, id, e));
                }
            }
        }
        match first_error {
            None => Ok(()),
            Some((i, id, e)) => Err(LeaseError::Invalid(format!(
                "failed to revoke {id:?} ({} / {total}): {e}",
                i + 1
            ))),
        }
    }

    /// Revokes a token, its children and, lazily, every lease any of them created; each
    /// token's own lease goes too. Callers must not hold the lock of any of those leases.
    pub async fn revoke_token_tree(&self, salted: &str) -> Result<(), LeaseError> {
        // Collect the tree, then revoke leaves first, so no token outlives its parent.
        let mut order = vec![salted.to_owned()];
        let mut i = 0;
        while i < order.len() {
            let children = self.tokens.children(&order[i]).await?;
            order.extend(children);
            i += 1;
        }
        for token in order.iter().rev() {
            self.revoke_by_token(token).await?;
            let Some(entry) = self.tokens.entry_by_salted(token).await? else {
                continue;
            };
            let lease_id = format!("{}/{token}", entry.path);
            {
                let _guard = self.locks.lock(&lease_id).await;
                self.view.delete(&entry::entry_key(&lease_id)).await?;
                self.index().untrack(&lease_id);
            }
            self.tokens.remove(token, &entry).await?;
        }
        Ok(())
    }

    /// Lazily revokes every lease created by the token `salted`.
    async fn revoke_by_token(&self, salted: &str) -> Result<(), LeaseError> {
        let folder = format!("token/{salted}/");
        for key in self.view.list(&folder).await? {
            let Some(id) = self.view.get(&format!("{folder}{key}")).await? else {
                continue;
            };
            let lease_id = String::from_utf8_lossy(&id).into_owned();
            let _guard = self.locks.lock(&lease_id).await;
            match self.load(&lease_id).await? {
                Some(mut entry) => self.expire_now(&mut entry).await?,
                // A dangling index record (the lease is gone): drop it.
                None => self.view.delete(&format!("{folder}{key}")).await?,
            }
        }
        Ok(())
    }

    /// `sys/leases/tidy`: force-revokes leases whose token no longer exists (Vault's rule),
    /// in the background. Returns false when a tidy is already running.
    pub fn tidy(&self) -> bool {
        let Some(me) = self.me.upgrade() else {
            return false;
        };
        if self.tidying.swap(true, Ordering::AcqRel) {
            return false;
        }
        let task = tokio::spawn(async move {
            let result = me.tidy_now().await;
            me.tidying.store(false, Ordering::Release);
            match result {
                Ok(n) => tracing::info!(revoked = n, "lease tidy finished"),
                Err(e) => tracing::warn!(error = %e, "lease tidy failed"),
            }
        });
        self.keep(task);
        true
    }

    async fn tidy_now(&self) -> Result<usize, LeaseError> {
        let mut revoked = 0;
        for id in self.collect("").await? {
            let _guard = self.locks.lock(&id).await;
            let Some(entry) = self.load(&id).await? else {
                continue;
            };
            let orphaned = entry.kind == LeaseKind::Secret
                && (entry.client_token.is_empty()
                    || self
                        .tokens
                        .entry_by_salted(&entry.client_token)
                        .await?
                        .is_none());
            if orphaned {
                self.revoke_entry(&entry, Mode::Force).await?;
                revoked += 1;
            }
        }
        Ok(revoked)
    }

    fn keep(&self, task: tokio::task::JoinHandle<()>) {
        let mut tasks = self.tasks.lock().unwrap_or_else(|e| e.into_inner());
        tasks.retain(|t| !t.is_finished());
        tasks.push(task);
    }

    /// Restores the index from storage, then runs the timer. Leases that expired while the
    /// node was down are revoked through the same bounded pool, not all at once.
    pub fn start(&self) {
        let Some(me) = self.me.upgrade() else {
            return;
        };
        let task = tokio::spawn(async move {
            let started = std::time::Instant::now();
            match me.restore().await {
                Ok(n) => tracing::info!(
                    leases = n,
                    elapsed_ms = started.elapsed().as_millis() as u64,
                    "leases restored"
                ),
                Err(e) => tracing::error!(error = %e, "restoring leases failed"),
            }
            me.restoring.store(false, Ordering::Release);
            me.run_timer().await;
        });
        self.keep(task);
    }

    /// Stops the timer and every job (at seal or shutdown).
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::Release);
        self.wake.notify_one();
        let mut tasks = self.tasks.lock().unwrap_or_else(|e| e.into_inner());
        for task in tasks.drain(..) {
            task.abort();
        }
    }

    async fn restore(&self) -> Result<usize, LeaseError> {
        let ids = self.collect("").await?;
        let Some(me) = self.me.upgrade() else {
            return Ok(0);
        };
        let mut loaded = 0;
        for chunk in ids.chunks(RESTORE_CONCURRENCY * 16) {
            let mut jobs = JoinSet::new();
            for part in chunk.chunks(16) {
                let me = me.clone();
                let part = part.to_vec();
                jobs.spawn(async move {
                    let mut n = 0;
                    for id in part {
                        if me.index().get(&id).is_some() {
                            continue; // registered or renewed since the scan
                        }
                        if let Some(entry) = me.load(&id).await? {
                            me.track(&entry);
                            n += 1;
                        }
                    }
                    Ok::<usize, LeaseError>(n)
                });
            }
            while let Some(done) = jobs.join_next().await {
                if let Ok(n) = done {
                    loaded += n?;
                }
            }
        }
        Ok(loaded)
    }

    async fn run_timer(self: Arc<Self>) {
        let mut running = JoinSet::new();
        loop {
            if self.stopped.load(Ordering::Acquire) {
                return;
            }
            while running.try_join_next().is_some() {}
            let (due, next) = {
                let mut index = self.index();
                let due = index.pop_due(now_ms(), 1024);
                (due, index.next_due())
            };
            for id in due {
                let me = self.clone();
                running.spawn(async move { me.expire(&id).await });
            }
            let sleep = match next {
                Some(at) => tokio::time::sleep_until(clock::instant_at(at)),
                None => tokio::time::sleep(Duration::from_secs(3600)),
            };
            tokio::select! {
                () = sleep => {}
                () = self.wake.notified() => {}
            }
        }
    }

    /// The timer's job for one due lease: revoke it, or schedule a retry, or give up.
    async fn expire(&self, id: &str) {
        let Ok(_permit) = self.workers.clone().acquire_owned().await else {
            return;
        };
        let guard = self.locks.lock(id).await;
        let entry = match self.load(id).await {
            Ok(Some(e)) => e,
            Ok(None) => {
                self.index().untrack(id);
                return;
            }
            Err(e) => {
                tracing::warn!(lease_id = id, error = %e, "could not load an expiring lease");
                self.index().schedule(id, now_ms() + 1000);
                return;
            }
        };
        if entry.is_irrevocable() {
            self.track(&entry);
            return;
        }
        if entry.expire_time > now_ms() {
            // Renewed since it was queued.
            self.track(&entry);
            return;
        }
        // A token tree takes its leases' locks itself.
        let guard = (entry.kind == LeaseKind::Secret).then_some(guard);
        match self.revoke_entry(&entry, Mode::Normal).await {
            Ok(()) => tracing::debug!(lease_id = id, "lease expired and was revoked"),
            Err(e) => {
                let _guard = match guard {
                    Some(g) => g,
                    None => self.locks.lock(id).await,
                };
                self.revocation_failed(id, &e).await;
            }
        }
    }

    async fn revocation_failed(&self, id: &str, error: &LeaseError) {
        let Ok(Some(mut entry)) = self.load(id).await else {
            return;
        };
        entry.revoke_attempts += 1;
        let attempts = entry.revoke_attempts;
        let give_up =
            attempts >= self.options.max_revoke_attempts || matches!(error, LeaseError::Invalid(_));
        if give_up {
            let reason = if matches!(error, LeaseError::Invalid(_)) {
                error.to_string()
            } else {
                format!("out of retries: {error}")
            };
            entry.revoke_error = Some(truncate_error(&reason));
            tracing::error!(lease_id = id, attempts, error = %error, "lease is now irrevocable");
        }
        if let Err(e) = self.persist(&entry).await {
            tracing::warn!(lease_id = id, error = %e, "could not record a failed revocation");
        }
        if give_up {
            self.track(&entry);
            return;
        }
        let wait = backoff(self.options.revoke_retry_base, attempts);
        tracing::warn!(
            lease_id = id,
            attempts,
            next_attempt_s = wait.as_secs_f64(),
            error = %error,
            "failed to revoke lease"
        );
        let mut index = self.index();
        index.schedule(id, now_ms() + wait.as_millis() as i64);
        drop(index);
        self.wake.notify_one();
    }
}

/// `2^attempt × base` with uniform jitter of ±50 % (Vault's `revokeExponentialBackoff`).
pub(super) fn backoff(base: Duration, attempt: u32) -> Duration {
    let nominal = base.as_secs_f64() * f64::from(1u32 << attempt.min(20));
    let factor = rand::rng().random_range(0.5..1.5);
    Duration::from_secs_f64(nominal * factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter() {
        let base = Duration::from_secs(10);
        for attempt in 1..=5u32 {
            let nominal = 10.0 * f64::from(1u32 << attempt);
            for _ in 0..50 {
                let wait = backoff(base, attempt).as_secs_f64();
                assert!(
                    wait >= nominal * 0.5 && wait < nominal * 1.5,
                    "{attempt}: {wait}"
                );
            }
        }
    }
}

//! High availability: nodes sharing one storage elect an active node through a lock.
//!
//! The protocol keeps Vault's lock item and timings (TTL 15 s, renewal every 5 s, standbys
//! polling every second) but fixes the two ways Vault's DynamoDB HA fails users:
//!
//! - **No two actives.** An active node only serves while its *fence* holds: the monotonic time
//!   at which it sent its last successful renewal, plus the TTL, minus [`FENCE_MARGIN`]. If it
//!   cannot renew (storage unreachable, process paused) it stops serving before any standby
//!   may take over, instead of acting as leader until a watch notices (hashicorp/vault#5045).
//! - **No dependence on clocks.** A standby takes over only a lock record it has itself watched
//!   stay unchanged for a full TTL of its own monotonic clock, with a compare-and-swap on that
//!   exact record. Skewed wall clocks therefore cannot cause thrashing; the skew is still
//!   measured from the `Expires` the active node writes, and reported.
//!
//! Takeover happens at least TTL after the holder's last renewal was *observed*, which is after
//! it was *sent*, so the holder's fence has lapsed by [`FENCE_MARGIN`] before a standby writes.

use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tokio::time::Instant;

use super::{Active, Node, NodeError};
use crate::storage::{HaBackend, LockRecord};
use crate::timefmt::format_rfc3339;

/// The lock key, as Vault's (`core/lock`, stored as `{Path: core, Key: _lock}`).
const LOCK_KEY: &str = "core/lock";
/// How long a lock record holds without renewal.
const LOCK_TTL: Duration = Duration::from_secs(15);
/// How often the active node renews.
const RENEW_INTERVAL: Duration = Duration::from_secs(5);
/// How often a standby reads the lock, and how soon a failed renewal is retried.
const POLL_INTERVAL: Duration = Duration::from_secs(1);
/// How long before the lock could be taken over an active node stops serving.
const FENCE_MARGIN: Duration = Duration::from_secs(2);
/// After a voluntary step-down, how long this node waits before campaigning again, so that
/// another node takes over.
const STEP_DOWN_PAUSE: Duration = Duration::from_secs(10);
/// Where the active node advertises its addresses (inside the barrier).
const LEADER_PREFIX: &str = "core/leader/";
/// Skew beyond what polling explains before it is reported.
const SKEW_TOLERANCE: Duration = Duration::from_secs(1);

/// What the active node advertises to standbys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Advertisement {
    /// Where clients reach it.
    pub(crate) api_addr: String,
    /// Its `cluster_addr`.
    pub(crate) cluster_addr: String,
    /// When it became active (RFC 3339).
    pub(crate) active_time: String,
}

/// The HA state of a node.
pub(crate) struct Ha {
    /// The running election while unsealed.
    task: Mutex<Option<tokio::task::JoinHandle<()>>>,
    /// The active node as last seen (this node's own advertisement while active).
    leader: RwLock<Option<Advertisement>>,
    /// The lock record this node holds, if it does (for release on seal).
    held: Mutex<Option<LockRecord>>,
    /// The last measured offset of the active node's clock from ours, when beyond tolerance.
    skew_ms: RwLock<Option<i64>>,
    /// Notified by `sys/step-down` (through [`Active::step_down`]).
    pub(crate) step_down: Arc<tokio::sync::Notify>,
}

impl Ha {
    pub(crate) fn new() -> Self {
        Self {
            task: Mutex::new(None),
            leader: RwLock::new(None),
            held: Mutex::new(None),
            skew_ms: RwLock::new(None),
            step_down: Arc::new(tokio::sync::Notify::new()),
        }
    }

    /// The active node's advertisement, as last seen.
    pub(crate) fn leader(&self) -> Option<Advertisement> {
        self.leader
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn set_leader(&self, leader: Option<Advertisement>) {
        *self.leader.write().unwrap_or_else(|e| e.into_inner()) = leader;
    }

    /// The active node's clock offset from ours in ms, when beyond tolerance.
    pub(crate) fn clock_skew_ms(&self) -> Option<i64> {
        *self.skew_ms.read().unwrap_or_else(|e| e.into_inner())
    }
}

/// When an active node must stop serving: shared between the renewal loop and requests.
pub(crate) struct Fence {
    until: Mutex<Instant>,
}

impl Fence {
    /// A fence for a lock write sent at `sent`.
    fn new(sent: Instant) -> Self {
        Self {
            until: Mutex::new(sent + LOCK_TTL - FENCE_MARGIN),
        }
    }

    fn extend(&self, sent: Instant) {
        *self.until.lock().unwrap_or_else(|e| e.into_inner()) = sent + LOCK_TTL - FENCE_MARGIN;
    }

    fn deadline(&self) -> Instant {
        *self.until.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether the node may still act as active.
    pub(crate) fn holds(&self) -> bool {
        Instant::now() < self.deadline()
    }
}

fn unix_ns(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos()).unwrap_or(i64::MAX)
}

/// `Expires` for a write now: now + TTL on the wall clock, in Unix ns (as Vault writes it).
fn expiry() -> i64 {
    unix_ns(OffsetDateTime::now_utc()).saturating_add(LOCK_TTL.as_nanos() as i64)
}

impl Node {
    fn ha_backend(&self) -> Option<&dyn HaBackend> {
        self.storage.ha()
    }

    /// Starts campaigning after the barrier unsealed (HA nodes only).
    pub(super) fn start_election(&self) {
        let (Some(ha), Some(me)) = (&self.ha, self.me.upgrade()) else {
            return;
        };
        let weak = Arc::downgrade(&me);
        let task = tokio::spawn(async move { elect(weak).await });
        if let Some(old) = ha
            .task
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .replace(task)
        {
            old.abort();
        }
    }

    /// Stops the election and releases the lock if held (on seal and shutdown).
    pub(super) async fn stop_election(&self) {
        let Some(ha) = &self.ha else { return };
        if let Some(task) = ha.task.lock().unwrap_or_else(|e| e.into_inner()).take() {
            task.abort();
        }
        ha.set_leader(None);
        let held = ha.held.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let (Some(held), Some(backend)) = (held, self.ha_backend()) {
            if let Err(e) = backend.release_lock(LOCK_KEY, &held.identity).await {
                tracing::warn!(error = %e, "could not release the HA lock; standbys take over when it expires");
            }
        }
    }

    /// Watches the lock until this node holds it; returns the instant the winning write was
    /// sent. Meanwhile keeps the known leader and the clock skew up to date.
    async fn campaign(&self, ha: &Ha, backend: &dyn HaBackend, mine: &LockRecord) -> Instant {
        let mut watched: Option<(LockRecord, Instant)> = None;
        let mut last_poll: Option<Instant> = None;
        let mut failures = 0u32;
        loop {
            let sent = Instant::now();
            // `Expires` is stamped per attempt: a standby may campaign for a long time.
            let mine = &LockRecord {
                expires_unix_ns: expiry(),
                ..mine.clone()
            };
            let attempt: Result<bool, NodeError> = async {
                let current = backend.read_lock(LOCK_KEY).await?;
                // Free, or already ours (an earlier acquire whose answer was lost).
                let stale = match &current {
                    Some(r) if r.identity != mine.identity => r,
                    _ => return Ok(backend.acquire_lock(LOCK_KEY, mine, None).await?),
                };
                match &watched {
                    Some((seen, since)) if seen == stale => {
                        if since.elapsed() >= LOCK_TTL {
                            tracing::info!(
                                "the HA lock was not renewed for {} s; taking over",
                                LOCK_TTL.as_secs()
                            );
                            return Ok(backend.acquire_lock(LOCK_KEY, mine, Some(stale)).await?);
                        }
                    }
                    previous => {
                        let renewal = previous
                            .as_ref()
                            .is_some_and(|(p, _)| p.identity == stale.identity);
                        if renewal {
                            self.measure_skew(ha, stale, last_poll);
                        }
                        if previous
                            .as_ref()
                            .is_some_and(|(p, _)| p.value != stale.value)
                        {
                            ha.set_leader(None);
                        }
                        watched = Some((stale.clone(), Instant::now()));
                    }
                }
                // A new active node writes its advertisement just after taking the lock.
                if ha.leader().is_none() {
                    ha.set_leader(self.read_advertisement(&stale.value).await);
                }
                Ok(false)
            }
            .await;
            last_poll = Some(sent);
            match attempt {
                Ok(true) => return sent,
                Ok(false) => failures = 0,
                Err(e) => {
                    failures += 1;
                    // One line per minute of failures, not one per second.
                    if failures % 60 == 1 {
                        tracing::warn!(error = %e, "cannot read the HA lock; retrying");
                    }
                }
            }
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }

    /// Compares the `Expires` of a renewal seen between `last_poll` and now with our clock.
    fn measure_skew(&self, ha: &Ha, renewed: &LockRecord, last_poll: Option<Instant>) {
        let Some(last_poll) = last_poll else { return };
        let written = renewed.expires_unix_ns - LOCK_TTL.as_nanos() as i64;
        let now = unix_ns(OffsetDateTime::now_utc());
        // If clocks agree, the write happened in (last_poll, now] on our clock.
        let window = last_poll.elapsed().as_nanos() as i64;
        let tolerance = SKEW_TOLERANCE.as_nanos() as i64;
        let offset = if written > now + tolerance {
            written - now
        } else if written < now - window - tolerance {
            written - (now - window)
        } else {
            0
        };
        let skew = (offset != 0).then_some(offset / 1_000_000);
        let previous = std::mem::replace(
            &mut *ha.skew_ms.write().unwrap_or_else(|e| e.into_inner()),
            skew,
        );
        if let (Some(ms), None) = (skew, previous) {
            tracing::warn!(
                skew_ms = ms,
                "clock skew: the active node's clock is about {} ms {} this node's; failover does \
                 not depend on clocks, but check NTP on both hosts",
                ms.abs(),
                if ms > 0 { "ahead of" } else { "behind" }
            );
        }
    }

    async fn read_advertisement(&self, leader_id: &[u8]) -> Option<Advertisement> {
        let id = std::str::from_utf8(leader_id).ok()?;
        let path = format!("{LEADER_PREFIX}{id}");
        let bytes = match self.barrier.get(&path).await {
            Ok(bytes) => bytes,
            // Written under a key term this node has not loaded yet (a rotation).
            Err(_) => {
                self.barrier.reload_keyring().await.ok()?;
                self.barrier.get(&path).await.ok()?
            }
        };
        serde_json::from_slice(&bytes?).ok()
    }

    /// Loads everything an active node needs, advertises it and starts serving.
    async fn take_office(
        &self,
        ha: &Ha,
        leader_id: &str,
        fence: Arc<Fence>,
    ) -> Result<(), NodeError> {
        if let Some(backend) = self.ha_backend() {
            backend.became_active();
        }
        // Another node may have rotated the keyring while this one was a standby.
        self.barrier.reload_keyring().await?;
        let mut active = Active::load(self.barrier.clone(), &self.options, &self.seal).await?;
        active.fence = Some(fence);
        active.step_down = Some(ha.step_down.clone());
        let advertisement = Advertisement {
            api_addr: self.options.api_addr.clone().unwrap_or_default(),
            cluster_addr: self.options.cluster_addr.clone().unwrap_or_default(),
            active_time: format_rfc3339(OffsetDateTime::now_utc()),
        };
        let bytes = serde_json::to_vec(&advertisement).unwrap_or_default();
        self.barrier
            .put(&format!("{LEADER_PREFIX}{leader_id}"), &bytes)
            .await?;
        ha.set_leader(Some(advertisement));
        self.set_active(Some(Arc::new(active)));
        Ok(())
    }

    /// Renews until the lock is lost, the fence lapses or a step-down is requested; returns
    /// whether the step-down was voluntary.
    async fn hold_office(
        &self,
        ha: &Ha,
        backend: &dyn HaBackend,
        mine: &LockRecord,
        fence: &Fence,
    ) -> bool {
        let mut next_renewal = Instant::now() + RENEW_INTERVAL;
        loop {
            let wake = next_renewal.min(fence.deadline());
            tokio::select! {
                _ = tokio::time::sleep_until(wake) => {}
                _ = ha.step_down.notified() => {
                    tracing::info!("stepping down as requested");
                    return true;
                }
            }
            if !fence.holds() {
                tracing::error!(
                    "could not renew the HA lock in time; stopping service as active node so \
                     that a standby can take over safely"
                );
                return false;
            }
            if Instant::now() < next_renewal {
                continue;
            }
            let sent = Instant::now();
            let renewed = LockRecord {
                expires_unix_ns: expiry(),
                ..mine.clone()
            };
            match backend.renew_lock(LOCK_KEY, &renewed).await {
                Ok(true) => {
                    fence.extend(sent);
                    next_renewal = sent + RENEW_INTERVAL;
                }
                Ok(false) => {
                    tracing::warn!("another node holds the HA lock now; stepping down");
                    return false;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "could not renew the HA lock; retrying");
                    next_renewal = Instant::now() + POLL_INTERVAL;
                }
            }
        }
    }

    /// Stops serving as active (the lock is released by the caller when appropriate).
    async fn leave_office(&self, ha: &Ha, leader_id: &str) {
        self.set_active(None);
        ha.set_leader(None);
        if let Err(e) = self
            .barrier
            .delete(&format!("{LEADER_PREFIX}{leader_id}"))
            .await
        {
            tracing::debug!(error = %e, "could not remove this node's leader advertisement");
        }
    }
}

/// The election loop of an unsealed HA node: campaign, serve while the lock holds, repeat.
async fn elect(node: Weak<Node>) {
    loop {
        let Some(node) = node.upgrade() else { return };
        let (Some(ha), Some(backend)) = (&node.ha, node.ha_backend()) else {
            return;
        };
        let leader_id = uuid::Uuid::new_v4().to_string();
        let mine = LockRecord {
            value: leader_id.as_bytes().to_vec(),
            identity: uuid::Uuid::new_v4().as_bytes().to_vec(),
            expires_unix_ns: expiry(),
        };
        let sent = node.campaign(ha, backend, &mine).await;
        let fence = Arc::new(Fence::new(sent));
        *ha.held.lock().unwrap_or_else(|e| e.into_inner()) = Some(mine.clone());
        tracing::info!("acquired the HA lock; this node is now active");
        let voluntary = match node.take_office(ha, &leader_id, fence.clone()).await {
            Ok(()) => node.hold_office(ha, backend, &mine, &fence).await,
            Err(e) => {
                tracing::error!(error = %e, "could not become active; releasing the HA lock");
                true
            }
        };
        node.leave_office(ha, &leader_id).await;
        // Releasing is a conditional delete on this node's identity, so it is safe even when
        // the lock was lost: it only lets a standby in sooner.
        let held = ha.held.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(held) = held {
            if let Err(e) = backend.release_lock(LOCK_KEY, &held.identity).await {
                tracing::debug!(error = %e, "could not release the HA lock");
            }
        }
        if voluntary {
            tokio::time::sleep(STEP_DOWN_PAUSE).await;
        }
        tracing::info!("this node is now a standby");
    }
}

#[cfg(test)]
mod tests {
    //! The election on paused Tokio time, over an in-memory lock that can be cut off from one
    //! node at a time (a network partition between that node and storage).

    use std::sync::atomic::{AtomicBool, Ordering};

    use async_trait::async_trait;

    use super::*;
    use crate::node::{InitRequest, NodeOptions, UnsealRequest};
    use crate::storage::{Backend, InmemBackend, StorageError};

    /// The storage and lock all nodes share.
    #[derive(Default)]
    struct Shared {
        data: InmemBackend,
        lock: Mutex<Option<LockRecord>>,
    }

    /// One node's view of the shared storage; `down` makes every call of this node fail.
    struct View {
        shared: Arc<Shared>,
        down: AtomicBool,
    }

    impl View {
        fn check(&self) -> Result<(), StorageError> {
            if self.down.load(Ordering::SeqCst) {
                Err(StorageError::DynamoDb {
                    operation: "test",
                    message: "partitioned".into(),
                })
            } else {
                Ok(())
            }
        }

        fn lock(&self) -> std::sync::MutexGuard<'_, Option<LockRecord>> {
            self.shared.lock.lock().unwrap()
        }
    }

    #[async_trait]
    impl Backend for View {
        fn kind(&self) -> &'static str {
            "test"
        }
        async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StorageError> {
            self.check()?;
            self.shared.data.get(key).await
        }
        async fn put(&self, key: &str, value: &[u8]) -> Result<(), StorageError> {
            self.check()?;
            self.shared.data.put(key, value).await
        }
        async fn delete(&self, key: &str) -> Result<(), StorageError> {
            self.check()?;
            self.shared.data.delete(key).await
        }
        async fn list_page(
            &self,
            prefix: &str,
            after: &str,
            limit: Option<usize>,
        ) -> Result<Vec<String>, StorageError> {
            self.check()?;
            self.shared.data.list_page(prefix, after, limit).await
        }
        fn ha(&self) -> Option<&dyn HaBackend> {
            Some(self)
        }
    }

    #[async_trait]
    impl HaBackend for View {
        async fn read_lock(&self, _key: &str) -> Result<Option<LockRecord>, StorageError> {
            self.check()?;
            Ok(self.lock().clone())
        }
        async fn acquire_lock(
            &self,
            _key: &str,
            record: &LockRecord,
            stale: Option<&LockRecord>,
        ) -> Result<bool, StorageError> {
            self.check()?;
            let mut lock = self.lock();
            let free = match &*lock {
                None => true,
                Some(current) => current.identity == record.identity || Some(current) == stale,
            };
            if free {
                *lock = Some(record.clone());
            }
            Ok(free)
        }
        async fn renew_lock(&self, _key: &str, record: &LockRecord) -> Result<bool, StorageError> {
            self.check()?;
            let mut lock = self.lock();
            let mine = lock.as_ref().is_some_and(|c| c.identity == record.identity);
            if mine {
                *lock = Some(record.clone());
            }
            Ok(mine)
        }
        async fn release_lock(&self, _key: &str, identity: &[u8]) -> Result<(), StorageError> {
            self.check()?;
            let mut lock = self.lock();
            if lock.as_ref().is_some_and(|c| c.identity == identity) {
                *lock = None;
            }
            Ok(())
        }
    }

    async fn cluster() -> (Vec<Arc<Node>>, Vec<Arc<View>>) {
        let shared = Arc::new(Shared::default());
        let mut nodes = Vec::new();
        let mut views = Vec::new();
        for i in 0..2 {
            let view = Arc::new(View {
                shared: shared.clone(),
                down: AtomicBool::new(false),
            });
            let options = NodeOptions {
                api_addr: Some(format!("http://node{i}:8200")),
                ..NodeOptions::default()
            };
            nodes.push(Node::new(view.clone(), options));
            views.push(view);
        }
        let init = nodes[0]
            .init(InitRequest {
                secret_shares: 1,
                secret_threshold: 1,
                ..InitRequest::default()
            })
            .await
            .unwrap();
        for node in &nodes {
            node.unseal(UnsealRequest {
                key: Some(init.keys_base64[0].to_string()),
                ..UnsealRequest::default()
            })
            .await
            .unwrap();
        }
        (nodes, views)
    }

    fn actives(nodes: &[Arc<Node>]) -> Vec<usize> {
        (0..nodes.len())
            .filter(|i| nodes[*i].active().is_ok())
            .collect()
    }

    #[tokio::test(start_paused = true)]
    async fn a_partitioned_active_steps_down_before_the_standby_takes_over() {
        let (nodes, views) = cluster().await;
        tokio::time::sleep(Duration::from_secs(2)).await;
        let first = actives(&nodes);
        assert_eq!(first.len(), 1, "exactly one active after election");
        let (a, b) = (first[0], 1 - first[0]);
        // The standby knows where the active node is and says so.
        assert!(matches!(
            nodes[b].active().map(|_| ()),
            Err(NodeError::Standby(Some(addr))) if addr == format!("http://node{a}:8200")
        ));

        // Cut the active node off from storage and watch, every 100 ms of virtual time.
        views[a].down.store(true, Ordering::SeqCst);
        let cut = Instant::now();
        let (mut a_stopped, mut b_started) = (None, None);
        for _ in 0..600 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let now = actives(&nodes);
            assert!(now.len() <= 1, "two active nodes at {:?}", cut.elapsed());
            if a_stopped.is_none() && !now.contains(&a) {
                a_stopped = Some(cut.elapsed());
            }
            if b_started.is_none() && now.contains(&b) {
                b_started = Some(cut.elapsed());
            }
        }
        let (a_stopped, b_started) = (a_stopped.unwrap(), b_started.unwrap());
        // The fence lapses at most TTL - margin after the last renewal, which was sent at most
        // one renewal interval before the cut.
        assert!(a_stopped <= LOCK_TTL - FENCE_MARGIN, "{a_stopped:?}");
        assert!(
            b_started >= a_stopped + FENCE_MARGIN - POLL_INTERVAL,
            "{a_stopped:?} {b_started:?}"
        );
        assert!(b_started <= Duration::from_secs(20), "{b_started:?}");

        // Healed, the old active node stays a standby behind the new one.
        views[a].down.store(false, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_secs(30)).await;
        assert_eq!(actives(&nodes), vec![b]);
    }

    #[tokio::test(start_paused = true)]
    async fn takeover_ignores_a_far_future_expiry() {
        // A holder whose clock runs an hour ahead writes Expires an hour in the future; Vault's
        // rule would block takeover for that hour after the holder dies.
        let (nodes, views) = cluster().await;
        tokio::time::sleep(Duration::from_secs(2)).await;
        let a = actives(&nodes)[0];
        let b = 1 - a;
        nodes[a].stop_election().await;
        nodes[a].set_active(None);
        let ghost = LockRecord {
            value: b"elsewhere".to_vec(),
            identity: b"dead-holder".to_vec(),
            expires_unix_ns: expiry() + 3_600_000_000_000,
        };
        *views[a].lock() = Some(ghost);
        tokio::time::sleep(Duration::from_secs(20)).await;
        assert_eq!(actives(&nodes), vec![b]);
    }
}

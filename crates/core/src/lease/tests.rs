//! The lease manager against a scripted engine, with paused Tokio time: expiry, retries,
//! irrevocable leases, restore after a restart, and token trees.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use serde_json::json;

use super::*;
use crate::barrier::Barrier;
use crate::logical::{Backend, BackendRequest, LeaseRequest, Renewal, Response};
use crate::mount::MountEntry;
use crate::random::random_key;
use crate::storage::{Backend as Storage, InmemBackend};
use crate::token::NewToken;

/// An engine whose revocations fail while `failing` is set, counting calls and the most
/// revocations ever running at once.
#[derive(Default)]
struct Scripted {
    failing: std::sync::Mutex<Option<LogicalError>>,
    revoked: AtomicUsize,
    attempts: AtomicUsize,
    running: AtomicUsize,
    peak: AtomicUsize,
}

impl Scripted {
    fn fail_with(&self, e: Option<LogicalError>) {
        *self.failing.lock().unwrap() = e;
    }
}

#[async_trait]
impl Backend for Scripted {
    async fn handle(&self, _req: &BackendRequest<'_>) -> Result<Option<Response>, LogicalError> {
        Ok(None)
    }

    async fn renew(&self, _req: &LeaseRequest<'_>) -> Result<Renewal, LogicalError> {
        Ok(Renewal {
            ttl: 60,
            max_ttl: 3600,
            internal: None,
        })
    }

    async fn revoke(&self, _req: &LeaseRequest<'_>) -> Result<(), LogicalError> {
        self.attempts.fetch_add(1, Ordering::SeqCst);
        let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(50)).await;
        self.running.fetch_sub(1, Ordering::SeqCst);
        let failing = self.failing.lock().unwrap().as_ref().map(|e| match e {
            LogicalError::InvalidRequest(m) => LogicalError::InvalidRequest(m.clone()),
            other => LogicalError::Internal(other.to_string()),
        });
        match failing {
            Some(e) => Err(e),
            None => {
                self.revoked.fetch_add(1, Ordering::SeqCst);
                Ok(())
            }
        }
    }
}

struct Harness {
    barrier: Arc<Barrier>,
    engine: Arc<Scripted>,
    tokens: Arc<TokenStore>,
    leases: Arc<Expiration>,
    mount: MountEntry,
}

fn options() -> LeaseOptions {
    LeaseOptions {
        default_ttl: Duration::from_secs(60),
        max_ttl: Duration::from_secs(3600),
        max_revoke_attempts: 3,
        revoke_retry_base: Duration::from_secs(10),
    }
}

async fn start(barrier: Arc<Barrier>, engine: Arc<Scripted>) -> Harness {
    let tokens = Arc::new(
        TokenStore::open(BarrierView::new(barrier.clone(), "sys/token/"))
            .await
            .unwrap(),
    );
    let leases = Expiration::new(
        BarrierView::new(barrier.clone(), "sys/expire/"),
        tokens.clone(),
        options(),
    );
    let backend: Arc<dyn Backend> = engine.clone();
    let factory: Arc<crate::mount::Factory> =
        Arc::new(move |e: &MountEntry| match e.kind.as_str() {
            "kv" => Some(Handler::Backend(backend.clone())),
            _ => crate::engines::handler(e),
        });
    let mounts = Arc::new(Mounts::load(barrier.clone(), factory).await.unwrap());
    if mounts.route("db/creds").is_none() {
        let entry = MountEntry::new(crate::mount::Table::Mounts, "db/", "kv", "");
        mounts.mount(entry).await.unwrap();
    }
    let mount = mounts.route("db/creds").unwrap().0.entry.clone();
    leases.attach(mounts);
    leases.start();
    Harness {
        barrier,
        engine,
        tokens,
        leases,
        mount,
    }
}

async fn harness() -> Harness {
    let storage: Arc<dyn Storage> = Arc::new(InmemBackend::new());
    let barrier = Arc::new(Barrier::new(storage));
    let root = random_key(32);
    barrier.initialize(&root, None).await.unwrap();
    barrier.unseal(&root).await.unwrap();
    start(barrier, Arc::new(Scripted::default())).await
}

fn secret(ttl: u64) -> Secret {
    Secret {
        ttl,
        max_ttl: 0,
        renewable: true,
        internal: json!({"username": "v-token-ro"}),
        role: "ro".into(),
    }
}

impl Harness {
    async fn issue(&self, ttl: u64) -> Grant {
        self.leases
            .register("db/creds/ro", &self.mount, "", &secret(ttl))
            .await
            .unwrap()
    }

    async fn stored(&self, id: &str) -> Option<LeaseEntry> {
        self.leases.load(id).await.unwrap()
    }
}

/// Lets the timer and its jobs run until nothing is left to do at this instant.
async fn settle() {
    for _ in 0..50 {
        tokio::task::yield_now().await;
    }
}

#[tokio::test(start_paused = true)]
async fn leases_are_revoked_when_they_expire_and_not_before() {
    let h = harness().await;
    let grant = h.issue(10).await;
    assert_eq!(grant.duration, 10);
    assert!(grant.lease_id.starts_with("db/creds/ro/"));
    tokio::time::sleep(Duration::from_millis(9_900)).await;
    settle().await;
    assert_eq!(h.engine.attempts.load(Ordering::SeqCst), 0);
    assert!(h.stored(&grant.lease_id).await.is_some());
    tokio::time::sleep(Duration::from_millis(200)).await;
    settle().await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    settle().await;
    assert_eq!(h.engine.revoked.load(Ordering::SeqCst), 1);
    assert!(h.stored(&grant.lease_id).await.is_none());
    assert_eq!(h.leases.summary().total, 0);
}

#[tokio::test(start_paused = true)]
async fn a_renewed_lease_is_not_revoked_at_its_old_expiry() {
    let h = harness().await;
    let grant = h.issue(10).await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    let renewed = h.leases.renew(&grant.lease_id, 30).await.unwrap();
    assert_eq!(renewed.duration, 30);
    tokio::time::sleep(Duration::from_secs(10)).await;
    settle().await;
    assert_eq!(h.engine.attempts.load(Ordering::SeqCst), 0);
    let entry = h.stored(&grant.lease_id).await.unwrap();
    assert!(entry.last_renewal.is_some());
    tokio::time::sleep(Duration::from_secs(21)).await;
    settle().await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    settle().await;
    assert_eq!(h.engine.revoked.load(Ordering::SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn failures_retry_with_backoff_then_become_irrevocable() {
    let h = harness().await;
    h.engine
        .fail_with(Some(LogicalError::Internal("connection refused".into())));
    let grant = h.issue(1).await;
    // Attempt 1 at expiry, then 2^1×10 s and 2^2×10 s later (each ±50 %).
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    settle().await;
    assert_eq!(h.engine.attempts.load(Ordering::SeqCst), 1);
    let entry = h.stored(&grant.lease_id).await.unwrap();
    assert_eq!((entry.revoke_attempts, entry.revoke_error), (1, None));
    tokio::time::sleep(Duration::from_secs(9)).await;
    settle().await;
    assert_eq!(
        h.engine.attempts.load(Ordering::SeqCst),
        1,
        "retried too early"
    );
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_secs(1)).await;
        settle().await;
    }
    assert_eq!(h.engine.attempts.load(Ordering::SeqCst), 3);
    let entry = h.stored(&grant.lease_id).await.unwrap();
    assert_eq!(
        entry.revoke_error.as_deref(),
        Some("out of retries: failed to revoke entry: connection refused")
    );
    assert_eq!(h.leases.summary().irrevocable, 1);
    // No further attempts, renew refused, and only revoke-force removes it.
    tokio::time::sleep(Duration::from_secs(600)).await;
    settle().await;
    assert_eq!(h.engine.attempts.load(Ordering::SeqCst), 3);
    assert_eq!(
        h.leases
            .renew(&grant.lease_id, 60)
            .await
            .unwrap_err()
            .to_string(),
        "lease is expired and has failed previous revocation attempts"
    );
    h.leases
        .revoke_prefix("db/creds/ro", Mode::Normal, true)
        .await
        .unwrap_err();
    assert!(h.stored(&grant.lease_id).await.is_some());
    h.leases
        .revoke_prefix("db/creds/ro", Mode::Force, true)
        .await
        .unwrap();
    assert!(h.stored(&grant.lease_id).await.is_none());
    assert_eq!(h.leases.summary().irrevocable, 0);
}

#[tokio::test(start_paused = true)]
async fn unrecoverable_errors_give_up_at_once() {
    let h = harness().await;
    h.engine
        .fail_with(Some(LogicalError::InvalidRequest("role is unknown".into())));
    let grant = h.issue(1).await;
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    settle().await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    settle().await;
    assert_eq!(h.engine.attempts.load(Ordering::SeqCst), 1);
    let entry = h.stored(&grant.lease_id).await.unwrap();
    assert_eq!(
        entry.revoke_error.as_deref(),
        Some("failed to revoke entry: role is unknown")
    );
}

#[tokio::test(start_paused = true)]
async fn restore_revokes_what_expired_while_down_without_a_storm() {
    let h = harness().await;
    let mut ids = Vec::new();
    for _ in 0..200 {
        ids.push(h.issue(5).await.lease_id);
    }
    let keep = h.issue(3000).await.lease_id;
    let irrevocable = h.issue(5).await.lease_id;
    let mut stuck = h.stored(&irrevocable).await.unwrap();
    stuck.revoke_error = Some("out of retries: gone".into());
    h.leases.persist(&stuck).await.unwrap();
    // "Down": the manager stops, time passes, a new one starts over the same storage.
    h.leases.stop();
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(h.engine.attempts.load(Ordering::SeqCst), 0);
    let engine = Arc::new(Scripted::default());
    let h2 = start(h.barrier.clone(), engine.clone()).await;
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        settle().await;
    }
    assert_eq!(engine.revoked.load(Ordering::SeqCst), 200);
    let peak = engine.peak.load(Ordering::SeqCst);
    assert!(peak <= REVOCATION_WORKERS, "{peak} revocations at once");
    assert!(peak > 1, "revocations ran one at a time");
    let summary = h2.leases.summary();
    assert_eq!((summary.total, summary.irrevocable), (2, 1));
    assert!(!summary.restoring);
    assert!(h2.stored(&keep).await.is_some());
    for id in &ids {
        assert!(h2.stored(id).await.is_none());
    }
}

#[tokio::test(start_paused = true)]
async fn revoking_a_token_revokes_its_children_and_their_leases() {
    let h = harness().await;
    let new = |parent: &str| NewToken {
        policies: vec!["default".into()],
        path: "auth/token/create".into(),
        display_name: "token".into(),
        parent: parent.to_owned(),
        ..NewToken::default()
    };
    let (parent, _) = h.tokens.create(new("")).await.unwrap();
    let parent_salted = h.tokens.salt_id(&parent);
    let (child, _) = h.tokens.create(new(&parent_salted)).await.unwrap();
    let child_salted = h.tokens.salt_id(&child);
    let (orphan, _) = h.tokens.create(new("")).await.unwrap();
    let by_child = h
        .leases
        .register("db/creds/ro", &h.mount, &child_salted, &secret(600))
        .await
        .unwrap();
    let by_orphan = h
        .leases
        .register(
            "db/creds/ro",
            &h.mount,
            &h.tokens.salt_id(&orphan),
            &secret(600),
        )
        .await
        .unwrap();
    h.leases.revoke_token_tree(&parent_salted).await.unwrap();
    assert!(h.tokens.lookup(&parent).await.unwrap().is_none());
    assert!(h.tokens.lookup(&child).await.unwrap().is_none());
    assert!(h.tokens.lookup(&orphan).await.unwrap().is_some());
    tokio::time::sleep(Duration::from_millis(200)).await;
    settle().await;
    assert!(h.stored(&by_child.lease_id).await.is_none());
    assert!(h.stored(&by_orphan.lease_id).await.is_some());
    assert_eq!(h.engine.revoked.load(Ordering::SeqCst), 1);
    assert!(h.leases.view.list("token/").await.unwrap().len() == 1);
}

#[tokio::test(start_paused = true)]
async fn bad_requests_change_nothing() {
    let h = harness().await;
    let grant = h.issue(60).await;
    let before = h.stored(&grant.lease_id).await.unwrap();
    assert_eq!(
        h.leases
            .renew("db/creds/ro/nope", 10)
            .await
            .unwrap_err()
            .to_string(),
        "lease not found"
    );
    assert_eq!(
        h.leases.lookup("").await.unwrap_err().to_string(),
        "lease_id must be specified"
    );
    assert_eq!(
        h.leases
            .lookup("db/creds/ro/nope")
            .await
            .unwrap_err()
            .to_string(),
        "invalid lease"
    );
    // Past the 1 h mount max counted from issue: refused, entry untouched.
    tokio::time::sleep(Duration::from_secs(30)).await;
    let capped = h.leases.renew(&grant.lease_id, 7200).await.unwrap();
    assert_eq!(capped.duration, 3570);
    assert!(capped
        .warning
        .unwrap()
        .contains("exceeded the effective max_ttl"));
    let after = h.stored(&grant.lease_id).await.unwrap();
    assert!(after.expire_time > before.expire_time);
    h.leases.revoke("db/creds/ro/nope", true).await.unwrap();
    assert_eq!(h.leases.summary().total, 1);
}

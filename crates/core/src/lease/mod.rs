//! The expiration (lease) manager.
//!
//! Every leased secret and every token with a TTL has an entry at `sys/expire/id/<lease id>`
//! (through the barrier) and, for secrets, a token-index record at
//! `sys/expire/token/<salted token>/<salted lease id>` so revoking a token finds its leases:
//! two writes per lease, as in Vault. An in-memory [`index::Index`] orders leases by expiry;
//! one timer task revokes them when due through a bounded pool of workers, retries failures
//! with jittered exponential backoff and, when retries run out, marks the lease irrevocable
//! with the reason stored. Storage is the source of truth: the index is rebuilt at unseal.

mod clock;
mod entry;
mod index;
mod locks;
mod reserve;
mod revoke;
pub mod ttl;

#[cfg(test)]
mod tests;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::{Notify, Semaphore};

use crate::barrier::{BarrierError, BarrierView};
use crate::error::{Classify, ErrorKind};
use crate::logical::{LogicalError, Secret};
use crate::mount::{Handler, MountEntry, Mounts};
use crate::token::{TokenError, TokenStore};

pub use clock::{now_ms, rfc3339};
pub use entry::{LeaseEntry, LeaseKind};
pub use index::{Filter, Listed, Timeline};
pub use reserve::{Issuer, Reservation};
pub use revoke::Mode;
use ttl::{TtlLimits, TtlRequest};

/// Revocations running at once: enough to keep a database busy, few enough that restoring
/// thousands of expired leases after downtime is not a storm.
pub const REVOCATION_WORKERS: usize = 32;
/// Leases loaded at once during restore.
const RESTORE_CONCURRENCY: usize = 64;
/// Longest stored revocation error (Vault's limit).
const MAX_ERROR_LEN: usize = 240;

/// Errors from the lease manager.
#[derive(Debug, thiserror::Error)]
pub enum LeaseError {
    /// A request the manager refuses; the message is Vault's.
    #[error("{0}")]
    Invalid(String),
    /// The engine refused to renew or revoke.
    #[error("{0}")]
    Backend(String),
    /// A stored entry could not be parsed.
    #[error("lease entry is corrupt: {0}")]
    Corrupt(String),
    /// The barrier failed.
    #[error(transparent)]
    Barrier(#[from] BarrierError),
    /// The token store failed.
    #[error(transparent)]
    Token(#[from] TokenError),
}

impl Classify for LeaseError {
    fn kind(&self) -> ErrorKind {
        match self {
            LeaseError::Invalid(_) => ErrorKind::InvalidRequest,
            LeaseError::Backend(_) | LeaseError::Corrupt(_) => ErrorKind::Internal,
            LeaseError::Barrier(e) => e.kind(),
            LeaseError::Token(e) => e.kind(),
        }
    }
}

/// Lease errors as a backend answers them: refusals are `400`s, the rest server failures.
impl From<LeaseError> for LogicalError {
    fn from(e: LeaseError) -> Self {
        match e {
            LeaseError::Invalid(m) => LogicalError::InvalidRequest(m),
            LeaseError::Barrier(b) => LogicalError::Barrier(b),
            other => LogicalError::Internal(other.to_string()),
        }
    }
}

/// Whole seconds left until `expire_ms`, rounded as Vault reports `ttl` (never negative).
pub fn seconds_left(expire_ms: i64) -> i64 {
    ((expire_ms - now_ms() + 500) / 1000).max(0)
}

/// Tuning of the manager; the defaults are Vault's.
#[derive(Debug, Clone, Copy)]
pub struct LeaseOptions {
    /// Server `default_lease_ttl`.
    pub default_ttl: Duration,
    /// Server `max_lease_ttl`.
    pub max_ttl: Duration,
    /// Revocation attempts before a lease becomes irrevocable.
    pub max_revoke_attempts: u32,
    /// Base of the retry backoff: attempt n waits `2^n × base`, ±50 %.
    pub revoke_retry_base: Duration,
}

impl Default for LeaseOptions {
    fn default() -> Self {
        Self {
            default_ttl: crate::node::DEFAULT_LEASE_TTL,
            max_ttl: crate::node::DEFAULT_LEASE_TTL,
            max_revoke_attempts: 6,
            revoke_retry_base: Duration::from_secs(10),
        }
    }
}

/// What a client learns about a new or renewed lease.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The lease id.
    pub lease_id: String,
    /// Seconds granted.
    pub duration: u64,
    /// Whether it may be renewed.
    pub renewable: bool,
    /// Set when a cap shortened the TTL.
    pub warning: Option<String>,
}

/// The lease manager.
pub struct Expiration {
    view: BarrierView,
    tokens: Arc<TokenStore>,
    mounts: OnceLock<Arc<Mounts>>,
    options: LeaseOptions,
    index: Mutex<index::Index>,
    locks: Arc<locks::LockTable>,
    /// Wakes the timer when an earlier expiry is queued.
    wake: Notify,
    workers: Arc<Semaphore>,
    restoring: AtomicBool,
    tidying: AtomicBool,
    stopped: AtomicBool,
    tasks: Mutex<Vec<tokio::task::JoinHandle<()>>>,
    me: Weak<Expiration>,
}

impl Expiration {
    /// A manager over `view` (`sys/expire/`); call [`attach`](Self::attach) and
    /// [`start`](Self::start) once the mount table is loaded.
    pub fn new(view: BarrierView, tokens: Arc<TokenStore>, options: LeaseOptions) -> Arc<Self> {
        Arc::new_cyclic(|me| Self {
            view,
            tokens,
            mounts: OnceLock::new(),
            options,
            index: Mutex::new(index::Index::default()),
            locks: Arc::default(),
            wake: Notify::new(),
            workers: Arc::new(Semaphore::new(REVOCATION_WORKERS)),
            restoring: AtomicBool::new(true),
            tidying: AtomicBool::new(false),
            stopped: AtomicBool::new(false),
            tasks: Mutex::new(Vec::new()),
            me: me.clone(),
        })
    }

    /// Gives the manager the mounts it routes renewals and revocations to.
    pub fn attach(&self, mounts: Arc<Mounts>) {
        let _ = self.mounts.set(mounts);
    }

    fn index(&self) -> std::sync::MutexGuard<'_, index::Index> {
        self.index.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The TTL limits of `mount`: its tuned values, else the server's.
    pub fn limits(&self, mount: &MountEntry) -> TtlLimits {
        let server_max = self.options.max_ttl.as_secs();
        let max_ttl = match mount.config.max_lease_ttl {
            0 => server_max,
            m => m,
        };
        let default_ttl = match mount.config.default_lease_ttl {
            0 => self.options.default_ttl.as_secs(),
            d => d,
        }
        .min(max_ttl);
        TtlLimits {
            default_ttl,
            max_ttl,
        }
    }

    /// The mount entry a lease path falls under.
    fn mount_of(&self, path: &str) -> Option<MountEntry> {
        let (route, _) = self.mounts.get()?.route(path)?;
        Some(route.entry.clone())
    }

    async fn load(&self, lease_id: &str) -> Result<Option<LeaseEntry>, LeaseError> {
        let Some(bytes) = self.view.get(&entry::entry_key(lease_id)).await? else {
            return Ok(None);
        };
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| LeaseError::Corrupt(format!("{lease_id}: {e}")))
    }

    async fn persist(&self, entry: &LeaseEntry) -> Result<(), LeaseError> {
        let bytes = serde_json::to_vec(entry).map_err(|e| LeaseError::Corrupt(e.to_string()))?;
        self.view
            .put(&entry::entry_key(&entry.lease_id), &bytes)
            .await?;
        Ok(())
    }

    fn track(&self, entry: &LeaseEntry) {
        let mut index = self.index();
        let was_first = index.next_due();
        index.track(
            &entry.lease_id,
            &entry.mount,
            &entry.role,
            entry.expire_time,
            entry.revoke_error.as_deref(),
        );
        if index.next_due() != was_first {
            self.wake.notify_one();
        }
    }

    /// Registers a lease for `secret`, handed out at `path` to the token `client_token`
    /// (salted id; "" for none), for a secret that already exists. Two writes: the entry, then
    /// the token index.
    pub async fn register(
        &self,
        path: &str,
        mount: &MountEntry,
        client_token: &str,
        secret: &Secret,
    ) -> Result<Grant, LeaseError> {
        let reservation = self.reserve(path, mount, client_token, secret).await?;
        let grant = reservation.grant().clone();
        reservation.confirm();
        Ok(grant)
    }

    /// Registers the lease of a token with a TTL; its id is `<path>/<salted token>`, as in
    /// Vault.
    pub async fn register_token(&self, token: &TokenLease<'_>) -> Result<String, LeaseError> {
        let entry = LeaseEntry {
            lease_id: format!("{}/{}", token.path, token.salted),
            path: token.path.to_owned(),
            mount: "auth/token/".into(),
            role: String::new(),
            kind: LeaseKind::Token,
            client_token: token.salted.to_owned(),
            internal: Value::Null,
            renewable: token.renewable,
            backend_ttl: token.ttl_secs,
            backend_max_ttl: 0,
            explicit_max_ttl: token.explicit_max_ttl,
            issue_time: token.creation_ms,
            expire_time: token.creation_ms + token.ttl_ms,
            last_renewal: None,
            revoke_attempts: 0,
            revoke_error: None,
        };
        self.persist(&entry).await?;
        self.track(&entry);
        Ok(entry.lease_id)
    }

    /// When the token lease `lease_id` expires (Unix ms), from memory or, while restoring,
    /// from storage. `None`: no such lease (the token has been revoked, or never expires).
    pub async fn expiry_of(&self, lease_id: &str) -> Result<Option<i64>, LeaseError> {
        if let Some(t) = self.index().get(lease_id) {
            return Ok(Some(t.expire_ms));
        }
        if !self.restoring.load(Ordering::Acquire) {
            return Ok(None);
        }
        Ok(self.load(lease_id).await?.map(|e| e.expire_time))
    }

    /// `sys/leases/lookup`: the stored entry; unknown ⇒ `invalid lease`.
    pub async fn lookup(&self, lease_id: &str) -> Result<LeaseEntry, LeaseError> {
        if lease_id.is_empty() {
            return Err(LeaseError::Invalid("lease_id must be specified".into()));
        }
        if !entry::check_lease_path(lease_id) {
            return Err(LeaseError::Invalid("invalid lease".into()));
        }
        self.load(lease_id)
            .await?
            .ok_or_else(|| LeaseError::Invalid("invalid lease".into()))
    }

    /// `LIST sys/leases/lookup/<prefix>`: one level of lease ids and folders, from storage.
    pub async fn list(&self, prefix: &str) -> Result<Vec<String>, LeaseError> {
        let prefix = prefix.trim_start_matches('/');
        if !prefix.is_empty() && !entry::check_lease_path(prefix) {
            return Err(LeaseError::Invalid(format!(
                "invalid lease prefix {prefix:?}"
            )));
        }
        let folder = if prefix.is_empty() || prefix.ends_with('/') {
            prefix.to_owned()
        } else {
            format!("{prefix}/")
        };
        Ok(self.view.list(&format!("id/{folder}")).await?)
    }

    /// `sys/leases/renew`. An increment replaces the TTL from now; the ceiling counts from
    /// the issue time. Nothing changes when the engine or the TTL math refuses.
    pub async fn renew(&self, lease_id: &str, increment: u64) -> Result<Grant, LeaseError> {
        if lease_id.is_empty() {
            return Err(LeaseError::Invalid("lease_id must be specified".into()));
        }
        let _guard = self.locks.lock(lease_id).await;
        let mut entry = match self.load(lease_id).await? {
            Some(e) if entry::check_lease_path(lease_id) => e,
            _ => return Err(LeaseError::Invalid("lease not found".into())),
        };
        if entry.kind == LeaseKind::Token {
            return Err(LeaseError::Invalid(
                "tokens cannot be renewed through this endpoint".into(),
            ));
        }
        if entry.is_irrevocable() {
            return Err(LeaseError::Invalid(
                "lease is expired and has failed previous revocation attempts".into(),
            ));
        }
        let now = now_ms();
        if entry.expire_time <= now {
            return Err(LeaseError::Invalid("lease expired".into()));
        }
        if !entry.renewable {
            return Err(LeaseError::Invalid("lease is not renewable".into()));
        }
        let mount = self
            .mount_of(&entry.path)
            .ok_or_else(|| LeaseError::Invalid("lease not found".into()))?;
        let renewal = self
            .call_backend(&entry, increment, revoke::Call::Renew)
            .await?;
        if let Some(r) = &renewal {
            entry.backend_ttl = r.ttl;
            entry.backend_max_ttl = r.max_ttl;
            if let Some(internal) = &r.internal {
                entry.internal = internal.clone();
            }
        }
        self.extend(entry, &mount, increment, now).await
    }

    /// The renewal step shared by secrets and tokens: Vault's TTL math from the original
    /// issue time, then the new expiry stored and queued.
    async fn extend(
        &self,
        mut entry: LeaseEntry,
        mount: &MountEntry,
        increment: u64,
        now: i64,
    ) -> Result<Grant, LeaseError> {
        let ttl = ttl::calculate(
            self.limits(mount),
            TtlRequest {
                increment,
                backend_ttl: entry.backend_ttl,
                backend_max_ttl: entry.backend_max_ttl,
                explicit_max_ttl: entry.explicit_max_ttl,
                issue_ms: entry.issue_time,
                now_ms: now,
            },
        )?;
        entry.expire_time = now + ttl.ttl_ms;
        entry.last_renewal = Some(now);
        self.persist(&entry).await?;
        self.track(&entry);
        Ok(Grant {
            lease_id: entry.lease_id,
            duration: ttl.seconds(),
            renewable: entry.renewable,
            warning: ttl.warning,
        })
    }

    /// Renews a token's lease with the token's own caps; returns the new TTL.
    pub async fn renew_token(&self, lease_id: &str, increment: u64) -> Result<Grant, LeaseError> {
        let _guard = self.locks.lock(lease_id).await;
        let entry = self
            .load(lease_id)
            .await?
            .ok_or_else(|| LeaseError::Invalid("token has no lease to renew".into()))?;
        if !entry.renewable {
            return Err(LeaseError::Invalid("lease is not renewable".into()));
        }
        let mount = self
            .mount_of("auth/token/")
            .ok_or_else(|| LeaseError::Invalid("token store is not mounted".into()))?;
        self.extend(entry, &mount, increment, now_ms()).await
    }

    /// Counts by mount and role, totals, and whether restore is still running.
    pub fn summary(&self) -> Summary {
        let index = self.index();
        Summary {
            total: index.len(),
            irrevocable: index.irrevocable_count(),
            by_mount: index.counts(),
            restoring: self.restoring.load(Ordering::Acquire),
        }
    }

    /// One page of leases for the dashboard.
    pub fn search(
        &self,
        filter: &Filter,
        after: Option<&str>,
        limit: usize,
    ) -> (Vec<Listed>, usize) {
        self.index().search(filter, after, limit)
    }

    /// Revocable leases per slice of the `buckets × bucket_ms` after `start_ms`.
    pub fn timeline(&self, start_ms: i64, bucket_ms: i64, buckets: usize) -> Timeline {
        self.index().timeline(start_ms, bucket_ms, buckets)
    }
}

/// A token's lease, as the token store computed it.
#[derive(Debug, Clone, Copy)]
pub struct TokenLease<'a> {
    /// The creating path (`auth/token/create`).
    pub path: &'a str,
    /// The token's salted id.
    pub salted: &'a str,
    /// The TTL asked for (0: the mount default), reused by renewals without an increment.
    pub ttl_secs: u64,
    /// The token's hard cap (0: none).
    pub explicit_max_ttl: u64,
    /// Whether renew-self may extend it.
    pub renewable: bool,
    /// Creation time, Unix milliseconds.
    pub creation_ms: i64,
    /// The granted TTL in milliseconds.
    pub ttl_ms: i64,
}

/// Lease counts for the dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Every lease, irrevocable ones included.
    pub total: usize,
    /// Leases revocation gave up on.
    pub irrevocable: usize,
    /// mount → role → count.
    pub by_mount: std::collections::BTreeMap<String, std::collections::BTreeMap<String, usize>>,
    /// Whether leases are still being loaded after unseal (counts may grow).
    pub restoring: bool,
}

/// Cuts an error message to Vault's stored length, on a character boundary.
fn truncate_error(message: &str) -> String {
    let message = if message.is_empty() {
        "unknown"
    } else {
        message
    };
    match message.char_indices().nth(MAX_ERROR_LEN) {
        Some((cut, _)) => message[..cut].to_owned(),
        None => message.to_owned(),
    }
}

/// The route handler a lease's engine answers through.
fn backend_of(handler: &Handler) -> Option<&Arc<dyn crate::logical::Backend>> {
    match handler {
        Handler::Backend(b) => Some(b),
        _ => None,
    }
}

/// Whether an engine error is worth retrying (Vault's unrecoverable kinds are not).
fn is_recoverable(e: &LogicalError) -> bool {
    !matches!(
        e,
        LogicalError::InvalidRequest(_)
            | LogicalError::UnsupportedPath(_)
            | LogicalError::UnsupportedOperation
    )
}

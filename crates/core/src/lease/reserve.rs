//! Write-ahead leases, for engines that create something outside Strongroom (a database user).
//!
//! The lease is stored *before* the engine creates its secret and stays locked while it does.
//! If the process dies at any point, storage holds a lease that revokes whatever was created
//! (revocation of something that was never created succeeds), so nothing is ever orphaned, and
//! the write-ahead record costs no extra write: it is the lease entry and its token index.

use std::sync::Arc;

use super::locks::LeaseGuard;
use super::ttl::{self, TtlRequest};
use super::{entry, now_ms, Expiration, Grant, LeaseEntry, LeaseError, LeaseKind};
use crate::logical::Secret;
use crate::mount::MountEntry;

/// Where a request's leases go: the request path, its mount and the caller. Engines that
/// create external state reserve their lease through it before creating anything.
pub struct Issuer<'a> {
    /// The manager.
    pub manager: &'a Expiration,
    /// The full request path (the lease id's prefix).
    pub path: &'a str,
    /// The mount the request is under (its TTL limits apply).
    pub mount: &'a MountEntry,
    /// The caller's salted token ("" for none).
    pub client_token: &'a str,
}

impl Issuer<'_> {
    /// Stores a lease for `secret` and holds its lock until the reservation is settled.
    pub async fn reserve(&self, secret: &Secret) -> Result<Reservation, LeaseError> {
        self.manager
            .reserve(self.path, self.mount, self.client_token, secret)
            .await
    }
}

/// A stored, locked lease whose secret is being created. Settle it with
/// [`confirm`](Self::confirm) once the secret exists, or [`release`](Self::release) when it
/// certainly does not. Dropped unsettled (an ambiguous failure, a panic), it is revoked at once.
pub struct Reservation {
    manager: Arc<Expiration>,
    entry: Option<LeaseEntry>,
    grant: Grant,
    _lock: LeaseGuard,
}

impl Expiration {
    /// Stores the entry and token index of a new lease, locked; see [`Reservation`].
    pub(super) async fn reserve(
        &self,
        path: &str,
        mount: &MountEntry,
        client_token: &str,
        secret: &Secret,
    ) -> Result<Reservation, LeaseError> {
        let manager = self
            .me
            .upgrade()
            .ok_or_else(|| LeaseError::Invalid("the lease manager is shutting down".into()))?;
        let now = now_ms();
        let ttl = ttl::calculate(
            self.limits(mount),
            TtlRequest {
                backend_ttl: secret.ttl,
                backend_max_ttl: secret.max_ttl,
                issue_ms: now,
                now_ms: now,
                ..TtlRequest::default()
            },
        )?;
        let entry = LeaseEntry {
            lease_id: entry::new_lease_id(path),
            path: path.to_owned(),
            mount: mount.route_path(),
            role: secret.role.clone(),
            kind: LeaseKind::Secret,
            client_token: client_token.to_owned(),
            internal: secret.internal.clone(),
            renewable: secret.renewable,
            backend_ttl: secret.ttl,
            backend_max_ttl: secret.max_ttl,
            explicit_max_ttl: 0,
            issue_time: now,
            expire_time: now + ttl.ttl_ms,
            last_renewal: None,
            revoke_attempts: 0,
            revoke_error: None,
        };
        let lock = self.locks.lock(&entry.lease_id).await;
        self.persist(&entry).await?;
        if !client_token.is_empty() {
            let key = entry::token_index_key(client_token, &self.tokens.salt_id(&entry.lease_id));
            if let Err(e) = self.view.put(&key, entry.lease_id.as_bytes()).await {
                let _ = self.view.delete(&entry::entry_key(&entry.lease_id)).await;
                return Err(e.into());
            }
        }
        Ok(Reservation {
            manager,
            grant: Grant {
                lease_id: entry.lease_id.clone(),
                duration: ttl.seconds(),
                renewable: entry.renewable,
                warning: ttl.warning,
            },
            entry: Some(entry),
            _lock: lock,
        })
    }
}

impl Reservation {
    /// The lease the client will get.
    pub fn grant(&self) -> &Grant {
        &self.grant
    }

    /// The moment the lease was issued (Unix milliseconds).
    pub fn issue_ms(&self) -> i64 {
        self.entry.as_ref().map_or(0, |e| e.issue_time)
    }

    /// The secret exists: the lease starts counting down.
    pub fn confirm(mut self) {
        if let Some(entry) = self.entry.take() {
            self.manager.track(&entry);
        }
    }

    /// The secret was certainly not created: the lease is deleted (two deletes). If storage
    /// fails the lease is kept and revoked instead, which is harmless.
    pub async fn release(mut self) -> Result<(), LeaseError> {
        let Some(mut entry) = self.entry.take() else {
            return Ok(());
        };
        if let Err(e) = self.manager.delete_entry(&entry).await {
            self.manager.expire_soon(&mut entry).await;
            return Err(e);
        }
        Ok(())
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        let Some(mut entry) = self.entry.take() else {
            return;
        };
        tracing::warn!(
            lease_id = %entry.lease_id,
            "issuance ended without a result; revoking its lease"
        );
        let manager = self.manager.clone();
        // The lock is released when this returns; the task takes its own.
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(async move {
                let _lock = manager.locks.lock(&entry.lease_id).await;
                manager.expire_soon(&mut entry).await;
            });
        }
    }
}

impl Expiration {
    /// Queues `entry` for revocation now; if that cannot be stored, at its stored expiry.
    async fn expire_soon(&self, entry: &mut LeaseEntry) {
        let stored_expiry = entry.expire_time;
        if let Err(e) = self.expire_now(entry).await {
            tracing::warn!(lease_id = %entry.lease_id, error = %e, "could not queue a revocation");
            entry.expire_time = stored_expiry;
            self.track(entry);
        }
    }
}

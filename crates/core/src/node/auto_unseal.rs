//! Unsealing without shares, with an auto-unseal seal (AWS KMS).
//!
//! At start the server runs [`Node::start_auto_unseal`]: it unseals as soon as the node is
//! initialized and KMS answers. When KMS is unreachable or refuses (unknown key, disabled key,
//! access denied), the node stays up and sealed, `sys/seal-status` carries the reason in one
//! line, and the attempt is repeated with jittered exponential backoff (1 s doubling to 60 s)
//! instead of the process exiting and being restarted in a loop. After `sys/seal` the node
//! stays sealed until restarted, or until recovery shares are entered at `sys/unseal`.
//!
//! An unseal costs one `Decrypt`; the first also sends `DescribeKey`, to learn which key the
//! configured id or alias names now. When that is not the key that wrapped the stored keys
//! (the alias moved, or the key was replaced), they are re-wrapped with it right after.

use std::sync::Arc;
use std::time::Duration;

use time::OffsetDateTime;
use zeroize::Zeroizing;

use super::keys::Mode;
use super::{Node, NodeError};
use crate::seal::awskms::AwsKms;
use crate::seal::Wrapper;
use crate::seal::{
    decrypt_stored_keys, read_recovery_blob, read_stored_blob, wrap_recovery_key, wrap_stored_keys,
    RECOVERY_KEY_PATH, STORED_KEYS_PATH,
};
use crate::timefmt::format_rfc3339;

/// The first retry delay after a failed attempt.
const FIRST_RETRY: Duration = Duration::from_secs(1);
/// The longest delay between attempts.
const MAX_RETRY: Duration = Duration::from_secs(60);
/// How often an uninitialized node looks whether another node has initialized the storage.
const INIT_POLL: Duration = Duration::from_secs(2);

/// The outcome of an automatic unseal attempt that did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AutoUnseal {
    /// The node is unsealed.
    Unsealed,
    /// Nothing to unseal yet: `sys/init` has not run.
    NotInitialized,
    /// A seal migration is pending: operators must unseal with `migrate`.
    MigrationPending,
}

/// What the last failed attempt found, for `sys/seal-status`.
#[derive(Debug, Clone, Default)]
pub(crate) struct State {
    pub(crate) error: Option<String>,
    pub(crate) next_attempt: Option<OffsetDateTime>,
}

impl Node {
    /// Unseals with the stored keys, decrypted by the auto-unseal seal.
    pub async fn unseal_with_stored_keys(&self) -> Result<AutoUnseal, NodeError> {
        let Some(kms) = self.seal.auto() else {
            return Err(NodeError::InvalidRequest(
                "the shamir seal cannot unseal by itself: enter the unseal keys".into(),
            ));
        };
        if !self.barrier.is_sealed() {
            return Ok(AutoUnseal::Unsealed);
        }
        let Some(plan) = self.key_plan().await? else {
            return Ok(AutoUnseal::NotInitialized);
        };
        if !self.initialized().await? {
            return Ok(AutoUnseal::NotInitialized);
        }
        if let Mode::Migrate { .. } = plan.mode {
            return Ok(AutoUnseal::MigrationPending);
        }
        // KMS is asked without holding the unseal lock: `sys/seal-status` and `sys/unseal`
        // must answer while a request to an unreachable KMS waits for its timeout.
        if kms.current_key_arn().is_none() {
            kms.describe_key().await?;
        }
        let blob = read_stored_blob(self.storage.as_ref()).await?;
        let root_key = decrypt_stored_keys(kms.as_ref(), &blob).await?;
        let progress = self.progress.lock().await;
        if !self.barrier.is_sealed() {
            return Ok(AutoUnseal::Unsealed);
        }
        self.unseal_with_root_key(&root_key).await?;
        drop(progress);
        tracing::info!(key = %kms.current_key_arn().unwrap_or_default(), "vault is unsealed (awskms)");
        self.rewrap_stored_keys(kms, &root_key).await;
        Ok(AutoUnseal::Unsealed)
    }

    /// Re-wraps the stored keys and the recovery key with the seal's current KMS key when an
    /// older key wrapped them. Failure is only logged: the old blobs still decrypt.
    pub(crate) async fn rewrap_stored_keys(
        &self,
        kms: &Arc<AwsKms>,
        root_key: &Zeroizing<Vec<u8>>,
    ) {
        let Some(current) = kms.current_key_arn() else {
            return;
        };
        let storage = self.storage.as_ref();
        let result: Result<(), NodeError> = async {
            let blob = read_stored_blob(storage).await?;
            if let Some(old) = blob.kms_key_id().filter(|k| *k != current) {
                let fresh = wrap_stored_keys(kms.as_ref(), root_key).await?;
                storage.put(STORED_KEYS_PATH, &fresh.to_bytes()).await?;
                tracing::info!(from = old, to = %current, "stored keys re-wrapped with the current KMS key");
            }
            let blob = read_recovery_blob(storage).await?;
            if let Some(old) = blob.kms_key_id().filter(|k| *k != current) {
                let recovery_key = kms.decrypt(&blob).await?;
                let fresh = wrap_recovery_key(kms.as_ref(), &recovery_key).await?;
                storage.put(RECOVERY_KEY_PATH, &fresh.to_bytes()).await?;
                tracing::info!(from = old, to = %current, "recovery key re-wrapped with the current KMS key");
            }
            Ok(())
        }
        .await;
        if let Err(e) = result {
            tracing::warn!("re-wrapping the stored keys with the current KMS key failed (the old key still works): {e}");
        }
    }

    /// Starts unsealing in the background, retrying until it succeeds; does nothing with the
    /// Shamir seal.
    pub fn start_auto_unseal(&self) {
        if self.seal.auto().is_none() {
            return;
        }
        let me = self.me.clone();
        let task = tokio::spawn(async move {
            let mut delay = FIRST_RETRY;
            loop {
                let Some(node) = me.upgrade() else { return };
                let wait = match node.unseal_with_stored_keys().await {
                    Ok(AutoUnseal::Unsealed) => {
                        node.set_auto_unseal_state(State::default());
                        return;
                    }
                    Ok(AutoUnseal::MigrationPending) => {
                        tracing::warn!(
                            "entering seal migration mode: the node will not unseal by itself; \
                             unseal with the old seal's keys and migrate=true"
                        );
                        node.set_auto_unseal_state(State {
                            error: Some(
                                "seal migration is pending: unseal with the old seal's keys and \
                                 migrate=true"
                                    .into(),
                            ),
                            next_attempt: None,
                        });
                        return;
                    }
                    Ok(AutoUnseal::NotInitialized) => INIT_POLL,
                    Err(e) => {
                        let wait = jitter(delay);
                        delay = (delay * 2).min(MAX_RETRY);
                        tracing::warn!(
                            retry_in_ms = wait.as_millis() as u64,
                            "auto-unseal failed: {e}"
                        );
                        node.set_auto_unseal_state(State {
                            error: Some(e.to_string()),
                            next_attempt: Some(OffsetDateTime::now_utc() + wait),
                        });
                        wait
                    }
                };
                drop(node);
                tokio::time::sleep(wait).await;
            }
        });
        *self
            .auto_unseal_task
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Some(task);
    }

    pub(crate) fn stop_auto_unseal(&self) {
        if let Some(task) = self
            .auto_unseal_task
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
        {
            task.abort();
        }
    }

    fn set_auto_unseal_state(&self, state: State) {
        *self.auto_unseal.lock().unwrap_or_else(|e| e.into_inner()) = state;
    }

    /// The last automatic unseal failure and when the next attempt is due (RFC 3339).
    pub(crate) fn auto_unseal_state(&self) -> (Option<String>, Option<String>) {
        let state = self
            .auto_unseal
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        (state.error, state.next_attempt.map(format_rfc3339))
    }
}

/// `delay` give or take a quarter, so that nodes restarted together spread their attempts.
fn jitter(delay: Duration) -> Duration {
    let quarter = delay.as_millis() as u64 / 4;
    Duration::from_millis(delay.as_millis() as u64 - quarter + rand::random_range(0..=2 * quarter))
}

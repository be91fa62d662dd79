//! `sys/unseal`: collecting key shares until the threshold is met.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::keys::Mode;
use super::{Node, NodeError, SealStatus};
use crate::seal::{shares, SealError};

/// Smallest accepted key (AES-128).
const MIN_KEY_LEN: usize = 16;
/// Largest accepted key: an AES-256 key plus the Shamir x-coordinate byte.
const MAX_KEY_LEN: usize = 32 + shares::SHARE_OVERHEAD;

/// The body of `PUT sys/unseal`.
#[derive(Clone, Default)]
pub struct UnsealRequest {
    /// One key share (unseal or, with auto-unseal, recovery share), hex or base64.
    pub key: Option<String>,
    /// Discard the shares given so far.
    pub reset: bool,
    /// Migrate from the config's `disabled` seal to the seal in use.
    pub migrate: bool,
}

/// Never shows the key share.
impl std::fmt::Debug for UnsealRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UnsealRequest")
            .field("key", &self.key.as_ref().map(|_| "<redacted>"))
            .field("reset", &self.reset)
            .field("migrate", &self.migrate)
            .finish()
    }
}

/// Shares entered so far, wiped when dropped or reset.
#[derive(Default)]
pub(crate) struct Progress {
    parts: Vec<Zeroizing<Vec<u8>>>,
    nonce: String,
}

impl Progress {
    pub(crate) fn reset(&mut self) {
        self.parts.clear();
        self.nonce.clear();
    }

    pub(crate) fn count(&self) -> usize {
        self.parts.len()
    }

    pub(crate) fn nonce(&self) -> &str {
        &self.nonce
    }
}

/// Decodes a share as Vault does: hex when it decodes to a plausible key length, else base64.
pub(crate) fn decode_key(key: &str) -> Result<Zeroizing<Vec<u8>>, NodeError> {
    if let Ok(bytes) = hex::decode(key) {
        if (MIN_KEY_LEN..=MAX_KEY_LEN).contains(&bytes.len()) {
            return Ok(Zeroizing::new(bytes));
        }
    }
    B64.decode(key)
        .map(Zeroizing::new)
        .map_err(|_| NodeError::InvalidRequest("'key' must be a valid hex or base64 string".into()))
}

impl Node {
    /// Adds one key share (or resets progress) and unseals when the threshold is reached.
    pub async fn unseal(&self, req: UnsealRequest) -> Result<SealStatus, NodeError> {
        let mut progress = self.progress.lock().await;
        if req.reset {
            if !self.barrier.is_sealed() {
                return Err(NodeError::InvalidRequest("vault is unsealed".into()));
            }
            progress.reset();
            drop(progress);
            return self.seal_status().await;
        }
        let key = match req.key.as_deref().map(str::trim) {
            Some(k) if !k.is_empty() => decode_key(k)?,
            _ => {
                return Err(NodeError::InvalidRequest(
                    "'key' must be specified in request body as JSON, or 'reset' set to true"
                        .into(),
                ))
            }
        };
        let plan = self.key_plan().await?.ok_or(NodeError::NotInitialized)?;
        if !self.initialized().await? {
            return Err(NodeError::NotInitialized);
        }
        if !self.barrier.is_sealed() {
            drop(progress);
            return self.seal_status().await;
        }
        check_key_length(&key)?;
        match (&plan.mode, req.migrate) {
            (Mode::Migrate { .. }, false) => {
                return Err(NodeError::InvalidRequest(
                    "migrate option not provided and seal migration is pending".into(),
                ))
            }
            (Mode::Normal, true) => {
                return Err(NodeError::InvalidRequest(
                    "can't perform a seal migration, no migration seal found".into(),
                ))
            }
            _ => {}
        }
        // A share already given is ignored: no progress, no error.
        if progress.parts.iter().any(|p| bool::from(p.ct_eq(&key))) {
            drop(progress);
            return self.seal_status().await;
        }
        if progress.parts.is_empty() {
            progress.nonce = uuid::Uuid::new_v4().to_string();
        }
        progress.parts.push(key);
        if progress.parts.len() < plan.shares.secret_threshold as usize {
            drop(progress);
            return self.seal_status().await;
        }
        // Threshold reached: progress is cleared whether or not the attempt succeeds.
        let parts = std::mem::take(&mut progress.parts);
        progress.reset();
        let key = combine(&parts, plan.shares.secret_threshold)?;
        // With auto-unseal this asks KMS: not under the lock, so the seal status stays
        // readable while KMS is slow or unreachable.
        drop(progress);
        let root_key = self.root_key_from(plan.seal, &key).await?;
        let progress = self.progress.lock().await;
        if !self.barrier.is_sealed() {
            drop(progress);
            return self.seal_status().await;
        }
        if let Mode::Migrate { from } = plan.mode {
            self.migrate(from, &plan.shares, &key, &root_key).await?;
            self.unseal_with_root_key(&root_key).await?;
            self.finish_migration(&key).await?;
        } else {
            self.unseal_with_root_key(&root_key).await?;
        }
        tracing::info!("vault is unsealed");
        drop(progress);
        if let Some(kms) = self.seal.auto() {
            self.rewrap_stored_keys(kms, &root_key).await;
        }
        self.seal_status().await
    }
}

/// Refuses keys no seal could have produced, with Vault's messages.
pub(crate) fn check_key_length(key: &[u8]) -> Result<(), NodeError> {
    if key.len() < MIN_KEY_LEN {
        return Err(NodeError::InvalidRequest(format!(
            "key is shorter than minimum {MIN_KEY_LEN} bytes"
        )));
    }
    if key.len() > MAX_KEY_LEN {
        return Err(NodeError::InvalidRequest(format!(
            "key is longer than maximum {MAX_KEY_LEN} bytes"
        )));
    }
    Ok(())
}

/// Rebuilds the key from `threshold` shares (one share is the key itself).
pub(crate) fn combine(
    parts: &[Zeroizing<Vec<u8>>],
    threshold: u32,
) -> Result<Zeroizing<Vec<u8>>, NodeError> {
    if threshold == 1 {
        return Ok(parts[0].clone());
    }
    let refs: Vec<&[u8]> = parts.iter().map(|p| p.as_slice()).collect();
    Ok(shares::combine(&refs).map_err(SealError::from)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_decode_from_hex_or_base64() {
        let raw = [0xABu8; 33];
        assert_eq!(*decode_key(&hex::encode(raw)).unwrap(), raw.to_vec());
        assert_eq!(*decode_key(&B64.encode(raw)).unwrap(), raw.to_vec());
        // 32 hex-looking characters that decode to 16 bytes are taken as hex.
        assert_eq!(decode_key(&"ab".repeat(16)).unwrap().len(), 16);
        assert!(decode_key("not a key!").is_err());
    }

    #[test]
    fn debug_output_hides_the_share() {
        let req = UnsealRequest {
            key: Some("c2VjcmV0LXNoYXJl".into()),
            ..UnsealRequest::default()
        };
        assert!(!format!("{req:?}").contains("c2VjcmV0"));
    }
}

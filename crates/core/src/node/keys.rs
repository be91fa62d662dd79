//! Which keys an operator must enter, what they unlock, and seal migration.
//!
//! With the Shamir seal operators enter *unseal* shares: they rebuild the key-encryption key
//! that decrypts the stored root key. With an auto-unseal seal they enter *recovery* shares:
//! the rebuilt recovery key is checked against the one stored KMS-encrypted, and the root key
//! comes from KMS. During a seal migration the keys are the *old* seal's.
//!
//! A migration re-encrypts the root key (and the recovery key) for the new seal before it
//! writes anything, then writes the new records with the stored root key last but one and the
//! seal configuration last. If the process dies in between, the stored keys' blob itself says
//! which seal wrote it (KMS blobs name their key), so the next attempt with the same shares
//! finishes the job instead of failing.

use zeroize::Zeroizing;

use super::{Node, NodeError};
use crate::barrier::SHAMIR_KEK_PATH;
use crate::seal::awskms::AwsKms;
use crate::seal::config::SealConfig;
use crate::seal::shamir::ShamirWrapper;
use crate::seal::{
    decrypt_stored_keys, read_stored_blob, verify_recovery_key, wrap_recovery_key,
    wrap_stored_keys, Seal, SealError, RECOVERY_KEY_PATH, STORED_KEYS_PATH,
};

/// The implied old seal when stored Shamir keys meet a configured auto-unseal seal: Vault
/// migrates without a `seal "shamir" { disabled = "true" }` block, and so does Strongroom.
static SHAMIR: Seal = Seal::Shamir;

/// How the configured seals relate to the stored one.
pub(crate) enum Mode<'a> {
    /// The stored keys belong to the seal in use.
    Normal,
    /// The stored keys belong to `from`; unsealing with `migrate` moves them to the seal in use.
    Migrate {
        /// The old seal.
        from: &'a Seal,
    },
}

/// What unsealing (or generate-root) needs from operators.
pub(crate) struct KeyPlan<'a> {
    pub(crate) mode: Mode<'a>,
    /// The seal whose keys are entered (the old one during a migration).
    pub(crate) seal: &'a Seal,
    /// The configuration of the shares to enter (barrier or recovery configuration).
    pub(crate) shares: SealConfig,
}

impl KeyPlan<'_> {
    /// Whether the shares are recovery shares.
    pub(crate) fn recovery(&self) -> bool {
        self.seal.auto().is_some()
    }
}

impl Node {
    /// How the configured seals relate to the stored seal type.
    pub(crate) fn mode(&self, stored_type: &str) -> Result<Mode<'_>, NodeError> {
        if stored_type == self.seal.type_name() {
            return Ok(Mode::Normal);
        }
        if let Some(old) = self
            .old_seal
            .as_ref()
            .filter(|o| o.type_name() == stored_type)
        {
            return Ok(Mode::Migrate { from: old });
        }
        if stored_type == SHAMIR.type_name() {
            return Ok(Mode::Migrate { from: &SHAMIR });
        }
        Err(NodeError::InvalidRequest(format!(
            "the stored keys are protected by the {stored_type} seal, which is not configured: \
             add its seal block back (with disabled = \"true\" to migrate away from it)"
        )))
    }

    /// What an operator must enter now; `None` before init.
    pub(crate) async fn key_plan(&self) -> Result<Option<KeyPlan<'_>>, NodeError> {
        let storage = self.storage.as_ref();
        let Some(barrier_config) = SealConfig::load(storage).await? else {
            return Ok(None);
        };
        let mode = self.mode(&barrier_config.seal_type)?;
        let seal = match &mode {
            Mode::Normal => &self.seal,
            Mode::Migrate { from } => *from,
        };
        let shares = if seal.auto().is_some() {
            SealConfig::load_recovery(storage).await?.ok_or_else(|| {
                SealError::Corrupt("no recovery key configuration at core/recovery-config".into())
            })?
        } else {
            barrier_config
        };
        Ok(Some(KeyPlan { mode, seal, shares }))
    }

    /// The root key, from `key` rebuilt from the shares of `seal` (a key-encryption key for
    /// Shamir, the recovery key for auto-unseal, which is verified before KMS is asked).
    pub(crate) async fn root_key_from(
        &self,
        seal: &Seal,
        key: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, NodeError> {
        let storage = self.storage.as_ref();
        let blob = read_stored_blob(storage).await?;
        let auto = match seal.auto() {
            Some(kms) => {
                verify_recovery_key(storage, kms.as_ref(), key).await?;
                Some(kms)
            }
            // Stored keys already wrapped by KMS under a Shamir configuration: a migration to
            // auto-unseal stopped after writing them, and the shares are now the recovery key.
            None if blob.kms_key_id().is_some() => {
                let kms = self.seal.auto().ok_or_else(|| {
                    SealError::Corrupt(format!(
                        "the stored keys are wrapped by KMS key {}, but no awskms seal is \
                         configured",
                        blob.kms_key_id().unwrap_or_default()
                    ))
                })?;
                verify_recovery_key(storage, kms.as_ref(), key).await?;
                Some(kms)
            }
            None => None,
        };
        let root_key = match auto {
            // Likewise a migration to Shamir that stopped after writing the stored keys: the
            // recovery key is their key-encryption key.
            Some(kms) if blob.kms_key_id().is_some() => {
                decrypt_stored_keys(kms.as_ref(), &blob).await?
            }
            _ => {
                let wrapper = ShamirWrapper::new(key).map_err(|_| SealError::InvalidKey)?;
                decrypt_stored_keys(&wrapper, &blob).await?
            }
        };
        Ok(root_key)
    }

    /// Moves the stored keys from `from` to the seal in use. `key` is what the operator's
    /// shares rebuilt (verified by [`Node::root_key_from`]); `shares` their configuration.
    /// The shares stay the same: Shamir unseal shares become recovery shares and back.
    pub(crate) async fn migrate(
        &self,
        from: &Seal,
        shares: &SealConfig,
        key: &[u8],
        root_key: &[u8],
    ) -> Result<(), NodeError> {
        let storage = self.storage.as_ref();
        let recovery_config = SealConfig::shamir(shares.secret_shares, shares.secret_threshold);
        match (from.auto(), self.seal.auto()) {
            (None, Some(kms)) => {
                self.store_auto_seal(kms, root_key, key, &recovery_config)
                    .await?
            }
            (Some(_), None) => {
                let wrapper = ShamirWrapper::new(key).map_err(|_| SealError::InvalidKey)?;
                let keys = wrap_stored_keys(&wrapper, root_key).await?;
                storage.put(STORED_KEYS_PATH, &keys.to_bytes()).await?;
                recovery_config.store(storage).await?;
                storage
                    .delete(crate::seal::config::RECOVERY_CONFIG_PATH)
                    .await?;
                storage.delete(RECOVERY_KEY_PATH).await?;
            }
            _ => {
                return Err(NodeError::InvalidRequest(format!(
                    "cannot migrate from the {} seal to the {} seal",
                    from.type_name(),
                    self.seal.type_name()
                )))
            }
        }
        tracing::info!(
            from = from.type_name(),
            to = self.seal.type_name(),
            "seal migration complete"
        );
        Ok(())
    }

    /// Stores what an auto-unseal seal needs, for init and for a migration to it: the root
    /// key and the recovery key encrypted by `kms` (both before anything is written, so a KMS
    /// failure writes nothing), then the recovery configuration, the recovery key, the
    /// stored root key, and last the barrier's seal configuration.
    pub(crate) async fn store_auto_seal(
        &self,
        kms: &AwsKms,
        root_key: &[u8],
        recovery_key: &[u8],
        recovery_config: &SealConfig,
    ) -> Result<(), NodeError> {
        let storage = self.storage.as_ref();
        let keys = wrap_stored_keys(kms, root_key).await?;
        let recovery = wrap_recovery_key(kms, recovery_key).await?;
        recovery_config.store_recovery(storage).await?;
        storage.put(RECOVERY_KEY_PATH, &recovery.to_bytes()).await?;
        storage.put(STORED_KEYS_PATH, &keys.to_bytes()).await?;
        SealConfig::auto(self.seal.type_name())
            .store(storage)
            .await?;
        Ok(())
    }

    /// After a migration has unsealed the barrier: keeps Vault's copy of the Shamir
    /// key-encryption key inside the barrier only while Shamir is the seal.
    pub(crate) async fn finish_migration(&self, key: &[u8]) -> Result<(), NodeError> {
        if self.seal.auto().is_some() {
            self.barrier.delete(SHAMIR_KEK_PATH).await?;
        } else {
            self.barrier.put(SHAMIR_KEK_PATH, key).await?;
        }
        Ok(())
    }
}

//! The seal configuration stored in plaintext at `core/seal-config` (it is needed while sealed).

use serde::{Deserialize, Serialize};

use super::SealError;
use crate::storage::Backend;

/// Where the barrier's seal configuration is stored.
pub const SEAL_CONFIG_PATH: &str = "core/seal-config";
/// Where an auto-unseal seal's recovery key configuration is stored.
pub const RECOVERY_CONFIG_PATH: &str = "core/recovery-config";

/// Vault's `SealConfig`: how the unseal keys were split.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealConfig {
    /// `shamir` (later also `awskms`).
    #[serde(rename = "type")]
    pub seal_type: String,
    /// How many key shares were handed out.
    pub secret_shares: u32,
    /// How many shares unseal.
    pub secret_threshold: u32,
    /// PGP keys the shares were encrypted to (not supported: always empty).
    #[serde(default)]
    pub pgp_keys: Option<Vec<String>>,
    /// The nonce of an ongoing rekey (none).
    #[serde(default)]
    pub nonce: String,
    /// Whether rekey backups are kept.
    #[serde(default)]
    pub backup: bool,
    /// 1: the shares unlock a key-encryption key that decrypts the stored root key
    /// ("new-style" Shamir, Vault ≥ 1.3). 0 would mean the shares are the root key itself.
    #[serde(default)]
    pub stored_shares: u32,
}

impl SealConfig {
    /// A Shamir configuration with `shares` shares and `threshold`.
    pub fn shamir(shares: u32, threshold: u32) -> Self {
        Self {
            seal_type: "shamir".into(),
            secret_shares: shares,
            secret_threshold: threshold,
            pgp_keys: None,
            nonce: String::new(),
            backup: false,
            stored_shares: 1,
        }
    }

    /// The barrier configuration of an auto-unseal seal of `seal_type`: one stored key, which
    /// the seal itself decrypts.
    pub fn auto(seal_type: &str) -> Self {
        Self {
            seal_type: seal_type.into(),
            ..Self::shamir(1, 1)
        }
    }

    /// Checks the numbers as Vault does; the message completes
    /// `invalid seal configuration: …`.
    pub fn validate(&self) -> Result<(), SealError> {
        let reason = if self.secret_shares < 1 {
            "shares must be at least one"
        } else if self.secret_threshold < 1 {
            "threshold must be at least one"
        } else if self.secret_shares > 1 && self.secret_threshold == 1 {
            "threshold must be greater than one for multiple shares"
        } else if self.secret_shares > 255 {
            "shares must be less than 256"
        } else if self.secret_threshold > 255 {
            "threshold must be less than 256"
        } else if self.secret_threshold > self.secret_shares {
            "threshold cannot be larger than shares"
        } else {
            return Ok(());
        };
        Err(SealError::InvalidConfig(reason.into()))
    }

    /// Reads the stored barrier configuration, if any.
    pub async fn load(storage: &dyn Backend) -> Result<Option<Self>, SealError> {
        Self::load_from(storage, SEAL_CONFIG_PATH).await
    }

    /// Reads the stored recovery key configuration, if any.
    pub async fn load_recovery(storage: &dyn Backend) -> Result<Option<Self>, SealError> {
        Self::load_from(storage, RECOVERY_CONFIG_PATH).await
    }

    async fn load_from(storage: &dyn Backend, path: &str) -> Result<Option<Self>, SealError> {
        match storage.get(path).await? {
            None => Ok(None),
            Some(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| SealError::Corrupt(format!("{path}: {e}"))),
        }
    }

    /// Stores the barrier configuration.
    pub async fn store(&self, storage: &dyn Backend) -> Result<(), SealError> {
        self.store_at(storage, SEAL_CONFIG_PATH).await
    }

    /// Stores the recovery key configuration.
    pub async fn store_recovery(&self, storage: &dyn Backend) -> Result<(), SealError> {
        self.store_at(storage, RECOVERY_CONFIG_PATH).await
    }

    async fn store_at(&self, storage: &dyn Backend, path: &str) -> Result<(), SealError> {
        let bytes = serde_json::to_vec(self).map_err(|e| SealError::Corrupt(e.to_string()))?;
        storage.put(path, &bytes).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_messages_match_vault() {
        let msg = |s, t| match SealConfig::shamir(s, t).validate() {
            Ok(()) => "ok".to_string(),
            Err(SealError::InvalidConfig(m)) => m,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(msg(5, 3), "ok");
        assert_eq!(msg(1, 1), "ok");
        assert_eq!(msg(0, 1), "shares must be at least one");
        assert_eq!(msg(3, 0), "threshold must be at least one");
        assert_eq!(
            msg(3, 1),
            "threshold must be greater than one for multiple shares"
        );
        assert_eq!(msg(256, 3), "shares must be less than 256");
        assert_eq!(msg(3, 4), "threshold cannot be larger than shares");
    }

    #[test]
    fn json_matches_vaults_field_names() {
        let json = serde_json::to_value(SealConfig::shamir(5, 3)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"type":"shamir","secret_shares":5,"secret_threshold":3,
                "pgp_keys":null,"nonce":"","backup":false,"stored_shares":1})
        );
    }
}

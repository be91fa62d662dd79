//! Seals protect the barrier's root key.
//!
//! The root key is stored at `core/hsm/barrier-unseal-keys`, outside the barrier, encrypted by
//! the seal's [`Wrapper`] as a JSON list holding the one key, inside a [`blob::BlobInfo`]. With
//! the Shamir seal the wrapper's key is a key-encryption key split into shares with
//! [`shares::split`] (Vault's "new-style" Shamir); an auto-unseal seal such as AWS KMS
//! ([`awskms`]) supplies its own wrapper, and a separate *recovery key*, split into recovery
//! shares and stored KMS-encrypted at `core/recovery-key`, authorizes what the unseal keys
//! would (generate-root, seal migration, unsealing again after `sys/seal`).

pub mod awskms;
pub mod blob;
pub mod config;
pub mod shamir;
pub mod shares;

use std::sync::Arc;

use async_trait::async_trait;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use zeroize::Zeroizing;

use crate::error::{Classify, ErrorKind};
use crate::storage::{Backend, StorageError};
use awskms::AwsKms;
use blob::BlobInfo;
use subtle::ConstantTimeEq;

/// Where the seal-encrypted root key is stored.
pub const STORED_KEYS_PATH: &str = "core/hsm/barrier-unseal-keys";
/// Where an auto-unseal seal stores the encrypted recovery key.
pub const RECOVERY_KEY_PATH: &str = "core/recovery-key";

/// A configured seal.
#[derive(Clone)]
pub enum Seal {
    /// Key shares entered by operators.
    Shamir,
    /// AWS KMS auto-unseal.
    AwsKms(Arc<AwsKms>),
}

impl Seal {
    /// The type name Vault stores and reports (`shamir`, `awskms`).
    pub fn type_name(&self) -> &'static str {
        match self {
            Seal::Shamir => "shamir",
            Seal::AwsKms(_) => "awskms",
        }
    }

    /// The wrapper of an auto-unseal seal (none for Shamir, whose wrapper needs the shares).
    pub fn auto(&self) -> Option<&Arc<AwsKms>> {
        match self {
            Seal::Shamir => None,
            Seal::AwsKms(kms) => Some(kms),
        }
    }
}

impl std::fmt::Debug for Seal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.type_name())
    }
}

/// Errors from seals and the unseal process.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    /// Init parameters Vault would refuse.
    #[error("invalid seal configuration: {0}")]
    InvalidConfig(String),
    /// The reconstructed key does not decrypt the stored root key.
    #[error("unseal failed, invalid key")]
    InvalidKey,
    /// A key of the wrong size.
    #[error("invalid key length {0}")]
    InvalidKeyLength(usize),
    /// Share arithmetic refused the input.
    #[error("failed to combine key shares: {0}")]
    Shares(#[from] shares::SharesError),
    /// The wrapper failed to encrypt.
    #[error("seal: {0}")]
    Crypto(String),
    /// AWS KMS refused or could not be reached; the message is one line saying why.
    #[error("KMS {operation} failed: {message}")]
    Kms {
        /// The KMS operation.
        operation: &'static str,
        /// What went wrong.
        message: String,
    },
    /// The recovery key shares do not rebuild the stored recovery key.
    #[error("recovery key verification failed: recovery key does not match submitted values")]
    RecoveryKeyMismatch,
    /// Seal records in storage are missing or malformed.
    #[error("seal data is corrupt: {0}")]
    Corrupt(String),
    /// The storage backend failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl Classify for SealError {
    fn kind(&self) -> ErrorKind {
        match self {
            SealError::InvalidConfig(_)
            | SealError::InvalidKey
            | SealError::RecoveryKeyMismatch
            | SealError::Shares(_) => ErrorKind::InvalidRequest,
            SealError::Storage(e) => e.kind(),
            _ => ErrorKind::Internal,
        }
    }
}

/// Encrypts and decrypts small values (the root key) for a seal, as go-kms-wrapping does.
#[async_trait]
pub trait Wrapper: Send + Sync {
    /// Encrypts `plaintext`.
    async fn encrypt(&self, plaintext: &[u8]) -> Result<BlobInfo, SealError>;
    /// Decrypts a blob produced by [`Wrapper::encrypt`].
    async fn decrypt(&self, blob: &BlobInfo) -> Result<Zeroizing<Vec<u8>>, SealError>;
}

/// Encrypts `root_key` with `wrapper` and stores it at [`STORED_KEYS_PATH`].
pub async fn write_stored_keys(
    storage: &dyn Backend,
    wrapper: &dyn Wrapper,
    root_key: &[u8],
) -> Result<(), SealError> {
    let blob = wrap_stored_keys(wrapper, root_key).await?;
    storage.put(STORED_KEYS_PATH, &blob.to_bytes()).await?;
    Ok(())
}

/// Reads the stored root key's blob (to decrypt it, or to see which key wrapped it).
pub async fn read_stored_blob(storage: &dyn Backend) -> Result<BlobInfo, SealError> {
    read_blob(storage, STORED_KEYS_PATH).await
}

async fn read_blob(storage: &dyn Backend, path: &str) -> Result<BlobInfo, SealError> {
    let bytes = storage
        .get(path)
        .await?
        .ok_or_else(|| SealError::Corrupt(format!("nothing stored at {path}")))?;
    BlobInfo::from_bytes(&bytes).map_err(|e| SealError::Corrupt(format!("{path}: {e}")))
}

/// Decrypts the stored root key's blob with `wrapper`.
pub async fn decrypt_stored_keys(
    wrapper: &dyn Wrapper,
    blob: &BlobInfo,
) -> Result<Zeroizing<Vec<u8>>, SealError> {
    let json = wrapper.decrypt(blob).await?;
    let keys: Vec<Zeroizing<String>> = serde_json::from_slice(&json)
        .map_err(|_| SealError::Corrupt(format!("{STORED_KEYS_PATH}: not a list of keys")))?;
    match keys.as_slice() {
        [one] => B64
            .decode(one.as_bytes())
            .map(Zeroizing::new)
            .map_err(|_| SealError::Corrupt(format!("{STORED_KEYS_PATH}: key is not base64"))),
        _ => Err(SealError::Corrupt(format!(
            "{STORED_KEYS_PATH}: expected exactly one key, found {}",
            keys.len()
        ))),
    }
}

/// Reads the stored root key and decrypts it with `wrapper`.
pub async fn read_stored_keys(
    storage: &dyn Backend,
    wrapper: &dyn Wrapper,
) -> Result<Zeroizing<Vec<u8>>, SealError> {
    decrypt_stored_keys(wrapper, &read_stored_blob(storage).await?).await
}

/// Encrypts the recovery key with an auto-unseal `wrapper`, ready for [`RECOVERY_KEY_PATH`].
pub async fn wrap_recovery_key(
    wrapper: &dyn Wrapper,
    recovery_key: &[u8],
) -> Result<BlobInfo, SealError> {
    wrapper.encrypt(recovery_key).await
}

/// Reads the recovery key's blob.
pub async fn read_recovery_blob(storage: &dyn Backend) -> Result<BlobInfo, SealError> {
    read_blob(storage, RECOVERY_KEY_PATH).await
}

/// Checks `candidate` (rebuilt from recovery shares) against the stored recovery key, in
/// constant time.
pub async fn verify_recovery_key(
    storage: &dyn Backend,
    wrapper: &dyn Wrapper,
    candidate: &[u8],
) -> Result<(), SealError> {
    let stored = wrapper.decrypt(&read_recovery_blob(storage).await?).await?;
    if bool::from(stored.as_slice().ct_eq(candidate)) {
        Ok(())
    } else {
        Err(SealError::RecoveryKeyMismatch)
    }
}

/// The stored root key as the JSON list Vault keeps (Go `[]byte` → base64 strings).
fn stored_keys_json(root_key: &[u8]) -> Zeroizing<String> {
    let encoded = Zeroizing::new(B64.encode(root_key));
    Zeroizing::new(format!("[\"{}\"]", encoded.as_str()))
}

/// Encrypts the root key with `wrapper` as [`STORED_KEYS_PATH`] holds it, without storing
/// it: a seal change encrypts everything first and writes only once nothing can fail.
pub async fn wrap_stored_keys(
    wrapper: &dyn Wrapper,
    root_key: &[u8],
) -> Result<BlobInfo, SealError> {
    wrapper.encrypt(stored_keys_json(root_key).as_bytes()).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::InmemBackend;

    #[tokio::test]
    async fn stored_keys_round_trip_and_have_vaults_shape() {
        let storage = InmemBackend::new();
        let kek = [5u8; 32];
        let wrapper = shamir::ShamirWrapper::new(&kek).unwrap();
        let root = [7u8; 32];
        write_stored_keys(&storage, &wrapper, &root).await.unwrap();

        let raw = storage.get(STORED_KEYS_PATH).await.unwrap().unwrap();
        let blob = BlobInfo::from_bytes(&raw).unwrap();
        assert!(blob.key_info.is_none());
        // IV (12) + JSON `["<44 base64 chars>"]` (48) + tag (16).
        assert_eq!(blob.ciphertext.len(), 12 + 48 + 16);
        let json = wrapper.decrypt(&blob).await.unwrap();
        assert_eq!(
            std::str::from_utf8(&json).unwrap(),
            format!("[\"{}\"]", B64.encode(root))
        );

        let back = read_stored_keys(&storage, &wrapper).await.unwrap();
        assert_eq!(*back, root.to_vec());
        let other = shamir::ShamirWrapper::new(&[6u8; 32]).unwrap();
        assert!(matches!(
            read_stored_keys(&storage, &other).await,
            Err(SealError::InvalidKey)
        ));
    }
}

//! Seals protect the barrier's root key.
//!
//! The root key is stored at `core/hsm/barrier-unseal-keys`, outside the barrier, encrypted by
//! the seal's [`Wrapper`] as a JSON list holding the one key, inside a [`blob::BlobInfo`]. With
//! the Shamir seal the wrapper's key is a key-encryption key split into shares with
//! [`shares::split`] (Vault's "new-style" Shamir); an auto-unseal seal such as AWS KMS supplies
//! its own wrapper.

pub mod blob;
pub mod config;
pub mod shamir;
pub mod shares;

use async_trait::async_trait;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use zeroize::Zeroizing;

use crate::error::{Classify, ErrorKind};
use crate::storage::{Backend, StorageError};
use blob::BlobInfo;

/// Where the seal-encrypted root key is stored.
pub const STORED_KEYS_PATH: &str = "core/hsm/barrier-unseal-keys";

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
            SealError::InvalidConfig(_) | SealError::InvalidKey | SealError::Shares(_) => {
                ErrorKind::InvalidRequest
            }
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
    // Vault stores a JSON list of keys (Go []byte → base64 strings); there is always one.
    let encoded = Zeroizing::new(B64.encode(root_key));
    let json = Zeroizing::new(format!("[\"{}\"]", encoded.as_str()));
    let blob = wrapper.encrypt(json.as_bytes()).await?;
    storage.put(STORED_KEYS_PATH, &blob.to_bytes()).await?;
    Ok(())
}

/// Reads the stored root key and decrypts it with `wrapper`.
pub async fn read_stored_keys(
    storage: &dyn Backend,
    wrapper: &dyn Wrapper,
) -> Result<Zeroizing<Vec<u8>>, SealError> {
    let bytes = storage
        .get(STORED_KEYS_PATH)
        .await?
        .ok_or_else(|| SealError::Corrupt(format!("no stored keys at {STORED_KEYS_PATH}")))?;
    let blob = BlobInfo::from_bytes(&bytes)
        .map_err(|e| SealError::Corrupt(format!("{STORED_KEYS_PATH}: {e}")))?;
    let json = wrapper.decrypt(&blob).await?;
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

//! The barrier: AES-256-GCM encryption of everything the core stores.
//!
//! Values are written in Vault's byte format (see [`aead`]) under the active term of the
//! [`keyring::Keyring`]; old terms stay in the keyring forever so older values still decrypt
//! after [`Barrier::rotate`]. The keyring itself lives at `core/keyring`, encrypted with the root
//! key under term 1. While sealed the barrier holds no key material at all: [`Barrier::seal`]
//! drops the keyring and the ciphers, whose buffers are zeroized on drop.

pub mod aead;
pub mod keyring;
mod view;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use aes_gcm::Aes256Gcm;
use serde::Serialize;
use time::OffsetDateTime;
use zeroize::Zeroizing;

use crate::error::{Classify, ErrorKind};
use crate::random::random_key;
use crate::storage::{Backend, StorageError};
use crate::timefmt::format_rfc3339;
use keyring::Keyring;

pub use view::BarrierView;

/// Where the keyring is stored.
pub const KEYRING_PATH: &str = "core/keyring";
/// Where a copy of the root key is kept (encrypted by the active term) for standbys.
pub const ROOT_KEY_PATH: &str = "core/root-key";
/// Where the Shamir key-encryption key is kept inside the barrier.
pub const SHAMIR_KEK_PATH: &str = "core/shamir-kek";
/// Length of generated keys (AES-256).
pub const KEY_LEN: usize = 32;

/// Errors from the barrier.
#[derive(Debug, thiserror::Error)]
pub enum BarrierError {
    /// The barrier has no keys loaded.
    #[error("Vault is sealed")]
    Sealed,
    /// `initialize` on a barrier whose keyring already exists.
    #[error("Vault is already initialized")]
    AlreadyInitialized,
    /// `unseal` before `initialize`.
    #[error("Vault is not initialized")]
    NotInitialized,
    /// The root key given to `unseal` does not decrypt the keyring.
    #[error("unseal failed, invalid key")]
    InvalidRootKey,
    /// The keyring was not written with term 1.
    #[error("keyring term mis-match: found term {0}, expected 1")]
    TermMismatch(u32),
    /// A key had the wrong length.
    #[error("invalid key length {0}: expected 32 bytes")]
    InvalidKeyLength(usize),
    /// A stored value too short to hold a term.
    #[error("invalid value stored at {0:?}")]
    InvalidValue(String),
    /// A stored value too short to be a ciphertext.
    #[error("invalid cipher length of the value stored at {0:?}")]
    InvalidCipherLength(String),
    /// A stored value with an unknown format version.
    #[error("version bytes mis-match for the value stored at {path:?}: version {version}")]
    VersionMismatch {
        /// Where the value is stored.
        path: String,
        /// The version byte found.
        version: u8,
    },
    /// A stored value written with a term the keyring does not have.
    #[error("no decryption key available for term {term} (value stored at {path:?})")]
    NoKeyForTerm {
        /// Where the value is stored.
        path: String,
        /// Its term.
        term: u32,
    },
    /// Authentication of a stored value failed: it was altered, moved, or damaged.
    #[error(
        "decryption failed for the value stored at {0:?}: cipher: message authentication failed"
    )]
    DecryptionFailed(String),
    /// The decrypted keyring is not valid.
    #[error("keyring is corrupt: {0}")]
    CorruptKeyring(String),
    /// The storage backend failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl Classify for BarrierError {
    fn kind(&self) -> ErrorKind {
        match self {
            BarrierError::Sealed | BarrierError::NotInitialized => ErrorKind::Sealed,
            BarrierError::AlreadyInitialized | BarrierError::InvalidRootKey => {
                ErrorKind::InvalidRequest
            }
            BarrierError::Storage(e) => e.kind(),
            _ => ErrorKind::Internal,
        }
    }
}

/// What `sys/key-status` reports.
#[derive(Debug, Clone, Serialize)]
pub struct KeyStatus {
    /// The active term.
    pub term: u32,
    /// When the active key was installed (RFC 3339).
    pub install_time: String,
    /// Encryptions performed with the active key.
    pub encryptions: u64,
}

/// Key material loaded while unsealed.
struct Unsealed {
    keyring: Keyring,
    ciphers: BTreeMap<u32, Aes256Gcm>,
    /// Encryptions with the active term since it was loaded (added to the stored count).
    encryptions: AtomicU64,
}

impl Unsealed {
    fn load(keyring: Keyring) -> Result<Self, BarrierError> {
        let ciphers = keyring
            .keys()
            .map(|k| Ok((k.term, aead::cipher(&k.value)?)))
            .collect::<Result<_, BarrierError>>()?;
        let active = keyring
            .key(keyring.active_term())
            .map_or(0, |k| k.encryptions);
        Ok(Self {
            keyring,
            ciphers,
            encryptions: AtomicU64::new(active),
        })
    }
}

/// The encryption barrier in front of a storage backend.
pub struct Barrier {
    storage: Arc<dyn Backend>,
    state: RwLock<Option<Arc<Unsealed>>>,
    /// Serializes rotations so two cannot pick the same term.
    rotation: tokio::sync::Mutex<()>,
}

impl Barrier {
    /// A sealed barrier over `storage`.
    pub fn new(storage: Arc<dyn Backend>) -> Self {
        Self {
            storage,
            state: RwLock::new(None),
            rotation: tokio::sync::Mutex::new(()),
        }
    }

    /// Whether a keyring exists in storage.
    pub async fn initialized(&self) -> Result<bool, BarrierError> {
        Ok(self.storage.get(KEYRING_PATH).await?.is_some())
    }

    /// Creates the keyring for `root_key` and stores it with the root-key copy and, for Shamir
    /// seals, the key-encryption key. Leaves the barrier sealed.
    pub async fn initialize(
        &self,
        root_key: &[u8],
        shamir_kek: Option<&[u8]>,
    ) -> Result<(), BarrierError> {
        if self.initialized().await? {
            return Err(BarrierError::AlreadyInitialized);
        }
        let keyring = Keyring::new(root_key, random_key(KEY_LEN));
        let state = Unsealed::load(keyring)?;
        // The keyring is the commit point: write the other records first, so that a failure
        // part-way leaves the store uninitialized rather than half-initialized.
        self.write_root_key_copy(&state).await?;
        if let Some(kek) = shamir_kek {
            let cipher = &state.ciphers[&1];
            let value = aead::encrypt(cipher, 1, SHAMIR_KEK_PATH, kek);
            self.storage.put(SHAMIR_KEK_PATH, &value).await?;
        }
        self.persist_keyring(&state.keyring).await
    }

    /// Loads the keyring with `root_key`; [`BarrierError::InvalidRootKey`] if it does not fit.
    pub async fn unseal(&self, root_key: &[u8]) -> Result<(), BarrierError> {
        if !self.is_sealed() {
            return Ok(());
        }
        self.load_keyring(root_key).await
    }

    /// Re-reads the keyring with the root key already held. An HA standby calls this when it
    /// becomes active, or meets a term it does not know, because the active node may have
    /// rotated the keyring meanwhile.
    pub async fn reload_keyring(&self) -> Result<(), BarrierError> {
        let root_key = Zeroizing::new(self.unsealed()?.keyring.root_key().to_vec());
        self.load_keyring(&root_key).await
    }

    /// Reads the keyring from storage, decrypts it with `root_key` and installs it.
    async fn load_keyring(&self, root_key: &[u8]) -> Result<(), BarrierError> {
        let stored = self
            .storage
            .get(KEYRING_PATH)
            .await?
            .ok_or(BarrierError::NotInitialized)?;
        let term = aead::term_of(KEYRING_PATH, &stored)?;
        if term != 1 {
            return Err(BarrierError::TermMismatch(term));
        }
        let cipher = aead::cipher(root_key).map_err(|_| BarrierError::InvalidRootKey)?;
        let plaintext = aead::decrypt(&cipher, KEYRING_PATH, &stored).map_err(|e| match e {
            BarrierError::DecryptionFailed(_) => BarrierError::InvalidRootKey,
            other => other,
        })?;
        let keyring = Keyring::from_json(&plaintext)?;
        let state = Unsealed::load(keyring)?;
        *self.state.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(state));
        Ok(())
    }

    /// Drops all key material.
    pub fn seal(&self) {
        self.state.write().unwrap_or_else(|e| e.into_inner()).take();
    }

    /// The storage under the barrier (for what is not encrypted: table administration).
    pub fn storage(&self) -> &Arc<dyn Backend> {
        &self.storage
    }

    /// Whether the barrier holds no keys.
    pub fn is_sealed(&self) -> bool {
        self.state
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .is_none()
    }

    fn unsealed(&self) -> Result<Arc<Unsealed>, BarrierError> {
        self.state
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or(BarrierError::Sealed)
    }

    /// Adds a new key term and makes it active for all new writes; returns the new term.
    pub async fn rotate(&self) -> Result<u32, BarrierError> {
        let _guard = self.rotation.lock().await;
        let current = self.unsealed()?;
        let mut keyring = current.keyring.clone();
        keyring.set_encryptions(
            keyring.active_term(),
            current.encryptions.load(Ordering::Relaxed),
        );
        let term = keyring.rotate(random_key(KEY_LEN));
        let next = Unsealed::load(keyring)?;
        self.persist_keyring(&next.keyring).await?;
        self.write_root_key_copy(&next).await?;
        *self.state.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(next));
        Ok(term)
    }

    /// The active term, when it was installed, and how often it has been used.
    pub fn key_status(&self) -> Result<KeyStatus, BarrierError> {
        let state = self.unsealed()?;
        let term = state.keyring.active_term();
        let install_time = state
            .keyring
            .key(term)
            .map_or(OffsetDateTime::UNIX_EPOCH, |k| k.install_time);
        Ok(KeyStatus {
            term,
            install_time: format_rfc3339(install_time),
            encryptions: state.encryptions.load(Ordering::Relaxed),
        })
    }

    async fn persist_keyring(&self, keyring: &Keyring) -> Result<(), BarrierError> {
        let cipher = aead::cipher(keyring.root_key())?;
        let value = aead::encrypt(&cipher, 1, KEYRING_PATH, &keyring.to_json());
        self.storage.put(KEYRING_PATH, &value).await?;
        Ok(())
    }

    /// Stores the root key, encrypted with the active term, where standbys can follow it.
    async fn write_root_key_copy(&self, state: &Unsealed) -> Result<(), BarrierError> {
        let term = state.keyring.active_term();
        let record = Zeroizing::new(
            serde_json::to_vec(&keyring::Key {
                term: 1,
                version: 1,
                value: Zeroizing::new(state.keyring.root_key().to_vec()),
                install_time: OffsetDateTime::now_utc(),
                encryptions: 0,
            })
            .unwrap_or_default(),
        );
        let value = aead::encrypt(&state.ciphers[&term], term, ROOT_KEY_PATH, &record);
        self.storage.put(ROOT_KEY_PATH, &value).await?;
        Ok(())
    }

    /// Reads and decrypts the value at `key`.
    pub async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, BarrierError> {
        self.unsealed()?;
        let Some(value) = self.storage.get(key).await? else {
            return Ok(None);
        };
        // Re-check after the await: a seal may have happened meanwhile.
        let state = self.unsealed()?;
        let term = aead::term_of(key, &value)?;
        let cipher = state
            .ciphers
            .get(&term)
            .ok_or_else(|| BarrierError::NoKeyForTerm {
                path: key.to_owned(),
                term,
            })?;
        let plaintext = aead::decrypt(cipher, key, &value)?;
        Ok(Some(plaintext.to_vec()))
    }

    /// Encrypts `value` with the active term and stores it at `key`.
    pub async fn put(&self, key: &str, value: &[u8]) -> Result<(), BarrierError> {
        let state = self.unsealed()?;
        let term = state.keyring.active_term();
        let sealed = aead::encrypt(&state.ciphers[&term], term, key, value);
        state.encryptions.fetch_add(1, Ordering::Relaxed);
        drop(state);
        self.storage.put(key, &sealed).await?;
        Ok(())
    }

    /// Removes `key`.
    pub async fn delete(&self, key: &str) -> Result<(), BarrierError> {
        self.unsealed()?;
        self.storage.delete(key).await?;
        Ok(())
    }

    /// The direct children of `prefix` (keys are not secret, so listing needs no decryption).
    pub async fn list_page(
        &self,
        prefix: &str,
        after: &str,
        limit: Option<usize>,
    ) -> Result<Vec<String>, BarrierError> {
        self.unsealed()?;
        Ok(self.storage.list_page(prefix, after, limit).await?)
    }

    /// All direct children of `prefix`.
    pub async fn list(&self, prefix: &str) -> Result<Vec<String>, BarrierError> {
        self.list_page(prefix, "", None).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::InmemBackend;

    async fn unsealed_barrier() -> (Arc<dyn Backend>, Barrier, Zeroizing<Vec<u8>>) {
        let storage: Arc<dyn Backend> = Arc::new(InmemBackend::new());
        let barrier = Barrier::new(storage.clone());
        let root = random_key(KEY_LEN);
        barrier.initialize(&root, None).await.unwrap();
        barrier.unseal(&root).await.unwrap();
        (storage, barrier, root)
    }

    #[tokio::test]
    async fn sealed_barrier_refuses_everything() {
        let barrier = Barrier::new(Arc::new(InmemBackend::new()));
        assert!(matches!(barrier.get("a").await, Err(BarrierError::Sealed)));
        assert!(matches!(
            barrier.put("a", b"x").await,
            Err(BarrierError::Sealed)
        ));
        assert!(matches!(barrier.list("").await, Err(BarrierError::Sealed)));
        assert!(matches!(
            barrier.unseal(&[0u8; 32]).await,
            Err(BarrierError::NotInitialized)
        ));
    }

    #[tokio::test]
    async fn values_are_stored_encrypted_under_the_active_term() {
        let (storage, barrier, _) = unsealed_barrier().await;
        barrier.put("secret/a", b"plaintext!").await.unwrap();
        let raw = storage.get("secret/a").await.unwrap().unwrap();
        assert_eq!(&raw[..5], &[0, 0, 0, 1, 2]);
        assert!(!raw.windows(10).any(|w| w == b"plaintext!"));
        assert_eq!(
            barrier.get("secret/a").await.unwrap().unwrap(),
            b"plaintext!"
        );
    }

    #[tokio::test]
    async fn keyring_is_term_one_under_the_root_key() {
        let (storage, _barrier, root) = unsealed_barrier().await;
        let raw = storage.get(KEYRING_PATH).await.unwrap().unwrap();
        assert_eq!(aead::term_of(KEYRING_PATH, &raw).unwrap(), 1);
        let plain = aead::decrypt(&aead::cipher(&root).unwrap(), KEYRING_PATH, &raw).unwrap();
        let ring = Keyring::from_json(&plain).unwrap();
        assert_eq!(ring.root_key(), root.as_slice());
    }

    #[tokio::test]
    async fn rotation_keeps_old_terms_readable_across_unseal() {
        let (storage, barrier, root) = unsealed_barrier().await;
        barrier.put("old", b"one").await.unwrap();
        assert_eq!(barrier.rotate().await.unwrap(), 2);
        barrier.put("new", b"two").await.unwrap();
        assert_eq!(
            aead::term_of("new", &storage.get("new").await.unwrap().unwrap()).unwrap(),
            2
        );
        assert_eq!(
            aead::term_of("old", &storage.get("old").await.unwrap().unwrap()).unwrap(),
            1
        );

        barrier.seal();
        let again = Barrier::new(storage.clone());
        again.unseal(&root).await.unwrap();
        assert_eq!(again.get("old").await.unwrap().unwrap(), b"one");
        assert_eq!(again.get("new").await.unwrap().unwrap(), b"two");
        let status = again.key_status().unwrap();
        assert_eq!(status.term, 2);
        assert_eq!(status.encryptions, 0);
    }

    #[tokio::test]
    async fn wrong_root_key_is_refused_and_changes_nothing() {
        let (storage, barrier, _) = unsealed_barrier().await;
        barrier.seal();
        let before = storage.get(KEYRING_PATH).await.unwrap();
        assert!(matches!(
            barrier.unseal(&[9u8; 32]).await,
            Err(BarrierError::InvalidRootKey)
        ));
        assert!(barrier.is_sealed());
        assert_eq!(storage.get(KEYRING_PATH).await.unwrap(), before);
    }

    #[tokio::test]
    async fn tampered_value_fails_authentication_without_being_altered() {
        let (storage, barrier, _) = unsealed_barrier().await;
        barrier.put("k", b"value").await.unwrap();
        let mut raw = storage.get("k").await.unwrap().unwrap();
        raw[20] ^= 0x40;
        storage.put("k", &raw).await.unwrap();
        assert!(matches!(
            barrier.get("k").await,
            Err(BarrierError::DecryptionFailed(p)) if p == "k"
        ));
        assert_eq!(storage.get("k").await.unwrap().unwrap(), raw);
    }

    #[tokio::test]
    async fn initialize_twice_is_refused() {
        let (_storage, barrier, root) = unsealed_barrier().await;
        assert!(matches!(
            barrier.initialize(&root, None).await,
            Err(BarrierError::AlreadyInitialized)
        ));
    }

    #[tokio::test]
    async fn encryptions_are_counted_and_persisted_on_rotation() {
        let (_storage, barrier, _) = unsealed_barrier().await;
        for i in 0..5 {
            barrier.put(&format!("k{i}"), b"v").await.unwrap();
        }
        assert_eq!(barrier.key_status().unwrap().encryptions, 5);
        barrier.rotate().await.unwrap();
        let status = barrier.key_status().unwrap();
        assert_eq!((status.term, status.encryptions), (2, 0));
    }
}

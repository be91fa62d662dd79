//! The Shamir seal's wrapper: AES-256-GCM with the key-encryption key rebuilt from the shares.
//!
//! Output matches go-kms-wrapping's Shamir/AEAD wrapper: the `BlobInfo` ciphertext is a random
//! 12-byte IV followed by the GCM ciphertext and tag, with no additional data.

use aes_gcm::aead::Aead;
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use async_trait::async_trait;
use zeroize::Zeroizing;

use super::blob::BlobInfo;
use super::{SealError, Wrapper};
use crate::random::random_key;

const IV_LEN: usize = 12;

/// Encrypts with a key-encryption key held only for the duration of one operation.
pub struct ShamirWrapper {
    cipher: Aes256Gcm,
}

impl ShamirWrapper {
    /// A wrapper for the 32-byte key-encryption key `kek`.
    pub fn new(kek: &[u8]) -> Result<Self, SealError> {
        Aes256Gcm::new_from_slice(kek)
            .map(|cipher| Self { cipher })
            .map_err(|_| SealError::InvalidKeyLength(kek.len()))
    }
}

#[async_trait]
impl Wrapper for ShamirWrapper {
    async fn encrypt(&self, plaintext: &[u8]) -> Result<BlobInfo, SealError> {
        let iv = random_key(IV_LEN);
        let sealed = self
            .cipher
            .encrypt(Nonce::from_slice(&iv), plaintext)
            .map_err(|_| SealError::Crypto("encryption failed".into()))?;
        let mut ciphertext = iv.to_vec();
        ciphertext.extend_from_slice(&sealed);
        Ok(BlobInfo {
            ciphertext,
            ..BlobInfo::default()
        })
    }

    async fn decrypt(&self, blob: &BlobInfo) -> Result<Zeroizing<Vec<u8>>, SealError> {
        if blob.ciphertext.len() < IV_LEN {
            return Err(SealError::Corrupt(
                "stored keys ciphertext is too short".into(),
            ));
        }
        let (iv, ciphertext) = blob.ciphertext.split_at(IV_LEN);
        self.cipher
            .decrypt(Nonce::from_slice(iv), ciphertext)
            .map(Zeroizing::new)
            .map_err(|_| SealError::InvalidKey)
    }
}

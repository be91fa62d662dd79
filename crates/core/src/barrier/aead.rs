//! Vault's barrier value format (version 2):
//! `term (4 bytes, big-endian) ‖ 0x02 ‖ nonce (12) ‖ AES-256-GCM ciphertext ‖ tag (16)`,
//! with the storage path as additional data so a value cannot be moved to another path.
//! Version 1 values (same layout, no additional data) are still readable.

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use zeroize::Zeroizing;

use super::BarrierError;
use crate::random::random_key;

const VERSION_NO_AAD: u8 = 1;
const VERSION_AAD: u8 = 2;
const TERM_LEN: usize = 4;
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
/// Bytes added to every plaintext.
pub const OVERHEAD: usize = TERM_LEN + 1 + NONCE_LEN + TAG_LEN;

/// An AES-256-GCM cipher for one key term.
pub(crate) fn cipher(key: &[u8]) -> Result<Aes256Gcm, BarrierError> {
    Aes256Gcm::new_from_slice(key).map_err(|_| BarrierError::InvalidKeyLength(key.len()))
}

/// Encrypts `plaintext` stored at `path` under key `term`.
pub(crate) fn encrypt(cipher: &Aes256Gcm, term: u32, path: &str, plaintext: &[u8]) -> Vec<u8> {
    let nonce_bytes = random_key(NONCE_LEN);
    let nonce = Nonce::from_slice(&nonce_bytes);
    let mut out = Vec::with_capacity(plaintext.len() + OVERHEAD);
    out.extend_from_slice(&term.to_be_bytes());
    out.push(VERSION_AAD);
    out.extend_from_slice(nonce);
    let sealed = cipher
        .encrypt(
            nonce,
            Payload {
                msg: plaintext,
                aad: path.as_bytes(),
            },
        )
        // AES-GCM encryption only fails for inputs over 64 GiB, which storage never holds.
        .unwrap_or_default();
    out.extend_from_slice(&sealed);
    out
}

/// The key term a stored value was written with.
pub(crate) fn term_of(path: &str, value: &[u8]) -> Result<u32, BarrierError> {
    if value.len() < TERM_LEN {
        return Err(BarrierError::InvalidValue(path.to_owned()));
    }
    Ok(u32::from_be_bytes([value[0], value[1], value[2], value[3]]))
}

/// Decrypts a value read from `path`.
pub(crate) fn decrypt(
    cipher: &Aes256Gcm,
    path: &str,
    value: &[u8],
) -> Result<Zeroizing<Vec<u8>>, BarrierError> {
    if value.len() < TERM_LEN + 1 + NONCE_LEN + TAG_LEN {
        return Err(BarrierError::InvalidCipherLength(path.to_owned()));
    }
    let version = value[TERM_LEN];
    let aad: &[u8] = match version {
        VERSION_AAD => path.as_bytes(),
        VERSION_NO_AAD => &[],
        other => {
            return Err(BarrierError::VersionMismatch {
                path: path.to_owned(),
                version: other,
            })
        }
    };
    let nonce = Nonce::from_slice(&value[TERM_LEN + 1..TERM_LEN + 1 + NONCE_LEN]);
    cipher
        .decrypt(
            nonce,
            Payload {
                msg: &value[TERM_LEN + 1 + NONCE_LEN..],
                aad,
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| BarrierError::DecryptionFailed(path.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> Aes256Gcm {
        cipher(&[7u8; 32]).unwrap()
    }

    #[test]
    fn layout_is_term_version_nonce_ciphertext_tag() {
        let out = encrypt(&key(), 0x0102_0304, "a/b", b"hello");
        assert_eq!(&out[..4], &[1, 2, 3, 4]);
        assert_eq!(out[4], 2);
        assert_eq!(out.len(), 5 + OVERHEAD);
        assert_eq!(term_of("a/b", &out).unwrap(), 0x0102_0304);
        assert_eq!(&*decrypt(&key(), "a/b", &out).unwrap(), b"hello");
    }

    #[test]
    fn path_is_bound_as_additional_data() {
        let out = encrypt(&key(), 1, "a/b", b"hello");
        assert!(matches!(
            decrypt(&key(), "a/c", &out),
            Err(BarrierError::DecryptionFailed(p)) if p == "a/c"
        ));
    }

    #[test]
    fn version_one_values_decrypt_without_additional_data() {
        // Build a legacy value by hand: same layout, version byte 1, no AAD.
        let nonce = [9u8; 12];
        let ct = key()
            .encrypt(Nonce::from_slice(&nonce), b"legacy".as_ref())
            .unwrap();
        let mut value = vec![0, 0, 0, 1, 1];
        value.extend_from_slice(&nonce);
        value.extend_from_slice(&ct);
        assert_eq!(&*decrypt(&key(), "any/path", &value).unwrap(), b"legacy");
    }

    #[test]
    fn empty_plaintext_round_trips() {
        let out = encrypt(&key(), 1, "p", b"");
        assert_eq!(out.len(), OVERHEAD);
        assert!(decrypt(&key(), "p", &out).unwrap().is_empty());
    }

    #[test]
    fn malformed_values_are_rejected_precisely() {
        assert!(matches!(
            decrypt(&key(), "p", &[0, 0, 0, 1, 2]),
            Err(BarrierError::InvalidCipherLength(_))
        ));
        let mut out = encrypt(&key(), 1, "p", b"x");
        out[4] = 9;
        assert!(matches!(
            decrypt(&key(), "p", &out),
            Err(BarrierError::VersionMismatch { version: 9, .. })
        ));
        let mut out = encrypt(&key(), 1, "p", b"x");
        let last = out.len() - 1;
        out[last] ^= 1;
        assert!(matches!(
            decrypt(&key(), "p", &out),
            Err(BarrierError::DecryptionFailed(_))
        ));
    }
}

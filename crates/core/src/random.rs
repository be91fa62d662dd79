//! Randomness for keys and identifiers, always from the operating system's generator.

use rand::{rngs::OsRng, Rng, RngCore, TryRngCore};
use zeroize::Zeroizing;

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `len` random characters from Vault's base62 alphabet (token ids, accessors, lease ids).
pub fn random_base62(len: usize) -> String {
    let mut rng = OsRng.unwrap_err();
    (0..len)
        .map(|_| char::from(BASE62[rng.random_range(0..BASE62.len())]))
        .collect()
}

/// A fresh random key of `len` bytes, wiped from memory on drop.
pub fn random_key(len: usize) -> Zeroizing<Vec<u8>> {
    let mut key = Zeroizing::new(vec![0u8; len]);
    OsRng.unwrap_err().fill_bytes(key.as_mut_slice());
    key
}

/// `len` random bytes rendered as lowercase hex (mount accessors, cluster names).
pub fn random_hex(len: usize) -> String {
    hex::encode(random_key(len).as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base62_ids_have_the_requested_length_and_alphabet() {
        let id = random_base62(24);
        assert_eq!(id.len(), 24);
        assert!(id.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_ne!(id, random_base62(24));
    }

    #[test]
    fn keys_are_random_and_sized() {
        let a = random_key(32);
        assert_eq!(a.len(), 32);
        assert_ne!(*a, *random_key(32));
        assert_eq!(random_hex(4).len(), 8);
    }
}

//! Randomness for keys and identifiers, always from the operating system's generator.

use rand::{rngs::OsRng, RngCore, TryRngCore};
use zeroize::Zeroizing;

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `len` random characters from Vault's base62 alphabet (token ids, accessors, lease ids).
///
/// Bytes are fetched from the OS a block at a time (one system call, not one per character:
/// a credential draws ~70 characters) and mapped without bias by dropping bytes ≥ 248.
pub fn random_base62(len: usize) -> String {
    let mut out = String::with_capacity(len);
    let mut block = Zeroizing::new([0u8; 64]);
    while out.len() < len {
        OsRng.unwrap_err().fill_bytes(block.as_mut_slice());
        for &b in block.iter().filter(|&&b| b < 248) {
            out.push(char::from(BASE62[usize::from(b % 62)]));
            if out.len() == len {
                break;
            }
        }
    }
    out
}

/// A cryptographically secure generator seeded from the OS, for drawing many values at once
/// (password generation) with one system call instead of one per value.
pub fn seeded_rng() -> rand::rngs::StdRng {
    rand::SeedableRng::from_rng(&mut OsRng.unwrap_err())
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
        // Every character of the alphabet shows up, and nothing else.
        let many = random_base62(10_000);
        let seen: std::collections::BTreeSet<u8> = many.bytes().collect();
        assert_eq!(seen.len(), 62);
    }

    #[test]
    fn keys_are_random_and_sized() {
        let a = random_key(32);
        assert_eq!(a.len(), 32);
        assert_ne!(*a, *random_key(32));
        assert_eq!(random_hex(4).len(), 8);
    }
}

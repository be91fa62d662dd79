//! Shamir secret sharing over GF(2⁸), in the share format Vault uses.
//!
//! The field is GF(2⁸) with the AES reduction polynomial x⁸+x⁴+x³+x+1; each byte of the secret
//! gets its own random polynomial of degree `threshold − 1`; a share is the polynomial values
//! for every byte followed by one byte holding the (non-zero, distinct) x coordinate. A 32-byte
//! key therefore gives 33-byte shares, exactly as `vault operator init` prints them.
//! Arithmetic avoids secret-dependent branches and table look-ups.

use rand::seq::SliceRandom;
use rand::{rngs::OsRng, RngCore, TryRngCore};
use zeroize::Zeroizing;

/// Bytes a share adds to the secret (the x coordinate).
pub const SHARE_OVERHEAD: usize = 1;

/// Why splitting or combining failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SharesError {
    /// More shares requested than the field allows.
    #[error("parts cannot exceed 255")]
    TooManyParts,
    /// Fewer parts than the threshold.
    #[error("parts cannot be less than threshold")]
    PartsBelowThreshold,
    /// A threshold of 0 or 1 is not a split.
    #[error("threshold must be at least 2")]
    ThresholdTooSmall,
    /// Nothing to split.
    #[error("cannot split an empty secret")]
    EmptySecret,
    /// Combining needs at least two shares.
    #[error("less than two parts cannot be used to reconstruct the secret")]
    TooFewParts,
    /// A share shorter than one byte of secret plus its tag.
    #[error("parts must be at least two bytes")]
    PartTooShort,
    /// Shares of different lengths cannot belong together.
    #[error("all parts must be the same length")]
    LengthMismatch,
    /// Two shares with the same x coordinate.
    #[error("duplicate part detected")]
    DuplicatePart,
}

/// Multiplication in GF(2⁸) (AES polynomial), constant time.
fn mul(a: u8, b: u8) -> u8 {
    let mut r: u8 = 0;
    for i in (0..8).rev() {
        let bit = (b >> i) & 1;
        let carry = r >> 7;
        r = (r << 1) ^ (carry.wrapping_neg() & 0x1b) ^ (bit.wrapping_neg() & a);
    }
    r
}

/// Multiplicative inverse (a²⁵⁴); the inverse of 0 is 0, which callers never need.
fn inv(a: u8) -> u8 {
    let mut result = 1u8;
    let mut base = a;
    let mut exp = 254u8;
    while exp > 0 {
        let take = (exp & 1).wrapping_neg();
        result = (mul(result, base) & take) | (result & !take);
        base = mul(base, base);
        exp >>= 1;
    }
    result
}

/// Evaluates the polynomial with `coefficients` (constant term first) at `x`.
fn evaluate(coefficients: &[u8], x: u8) -> u8 {
    coefficients
        .iter()
        .rev()
        .fold(0u8, |acc, &c| mul(acc, x) ^ c)
}

/// The value at x = 0 of the polynomial through the points `(xs[i], ys[i])`.
fn interpolate_at_zero(xs: &[u8], ys: &[u8]) -> u8 {
    let mut result = 0u8;
    for (i, (&xi, &yi)) in xs.iter().zip(ys).enumerate() {
        let mut basis = 1u8;
        for (j, &xj) in xs.iter().enumerate() {
            if i != j {
                // (0 − xj) / (xi − xj); subtraction is XOR in this field.
                basis = mul(basis, mul(xj, inv(xi ^ xj)));
            }
        }
        result ^= mul(yi, basis);
    }
    result
}

/// Splits `secret` into `parts` shares, any `threshold` of which reconstruct it.
pub fn split(
    secret: &[u8],
    parts: usize,
    threshold: usize,
) -> Result<Vec<Zeroizing<Vec<u8>>>, SharesError> {
    if parts < threshold {
        return Err(SharesError::PartsBelowThreshold);
    }
    if parts > 255 {
        return Err(SharesError::TooManyParts);
    }
    if threshold < 2 {
        return Err(SharesError::ThresholdTooSmall);
    }
    if secret.is_empty() {
        return Err(SharesError::EmptySecret);
    }
    let mut rng = OsRng.unwrap_err();
    let mut xs: Vec<u8> = (1..=255).collect();
    xs.shuffle(&mut rng);

    let mut shares: Vec<Zeroizing<Vec<u8>>> = xs[..parts]
        .iter()
        .map(|&x| {
            let mut share = Zeroizing::new(vec![0u8; secret.len() + SHARE_OVERHEAD]);
            share[secret.len()] = x;
            share
        })
        .collect();
    let mut coefficients = Zeroizing::new(vec![0u8; threshold]);
    for (idx, &byte) in secret.iter().enumerate() {
        coefficients[0] = byte;
        rng.fill_bytes(&mut coefficients[1..]);
        for share in shares.iter_mut() {
            let x = share[secret.len()];
            share[idx] = evaluate(&coefficients, x);
        }
    }
    Ok(shares)
}

/// Reconstructs the secret from at least `threshold` distinct shares.
pub fn combine(parts: &[&[u8]]) -> Result<Zeroizing<Vec<u8>>, SharesError> {
    if parts.len() < 2 {
        return Err(SharesError::TooFewParts);
    }
    let len = parts[0].len();
    if len < 2 {
        return Err(SharesError::PartTooShort);
    }
    if parts.iter().any(|p| p.len() != len) {
        return Err(SharesError::LengthMismatch);
    }
    let xs: Vec<u8> = parts.iter().map(|p| p[len - 1]).collect();
    for (i, x) in xs.iter().enumerate() {
        if xs[..i].contains(x) {
            return Err(SharesError::DuplicatePart);
        }
    }
    let mut secret = Zeroizing::new(vec![0u8; len - 1]);
    let mut ys = Zeroizing::new(vec![0u8; parts.len()]);
    for (idx, out) in secret.iter_mut().enumerate() {
        for (y, part) in ys.iter_mut().zip(parts) {
            *y = part[idx];
        }
        *out = interpolate_at_zero(&xs, &ys);
    }
    Ok(secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_arithmetic_matches_the_aes_field() {
        // FIPS-197 §4.2: {57} • {83} = {c1}, {57} • {13} = {fe}.
        assert_eq!(mul(0x57, 0x83), 0xc1);
        assert_eq!(mul(0x57, 0x13), 0xfe);
        for a in 1..=255u8 {
            assert_eq!(mul(a, inv(a)), 1, "inverse of {a:#x}");
        }
        assert_eq!(mul(0, 0x53), 0);
    }

    #[test]
    fn known_polynomial_interpolates_to_its_constant() {
        // f(x) = 0x42 + 0x17·x: shares at x=1 and x=2 computed by hand.
        let y1 = 0x42 ^ 0x17;
        let y2 = 0x42 ^ mul(0x17, 2);
        let secret = combine(&[&[y1, 1], &[y2, 2]]).unwrap();
        assert_eq!(*secret, vec![0x42]);
    }

    #[test]
    fn any_threshold_subset_recovers_the_secret() {
        let secret: Vec<u8> = (0..32).collect();
        let shares = split(&secret, 5, 3).unwrap();
        assert!(shares.iter().all(|s| s.len() == 33));
        let xs: Vec<u8> = shares.iter().map(|s| s[32]).collect();
        assert!(xs.iter().all(|&x| x != 0));
        for a in 0..5 {
            for b in a + 1..5 {
                for c in b + 1..5 {
                    let got = combine(&[&shares[a], &shares[b], &shares[c]]).unwrap();
                    assert_eq!(*got, secret, "subset {a},{b},{c}");
                }
            }
        }
        let all: Vec<&[u8]> = shares.iter().map(|s| s.as_slice()).collect();
        assert_eq!(*combine(&all).unwrap(), secret);
    }

    #[test]
    fn fewer_than_threshold_shares_give_something_else() {
        let secret = [0xAAu8; 32];
        let shares = split(&secret, 5, 3).unwrap();
        let got = combine(&[&shares[0], &shares[1]]).unwrap();
        assert_ne!(*got, secret.to_vec());
    }

    #[test]
    fn invalid_requests_are_refused() {
        assert_eq!(
            split(b"k", 2, 3).unwrap_err(),
            SharesError::PartsBelowThreshold
        );
        assert_eq!(split(b"k", 256, 3).unwrap_err(), SharesError::TooManyParts);
        assert_eq!(
            split(b"k", 3, 1).unwrap_err(),
            SharesError::ThresholdTooSmall
        );
        assert_eq!(split(b"", 3, 2).unwrap_err(), SharesError::EmptySecret);
        let s = split(b"key", 3, 2).unwrap();
        assert_eq!(combine(&[&s[0]]).unwrap_err(), SharesError::TooFewParts);
        assert_eq!(
            combine(&[&s[0], &s[0]]).unwrap_err(),
            SharesError::DuplicatePart
        );
        assert_eq!(
            combine(&[&s[0], &s[1][..3]]).unwrap_err(),
            SharesError::LengthMismatch
        );
        assert_eq!(
            combine(&[&[1], &[2]]).unwrap_err(),
            SharesError::PartTooShort
        );
    }
}

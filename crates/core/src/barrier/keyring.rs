//! The barrier keyring: the root key plus every data-encryption key by term.
//!
//! Serialized as Vault does (`MasterKey`, `Keys[{Term, Version, Value, InstallTime,
//! encryptions}]`, `RotationConfig`) so the structure is recognisable to anyone who knows Vault's
//! storage. Key bytes live in [`Zeroizing`] buffers and are wiped when the keyring is dropped.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::OffsetDateTime;
use zeroize::Zeroizing;

use super::BarrierError;

/// Vault's default cap on encryptions per key term before rotation (about 0.9 · 2³²).
pub const DEFAULT_MAX_OPERATIONS: u64 = 3_865_470_566;

/// One data-encryption key.
#[derive(Clone, Serialize, Deserialize)]
pub struct Key {
    /// The key's term; terms increase by one on every rotation.
    #[serde(rename = "Term")]
    pub term: u32,
    /// The keyring format version of this key (always 1).
    #[serde(rename = "Version")]
    pub version: u32,
    /// The AES-256 key.
    #[serde(rename = "Value", with = "secret_b64")]
    pub value: Zeroizing<Vec<u8>>,
    /// When the key was created.
    #[serde(rename = "InstallTime", with = "time::serde::rfc3339")]
    pub install_time: OffsetDateTime,
    /// Encryptions recorded for this key when the keyring was last written.
    #[serde(rename = "encryptions", default)]
    pub encryptions: u64,
}

/// Automatic-rotation settings, stored with the keyring as Vault does.
#[derive(Clone, Serialize, Deserialize)]
pub struct RotationConfig {
    /// Whether automatic rotation is turned off.
    #[serde(rename = "Disabled", default)]
    pub disabled: bool,
    /// Rotate after this many encryptions with one term.
    #[serde(rename = "MaxOperations", default)]
    pub max_operations: u64,
    /// Rotate after this long, in nanoseconds (0: never).
    #[serde(rename = "Interval", default)]
    pub interval_ns: i64,
}

impl Default for RotationConfig {
    fn default() -> Self {
        Self {
            disabled: false,
            max_operations: DEFAULT_MAX_OPERATIONS,
            interval_ns: 0,
        }
    }
}

/// The root key and all data keys.
#[derive(Clone, Serialize, Deserialize)]
pub struct Keyring {
    #[serde(rename = "MasterKey", with = "secret_b64")]
    root_key: Zeroizing<Vec<u8>>,
    #[serde(rename = "Keys", with = "keys_as_list")]
    keys: BTreeMap<u32, Key>,
    #[serde(rename = "RotationConfig", default)]
    rotation: RotationConfig,
}

impl Keyring {
    /// A keyring holding `root_key` and the first data key (term 1).
    pub fn new(root_key: &[u8], first_key: Zeroizing<Vec<u8>>) -> Self {
        let mut keys = BTreeMap::new();
        keys.insert(1, new_key(1, first_key));
        Self {
            root_key: Zeroizing::new(root_key.to_vec()),
            keys,
            rotation: RotationConfig::default(),
        }
    }

    /// Parses a decrypted keyring.
    pub fn from_json(bytes: &[u8]) -> Result<Self, BarrierError> {
        let ring: Keyring = serde_json::from_slice(bytes)
            .map_err(|e| BarrierError::CorruptKeyring(e.to_string()))?;
        if ring.keys.is_empty() {
            return Err(BarrierError::CorruptKeyring("no keys".into()));
        }
        Ok(ring)
    }

    /// Serializes the keyring; the buffer is wiped when dropped.
    pub fn to_json(&self) -> Zeroizing<Vec<u8>> {
        // Serializing plain structs of strings and numbers cannot fail.
        Zeroizing::new(serde_json::to_vec(self).unwrap_or_default())
    }

    /// The root key that encrypts this keyring.
    pub fn root_key(&self) -> &[u8] {
        &self.root_key
    }

    /// The active (highest) term.
    pub fn active_term(&self) -> u32 {
        self.keys.keys().next_back().copied().unwrap_or(1)
    }

    /// The key for `term`, if the keyring has it.
    pub fn key(&self, term: u32) -> Option<&Key> {
        self.keys.get(&term)
    }

    /// Every key, oldest first.
    pub fn keys(&self) -> impl Iterator<Item = &Key> {
        self.keys.values()
    }

    /// Adds a key with the next term and makes it active; returns that term.
    pub fn rotate(&mut self, value: Zeroizing<Vec<u8>>) -> u32 {
        let term = self.active_term() + 1;
        self.keys.insert(term, new_key(term, value));
        term
    }

    /// Records `count` encryptions for `term` so they persist with the keyring.
    pub fn set_encryptions(&mut self, term: u32, count: u64) {
        if let Some(key) = self.keys.get_mut(&term) {
            key.encryptions = count;
        }
    }
}

fn new_key(term: u32, value: Zeroizing<Vec<u8>>) -> Key {
    Key {
        term,
        version: 1,
        value,
        install_time: OffsetDateTime::now_utc(),
        encryptions: 0,
    }
}

/// Base64 for key bytes, decoding straight into a wiped-on-drop buffer.
mod secret_b64 {
    use super::*;

    pub fn serialize<S: Serializer>(v: &Zeroizing<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        let encoded = Zeroizing::new(B64.encode(v.as_slice()));
        s.serialize_str(&encoded)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Zeroizing<Vec<u8>>, D::Error> {
        let text = Zeroizing::new(String::deserialize(d)?);
        B64.decode(text.as_bytes())
            .map(Zeroizing::new)
            .map_err(serde::de::Error::custom)
    }
}

/// Keys are a JSON list in storage and a map by term in memory.
mod keys_as_list {
    use super::*;

    pub fn serialize<S: Serializer>(v: &BTreeMap<u32, Key>, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.values())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<u32, Key>, D::Error> {
        let list = Vec::<Key>::deserialize(d)?;
        Ok(list.into_iter().map(|k| (k.term, k)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_uses_vaults_field_names_and_round_trips() {
        let mut ring = Keyring::new(&[1u8; 32], Zeroizing::new(vec![2u8; 32]));
        ring.rotate(Zeroizing::new(vec![3u8; 32]));
        ring.set_encryptions(2, 42);
        let json: serde_json::Value = serde_json::from_slice(&ring.to_json()).unwrap();
        assert_eq!(json["MasterKey"], B64.encode([1u8; 32]));
        assert_eq!(json["Keys"][0]["Term"], 1);
        assert_eq!(json["Keys"][1]["Term"], 2);
        assert_eq!(json["Keys"][1]["Value"], B64.encode([3u8; 32]));
        assert_eq!(json["Keys"][1]["encryptions"], 42);
        assert_eq!(
            json["RotationConfig"]["MaxOperations"],
            DEFAULT_MAX_OPERATIONS
        );
        assert!(json["Keys"][0]["InstallTime"]
            .as_str()
            .unwrap()
            .ends_with('Z'));

        let back = Keyring::from_json(&ring.to_json()).unwrap();
        assert_eq!(back.active_term(), 2);
        assert_eq!(&*back.key(1).unwrap().value, &[2u8; 32]);
        assert_eq!(back.root_key(), &[1u8; 32]);
    }

    #[test]
    fn garbage_is_a_corrupt_keyring() {
        assert!(matches!(
            Keyring::from_json(b"{\"MasterKey\":\"AA==\",\"Keys\":[]}"),
            Err(BarrierError::CorruptKeyring(_))
        ));
        assert!(matches!(
            Keyring::from_json(b"not json"),
            Err(BarrierError::CorruptKeyring(_))
        ));
    }
}

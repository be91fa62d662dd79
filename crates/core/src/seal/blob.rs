//! `BlobInfo`, the protobuf record go-kms-wrapping stores for seal-encrypted values.
//!
//! Only the fields Strongroom writes or reads are declared; the field numbers are those of
//! `github.com.hashicorp.go.kms.wrapping.v2.types.proto`, so the bytes at
//! `core/hsm/barrier-unseal-keys` have Vault's shape. Unknown fields are skipped on decode.

use prost::Message;

/// An encrypted value and how it was encrypted.
#[derive(Clone, PartialEq, Message)]
pub struct BlobInfo {
    /// The ciphertext (for Shamir: 12-byte IV followed by AES-GCM output).
    #[prost(bytes = "vec", tag = "1")]
    pub ciphertext: Vec<u8>,
    /// The IV, for mechanisms that keep it separately (KMS envelope encryption).
    #[prost(bytes = "vec", tag = "2")]
    pub iv: Vec<u8>,
    /// Which key and mechanism produced the ciphertext.
    #[prost(message, optional, tag = "5")]
    pub key_info: Option<KeyInfo>,
}

/// Key metadata of a [`BlobInfo`].
#[derive(Clone, PartialEq, Message)]
pub struct KeyInfo {
    /// The encryption mechanism (wrapper specific).
    #[prost(uint64, tag = "1")]
    pub mechanism: u64,
    /// The key that encrypted the value (for KMS: the key ARN).
    #[prost(string, tag = "3")]
    pub key_id: String,
    /// A wrapped data key, for envelope encryption.
    #[prost(bytes = "vec", tag = "5")]
    pub wrapped_key: Vec<u8>,
}

impl BlobInfo {
    /// The KMS key that wrapped this value, for blobs an auto-unseal seal wrote (Shamir
    /// blobs carry no key information). Seal changes use this to tell which seal wrote the
    /// stored keys, whatever the stored seal configuration says.
    pub fn kms_key_id(&self) -> Option<&str> {
        self.key_info
            .as_ref()
            .filter(|k| !k.wrapped_key.is_empty() || !k.key_id.is_empty())
            .map(|k| k.key_id.as_str())
    }

    /// Protobuf encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.encode_to_vec()
    }

    /// Parses protobuf bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, prost::DecodeError> {
        Self::decode(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_format_uses_the_upstream_field_numbers() {
        let blob = BlobInfo {
            ciphertext: vec![0xAA],
            iv: vec![],
            key_info: Some(KeyInfo {
                mechanism: 1,
                key_id: "k".into(),
                wrapped_key: vec![0xBB],
            }),
        };
        // field 1 (bytes): 0x0a len 1 0xAA; field 5 (message): 0x2a len 8 {
        //   field 1 varint: 0x08 0x01; field 3 string: 0x1a 0x01 'k'; field 5 bytes: 0x2a 0x01 0xBB }
        assert_eq!(
            blob.to_bytes(),
            vec![0x0a, 1, 0xAA, 0x2a, 8, 0x08, 1, 0x1a, 1, b'k', 0x2a, 1, 0xBB]
        );
        assert_eq!(BlobInfo::from_bytes(&blob.to_bytes()).unwrap(), blob);
    }
}

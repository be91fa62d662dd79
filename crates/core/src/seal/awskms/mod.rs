//! `awskms`: the AWS KMS seal, which unseals the node by itself ("auto-unseal").
//!
//! Values are envelope-encrypted as go-kms-wrapping's awskms wrapper does (mechanism 1): a
//! fresh 32-byte data key encrypts the value with AES-256-GCM, KMS encrypts only the data key,
//! and the [`BlobInfo`] records the ARN of the key KMS used. Decrypt sends the wrapped data key
//! without a key id, so KMS finds the key from the blob itself: blobs written before a key
//! rotation, or before an alias moved to another key, keep decrypting as long as the old key
//! is enabled, and the node re-wraps them with the current key after unsealing. Only
//! `kms:Encrypt`, `kms:Decrypt` and `kms:DescribeKey` are needed (see [`policy`]).

pub mod policy;
mod probe;

pub use probe::KeyProbe;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::RwLock;

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use async_trait::async_trait;
use aws_config::retry::RetryConfig;
use aws_sdk_kms::primitives::Blob;
use aws_sdk_kms::types::KeyState;
use aws_sdk_kms::Client;
use serde::Serialize;
use zeroize::Zeroizing;

use super::blob::{BlobInfo, KeyInfo};
use super::{SealError, Wrapper};
use crate::aws::{self, check_endpoint, check_region, SettingError, StaticCredentials};
use crate::random::random_key;

/// Every key the `seal "awskms"` block accepts.
pub const KEYS: &[&str] = &[
    "access_key",
    "disabled",
    "endpoint",
    "kms_key_id",
    "region",
    "secret_key",
    "session_token",
];

/// go-kms-wrapping's mechanism for a value sent to KMS as is (4 KB limit; read only).
const MECHANISM_DIRECT: u64 = 0;
/// go-kms-wrapping's mechanism for envelope encryption with AES-256-GCM (what is written).
const MECHANISM_ENVELOPE: u64 = 1;
const DATA_KEY_LEN: usize = 32;
const IV_LEN: usize = 12;
/// Attempts per KMS request: a short outage is retried by the SDK, a long one by the node.
const ATTEMPTS: u32 = 3;

/// The `seal "awskms" {}` settings, with Vault's environment precedence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsKmsSettings {
    /// The key: id, key ARN, `alias/NAME` or alias ARN.
    pub key_id: String,
    /// The region; `None` asks the SDK chain (profile, instance metadata), then `us-east-1`.
    pub region: Option<String>,
    /// An alternative endpoint (a VPC endpoint, LocalStack, moto).
    pub endpoint: Option<String>,
    /// Keys from the config; `None` uses the SDK's credential chain.
    pub credentials: Option<StaticCredentials>,
}

impl AwsKmsSettings {
    /// Settings for `key_id` with everything else from the environment's defaults.
    pub fn for_key(key_id: &str) -> Self {
        Self {
            key_id: key_id.to_owned(),
            region: None,
            endpoint: None,
            credentials: None,
        }
    }

    /// Builds the settings from the block's values (`config`) and the environment (`env`).
    /// As in Vault, `AWSKMS_WRAPPER_KEY_ID`/`VAULT_AWSKMS_SEAL_KEY_ID` beat `kms_key_id` and
    /// `AWSKMS_ENDPOINT`/`AWS_KMS_ENDPOINT` beat `endpoint`, while `region` in the file beats
    /// `AWS_REGION`/`AWS_DEFAULT_REGION`.
    pub fn resolve(
        config: &dyn Fn(&str) -> Option<String>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, SettingError> {
        let pick = |key, vars: &[&'static str]| aws::pick(config, env, key, vars);
        let (key_id, key_name) = pick(
            "kms_key_id",
            &["AWSKMS_WRAPPER_KEY_ID", "VAULT_AWSKMS_SEAL_KEY_ID"],
        )
        .filter(|(v, _)| !v.trim().is_empty())
        .ok_or_else(|| {
            SettingError::new(
                "kms_key_id",
                "is required: the id, ARN or alias/NAME of the KMS key (or set \
                 VAULT_AWSKMS_SEAL_KEY_ID)"
                    .into(),
            )
        })?;
        let key_id = check_key_id(&key_id).map_err(|m| SettingError::new(key_name, m))?;
        let region = match config("region").filter(|r| !r.trim().is_empty()) {
            Some(r) => Some(check_region(&r).map_err(|m| SettingError::new("region", m))?),
            None => ["AWS_REGION", "AWS_DEFAULT_REGION"]
                .iter()
                .find_map(|v| env(v).filter(|r| !r.trim().is_empty()).map(|r| (r, *v)))
                .map(|(r, var)| {
                    check_region(&r)
                        .map_err(|m| SettingError::new(format!("region (from {var})"), m))
                })
                .transpose()?,
        };
        let endpoint = match pick("endpoint", &["AWSKMS_ENDPOINT", "AWS_KMS_ENDPOINT"]) {
            Some((e, _)) if e.trim().is_empty() => None,
            Some((e, name)) => Some(check_endpoint(&e).map_err(|m| SettingError::new(name, m))?),
            None => None,
        };
        let credentials = StaticCredentials::from_config(config)
            .map_err(|(key, message)| SettingError::new(key, message.into()))?;
        Ok(Self {
            key_id,
            region,
            endpoint,
            credentials,
        })
    }
}

/// The forms KMS accepts for a key: a key id (UUID or `mrk-…`), a key or alias ARN, or
/// `alias/NAME`. Caught here, a bare alias name gets a hint instead of KMS's "Invalid keyId".
fn check_key_id(key_id: &str) -> Result<String, String> {
    let key_id = key_id.trim();
    let hex_dash = |s: &str| s.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
    let ok = if let Some(name) = key_id.strip_prefix("alias/") {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "/_-".contains(c))
    } else if key_id.starts_with("arn:") {
        key_id.split(':').count() == 6 && !key_id.contains(char::is_whitespace)
    } else if let Some(id) = key_id.strip_prefix("mrk-") {
        id.len() == 32 && hex_dash(id)
    } else {
        key_id.len() == 36 && hex_dash(key_id)
    };
    if ok && key_id.len() <= 2048 {
        Ok(key_id.to_owned())
    } else {
        Err(format!(
            "{key_id:?} is not a KMS key id, key ARN or alias (aliases are written alias/NAME)"
        ))
    }
}

/// What `DescribeKey` says about the seal's key.
#[derive(Debug, Clone, Serialize)]
pub struct KeyDescription {
    /// The key's ARN (what the configured id or alias names now).
    pub arn: String,
    /// The key's id.
    pub key_id: String,
    /// `Enabled`, `Disabled`, `PendingDeletion`, ...
    pub key_state: String,
    /// `AWS` or `CUSTOMER`.
    pub key_manager: String,
    /// The key's description.
    pub description: String,
}

/// The seal as `strongroom kms describe` and `GET sys/seal/awskms` show it.
#[derive(Debug, Clone, Serialize)]
pub struct SealDescription {
    /// Always `awskms`.
    #[serde(rename = "type")]
    pub seal_type: &'static str,
    /// The key as configured (id, ARN or alias).
    pub kms_key_id: String,
    /// The region in use.
    pub region: String,
    /// The endpoint override, if any.
    pub endpoint: Option<String>,
    /// What KMS says about the key now.
    pub key: KeyDescription,
    /// Requests this process has sent to KMS.
    pub calls: KmsCalls,
}

/// How many requests of each kind this seal sent to KMS (for measurements and the API).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct KmsCalls {
    /// `Encrypt` requests.
    pub encrypt: u64,
    /// `Decrypt` requests.
    pub decrypt: u64,
    /// `DescribeKey` requests.
    pub describe_key: u64,
}

#[derive(Default)]
struct Counters {
    encrypt: AtomicU64,
    decrypt: AtomicU64,
    describe_key: AtomicU64,
}

/// The AWS KMS seal's wrapper.
pub struct AwsKms {
    client: Client,
    settings: AwsKmsSettings,
    region: String,
    /// The ARN the configured key id resolves to now, once known (from DescribeKey or the
    /// latest Encrypt): blobs naming another key are re-wrapped after unseal.
    current_key: RwLock<Option<String>>,
    calls: Counters,
}

impl AwsKms {
    /// A client for `settings`; contacts nothing but, without a configured region, the
    /// profile and instance metadata (bounded to a second) to find one.
    pub async fn connect(settings: AwsKmsSettings) -> Self {
        let region = match &settings.region {
            Some(r) => r.clone(),
            None => aws::discover_region().await,
        };
        let shared = aws::sdk_config(
            &region,
            settings.credentials.as_ref(),
            RetryConfig::standard().with_max_attempts(ATTEMPTS),
        )
        .await;
        let mut config = aws_sdk_kms::config::Builder::from(&shared);
        if let Some(endpoint) = &settings.endpoint {
            config = config.endpoint_url(endpoint);
        }
        Self {
            client: Client::from_conf(config.build()),
            settings,
            region,
            current_key: RwLock::new(None),
            calls: Counters::default(),
        }
    }

    /// The settings this wrapper was made from.
    pub fn settings(&self) -> &AwsKmsSettings {
        &self.settings
    }

    /// The region in use (configured or discovered).
    pub fn region(&self) -> &str {
        &self.region
    }

    /// Requests sent so far.
    pub fn calls(&self) -> KmsCalls {
        KmsCalls {
            encrypt: self.calls.encrypt.load(Ordering::Relaxed),
            decrypt: self.calls.decrypt.load(Ordering::Relaxed),
            describe_key: self.calls.describe_key.load(Ordering::Relaxed),
        }
    }

    /// The ARN of the key the configured id names, if known.
    pub fn current_key_arn(&self) -> Option<String> {
        self.current_key
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn set_current_key(&self, arn: &str) {
        *self.current_key.write().unwrap_or_else(|e| e.into_inner()) = Some(arn.to_owned());
    }

    /// The configured key and what KMS says about it now (one `DescribeKey`).
    pub async fn describe(&self) -> Result<SealDescription, SealError> {
        let key = self.describe_key().await?;
        Ok(SealDescription {
            seal_type: "awskms",
            kms_key_id: self.settings.key_id.clone(),
            region: self.region.clone(),
            endpoint: self.settings.endpoint.clone(),
            key,
            calls: self.calls(),
        })
    }

    /// Looks the key up (`DescribeKey`) and remembers its ARN. A key that exists but cannot
    /// be used (disabled, pending deletion, ...) is an error naming its state: KMS would
    /// refuse it anyway, with a less helpful message.
    pub async fn describe_key(&self) -> Result<KeyDescription, SealError> {
        self.calls.describe_key.fetch_add(1, Ordering::Relaxed);
        let answer = self
            .client
            .describe_key()
            .key_id(&self.settings.key_id)
            .send()
            .await
            .map_err(|e| kms_error("DescribeKey", &self.settings.key_id, &e))?;
        let meta = answer.key_metadata().ok_or_else(|| SealError::Kms {
            operation: "DescribeKey",
            message: "the answer has no key metadata".into(),
        })?;
        let description = KeyDescription {
            arn: meta.arn().unwrap_or_default().to_owned(),
            key_id: meta.key_id().to_owned(),
            key_state: meta
                .key_state()
                .map_or_else(|| "Unknown".to_owned(), |s| s.as_str().to_owned()),
            key_manager: meta
                .key_manager()
                .map(|m| m.as_str().to_owned())
                .unwrap_or_default(),
            description: meta.description().unwrap_or_default().to_owned(),
        };
        if meta.key_state() != Some(&KeyState::Enabled) {
            return Err(SealError::Kms {
                operation: "DescribeKey",
                message: format!(
                    "KMS key {} is {}, not Enabled: enable it (or point {} at an enabled key)",
                    description.arn, description.key_state, self.settings.key_id
                ),
            });
        }
        self.set_current_key(&description.arn);
        Ok(description)
    }
}

/// A KMS failure as one line, with a hint for the causes operators hit most.
fn kms_error<E>(
    operation: &'static str,
    key_id: &str,
    err: &aws_sdk_kms::error::SdkError<E, aws_sdk_kms::config::http::HttpResponse>,
) -> SealError
where
    E: aws_sdk_kms::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let mut message = aws::describe_error("AWS KMS", err);
    let hint = match aws::error_code(err) {
        Some("NotFoundException") => Some(format!(
            "no KMS key {key_id:?} in this account and region (check kms_key_id and region)"
        )),
        Some("DisabledException") => Some("the KMS key is disabled: enable it".into()),
        Some("AccessDeniedException") => Some(format!(
            "the credentials may not use the key (needs kms:{operation}; see `strongroom kms \
             policy`)"
        )),
        _ => None,
    };
    if let Some(hint) = hint {
        message = format!("{message} ({hint})");
    }
    SealError::Kms { operation, message }
}

#[async_trait]
impl Wrapper for AwsKms {
    async fn encrypt(&self, plaintext: &[u8]) -> Result<BlobInfo, SealError> {
        let data_key = random_key(DATA_KEY_LEN);
        let iv = random_key(IV_LEN);
        let cipher = Aes256Gcm::new_from_slice(&data_key)
            .map_err(|_| SealError::InvalidKeyLength(data_key.len()))?;
        let ciphertext = cipher
            .encrypt(Nonce::from_slice(&iv), plaintext)
            .map_err(|_| SealError::Crypto("encryption failed".into()))?;
        self.calls.encrypt.fetch_add(1, Ordering::Relaxed);
        let answer = self
            .client
            .encrypt()
            .key_id(&self.settings.key_id)
            .plaintext(Blob::new(data_key.to_vec()))
            .send()
            .await
            .map_err(|e| kms_error("Encrypt", &self.settings.key_id, &e))?;
        let wrapped = answer
            .ciphertext_blob()
            .ok_or_else(|| SealError::Kms {
                operation: "Encrypt",
                message: "the answer has no ciphertext".into(),
            })?
            .as_ref()
            .to_vec();
        // KMS answers with the ARN of the key it used, even when asked through an alias.
        let key_arn = answer.key_id().unwrap_or(&self.settings.key_id).to_owned();
        self.set_current_key(&key_arn);
        Ok(BlobInfo {
            ciphertext,
            iv: iv.to_vec(),
            key_info: Some(KeyInfo {
                mechanism: MECHANISM_ENVELOPE,
                key_id: key_arn,
                wrapped_key: wrapped,
            }),
        })
    }

    async fn decrypt(&self, blob: &BlobInfo) -> Result<Zeroizing<Vec<u8>>, SealError> {
        let info = blob
            .key_info
            .as_ref()
            .ok_or_else(|| SealError::Corrupt("the blob has no KMS key information".into()))?;
        let sent = match info.mechanism {
            MECHANISM_ENVELOPE => &info.wrapped_key,
            MECHANISM_DIRECT => &blob.ciphertext,
            other => return Err(SealError::Corrupt(format!("invalid mechanism: {other}"))),
        };
        self.calls.decrypt.fetch_add(1, Ordering::Relaxed);
        // No key id: KMS reads it from the ciphertext, so the key that wrapped the blob is
        // used even after the configured alias moved on.
        let answer = self
            .client
            .decrypt()
            .ciphertext_blob(Blob::new(sent.clone()))
            .send()
            .await
            .map_err(|e| kms_error("Decrypt", &info.key_id, &e))?;
        let plaintext = Zeroizing::new(
            answer
                .plaintext()
                .ok_or_else(|| SealError::Kms {
                    operation: "Decrypt",
                    message: "the answer has no plaintext".into(),
                })?
                .as_ref()
                .to_vec(),
        );
        if info.mechanism == MECHANISM_DIRECT {
            return Ok(plaintext);
        }
        let cipher = Aes256Gcm::new_from_slice(&plaintext)
            .map_err(|_| SealError::Corrupt("the KMS data key has the wrong length".into()))?;
        if blob.iv.len() != IV_LEN {
            return Err(SealError::Corrupt(
                "the blob's IV has the wrong length".into(),
            ));
        }
        cipher
            .decrypt(
                Nonce::from_slice(&blob.iv),
                Payload {
                    msg: &blob.ciphertext,
                    aad: &[],
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| SealError::Corrupt("the value does not match its KMS data key".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(config: &[(&str, &str)], env: &[(&str, &str)]) -> Result<AwsKmsSettings, String> {
        let look = |pairs: &[(&str, &str)], k: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        };
        AwsKmsSettings::resolve(&|k| look(config, k), &|k| look(env, k)).map_err(|e| e.to_string())
    }

    #[test]
    fn every_seed_parameter_and_vaults_environment() {
        let s = resolve(
            &[
                ("region", "eu-west-1"),
                ("access_key", "AKIAEXAMPLE"),
                ("secret_key", "secret"),
                ("session_token", "token"),
                ("kms_key_id", "19ec80b0-dfdd-4d97-8164-c6examplekey"),
                (
                    "endpoint",
                    "https://vpce-1.kms.us-east-1.vpce.amazonaws.com",
                ),
            ],
            &[("AWS_REGION", "us-west-2")],
        );
        // "c6examplekey" is not hex: the seed's example id is refused as KMS would.
        assert!(s.unwrap_err().starts_with("kms_key_id: \"19ec80b0"));
        let s = resolve(
            &[
                ("region", "eu-west-1"),
                ("kms_key_id", "alias/strongroom"),
                (
                    "endpoint",
                    "https://vpce-1.kms.us-east-1.vpce.amazonaws.com",
                ),
            ],
            &[("AWS_REGION", "us-west-2")],
        )
        .unwrap();
        assert_eq!(s.key_id, "alias/strongroom");
        // The file's region beats the environment's.
        assert_eq!(s.region.as_deref(), Some("eu-west-1"));
        assert!(s.credentials.is_none());

        // The environment's key id and endpoint beat the file's.
        let s = resolve(
            &[("kms_key_id", "alias/file"), ("endpoint", "http://file:1")],
            &[
                ("VAULT_AWSKMS_SEAL_KEY_ID", "alias/env"),
                ("AWS_KMS_ENDPOINT", "http://env:2"),
                ("AWS_DEFAULT_REGION", "ap-south-1"),
            ],
        )
        .unwrap();
        assert_eq!(s.key_id, "alias/env");
        assert_eq!(s.endpoint.as_deref(), Some("http://env:2"));
        assert_eq!(s.region.as_deref(), Some("ap-south-1"));
        let s = resolve(
            &[],
            &[
                (
                    "AWSKMS_WRAPPER_KEY_ID",
                    "1234abcd-12ab-34cd-56ef-1234567890ab",
                ),
                ("VAULT_AWSKMS_SEAL_KEY_ID", "alias/loses"),
            ],
        )
        .unwrap();
        assert_eq!(s.key_id, "1234abcd-12ab-34cd-56ef-1234567890ab");
        assert_eq!(s.region, None);
    }

    #[test]
    fn bad_values_name_the_key() {
        assert!(resolve(&[], &[])
            .unwrap_err()
            .starts_with("kms_key_id: is required"));
        assert_eq!(
            resolve(&[("kms_key_id", "my-alias")], &[]).unwrap_err(),
            "kms_key_id: \"my-alias\" is not a KMS key id, key ARN or alias (aliases are \
             written alias/NAME)"
        );
        assert!(
            resolve(&[("kms_key_id", "alias/x")], &[("AWS_REGION", "Mars 1")])
                .unwrap_err()
                .starts_with("region (from AWS_REGION): ")
        );
        assert!(resolve(
            &[("kms_key_id", "alias/x"), ("endpoint", "localhost:4566")],
            &[]
        )
        .unwrap_err()
        .starts_with("endpoint: "));
        assert!(
            resolve(&[("kms_key_id", "alias/x"), ("secret_key", "s")], &[])
                .unwrap_err()
                .starts_with("secret_key: is set but access_key is not")
        );
        for ok in [
            "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws:kms:us-east-1:123456789012:alias/strongroom",
            "mrk-1234abcd12ab34cd56ef1234567890ab",
        ] {
            assert_eq!(check_key_id(ok).as_deref(), Ok(ok));
        }
    }
}

//! `sys/init`: creating the keys of a new node.

use serde::Serialize;
use zeroize::Zeroizing;

use super::{Node, NodeError};
use crate::barrier::KEY_LEN;
use crate::random::random_key;
use crate::seal::awskms::AwsKms;
use crate::seal::config::SealConfig;
use crate::seal::shamir::ShamirWrapper;
use crate::seal::{shares, write_stored_keys, SealError};

/// Recovery shares when the request names none (the `vault`/`bao` CLI's defaults).
const DEFAULT_RECOVERY_SHARES: u32 = 5;
/// See [`DEFAULT_RECOVERY_SHARES`].
const DEFAULT_RECOVERY_THRESHOLD: u32 = 3;

/// The body of `PUT sys/init`.
#[derive(Debug, Clone, Default)]
pub struct InitRequest {
    /// Number of key shares.
    pub secret_shares: u32,
    /// Shares needed to unseal.
    pub secret_threshold: u32,
    /// PGP keys to encrypt shares to (refused: not supported).
    pub pgp_keys: Vec<String>,
    /// PGP key for the root token (refused: not supported).
    pub root_token_pgp_key: Option<String>,
    /// Recovery settings, only valid with auto-unseal seals.
    pub recovery_shares: Option<u32>,
    /// See `recovery_shares`.
    pub recovery_threshold: Option<u32>,
    /// See `recovery_shares`.
    pub recovery_pgp_keys: Vec<String>,
}

/// The answer to `PUT sys/init`: shown once, never stored.
#[derive(Serialize)]
pub struct InitResponse {
    /// Unseal shares as hex (none with auto-unseal).
    pub keys: Vec<Zeroizing<String>>,
    /// Unseal shares as standard base64.
    pub keys_base64: Vec<Zeroizing<String>>,
    /// Recovery shares as hex (auto-unseal only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub recovery_keys: Vec<Zeroizing<String>>,
    /// Recovery shares as standard base64.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub recovery_keys_base64: Vec<Zeroizing<String>>,
    /// The initial root token.
    pub root_token: Zeroizing<String>,
}

/// Key shares as hex and as base64, in the same order.
type EncodedShares = (Vec<Zeroizing<String>>, Vec<Zeroizing<String>>);

/// Splits `key` into `config`'s shares (one share is the key itself), as hex and base64.
fn split_shares(key: &[u8], config: &SealConfig) -> Result<EncodedShares, SealError> {
    use base64::Engine;
    let parts: Vec<Zeroizing<Vec<u8>>> = if config.secret_shares == 1 {
        vec![Zeroizing::new(key.to_vec())]
    } else {
        shares::split(
            key,
            config.secret_shares as usize,
            config.secret_threshold as usize,
        )?
    };
    let hex = parts
        .iter()
        .map(|s| Zeroizing::new(hex::encode(s.as_slice())))
        .collect();
    let b64 = parts
        .iter()
        .map(|s| Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(s.as_slice())))
        .collect();
    Ok((hex, b64))
}

/// The names of the given fields among `fields` (name, given), comma-separated.
fn given(fields: &[(&str, bool)]) -> Option<String> {
    let names: Vec<&str> = fields.iter().filter(|(_, g)| *g).map(|(n, _)| *n).collect();
    (!names.is_empty()).then(|| names.join(","))
}

impl std::fmt::Debug for InitResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material, even in debug output.
        f.debug_struct("InitResponse")
            .field("keys", &format_args!("[{} redacted]", self.keys.len()))
            .field("root_token", &"redacted")
            .finish()
    }
}

impl Node {
    /// Initializes a new node. With Shamir the node stays sealed afterwards, as in Vault;
    /// with auto-unseal it unseals itself and the response carries recovery shares instead.
    pub async fn init(&self, req: InitRequest) -> Result<InitResponse, NodeError> {
        match self.seal.auto() {
            Some(kms) => self.init_auto(kms, req).await,
            None => self.init_shamir(req).await,
        }
    }

    async fn init_shamir(&self, req: InitRequest) -> Result<InitResponse, NodeError> {
        if let Some(names) = given(&[
            ("recovery_shares", req.recovery_shares.is_some()),
            ("recovery_threshold", req.recovery_threshold.is_some()),
            ("recovery_pgp_keys", !req.recovery_pgp_keys.is_empty()),
        ]) {
            return Err(NodeError::InvalidRequest(format!(
                "parameters {names} not applicable to seal type shamir"
            )));
        }
        if !req.pgp_keys.is_empty() || req.root_token_pgp_key.is_some() {
            return Err(NodeError::InvalidRequest(
                "PGP-encrypted key shares are not supported: omit pgp_keys and root_token_pgp_key"
                    .into(),
            ));
        }
        let config = SealConfig::shamir(req.secret_shares, req.secret_threshold);
        config.validate()?;

        let _serial = self.progress.lock().await;
        if self.initialized().await? {
            return Err(NodeError::AlreadyInitialized);
        }
        let root_key = random_key(KEY_LEN);
        let kek = random_key(KEY_LEN);
        let (keys, keys_base64) = split_shares(&kek, &config)?;
        config.store(self.storage.as_ref()).await?;
        write_stored_keys(self.storage.as_ref(), &ShamirWrapper::new(&kek)?, &root_key).await?;
        self.barrier.initialize(&root_key, Some(&kek)).await?;
        let root_token = self.create_root_token(&root_key).await?;
        // With Shamir the operator unseals with the shares, as in Vault.
        self.seal_now().await;
        tracing::info!(
            shares = config.secret_shares,
            threshold = config.secret_threshold,
            "vault initialized"
        );
        Ok(InitResponse {
            keys,
            keys_base64,
            recovery_keys: Vec::new(),
            recovery_keys_base64: Vec::new(),
            root_token,
        })
    }

    /// Init with an auto-unseal seal: KMS encrypts the root key and a separate recovery
    /// key, whose shares are returned. KMS is asked first, so a KMS failure leaves storage
    /// untouched and the node uninitialized.
    async fn init_auto(&self, kms: &AwsKms, req: InitRequest) -> Result<InitResponse, NodeError> {
        let seal_type = self.seal.type_name();
        if let Some(names) = given(&[
            ("secret_shares", req.secret_shares != 0),
            ("secret_threshold", req.secret_threshold != 0),
            ("pgp_keys", !req.pgp_keys.is_empty()),
        ]) {
            return Err(NodeError::InvalidRequest(format!(
                "parameters {names} not applicable to seal type {seal_type}"
            )));
        }
        if !req.recovery_pgp_keys.is_empty() || req.root_token_pgp_key.is_some() {
            return Err(NodeError::InvalidRequest(
                "PGP-encrypted key shares are not supported: omit recovery_pgp_keys and \
                 root_token_pgp_key"
                    .into(),
            ));
        }
        let recovery = match (req.recovery_shares, req.recovery_threshold) {
            (None, None) => SealConfig::shamir(DEFAULT_RECOVERY_SHARES, DEFAULT_RECOVERY_THRESHOLD),
            (shares, threshold) => SealConfig::shamir(shares.unwrap_or(0), threshold.unwrap_or(0)),
        };
        recovery.validate().map_err(|e| match e {
            SealError::InvalidConfig(reason) => {
                NodeError::InvalidRequest(format!("invalid recovery configuration: {reason}"))
            }
            other => other.into(),
        })?;

        let _serial = self.progress.lock().await;
        if self.initialized().await? {
            return Err(NodeError::AlreadyInitialized);
        }
        let root_key = random_key(KEY_LEN);
        let recovery_key = random_key(KEY_LEN);
        let (recovery_keys, recovery_keys_base64) = split_shares(&recovery_key, &recovery)?;
        kms.describe_key().await?;
        self.store_auto_seal(kms, &root_key, &recovery_key, &recovery)
            .await?;
        self.barrier.initialize(&root_key, None).await?;
        let root_token = self.create_root_token(&root_key).await?;
        // As Vault's init handler: an auto-unseal node is unsealed when init returns (with
        // HA, it campaigns to become active).
        self.seal_now().await;
        self.unseal_with_root_key(&root_key).await?;
        tracing::info!(
            recovery_shares = recovery.secret_shares,
            recovery_threshold = recovery.secret_threshold,
            key = %kms.current_key_arn().unwrap_or_default(),
            "vault initialized with auto-unseal"
        );
        Ok(InitResponse {
            keys: Vec::new(),
            keys_base64: Vec::new(),
            recovery_keys,
            recovery_keys_base64,
            root_token,
        })
    }

    /// Unseals briefly, directly rather than through an HA election (nothing can be active
    /// before init), to create the mount tables and the root token.
    async fn create_root_token(
        &self,
        root_key: &Zeroizing<Vec<u8>>,
    ) -> Result<Zeroizing<String>, NodeError> {
        self.barrier.unseal(root_key).await?;
        self.load_active().await?;
        let token = match self.active() {
            Ok(active) => active
                .tokens
                .create_root(None)
                .await
                .map_err(NodeError::from),
            Err(e) => Err(e),
        };
        if token.is_err() {
            self.seal_now().await;
        }
        token.map(Zeroizing::new)
    }
}

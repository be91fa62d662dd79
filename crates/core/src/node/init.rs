//! `sys/init`: creating the keys of a new node.

use serde::Serialize;
use zeroize::Zeroizing;

use super::{Node, NodeError};
use crate::barrier::KEY_LEN;
use crate::random::random_key;
use crate::seal::config::SealConfig;
use crate::seal::shamir::ShamirWrapper;
use crate::seal::{shares, write_stored_keys};

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
    /// Shares as hex.
    pub keys: Vec<Zeroizing<String>>,
    /// Shares as standard base64.
    pub keys_base64: Vec<Zeroizing<String>>,
    /// The initial root token.
    pub root_token: Zeroizing<String>,
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
    /// Initializes a new node with the Shamir seal; the node stays sealed afterwards.
    pub async fn init(&self, req: InitRequest) -> Result<InitResponse, NodeError> {
        let mut recovery = Vec::new();
        if req.recovery_shares.is_some() {
            recovery.push("recovery_shares");
        }
        if req.recovery_threshold.is_some() {
            recovery.push("recovery_threshold");
        }
        if !req.recovery_pgp_keys.is_empty() {
            recovery.push("recovery_pgp_keys");
        }
        if !recovery.is_empty() {
            return Err(NodeError::InvalidRequest(format!(
                "parameters {} not applicable to seal type shamir",
                recovery.join(",")
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
        let key_shares: Vec<Zeroizing<Vec<u8>>> = if config.secret_shares == 1 {
            vec![kek.clone()]
        } else {
            shares::split(
                &kek,
                config.secret_shares as usize,
                config.secret_threshold as usize,
            )
            .map_err(crate::seal::SealError::from)?
        };
        config.store(self.storage.as_ref()).await?;
        write_stored_keys(self.storage.as_ref(), &ShamirWrapper::new(&kek)?, &root_key).await?;
        self.barrier.initialize(&root_key, Some(&kek)).await?;

        // Unseal briefly to create the mount tables and the root token, then seal again: with
        // Shamir the operator unseals with the shares, as in Vault.
        // Directly, not through an HA election: nothing can be active before init.
        self.barrier.unseal(&root_key).await?;
        self.load_active().await?;
        let root_token = match self.active() {
            Ok(active) => active.tokens.create_root(None).await,
            Err(e) => {
                self.seal_now().await;
                return Err(e);
            }
        };
        self.seal_now().await;
        let root_token = Zeroizing::new(root_token?);
        tracing::info!(
            shares = config.secret_shares,
            threshold = config.secret_threshold,
            "vault initialized"
        );
        Ok(InitResponse {
            keys: key_shares
                .iter()
                .map(|s| Zeroizing::new(hex::encode(s.as_slice())))
                .collect(),
            keys_base64: key_shares
                .iter()
                .map(|s| {
                    use base64::Engine;
                    Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(s.as_slice()))
                })
                .collect(),
            root_token,
        })
    }
}

//! `sys/generate-root`: a new root token, authorized by a quorum of key shares — unseal
//! shares with Shamir, recovery shares with auto-unseal (the main thing recovery keys are
//! for). The token is handed out XOR-ed with a one-time password, base64 without padding,
//! so it never crosses the wire in the clear: `bao operator generate-root -decode` undoes it.
//!
//! Two doors lead here: the unauthenticated `sys/generate-root/{attempt,update}` of Vault
//! (used by the `vault` CLI and hvac, and the only way back in once every root token is
//! lost), and OpenBao's authenticated `sys/generate-root-token/{attempt,update}`, which the
//! `bao` CLI calls. Sealing the node ends the attempt in progress.

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;
use serde::Serialize;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::unseal::{check_key_length, combine, decode_key};
use super::{Node, NodeError};
use crate::logical::{BackendRequest, Fields, LogicalError, Operation, Response};
use crate::random::random_base62;
use crate::token::GENERATED_TOKEN_LEN;

/// An attempt in progress.
pub(crate) struct Attempt {
    nonce: String,
    otp: Zeroizing<String>,
    parts: Vec<Zeroizing<Vec<u8>>>,
}

/// The status Vault reports for root generation (every field always present).
#[derive(Clone, Serialize, Default)]
pub struct RootGenerationStatus {
    /// Identifies the attempt ("" when none).
    pub nonce: String,
    /// Whether an attempt is in progress.
    pub started: bool,
    /// Shares entered so far.
    pub progress: usize,
    /// Shares needed.
    pub required: u32,
    /// Whether the new token has been generated.
    pub complete: bool,
    /// The new root token XOR the OTP, base64 without padding (when complete).
    pub encoded_token: String,
    /// Same as `encoded_token` (older clients read this name).
    pub encoded_root_token: String,
    /// Always empty: PGP-encrypted tokens are not supported.
    pub pgp_fingerprint: String,
    /// The one-time password, only in the answer that generated it.
    pub otp: String,
    /// The length of one-time passwords (that of a token).
    pub otp_length: usize,
}

/// Never shows the one-time password or the encoded token.
impl std::fmt::Debug for RootGenerationStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RootGenerationStatus")
            .field("nonce", &self.nonce)
            .field("started", &self.started)
            .field("progress", &self.progress)
            .field("required", &self.required)
            .field("complete", &self.complete)
            .finish_non_exhaustive()
    }
}

/// `token` XOR `otp`, base64 without padding (OpenBao's `roottoken.EncodeToken`).
fn encode_token(token: &str, otp: &str) -> String {
    let mixed: Zeroizing<Vec<u8>> =
        Zeroizing::new(token.bytes().zip(otp.bytes()).map(|(t, o)| t ^ o).collect());
    STANDARD_NO_PAD.encode(mixed.as_slice())
}

fn invalid(message: impl Into<String>) -> NodeError {
    NodeError::InvalidRequest(message.into())
}

impl Node {
    async fn required_shares(&self) -> Result<u32, NodeError> {
        Ok(self
            .key_plan()
            .await?
            .ok_or(NodeError::NotInitialized)?
            .shares
            .secret_threshold)
    }

    /// The status of root generation.
    pub async fn generate_root_status(&self) -> Result<RootGenerationStatus, NodeError> {
        let active = self.active()?;
        let required = self.required_shares().await?;
        let attempt = active.root_generation.lock().await;
        Ok(RootGenerationStatus {
            nonce: attempt
                .as_ref()
                .map(|a| a.nonce.clone())
                .unwrap_or_default(),
            started: attempt.is_some(),
            progress: attempt.as_ref().map_or(0, |a| a.parts.len()),
            required,
            otp_length: GENERATED_TOKEN_LEN,
            ..RootGenerationStatus::default()
        })
    }

    /// Starts an attempt. Without `otp` the node generates one and returns it, once.
    pub async fn generate_root_start(
        &self,
        otp: Option<String>,
        pgp_key: Option<String>,
    ) -> Result<RootGenerationStatus, NodeError> {
        let active = self.active()?;
        if pgp_key.is_some_and(|k| !k.is_empty()) {
            return Err(invalid(
                "PGP-encrypted root tokens are not supported: use a one-time password (otp)",
            ));
        }
        let required = self.required_shares().await?;
        let (otp, generated) = match otp.filter(|o| !o.is_empty()) {
            Some(o) if o.len() != GENERATED_TOKEN_LEN => {
                return Err(invalid("OTP string has incorrect length"))
            }
            Some(o) => (Zeroizing::new(o), false),
            None => (Zeroizing::new(random_base62(GENERATED_TOKEN_LEN)), true),
        };
        let mut attempt = active.root_generation.lock().await;
        if attempt.is_some() {
            return Err(invalid("root generation already in progress"));
        }
        let nonce = uuid::Uuid::new_v4().to_string();
        let shown = if generated {
            otp.to_string()
        } else {
            String::new()
        };
        *attempt = Some(Attempt {
            nonce: nonce.clone(),
            otp,
            parts: Vec::new(),
        });
        tracing::info!(nonce, "root generation started");
        Ok(RootGenerationStatus {
            nonce,
            started: true,
            required,
            otp: shown,
            otp_length: GENERATED_TOKEN_LEN,
            ..RootGenerationStatus::default()
        })
    }

    /// Cancels the attempt in progress (succeeds when there is none).
    pub async fn generate_root_cancel(&self) -> Result<(), NodeError> {
        let active = self.active()?;
        if active.root_generation.lock().await.take().is_some() {
            tracing::info!("root generation cancelled");
        }
        Ok(())
    }

    /// Adds one share; at the threshold, checks the shares and creates the new root token.
    pub async fn generate_root_update(
        &self,
        key: Option<String>,
        nonce: Option<String>,
    ) -> Result<RootGenerationStatus, NodeError> {
        let active = self.active()?;
        let key = match key.as_deref().map(str::trim) {
            Some(k) if !k.is_empty() => decode_key(k)?,
            _ => return Err(invalid("'key' must be specified in request body as JSON")),
        };
        check_key_length(&key).map_err(|e| invalid(format!("invalid key: {e}")))?;
        let plan = self.key_plan().await?.ok_or(NodeError::NotInitialized)?;
        let required = plan.shares.secret_threshold;
        let mut guard = active.root_generation.lock().await;
        let attempt = guard
            .as_mut()
            .ok_or_else(|| invalid("no root generation in progress"))?;
        if nonce.as_deref() != Some(attempt.nonce.as_str()) {
            return Err(invalid(format!(
                "incorrect nonce supplied; nonce for this root generation operation is {:?}",
                attempt.nonce
            )));
        }
        if attempt.parts.iter().any(|p| bool::from(p.ct_eq(&key))) {
            return Err(invalid(
                "given key has already been provided during this generation operation",
            ));
        }
        attempt.parts.push(key);
        let current_nonce = attempt.nonce.clone();
        let status = |progress, complete, encoded: String| RootGenerationStatus {
            nonce: current_nonce.clone(),
            started: true,
            progress,
            required,
            complete,
            encoded_token: encoded.clone(),
            encoded_root_token: encoded,
            ..RootGenerationStatus::default()
        };
        if attempt.parts.len() < required as usize {
            return Ok(status(attempt.parts.len(), false, String::new()));
        }
        // Threshold reached: the shares are used up whatever the outcome; the attempt stays
        // open for another try until it succeeds or is cancelled.
        let parts = std::mem::take(&mut attempt.parts);
        let combined = combine(&parts, required)?;
        self.root_key_from(plan.seal, &combined)
            .await
            .map_err(|e| {
                invalid(format!(
                    "root generation aborted: unable to authenticate: {e}"
                ))
            })?;
        let token = Zeroizing::new(active.tokens.create_root(None).await?);
        let encoded = encode_token(&token, &attempt.otp);
        *guard = None;
        tracing::info!(
            recovery_shares = plan.recovery(),
            "root generation complete: a new root token was created"
        );
        Ok(status(required as usize, true, encoded))
    }

    /// `sys/generate-root-token/*`: the same through the authenticated logical API.
    pub(crate) async fn generate_root_logical(
        &self,
        path: &str,
        req: &BackendRequest<'_>,
    ) -> Result<Option<Response>, NodeError> {
        let fields = Fields::new(req.data);
        let status = match (path, req.operation) {
            ("generate-root-token/attempt", Operation::Read) => self.generate_root_status().await?,
            ("generate-root-token/attempt", Operation::Update | Operation::Create) => {
                self.generate_root_start(fields.string("otp")?, fields.string("pgp_key")?)
                    .await?
            }
            ("generate-root-token/attempt", Operation::Delete) => {
                self.generate_root_cancel().await?;
                return Ok(None);
            }
            ("generate-root-token/update", Operation::Update | Operation::Create) => {
                let key = fields
                    .string("key")?
                    .filter(|k| !k.is_empty())
                    .ok_or_else(|| invalid("key is required"))?;
                let nonce = fields
                    .string("nonce")?
                    .filter(|n| !n.is_empty())
                    .ok_or_else(|| invalid("nonce is required"))?;
                self.generate_root_update(Some(key), Some(nonce)).await?
            }
            ("generate-root-token/attempt" | "generate-root-token/update", _) => {
                return Err(LogicalError::UnsupportedOperation.into())
            }
            (other, _) => return Err(LogicalError::UnsupportedPath(format!("sys/{other}")).into()),
        };
        let data = match serde_json::to_value(status) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        };
        Ok(Some(Response::with_data(data)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_encoded_token_is_the_token_xor_the_otp() {
        let token = "hvs.abcdefghijklmnopqrstuvwx";
        let otp = "0123456789ABCDEFGHIJKLMNOPQR";
        let encoded = encode_token(token, otp);
        assert!(!encoded.ends_with('='));
        let bytes = STANDARD_NO_PAD.decode(&encoded).unwrap();
        let back: String = bytes
            .iter()
            .zip(otp.bytes())
            .map(|(b, o)| (b ^ o) as char)
            .collect();
        assert_eq!(back, token);
    }
}

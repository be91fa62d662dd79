//! "Test key" for the setup wizard: the key is looked up and used once, as auto-unseal will
//! use it, and a failure names the setting at fault (see [`crate::aws::Culprit`]).

use aws_sdk_kms::config::http::HttpResponse;
use aws_sdk_kms::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_kms::primitives::Blob;
use aws_sdk_kms::types::{KeySpec, KeyState, KeyUsageType};
use serde::Serialize;

use super::AwsKms;
use crate::aws::{self, Culprit, ProbeError};
use crate::random::random_key;

/// What a successful key test found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyProbe {
    /// The key's ARN (what an alias resolves to now).
    pub arn: String,
    /// The key id.
    pub key_id: String,
    /// Its state (always `Enabled` after a successful probe).
    pub state: String,
    /// One sentence for the user.
    pub message: String,
}

impl AwsKms {
    /// Checks credentials, `DescribeKey` (the key exists and is an enabled symmetric
    /// encryption key) and an `Encrypt` + `Decrypt` round trip of a random value.
    pub async fn probe(&self) -> Result<KeyProbe, ProbeError> {
        let s = self.settings();
        if s.credentials.is_none() {
            aws::check_chain_credentials(self.region()).await?;
        }
        let described = self
            .client
            .describe_key()
            .key_id(&s.key_id)
            .send()
            .await
            .map_err(|e| self.classified("DescribeKey", &e))?;
        let meta = described.key_metadata().ok_or_else(|| ProbeError {
            culprit: Culprit::Service,
            message: "DescribeKey answered without key metadata".into(),
        })?;
        let arn = meta.arn().unwrap_or_default().to_owned();
        let unusable = |why: String| ProbeError {
            culprit: Culprit::Resource,
            message: format!("KMS key {arn} {why}"),
        };
        if meta.key_state() != Some(&KeyState::Enabled) {
            let state = meta
                .key_state()
                .map_or("in an unknown state", |s| s.as_str());
            return Err(unusable(format!(
                "is {state}, not Enabled: enable it or pick another key"
            )));
        }
        // Emulators may leave either field out; only a stated mismatch is refused.
        if meta
            .key_usage()
            .is_some_and(|usage| usage != &KeyUsageType::EncryptDecrypt)
            || meta
                .key_spec()
                .is_some_and(|spec| spec != &KeySpec::SymmetricDefault)
        {
            return Err(unusable(
                "is not a symmetric encryption key (KeySpec SYMMETRIC_DEFAULT, KeyUsage \
                 ENCRYPT_DECRYPT), which auto-unseal needs"
                    .into(),
            ));
        }
        let sample = random_key(32);
        let encrypted = self
            .client
            .encrypt()
            .key_id(&s.key_id)
            .plaintext(Blob::new(sample.to_vec()))
            .send()
            .await
            .map_err(|e| self.classified("Encrypt", &e))?;
        let ciphertext = encrypted.ciphertext_blob().ok_or_else(|| ProbeError {
            culprit: Culprit::Service,
            message: "Encrypt answered without a ciphertext".into(),
        })?;
        let decrypted = self
            .client
            .decrypt()
            .ciphertext_blob(ciphertext.clone())
            .send()
            .await
            .map_err(|e| self.classified("Decrypt", &e))?;
        if decrypted.plaintext().map(Blob::as_ref) != Some(&sample[..]) {
            return Err(ProbeError {
                culprit: Culprit::Service,
                message: "Decrypt did not give back what Encrypt was given".into(),
            });
        }
        Ok(KeyProbe {
            message: format!(
                "The key is enabled in {}, and these credentials can encrypt and decrypt with it.",
                self.region()
            ),
            key_id: meta.key_id().to_owned(),
            state: KeyState::Enabled.as_str().to_owned(),
            arn,
        })
    }

    /// A failed call as a [`ProbeError`] whose message suits its culprit.
    fn classified<E>(&self, operation: &str, err: &SdkError<E, HttpResponse>) -> ProbeError
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let s = self.settings();
        let region = self.region();
        let culprit = aws::culprit(err, s.endpoint.is_some(), region);
        let cause = aws::describe_error("AWS KMS", err);
        let message = match culprit {
            Culprit::Endpoint => format!(
                "nothing answers at {} ({})",
                s.endpoint.as_deref().unwrap_or_default(),
                aws::root_cause(err)
            ),
            Culprit::Region => aws::region_failure("AWS KMS", region, &cause),
            Culprit::Credentials => format!("AWS does not accept these credentials: {cause}"),
            Culprit::Permissions => format!(
                "these credentials may not call kms:{operation} on {:?}: {cause} (the policy \
                 below lists what Strongroom needs)",
                s.key_id
            ),
            Culprit::Resource => format!(
                "there is no KMS key {:?} in {region} for these credentials (check the key id \
                 or alias, and the region): {cause}",
                s.key_id
            ),
            Culprit::Service => format!("{operation} failed: {cause}"),
        };
        ProbeError { culprit, message }
    }
}

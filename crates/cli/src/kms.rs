//! `strongroom kms`: the KMS key behind a config's awskms seal, and its policies, without a
//! server. The same core functions back `sys/seal/awskms*` on a running server.

use std::process::ExitCode;

use strongroom_core::config::{Config, SealConfig};
use strongroom_core::seal::awskms::{policy, AwsKms, AwsKmsSettings};

use crate::args::{KmsAction, KmsArgs};
use crate::output::{finish, pretty, runtime};

/// Runs the command; prints JSON on stdout, errors on stderr.
pub fn run(args: KmsArgs) -> ExitCode {
    finish(settings(&args).and_then(|s| runtime()?.block_on(execute(args.action, s))))
}

/// The awskms seal of the config: the one in use, else the one being migrated from.
fn settings(args: &KmsArgs) -> Result<AwsKmsSettings, String> {
    let path = args.config.as_ref().ok_or(
        "-config=FILE is required: the server config whose seal \"awskms\" block names the key",
    )?;
    let config = Config::load(path).map_err(|e| e.to_string())?;
    [Some(config.seal), config.old_seal]
        .into_iter()
        .flatten()
        .find_map(|seal| match seal {
            SealConfig::AwsKms(settings) => Some(settings),
            SealConfig::Shamir => None,
        })
        .ok_or_else(|| format!("{} has no seal \"awskms\" block", path.display()))
}

async fn execute(action: KmsAction, settings: AwsKmsSettings) -> Result<String, String> {
    let kms = AwsKms::connect(settings).await;
    let description = kms.describe().await.map_err(|e| e.to_string())?;
    match action {
        KmsAction::Describe => Ok(pretty(&description)),
        KmsAction::Policy {
            key_users,
            key_admins,
        } => policy::documents(&description.key.arn, &key_users, &key_admins).map(|d| pretty(&d)),
    }
}

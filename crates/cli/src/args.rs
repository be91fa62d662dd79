//! Command-line arguments.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// The command line.
#[derive(Parser)]
#[command(
    name = "strongroom",
    version,
    about = "A Vault-compatible secrets server"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Subcommand)]
pub enum Command {
    /// Start a server (`-dev` for an in-memory, unsealed development server).
    Server(ServerArgs),
    /// Set up and inspect the DynamoDB table of a config, without a server.
    Dynamodb(DynamodbArgs),
    /// Inspect the AWS KMS key of a config's awskms seal and print its policies.
    Kms(KmsArgs),
    /// Print the version.
    Version,
}

/// `strongroom server` options, named as Vault's. (No `Debug`: `dev_root_token_id` is a
/// credential.)
#[derive(Args)]
pub struct ServerArgs {
    /// In-memory development server: initialized, unsealed, root token printed.
    #[arg(long)]
    pub dev: bool,
    /// The root token to create in -dev mode (instead of a random one).
    #[arg(
        long = "dev-root-token-id",
        value_name = "ID",
        env = "VAULT_DEV_ROOT_TOKEN_ID"
    )]
    pub dev_root_token_id: Option<String>,
    /// In -dev mode, mount `secret/` as a leased kv: every read gets a renewable lease.
    #[arg(long = "dev-leased-kv")]
    pub dev_leased_kv: bool,
    /// The address the -dev server listens on.
    #[arg(
        long = "dev-listen-address",
        value_name = "ADDR",
        env = "VAULT_DEV_LISTEN_ADDRESS",
        default_value = "127.0.0.1:8200"
    )]
    pub dev_listen_address: String,
    /// An HCL configuration file.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// When the -config file does not exist yet: serve the setup wizard (web UI at /ui) on
    /// -setup-listen-address, and write the config it makes to that file.
    #[arg(long)]
    pub setup: bool,
    /// The address the setup wizard is served on (and the listener it writes).
    #[arg(
        long = "setup-listen-address",
        value_name = "ADDR",
        default_value = "127.0.0.1:8200"
    )]
    pub setup_listen_address: String,
    /// Log verbosity: trace, debug, info, warn or error (overrides `log_level`).
    #[arg(long = "log-level", value_name = "LEVEL", env = "VAULT_LOG_LEVEL")]
    pub log_level: Option<String>,
}

/// `strongroom dynamodb` options.
#[derive(Args)]
pub struct DynamodbArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: DynamodbAction,
    /// The server's HCL config, whose `storage "dynamodb"` block names the table (environment
    /// variables apply as they do for the server).
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
}

/// `strongroom dynamodb` actions.
#[derive(Subcommand)]
pub enum DynamodbAction {
    /// Show the table: status, billing mode, capacity, item count and size (JSON).
    Describe,
    /// Create the table if it is missing, as a server would at start, and wait until ACTIVE.
    CreateTable,
    /// Change the table's billing mode or provisioned capacity.
    Update {
        /// PROVISIONED or PAY_PER_REQUEST (default: unchanged).
        #[arg(long = "billing-mode", value_name = "MODE")]
        billing_mode: Option<String>,
        /// Read capacity units (default: unchanged).
        #[arg(long = "read-capacity", value_name = "UNITS")]
        read_capacity: Option<u64>,
        /// Write capacity units (default: unchanged).
        #[arg(long = "write-capacity", value_name = "UNITS")]
        write_capacity: Option<u64>,
    },
    /// Print the least-privilege IAM policies, bootstrap and steady state (JSON; offline).
    IamPolicy {
        /// The AWS account id for the table ARN (default: `*`).
        #[arg(long = "account-id", value_name = "ID")]
        account_id: Option<String>,
    },
    /// Print a Terraform `aws_dynamodb_table` resource for the table (offline).
    Terraform,
}

/// `strongroom kms` options.
#[derive(Args)]
pub struct KmsArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: KmsAction,
    /// The server's HCL config, whose `seal "awskms"` block names the key (environment
    /// variables apply as they do for the server).
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
}

/// `strongroom kms` actions.
#[derive(Subcommand)]
pub enum KmsAction {
    /// Show the key the seal uses now: ARN, state, region (JSON; calls DescribeKey).
    Describe,
    /// Print the IAM policy for the seal and the key policy separating key users from key
    /// administrators (JSON; calls DescribeKey for the key's ARN).
    Policy {
        /// An IAM principal ARN that may use the key: the role or user Strongroom runs as
        /// (repeat for several). Without one, only the IAM policy is printed.
        #[arg(long = "key-user", value_name = "ARN")]
        key_users: Vec<String>,
        /// An IAM principal ARN that may manage the key (default: the account's root).
        #[arg(long = "key-admin", value_name = "ARN")]
        key_admins: Vec<String>,
    },
}

/// Rewrites Go-style long flags (`-dev`, `-config=x`) to GNU style (`--dev`, `--config=x`).
pub fn normalize(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    let mut out = Vec::new();
    let mut passthrough = false;
    for arg in args {
        let converted = match arg.to_str() {
            Some("--") => {
                passthrough = true;
                None
            }
            Some(s)
                if !passthrough
                    && s.len() > 2
                    && s.starts_with('-')
                    && !s.starts_with("--")
                    && s.as_bytes()[1].is_ascii_alphabetic() =>
            {
                Some(OsString::from(format!("-{s}")))
            }
            _ => None,
        };
        out.push(converted.unwrap_or(arg));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(args: &[&str]) -> Vec<String> {
        normalize(args.iter().map(OsString::from))
            .into_iter()
            .map(|a| a.into_string().unwrap())
            .collect()
    }

    #[test]
    fn go_style_flags_become_gnu_style() {
        assert_eq!(
            norm(&[
                "strongroom",
                "server",
                "-dev",
                "-dev-root-token-id=abc",
                "-config",
                "f.hcl"
            ]),
            [
                "strongroom",
                "server",
                "--dev",
                "--dev-root-token-id=abc",
                "--config",
                "f.hcl"
            ]
        );
        assert_eq!(
            norm(&["x", "--dev", "-h", "-", "--", "-keep"]),
            ["x", "--dev", "-h", "-", "--", "-keep"]
        );
    }

    #[test]
    fn vault_style_command_lines_parse() {
        let cli = Cli::parse_from(normalize(
            [
                "strongroom",
                "server",
                "-dev",
                "-dev-root-token-id=root",
                "-dev-listen-address=127.0.0.1:8300",
            ]
            .map(OsString::from),
        ));
        let Command::Server(args) = cli.command else {
            panic!("expected server")
        };
        assert!(args.dev);
        assert_eq!(args.dev_root_token_id.as_deref(), Some("root"));
        assert_eq!(args.dev_listen_address, "127.0.0.1:8300");
        let cli = Cli::parse_from(normalize(
            ["strongroom", "server", "-config=/etc/sr.hcl"].map(OsString::from),
        ));
        let Command::Server(args) = cli.command else {
            panic!("expected server")
        };
        assert_eq!(args.config, Some(PathBuf::from("/etc/sr.hcl")));
    }
}

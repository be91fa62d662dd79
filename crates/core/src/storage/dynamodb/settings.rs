//! The `storage "dynamodb" {}` settings, with Vault's defaults and environment precedence.
//!
//! Vault lets most environment variables beat the config file (`AWS_DYNAMODB_TABLE` wins over
//! `table = ...`); operators rely on that to point one config at several tables, so it is kept.
//! Unlike Vault, a value that does not parse is an error naming the key instead of being
//! silently replaced by a default (Vault turns `ha_enabled = "yes"` into `false`).

/// `table` when neither the config nor `AWS_DYNAMODB_TABLE` names one.
pub const DEFAULT_TABLE: &str = "vault-dynamodb-backend";
/// `region` when neither the config nor the environment names one.
pub use crate::aws::DEFAULT_REGION;
/// `read_capacity` and `write_capacity` when unset or 0.
pub const DEFAULT_CAPACITY: u64 = 5;
/// `max_parallel` when unset or below 1.
pub const DEFAULT_MAX_PARALLEL: usize = 128;

/// Every key the `storage "dynamodb"` block accepts.
pub const KEYS: &[&str] = &[
    "access_key",
    "billing_mode",
    "cluster_addr",
    "disable_clustering",
    "dynamodb_allow_updates",
    "dynamodb_max_retries",
    "endpoint",
    "ha_enabled",
    "max_parallel",
    "read_capacity",
    "redirect_addr",
    "region",
    "secret_key",
    "session_token",
    "table",
    "write_capacity",
];

/// How the table is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BillingMode {
    /// Fixed read and write capacity units (DynamoDB's and Vault's default).
    Provisioned,
    /// On demand: no capacity to manage, pay per request.
    PayPerRequest,
}

impl BillingMode {
    /// Parses DynamoDB's spelling, case-insensitively.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_uppercase().as_str() {
            "PROVISIONED" => Some(Self::Provisioned),
            "PAY_PER_REQUEST" => Some(Self::PayPerRequest),
            _ => None,
        }
    }

    /// DynamoDB's name for the mode.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Provisioned => "PROVISIONED",
            Self::PayPerRequest => "PAY_PER_REQUEST",
        }
    }
}

use crate::aws::{check_endpoint, check_region, pick};
pub use crate::aws::{SettingError, StaticCredentials};

/// Everything the DynamoDB backend needs to connect and to manage its table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DynamoDbSettings {
    /// The table name.
    pub table: String,
    /// The AWS region.
    pub region: String,
    /// An alternative endpoint (DynamoDB Local, LocalStack, moto).
    pub endpoint: Option<String>,
    /// Read capacity units for a provisioned table.
    pub read_capacity: u64,
    /// Write capacity units for a provisioned table.
    pub write_capacity: u64,
    /// Provisioned or on-demand.
    pub billing_mode: BillingMode,
    /// Whether an existing table's billing mode and capacity may be changed to match.
    pub allow_updates: bool,
    /// The most DynamoDB requests in flight at once.
    pub max_parallel: usize,
    /// Attempts per request beyond the first (the SDK's default when `None`).
    pub max_retries: Option<u32>,
    /// Whether nodes sharing the table elect an active node through a lock item.
    pub ha_enabled: bool,
    /// Keys from the config; `None` uses the SDK's credential chain.
    pub credentials: Option<StaticCredentials>,
}

impl DynamoDbSettings {
    /// Settings for `table` with every other value at its default (used by tests and tools).
    pub fn for_table(table: &str) -> Self {
        Self {
            table: table.to_owned(),
            region: DEFAULT_REGION.to_owned(),
            endpoint: None,
            read_capacity: DEFAULT_CAPACITY,
            write_capacity: DEFAULT_CAPACITY,
            billing_mode: BillingMode::Provisioned,
            allow_updates: false,
            max_parallel: DEFAULT_MAX_PARALLEL,
            max_retries: None,
            ha_enabled: false,
            credentials: None,
        }
    }

    /// Builds the settings from the block's values (`config`) and the environment (`env`),
    /// the environment winning where Vault lets it. Errors name the offending key.
    pub fn resolve(
        config: &dyn Fn(&str) -> Option<String>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, SettingError> {
        let pick = |key: &'static str, vars: &[&'static str]| pick(config, env, key, vars);
        let mut s = Self::for_table(DEFAULT_TABLE);
        if let Some((table, key)) = pick("table", &["AWS_DYNAMODB_TABLE"]) {
            s.table = check_table_name(&table).map_err(|m| SettingError::new(key, m))?;
        }
        if let Some((region, key)) = pick(
            "region",
            &["AWS_DYNAMODB_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"],
        ) {
            s.region = check_region(&region).map_err(|m| SettingError::new(key, m))?;
        }
        if let Some((endpoint, key)) = pick("endpoint", &["AWS_DYNAMODB_ENDPOINT"]) {
            if !endpoint.trim().is_empty() {
                s.endpoint =
                    Some(check_endpoint(&endpoint).map_err(|m| SettingError::new(key, m))?);
            }
        }
        if let Some((v, key)) = pick("read_capacity", &["AWS_DYNAMODB_READ_CAPACITY"]) {
            s.read_capacity = capacity(&v).map_err(|m| SettingError::new(key, m))?;
        }
        if let Some((v, key)) = pick("write_capacity", &["AWS_DYNAMODB_WRITE_CAPACITY"]) {
            s.write_capacity = capacity(&v).map_err(|m| SettingError::new(key, m))?;
        }
        if let Some((v, key)) = pick("billing_mode", &["AWS_DYNAMODB_BILLING_MODE"]) {
            s.billing_mode = BillingMode::parse(&v).ok_or_else(|| {
                SettingError::new(
                    key,
                    format!("{v:?} is not a billing mode (PROVISIONED or PAY_PER_REQUEST)"),
                )
            })?;
        }
        if let Some((v, key)) = pick("dynamodb_allow_updates", &["AWS_DYNAMODB_ALLOW_UPDATES"]) {
            s.allow_updates = boolean(&v).map_err(|m| SettingError::new(key, m))?;
        }
        if let Some((v, key)) = pick("ha_enabled", &["DYNAMODB_HA_ENABLED"]) {
            s.ha_enabled = boolean(&v).map_err(|m| SettingError::new(key, m))?;
        }
        if let Some((v, key)) = pick("dynamodb_max_retries", &["AWS_DYNAMODB_MAX_RETRIES"]) {
            let retries: u32 = v.trim().parse().map_err(|_| {
                SettingError::new(key, format!("{v:?} is not a whole number of retries"))
            })?;
            s.max_retries = Some(retries.min(20));
        }
        if let Some(v) = config("max_parallel") {
            let n: i64 = v.trim().parse().map_err(|_| {
                SettingError::new("max_parallel", format!("{v:?} is not a whole number"))
            })?;
            // As Vault: values below 1 mean the default.
            s.max_parallel = usize::try_from(n)
                .ok()
                .filter(|n| *n >= 1)
                .unwrap_or(DEFAULT_MAX_PARALLEL);
        }
        s.credentials = StaticCredentials::from_config(config)
            .map_err(|(key, message)| SettingError::new(key, message.into()))?;
        Ok(s)
    }
}

fn boolean(v: &str) -> Result<bool, String> {
    crate::logical::parse_bool(v).ok_or_else(|| format!("{v:?} must be true or false"))
}

fn capacity(v: &str) -> Result<u64, String> {
    match v.trim().parse::<i64>() {
        // As Vault: 0 means the default.
        Ok(0) => Ok(DEFAULT_CAPACITY),
        Ok(n) if n > 0 => Ok(n as u64),
        _ => Err(format!(
            "{v:?} is not a capacity (a whole number of units, at least 1)"
        )),
    }
}

/// DynamoDB's table-name rule: 3–255 of `A-Z a-z 0-9 _ - .`.
pub fn check_table_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if (3..=255).contains(&name.len()) && ok_chars {
        Ok(name.to_owned())
    } else {
        Err(format!(
            "{name:?} is not a valid DynamoDB table name (3 to 255 letters, digits, '_', '-' or '.')"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn resolve(config: &[(&str, &str)], env: &[(&str, &str)]) -> Result<DynamoDbSettings, String> {
        let config: HashMap<String, String> = config
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let env: HashMap<String, String> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        DynamoDbSettings::resolve(&|k| config.get(k).cloned(), &|k| env.get(k).cloned())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn defaults_are_vaults() {
        let s = resolve(&[], &[]).unwrap();
        assert_eq!(s, DynamoDbSettings::for_table("vault-dynamodb-backend"));
        assert_eq!((s.read_capacity, s.write_capacity), (5, 5));
        assert_eq!(s.max_parallel, 128);
        assert_eq!(s.region, "us-east-1");
        assert_eq!(s.billing_mode, BillingMode::Provisioned);
        assert!(!s.ha_enabled && !s.allow_updates && s.credentials.is_none());
    }

    #[test]
    fn environment_beats_the_file_as_in_vault() {
        let config = [
            ("table", "from-file"),
            ("region", "eu-west-1"),
            ("read_capacity", "10"),
            ("write_capacity", "15"),
            ("ha_enabled", "false"),
            ("endpoint", "http://file:1"),
            ("billing_mode", "PROVISIONED"),
        ];
        let env = [
            ("AWS_DYNAMODB_TABLE", "from-env"),
            ("AWS_DEFAULT_REGION", "ap-south-1"),
            ("AWS_DYNAMODB_READ_CAPACITY", "7"),
            ("DYNAMODB_HA_ENABLED", "true"),
            ("AWS_DYNAMODB_ENDPOINT", "http://127.0.0.1:5000"),
            ("AWS_DYNAMODB_BILLING_MODE", "pay_per_request"),
        ];
        let s = resolve(&config, &env).unwrap();
        assert_eq!(s.table, "from-env");
        assert_eq!(s.region, "ap-south-1");
        assert_eq!((s.read_capacity, s.write_capacity), (7, 15));
        assert!(s.ha_enabled);
        assert_eq!(s.endpoint.as_deref(), Some("http://127.0.0.1:5000"));
        assert_eq!(s.billing_mode, BillingMode::PayPerRequest);
        // AWS_DYNAMODB_REGION beats AWS_REGION beats AWS_DEFAULT_REGION.
        let s = resolve(
            &[],
            &[
                ("AWS_DEFAULT_REGION", "eu-west-1"),
                ("AWS_REGION", "eu-west-2"),
                ("AWS_DYNAMODB_REGION", "eu-west-3"),
            ],
        )
        .unwrap();
        assert_eq!(s.region, "eu-west-3");
        // An empty variable does not hide the file's value.
        let s = resolve(&[("table", "from-file")], &[("AWS_DYNAMODB_TABLE", "")]).unwrap();
        assert_eq!(s.table, "from-file");
    }

    #[test]
    fn vault_zero_and_below_one_mean_default() {
        let s = resolve(
            &[
                ("read_capacity", "0"),
                ("write_capacity", "0"),
                ("max_parallel", "0"),
            ],
            &[],
        )
        .unwrap();
        assert_eq!(
            (s.read_capacity, s.write_capacity, s.max_parallel),
            (5, 5, 128)
        );
        let s = resolve(&[("max_parallel", "16")], &[]).unwrap();
        assert_eq!(s.max_parallel, 16);
    }

    #[test]
    fn bad_values_name_the_key() {
        type Pairs = &'static [(&'static str, &'static str)];
        let cases: &[(Pairs, Pairs, &str)] = &[
            (
                &[("read_capacity", "lots")],
                &[],
                "read_capacity: \"lots\" is not a capacity",
            ),
            (
                &[],
                &[("AWS_DYNAMODB_WRITE_CAPACITY", "-1")],
                "write_capacity (from AWS_DYNAMODB_WRITE_CAPACITY): \"-1\" is not a capacity",
            ),
            (
                &[("ha_enabled", "yes")],
                &[],
                "ha_enabled: \"yes\" must be true or false",
            ),
            (
                &[("max_parallel", "many")],
                &[],
                "max_parallel: \"many\" is not a whole number",
            ),
            (
                &[("billing_mode", "FREE")],
                &[],
                "billing_mode: \"FREE\" is not a billing mode",
            ),
            (
                &[("table", "a b")],
                &[],
                "table: \"a b\" is not a valid DynamoDB table name",
            ),
            (
                &[("region", "US East")],
                &[],
                "region: \"US East\" is not an AWS region name",
            ),
            (
                &[("endpoint", "localhost:8000")],
                &[],
                "endpoint: \"localhost:8000\" is not an endpoint URL",
            ),
            (
                &[("access_key", "AKIA")],
                &[],
                "access_key: is set but secret_key is not",
            ),
            (
                &[("secret_key", "s")],
                &[],
                "secret_key: is set but access_key is not",
            ),
            (
                &[("dynamodb_allow_updates", "2")],
                &[],
                "dynamodb_allow_updates: \"2\" must be true or false",
            ),
        ];
        for (config, env, want) in cases {
            let got = resolve(config, env).unwrap_err();
            assert!(got.starts_with(want), "{got:?} should start with {want:?}");
        }
    }

    #[test]
    fn credentials_are_redacted_in_debug() {
        let s = resolve(
            &[
                ("access_key", "AKIAEXAMPLE"),
                ("secret_key", "very-secret-key"),
                ("session_token", "session-secret"),
            ],
            &[],
        )
        .unwrap();
        let debug = format!("{s:?}");
        assert!(debug.contains("AKIAEXAMPLE"));
        assert!(!debug.contains("very-secret-key") && !debug.contains("session-secret"));
        assert_eq!(
            s.credentials.unwrap().secret_key.as_str(),
            "very-secret-key"
        );
    }
}

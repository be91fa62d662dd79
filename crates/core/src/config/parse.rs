//! The HCL walk behind [`super::Config::parse`].

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;
use std::time::Duration;

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Attribute, Block, Body, Structure};
use hcl_edit::Span;

use super::{Config, ConfigError, ListenerConfig, SealConfig, StorageConfig, DEFAULT_ADDRESS};
use crate::aws::SettingError;
use crate::logical::parse_bool;
use crate::seal::awskms::{self, AwsKmsSettings};
use crate::storage::dynamodb::{self, DynamoDbSettings};
use crate::timefmt::parse_duration;

/// Turns byte offsets into line numbers for messages.
struct Source<'a> {
    text: &'a str,
    file: &'a str,
}

impl Source<'_> {
    fn line_of(&self, span: Option<std::ops::Range<usize>>) -> usize {
        let offset = span.map_or(0, |s| s.start).min(self.text.len());
        self.text[..offset].matches('\n').count() + 1
    }

    fn error(&self, span: Option<std::ops::Range<usize>>, message: String) -> ConfigError {
        ConfigError::Invalid {
            file: self.file.to_owned(),
            line: self.line_of(span),
            message,
        }
    }
}

/// The scalar value of an attribute as text (strings, numbers and booleans).
fn scalar(src: &Source, attr: &Attribute) -> Result<String, ConfigError> {
    match &attr.value {
        Expression::String(s) => Ok(s.value().clone()),
        Expression::Number(n) => Ok(n.value().to_string()),
        Expression::Bool(b) => Ok(b.value().to_string()),
        _ => Err(src.error(
            attr.span(),
            format!(
                "{:?} must be a string, number or boolean",
                attr.key.value().as_str()
            ),
        )),
    }
}

fn boolean(src: &Source, attr: &Attribute) -> Result<bool, ConfigError> {
    let text = scalar(src, attr)?;
    parse_bool(&text).ok_or_else(|| {
        src.error(
            attr.span(),
            format!(
                "{:?} must be true or false, got {text:?}",
                attr.key.value().as_str()
            ),
        )
    })
}

fn duration(src: &Source, attr: &Attribute) -> Result<Duration, ConfigError> {
    let text = scalar(src, attr)?;
    parse_duration(&text)
        .map_err(|e| src.error(attr.span(), format!("{:?}: {e}", attr.key.value().as_str())))
}

/// The attributes of a block body, refusing nested blocks. (Duplicate keys are already a
/// syntax error in HCL.)
fn attributes<'b>(
    src: &Source,
    body: &'b Body,
    context: &str,
) -> Result<Vec<&'b Attribute>, ConfigError> {
    let mut out = Vec::new();
    for structure in body.iter() {
        match structure {
            Structure::Attribute(attr) => out.push(attr),
            Structure::Block(block) => {
                return Err(src.error(
                    block.span(),
                    format!(
                        "{context}: unexpected block {:?}",
                        block.ident.value().as_str()
                    ),
                ))
            }
        }
    }
    Ok(out)
}

fn single_label(src: &Source, block: &Block) -> Result<String, ConfigError> {
    let name = block.ident.value().as_str();
    match block.labels.as_slice() {
        [label] => Ok(label.as_str().to_owned()),
        _ => Err(src.error(
            block.span(),
            format!("{name} block needs exactly one label, as in {name} \"type\" {{ ... }}"),
        )),
    }
}

fn unknown_key(src: &Source, attr: &Attribute, context: &str, known: &[&str]) -> ConfigError {
    src.error(
        attr.span(),
        format!(
            "{context}: unknown key {:?} (known keys: {})",
            attr.key.value().as_str(),
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        ),
    )
}

/// The HA settings Vault also accepts inside a storage block (its older form).
#[derive(Default)]
struct StorageHa {
    redirect_addr: Option<String>,
    cluster_addr: Option<String>,
    disable_clustering: Option<bool>,
}

/// The environment, as a lookup (injected so tests do not depend on the process's).
pub(super) type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// A block's scalar values, with where each was written.
type BlockValues<'b> = HashMap<&'b str, (String, Option<Range<usize>>)>;

/// Builds a block's settings from its `values` with `resolve`; a setting error points at the
/// line of the offending key (or of the block, when the value came from the environment).
fn resolve_block<T>(
    src: &Source,
    block: &Block,
    context: &str,
    values: &BlockValues,
    resolve: impl FnOnce(&dyn Fn(&str) -> Option<String>) -> Result<T, SettingError>,
) -> Result<T, ConfigError> {
    resolve(&|k| values.get(k).map(|(v, _)| v.clone())).map_err(|e| {
        let span = values
            .get(e.config_key())
            .and_then(|(_, span)| span.clone())
            .or_else(|| block.span());
        src.error(span, format!("{context}: {e}"))
    })
}

fn dynamodb_storage(
    src: &Source,
    block: &Block,
    attrs: Vec<&Attribute>,
    env: Env,
) -> Result<(StorageConfig, StorageHa), ConfigError> {
    let context = "storage \"dynamodb\"";
    let mut values = BlockValues::new();
    let mut ha = StorageHa::default();
    for attr in attrs {
        let name = attr.key.value().as_str();
        let Some(known) = dynamodb::settings::KEYS.iter().find(|k| **k == name) else {
            return Err(unknown_key(src, attr, context, dynamodb::settings::KEYS));
        };
        match *known {
            "disable_clustering" => ha.disable_clustering = Some(boolean(src, attr)?),
            "redirect_addr" => ha.redirect_addr = Some(scalar(src, attr)?),
            "cluster_addr" => ha.cluster_addr = Some(scalar(src, attr)?),
            _ => {
                values.insert(known, (scalar(src, attr)?, attr.span()));
            }
        }
    }
    let settings = resolve_block(src, block, context, &values, |config| {
        DynamoDbSettings::resolve(config, env)
    })?;
    Ok((StorageConfig::DynamoDb(settings), ha))
}

fn storage(
    src: &Source,
    block: &Block,
    env: Env,
) -> Result<(StorageConfig, StorageHa), ConfigError> {
    let kind = single_label(src, block)?;
    let context = format!("storage {kind:?}");
    let attrs = attributes(src, &block.body, &context)?;
    let plain = |config: StorageConfig| (config, StorageHa::default());
    match kind.as_str() {
        "dynamodb" => dynamodb_storage(src, block, attrs, env),
        "inmem" => match attrs.first() {
            Some(attr) => Err(unknown_key(src, attr, &context, &[])),
            None => Ok(plain(StorageConfig::Inmem)),
        },
        "local" => {
            let mut path = None;
            for attr in attrs {
                match attr.key.value().as_str() {
                    "path" => path = Some(scalar(src, attr)?),
                    _ => return Err(unknown_key(src, attr, &context, &["path"])),
                }
            }
            match path.filter(|p| !p.trim().is_empty()) {
                Some(p) => Ok(plain(StorageConfig::Local {
                    path: PathBuf::from(p),
                })),
                None => Err(src.error(
                    block.span(),
                    format!("{context}: \"path\" is required (the SQLite file to use)"),
                )),
            }
        }
        other => Err(src.error(
            block.span(),
            format!("unknown storage type {other:?} (supported: inmem, local, dynamodb)"),
        )),
    }
}

/// One `seal` block: the seal and whether it is `disabled` (the old seal of a migration).
struct SealBlock {
    seal: SealConfig,
    disabled: bool,
    span: Option<Range<usize>>,
}

fn seal(src: &Source, block: &Block, env: Env) -> Result<SealBlock, ConfigError> {
    let kind = single_label(src, block)?;
    let context = format!("seal {kind:?}");
    let attrs = attributes(src, &block.body, &context)?;
    let mut disabled = false;
    let mut values = BlockValues::new();
    let known: &[&str] = match kind.as_str() {
        "shamir" => &["disabled"],
        "awskms" => awskms::KEYS,
        other => {
            return Err(src.error(
                block.span(),
                format!("unknown seal type {other:?} (supported: shamir, awskms)"),
            ))
        }
    };
    for attr in attrs {
        let name = attr.key.value().as_str();
        match known.iter().find(|k| **k == name) {
            None => return Err(unknown_key(src, attr, &context, known)),
            Some(&"disabled") => disabled = boolean(src, attr)?,
            Some(key) => {
                values.insert(key, (scalar(src, attr)?, attr.span()));
            }
        }
    }
    let seal = match kind.as_str() {
        "awskms" => {
            let settings = resolve_block(src, block, &context, &values, |config| {
                AwsKmsSettings::resolve(config, env)
            })?;
            SealConfig::AwsKms(settings)
        }
        _ => SealConfig::Shamir,
    };
    Ok(SealBlock {
        seal,
        disabled,
        span: block.span(),
    })
}

/// The seal in use and, during a migration, the old one, from the `seal` blocks and
/// `BAO_SEAL_TYPE`/`VAULT_SEAL_TYPE` (which, as in Vault, replaces the type of the enabled
/// seal, or adds one configured from the environment alone).
fn seals(
    src: &Source,
    blocks: Vec<SealBlock>,
    env: Env,
) -> Result<(SealConfig, Option<SealConfig>), ConfigError> {
    let (disabled, enabled): (Vec<SealBlock>, Vec<SealBlock>) =
        blocks.into_iter().partition(|b| b.disabled);
    if let [_, second, ..] = enabled.as_slice() {
        return Err(src.error(
            second.span.clone(),
            "only one seal may be in use; mark the old one disabled = \"true\" to migrate \
             from it"
                .into(),
        ));
    }
    if let [_, second, ..] = disabled.as_slice() {
        return Err(src.error(
            second.span.clone(),
            "only one seal can be migrated from (disabled = \"true\")".into(),
        ));
    }
    let enabled = enabled.into_iter().next();
    let span = enabled.as_ref().and_then(|b| b.span.clone());
    let mut current = enabled.map_or(SealConfig::Shamir, |b| b.seal);
    let env_type = ["BAO_SEAL_TYPE", "VAULT_SEAL_TYPE"]
        .iter()
        .find_map(|v| env(v).filter(|t| !t.trim().is_empty()).map(|t| (t, *v)));
    if let Some((seal_type, var)) = &env_type {
        let err =
            |message: String| src.error(span.clone(), format!("{var}={seal_type}: {message}"));
        current = match (seal_type.trim(), current) {
            ("shamir", _) => SealConfig::Shamir,
            ("awskms", kms @ SealConfig::AwsKms(_)) => kms,
            ("awskms", SealConfig::Shamir) => SealConfig::AwsKms(
                AwsKmsSettings::resolve(&|_| None, env).map_err(|e| err(e.to_string()))?,
            ),
            (other, _) => {
                return Err(err(format!(
                    "unknown seal type {other:?} (supported: shamir, awskms)"
                )))
            }
        };
    }
    let old = disabled.into_iter().next();
    match (&current, old.as_ref().map(|b| &b.seal)) {
        (SealConfig::Shamir, Some(SealConfig::Shamir)) => Err(src.error(
            old.and_then(|b| b.span),
            "seal \"shamir\" is disabled for a migration, but no other seal is configured to \
             migrate to"
                .into(),
        )),
        (SealConfig::AwsKms(_), Some(SealConfig::AwsKms(_))) => Err(src.error(
            old.and_then(|b| b.span),
            format!(
                "migrating from one awskms seal to another is not supported; to move to another \
                 key, point the key's alias at it (stored keys are re-wrapped with the current \
                 key at the next unseal){}",
                env_type
                    .map(|(t, var)| format!(" — {var}={t} is set: is it left over?"))
                    .unwrap_or_default()
            ),
        )),
        _ => Ok((current, old.map(|b| b.seal))),
    }
}

fn listener(src: &Source, block: &Block) -> Result<ListenerConfig, ConfigError> {
    let kind = single_label(src, block)?;
    let context = format!("listener {kind:?}");
    if kind != "tcp" {
        return Err(src.error(
            block.span(),
            format!("unknown listener type {kind:?} (supported: tcp)"),
        ));
    }
    let mut address = DEFAULT_ADDRESS.to_owned();
    let mut tls_disable = false;
    for attr in attributes(src, &block.body, &context)? {
        match attr.key.value().as_str() {
            "address" => {
                address = scalar(src, attr)?;
                if !super::is_host_port(&address) {
                    return Err(src.error(
                        attr.span(),
                        format!("{context}: address {address:?} must be host:port"),
                    ));
                }
            }
            "tls_disable" => tls_disable = boolean(src, attr)?,
            _ => {
                return Err(unknown_key(
                    src,
                    attr,
                    &context,
                    &["address", "tls_disable"],
                ))
            }
        }
    }
    if !tls_disable {
        return Err(src.error(
            block.span(),
            format!(
                "{context}: TLS listeners are not supported yet; set tls_disable = true and \
                 terminate TLS in front of Strongroom (or listen on loopback only)"
            ),
        ));
    }
    Ok(ListenerConfig { address })
}

const TOP_LEVEL_KEYS: &[&str] = &[
    "api_addr",
    "cluster_addr",
    "cluster_name",
    "default_lease_ttl",
    "disable_clustering",
    "disable_mlock",
    "lease_revocation_attempts",
    "lease_revocation_retry_base",
    "log_level",
    "max_lease_ttl",
    "ui",
];

pub(super) fn parse(text: &str, file: &str, env: Env) -> Result<Config, ConfigError> {
    let body = hcl_edit::parser::parse_body(text).map_err(|e| ConfigError::Syntax {
        file: file.to_owned(),
        line: e.location().line(),
        column: e.location().column(),
        message: e.message().to_owned(),
    })?;
    let src = Source { text, file };
    let mut storage_cfg = None;
    let mut seal_blocks = Vec::new();
    let mut config = Config::with_storage(StorageConfig::Inmem);
    for structure in body.iter() {
        match structure {
            Structure::Block(block) => match block.ident.value().as_str() {
                "storage" => {
                    if storage_cfg.is_some() {
                        return Err(
                            src.error(block.span(), "only one storage block is allowed".into())
                        );
                    }
                    storage_cfg = Some(storage(&src, block, env)?);
                }
                "seal" => seal_blocks.push(seal(&src, block, env)?),
                "listener" => config.listeners.push(listener(&src, block)?),
                other => {
                    return Err(src.error(
                        block.span(),
                        format!("unknown block {other:?} (known blocks: storage, seal, listener)"),
                    ))
                }
            },
            Structure::Attribute(attr) => match attr.key.value().as_str() {
                "api_addr" => config.api_addr = Some(scalar(&src, attr)?),
                "cluster_addr" => config.cluster_addr = Some(scalar(&src, attr)?),
                "cluster_name" => config.cluster_name = Some(scalar(&src, attr)?),
                "ui" => config.ui = boolean(&src, attr)?,
                "disable_mlock" => config.disable_mlock = boolean(&src, attr)?,
                "disable_clustering" => config.disable_clustering = boolean(&src, attr)?,
                "default_lease_ttl" => config.default_lease_ttl = Some(duration(&src, attr)?),
                "max_lease_ttl" => config.max_lease_ttl = Some(duration(&src, attr)?),
                "lease_revocation_retry_base" => {
                    config.lease_revocation_retry_base = Some(duration(&src, attr)?)
                }
                "lease_revocation_attempts" => {
                    let text = scalar(&src, attr)?;
                    match text.trim().parse::<u32>() {
                        Ok(n @ 1..=100) => config.lease_revocation_attempts = Some(n),
                        _ => {
                            return Err(src.error(
                                attr.span(),
                                format!(
                                    "lease_revocation_attempts {text:?} must be a whole number from 1 to 100"
                                ),
                            ))
                        }
                    }
                }
                "log_level" => {
                    let level = scalar(&src, attr)?.to_ascii_lowercase();
                    if !["trace", "debug", "info", "warn", "error"].contains(&level.as_str()) {
                        return Err(src.error(
                                attr.span(),
                                format!("log_level {level:?} must be one of trace, debug, info, warn, error"),
                            ));
                    }
                    config.log_level = Some(level);
                }
                _ => return Err(unknown_key(&src, attr, "top level", TOP_LEVEL_KEYS)),
            },
        }
    }
    let (storage, ha) = storage_cfg.ok_or_else(|| ConfigError::Invalid {
        file: file.to_owned(),
        line: 1,
        message: "a storage backend must be specified, e.g. storage \"local\" { path = \"strongroom.db\" }".into(),
    })?;
    config.storage = storage;
    // As Vault: the environment beats the file, and the top level beats the storage block.
    let from_env = |vars: &[&str]| {
        vars.iter()
            .find_map(|v| env(v).filter(|s| !s.trim().is_empty()))
    };
    config.api_addr = from_env(&["VAULT_API_ADDR", "VAULT_REDIRECT_ADDR"])
        .or(config.api_addr.take())
        .or(ha.redirect_addr);
    config.cluster_addr = from_env(&["VAULT_CLUSTER_ADDR"])
        .or(config.cluster_addr.take())
        .or(ha.cluster_addr);
    config.disable_clustering |= ha.disable_clustering.unwrap_or(false);
    (config.seal, config.old_seal) = seals(&src, seal_blocks, env)?;
    if let (Some(default), Some(max)) = (config.default_lease_ttl, config.max_lease_ttl) {
        if default > max {
            let span = body.get_attribute("default_lease_ttl").and_then(Span::span);
            return Err(src.error(
                span,
                format!(
                    "default_lease_ttl ({}s) cannot be greater than max_lease_ttl ({}s)",
                    default.as_secs(),
                    max.as_secs()
                ),
            ));
        }
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn err(text: &str) -> String {
        parse(text, "t.hcl", &no_env).unwrap_err().to_string()
    }

    #[test]
    fn full_config_parses() {
        let cfg = parse(
            r#"
storage "local" {
  path = "/tmp/sr.db"
}
seal "shamir" {}
listener "tcp" {
  address     = "127.0.0.1:8300"
  tls_disable = "true"
}
api_addr          = "http://127.0.0.1:8300"
cluster_addr      = "https://127.0.0.1:8301"
cluster_name      = "team"
ui                = true
default_lease_ttl = "1h"
max_lease_ttl     = 86400
disable_mlock     = "true"
log_level         = "DEBUG"
"#,
            "t.hcl",
            &no_env,
        )
        .unwrap();
        assert_eq!(
            cfg.storage,
            StorageConfig::Local {
                path: "/tmp/sr.db".into()
            }
        );
        assert_eq!(cfg.listeners[0].address, "127.0.0.1:8300");
        assert_eq!(cfg.default_lease_ttl, Some(Duration::from_secs(3600)));
        assert_eq!(cfg.max_lease_ttl, Some(Duration::from_secs(86400)));
        assert!(cfg.ui && cfg.disable_mlock);
        assert_eq!(cfg.log_level.as_deref(), Some("debug"));
        let opts = cfg.node_options();
        assert_eq!(opts.api_addr.as_deref(), Some("http://127.0.0.1:8300"));
        assert_eq!(opts.cluster_name.as_deref(), Some("team"));
        assert_eq!(opts.default_lease_ttl, Duration::from_secs(3600));
        assert_eq!(opts.revoke_attempts, 6);
    }

    #[test]
    fn lease_revocation_settings_are_read_and_checked() {
        let cfg = parse(
            "storage \"inmem\" {}\nlease_revocation_attempts = 3\nlease_revocation_retry_base = \"2s\"\n",
            "t.hcl",
            &no_env,
        )
        .unwrap();
        let opts = cfg.node_options();
        assert_eq!(opts.revoke_attempts, 3);
        assert_eq!(opts.revoke_retry_base, Duration::from_secs(2));
        assert_eq!(
            err("storage \"inmem\" {}\nlease_revocation_attempts = 0\n"),
            "t.hcl:2: lease_revocation_attempts \"0\" must be a whole number from 1 to 100"
        );
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(
            err("storage \"inmem\" {}\n\nlistener \"tcp\" {\n  tls_disable = 1\n  adress = \"x:1\"\n}\n"),
            "t.hcl:5: listener \"tcp\": unknown key \"adress\" (known keys: address, tls_disable)"
        );
        assert_eq!(
            err("storage \"inmem\" {}\ntelemetry {}\n"),
            "t.hcl:2: unknown block \"telemetry\" (known blocks: storage, seal, listener)"
        );
        assert_eq!(
            err("storage \"raft\" {\n}\n"),
            "t.hcl:1: unknown storage type \"raft\" (supported: inmem, local, dynamodb)"
        );
        assert_eq!(
            err("storage \"inmem\" {}\nui = \"maybe\"\n"),
            "t.hcl:2: \"ui\" must be true or false, got \"maybe\""
        );
        assert_eq!(
            err("storage \"inmem\" {}\nmax_lease_ttl = \"forever\"\n"),
            "t.hcl:2: \"max_lease_ttl\": invalid duration \"forever\": expected a number"
        );
        assert!(err("ui = true\n").starts_with("t.hcl:1: a storage backend must be specified"));
        assert!(err("storage \"local\" {}\n").contains("\"path\" is required"));
        assert!(err("storage \"inmem\" {}\nlistener \"tcp\" {}\n")
            .contains("TLS listeners are not supported"));
        assert!(err("storage \"inmem\" {}\nui = true\nui = false\n")
            .starts_with("t.hcl:3:1: invalid attribute; expected unique attribute key"));
        assert!(
            err("storage \"inmem\" {}\ndefault_lease_ttl = \"2h\"\nmax_lease_ttl = \"1h\"\n")
                .starts_with("t.hcl:2: default_lease_ttl (7200s) cannot be greater")
        );
    }

    #[test]
    fn dynamodb_block_takes_every_seed_parameter_and_the_environment() {
        let text = r#"
storage "dynamodb" {
  ha_enabled             = "true"
  region                 = "us-west-2"
  table                  = "vault-data"
  endpoint               = "http://127.0.0.1:5000"
  max_parallel           = "64"
  read_capacity          = 10
  write_capacity         = 15
  access_key             = "AKIAEXAMPLE"
  secret_key             = "secret"
  session_token          = "token"
  billing_mode           = "PROVISIONED"
  dynamodb_allow_updates = "true"
  dynamodb_max_retries   = "4"
  redirect_addr          = "https://vault-leader.my-company.internal"
  cluster_addr           = "https://10.0.0.1:8201"
  disable_clustering     = "true"
}
"#;
        let cfg = parse(text, "t.hcl", &no_env).unwrap();
        let StorageConfig::DynamoDb(s) = &cfg.storage else {
            panic!("{:?}", cfg.storage)
        };
        assert!(s.ha_enabled && s.allow_updates);
        assert_eq!(
            (s.region.as_str(), s.table.as_str()),
            ("us-west-2", "vault-data")
        );
        assert_eq!(s.endpoint.as_deref(), Some("http://127.0.0.1:5000"));
        assert_eq!(
            (s.max_parallel, s.read_capacity, s.write_capacity),
            (64, 10, 15)
        );
        assert_eq!(s.max_retries, Some(4));
        assert_eq!(s.credentials.as_ref().unwrap().access_key, "AKIAEXAMPLE");
        assert_eq!(
            cfg.api_addr.as_deref(),
            Some("https://vault-leader.my-company.internal")
        );
        assert_eq!(cfg.cluster_addr.as_deref(), Some("https://10.0.0.1:8201"));
        assert!(cfg.disable_clustering);

        // The environment wins, for the table settings and for the addresses.
        let env = |name: &str| match name {
            "AWS_DYNAMODB_TABLE" => Some("env-table".to_owned()),
            "VAULT_API_ADDR" => Some("http://10.0.0.9:8200".to_owned()),
            _ => None,
        };
        let cfg = parse(text, "t.hcl", &env).unwrap();
        let StorageConfig::DynamoDb(s) = &cfg.storage else {
            panic!()
        };
        assert_eq!(s.table, "env-table");
        assert_eq!(cfg.api_addr.as_deref(), Some("http://10.0.0.9:8200"));
        // A top-level api_addr beats the block's redirect_addr.
        let cfg = parse(
            &format!("api_addr = \"http://top:8200\"\n{text}"),
            "t.hcl",
            &no_env,
        )
        .unwrap();
        assert_eq!(cfg.api_addr.as_deref(), Some("http://top:8200"));
    }

    #[test]
    fn dynamodb_errors_name_the_key_and_line() {
        assert_eq!(
            err("storage \"dynamodb\" {\n  table = \"ok-table\"\n  read_capacity = \"lots\"\n}\n"),
            "t.hcl:3: storage \"dynamodb\": read_capacity: \"lots\" is not a capacity (a whole \
             number of units, at least 1)"
        );
        assert!(
            err("storage \"dynamodb\" {\n  tabel = \"x\"\n}\n").starts_with(
                "t.hcl:2: storage \"dynamodb\": unknown key \"tabel\" (known keys: access_key,"
            )
        );
        assert_eq!(
            err("storage \"dynamodb\" {\n  ha_enabled = \"yes\"\n}\n"),
            "t.hcl:2: storage \"dynamodb\": ha_enabled: \"yes\" must be true or false"
        );
        let env = |name: &str| (name == "AWS_DYNAMODB_READ_CAPACITY").then(|| "x".to_owned());
        assert_eq!(
            parse("storage \"dynamodb\" {}\n", "t.hcl", &env)
                .unwrap_err()
                .to_string(),
            "t.hcl:1: storage \"dynamodb\": read_capacity (from AWS_DYNAMODB_READ_CAPACITY): \
             \"x\" is not a capacity (a whole number of units, at least 1)"
        );
    }

    const KMS: &str =
        "seal \"awskms\" {\n  kms_key_id = \"alias/sr\"\n  region = \"eu-west-1\"\n}\n";

    #[test]
    fn seals_migration_and_vault_seal_type() {
        let cfg = parse(&format!("storage \"inmem\" {{}}\n{KMS}"), "t.hcl", &no_env).unwrap();
        let SealConfig::AwsKms(kms) = &cfg.seal else {
            panic!("{:?}", cfg.seal)
        };
        assert_eq!(
            (kms.key_id.as_str(), kms.region.as_deref()),
            ("alias/sr", Some("eu-west-1"))
        );
        assert_eq!(cfg.old_seal, None);

        // Shamir → awskms, with the old seal named or implied; awskms → Shamir with only the
        // disabled block (Vault 1.1 needed an explicit shamir block, hashicorp/vault#6455).
        let to_kms =
            format!("storage \"inmem\" {{}}\nseal \"shamir\" {{\n  disabled = \"true\"\n}}\n{KMS}");
        let cfg = parse(&to_kms, "t.hcl", &no_env).unwrap();
        assert_eq!(
            (
                cfg.seal.type_name(),
                cfg.old_seal.as_ref().map(SealConfig::type_name)
            ),
            ("awskms", Some("shamir"))
        );
        let to_shamir = format!(
            "storage \"inmem\" {{}}\n{}",
            KMS.replace("{\n", "{\n  disabled = true\n")
        );
        let cfg = parse(&to_shamir, "t.hcl", &no_env).unwrap();
        assert_eq!(
            (
                cfg.seal.type_name(),
                cfg.old_seal.as_ref().map(SealConfig::type_name)
            ),
            ("shamir", Some("awskms"))
        );

        // VAULT_SEAL_TYPE alone activates awskms from the environment.
        let env = |name: &str| match name {
            "VAULT_SEAL_TYPE" => Some("awskms".to_owned()),
            "VAULT_AWSKMS_SEAL_KEY_ID" => Some("alias/from-env".to_owned()),
            _ => None,
        };
        let cfg = parse("storage \"inmem\" {}\n", "t.hcl", &env).unwrap();
        let SealConfig::AwsKms(kms) = &cfg.seal else {
            panic!("{:?}", cfg.seal)
        };
        assert_eq!(kms.key_id, "alias/from-env");
        // ... and a leftover one turning awskms → Shamir into awskms → awskms is explained
        // (hashicorp/vault#16294).
        let e = parse(&to_shamir, "t.hcl", &env).unwrap_err().to_string();
        assert!(
            e.contains("VAULT_SEAL_TYPE=awskms is set: is it left over?"),
            "{e}"
        );
    }

    #[test]
    fn seal_errors_name_the_key_and_line() {
        assert_eq!(
            err("storage \"inmem\" {}\nseal \"awskms\" {\n  region = \"us-east-1\"\n}\n"),
            "t.hcl:2: seal \"awskms\": kms_key_id: is required: the id, ARN or alias/NAME of the \
             KMS key (or set VAULT_AWSKMS_SEAL_KEY_ID)"
        );
        assert_eq!(
            err(
                "storage \"inmem\" {}\nseal \"awskms\" {\n  kms_key_id = \"alias/x\"\n  \
                 endpoint = \"nowhere\"\n}\n"
            ),
            "t.hcl:4: seal \"awskms\": endpoint: \"nowhere\" is not an endpoint URL (such as \
             http://127.0.0.1:8000)"
        );
        assert!(
            err("storage \"inmem\" {}\nseal \"awskms\" {\n  key_id = \"x\"\n}\n")
                .starts_with("t.hcl:3: seal \"awskms\": unknown key \"key_id\"")
        );
        assert_eq!(
            err("storage \"inmem\" {}\nseal \"pkcs11\" {}\n"),
            "t.hcl:2: unknown seal type \"pkcs11\" (supported: shamir, awskms)"
        );
        assert!(err(&format!(
            "storage \"inmem\" {{}}\nseal \"shamir\" {{}}\n{KMS}"
        ))
        .starts_with("t.hcl:3: only one seal may be in use"));
        assert!(
            err("storage \"inmem\" {}\nseal \"shamir\" {\n  disabled = true\n}\n")
                .contains("no other seal is configured to migrate to")
        );
        let env = |name: &str| (name == "VAULT_SEAL_TYPE").then(|| "hsm".to_owned());
        assert!(parse("storage \"inmem\" {}\n", "t.hcl", &env)
            .unwrap_err()
            .to_string()
            .contains("VAULT_SEAL_TYPE=hsm: unknown seal type \"hsm\""));
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let e = err("storage \"inmem\" {\n  path = \n}\n");
        assert!(
            e.starts_with("t.hcl:2:") || e.starts_with("t.hcl:3:"),
            "{e}"
        );
    }
}

//! The wizard's answers turned into the HCL config `strongroom server -config` reads.
//!
//! Each answer is rendered on its own line and the text is parsed by the one config parser,
//! so validation is exactly the server's, and a parse error's line number says which answer
//! (form field) is wrong. AWS keys either stay in the file (the server; the file is written
//! for its owner only) or go to the host's [`SecretStore`](super::SecretStore) (the desktop's
//! OS keychain), leaving the file free of secrets.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde_json::Value;
use zeroize::Zeroizing;

use super::SetupError;
use crate::aws::StaticCredentials;
use crate::config::{hcl_string, Config, ConfigError, StorageConfig};

/// Block keys that hold AWS credentials: kept out of the file when the host has a keychain,
/// and never shown back.
const CREDENTIAL_KEYS: [&str; 3] = ["access_key", "secret_key", "session_token"];

/// The keychain entry holding a block's AWS keys (`storage.aws`, `seal.aws`).
pub fn credentials_entry(block: &str) -> String {
    format!("{block}.aws")
}

/// One block of answers: its type (`local`, `dynamodb`, `shamir`, `awskms`) and its keys.
pub struct BlockForm {
    /// `storage` or `seal`: names fields in errors (`storage.region`).
    block: &'static str,
    kind: String,
    values: BTreeMap<String, Zeroizing<String>>,
}

impl BlockForm {
    /// Reads `{"type": "...", key: value, ...}`; values may be strings, numbers or booleans,
    /// and empty strings count as not given.
    pub fn from_json(block: &'static str, value: &Value) -> Result<Self, SetupError> {
        let Some(object) = value.as_object() else {
            return Err(SetupError::field(
                block,
                format!("{block}: expected an object with a \"type\""),
            ));
        };
        let kind = match object.get("type") {
            Some(Value::String(kind)) if !kind.trim().is_empty() => kind.trim().to_owned(),
            _ => {
                return Err(SetupError::field(
                    format!("{block}.type"),
                    format!("{block}: \"type\" is required"),
                ))
            }
        };
        let mut values = BTreeMap::new();
        for (key, value) in object.iter().filter(|(k, _)| *k != "type") {
            let text = match value {
                Value::String(s) => s.trim().to_owned(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Null => continue,
                _ => {
                    return Err(SetupError::field(
                        format!("{block}.{key}"),
                        format!("{block}: {key:?} must be a string, number or boolean"),
                    ))
                }
            };
            if !text.is_empty() {
                values.insert(key.clone(), Zeroizing::new(text));
            }
        }
        Ok(Self {
            block,
            kind,
            values,
        })
    }

    fn has_credentials(&self) -> bool {
        CREDENTIAL_KEYS.iter().any(|k| self.values.contains_key(*k))
    }

    /// The block's AWS keys as JSON for the keychain.
    fn credentials_json(&self) -> Zeroizing<String> {
        let map: BTreeMap<&str, &str> = CREDENTIAL_KEYS
            .iter()
            .filter_map(|k| self.values.get(*k).map(|v| (*k, v.as_str())))
            .collect();
        Zeroizing::new(serde_json::to_string(&map).unwrap_or_default())
    }
}

/// The keys a keychain entry made by [`credentials_entry`] holds, back as credentials.
pub fn credentials_from_entry(json: &str) -> Option<StaticCredentials> {
    let map: HashMap<String, String> = serde_json::from_str(json).ok()?;
    StaticCredentials::from_config(&|k| map.get(k).cloned())
        .ok()
        .flatten()
}

/// How a plan is rendered.
pub struct PlanOptions<'a> {
    /// The database file of `local` storage when the form gives no `path`.
    pub local_path: &'a Path,
    /// Whether AWS keys go to the host's keychain instead of the file.
    pub keychain: bool,
    /// A `listener "tcp"` address to write (the server's setup listener), if any.
    pub listener: Option<&'a str>,
    /// Whether to write `ui = true`.
    pub ui: bool,
}

/// What applying the answers writes.
pub struct Plan {
    /// The configuration the node will run with (keys included).
    pub config: Config,
    /// The file's text (keys included unless they go to the keychain).
    pub file_text: Zeroizing<String>,
    /// The file's text with secret values replaced, safe to show.
    pub shown_text: String,
    /// Keychain entries to write: name and value.
    pub secrets: Vec<(String, Zeroizing<String>)>,
}

/// One rendered line and the form field it came from (for error attribution).
struct Line {
    text: Zeroizing<String>,
    field: Option<String>,
    credential: bool,
}

fn line(text: String, field: Option<String>, credential: bool) -> Line {
    Line {
        text: Zeroizing::new(text),
        field,
        credential,
    }
}

fn render_block(form: &BlockForm, lines: &mut Vec<Line>, local_path: &Path) {
    lines.push(line(
        format!("{} {} {{", form.block, hcl_string(&form.kind)),
        Some(format!("{}.type", form.block)),
        false,
    ));
    let mut values: Vec<(&str, &str)> = form
        .values
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let default_path = local_path.display().to_string();
    if form.block == "storage" && form.kind == "local" && !form.values.contains_key("path") {
        values.push(("path", &default_path));
    }
    for (key, value) in values {
        let key_text = if is_identifier(key) {
            key.to_owned()
        } else {
            hcl_string(key)
        };
        lines.push(line(
            format!("  {key_text} = {}", hcl_string(value)),
            Some(format!("{}.{key}", form.block)),
            CREDENTIAL_KEYS.contains(&key),
        ));
    }
    lines.push(line("}".into(), None, false));
}

/// Whether `key` can be written bare in HCL (else it is quoted, and the parser names it).
fn is_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Renders and checks the answers. `env` stands in for the process environment, which beats
/// the file for some AWS settings exactly as it will when the config is loaded.
pub fn plan(
    storage: &BlockForm,
    seal: &BlockForm,
    options: &PlanOptions<'_>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Plan, SetupError> {
    let mut lines = vec![line(
        "# Written by the Strongroom setup wizard; `strongroom server -config` reads it too."
            .into(),
        None,
        false,
    )];
    render_block(storage, &mut lines, options.local_path);
    lines.push(line(String::new(), None, false));
    render_block(seal, &mut lines, options.local_path);
    if let Some(address) = options.listener {
        lines.push(line(String::new(), None, false));
        lines.push(line(
            format!(
                "listener \"tcp\" {{\n  address = {}\n  tls_disable = true\n}}",
                hcl_string(address)
            ),
            None,
            false,
        ));
    }
    if options.ui {
        lines.push(line("ui = true".into(), None, false));
    }
    let full = join(lines.iter().map(|l| l.text.as_str()));
    let config = Config::parse_with_env(&full, "setup", env).map_err(|e| match e {
        ConfigError::Invalid { line, message, .. } => SetupError {
            field: lines.get(line - 1).and_then(|l| l.field.clone()),
            message,
        },
        other => SetupError {
            field: None,
            message: other.to_string(),
        },
    })?;
    check_kinds(&config)?;
    let mut secrets = Vec::new();
    let mut kept = Vec::new();
    for form in [storage, seal] {
        if options.keychain && form.has_credentials() {
            secrets.push((credentials_entry(form.block), form.credentials_json()));
        }
    }
    let mut shown = Vec::new();
    for l in &lines {
        if l.credential && options.keychain {
            continue;
        }
        kept.push(l.text.as_str());
        shown.push(if l.credential && !l.text.contains("access_key") {
            let key = l.text.split('=').next().unwrap_or_default().trim_end();
            format!("{key} = \"<redacted>\"")
        } else {
            l.text.to_string()
        });
    }
    if options.keychain && !secrets.is_empty() {
        let note = "# AWS keys for this configuration are kept in the OS keychain by the \
                    desktop app.";
        kept.insert(1, note);
        shown.insert(1, note.to_owned());
    }
    Ok(Plan {
        config,
        file_text: join(kept.into_iter()),
        shown_text: shown.join("\n") + "\n",
        secrets,
    })
}

fn join<'a>(lines: impl Iterator<Item = &'a str>) -> Zeroizing<String> {
    let mut text = Zeroizing::new(String::new());
    for l in lines {
        text.push_str(l);
        text.push('\n');
    }
    text
}

/// The wizard offers local or DynamoDB storage: `inmem` would lose everything on exit.
fn check_kinds(config: &Config) -> Result<(), SetupError> {
    if config.storage == StorageConfig::Inmem {
        return Err(SetupError::field(
            "storage.type",
            "storage \"inmem\" keeps nothing after exit: choose local or dynamodb",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SealConfig;
    use serde_json::json;

    fn form(block: &'static str, value: Value) -> BlockForm {
        BlockForm::from_json(block, &value).unwrap()
    }

    fn options(keychain: bool) -> PlanOptions<'static> {
        PlanOptions {
            local_path: Path::new("/data/strongroom.db"),
            keychain,
            listener: None,
            ui: false,
        }
    }

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn local_and_shamir_render_the_defaults() {
        let plan = plan(
            &form("storage", json!({"type": "local"})),
            &form("seal", json!({"type": "shamir"})),
            &options(false),
            &no_env,
        )
        .unwrap();
        assert_eq!(
            plan.config.storage,
            StorageConfig::Local {
                path: "/data/strongroom.db".into()
            }
        );
        assert_eq!(plan.config.seal, SealConfig::Shamir);
        assert!(plan.secrets.is_empty());
        assert_eq!(plan.shown_text, plan.file_text.as_str());
        let reparsed = Config::parse(&plan.file_text, "again").unwrap();
        assert_eq!(reparsed.storage, plan.config.storage);
    }

    #[test]
    fn errors_point_at_the_field() {
        let storage = form(
            "storage",
            json!({"type": "dynamodb", "table": "vault", "region": "us-east-1", "read_capacity": "lots"}),
        );
        let err = plan(
            &storage,
            &form("seal", json!({"type": "shamir"})),
            &options(false),
            &no_env,
        )
        .err()
        .unwrap();
        assert_eq!(err.field.as_deref(), Some("storage.read_capacity"));
        assert!(err.message.contains("\"lots\""), "{}", err.message);

        let err = plan(
            &form("storage", json!({"type": "local"})),
            &form("seal", json!({"type": "awskms", "region": "us-east-1"})),
            &options(false),
            &no_env,
        )
        .err()
        .unwrap();
        assert_eq!(err.field.as_deref(), Some("seal.type"), "{}", err.message);
        assert!(err.message.contains("kms_key_id"), "{}", err.message);

        let err = plan(
            &form("storage", json!({"type": "local", "pth": "x"})),
            &form("seal", json!({"type": "shamir"})),
            &options(false),
            &no_env,
        )
        .err()
        .unwrap();
        assert_eq!(err.field.as_deref(), Some("storage.pth"));

        let err = BlockForm::from_json("seal", &json!({"kms_key_id": "x"}))
            .err()
            .unwrap();
        assert_eq!(err.field.as_deref(), Some("seal.type"));
        let err = plan(
            &form("storage", json!({"type": "inmem"})),
            &form("seal", json!({"type": "shamir"})),
            &options(false),
            &no_env,
        )
        .err()
        .unwrap();
        assert_eq!(err.field.as_deref(), Some("storage.type"));
    }

    #[test]
    fn keys_go_to_the_keychain_or_stay_redacted_when_shown() {
        let storage = || {
            form(
                "storage",
                json!({"type": "dynamodb", "table": "vault", "region": "us-east-1",
                       "access_key": "AKIAEXAMPLE", "secret_key": "s3cr3t-value"}),
            )
        };
        let seal = form("seal", json!({"type": "shamir"}));
        let kept = plan(&storage(), &seal, &options(true), &no_env).unwrap();
        assert!(!kept.file_text.contains("s3cr3t-value") && !kept.file_text.contains("AKIA"));
        assert!(kept.file_text.contains("kept in the OS keychain"));
        assert_eq!(kept.secrets.len(), 1);
        assert_eq!(kept.secrets[0].0, "storage.aws");
        let creds = credentials_from_entry(&kept.secrets[0].1).unwrap();
        assert_eq!(creds.access_key, "AKIAEXAMPLE");
        assert_eq!(creds.secret_key.as_str(), "s3cr3t-value");
        let StorageConfig::DynamoDb(settings) = &kept.config.storage else {
            panic!("dynamodb")
        };
        assert!(
            settings.credentials.is_some(),
            "the running config has the keys"
        );

        let written = plan(&storage(), &seal, &options(false), &no_env).unwrap();
        assert!(written.file_text.contains("s3cr3t-value"));
        assert!(!written.shown_text.contains("s3cr3t-value"));
        assert!(written.shown_text.contains("secret_key = \"<redacted>\""));
        assert!(written.shown_text.contains("AKIAEXAMPLE"));
        assert!(written.secrets.is_empty());
    }

    #[test]
    fn listener_and_ui_are_written_for_the_server() {
        let plan = plan(
            &form("storage", json!({"type": "local", "path": "/x/y.db"})),
            &form("seal", json!({"type": "shamir"})),
            &PlanOptions {
                listener: Some("127.0.0.1:8210"),
                ui: true,
                ..options(false)
            },
            &no_env,
        )
        .unwrap();
        assert!(plan.config.ui);
        assert_eq!(plan.config.listeners[0].address, "127.0.0.1:8210");
        assert_eq!(
            plan.config.storage,
            StorageConfig::Local {
                path: "/x/y.db".into()
            }
        );
    }
}

//! `database/config/:name`: a connection to one PostgreSQL database.
//!
//! Stored (through the barrier) at `config/<name>` as JSON. The root password lives only there:
//! reads leave it out, and after `rotate-root` nobody but Strongroom knows it.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use zeroize::Zeroizing;

use super::pool::{fill_url, Limits};
use super::template::UsernameTemplate;
use crate::logical::{Fields, LogicalError};

/// The only plugin this build provides.
pub const POSTGRES_PLUGIN: &str = "postgresql-database-plugin";

/// Vault's default `max_open_connections`.
const DEFAULT_MAX_OPEN: u64 = 4;

/// A stored connection config.
#[derive(Clone, Serialize, Deserialize)]
pub struct ConnectionConfig {
    /// Always [`POSTGRES_PLUGIN`].
    pub plugin_name: String,
    /// The URL, usually templated with `{{username}}` and `{{password}}`.
    pub connection_url: String,
    /// The root user.
    #[serde(default)]
    pub username: String,
    /// The root password (never returned by a read).
    #[serde(default)]
    pub password: Zeroizing<String>,
    /// Roles (glob patterns) that may use this connection; empty: none.
    #[serde(default)]
    pub allowed_roles: Vec<String>,
    /// Statements for `rotate-root` (default: `ALTER ROLE … WITH PASSWORD`).
    #[serde(default)]
    pub root_rotation_statements: Vec<String>,
    /// Password policy for generated passwords when a role names none.
    #[serde(default)]
    pub password_policy: String,
    /// Pool size.
    pub max_open_connections: u64,
    /// Idle connections kept (0: as many as `max_open_connections`).
    #[serde(default)]
    pub max_idle_connections: u64,
    /// Seconds before a connection is retired (0: never).
    #[serde(default)]
    pub max_connection_lifetime: u64,
    /// The username template ("" for Vault's default).
    #[serde(default)]
    pub username_template: String,
    /// Whether `{{username}}`/`{{password}}` go into the URL unescaped.
    #[serde(default)]
    pub disable_escaping: bool,
    /// A root password being rotated in: written before `ALTER ROLE` so a crash between the
    /// change in PostgreSQL and this record cannot lose the only copy (the write-ahead record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_password: Option<Zeroizing<String>>,
}

fn bad(message: impl Into<String>) -> LogicalError {
    LogicalError::InvalidRequest(message.into())
}

impl ConnectionConfig {
    /// Applies a write to `existing` (fields not given are kept, as in Vault) and validates.
    /// Returns the config and its warnings.
    pub fn merge(
        existing: Option<ConnectionConfig>,
        f: &Fields<'_>,
    ) -> Result<(Self, Vec<String>), LogicalError> {
        let plugin = f.string("plugin_name")?;
        let mut c = match existing {
            Some(c) => c,
            None => {
                let plugin = plugin.clone().unwrap_or_default();
                if plugin.is_empty() {
                    return Err(bad("empty plugin name"));
                }
                ConnectionConfig {
                    plugin_name: plugin,
                    connection_url: String::new(),
                    username: String::new(),
                    password: Zeroizing::default(),
                    allowed_roles: Vec::new(),
                    root_rotation_statements: Vec::new(),
                    password_policy: String::new(),
                    max_open_connections: DEFAULT_MAX_OPEN,
                    max_idle_connections: 0,
                    max_connection_lifetime: 0,
                    username_template: String::new(),
                    disable_escaping: false,
                    pending_password: None,
                }
            }
        };
        if let Some(p) = plugin {
            c.plugin_name = p;
        }
        if c.plugin_name != POSTGRES_PLUGIN {
            return Err(bad(format!(
                "unsupported plugin_name {:?}: this build provides {POSTGRES_PLUGIN}",
                c.plugin_name
            )));
        }
        if let Some(v) = f.string("connection_url")? {
            c.connection_url = v;
        }
        if let Some(v) = f.string("username")? {
            c.username = v;
        }
        if let Some(v) = f.string("password")? {
            c.password = Zeroizing::new(v);
        }
        if f.has("allowed_roles") {
            c.allowed_roles = f.string_list("allowed_roles")?;
        }
        if f.has("root_rotation_statements") {
            c.root_rotation_statements = statement_list(f, "root_rotation_statements")?;
        }
        if let Some(v) = f.string("password_policy")? {
            c.password_policy = v;
        }
        if let Some(v) = f.uint("max_open_connections")? {
            c.max_open_connections = if v == 0 { DEFAULT_MAX_OPEN } else { v };
        }
        if let Some(v) = f.uint("max_idle_connections")? {
            c.max_idle_connections = v;
        }
        if let Some(v) = f.duration("max_connection_lifetime")? {
            c.max_connection_lifetime = v.as_secs();
        }
        if let Some(v) = f.string("username_template")? {
            c.username_template = v;
        }
        if let Some(v) = f.boolean("disable_escaping")? {
            c.disable_escaping = v;
        }
        if c.connection_url.trim().is_empty() {
            return Err(bad("connection_url cannot be empty"));
        }
        for secret in [c.username.as_str(), c.password.as_str()] {
            if secret.contains("{{username}}") || secret.contains("{{password}}") {
                return Err(bad(
                    "username and/or password cannot contain the template variables",
                ));
            }
        }
        if c.max_open_connections > 1000 {
            return Err(bad("max_open_connections must be at most 1000"));
        }
        if !c.username_template.is_empty() {
            UsernameTemplate::parse(&c.username_template)
                .map_err(|e| bad(format!("invalid username template: {e}")))?;
        }
        let mut warnings = Vec::new();
        if embeds_password(&c.connection_url) {
            warnings.push(
                "Password found in connection_url, use a templated url to enable root rotation \
                 and prevent read access to password information."
                    .to_owned(),
            );
        }
        Ok((c, warnings))
    }

    /// The pool limits.
    pub fn limits(&self) -> Limits {
        let max_open = self.max_open_connections.max(1) as usize;
        let max_idle = match self.max_idle_connections {
            0 => max_open,
            n => (n as usize).min(max_open),
        };
        Limits {
            max_open,
            max_idle,
            max_lifetime: (self.max_connection_lifetime > 0)
                .then(|| std::time::Duration::from_secs(self.max_connection_lifetime)),
        }
    }

    /// The URL with the root credentials (or `password`, to try a pending one) filled in.
    pub fn url_with(&self, password: &str) -> Zeroizing<String> {
        Zeroizing::new(fill_url(
            &self.connection_url,
            &self.username,
            password,
            self.disable_escaping,
        ))
    }

    /// Whether `role` may use this connection (`allowed_roles` globs; empty allows none).
    pub fn allows(&self, role: &str) -> bool {
        self.allowed_roles.iter().any(|p| glob_match(p, role))
    }

    /// The read view: no password, and a URL password (if someone embedded one) masked.
    pub fn read_view(&self) -> Map<String, Value> {
        let mut details = Map::new();
        details.insert(
            "connection_url".into(),
            redact_url(&self.connection_url).into(),
        );
        details.insert("username".into(), self.username.clone().into());
        details.insert(
            "max_open_connections".into(),
            self.max_open_connections.into(),
        );
        details.insert(
            "max_idle_connections".into(),
            self.max_idle_connections.into(),
        );
        details.insert(
            "max_connection_lifetime".into(),
            crate::lease::ttl::go_duration(self.max_connection_lifetime).into(),
        );
        if !self.username_template.is_empty() {
            details.insert(
                "username_template".into(),
                self.username_template.clone().into(),
            );
        }
        details.insert("disable_escaping".into(), self.disable_escaping.into());
        let mut data = Map::new();
        data.insert("plugin_name".into(), self.plugin_name.clone().into());
        data.insert("plugin_version".into(), "".into());
        data.insert("connection_details".into(), Value::Object(details));
        data.insert("allowed_roles".into(), json!(self.allowed_roles));
        data.insert(
            "root_credentials_rotate_statements".into(),
            json!(self.root_rotation_statements),
        );
        data.insert(
            "password_policy".into(),
            self.password_policy.clone().into(),
        );
        data
    }
}

/// A statement list field: a JSON array, or one string kept whole; blanks are dropped.
pub fn statement_list(f: &Fields<'_>, name: &str) -> Result<Vec<String>, LogicalError> {
    Ok(f.string_slice(name)?
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .collect())
}

/// `*` matches any run of characters; everything else literally (Vault's
/// `StrListContainsGlob`).
fn glob_match(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == name;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !name.starts_with(first) || name.len() < first.len() + last.len() || !name.ends_with(last) {
        return false;
    }
    let mut rest = &name[first.len()..name.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    true
}

/// The `user:password@` part of a URL, if it has a literal (not templated) password.
fn url_password(url: &str) -> Option<(usize, usize)> {
    let scheme_end = url.find("://")? + 3;
    let at = url[scheme_end..].find('@')? + scheme_end;
    let colon = url[scheme_end..at].find(':')? + scheme_end;
    Some((colon + 1, at))
}

fn embeds_password(url: &str) -> bool {
    if let Some((start, end)) = url_password(url) {
        return &url[start..end] != "{{password}}" && start < end;
    }
    url.split_whitespace()
        .any(|p| p.starts_with("password=") && p != "password={{password}}")
}

/// The URL with a literal password replaced by `*****`.
fn redact_url(url: &str) -> String {
    if let Some((start, end)) = url_password(url) {
        if &url[start..end] != "{{password}}" {
            return format!("{}*****{}", &url[..start], &url[end..]);
        }
        return url.to_owned();
    }
    url.split_whitespace()
        .map(|p| {
            if p.starts_with("password=") && p != "password={{password}}" {
                "password=*****"
            } else {
                p
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(
        body: Value,
        existing: Option<ConnectionConfig>,
    ) -> Result<(ConnectionConfig, Vec<String>), LogicalError> {
        let map = body.as_object().unwrap().clone();
        ConnectionConfig::merge(existing, &Fields::new(&map))
    }

    #[test]
    fn a_write_is_validated_and_an_update_keeps_what_it_omits() {
        let (c, warnings) = write(
            json!({"plugin_name": POSTGRES_PLUGIN, "connection_url": "postgresql://{{username}}:{{password}}@h/db",
                   "username": "root", "password": "pw", "allowed_roles": "readonly,app-*"}),
            None,
        )
        .unwrap();
        assert!(warnings.is_empty());
        assert_eq!(c.allowed_roles, vec!["readonly", "app-*"]);
        assert_eq!(c.max_open_connections, 4);
        assert!(c.allows("readonly") && c.allows("app-x") && !c.allows("admin"));
        let (c, _) = write(json!({"max_open_connections": "16"}), Some(c)).unwrap();
        assert_eq!(
            (
                c.username.as_str(),
                c.password.as_str(),
                c.max_open_connections
            ),
            ("root", "pw", 16)
        );
        assert_eq!(c.limits().max_idle, 16);
        assert_eq!(&*c.url_with("p w"), "postgresql://root:p%20w@h/db");
    }

    #[test]
    fn bad_writes_name_the_problem() {
        let err = |body| write(body, None).err().unwrap().to_string();
        assert_eq!(err(json!({"connection_url": "x"})), "empty plugin name");
        assert_eq!(
            err(json!({"plugin_name": "mysql-database-plugin", "connection_url": "x"})),
            "unsupported plugin_name \"mysql-database-plugin\": this build provides postgresql-database-plugin"
        );
        assert_eq!(
            err(json!({"plugin_name": POSTGRES_PLUGIN})),
            "connection_url cannot be empty"
        );
        assert_eq!(
            err(
                json!({"plugin_name": POSTGRES_PLUGIN, "connection_url": "x", "password": "{{password}}"})
            ),
            "username and/or password cannot contain the template variables"
        );
        assert!(err(json!({"plugin_name": POSTGRES_PLUGIN, "connection_url": "x", "username_template": "{{ nope }}"}))
            .starts_with("invalid username template:"));
    }

    #[test]
    fn embedded_passwords_warn_and_are_masked_on_read() {
        let (c, warnings) = write(
            json!({"plugin_name": POSTGRES_PLUGIN, "connection_url": "postgresql://root:rootpassword@h:5432/myapp"}),
            None,
        )
        .unwrap();
        assert!(warnings[0].starts_with("Password found in connection_url"));
        let view = Value::Object(c.read_view()).to_string();
        assert!(!view.contains("rootpassword"), "{view}");
        assert!(view.contains("postgresql://root:*****@h:5432/myapp"));
        assert_eq!(
            redact_url("host=h password=x user=u"),
            "host=h password=***** user=u"
        );
    }

    #[test]
    fn globs_match_like_vault() {
        assert!(glob_match("*", "anything"));
        assert!(glob_match("a*c", "abbc") && !glob_match("a*c", "abbd"));
        assert!(glob_match("*-ro", "app-ro") && !glob_match("app", "apps"));
        assert!(glob_match("a*b*c", "axxbyyc") && !glob_match("a*b*c", "ac"));
    }
}

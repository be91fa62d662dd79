//! Mount table entries and the rules for new mounts.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::MountError;
use crate::random::random_hex;

/// Which table an entry belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Table {
    /// Secrets engines (`core/mounts`).
    Mounts,
    /// Auth methods (`core/auth`), routed under `auth/`.
    Auth,
}

impl Table {
    /// The table's name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Table::Mounts => "mounts",
            Table::Auth => "auth",
        }
    }
}

/// Lease settings of a mount (seconds; 0 means "use the server default").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MountConfig {
    /// Default lease TTL for secrets from this mount.
    #[serde(default)]
    pub default_lease_ttl: u64,
    /// Maximum lease TTL for secrets from this mount.
    #[serde(default)]
    pub max_lease_ttl: u64,
}

/// One mounted backend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MountEntry {
    /// Which table holds the entry.
    pub table: Table,
    /// The mount path with a trailing `/` (for auth mounts, relative to `auth/`).
    pub path: String,
    /// The backend type (`system`, `token`, `kv`).
    #[serde(rename = "type")]
    pub kind: String,
    /// Free text shown in listings.
    #[serde(default)]
    pub description: String,
    /// Identifies the mount's storage.
    pub uuid: String,
    /// `<type>_<8 hex>`, Vault's public handle for a mount.
    pub accessor: String,
    /// Lease settings.
    #[serde(default)]
    pub config: MountConfig,
    /// Backend options (`version` for kv).
    #[serde(default)]
    pub options: BTreeMap<String, String>,
    /// Not replicated (accepted for compatibility).
    #[serde(default)]
    pub local: bool,
    /// Seal-wrap (accepted for compatibility; no extra layer in Vault Community either).
    #[serde(default)]
    pub seal_wrap: bool,
}

impl MountEntry {
    /// A new entry of `kind` at `path` in `table`, with fresh uuid and accessor.
    pub fn new(table: Table, path: &str, kind: &str, description: &str) -> Self {
        Self {
            table,
            path: path.to_owned(),
            kind: kind.to_owned(),
            description: description.to_owned(),
            uuid: uuid::Uuid::new_v4().to_string(),
            accessor: format!("{kind}_{}", random_hex(4)),
            config: MountConfig::default(),
            options: BTreeMap::new(),
            local: false,
            seal_wrap: false,
        }
    }

    /// The path requests use (`auth/` prepended for auth mounts).
    pub fn route_path(&self) -> String {
        match self.table {
            Table::Mounts => self.path.clone(),
            Table::Auth => format!("auth/{}", self.path),
        }
    }

    /// Where the mount's data is stored.
    pub fn storage_prefix(&self) -> String {
        match (self.table, self.kind.as_str()) {
            (_, "system") => "sys/".into(),
            (Table::Mounts, _) => format!("logical/{}/", self.uuid),
            (Table::Auth, _) => format!("auth/{}/", self.uuid),
        }
    }

    /// Whether the mount comes with every node and cannot be removed.
    pub fn is_builtin(&self) -> bool {
        matches!(self.kind.as_str(), "system" | "token")
    }
}

/// The entries a new node starts with.
pub(super) fn defaults(table: Table) -> Vec<MountEntry> {
    match table {
        Table::Mounts => vec![MountEntry::new(
            Table::Mounts,
            "sys/",
            "system",
            "system endpoints used for control, policy and debugging",
        )],
        Table::Auth => vec![MountEntry::new(
            Table::Auth,
            "token/",
            "token",
            "token based credentials",
        )],
    }
}

/// `" /secret/ "` → `"secret/"`; refuses empty paths and path tricks.
pub(super) fn normalize_path(path: &str) -> Result<String, MountError> {
    let trimmed = path.trim().trim_matches('/');
    if trimmed.is_empty() {
        return Err(MountError::Invalid("mount path cannot be empty".into()));
    }
    if trimmed
        .split('/')
        .any(|s| s.is_empty() || s == "." || s == "..")
    {
        return Err(MountError::Invalid(format!(
            "invalid mount path {path:?}: empty, \".\" or \"..\" segments are not allowed"
        )));
    }
    if let Some(c) = trimmed
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || matches!(c, '*' | '+' | '?' | '#' | '%'))
    {
        return Err(MountError::Invalid(format!(
            "invalid mount path {path:?}: character {c:?} is not allowed"
        )));
    }
    Ok(format!("{trimmed}/"))
}

/// Checks that a user-requested mount is of a type and at a place users may mount.
pub(super) fn check_mountable(entry: &MountEntry) -> Result<(), MountError> {
    for reserved in ["sys/", "auth/", "cubbyhole/", "identity/"] {
        if entry.path.starts_with(reserved) {
            return Err(MountError::Invalid(format!(
                "cannot mount at {:?}: {reserved:?} is reserved",
                entry.path
            )));
        }
    }
    match entry.kind.as_str() {
        "kv" => {
            if let Some(v) = entry.options.get("leased") {
                if crate::logical::parse_bool(v).is_none() {
                    return Err(MountError::Invalid(format!(
                        "kv option leased={v:?} is not a boolean"
                    )));
                }
            }
            match entry.options.get("version").map(String::as_str) {
                None | Some("" | "1") => Ok(()),
                Some(v) => Err(MountError::Invalid(format!(
                    "kv version {v} is not supported; this build provides kv version 1"
                ))),
            }
        }
        "database" => Ok(()),
        other => Err(MountError::Invalid(format!(
            "plugin not found in the catalog: {other}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalized_and_checked() {
        assert_eq!(normalize_path(" /secret/ ").unwrap(), "secret/");
        assert_eq!(normalize_path("team/kv").unwrap(), "team/kv/");
        for bad in ["", "/", "a//b", "a/../b", "a b", "a*"] {
            assert!(normalize_path(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn accessors_and_prefixes_follow_vault() {
        let e = MountEntry::new(Table::Mounts, "secret/", "kv", "");
        assert!(e.accessor.starts_with("kv_") && e.accessor.len() == 11);
        assert_eq!(e.storage_prefix(), format!("logical/{}/", e.uuid));
        let t = MountEntry::new(Table::Auth, "token/", "token", "");
        assert_eq!(t.route_path(), "auth/token/");
        assert_eq!(t.storage_prefix(), format!("auth/{}/", t.uuid));
    }

    #[test]
    fn only_known_types_at_free_places_are_mountable() {
        let mut e = MountEntry::new(Table::Mounts, "sys/x/", "kv", "");
        assert!(check_mountable(&e)
            .unwrap_err()
            .to_string()
            .contains("reserved"));
        e.path = "kv/".into();
        assert!(check_mountable(&e).is_ok());
        e.kind = "nosuch".into();
        assert_eq!(
            check_mountable(&e).unwrap_err().to_string(),
            "plugin not found in the catalog: nosuch"
        );
        e.kind = "kv".into();
        e.options.insert("version".into(), "2".into());
        assert!(check_mountable(&e).is_err());
    }
}

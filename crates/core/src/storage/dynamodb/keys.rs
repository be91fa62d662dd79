//! Vault's mapping of storage keys onto DynamoDB items (`reference/vault-behaviour.md` §1.3).
//!
//! Key `a/b/c` is the item `{Path: "a/b", Key: "c"}`; a key without a slash lives under the
//! single-space path `" "` because DynamoDB refuses empty strings. Every folder is also an
//! item, `{Path: "a", Key: "b/"}` and `{Path: " ", Key: "a/"}`, so that listing a folder is one
//! Query on its `Path`. Keeping this layout byte for byte lets Vault and Strongroom read each
//! other's tables.

use crate::storage::StorageError;

/// The `Path` of top-level keys.
pub(super) const EMPTY_PATH: &str = " ";
/// DynamoDB's limit on a partition-key value, in bytes.
const MAX_PATH_BYTES: usize = 2048;
/// DynamoDB's limit on a sort-key value, in bytes.
const MAX_KEY_BYTES: usize = 1024;

/// An item's primary key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct ItemKey {
    /// The partition key: the folder.
    pub(super) path: String,
    /// The sort key: the last segment (with a trailing `/` for a folder item).
    pub(super) key: String,
}

impl ItemKey {
    fn new(path: &str, key: &str) -> Self {
        Self {
            path: if path.is_empty() {
                EMPTY_PATH.to_owned()
            } else {
                path.to_owned()
            },
            key: key.to_owned(),
        }
    }
}

/// The item holding the value of storage key `key`, after checking that DynamoDB can hold it.
pub(super) fn data_item(key: &str) -> Result<ItemKey, StorageError> {
    let refuse = |why: &str| StorageError::UnsupportedKey {
        key: key.to_owned(),
        reason: why.to_owned(),
    };
    if key.is_empty() {
        return Err(StorageError::EmptyKey);
    }
    if key.starts_with('/') || key.ends_with('/') {
        return Err(refuse("DynamoDB items cannot start or end with '/'"));
    }
    let (path, name) = key.rsplit_once('/').unwrap_or(("", key));
    if path.len() > MAX_PATH_BYTES {
        return Err(refuse(
            "its folder is longer than DynamoDB's 2048-byte partition key limit",
        ));
    }
    if name.len() > MAX_KEY_BYTES {
        return Err(refuse(
            "its last segment is longer than DynamoDB's 1024-byte sort key limit",
        ));
    }
    Ok(ItemKey::new(path, name))
}

/// The folder items of every ancestor of `key`, deepest first (`a/b/c` gives `{a, b/}` and
/// `{" ", a/}`), each with the folder's own storage key (`a/b/`, `a/`).
pub(super) fn folder_items(key: &str) -> Vec<(String, ItemKey)> {
    let mut out = Vec::new();
    let mut rest = key;
    while let Some((parent, _)) = rest.rsplit_once('/') {
        let (grand, name) = parent.rsplit_once('/').unwrap_or(("", parent));
        out.push((
            format!("{parent}/"),
            ItemKey::new(grand, &format!("{name}/")),
        ));
        rest = parent;
    }
    out
}

/// The `Path` to query to list folder `prefix` (`"a/b/"` → `"a/b"`, `""` → `" "`).
pub(super) fn list_path(prefix: &str) -> String {
    let trimmed = prefix.strip_suffix('/').unwrap_or(prefix);
    if trimmed.is_empty() {
        EMPTY_PATH.to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// The lock item for lock key `key`: Vault prefixes the last segment with `_`
/// (`core/lock` → `{Path: "core", Key: "_lock"}`).
pub(super) fn lock_item(key: &str) -> ItemKey {
    let (path, name) = key.rsplit_once('/').unwrap_or(("", key));
    ItemKey::new(path, &format!("_{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(path: &str, key: &str) -> ItemKey {
        ItemKey {
            path: path.into(),
            key: key.into(),
        }
    }

    #[test]
    fn keys_map_as_in_vault() {
        assert_eq!(data_item("a/b/c").unwrap(), item("a/b", "c"));
        assert_eq!(data_item("top").unwrap(), item(" ", "top"));
        assert_eq!(
            folder_items("a/b/c"),
            vec![
                ("a/b/".to_owned(), item("a", "b/")),
                ("a/".to_owned(), item(" ", "a/"))
            ]
        );
        assert!(folder_items("top").is_empty());
        assert_eq!(list_path(""), " ");
        assert_eq!(list_path("a/b/"), "a/b");
        assert_eq!(list_path("a/b"), "a/b");
        assert_eq!(lock_item("core/lock"), item("core", "_lock"));
    }

    #[test]
    fn unrepresentable_keys_are_refused_with_the_reason() {
        for (key, reason) in [
            ("a/", "cannot start or end with '/'"),
            ("/a", "cannot start or end with '/'"),
        ] {
            let err = data_item(key).unwrap_err().to_string();
            assert!(err.contains(reason), "{err}");
        }
        let err = data_item(&format!("a/{}", "k".repeat(1025)))
            .unwrap_err()
            .to_string();
        assert!(err.contains("1024-byte sort key limit"), "{err}");
        let err = data_item(&format!("{}/k", "p".repeat(2049)))
            .unwrap_err()
            .to_string();
        assert!(err.contains("2048-byte partition key limit"), "{err}");
        assert!(data_item(&format!("a/{}", "k".repeat(1024))).is_ok());
        assert!(matches!(data_item(""), Err(StorageError::EmptyKey)));
    }
}

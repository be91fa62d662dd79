//! The token store.
//!
//! Tokens are bearer secrets, so storage never holds them in plain form: entries live at
//! `sys/token/id/<salted id>` and accessors at `sys/token/accessor/<salted accessor>`, salted as
//! Vault does (HMAC-SHA256 with a per-store salt for ids containing `.`, SHA-1 otherwise).
//! Child tokens are indexed under `sys/token/parent/<salted parent>/<salted child>` so revoking
//! a parent finds them. A token's TTL is a lease in the lease manager (`crate::lease`), which
//! also revokes the tree; this module only keeps the records.

mod backend;

use std::collections::BTreeMap;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::barrier::{BarrierError, BarrierView};
use crate::error::{Classify, ErrorKind};
use crate::random::random_base62;

pub use backend::{handle, TokenContext};

/// Storage key of the salt, relative to the token store's view.
const SALT_KEY: &str = "salt";
/// Prefix of Vault ≥ 1.10 service tokens.
const SERVICE_TOKEN_PREFIX: &str = "hvs.";
/// The length of a generated token (`hvs.` + 24 base62 characters); generate-root's
/// one-time passwords have this length.
pub(crate) const GENERATED_TOKEN_LEN: usize = 28;

/// Errors from the token store.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// A requested token id is already taken.
    #[error("cannot create a token with a duplicate ID")]
    DuplicateId,
    /// A requested token id Vault would not allow.
    #[error("custom token ids may not be empty, start with \"hvs.\" or \"s.\", or contain spaces")]
    InvalidId,
    /// A stored entry could not be parsed.
    #[error("token store entry is corrupt: {0}")]
    Corrupt(String),
    /// The barrier failed.
    #[error(transparent)]
    Barrier(#[from] BarrierError),
}

impl Classify for TokenError {
    fn kind(&self) -> ErrorKind {
        match self {
            TokenError::DuplicateId | TokenError::InvalidId => ErrorKind::InvalidRequest,
            TokenError::Barrier(e) => e.kind(),
            TokenError::Corrupt(_) => ErrorKind::Internal,
        }
    }
}

/// What the store knows about a token (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenEntry {
    /// The public handle used to look up or revoke the token without knowing it.
    pub accessor: String,
    /// Policy names, sorted; `["root"]` for root tokens.
    pub policies: Vec<String>,
    /// The path that created the token (`auth/token/root`, `auth/token/create`).
    pub path: String,
    /// Shown in audit logs and lookups.
    pub display_name: String,
    /// Free-form metadata.
    #[serde(default)]
    pub meta: Option<BTreeMap<String, String>>,
    /// Uses left (0: unlimited).
    #[serde(default)]
    pub num_uses: u64,
    /// Unix seconds.
    pub creation_time: i64,
    /// Time to live in seconds (0: never expires).
    #[serde(default)]
    pub ttl: u64,
    /// Hard cap in seconds (0: none).
    #[serde(default)]
    pub explicit_max_ttl: u64,
    /// Salted id of the parent token ("" for orphans).
    #[serde(default)]
    pub parent: String,
    /// `service` (batch tokens are not stored).
    #[serde(rename = "type")]
    pub token_type: String,
    /// Whether `renew`/`renew-self` may extend it.
    #[serde(default)]
    pub renewable: bool,
    /// Set when a limited-use token spent its last use: refused from then on, while its
    /// revocation runs.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub spent: bool,
}

impl TokenEntry {
    /// The id of this token's lease (tokens with a TTL): `<path>/<salted id>`, as in Vault.
    pub fn lease_id(&self, salted: &str) -> String {
        format!("{}/{salted}", self.path)
    }

    /// Whether the token carries the `root` policy.
    pub fn is_root(&self) -> bool {
        self.policies.iter().any(|p| p == "root")
    }
}

/// A new token's settings, already validated by the token backend.
#[derive(Debug, Clone, Default)]
pub struct NewToken {
    /// Policies, normalized.
    pub policies: Vec<String>,
    /// The creating path (`auth/token/create`).
    pub path: String,
    /// `token` or `token-<name>`.
    pub display_name: String,
    /// Metadata.
    pub meta: Option<BTreeMap<String, String>>,
    /// Uses (0: unlimited).
    pub num_uses: u64,
    /// TTL in seconds (0: never expires).
    pub ttl: u64,
    /// Hard cap in seconds.
    pub explicit_max_ttl: u64,
    /// Salted parent id ("" for an orphan).
    pub parent: String,
    /// Renewable.
    pub renewable: bool,
    /// A caller-chosen id (root/sudo only).
    pub id: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct AccessorRecord {
    salted_id: String,
    accessor: String,
}

/// The token store over its barrier view (`sys/token/`).
pub struct TokenStore {
    view: BarrierView,
    salt: String,
    /// Serializes use counting of limited-use tokens.
    uses: tokio::sync::Mutex<()>,
}

impl TokenStore {
    /// Opens the store, creating its salt on first use.
    pub async fn open(view: BarrierView) -> Result<Self, TokenError> {
        let salt = match view.get(SALT_KEY).await? {
            Some(bytes) => String::from_utf8(bytes)
                .map_err(|_| TokenError::Corrupt("salt is not text".into()))?,
            None => {
                let salt = uuid::Uuid::new_v4().to_string();
                view.put(SALT_KEY, salt.as_bytes()).await?;
                salt
            }
        };
        Ok(Self {
            view,
            salt,
            uses: tokio::sync::Mutex::new(()),
        })
    }

    /// The salted form of a token id or accessor, as used in storage keys.
    pub fn salt_id(&self, id: &str) -> String {
        if id.contains('.') {
            // HMAC keys of any length are accepted, so this cannot fail.
            let mut mac = Hmac::<Sha256>::new_from_slice(self.salt.as_bytes())
                .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
            mac.update(id.as_bytes());
            format!("h{}", hex::encode(mac.finalize().into_bytes()))
        } else {
            let mut hash = Sha1::new();
            hash.update(self.salt.as_bytes());
            hash.update(id.as_bytes());
            hex::encode(hash.finalize())
        }
    }

    /// Creates a root token (policies `["root"]`, no TTL, no parent) and returns it. `id`
    /// chooses the token (`-dev-root-token-id`); otherwise it is `hvs.` + 24 base62 characters.
    pub async fn create_root(&self, id: Option<&str>) -> Result<String, TokenError> {
        let (token, _) = self
            .create(NewToken {
                policies: vec!["root".into()],
                path: "auth/token/root".into(),
                display_name: "root".into(),
                id: id.map(str::to_owned),
                ..NewToken::default()
            })
            .await?;
        Ok(token.to_string())
    }

    /// Stores a new token and returns it with its entry. The accessor and the parent index
    /// are written before the entry, so a crash leaves at worst an unreachable accessor.
    pub async fn create(
        &self,
        new: NewToken,
    ) -> Result<(zeroize::Zeroizing<String>, TokenEntry), TokenError> {
        let token = zeroize::Zeroizing::new(match new.id {
            Some(id)
                if id.is_empty()
                    || id.starts_with(SERVICE_TOKEN_PREFIX)
                    || id.starts_with("s.")
                    || id.contains(char::is_whitespace) =>
            {
                return Err(TokenError::InvalidId)
            }
            Some(id) => id,
            None => format!(
                "{SERVICE_TOKEN_PREFIX}{}",
                random_base62(GENERATED_TOKEN_LEN - SERVICE_TOKEN_PREFIX.len())
            ),
        });
        let salted = self.salt_id(&token);
        if self.view.get(&format!("id/{salted}")).await?.is_some() {
            return Err(TokenError::DuplicateId);
        }
        let entry = TokenEntry {
            accessor: random_base62(24),
            policies: new.policies,
            path: new.path,
            display_name: new.display_name,
            meta: new.meta,
            num_uses: new.num_uses,
            creation_time: OffsetDateTime::now_utc().unix_timestamp(),
            ttl: new.ttl,
            explicit_max_ttl: new.explicit_max_ttl,
            parent: new.parent,
            token_type: "service".into(),
            renewable: new.renewable,
            spent: false,
        };
        if !entry.parent.is_empty() {
            self.view
                .put(&format!("parent/{}/{salted}", entry.parent), b"")
                .await?;
        }
        self.store(&salted, &entry).await?;
        Ok((token, entry))
    }

    /// Removes `token` and its accessor (not its children or leases: see
    /// `lease::Expiration::revoke_token_tree`); removing an unknown token succeeds.
    pub async fn revoke(&self, token: &str) -> Result<(), TokenError> {
        let salted = self.salt_id(token);
        if let Some(entry) = self.entry_by_salted(&salted).await? {
            self.remove(&salted, &entry).await?;
        }
        Ok(())
    }

    /// Deletes one token's records: the entry first (so it stops working at once), then its
    /// accessor and its place in the parent index.
    pub async fn remove(&self, salted: &str, entry: &TokenEntry) -> Result<(), TokenError> {
        self.view.delete(&format!("id/{salted}")).await?;
        self.view
            .delete(&format!("accessor/{}", self.salt_id(&entry.accessor)))
            .await?;
        if !entry.parent.is_empty() {
            self.view
                .delete(&format!("parent/{}/{salted}", entry.parent))
                .await?;
        }
        Ok(())
    }

    /// Salted ids of the children of the token `salted`.
    pub async fn children(&self, salted: &str) -> Result<Vec<String>, TokenError> {
        Ok(self.view.list(&format!("parent/{salted}/")).await?)
    }

    /// The salted id of the token an accessor refers to.
    pub async fn salted_by_accessor(&self, accessor: &str) -> Result<Option<String>, TokenError> {
        if accessor.is_empty() {
            return Ok(None);
        }
        let Some(bytes) = self
            .view
            .get(&format!("accessor/{}", self.salt_id(accessor)))
            .await?
        else {
            return Ok(None);
        };
        let record: AccessorRecord =
            serde_json::from_slice(&bytes).map_err(|e| TokenError::Corrupt(e.to_string()))?;
        Ok(Some(record.salted_id))
    }

    /// Counts one use of a limited-use token: returns the entry as it was, and whether this
    /// was its last use (the caller revokes it after the request). Unlimited tokens are
    /// returned without taking the lock. Uses are serialized so two requests cannot spend the
    /// same use, and a spent token is refused until its revocation completes.
    pub async fn spend_use(&self, salted: &str) -> Result<Option<(TokenEntry, bool)>, TokenError> {
        match self.entry_by_salted(salted).await? {
            None => return Ok(None),
            Some(e) if e.spent => return Ok(None),
            Some(e) if e.num_uses == 0 => return Ok(Some((e, false))),
            Some(_) => {}
        }
        let _guard = self.uses.lock().await;
        let Some(mut entry) = self.entry_by_salted(salted).await?.filter(|e| !e.spent) else {
            return Ok(None);
        };
        let before = entry.clone();
        entry.num_uses -= 1;
        let last = entry.num_uses == 0;
        entry.spent = last;
        self.view
            .put(&format!("id/{salted}"), &to_json(&entry)?)
            .await?;
        Ok(Some((before, last)))
    }

    async fn store(&self, salted: &str, entry: &TokenEntry) -> Result<(), TokenError> {
        let record = AccessorRecord {
            salted_id: salted.to_owned(),
            accessor: entry.accessor.clone(),
        };
        let accessor_key = format!("accessor/{}", self.salt_id(&entry.accessor));
        self.view.put(&accessor_key, &to_json(&record)?).await?;
        self.view
            .put(&format!("id/{salted}"), &to_json(entry)?)
            .await?;
        Ok(())
    }

    /// The entry for `token`, or `None` if the store does not know it.
    pub async fn lookup(&self, token: &str) -> Result<Option<TokenEntry>, TokenError> {
        if token.is_empty() {
            return Ok(None);
        }
        self.entry_by_salted(&self.salt_id(token)).await
    }

    /// The entry stored under a salted id.
    pub async fn entry_by_salted(&self, salted: &str) -> Result<Option<TokenEntry>, TokenError> {
        let Some(bytes) = self.view.get(&format!("id/{salted}")).await? else {
            return Ok(None);
        };
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| TokenError::Corrupt(e.to_string()))
    }
}

fn to_json<T: Serialize>(value: &T) -> Result<Vec<u8>, TokenError> {
    serde_json::to_vec(value).map_err(|e| TokenError::Corrupt(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::barrier::Barrier;
    use crate::random::random_key;
    use crate::storage::{Backend, InmemBackend};
    use std::sync::Arc;

    async fn store() -> (Arc<dyn Backend>, TokenStore) {
        let storage: Arc<dyn Backend> = Arc::new(InmemBackend::new());
        let barrier = Arc::new(Barrier::new(storage.clone()));
        let root = random_key(32);
        barrier.initialize(&root, None).await.unwrap();
        barrier.unseal(&root).await.unwrap();
        let view = BarrierView::new(barrier, "sys/token/");
        (storage, TokenStore::open(view).await.unwrap())
    }

    #[tokio::test]
    async fn root_tokens_are_stored_only_as_salted_hashes() {
        let (storage, tokens) = store().await;
        let token = tokens.create_root(None).await.unwrap();
        assert!(token.starts_with("hvs.") && token.len() == 28, "{token}");
        let entry = tokens.lookup(&token).await.unwrap().unwrap();
        assert_eq!(entry.policies, vec!["root"]);
        assert_eq!(entry.path, "auth/token/root");
        assert!(entry.is_root());

        let ids = storage.list("sys/token/id/").await.unwrap();
        assert_eq!(ids, vec![tokens.salt_id(&token)]);
        assert!(ids[0].starts_with('h') && ids[0].len() == 65);
        assert!(!ids[0].contains(&token[4..]));
        assert_eq!(tokens.lookup("hvs.unknown").await.unwrap(), None);
        assert_eq!(tokens.lookup("").await.unwrap(), None);

        tokens.revoke(&token).await.unwrap();
        assert_eq!(tokens.lookup(&token).await.unwrap(), None);
        assert!(storage.list("sys/token/id/").await.unwrap().is_empty());
        assert!(storage
            .list("sys/token/accessor/")
            .await
            .unwrap()
            .is_empty());
    }

    #[tokio::test]
    async fn limited_use_tokens_are_refused_after_their_last_use() {
        let (_storage, tokens) = store().await;
        let (token, _) = tokens
            .create(NewToken {
                policies: vec!["default".into()],
                path: "auth/token/create".into(),
                num_uses: 2,
                ..NewToken::default()
            })
            .await
            .unwrap();
        let salted = tokens.salt_id(&token);
        let (first, last) = tokens.spend_use(&salted).await.unwrap().unwrap();
        assert_eq!((first.num_uses, last), (2, false));
        let (second, last) = tokens.spend_use(&salted).await.unwrap().unwrap();
        assert_eq!((second.num_uses, last), (1, true));
        assert!(tokens.spend_use(&salted).await.unwrap().is_none());
        // The entry stays (spent) until the revocation removes it.
        assert!(tokens.lookup(&token).await.unwrap().unwrap().spent);
    }

    #[tokio::test]
    async fn custom_ids_are_checked() {
        let (_storage, tokens) = store().await;
        assert_eq!(tokens.create_root(Some("root")).await.unwrap(), "root");
        assert!(matches!(
            tokens.create_root(Some("root")).await,
            Err(TokenError::DuplicateId)
        ));
        assert!(matches!(
            tokens.create_root(Some("hvs.mine")).await,
            Err(TokenError::InvalidId)
        ));
        // Ids without a dot use the SHA-1 form: 40 hex characters.
        assert_eq!(tokens.salt_id("root").len(), 40);
    }
}

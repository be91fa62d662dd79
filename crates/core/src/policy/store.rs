//! The policy store: named ACL policies at `sys/policy/<name>` behind the barrier, parsed once
//! and cached, and the ACL of each distinct policy set cached until a policy changes.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use serde::{Deserialize, Serialize};

use super::{parse, Acl, Policy, PolicyError, DEFAULT_POLICY};
use crate::barrier::{BarrierError, BarrierView};
use crate::error::{Classify, ErrorKind};

/// Errors from the policy store.
#[derive(Debug, thiserror::Error)]
pub enum PolicyStoreError {
    /// The document did not parse; line and column are in the message.
    #[error(transparent)]
    Parse(#[from] PolicyError),
    /// A change Vault does not allow (`root`, deleting `default`).
    #[error("{0}")]
    Refused(String),
    /// A stored policy could not be read.
    #[error("stored policy is corrupt: {0}")]
    Corrupt(String),
    /// The barrier failed.
    #[error(transparent)]
    Barrier(#[from] BarrierError),
}

impl Classify for PolicyStoreError {
    fn kind(&self) -> ErrorKind {
        match self {
            PolicyStoreError::Parse(_) | PolicyStoreError::Refused(_) => ErrorKind::InvalidRequest,
            PolicyStoreError::Corrupt(_) => ErrorKind::Internal,
            PolicyStoreError::Barrier(e) => e.kind(),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Stored {
    name: String,
    raw: String,
}

/// Policies that cannot be written or deleted.
const IMMUTABLE: [&str; 2] = ["root", "response-wrapping"];

/// The store.
pub struct PolicyStore {
    view: BarrierView,
    policies: RwLock<HashMap<String, Arc<Policy>>>,
    acls: RwLock<HashMap<Vec<String>, Arc<Acl>>>,
}

impl PolicyStore {
    /// Opens the store over `sys/policy/`, installing the `default` policy on first use.
    pub async fn open(view: BarrierView) -> Result<Self, PolicyStoreError> {
        let store = Self {
            view,
            policies: RwLock::new(HashMap::new()),
            acls: RwLock::new(HashMap::new()),
        };
        if store.view.get("default").await?.is_none() {
            store.put("default", DEFAULT_POLICY).await?;
        }
        Ok(store)
    }

    /// The policy `name`, if it exists (`root` is built in and has no document).
    pub async fn get(&self, name: &str) -> Result<Option<Arc<Policy>>, PolicyStoreError> {
        if let Some(p) = self.read_cache().get(name) {
            return Ok(Some(p.clone()));
        }
        let Some(bytes) = self.view.get(name).await? else {
            return Ok(None);
        };
        let stored: Stored =
            serde_json::from_slice(&bytes).map_err(|e| PolicyStoreError::Corrupt(e.to_string()))?;
        let policy = Arc::new(parse(name, &stored.raw)?);
        self.policies
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name.to_owned(), policy.clone());
        Ok(Some(policy))
    }

    fn read_cache(&self) -> std::sync::RwLockReadGuard<'_, HashMap<String, Arc<Policy>>> {
        self.policies.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether `name` exists (`root` always does).
    pub async fn exists(&self, name: &str) -> Result<bool, PolicyStoreError> {
        Ok(name == "root" || self.get(name).await?.is_some())
    }

    /// Parses and stores a policy; nothing is written when it does not parse.
    pub async fn set(&self, name: &str, raw: &str) -> Result<(), PolicyStoreError> {
        if IMMUTABLE.contains(&name) {
            return Err(PolicyStoreError::Refused(format!(
                "cannot update \"{name}\" policy"
            )));
        }
        self.put(name, raw).await
    }

    async fn put(&self, name: &str, raw: &str) -> Result<(), PolicyStoreError> {
        let policy = Arc::new(parse(name, raw)?);
        let stored = Stored {
            name: name.to_owned(),
            raw: raw.to_owned(),
        };
        let bytes =
            serde_json::to_vec(&stored).map_err(|e| PolicyStoreError::Corrupt(e.to_string()))?;
        self.view.put(name, &bytes).await?;
        self.policies
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name.to_owned(), policy);
        self.forget_acls();
        Ok(())
    }

    /// Deletes a policy (`root`, `default` and `response-wrapping` cannot be deleted).
    pub async fn delete(&self, name: &str) -> Result<(), PolicyStoreError> {
        if IMMUTABLE.contains(&name) || name == "default" {
            return Err(PolicyStoreError::Refused(format!(
                "cannot delete \"{name}\" policy"
            )));
        }
        self.view.delete(name).await?;
        self.policies
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(name);
        self.forget_acls();
        Ok(())
    }

    fn forget_acls(&self) {
        self.acls.write().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// Stored policy names, sorted (without `root`).
    pub async fn list(&self) -> Result<Vec<String>, PolicyStoreError> {
        let mut names = self.view.list("").await?;
        names.retain(|n| !n.ends_with('/'));
        names.sort();
        Ok(names)
    }

    /// The ACL for a token's policies. Missing policies grant nothing, as in Vault.
    pub async fn acl(&self, policies: &[String]) -> Result<Arc<Acl>, PolicyStoreError> {
        if policies.iter().any(|p| p == "root") {
            return Ok(Arc::new(Acl::root()));
        }
        if let Some(acl) = self
            .acls
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(policies)
        {
            return Ok(acl.clone());
        }
        let mut loaded = Vec::new();
        for name in policies {
            if let Some(p) = self.get(name).await? {
                loaded.push(p);
            }
        }
        let refs: Vec<&Policy> = loaded.iter().map(|p| &**p).collect();
        let acl = Arc::new(Acl::new(&refs));
        self.acls
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(policies.to_vec(), acl.clone());
        Ok(acl)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::barrier::Barrier;
    use crate::logical::Operation;
    use crate::random::random_key;
    use crate::storage::{Backend, InmemBackend};

    async fn store() -> PolicyStore {
        let storage: Arc<dyn Backend> = Arc::new(InmemBackend::new());
        let barrier = Arc::new(Barrier::new(storage));
        let root = random_key(32);
        barrier.initialize(&root, None).await.unwrap();
        barrier.unseal(&root).await.unwrap();
        PolicyStore::open(BarrierView::new(barrier, "sys/policy/"))
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn policies_round_trip_and_change_the_acl() {
        let store = store().await;
        assert_eq!(store.list().await.unwrap(), ["default"]);
        let tutorial = r#"path "database/creds/readonly" { capabilities = ["read"] }"#;
        store.set("apps", tutorial).await.unwrap();
        let names = vec!["apps".to_owned(), "default".to_owned()];
        let acl = store.acl(&names).await.unwrap();
        assert!(acl.allows("database/creds/readonly", Operation::Read, false));
        assert!(!acl.allows("sys/mounts", Operation::Read, false));
        assert!(acl.allows("auth/token/lookup-self", Operation::Read, false));

        // A change is seen by the next ACL built.
        store
            .set("apps", r#"path "sys/mounts" { capabilities = ["read"] }"#)
            .await
            .unwrap();
        let acl = store.acl(&names).await.unwrap();
        assert!(acl.allows("sys/mounts", Operation::Read, false));
        assert!(!acl.allows("database/creds/readonly", Operation::Read, false));
    }

    #[tokio::test]
    async fn bad_documents_and_protected_names_change_nothing() {
        let store = store().await;
        store
            .set("apps", r#"path "a" { capabilities = ["read"] }"#)
            .await
            .unwrap();
        let err = store
            .set("apps", "path \"a\" {\n  capabilities = [\"reed\"]\n}")
            .await
            .unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
        let acl = store.acl(&["apps".into()]).await.unwrap();
        assert!(acl.allows("a", Operation::Read, false));
        assert_eq!(
            store.set("root", "").await.unwrap_err().to_string(),
            "cannot update \"root\" policy"
        );
        assert_eq!(
            store.delete("default").await.unwrap_err().to_string(),
            "cannot delete \"default\" policy"
        );
        store.delete("apps").await.unwrap();
        assert!(!store.exists("apps").await.unwrap());
        assert!(store.exists("root").await.unwrap());
    }
}

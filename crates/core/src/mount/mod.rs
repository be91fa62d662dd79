//! The mount tables and the router that maps request paths to backends.
//!
//! Two tables are stored through the barrier, as in Vault: secrets engines at `core/mounts`
//! (`sys/`, `secret/`, ...) and auth methods at `core/auth` (`token/`, routed as
//! `auth/token/`). Each mount gets its own storage view, `logical/<uuid>/` or `auth/<uuid>/`
//! (`sys/` for the system backend), so unmounting can erase exactly its data.

mod entry;

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use serde::{Deserialize, Serialize};

use crate::barrier::{Barrier, BarrierError, BarrierView};
use crate::error::{Classify, ErrorKind};
use crate::logical;

pub use entry::{MountConfig, MountEntry, Table};

/// Where the secrets-engine table is stored.
pub const MOUNT_TABLE_PATH: &str = "core/mounts";
/// Where the auth-method table is stored.
pub const AUTH_TABLE_PATH: &str = "core/auth";

/// Errors from mount management.
#[derive(Debug, thiserror::Error)]
pub enum MountError {
    /// The request names an invalid path, type or option; the message says which.
    #[error("{0}")]
    Invalid(String),
    /// Another mount already covers the path.
    #[error("path is already in use at {0}")]
    InUse(String),
    /// No mount at the path.
    #[error("no matching mount at {0:?}")]
    NotFound(String),
    /// A stored table could not be parsed.
    #[error("mount table is corrupt: {0}")]
    Corrupt(String),
    /// The barrier failed.
    #[error(transparent)]
    Barrier(#[from] BarrierError),
}

impl Classify for MountError {
    fn kind(&self) -> ErrorKind {
        match self {
            MountError::Invalid(_) | MountError::InUse(_) | MountError::NotFound(_) => {
                ErrorKind::InvalidRequest
            }
            MountError::Corrupt(_) => ErrorKind::Internal,
            MountError::Barrier(e) => e.kind(),
        }
    }
}

/// Who answers requests under a mount.
#[derive(Clone)]
pub enum Handler {
    /// The system backend, which needs the whole node and is dispatched by it.
    System,
    /// The token store, dispatched by the node with the lease manager and policies.
    Token,
    /// Any other backend.
    Backend(Arc<dyn logical::Backend>),
}

/// Builds the handler for a mount entry; `None` for a type this build does not provide.
pub type Factory = dyn Fn(&MountEntry) -> Option<Handler> + Send + Sync;

/// A mounted backend with its storage view.
#[derive(Clone)]
pub struct Route {
    /// The table entry.
    pub entry: MountEntry,
    /// The mount's storage.
    pub view: BarrierView,
    /// Who handles its requests.
    pub handler: Handler,
}

#[derive(Serialize, Deserialize)]
struct StoredTable {
    #[serde(rename = "type")]
    table_type: String,
    entries: Vec<MountEntry>,
}

/// The live mount tables and their routes.
pub struct Mounts {
    barrier: Arc<Barrier>,
    factory: Arc<Factory>,
    /// Serializes table changes so concurrent mounts cannot both claim a path.
    changes: tokio::sync::Mutex<()>,
    routes: RwLock<BTreeMap<String, Arc<Route>>>,
}

impl Mounts {
    /// Loads both tables, creating the defaults (`sys/`, `auth/token/`) on first use.
    pub async fn load(barrier: Arc<Barrier>, factory: Arc<Factory>) -> Result<Self, MountError> {
        let mounts = Self {
            barrier,
            factory,
            changes: tokio::sync::Mutex::new(()),
            routes: RwLock::new(BTreeMap::new()),
        };
        for table in [Table::Mounts, Table::Auth] {
            let entries = match mounts.read_table(table).await? {
                Some(entries) => entries,
                None => {
                    let defaults = entry::defaults(table);
                    mounts.write_table(table, &defaults).await?;
                    defaults
                }
            };
            for entry in entries {
                let route = mounts.build_route(entry)?;
                mounts.insert_route(route);
            }
        }
        Ok(mounts)
    }

    fn table_path(table: Table) -> &'static str {
        match table {
            Table::Mounts => MOUNT_TABLE_PATH,
            Table::Auth => AUTH_TABLE_PATH,
        }
    }

    async fn read_table(&self, table: Table) -> Result<Option<Vec<MountEntry>>, MountError> {
        let Some(bytes) = self.barrier.get(Self::table_path(table)).await? else {
            return Ok(None);
        };
        let stored: StoredTable =
            serde_json::from_slice(&bytes).map_err(|e| MountError::Corrupt(e.to_string()))?;
        Ok(Some(stored.entries))
    }

    async fn write_table(&self, table: Table, entries: &[MountEntry]) -> Result<(), MountError> {
        let stored = StoredTable {
            table_type: table.as_str().into(),
            entries: entries.to_vec(),
        };
        let bytes = serde_json::to_vec(&stored).map_err(|e| MountError::Corrupt(e.to_string()))?;
        self.barrier.put(Self::table_path(table), &bytes).await?;
        Ok(())
    }

    fn build_route(&self, entry: MountEntry) -> Result<Route, MountError> {
        let handler = (self.factory)(&entry).ok_or_else(|| {
            MountError::Corrupt(format!(
                "mount {} has type {:?}, which this build does not provide",
                entry.route_path(),
                entry.kind
            ))
        })?;
        let view = BarrierView::new(self.barrier.clone(), entry.storage_prefix());
        Ok(Route {
            entry,
            view,
            handler,
        })
    }

    fn insert_route(&self, route: Route) {
        let mut routes = self.routes.write().unwrap_or_else(|e| e.into_inner());
        routes.insert(route.entry.route_path(), Arc::new(route));
    }

    /// The route for `path` and the path relative to its mount.
    pub fn route(&self, path: &str) -> Option<(Arc<Route>, String)> {
        let routes = self.routes.read().unwrap_or_else(|e| e.into_inner());
        routes
            .iter()
            // `secret/x` is under `secret/`; `secret` names the mount itself.
            .filter(|(mount, _)| {
                path.starts_with(mount.as_str()) || mount.strip_suffix('/') == Some(path)
            })
            .max_by_key(|(mount, _)| mount.len())
            .map(|(mount, route)| {
                let relative = path.get(mount.len()..).unwrap_or("").to_owned();
                (route.clone(), relative)
            })
    }

    /// Every entry of `table`, sorted by path.
    pub fn entries(&self, table: Table) -> Vec<MountEntry> {
        let routes = self.routes.read().unwrap_or_else(|e| e.into_inner());
        routes
            .values()
            .filter(|r| r.entry.table == table)
            .map(|r| r.entry.clone())
            .collect()
    }

    /// Enables a secrets engine. The entry is validated, stored, then routed.
    pub async fn mount(&self, mut entry: MountEntry) -> Result<(), MountError> {
        entry.path = entry::normalize_path(&entry.path)?;
        entry::check_mountable(&entry)?;
        let _guard = self.changes.lock().await;
        let new_path = entry.route_path();
        if let Some(existing) = self.conflict(&new_path) {
            return Err(MountError::InUse(existing));
        }
        let route = self.build_route(entry.clone()).map_err(|_| {
            MountError::Invalid(format!("plugin not found in the catalog: {}", entry.kind))
        })?;
        let mut entries = self.entries(entry.table);
        entries.push(entry);
        self.write_table(route.entry.table, &entries).await?;
        self.insert_route(route);
        Ok(())
    }

    /// Changes the entry mounted at `path` (a route path such as `secret/`) and stores the
    /// table; the route is rebuilt so its handler sees the new entry.
    pub async fn update(
        &self,
        path: &str,
        change: impl FnOnce(&mut MountEntry),
    ) -> Result<(), MountError> {
        let _guard = self.changes.lock().await;
        let current = {
            let routes = self.routes.read().unwrap_or_else(|e| e.into_inner());
            routes.get(path).cloned()
        }
        .ok_or_else(|| MountError::NotFound(path.to_owned()))?;
        let mut entry = current.entry.clone();
        change(&mut entry);
        let table = entry.table;
        let entries: Vec<MountEntry> = self
            .entries(table)
            .into_iter()
            .map(|e| {
                if e.uuid == entry.uuid {
                    entry.clone()
                } else {
                    e
                }
            })
            .collect();
        let route = self.build_route(entry)?;
        self.write_table(table, &entries).await?;
        self.insert_route(route);
        Ok(())
    }

    fn conflict(&self, new_path: &str) -> Option<String> {
        let routes = self.routes.read().unwrap_or_else(|e| e.into_inner());
        routes
            .keys()
            .find(|existing| {
                existing.starts_with(new_path) || new_path.starts_with(existing.as_str())
            })
            .cloned()
    }

    /// Disables the secrets engine at `path` and erases its storage.
    pub async fn unmount(&self, path: &str) -> Result<(), MountError> {
        let path = entry::normalize_path(path)?;
        let _guard = self.changes.lock().await;
        let route = {
            let routes = self.routes.read().unwrap_or_else(|e| e.into_inner());
            routes.get(&path).cloned()
        }
        .filter(|r| r.entry.table == Table::Mounts)
        .ok_or_else(|| MountError::NotFound(path.clone()))?;
        if route.entry.is_builtin() {
            return Err(MountError::Invalid(format!("cannot unmount {path:?}")));
        }
        // Table first: once it is written the mount is gone even if erasing fails half-way
        // (the leftover data sits under a uuid nothing refers to).
        let remaining: Vec<MountEntry> = self
            .entries(Table::Mounts)
            .into_iter()
            .filter(|e| e.path != path)
            .collect();
        self.write_table(Table::Mounts, &remaining).await?;
        self.routes
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&path);
        erase(&route.view, "").await?;
        Ok(())
    }
}

/// Deletes every key below `prefix` in `view`, depth first.
async fn erase(view: &BarrierView, prefix: &str) -> Result<(), BarrierError> {
    for child in view.list(prefix).await? {
        let key = format!("{prefix}{child}");
        if child.ends_with('/') {
            Box::pin(erase(view, &key)).await?;
        } else {
            view.delete(&key).await?;
        }
    }
    Ok(())
}

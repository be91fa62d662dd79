//! The database secrets engine, with PostgreSQL (`postgresql-database-plugin`).
//!
//! Paths (Vault's): `config/:name` (connections), `roles/:name`, `creds/:role` (a new user under
//! a lease), `reset/:name`, `rotate-root/:name`. What differs from Vault, on purpose:
//! - a role's statements are tried in a rolled-back transaction before the role is stored;
//! - a credential's lease is written *before* its user is created (see `lease::Reservation`),
//!   so no crash can leave a user nobody will revoke;
//! - issuance and revocation run in parallel over a connection pool, each in one round trip;
//! - the default revocation also handles objects the user owns, and can end its sessions.

mod config;
mod creds;
mod pool;
mod postgres;
mod role;
mod statements;
pub mod template;
mod tls;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use sha2::{Digest, Sha256};

use crate::barrier::BarrierView;
use crate::logical::{
    Backend, BackendRequest, LeaseRequest, LogicalError, Operation, Renewal, Response,
};

use config::ConnectionConfig;
use pool::Pool;
use role::Role;

/// The engine for one mount. It holds only the connection pools; everything else is read from
/// storage per request, so nodes sharing one storage see each other's changes.
#[derive(Default)]
pub struct DatabaseBackend {
    pools: Mutex<HashMap<String, CachedPool>>,
}

/// A pool and the stored config it was built from (a hash, so a change made through another
/// node is noticed at the next use).
struct CachedPool {
    fingerprint: [u8; 32],
    pool: Arc<Pool>,
}

fn bad(message: impl Into<String>) -> LogicalError {
    LogicalError::InvalidRequest(message.into())
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> LogicalError {
    LogicalError::Internal(format!("stored {what} is corrupt: {e}"))
}

/// Vault's name rule for configs and roles: word characters, with `-` and `.` inside.
fn check_name(kind: &str, name: &str) -> Result<(), LogicalError> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let ok = !name.is_empty()
        && name.chars().all(|c| word(c) || c == '-' || c == '.')
        && name.starts_with(word)
        && name.ends_with(word);
    if ok {
        Ok(())
    } else {
        Err(bad(format!(
            "invalid {kind} name {name:?}: use letters, digits, '_', and '-' or '.' inside"
        )))
    }
}

/// A connection config as stored, with the hash of its bytes.
struct Loaded {
    config: ConnectionConfig,
    fingerprint: [u8; 32],
}

async fn load_config(storage: &BarrierView, name: &str) -> Result<Option<Loaded>, LogicalError> {
    let Some(bytes) = storage.get(&format!("config/{name}")).await? else {
        return Ok(None);
    };
    let config = serde_json::from_slice(&bytes).map_err(|e| corrupt("connection config", e))?;
    Ok(Some(Loaded {
        config,
        fingerprint: Sha256::digest(&bytes).into(),
    }))
}

async fn store_config(
    storage: &BarrierView,
    name: &str,
    config: &ConnectionConfig,
) -> Result<(), LogicalError> {
    let bytes = serde_json::to_vec(config).map_err(|e| LogicalError::Internal(e.to_string()))?;
    storage.put(&format!("config/{name}"), &bytes).await?;
    Ok(())
}

async fn load_role(storage: &BarrierView, name: &str) -> Result<Option<Role>, LogicalError> {
    let Some(bytes) = storage.get(&format!("role/{name}")).await? else {
        return Ok(None);
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| corrupt("role", e))
}

impl DatabaseBackend {
    /// A connection for the config `name`, from its pool (built or rebuilt as the stored config
    /// requires). A root password left pending by an interrupted rotation is tried when the
    /// stored one is refused, and adopted if it works.
    async fn connect(
        &self,
        storage: &BarrierView,
        name: &str,
        loaded: &Loaded,
    ) -> Result<pool::Conn, LogicalError> {
        let pool = self.pool_for(name, loaded)?;
        let first = match pool.get().await {
            Ok(conn) => return Ok(conn),
            Err(e) => e,
        };
        if let Some(pending) = &loaded.config.pending_password {
            let pool =
                Pool::new(&loaded.config.url_with(pending), loaded.config.limits()).map_err(bad)?;
            if let Ok(conn) = pool.get().await {
                let mut adopted = loaded.config.clone();
                adopted.password = pending.clone();
                adopted.pending_password = None;
                store_config(storage, name, &adopted).await?;
                self.forget(name);
                tracing::info!(config = name, "finished an interrupted root rotation");
                return Ok(conn);
            }
        }
        Err(LogicalError::Upstream(format!(
            "could not connect to database {name:?}: {first}"
        )))
    }

    fn pool_for(&self, name: &str, loaded: &Loaded) -> Result<Arc<Pool>, LogicalError> {
        let mut pools = self.pools.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(cached) = pools.get(name) {
            if cached.fingerprint == loaded.fingerprint {
                return Ok(cached.pool.clone());
            }
        }
        let config = &loaded.config;
        let pool = Pool::new(&config.url_with(&config.password), config.limits()).map_err(bad)?;
        pools.insert(
            name.to_owned(),
            CachedPool {
                fingerprint: loaded.fingerprint,
                pool: pool.clone(),
            },
        );
        Ok(pool)
    }

    /// Drops the cached pool of `name` (its idle connections close).
    fn forget(&self, name: &str) {
        self.pools
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(name);
    }

    async fn config_path(
        &self,
        req: &BackendRequest<'_>,
        name: &str,
    ) -> Result<Option<Response>, LogicalError> {
        check_name("connection", name)?;
        match req.operation {
            Operation::Read => Ok(load_config(req.storage, name)
                .await?
                .map(|l| Response::with_data(l.config.read_view()))),
            Operation::Delete => {
                req.storage.delete(&format!("config/{name}")).await?;
                self.forget(name);
                Ok(None)
            }
            Operation::Create | Operation::Update => {
                let f = req.fields();
                let existing = load_config(req.storage, name).await?.map(|l| l.config);
                let (config, warnings) = ConnectionConfig::merge(existing, &f)?;
                if f.boolean("verify_connection")?.unwrap_or(true) {
                    verify(&config).await?;
                }
                store_config(req.storage, name, &config).await?;
                self.forget(name);
                Ok((!warnings.is_empty()).then(|| Response {
                    warnings,
                    ..Response::default()
                }))
            }
            Operation::List => Err(LogicalError::UnsupportedOperation),
        }
    }

    async fn role_path(
        &self,
        req: &BackendRequest<'_>,
        name: &str,
    ) -> Result<Option<Response>, LogicalError> {
        check_name("role", name)?;
        let key = format!("role/{name}");
        match req.operation {
            Operation::Read => Ok(load_role(req.storage, name)
                .await?
                .map(|r| Response::with_data(r.read_view()))),
            Operation::Delete => {
                req.storage.delete(&key).await?;
                Ok(None)
            }
            Operation::Create | Operation::Update => {
                let existing = load_role(req.storage, name).await?;
                let role = Role::merge(existing, &req.fields())?;
                let Some(loaded) = load_config(req.storage, &role.db_name).await? else {
                    return Err(bad(format!(
                        "database {:?} does not exist: write database/config/{} first",
                        role.db_name, role.db_name
                    )));
                };
                let dry_run = req.fields().boolean("dry_run")?.unwrap_or(false);
                let mut conn = self.connect(req.storage, &role.db_name, &loaded).await?;
                let trial = creds::dry_run(&mut conn, name, &role).await?;
                if dry_run {
                    // Strongroom: what saving would have run, and that it worked; nothing saved.
                    let mut data = serde_json::Map::new();
                    data.insert("dry_run".into(), true.into());
                    data.insert("username".into(), trial.username.into());
                    data.insert("creation_statements".into(), trial.creation.into());
                    data.insert("revocation_statements".into(), trial.revocation.into());
                    return Ok(Some(Response::with_data(data)));
                }
                let bytes =
                    serde_json::to_vec(&role).map_err(|e| LogicalError::Internal(e.to_string()))?;
                req.storage.put(&key, &bytes).await?;
                Ok(None)
            }
            Operation::List => Err(LogicalError::UnsupportedOperation),
        }
    }

    async fn rotate_root(
        &self,
        req: &BackendRequest<'_>,
        name: &str,
    ) -> Result<Option<Response>, LogicalError> {
        check_name("connection", name)?;
        let Some(loaded) = load_config(req.storage, name).await? else {
            return Err(bad(format!("database {name:?} does not exist")));
        };
        let mut config = loaded.config.clone();
        if config.username.is_empty() {
            return Err(bad(
                "unable to rotate root credentials: no username in configuration",
            ));
        }
        if config.password.is_empty() {
            return Err(bad(
                "unable to rotate root credentials: no password in configuration",
            ));
        }
        let conn = self.connect(req.storage, name, &loaded).await?;
        let new_password = creds::generate_password(req.passwords, &config.password_policy).await?;
        // The write-ahead record: the new password is stored before PostgreSQL learns it.
        config.pending_password = Some(new_password.clone());
        store_config(req.storage, name, &config).await?;
        let statements = if config.root_rotation_statements.is_empty() {
            vec![statements::DEFAULT_ROOT_ROTATION.to_owned()]
        } else {
            config.root_rotation_statements.clone()
        };
        let sql = zeroize::Zeroizing::new(statements::render(
            &statements,
            &statements::Substitutions {
                name: &config.username,
                password: &new_password,
                expiration: "",
            },
        ));
        let result = postgres::run_batch(&conn, &sql).await;
        drop(conn);
        match result {
            Ok(()) => {
                config.password = new_password;
                config.pending_password = None;
            }
            Err(postgres::Failure::Refused(m)) => {
                config.pending_password = None;
                store_config(req.storage, name, &config).await?;
                let m = statements::redact(&m, &new_password);
                return Err(bad(format!("failed to rotate root credentials: {m}")));
            }
            // Unknown outcome: the pending password stays; the next connection sorts it out.
            Err(postgres::Failure::Broken(m)) => {
                let m = statements::redact(&m, &new_password);
                self.forget(name);
                return Err(LogicalError::Upstream(format!(
                    "failed to rotate root credentials: {m}"
                )));
            }
        }
        store_config(req.storage, name, &config).await?;
        self.forget(name);
        Ok(None)
    }
}

/// `verify_connection`: connect with the new config and run a query.
async fn verify(config: &ConnectionConfig) -> Result<(), LogicalError> {
    let failed = |e: String| {
        bad(format!(
            "error creating database object: error verifying connection: {e}"
        ))
    };
    let url = config.url_with(&config.password);
    let pool = Pool::new(&url, config.limits()).map_err(failed)?;
    let conn = pool.get().await.map_err(failed)?;
    conn.simple_query("SELECT 1")
        .await
        .map_err(|e| failed(pool::describe(&e)))?;
    Ok(())
}

/// Splits `kind/name` (a trailing `/` on a list is allowed).
fn split_path(path: &str) -> (&str, &str) {
    match path.split_once('/') {
        Some((kind, rest)) => (kind, rest.trim_end_matches('/')),
        None => (path, ""),
    }
}

#[async_trait]
impl Backend for DatabaseBackend {
    async fn handle(&self, req: &BackendRequest<'_>) -> Result<Option<Response>, LogicalError> {
        let (kind, name) = split_path(req.path);
        match (kind, name, req.operation) {
            ("config", "", Operation::List) => {
                Ok(Some(Response::list(req.storage.list("config/").await?)))
            }
            ("roles", "", Operation::List) => {
                Ok(Some(Response::list(req.storage.list("role/").await?)))
            }
            ("config", name, _) if !name.is_empty() => self.config_path(req, name).await,
            ("roles", name, _) if !name.is_empty() => self.role_path(req, name).await,
            ("creds", name, Operation::Read) if !name.is_empty() => {
                creds::issue(self, req, name).await.map(Some)
            }
            ("reset", name, Operation::Update | Operation::Create) if !name.is_empty() => {
                check_name("connection", name)?;
                if load_config(req.storage, name).await?.is_none() {
                    return Err(bad(format!("database {name:?} does not exist")));
                }
                self.forget(name);
                Ok(None)
            }
            ("rotate-root", name, Operation::Update | Operation::Create) if !name.is_empty() => {
                self.rotate_root(req, name).await
            }
            ("config" | "roles" | "creds" | "reset" | "rotate-root", _, _) => {
                Err(LogicalError::UnsupportedOperation)
            }
            _ => Err(LogicalError::UnsupportedPath(req.path.to_owned())),
        }
    }

    async fn exists(&self, req: &BackendRequest<'_>) -> Result<Option<bool>, LogicalError> {
        let key = match split_path(req.path) {
            ("config", name) if !name.is_empty() => format!("config/{name}"),
            ("roles", name) if !name.is_empty() => format!("role/{name}"),
            _ => return Ok(None),
        };
        Ok(Some(req.storage.get(&key).await?.is_some()))
    }

    async fn renew(&self, req: &LeaseRequest<'_>) -> Result<Renewal, LogicalError> {
        creds::renew(self, req).await
    }

    async fn revoke(&self, req: &LeaseRequest<'_>) -> Result<(), LogicalError> {
        creds::revoke(self, req).await
    }
}

//! A front end's hold on the core: a config file that may not exist yet, and the node it
//! runs once it does.
//!
//! The desktop app and `strongroom server -setup` start a [`Host`] in *setup mode* when there is
//! no config: the API then offers only `sys/setup/*`, and applying the wizard's answers writes
//! the config and starts the node in the same process, with no restart. With a config, the
//! host runs the node straight away. Either way front ends serve [`crate::http::host_router`].

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use axum::Router;

use crate::config::{Config, ConfigError, SealConfig, StorageConfig};
use crate::node::Node;
use crate::setup::form::{credentials_entry, credentials_from_entry};
use crate::setup::{self, BlockForm, PlanOptions, SecretStore, SetupError};
use crate::storage::StorageError;

/// How a host finds and writes its configuration.
pub struct HostOptions {
    /// The HCL config file (may not exist yet).
    pub config_path: PathBuf,
    /// The database file `local` storage uses when the wizard names none.
    pub local_path: PathBuf,
    /// Where AWS keys go instead of the file (the desktop's keychain); `None`: into the file.
    pub secrets: Option<Arc<dyn SecretStore>>,
    /// The listener address to write into a config made by setup (the server's own).
    pub listener: Option<String>,
    /// Whether a config made by setup turns the web UI on (`ui = true`).
    pub ui: bool,
}

/// A node the host runs, with its config and API router.
pub struct Running {
    /// The node.
    pub node: Arc<Node>,
    /// The config it runs with.
    pub config: Config,
    /// Its Vault API router.
    pub router: Router,
}

/// Why a host could not start.
#[derive(Debug, thiserror::Error)]
pub enum HostError {
    /// The config file is invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The storage could not be opened.
    #[error("Error initializing storage: {0}")]
    Storage(#[from] StorageError),
    /// The keychain could not be read.
    #[error("cannot read the AWS keys from the keychain: {0}")]
    Secrets(String),
}

/// The core as a front end holds it: set up or not, running or not.
pub struct Host {
    options: Option<HostOptions>,
    running: RwLock<Option<Arc<Running>>>,
    /// Serializes setup: two browser tabs finishing the wizard at once must not both write.
    applying: tokio::sync::Mutex<()>,
}

/// What `GET sys/setup` reports.
#[derive(Debug, serde::Serialize)]
pub struct SetupStatus {
    /// Whether a config exists and its node runs.
    pub configured: bool,
    /// The config file.
    pub config_path: Option<PathBuf>,
    /// Where local storage goes by default.
    pub local_path: Option<PathBuf>,
    /// Whether AWS keys go to a keychain rather than the file.
    pub keychain: bool,
}

/// What applying the wizard's answers did (or would do, for a dry run).
#[derive(Debug, serde::Serialize)]
pub struct Applied {
    /// The file written.
    pub config_path: PathBuf,
    /// Its text, with secrets redacted.
    pub hcl: String,
}

impl Host {
    /// Opens the host: runs the node when `options.config_path` exists, else waits in setup
    /// mode. Starting the node sends nothing to KMS yet (auto-unseal starts in the background).
    pub async fn open(options: HostOptions) -> Result<Arc<Self>, HostError> {
        let running = if options.config_path.exists() {
            let mut config = Config::load(&options.config_path)?;
            if let Some(store) = &options.secrets {
                add_stored_credentials(&mut config, store.as_ref())?;
            }
            Some(start(config).await?)
        } else {
            None
        };
        Ok(Arc::new(Self {
            options: Some(options),
            running: RwLock::new(running),
            applying: tokio::sync::Mutex::new(()),
        }))
    }

    /// A host running `config` with no file behind it (`-dev`): setup is never offered.
    pub async fn with_config(config: Config) -> Result<Arc<Self>, StorageError> {
        Ok(Arc::new(Self {
            options: None,
            running: RwLock::new(Some(start(config).await?)),
            applying: tokio::sync::Mutex::new(()),
        }))
    }

    /// The running node, once there is a config.
    pub fn running(&self) -> Option<Arc<Running>> {
        self.running
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// What the wizard needs to know first. Paths are shown only while setting up: the
    /// endpoint is unauthenticated, and afterwards nobody needs them from it.
    pub fn status(&self) -> SetupStatus {
        let setting_up = self.options.as_ref().filter(|_| self.running().is_none());
        SetupStatus {
            configured: setting_up.is_none(),
            config_path: setting_up.map(|o| o.config_path.clone()),
            local_path: setting_up.map(|o| o.local_path.clone()),
            keychain: self.options.as_ref().is_some_and(|o| o.secrets.is_some()),
        }
    }

    /// The options, while setup is still possible.
    fn setup_options(&self) -> Result<&HostOptions, SetupError> {
        match (&self.options, self.running()) {
            (Some(options), None) => Ok(options),
            (Some(options), Some(_)) => Err(SetupError::general(format!(
                "Strongroom is already configured ({}): setup is only for the first run",
                options.config_path.display()
            ))),
            (None, _) => Err(SetupError::general(
                "this server runs without a config file (-dev): there is nothing to set up",
            )),
        }
    }

    /// How plans are rendered for this host.
    fn plan_options(options: &HostOptions) -> PlanOptions<'_> {
        PlanOptions {
            local_path: &options.local_path,
            keychain: options.secrets.is_some(),
            listener: options.listener.as_deref(),
            ui: options.ui,
        }
    }

    /// `POST sys/setup/storage/test` and `.../create-table`.
    pub async fn check_storage(
        &self,
        body: &serde_json::Value,
        create: bool,
    ) -> Result<setup::StorageCheck, SetupError> {
        let options = self.setup_options()?;
        setup::check_storage(body, &Self::plan_options(options), &process_env, create).await
    }

    /// `POST sys/setup/seal/test`.
    pub async fn check_seal(
        &self,
        body: &serde_json::Value,
    ) -> Result<serde_json::Value, SetupError> {
        let options = self.setup_options()?;
        setup::check_seal(body, &Self::plan_options(options), &process_env).await
    }

    /// `POST sys/setup/iam`.
    pub fn iam_documents(
        &self,
        storage: &serde_json::Value,
        seal: &serde_json::Value,
    ) -> Result<serde_json::Value, SetupError> {
        let options = self.setup_options()?;
        setup::iam_documents(storage, seal, &Self::plan_options(options), &process_env)
    }

    /// `POST sys/setup/config`: checks the answers, then (unless `dry_run`) stores the keys,
    /// writes the config file and starts the node. A failure at any step undoes the earlier
    /// ones, so a retry starts from a clean slate.
    pub async fn apply(
        &self,
        storage: &serde_json::Value,
        seal: &serde_json::Value,
        dry_run: bool,
    ) -> Result<Applied, SetupError> {
        let _guard = self.applying.lock().await;
        let options = self.setup_options()?;
        let plan = setup::form::plan(
            &BlockForm::from_json("storage", storage)?,
            &BlockForm::from_json("seal", seal)?,
            &Self::plan_options(options),
            &process_env,
        )?;
        let applied = Applied {
            config_path: options.config_path.clone(),
            hcl: plan.shown_text.clone(),
        };
        if dry_run {
            return Ok(applied);
        }
        let store = options.secrets.as_deref();
        let undo = |store: Option<&dyn SecretStore>| {
            for (name, _) in &plan.secrets {
                if let Some(store) = store {
                    let _ = store.delete(name);
                }
            }
        };
        for (name, value) in &plan.secrets {
            if let Some(store) = store {
                if let Err(e) = store.set(name, value) {
                    undo(Some(store));
                    return Err(SetupError::field(
                        "credentials",
                        format!("cannot keep the AWS keys in the keychain: {e}"),
                    ));
                }
            }
        }
        if let Err(e) = write_new_file(&options.config_path, &plan.file_text) {
            undo(store);
            return Err(SetupError::general(e));
        }
        match start(plan.config).await {
            Ok(running) => {
                *self
                    .running
                    .write()
                    .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(running);
                tracing::info!(config = %options.config_path.display(), "setup complete: config written, node started");
                Ok(applied)
            }
            Err(e) => {
                let _ = std::fs::remove_file(&options.config_path);
                undo(store);
                Err(SetupError::general(format!(
                    "the configuration is valid but the node could not start, so nothing was \
                     saved: {e}"
                )))
            }
        }
    }

    /// Seals the node and closes storage.
    pub async fn shutdown(&self) {
        if let Some(running) = self.running() {
            running.node.shutdown().await;
        }
    }
}

/// Starts a (sealed) node for `config` and begins auto-unseal when the seal is KMS.
async fn start(config: Config) -> Result<Arc<Running>, StorageError> {
    let node = config.open_node().await?;
    tracing::info!(
        storage = node.storage_type(),
        seal = config.seal.type_name(),
        "core started"
    );
    node.start_auto_unseal();
    let router = crate::http::router(node.clone());
    Ok(Arc::new(Running {
        node,
        config,
        router,
    }))
}

/// Gives blocks without keys in the file the keys the keychain holds for them.
fn add_stored_credentials(config: &mut Config, store: &dyn SecretStore) -> Result<(), HostError> {
    let stored = |block: &str| -> Result<_, HostError> {
        Ok(store
            .get(&credentials_entry(block))
            .map_err(HostError::Secrets)?
            .and_then(|json| credentials_from_entry(&json)))
    };
    if let StorageConfig::DynamoDb(settings) = &mut config.storage {
        if settings.credentials.is_none() {
            settings.credentials = stored("storage")?;
        }
    }
    if let SealConfig::AwsKms(settings) = &mut config.seal {
        if settings.credentials.is_none() {
            settings.credentials = stored("seal")?;
        }
    }
    Ok(())
}

/// Writes a new file readable by its owner only, refusing to replace one (another process
/// may have finished setup meanwhile). The text goes to a temporary file first, so the config
/// is never seen half-written.
fn write_new_file(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    let fail = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(fail)?;
    let mut temp = tempfile_in(dir).map_err(fail)?;
    temp.1.write_all(text.as_bytes()).map_err(fail)?;
    temp.1.sync_all().map_err(fail)?;
    // hard_link fails if the target exists: the create-only rename.
    let linked = std::fs::hard_link(&temp.0, path);
    let _ = std::fs::remove_file(&temp.0);
    linked.map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => format!(
            "{} appeared while setup was running; restart the app to use it",
            path.display()
        ),
        _ => fail(e),
    })
}

/// A new, owner-only temporary file in `dir`.
fn tempfile_in(dir: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    let path = dir.join(format!(".strongroom-setup-{}.tmp", uuid::Uuid::new_v4()));
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    Ok((path.clone(), open.open(&path)?))
}

/// The process environment, which beats the file for some AWS settings (as in Vault).
fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::HashMap;
    use std::sync::Mutex;

    #[derive(Default)]
    struct MemoryStore(Mutex<HashMap<String, String>>);

    impl SecretStore for MemoryStore {
        fn get(&self, name: &str) -> Result<Option<zeroize::Zeroizing<String>>, String> {
            Ok(self.0.lock().unwrap().get(name).cloned().map(Into::into))
        }
        fn set(&self, name: &str, value: &str) -> Result<(), String> {
            self.0.lock().unwrap().insert(name.into(), value.into());
            Ok(())
        }
        fn delete(&self, name: &str) -> Result<(), String> {
            self.0.lock().unwrap().remove(name);
            Ok(())
        }
    }

    fn options(dir: &Path, secrets: Option<Arc<dyn SecretStore>>) -> HostOptions {
        HostOptions {
            config_path: dir.join("cfg/strongroom.hcl"),
            local_path: dir.join("data/strongroom.db"),
            secrets,
            listener: None,
            ui: false,
        }
    }

    #[tokio::test]
    async fn setup_writes_the_config_starts_the_node_and_is_then_closed() {
        let dir = tempfile::tempdir().unwrap();
        let host = Host::open(options(dir.path(), None)).await.unwrap();
        assert!(!host.status().configured);
        let local = json!({"type": "local"});
        let shamir = json!({"type": "shamir"});
        let preview = host.apply(&local, &shamir, true).await.unwrap();
        assert!(preview.hcl.contains("strongroom.db"));
        assert!(
            !dir.path().join("cfg/strongroom.hcl").exists(),
            "dry run writes nothing"
        );

        host.apply(&local, &shamir, false).await.unwrap();
        assert!(host.status().configured);
        assert_eq!(host.status().config_path, None, "no paths once set up");
        let written = dir.path().join("cfg/strongroom.hcl");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&written).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let config = Config::load(&written).unwrap();
        assert_eq!(
            config.storage,
            StorageConfig::Local {
                path: dir.path().join("data/strongroom.db")
            }
        );
        let err = host.apply(&local, &shamir, false).await.unwrap_err();
        assert!(err.message.contains("already configured"), "{err}");
        assert!(host.check_storage(&local, false).await.is_err());
        host.shutdown().await;

        // Restarting finds the config and runs the node at once.
        let again = Host::open(options(dir.path(), None)).await.unwrap();
        assert!(again.running().is_some());
        again.shutdown().await;
    }

    #[tokio::test]
    async fn a_node_that_cannot_start_leaves_no_file_and_no_keys() {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<MemoryStore> = Arc::default();
        let host = Host::open(options(dir.path(), Some(store.clone())))
            .await
            .unwrap();
        // A directory where the database file should be: the store cannot open.
        let blocked = dir.path().join("blocked.db");
        std::fs::create_dir_all(&blocked).unwrap();
        let storage = json!({"type": "local", "path": blocked.display().to_string()});
        let err = host
            .apply(&storage, &json!({"type": "shamir"}), false)
            .await
            .unwrap_err();
        assert!(err.message.contains("nothing was saved"), "{err}");
        assert!(!dir.path().join("cfg/strongroom.hcl").exists());
        assert!(store.0.lock().unwrap().is_empty());
        assert!(!host.status().configured);
    }

    #[test]
    fn stored_keys_fill_blocks_without_keys() {
        let store = MemoryStore::default();
        store
            .set("seal.aws", r#"{"access_key":"AKIAX","secret_key":"shh"}"#)
            .unwrap();
        let mut config = Config::parse(
            "storage \"inmem\" {}\nseal \"awskms\" {\n  kms_key_id = \"alias/k\"\n}\n",
            "t",
        )
        .unwrap();
        add_stored_credentials(&mut config, &store).unwrap();
        let SealConfig::AwsKms(settings) = &config.seal else {
            panic!("awskms")
        };
        assert_eq!(settings.credentials.as_ref().unwrap().access_key, "AKIAX");
    }
}

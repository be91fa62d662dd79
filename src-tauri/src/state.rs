//! The core as the desktop app hosts it: one node over the local store, configured by an HCL
//! file in the OS config directory (the same format `strongroom server -config` reads).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use strongroom_core::config::{render_local, Config};
use strongroom_core::node::Node;

use crate::error::CommandError;

/// Name of the config file inside the app's config directory.
const CONFIG_FILE: &str = "strongroom.hcl";

/// A running core.
pub struct Core {
    pub node: Arc<Node>,
    pub router: axum::Router,
}

/// What the app manages: the core, or why it could not start (shown by the UI).
pub struct AppState {
    pub core: Result<Core, CommandError>,
}

/// Reads the app's config, writing the first-run default (embedded local storage in
/// `data_dir`, Shamir seal) when there is none.
fn load_or_create_config(config_dir: &Path, data_dir: &Path) -> Result<(PathBuf, Config), String> {
    let path = config_dir.join(CONFIG_FILE);
    if !path.exists() {
        std::fs::create_dir_all(config_dir)
            .and_then(|()| std::fs::write(&path, render_local(&data_dir.join("strongroom.db"))))
            .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    }
    let config = Config::load(&path).map_err(|e| e.to_string())?;
    Ok((path, config))
}

impl AppState {
    /// Opens the configured storage and starts a (sealed) node.
    pub async fn open(config_dir: PathBuf, data_dir: PathBuf) -> Self {
        let core = async {
            let (path, config) = load_or_create_config(&config_dir, &data_dir)?;
            let node = config.open_node().await.map_err(|e| e.to_string())?;
            tracing::info!(
                config = %path.display(),
                storage = node.storage_type(),
                seal = config.seal.type_name(),
                "core started"
            );
            node.start_auto_unseal();
            let router = strongroom_core::http::router(node.clone());
            Ok::<_, String>(Core { node, router })
        }
        .await
        .map_err(|message| {
            tracing::error!(%message, "core failed to start");
            CommandError::Startup(message)
        });
        Self { core }
    }

    /// Seals the node and closes storage.
    pub async fn shutdown(&self) {
        if let Ok(core) = &self.core {
            core.node.shutdown().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strongroom_core::config::StorageConfig;

    #[test]
    fn first_run_writes_a_config_the_server_can_read() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data \"quoted\" \\dir");
        let (path, config) = load_or_create_config(&dir.path().join("cfg"), &data).unwrap();
        assert!(path.ends_with("cfg/strongroom.hcl"));
        assert_eq!(
            config.storage,
            StorageConfig::Local {
                path: data.join("strongroom.db")
            }
        );
        assert!(
            config.listeners.is_empty(),
            "the desktop opens no TCP port by default"
        );
    }

    #[test]
    fn an_invalid_config_is_reported_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "storage \"local\" {\n  pth = 1\n}\n",
        )
        .unwrap();
        let err = load_or_create_config(dir.path(), dir.path()).unwrap_err();
        assert!(
            err.ends_with(
                "strongroom.hcl:2: storage \"local\": unknown key \"pth\" (known keys: path)"
            ),
            "{err}"
        );
    }
}

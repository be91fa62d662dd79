//! What the app holds: the core's [`Host`] (running, or waiting for the setup wizard) with its
//! config in the OS config directory, the keychain, the clipboard and the optional listener.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use strongroom_core::host::{Host, HostOptions};

use crate::clipboard::Clipboard;
use crate::error::CommandError;
use crate::keychain::Keychain;
use crate::listener::Listener;
use crate::settings::{self, DesktopSettings};

/// Name of the core's config file inside the app's config directory.
pub const CONFIG_FILE: &str = "strongroom.hcl";

/// The app's state.
pub struct AppState {
    /// The core, or why it could not start (shown by the UI).
    pub host: Result<Arc<Host>, CommandError>,
    /// The API router over the host, built once.
    pub router: Option<axum::Router>,
    pub keychain: Keychain,
    pub clipboard: Clipboard,
    pub listener: Mutex<ListenerSlot>,
    pub settings_path: PathBuf,
}

/// The listener, if running, the address it serves or would (as saved), and the last error
/// starting it.
#[derive(Default)]
pub struct ListenerSlot {
    pub running: Option<Listener>,
    pub address: String,
    pub error: Option<String>,
}

/// The host options for the app's directories.
pub fn host_options(config_dir: &std::path::Path, data_dir: &std::path::Path) -> HostOptions {
    HostOptions {
        config_path: config_dir.join(CONFIG_FILE),
        local_path: data_dir.join("strongroom.db"),
        secrets: Some(Arc::new(Keychain)),
        listener: None,
        ui: false,
    }
}

impl AppState {
    /// Opens the core: it runs when the config exists, else waits for the wizard. Starts the
    /// loopback listener when the settings say so.
    pub async fn open(config_dir: PathBuf, data_dir: PathBuf) -> Self {
        let host = Host::open(host_options(&config_dir, &data_dir))
            .await
            .map_err(|e| {
                let message = e.to_string();
                tracing::error!(%message, "core failed to start");
                CommandError::Startup(message)
            });
        let settings_path = settings::path(&config_dir);
        let router = host
            .as_ref()
            .ok()
            .map(|h| strongroom_core::http::host_router(h.clone(), None));
        let state = Self {
            host,
            router,
            keychain: Keychain,
            clipboard: Clipboard::default(),
            listener: Mutex::new(ListenerSlot::default()),
            settings_path,
        };
        let saved = DesktopSettings::load(&state.settings_path);
        state
            .listener
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .address
            .clone_from(&saved.listener_address);
        if saved.listener_enabled {
            if let Ok(host) = &state.host {
                let started = Listener::start(host.clone(), &saved.listener_address).await;
                let mut slot = state.listener.lock().unwrap_or_else(|p| p.into_inner());
                match started {
                    Ok(listener) => slot.running = Some(listener),
                    Err(e) => slot.error = Some(e),
                }
            }
        }
        state
    }

    /// The host, or the startup error for the UI.
    pub fn host(&self) -> Result<&Arc<Host>, CommandError> {
        self.host.as_ref().map_err(Clone::clone)
    }

    /// The API router, or the startup error for the UI.
    pub fn router(&self) -> Result<axum::Router, CommandError> {
        self.host()?;
        self.router
            .clone()
            .ok_or_else(|| CommandError::Internal("the API is not available".into()))
    }

    /// Stops the listener, seals the node and closes storage.
    pub async fn shutdown(&self) {
        self.listener
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .running
            .take();
        if let Ok(host) = &self.host {
            host.shutdown().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_lives_in_the_config_dir_and_data_in_the_data_dir() {
        let options = host_options(std::path::Path::new("/cfg"), std::path::Path::new("/data"));
        assert_eq!(options.config_path, PathBuf::from("/cfg/strongroom.hcl"));
        assert_eq!(options.local_path, PathBuf::from("/data/strongroom.db"));
        assert!(options.secrets.is_some(), "AWS keys go to the keychain");
        assert!(
            options.listener.is_none(),
            "no TCP port unless the user turns it on"
        );
    }
}

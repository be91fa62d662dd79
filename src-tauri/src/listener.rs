//! The optional loopback listener: the same API the webview uses, on `127.0.0.1`, so that
//! `VAULT_ADDR` works for the `vault`/`bao` CLI and scripts on this computer. Off by default.

use std::sync::Arc;

use serde::Serialize;
use strongroom_core::host::Host;
use tokio::sync::oneshot;

use crate::settings::check_loopback;

/// What the settings page shows.
#[derive(Debug, Clone, Serialize)]
pub struct ListenerStatus {
    /// Whether it is serving.
    pub enabled: bool,
    /// The address it serves (or would).
    pub address: String,
    /// Why it is not serving though asked to (port taken, ...).
    pub error: Option<String>,
}

/// A running listener: stopping it ends the server task.
pub struct Listener {
    address: String,
    stop: Option<oneshot::Sender<()>>,
}

impl Listener {
    /// Binds `address` (loopback only) and serves `host`'s API on it.
    pub async fn start(host: Arc<Host>, address: &str) -> Result<Self, String> {
        let socket = check_loopback(address)?;
        let listener = tokio::net::TcpListener::bind(socket)
            .await
            .map_err(|e| format!("cannot listen on {socket}: {e}"))?;
        let (stop, stopped) = oneshot::channel::<()>();
        let app = strongroom_core::http::host_router(host, None);
        tauri::async_runtime::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
            if let Err(e) = served {
                tracing::error!(error = %e, "loopback listener failed");
            }
        });
        tracing::info!(address = %socket, "loopback listener started");
        Ok(Self {
            address: socket.to_string(),
            stop: Some(stop),
        })
    }

    /// The address it serves.
    pub fn address(&self) -> &str {
        &self.address
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
            tracing::info!(address = %self.address, "loopback listener stopped");
        }
    }
}

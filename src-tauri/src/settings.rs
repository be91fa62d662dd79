//! The desktop app's own settings (`desktop.json` beside the core's HCL config): what only the
//! app has, such as the optional loopback listener. The core's config stays exactly what
//! `strongroom server -config` reads.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The listener address offered by default: Vault's.
pub const DEFAULT_ADDRESS: &str = "127.0.0.1:8200";

/// The app's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DesktopSettings {
    /// Whether the loopback listener runs.
    pub listener_enabled: bool,
    /// Its address (loopback only).
    pub listener_address: String,
}

impl Default for DesktopSettings {
    fn default() -> Self {
        Self {
            listener_enabled: false,
            listener_address: DEFAULT_ADDRESS.to_owned(),
        }
    }
}

/// Where the settings live.
pub fn path(config_dir: &Path) -> PathBuf {
    config_dir.join("desktop.json")
}

impl DesktopSettings {
    /// Reads the settings; a missing or unreadable file gives the defaults (and is logged).
    pub fn load(path: &Path) -> Self {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                tracing::warn!(file = %path.display(), error = %e, "ignoring unreadable settings");
                Self::default()
            }),
            Err(_) => Self::default(),
        }
    }

    /// Writes the settings.
    pub fn save(&self, path: &Path) -> Result<(), String> {
        let text = serde_json::to_vec_pretty(self).map_err(|e| e.to_string())?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    }
}

/// Checks that `address` is `host:port` on a loopback interface: the listener exists for
/// local tools, and must never expose the API to the network.
pub fn check_loopback(address: &str) -> Result<std::net::SocketAddr, String> {
    let parsed: std::net::SocketAddr = address
        .trim()
        .parse()
        .map_err(|_| format!("{address:?} is not an address such as {DEFAULT_ADDRESS}"))?;
    if parsed.ip().is_loopback() {
        Ok(parsed)
    } else {
        Err(format!(
            "{address:?} is not a loopback address: the listener only serves this computer \
             (use 127.0.0.1 or [::1])"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_and_default() {
        let dir = tempfile::tempdir().unwrap();
        let file = path(dir.path());
        assert_eq!(DesktopSettings::load(&file), DesktopSettings::default());
        let on = DesktopSettings {
            listener_enabled: true,
            listener_address: "127.0.0.1:8211".into(),
        };
        on.save(&file).unwrap();
        assert_eq!(DesktopSettings::load(&file), on);
        std::fs::write(&file, "not json").unwrap();
        assert_eq!(DesktopSettings::load(&file), DesktopSettings::default());
    }

    #[test]
    fn only_loopback_addresses_are_accepted() {
        assert!(check_loopback("127.0.0.1:8200").is_ok());
        assert!(check_loopback("[::1]:8200").is_ok());
        assert!(check_loopback("0.0.0.0:8200")
            .unwrap_err()
            .contains("not a loopback address"));
        assert!(check_loopback("localhost")
            .unwrap_err()
            .contains("is not an address"));
    }
}

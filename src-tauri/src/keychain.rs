//! The OS keychain (Secret Service, macOS Keychain, Windows Credential Manager) as the core's
//! [`SecretStore`]: the root token, the unseal shares when a single operator asks for it, and
//! AWS keys the setup wizard was given all live here, never in a plain file.

use strongroom_core::setup::SecretStore;
use zeroize::Zeroizing;

/// The keychain service every entry is filed under.
const SERVICE: &str = "dev.strongroom.desktop";

/// Entry names.
pub const TOKEN: &str = "token";
pub const SHARES: &str = "unseal-shares";

/// The keychain, one entry per name.
pub struct Keychain;

fn entry(name: &str) -> Result<keyring::Entry, String> {
    keyring::Entry::new(SERVICE, name).map_err(|e| e.to_string())
}

impl SecretStore for Keychain {
    fn get(&self, name: &str) -> Result<Option<Zeroizing<String>>, String> {
        match entry(name)?.get_password() {
            Ok(value) => Ok(Some(Zeroizing::new(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    }

    fn set(&self, name: &str, value: &str) -> Result<(), String> {
        entry(name)?.set_password(value).map_err(|e| e.to_string())
    }

    fn delete(&self, name: &str) -> Result<(), String> {
        match entry(name)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(e.to_string()),
        }
    }
}

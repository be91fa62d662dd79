//! The token and (optionally) the unseal shares in the OS keychain.

use strongroom_core::setup::SecretStore;
use tauri::State;

use crate::error::CommandError;
use crate::keychain::{SHARES, TOKEN};
use crate::state::AppState;

fn keychain_error(e: String) -> CommandError {
    CommandError::Keychain(e)
}

/// The stored token, if any.
#[tauri::command]
pub fn get_token(state: State<'_, AppState>) -> Result<Option<String>, CommandError> {
    Ok(state
        .keychain
        .get(TOKEN)
        .map_err(keychain_error)?
        .map(|t| t.to_string()))
}

/// Stores the token (replacing the previous one).
#[tauri::command]
pub fn set_token(state: State<'_, AppState>, token: String) -> Result<(), CommandError> {
    let token = zeroize::Zeroizing::new(token);
    if token.trim().is_empty() {
        return Err(CommandError::InvalidRequest("the token is empty".into()));
    }
    state.keychain.set(TOKEN, &token).map_err(keychain_error)
}

/// Forgets the token.
#[tauri::command]
pub fn delete_token(state: State<'_, AppState>) -> Result<(), CommandError> {
    state.keychain.delete(TOKEN).map_err(keychain_error)
}

/// The stored unseal shares, if the user chose to keep them.
#[tauri::command]
pub fn get_shares(state: State<'_, AppState>) -> Result<Option<Vec<String>>, CommandError> {
    let Some(json) = state.keychain.get(SHARES).map_err(keychain_error)? else {
        return Ok(None);
    };
    serde_json::from_str(&json)
        .map(Some)
        .map_err(|_| CommandError::Keychain("the stored unseal shares are unreadable".into()))
}

/// Keeps the unseal shares (single-operator set-ups).
#[tauri::command]
pub fn set_shares(state: State<'_, AppState>, shares: Vec<String>) -> Result<(), CommandError> {
    let shares = zeroize::Zeroizing::new(shares);
    if shares.is_empty() || shares.iter().any(|s| s.trim().is_empty()) {
        return Err(CommandError::InvalidRequest(
            "give at least one non-empty share".into(),
        ));
    }
    let json = zeroize::Zeroizing::new(
        serde_json::to_string(&*shares).map_err(|e| CommandError::Internal(e.to_string()))?,
    );
    state.keychain.set(SHARES, &json).map_err(keychain_error)
}

/// Forgets the unseal shares.
#[tauri::command]
pub fn delete_shares(state: State<'_, AppState>) -> Result<(), CommandError> {
    state.keychain.delete(SHARES).map_err(keychain_error)
}

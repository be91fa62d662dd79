//! The loopback listener toggle of the settings page.

use tauri::State;

use crate::error::CommandError;
use crate::listener::{Listener, ListenerStatus};
use crate::settings::DesktopSettings;
use crate::state::AppState;

fn status(state: &AppState) -> ListenerStatus {
    let slot = state.listener.lock().unwrap_or_else(|p| p.into_inner());
    ListenerStatus {
        enabled: slot.running.is_some(),
        address: slot
            .running
            .as_ref()
            .map_or_else(|| slot.address.clone(), |l| l.address().to_owned()),
        error: slot.error.clone(),
    }
}

/// Whether the listener runs, where, and why not if it failed.
#[tauri::command]
pub fn listener_status(state: State<'_, AppState>) -> ListenerStatus {
    status(&state)
}

/// Turns the listener on (at `address`) or off, and remembers the choice.
#[tauri::command]
pub async fn set_listener(
    state: State<'_, AppState>,
    enabled: bool,
    address: String,
) -> Result<ListenerStatus, CommandError> {
    let host = state.host()?.clone();
    // Stop the old one first: the new address may be the same port.
    state
        .listener
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .running
        .take();
    let started = if enabled {
        Some(Listener::start(host, &address).await)
    } else {
        None
    };
    let failed = matches!(started, Some(Err(_)));
    {
        let mut slot = state.listener.lock().unwrap_or_else(|p| p.into_inner());
        slot.error = None;
        slot.address = address.trim().to_owned();
        match started {
            Some(Ok(listener)) => slot.running = Some(listener),
            Some(Err(e)) => slot.error = Some(e),
            None => {}
        }
    }
    if !failed {
        DesktopSettings {
            listener_enabled: enabled,
            listener_address: address.trim().to_owned(),
        }
        .save(&state.settings_path)
        .map_err(CommandError::File)?;
    }
    Ok(status(&state))
}

//! `copy_text`: the clipboard with auto-clear.

use std::time::Duration;

use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

/// Copies `text` and clears it after `clear_after_ms` (at most five minutes).
#[tauri::command]
pub fn copy_text(
    state: State<'_, AppState>,
    text: String,
    clear_after_ms: u64,
) -> Result<(), CommandError> {
    let text = zeroize::Zeroizing::new(text);
    state
        .clipboard
        .copy(&text, Duration::from_millis(clear_after_ms))
        .map_err(CommandError::Clipboard)
}

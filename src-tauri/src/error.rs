//! Errors crossing the IPC boundary, as a tagged `{kind, message}` the UI can switch on.

use serde::Serialize;

/// What went wrong, for the webview.
#[derive(Debug, Clone, thiserror::Error, Serialize)]
#[serde(tag = "kind", content = "message", rename_all = "snake_case")]
pub enum CommandError {
    /// The request itself is malformed (bad method or path).
    #[error("{0}")]
    InvalidRequest(String),
    /// The core could not be started (config or storage problem).
    #[error("{0}")]
    Startup(String),
    /// The core failed while answering.
    #[error("{0}")]
    Internal(String),
    /// The OS keychain refused or is unavailable.
    #[error("keychain: {0}")]
    Keychain(String),
    /// The clipboard is unavailable.
    #[error("clipboard: {0}")]
    Clipboard(String),
    /// The desktop's notification service refused or is missing.
    #[error("notification: {0}")]
    Notification(String),
    /// A file could not be written.
    #[error("{0}")]
    File(String),
}

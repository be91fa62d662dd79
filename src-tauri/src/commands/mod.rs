//! Tauri commands, one file per domain; each is a few lines over the core or the OS.

pub mod api;
pub mod clipboard;
pub mod files;
pub mod keychain;
pub mod listener;
pub mod notify;

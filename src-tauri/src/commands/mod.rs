//! Tauri commands, one file per domain; each is a few lines over the core.

pub mod api;

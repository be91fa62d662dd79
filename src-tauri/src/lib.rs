//! The Strongroom desktop shell: a thin Tauri adapter over `strongroom-core`.
//!
//! The core runs in-process with its configuration in the OS config directory; the webview
//! reaches the core's Vault-compatible API through one IPC command ([`commands::api`]) that
//! feeds the same axum router `strongroom server` serves, so no TCP port is opened unless the
//! user turns the loopback [`listener`] on. The other commands are what only a desktop app
//! can do: the OS [`keychain`], the [`clipboard`] with auto-clear, native save dialogs.

mod clipboard;
mod commands;
mod error;
mod keychain;
mod listener;
mod settings;
mod state;

use tauri::{Manager, RunEvent};

/// Starts the desktop app; returns when the last window closes.
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let paths = app.path();
            let state = tauri::async_runtime::block_on(state::AppState::open(
                paths.app_config_dir()?,
                paths.app_data_dir()?,
            ));
            app.manage(state);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::api::vault_request,
            commands::keychain::get_token,
            commands::keychain::set_token,
            commands::keychain::delete_token,
            commands::keychain::get_shares,
            commands::keychain::set_shares,
            commands::keychain::delete_shares,
            commands::clipboard::copy_text,
            commands::files::save_text_file,
            commands::listener::listener_status,
            commands::listener::set_listener,
            commands::notify::notify,
        ])
        .build(tauri::generate_context!());
    let app = match app {
        Ok(app) => app,
        Err(e) => {
            eprintln!("Strongroom could not start: {e}");
            std::process::exit(1);
        }
    };
    app.run(|handle, event| {
        if let RunEvent::Exit = event {
            // Seal (zeroize keys) and close the store cleanly before the process ends.
            let state = handle.state::<state::AppState>();
            tauri::async_runtime::block_on(state.shutdown());
        }
    });
}

//! `notify`: an OS notification, so a credential about to expire is noticed even when the
//! window is behind others. The UI never puts a secret in one: notification daemons log and
//! keep history.

use crate::error::CommandError;

/// The identity Windows needs to show a toast for an installed app (the bundle identifier).
#[cfg(windows)]
const APP_ID: &str = "dev.strongroom.desktop";

/// Longest title and body passed on; daemons truncate anyway, and this bounds what a
/// misbehaving page could push to the desktop.
const MAX_LEN: usize = 300;

/// Shows `title` and `body` as a desktop notification.
#[tauri::command]
pub async fn notify(title: String, body: String) -> Result<(), CommandError> {
    if title.trim().is_empty() {
        return Err(CommandError::InvalidRequest(
            "a notification needs a title".into(),
        ));
    }
    let (title, body) = (clip(&title), clip(&body));
    // The D-Bus round trip blocks; keep it off the IPC thread.
    tauri::async_runtime::spawn_blocking(move || show(&title, &body))
        .await
        .map_err(|e| CommandError::Internal(e.to_string()))?
}

fn show(title: &str, body: &str) -> Result<(), CommandError> {
    let mut notification = notify_rust::Notification::new();
    notification.summary(title).body(body);
    #[cfg(windows)]
    notification.app_id(APP_ID);
    #[cfg(all(unix, not(target_os = "macos")))]
    notification.appname("Strongroom");
    notification
        .show()
        .map(drop)
        .map_err(|e| CommandError::Notification(e.to_string()))
}

/// `text` cut to [`MAX_LEN`] characters.
fn clip(text: &str) -> String {
    text.chars().take(MAX_LEN).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_at_a_character_boundary() {
        let long = "é".repeat(MAX_LEN + 5);
        assert_eq!(clip(&long).chars().count(), MAX_LEN);
        assert_eq!(clip("short"), "short");
    }
}

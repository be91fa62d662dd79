//! Copying with auto-clear: what the app puts on the clipboard is kept out of clipboard
//! managers' histories where the OS allows, and removed after a timeout unless the user has
//! copied something else meanwhile.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use zeroize::Zeroizing;

/// The longest a copy may stay on the clipboard.
pub const MAX_CLEAR_AFTER: Duration = Duration::from_secs(300);

/// The app's clipboard. On Linux the copied text is served by this process, so one
/// `arboard::Clipboard` is kept for the app's lifetime.
#[derive(Default)]
pub struct Clipboard {
    board: Arc<Mutex<Option<arboard::Clipboard>>>,
    /// Bumped by every copy: a pending clear only runs if no newer copy happened.
    generation: Arc<AtomicU64>,
}

fn set_text(board: &mut arboard::Clipboard, text: &str) -> Result<(), arboard::Error> {
    let set = board.set();
    #[cfg(any(target_os = "linux", target_os = "macos", windows))]
    let set = {
        #[cfg(target_os = "macos")]
        use arboard::SetExtApple as _;
        #[cfg(target_os = "linux")]
        use arboard::SetExtLinux as _;
        #[cfg(windows)]
        use arboard::SetExtWindows as _;
        set.exclude_from_history()
    };
    set.text(text)
}

impl Clipboard {
    /// Puts `text` on the clipboard and clears it after `clear_after`.
    pub fn copy(&self, text: &str, clear_after: Duration) -> Result<(), String> {
        let mut guard = self.board.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_none() {
            *guard = Some(arboard::Clipboard::new().map_err(|e| e.to_string())?);
        }
        let board = guard.as_mut().ok_or("no clipboard")?;
        set_text(board, text).map_err(|e| e.to_string())?;
        drop(guard);
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let copied = Zeroizing::new(text.to_owned());
        let (board, current) = (self.board.clone(), self.generation.clone());
        std::thread::spawn(move || {
            std::thread::sleep(clear_after.min(MAX_CLEAR_AFTER));
            if current.load(Ordering::SeqCst) != generation {
                return;
            }
            let mut guard = board.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(board) = guard.as_mut() {
                let still_ours = board
                    .get_text()
                    .map(Zeroizing::new)
                    .is_ok_and(|now| *now == *copied);
                if still_ours {
                    let _ = board.clear();
                }
            }
        });
        Ok(())
    }
}

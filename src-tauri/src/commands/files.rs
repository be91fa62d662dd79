//! `save_text_file`: the native save dialog, then a file only its owner can read (it may hold
//! unseal shares).

use std::path::Path;

use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

use crate::error::CommandError;

/// Asks where to save, writes `contents` there, and returns the path (`None`: cancelled).
#[tauri::command]
pub async fn save_text_file(
    app: AppHandle,
    suggested_name: String,
    contents: String,
) -> Result<Option<String>, CommandError> {
    let contents = zeroize::Zeroizing::new(contents);
    let chosen = app
        .dialog()
        .file()
        .set_file_name(&suggested_name)
        .blocking_save_file();
    let Some(path) = chosen.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    write_private(&path, contents.as_bytes())
        .map_err(|e| CommandError::File(format!("cannot write {}: {e}", path.display())))?;
    Ok(Some(path.display().to_string()))
}

/// Writes `bytes` to `path` with owner-only permissions (replacing an existing file).
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    let mut file = open.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_files_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("keys.txt");
        write_private(&file, b"share").unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"share");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
    }
}

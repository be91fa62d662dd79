//! Behaviour specific to the embedded SQLite store.

use std::os::unix::fs::PermissionsExt;

use strongroom_core::storage::{Backend, LocalBackend, StorageError};

#[tokio::test]
async fn data_survives_close_and_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/dir/store.db");
    let store = LocalBackend::open(&path).await.unwrap();
    store.put("a/b", b"one").await.unwrap();
    store.put("a/c", b"two").await.unwrap();
    store.delete("a/c").await.unwrap();
    store.close().await;
    drop(store);

    let store = LocalBackend::open(&path).await.unwrap();
    assert_eq!(
        store.get("a/b").await.unwrap().as_deref(),
        Some(&b"one"[..])
    );
    assert_eq!(store.get("a/c").await.unwrap(), None);
    assert_eq!(store.list("a/").await.unwrap(), vec!["b"]);
}

#[tokio::test]
async fn file_and_folder_are_private() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("data");
    let path = folder.join("store.db");
    let store = LocalBackend::open(&path).await.unwrap();
    store.put("k", b"v").await.unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&folder), 0o700);
    assert_eq!(store.path(), path.as_path());
}

#[tokio::test]
async fn a_foreign_sqlite_file_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    {
        let store = LocalBackend::open(&path).await.unwrap();
        store.close().await;
    }
    // Pretend another application owns the file.
    sqlx_raw(&path, "PRAGMA application_id = 42").await;
    let before = std::fs::read(&path).unwrap();
    match LocalBackend::open(&path).await {
        Err(StorageError::ForeignFile { found, .. }) => assert_eq!(found, 42),
        other => panic!("expected ForeignFile, got {:?}", other.err()),
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[tokio::test]
async fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.db");
    {
        let store = LocalBackend::open(&path).await.unwrap();
        store.close().await;
    }
    sqlx_raw(&path, "PRAGMA user_version = 99").await;
    let err = LocalBackend::open(&path).await.err().expect("must refuse");
    assert!(matches!(
        err,
        StorageError::NewerSchema {
            found: 99,
            supported: 1,
            ..
        }
    ));
    assert!(err.to_string().contains("schema version 99"));
}

#[tokio::test]
async fn an_unwritable_location_is_a_clear_error() {
    let err = LocalBackend::open(std::path::Path::new("/proc/strongroom/store.db"))
        .await
        .err()
        .expect("must fail");
    assert!(
        err.to_string()
            .starts_with("local storage at /proc/strongroom/store.db:"),
        "{err}"
    );
}

/// Runs one statement on the file outside the backend (to simulate other writers).
async fn sqlx_raw(path: &std::path::Path, sql: &str) {
    use sqlx::{Connection, Executor};
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    conn.execute(sql).await.unwrap();
    conn.close().await.unwrap();
}

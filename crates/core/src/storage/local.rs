//! `local`: the embedded, crash-safe store in one SQLite file (the desktop default).
//!
//! SQLite runs in WAL mode with `synchronous = FULL`, so every `put` that returned has been
//! fsynced to the write-ahead log and survives a crash of the process or of the machine.
//! Keys are stored as BLOBs so that SQLite's ordering is plain byte order, which the listing
//! code relies on.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};

use super::listing::{list_children, OrderedKeys};
use super::{check_key, Backend, StorageError};

/// Marks the file as a Strongroom store (`PRAGMA application_id`, "SRM1").
const APPLICATION_ID: i64 = 0x5352_4d31;
/// The schema version this build writes (`PRAGMA user_version`).
const SCHEMA_VERSION: i64 = 1;

/// A store in one SQLite file.
pub struct LocalBackend {
    pool: SqlitePool,
    path: PathBuf,
}

impl LocalBackend {
    /// Opens the store at `path`, creating the file (mode 0600) and its folder (0700) if needed.
    pub async fn open(path: &Path) -> Result<Self, StorageError> {
        let display = path.display().to_string();
        prepare_file(path).map_err(|source| StorageError::LocalFile {
            path: display.clone(),
            source,
        })?;
        let options = SqliteConnectOptions::from_str("sqlite://")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(30));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        migrate(&pool, &display).await?;
        Ok(Self {
            pool,
            path: path.to_owned(),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Creates the folder and an empty file with owner-only permissions before SQLite opens it, so
/// the file is never readable by others, not even for an instant.
fn prepare_file(path: &Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.exists() {
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder.create(dir)?;
        }
    }
    if !path.exists() {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(path) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Creates the schema in a new file and refuses files this build does not understand.
async fn migrate(pool: &SqlitePool, path: &str) -> Result<(), StorageError> {
    let mut tx = pool.begin().await?;
    let app_id: i64 = sqlx::query("PRAGMA application_id")
        .fetch_one(&mut *tx)
        .await?
        .get(0);
    let version: i64 = sqlx::query("PRAGMA user_version")
        .fetch_one(&mut *tx)
        .await?
        .get(0);
    if app_id != 0 && app_id != APPLICATION_ID {
        return Err(StorageError::ForeignFile {
            path: path.to_owned(),
            found: app_id,
        });
    }
    if version > SCHEMA_VERSION {
        return Err(StorageError::NewerSchema {
            path: path.to_owned(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    if version == 0 {
        let tables: i64 = sqlx::query("SELECT count(*) FROM sqlite_master")
            .fetch_one(&mut *tx)
            .await?
            .get(0);
        if tables != 0 {
            return Err(StorageError::ForeignFile {
                path: path.to_owned(),
                found: app_id,
            });
        }
        sqlx::query("CREATE TABLE entries (key BLOB NOT NULL PRIMARY KEY, value BLOB NOT NULL)")
            .execute(&mut *tx)
            .await?;
        sqlx::query(&format!("PRAGMA application_id = {APPLICATION_ID}"))
            .execute(&mut *tx)
            .await?;
        sqlx::query(&format!("PRAGMA user_version = {SCHEMA_VERSION}"))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[async_trait]
impl OrderedKeys for LocalBackend {
    async fn scan(
        &self,
        start: &[u8],
        end: Option<&[u8]>,
        max: usize,
    ) -> Result<Vec<String>, StorageError> {
        let max = i64::try_from(max).unwrap_or(i64::MAX);
        let rows =
            match end {
                Some(end) => sqlx::query(
                    "SELECT key FROM entries WHERE key >= ?1 AND key < ?2 ORDER BY key LIMIT ?3",
                )
                .bind(start)
                .bind(end)
                .bind(max)
                .fetch_all(&self.pool)
                .await?,
                None => {
                    sqlx::query("SELECT key FROM entries WHERE key >= ?1 ORDER BY key LIMIT ?2")
                        .bind(start)
                        .bind(max)
                        .fetch_all(&self.pool)
                        .await?
                }
            };
        Ok(rows
            .iter()
            .map(|row| String::from_utf8_lossy(row.get::<&[u8], _>(0)).into_owned())
            .collect())
    }
}

#[async_trait]
impl Backend for LocalBackend {
    fn kind(&self) -> &'static str {
        "local"
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StorageError> {
        check_key(key)?;
        let row = sqlx::query("SELECT value FROM entries WHERE key = ?1")
            .bind(key.as_bytes())
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.get::<Vec<u8>, _>(0)))
    }

    async fn put(&self, key: &str, value: &[u8]) -> Result<(), StorageError> {
        check_key(key)?;
        sqlx::query(
            "INSERT INTO entries (key, value) VALUES (?1, ?2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key.as_bytes())
        .bind(value)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn delete(&self, key: &str) -> Result<(), StorageError> {
        check_key(key)?;
        sqlx::query("DELETE FROM entries WHERE key = ?1")
            .bind(key.as_bytes())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn list_page(
        &self,
        prefix: &str,
        after: &str,
        limit: Option<usize>,
    ) -> Result<Vec<String>, StorageError> {
        list_children(self, prefix, after, limit).await
    }

    async fn close(&self) {
        // Closing the last connection checkpoints the WAL into the main file.
        self.pool.close().await;
    }
}

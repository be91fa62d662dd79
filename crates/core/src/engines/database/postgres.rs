//! What the engine asks of PostgreSQL: batches of role statements, the rolled-back dry run, and
//! whether a user exists.

use std::time::Duration;

use rand::Rng;
use tokio_postgres::error::SqlState;

use super::pool::{describe, Conn};

/// Attempts for a batch that failed with `tuple concurrently updated`.
const CONCURRENT_UPDATE_ATTEMPTS: u32 = 8;

/// Why a batch failed.
#[derive(Debug)]
pub enum Failure {
    /// PostgreSQL refused it: the batch's transaction was rolled back, nothing changed.
    Refused(String),
    /// The connection failed: whether the batch committed is unknown.
    Broken(String),
}

impl Failure {
    /// The message.
    pub fn message(&self) -> &str {
        match self {
            Failure::Refused(m) | Failure::Broken(m) => m,
        }
    }
}

fn classify(e: &tokio_postgres::Error) -> Failure {
    if e.as_db_error().is_some() {
        Failure::Refused(describe(e))
    } else {
        Failure::Broken(describe(e))
    }
}

/// PostgreSQL's catalog race: concurrent `GRANT … ON ALL TABLES IN SCHEMA` (and other catalog
/// updates of one object) can fail one side. The batch was rolled back, so it is retried.
fn concurrently_updated(e: &tokio_postgres::Error) -> bool {
    e.as_db_error().is_some_and(|db| {
        *db.code() == SqlState::INTERNAL_ERROR && db.message().contains("concurrently updated")
    })
}

/// Runs `sql` (one or more statements) as one implicit transaction in one round trip,
/// retrying PostgreSQL's catalog race with jittered backoff.
pub async fn run_batch(conn: &Conn, sql: &str) -> Result<(), Failure> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match conn.batch_execute(sql).await {
            Ok(()) => return Ok(()),
            Err(e) if concurrently_updated(&e) && attempt < CONCURRENT_UPDATE_ATTEMPTS => {
                let ms = rand::rng().random_range(1..=5u64 << attempt.min(5));
                tokio::time::sleep(Duration::from_millis(ms)).await;
            }
            Err(e) => return Err(classify(&e)),
        }
    }
}

/// Whether `user` exists.
pub async fn user_exists(conn: &Conn, user: &str) -> Result<bool, Failure> {
    conn.query_opt(
        "SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1",
        &[&user],
    )
    .await
    .map(|row| row.is_some())
    .map_err(|e| classify(&e))
}

/// Runs `creation`, then `revocation`, inside a transaction that is always rolled back: a
/// role whose SQL PostgreSQL refuses is refused at write time, with PostgreSQL's message.
pub async fn dry_run(conn: &mut Conn, creation: &str, revocation: &str) -> Result<(), String> {
    let tx = conn
        .transaction()
        .await
        .map_err(|e| format!("could not start the trial transaction: {}", describe(&e)))?;
    let outcome = async {
        tx.batch_execute(creation)
            .await
            .map_err(|e| format!("creation_statements failed: {}", describe(&e)))?;
        tx.batch_execute(revocation)
            .await
            .map_err(|e| format!("revocation_statements failed: {}", describe(&e)))
    }
    .await;
    tx.rollback().await.map_err(|e| {
        format!(
            "could not roll back the trial transaction: {}",
            describe(&e)
        )
    })?;
    outcome
}

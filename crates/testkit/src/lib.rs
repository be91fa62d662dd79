//! Fixtures that start real services for tests and stop them when dropped.
//!
//! * [`MotoServer`]: `moto_server` (PyPI `moto[server]`) on a free loopback port, standing in
//!   for DynamoDB and KMS.
//! * [`PostgresCluster`]: a throwaway PostgreSQL cluster with `scram-sha-256` authentication,
//!   run as the `postgres` user when the tests run as root (PostgreSQL refuses to run as root).
//!
//! Each fixture owns its process and stops it by PID on drop; nothing outlives the test.

mod moto;
mod net;
mod postgres;

pub use moto::{IamUser, MotoServer};
pub use postgres::PostgresCluster;

/// Why a fixture could not start.
#[derive(Debug, thiserror::Error)]
pub enum FixtureError {
    /// A program the fixture needs is not installed.
    #[error("{program} not found: {hint}")]
    Missing {
        /// The program.
        program: String,
        /// How to install it.
        hint: String,
    },
    /// A command failed.
    #[error("{command} failed: {detail}")]
    Command {
        /// What was run.
        command: String,
        /// Its output or error.
        detail: String,
    },
    /// The service did not become ready in time.
    #[error("{service} did not become ready within {seconds} s: {detail}")]
    Timeout {
        /// The service.
        service: String,
        /// The time allowed.
        seconds: u64,
        /// The last error or log lines.
        detail: String,
    },
    /// A file or process operation failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

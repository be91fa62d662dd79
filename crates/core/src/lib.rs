//! The Strongroom engine: a Vault-compatible secrets core.
//!
//! The crate knows nothing of Tauri or of any particular front end: the desktop shell and the
//! `strongroom` binary are thin adapters over [`node::Node`] and [`http::router`]. The data path is
//! described in `docs/architecture.md`; in short, a request enters through [`http`], is
//! authenticated against the [`token`] store and the [`policy`] ACL, is routed by [`mount`] to a
//! logical backend ([`system`], [`engines`]), and everything it stores goes through the
//! [`barrier`] into a [`storage`] backend. The [`seal`] protects the barrier's root key.

pub mod aws;
pub mod barrier;
pub mod config;
pub mod engines;
pub mod error;
pub mod host;
pub mod http;
pub mod lease;
pub mod logical;
pub mod mount;
pub mod node;
pub mod policy;
mod random;
pub mod seal;
pub mod setup;
pub mod storage;
pub mod system;
pub mod timefmt;
pub mod token;

/// The version reported by `sys/seal-status`, `sys/health` and `strongroom version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

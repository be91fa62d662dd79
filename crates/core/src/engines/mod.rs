//! Secrets engines that can be mounted with `sys/mounts`.

pub mod database;
pub mod kv;

use std::sync::Arc;

use crate::mount::{Handler, MountEntry};

/// The catalog: who handles a mount of `entry.kind` (`None`: not provided by this build).
pub fn handler(entry: &MountEntry) -> Option<Handler> {
    match entry.kind.as_str() {
        "system" => Some(Handler::System),
        "token" => Some(Handler::Token),
        "kv" => Some(Handler::Backend(Arc::new(kv::KvBackend::new(
            kv::is_leased(entry),
        )))),
        "database" => Some(Handler::Backend(Arc::new(
            database::DatabaseBackend::default(),
        ))),
        _ => None,
    }
}

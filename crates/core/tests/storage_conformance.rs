//! Runs the conformance suite against every storage backend in this crate.

#[macro_use]
mod conformance;

use std::sync::Arc;

use conformance::Fixture;
use strongroom_core::storage::{InmemBackend, LocalBackend};

async fn inmem() -> Fixture {
    Fixture {
        backend: Arc::new(InmemBackend::new()),
        _guard: Box::new(()),
    }
}

async fn local() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let backend = LocalBackend::open(&dir.path().join("store.db"))
        .await
        .unwrap();
    Fixture {
        backend: Arc::new(backend),
        _guard: Box::new(dir),
    }
}

suite!(inmem_backend, inmem());
suite!(local_backend, local());

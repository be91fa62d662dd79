//! Runs the conformance suite against every storage backend in this crate.

#[macro_use]
mod conformance;

use std::sync::Arc;

use conformance::Fixture;
use strongroom_core::storage::dynamodb::{iam, BillingMode, DynamoDbSettings, StaticCredentials};
use strongroom_core::storage::{DynamoDbBackend, InmemBackend, LocalBackend};
use strongroom_testkit::MotoServer;

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

/// A fresh table in a moto_server of its own. On demand, so the capacity limiter does not pace
/// the suite's thousands of writes (the limiter has its own tests).
async fn dynamodb() -> Fixture {
    let moto = MotoServer::start().expect("moto_server");
    let mut settings = DynamoDbSettings::for_table("conformance");
    settings.endpoint = Some(moto.endpoint());
    settings.billing_mode = BillingMode::PayPerRequest;
    settings.credentials = Some(StaticCredentials {
        access_key: "test".into(),
        secret_key: "test".to_owned().into(),
        session_token: None,
    });
    let backend = DynamoDbBackend::open(settings).await.unwrap();
    Fixture {
        backend: Arc::new(backend),
        _guard: Box::new(moto),
    }
}

/// The same, but moto enforces IAM and the backend's only credentials are a user holding
/// exactly the generated policies (bootstrap to create the table, steady state to run). Moto
/// evaluates DynamoDB requests against resource `*`, so the table ARN is widened to `*` here;
/// the actions are what this checks.
async fn dynamodb_least_privilege() -> Fixture {
    let mut settings = DynamoDbSettings::for_table("least-privilege");
    settings.billing_mode = BillingMode::PayPerRequest;
    let policies = iam::policies(&settings, "*");
    let documents = [
        policies.bootstrap.to_string(),
        policies.steady_state.to_string(),
    ];
    let moto = MotoServer::start_with_iam(documents.len() as u32 + 2).expect("moto_server");
    let user = moto.create_iam_user("strongroom-node", &documents).unwrap();
    settings.endpoint = Some(moto.endpoint());
    settings.credentials = Some(StaticCredentials {
        access_key: user.access_key,
        secret_key: user.secret_key.into(),
        session_token: None,
    });
    let backend = DynamoDbBackend::open(settings).await.unwrap();
    Fixture {
        backend: Arc::new(backend),
        _guard: Box::new(moto),
    }
}

suite!(inmem_backend, inmem());
suite!(local_backend, local());
suite!(dynamodb_backend, dynamodb());
suite!(dynamodb_least_privilege_backend, dynamodb_least_privilege());

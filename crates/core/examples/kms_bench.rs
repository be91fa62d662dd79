//! Benchmark of unsealing with the AWS KMS seal against moto_server, next to the floor.
//!
//! `cargo run -p strongroom-core --example kms_bench [-- ROUNDS]` seals and auto-unseals a node
//! (in-memory storage) ROUNDS times (default 50) and prints a markdown table: the time of an
//! auto-unseal, of a bare KMS `Decrypt` of the same wrapped data key (the floor: what any
//! KMS seal must pay), and of a Shamir unseal with 3 of 5 shares on the same machine, plus the
//! KMS requests each auto-unseal sent. Every loop is bounded by ROUNDS.

use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_config::{BehaviorVersion, Region};
use aws_sdk_kms::config::Credentials;
use aws_sdk_kms::primitives::Blob;
use strongroom_core::node::{InitRequest, Node, NodeOptions, UnsealRequest};
use strongroom_core::seal::awskms::{AwsKms, AwsKmsSettings};
use strongroom_core::seal::{read_stored_blob, Seal};
use strongroom_core::storage::dynamodb::StaticCredentials;
use strongroom_core::storage::{Backend, InmemBackend};
use strongroom_testkit::MotoServer;

fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50)
        .clamp(5, 1_000);
    let moto = MotoServer::start().expect("moto_server (run scripts/setup.sh)");
    let conf = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(moto.endpoint())
        .credentials_provider(Credentials::new("test", "test", None, None, "bench"))
        .load()
        .await;
    let sdk = aws_sdk_kms::Client::new(&conf);
    let key = sdk.create_key().send().await.unwrap().key_metadata.unwrap();
    let mut settings = AwsKmsSettings::for_key(&key.key_id);
    settings.endpoint = Some(moto.endpoint());
    settings.region = Some("us-east-1".into());
    settings.credentials = Some(StaticCredentials {
        access_key: "test".into(),
        secret_key: "test".to_owned().into(),
        session_token: None,
    });

    // Auto-unseal.
    let kms = Arc::new(AwsKms::connect(settings).await);
    let storage: Arc<dyn Backend> = Arc::new(InmemBackend::new());
    let node = Node::with_seal(
        storage.clone(),
        NodeOptions::default(),
        Seal::AwsKms(kms.clone()),
        None,
    );
    let init = node.init(InitRequest::default()).await.unwrap();
    let before = kms.calls();
    let mut auto = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        node.seal(Some(&init.root_token)).await.unwrap();
        let started = Instant::now();
        node.unseal_with_stored_keys().await.unwrap();
        auto.push(started.elapsed());
    }
    let after = kms.calls();

    // The floor: Decrypt of the stored wrapped data key, nothing else.
    let blob = read_stored_blob(storage.as_ref()).await.unwrap();
    let wrapped = blob.key_info.unwrap().wrapped_key;
    let mut floor = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let started = Instant::now();
        sdk.decrypt()
            .ciphertext_blob(Blob::new(wrapped.clone()))
            .send()
            .await
            .unwrap();
        floor.push(started.elapsed());
    }

    // Shamir, 3 of 5, for scale.
    let shamir = Node::new(Arc::new(InmemBackend::new()), NodeOptions::default());
    let keys = shamir
        .init(InitRequest {
            secret_shares: 5,
            secret_threshold: 3,
            ..InitRequest::default()
        })
        .await
        .unwrap();
    let mut local = Vec::with_capacity(rounds);
    for round in 0..rounds {
        if round > 0 {
            shamir.seal(Some(&keys.root_token)).await.unwrap();
        }
        let started = Instant::now();
        for share in keys.keys.iter().take(3) {
            shamir
                .unseal(UnsealRequest {
                    key: Some(share.to_string()),
                    ..UnsealRequest::default()
                })
                .await
                .unwrap();
        }
        local.push(started.elapsed());
    }

    let per = |n: u64| n as f64 / rounds as f64;
    println!("| {rounds} rounds | p50 ms | p95 ms |");
    println!("|---|---|---|");
    for (name, samples) in [
        ("awskms auto-unseal (node)", &mut auto),
        ("bare KMS Decrypt (floor)", &mut floor),
        ("shamir unseal, 3 of 5 shares", &mut local),
    ] {
        println!(
            "| {name} | {:.2} | {:.2} |",
            percentile(samples, 0.5),
            percentile(samples, 0.95)
        );
    }
    println!(
        "\nKMS requests per auto-unseal: Decrypt {:.2}, DescribeKey {:.2}, Encrypt {:.2} \
         (at init: DescribeKey {}, Encrypt {})",
        per(after.decrypt - before.decrypt),
        per(after.describe_key - before.describe_key),
        per(after.encrypt - before.encrypt),
        before.describe_key,
        before.encrypt
    );
}

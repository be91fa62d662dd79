//! Benchmark of the DynamoDB backend against bare SDK calls on the same moto_server.
//!
//! `cargo run --example dynamodb_bench [-- OPS]` prints two markdown tables: single-key
//! put/get/list throughput of the backend next to bare `PutItem`/`GetItem`/`Query` calls (the
//! floor: what any backend must pay), and the DynamoDB requests and item writes per logical put
//! for keys at depth 1–5 (folders above the key), next to what Vault's backend sends (depth + 1
//! items on every put).
//! Sequential, one request in flight, on-demand table (no capacity pacing): it measures the
//! backend's overhead, not moto's concurrency. Every loop is bounded by OPS (default 300).

use std::time::Instant;

use aws_config::{BehaviorVersion, Region};
use aws_sdk_dynamodb::config::Credentials;
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_dynamodb::Client;
use strongroom_core::storage::dynamodb::{BillingMode, DynamoDbSettings, StaticCredentials};
use strongroom_core::storage::{Backend, DynamoDbBackend};
use strongroom_testkit::MotoServer;

const VALUE: &[u8] = &[0x5a; 256];

fn rate(ops: usize, started: Instant) -> f64 {
    ops as f64 / started.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let ops: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(300)
        .clamp(10, 10_000);
    let moto = MotoServer::start().expect("moto_server (run scripts/setup.sh)");
    let mut settings = DynamoDbSettings::for_table("bench");
    settings.endpoint = Some(moto.endpoint());
    settings.billing_mode = BillingMode::PayPerRequest;
    settings.credentials = Some(StaticCredentials {
        access_key: "test".into(),
        secret_key: "test".to_owned().into(),
        session_token: None,
    });
    let backend = DynamoDbBackend::open(settings).await.expect("open");
    let conf = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(moto.endpoint())
        .credentials_provider(Credentials::new("test", "test", None, None, "bench"))
        .load()
        .await;
    let sdk = Client::new(&conf);

    // Warm up both clients' connections.
    backend.put("warm/up", VALUE).await.unwrap();
    sdk.describe_table()
        .table_name("bench")
        .send()
        .await
        .unwrap();

    let started = Instant::now();
    for i in 0..ops {
        sdk.put_item()
            .table_name("bench")
            .item("Path", AttributeValue::S("raw/leases".into()))
            .item("Key", AttributeValue::S(format!("k{i:05}")))
            .item("Value", AttributeValue::B(Blob::new(VALUE)))
            .send()
            .await
            .unwrap();
    }
    let raw_put = rate(ops, started);
    let started = Instant::now();
    for i in 0..ops {
        backend
            .put(&format!("sr/leases/k{i:05}"), VALUE)
            .await
            .unwrap();
    }
    let sr_put = rate(ops, started);

    let started = Instant::now();
    for i in 0..ops {
        sdk.get_item()
            .table_name("bench")
            .key("Path", AttributeValue::S("raw/leases".into()))
            .key("Key", AttributeValue::S(format!("k{i:05}")))
            .consistent_read(true)
            .send()
            .await
            .unwrap();
    }
    let raw_get = rate(ops, started);
    let started = Instant::now();
    for i in 0..ops {
        backend.get(&format!("sr/leases/k{i:05}")).await.unwrap();
    }
    let sr_get = rate(ops, started);

    let lists = (ops / 10).max(5);
    let started = Instant::now();
    for _ in 0..lists {
        let mut start = None;
        // Bounded: each page advances; a folder of OPS items is a few pages.
        for _ in 0..100 {
            let page = sdk
                .query()
                .table_name("bench")
                .key_condition_expression("#p = :p")
                .expression_attribute_names("#p", "Path")
                .expression_attribute_values(":p", AttributeValue::S("raw/leases".into()))
                .consistent_read(true)
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .unwrap();
            match page.last_evaluated_key {
                Some(k) if !k.is_empty() => start = Some(k),
                _ => break,
            }
        }
    }
    let raw_list = rate(lists, started);
    let started = Instant::now();
    for _ in 0..lists {
        assert_eq!(backend.list("sr/leases/").await.unwrap().len(), ops);
    }
    let sr_list = rate(lists, started);

    println!("### Throughput against one moto_server ({ops} ops, one in flight)\n");
    println!("| operation | bare SDK (ops/s) | Strongroom backend (ops/s) | ratio |");
    println!("|---|---:|---:|---:|");
    for (name, raw, sr) in [
        ("put (PutItem)", raw_put, sr_put),
        ("get (GetItem, consistent)", raw_get, sr_get),
        (
            &*format!("list of {ops} keys (Query pages)"),
            raw_list,
            sr_list,
        ),
    ] {
        println!("| {name} | {raw:.0} | {sr:.0} | {:.2} |", sr / raw);
    }

    println!("\n### DynamoDB requests and item writes per logical put\n");
    println!("| key depth | Vault: items written per put | Vault: requests per put | Strongroom: first put in a new folder (requests / items) | Strongroom: every later put (requests / items) |");
    println!("|---:|---:|---:|---:|---:|");
    for depth in 1..=5usize {
        // Depth = folders above the key: `a/b/k` is at depth 2.
        let folder: Vec<String> = (1..=depth).map(|d| format!("d{depth}l{d}")).collect();
        let key = |i: usize| {
            let mut parts = folder.clone();
            parts.push(format!("k{i}"));
            parts.join("/")
        };
        let before = backend.request_counts();
        backend.put(&key(0), VALUE).await.unwrap();
        let first = backend.request_counts();
        let later_puts = 20;
        for i in 1..=later_puts {
            backend.put(&key(i), VALUE).await.unwrap();
        }
        let after = backend.request_counts();
        let requests =
            |a: &strongroom_core::storage::dynamodb::RequestCounts,
             b: &strongroom_core::storage::dynamodb::RequestCounts| {
                (a.put_item + a.batch_write_item + a.query + a.get_item)
                    - (b.put_item + b.batch_write_item + b.query + b.get_item)
            };
        println!(
            "| {depth} | {} | 1 | {} / {} | {:.1} / {:.1} |",
            depth + 1,
            requests(&first, &before),
            first.items_written - before.items_written,
            requests(&after, &first) as f64 / later_puts as f64,
            (after.items_written - first.items_written) as f64 / later_puts as f64,
        );
    }
}

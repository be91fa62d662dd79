//! Benchmark of the lease manager on local (SQLite) storage.
//!
//! `cargo run -p strongroom-core --example lease_bench [-- LEASES EXPIRING]` (defaults 100000
//! and 10000; both bounded) measures, through the in-process HTTP API of a real node:
//! - issuing LEASES leases (reads of a leased kv mount, 32 at a time);
//! - `LIST sys/leases/lookup` of one role (a tenth of them) and the dashboard queries;
//! - in a fresh process over the same file: the restore time at unseal and the memory (RSS)
//!   the restored leases take;
//!
//! and, with an engine that records when it is asked to revoke, how late EXPIRING leases with
//! TTLs spread over 5–25 s are revoked after their expiry (p50/p99/max).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use axum::body::Body;
use axum::http::Request;
use serde_json::{json, Value};
use tower::ServiceExt;

use strongroom_core::barrier::{Barrier, BarrierView};
use strongroom_core::lease::{self, Expiration, LeaseOptions};
use strongroom_core::logical::{
    Backend as Engine, BackendRequest, LeaseRequest, LogicalError, Response, Secret,
};
use strongroom_core::mount::{Factory, Handler, MountEntry, Mounts, Table};
use strongroom_core::node::{InitRequest, Node, NodeOptions, UnsealRequest};
use strongroom_core::storage::{Backend, LocalBackend};
use strongroom_core::token::TokenStore;

const ROLES: usize = 10;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(samples: &mut [f64], p: f64) -> f64 {
    samples.sort_by(|a, b| a.total_cmp(b));
    samples[((samples.len() as f64 - 1.0) * p).round() as usize]
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

async fn call(
    router: &axum::Router,
    method: &str,
    path: &str,
    token: &str,
    body: Value,
) -> (u16, Value) {
    let req = Request::builder()
        .method(method)
        .uri(format!("/v1/{path}"))
        .header("x-vault-token", token)
        .body(Body::from(body.to_string()))
        .unwrap();
    let resp = router.clone().oneshot(req).await.unwrap();
    let status = resp.status().as_u16();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// Median time of `rounds` runs of one request, and its last answer.
async fn timed(router: &axum::Router, method: &str, path: &str, token: &str) -> (f64, Value) {
    let mut samples = Vec::new();
    let mut last = Value::Null;
    for _ in 0..7 {
        let started = Instant::now();
        let (status, body) = call(router, method, path, token, Value::Null).await;
        samples.push(ms(started.elapsed()));
        assert!(status == 200, "{method} {path}: {status} {body}");
        last = body;
    }
    (percentile(&mut samples, 0.5), last)
}

async fn open(dir: &std::path::Path) -> Arc<Node> {
    let storage: Arc<dyn Backend> =
        Arc::new(LocalBackend::open(&dir.join("bench.db")).await.unwrap());
    Node::new(storage, NodeOptions::default())
}

async fn issue_and_query(dir: &std::path::Path, leases: usize) -> (String, String) {
    let node = open(dir).await;
    let init = node
        .init(InitRequest {
            secret_shares: 1,
            secret_threshold: 1,
            ..InitRequest::default()
        })
        .await
        .unwrap();
    let key = init.keys_base64[0].to_string();
    node.unseal(UnsealRequest {
        key: Some(key.clone()),
        ..UnsealRequest::default()
    })
    .await
    .unwrap();
    let root = init.root_token.to_string();
    let router = strongroom_core::http::router(node.clone());
    let mount = json!({"type": "kv", "options": {"leased": "true"}});
    assert_eq!(
        call(&router, "POST", "sys/mounts/bench", &root, mount)
            .await
            .0,
        204
    );
    for r in 0..ROLES {
        let secret = json!({"password": "x", "ttl": "720h"});
        call(&router, "PUT", &format!("bench/role{r}"), &root, secret).await;
    }

    let started = Instant::now();
    let mut jobs = tokio::task::JoinSet::new();
    for worker in 0..32 {
        let (router, root) = (router.clone(), root.clone());
        jobs.spawn(async move {
            for i in (worker..leases).step_by(32) {
                let (status, _) = call(
                    &router,
                    "GET",
                    &format!("bench/role{}", i % ROLES),
                    &root,
                    Value::Null,
                )
                .await;
                assert_eq!(status, 200);
            }
        });
    }
    while jobs.join_next().await.is_some() {}
    let issue = started.elapsed();
    println!(
        "| issue {leases} leases (32 concurrent reads of a leased kv) | {:.1} s | {:.0} leases/s |",
        issue.as_secs_f64(),
        leases as f64 / issue.as_secs_f64()
    );

    let (list, body) = timed(&router, "LIST", "sys/leases/lookup/bench/role0/", &root).await;
    let keys = body["data"]["keys"].as_array().map_or(0, Vec::len);
    println!("| `LIST sys/leases/lookup/bench/role0/` ({keys} keys) | {list:.1} ms | |");
    let (counts, body) = timed(&router, "GET", "sys/leases/counts", &root).await;
    println!(
        "| `GET sys/leases/counts` (total {}) | {counts:.2} ms | |",
        body["data"]["total"]
    );
    for (what, query) in [
        (
            "first page of 100, by role",
            "sys/leases/search?role=&mount=bench/&limit=100&prefix=bench/role7/",
        ),
        (
            "page of 100 deep in the set",
            "sys/leases/search?limit=100&after=bench/role5/",
        ),
        (
            "expiring within 1000 h, page of 100",
            "sys/leases/search?expiring_within=1000h&limit=100",
        ),
        (
            "expiring within 1 h (none match)",
            "sys/leases/search?expiring_within=1h&limit=100",
        ),
    ] {
        let (t, body) = timed(&router, "GET", query, &root).await;
        println!(
            "| `GET sys/leases/search`: {what} (matched {}) | {t:.2} ms | |",
            body["data"]["total"]
        );
    }
    node.shutdown().await;
    (key, root)
}

/// In a fresh process: unseal over the stored leases and wait for the restore.
async fn restore(dir: &std::path::Path, key: String, root: String, leases: usize) {
    let node = open(dir).await;
    let before = rss_kib();
    let started = Instant::now();
    node.unseal(UnsealRequest {
        key: Some(key),
        ..UnsealRequest::default()
    })
    .await
    .unwrap();
    let router = strongroom_core::http::router(node.clone());
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        let (_, body) = call(&router, "GET", "sys/leases/counts", &root, Value::Null).await;
        if body["data"]["restoring"] == Value::Bool(false) {
            assert_eq!(body["data"]["total"].as_u64(), Some(leases as u64));
            break;
        }
        assert!(Instant::now() < deadline, "restore did not finish");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let took = started.elapsed();
    let grown = rss_kib().saturating_sub(before);
    println!(
        "| restore {leases} leases at unseal (fresh process) | {:.2} s | {:.0} leases/s |",
        took.as_secs_f64(),
        leases as f64 / took.as_secs_f64()
    );
    println!(
        "| memory of the restored leases (RSS growth) | {:.1} MiB | {:.0} bytes/lease |",
        grown as f64 / 1024.0,
        grown as f64 * 1024.0 / leases as f64
    );
    node.shutdown().await;
}

/// An engine that records how late each revocation comes (the TTL is in its internal data).
#[derive(Default)]
struct Recorder {
    late_ms: Mutex<Vec<f64>>,
}

#[async_trait]
impl Engine for Recorder {
    async fn handle(&self, _req: &BackendRequest<'_>) -> Result<Option<Response>, LogicalError> {
        Ok(None)
    }

    async fn revoke(&self, req: &LeaseRequest<'_>) -> Result<(), LogicalError> {
        let ttl_ms = req.internal["ttl"].as_i64().unwrap_or(0) * 1000;
        let late = lease::now_ms() - (req.issue_ms + ttl_ms);
        self.late_ms.lock().unwrap().push(late as f64);
        Ok(())
    }
}

async fn expiry(dir: &std::path::Path, count: usize) {
    let storage: Arc<dyn Backend> =
        Arc::new(LocalBackend::open(&dir.join("expiry.db")).await.unwrap());
    let barrier = Arc::new(Barrier::new(storage));
    let root_key = [7u8; 32];
    barrier.initialize(&root_key, None).await.unwrap();
    barrier.unseal(&root_key).await.unwrap();
    let view = |p: &str| BarrierView::new(barrier.clone(), p);
    let tokens = Arc::new(TokenStore::open(view("sys/token/")).await.unwrap());
    let leases = Expiration::new(view("sys/expire/"), tokens, LeaseOptions::default());
    let recorder = Arc::new(Recorder::default());
    let engine: Arc<dyn Engine> = recorder.clone();
    let factory: Arc<Factory> = Arc::new(move |e: &MountEntry| match e.kind.as_str() {
        "kv" => Some(Handler::Backend(engine.clone())),
        _ => strongroom_core::engines::handler(e),
    });
    let mounts = Arc::new(Mounts::load(barrier.clone(), factory).await.unwrap());
    mounts
        .mount(MountEntry::new(Table::Mounts, "db/", "kv", ""))
        .await
        .unwrap();
    let mount = mounts.route("db/x").unwrap().0.entry.clone();
    leases.attach(mounts);
    leases.start();
    let started = Instant::now();
    for i in 0..count {
        let ttl = 5 + (i % 21) as u64;
        let secret = Secret {
            ttl,
            max_ttl: 0,
            renewable: true,
            internal: json!({ "ttl": ttl }),
            role: "ro".into(),
        };
        leases
            .register("db/creds/ro", &mount, "", &secret)
            .await
            .unwrap();
    }
    let registered = started.elapsed();
    let deadline = Instant::now() + Duration::from_secs(180);
    while recorder.late_ms.lock().unwrap().len() < count && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut late = recorder.late_ms.lock().unwrap().clone();
    leases.stop();
    println!(
        "| expiry lateness, {count} leases alive (TTL 5–25 s, registered in {:.1} s), {} revoked | p50 {:.0} ms, p99 {:.0} ms | max {:.0} ms |",
        registered.as_secs_f64(),
        late.len(),
        percentile(&mut late, 0.5),
        percentile(&mut late, 0.99),
        percentile(&mut late, 1.0),
    );
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("restore") {
        let dir = std::path::PathBuf::from(&args[2]);
        let leases = args[5].parse().unwrap();
        restore(&dir, args[3].clone(), args[4].clone(), leases).await;
        return;
    }
    let leases: usize = args
        .get(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000)
        .clamp(100, 200_000);
    let expiring: usize = args
        .get(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000)
        .clamp(100, 50_000);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    println!("| measurement | time | rate / size |\n| --- | --- | --- |");
    let (key, root) = issue_and_query(&dir, leases).await;
    let status = std::process::Command::new(&args[0])
        .args([
            "restore",
            dir.to_str().unwrap(),
            &key,
            &root,
            &leases.to_string(),
        ])
        .status()
        .unwrap();
    assert!(status.success());
    expiry(&dir, expiring).await;
}

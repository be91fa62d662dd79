//! The database engine in-process against a real PostgreSQL (scram-sha-256): storage writes
//! per credential, parallel issuance through PostgreSQL's catalog race, the rolled-back trial of
//! a role, and parallel revocation.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use async_trait::async_trait;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{json, Value};
use strongroom_core::http::router;
use strongroom_core::node::{Node, NodeOptions};
use strongroom_core::storage::{Backend, InmemBackend, StorageError};
use strongroom_testkit::PostgresCluster;
use tower::ServiceExt;

/// In-memory storage that counts writes under a key prefix.
struct Counting {
    inner: InmemBackend,
    puts: AtomicUsize,
}

#[async_trait]
impl Backend for Counting {
    fn kind(&self) -> &'static str {
        "inmem"
    }
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StorageError> {
        self.inner.get(key).await
    }
    async fn put(&self, key: &str, value: &[u8]) -> Result<(), StorageError> {
        self.puts.fetch_add(1, Ordering::SeqCst);
        self.inner.put(key, value).await
    }
    async fn delete(&self, key: &str) -> Result<(), StorageError> {
        self.inner.delete(key).await
    }
    async fn list_page(
        &self,
        prefix: &str,
        after: &str,
        limit: Option<usize>,
    ) -> Result<Vec<String>, StorageError> {
        self.inner.list_page(prefix, after, limit).await
    }
}

struct Setup {
    router: axum::Router,
    storage: Arc<Counting>,
    token: String,
    pg: PostgresCluster,
    admin: tokio_postgres::Client,
}

async fn call(
    router: &axum::Router,
    method: &str,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let req = Request::builder()
        .method(method)
        .uri(format!("/v1/{path}"))
        .header("X-Vault-Token", token)
        .body(body.map_or(Body::empty(), |b| Body::from(b.to_string())))
        .unwrap();
    let resp = router.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap()
    };
    (status, body)
}

impl Setup {
    async fn new() -> Self {
        let pg = PostgresCluster::start().expect("PostgreSQL starts");
        let (admin, conn) = tokio_postgres::connect(&pg.url(), tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        admin
            .batch_execute("CREATE TABLE products (id int, name text); INSERT INTO products VALUES (1, 'a'), (2, 'b');")
            .await
            .unwrap();
        let storage = Arc::new(Counting {
            inner: InmemBackend::new(),
            puts: AtomicUsize::new(0),
        });
        let node = Node::new(storage.clone(), NodeOptions::default());
        let router = router(node);
        let (_, init) = call(
            &router,
            "PUT",
            "sys/init",
            "",
            Some(json!({"secret_shares": 1, "secret_threshold": 1})),
        )
        .await;
        let key = init["keys"][0].as_str().unwrap().to_owned();
        let token = init["root_token"].as_str().unwrap().to_owned();
        let (s, _) = call(&router, "PUT", "sys/unseal", "", Some(json!({"key": key}))).await;
        assert_eq!(s, StatusCode::OK);
        let me = Self {
            router,
            storage,
            token,
            pg,
            admin,
        };
        me.ok("POST", "sys/mounts/database", json!({"type": "database"}))
            .await;
        let url = format!(
            "postgresql://{{{{username}}}}:{{{{password}}}}@127.0.0.1:{}/postgres",
            me.pg.port()
        );
        me.ok(
            "POST",
            "database/config/pg",
            json!({"plugin_name": "postgresql-database-plugin", "connection_url": url, "username": "postgres",
                   "password": me.pg.password(), "allowed_roles": "*", "max_open_connections": 32}),
        )
        .await;
        me
    }

    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        call(&self.router, method, path, &self.token, body).await
    }

    async fn ok(&self, method: &str, path: &str, body: Value) -> Value {
        let (status, body) = self.call(method, path, Some(body)).await;
        assert!(status.is_success(), "{method} {path}: {status} {body}");
        body
    }

    async fn dynamic_users(&self) -> Vec<String> {
        self.admin
            .query(
                "SELECT rolname FROM pg_roles WHERE rolname LIKE 'v-%' ORDER BY 1",
                &[],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect()
    }
}

const GRANTING_ROLE: &str =
    "CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';\
     GRANT SELECT ON ALL TABLES IN SCHEMA public TO \"{{name}}\";";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_credential_costs_two_storage_writes_and_issuance_runs_in_parallel() {
    let s = Setup::new().await;
    s.ok(
        "POST",
        "database/roles/ro",
        json!({"db_name": "pg", "creation_statements": GRANTING_ROLE, "default_ttl": "1h"}),
    )
    .await;

    let before = s.storage.puts.load(Ordering::SeqCst);
    for _ in 0..10 {
        let (status, body) = s.call("GET", "database/creds/ro", None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let writes = s.storage.puts.load(Ordering::SeqCst) - before;
    assert_eq!(
        writes, 20,
        "two writes (lease entry and token index) per credential"
    );

    // 32 at once: concurrent GRANT … ON ALL TABLES races in PostgreSQL's catalog.
    let mut tasks = Vec::new();
    for _ in 0..32 {
        let router = s.router.clone();
        let token = s.token.clone();
        tasks.push(tokio::spawn(async move {
            call(&router, "GET", "database/creds/ro", &token, None).await
        }));
    }
    let mut users = std::collections::BTreeSet::new();
    for t in tasks {
        let (status, body) = t.await.unwrap();
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body["lease_id"]
            .as_str()
            .unwrap()
            .starts_with("database/creds/ro/"));
        users.insert(body["data"]["username"].as_str().unwrap().to_owned());
    }
    assert_eq!(users.len(), 32);
    let in_pg = s.dynamic_users().await;
    assert_eq!(in_pg.len(), 42);
    assert!(users.iter().all(|u| in_pg.contains(u)));

    // Every lease revoked in parallel; every user gone.
    let (status, _) = s
        .call("PUT", "sys/leases/revoke-prefix/database/creds/ro", None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(s.dynamic_users().await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_role_is_refused_with_postgresqls_message_and_leaves_nothing() {
    let s = Setup::new().await;
    let (status, body) = s
        .call(
            "POST",
            "database/roles/bad",
            Some(json!({"db_name": "pg", "creation_statements": "CREAT ROLE \"{{name}}\";"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let message = body["errors"][0].as_str().unwrap();
    assert!(
        message.contains("creation_statements failed: ERROR: syntax error at or near \"CREAT\""),
        "{message}"
    );
    let (status, _) = s.call("GET", "database/roles/bad", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // An unquoted password makes a syntax error that quotes it: the message hides it.
    let (status, body) = s
        .call(
            "POST",
            "database/roles/bad",
            Some(json!({"db_name": "pg",
                        "creation_statements": "CREATE ROLE \"{{name}}\" LOGIN PASSWORD {{password}};"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let message = body["errors"][0].as_str().unwrap();
    assert!(message.contains(" at or near \"[password]\""), "{message}");

    // Creation works but the revocation cannot drop a user holding privileges (Vault's
    // classic irrevocable lease): refused now, and the trial user was rolled back.
    let (status, body) = s
        .call(
            "POST",
            "database/roles/bad",
            Some(
                json!({"db_name": "pg", "creation_statements": GRANTING_ROLE,
                        "revocation_statements": "DROP ROLE \"{{name}}\";"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let message = body["errors"][0].as_str().unwrap();
    assert!(
        message.contains("revocation_statements failed: ERROR: role \"v-trial-bad-"),
        "{message}"
    );
    assert!(
        message.contains("cannot be dropped because some objects depend on it"),
        "{message}"
    );
    assert!(s.dynamic_users().await.is_empty());

    // A role whose creation fails at issuance (the table it grants on is gone) leaves no lease.
    s.admin
        .batch_execute("CREATE TABLE temp_t (i int)")
        .await
        .unwrap();
    s.ok("POST", "database/roles/fragile", json!({"db_name": "pg",
        "creation_statements": "CREATE ROLE \"{{name}}\" LOGIN PASSWORD '{{password}}'; GRANT SELECT ON temp_t TO \"{{name}}\";"}))
        .await;
    s.admin.batch_execute("DROP TABLE temp_t").await.unwrap();
    let (status, body) = s.call("GET", "database/creds/fragile", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["errors"][0]
            .as_str()
            .unwrap()
            .contains("relation \"temp_t\" does not exist"),
        "{body}"
    );
    let (status, _) = s
        .call("LIST", "sys/leases/lookup/database/creds/fragile", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(s.dynamic_users().await.is_empty());

    // Statements that COMMIT part-way: the user exists although the request failed, so its
    // lease is kept and revoked at once instead of deleted, and the user is dropped.
    s.admin
        .batch_execute("CREATE TABLE temp_c (i int)")
        .await
        .unwrap();
    s.ok("POST", "database/roles/committing", json!({"db_name": "pg",
        "creation_statements": "CREATE ROLE \"{{name}}\" LOGIN PASSWORD '{{password}}'; COMMIT; GRANT SELECT ON temp_c TO \"{{name}}\";"}))
        .await;
    assert!(s.dynamic_users().await.is_empty(), "the trial left no user");
    s.admin.batch_execute("DROP TABLE temp_c").await.unwrap();
    let (status, _) = s.call("GET", "database/creds/committing", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let mut gone = false;
    for _ in 0..50 {
        if s.dynamic_users().await.is_empty() {
            gone = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        gone,
        "the half-created user was revoked: {:?}",
        s.dynamic_users().await
    );

    // Without revocation statements that drop the user, a committing role is refused.
    let (status, body) = s
        .call(
            "POST",
            "database/roles/leaky",
            Some(json!({"db_name": "pg",
            "creation_statements": "CREATE ROLE \"{{name}}\"; COMMIT;",
            "revocation_statements": "SELECT 1;"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["errors"][0]
            .as_str()
            .unwrap()
            .contains("commit on their own"),
        "{body}"
    );
    assert!(s.dynamic_users().await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revocation_hands_owned_objects_over_and_renewal_moves_valid_until() {
    let s = Setup::new().await;
    s.ok("POST", "database/roles/owner", json!({"db_name": "pg", "default_ttl": 600, "max_ttl": 3600,
        "creation_statements": "CREATE ROLE \"{{name}}\" LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'; GRANT CREATE ON SCHEMA public TO \"{{name}}\";"}))
        .await;
    let creds = s.ok("GET", "database/creds/owner", Value::Null).await;
    let user = creds["data"]["username"].as_str().unwrap();
    let password = creds["data"]["password"].as_str().unwrap();
    let lease = creds["lease_id"].as_str().unwrap();
    assert_eq!(creds["lease_duration"], 600);

    let url = format!(
        "postgres://{user}:{password}@127.0.0.1:{}/postgres",
        s.pg.port()
    );
    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .expect("the issued password logs in");
    tokio::spawn(conn);
    client
        .batch_execute("CREATE TABLE made_by_user (i int)")
        .await
        .unwrap();

    let left = valid_until(&s.admin, user).await;
    assert!(
        (600.0 + 5.0 - left).abs() < 3.0,
        "VALID UNTIL is lease end + 5 s: {left}"
    );
    let renewed = s
        .ok(
            "PUT",
            "sys/leases/renew",
            json!({"lease_id": lease, "increment": 1800}),
        )
        .await;
    assert_eq!(renewed["lease_duration"], 1800);
    let left = valid_until(&s.admin, user).await;
    assert!(
        (1800.0 + 5.0 - left).abs() < 3.0,
        "renewal moved VALID UNTIL: {left}"
    );

    let (status, _) = s
        .call("PUT", "sys/leases/revoke", Some(json!({"lease_id": lease})))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(s.dynamic_users().await.is_empty());
    let owner: String = s
        .admin
        .query_one(
            "SELECT tableowner::text FROM pg_tables WHERE tablename = 'made_by_user'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        owner, "postgres",
        "the user's table was handed to the connection's user"
    );
}

/// Seconds from now until `user`'s `VALID UNTIL`.
async fn valid_until(admin: &tokio_postgres::Client, user: &str) -> f64 {
    admin
        .query_one(
            "SELECT (extract(epoch FROM rolvaliduntil) - extract(epoch FROM now()))::float8 \
             FROM pg_roles WHERE rolname = $1",
            &[&user],
        )
        .await
        .unwrap()
        .get(0)
}

//! The Vault HTTP API exercised in-process through the real router: status codes, bodies and
//! the state left in storage.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{json, Value};
use strongroom_core::http::router;
use strongroom_core::node::{Node, NodeOptions};
use strongroom_core::storage::{Backend, InmemBackend};
use tower::ServiceExt;

struct Api {
    router: axum::Router,
    storage: Arc<dyn Backend>,
}

impl Api {
    fn new() -> Self {
        Self::over(Arc::new(InmemBackend::new()))
    }

    /// A fresh node over existing storage: what a restart looks like.
    fn over(storage: Arc<dyn Backend>) -> Self {
        let node = Node::new(storage.clone(), NodeOptions::default());
        Self {
            router: router(node),
            storage,
        }
    }

    async fn raw(&self, req: Request<Body>) -> (StatusCode, Value, axum::http::HeaderMap) {
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&bytes)))
        };
        (status, body, headers)
    }

    async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header("X-Vault-Token", t);
        }
        let body = body.map_or(Body::empty(), |b| Body::from(b.to_string()));
        let (status, body, _) = self.raw(req.body(body).unwrap()).await;
        (status, body)
    }

    async fn raw_body(&self, method: &str, path: &str, body: &'static str) -> (StatusCode, Value) {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .body(Body::from(body))
            .unwrap();
        let (status, body, _) = self.raw(req).await;
        (status, body)
    }

    /// Initializes with 5 shares / threshold 3 and returns (hex keys, base64 keys, root token).
    async fn init(&self) -> (Vec<String>, Vec<String>, String) {
        let (status, body) = self
            .call(
                "PUT",
                "/v1/sys/init",
                None,
                Some(json!({"secret_shares": 5, "secret_threshold": 3})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let strings = |k: &str| -> Vec<String> {
            body[k]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect()
        };
        (
            strings("keys"),
            strings("keys_base64"),
            body["root_token"].as_str().unwrap().to_owned(),
        )
    }

    async fn unseal(&self, key: &str) -> Value {
        let (status, body) = self
            .call("PUT", "/v1/sys/unseal", None, Some(json!({ "key": key })))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    async fn ready(&self) -> (Vec<String>, String) {
        let (keys, _, root) = self.init().await;
        for k in &keys[..3] {
            self.unseal(k).await;
        }
        (keys, root)
    }
}

#[tokio::test]
async fn init_and_unseal_follow_vaults_life_cycle() {
    let api = Api::new();
    let (status, body) = api.call("GET", "/v1/sys/init", None, None).await;
    assert_eq!(
        (status, body),
        (StatusCode::OK, json!({"initialized": false}))
    );
    let (_, status_body) = api.call("GET", "/v1/sys/seal-status", None, None).await;
    assert_eq!(status_body["initialized"], false);
    assert_eq!(
        (status_body["t"].clone(), status_body["n"].clone()),
        (json!(0), json!(0))
    );
    let (status, _) = api.call("GET", "/v1/sys/health", None, None).await;
    assert_eq!(status, StatusCode::NOT_IMPLEMENTED);

    let (keys, keys_b64, root) = api.init().await;
    assert_eq!(keys.len(), 5);
    assert!(keys.iter().all(|k| k.len() == 66), "33-byte shares in hex");
    assert!(
        keys_b64.iter().all(|k| k.len() == 44),
        "33-byte shares in base64"
    );
    assert!(root.starts_with("hvs.") && root.len() == 28);

    // Initialized, still sealed (Vault leaves Shamir nodes sealed after init).
    let (_, s) = api.call("GET", "/v1/sys/seal-status", None, None).await;
    assert_eq!(
        (s["initialized"].clone(), s["sealed"].clone()),
        (json!(true), json!(true))
    );
    assert_eq!(
        (s["t"].clone(), s["n"].clone(), s["progress"].clone()),
        (json!(3), json!(5), json!(0))
    );
    assert_eq!(s["type"], "shamir");
    assert_eq!(s["storage_type"], "inmem");
    assert!(s.get("cluster_id").is_none());
    let (status, _) = api.call("GET", "/v1/sys/health", None, None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);

    // Shares in hex and base64 both count; a repeated share is ignored.
    let s = api.unseal(&keys[0]).await;
    assert_eq!(
        (s["progress"].clone(), s["sealed"].clone()),
        (json!(1), json!(true))
    );
    let nonce = s["nonce"].as_str().unwrap().to_owned();
    assert!(!nonce.is_empty());
    let s = api.unseal(&keys_b64[0]).await;
    assert_eq!(s["progress"], 1, "duplicate share must not count");
    let s = api.unseal(&keys_b64[3]).await;
    assert_eq!(
        (s["progress"].clone(), s["nonce"].as_str().unwrap()),
        (json!(2), nonce.as_str())
    );
    let s = api.unseal(&keys[4]).await;
    assert_eq!(
        (s["sealed"].clone(), s["progress"].clone()),
        (json!(false), json!(0))
    );
    assert!(s["cluster_name"]
        .as_str()
        .unwrap()
        .starts_with("strongroom-cluster-"));

    let (status, h) = api.call("GET", "/v1/sys/health", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h["initialized"], true);
    assert_eq!(h["standby"], false);
    let (status, l) = api.call("GET", "/v1/sys/leader", None, None).await;
    assert_eq!(
        (status, l["ha_enabled"].clone()),
        (StatusCode::OK, json!(false))
    );

    // Unsealing an unsealed node is a no-op; init again is refused.
    assert_eq!(api.unseal(&keys[1]).await["sealed"], false);
    let (status, body) = api
        .call(
            "PUT",
            "/v1/sys/init",
            None,
            Some(json!({"secret_shares": 1, "secret_threshold": 1})),
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({"errors": ["Vault is already initialized"]})
        )
    );

    let (status, body) = api
        .call("GET", "/v1/auth/token/lookup-self", Some(&root), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"]["policies"], json!(["root"]));
    assert_eq!(body["data"]["id"], root);
    assert_eq!(body["mount_type"], "token");
}

#[tokio::test]
async fn envelope_status_codes_and_list_forms() {
    let api = Api::new();
    let (_, root) = api.ready().await;
    let t = Some(root.as_str());
    let (status, body) = api
        .call(
            "POST",
            "/v1/sys/mounts/secret",
            t,
            Some(json!({"type": "kv", "description": "app secrets"})),
        )
        .await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));

    let (status, body) = api
        .call(
            "PUT",
            "/v1/secret/app/db",
            t,
            Some(json!({"user": "app", "n": 3})),
        )
        .await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    api.call(
        "PUT",
        "/v1/secret/app/cache",
        t,
        Some(json!({"url": "redis://"})),
    )
    .await;
    api.call("PUT", "/v1/secret/top", t, Some(json!({"x": "y"})))
        .await;

    let (status, body) = api.call("GET", "/v1/secret/app/db", t, None).await;
    assert_eq!(status, StatusCode::OK);
    let mut envelope = body.as_object().unwrap().clone();
    assert!(
        uuid::Uuid::parse_str(envelope.remove("request_id").unwrap().as_str().unwrap()).is_ok()
    );
    assert_eq!(
        Value::Object(envelope),
        json!({"lease_id": "", "renewable": false, "lease_duration": 0,
               "data": {"user": "app", "n": 3}, "wrap_info": null, "warnings": null,
               "auth": null, "mount_type": "kv"})
    );

    // Missing reads and empty lists are 404 with an empty error list.
    assert_eq!(
        api.call("GET", "/v1/secret/nope", t, None).await,
        (StatusCode::NOT_FOUND, json!({"errors": []}))
    );
    assert_eq!(
        api.call("LIST", "/v1/secret/empty", t, None).await,
        (StatusCode::NOT_FOUND, json!({"errors": []}))
    );

    for (method, uri) in [
        ("LIST", "/v1/secret/"),
        ("GET", "/v1/secret?list=true"),
        ("LIST", "/v1/secret"),
    ] {
        let (status, body) = api.call(method, uri, t, None).await;
        assert_eq!(status, StatusCode::OK, "{method} {uri}");
        assert_eq!(
            body["data"]["keys"],
            json!(["app/", "top"]),
            "{method} {uri}"
        );
    }
    let (_, body) = api.call("GET", "/v1/secret/app?list=1", t, None).await;
    assert_eq!(body["data"]["keys"], json!(["cache", "db"]));

    // Authorization: Bearer works like X-Vault-Token.
    let req = Request::get("/v1/secret/top")
        .header("Authorization", format!("Bearer {root}"))
        .body(Body::empty())
        .unwrap();
    let (status, body, headers) = api.raw(req).await;
    assert_eq!(
        (status, body["data"]["x"].clone()),
        (StatusCode::OK, json!("y"))
    );
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["content-type"], "application/json");

    assert_eq!(
        api.call("DELETE", "/v1/secret/top", t, None).await,
        (StatusCode::NO_CONTENT, Value::Null)
    );
    assert_eq!(
        api.call("GET", "/v1/secret/top", t, None).await.0,
        StatusCode::NOT_FOUND
    );

    // sys/mounts copies data to the top level, as Vault does.
    let (status, body) = api.call("GET", "/v1/sys/mounts", t, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["secret/"]["type"], "kv");
    assert_eq!(body["data"]["secret/"]["description"], "app secrets");
    assert!(body["data"]["sys/"]["accessor"]
        .as_str()
        .unwrap()
        .starts_with("system_"));
    assert_eq!(body["secret/"]["options"], json!({"version": "1"}));
}

#[tokio::test]
async fn tokens_are_required_and_checked() {
    let api = Api::new();
    let (_, root) = api.ready().await;
    let denied = (
        StatusCode::FORBIDDEN,
        json!({"errors": ["permission denied"]}),
    );
    assert_eq!(api.call("GET", "/v1/sys/mounts", None, None).await, denied);
    assert_eq!(
        api.call("GET", "/v1/sys/mounts", Some("hvs.notatoken"), None)
            .await,
        denied
    );
    assert_eq!(api.call("PUT", "/v1/sys/seal", None, None).await, denied);
    assert_eq!(
        api.call("PUT", "/v1/sys/rotate", Some(""), None).await,
        denied
    );
    assert_eq!(
        api.call("GET", "/v1/sys/mounts", Some(&root), None).await.0,
        StatusCode::OK
    );
    // The CLI's kv preflight needs no token.
    let (status, body) = api
        .call("GET", "/v1/sys/internal/ui/mounts/sys/mounts", None, None)
        .await;
    assert_eq!(
        (status, body["data"]["type"].clone()),
        (StatusCode::OK, json!("system"))
    );
}

#[tokio::test]
async fn sealed_nodes_answer_503_and_keep_their_data() {
    let api = Api::new();
    let (keys, root) = api.ready().await;
    let t = Some(root.as_str());
    api.call("POST", "/v1/sys/mounts/kv", t, Some(json!({"type": "kv"})))
        .await;
    api.call("PUT", "/v1/kv/a", t, Some(json!({"v": 1}))).await;

    assert_eq!(
        api.call("PUT", "/v1/sys/seal", t, None).await,
        (StatusCode::NO_CONTENT, Value::Null)
    );
    let sealed = (
        StatusCode::SERVICE_UNAVAILABLE,
        json!({"errors": ["Vault is sealed"]}),
    );
    assert_eq!(api.call("GET", "/v1/kv/a", t, None).await, sealed);
    assert_eq!(api.call("GET", "/v1/sys/leader", None, None).await, sealed);
    assert_eq!(api.call("PUT", "/v1/sys/seal", t, None).await, sealed);
    let (status, body) = api.call("GET", "/v1/sys/health", None, None).await;
    assert_eq!(
        (status, body["sealed"].clone()),
        (StatusCode::SERVICE_UNAVAILABLE, json!(true))
    );
    let (status, _) = api
        .call(
            "GET",
            "/v1/sys/health?sealedcode=200&uninitcode=204",
            None,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    // reset clears progress; a reset on an unsealed node is refused.
    assert_eq!(api.unseal(&keys[0]).await["progress"], 1);
    let (_, s) = api
        .call("PUT", "/v1/sys/unseal", None, Some(json!({"reset": true})))
        .await;
    assert_eq!(
        (s["progress"].clone(), s["nonce"].clone()),
        (json!(0), json!(""))
    );
    for k in &keys[2..5] {
        api.unseal(k).await;
    }
    assert_eq!(
        api.call("GET", "/v1/kv/a", t, None).await.1["data"],
        json!({"v": 1})
    );
    let (status, body) = api
        .call("PUT", "/v1/sys/unseal", None, Some(json!({"reset": true})))
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({"errors": ["vault is unsealed"]})
        )
    );
}

#[tokio::test]
async fn restart_comes_back_sealed_and_unseals_with_the_same_shares() {
    let storage: Arc<dyn Backend> = Arc::new(InmemBackend::new());
    let api = Api::over(storage.clone());
    let (keys, root) = api.ready().await;
    let t = Some(root.as_str());
    api.call("POST", "/v1/sys/mounts/kv", t, Some(json!({"type": "kv"})))
        .await;
    api.call("PUT", "/v1/kv/persisted", t, Some(json!({"answer": 42})))
        .await;
    drop(api);

    let restarted = Api::over(storage);
    let (_, s) = restarted
        .call("GET", "/v1/sys/seal-status", None, None)
        .await;
    assert_eq!(
        (s["initialized"].clone(), s["sealed"].clone()),
        (json!(true), json!(true))
    );
    for k in [&keys[4], &keys[1], &keys[3]] {
        restarted.unseal(k).await;
    }
    let (status, body) = restarted.call("GET", "/v1/kv/persisted", t, None).await;
    assert_eq!(
        (status, body["data"].clone()),
        (StatusCode::OK, json!({"answer": 42}))
    );
}

#[tokio::test]
async fn bad_input_gets_precise_errors_and_changes_nothing() {
    let api = Api::new();
    let bad = |m: &str| (StatusCode::BAD_REQUEST, json!({"errors": [m]}));

    // Malformed or mistyped init requests, before anything exists.
    let (status, body) = api
        .raw_body("PUT", "/v1/sys/init", "{\"secret_shares\": 5,")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["errors"][0]
        .as_str()
        .unwrap()
        .starts_with("failed to parse JSON input: EOF while parsing"));
    assert_eq!(
        api.raw_body("PUT", "/v1/sys/init", "[5, 3]").await,
        bad("failed to parse JSON input: request body must be a JSON object, got an array")
    );
    assert_eq!(
        api.call(
            "PUT",
            "/v1/sys/init",
            None,
            Some(json!({"secret_shares": "five", "secret_threshold": 3}))
        )
        .await,
        bad("invalid value for \"secret_shares\": expected a non-negative integer, got \"five\"")
    );
    assert_eq!(
        api.call(
            "PUT",
            "/v1/sys/init",
            None,
            Some(json!({"secret_shares": 3, "secret_threshold": 5}))
        )
        .await,
        bad("invalid seal configuration: threshold cannot be larger than shares")
    );
    assert_eq!(
        api.call(
            "PUT",
            "/v1/sys/init",
            None,
            Some(json!({"secret_shares": 3, "secret_threshold": 2, "recovery_shares": 5}))
        )
        .await,
        bad("parameters recovery_shares not applicable to seal type shamir")
    );
    assert_eq!(
        api.call(
            "PUT",
            "/v1/sys/unseal",
            None,
            Some(json!({"key": "00".repeat(33)}))
        )
        .await,
        bad("Vault is not initialized")
    );
    assert!(
        api.storage.list("").await.unwrap().is_empty(),
        "failed inits must store nothing"
    );

    let (keys, root) = api.ready().await;
    let t = Some(root.as_str());
    api.call("PUT", "/v1/sys/seal", t, None).await;

    // Unseal key problems.
    assert_eq!(
        api.call("PUT", "/v1/sys/unseal", None, Some(json!({})))
            .await,
        bad("'key' must be specified in request body as JSON, or 'reset' set to true")
    );
    assert_eq!(
        api.call(
            "PUT",
            "/v1/sys/unseal",
            None,
            Some(json!({"key": "not/a*key"}))
        )
        .await,
        bad("'key' must be a valid hex or base64 string")
    );
    assert_eq!(
        api.call("PUT", "/v1/sys/unseal", None, Some(json!({"key": "abcd"})))
            .await,
        bad("key is shorter than minimum 16 bytes")
    );
    assert_eq!(
        api.call("PUT", "/v1/sys/unseal", None, Some(json!({"key": 12345})))
            .await
            .0,
        StatusCode::BAD_REQUEST
    );
    // Two good shares and a wrong one: refused, progress reset, still sealed.
    api.unseal(&keys[0]).await;
    api.unseal(&keys[1]).await;
    let mut wrong = hex::decode(&keys[2]).unwrap();
    wrong[0] ^= 0xff;
    assert_eq!(
        api.call(
            "PUT",
            "/v1/sys/unseal",
            None,
            Some(json!({"key": hex::encode(wrong)}))
        )
        .await,
        bad("unseal failed, invalid key")
    );
    let (_, s) = api.call("GET", "/v1/sys/seal-status", None, None).await;
    assert_eq!(
        (s["sealed"].clone(), s["progress"].clone()),
        (json!(true), json!(0))
    );
    for k in &keys[..3] {
        api.unseal(k).await;
    }

    // Unknown paths, methods, and bad query parameters.
    assert_eq!(
        api.call("GET", "/v1/nomount/x", t, None).await,
        (
            StatusCode::NOT_FOUND,
            json!({"errors": ["no handler for route \"nomount/x\". route entry not found."]})
        )
    );
    assert_eq!(
        api.call("GET", "/v1/sys/nothing-here", t, None).await,
        (
            StatusCode::NOT_FOUND,
            json!({"errors": ["no handler for route \"sys/nothing-here\". route entry not found."]})
        )
    );
    assert_eq!(
        api.call("GET", "/nonsense", None, None).await,
        (StatusCode::NOT_FOUND, json!({"errors": []}))
    );
    let (status, body) = api.call("PATCH", "/v1/sys/mounts", t, None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(body["errors"][0].as_str().unwrap().contains("PATCH"));
    assert_eq!(
        api.call("DELETE", "/v1/sys/init", None, None).await.0,
        StatusCode::METHOD_NOT_ALLOWED
    );
    assert_eq!(
        api.call("DELETE", "/v1/sys/rotate", t, None).await.0,
        StatusCode::METHOD_NOT_ALLOWED
    );
    assert_eq!(
        api.call("GET", "/v1/sys/health?standbycode=abc", None, None)
            .await,
        bad("invalid value for \"standbycode\": expected an HTTP status code, got \"abc\"")
    );
    assert_eq!(
        api.call("GET", "/v1/sys/mounts?list=maybe", t, None).await,
        bad("invalid value for \"list\": expected a boolean, got \"maybe\"")
    );

    // Mount mistakes.
    assert_eq!(
        api.call(
            "POST",
            "/v1/sys/mounts/x",
            t,
            Some(json!({"type": "nosuch"}))
        )
        .await,
        bad("plugin not found in the catalog: nosuch")
    );
    assert_eq!(
        api.call("POST", "/v1/sys/mounts/x", t, Some(json!({})))
            .await,
        bad("missing required field \"type\"")
    );
    api.call(
        "POST",
        "/v1/sys/mounts/secret",
        t,
        Some(json!({"type": "kv"})),
    )
    .await;
    assert_eq!(
        api.call(
            "POST",
            "/v1/sys/mounts/secret/inner",
            t,
            Some(json!({"type": "kv"}))
        )
        .await,
        bad("path is already in use at secret/")
    );
    assert_eq!(
        api.call(
            "POST",
            "/v1/sys/mounts/sys/x",
            t,
            Some(json!({"type": "kv"}))
        )
        .await,
        bad("cannot mount at \"sys/x/\": \"sys/\" is reserved")
    );
    assert_eq!(
        api.call("PUT", "/v1/secret/k", t, Some(json!({}))).await,
        bad("no data provided")
    );
    assert_eq!(
        api.call("DELETE", "/v1/sys/mounts/sys", t, None).await,
        bad("cannot unmount \"sys/\"")
    );

    // Oversized bodies are refused before parsing.
    let huge = "x".repeat(strongroom_core::http::MAX_REQUEST_SIZE + 1);
    let req = Request::put("/v1/secret/big")
        .header("X-Vault-Token", &root)
        .body(Body::from(huge))
        .unwrap();
    let (status, body, _) = api.raw(req).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(body["errors"][0].as_str().unwrap().contains("too large"));
    assert_eq!(
        api.call("GET", "/v1/secret/big", t, None).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn rotation_keeps_old_data_readable() {
    let api = Api::new();
    let (_, root) = api.ready().await;
    let t = Some(root.as_str());
    api.call("POST", "/v1/sys/mounts/kv", t, Some(json!({"type": "kv"})))
        .await;
    api.call("PUT", "/v1/kv/before", t, Some(json!({"v": "old"})))
        .await;
    let (_, ks) = api.call("GET", "/v1/sys/key-status", t, None).await;
    assert_eq!(
        (ks["term"].clone(), ks["data"]["term"].clone()),
        (json!(1), json!(1))
    );

    assert_eq!(
        api.call("PUT", "/v1/sys/rotate", t, None).await,
        (StatusCode::NO_CONTENT, Value::Null)
    );
    api.call("PUT", "/v1/kv/after", t, Some(json!({"v": "new"})))
        .await;
    let (_, ks) = api.call("GET", "/v1/sys/key-status", t, None).await;
    assert_eq!(ks["term"], 2);
    assert!(ks["install_time"].as_str().unwrap().ends_with('Z'));

    let term_of = |raw: Vec<u8>| u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]);
    let uuid = api.call("GET", "/v1/sys/mounts/kv", t, None).await.1["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = api
        .storage
        .get(&format!("logical/{uuid}/before"))
        .await
        .unwrap()
        .unwrap();
    let after = api
        .storage
        .get(&format!("logical/{uuid}/after"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((term_of(before), term_of(after)), (1, 2));
    assert_eq!(
        api.call("GET", "/v1/kv/before", t, None).await.1["data"]["v"],
        "old"
    );
    assert_eq!(
        api.call("GET", "/v1/kv/after", t, None).await.1["data"]["v"],
        "new"
    );
}

#[tokio::test]
async fn a_corrupted_value_is_a_500_and_the_server_keeps_serving() {
    let api = Api::new();
    let (_, root) = api.ready().await;
    let t = Some(root.as_str());
    api.call("POST", "/v1/sys/mounts/kv", t, Some(json!({"type": "kv"})))
        .await;
    api.call("PUT", "/v1/kv/victim", t, Some(json!({"v": 1})))
        .await;
    api.call("PUT", "/v1/kv/bystander", t, Some(json!({"v": 2})))
        .await;
    let uuid = api.call("GET", "/v1/sys/mounts/kv", t, None).await.1["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    let key = format!("logical/{uuid}/victim");
    let mut raw = api.storage.get(&key).await.unwrap().unwrap();
    let last = raw.len() - 1;
    raw[last] ^= 0x01; // flip a bit of the GCM tag
    api.storage.put(&key, &raw).await.unwrap();

    let (status, body) = api.call("GET", "/v1/kv/victim", t, None).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        body,
        json!({"errors": [format!("decryption failed for the value stored at \"{key}\": cipher: message authentication failed")]})
    );
    assert_eq!(
        api.storage.get(&key).await.unwrap().unwrap(),
        raw,
        "corrupt value must be left as found"
    );
    assert_eq!(
        api.call("GET", "/v1/kv/bystander", t, None).await.1["data"]["v"],
        2
    );
}

#[tokio::test]
async fn unmount_erases_the_mounts_data() {
    let api = Api::new();
    let (_, root) = api.ready().await;
    let t = Some(root.as_str());
    api.call(
        "POST",
        "/v1/sys/mounts/team/kv",
        t,
        Some(json!({"type": "kv"})),
    )
    .await;
    let uuid = api.call("GET", "/v1/sys/mounts/team/kv", t, None).await.1["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    for i in 0..5 {
        api.call(
            "PUT",
            &format!("/v1/team/kv/dir/k{i}"),
            t,
            Some(json!({"i": i})),
        )
        .await;
    }
    assert_eq!(
        api.storage
            .list(&format!("logical/{uuid}/dir/"))
            .await
            .unwrap()
            .len(),
        5
    );
    assert_eq!(
        api.call("DELETE", "/v1/sys/mounts/team/kv", t, None)
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    assert!(api
        .storage
        .list(&format!("logical/{uuid}/"))
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        api.call("GET", "/v1/team/kv/dir/k1", t, None).await.0,
        StatusCode::NOT_FOUND
    );
    let (_, mounts) = api.call("GET", "/v1/sys/mounts", t, None).await;
    assert!(mounts["data"].get("team/kv/").is_none());
    // Disabling what is not mounted succeeds, as in Vault.
    assert_eq!(
        api.call("DELETE", "/v1/sys/mounts/team/kv", t, None)
            .await
            .0,
        StatusCode::NO_CONTENT
    );
}

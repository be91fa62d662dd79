//! The router front ends serve: the Vault API of the host's node, `sys/setup/*` for the
//! first-run wizard, and the web UI at `/ui` when there is one to serve.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::handler::Handler;
use axum::http::{Method, Request, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{any, get, post, MethodRouter};
use axum::Router;
use serde_json::{json, Value};
use tower::ServiceExt;

use super::response::{json_response, ApiError};
use super::ui::{self, UiAssets};
use crate::host::Host;
use crate::setup::SetupError;

#[derive(Clone)]
struct HostState {
    host: Arc<Host>,
    ui: Option<&'static UiAssets>,
}

impl HostState {
    /// The UI is served while setting up (it is how setup is done) and afterwards when the
    /// config says `ui = true`.
    fn serves_ui(&self) -> Option<&'static UiAssets> {
        self.ui
            .filter(|_| self.host.running().is_none_or(|r| r.config.ui))
    }
}

/// The router for `host`; `ui` is the built web UI, when this front end serves one.
pub fn host_router(host: Arc<Host>, ui: Option<&'static UiAssets>) -> Router {
    Router::new()
        .route("/v1/sys/setup", get(status).fallback(unsupported))
        // Vault treats PUT and POST alike; so do these.
        .route("/v1/sys/setup/storage/test", write(storage_test))
        .route("/v1/sys/setup/storage/create-table", write(create_table))
        .route("/v1/sys/setup/seal/test", write(seal_test))
        .route("/v1/sys/setup/iam", write(iam))
        .route("/v1/sys/setup/config", write(config))
        .route("/v1/{*path}", any(api))
        .route("/", get(root))
        .route("/ui", get(|| async { Redirect::permanent("/ui/") }))
        .route("/ui/", get(ui_index))
        .route("/ui/{*file}", get(ui_file))
        .fallback(|| async { ApiError::empty(StatusCode::NOT_FOUND).into_response() })
        .with_state(HostState { host, ui })
}

/// A `PUT`/`POST` route; other methods get Vault's 405.
fn write<H, T>(handler: H) -> MethodRouter<HostState>
where
    H: Handler<T, HostState>,
    T: 'static,
{
    post(handler.clone()).put(handler).fallback(unsupported)
}

async fn unsupported() -> Response {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "unsupported operation").into_response()
}

/// Everything else under `/v1`: the node's API, or a 503 until setup is done.
async fn api(State(state): State<HostState>, req: Request<Body>) -> Response {
    match state.host.running() {
        Some(running) => match running.router.clone().oneshot(req).await {
            Ok(response) => response,
            Err(never) => match never {},
        },
        None => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Strongroom is not set up yet: finish the setup wizard (the web UI at /ui, or \
             POST /v1/sys/setup/config)",
        )
        .into_response(),
    }
}

async fn status(State(state): State<HostState>) -> Response {
    json_response(StatusCode::OK, &json!(state.host.status()))
}

/// A setup failure: 400 with Vault's `errors` plus the form `field` at fault.
fn setup_error(e: SetupError) -> Response {
    let mut body = json!({ "errors": [e.message] });
    if let Some(field) = e.field {
        body["field"] = Value::String(field);
    }
    json_response(StatusCode::BAD_REQUEST, &body)
}

/// Parses a setup request body (an object; empty means `{}`).
fn body(bytes: &Bytes) -> Result<Value, SetupError> {
    if bytes.is_empty() {
        return Ok(json!({}));
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(value @ Value::Object(_)) => Ok(value),
        Ok(_) => Err(SetupError::general(
            "the request body must be a JSON object",
        )),
        Err(e) => Err(SetupError::general(format!(
            "failed to parse JSON input: {e}"
        ))),
    }
}

fn answer<T: serde::Serialize>(result: Result<T, SetupError>) -> Response {
    match result {
        Ok(value) => json_response(StatusCode::OK, &json!(value)),
        Err(e) => setup_error(e),
    }
}

async fn storage_test(State(state): State<HostState>, bytes: Bytes) -> Response {
    answer(match body(&bytes) {
        Ok(body) => state.host.check_storage(&body, false).await,
        Err(e) => Err(e),
    })
}

async fn create_table(State(state): State<HostState>, bytes: Bytes) -> Response {
    answer(match body(&bytes) {
        Ok(body) => state.host.check_storage(&body, true).await,
        Err(e) => Err(e),
    })
}

async fn seal_test(State(state): State<HostState>, bytes: Bytes) -> Response {
    answer(match body(&bytes) {
        Ok(body) => state.host.check_seal(&body).await,
        Err(e) => Err(e),
    })
}

async fn iam(State(state): State<HostState>, bytes: Bytes) -> Response {
    answer(body(&bytes).and_then(|body| state.host.iam_documents(&body["storage"], &body["seal"])))
}

async fn config(State(state): State<HostState>, bytes: Bytes) -> Response {
    let body = match body(&bytes) {
        Ok(body) => body,
        Err(e) => return setup_error(e),
    };
    let dry_run = match &body["dry_run"] {
        Value::Null => false,
        Value::Bool(b) => *b,
        _ => return setup_error(SetupError::field("dry_run", "dry_run must be a boolean")),
    };
    answer(
        state
            .host
            .apply(&body["storage"], &body["seal"], dry_run)
            .await,
    )
}

/// `/`: to the UI when it is served (as Vault does), else 404.
async fn root(State(state): State<HostState>) -> Response {
    match state.serves_ui() {
        Some(_) => Redirect::temporary("/ui/").into_response(),
        None => ApiError::empty(StatusCode::NOT_FOUND).into_response(),
    }
}

async fn ui_index(State(state): State<HostState>, method: Method) -> Response {
    ui::serve(state.serves_ui(), "index.html", &method)
}

async fn ui_file(
    State(state): State<HostState>,
    Path(file): Path<String>,
    method: Method,
) -> Response {
    ui::serve(state.serves_ui(), &file, &method)
}

//! `vault_request`: the UI's one door to the core's API, in-process.

use axum::body::Body;
use axum::http::{Method, Request};
use serde::Serialize;
use serde_json::Value;
use tauri::State;
use tower::ServiceExt;

use crate::error::CommandError;
use crate::state::AppState;

/// The HTTP status and JSON body of an API answer (body `null` for 204). No `Debug`: bodies
/// carry secrets.
#[derive(Serialize)]
pub struct ApiReply {
    pub status: u16,
    pub body: Value,
}

/// Builds the HTTP request the router expects from the IPC arguments.
fn build_request(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> Result<Request<Body>, CommandError> {
    let method = Method::from_bytes(method.as_bytes())
        .map_err(|_| CommandError::InvalidRequest(format!("invalid method {method:?}")))?;
    let path = path.trim_start_matches('/');
    let mut builder = Request::builder().method(method).uri(format!("/v1/{path}"));
    if let Some(token) = token.filter(|t| !t.is_empty()) {
        builder = builder.header("X-Vault-Token", token);
    }
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    builder
        .body(body)
        .map_err(|_| CommandError::InvalidRequest(format!("invalid API path {path:?}")))
}

/// Sends one API request to the in-process core and returns its status and body.
#[tauri::command]
pub async fn vault_request(
    state: State<'_, AppState>,
    method: String,
    path: String,
    token: Option<String>,
    body: Option<Value>,
) -> Result<ApiReply, CommandError> {
    let router = state.router()?;
    let request = build_request(&method, &path, token.as_deref(), body.as_ref())?;
    let response = router
        .oneshot(request)
        .await
        .map_err(|e| CommandError::Internal(e.to_string()))?;
    let status = response.status().as_u16();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .map_err(|e| CommandError::Internal(e.to_string()))?;
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).map_err(|e| CommandError::Internal(e.to_string()))?
    };
    Ok(ApiReply { status, body })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_built_like_http_ones() {
        let req = build_request("LIST", "/secret/", Some("t"), None).unwrap();
        assert_eq!(req.method().as_str(), "LIST");
        assert_eq!(req.uri(), "/v1/secret/");
        assert_eq!(req.headers()["x-vault-token"], "t");
        assert!(build_request("GET", "a b", None, None).is_err());
        assert!(build_request("BAD METHOD", "x", None, None).is_err());
    }
}

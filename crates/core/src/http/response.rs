//! Vault's response shapes: the envelope, `{"errors": [...]}`, and status codes.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use super::request::ApiRequest;
use crate::error::{Classify, ErrorKind};
use crate::logical::{Operation, Request};
use crate::node::{Node, NodeError, Reply};

/// An error answer: a status and Vault's `{"errors": [...]}` body.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    errors: Vec<String>,
}

/// The HTTP status for an error kind.
pub(crate) fn status_for(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::InvalidRequest => StatusCode::BAD_REQUEST,
        ErrorKind::PermissionDenied => StatusCode::FORBIDDEN,
        ErrorKind::UnsupportedPath => StatusCode::NOT_FOUND,
        ErrorKind::UnsupportedOperation => StatusCode::METHOD_NOT_ALLOWED,
        ErrorKind::Sealed => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        ErrorKind::Upstream => StatusCode::BAD_GATEWAY,
    }
}

impl ApiError {
    /// An error with one message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            errors: vec![message.into()],
        }
    }

    /// An error with an empty list, Vault's answer for "nothing here".
    pub fn empty(status: StatusCode) -> Self {
        Self {
            status,
            errors: Vec::new(),
        }
    }

    /// A 400.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// Classifies a module error once, here at the edge.
    pub fn from_error<E: Classify + std::fmt::Display>(error: &E) -> Self {
        let kind = error.kind();
        if matches!(kind, ErrorKind::Internal | ErrorKind::Upstream) {
            tracing::error!(error = %error, "internal error");
        }
        Self::new(status_for(kind), error.to_string())
    }

    #[cfg(test)]
    pub fn message(&self) -> &str {
        self.errors.first().map_or("", String::as_str)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_response(self.status, &json!({ "errors": self.errors }))
    }
}

/// A JSON response with Vault's headers.
pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// 204 No Content.
pub(crate) fn no_content() -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `sys/` paths whose `data` Vault also copies to the top level of the response.
fn injects_data(path: &str) -> bool {
    path == "sys/mounts"
        || path.starts_with("sys/mounts/")
        || path == "sys/key-status"
        || path == "sys/rotate"
        || path == "sys/policy"
        || path.starts_with("sys/policy/")
        || path.starts_with("sys/capabilities")
}

/// Runs a logical request and writes Vault's envelope.
pub(super) async fn logical(node: &Node, api: ApiRequest) -> Response {
    let Some(operation) = api.operation else {
        return ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            format!(
                "unsupported operation: method {} is not supported",
                api.method
            ),
        )
        .into_response();
    };
    let path = api.path.clone();
    let uri = api.uri.clone();
    let request = Request {
        operation,
        path: api.path,
        data: api.data,
        client_token: api.token,
    };
    match node.handle(request).await {
        Ok(reply) => envelope(&path, reply),
        Err(NodeError::Standby(Some(leader))) => redirect(&leader, &uri),
        Err(error) => ApiError::from_error(&error).into_response(),
    }
}

/// A standby's answer: 307 to the same path on the active node, which Vault's client
/// libraries and the CLI follow (keeping the method and body).
fn redirect(leader: &str, uri: &str) -> Response {
    let location = format!("{}{uri}", leader.trim_end_matches('/'));
    match HeaderValue::from_str(&location) {
        Ok(value) => {
            let mut response = StatusCode::TEMPORARY_REDIRECT.into_response();
            response.headers_mut().insert(header::LOCATION, value);
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(_) => ApiError::from_error(&NodeError::Standby(None)).into_response(),
    }
}

fn envelope(path: &str, reply: Reply) -> Response {
    let Some(response) = reply.response else {
        return match reply.operation {
            Operation::Read | Operation::List => {
                ApiError::empty(StatusCode::NOT_FOUND).into_response()
            }
            _ => no_content(),
        };
    };
    if reply.operation == Operation::List {
        let empty = response
            .data
            .as_ref()
            .and_then(|d| d.get("keys"))
            .and_then(Value::as_array)
            .is_none_or(Vec::is_empty);
        if empty {
            return ApiError::empty(StatusCode::NOT_FOUND).into_response();
        }
    }
    let mut body = Map::new();
    body.insert(
        "request_id".into(),
        Value::String(uuid::Uuid::new_v4().to_string()),
    );
    let lease = response.lease.as_ref();
    body.insert(
        "lease_id".into(),
        Value::String(lease.map_or_else(String::new, |l| l.lease_id.clone())),
    );
    body.insert(
        "renewable".into(),
        Value::Bool(lease.is_some_and(|l| l.renewable)),
    );
    body.insert(
        "lease_duration".into(),
        Value::from(lease.map_or(0, |l| l.duration)),
    );
    body.insert(
        "data".into(),
        response.data.clone().map_or(Value::Null, Value::Object),
    );
    body.insert("wrap_info".into(), Value::Null);
    body.insert(
        "warnings".into(),
        if response.warnings.is_empty() {
            Value::Null
        } else {
            json!(response.warnings)
        },
    );
    body.insert("auth".into(), response.auth.clone().unwrap_or(Value::Null));
    body.insert("mount_type".into(), Value::String(reply.mount_type));
    if injects_data(path) {
        if let Some(data) = response.data {
            for (k, v) in data {
                body.entry(k).or_insert(v);
            }
        }
    }
    let status = if response.accepted {
        StatusCode::ACCEPTED
    } else {
        StatusCode::OK
    };
    json_response(status, &Value::Object(body))
}

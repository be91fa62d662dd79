//! Turning an HTTP request into a logical request, Vault's way.

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use serde_json::{Map, Value};

use super::response::ApiError;
use super::MAX_REQUEST_SIZE;
use crate::logical::{self, Operation};

/// A `/v1/` request after parsing.
pub(super) struct ApiRequest {
    /// The HTTP method.
    pub method: Method,
    /// The path below `/v1/` (no leading slash; lists end with `/`).
    pub path: String,
    /// The logical operation (`None` for methods Vault does not map).
    pub operation: Option<Operation>,
    /// JSON body, or query parameters for reads and lists.
    pub data: Map<String, Value>,
    /// The client token.
    pub token: Option<String>,
    /// Query parameters as given.
    pub query: Vec<(String, String)>,
    /// The path and query as received, for redirecting to the active node.
    pub uri: String,
}

/// The token from `X-Vault-Token`, else from `Authorization: Bearer`.
fn token(headers: &HeaderMap) -> Option<String> {
    if let Some(t) = headers.get("x-vault-token").and_then(|v| v.to_str().ok()) {
        return Some(t.trim().to_owned()).filter(|t| !t.is_empty());
    }
    let auth = headers.get("authorization")?.to_str().ok()?;
    let (scheme, rest) = auth.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| rest.trim().to_owned())
        .filter(|t| !t.is_empty())
}

fn parse_query(raw: Option<&str>) -> Vec<(String, String)> {
    raw.map(url_decode_pairs).unwrap_or_default()
}

/// Decodes `a=b&c=d` with percent-escapes and `+` for space.
fn url_decode_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k, true), percent_decode(v, true))
        })
        .collect()
}

/// Decodes `%XX` escapes (and `+` as a space in query strings); malformed escapes stay as
/// they are, like Go's lenient handling of request paths.
fn percent_decode(s: &str, plus_is_space: bool) -> String {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' if plus_is_space => out.push(b' '),
            b'%' => {
                match (
                    bytes.get(i + 1).copied().and_then(hex),
                    bytes.get(i + 2).copied().and_then(hex),
                ) {
                    (Some(h), Some(l)) => {
                        out.push(h << 4 | l);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses a JSON request body; empty bodies are an empty object.
pub(super) fn parse_body(bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(Value::Null) => Ok(Map::new()),
        Ok(other) => Err(ApiError::bad_request(format!(
            "failed to parse JSON input: request body must be a JSON object, got {}",
            type_name(&other)
        ))),
        Err(e) => Err(ApiError::bad_request(format!(
            "failed to parse JSON input: {e}"
        ))),
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl ApiRequest {
    /// Reads and validates an HTTP request.
    pub async fn read(req: Request<Body>) -> Result<Self, ApiError> {
        let (parts, body) = req.into_parts();
        let mut path = percent_decode(parts.uri.path().strip_prefix("/v1/").unwrap_or(""), false);
        let query = parse_query(parts.uri.query());
        let list_param = match query.iter().find(|(k, _)| k == "list") {
            None => false,
            Some((_, v)) => logical::Fields::new(&Map::from_iter([(
                "list".to_owned(),
                Value::String(v.clone()),
            )]))
            .boolean("list")
            .map_err(|e| ApiError::bad_request(e.to_string()))?
            .unwrap_or(false),
        };
        let operation = match parts.method.as_str() {
            "GET" if list_param => Some(Operation::List),
            "GET" | "HEAD" => Some(Operation::Read),
            "LIST" => Some(Operation::List),
            "POST" | "PUT" => Some(Operation::Update),
            "DELETE" => Some(Operation::Delete),
            _ => None,
        };
        if operation == Some(Operation::List) && !path.ends_with('/') {
            path.push('/');
        }
        let bytes = axum::body::to_bytes(body, MAX_REQUEST_SIZE)
            .await
            .map_err(|_| {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("http: request body too large (limit {MAX_REQUEST_SIZE} bytes)"),
                )
            })?;
        let data = match operation {
            Some(Operation::Read | Operation::List) => {
                let mut data = parse_body(&bytes)?;
                for (k, v) in &query {
                    if k != "list" {
                        data.entry(k.clone())
                            .or_insert_with(|| Value::String(v.clone()));
                    }
                }
                data
            }
            _ => parse_body(&bytes)?,
        };
        Ok(Self {
            method: parts.method,
            path,
            operation,
            data,
            token: token(&parts.headers),
            query,
            uri: parts
                .uri
                .path_and_query()
                .map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_come_from_either_header_x_vault_token_first() {
        let mut h = HeaderMap::new();
        h.insert("authorization", "Bearer abc".parse().unwrap());
        assert_eq!(token(&h).as_deref(), Some("abc"));
        h.insert("x-vault-token", "xyz".parse().unwrap());
        assert_eq!(token(&h).as_deref(), Some("xyz"));
        let mut basic = HeaderMap::new();
        basic.insert("authorization", "Basic abc".parse().unwrap());
        assert_eq!(token(&basic), None);
    }

    #[test]
    fn query_strings_are_decoded() {
        assert_eq!(
            url_decode_pairs("a=b%20c&d=e+f&flag&x=%zz"),
            vec![
                ("a".into(), "b c".into()),
                ("d".into(), "e f".into()),
                ("flag".into(), "".into()),
                ("x".into(), "%zz".into())
            ]
        );
        assert_eq!(percent_decode("a%2Fb+c%", false), "a/b+c%");
    }

    #[test]
    fn bodies_must_be_objects() {
        assert!(parse_body(b"").unwrap().is_empty());
        assert!(parse_body(b"  \n").unwrap().is_empty());
        assert!(parse_body(b"null").unwrap().is_empty());
        assert_eq!(parse_body(b"{\"a\":1}").unwrap()["a"], 1);
        assert!(parse_body(b"[1]")
            .unwrap_err()
            .message()
            .contains("must be a JSON object, got an array"));
        assert!(parse_body(b"{\"a\":")
            .unwrap_err()
            .message()
            .starts_with("failed to parse JSON input: EOF while parsing"));
    }
}

//! The `sys/` endpoints Vault answers outside the logical router: they work while sealed
//! (`init`, `unseal`, `seal-status`, `health`, `leader`), act on the node (`seal`), or are
//! authorized by key shares instead of a token (`generate-root/attempt`, `generate-root/update`),
//! and return raw JSON rather than the envelope.

use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::request::ApiRequest;
use super::response::{json_response, no_content, ApiError};
use crate::logical::Fields;
use crate::node::{InitRequest, Node, UnsealRequest};

/// The raw endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Endpoint {
    Init,
    SealStatus,
    Unseal,
    Seal,
    Health,
    Leader,
    GenerateRootAttempt,
    GenerateRootUpdate,
}

/// Which raw endpoint `path` names, if any (a trailing `/` is tolerated).
pub(super) fn raw_endpoint(path: &str) -> Option<Endpoint> {
    match path.trim_end_matches('/') {
        "sys/init" => Some(Endpoint::Init),
        "sys/seal-status" => Some(Endpoint::SealStatus),
        "sys/unseal" => Some(Endpoint::Unseal),
        "sys/seal" => Some(Endpoint::Seal),
        "sys/health" => Some(Endpoint::Health),
        "sys/leader" => Some(Endpoint::Leader),
        "sys/generate-root/attempt" => Some(Endpoint::GenerateRootAttempt),
        "sys/generate-root/update" => Some(Endpoint::GenerateRootUpdate),
        _ => None,
    }
}

fn not_allowed(api: &ApiRequest) -> Response {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!(
            "unsupported operation: method {} is not supported on {}",
            api.method,
            api.path.trim_end_matches('/')
        ),
    )
    .into_response()
}

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn bad(e: impl std::fmt::Display) -> ApiError {
    ApiError::bad_request(e.to_string())
}

/// Answers a raw endpoint.
pub(super) async fn handle(node: &Node, endpoint: Endpoint, api: ApiRequest) -> Response {
    let write = matches!(api.method, Method::PUT | Method::POST);
    let read = matches!(api.method, Method::GET);
    match endpoint {
        Endpoint::Init if read => match node.initialized().await {
            Ok(initialized) => {
                json_response(StatusCode::OK, &json!({ "initialized": initialized }))
            }
            Err(e) => ApiError::from_error(&e).into_response(),
        },
        Endpoint::Init if write => match init_request(&api) {
            Ok(req) => reply(node.init(req).await),
            Err(error) => error.into_response(),
        },
        Endpoint::SealStatus if read => reply(node.seal_status().await),
        Endpoint::Unseal if write => {
            let fields = Fields::new(&api.data);
            let req = (|| {
                Ok::<_, crate::logical::LogicalError>(UnsealRequest {
                    key: fields.string("key")?,
                    reset: fields.boolean("reset")?.unwrap_or(false),
                    migrate: fields.boolean("migrate")?.unwrap_or(false),
                })
            })();
            match req {
                Ok(req) => reply(node.unseal(req).await),
                Err(e) => bad(e).into_response(),
            }
        }
        Endpoint::Seal if write => match node.seal(api.token.as_deref()).await {
            Ok(()) => no_content(),
            Err(e) => ApiError::from_error(&e).into_response(),
        },
        Endpoint::Health if read || api.method == Method::HEAD => health(node, &api).await,
        Endpoint::Leader if read => reply(node.leader()),
        Endpoint::GenerateRootAttempt if read => reply(node.generate_root_status().await),
        Endpoint::GenerateRootAttempt if write => {
            let fields = Fields::new(&api.data);
            match (fields.string("otp"), fields.string("pgp_key")) {
                (Ok(otp), Ok(pgp_key)) => reply(node.generate_root_start(otp, pgp_key).await),
                (Err(e), _) | (_, Err(e)) => bad(e).into_response(),
            }
        }
        Endpoint::GenerateRootAttempt if api.method == Method::DELETE => {
            match node.generate_root_cancel().await {
                Ok(()) => no_content(),
                Err(e) => ApiError::from_error(&e).into_response(),
            }
        }
        Endpoint::GenerateRootUpdate if write => {
            let fields = Fields::new(&api.data);
            match (fields.string("key"), fields.string("nonce")) {
                (Ok(key), Ok(nonce)) => reply(node.generate_root_update(key, nonce).await),
                (Err(e), _) | (_, Err(e)) => bad(e).into_response(),
            }
        }
        _ => not_allowed(&api),
    }
}

/// A raw endpoint's answer: the value as top-level JSON, or the error.
fn reply<T: serde::Serialize>(result: Result<T, crate::node::NodeError>) -> Response {
    match result {
        Ok(value) => json_response(StatusCode::OK, &to_json(&value)),
        Err(e) => ApiError::from_error(&e).into_response(),
    }
}

/// Reads `sys/init`'s body. The CLI always sends every field, with zero values for the ones
/// not chosen, so zeros and empty strings mean "not given".
fn init_request(api: &ApiRequest) -> Result<InitRequest, ApiError> {
    let f = Fields::new(&api.data);
    let parse = || -> Result<InitRequest, crate::logical::LogicalError> {
        let count = |name: &str| -> Result<Option<u32>, crate::logical::LogicalError> {
            match f.uint(name)? {
                None | Some(0) => Ok(None),
                Some(n) => Ok(Some(u32::try_from(n).unwrap_or(u32::MAX))),
            }
        };
        Ok(InitRequest {
            secret_shares: count("secret_shares")?.unwrap_or(0),
            secret_threshold: count("secret_threshold")?.unwrap_or(0),
            pgp_keys: f.string_list("pgp_keys")?,
            root_token_pgp_key: f.string("root_token_pgp_key")?.filter(|k| !k.is_empty()),
            recovery_shares: count("recovery_shares")?,
            recovery_threshold: count("recovery_threshold")?,
            recovery_pgp_keys: f.string_list("recovery_pgp_keys")?,
        })
    };
    parse().map_err(bad)
}

/// `sys/health`: the status code says the state; query parameters may override the codes.
async fn health(node: &Node, api: &ApiRequest) -> Response {
    let code = |name: &str, default: u16| -> Result<u16, ApiError> {
        match api.query.iter().find(|(k, _)| k == name) {
            None => Ok(default),
            Some((_, v)) => v
                .parse::<u16>()
                .ok()
                .filter(|c| (100..=599).contains(c))
                .ok_or_else(|| {
                    bad(format!(
                        "invalid value for {name:?}: expected an HTTP status code, got {v:?}"
                    ))
                }),
        }
    };
    let flag = |name: &str| -> Result<bool, ApiError> {
        match api.query.iter().find(|(k, _)| k == name) {
            None => Ok(false),
            Some((_, v)) if v.is_empty() => Ok(true),
            Some((_, v)) => crate::logical::parse_bool(v).ok_or_else(|| {
                bad(format!(
                    "invalid value for {name:?}: expected a boolean, got {v:?}"
                ))
            }),
        }
    };
    let status = node.health().await;
    let chosen = (|| -> Result<u16, ApiError> {
        let active = code("activecode", 200)?;
        let standby = code("standbycode", 429)?;
        let sealed = code("sealedcode", 503)?;
        let uninit = code("uninitcode", 501)?;
        code("drsecondarycode", 472)?;
        code("performancestandbycode", 473)?;
        let standby_ok = flag("standbyok")?;
        flag("perfstandbyok")?;
        Ok(if !status.initialized {
            uninit
        } else if status.sealed {
            sealed
        } else if status.standby && !standby_ok {
            standby
        } else {
            active
        })
    })();
    let code = match chosen {
        Ok(code) => StatusCode::from_u16(code).unwrap_or(StatusCode::OK),
        Err(error) => return error.into_response(),
    };
    if api.method == Method::HEAD {
        let mut response = code.into_response();
        response.headers_mut().insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
        return response;
    }
    json_response(code, &to_json(&status))
}

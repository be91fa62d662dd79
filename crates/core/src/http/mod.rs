//! The Vault HTTP API: an axum [`Router`] over a [`Node`].
//!
//! Every `/v1/` request goes through one dispatcher, which mirrors Vault's handler: the
//! endpoints that work while sealed (`sys/init`, `sys/unseal`, `sys/seal-status`, `sys/health`,
//! `sys/leader`) and `sys/seal` are answered from the node directly ([`sys`]); everything else
//! becomes a logical request ([`request`]) and its result is written in Vault's envelope
//! ([`response`]). The desktop app calls the same router in-process, so the UI, the CLI and
//! client libraries all see one API.

mod host;
mod request;
mod response;
mod sys;
mod ui;

pub use host::host_router;
pub use ui::UiAssets;

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::State;
use axum::http::Request;
use axum::response::{IntoResponse, Response};
use axum::Router;

use crate::node::Node;
use request::ApiRequest;
use response::ApiError;

/// Vault's default `max_request_size` (32 MiB).
pub const MAX_REQUEST_SIZE: usize = 32 * 1024 * 1024;

/// The API router for `node`.
pub fn router(node: Arc<Node>) -> Router {
    Router::new()
        .route("/v1/{*path}", axum::routing::any(dispatch))
        .fallback(|| async { ApiError::empty(axum::http::StatusCode::NOT_FOUND).into_response() })
        .with_state(node)
}

async fn dispatch(State(node): State<Arc<Node>>, req: Request<Body>) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    match ApiRequest::read(req).await {
        Ok(api) => {
            let path = api.path.clone();
            let response = match sys::raw_endpoint(&path) {
                Some(endpoint) => sys::handle(&node, endpoint, api).await,
                None => response::logical(&node, api).await,
            };
            // Paths and status only: tokens and bodies never reach the log.
            tracing::debug!(
                %method,
                path,
                status = response.status().as_u16(),
                elapsed_ms = started.elapsed().as_millis() as u64,
                "request"
            );
            response
        }
        Err(error) => error.into_response(),
    }
}

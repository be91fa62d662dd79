//! Error classification shared by every module.
//!
//! Each module has its own `thiserror` enum; none of them knows about HTTP. They implement
//! [`Classify`] so that the edges (the HTTP API, the desktop IPC bridge) can map any error to a
//! status code or a tagged kind in exactly one place.

/// What kind of failure an error is, as seen by a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request is malformed or names something invalid (HTTP 400).
    InvalidRequest,
    /// The token is missing, unknown, or its policies do not allow the request (HTTP 403).
    PermissionDenied,
    /// No mount or backend path handles the request (HTTP 404).
    UnsupportedPath,
    /// The path exists but not for this operation (HTTP 405).
    UnsupportedOperation,
    /// The barrier is sealed or the node is not initialized yet (HTTP 503).
    Sealed,
    /// The server failed: storage, corrupted data, a bug (HTTP 500).
    Internal,
    /// A system Strongroom manages (a database) could not be reached or failed (HTTP 502).
    Upstream,
}

/// Implemented by every module error so the edges can classify it once.
pub trait Classify {
    /// The client-facing kind of this error.
    fn kind(&self) -> ErrorKind;
}

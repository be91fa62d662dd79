//! The built web UI, served at `/ui` from files embedded in the binary (see the CLI's build
//! script), with headers that keep the page from being framed, sniffed or fed scripts from
//! anywhere but itself.

use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};

use super::response::ApiError;

/// The UI's files: path relative to the UI root (`index.html`, `assets/index-abc.js`) and
/// contents.
pub type UiAssets = [(&'static str, &'static [u8])];

/// The page may load only its own scripts and styles and talk only to its own origin.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                   img-src 'self' data:; connect-src 'self'; object-src 'none'; \
                   base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("json" | "map") => "application/json",
        Some("woff2") => "font/woff2",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Answers `GET`/`HEAD /ui/<path>` from `assets`; 404 when the UI is off or the file unknown.
pub(super) fn serve(assets: Option<&'static UiAssets>, path: &str, method: &Method) -> Response {
    let Some(assets) = assets else {
        return ApiError::empty(StatusCode::NOT_FOUND).into_response();
    };
    if assets.is_empty() {
        return ApiError::new(
            StatusCode::NOT_FOUND,
            "this binary was built without the web UI: run `npm run build` in ui/ and rebuild",
        )
        .into_response();
    }
    let Some((name, bytes)) = assets.iter().find(|(name, _)| *name == path) else {
        return ApiError::empty(StatusCode::NOT_FOUND).into_response();
    };
    let body = if method == Method::HEAD {
        &[][..]
    } else {
        bytes
    };
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(name)),
    );
    // Vite names assets by content hash; only index.html must be revalidated.
    let cache = if name.starts_with("assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    static ASSETS: &UiAssets = &[
        ("index.html", b"<!doctype html>"),
        ("assets/app-1.js", b"console.log(1)"),
    ];

    #[test]
    fn files_get_their_type_and_caching() {
        let index = serve(Some(ASSETS), "index.html", &Method::GET);
        assert_eq!(index.status(), StatusCode::OK);
        assert_eq!(
            index.headers()[header::CONTENT_TYPE],
            "text/html; charset=utf-8"
        );
        assert_eq!(index.headers()[header::CACHE_CONTROL], "no-cache");
        assert!(index.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'"));
        let js = serve(Some(ASSETS), "assets/app-1.js", &Method::GET);
        assert_eq!(
            js.headers()[header::CONTENT_TYPE],
            "text/javascript; charset=utf-8"
        );
        assert!(js.headers()[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("immutable"));
        assert_eq!(
            serve(Some(ASSETS), "../secret", &Method::GET).status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            serve(None, "index.html", &Method::GET).status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            serve(Some(&[]), "index.html", &Method::GET).status(),
            StatusCode::NOT_FOUND
        );
    }
}

//! The page, its style and script, and the vendored Cytoscape.js with its fcose layout, all
//! embedded in the binary: the workspace needs no files beside it and no network. Assets are
//! found by name in a fixed list; no request names a file.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::Workspace;

const INDEX: &str = include_str!("assets/index.html");

/// `(name, content type, bytes)` of every asset under `/assets/`.
const FILES: &[(&str, &str, &[u8])] = &[
    ("app.js", "text/javascript; charset=utf-8", include_bytes!("assets/app.js")),
    ("app.css", "text/css; charset=utf-8", include_bytes!("assets/app.css")),
    ("cytoscape.js", "text/javascript; charset=utf-8", include_bytes!("assets/vendor/cytoscape.js")),
    ("layout-base.js", "text/javascript; charset=utf-8", include_bytes!("assets/vendor/layout-base.js")),
    ("cose-base.js", "text/javascript; charset=utf-8", include_bytes!("assets/vendor/cose-base.js")),
    (
        "cytoscape-fcose.js",
        "text/javascript; charset=utf-8",
        include_bytes!("assets/vendor/cytoscape-fcose.js"),
    ),
];

/// `GET /`: the page, with the token POSTs must carry in a `<meta>` (hex digits only).
pub async fn index(State(ws): State<Arc<Workspace>>) -> Response {
    let page = INDEX.replace("{{TOKEN}}", &ws.token);
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
}

/// `GET /assets/NAME`.
pub async fn file(Path(name): Path<String>) -> Response {
    match FILES.iter().find(|(n, _, _)| *n == name) {
        Some((_, mime, bytes)) => ([(header::CONTENT_TYPE, *mime)], *bytes).into_response(),
        None => (StatusCode::NOT_FOUND, "no such asset").into_response(),
    }
}

//! The review queue (`serve --review`): the extracted facts waiting for review, each with
//! its sentence and the words it was read from, and accept or reject written through the
//! same code as `threatgraph review accept|reject` (atomic writes), after which the graph is
//! loaded again. Without `--review` the decision routes do not exist.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::api::error;
use super::request::Decision;
use super::{Workspace, request};
use crate::extract::review as library;

/// The words of the article a fact was read from, spaces collapsed as in its sentence.
fn span_text(data: &std::path::Path, p: &library::Pending) -> Option<String> {
    let (file, start, end) = (p.file.as_ref()?, p.start?, p.end?);
    let bytes = crate::load::file::read_limited(&library::article_path(data, file)).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    Some(text.get(start..end)?.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// `GET /api/review`: the queue, as `threatgraph review --format json` lists it, each with
/// the span's words.
pub async fn queue(State(ws): State<Arc<Workspace>>) -> Response {
    if !ws.settings.review {
        return Json(json!({ "enabled": false, "pending": [] })).into_response();
    }
    let g = ws.settings.global();
    let done = tokio::task::spawn_blocking(move || {
        let loaded = crate::cli::load_checked(&g);
        if loaded.problems.iter().any(crate::load::Problem::is_error) {
            return error(StatusCode::CONFLICT, "the data folder has errors: run `threatgraph check`");
        }
        let pending: Vec<serde_json::Value> = library::pending(&loaded, &g.data)
            .into_iter()
            .map(|p| {
                let span = span_text(&g.data, &p);
                let mut v = json!(p);
                v["span"] = json!(span);
                v
            })
            .collect();
        Json(json!({ "enabled": true, "pending": pending })).into_response()
    })
    .await;
    done.unwrap_or_else(|e| error(StatusCode::INTERNAL_SERVER_ERROR, e))
}

/// Applies one decision, then reloads the graph.
async fn decide(ws: Arc<Workspace>, body: Bytes, accepting: bool) -> Response {
    let req: Decision = match request::Decision::parse(&body) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let _one_at_a_time = ws.writing.lock().await;
    let worker = ws.clone();
    let done = tokio::task::spawn_blocking(move || {
        let g = worker.settings.global();
        let loaded = crate::cli::load_checked(&g);
        if loaded.problems.iter().any(crate::load::Problem::is_error) {
            return error(StatusCode::CONFLICT, "the data folder has errors: run `threatgraph check`");
        }
        let sel = match library::select(&loaded, std::slice::from_ref(&req.id), accepting) {
            Ok(s) => s,
            Err(m) => return error(StatusCode::NOT_FOUND, m),
        };
        match library::decide(&loaded, &g.data, &sel, accepting) {
            Err(m) => return error(StatusCode::INTERNAL_SERVER_ERROR, m),
            Ok(Err(refused)) => {
                let added: Vec<String> = refused.added.iter().map(|p| p.message.clone()).collect();
                let message = format!("nothing written: the write would add errors: {}", added.join("; "));
                return error(StatusCode::CONFLICT, message);
            }
            Ok(Ok(())) => {}
        }
        let (entities, links) = (sel.entities.len(), sel.links.len());
        drop(loaded);
        match crate::cli::load_graph(&g) {
            Ok(graph) => worker.replace_graph(std::mem::ManuallyDrop::into_inner(graph)),
            Err(e) => {
                return error(StatusCode::CONFLICT, format!("written, but the data no longer loads: {e}"));
            }
        }
        let decision = if accepting { "accepted" } else { "rejected" };
        Json(json!({ "decision": decision, "id": req.id, "entities": entities, "links": links }))
            .into_response()
    })
    .await;
    done.unwrap_or_else(|e| error(StatusCode::INTERNAL_SERVER_ERROR, e))
}

/// `POST /api/review/accept {"id": ...}`: `threatgraph review accept ID`.
pub async fn accept(State(ws): State<Arc<Workspace>>, body: Bytes) -> Response {
    decide(ws, body, true).await
}

/// `POST /api/review/reject {"id": ...}`: `threatgraph review reject ID`.
pub async fn reject(State(ws): State<Arc<Workspace>>, body: Bytes) -> Response {
    decide(ws, body, false).await
}

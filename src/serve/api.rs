//! The workspace's JSON answers: each parses its request ([`super::request`]), asks the
//! library through [`super::library`] on a blocking thread, and shapes the answer for the
//! page. Entities travel as [`node`], links as [`edge`], with the titles of the sources they
//! cite, so the page can show the evidence of every step.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::request::{self, BadRequest, ExportFormat};
use super::security::{ANSWER_TIME, TOO_LONG};
use super::{Workspace, library};
use crate::graph::KnowledgeGraph;
use crate::model::Id;

/// Most links a card lists at once; a hub's card says how many more it has.
pub const CARD_LINKS: usize = 400;

/// An error answer: `{"error": "..."}` with its status.
pub fn error(status: StatusCode, message: impl std::fmt::Display) -> Response {
    (status, Json(json!({ "error": message.to_string() }))).into_response()
}

impl IntoResponse for BadRequest {
    fn into_response(self) -> Response {
        error(StatusCode::BAD_REQUEST, self.0)
    }
}

/// Runs `work` on the graph on a blocking thread (queries are CPU work), cut off after
/// [`ANSWER_TIME`].
async fn answer(ws: &Workspace, work: impl FnOnce(&KnowledgeGraph) -> Response + Send + 'static) -> Response {
    let graph = ws.graph();
    match tokio::time::timeout(ANSWER_TIME, tokio::task::spawn_blocking(move || work(&graph))).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => error(StatusCode::INTERNAL_SERVER_ERROR, format!("internal error: {e}")),
        Err(_) => error(StatusCode::SERVICE_UNAVAILABLE, TOO_LONG),
    }
}

/// [`answer`] for the long questions: waits in line for a turn (one per core, FIFO), so that
/// fifty paths asked at once are answered two at a time at full speed, each within its own
/// budget, instead of fifty at once at a twenty-fifth of a core each. The time in line is
/// not the answer's: only the whole request is bounded ([`super::security::REQUEST_TIME`]).
async fn answer_in_turn(
    ws: &Workspace,
    work: impl FnOnce(&KnowledgeGraph) -> Response + Send + 'static,
) -> Response {
    use std::sync::atomic::Ordering;
    /// Leaves the line however the request ends (answered, or dropped by its client).
    struct InLine<'a>(&'a std::sync::atomic::AtomicUsize);
    impl Drop for InLine<'_> {
        fn drop(&mut self) {
            self.0.fetch_sub(1, Ordering::SeqCst);
        }
    }
    if ws.waiting.fetch_add(1, Ordering::SeqCst) >= super::MAX_WAITING {
        ws.waiting.fetch_sub(1, Ordering::SeqCst);
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            "the server is busy with other long questions; ask again",
        );
    }
    let _in_line = InLine(&ws.waiting);
    let Ok(turn) = ws.turns.clone().acquire_owned().await else {
        return error(StatusCode::SERVICE_UNAVAILABLE, "the server is stopping");
    };
    answer(ws, move |g| {
        // The turn is held until the work ends, even when its answer came too late.
        let _turn = turn;
        work(g)
    })
    .await
}

/// An entity as the canvas draws it.
pub fn node(graph: &KnowledgeGraph, i: usize) -> Value {
    let e = graph.entity(i);
    let date = e.as_event().and_then(|ev| ev.when()).map(|d| d.as_str().to_owned());
    json!({
        "id": e.id.as_str(),
        "name": e.name,
        "kind": e.kind(),
        "subkind": e.subkind(),
        "date": date,
        "degree": graph.degree(i),
        "origin": e.origin,
    })
}

/// A link as the canvas draws it; `id` is its index, stable while the server runs.
pub fn edge(graph: &KnowledgeGraph, i: usize) -> Value {
    let l = graph.link(i);
    json!({
        "id": format!("l{i}"),
        "from": l.from.as_str(),
        "to": l.to.as_str(),
        "rel": l.rel,
        "symmetric": l.rel.is_symmetric(),
        "certainty": l.certainty,
        "grade": crate::query::grade(graph, l),
        "date": l.date,
        "since": l.since,
        "until": l.until,
        "when": l.when().map(|d| d.as_str().to_owned()),
        "sources": l.sources,
        "note": l.note,
        "origin": l.origin,
    })
}

/// `{id: "title (reliability X)"}` for every source the ids name.
fn source_titles<'a>(graph: &KnowledgeGraph, ids: impl IntoIterator<Item = &'a Id>) -> Value {
    let mut out = BTreeMap::new();
    for id in ids {
        if let Some(s) = graph.source(id) {
            out.insert(id.as_str().to_owned(), json!({ "title": s.title, "reliability": s.reliability }));
        }
    }
    json!(out)
}

fn resolve(graph: &KnowledgeGraph, name: &str) -> Result<usize, Response> {
    library::resolve(graph, name).map_err(|e| error(StatusCode::NOT_FOUND, e))
}

/// `GET /api/info`: what is loaded, and whether review is on.
pub async fn info(State(ws): State<Arc<Workspace>>) -> Response {
    let review = ws.settings.review;
    answer(&ws, move |g| {
        Json(json!({
            "entities": g.entity_count(),
            "links": g.links().len(),
            "data_date": crate::export::data_date(g).map(|d| d.as_str().to_owned()),
            "review": review,
        }))
        .into_response()
    })
    .await
}

/// `GET /api/search`: `threatgraph search`.
pub async fn search(State(ws): State<Arc<Workspace>>, RawQuery(q): RawQuery) -> Response {
    let req = match request::Search::parse(q.as_deref().unwrap_or_default()) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    answer(&ws, move |g| {
        let hits = library::search(g, &req.query, req.limit);
        let out: Vec<Value> = hits
            .iter()
            .map(|h| {
                let mut n = g.index_of(&h.entity.id).map(|i| node(g, i)).unwrap_or_else(|| json!({}));
                n["score"] = json!(h.score);
                n["match"] = json!(h.matched);
                n["name_matched"] = json!(h.name_matched);
                n
            })
            .collect();
        Json(json!({ "hits": out })).into_response()
    })
    .await
}

/// `GET /api/card`: `threatgraph show`, the links bounded to [`CARD_LINKS`].
pub async fn card(State(ws): State<Arc<Workspace>>, RawQuery(q): RawQuery) -> Response {
    let req = match request::Card::parse(q.as_deref().unwrap_or_default()) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let filter = ws.filter(&[], None);
    answer(&ws, move |g| {
        let i = match resolve(g, &req.entity) {
            Ok(i) => i,
            Err(r) => return r,
        };
        let mut card = library::card(g, i, &filter);
        let total = card.links.len();
        card.links.truncate(CARD_LINKS);
        let cited = card.links.iter().flat_map(|l| l.link().sources.iter());
        let titles = source_titles(g, cited.chain(g.entity(i).sources.iter()));
        Json(json!({ "card": card, "links_total": total, "source_titles": titles, "node": node(g, i) }))
            .into_response()
    })
    .await
}

/// `GET /api/expand`: a ranked page of an entity's neighbours on its card's links (so
/// `Refuted` ties are listed, to be drawn as denials): strongest certainty first, then the
/// busiest neighbours; says how many are left.
pub async fn expand(State(ws): State<Arc<Workspace>>, RawQuery(q): RawQuery) -> Response {
    let req = match request::Expand::parse(q.as_deref().unwrap_or_default()) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let filter = ws.filter(&req.relations, req.min_certainty);
    answer(&ws, move |g| {
        let i = match resolve(g, &req.entity) {
            Ok(i) => i,
            Err(r) => return r,
        };
        let page = library::expand(g, i, &filter, &req.kinds, req.offset, req.limit);
        let total = page.total;
        let page: Vec<Value> = page.nodes.iter().map(|&o| node(g, o)).collect();
        let left = total.saturating_sub(req.offset + page.len());
        Json(json!({ "center": node(g, i), "nodes": page, "total": total, "offset": req.offset, "left": left }))
            .into_response()
    })
    .await
}

/// The nodes of a set of steps' links, for the page to put on the canvas.
fn nodes_of(g: &KnowledgeGraph, links: impl IntoIterator<Item = usize>) -> Vec<Value> {
    let mut seen = BTreeSet::new();
    for l in links {
        if let Some((a, b)) = g.ends(l) {
            seen.insert(a);
            seen.insert(b);
        }
    }
    seen.into_iter().map(|i| node(g, i)).collect()
}

/// `GET /api/path`: `threatgraph path A B`.
pub async fn path(State(ws): State<Arc<Workspace>>, RawQuery(q): RawQuery) -> Response {
    let req = match request::Path::parse(q.as_deref().unwrap_or_default()) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let filter = ws.filter(&[], req.min_certainty);
    answer_in_turn(&ws, move |g| {
        let (a, b) = match (resolve(g, &req.from), resolve(g, &req.to)) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(r), _) | (_, Err(r)) => return r,
        };
        if a == b {
            return error(StatusCode::BAD_REQUEST, "select two different entities");
        }
        let found = library::paths(g, a, b, filter, req.all, req.max_len);
        let steps: Vec<&crate::query::Step> =
            found.paths.iter().flat_map(|p| &p.steps).chain(&found.refuted).collect();
        let titles = source_titles(g, steps.iter().flat_map(|s| g.link(s.link).sources.iter()));
        let links: Vec<Vec<String>> =
            found.paths.iter().map(|p| p.steps.iter().map(|s| format!("l{}", s.link)).collect()).collect();
        Json(json!({
            "answer": found,
            "links": links,
            "refuted_links": found.refuted.iter().map(|s| format!("l{}", s.link)).collect::<Vec<_>>(),
            "nodes": nodes_of(g, steps.iter().map(|s| s.link)),
            "source_titles": titles,
        }))
        .into_response()
    })
    .await
}

/// `GET /api/chains`: `threatgraph chain ACTOR`.
pub async fn chains(State(ws): State<Arc<Workspace>>, RawQuery(q): RawQuery) -> Response {
    let req = match request::Chains::parse(q.as_deref().unwrap_or_default()) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let filter = ws.filter(&[], None);
    answer_in_turn(&ws, move |g| {
        let actor = match resolve(g, &req.actor) {
            Ok(i) => i,
            Err(r) => return r,
        };
        let found = library::chains(g, actor, filter, req.max_len);
        let steps: Vec<usize> =
            found.chains.iter().flat_map(|c| c.steps.iter().map(|s| s.step.link)).collect();
        let titles = source_titles(g, steps.iter().flat_map(|&l| g.link(l).sources.iter()));
        let links: Vec<Vec<String>> = found
            .chains
            .iter()
            .map(|c| c.steps.iter().map(|s| format!("l{}", s.step.link)).collect())
            .collect();
        Json(json!({
            "answer": found,
            "links": links,
            "nodes": nodes_of(g, steps.iter().copied()),
            "source_titles": titles,
        }))
        .into_response()
    })
    .await
}

/// `GET /api/views`: the named views of `data/views/`.
pub async fn views(State(ws): State<Arc<Workspace>>) -> Response {
    answer(&ws, |g| {
        let list: Vec<Value> =
            g.views().iter().map(|v| json!({ "name": v.name, "title": v.title })).collect();
        Json(json!({ "views": list })).into_response()
    })
    .await
}

/// `GET /api/view?name=`: a view's entities, as `export --view` selects them.
pub async fn view(State(ws): State<Arc<Workspace>>, RawQuery(q): RawQuery) -> Response {
    let req = match request::View::parse(q.as_deref().unwrap_or_default()) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let filter = ws.filter(&[], None);
    answer(&ws, move |g| {
        let Some(v) = g.views().iter().find(|v| v.name == req.name) else {
            return error(StatusCode::NOT_FOUND, format!("no view named `{}`", req.name));
        };
        let sel = library::view(g, v, &filter);
        let nodes: Vec<Value> = sel.nodes.iter().map(|&i| node(g, i)).collect();
        let edges: Vec<Value> = sel.links.iter().map(|&l| edge(g, l)).collect();
        Json(json!({ "name": v.name, "title": sel.title, "nodes": nodes, "edges": edges })).into_response()
    })
    .await
}

/// The canvas's entities, by id; unknown ids are reported, not fatal.
fn canvas_nodes(g: &KnowledgeGraph, ids: &[String]) -> (BTreeSet<usize>, Vec<String>) {
    let mut nodes = BTreeSet::new();
    let mut unknown = Vec::new();
    for id in ids {
        match g.index_of(id) {
            Some(i) => {
                nodes.insert(i);
            }
            None => unknown.push(id.clone()),
        }
    }
    (nodes, unknown)
}

/// `POST /api/links`: the canvas's entities and every link among them (the export's
/// selection), with the titles of the sources they cite.
pub async fn links(State(ws): State<Arc<Workspace>>, body: Bytes) -> Response {
    let req = match request::Canvas::parse(&body) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let filter = ws.filter(&[], None);
    answer(&ws, move |g| {
        let (nodes, unknown) = canvas_nodes(g, &req.ids);
        let sel = library::canvas(g, nodes, &filter, "canvas");
        let titles = source_titles(g, sel.links.iter().flat_map(|&l| g.link(l).sources.iter()));
        Json(json!({
            "nodes": sel.nodes.iter().map(|&i| node(g, i)).collect::<Vec<_>>(),
            "edges": sel.links.iter().map(|&l| edge(g, l)).collect::<Vec<_>>(),
            "unknown": unknown,
            "source_titles": titles,
        }))
        .into_response()
    })
    .await
}

/// `POST /api/export`: the canvas as SVG or PNG (Graphviz), DOT (the DOT writer) or JSON.
pub async fn export(State(ws): State<Arc<Workspace>>, body: Bytes) -> Response {
    let req = match request::Canvas::parse(&body) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let filter = ws.filter(&[], None);
    answer_in_turn(&ws, move |g| {
        let (nodes, _) = canvas_nodes(g, &req.ids);
        let title = req.title.as_deref().unwrap_or("threatgraph workspace");
        let sel = library::canvas(g, nodes, &filter, title);
        let (bytes, mime, ext) = match req.format.unwrap_or(ExportFormat::Svg) {
            ExportFormat::Dot => {
                (library::dot(g, &sel).into_bytes(), "text/vnd.graphviz; charset=utf-8", "dot")
            }
            ExportFormat::Json => (library::json(g, &sel).into_bytes(), "application/json", "json"),
            image @ (ExportFormat::Svg | ExportFormat::Png) => {
                let (kind, mime, ext) = match image {
                    ExportFormat::Png => (crate::export::render::Image::Png, "image/png", "png"),
                    _ => (crate::export::render::Image::Svg, "image/svg+xml", "svg"),
                };
                match library::image(g, &sel, kind) {
                    Ok(b) => (b, mime, ext),
                    Err(e) => return error(StatusCode::SERVICE_UNAVAILABLE, e),
                }
            }
        };
        (
            [
                (header::CONTENT_TYPE, mime.to_owned()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"threatgraph-canvas.{ext}\"")),
            ],
            bytes,
        )
            .into_response()
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace() -> Workspace {
        let settings = super::super::Settings {
            data: "data".into(),
            curated_only: false,
            min_certainty: None,
            no_cache: true,
            as_of: None,
            review: false,
            token_required: false,
            token: "t".to_owned(),
        };
        let graph = crate::query::fixture::graph(crate::query::fixture::NETWORK);
        Workspace::new(settings, graph, "127.0.0.1:1".parse().expect("an address"))
    }

    /// A long question waits for a turn rather than failing, and is answered once it has one;
    /// past the most that may wait, the server says at once that it is busy.
    #[test]
    fn long_questions_wait_their_turn_and_the_line_is_bounded() {
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
        runtime.block_on(async {
            let ws = Arc::new(workspace());
            let every_turn = ws.turns.available_permits() as u32;
            let held = ws.turns.clone().acquire_many_owned(every_turn).await.expect("the turns");
            let asking = ws.clone();
            let waiting = tokio::spawn(async move {
                answer_in_turn(&asking, |g| Json(json!({ "entities": g.entity_count() })).into_response())
                    .await
            });
            // In line, not answered, while every turn is taken.
            while ws.waiting.load(std::sync::atomic::Ordering::SeqCst) == 0 {
                tokio::task::yield_now().await;
            }
            assert!(!waiting.is_finished());
            drop(held);
            let answered = waiting.await.expect("the request ends");
            assert_eq!(answered.status(), StatusCode::OK);
            assert_eq!(ws.waiting.load(std::sync::atomic::Ordering::SeqCst), 0, "it left the line");

            ws.waiting.store(super::super::MAX_WAITING, std::sync::atomic::Ordering::SeqCst);
            let refused = answer_in_turn(&ws, |_| StatusCode::OK.into_response()).await;
            assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(ws.waiting.load(std::sync::atomic::Ordering::SeqCst), super::super::MAX_WAITING);
        });
    }
}

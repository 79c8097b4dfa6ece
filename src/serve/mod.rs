//! The analyst workspace behind `threatgraph serve`: a small web server (axum on tokio) that
//! answers the CLI's questions as JSON for the page it serves (embedded in the binary,
//! [`assets`]). The graph stays on the server; the page asks for what it draws.
//!
//! Modules: [`request`] parses what a request may say, [`library`] is the one adapter to the
//! query code, [`api`] turns answers into JSON, [`security`] guards every route, and
//! [`review`] is the review queue (`--review`, the only way the server writes).

pub mod api;
pub mod assets;
pub mod library;
pub mod request;
pub mod review;
pub mod security;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::cli::Global;
use crate::graph::KnowledgeGraph;
use crate::model::Certainty;
use crate::query::LinkFilter;

/// How the server was started.
#[derive(Clone, Debug)]
pub struct Settings {
    pub data: PathBuf,
    pub curated_only: bool,
    pub min_certainty: Option<Certainty>,
    pub no_cache: bool,
    /// Answer as of this date (the global `--as-of`), as every command does.
    pub as_of: Option<crate::model::PartialDate>,
    /// The review queue is on: the server may write through `review accept|reject`.
    pub review: bool,
    /// Every request must carry the token (listening beyond loopback).
    pub token_required: bool,
    pub token: String,
}

impl Settings {
    /// The CLI options the same data would be loaded with.
    pub fn global(&self) -> Global {
        Global {
            data: self.data.clone(),
            format: crate::cli::Format::Text,
            curated_only: self.curated_only,
            min_certainty: self.min_certainty,
            no_cache: self.no_cache,
            as_of: self.as_of,
        }
    }
}

/// What every request sees: the graph (replaced whole after a review decision), the
/// settings, and the Host names the server answers to.
pub struct Workspace {
    pub settings: Settings,
    graph: RwLock<Arc<KnowledgeGraph>>,
    /// `127.0.0.1:PORT` and `localhost:PORT` (or the bound address).
    pub hosts: Vec<String>,
    pub token_required: bool,
    pub token: String,
    /// Review decisions one at a time: each reads, writes and reloads the data.
    pub writing: tokio::sync::Mutex<()>,
    /// Turns for the long questions (path, chain, image export): one per core, the others
    /// wait in line rather than sharing the cores until every one of them is late.
    pub turns: Arc<tokio::sync::Semaphore>,
    /// Requests in line for a turn or holding one; past [`MAX_WAITING`] the server says it
    /// is busy at once.
    pub waiting: std::sync::atomic::AtomicUsize,
}

/// Most long questions waiting for or holding a turn at once.
pub const MAX_WAITING: usize = 256;

/// Threads that compute answers at once, per core. Every answer is computed on tokio's
/// blocking pool, which otherwise grows to one thread per request in flight: fifty clients
/// made fifty searches at once, each holding its working memory, for no more speed on two
/// cores. The others wait in the pool's line, and the wait counts in
/// [`security::ANSWER_TIME`]. Long questions hold at most one thread per core (their turns),
/// so quick ones always have threads.
pub const ANSWERING_PER_CORE: usize = 4;

/// The most threads computing answers at once: [`ANSWERING_PER_CORE`] per core.
pub fn answering_threads() -> usize {
    crate::parallel::cores() * ANSWERING_PER_CORE
}

impl Workspace {
    pub fn new(settings: Settings, graph: KnowledgeGraph, addr: SocketAddr) -> Workspace {
        let port = addr.port();
        let mut hosts = vec![format!("{addr}"), format!("localhost:{port}")];
        if addr.ip().is_loopback() {
            hosts.push(format!("127.0.0.1:{port}"));
        }
        Workspace {
            token_required: settings.token_required,
            token: settings.token.clone(),
            settings,
            graph: RwLock::new(Arc::new(graph)),
            hosts,
            writing: tokio::sync::Mutex::new(()),
            turns: Arc::new(tokio::sync::Semaphore::new(crate::parallel::cores())),
            waiting: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// The graph as it is now (a review decision may replace it; answers in flight keep theirs).
    pub fn graph(&self) -> Arc<KnowledgeGraph> {
        self.graph.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    fn replace_graph(&self, graph: KnowledgeGraph) {
        *self.graph.write().unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(graph);
    }

    /// The link filter of the command-line options, narrowed by a request.
    pub fn filter(&self, relations: &[crate::model::Relation], min: Option<Certainty>) -> LinkFilter {
        let mut filter = crate::cli::filter(&self.settings.global(), relations);
        filter.min_certainty = filter.min_certainty.max(min);
        filter
    }
}

/// Every route. The review routes that write exist only with `--review`.
pub fn router(ws: Arc<Workspace>) -> Router {
    let mut r = Router::new()
        .route("/", get(assets::index))
        .route("/assets/{name}", get(assets::file))
        .route("/api/info", get(api::info))
        .route("/api/search", get(api::search))
        .route("/api/card", get(api::card))
        .route("/api/expand", get(api::expand))
        .route("/api/path", get(api::path))
        .route("/api/chains", get(api::chains))
        .route("/api/views", get(api::views))
        .route("/api/view", get(api::view))
        .route("/api/links", post(api::links))
        .route("/api/export", post(api::export))
        .route("/api/review", get(review::queue));
    if ws.settings.review {
        r = r
            .route("/api/review/accept", post(review::accept))
            .route("/api/review/reject", post(review::reject));
    }
    r.layer(axum::middleware::from_fn_with_state(ws.clone(), security::guard))
        .layer(DefaultBodyLimit::max(security::MAX_BODY))
        .with_state(ws)
}

/// Serves until Ctrl-C (or until `stop` resolves, for tests); `ready` is told the address
/// once the socket listens.
pub async fn serve(
    ws: Arc<Workspace>,
    listener: tokio::net::TcpListener,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(ws)).with_graceful_shutdown(stop).await
}

//! The one place the workspace calls the query library: one small adapter per question, so
//! that a change of a query's signature is a one-line fix here. The answers are the CLI's
//! own (`search`, `show`, `path`, `chain`, the export selections and writers); nothing here
//! answers a question itself.

use std::collections::BTreeSet;

use crate::export::view::{self, Refuted, Selection};
use crate::graph::KnowledgeGraph;
use crate::query::LinkFilter;
use crate::query::chains::{ChainQuery, Chains, DEFAULT_BUDGET};
use crate::query::paths::{PathQuery, Paths};
use crate::query::search::Hit;
use crate::query::show::{Card, NeighbourPage};

/// How long a path or chain search may run before it stops and says so.
pub const SEARCH_BUDGET: std::time::Duration = std::time::Duration::from_secs(3);

/// `threatgraph search QUERY --limit N`.
pub fn search(graph: &KnowledgeGraph, query: &str, limit: usize) -> Vec<Hit> {
    crate::query::search::search(graph, query, limit)
}

/// `threatgraph show ENTITY`: the id, name or alias resolved as the CLI resolves it.
pub fn resolve(graph: &KnowledgeGraph, name: &str) -> Result<usize, crate::query::resolve::ResolveError> {
    graph.resolve(name)
}

/// `threatgraph show ENTITY`.
pub fn card<'g>(graph: &'g KnowledgeGraph, i: usize, filter: &LinkFilter) -> Card<'g> {
    crate::query::show::show(graph, i, filter)
}

/// `GET /api/expand`: a ranked page of the neighbours on the entity's card links.
pub fn expand(
    graph: &KnowledgeGraph,
    i: usize,
    filter: &LinkFilter,
    kinds: &[crate::model::Kind],
    offset: usize,
    limit: usize,
) -> NeighbourPage {
    crate::query::show::ranked_neighbours(graph, i, filter, kinds, offset, limit)
}

/// `threatgraph path A B [--all] [--max-len N]`: the ranked routes (three, weaker ones left
/// out as by default), or with `all` every simple path.
pub fn paths(
    graph: &KnowledgeGraph,
    a: usize,
    b: usize,
    filter: LinkFilter,
    all: bool,
    max_len: usize,
) -> Paths {
    let q = PathQuery {
        filter,
        max_len,
        all,
        limit: if all { 10 } else { 3 },
        budget: Some(SEARCH_BUDGET),
        ..PathQuery::default()
    };
    if all {
        return crate::query::paths::paths(graph, a, b, &q);
    }
    let mut found = crate::query::routes::routes(graph, a, b, &q);
    crate::query::routes::keep_within(&mut found, crate::query::routes::DEFAULT_WITHIN);
    found
}

/// `threatgraph chain ACTOR [--max-len N]`.
pub fn chains(graph: &KnowledgeGraph, actor: usize, filter: LinkFilter, max_len: usize) -> Chains {
    let q = ChainQuery {
        filter,
        max_len,
        to: None,
        all: false,
        limit: 20,
        budget: DEFAULT_BUDGET,
        timeout: Some(SEARCH_BUDGET),
    };
    crate::query::chains::chains(graph, actor, &q)
}

/// `threatgraph export --view NAME`: the view's selection.
pub fn view(graph: &KnowledgeGraph, v: &crate::model::View, filter: &LinkFilter) -> Selection {
    view::named(graph, v, filter, Refuted::Show)
}

/// The canvas as an export selection: its entities and every link among them.
pub fn canvas(graph: &KnowledgeGraph, nodes: BTreeSet<usize>, filter: &LinkFilter, title: &str) -> Selection {
    view::among(graph, nodes, filter, Refuted::Show, title)
}

/// `threatgraph export --format dot`: the one DOT writer.
pub fn dot(graph: &KnowledgeGraph, sel: &Selection) -> String {
    crate::export::dot::write(graph, sel, "workspace", crate::export::dot::Options::default())
}

/// `threatgraph export --format svg|png`: the DOT writer's text through Graphviz.
pub fn image(
    graph: &KnowledgeGraph,
    sel: &Selection,
    image: crate::export::render::Image,
) -> Result<Vec<u8>, crate::export::render::RenderError> {
    crate::export::render::render(&dot(graph, sel), image)
}

/// `threatgraph export --format json`.
pub fn json(graph: &KnowledgeGraph, sel: &Selection) -> String {
    crate::export::json::write(graph, sel, "workspace")
}

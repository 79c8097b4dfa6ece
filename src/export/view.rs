//! Which entities and links an export includes: a named view (`data/views/NAME.ron`), the
//! neighbourhood of an entity, the paths between two, an actor's path-to-attack chains, or the
//! whole graph.
//!
//! A selection is made once and handed to every writer, so a diagram and a data export of
//! the same view hold the same facts.

use std::collections::BTreeSet;

use crate::graph::KnowledgeGraph;
use crate::model::{Cluster, Layout, Link, PartialDate, View};
use crate::query::LinkFilter;
use crate::query::chains::ChainQuery;
use crate::query::neighbours::{reach, reach_where};
use crate::query::paths::{PathQuery, paths};

/// The entities and links of one export, in dataset order.
#[derive(Clone, Debug, PartialEq)]
pub struct Selection {
    /// Shown as the diagram's title.
    pub title: String,
    /// Entity indices, ascending.
    pub nodes: Vec<usize>,
    /// Link indices, ascending; both ends of each are in `nodes`.
    pub links: Vec<usize>,
    pub cluster: Option<Cluster>,
    /// The layout the view names, if it names one.
    pub layout: Option<Layout>,
}

impl Selection {
    /// A selection of these entities and links, drawn without clusters in the layout the writer picks.
    fn unclustered(title: String, nodes: BTreeSet<usize>, links: BTreeSet<usize>) -> Selection {
        Selection {
            title,
            nodes: nodes.into_iter().collect(),
            links: links.into_iter().collect(),
            cluster: None,
            layout: None,
        }
    }
}

/// Whether `Refuted` links (facts, but never connections) are included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refuted {
    Show,
    Omit,
}

/// A date window: keeps what may fall inside it.
#[derive(Clone, Debug, Default)]
struct Window {
    since: Option<PartialDate>,
    until: Option<PartialDate>,
}

impl Window {
    fn admits(&self, date: Option<&PartialDate>) -> bool {
        let Some(d) = date else { return true };
        self.since.as_ref().is_none_or(|s| !d.definitely_before(s))
            && self.until.as_ref().is_none_or(|u| !d.definitely_after(u))
    }

    fn admits_link(&self, link: &Link) -> bool {
        self.admits(link.when())
    }

    fn admits_entity(&self, graph: &KnowledgeGraph, i: usize) -> bool {
        graph.entity(i).as_event().is_none_or(|ev| self.admits(ev.when()))
    }
}

/// Every entity the filter admits and every link it shows.
pub fn whole(graph: &KnowledgeGraph, filter: &LinkFilter, refuted: Refuted, title: &str) -> Selection {
    let nodes: BTreeSet<usize> = (0..graph.entity_count()).filter(|&i| filter.admits_at(graph, i)).collect();
    finish(graph, title.to_owned(), nodes, filter, &Window::default(), refuted, None)
}

/// A named view: the entities within `depth` followable links of its seeds (entering only
/// the view's kinds, following only its relations, inside its date window), and every link
/// among them that passes the same filters.
pub fn named(graph: &KnowledgeGraph, view: &View, filter: &LinkFilter, refuted: Refuted) -> Selection {
    let mut filter = filter.clone();
    if filter.relations.is_empty() {
        filter.relations = view.relations.clone();
    } else if !view.relations.is_empty() {
        filter.relations.retain(|r| view.relations.contains(r));
    }
    filter.min_certainty = filter.min_certainty.max(view.min_certainty);
    let window = Window { since: view.since, until: view.until };
    let seeds: Vec<usize> = view.seeds.iter().filter_map(|s| graph.index_of(s.as_str())).collect();
    let distance = reach_where(graph, &seeds, view.depth, &view.kinds, &filter, |link, entity| {
        window.admits_link(graph.link(link)) && window.admits_entity(graph, entity)
    });
    let nodes = distance.into_keys().collect();
    let mut sel = finish(graph, view.title.clone(), nodes, &filter, &window, refuted, view.cluster);
    sel.layout = view.layout;
    sel
}

/// The entities within `depth` links of `center` (as `neighbours` finds them).
pub fn around(
    graph: &KnowledgeGraph,
    center: usize,
    depth: u32,
    filter: &LinkFilter,
    refuted: Refuted,
) -> Selection {
    let nodes = reach(graph, &[center], depth, &[], filter).into_keys().collect();
    let title = format!("{}: {depth} link(s) around", graph.entity(center).name);
    finish(graph, title, nodes, filter, &Window::default(), refuted, None)
}

/// The shortest paths from `a` to `b` (as `path` finds them), and any direct link between
/// the two that the sources deny.
pub fn path(graph: &KnowledgeGraph, a: usize, b: usize, filter: &LinkFilter, refuted: Refuted) -> Selection {
    let q = PathQuery { filter: filter.clone(), limit: 20, ..PathQuery::default() };
    let found = paths(graph, a, b, &q);
    let mut nodes = BTreeSet::from([a, b]);
    let mut links = BTreeSet::new();
    let steps = found.paths.iter().flat_map(|p| &p.steps);
    let steps = steps.chain(found.refuted.iter().filter(|_| refuted == Refuted::Show));
    for s in steps {
        links.insert(s.link);
        nodes.extend(graph.ends(s.link).into_iter().flat_map(|(a, b)| [a, b]));
    }
    let title = format!("Paths from {} to {}", graph.entity(a).name, graph.entity(b).name);
    Selection::unclustered(title, nodes, links)
}

/// The path-to-attack chains from `actor` (as `chain` finds them: the strongest to each
/// attack or plot, up to `max_len` links).
pub fn chains(graph: &KnowledgeGraph, actor: usize, max_len: usize, filter: &LinkFilter) -> Selection {
    let q = ChainQuery {
        filter: filter.clone(),
        max_len,
        to: None,
        all: false,
        limit: 50,
        budget: 100_000,
        timeout: Some(std::time::Duration::from_secs(10)),
    };
    let found = crate::query::chains::chains(graph, actor, &q);
    let mut nodes = BTreeSet::from([actor]);
    let mut links = BTreeSet::new();
    for s in found.chains.iter().flat_map(|c| &c.steps) {
        links.insert(s.step.link);
        nodes.extend(graph.ends(s.step.link).into_iter().flat_map(|(a, b)| [a, b]));
    }
    let title = format!("Path-to-attack chains from {}", graph.entity(actor).name);
    Selection::unclustered(title, nodes, links)
}

/// Adds every link among `nodes` that passes the filter and the window.
fn finish(
    graph: &KnowledgeGraph,
    title: String,
    nodes: BTreeSet<usize>,
    filter: &LinkFilter,
    window: &Window,
    refuted: Refuted,
    cluster: Option<Cluster>,
) -> Selection {
    let links = graph
        .links()
        .iter()
        .enumerate()
        .filter(|&(i, l)| {
            matches!(graph.ends(i), Some((a, b)) if nodes.contains(&a) && nodes.contains(&b))
                && keeps(filter, window, refuted, l)
        })
        .map(|(i, _)| i)
        .collect();
    Selection { title, nodes: nodes.into_iter().collect(), links, cluster, layout: None }
}

/// Whether a link among the selected entities belongs to the selection.
fn keeps(filter: &LinkFilter, window: &Window, refuted: Refuted, l: &Link) -> bool {
    filter.shows(l) && window.admits_link(l) && (refuted == Refuted::Show || !l.certainty.is_refuted())
}

/// Entities picked one by one (the workspace's canvas) and every link among them that
/// passes the filter, as the other selections keep them. Reads only the entities' own
/// links, so a small selection of a large graph costs little.
pub fn among(
    graph: &KnowledgeGraph,
    nodes: BTreeSet<usize>,
    filter: &LinkFilter,
    refuted: Refuted,
    title: &str,
) -> Selection {
    let window = Window::default();
    let mut links: Vec<usize> = nodes
        .iter()
        .flat_map(|&i| graph.incident(i))
        .filter(|inc| inc.direction == crate::graph::Direction::Out && nodes.contains(&inc.other()))
        .map(|inc| inc.link())
        .filter(|&l| keeps(filter, &window, refuted, graph.link(l)))
        .collect();
    links.sort_unstable();
    links.dedup();
    Selection {
        title: title.to_owned(),
        nodes: nodes.into_iter().collect(),
        links,
        cluster: None,
        layout: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Certainty, Id};
    use crate::query::fixture;

    fn ids(g: &KnowledgeGraph, s: &Selection) -> Vec<String> {
        s.nodes.iter().map(|&i| g.entity(i).id.to_string()).collect()
    }

    fn view(seeds: &[&str], depth: u32) -> View {
        View {
            name: "t".into(),
            title: "T".into(),
            seeds: seeds.iter().map(|s| Id::new(*s)).collect(),
            depth,
            relations: Vec::new(),
            kinds: Vec::new(),
            since: None,
            until: None,
            min_certainty: None,
            cluster: None,
            layout: None,
        }
    }

    #[test]
    fn whole_graph_keeps_everything_refuted_on_request() {
        let g = fixture::graph(fixture::NETWORK);
        let all = whole(&g, &LinkFilter::default(), Refuted::Show, "all");
        assert_eq!((all.nodes.len(), all.links.len()), (g.entities().len(), g.links().len()));
        let some = whole(&g, &LinkFilter::default(), Refuted::Omit, "all");
        assert_eq!(some.links.len(), g.links().len() - 1);
    }

    #[test]
    fn named_view_depth_kinds_certainty_and_window() {
        let g = fixture::graph(fixture::NETWORK);
        let f = LinkFilter::default();
        let s = named(&g, &view(&["ann"], 2), &f, Refuted::Show);
        assert_eq!(ids(&g, &s), ["ann", "bob", "alpha-cell", "zed-plot"]);
        let mut v = view(&["alpha-cell"], 1);
        v.min_certainty = Some(Certainty::Reported);
        assert_eq!(ids(&g, &named(&g, &v, &f, Refuted::Show)), ["ann", "bob", "alpha-cell"]);
        let mut v = view(&["cat"], 1);
        v.kinds = vec![crate::model::Kind::Person];
        assert_eq!(ids(&g, &named(&g, &v, &f, Refuted::Show)), ["bob", "cat"]);
        let mut v = view(&["cat"], 1);
        v.until = Some(PartialDate::parse("2019").unwrap());
        assert_eq!(ids(&g, &named(&g, &v, &f, Refuted::Show)), ["bob", "cat"], "the 2020 attack is outside");
    }

    #[test]
    fn refuted_links_among_the_nodes_are_shown_or_omitted() {
        let g = fixture::graph(fixture::NETWORK);
        let f = LinkFilter::default();
        let s = path(&g, g.index_of("ann").unwrap(), g.index_of("dan").unwrap(), &f, Refuted::Show);
        let certainties: Vec<Certainty> = s.links.iter().map(|&l| g.link(l).certainty).collect();
        assert!(certainties.contains(&Certainty::Refuted));
        let s = path(&g, g.index_of("ann").unwrap(), g.index_of("dan").unwrap(), &f, Refuted::Omit);
        assert!(s.links.iter().all(|&l| !g.link(l).certainty.is_refuted()));
        assert!(s.nodes.contains(&g.index_of("zed-attack").unwrap()));
    }

    #[test]
    fn among_keeps_the_links_the_whole_graph_keeps() {
        let g = fixture::graph(fixture::NETWORK);
        let f = LinkFilter::default();
        let picked: BTreeSet<usize> =
            ["ann", "dan", "zed-attack", "cat"].iter().map(|i| g.index_of(i).unwrap()).collect();
        let s = among(&g, picked.clone(), &f, Refuted::Show, "canvas");
        let whole = whole(&g, &f, Refuted::Show, "all");
        let expected: Vec<usize> = whole
            .links
            .into_iter()
            .filter(|&l| g.ends(l).is_some_and(|(a, b)| picked.contains(&a) && picked.contains(&b)))
            .collect();
        assert_eq!(s.links, expected);
        assert_eq!(s.links.len(), 3, "the refuted tie, and both perpetrators");
        assert_eq!(among(&g, picked, &f, Refuted::Omit, "canvas").links.len(), 2);
    }

    #[test]
    fn around_matches_neighbours() {
        let g = fixture::graph(fixture::NETWORK);
        let s = around(&g, g.index_of("ann").unwrap(), 1, &LinkFilter::default(), Refuted::Show);
        assert_eq!(ids(&g, &s), ["ann", "alpha-cell"]);
        assert_eq!(s.links.len(), 1);
    }
}

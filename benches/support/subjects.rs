//! The entities benchmark queries start from, picked from the graph itself the same way every
//! run: shared by `benches/scale.rs` and `examples/queries.rs` (which `benches/compare.py`
//! runs beside NetworkX and igraph).

use threatgraph::export::view;
use threatgraph::graph::KnowledgeGraph;
use threatgraph::model::{Kind, Origin};
use threatgraph::query::{LinkFilter, neighbours};

/// The hub (most links), a person of median degree, and two people for paths: the median
/// person and the person of median degree among those two links or more away from it.
pub fn subjects(graph: &KnowledgeGraph) -> (usize, usize, usize, usize) {
    let n = graph.entity_count();
    let hub = (0..n).max_by_key(|&i| (graph.degree(i), std::cmp::Reverse(i))).expect("entities");
    let mut people: Vec<usize> = (0..n)
        .filter(|&i| graph.entity(i).kind() == Kind::Person && graph.entity(i).origin == Origin::Curated)
        .filter(|&i| graph.degree(i) > 0)
        .collect();
    people.sort_by_key(|&i| (graph.degree(i), i));
    let median = people[people.len() / 2];
    let near: std::collections::HashSet<usize> =
        neighbours::reach(graph, &[median], 1, &[], &LinkFilter::default()).into_keys().collect();
    let far: Vec<usize> = people.iter().copied().filter(|p| !near.contains(p)).collect();
    let b = far[far.len() / 3];
    (hub, median, median, b)
}

/// About a thousand entities around `center`, breadth-first, and the links among them.
pub fn thousand_around(graph: &KnowledgeGraph, center: usize, filter: &LinkFilter) -> view::Selection {
    let mut depth = 1;
    let mut nodes = neighbours::reach(graph, &[center], depth, &[], filter);
    while nodes.len() < 1000 && depth < 6 {
        depth += 1;
        nodes = neighbours::reach(graph, &[center], depth, &[], filter);
    }
    let mut picked: Vec<(u32, usize)> = nodes.into_iter().map(|(i, d)| (d, i)).collect();
    picked.sort_unstable();
    picked.truncate(1000);
    let mut ids: Vec<usize> = picked.into_iter().map(|(_, i)| i).collect();
    ids.sort_unstable();
    let set: std::collections::HashSet<usize> = ids.iter().copied().collect();
    let mut links: Vec<usize> = ids
        .iter()
        .flat_map(|&i| {
            graph.incident(i).iter().filter(|inc| set.contains(&inc.other())).map(|inc| inc.link())
        })
        .collect();
    links.sort_unstable();
    links.dedup();
    view::Selection { title: "1,000 entities".into(), nodes: ids, links, cluster: None, layout: None }
}

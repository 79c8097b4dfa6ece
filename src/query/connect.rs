//! `connect`: the network joining several entities (i2's "find connecting network"). For each
//! pair of the given entities, the most informative route ([`super::routes`], weighed as
//! `path` weighs them), where an intermediary already in the network costs nothing as a hub:
//! routes through entities the network already has are preferred. The union of those routes
//! is the answer. Intermediaries (the entities on it that were not given) are ranked by how
//! many given entities they join.

use std::collections::{BTreeSet, HashSet};

use serde::Serialize;

use super::EntityRef;
use super::paths::{Path, PathQuery};
use super::routes::routes;
use super::score::hub_cost;
use crate::graph::KnowledgeGraph;

/// Routes considered per pair when choosing the one that best reuses the network.
const CANDIDATES: usize = 5;

#[derive(Debug, Serialize)]
pub struct Connection {
    /// The entities asked about.
    pub entities: Vec<EntityRef>,
    /// One route per connected pair, most informative (lowest score) first.
    pub paths: Vec<Path>,
    /// Every entity of the joining network, given ones first.
    pub nodes: Vec<EntityRef>,
    /// Entities not asked about that the network passes through, most joining first.
    pub intermediaries: Vec<Intermediary>,
    /// Pairs with no path within the length limit.
    pub unconnected: Vec<[EntityRef; 2]>,
}

#[derive(Debug, Serialize)]
pub struct Intermediary {
    #[serde(flatten)]
    pub entity: EntityRef,
    /// How many of the given entities it joins (lies on a path from).
    pub joins: usize,
    /// Their ids.
    pub joined: Vec<String>,
}

/// The network joining `given` (entity indices, at least two, no repeats).
pub fn connect(graph: &KnowledgeGraph, given: &[usize], q: &PathQuery) -> Connection {
    let q = PathQuery { all: false, limit: CANDIDATES, ..q.clone() };
    let mut network: BTreeSet<usize> = given.iter().copied().collect();
    let mut chosen: Vec<(usize, usize, Path)> = Vec::new();
    let mut unconnected = Vec::new();
    for (n, &a) in given.iter().enumerate() {
        for &b in &given[n + 1..] {
            let found = routes(graph, a, b, &q);
            let best = found.paths.into_iter().min_by_key(|p| (reused_cost(graph, p, &network), p.cost));
            match best {
                Some(p) => {
                    for s in &p.steps {
                        network.extend([s.from.id.as_str(), s.to.id.as_str()].map(|id| index(graph, id)));
                    }
                    chosen.push((a, b, p));
                }
                None => unconnected.push([a, b].map(|i| EntityRef::of(graph.entity(i)))),
            }
        }
    }
    let given_set: HashSet<usize> = given.iter().copied().collect();
    let mut intermediaries: Vec<Intermediary> = network
        .iter()
        .filter(|i| !given_set.contains(i))
        .map(|&i| {
            let id = graph.entity(i).id.as_str();
            let mut joined: BTreeSet<usize> = BTreeSet::new();
            for (a, b, path) in &chosen {
                if path.steps.iter().any(|s| s.to.id == id || s.from.id == id) {
                    joined.extend([*a, *b]);
                }
            }
            let joined: Vec<String> = given
                .iter()
                .filter(|g| joined.contains(g))
                .map(|&g| graph.entity(g).id.to_string())
                .collect();
            Intermediary { entity: EntityRef::of(graph.entity(i)), joins: joined.len(), joined }
        })
        .collect();
    intermediaries.sort_by(|a, b| b.joins.cmp(&a.joins).then_with(|| a.entity.name.cmp(&b.entity.name)));
    let mut nodes: Vec<EntityRef> = given.iter().map(|&i| EntityRef::of(graph.entity(i))).collect();
    nodes.extend(intermediaries.iter().map(|m| m.entity.clone()));
    chosen.sort_by_key(|(_, _, path)| path.cost);
    Connection {
        entities: given.iter().map(|&i| EntityRef::of(graph.entity(i))).collect(),
        paths: chosen.into_iter().map(|(_, _, path)| path).collect(),
        nodes,
        intermediaries,
        unconnected,
    }
}

/// The cost of route `p` when the intermediaries already in the network cost nothing as hubs.
fn reused_cost(graph: &KnowledgeGraph, p: &Path, network: &BTreeSet<usize>) -> u64 {
    let reused: u64 = p.steps[..p.steps.len() - 1]
        .iter()
        .map(|s| index(graph, &s.to.id))
        .filter(|i| network.contains(i))
        .map(|i| hub_cost(graph.degree(i)))
        .sum();
    p.cost - reused
}

fn index(graph: &KnowledgeGraph, id: &str) -> usize {
    graph.index_of(id).expect("steps name entities of the graph")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{LinkFilter, fixture};

    #[test]
    fn joins_several_entities_and_ranks_intermediaries() {
        let g = fixture::graph(fixture::NETWORK);
        let given: Vec<usize> =
            ["ann", "cat", "testville"].iter().map(|id| g.index_of(id).unwrap()).collect();
        let q = PathQuery {
            filter: LinkFilter::default(),
            max_len: 6,
            all: false,
            limit: 1,
            via: Vec::new(),
            time: None,
            budget: None,
        };
        let c = connect(&g, &given, &q);
        let routes: Vec<Vec<&str>> = c
            .paths
            .iter()
            .map(|p| {
                std::iter::once(p.steps[0].from.id.as_str())
                    .chain(p.steps.iter().map(|s| s.to.id.as_str()))
                    .collect()
            })
            .collect();
        // Most informative first. From Ann to Testville, the alleged, weakly sourced plot
        // route (four links) is passed over for five well-sourced links through people and
        // entities the network already has.
        assert_eq!(
            routes,
            [
                vec!["ann", "alpha-cell", "bob", "cat"],
                vec!["cat", "zed-attack", "testville"],
                vec!["ann", "alpha-cell", "bob", "cat", "zed-attack", "testville"],
            ]
        );
        let ranked: Vec<(&str, usize)> =
            c.intermediaries.iter().map(|m| (m.entity.id.as_str(), m.joins)).collect();
        assert_eq!(ranked, [("alpha-cell", 3), ("bob", 3), ("zed-attack", 3)]);
        assert!(c.unconnected.is_empty());
        assert_eq!(c.nodes.len(), 3 + c.intermediaries.len());
    }
}

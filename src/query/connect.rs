//! `connect`: the smallest network joining several entities (i2's "find connecting network").
//! For each pair of the given entities, one shortest path, chosen to add as few new entities
//! to the network as it can; the union of those paths is the answer. Intermediaries (the
//! entities on it that were not given) are ranked by how many given entities they join.

use std::collections::{BTreeSet, HashSet};

use serde::Serialize;

use super::paths::{Path, PathQuery, paths};
use super::{EntityRef, Step};
use crate::graph::KnowledgeGraph;

/// Shortest paths considered per pair when choosing the one that adds the fewest entities.
const CANDIDATES: usize = 50;

#[derive(Debug, Serialize)]
pub struct Connection {
    /// The entities asked about.
    pub entities: Vec<EntityRef>,
    /// One shortest path per connected pair, shortest first.
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
    let mut chosen: Vec<(usize, usize, Vec<Step>)> = Vec::new();
    let mut unconnected = Vec::new();
    for (n, &a) in given.iter().enumerate() {
        for &b in &given[n + 1..] {
            let found = paths(graph, a, b, &q);
            let best = found.paths.into_iter().min_by_key(|p| new_entities(graph, p, &network));
            match best {
                Some(p) => {
                    for s in &p.steps {
                        network.extend([s.from.id.as_str(), s.to.id.as_str()].map(|id| index(graph, id)));
                    }
                    chosen.push((a, b, p.steps));
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
            for (a, b, steps) in &chosen {
                if steps.iter().any(|s| s.to.id == id || s.from.id == id) {
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
    chosen.sort_by_key(|(_, _, steps)| steps.len());
    Connection {
        entities: given.iter().map(|&i| EntityRef::of(graph.entity(i))).collect(),
        paths: chosen.into_iter().map(|(_, _, steps)| Path { steps }).collect(),
        nodes,
        intermediaries,
        unconnected,
    }
}

/// How many entities of path `p` are not yet in the network.
fn new_entities(graph: &KnowledgeGraph, p: &Path, network: &BTreeSet<usize>) -> usize {
    let mut seen = HashSet::new();
    p.steps
        .iter()
        .flat_map(|s| [s.from.id.as_str(), s.to.id.as_str()])
        .map(|id| index(graph, id))
        .filter(|i| !network.contains(i) && seen.insert(*i))
        .count()
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
        let lens: Vec<usize> = c.paths.iter().map(|p| p.steps.len()).collect();
        assert_eq!(lens, [2, 3, 4], "one shortest path per pair, shortest first");
        let ranked: Vec<(&str, usize)> =
            c.intermediaries.iter().map(|m| (m.entity.id.as_str(), m.joins)).collect();
        // The cell lies on the paths from Ann to Cat and to Testville; the attack on those from
        // Testville to Ann and to Cat.
        assert_eq!(ranked, [("alpha-cell", 3), ("zed-attack", 3), ("bob", 2), ("zed-plot", 2)]);
        assert!(c.unconnected.is_empty());
        assert_eq!(c.nodes.len(), 3 + c.intermediaries.len());
    }
}

//! `clusters`: connected components, and communities found by the Louvain method on the
//! entity [`Network`], with the partition's modularity. Each community is named by its most
//! connected members.
//!
//! The Louvain pass visits nodes in dataset order and breaks ties towards the lower community
//! number, so the same data always gives the same partition.

use std::collections::BTreeMap;

use serde::Serialize;

use super::network::Network;
use super::{EntityRef, LinkFilter};
use crate::graph::KnowledgeGraph;

/// How many members name a community.
pub const NAMED_BY: usize = 3;

#[derive(Debug, Serialize)]
pub struct Clusters {
    /// Entities and connections of the network measured.
    pub nodes: usize,
    pub connections: usize,
    /// Largest first; entities with no connection at all are counted, not listed.
    pub components: Vec<Component>,
    pub isolated: usize,
    /// Largest first (isolated entities left out).
    pub communities: Vec<Community>,
    /// Newman's modularity of the partition into communities (isolated entities included,
    /// each alone), as NetworkX's `modularity` computes it.
    pub modularity: f64,
}

#[derive(Debug, Serialize)]
pub struct Component {
    pub size: usize,
    /// The most connected members, most first.
    pub central: Vec<EntityRef>,
    pub members: Vec<EntityRef>,
}

#[derive(Debug, Serialize)]
pub struct Community {
    /// The names of its most connected members, e.g. `Islamic State, Abu Muhammad al-Adnani`.
    pub name: String,
    pub size: usize,
    pub central: Vec<EntityRef>,
    pub members: Vec<EntityRef>,
}

pub fn clusters(graph: &KnowledgeGraph, filter: &LinkFilter) -> Clusters {
    let net = Network::build(graph, filter);
    let components = net.components();
    let communities = louvain(&net);
    let modularity = modularity(&net, &communities);
    let isolated = (0..net.len()).filter(|&v| net.degree(v) == 0).count();
    let groups = |labels: &[usize]| -> Vec<Vec<usize>> {
        let mut by: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for v in (0..net.len()).filter(|&v| net.degree(v) > 0) {
            by.entry(labels[v]).or_default().push(v);
        }
        let mut groups: Vec<Vec<usize>> = by.into_values().collect();
        // Largest first; equal sizes keep the order of their first member.
        groups.sort_by_key(|g| std::cmp::Reverse(g.len()));
        groups
    };
    let entity = |v: usize| EntityRef::of(graph.entity(net.entities[v]));
    let central = |members: &[usize]| -> Vec<EntityRef> {
        let mut by_degree = members.to_vec();
        by_degree.sort_by(|&a, &b| {
            net.degree(b).cmp(&net.degree(a)).then_with(|| entity(a).name.cmp(&entity(b).name))
        });
        by_degree.into_iter().take(NAMED_BY).map(entity).collect()
    };
    Clusters {
        nodes: net.len(),
        connections: net.edges,
        components: groups(&components)
            .into_iter()
            .map(|m| Component {
                size: m.len(),
                central: central(&m),
                members: m.into_iter().map(entity).collect(),
            })
            .collect(),
        isolated,
        communities: groups(&communities)
            .into_iter()
            .map(|m| {
                let central = central(&m);
                let name = central.iter().map(|e| e.name.as_str()).collect::<Vec<_>>().join(", ");
                Community { name, size: m.len(), central, members: m.into_iter().map(entity).collect() }
            })
            .collect(),
        modularity,
    }
}

/// Newman's modularity: the sum over communities of (internal connections / m) minus
/// (total degree / 2m)². 0 for a network with no connections.
pub fn modularity(net: &Network, community: &[usize]) -> f64 {
    let m = net.edges as f64;
    if m == 0.0 {
        return 0.0;
    }
    let mut internal: BTreeMap<usize, f64> = BTreeMap::new();
    let mut degree: BTreeMap<usize, f64> = BTreeMap::new();
    for v in 0..net.len() {
        *degree.entry(community[v]).or_default() += net.degree(v) as f64;
        for &w in net.neighbours(v) {
            if (w as usize) > v && community[w as usize] == community[v] {
                *internal.entry(community[v]).or_default() += 1.0;
            }
        }
    }
    degree.iter().map(|(c, &d)| internal.get(c).copied().unwrap_or(0.0) / m - (d / (2.0 * m)).powi(2)).sum()
}

/// A weighted graph for one Louvain level: neighbours with weights, and self-loop weights
/// (connections inside a node that stands for a merged community).
struct Level {
    adjacency: Vec<Vec<(usize, f64)>>,
    self_loops: Vec<f64>,
}

impl Level {
    fn strength(&self, v: usize) -> f64 {
        self.adjacency[v].iter().map(|&(_, w)| w).sum::<f64>() + 2.0 * self.self_loops[v]
    }
}

/// The Louvain method: move nodes to the neighbouring community that most raises modularity
/// until none moves, merge communities into nodes, repeat until a level changes nothing.
/// Returns each network node's community number.
pub fn louvain(net: &Network) -> Vec<usize> {
    let mut level = Level {
        adjacency: (0..net.len())
            .map(|v| net.neighbours(v).iter().map(|&w| (w as usize, 1.0)).collect())
            .collect(),
        self_loops: vec![0.0; net.len()],
    };
    let two_m = 2.0 * net.edges as f64;
    let mut membership: Vec<usize> = (0..net.len()).collect();
    if two_m == 0.0 {
        return membership;
    }
    loop {
        let n = level.adjacency.len();
        let strength: Vec<f64> = (0..n).map(|v| level.strength(v)).collect();
        let mut community: Vec<usize> = (0..n).collect();
        let mut total = strength.clone();
        let mut moved = false;
        let mut weight_to = vec![0.0; n];
        let mut touched: Vec<usize> = Vec::new();
        loop {
            let mut changed = false;
            for v in 0..n {
                let own = community[v];
                for &(w, weight) in &level.adjacency[v] {
                    let c = community[w];
                    if weight_to[c] == 0.0 {
                        touched.push(c);
                    }
                    weight_to[c] += weight;
                }
                total[own] -= strength[v];
                let gain = |c: usize| weight_to[c] - total[c] * strength[v] / two_m;
                let mut best = own;
                let mut best_gain = gain(own);
                touched.sort_unstable();
                for &c in &touched {
                    let g = gain(c);
                    if g > best_gain + 1e-12 {
                        best = c;
                        best_gain = g;
                    }
                }
                total[best] += strength[v];
                if best != own {
                    community[v] = best;
                    changed = true;
                    moved = true;
                }
                for &c in &touched {
                    weight_to[c] = 0.0;
                }
                touched.clear();
            }
            if !changed {
                break;
            }
        }
        if !moved {
            break;
        }
        // Renumber communities in order of their first node, then merge each into a node.
        let mut number = vec![usize::MAX; n];
        let mut count = 0;
        for v in 0..n {
            if number[community[v]] == usize::MAX {
                number[community[v]] = count;
                count += 1;
            }
        }
        for m in &mut membership {
            *m = number[community[*m]];
        }
        let mut merged: Vec<BTreeMap<usize, f64>> = vec![BTreeMap::new(); count];
        let mut self_loops = vec![0.0; count];
        for v in 0..n {
            let cv = number[community[v]];
            self_loops[cv] += level.self_loops[v];
            for &(w, weight) in &level.adjacency[v] {
                let cw = number[community[w]];
                if cv == cw {
                    // Each internal connection is seen from both ends.
                    self_loops[cv] += weight / 2.0;
                } else {
                    *merged[cv].entry(cw).or_default() += weight;
                }
            }
        }
        level =
            Level { adjacency: merged.into_iter().map(|m| m.into_iter().collect()).collect(), self_loops };
    }
    membership
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::fixture;

    /// Two triangles of people joined by one acquaintance, and one person alone.
    const TRIANGLES: &str = r#"(
        entities: [
            Person(id: "a", name: "A", sources: ["s"]), Person(id: "b", name: "B", sources: ["s"]),
            Person(id: "c", name: "C", sources: ["s"]), Person(id: "d", name: "D", sources: ["s"]),
            Person(id: "e", name: "E", sources: ["s"]), Person(id: "f", name: "F", sources: ["s"]),
            Person(id: "g", name: "G", sources: ["s"]),
        ],
        links: [
            (from: "a", rel: AssociateOf, to: "b", certainty: Reported, sources: ["s"]),
            (from: "b", rel: AssociateOf, to: "c", certainty: Reported, sources: ["s"]),
            (from: "c", rel: AssociateOf, to: "a", certainty: Reported, sources: ["s"]),
            (from: "a", rel: SiblingOf, to: "b", certainty: Reported, sources: ["s"]),
            (from: "c", rel: AssociateOf, to: "d", certainty: Reported, sources: ["s"]),
            (from: "d", rel: AssociateOf, to: "e", certainty: Reported, sources: ["s"]),
            (from: "e", rel: AssociateOf, to: "f", certainty: Reported, sources: ["s"]),
            (from: "f", rel: AssociateOf, to: "d", certainty: Reported, sources: ["s"]),
            (from: "g", rel: AssociateOf, to: "a", certainty: Refuted, sources: ["s"]),
        ],
    )"#;

    #[test]
    fn two_triangles_make_two_communities() {
        let g = fixture::graph(TRIANGLES);
        let found = clusters(&g, &LinkFilter::default());
        assert_eq!((found.nodes, found.connections), (7, 7), "repeated and refuted links do not count");
        assert_eq!(found.components.len(), 1);
        assert_eq!(found.isolated, 1);
        let members: Vec<Vec<&str>> =
            found.communities.iter().map(|c| c.members.iter().map(|e| e.id.as_str()).collect()).collect();
        assert_eq!(members, [vec!["a", "b", "c"], vec!["d", "e", "f"]]);
        // Two communities of 3 internal connections and total degree 7, of m = 7:
        // 2 × (3/7 − (7/14)²) = 5/14, the value networkx.community.modularity gives.
        assert!((found.modularity - 5.0 / 14.0).abs() < 1e-12, "{}", found.modularity);
        assert_eq!(found.communities[0].name, "C, A, B", "named by degree, then name");
    }

    #[test]
    fn no_connections_no_communities() {
        let g = fixture::graph(r#"(entities: [Person(id: "a", name: "A", sources: ["s"])], links: [])"#);
        let found = clusters(&g, &LinkFilter::default());
        assert!(found.communities.is_empty());
        assert_eq!(found.modularity, 0.0);
    }
}

//! The entity network that centrality and community measures run on: undirected and simple
//! (one connection per pair of entities, however many links join them), unweighted, with
//! `Refuted` links and filtered-out links left out. This is the graph NetworkX's `Graph`
//! holds when given the same connections, so the measures can be compared with it.
//!
//! The connections are held in petgraph's compressed sparse rows (`Csr`), each pair both
//! ways: a node's neighbours are one sorted slice, which is what the measures read over and
//! over, and components come from petgraph's union-find.

use petgraph::csr::Csr;
use petgraph::unionfind::UnionFind;

use super::LinkFilter;
use crate::graph::KnowledgeGraph;

#[derive(Debug)]
pub struct Network {
    /// The entity index of each node, in dataset order.
    pub entities: Vec<usize>,
    /// Every connection both ways; no repeats, no self-loops.
    rows: Csr<(), (), petgraph::Directed, u32>,
    /// Connections (unordered pairs).
    pub edges: usize,
}

impl Network {
    /// The network of the entities and links the filter admits.
    pub fn build(graph: &KnowledgeGraph, filter: &LinkFilter) -> Network {
        let mut position = vec![u32::MAX; graph.entity_count()];
        let mut entities = Vec::new();
        for (i, e) in graph.entities().iter().enumerate() {
            if filter.admits(e) {
                position[i] = entities.len() as u32;
                entities.push(i);
            }
        }
        // Row by row from the adjacency (which holds each link at both ends), so the pairs come
        // out sorted without sorting millions of them, and no link is read.
        let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(graph.incident_count());
        let mut row: Vec<u32> = Vec::new();
        for &a in &entities {
            let pa = position[a];
            row.clear();
            row.extend(
                graph
                    .incident(a)
                    .iter()
                    .filter(|inc| filter.follows_at(inc))
                    .map(|inc| position[inc.other()])
                    .filter(|&pb| pb != u32::MAX && pb != pa),
            );
            row.sort_unstable();
            row.dedup();
            pairs.extend(row.iter().map(|&pb| (pa, pb)));
        }
        let mut rows = Csr::from_sorted_edges(&pairs).expect("sorted and without repeats");
        // The rows end at the last node with a connection; the rest have none.
        while rows.node_count() < entities.len() {
            rows.add_node(());
        }
        Network { entities, rows, edges: pairs.len() / 2 }
    }

    /// A node's neighbours (node positions), sorted.
    pub fn neighbours(&self, node: usize) -> &[u32] {
        self.rows.neighbors_slice(node as u32)
    }

    pub fn len(&self) -> usize {
        self.entities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    pub fn degree(&self, node: usize) -> usize {
        self.neighbours(node).len()
    }

    /// Breadth-first distances from `source`, `u32::MAX` where unreachable, and the nodes in
    /// the order they were reached.
    pub fn bfs(&self, source: usize, dist: &mut [u32], order: &mut Vec<usize>) {
        dist.fill(u32::MAX);
        order.clear();
        dist[source] = 0;
        order.push(source);
        let mut head = 0;
        while head < order.len() {
            let v = order[head];
            head += 1;
            for &w in self.neighbours(v) {
                let w = w as usize;
                if dist[w] == u32::MAX {
                    dist[w] = dist[v] + 1;
                    order.push(w);
                }
            }
        }
    }

    /// Connected components: each node's component number, numbered in order of their first
    /// node.
    pub fn components(&self) -> Vec<usize> {
        let mut sets = UnionFind::<u32>::new(self.len());
        for v in 0..self.len() {
            for &w in self.neighbours(v).iter().filter(|&&w| w as usize > v) {
                sets.union(v as u32, w);
            }
        }
        let mut number = vec![usize::MAX; self.len()];
        let mut next = 0;
        (0..self.len())
            .map(|v| {
                let root = sets.find_mut(v as u32) as usize;
                if number[root] == usize::MAX {
                    number[root] = next;
                    next += 1;
                }
                number[root]
            })
            .collect()
    }
}

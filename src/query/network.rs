//! The entity network that centrality and community measures run on: undirected and simple
//! (one connection per pair of entities, however many links join them), unweighted, with
//! `Refuted` links and filtered-out links left out. This is the graph NetworkX's `Graph`
//! holds when given the same connections, so the measures can be compared with it.

use super::LinkFilter;
use crate::graph::KnowledgeGraph;

#[derive(Debug)]
pub struct Network {
    /// The entity index of each node, in dataset order.
    pub entities: Vec<usize>,
    /// Each node's neighbours (node positions), sorted, without repeats or self-loops.
    pub adjacency: Vec<Vec<u32>>,
    /// Connections (unordered pairs).
    pub edges: usize,
}

impl Network {
    /// The network of the entities and links the filter admits.
    pub fn build(graph: &KnowledgeGraph, filter: &LinkFilter) -> Network {
        let mut position = vec![u32::MAX; graph.entities().len()];
        let mut entities = Vec::new();
        for (i, e) in graph.entities().iter().enumerate() {
            if filter.admits(e) {
                position[i] = entities.len() as u32;
                entities.push(i);
            }
        }
        let mut adjacency = vec![Vec::new(); entities.len()];
        for link in graph.links() {
            if !filter.follows(link) {
                continue;
            }
            let ends = (graph.index_of(link.from.as_str()), graph.index_of(link.to.as_str()));
            let (Some(a), Some(b)) = ends else { continue };
            let (pa, pb) = (position[a], position[b]);
            if pa == u32::MAX || pb == u32::MAX || pa == pb {
                continue;
            }
            adjacency[pa as usize].push(pb);
            adjacency[pb as usize].push(pa);
        }
        let mut edges = 0;
        for list in &mut adjacency {
            list.sort_unstable();
            list.dedup();
            edges += list.len();
        }
        Network { entities, adjacency, edges: edges / 2 }
    }

    pub fn len(&self) -> usize {
        self.entities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    pub fn degree(&self, node: usize) -> usize {
        self.adjacency[node].len()
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
            for &w in &self.adjacency[v] {
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
        let mut component = vec![usize::MAX; self.len()];
        let mut next = 0;
        let mut stack = Vec::new();
        for start in 0..self.len() {
            if component[start] != usize::MAX {
                continue;
            }
            component[start] = next;
            stack.push(start);
            while let Some(v) = stack.pop() {
                for &w in &self.adjacency[v] {
                    if component[w as usize] == usize::MAX {
                        component[w as usize] = next;
                        stack.push(w as usize);
                    }
                }
            }
            next += 1;
        }
        component
    }
}

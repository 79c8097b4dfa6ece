//! `path`: how two entities are connected: the shortest paths, or every simple path up to a
//! length. Links are followed in either direction (each step says which); `Refuted` links
//! never are.

use std::collections::{HashMap, VecDeque};

use serde::Serialize;

use super::{LinkFilter, Step};
use crate::graph::KnowledgeGraph;

#[derive(Debug, Serialize)]
pub struct Paths {
    /// Shortest first; among equals, in the order they were found (dataset order).
    pub paths: Vec<Path>,
    /// True when more paths exist than `limit` allowed.
    pub truncated: bool,
}

#[derive(Debug, Serialize)]
pub struct Path {
    pub steps: Vec<Step>,
}

/// What to look for.
#[derive(Clone, Debug)]
pub struct PathQuery {
    pub filter: LinkFilter,
    /// Longest path, in links.
    pub max_len: usize,
    /// Every simple path up to `max_len`, not only the shortest.
    pub all: bool,
    /// Most paths returned.
    pub limit: usize,
}

/// Paths from entity `a` to entity `b`.
pub fn paths(graph: &KnowledgeGraph, a: usize, b: usize, q: &PathQuery) -> Paths {
    let to_b = distances(graph, b, q.max_len, &q.filter);
    let Some(&shortest) = to_b.get(&a) else {
        return Paths { paths: Vec::new(), truncated: false };
    };
    let longest = if q.all { q.max_len } else { shortest as usize };
    let mut search = Search { graph, q, to_b: &to_b, target: b, longest, found: Vec::new(), truncated: false, trail: Vec::new(), on_path: vec![a] };
    search.walk(a);
    let mut found = search.found;
    found.sort_by_key(|steps| steps.len());
    Paths { paths: found.into_iter().map(|steps| Path { steps }).collect(), truncated: search.truncated }
}

/// Links needed to reach `target` from each entity within `max_len`, following `filter`.
fn distances(graph: &KnowledgeGraph, target: usize, max_len: usize, filter: &LinkFilter) -> HashMap<usize, u32> {
    let mut dist = HashMap::from([(target, 0u32)]);
    let mut queue = VecDeque::from([target]);
    while let Some(at) = queue.pop_front() {
        let d = dist[&at];
        if d as usize >= max_len {
            continue;
        }
        for inc in graph.incident(at) {
            if !dist.contains_key(&inc.other) && filter.follows(graph.link(inc.link)) && filter.admits(graph.entity(inc.other)) {
                dist.insert(inc.other, d + 1);
                queue.push_back(inc.other);
            }
        }
    }
    dist
}

struct Search<'a> {
    graph: &'a KnowledgeGraph,
    q: &'a PathQuery,
    to_b: &'a HashMap<usize, u32>,
    target: usize,
    longest: usize,
    found: Vec<Vec<Step>>,
    truncated: bool,
    trail: Vec<(usize, usize)>,
    on_path: Vec<usize>,
}

impl Search<'_> {
    /// Depth-first over simple paths, pruned by the distance still needed to reach the target.
    fn walk(&mut self, at: usize) {
        if at == self.target {
            if self.found.len() == self.q.limit {
                self.truncated = true;
            } else {
                let steps = self.trail.iter().map(|&(link, from)| Step::new(self.graph, link, from)).collect();
                self.found.push(steps);
            }
            return;
        }
        let left = self.longest - self.trail.len();
        for inc in self.graph.incident(at) {
            if self.truncated {
                return;
            }
            let Some(&need) = self.to_b.get(&inc.other) else { continue };
            if need as usize + 1 > left || self.on_path.contains(&inc.other) || !self.q.filter.follows(self.graph.link(inc.link)) {
                continue;
            }
            self.trail.push((inc.link, at));
            self.on_path.push(inc.other);
            self.walk(inc.other);
            self.on_path.pop();
            self.trail.pop();
        }
    }
}

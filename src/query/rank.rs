//! `rank`: key actors by centrality on the entity [`Network`]. Each measure is computed as
//! NetworkX computes it on an undirected `Graph`, so the numbers can be checked against it:
//! `degree_centrality`, `betweenness_centrality` (normalized), `closeness_centrality`
//! (Wasserman–Faust scaling for disconnected graphs) and `pagerank` (alpha 0.85, tolerance
//! 1e-6 per node, at most 100 iterations).

use serde::Serialize;

use super::network::Network;
use super::{EntityRef, LinkFilter};
use crate::graph::KnowledgeGraph;
use crate::model::Kind;

/// A centrality measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    /// Share of the other entities an entity is directly connected to.
    Degree,
    /// Share of shortest paths between other entities that pass through an entity: brokers.
    Betweenness,
    /// How near an entity is to all it can reach.
    Closeness,
    /// Connected to entities that are themselves well connected.
    Pagerank,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ranked {
    #[serde(flatten)]
    pub entity: EntityRef,
    pub score: f64,
}

/// Scores of every node of the network by `measure`, indexed by node.
pub fn scores(net: &Network, measure: Measure) -> Vec<f64> {
    match measure {
        Measure::Degree => degree(net),
        Measure::Betweenness => betweenness(net),
        Measure::Closeness => closeness(net),
        Measure::Pagerank => pagerank(net, 0.85, 1e-6, 100),
    }
}

/// The `top` highest-scoring entities (of `kinds`, all when empty), highest first, ties by id.
pub fn rank(
    graph: &KnowledgeGraph,
    filter: &LinkFilter,
    measure: Measure,
    kinds: &[Kind],
    top: usize,
) -> Vec<Ranked> {
    let net = Network::build(graph, filter);
    let scores = scores(&net, measure);
    let mut ranked: Vec<Ranked> = net
        .entities
        .iter()
        .zip(scores)
        .filter(|&(&i, _)| kinds.is_empty() || kinds.contains(&graph.entity(i).kind()))
        .map(|(&i, score)| Ranked { entity: EntityRef::of(graph.entity(i)), score })
        .collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.entity.id.cmp(&b.entity.id)));
    ranked.truncate(top);
    ranked
}

pub fn degree(net: &Network) -> Vec<f64> {
    let n = net.len();
    if n <= 1 {
        return vec![1.0; n];
    }
    (0..n).map(|v| net.degree(v) as f64 / (n - 1) as f64).collect()
}

/// Brandes' algorithm, every node a source; normalized by 1/((n-1)(n-2)) like NetworkX.
pub fn betweenness(net: &Network) -> Vec<f64> {
    let n = net.len();
    let mut bc = vec![0.0; n];
    let (mut dist, mut order) = (vec![u32::MAX; n], Vec::with_capacity(n));
    let (mut sigma, mut delta) = (vec![0.0f64; n], vec![0.0f64; n]);
    for s in 0..n {
        net.bfs(s, &mut dist, &mut order);
        for &v in &order {
            sigma[v] = 0.0;
            delta[v] = 0.0;
        }
        sigma[s] = 1.0;
        for &v in &order {
            for &w in &net.adjacency[v] {
                if dist[w as usize] == dist[v] + 1 {
                    sigma[w as usize] += sigma[v];
                }
            }
        }
        for &w in order.iter().rev() {
            for &v in &net.adjacency[w] {
                let v = v as usize;
                if dist[v] != u32::MAX && dist[v] + 1 == dist[w] {
                    delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w]);
                }
            }
            if w != s {
                bc[w] += delta[w];
            }
        }
    }
    if n > 2 {
        let scale = 1.0 / ((n - 1) * (n - 2)) as f64;
        bc.iter_mut().for_each(|b| *b *= scale);
    }
    bc
}

/// Closeness with Wasserman–Faust scaling: (r-1)/total distance × (r-1)/(n-1), where r counts
/// the nodes reachable (itself included).
pub fn closeness(net: &Network) -> Vec<f64> {
    let n = net.len();
    let (mut dist, mut order) = (vec![u32::MAX; n], Vec::with_capacity(n));
    (0..n)
        .map(|v| {
            net.bfs(v, &mut dist, &mut order);
            let total: u64 = order.iter().map(|&w| u64::from(dist[w])).sum();
            let reached = (order.len() - 1) as f64;
            if total == 0 || n <= 1 { 0.0 } else { reached / total as f64 * reached / (n - 1) as f64 }
        })
        .collect()
}

/// PageRank by power iteration, as NetworkX does it: every connection both ways, isolated
/// nodes spreading their rank evenly, stopping when the total change is below `n × tol`.
pub fn pagerank(net: &Network, alpha: f64, tol: f64, max_iter: usize) -> Vec<f64> {
    let n = net.len();
    if n == 0 {
        return Vec::new();
    }
    let uniform = 1.0 / n as f64;
    let mut x = vec![uniform; n];
    let mut next = vec![0.0; n];
    for _ in 0..max_iter {
        let dangling: f64 = (0..n).filter(|&v| net.degree(v) == 0).map(|v| x[v]).sum();
        next.fill(0.0);
        for (rank, neighbours) in x.iter().zip(&net.adjacency) {
            if !neighbours.is_empty() {
                let share = rank / neighbours.len() as f64;
                for &w in neighbours {
                    next[w as usize] += share;
                }
            }
        }
        let mut err = 0.0;
        for v in 0..n {
            let value = alpha * (next[v] + dangling * uniform) + (1.0 - alpha) * uniform;
            err += (value - x[v]).abs();
            next[v] = value;
        }
        std::mem::swap(&mut x, &mut next);
        if err < n as f64 * tol {
            break;
        }
    }
    x
}

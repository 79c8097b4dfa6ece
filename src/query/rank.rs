//! `rank`: key actors by centrality on the entity [`Network`]. Each measure is computed as
//! NetworkX computes it on an undirected `Graph`, so the numbers can be checked against it:
//! `degree_centrality`, `betweenness_centrality` (normalized), `closeness_centrality`
//! (Wasserman–Faust scaling for disconnected graphs) and `pagerank` (alpha 0.85, power
//! iteration until the total change is below [`PAGERANK_TOLERANCE`]).

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
pub fn scores(net: &Network, measure: Measure, sampling: Sampling) -> Vec<f64> {
    match measure {
        Measure::Degree => degree(net),
        Measure::Betweenness => match sampling.pivots(net.len()) {
            None => betweenness(net),
            Some(k) => betweenness_sampled(net, k),
        },
        Measure::Closeness => closeness(net),
        Measure::Pagerank => pagerank(net, 0.85, PAGERANK_TOLERANCE, PAGERANK_MAX_ITERATIONS),
    }
}

/// The `top` highest-scoring entities (of `kinds`, all when empty), highest first, ties by id.
pub fn rank(
    graph: &KnowledgeGraph,
    filter: &LinkFilter,
    measure: Measure,
    kinds: &[Kind],
    top: usize,
    sampling: Sampling,
) -> Vec<Ranked> {
    let net = Network::build(graph, filter);
    let scores = scores(&net, measure, sampling);
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

/// Betweenness is exact up to this many entities, and sampled above it.
pub const EXACT_UP_TO: usize = 20_000;
/// Pivots sampled when betweenness is sampled and no number is given.
pub const DEFAULT_PIVOTS: usize = 1_000;
/// Partial sums Brandes' sources are split into, each on its own thread. Fixed, so that the
/// floating-point sums, and the ranking, are the same on any number of cores.
const PARTS: usize = 2;

/// How betweenness is computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sampling {
    /// Exact up to [`EXACT_UP_TO`] entities, [`DEFAULT_PIVOTS`] pivots above.
    Auto,
    Exact,
    /// Brandes from this many pivots, scaled by n/k: NetworkX's `betweenness_centrality(G, k)`.
    Pivots(usize),
}

impl Sampling {
    /// The pivots to use on a network of `n` entities, `None` for every entity.
    pub fn pivots(self, n: usize) -> Option<usize> {
        match self {
            Sampling::Exact => None,
            Sampling::Auto if n <= EXACT_UP_TO => None,
            Sampling::Auto => Some(DEFAULT_PIVOTS.min(n)),
            Sampling::Pivots(k) if k >= n => None,
            Sampling::Pivots(k) => Some(k.max(1)),
        }
    }
}

/// Brandes' algorithm, every node a source; normalized by 1/((n-1)(n-2)) like NetworkX.
pub fn betweenness(net: &Network) -> Vec<f64> {
    let sources: Vec<usize> = (0..net.len()).collect();
    normalized(net, brandes(net, &sources), net.len())
}

/// Brandes from `k` pivots drawn without replacement by a fixed-seed generator, scaled by
/// n/k. An unbiased estimate whose relative error shrinks as 1/sqrt(k): docs/guide.md ("Who are the key
/// actors?") gives measured figures.
pub fn betweenness_sampled(net: &Network, k: usize) -> Vec<f64> {
    let n = net.len();
    let pivots = pivot_sample(n, k.min(n));
    normalized(net, brandes(net, &pivots), pivots.len())
}

fn normalized(net: &Network, mut bc: Vec<f64>, sources: usize) -> Vec<f64> {
    let n = net.len();
    if n > 2 && sources > 0 {
        let scale = 1.0 / ((n - 1) * (n - 2)) as f64 * n as f64 / sources as f64;
        bc.iter_mut().for_each(|b| *b *= scale);
    }
    bc
}

/// `k` distinct node numbers below `n`, the same for the same `n` and `k` (a partial
/// Fisher-Yates shuffle driven by SplitMix64), sorted.
/// Public so that a benchmark can give other libraries the very pivots used here.
pub fn pivot_sample(n: usize, k: usize) -> Vec<usize> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let mut picked: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    let mut out = Vec::with_capacity(k);
    for i in 0..k {
        let j = i + (next() % (n - i) as u64) as usize;
        let at_j = *picked.get(&j).unwrap_or(&j);
        let at_i = *picked.get(&i).unwrap_or(&i);
        picked.insert(j, at_i);
        out.push(at_j);
    }
    out.sort_unstable();
    out
}

/// Unnormalized dependency sums from `sources`, split into [`PARTS`] partial sums computed on
/// their own threads and added in order.
fn brandes(net: &Network, sources: &[usize]) -> Vec<f64> {
    let chunk = sources.len().div_ceil(PARTS).max(1);
    let parts: Vec<Vec<f64>> = std::thread::scope(|scope| {
        let handles: Vec<_> =
            sources.chunks(chunk).map(|part| scope.spawn(move || brandes_part(net, part))).collect();
        handles.into_iter().map(|h| h.join().expect("a Brandes worker does not panic")).collect()
    });
    let mut bc = vec![0.0; net.len()];
    for part in parts {
        for (b, p) in bc.iter_mut().zip(part) {
            *b += p;
        }
    }
    bc
}

fn brandes_part(net: &Network, sources: &[usize]) -> Vec<f64> {
    let n = net.len();
    let mut bc = vec![0.0; n];
    let (mut dist, mut order) = (vec![u32::MAX; n], Vec::with_capacity(n));
    let (mut sigma, mut delta) = (vec![0.0f64; n], vec![0.0f64; n]);
    for &s in sources {
        net.bfs(s, &mut dist, &mut order);
        for &v in &order {
            sigma[v] = 0.0;
            delta[v] = 0.0;
        }
        sigma[s] = 1.0;
        for &v in &order {
            for &w in net.neighbours(v) {
                if dist[w as usize] == dist[v] + 1 {
                    sigma[w as usize] += sigma[v];
                }
            }
        }
        for &w in order.iter().rev() {
            for &v in net.neighbours(w) {
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

/// PageRank stops when the ranks of all entities together moved by less than this in one
/// iteration. It is absolute, not NetworkX's default `n × 1e-6`: that bound is 1 at a million
/// entities (the ranks sum to 1), which stopped after a few iterations and put the wrong
/// entities in the top ten. The reference scripts pass NetworkX `tol = 1e-12 / n`, the same rule.
pub const PAGERANK_TOLERANCE: f64 = 1e-12;

/// A ceiling that only a graph built to converge slowly reaches (alpha 0.85 shrinks the change
/// by at least that factor per iteration: 1e-12 takes at most about 170).
pub const PAGERANK_MAX_ITERATIONS: usize = 1000;

/// PageRank by power iteration, as NetworkX does it: every connection both ways, isolated
/// nodes spreading their rank evenly, stopping when the total change is below `tol`.
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
        for (v, rank) in x.iter().enumerate() {
            let neighbours = net.neighbours(v);
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
        if err < tol {
            break;
        }
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::fixture;

    #[test]
    fn sampling_every_node_is_exact_and_pivots_are_distinct() {
        let g = fixture::graph(fixture::NETWORK);
        let net = Network::build(&g, &LinkFilter::default());
        let exact = betweenness(&net);
        let all = betweenness_sampled(&net, net.len());
        for (a, b) in exact.iter().zip(&all) {
            assert!((a - b).abs() < 1e-12);
        }
        let picked = pivot_sample(1000, 100);
        let mut unique = picked.clone();
        unique.dedup();
        assert_eq!(unique.len(), 100);
        assert_eq!(picked, pivot_sample(1000, 100), "the same pivots every run");
        assert_eq!(Sampling::Auto.pivots(10), None);
        assert_eq!(Sampling::Auto.pivots(EXACT_UP_TO + 1), Some(DEFAULT_PIVOTS));
        assert_eq!(Sampling::Pivots(5).pivots(3), None);
    }
}

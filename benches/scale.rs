//! Load and query benchmarks on synthetic datasets of 10,000 and 100,000 entities (and
//! 1,000,000 with `THREATGRAPH_BENCH_1M=1`: loading it takes a minute and 8 GB). Datasets are
//! written once by the synthetic generator into `target/bench/synth-N`.
//!
//! `cargo bench --bench scale`; `benches/compare.py` puts the same queries beside NetworkX
//! and igraph.

#[allow(dead_code)]
#[path = "../examples/synth/generator.rs"]
mod generator;
#[path = "support/subjects.rs"]
mod subjects;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use divan::Bencher;
use threatgraph::export::dot;
use threatgraph::graph::KnowledgeGraph;
use threatgraph::query::chains::{ChainQuery, chains};
use threatgraph::query::clusters::clusters;
use threatgraph::query::network::Network;
use threatgraph::query::paths::{PathQuery, paths};
use threatgraph::query::rank::{Measure, Sampling, scores};
use threatgraph::query::{LinkFilter, neighbours, search, show};

fn main() {
    divan::main();
}

fn sizes() -> Vec<usize> {
    let mut s = vec![10_000, 100_000];
    if std::env::var_os("THREATGRAPH_BENCH_1M").is_some() {
        s.push(1_000_000);
    }
    s
}

/// The data folder of `n` entities, generated on first use.
fn folder(n: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench").join(format!("synth-{n}"));
    if !dir.join("graph.json").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        generator::generate(&generator::Config { entities: n, seed: 1 }, &dir).expect("generate the dataset");
    }
    dir
}

/// The graph of `n` entities, loaded once per run and kept.
fn graph(n: usize) -> &'static KnowledgeGraph {
    static GRAPHS: OnceLock<Mutex<HashMap<usize, &'static KnowledgeGraph>>> = OnceLock::new();
    let mut map = GRAPHS.get_or_init(Default::default).lock().expect("lock");
    map.entry(n).or_insert_with(|| Box::leak(Box::new(load(n))))
}

fn load(n: usize) -> KnowledgeGraph {
    let loaded = threatgraph::load::load(&folder(n));
    let problems = threatgraph::validate::validate(&loaded);
    assert!(problems.iter().chain(&loaded.problems).all(|p| !p.is_error()), "the synthetic data is valid");
    KnowledgeGraph::build(loaded.dataset)
}

#[divan::bench(args = sizes(), sample_count = 3, sample_size = 1)]
fn parse_validate_build(bencher: Bencher, n: usize) {
    let dir = folder(n);
    bencher.bench(|| {
        let loaded = threatgraph::load::load(&dir);
        let problems = threatgraph::validate::validate(&loaded);
        let g = KnowledgeGraph::build(loaded.dataset);
        // Freeing is part of a run too, but the CLI skips it at exit: leave it out.
        std::mem::forget(problems);
        std::mem::forget(g);
    });
}

#[divan::bench(args = sizes())]
fn search_name(bencher: Bencher, n: usize) {
    let g = graph(n);
    let (_, median, _, _) = subjects::subjects(g);
    let name = g.entity(median).name.clone();
    bencher.bench(|| search::search(g, &name, 10));
}

#[divan::bench(args = sizes())]
fn show_hub(bencher: Bencher, n: usize) {
    let g = graph(n);
    let (hub, _, _, _) = subjects::subjects(g);
    let f = LinkFilter::default();
    bencher.bench(|| show::show(g, hub, &f).links.len());
}

#[divan::bench(args = sizes())]
fn neighbours_depth_2(bencher: Bencher, n: usize) {
    let g = graph(n);
    let (_, median, _, _) = subjects::subjects(g);
    let f = LinkFilter::default();
    bencher.bench(|| neighbours::reach(g, &[median], 2, &[], &f).len());
}

fn path_query(all: bool) -> PathQuery {
    PathQuery {
        max_len: if all { 4 } else { 8 },
        all,
        limit: 1000,
        budget: Some(Duration::from_secs(30)),
        ..PathQuery::default()
    }
}

#[divan::bench(args = sizes())]
fn shortest_path(bencher: Bencher, n: usize) {
    let g = graph(n);
    let (_, _, a, b) = subjects::subjects(g);
    let q = path_query(false);
    bencher.bench(|| paths(g, a, b, &q).paths.len());
}

#[divan::bench(args = sizes(), sample_count = 10)]
fn all_paths_max_len_4(bencher: Bencher, n: usize) {
    let g = graph(n);
    let (_, _, a, b) = subjects::subjects(g);
    let q = path_query(true);
    bencher.bench(|| paths(g, a, b, &q).paths.len());
}

#[divan::bench(args = sizes(), sample_count = 10)]
fn chain(bencher: Bencher, n: usize) {
    let g = graph(n);
    let (_, median, _, _) = subjects::subjects(g);
    let q = ChainQuery {
        filter: LinkFilter::default(),
        max_len: 4,
        to: None,
        all: false,
        limit: 20,
        budget: threatgraph::query::chains::DEFAULT_BUDGET,
        timeout: Some(Duration::from_secs(30)),
    };
    bencher.bench(|| chains(g, median, &q).chains.len());
}

/// Exact at 10,000 entities, 1,000 pivots above (as `rank` does by default).
#[divan::bench(args = sizes(), sample_count = 3, sample_size = 1)]
fn rank_betweenness(bencher: Bencher, n: usize) {
    let g = graph(n);
    let net = Network::build(g, &LinkFilter::default());
    bencher.bench(|| scores(&net, Measure::Betweenness, Sampling::Auto).len());
}

#[divan::bench(args = sizes(), sample_count = 3, sample_size = 1)]
fn clusters_louvain(bencher: Bencher, n: usize) {
    let g = graph(n);
    let f = LinkFilter::default();
    bencher.bench(|| clusters(g, &f).communities.len());
}

#[divan::bench(args = sizes(), sample_count = 10)]
fn dot_1000_node_neighbourhood(bencher: Bencher, n: usize) {
    let g = graph(n);
    let (_, median, _, _) = subjects::subjects(g);
    let sel = subjects::thousand_around(g, median, &LinkFilter::default());
    bencher.bench(|| dot::write(g, &sel, "bench", dot::Options::default()).len());
}

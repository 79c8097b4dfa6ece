//! Times threatgraph's load and queries in one process on a data folder, and prints the
//! timings and memory as JSON. `benches/compare.py` runs it beside NetworkX and igraph on
//! the same graph (the `graph.json` the synthetic generator writes) and the same queries.
//!
//! `cargo run --release --example queries -- --data DIR [--pivots K]`
//!
//! The entities the queries start from are picked from the graph itself, the same way every
//! run, and printed, so that the Python side asks the same questions: the hub (most links),
//! a person of median degree, and for paths two people the hub does not touch.

use std::time::{Duration, Instant};

use clap::Parser;
#[path = "../benches/support/subjects.rs"]
mod subjects;

use subjects::{subjects, thousand_around};
use threatgraph::export::dot;
use threatgraph::graph::KnowledgeGraph;
use threatgraph::query::chains::{ChainQuery, chains};
use threatgraph::query::clusters::clusters;
use threatgraph::query::network::Network;
use threatgraph::query::paths::{PathQuery, paths};
use threatgraph::query::rank::{self, Measure, Sampling, scores};
use threatgraph::query::routes::routes;
use threatgraph::query::score;
use threatgraph::query::{LinkFilter, neighbours, search, show};

// The allocator the command line uses (src/main.rs), so the figures are the tool's.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
struct Args {
    #[arg(long)]
    data: std::path::PathBuf,
    /// Betweenness pivots.
    #[arg(long, default_value_t = 100)]
    pivots: usize,
    /// Skip the all-pairs-heavy measures (betweenness, clusters) on very large graphs.
    #[arg(long)]
    quick: bool,
    /// Write the weighted network the ranked routes search (one line per connection: the two
    /// ids and the cost NetworkX is given) to this file, for the comparison.
    #[arg(long)]
    weights: Option<std::path::PathBuf>,
}

/// Writes every connection with the weight that makes NetworkX's shortest simple paths rank
/// routes as threatgraph does: the cheapest link's cost plus half of each end's hub cost, so
/// that a route's weight is its threatgraph score plus half the hub costs of its two ends.
fn write_weights(graph: &KnowledgeGraph, filter: &LinkFilter, path: &std::path::Path) -> std::io::Result<()> {
    use std::io::Write;
    let mut best: std::collections::HashMap<(usize, usize), u64> = std::collections::HashMap::new();
    for u in 0..graph.entity_count() {
        for inc in graph.incident(u) {
            let v = inc.other();
            if u < v && filter.follows_at(inc) {
                let w = score::link_cost(graph, inc) * 2
                    + score::hub_cost(graph.degree(u))
                    + score::hub_cost(graph.degree(v));
                best.entry((u, v)).and_modify(|b| *b = (*b).min(w)).or_insert(w);
            }
        }
    }
    let mut pairs: Vec<_> = best.into_iter().collect();
    pairs.sort_unstable();
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    for ((u, v), w) in pairs {
        // In half-thousandths, whole numbers: the sums are exact on both sides.
        writeln!(out, "{}\t{}\t{w}", graph.entity(u).id, graph.entity(v).id)?;
    }
    out.flush()
}

fn time<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let t = Instant::now();
    let out = f();
    (out, t.elapsed().as_secs_f64())
}

/// Runs of each quick query, the same as `benches/compare.py`: the median counts, and the
/// least and greatest are reported beside it, because on a shared machine a microsecond
/// query's single runs vary several times over.
const QUICK_RUNS: usize = 21;

/// The times of `runs` runs of `f`: median, least and greatest, in seconds.
fn runs<T>(runs: usize, mut f: impl FnMut() -> T) -> serde_json::Value {
    let mut times: Vec<f64> = (0..runs).map(|_| time(&mut f).1).collect();
    times.sort_by(f64::total_cmp);
    serde_json::json!({
        "median": times[times.len() / 2],
        "min": times[0],
        "max": times[times.len() - 1],
        "runs": runs,
    })
}

/// One run of a slow query, in the same shape as [`runs`].
fn once(seconds: f64) -> serde_json::Value {
    serde_json::json!({"median": seconds, "min": seconds, "max": seconds, "runs": 1})
}

/// The ids of the ten highest scores, highest first, ties by id (as `rank` orders them).
fn top_ten(graph: &KnowledgeGraph, net: &Network, scores: &[f64]) -> Vec<String> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    let id = |v: usize| graph.entity(net.entities[v]).id.as_str();
    order.sort_by(|&x, &y| scores[y].total_cmp(&scores[x]).then_with(|| id(x).cmp(id(y))));
    order.into_iter().take(10).map(|v| id(v).to_string()).collect()
}

/// Peak resident memory of this process, from /proc (Linux).
fn peak_rss() -> Option<u64> {
    status("VmHWM:")
}

/// A memory figure of this process from /proc/self/status, in bytes.
fn status(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse::<u64>().ok().map(|kb| kb * 1024)
}

fn main() {
    let args = Args::parse();
    let (loaded, parse) = time(|| threatgraph::load::load(&args.data));
    let after_parse = (status("VmRSS:"), peak_rss());
    let ((problems, ends), validate) = time(|| threatgraph::validate::validate_with_ends(&loaded));
    let after_validate = (status("VmRSS:"), peak_rss());
    let errors = loaded.problems.iter().chain(&problems).filter(|p| p.is_error()).count();
    assert_eq!(errors, 0, "the data folder has errors: run `threatgraph check`");
    // As the command line does: the file texts are not needed once the data is valid.
    let threatgraph::load::Loaded { dataset, files, map, .. } = loaded;
    drop((files, map));
    let (graph, build) = time(|| KnowledgeGraph::build_with_ends(dataset, ends));
    let after_build = (status("VmRSS:"), peak_rss());
    let filter = LinkFilter::default();
    let (hub, median, a, b) = subjects(&graph);
    let id = |i: usize| graph.entity(i).id.to_string();

    let mut q: Vec<(&str, serde_json::Value)> = Vec::new();
    let name = graph.entity(median).name.clone();
    // The first search builds the name indices (folded names, trigrams); later ones use them.
    q.push(("search_first", once(time(|| search::search(&graph, &name, 10)).1)));
    q.push(("search", runs(QUICK_RUNS, || search::search(&graph, &name, 10))));
    q.push(("show", runs(QUICK_RUNS, || show::show(&graph, hub, &filter).links.len())));
    q.push((
        "neighbours_depth_2",
        runs(QUICK_RUNS, || neighbours::reach(&graph, &[median], 2, &[], &filter).len()),
    ));
    let shortest = PathQuery { filter: filter.clone(), max_len: 8, limit: 1, ..PathQuery::default() };
    let (found, _) = time(|| paths(&graph, a, b, &shortest));
    let path_len = found.paths.first().map(|p| p.steps.len());
    q.push(("shortest_path", runs(QUICK_RUNS, || paths(&graph, a, b, &shortest).paths.len())));
    // The three most informative routes (the default `path`), within the same length bound.
    let ranked = PathQuery { limit: 3, max_len: 8, ..shortest.clone() };
    let (ranked_found, _) = time(|| routes(&graph, a, b, &ranked));
    q.push(("ranked_routes_3", runs(5, || routes(&graph, a, b, &ranked).paths.len())));
    // NetworkX is given each route's score plus half the hub costs of the two ends.
    let ends = score::hub_cost(graph.degree(a)) + score::hub_cost(graph.degree(b));
    let route_weights: Vec<u64> = ranked_found.paths.iter().map(|p| p.cost * 2 + ends).collect();
    if let Some(file) = &args.weights {
        write_weights(&graph, &filter, file).expect("writes the weights");
    }
    let all = PathQuery {
        all: true,
        max_len: 4,
        limit: 1000,
        budget: Some(Duration::from_secs(30)),
        ..shortest.clone()
    };
    let (all_found, t) = time(|| paths(&graph, a, b, &all));
    q.push(("all_paths_max_len_4", once(t)));
    let cq = ChainQuery {
        filter: filter.clone(),
        max_len: 4,
        to: None,
        all: false,
        limit: 20,
        budget: threatgraph::query::chains::DEFAULT_BUDGET,
        timeout: Some(Duration::from_secs(30)),
    };
    let (chain_found, t) = time(|| chains(&graph, median, &cq));
    q.push(("chain", once(t)));
    // The measures run on the entity network, built from the graph first: each timing below
    // includes that build, as each Python library's includes the graph it built at load.
    let (net, network_build) = time(|| Network::build(&graph, &filter));
    q.push(("network_build", once(network_build)));
    let (pagerank, t) = time(|| scores(&Network::build(&graph, &filter), Measure::Pagerank, Sampling::Exact));
    q.push(("pagerank", once(t)));
    let mut answers = serde_json::json!({
        "shortest_path_len": path_len,
        "all_paths": all_found.paths.len(),
        // Two links between the same pair are two paths here and one route elsewhere.
        "all_paths_distinct_routes": all_found
            .paths
            .iter()
            .map(|p| p.steps.iter().map(|s| s.to.id.as_str()).collect::<Vec<_>>())
            .collect::<std::collections::HashSet<_>>()
            .len(),
        "all_paths_cut_by": all_found.cut_by,
        "chains": chain_found.chains.len(),
        "ranked_route_weights": route_weights,
        "pagerank_top10": top_ten(&graph, &net, &pagerank),
    });
    // The pivots, as ids, so that NetworkX and igraph start from the very same ones.
    let pivots: Vec<String> = rank::pivot_sample(net.len(), args.pivots.min(net.len()))
        .into_iter()
        .map(|v| graph.entity(net.entities[v]).id.to_string())
        .collect();
    if !args.quick {
        let (between, t) = time(|| {
            scores(&Network::build(&graph, &filter), Measure::Betweenness, Sampling::Pivots(args.pivots))
        });
        q.push(("betweenness_sampled", once(t)));
        answers["betweenness_top10"] = top_ten(&graph, &net, &between).into();
        let (found, t) = time(|| clusters(&graph, &filter));
        q.push(("clusters", once(t)));
        answers["communities"] = found.communities.len().into();
        answers["modularity"] = found.modularity.into();
    }
    let sel = thousand_around(&graph, median, &filter);
    q.push((
        "dot_1000_nodes",
        once(time(|| dot::write(&graph, &sel, "bench", dot::Options::default()).len()).1),
    ));
    answers["dot_nodes"] = sel.nodes.len().into();

    let links = graph.links().len();
    let entities = graph.entity_count();
    let rss = peak_rss();
    let out = serde_json::json!({
        "entities": entities,
        // The cores this process may use: `benches/compare.py` also runs it pinned to one.
        "cores": std::thread::available_parallelism().map_or(1, |n| n.get()),
        "links": links,
        "connections": net.edges,
        "subjects": {"hub": id(hub), "median": id(median), "a": id(a), "b": id(b), "pivots": pivots},
        "answers": answers,
        "load": {"parse": parse, "validate": validate, "build": build, "total": parse + validate + build},
        "queries": q.into_iter().map(|(k, v)| (k.to_string(), v)).collect::<serde_json::Map<_, _>>(),
        "peak_rss_bytes": rss,
        "rss_after_load_bytes": after_build.0,
        "rss_and_peak_after": {"parse": after_parse, "validate": after_validate, "build": after_build},
        "bytes_per_entity_and_link": rss.map(|r| r as f64 / (entities + links) as f64),
    });
    println!("{}", serde_json::to_string_pretty(&out).expect("JSON"));
    // Freeing a million entities one by one takes seconds and tells nothing.
    std::process::exit(0);
}

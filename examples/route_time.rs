//! Times `path`'s ranked routes (`query::routes`, as the workspace's `/api/path` asks for them)
//! over many pairs in one process, the graph loaded as the CLI loads it (from its snapshot
//! when there is one). Prints one line per pair (time, routes found, their costs and
//! entities) so that a change of speed can be seen not to change the answer, then the median,
//! 90th percentile and slowest time.
//!
//! `cargo run --release --example route_time -- --data DIR [--pairs N] [--seed S] [--budget-ms MS]`
//! `cargo run --release --example route_time -- --data DIR --list target/serve-load/lists-N/path.txt`
//!
//! Pairs are drawn at random (a fixed seed: the same every run) among all entities, or read
//! from the load test's request list (`/api/path?from=A&to=B` lines).

use std::time::{Duration, Instant};

use clap::Parser;
#[path = "../benches/support/loaded.rs"]
mod loaded;

use loaded::loaded;
use threatgraph::query::paths::PathQuery;
use threatgraph::query::routes::{DEFAULT_WITHIN, keep_within, routes};

#[derive(Parser)]
struct Args {
    #[arg(long)]
    data: std::path::PathBuf,
    /// Random pairs to time (ignored with --list).
    #[arg(long, default_value_t = 50)]
    pairs: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The load test's request list of paths; its first --pairs lines are timed.
    #[arg(long)]
    list: Option<std::path::PathBuf>,
    /// The search's time budget (the workspace's is 3000 ms; none by default, to see the
    /// whole cost).
    #[arg(long)]
    budget_ms: Option<u64>,
}

/// `%XX` escapes decoded (the load test's lists are percent-encoded).
fn unescape(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(v) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn main() {
    let args = Args::parse();
    let graph = loaded(&args.data);
    let n = graph.entity_count();

    let pairs: Vec<(usize, usize)> = match &args.list {
        Some(list) => std::fs::read_to_string(list)
            .unwrap_or_else(|e| panic!("reading {}: {e}", list.display()))
            .lines()
            .filter_map(|line| {
                let query = line.split_once('?')?.1;
                let mut from = None;
                let mut to = None;
                for part in query.split('&') {
                    match part.split_once('=') {
                        Some(("from", v)) => from = graph.index_of(&unescape(v)),
                        Some(("to", v)) => to = graph.index_of(&unescape(v)),
                        _ => {}
                    }
                }
                Some((from?, to?))
            })
            .take(args.pairs)
            .collect(),
        None => {
            // A 64-bit linear congruential generator (Knuth's MMIX constants): enough to
            // spread pairs over the graph, the same every run.
            let mut state = args.seed;
            let mut next = move || {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (state >> 33) as usize % n
            };
            (0..args.pairs).map(|_| (next(), next())).filter(|(a, b)| a != b).collect()
        }
    };

    let q = PathQuery { budget: args.budget_ms.map(Duration::from_millis), ..PathQuery::default() };
    let mut times = Vec::with_capacity(pairs.len());
    for (a, b) in pairs {
        let t = Instant::now();
        let mut found = routes(&graph, a, b, &q);
        keep_within(&mut found, DEFAULT_WITHIN);
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        times.push(ms);
        let shown: Vec<String> = found
            .paths
            .iter()
            .map(|p| {
                let mut ids = vec![p.steps[0].from.id.clone()];
                ids.extend(p.steps.iter().map(|s| s.to.id.clone()));
                format!("{} [{}]", p.cost, ids.join(" "))
            })
            .collect();
        println!(
            "{:>9.1} ms  {} -> {}  degrees {}/{}  {} routes{}  {}",
            ms,
            graph.entity(a).id.as_str(),
            graph.entity(b).id.as_str(),
            graph.degree(a),
            graph.degree(b),
            found.paths.len(),
            found.cut_by.map(|c| format!(" (cut by {c})")).unwrap_or_default(),
            shown.join("; ")
        );
    }
    times.sort_by(f64::total_cmp);
    let at = |p: f64| times.get(((times.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or(0.0);
    println!(
        "pairs {}  median {:.1} ms  p90 {:.1} ms  max {:.1} ms  total {:.1} s",
        times.len(),
        at(0.5),
        at(0.9),
        at(1.0),
        times.iter().sum::<f64>() / 1000.0
    );
}

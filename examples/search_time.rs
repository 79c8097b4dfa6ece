//! Times `search` in one process on a data folder, the graph loaded as the CLI loads it (from
//! its snapshot when there is one): for each query, the fastest and the median of `--runs`
//! searches, the number of hits and the first three, so that a change of speed can be seen
//! not to change the answer. The queries the workspace's load test found slow are short
//! words of common syllables (`Nema`, `Taba`, `Sasa Babu` on the synthetic folders).
//!
//! `cargo run --release --example search_time -- --data DIR [--runs N] [--limit N] QUERY...`

use std::time::Instant;

use clap::Parser;
#[path = "../benches/support/loaded.rs"]
mod loaded;

use loaded::loaded;
use threatgraph::query::search;

#[derive(Parser)]
struct Args {
    #[arg(long)]
    data: std::path::PathBuf,
    /// Searches per query.
    #[arg(long, default_value_t = 9)]
    runs: usize,
    /// Hits asked for (the workspace asks for 12).
    #[arg(long, default_value_t = 12)]
    limit: usize,
    queries: Vec<String>,
}

fn main() {
    let args = Args::parse();
    let graph = loaded(&args.data);
    println!("{:<22} {:>9} {:>9} {:>5}  first hits", "query", "min ms", "median ms", "hits");
    for query in &args.queries {
        let mut times = Vec::with_capacity(args.runs);
        let mut hits = Vec::new();
        for _ in 0..args.runs.max(1) {
            let t = Instant::now();
            hits = search::search(&graph, query, args.limit);
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        let first: Vec<String> = hits
            .iter()
            .take(3)
            .map(|h| format!("{} ({:?} {:.3})", h.entity.name, h.matched, h.score))
            .collect();
        println!(
            "{:<22} {:>9.1} {:>9.1} {:>5}  {}",
            query,
            times[0],
            times[times.len() / 2],
            hits.len(),
            first.join("; ")
        );
    }
}

//! Times `search` in one process on a data folder, the graph loaded as the CLI loads it (from
//! its snapshot when there is one): for each query, the fastest and the median of `--runs`
//! searches, the number of hits and the first three, so that a change of speed can be seen
//! not to change the answer. The queries the workspace's load test found slow are short
//! words of common syllables (`Nema`, `Taba`, `Sasa Babu` on the synthetic folders).
//!
//! `cargo run --release --example search_time -- --data DIR [--runs N] [--limit N] QUERY...`

use std::time::Instant;

use clap::Parser;
use threatgraph::query::search;

// The allocator the command line uses (src/main.rs), so the figures are the tool's.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    let global = threatgraph::cli::Global {
        data: args.data.clone(),
        format: threatgraph::cli::Format::Text,
        curated_only: false,
        min_certainty: None,
        no_cache: false,
        as_of: None,
    };
    let started = Instant::now();
    let graph = threatgraph::cli::load_graph(&global)
        .unwrap_or_else(|e| panic!("loading {}: {e}", args.data.display()));
    eprintln!("loaded {} entities in {:.2} s", graph.entity_count(), started.elapsed().as_secs_f64());
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

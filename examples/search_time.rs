//! Times `search` in one process on a data folder, the graph loaded as the CLI loads it (from
//! its snapshot when there is one): for each query, the fastest and the median of `--runs`
//! searches, the number of hits and the first three, so that a change of speed can be seen
//! not to change the answer. The queries the workspace's load test found slow are short
//! words of common syllables (`Nema`, `Taba`, `Sasa Babu` on the synthetic folders).
//!
//! With `--queries FILE` (one query a line, e.g. the load test's list decoded) it also reads
//! the queries of the file and ends with the spread of their medians and the slowest five.
//!
//! `cargo run --release --example search_time -- --data DIR [--runs N] [--limit N]
//! [--queries FILE] [--quiet] [--answers FILE] QUERY...`

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
    /// More queries, one a line.
    #[arg(long)]
    queries: Option<std::path::PathBuf>,
    /// Print only the summary, not a line per query.
    #[arg(long)]
    quiet: bool,
    /// Write every query's hits (id, match, score, name matched) to this file, to compare the
    /// answers of two builds.
    #[arg(long)]
    answers: Option<std::path::PathBuf>,
    #[arg(value_name = "QUERY")]
    typed: Vec<String>,
}

fn main() {
    let args = Args::parse();
    let mut queries = args.typed.clone();
    if let Some(file) = &args.queries {
        let listed = std::fs::read_to_string(file).expect("the queries file is readable");
        queries.extend(listed.lines().filter(|l| !l.trim().is_empty()).map(str::to_owned));
    }
    let graph = loaded(&args.data);
    let mut answers = String::new();
    // Each query's median, to see the spread over many queries.
    let mut medians: Vec<(f64, &str)> = Vec::with_capacity(queries.len());
    println!("{:<22} {:>9} {:>9} {:>5}  first hits", "query", "min ms", "median ms", "hits");
    for query in &queries {
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
        medians.push((times[times.len() / 2], query));
        for h in &hits {
            answers.push_str(&format!(
                "{query}\t{}\t{:?}\t{}\t{}\n",
                h.entity.id, h.matched, h.score, h.name_matched
            ));
        }
        if args.quiet {
            continue;
        }
        println!(
            "{:<22} {:>9.1} {:>9.1} {:>5}  {}",
            query,
            times[0],
            times[times.len() / 2],
            hits.len(),
            first.join("; ")
        );
    }
    if let Some(file) = &args.answers {
        std::fs::write(file, answers).expect("the answers file is writable");
    }
    medians.sort_by(|a, b| a.0.total_cmp(&b.0));
    if let Some(&(slowest, _)) = medians.last() {
        let at = |share: f64| medians[((medians.len() - 1) as f64 * share) as usize].0;
        println!(
            "{} queries: median {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms; total {:.0} ms",
            medians.len(),
            at(0.5),
            at(0.9),
            at(0.99),
            slowest,
            medians.iter().map(|m| m.0).sum::<f64>()
        );
        let worst: Vec<String> = medians.iter().rev().take(5).map(|(t, q)| format!("{q:?} {t:.1}")).collect();
        println!("slowest: {}", worst.join(", "));
    }
}

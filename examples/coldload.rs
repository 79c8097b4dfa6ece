//! Times a cold load of a data folder: the RON files read, parsed and lowered
//! ([`threatgraph::load::load`]), validated ([`threatgraph::validate::validate_with_ends`]) and
//! the graph built ([`KnowledgeGraph::build_with_ends`]), with no snapshot: the same three
//! steps, in the same order, that `examples/queries.rs` times as `load` for
//! `benches/compare.py`. Prints one line of JSON: wall seconds of each step and in all, CPU
//! seconds (user and system, all threads) of each step, and peak resident memory.
//!
//! `cargo run --release --example coldload -- --data DIR [--runs N]`
//!
//! With `--runs N` it loads N times in N fresh processes (itself, run again) and prints every
//! run and the median, least and greatest total: a shared machine moves single figures.

use std::time::Instant;

use clap::Parser;
use threatgraph::graph::KnowledgeGraph;

// The allocator the command line uses (src/main.rs), so the figures are the tool's.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
struct Args {
    #[arg(long)]
    data: std::path::PathBuf,
    /// Loads in this many fresh processes and prints each and the median.
    #[arg(long, default_value_t = 1)]
    runs: usize,
}

/// User and system CPU seconds of this process so far (every thread), from /proc (Linux).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name, which is in brackets and may hold spaces.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name.
    let ticks: f64 = [11, 12].iter().filter_map(|&i| fields.get(i)?.parse::<f64>().ok()).sum();
    ticks / clock_ticks_per_second()
}

/// The kernel's clock tick rate for /proc times: 100 on every Linux this runs on.
fn clock_ticks_per_second() -> f64 {
    100.0
}

/// Peak resident memory of this process in bytes, from /proc (Linux).
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// Runs `f`, returning its value, its wall seconds and its CPU seconds.
fn step<T>(f: impl FnOnce() -> T) -> (T, f64, f64) {
    let (wall, cpu) = (Instant::now(), cpu_seconds());
    let out = f();
    (out, wall.elapsed().as_secs_f64(), cpu_seconds() - cpu)
}

/// One cold load in this process, as a line of JSON.
fn once(args: &Args) -> String {
    let (loaded, parse, parse_cpu) = step(|| threatgraph::load::load(&args.data));
    let ((problems, ends), validate, validate_cpu) =
        step(|| threatgraph::validate::validate_with_ends(&loaded));
    let errors = loaded.problems.iter().chain(&problems).filter(|p| p.is_error()).count();
    assert_eq!(errors, 0, "the data folder has errors: run `threatgraph check`");
    // As the command line and examples/queries.rs do: the texts are not needed once valid.
    let threatgraph::load::Loaded { dataset, files, map, .. } = loaded;
    drop((files, map));
    let (graph, build, build_cpu) = step(|| KnowledgeGraph::build_with_ends(dataset, ends));
    let line = serde_json::json!({
        "entities": graph.entity_count(),
        "links": graph.links().len(),
        "wall": {"parse": parse, "validate": validate, "build": build, "total": parse + validate + build},
        "cpu": {"parse": parse_cpu, "validate": validate_cpu, "build": build_cpu,
                "total": parse_cpu + validate_cpu + build_cpu},
        "peak_rss_mb": peak_rss() / 1_000_000,
    });
    // As the command line does: a graph of millions of allocations is left to the system.
    std::mem::forget(graph);
    line.to_string()
}

fn main() {
    let args = Args::parse();
    if args.runs <= 1 {
        println!("{}", once(&args));
        return;
    }
    let me = std::env::current_exe().expect("the example's own path");
    let mut totals = Vec::new();
    for _ in 0..args.runs {
        let out = std::process::Command::new(&me)
            .arg("--data")
            .arg(&args.data)
            .output()
            .expect("the example runs again");
        let line = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        let run: serde_json::Value = serde_json::from_str(&line).expect("one line of JSON per run");
        totals.push((run["wall"]["total"].as_f64().unwrap_or(f64::NAN), run["cpu"]["total"].as_f64()));
        println!("{line}");
    }
    totals.sort_by(|a, b| a.0.total_cmp(&b.0));
    let walls: Vec<f64> = totals.iter().map(|t| t.0).collect();
    println!(
        "{}",
        serde_json::json!({"runs": walls.len(), "wall_total_median": walls[walls.len() / 2],
            "wall_total_min": walls[0], "wall_total_max": walls[walls.len() - 1]})
    );
}

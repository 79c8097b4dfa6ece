//! `cargo run --release --example synth -- --entities N --seed S --out DIR`: writes a valid
//! synthetic data folder of N entities (and `DIR/graph.json`, the same graph as node-link
//! JSON), for measuring threatgraph at scale. The generator itself is in `generator.rs`,
//! shared with the integration test that loads what it writes.

mod generator;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

/// Writes a synthetic threatgraph data folder: deterministic for a size and seed.
#[derive(Debug, Parser)]
#[command(name = "synth")]
struct Args {
    /// How many entities (people, groups, places, events); at least 100.
    #[arg(long, value_name = "N")]
    entities: usize,
    /// The seed: the same size and seed write the same bytes.
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    /// The folder to write: new or empty. Pass it to threatgraph as `--data DIR`.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let started = Instant::now();
    let config = generator::Config { entities: args.entities, seed: args.seed };
    match generator::generate(&config, &args.out) {
        Ok(s) => {
            println!(
                "wrote {} sources, {} entities, {} links to `{}`: {} .ron files, {} bytes of RON, {} bytes of graph.json, in {:.2?}",
                s.sources,
                s.entities,
                s.links,
                args.out.display(),
                s.files,
                s.ron_bytes,
                s.json_bytes,
                started.elapsed()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("synth: {e}");
            ExitCode::from(2)
        }
    }
}

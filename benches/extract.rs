//! Extraction throughput: reads the seed articles (`../shared/seeds`) with the repository's
//! graph as gazetteer and prints megabytes of text per second. Run with
//! `cargo bench --bench extract`; it measures speed only (no assertion).

use std::time::{Duration, Instant};

use threatgraph::extract::{Document, Extractor};
use threatgraph::graph::KnowledgeGraph;

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = root.join("../shared/seeds");
    let mut docs = Vec::new();
    for entry in std::fs::read_dir(&seeds).expect("../shared/seeds beside the repository") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|x| x == "txt") {
            let text = std::fs::read_to_string(&path).expect("UTF-8 article");
            docs.push(Document { file: path.display().to_string(), source: "bench".into(), text });
        }
    }
    docs.sort_by(|a, b| a.file.cmp(&b.file));
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let loaded = threatgraph::load::load(&root.join("data"));
    let graph = KnowledgeGraph::build(loaded.dataset);

    let started = Instant::now();
    let extractor = Extractor::new(Some(&graph));
    let build = started.elapsed();

    // Repeat for at least two seconds, to measure more than noise.
    let (mut runs, mut spent, mut found) = (0u32, Duration::ZERO, 0usize);
    while spent < Duration::from_secs(2) {
        let t = Instant::now();
        let out = extractor.extract(std::hint::black_box(&docs));
        spent += t.elapsed();
        found = out.entities.len() + out.links.len();
        runs += 1;
    }
    let per_run = spent / runs;
    let mb = bytes as f64 / 1_000_000.0;
    println!("extractor built in {build:.2?} (graph names and gazetteer)");
    println!(
        "{} articles, {:.3} MB: {per_run:.2?} per pass over {runs} passes, {:.2} MB/s, {found} proposals",
        docs.len(),
        mb,
        mb / per_run.as_secs_f64()
    );
}

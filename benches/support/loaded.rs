//! A data folder loaded as the command line loads it (from its snapshot when there is one),
//! saying how long it took: shared by the timing examples (`examples/search_time.rs`,
//! `examples/route_time.rs`), with the allocator the command line uses (src/main.rs), so
//! that the figures are the tool's.

use threatgraph::graph::KnowledgeGraph;

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The graph of `data`, as `threatgraph --data DATA` loads it (never dropped, as there); panics with the folder's name
/// when it cannot be loaded (a benchmark has nothing to time then).
pub fn loaded(data: &std::path::Path) -> std::mem::ManuallyDrop<KnowledgeGraph> {
    let global = threatgraph::cli::Global {
        data: data.to_path_buf(),
        format: threatgraph::cli::Format::Text,
        curated_only: false,
        min_certainty: None,
        no_cache: false,
        as_of: None,
    };
    let started = std::time::Instant::now();
    let graph =
        threatgraph::cli::load_graph(&global).unwrap_or_else(|e| panic!("loading {}: {e}", data.display()));
    eprintln!("loaded {} entities in {:.2} s", graph.entity_count(), started.elapsed().as_secs_f64());
    graph
}

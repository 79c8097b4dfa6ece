//! `--as-of DATE`: the graph of what the sources had published by a date, built by filtering
//! the current graph ([`crate::model::as_of`]) and kept as a snapshot of its own per date, so
//! that a warm run as of a date reads one snapshot like any other run.

use std::mem::ManuallyDrop;
use std::time::Instant;

use super::{CliError, Global, graph_of, load_checked};
use crate::graph::KnowledgeGraph;
use crate::model::PartialDate;
use crate::model::as_of::{Cutoff, Parts, Summary, filter};
use crate::snapshot;

/// The graph as of `date`: from its snapshot, or filtered from the current graph (itself from
/// its snapshot when there is one) and then snapshotted. Says on stderr what was left out.
pub fn load_graph(g: &Global, date: &PartialDate) -> Result<ManuallyDrop<KnowledgeGraph>, CliError> {
    let Some(cache) = super::cache(g) else {
        return graph_of(g, load_checked(g)).map(ManuallyDrop::new);
    };
    let cutoff = Cutoff::as_of(date);
    // Named by the last day that counts: `2018-12` and `2018-12-31` share a snapshot.
    let variant = format!("as-of-{}", cutoff.last_day());
    if let Some(key) = snapshot::folder_key(&g.data)
        && let Some((graph, note)) = cache.read_variant(&g.data, key, &variant)
        && let Ok(summary) = serde_json::from_slice::<Summary>(&note)
    {
        tell(&summary, date);
        return Ok(ManuallyDrop::new(graph));
    }
    let (current, key) = super::load_current(g, Some(&cache))?;
    let started = Instant::now();
    let (dataset, summary) = filter(parts(&current), cutoff);
    snapshot::timing("keep what the sources had said by then", started);
    let started = Instant::now();
    let graph = KnowledgeGraph::build(dataset);
    snapshot::timing("build graph", started);
    if let Some(key) = key {
        let note = serde_json::to_vec(&summary).map_err(std::io::Error::other)?;
        if let Err(e) = cache.write_variant(&g.data, key, &variant, &graph, &note) {
            snapshot::timing_note(&format!("cannot write a snapshot to `{}`: {e}", cache.dir().display()));
        }
    }
    tell(&summary, date);
    Ok(ManuallyDrop::new(graph))
}

/// The graph of `data` as of `date`, saying on stderr what was left out.
pub fn build(data: Parts<'_>, date: &PartialDate) -> KnowledgeGraph {
    let (dataset, summary) = filter(data, Cutoff::as_of(date));
    tell(&summary, date);
    KnowledgeGraph::build(dataset)
}

/// The parts of a graph, to filter.
pub fn parts(graph: &KnowledgeGraph) -> Parts<'_> {
    Parts {
        sources: graph.sources(),
        entities: graph.entities(),
        links: graph.links(),
        views: graph.views(),
        chains: graph.chains(),
    }
}

/// The line a diagram's title gets as of a date.
pub fn title(date: &PartialDate) -> String {
    format!("\nas of {date}: only what the sources had published by then")
}

/// What was kept and left out, on stderr, so that JSON on stdout stays as it is.
fn tell(summary: &Summary, date: &PartialDate) {
    eprintln!("note: {}", summary.line(date));
}

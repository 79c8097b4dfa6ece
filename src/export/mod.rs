//! Exports: diagrams (DOT through one writer, rendered by Graphviz; an offline HTML viewer)
//! and data for other tools (GraphML, JSON node-link, Neo4j, FollowTheMoney).
//!
//! Every export starts from a [`view::Selection`] (which entities and links to include) and
//! writes text deterministically: same data, same bytes.

pub mod dot;
pub mod render;
pub mod view;

use std::io::Write;
use std::path::Path;

use crate::graph::KnowledgeGraph;
use crate::model::{Link, PartialDate};

/// The data's date: the newest date among the sources (never the wall clock), if any.
pub fn data_date(graph: &KnowledgeGraph) -> Option<&PartialDate> {
    graph.dataset().sources.iter().filter_map(|s| s.date.as_ref()).max_by(|a, b| a.chronological(b))
}

/// The stable id of link `i` in every export: `l-<index in the dataset>`.
pub fn link_id(i: usize) -> String {
    format!("l-{i}")
}

/// A link's sources as `id: title (publisher, date)`, one per line.
pub fn source_lines(graph: &KnowledgeGraph, ids: &[crate::model::Id]) -> Vec<String> {
    ids.iter()
        .map(|id| match graph.source(id) {
            Some(s) => {
                let mut extra: Vec<String> = Vec::new();
                extra.extend(s.publisher.clone());
                extra.extend(s.date.as_ref().map(ToString::to_string));
                extra.push(format!("reliability {}", s.reliability));
                format!("{id}: {} ({})", s.title, extra.join(", "))
            }
            None => id.to_string(),
        })
        .collect()
}

/// `B/Reported`: the best reliability among the link's sources, and its certainty.
pub fn grade(graph: &KnowledgeGraph, link: &Link) -> String {
    crate::query::grade(graph, link)
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, then a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.flush()?;
    // A temporary file is private (0600); the result is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left behind");
    }
}

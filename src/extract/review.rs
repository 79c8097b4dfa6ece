//! Review of extracted facts: what is pending (with the sentence each came from, read from
//! the article, not stored), accepting facts into `data/curated/reviewed.ron` and rejecting
//! them. Rejections are kept in `data/review/rejected.ron`, so re-extraction does not propose
//! them again.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::Extraction;
use super::write::{atomic_write, quote};
use crate::model::Relation;

/// Where rejections are kept, inside the data folder.
pub const REJECTED: &str = "review/rejected.ron";
/// The curated file accepted facts go to.
pub const REVIEWED: &str = "curated/reviewed.ron";

/// What reviewers said no to: new entities by id, links by their ends and relation.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rejected {
    #[serde(default)]
    pub entities: Vec<String>,
    #[serde(default)]
    pub links: Vec<(String, Relation, String)>,
}

impl Rejected {
    pub fn read(data: &Path) -> std::io::Result<Rejected> {
        let path = data.join(REJECTED);
        match std::fs::read_to_string(&path) {
            Ok(text) => ron::from_str(&text).map_err(|e| {
                std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{}: {e}", path.display()))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Rejected::default()),
            Err(e) => Err(e),
        }
    }

    pub fn write(&self, data: &Path) -> std::io::Result<()> {
        let mut out = String::from(
            "// Facts reviewers rejected: `threatgraph extract` does not propose them again.\n(\n    entities: [\n",
        );
        for id in &self.entities {
            out.push_str(&format!("        {},\n", quote(id)));
        }
        out.push_str("    ],\n    links: [\n");
        for (from, rel, to) in &self.links {
            out.push_str(&format!("        ({}, {rel}, {}),\n", quote(from), quote(to)));
        }
        out.push_str("    ],\n)\n");
        atomic_write(&data.join(REJECTED), &out)
    }

    pub fn has_link(&self, from: &str, rel: Relation, to: &str) -> bool {
        self.links.iter().any(|(f, r, t)| {
            *r == rel && ((f == from && t == to) || (rel.is_symmetric() && f == to && t == from))
        })
    }
}

/// Leaves out of an extraction what reviewers rejected before.
pub fn drop_rejected(data: &Path, extraction: &mut Extraction) -> std::io::Result<()> {
    let rejected = Rejected::read(data)?;
    extraction.entities.retain(|e| e.known || !rejected.entities.contains(&e.id));
    let present: std::collections::HashSet<String> =
        extraction.entities.iter().map(|e| e.id.clone()).collect();
    extraction.links.retain(|l| {
        present.contains(&l.from) && present.contains(&l.to) && !rejected.has_link(&l.from, l.rel, &l.to)
    });
    Ok(())
}

/// The path of an article a span names, relative to the data folder.
pub fn article_path(data: &Path, file: &str) -> PathBuf {
    data.join(file)
}

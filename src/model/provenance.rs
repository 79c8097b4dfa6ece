//! Where an extracted or imported fact came from: the rule that proposed it, the byte ranges of
//! the article it was read in, and the ids other tools know it by. Kept after review, so an
//! accepted fact still points at its text.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The extraction rule, e.g. `known-name`, `person-title`, `rel-traveled-to`.
    pub rule: String,
    pub spans: Vec<TextSpan>,
    /// The ids the record has in the data it was imported from, written `SCHEME:ID`
    /// (`stix:threat-actor--6d17...`, `ftm:...`, `csv:...`): a later import of the same data
    /// finds the record again by them instead of adding it twice.
    #[serde(default)]
    pub external_ids: Vec<String>,
}

/// A byte range `start..end` of an article; `file` is relative to the data folder.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TextSpan {
    pub file: String,
    pub start: usize,
    pub end: usize,
}

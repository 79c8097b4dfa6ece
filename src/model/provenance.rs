//! Where an extracted fact came from: the rule that proposed it and the byte ranges of the
//! article it was read in. Kept after review, so an accepted fact still points at its text.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The extraction rule, e.g. `known-name`, `person-title`, `rel-traveled-to`.
    pub rule: String,
    pub spans: Vec<TextSpan>,
}

/// A byte range `start..end` of an article; `file` is relative to the data folder.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TextSpan {
    pub file: String,
    pub start: usize,
    pub end: usize,
}

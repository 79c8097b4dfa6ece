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
    /// The ids of other tools' records that an import took to be this entity (read from
    /// `imported/NAME/joins.ron`, never written with the entity): how a curated entity keeps
    /// the link to the records joined to it.
    #[serde(default)]
    pub joined: Vec<JoinedId>,
}

/// True when `x` is written as an external id is: `SCHEME:ID`, the scheme lowercase letters.
pub fn is_external_id(x: &str) -> bool {
    x.split_once(':').is_some_and(|(scheme, id)| {
        !scheme.is_empty() && scheme.bytes().all(|b| b.is_ascii_lowercase()) && !id.trim().is_empty()
    })
}

/// An imported record joined to an entity already there, as `imported/NAME/joins.ron` says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinedId {
    /// The record's id, `SCHEME:ID` (`stix:threat-actor--...`).
    pub external_id: String,
    /// The import that joined it: `NAME` of `imported/NAME/`.
    pub import: String,
    /// How it was matched: `name`, `alias`, `word order`, `transliteration`.
    pub by: String,
    /// The sources the record cites, in that import's `sources.ron`.
    pub sources: Vec<String>,
}

/// A byte range `start..end` of an article; `file` is relative to the data folder.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TextSpan {
    pub file: String,
    pub start: usize,
    pub end: usize,
}

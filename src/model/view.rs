//! Named views (diagrams to render) and declared path-to-attack chains: data that names
//! entities and relations, checked like the facts themselves.

use serde::{Deserialize, Serialize};

use super::{Certainty, Id, Kind, PartialDate, Relation};

/// How a diagram groups its nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cluster {
    Country,
    Group,
}

/// How a diagram is laid out, when its view names it (otherwise the DOT writer picks by the
/// selection's size and shape).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Layout {
    /// Graphviz `dot`, ranks left to right: chains of cause and effect read like a sentence.
    LeftToRight,
    /// Graphviz `dot`, ranks top to bottom: for views whose chains are long and ranks narrow.
    TopToBottom,
}

/// A named subgraph: the entities within `depth` links of the seeds, filtered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct View {
    /// The file stem of `data/views/NAME.ron`.
    pub name: String,
    pub title: String,
    pub seeds: Vec<Id>,
    pub depth: u32,
    pub relations: Vec<Relation>,
    pub kinds: Vec<Kind>,
    pub since: Option<PartialDate>,
    pub until: Option<PartialDate>,
    pub min_certainty: Option<Certainty>,
    pub cluster: Option<Cluster>,
    pub layout: Option<Layout>,
}

/// The verdict a declared chain gets, or is expected to get.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    Supported,
    Unsupported,
    Contradicted,
}

/// One step of a declared chain: a link that must hold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainStep {
    pub from: Id,
    pub rel: Relation,
    pub to: Id,
}

/// A path-to-attack claim made by a source, to be checked against the graph.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeclaredChain {
    pub name: String,
    pub claim: String,
    pub steps: Vec<ChainStep>,
    pub expect: Verdict,
}

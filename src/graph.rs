//! The knowledge graph: a validated dataset indexed for traversal and name lookup.
//!
//! Built once per run. Node `i` of the petgraph `DiGraph` is entity `i` of the dataset and
//! every edge carries the index of its link, so query results can cite the link itself.

use std::collections::HashMap;

use indexmap::IndexMap;
use petgraph::Direction as PetDirection;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use serde::Serialize;

use crate::model::{Dataset, Entity, Id, Kind, Link, Reliability, Source, text};

/// Which way a link was followed: along its direction (`out`) or against it (`in`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Out,
    In,
}

/// A link seen from one of its ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Incident {
    pub link: usize,
    pub direction: Direction,
    /// The entity at the other end.
    pub other: usize,
}

#[derive(Debug)]
pub struct KnowledgeGraph {
    dataset: Dataset,
    graph: DiGraph<usize, usize>,
    index: IndexMap<Id, NodeIndex>,
    sources: IndexMap<Id, usize>,
    /// Folded name or alias → the entities that go by it, in dataset order.
    names: HashMap<String, Vec<usize>>,
}

/// Why a name given on the command line does not pick out one entity.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ResolveError {
    #[error("no entity is called \"{query}\"")]
    #[diagnostic(code(not_found), help("{hint}"))]
    NotFound { query: String, hint: String },
    #[error("\"{query}\" could mean any of {} entities", candidates.len())]
    #[diagnostic(code(ambiguous), help("{hint}"))]
    Ambiguous { query: String, candidates: Vec<(Id, String, Kind)>, hint: String },
}

impl KnowledgeGraph {
    /// Builds the graph. The dataset should have passed validation: a link whose ends are not
    /// both entities is left out of the graph (but kept in the dataset).
    pub fn build(dataset: Dataset) -> Self {
        let mut graph = DiGraph::with_capacity(dataset.entities.len(), dataset.links.len());
        let mut index = IndexMap::with_capacity(dataset.entities.len());
        let mut names: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, e) in dataset.entities.iter().enumerate() {
            let node = graph.add_node(i);
            index.entry(e.id.clone()).or_insert(node);
            for name in e.names().chain([e.id.as_str()]) {
                let holders = names.entry(text::name_key(name)).or_default();
                if holders.last() != Some(&i) {
                    holders.push(i);
                }
            }
        }
        for (i, l) in dataset.links.iter().enumerate() {
            if let (Some(&a), Some(&b)) = (index.get(&l.from), index.get(&l.to)) {
                graph.add_edge(a, b, i);
            }
        }
        let sources = dataset.sources.iter().enumerate().map(|(i, s)| (s.id.clone(), i)).collect();
        KnowledgeGraph { dataset, graph, index, sources, names }
    }

    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    pub fn entities(&self) -> &[Entity] {
        &self.dataset.entities
    }

    pub fn links(&self) -> &[Link] {
        &self.dataset.links
    }

    pub fn entity(&self, i: usize) -> &Entity {
        &self.dataset.entities[i]
    }

    pub fn link(&self, i: usize) -> &Link {
        &self.dataset.links[i]
    }

    /// The index of the entity with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.index.get(id).map(|n| n.index())
    }

    pub fn source(&self, id: &Id) -> Option<&Source> {
        self.sources.get(id).map(|&i| &self.dataset.sources[i])
    }

    /// The best reliability among a link's sources (F when none is known).
    pub fn best_reliability(&self, link: &Link) -> Reliability {
        link.sources
            .iter()
            .filter_map(|s| self.source(s))
            .map(|s| s.reliability)
            .min()
            .unwrap_or(Reliability::F)
    }

    /// The links at entity `i`, both directions, in dataset order.
    pub fn incident(&self, i: usize) -> Vec<Incident> {
        let node = NodeIndex::new(i);
        let mut out: Vec<Incident> = self
            .graph
            .edges_directed(node, PetDirection::Outgoing)
            .map(|e| Incident { link: *e.weight(), direction: Direction::Out, other: e.target().index() })
            .chain(self.graph.edges_directed(node, PetDirection::Incoming).map(|e| Incident {
                link: *e.weight(),
                direction: Direction::In,
                other: e.source().index(),
            }))
            .collect();
        out.sort_by_key(|inc| (inc.link, inc.direction));
        out
    }

    /// The entities that go by a folded name key (see [`text::name_key`]).
    pub fn by_name_key(&self, key: &str) -> &[usize] {
        self.names.get(key).map_or(&[], Vec::as_slice)
    }

    /// Every (name key, entities) pair, for search.
    pub fn name_keys(&self) -> impl Iterator<Item = (&str, &[usize])> {
        self.names.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// Finds the one entity a user means by an id, name or alias (case- and
    /// accent-insensitive).
    pub fn resolve(&self, query: &str) -> Result<usize, ResolveError> {
        if let Some(i) = self.index_of(query.trim()) {
            return Ok(i);
        }
        let holders = self.by_name_key(&text::name_key(query));
        match holders {
            [one] => Ok(*one),
            [] => {
                let suggestions: Vec<String> = crate::query::search::search(self, query, 3)
                    .into_iter()
                    .map(|hit| format!("`{}` ({})", hit.entity.id, hit.entity.name))
                    .collect();
                let hint = if suggestions.is_empty() {
                    "run `threatgraph search WORDS` to find the entity's id".to_owned()
                } else {
                    format!("closest matches: {}", suggestions.join(", "))
                };
                Err(ResolveError::NotFound { query: query.to_owned(), hint })
            }
            many => {
                let candidates: Vec<(Id, String, Kind)> = many
                    .iter()
                    .map(|&i| {
                        let e = self.entity(i);
                        (e.id.clone(), e.name.clone(), e.kind())
                    })
                    .collect();
                let list: Vec<String> =
                    candidates.iter().map(|(id, name, kind)| format!("`{id}` ({name}, {kind})")).collect();
                let hint = format!("give the id instead: {}", list.join(", "));
                Err(ResolveError::Ambiguous { query: query.to_owned(), candidates, hint })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::query::fixture;

    use super::ResolveError;

    #[test]
    fn resolves_ids_names_and_aliases_loosely() {
        let g = fixture::graph(fixture::NETWORK);
        let ann = g.index_of("ann").unwrap();
        for q in ["ann", "Ann Example", "ANN  example", "Ánn Exämple", "ann-example"] {
            assert_eq!(g.resolve(q).unwrap(), ann, "{q}");
        }
        assert_eq!(g.resolve("alpha cell").unwrap(), g.index_of("alpha-cell").unwrap());
    }

    #[test]
    fn ambiguous_names_list_candidates() {
        let g = fixture::graph(fixture::NETWORK);
        match g.resolve("the teacher") {
            Err(ResolveError::Ambiguous { candidates, hint, .. }) => {
                let ids: Vec<&str> = candidates.iter().map(|c| c.0.as_str()).collect();
                assert_eq!(ids, ["ann", "dan"]);
                assert!(hint.contains("`ann` (Ann Example, Person)"), "{hint}");
            }
            other => panic!("expected ambiguity, got {other:?}"),
        }
    }

    #[test]
    fn unknown_names_suggest_close_ones() {
        let g = fixture::graph(fixture::NETWORK);
        match g.resolve("Bob Exampel") {
            Err(ResolveError::NotFound { hint, .. }) => assert!(hint.contains("`bob`"), "{hint}"),
            other => panic!("expected not found, got {other:?}"),
        }
    }
}

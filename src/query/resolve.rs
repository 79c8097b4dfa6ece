//! Which entity a name typed on the command line means: an id, or a name or alias as folded
//! (case, accents and punctuation ignored), or else whatever [`search`] ranks clearly first.
//!
//! Every command that takes an entity calls [`KnowledgeGraph::resolve`]. A search result is
//! taken when it is not a near spelling and its score is at least [`MARGIN`] above the next
//! entity's; the choice is reported through the hook set by [`on_taken`] (the command line
//! prints it on stderr). Otherwise the name is refused with the closest matches listed.

use std::sync::OnceLock;

use super::search::{MatchKind, search};
use crate::graph::KnowledgeGraph;
use crate::model::{Id, Kind, text};

/// How far the best search result must score above the second to be taken for a name: 0.03
/// is a third of the width of one tier of scores (see `search`), e.g. a name the query's
/// words cover 30 points more of. "Crocus attack" is taken as the Crocus City Hall attack
/// (0.555 against 0.519 for the warning before it); "Khan" is not taken for the shortest name
/// ending in Khan.
pub const MARGIN: f64 = 0.03;

/// How many search results an unresolved name lists.
const LISTED: usize = 5;

/// Why a name given on the command line does not pick out one entity.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ResolveError {
    #[error("no entity is called \"{query}\"")]
    #[diagnostic(code(not_found), help("{hint}"))]
    NotFound { query: String, hint: String },
    #[error("\"{query}\" matches several entities, none clearly first")]
    #[diagnostic(code(unclear), help("{hint}"))]
    Unclear { query: String, hint: String },
    #[error("\"{query}\" could mean any of {} entities", candidates.len())]
    #[diagnostic(code(ambiguous), help("{hint}"))]
    Ambiguous { query: String, candidates: Vec<(Id, String, Kind)>, hint: String },
}

/// A name taken to mean a search's clear best match.
#[derive(Clone, Debug, PartialEq)]
pub struct Taken {
    /// The name as typed.
    pub query: String,
    pub entity: usize,
    pub name: String,
    pub id: String,
}

impl std::fmt::Display for Taken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "taking \"{}\" as {} ({})", self.query, self.name, self.id)
    }
}

/// Told of every name [`KnowledgeGraph::resolve`] takes to mean a search's best match.
static ON_TAKEN: OnceLock<fn(&Taken)> = OnceLock::new();

/// Sets what is done with each [`Taken`] (once; later calls are ignored). Without it the
/// library says nothing.
pub fn on_taken(tell: fn(&Taken)) {
    let _ = ON_TAKEN.set(tell);
}

impl KnowledgeGraph {
    /// Finds the one entity a user means by an id, name or alias (case- and
    /// accent-insensitive), or by a name search ranks clearly first (told to [`on_taken`]).
    pub fn resolve(&self, query: &str) -> Result<usize, ResolveError> {
        let (entity, taken) = self.resolve_noted(query)?;
        if let (Some(taken), Some(tell)) = (taken, ON_TAKEN.get()) {
            tell(&taken);
        }
        Ok(entity)
    }

    /// [`KnowledgeGraph::resolve`], saying whether the entity was a search's best match
    /// rather than an id, name or alias given exactly.
    pub fn resolve_noted(&self, query: &str) -> Result<(usize, Option<Taken>), ResolveError> {
        if let Some(i) = self.index_of(query.trim()) {
            return Ok((i, None));
        }
        match self.by_name_key(&text::name_key(query)).as_slice() {
            [one] => Ok((*one, None)),
            [] => self.best_match(query),
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

    /// The search result clearly ahead of the others, or the error listing the closest.
    fn best_match(&self, query: &str) -> Result<(usize, Option<Taken>), ResolveError> {
        let hits = search(self, query, LISTED);
        if let Some(first) = hits.first()
            && first.matched != MatchKind::Fuzzy
            && hits.get(1).is_none_or(|second| first.score - second.score >= MARGIN - 1e-9)
        {
            let taken = Taken {
                query: query.to_owned(),
                entity: first.index,
                name: first.entity.name.clone(),
                id: first.entity.id.clone(),
            };
            return Ok((first.index, Some(taken)));
        }
        let suggestions: Vec<String> = hits
            .iter()
            .map(|hit| format!("`{}` ({}, {:.2})", hit.entity.id, hit.entity.name, hit.score))
            .collect();
        let query = query.to_owned();
        Err(match hits.first() {
            None => ResolveError::NotFound {
                query,
                hint: "run `threatgraph search WORDS` to find the entity's id".to_owned(),
            },
            Some(first) if first.matched == MatchKind::Fuzzy => ResolveError::NotFound {
                query,
                hint: format!(
                    "closest matches (near spellings, never taken for a name): {}",
                    suggestions.join(", ")
                ),
            },
            Some(_) => ResolveError::Unclear {
                query,
                hint: format!(
                    "closest matches, none {MARGIN} ahead of the next (give an id or more words): {}",
                    suggestions.join(", ")
                ),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::fixture;

    #[test]
    fn resolves_ids_names_and_aliases_loosely() {
        let g = fixture::graph(fixture::NETWORK);
        let ann = g.index_of("ann").unwrap();
        for q in ["ann", "Ann Example", "ANN  example", "Ánn Exämple", "ann-example"] {
            assert_eq!(g.resolve_noted(q).unwrap(), (ann, None), "{q}");
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

    /// A near spelling is suggested, never taken: a misspelt person is not silently someone.
    #[test]
    fn unknown_names_suggest_close_ones() {
        let g = fixture::graph(fixture::NETWORK);
        match g.resolve("Bob Exampel") {
            Err(ResolveError::NotFound { hint, .. }) => assert!(hint.contains("`bob`"), "{hint}"),
            other => panic!("expected not found, got {other:?}"),
        }
    }

    const NAMES: &str = r#"(entities: [
        Event(id: "crocus-hall-attack-2024", name: "Crocus City Hall attack", subkind: Attack, sources: ["s"]),
        Event(id: "crocus-warning", name: "Warning to Russia before the Crocus City Hall attack", subkind: Operation, sources: ["s"]),
        Person(id: "ali-khan", name: "Ali Khan", sources: ["s"]),
        Person(id: "ola-khan", name: "Ola Khan", sources: ["s"]),
        Person(id: "imran-khan", name: "Imran Khan", sources: ["s"]),
    ], links: [])"#;

    #[test]
    fn a_clear_best_match_is_taken_and_said() {
        let g = fixture::graph(NAMES);
        let (i, taken) = g.resolve_noted("Crocus attack").unwrap();
        assert_eq!(g.entity(i).id.as_str(), "crocus-hall-attack-2024");
        let taken = taken.expect("a search result, not an exact name");
        assert_eq!(
            taken.to_string(),
            "taking \"Crocus attack\" as Crocus City Hall attack (crocus-hall-attack-2024)"
        );
    }

    /// Matches within the margin of each other are listed, not chosen between.
    #[test]
    fn matches_within_the_margin_are_refused_with_candidates() {
        let g = fixture::graph(NAMES);
        match g.resolve_noted("Khan") {
            Err(ResolveError::Unclear { hint, .. }) => {
                for id in ["ali-khan", "ola-khan", "imran-khan"] {
                    assert!(hint.contains(&format!("`{id}`")), "{hint}");
                }
            }
            other => panic!("expected candidates, got {other:?}"),
        }
    }
}

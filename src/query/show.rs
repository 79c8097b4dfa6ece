//! `show`: the entity card, with every link in and out grouped by relation.

use serde::Serialize;

use super::{EntityRef, LinkFilter, grade};
use crate::graph::{Direction, KnowledgeGraph};
use crate::model::{Certainty, Details, Kind, Origin, PartialDate, Relation, Reliability};

#[derive(Debug, Serialize)]
pub struct Card<'g> {
    pub id: &'g str,
    pub name: &'g str,
    pub kind: Kind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subkind: Option<&'static str>,
    pub aliases: &'g [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<&'g str>,
    pub origin: Origin,
    #[serde(flatten)]
    pub details: &'g Details,
    pub sources: Vec<SourceRef<'g>>,
    pub links: Vec<CardLink>,
}

#[derive(Debug, Serialize)]
pub struct SourceRef<'g> {
    pub id: &'g str,
    pub title: &'g str,
    pub reliability: Reliability,
}

/// A link seen from the card's entity.
#[derive(Debug, Serialize)]
pub struct CardLink {
    pub rel: Relation,
    pub direction: Direction,
    pub other: EntityRef,
    pub certainty: Certainty,
    pub grade: String,
    pub date: Option<PartialDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<PartialDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<PartialDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub sources: Vec<String>,
    pub origin: Origin,
}

/// The card of entity `i`; links pass `filter.shows` (so `Refuted` ones are listed, marked).
pub fn show<'g>(graph: &'g KnowledgeGraph, i: usize, filter: &LinkFilter) -> Card<'g> {
    let e = graph.entity(i);
    let mut links: Vec<CardLink> = graph
        .incident(i)
        .iter()
        .filter(|inc| filter.shows_at(inc) && filter.admits(graph.entity(inc.other())))
        .map(|inc| {
            let l = graph.link(inc.link());
            CardLink {
                rel: l.rel,
                direction: inc.direction,
                other: EntityRef::of(graph.entity(inc.other())),
                certainty: l.certainty,
                grade: grade(graph, l),
                date: l.date,
                since: l.since,
                until: l.until,
                role: l.role.clone(),
                note: l.note.clone(),
                sources: l.sources.iter().map(ToString::to_string).collect(),
                origin: l.origin,
            }
        })
        .collect();
    links.sort_by(|a, b| {
        (a.rel, a.direction, &a.other.name, &a.other.id).cmp(&(
            b.rel,
            b.direction,
            &b.other.name,
            &b.other.id,
        ))
    });
    Card {
        id: e.id.as_str(),
        name: &e.name,
        kind: e.kind(),
        subkind: e.subkind(),
        aliases: &e.aliases,
        summary: e.summary.as_deref(),
        origin: e.origin,
        details: &e.details,
        sources: e
            .sources
            .iter()
            .filter_map(|s| graph.source(s))
            .map(|s| SourceRef { id: s.id.as_str(), title: &s.title, reliability: s.reliability })
            .collect(),
        links,
    }
}

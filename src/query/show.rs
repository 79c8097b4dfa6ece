//! `show`: the entity card, with every link in and out grouped by relation.

use serde::Serialize;

use super::{LinkFilter, grade};
use crate::graph::{Direction, Incident, KnowledgeGraph};
use crate::model::{Certainty, Details, Entity, Id, Kind, Link, Origin, PartialDate, Relation, Reliability};

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
    /// The ids other tools' records have for the entity: its own, then those imports joined
    /// to it (left out with `--curated-only`). Absent when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub external_ids: Vec<ExternalId<'g>>,
    pub links: Vec<CardLink<'g>>,
}

/// An id another tool's record has for the entity.
#[derive(Debug, Serialize)]
pub struct ExternalId<'g> {
    pub id: &'g str,
    /// The import that joined the record to the entity (`NAME` of `imported/NAME/`); absent
    /// for the entity's own ids.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub import: Option<&'g str>,
    /// How the import matched it: `name`, `alias`, `word order`, `transliteration`, `external id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<&'g str>,
    /// The sources the joined record cites (in the import's `sources.ron`).
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub sources: &'g [String],
}

#[derive(Debug, Serialize)]
pub struct SourceRef<'g> {
    pub id: &'g str,
    pub title: &'g str,
    pub reliability: Reliability,
}

/// A link seen from the card's entity: its adjacency entry, the entity at its other end and
/// the link itself read when the card is printed. A hub's card lists tens of thousands of
/// links; reading each one's records (or making strings of their fields) before anything
/// asks for them was most of the time of `show`.
#[derive(Clone, Copy, Debug)]
pub struct CardLink<'g> {
    pub rel: Relation,
    pub direction: Direction,
    incident: Incident,
    graph: &'g KnowledgeGraph,
}

impl<'g> CardLink<'g> {
    /// The entity at the other end.
    pub fn other(&self) -> &'g Entity {
        self.graph.entity(self.incident.other())
    }

    /// The link.
    pub fn link(&self) -> &'g Link {
        self.graph.link(self.incident.link())
    }

    /// Best source reliability and certainty, e.g. `B/Reported`.
    pub fn grade(&self) -> String {
        grade(self.graph, self.link())
    }
}

impl Serialize for CardLink<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Other<'a> {
            id: &'a str,
            name: &'a str,
            kind: Kind,
            #[serde(skip_serializing_if = "Option::is_none")]
            subkind: Option<&'static str>,
        }
        #[derive(Serialize)]
        struct Wire<'a> {
            rel: Relation,
            direction: Direction,
            other: Other<'a>,
            certainty: Certainty,
            grade: String,
            date: Option<PartialDate>,
            #[serde(skip_serializing_if = "Option::is_none")]
            since: Option<PartialDate>,
            #[serde(skip_serializing_if = "Option::is_none")]
            until: Option<PartialDate>,
            #[serde(skip_serializing_if = "Option::is_none")]
            role: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            note: Option<&'a str>,
            sources: &'a [Id],
            origin: Origin,
        }
        let (l, e) = (self.link(), self.other());
        Wire {
            rel: self.rel,
            direction: self.direction,
            other: Other { id: e.id.as_str(), name: &e.name, kind: e.kind(), subkind: e.subkind() },
            certainty: l.certainty,
            grade: self.grade(),
            date: l.date,
            since: l.since,
            until: l.until,
            role: l.role.as_deref(),
            note: l.note.as_deref(),
            sources: &l.sources,
            origin: l.origin,
        }
        .serialize(s)
    }
}

/// The card of entity `i`; links pass `filter.shows` (so `Refuted` ones are listed, marked),
/// grouped by relation and direction, then by the other entity's name and id.
pub fn show<'g>(graph: &'g KnowledgeGraph, i: usize, filter: &LinkFilter) -> Card<'g> {
    let e = graph.entity(i);
    let incident = graph.incident(i);
    // The graph keeps each entity's links in card order: a hub's card sorts nothing.
    let links = graph
        .card_order(i)
        .iter()
        .map(|&at| incident[at as usize])
        .filter(|inc| filter.shows_at(inc) && filter.admits_at(graph, inc.other()))
        .map(|inc| CardLink { rel: inc.rel, direction: inc.direction, incident: inc, graph })
        .collect();
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
        external_ids: external_ids(e, filter),
        links,
    }
}

/// The entity's own external ids, then the joined ones an import gave it (not with
/// `--curated-only`, which leaves imported facts out).
fn external_ids<'g>(e: &'g Entity, filter: &LinkFilter) -> Vec<ExternalId<'g>> {
    let Some(p) = &e.provenance else { return Vec::new() };
    let own = p.external_ids.iter().map(|x| ExternalId { id: x, import: None, by: None, sources: &[] });
    let joined = p.joined.iter().filter(|_| !filter.curated_only).map(|j| ExternalId {
        id: &j.external_id,
        import: Some(&j.import),
        by: Some(&j.by),
        sources: &j.sources,
    });
    own.chain(joined).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::query::fixture;

    /// The card's order is that of sorting by relation, direction, name and id, also for
    /// names that share a long start or differ only past it.
    #[test]
    fn links_are_ordered_by_relation_direction_and_name() {
        let people = [
            "Alexandra Exampleson B",
            "Alexandra Exampleson A",
            "Al",
            "Alexandra Exampleson",
            "Zed",
            "Al\u{0}",
            "Alexandra E",
        ];
        let entities: Vec<String> = people
            .iter()
            .enumerate()
            .map(|(i, n)| format!("Person(id: \"p{i}\", name: \"{n}\", sources: [\"s\"])"))
            .chain(["Group(id: \"g\", name: \"G\", subkind: Cell, sources: [\"s\"])".to_owned()])
            .collect();
        let links: Vec<String> = (0..people.len())
            .flat_map(|i| {
                [
                    format!(
                        "(from: \"p{i}\", rel: MemberOf, to: \"g\", certainty: Reported, sources: [\"s\"])"
                    ),
                    format!(
                        "(from: \"p{i}\", rel: LeaderOf, to: \"g\", certainty: Alleged, sources: [\"s\"])"
                    ),
                ]
            })
            .collect();
        let g =
            fixture::graph(&format!("(entities: [{}], links: [{}])", entities.join(", "), links.join(", ")));
        let card = show(&g, g.index_of("g").unwrap(), &LinkFilter::default());
        let got: Vec<(Relation, &str)> =
            card.links.iter().map(|l| (l.rel, l.other().name.as_str())).collect();
        let mut want = got.clone();
        want.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        assert_eq!(got, want);
        assert_eq!(got.len(), 14);
    }
}

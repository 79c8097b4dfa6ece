//! `show`: the entity card, with every link in and out grouped by relation.

use serde::Serialize;

use super::{LinkFilter, grade};
use crate::graph::{Direction, KnowledgeGraph};
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
    pub links: Vec<CardLink<'g>>,
}

#[derive(Debug, Serialize)]
pub struct SourceRef<'g> {
    pub id: &'g str,
    pub title: &'g str,
    pub reliability: Reliability,
}

/// A link seen from the card's entity: the entity at its other end and the link itself, read
/// when the card is printed. A hub's card lists tens of thousands of links; making a string
/// of each one's fields before anything asks for them was most of the time of `show`.
#[derive(Clone, Copy, Debug)]
pub struct CardLink<'g> {
    pub rel: Relation,
    pub direction: Direction,
    pub other: &'g Entity,
    pub link: &'g Link,
    graph: &'g KnowledgeGraph,
}

impl CardLink<'_> {
    /// Best source reliability and certainty, e.g. `B/Reported`.
    pub fn grade(&self) -> String {
        grade(self.graph, self.link)
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
        let (l, e) = (self.link, self.other);
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
    let shown: Vec<CardLink<'g>> = graph
        .incident(i)
        .iter()
        .filter(|inc| filter.shows_at(inc) && filter.admits(graph.entity(inc.other())))
        .map(|inc| CardLink {
            rel: inc.rel,
            direction: inc.direction,
            other: graph.entity(inc.other()),
            link: graph.link(inc.link()),
            graph,
        })
        .collect();
    // Sorted as numbers holding the relation, the direction, the name's first bytes and the
    // link's place in `shown`; names are compared whole only where their first bytes agree.
    let mut keys: Vec<u128> = shown.iter().enumerate().map(|(at, l)| order_key(l, at)).collect();
    keys.sort_unstable();
    let whole = |a: &u128, b: &u128| {
        let (a, b) = (&shown[*a as u32 as usize], &shown[*b as u32 as usize]);
        (&a.other.name, &a.other.id).cmp(&(&b.other.name, &b.other.id))
    };
    for run in keys.chunk_by_mut(|a, b| a >> 32 == b >> 32).filter(|run| run.len() > 1) {
        run.sort_unstable_by(whole);
    }
    let links = keys.iter().map(|&k| shown[k as u32 as usize]).collect();
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

/// The relation, the direction and the first 10 bytes of the other entity's name, then `at`:
/// one number that orders as `(rel, direction, name)` does wherever the first 96 bits differ.
fn order_key(l: &CardLink, at: usize) -> u128 {
    let mut bytes = [0u8; 16];
    bytes[0] = l.rel as u8;
    bytes[1] = l.direction as u8;
    let name = l.other.name.as_bytes();
    let n = name.len().min(10);
    bytes[2..2 + n].copy_from_slice(&name[..n]);
    bytes[12..].copy_from_slice(&(at as u32).to_be_bytes());
    u128::from_be_bytes(bytes)
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
        let got: Vec<(Relation, &str)> = card.links.iter().map(|l| (l.rel, l.other.name.as_str())).collect();
        let mut want = got.clone();
        want.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        assert_eq!(got, want);
        assert_eq!(got.len(), 14);
    }
}

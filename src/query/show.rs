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

/// A page of the entities at the other end of entity `i`'s card links (those [`show`] lists
/// with `filter`), of the `kinds` asked for (any when empty), each ranked by its best link:
/// strongest certainty first (`Refuted` last), then the busiest, then name and id.
#[derive(Debug)]
pub struct NeighbourPage {
    /// The entities from `offset` on, at most `limit`, in rank order.
    pub nodes: Vec<usize>,
    /// How many entities the whole ranking holds.
    pub total: usize,
}

/// [`NeighbourPage`] of entity `i`. A hub has tens of thousands of neighbours and a page is a
/// few dozen: one pass over the adjacency keeps each neighbour's best certainty, and only the
/// `offset + limit` first are picked out (a partial selection) and sorted.
pub fn ranked_neighbours(
    graph: &KnowledgeGraph,
    i: usize,
    filter: &LinkFilter,
    kinds: &[Kind],
    offset: usize,
    limit: usize,
) -> NeighbourPage {
    let mut best: Vec<(usize, Certainty)> = graph
        .incident(i)
        .iter()
        .filter(|inc| filter.shows_at(inc) && filter.admits_at(graph, inc.other()))
        .filter(|inc| kinds.is_empty() || kinds.contains(&graph.entity(inc.other()).kind()))
        .map(|inc| (inc.other(), inc.certainty))
        .collect();
    // Each neighbour once, with its strongest link's certainty.
    best.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    best.dedup_by_key(|n| n.0);
    let total = best.len();
    // The ids are unique, so this order is total and the partial selection is exact.
    let rank = |a: &(usize, Certainty), b: &(usize, Certainty)| {
        let (ea, eb) = (graph.entity(a.0), graph.entity(b.0));
        b.1.cmp(&a.1)
            .then(graph.degree(b.0).cmp(&graph.degree(a.0)))
            .then_with(|| ea.name.cmp(&eb.name))
            .then_with(|| ea.id.cmp(&eb.id))
    };
    let end = offset.saturating_add(limit).min(total);
    if end == 0 {
        return NeighbourPage { nodes: Vec::new(), total };
    }
    if end < total {
        best.select_nth_unstable_by(end - 1, rank);
        best.truncate(end);
    }
    best.sort_unstable_by(rank);
    NeighbourPage { nodes: best[offset.min(end)..].iter().map(|n| n.0).collect(), total }
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

    /// The whole ranking as the workspace first made it: the card, each neighbour's best
    /// certainty, every neighbour sorted.
    fn full_ranking(g: &KnowledgeGraph, i: usize, filter: &LinkFilter, kinds: &[Kind]) -> Vec<usize> {
        let mut best: std::collections::BTreeMap<usize, Certainty> = std::collections::BTreeMap::new();
        for l in show(g, i, filter).links {
            if !kinds.is_empty() && !kinds.contains(&l.other().kind()) {
                continue;
            }
            let o = g.index_of(l.other().id.as_str()).expect("an entity");
            let c = l.link().certainty;
            best.entry(o).and_modify(|b| *b = (*b).max(c)).or_insert(c);
        }
        let mut ranked: Vec<(usize, Certainty)> = best.into_iter().collect();
        ranked.sort_by(|a, b| {
            let (ea, eb) = (g.entity(a.0), g.entity(b.0));
            b.1.cmp(&a.1)
                .then(g.degree(b.0).cmp(&g.degree(a.0)))
                .then(ea.name.cmp(&eb.name))
                .then(ea.id.cmp(&eb.id))
        });
        ranked.into_iter().map(|r| r.0).collect()
    }

    /// Every page of every entity's neighbours, for several filters, kinds and page sizes,
    /// is that page of the full ranking.
    fn pages_agree(g: &KnowledgeGraph) {
        let filters = [
            LinkFilter::default(),
            LinkFilter { min_certainty: Some(Certainty::Reported), ..LinkFilter::default() },
            LinkFilter {
                relations: vec![Relation::MemberOf, Relation::AssociateOf],
                ..LinkFilter::default()
            },
            LinkFilter { curated_only: true, ..LinkFilter::default() },
        ];
        let kinds: [&[Kind]; 3] = [&[], &[Kind::Person], &[Kind::Group, Kind::Place, Kind::Event]];
        let mut compared = 0;
        for i in 0..g.entity_count() {
            for filter in &filters {
                for kinds in kinds {
                    let full = full_ranking(g, i, filter, kinds);
                    for (offset, limit) in
                        [(0, 1), (0, 3), (0, 25), (2, 5), (7, 25), (0, usize::MAX), (1000, 25)]
                    {
                        let page = ranked_neighbours(g, i, filter, kinds, offset, limit);
                        let want: Vec<usize> = full.iter().copied().skip(offset).take(limit).collect();
                        assert_eq!(page.total, full.len(), "{} total", g.entity(i).id.as_str());
                        assert_eq!(page.nodes, want, "{} from {offset}, {limit}", g.entity(i).id.as_str());
                        compared += usize::from(!want.is_empty());
                    }
                }
            }
        }
        assert!(compared > 0, "some pages are not empty");
    }

    #[test]
    fn a_page_of_neighbours_is_that_of_the_full_ranking_on_the_dataset() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let mut loaded = crate::load::load(&dir);
        let g = KnowledgeGraph::build(std::mem::take(&mut loaded.dataset));
        assert!(g.entity_count() > 100, "the dataset is loaded");
        pages_agree(&g);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]
        /// On a synthetic hub whose members share names, degrees and certainties (so every
        /// tie-break is used), with several links to some members, the pages agree too.
        #[test]
        fn a_page_of_neighbours_is_that_of_the_full_ranking_on_a_synthetic_hub(
            members in proptest::collection::vec((0usize..4, 0usize..6, 0usize..3, proptest::bool::ANY), 1..60),
            extra in proptest::collection::vec((0usize..60, 0usize..60), 0..40),
        ) {
            let certainties = ["Confirmed", "Reported", "Alleged", "Suspected", "Disputed", "Refuted"];
            let mut entities = vec![r#"Group(id: "hub", name: "Hub", subkind: Cell, sources: ["s"])"#.to_owned()];
            let mut links = Vec::new();
            for (m, &(name, certainty, kind, twice)) in members.iter().enumerate() {
                entities.push(match kind {
                    0 | 1 => format!(r#"Person(id: "m{m}", name: "Name {name}", sources: ["s"])"#),
                    _ => format!(r#"Place(id: "m{m}", name: "Name {name}", subkind: City, sources: ["s"])"#),
                });
                let rel = if kind == 2 { "OperatesIn" } else { "MemberOf" };
                let (from, to) = if kind == 2 { ("hub", format!("m{m}")) } else { (&*format!("m{m}"), "hub".to_owned()) };
                let from = from.to_owned();
                links.push(format!(r#"(from: "{from}", rel: {rel}, to: "{to}", certainty: {}, sources: ["s"])"#, certainties[certainty]));
                if twice {
                    links.push(format!(r#"(from: "{from}", rel: {rel}, to: "{to}", certainty: {}, role: "again", sources: ["s"])"#, certainties[(certainty + 3) % 6]));
                }
            }
            for (x, y) in extra {
                let (x, y) = (x % members.len(), y % members.len());
                if x != y && members[x].2 < 2 && members[y].2 < 2 {
                    links.push(format!(r#"(from: "m{x}", rel: AssociateOf, to: "m{y}", certainty: Reported, sources: ["s"])"#));
                }
            }
            let g = fixture::graph(&format!("(entities: [{}], links: [{}])", entities.join(", "), links.join(", ")));
            pages_agree(&g);
        }
    }
}

//! `neighbours`: the entities within a number of links of one entity. What may be passed
//! through (kinds of entity, relations) and what is listed (kinds, the relation of the link
//! that reached an entity) are separate questions.

use serde::Serialize;

use super::{EntityRef, LinkFilter, Step};
use crate::graph::KnowledgeGraph;
use crate::hash::FastMap;
use crate::model::{Kind, Relation};

#[derive(Debug, Serialize)]
pub struct Neighbourhood {
    pub center: EntityRef,
    pub nodes: Vec<Node>,
    /// Every followable link between two of the nodes, written from its `from` end.
    pub links: Vec<Step>,
}

#[derive(Debug, Serialize)]
pub struct Node {
    #[serde(flatten)]
    pub entity: EntityRef,
    pub distance: u32,
}

/// Which of the entities reached a neighbourhood lists (the center always); empty lists
/// keep everything.
#[derive(Clone, Copy, Debug, Default)]
pub struct Listed<'a> {
    /// Only entities of these kinds.
    pub kinds: &'a [Kind],
    /// Only entities reached by a link of one of these relations (from an entity one link
    /// nearer the center).
    pub rels: &'a [Relation],
}

/// Breadth-first from `center` up to `depth` links, along the links `filter` follows and
/// through the entities of `through` kinds only (the center always; with none, any), listing
/// the entities reached that `listed` keeps.
pub fn neighbours(
    graph: &KnowledgeGraph,
    center: usize,
    depth: u32,
    through: &[Kind],
    listed: Listed,
    filter: &LinkFilter,
) -> Neighbourhood {
    let passes = |i: usize| i == center || through.is_empty() || through.contains(&graph.entity(i).kind());
    let reached = reach_with(graph, &[center], depth, filter, |_, _| true, passes);
    let reached_by = |i: usize, d: u32| {
        graph.incident(i).iter().any(|inc| {
            filter.follows_at(inc)
                && listed.rels.contains(&inc.rel)
                && reached.get(&inc.other()) == Some(&(d - 1))
                && passes(inc.other())
        })
    };
    let distance: FastMap<usize, u32> = reached
        .iter()
        .filter(|&(&i, &d)| {
            d == 0
                || ((listed.kinds.is_empty() || listed.kinds.contains(&graph.entity(i).kind()))
                    && (listed.rels.is_empty() || reached_by(i, d)))
        })
        .map(|(&i, &d)| (i, d))
        .collect();
    let mut order: Vec<(usize, u32)> = distance.iter().map(|(&i, &d)| (i, d)).collect();
    order.sort_by(|a, b| {
        let (ea, eb) = (graph.entity(a.0), graph.entity(b.0));
        (a.1, &ea.name, &ea.id).cmp(&(b.1, &eb.name, &eb.id))
    });
    let links = links_among(graph, &distance, filter);
    Neighbourhood {
        center: EntityRef::of(graph.entity(center)),
        nodes: order
            .into_iter()
            .map(|(i, d)| Node { entity: EntityRef::of(graph.entity(i)), distance: d })
            .collect(),
        links,
    }
}

/// Distances from the nearest of `seeds` to everything within `depth` followable links.
pub fn reach(
    graph: &KnowledgeGraph,
    seeds: &[usize],
    depth: u32,
    kinds: &[Kind],
    filter: &LinkFilter,
) -> FastMap<usize, u32> {
    reach_where(graph, seeds, depth, kinds, filter, |_, _| true)
}

/// [`reach`] over only the steps `admit(link, entity)` accepts (a view's date window).
pub fn reach_where(
    graph: &KnowledgeGraph,
    seeds: &[usize],
    depth: u32,
    kinds: &[Kind],
    filter: &LinkFilter,
    admit: impl Fn(usize, usize) -> bool,
) -> FastMap<usize, u32> {
    let enter = |link: usize, entity: usize| {
        (kinds.is_empty() || kinds.contains(&graph.entity(entity).kind())) && admit(link, entity)
    };
    reach_with(graph, seeds, depth, filter, enter, |_| true)
}

/// Distances from the nearest of `seeds` to everything within `depth` followable links,
/// entering only the entities `enter(link, entity)` accepts and going on only from those
/// `expand` accepts.
fn reach_with(
    graph: &KnowledgeGraph,
    seeds: &[usize],
    depth: u32,
    filter: &LinkFilter,
    enter: impl Fn(usize, usize) -> bool,
    expand: impl Fn(usize) -> bool,
) -> FastMap<usize, u32> {
    let mut distance: FastMap<usize, u32> = seeds.iter().map(|&s| (s, 0)).collect();
    // A level at a time, with room made beforehand for all it can add: growing the map
    // entry by entry was half the time of a search.
    let mut frontier: Vec<usize> = seeds.to_vec();
    for d in 0..depth {
        if frontier.is_empty() {
            break;
        }
        let links: usize = frontier.iter().map(|&v| graph.degree(v)).sum();
        distance.reserve(links);
        let mut next = Vec::new();
        for &at in &frontier {
            for inc in graph.incident(at) {
                if !filter.follows_at(inc) {
                    continue;
                }
                // One look-up for each link: the entry is kept to fill in.
                let std::collections::hash_map::Entry::Vacant(place) = distance.entry(inc.other()) else {
                    continue;
                };
                if !filter.admits_at(graph, inc.other()) || !enter(inc.link(), inc.other()) {
                    continue;
                }
                place.insert(d + 1);
                if expand(inc.other()) {
                    next.push(inc.other());
                }
            }
        }
        frontier = next;
    }
    distance
}

/// The followable links whose two ends are both in `nodes`, in dataset order.
pub fn links_among(graph: &KnowledgeGraph, nodes: &FastMap<usize, u32>, filter: &LinkFilter) -> Vec<Step> {
    let mut chosen: Vec<usize> = Vec::new();
    for &i in nodes.keys() {
        for inc in graph.incident(i) {
            if inc.direction == crate::graph::Direction::Out
                && nodes.contains_key(&inc.other())
                && filter.follows_at(inc)
            {
                chosen.push(inc.link());
            }
        }
    }
    chosen.sort_unstable();
    chosen.dedup();
    chosen.into_iter().filter_map(|l| graph.ends(l).map(|(from, _)| Step::new(graph, l, from))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::fixture;

    #[test]
    fn depth_kind_and_refuted() {
        let g = fixture::graph(fixture::NETWORK);
        let ann = g.index_of("ann").unwrap();
        let one = neighbours(&g, ann, 1, &[], Listed::default(), &LinkFilter::default());
        let ids: Vec<&str> = one.nodes.iter().map(|n| n.entity.id.as_str()).collect();
        assert_eq!(ids, ["ann", "alpha-cell"], "dan is only reachable through a refuted link");
        let two = neighbours(&g, ann, 2, &[], Listed::default(), &LinkFilter::default());
        let ids: Vec<(&str, u32)> = two.nodes.iter().map(|n| (n.entity.id.as_str(), n.distance)).collect();
        assert_eq!(ids, [("ann", 0), ("alpha-cell", 1), ("bob", 2), ("zed-plot", 2)]);
        assert_eq!(two.links.len(), 3);
        let through_people =
            neighbours(&g, ann, 3, &[Kind::Person], Listed::default(), &LinkFilter::default());
        let ids: Vec<&str> = through_people.nodes.iter().map(|n| n.entity.id.as_str()).collect();
        assert_eq!(ids, ["ann", "alpha-cell"], "the cell is reached, not passed through");
    }

    /// `--kind` lists people reached through a group; `--rel` lists what a link of the
    /// relation reached.
    #[test]
    fn kinds_and_relations_filter_what_is_listed() {
        let g = fixture::graph(fixture::NETWORK);
        let ann = g.index_of("ann").unwrap();
        let f = LinkFilter::default();
        let people = neighbours(&g, ann, 2, &[], Listed { kinds: &[Kind::Person], rels: &[] }, &f);
        let ids: Vec<(&str, u32)> = people.nodes.iter().map(|n| (n.entity.id.as_str(), n.distance)).collect();
        assert_eq!(ids, [("ann", 0), ("bob", 2)]);
        let members = neighbours(&g, ann, 2, &[], Listed { kinds: &[], rels: &[Relation::MemberOf] }, &f);
        let ids: Vec<&str> = members.nodes.iter().map(|n| n.entity.id.as_str()).collect();
        assert_eq!(ids, ["ann", "alpha-cell", "bob"]);
        let none = neighbours(&g, ann, 2, &[Kind::Person], Listed { kinds: &[Kind::Person], rels: &[] }, &f);
        assert_eq!(none.nodes.len(), 1, "bob is reached only through the cell");
    }
}

//! `common`: what two entities share: the entities linked to both, with the links to each,
//! and the direct links between them (denied ones included, marked).

use std::collections::BTreeMap;

use serde::Serialize;

use super::{EntityRef, LinkFilter, Step};
use crate::graph::KnowledgeGraph;

#[derive(Debug, Serialize)]
pub struct Common {
    pub a: EntityRef,
    pub b: EntityRef,
    /// Links between the two themselves, `Refuted` ones included.
    pub direct: Vec<Step>,
    /// Entities linked to both, the most strongly linked first.
    pub shared: Vec<Shared>,
}

#[derive(Debug, Serialize)]
pub struct Shared {
    pub entity: EntityRef,
    /// The links from `a` to it, and from `b` to it (walked from `a` and from `b`).
    pub via_a: Vec<Step>,
    pub via_b: Vec<Step>,
}

pub fn common(graph: &KnowledgeGraph, a: usize, b: usize, filter: &LinkFilter) -> Common {
    let direct = graph
        .incident(a)
        .iter()
        .filter(|inc| inc.other() == b && filter.shows_at(inc))
        .map(|inc| Step::at(graph, a, inc))
        .collect();
    let links_of = |x: usize| {
        let mut by: BTreeMap<usize, Vec<Step>> = BTreeMap::new();
        for inc in graph.incident(x) {
            if inc.other() != a
                && inc.other() != b
                && filter.follows_at(inc)
                && filter.admits_at(graph, inc.other())
            {
                by.entry(inc.other()).or_default().push(Step::at(graph, x, inc));
            }
        }
        by
    };
    let (from_a, mut from_b) = (links_of(a), links_of(b));
    let mut shared: Vec<Shared> = from_a
        .into_iter()
        .filter_map(|(other, via_a)| {
            let via_b = from_b.remove(&other)?;
            Some(Shared { entity: EntityRef::of(graph.entity(other)), via_a, via_b })
        })
        .collect();
    // Strongest first: by the weaker of the two sides' best certainty, then by name.
    let strength = |s: &Shared| {
        let best = |steps: &[Step]| steps.iter().map(|s| s.certainty).max();
        std::cmp::Reverse(best(&s.via_a).min(best(&s.via_b)))
    };
    shared.sort_by(|x, y| strength(x).cmp(&strength(y)).then_with(|| x.entity.name.cmp(&y.entity.name)));
    Common { a: EntityRef::of(graph.entity(a)), b: EntityRef::of(graph.entity(b)), direct, shared }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Certainty;
    use crate::query::fixture;

    #[test]
    fn shared_neighbours_with_the_links_to_each() {
        let g = fixture::graph(fixture::NETWORK);
        let (cat, dan, ann) =
            (g.index_of("cat").unwrap(), g.index_of("dan").unwrap(), g.index_of("ann").unwrap());
        let c = common(&g, cat, dan, &LinkFilter::default());
        assert_eq!(c.shared.len(), 1);
        assert_eq!(c.shared[0].entity.id, "zed-attack");
        assert_eq!(c.shared[0].via_a[0].certainty, Certainty::Confirmed);
        assert_eq!(c.shared[0].via_b[0].certainty, Certainty::Suspected);
        assert!(c.direct.is_empty());
        let denied = common(&g, ann, dan, &LinkFilter::default());
        assert_eq!(denied.direct.len(), 1, "the refuted direct link is shown");
        assert_eq!(denied.direct[0].certainty, Certainty::Refuted);
        assert!(denied.shared.is_empty());
    }
}

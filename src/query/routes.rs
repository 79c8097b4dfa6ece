//! `path`'s default answer: the few most informative distinct routes between two entities.
//!
//! Routes are ranked by their cost ([`super::score`]): strong relations, certain links, good
//! sources and intermediaries that are not hubs make a route cheap. The search is Yen's
//! k-shortest loopless paths (Yen, 1971) over entities, each step taking the cheapest link
//! between two entities, with Dijkstra's algorithm (bounded by the length limit) for each
//! spur. A route that shares more than half of its intermediaries with a route already kept
//! (Jaccard similarity of the two sets above 0.5; two direct links count as the same) says
//! little new and is skipped, so the routes differ in whom they pass through.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::paths::{Path, PathQuery, Paths, passable};
use super::score::{hub_cost, link_cost, relation_cost, route_cost};
use super::{Clock, Step};
use crate::graph::{Incident, KnowledgeGraph};
use crate::hash::{FastMap, FastSet};
use crate::model::Relation;

/// Routes examined (kept or skipped as near-copies) per route asked for, at the most.
const EXAMINED_PER_ROUTE: usize = 10;

/// A route as the search holds it: the entities in order, and the adjacency entry taken from
/// each (paired with the entity it leaves).
#[derive(Clone, Debug)]
struct Route {
    cost: u64,
    nodes: Vec<usize>,
    trail: Vec<(usize, Incident)>,
}

impl Route {
    fn new(graph: &KnowledgeGraph, start: usize, trail: Vec<(usize, Incident)>) -> Route {
        let mut nodes = vec![start];
        nodes.extend(trail.iter().map(|(_, inc)| inc.other()));
        Route { cost: route_cost(graph, &trail).0, nodes, trail }
    }

    /// The entities passed through, sorted: two routes with the same say the same thing.
    fn intermediaries(&self) -> Vec<usize> {
        let mut v = self.nodes[1..self.nodes.len() - 1].to_vec();
        v.sort_unstable();
        v
    }

    /// The order two routes of equal cost keep: fewer links, then the links' dataset order.
    fn key(&self) -> (u64, usize, Vec<usize>) {
        (self.cost, self.trail.len(), self.trail.iter().map(|(_, inc)| inc.link()).collect())
    }
}

/// The `q.limit` most informative distinct routes from `a` to `b`, cheapest first.
pub fn routes(graph: &KnowledgeGraph, a: usize, b: usize, q: &PathQuery) -> Paths {
    let refuted = graph
        .incident(a)
        .iter()
        .filter(|inc| inc.other() == b && inc.certainty.is_refuted())
        .map(|inc| Step::at(graph, a, inc))
        .collect();
    let mut clock = Clock::new(q.budget);
    let mut search = Spur {
        graph,
        q,
        target: b,
        ends: [a, b],
        to_target: ToTarget::default(),
        near_target: near(graph, b, &q.filter),
    };
    // A route of the fewest links costs at least as much as the cheapest: an upper bound that
    // spares the backward search most of what lies beyond it (the members of a hub, say).
    let fewest = PathQuery { all: false, limit: 1, ..q.clone() };
    let bound = super::paths::paths(graph, a, b, &fewest).paths.first().map_or(u64::MAX, |p| p.cost);
    search.to_target = search.bounds_to_target(a, bound, &mut clock);
    let none = (FastSet::default(), FastSet::default());
    let Some(first) = search.cheapest(a, &none, q.max_len, u64::MAX, &mut clock) else {
        let cut_by = clock.out.then_some("time");
        return Paths { paths: Vec::new(), truncated: clock.out, cut_by, weaker: 0, refuted };
    };
    let first = Route::new(graph, a, first);
    let mut examined: Vec<Route> = vec![first.clone()];
    let mut kept: Vec<Route> = vec![first];
    let mut candidates: Vec<Route> = Vec::new();
    let mut seen: FastSet<Vec<usize>> = FastSet::default();
    seen.insert(examined[0].nodes.clone());
    let most_examined = q.limit.saturating_mul(EXAMINED_PER_ROUTE);
    while kept.len() < q.limit && examined.len() < most_examined && !clock.out {
        let last = examined.last().expect("one route at least").clone();
        for spur_at in 0..last.trail.len() {
            let root = &last.nodes[..=spur_at];
            let spur_node = last.nodes[spur_at];
            let banned_edges: FastSet<(usize, usize)> = examined
                .iter()
                .filter(|r| r.nodes.len() > spur_at + 1 && &r.nodes[..=spur_at] == root)
                .map(|r| (r.nodes[spur_at], r.nodes[spur_at + 1]))
                .collect();
            let banned_nodes: FastSet<usize> = root[..spur_at].iter().copied().collect();
            let root_trail = &last.trail[..spur_at];
            let root_cost = route_cost(graph, root_trail).0
                + if spur_at > 0 { hub_cost(graph.degree(spur_node)) } else { 0 };
            // A spur dearer than every route that could still be shown is not worth finding.
            let ceiling = ceiling(&candidates, &kept, q.limit - kept.len())
                .map_or(u64::MAX, |c| c.saturating_sub(root_cost));
            let banned = (banned_nodes, banned_edges);
            let Some(spur) = search.cheapest(spur_node, &banned, q.max_len - spur_at, ceiling, &mut clock)
            else {
                if clock.out {
                    break;
                }
                continue;
            };
            let mut trail = root_trail.to_vec();
            trail.extend(spur);
            let route = Route::new(graph, a, trail);
            if seen.insert(route.nodes.clone()) {
                candidates.push(route);
            }
        }
        // The cheapest candidate next (ties: fewer links, then dataset order).
        let Some(best) = (0..candidates.len()).min_by_key(|&i| candidates[i].key()) else { break };
        let next = candidates.swap_remove(best);
        let fresh = next.intermediaries();
        if kept.iter().all(|r| !near_copy(&r.intermediaries(), &fresh)) {
            kept.push(next.clone());
        }
        examined.push(next);
    }
    let cut = (kept.len() == q.limit && !candidates.is_empty()).then_some("limit");
    let cut_by = if clock.out { Some("time") } else { cut };
    Paths {
        paths: kept.iter().map(|r| Path::of(graph, &r.trail)).collect(),
        truncated: cut_by.is_some(),
        cut_by,
        weaker: 0,
        refuted,
    }
}

/// The margin `path` keeps routes within by default (`--within`): about two more context
/// links through a hub.
pub const DEFAULT_WITHIN: f64 = 12.0;

/// Keeps the routes whose score is within `margin` of the best one's, and says how many it
/// left out: a route far dearer than the best (through a country and a sub-event, say) is
/// more noise than answer.
pub fn keep_within(found: &mut Paths, margin: f64) -> usize {
    let Some(best) = found.paths.first().map(|p| p.score) else { return 0 };
    let before = found.paths.len();
    found.paths.retain(|p| p.score <= best + margin);
    let left_out = before - found.paths.len();
    found.weaker = left_out;
    if left_out > 0 && found.cut_by == Some("limit") {
        // The routes past the limit cost more still: none of them would be shown either.
        found.cut_by = None;
        found.truncated = false;
    }
    left_out
}

/// The cost above which a new candidate can no longer be among the `wanted` routes still to
/// show: that of the `wanted`-th cheapest candidate whose intermediaries differ from those of
/// every route kept and every cheaper such candidate. `None` while there are fewer.
fn ceiling(candidates: &[Route], kept: &[Route], wanted: usize) -> Option<u64> {
    let mut sorted: Vec<&Route> = candidates.iter().collect();
    sorted.sort_by_key(|r| r.key());
    let mut sets: Vec<Vec<usize>> = kept.iter().map(Route::intermediaries).collect();
    let mut count = 0;
    for r in sorted {
        let set = r.intermediaries();
        if sets.iter().all(|s| !near_copy(s, &set)) {
            sets.push(set);
            count += 1;
            if count == wanted {
                return Some(r.cost);
            }
        }
    }
    None
}

/// True when two sorted sets of intermediaries share more than half of their union.
fn near_copy(a: &[usize], b: &[usize]) -> bool {
    let shared = a.iter().filter(|x| b.binary_search(x).is_ok()).count();
    let union = a.len() + b.len() - shared;
    union == 0 || 2 * shared > union
}

/// How many links a search looks ahead for the target: [`near`]'s depth.
const LOOKAHEAD: usize = 2;

/// The fewest links from each entity within [`LOOKAHEAD`] links of `target` to it, over every
/// link `filter` follows (passing through anything: fewer links than any route may take).
/// A search with `r <= LOOKAHEAD` links left needs not enter an entity farther than `r` from
/// the target: with a hub two links away, the last links of a spur would otherwise enter
/// every one of its members and what they link to, and find nothing there.
fn near(graph: &KnowledgeGraph, target: usize, filter: &super::LinkFilter) -> FastMap<usize, usize> {
    let mut dist: FastMap<usize, usize> = [(target, 0)].into_iter().collect();
    let mut frontier = vec![target];
    for d in 1..=LOOKAHEAD {
        let mut next = Vec::new();
        for at in frontier {
            for inc in graph.incident(at) {
                if filter.follows_at(inc) && !dist.contains_key(&inc.other()) {
                    dist.insert(inc.other(), d);
                    next.push(inc.other());
                }
            }
        }
        frontier = next;
    }
    dist
}

/// The cheapest-route search from one entity to the target.
struct Spur<'a> {
    graph: &'a KnowledgeGraph,
    q: &'a PathQuery,
    target: usize,
    /// The two ends of the routes asked for: they may be of any kind.
    ends: [usize; 2],
    /// Lower bounds of the cost from an entity to the target, which steer every spur's search.
    to_target: ToTarget,
    /// The fewest links to the target from the entities near it ([`near`]).
    near_target: FastMap<usize, usize>,
}

/// Lower bounds of what reaching the target costs from each entity, for the A* search of
/// every spur, from a bidirectional Dijkstra between the two ends stopped as soon as it knows
/// the cheapest route's cost `cheapest` (over every link the filter follows, at any length
/// and banning nothing). Two bounds, the larger is taken:
/// - the exact cost to the target of the entities the backward half settled, and `radius`
///   (what the backward half had reached) for the others: theirs is at least that;
/// - `cheapest` less the exact cost from the start of the entities the forward half settled:
///   no route through an entity costs less than the cheapest.
///
/// Spurs ban steps and bound the length, which can only make a route dearer, so the bounds
/// hold for each of them; both are consistent (they never fall by more than a step costs, and
/// past the forward half's reach the first is the larger), so A* expands an entity at a given
/// length at most once, as Dijkstra does. A one-sided search would settle every entity nearer
/// the target than the start: most of a million, for two people picked at random.
#[derive(Default)]
struct ToTarget {
    /// By entity number, `u64::MAX` for the entities not settled: an array is quicker than a
    /// map at a million entities.
    settled: Vec<u64>,
    radius: u64,
    /// The forward half's costs from the start, `u64::MAX` where it did not settle.
    from_start: Vec<u64>,
    /// The cheapest route's cost (0 when the search was cut short: no second bound).
    cheapest: u64,
}

impl ToTarget {
    fn at(&self, node: usize) -> u64 {
        let back = match self.settled[node] {
            u64::MAX => self.radius,
            cost => cost,
        };
        match self.from_start[node] {
            u64::MAX => back,
            cost => back.max(self.cheapest.saturating_sub(cost)),
        }
    }
}

/// A partial route in the search: where it is, what it cost and how it got there.
#[derive(Clone, Copy)]
struct Label {
    node: usize,
    cost: u64,
    /// The label it extends (`usize::MAX` for the start) and the adjacency entry taken.
    prev: usize,
    inc: Option<Incident>,
}

impl Spur<'_> {
    /// What passing through `node` costs; nothing for the target, which is reached, not passed.
    fn through(&self, node: usize) -> u64 {
        if node == self.target { 0 } else { hub_cost(self.graph.degree(node)) }
    }

    /// True when a route may pass through `node` (it is no end and the query admits it).
    fn passes(&self, node: usize) -> bool {
        !self.ends.contains(&node) && passable(self.graph, node, self.ends, self.q)
    }

    /// Dijkstra's algorithm from both ends at once, a step at a time on the side whose next
    /// entity is nearer its end, until the cheapest route is known (or the time is up): see
    /// [`ToTarget`]. `bound` is at least the cheapest route's cost: nothing dearer is pushed,
    /// and an entity whose every link would lead past it is not read.
    fn bounds_to_target(&self, start: usize, bound: u64, clock: &mut Clock) -> ToTarget {
        let cheapest_link = Relation::ALL.iter().map(|&r| relation_cost(r)).min().unwrap_or(0);
        let graph = self.graph;
        let n = graph.entity_count();
        // [backward, forward]: settled costs, cheapest pushed, heap.
        let mut settled = [vec![u64::MAX; n], vec![u64::MAX; n]];
        let mut best = [vec![u64::MAX; n], vec![u64::MAX; n]];
        let mut heaps: [BinaryHeap<Reverse<(u64, usize)>>; 2] =
            [BinaryHeap::from([Reverse((0, self.target))]), BinaryHeap::from([Reverse((0, start))])];
        best[0][self.target] = 0;
        best[1][start] = 0;
        // The cheapest route met so far: the forward cost of an entity (its passing included)
        // and its backward cost (that of the entities after it) add up to a route's.
        let mut met = u64::MAX;
        let joins = |node: usize| node == start || node == self.target || self.passes(node);
        let top = |h: &BinaryHeap<Reverse<(u64, usize)>>| h.peek().map_or(u64::MAX, |r| r.0.0);
        let cheapest = loop {
            let (back, fwd) = (top(&heaps[0]), top(&heaps[1]));
            if back.saturating_add(fwd) >= met {
                // Also when one side has run out: every route was met.
                break if met == u64::MAX { 0 } else { met };
            }
            if clock.tick() {
                break 0;
            }
            let side = usize::from(fwd < back);
            let Some(Reverse((cost, node))) = heaps[side].pop() else { break 0 };
            if settled[side][node] != u64::MAX {
                continue;
            }
            settled[side][node] = cost;
            // Only the end a side starts from, and what may be passed through, lead on.
            let own_end = if side == 0 { self.target } else { start };
            if node != own_end && !self.passes(node) {
                continue;
            }
            // Backward, a step into `node` passes through it (but not through the target);
            // forward, a step passes through the entity it enters.
            let through_here = if side == 0 { self.through(node) } else { 0 };
            if cost + through_here + cheapest_link > bound {
                continue;
            }
            for inc in graph.incident(node) {
                let other = inc.other();
                if settled[side][other] != u64::MAX || !self.q.filter.follows_at(inc) {
                    continue;
                }
                let through = if side == 0 { through_here } else { self.through(other) };
                let next = cost + link_cost(graph, inc) + through;
                if next > bound || best[side][other] <= next {
                    continue;
                }
                best[side][other] = next;
                heaps[side].push(Reverse((next, other)));
                let across = best[1 - side][other];
                if across != u64::MAX && joins(other) {
                    met = met.min(next + across);
                }
            }
        };
        // With the backward heap empty, what it did not settle cannot reach the target at all.
        let radius = top(&heaps[0]);
        let [to_target, from_start] = settled;
        ToTarget { settled: to_target, radius, from_start, cheapest }
    }

    /// The cheapest route from `start` to the target in at most `max_hops` links that enters
    /// none of `banned.0` and takes no step `(from, to)` of `banned.1`, if one costs at most
    /// `ceiling`. A* over (entity, links taken), steered by [`ToTarget`]: an entity is expanded
    /// again only when reached in fewer links, so the length limit never hides a route.
    fn cheapest(
        &self,
        start: usize,
        banned: &(FastSet<usize>, FastSet<(usize, usize)>),
        max_hops: usize,
        ceiling: u64,
        clock: &mut Clock,
    ) -> Option<Vec<(usize, Incident)>> {
        let graph = self.graph;
        let mut labels = vec![Label { node: start, cost: 0, prev: usize::MAX, inc: None }];
        // (lower bound of the whole route, links taken, entity, label)
        let mut heap: BinaryHeap<Reverse<(u64, usize, usize, usize)>> = BinaryHeap::new();
        heap.push(Reverse((self.to_target.at(start), 0, start, 0)));
        // The fewest links with which each entity was expanded, and the cheapest label pushed.
        let mut expanded: FastMap<usize, usize> = FastMap::default();
        let mut pushed: FastMap<usize, (u64, usize)> = FastMap::default();
        while let Some(Reverse((_, hops, node, label))) = heap.pop() {
            if clock.tick() {
                return None;
            }
            if node == self.target {
                let mut trail = Vec::with_capacity(hops);
                let mut at = label;
                while let Some(inc) = labels[at].inc {
                    at = labels[at].prev;
                    trail.push((labels[at].node, inc));
                }
                trail.reverse();
                return Some(trail);
            }
            if expanded.get(&node).is_some_and(|&h| h <= hops) {
                continue;
            }
            expanded.insert(node, hops);
            if hops >= max_hops {
                continue;
            }
            let cost = labels[label].cost;
            for inc in graph.incident(node) {
                let other = inc.other();
                if expanded.get(&other).is_some_and(|&h| h <= hops + 1)
                    || banned.0.contains(&other)
                    || banned.1.contains(&(node, other))
                    || !self.q.filter.follows_at(inc)
                    || !passable(graph, other, self.ends, self.q)
                {
                    continue;
                }
                // The ends are never passed through, only reached.
                if other != self.target && self.ends.contains(&other) {
                    continue;
                }
                // Nor is an entity entered from which the target is out of reach in the links left.
                let left = max_hops - (hops + 1);
                if left < LOOKAHEAD && self.near_target.get(&other).is_none_or(|&d| d > left) {
                    continue;
                }
                let next = cost + link_cost(graph, inc) + self.through(other);
                let bound = next.saturating_add(self.to_target.at(other));
                if bound > ceiling || pushed.get(&other).is_some_and(|&(c, h)| c <= next && h <= hops + 1) {
                    continue;
                }
                pushed.insert(other, (next, hops + 1));
                labels.push(Label { node: other, cost: next, prev: label, inc: Some(*inc) });
                heap.push(Reverse((bound, hops + 1, other, labels.len() - 1)));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::fixture;

    fn query(limit: usize) -> PathQuery {
        PathQuery { limit, ..PathQuery::default() }
    }

    fn ids(p: &Path) -> Vec<String> {
        let mut v = vec![p.steps[0].from.id.clone()];
        v.extend(p.steps.iter().map(|s| s.to.id.clone()));
        v
    }

    fn people(n: usize, extra: &str, links: &[(&str, &str, &str)]) -> KnowledgeGraph {
        let mut entities: Vec<String> =
            (0..n).map(|i| format!("Person(id: \"p{i}\", name: \"P {i}\", sources: [\"s\"])")).collect();
        entities.push(extra.to_owned());
        let links: Vec<String> = links
            .iter()
            .map(|(a, rel, b)| {
                format!("(from: \"{a}\", rel: {rel}, to: \"{b}\", certainty: Reported, sources: [\"s\"])")
            })
            .collect();
        fixture::graph(&format!("(entities: [{}], links: [{}])", entities.join(", "), links.join(", ")))
    }

    /// p0 and p1 are both citizens of Testland (2 links) and both know p2 (2 links).
    fn compatriots_and_friends() -> KnowledgeGraph {
        people(
            3,
            r#"Place(id: "testland", name: "Testland", subkind: Country, sources: ["s"])"#,
            &[
                ("p0", "CitizenOf", "testland"),
                ("p1", "CitizenOf", "testland"),
                ("p0", "AssociateOf", "p2"),
                ("p2", "AssociateOf", "p1"),
            ],
        )
    }

    #[test]
    fn a_personal_tie_beats_a_shared_country() {
        let g = compatriots_and_friends();
        let (a, b) = (g.index_of("p0").unwrap(), g.index_of("p1").unwrap());
        let found = routes(&g, a, b, &query(3));
        let routes: Vec<Vec<String>> = found.paths.iter().map(ids).collect();
        assert_eq!(routes, [vec!["p0", "p2", "p1"], vec!["p0", "testland", "p1"]]);
        assert!(found.paths[0].score < found.paths[1].score);
        assert_eq!(found.paths[1].score_parts.relations, 10.0, "two context links of 5");
    }

    #[test]
    fn a_hub_of_ten_thousand_links_between_the_ends_is_passed_over() {
        // p0 and p1 both belong to a group of 10,000 members, and are also joined by a chain
        // of three acquaintances (four links).
        let n = 10_000;
        let mut links: Vec<(String, &str, String)> =
            (0..n).map(|i| (format!("p{i}"), "MemberOf", "hub".to_owned())).collect();
        for (x, y) in [("p0", "q1"), ("q1", "q2"), ("q2", "q3"), ("q3", "p1")] {
            links.push((x.to_owned(), "AssociateOf", y.to_owned()));
        }
        let extra = r#"Group(id: "hub", name: "Hub", subkind: Organisation, sources: ["s"]),
            Person(id: "q1", name: "Q 1", sources: ["s"]), Person(id: "q2", name: "Q 2", sources: ["s"]),
            Person(id: "q3", name: "Q 3", sources: ["s"])"#;
        let refs: Vec<(&str, &str, &str)> =
            links.iter().map(|(a, r, b)| (a.as_str(), *r, b.as_str())).collect();
        let g = people(n, extra, &refs);
        let (a, b) = (g.index_of("p0").unwrap(), g.index_of("p1").unwrap());
        let found = routes(&g, a, b, &query(2));
        let routes: Vec<Vec<String>> = found.paths.iter().map(ids).collect();
        assert_eq!(routes, [vec!["p0", "q1", "q2", "q3", "p1"], vec!["p0", "hub", "p1"]]);
    }

    #[test]
    fn a_route_of_exactly_the_longest_length_is_found_beside_a_hub() {
        // p0 and p1 are joined by a chain of six acquaintances only; p0 also belongs to a
        // group of 2,000 members, each a cheap step away, none of them near p1. The search
        // looks ahead for p1 in its last links, and must still take the chain's.
        let n = 2_000;
        let mut links: Vec<(String, &str, String)> =
            (2..n).map(|i| (format!("p{i}"), "MemberOf", "hub".to_owned())).collect();
        links.push(("p0".to_owned(), "MemberOf", "hub".to_owned()));
        let chain = ["p0", "q1", "q2", "q3", "q4", "q5", "p1"];
        for w in chain.windows(2) {
            links.push((w[0].to_owned(), "AssociateOf", w[1].to_owned()));
        }
        let extra = (1..=5)
            .map(|i| format!(r#"Person(id: "q{i}", name: "Q {i}", sources: ["s"])"#))
            .chain([r#"Group(id: "hub", name: "Hub", subkind: Organisation, sources: ["s"])"#.to_owned()])
            .collect::<Vec<_>>()
            .join(", ");
        let refs: Vec<(&str, &str, &str)> =
            links.iter().map(|(a, r, b)| (a.as_str(), *r, b.as_str())).collect();
        let g = people(n, &extra, &refs);
        let (a, b) = (g.index_of("p0").unwrap(), g.index_of("p1").unwrap());
        let long = routes(&g, a, b, &PathQuery { max_len: 6, ..query(3) });
        let found: Vec<Vec<String>> = long.paths.iter().map(ids).collect();
        assert_eq!(found, [chain.map(str::to_owned).to_vec()]);
        assert!(routes(&g, a, b, &PathQuery { max_len: 5, ..query(3) }).paths.is_empty());
    }

    #[test]
    fn routes_differ_in_whom_they_pass_through() {
        // Two links join p0 and p2 and two join p2 and p1: one route through p2, not four; it
        // comes second, as p2 has more links than p3.
        let g = people(
            4,
            r#"Person(id: "p9", name: "P 9", sources: ["s"])"#,
            &[
                ("p0", "AssociateOf", "p2"),
                ("p0", "RelativeOf", "p2"),
                ("p2", "AssociateOf", "p1"),
                ("p2", "SiblingOf", "p1"),
                ("p0", "AssociateOf", "p3"),
                ("p3", "AssociateOf", "p1"),
            ],
        );
        let (a, b) = (g.index_of("p0").unwrap(), g.index_of("p1").unwrap());
        let found = routes(&g, a, b, &query(5));
        let routes: Vec<Vec<String>> = found.paths.iter().map(ids).collect();
        assert_eq!(routes, [vec!["p0", "p3", "p1"], vec!["p0", "p2", "p1"]]);
        assert!(!found.truncated);
    }

    #[test]
    fn cycles_ties_and_lonely_entities() {
        // A square p0-p1-p2-p3-p0: two routes of equal cost from p0 to p2, in dataset order.
        let g = people(
            4,
            r#"Person(id: "alone", name: "Alone", sources: ["s"])"#,
            &[
                ("p0", "AssociateOf", "p1"),
                ("p1", "AssociateOf", "p2"),
                ("p2", "AssociateOf", "p3"),
                ("p3", "AssociateOf", "p0"),
            ],
        );
        let (a, c) = (g.index_of("p0").unwrap(), g.index_of("p2").unwrap());
        let found = routes(&g, a, c, &query(3));
        let routes: Vec<Vec<String>> = found.paths.iter().map(ids).collect();
        assert_eq!(routes, [vec!["p0", "p1", "p2"], vec!["p0", "p3", "p2"]]);
        assert_eq!(found.paths[0].score, found.paths[1].score);
        let alone = g.index_of("alone").unwrap();
        assert!(routes_of(&g, a, alone).is_empty());
    }

    fn routes_of(g: &KnowledgeGraph, a: usize, b: usize) -> Vec<Path> {
        routes(g, a, b, &query(3)).paths
    }

    #[test]
    fn routes_far_dearer_than_the_best_are_left_out_and_counted() {
        let g = compatriots_and_friends();
        let (a, b) = (g.index_of("p0").unwrap(), g.index_of("p1").unwrap());
        let mut found = routes(&g, a, b, &query(3));
        let (best, second) = (found.paths[0].score, found.paths[1].score);
        assert_eq!(keep_within(&mut found, second - best), 0);
        assert_eq!(keep_within(&mut found, (second - best) / 2.0), 1);
        assert_eq!((found.paths.len(), found.weaker), (1, 1));
    }

    #[test]
    fn refuted_links_are_never_followed_and_length_is_bounded() {
        let g = fixture::graph(fixture::NETWORK);
        let (ann, dan) = (g.index_of("ann").unwrap(), g.index_of("dan").unwrap());
        let found = routes(&g, ann, dan, &query(3));
        assert_eq!(found.refuted.len(), 1);
        assert!(found.paths.iter().all(|p| p.steps.iter().all(|s| !s.certainty.is_refuted())));
        assert!(!found.paths.is_empty());
        let mut short = query(3);
        short.max_len = 2;
        assert!(routes(&g, ann, dan, &short).paths.is_empty(), "every route is longer than two links");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(100))]
        /// The first route is the cheapest of all simple paths within the limit (checked by
        /// enumerating them), and every route is real, simple and within the limit.
        #[test]
        fn the_first_route_is_the_cheapest_simple_path(
            n in 2usize..12,
            edges in proptest::collection::vec((0usize..12, 0usize..12, 0usize..3), 0..30),
            a in 0usize..12,
            b in 0usize..12,
            max_len in 1usize..=5,
        ) {
            let (a, b) = (a % n, b % n);
            proptest::prop_assume!(a != b);
            let rels = ["AssociateOf", "TraveledTo", "CitizenOf"];
            let mut extra = String::from(r#"Place(id: "x", name: "X", subkind: Country, sources: ["s"])"#);
            for i in 0..n { extra.push_str(&format!(r#", Place(id: "c{i}", name: "C {i}", subkind: City, sources: ["s"])"#)); }
            let mut links: Vec<(String, &str, String)> = Vec::new();
            for (x, y, r) in edges {
                let (x, y) = (x % n, y % n);
                if x == y { continue; }
                // People know each other; travel and citizenship go through places.
                match r {
                    0 => links.push((format!("p{x}"), rels[0], format!("p{y}"))),
                    1 => { links.push((format!("p{x}"), rels[1], format!("c{y}"))); links.push((format!("p{y}"), rels[1], format!("c{y}"))); }
                    _ => { links.push((format!("p{x}"), rels[2], "x".to_owned())); }
                }
            }
            let refs: Vec<(&str, &str, &str)> = links.iter().map(|(a, r, b)| (a.as_str(), *r, b.as_str())).collect();
            let g = people(n, &extra, &refs);
            let (a, b) = (g.index_of(&format!("p{a}")).unwrap(), g.index_of(&format!("p{b}")).unwrap());
            let q = PathQuery { max_len, ..query(3) };
            let found = routes(&g, a, b, &q);
            let all = super::super::paths::paths(&g, a, b, &PathQuery { all: true, limit: 100_000, ..q.clone() });
            match all.paths.iter().map(|p| p.cost).min() {
                None => proptest::prop_assert!(found.paths.is_empty()),
                Some(best) => {
                    proptest::prop_assert!(!found.paths.is_empty());
                    proptest::prop_assert_eq!(found.paths[0].cost, best);
                    for w in found.paths.windows(2) { proptest::prop_assert!(w[0].cost <= w[1].cost); }
                    for p in &found.paths {
                        proptest::prop_assert!(p.steps.len() <= max_len);
                        let mut seen = vec![p.steps[0].from.id.clone()];
                        for s in &p.steps { proptest::prop_assert!(!seen.contains(&s.to.id)); seen.push(s.to.id.clone()); }
                    }
                }
            }
        }
    }
}

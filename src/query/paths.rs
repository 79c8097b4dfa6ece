//! `path`: how two entities are connected: the shortest paths, or every simple path up to a
//! length. Links are followed in either direction (each step says which); `Refuted` links
//! never are. With a time order, only paths whose dated steps run forward in time count.

use std::collections::VecDeque;

use serde::Serialize;

use super::score::{ScoreParts, route_cost};
use super::time::{MaxGap, first_break, step_date};
use super::{LinkFilter, Step};
use crate::graph::{Incident, KnowledgeGraph};
use crate::hash::FastMap;
use crate::model::Kind;

#[derive(Debug, Serialize)]
pub struct Paths {
    /// Shortest first; among equals, in the order they were found (dataset order).
    pub paths: Vec<Path>,
    /// True when more paths exist than `limit` allowed, or the time budget ran out.
    pub truncated: bool,
    /// What cut the answer: `limit` or `time`, when something did.
    pub cut_by: Option<&'static str>,
    /// Routes found but left out as far weaker than the best ([`super::routes::keep_within`]).
    pub weaker: usize,
    /// Direct links between the two that the sources deny (`Refuted`): never followed, but
    /// part of the answer.
    pub refuted: Vec<Step>,
}

#[derive(Debug, Serialize)]
pub struct Path {
    pub steps: Vec<Step>,
    /// The route's cost ([`super::score`]): lower is a more informative connection.
    pub score: f64,
    /// What the cost is made of.
    pub score_parts: ScoreParts,
    /// The cost in thousandths, for exact comparisons; not part of the JSON interface.
    #[serde(skip)]
    pub cost: u64,
}

impl Path {
    /// The path that leaves entity `from` by each of `trail`'s adjacency entries in turn
    /// (each paired with the entity it leaves), scored.
    pub fn of(graph: &KnowledgeGraph, trail: &[(usize, Incident)]) -> Path {
        let (cost, score_parts) = route_cost(graph, trail);
        Path {
            steps: trail.iter().map(|(from, inc)| Step::at(graph, *from, inc)).collect(),
            score: cost as f64 / super::score::UNIT as f64,
            score_parts,
            cost,
        }
    }
}

/// What to look for.
#[derive(Clone, Debug)]
pub struct PathQuery {
    pub filter: LinkFilter,
    /// Longest path, in links.
    pub max_len: usize,
    /// Every simple path up to `max_len`, not only the shortest.
    pub all: bool,
    /// Most paths returned.
    pub limit: usize,
    /// Pass only through entities of these kinds (all when empty); the ends may be any kind.
    pub via: Vec<Kind>,
    /// Only paths whose dated steps never go back in time ([`super::time`]).
    pub time: Option<TimeOrder>,
    /// Stop searching after this long and say the answer was cut (hubs with thousands of
    /// links make `--all` explode).
    pub budget: Option<std::time::Duration>,
}

impl Default for PathQuery {
    /// What `path A B` asks with no options: the three best routes of up to 6 links through
    /// every kind, any time order, no time limit.
    fn default() -> Self {
        PathQuery {
            filter: LinkFilter::default(),
            max_len: 6,
            all: false,
            limit: 3,
            via: Vec::new(),
            time: None,
            budget: None,
        }
    }
}

/// The time-flow condition of `path --time-ordered`.
#[derive(Clone, Debug, Default)]
pub struct TimeOrder {
    /// The most time allowed between consecutive dated steps.
    pub max_gap: Option<MaxGap>,
}

/// Paths from entity `a` to entity `b`.
pub fn paths(graph: &KnowledgeGraph, a: usize, b: usize, q: &PathQuery) -> Paths {
    let refuted = graph
        .incident(a)
        .iter()
        .filter(|inc| inc.other() == b && inc.certainty.is_refuted())
        .map(|inc| Step::at(graph, a, inc))
        .collect();
    // Shortest paths only: a search from both ends, which meets in the middle after
    // exploring far less of a large graph than a search from one end.
    let (to_b, shortest) = if !q.all && q.time.is_none() {
        match bidirectional(graph, a, b, q) {
            Some(found) => found,
            None => return Paths { paths: Vec::new(), truncated: false, cut_by: None, weaker: 0, refuted },
        }
    } else {
        let to_b = distances(graph, b, a, q);
        match to_b.get(&a) {
            Some(&shortest) => (to_b, shortest),
            None => return Paths { paths: Vec::new(), truncated: false, cut_by: None, weaker: 0, refuted },
        }
    };
    // Time order can rule out every shortest path: then look one link further, up to max_len.
    let lengths = if q.all { q.max_len..=q.max_len } else { shortest as usize..=q.max_len };
    let mut search = Search {
        graph,
        q,
        to_b: &to_b,
        target: b,
        longest: 0,
        found: Vec::new(),
        truncated: false,
        trail: Vec::new(),
        dates: Vec::new(),
        on_path: vec![a],
        clock: super::Clock::new(q.budget),
    };
    for longest in lengths {
        search.longest = longest;
        search.walk(a);
        if !search.found.is_empty() || q.time.is_none() {
            break;
        }
    }
    let mut found: Vec<Path> = search.found.iter().map(|trail| Path::of(graph, trail)).collect();
    // Shortest first; among equals, the more informative first (then in the order found).
    found.sort_by_key(|p| (p.steps.len(), p.cost));
    let cut_by = if search.clock.out {
        Some("time")
    } else if search.truncated {
        Some("limit")
    } else {
        None
    };
    Paths { paths: found, truncated: search.truncated || search.clock.out, cut_by, weaker: 0, refuted }
}

/// True when a path may pass through entity `i` (or end at it).
pub(super) fn passable(graph: &KnowledgeGraph, i: usize, ends: [usize; 2], q: &PathQuery) -> bool {
    q.filter.admits_at(graph, i)
        && (ends.contains(&i) || q.via.is_empty() || q.via.contains(&graph.entity(i).kind()))
}

/// Links needed to reach `target` from each entity within `max_len` (breadth-first from the
/// target), for pruning the search from `source`. Only passable entities are entered.
fn distances(graph: &KnowledgeGraph, target: usize, source: usize, q: &PathQuery) -> FastMap<usize, u32> {
    let mut dist: FastMap<usize, u32> = [(target, 0u32)].into_iter().collect();
    let mut queue = VecDeque::from([target]);
    while let Some(at) = queue.pop_front() {
        let d = dist[&at];
        // The source is an end: no path passes through it.
        if d as usize >= q.max_len || at == source {
            continue;
        }
        for inc in graph.incident(at) {
            if !dist.contains_key(&inc.other())
                && q.filter.follows_at(inc)
                && passable(graph, inc.other(), [source, target], q)
            {
                dist.insert(inc.other(), d + 1);
                queue.push_back(inc.other());
            }
        }
    }
    dist
}

/// Breadth-first from both ends, a level at a time from the side whose frontier has fewer
/// links, until the two meet. Returns the shortest length `L` and the exact distance to `b` of every
/// entity of `b`'s ball and of every entity of `a`'s ball that lies on a shortest path.
/// Entities outside both balls cannot lie on a shortest path (if `L - i > kb` then `i < ka`),
/// so the depth-first enumeration never leaves the two balls.
fn bidirectional(
    graph: &KnowledgeGraph,
    a: usize,
    b: usize,
    q: &PathQuery,
) -> Option<(FastMap<usize, u32>, u32)> {
    let mut from_a: FastMap<usize, u32> = [(a, 0u32)].into_iter().collect();
    let mut from_b: FastMap<usize, u32> = [(b, 0u32)].into_iter().collect();
    let (mut frontier_a, mut frontier_b) = (vec![a], vec![b]);
    let (mut ka, mut kb) = (0u32, 0u32);
    let shortest = loop {
        if (ka + kb) as usize >= q.max_len || frontier_a.is_empty() || frontier_b.is_empty() {
            return None;
        }
        // The side whose next level costs less: the fewer links to look at, not the fewer
        // entities (a frontier holding a hub is expensive however short it is).
        let work = |frontier: &[usize]| frontier.iter().map(|&v| graph.degree(v)).sum::<usize>();
        let grow_a = work(&frontier_a) <= work(&frontier_b);
        let (dist, frontier, k, other, stop) = if grow_a {
            (&mut from_a, &mut frontier_a, &mut ka, &from_b, b)
        } else {
            (&mut from_b, &mut frontier_b, &mut kb, &from_a, a)
        };
        let mut next = Vec::new();
        // The balls did not meet before this level, so the other side's frontier is the only
        // part of it one link from this one: every meeting in this level has the same length,
        // and the first one found gives it.
        let mut met: Option<u32> = None;
        'level: for &v in frontier.iter() {
            // A path ends at the far end: it is never passed through.
            if v == stop {
                continue;
            }
            for inc in graph.incident(v) {
                if dist.contains_key(&inc.other())
                    || !q.filter.follows_at(inc)
                    || !passable(graph, inc.other(), [a, b], q)
                {
                    continue;
                }
                dist.insert(inc.other(), *k + 1);
                next.push(inc.other());
                if let Some(&d) = other.get(&inc.other()) {
                    met = Some(*k + 1 + d);
                    break 'level;
                }
            }
        }
        *k += 1;
        *frontier = next;
        if let Some(length) = met {
            break (length, !grow_a);
        }
    };
    let (shortest, b_cut_short) = shortest;
    // The side that met stopped partway through its last level: `b`'s ball is whole up to
    // `kb`, or up to `kb - 1` when it was `b`'s side.
    let b_whole = if b_cut_short { kb - 1 } else { kb };
    if shortest as usize > q.max_len {
        return None;
    }
    // Exact distances to `b` for the entities that lie on a shortest path: all of `b`'s ball
    // (exact already), and those of `a`'s at `d` links from `a` that are `shortest - d` from
    // `b`. Near `b` that is read off `b`'s ball; nearer `a`, an entity qualifies when it
    // links to one that does, one level further out (which is then one link further from
    // `a`, or there would be a shorter path). The depth-first enumeration then never enters
    // an entity that leads nowhere. (The last level explored may be partial: on `a`'s side,
    // its entities are within the whole of `b`'s ball, which decides for them; on `b`'s
    // side, `b`'s ball is whole one level less.)
    let mut to_b = from_b.clone();
    let mut levels: Vec<Vec<usize>> = vec![Vec::new(); ka as usize + 1];
    for (&v, &d) in &from_a {
        levels[d as usize].push(v);
    }
    // The entities known to be exactly `r` links from `b`, by `r`.
    let mut by_rest: Vec<Vec<usize>> = vec![Vec::new(); shortest as usize + 1];
    for (&v, &d) in &from_b {
        if d <= shortest {
            by_rest[d as usize].push(v);
        }
    }
    for (d, level) in levels.iter().enumerate().rev() {
        let d = d as u32;
        let Some(rest) = shortest.checked_sub(d) else { continue };
        if rest <= b_whole {
            // Inside the whole of `b`'s ball: its exact distances decide (already in `to_b`,
            // or too far).
            continue;
        }
        let candidates: Vec<usize> = level.iter().copied().filter(|v| !to_b.contains_key(v)).collect();
        let targets = &by_rest[rest as usize - 1];
        // From whichever side has fewer links to look at: a hub among the candidates is
        // read only when it is the cheaper side.
        let cost = |set: &[usize]| set.iter().map(|&v| graph.degree(v)).sum::<usize>();
        let marked: Vec<usize> = if cost(&candidates) <= cost(targets) {
            candidates
                .into_iter()
                .filter(|&v| {
                    graph
                        .incident(v)
                        .iter()
                        .any(|inc| q.filter.follows_at(inc) && to_b.get(&inc.other()) == Some(&(rest - 1)))
                })
                .collect()
        } else {
            let mut marked = Vec::new();
            for &w in targets {
                for inc in graph.incident(w) {
                    let u = inc.other();
                    if q.filter.follows_at(inc) && from_a.get(&u) == Some(&d) && !to_b.contains_key(&u) {
                        marked.push(u);
                    }
                }
            }
            marked.sort_unstable();
            marked.dedup();
            marked
        };
        for &v in &marked {
            to_b.insert(v, rest);
        }
        by_rest[rest as usize].extend(marked);
    }
    Some((to_b, shortest))
}

struct Search<'a> {
    graph: &'a KnowledgeGraph,
    q: &'a PathQuery,
    to_b: &'a FastMap<usize, u32>,
    target: usize,
    longest: usize,
    found: Vec<Vec<(usize, Incident)>>,
    truncated: bool,
    /// Each step of the path so far: the entity it leaves, and the adjacency entry taken.
    trail: Vec<(usize, Incident)>,
    /// The date of each step of the trail, kept only under a time order.
    dates: Vec<Option<crate::model::PartialDate>>,
    on_path: Vec<usize>,
    clock: super::Clock,
}

impl Search<'_> {
    /// Depth-first over simple paths, pruned by the distance still needed to reach the target.
    fn walk(&mut self, at: usize) {
        if at == self.target {
            if self.found.len() == self.q.limit {
                self.truncated = true;
            } else {
                self.found.push(self.trail.clone());
            }
            return;
        }
        let left = self.longest - self.trail.len();
        self.clock.tick();
        let graph = self.graph;
        if left == 1 && graph.degree(self.target) < graph.degree(at) {
            // One link to go, from an entity with more links than the target (a hub): only a
            // link to the target can finish the path, and the target's side lists them in the
            // same (link) order.
            let target = self.target;
            let last: Vec<Incident> = graph
                .incident(target)
                .iter()
                .filter(|i| i.other() == at)
                .map(|i| i.reversed(target))
                .collect();
            for inc in &last {
                if !self.step(at, inc, left) {
                    return;
                }
            }
            return;
        }
        for inc in graph.incident(at) {
            if !self.step(at, inc, left) {
                return;
            }
        }
    }

    /// Follows `inc` from `at` when it can lead to the target in `left` links or fewer;
    /// false when the search is over (the limit or the time budget reached).
    fn step(&mut self, at: usize, inc: &Incident, left: usize) -> bool {
        if self.truncated || self.clock.out {
            return false;
        }
        let Some(&need) = self.to_b.get(&inc.other()) else {
            return true;
        };
        if need as usize + 1 > left || self.on_path.contains(&inc.other()) || !self.q.filter.follows_at(inc) {
            return true;
        }
        if let Some(order) = &self.q.time {
            self.dates.push(step_date(self.graph, inc.link(), at).map(|(d, _)| d));
            let dates: Vec<_> = self.dates.iter().map(Option::as_ref).collect();
            if first_break(&dates, order.max_gap.as_ref()).is_some() {
                self.dates.pop();
                return true;
            }
        }
        self.trail.push((at, *inc));
        self.on_path.push(inc.other());
        self.walk(inc.other());
        self.on_path.pop();
        self.trail.pop();
        if self.q.time.is_some() {
            self.dates.pop();
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Direction;
    use crate::model::{Certainty, Relation};
    use crate::query::fixture;

    fn query(all: bool, max_len: usize) -> PathQuery {
        PathQuery { max_len, all, limit: 50, ..PathQuery::default() }
    }

    fn ids(p: &Path) -> Vec<String> {
        let mut v = vec![p.steps[0].from.id.clone()];
        v.extend(p.steps.iter().map(|s| s.to.id.clone()));
        v
    }

    #[test]
    fn shortest_paths_follow_links_both_ways_and_say_so() {
        let g = fixture::graph(fixture::NETWORK);
        let (ann, cat) = (g.index_of("ann").unwrap(), g.index_of("cat").unwrap());
        let found = paths(&g, ann, cat, &query(false, 6));
        assert_eq!(found.paths.len(), 1);
        let p = &found.paths[0];
        assert_eq!(ids(p), ["ann", "alpha-cell", "bob", "cat"]);
        let dirs: Vec<Direction> = p.steps.iter().map(|s| s.direction).collect();
        // ann→cell is written that way; cell←bob and bob←cat (SiblingOf, stored cat→bob) are walked backwards.
        assert_eq!(dirs, [Direction::Out, Direction::In, Direction::In]);
        assert_eq!(p.steps[2].rel, Relation::SiblingOf);
    }

    #[test]
    fn refuted_links_are_never_followed() {
        let g = fixture::graph(fixture::NETWORK);
        let (ann, dan) = (g.index_of("ann").unwrap(), g.index_of("dan").unwrap());
        let found = paths(&g, ann, dan, &query(true, 8));
        assert!(!found.paths.is_empty());
        for p in &found.paths {
            assert!(p.steps.iter().all(|s| s.certainty != Certainty::Refuted));
            assert!(p.steps.len() > 1, "the refuted direct link was followed");
        }
    }

    #[test]
    fn max_len_bounds_the_search() {
        let g = fixture::graph(fixture::NETWORK);
        let (ann, town) = (g.index_of("ann").unwrap(), g.index_of("testville").unwrap());
        // ann → cell → bob → cat → attack → testville is 5 links; cell → plot → attack → testville is 4.
        assert_eq!(paths(&g, ann, town, &query(false, 6)).paths[0].steps.len(), 4);
        assert!(paths(&g, ann, town, &query(false, 3)).paths.is_empty());
        let all = paths(&g, ann, town, &query(true, 5));
        let lens: Vec<usize> = all.paths.iter().map(|p| p.steps.len()).collect();
        assert_eq!(lens, [4, 5], "shortest first");
        assert!(paths(&g, ann, town, &query(true, 4)).paths.iter().all(|p| p.steps.len() <= 4));
    }

    #[test]
    fn relation_and_certainty_filters() {
        let g = fixture::graph(fixture::NETWORK);
        let (ann, attack) = (g.index_of("ann").unwrap(), g.index_of("zed-attack").unwrap());
        let mut q = query(true, 6);
        q.filter.min_certainty = Some(Certainty::Reported);
        let strong = paths(&g, ann, attack, &q);
        assert_eq!(strong.paths.len(), 1, "the alleged plot route is filtered out");
        assert_eq!(ids(&strong.paths[0]), ["ann", "alpha-cell", "bob", "cat", "zed-attack"]);
        q.filter = LinkFilter { relations: vec![Relation::MemberOf], ..LinkFilter::default() };
        assert!(paths(&g, ann, attack, &q).paths.is_empty());
    }

    #[test]
    fn via_kinds_and_refuted_direct_links() {
        let g = fixture::graph(fixture::NETWORK);
        let (ann, dan) = (g.index_of("ann").unwrap(), g.index_of("dan").unwrap());
        let found = paths(&g, ann, dan, &query(true, 8));
        assert_eq!(found.refuted.len(), 1, "the denied direct link is reported");
        assert_eq!(found.refuted[0].certainty, Certainty::Refuted);
        let mut q = query(true, 8);
        q.via = vec![Kind::Person, Kind::Group];
        assert!(paths(&g, ann, dan, &q).paths.is_empty(), "every route to dan passes through the attack");
        q.via.push(Kind::Event);
        assert!(!paths(&g, ann, dan, &q).paths.is_empty());
    }

    #[test]
    fn limit_truncates_and_says_so() {
        let g = fixture::graph(fixture::NETWORK);
        let (ann, town) = (g.index_of("ann").unwrap(), g.index_of("testville").unwrap());
        let mut q = query(true, 6);
        q.limit = 1;
        let found = paths(&g, ann, town, &q);
        assert_eq!(found.paths.len(), 1);
        assert!(found.truncated);
    }

    #[test]
    fn time_order_drops_paths_that_go_back_and_looks_further() {
        let g = fixture::graph(
            r#"(
            entities: [
                Person(id: "a", name: "A", sources: ["s"]), Person(id: "b", name: "B", sources: ["s"]),
                Person(id: "c", name: "C", sources: ["s"]), Person(id: "d", name: "D", sources: ["s"]),
                Person(id: "e", name: "E", sources: ["s"]),
            ],
            links: [
                (from: "a", rel: AssociateOf, to: "b", certainty: Reported, date: "2020", sources: ["s"]),
                (from: "b", rel: AssociateOf, to: "c", certainty: Reported, date: "2015", sources: ["s"]),
                (from: "a", rel: AssociateOf, to: "d", certainty: Reported, date: "2010", sources: ["s"]),
                (from: "d", rel: AssociateOf, to: "e", certainty: Reported, date: "2012", sources: ["s"]),
                (from: "e", rel: AssociateOf, to: "c", certainty: Reported, date: "2016", sources: ["s"]),
            ],
        )"#,
        );
        let (a, c) = (g.index_of("a").unwrap(), g.index_of("c").unwrap());
        let mut q = query(false, 6);
        assert_eq!(ids(&paths(&g, a, c, &q).paths[0]), ["a", "b", "c"]);
        q.time = Some(TimeOrder::default());
        let timed = paths(&g, a, c, &q);
        assert_eq!(timed.paths.len(), 1);
        assert_eq!(ids(&timed.paths[0]), ["a", "d", "e", "c"], "2020 then 2015 goes back in time");
        q.time = Some(TimeOrder { max_gap: "2y".parse().ok() });
        assert!(
            paths(&g, a, c, &q).paths.is_empty(),
            "from the end of 2012 to the start of 2016 is more than two years"
        );
        q.time = Some(TimeOrder { max_gap: "5y".parse().ok() });
        assert_eq!(paths(&g, a, c, &q).paths.len(), 1);
        q.all = true;
        let all = paths(&g, a, c, &q);
        assert!(all.paths.iter().all(|p| p.steps.len() == 3), "--all keeps only time-ordered paths");
    }

    #[test]
    fn undated_links_to_events_take_the_event_date() {
        let g = fixture::graph(fixture::CHAINS);
        let (kim, beta) = (g.index_of("kim").unwrap(), g.index_of("beta-group").unwrap());
        let mut q = query(false, 6);
        assert!(!paths(&g, kim, beta, &q).paths.is_empty());
        q.time = Some(TimeOrder::default());
        assert!(paths(&g, kim, beta, &q).paths.is_empty(), "Kim joined the cell after it joined the group");
        let (arrest, xland) = (g.index_of("eve-arrest").unwrap(), g.index_of("xland").unwrap());
        let found = paths(&g, arrest, xland, &q);
        assert_eq!(
            ids(&found.paths[0]),
            ["eve-arrest", "eve", "xland"],
            "the arrest (2014) precedes travel (2018)"
        );
    }

    /// A random network of people: `edges` are (a, b, refuted).
    fn random_graph(n: usize, edges: &[(usize, usize, bool)]) -> KnowledgeGraph {
        let people: Vec<String> =
            (0..n).map(|i| format!("Person(id: \"p{i}\", name: \"P {i}\", sources: [\"s\"])")).collect();
        let links: Vec<String> = edges
            .iter()
            .filter(|(a, b, _)| a != b)
            .map(|&(a, b, refuted)| {
                let c = if refuted { "Refuted" } else { "Reported" };
                format!("(from: \"p{a}\", rel: AssociateOf, to: \"p{b}\", certainty: {c}, sources: [\"s\"])")
            })
            .collect();
        fixture::graph(&format!("(entities: [{}], links: [{}])", people.join(", "), links.join(", ")))
    }

    /// True when the step is the link it names, walked the way it says.
    fn is_real(g: &KnowledgeGraph, s: &crate::query::Step) -> bool {
        let l = g.link(s.link);
        let ends = match s.direction {
            Direction::Out => (l.from.as_str(), l.to.as_str()),
            Direction::In => (l.to.as_str(), l.from.as_str()),
        };
        l.rel == s.rel && l.certainty == s.certainty && ends == (s.from.id.as_str(), s.to.id.as_str())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        /// The two-sided search finds paths exactly as long as a one-sided breadth-first search
        /// says the shortest is, made of real, followable links from a to b.
        #[test]
        fn shortest_paths_match_a_breadth_first_search(
            n in 2usize..24,
            edges in proptest::collection::vec((0usize..24, 0usize..24, proptest::bool::weighted(0.15)), 0..60),
            a in 0usize..24,
            b in 0usize..24,
        ) {
            let edges: Vec<_> = edges.into_iter().map(|(x, y, r)| (x % n, y % n, r)).collect();
            let (a, b) = (a % n, b % n);
            proptest::prop_assume!(a != b);
            let g = random_graph(n, &edges);
            let q = query(false, 8);
            let one_sided = distances(&g, b, a, &q).get(&a).copied();
            let found = paths(&g, a, b, &q);
            match one_sided {
                None => proptest::prop_assert!(found.paths.is_empty()),
                Some(d) => {
                    proptest::prop_assert!(!found.paths.is_empty());
                    for p in &found.paths {
                        proptest::prop_assert_eq!(p.steps.len(), d as usize);
                        proptest::prop_assert_eq!(g.index_of(&p.steps[0].from.id), Some(a));
                        proptest::prop_assert_eq!(g.index_of(&p.steps[p.steps.len() - 1].to.id), Some(b));
                        for w in p.steps.windows(2) {
                            proptest::prop_assert_eq!(&w[0].to.id, &w[1].from.id);
                        }
                        for s in &p.steps {
                            proptest::prop_assert!(s.certainty != Certainty::Refuted);
                            proptest::prop_assert!(is_real(&g, s), "{s:?}");
                        }
                    }
                    // Every shortest path is found (up to the limit): compare with --all.
                    let all = paths(&g, a, b, &PathQuery { all: true, max_len: d as usize, limit: 10_000, ..q.clone() });
                    for p in &all.paths {
                        proptest::prop_assert_eq!(g.index_of(&p.steps[0].from.id), Some(a));
                        for w in p.steps.windows(2) {
                            proptest::prop_assert_eq!(&w[0].to.id, &w[1].from.id);
                        }
                        for s in &p.steps {
                            proptest::prop_assert!(is_real(&g, s) && s.certainty != Certainty::Refuted, "{s:?}");
                        }
                    }
                    let shortest_all = all.paths.iter().filter(|p| p.steps.len() == d as usize).count();
                    proptest::prop_assert_eq!(found.paths.len().min(50), shortest_all.min(50));
                }
            }
        }
    }

    #[test]
    fn a_time_budget_stops_an_exploding_search_and_says_so() {
        // Everyone knows everyone: the simple paths between two of 16 people are countless.
        let edges: Vec<(usize, usize, bool)> =
            (0..16).flat_map(|a| (a + 1..16).map(move |b| (a, b, false))).collect();
        let g = random_graph(16, &edges);
        let q = PathQuery {
            all: true,
            max_len: 10,
            limit: usize::MAX,
            budget: Some(std::time::Duration::ZERO),
            ..query(true, 10)
        };
        let found = paths(&g, 0, 15, &q);
        assert!(found.truncated);
        assert_eq!(found.cut_by, Some("time"));
        let q = PathQuery { limit: 3, budget: None, ..q };
        assert_eq!(paths(&g, 0, 15, &q).cut_by, Some("limit"));
    }
}

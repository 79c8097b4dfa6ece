//! Questions asked of the graph, one file each. Every answer is a plain result type that the
//! command line prints as text or serializes as JSON, so both outputs say the same thing.

pub mod chains;
pub mod clusters;
pub mod common;
pub mod connect;
pub mod neighbours;
pub mod network;
pub mod paths;
pub mod rank;
pub mod routes;
pub mod score;
pub mod search;
pub mod show;
pub mod time;
pub mod timeline;
pub mod verdicts;

use serde::Serialize;

use crate::graph::{Direction, Incident, KnowledgeGraph};
use crate::model::{Certainty, Entity, Kind, Link, Origin, PartialDate, Relation};

/// An entity as it appears inside an answer: enough to name it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct EntityRef {
    pub id: String,
    pub name: String,
    pub kind: Kind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subkind: Option<&'static str>,
}

impl EntityRef {
    pub fn of(e: &Entity) -> Self {
        EntityRef { id: e.id.to_string(), name: e.name.clone(), kind: e.kind(), subkind: e.subkind() }
    }
}

/// A link followed from one entity to another, with its evidence.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Step {
    pub from: EntityRef,
    pub rel: Relation,
    pub to: EntityRef,
    /// `out` when the link is written `from rel to`, `in` when it was followed backwards.
    pub direction: Direction,
    pub certainty: Certainty,
    /// Best source reliability and certainty, e.g. `B/Reported`.
    pub grade: String,
    pub date: Option<PartialDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<PartialDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<PartialDate>,
    pub sources: Vec<String>,
    pub origin: Origin,
    /// Index of the link in the dataset; not part of the JSON interface.
    #[serde(skip)]
    pub link: usize,
}

impl Step {
    /// Link `link` walked from entity `from` (one of its ends).
    pub fn new(graph: &KnowledgeGraph, link: usize, from: usize) -> Self {
        let l = graph.link(link);
        let forward = graph.index_of(l.from.as_str()) == Some(from);
        let (a, b) = if forward { (&l.from, &l.to) } else { (&l.to, &l.from) };
        let index = |id: &crate::model::Id| graph.index_of(id.as_str()).unwrap_or(from);
        Step::walked(graph, link, (index(a), index(b)), if forward { Direction::Out } else { Direction::In })
    }

    /// The adjacency entry `at` of entity `from`, walked: no lookups, as its ends are known.
    pub fn at(graph: &KnowledgeGraph, from: usize, at: &Incident) -> Self {
        Step::walked(graph, at.link(), (from, at.other()), at.direction)
    }

    fn walked(graph: &KnowledgeGraph, link: usize, (from, to): (usize, usize), direction: Direction) -> Self {
        let l = graph.link(link);
        Step {
            from: EntityRef::of(graph.entity(from)),
            rel: l.rel,
            to: EntityRef::of(graph.entity(to)),
            direction,
            certainty: l.certainty,
            grade: grade(graph, l),
            date: l.date,
            since: l.since,
            until: l.until,
            sources: l.sources.iter().map(ToString::to_string).collect(),
            origin: l.origin,
            link,
        }
    }
}

/// `B/Reported`: the best reliability among the link's sources, and its certainty.
pub fn grade(graph: &KnowledgeGraph, link: &Link) -> String {
    format!("{}/{}", graph.best_reliability(link), link.certainty)
}

/// A time budget for a search that can explode: checked every few thousand steps, since
/// reading the clock at each would cost more than the step.
#[derive(Debug)]
pub(crate) struct Clock {
    deadline: Option<std::time::Instant>,
    steps: u32,
    /// The budget ran out.
    pub out: bool,
}

impl Clock {
    pub fn new(budget: Option<std::time::Duration>) -> Clock {
        Clock { deadline: budget.map(|b| std::time::Instant::now() + b), steps: 0, out: false }
    }

    /// Counts a step; true once the budget has run out.
    pub fn tick(&mut self) -> bool {
        self.steps = self.steps.wrapping_add(1);
        if self.steps.is_multiple_of(4096) && self.deadline.is_some_and(|d| std::time::Instant::now() >= d) {
            self.out = true;
        }
        self.out
    }
}

/// Which links a traversal may follow. `Refuted` links are never followed.
#[derive(Clone, Debug, Default)]
pub struct LinkFilter {
    /// Only these relations (all when empty).
    pub relations: Vec<Relation>,
    /// Never these relations.
    pub excluded: Vec<Relation>,
    pub min_certainty: Option<Certainty>,
    /// Leave out facts proposed by the extractor and not yet reviewed.
    pub curated_only: bool,
}

impl LinkFilter {
    /// True when a traversal may follow `link` as a connection.
    pub fn follows(&self, link: &Link) -> bool {
        self.follows_as(link.rel, link.certainty, link.origin)
    }

    /// True when `link` passes the filter for display (a `Refuted` link may be shown, marked,
    /// but is never followed).
    pub fn shows(&self, link: &Link) -> bool {
        self.shows_as(link.rel, link.certainty, link.origin)
    }

    /// [`Self::follows`] for the link of an adjacency entry, without reading the link.
    pub fn follows_at(&self, at: &Incident) -> bool {
        self.follows_as(at.rel, at.certainty, at.origin)
    }

    /// [`Self::shows`] for the link of an adjacency entry, without reading the link.
    pub fn shows_at(&self, at: &Incident) -> bool {
        self.shows_as(at.rel, at.certainty, at.origin)
    }

    fn follows_as(&self, rel: Relation, certainty: Certainty, origin: Origin) -> bool {
        !certainty.is_refuted() && self.shows_as(rel, certainty, origin)
    }

    fn shows_as(&self, rel: Relation, certainty: Certainty, origin: Origin) -> bool {
        (self.relations.is_empty() || self.relations.contains(&rel))
            && !self.excluded.contains(&rel)
            && self.min_certainty.is_none_or(|m| certainty >= m)
            && (!self.curated_only || origin == Origin::Curated)
    }

    /// True when the entity may appear in answers under this filter.
    pub fn admits(&self, entity: &Entity) -> bool {
        !self.curated_only || entity.origin == Origin::Curated
    }

    /// [`Self::admits`] for entity `i`, read only when the filter asks about entities: a
    /// hub's card or a wide search then never touches the records of the entities it passes.
    pub fn admits_at(&self, graph: &KnowledgeGraph, i: usize) -> bool {
        !self.curated_only || graph.entity(i).origin == Origin::Curated
    }
}

/// A small fictional graph for unit tests: every name here is invented.
#[cfg(test)]
pub(crate) mod fixture {
    use crate::graph::KnowledgeGraph;

    pub const SOURCES: &str = r#"[(id: "s", title: "Test source", reliability: B), (id: "w", title: "Weak source", reliability: D)]"#;

    /// Builds a graph from a facts file, asserting that it is valid.
    pub fn graph(facts: &str) -> KnowledgeGraph {
        let mut loaded = crate::load::load_memory(&[("sources.ron", SOURCES), ("curated/t.ron", facts)]);
        let mut problems = loaded.problems.clone();
        problems.extend(crate::validate::validate(&loaded));
        let errors: Vec<_> = problems.iter().filter(|p| p.is_error()).map(|p| &p.message).collect();
        assert!(errors.is_empty(), "fixture is invalid: {errors:?}");
        KnowledgeGraph::build(std::mem::take(&mut loaded.dataset))
    }

    /// Ann and Bob belong to the Alpha Cell; Bob's sibling Cat carried out the Zed attack in
    /// Testville; Ann's supposed tie to Dan is refuted; Dan is suspected of the attack.
    pub const NETWORK: &str = r#"(
        entities: [
            Person(id: "ann", name: "Ann Example", aliases: ["The Teacher"], sources: ["s"]),
            Person(id: "bob", name: "Bob Example", sources: ["s"]),
            Person(id: "cat", name: "Cat Example", sources: ["s"]),
            Person(id: "dan", name: "Dan Sample", aliases: ["The Teacher"], sources: ["s"]),
            Group(id: "alpha-cell", name: "Alpha Cell", subkind: Cell, sources: ["s"]),
            Event(id: "zed-attack", name: "Zed attack", subkind: Attack, date: "2020-05-01", killed: 3, sources: ["s"]),
            Event(id: "zed-plot", name: "Zed plot", subkind: Plot, date: "2019-Q4", sources: ["s"]),
            Place(id: "testville", name: "Testville", subkind: City, sources: ["s"]),
            Place(id: "testland", name: "Testland", subkind: Country, sources: ["s"]),
        ],
        links: [
            (from: "ann", rel: MemberOf, to: "alpha-cell", certainty: Reported, since: "2018", sources: ["s"]),
            (from: "bob", rel: MemberOf, to: "alpha-cell", certainty: Confirmed, sources: ["s"]),
            (from: "cat", rel: SiblingOf, to: "bob", certainty: Reported, sources: ["s"]),
            (from: "cat", rel: Perpetrated, to: "zed-attack", certainty: Confirmed, date: "2020-05-01", sources: ["s"]),
            (from: "ann", rel: AssociateOf, to: "dan", certainty: Refuted, sources: ["s"]),
            (from: "dan", rel: Perpetrated, to: "zed-attack", certainty: Suspected, sources: ["w"]),
            (from: "zed-attack", rel: OccurredIn, to: "testville", certainty: Confirmed, sources: ["s"]),
            (from: "testville", rel: LocatedIn, to: "testland", certainty: Confirmed, sources: ["s"]),
            (from: "alpha-cell", rel: Plotted, to: "zed-plot", certainty: Alleged, sources: ["w"]),
            (from: "zed-plot", rel: Preceded, to: "zed-attack", certainty: Alleged, sources: ["w"]),
        ],
    )"#;

    /// Eve bombed the X attack for the Beta Group after training abroad and travelling to
    /// Xland; Fay joined the group only after the attack; Hal's membership is denied; Kim's
    /// cell joined the group before Kim joined the cell, so their chain runs backwards.
    pub const CHAINS: &str = r#"(
        entities: [
            Person(id: "eve", name: "Eve Example", sources: ["s"]),
            Person(id: "fay", name: "Fay Example", sources: ["s"]),
            Person(id: "hal", name: "Hal Example", sources: ["s"]),
            Person(id: "kim", name: "Kim Example", sources: ["s"]),
            Group(id: "beta-group", name: "Beta Group", subkind: Organisation, sources: ["s"]),
            Group(id: "gamma-cell", name: "Gamma Cell", subkind: Cell, sources: ["s"]),
            Event(id: "x-attack", name: "X attack", subkind: Attack, date: "2019-03-01", sources: ["s"]),
            Event(id: "eve-arrest", name: "Arrest of Eve", subkind: Arrest, date: "2014", sources: ["s"]),
            Place(id: "xland", name: "Xland", subkind: Country, sources: ["s"]),
            Place(id: "yland", name: "Yland", subkind: Country, sources: ["s"]),
            Place(id: "y-camp", name: "Y camp", subkind: Camp, sources: ["s"]),
        ],
        links: [
            (from: "eve", rel: MemberOf, to: "beta-group", certainty: Confirmed, since: "2015", sources: ["s"]),
            (from: "beta-group", rel: Claimed, to: "x-attack", certainty: Reported, date: "2019-03-02", sources: ["w"]),
            (from: "eve", rel: Perpetrated, to: "x-attack", certainty: Confirmed, sources: ["s"]),
            (from: "eve", rel: TraveledTo, to: "xland", certainty: Reported, date: "2018", sources: ["s"]),
            (from: "eve", rel: TrainedIn, to: "y-camp", certainty: Reported, date: "2017", sources: ["s"]),
            (from: "eve", rel: ArrestedIn, to: "eve-arrest", certainty: Confirmed, sources: ["s"]),
            (from: "x-attack", rel: OccurredIn, to: "xland", certainty: Confirmed, sources: ["s"]),
            (from: "y-camp", rel: LocatedIn, to: "yland", certainty: Confirmed, sources: ["s"]),
            (from: "fay", rel: MemberOf, to: "beta-group", certainty: Reported, since: "2021", sources: ["s"]),
            (from: "hal", rel: MemberOf, to: "beta-group", certainty: Refuted, sources: ["s"]),
            (from: "kim", rel: MemberOf, to: "gamma-cell", certainty: Reported, since: "2018", sources: ["s"]),
            (from: "gamma-cell", rel: PartOf, to: "beta-group", certainty: Reported, since: "2016", sources: ["s"]),
        ],
    )"#;
}

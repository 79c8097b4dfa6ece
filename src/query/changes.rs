//! What the sources added between two dates: the entities and links first known then, and
//! the links whose certainty or grade changed (a tie reported, then confirmed; a connection
//! later refuted), each with the sources published in between that brought the change.
//!
//! "Known at a date" follows [`crate::model::as_of`]: a source counts once its whole date is
//! on or before the cutoff, an undated source never counts, an entity is known when one of
//! its sources counts or a known link names it. The window runs from the first day of `since`
//! to the last day of `until` (or with no end): the state before it is the state as of the
//! day before `since` begins.
//!
//! A *connection* is every link record with the same `from`, relation and `to`: a later
//! source that confirms or refutes a tie is written as another record of the same connection.
//! Its state at a date is the set of grades (`B/Reported`) of its records known then, each
//! record graded by the sources it had then.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{EntityRef, LinkFilter};
use crate::graph::KnowledgeGraph;
use crate::hash::{FastMap, FastSet};
use crate::model::as_of::{Counted, Window};
use crate::model::{Certainty, Id, Link, Origin, PartialDate, Relation, Reliability};

/// What changed between two dates.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Changes {
    pub since: PartialDate,
    pub until: Option<PartialDate>,
    /// The sources published in the window, oldest first, with how many facts each brought.
    pub sources: Vec<WindowSource>,
    pub new_entities: Vec<NewEntity>,
    pub new_links: Vec<LinkChange>,
    /// Known before and after, with another set of grades.
    pub changed_links: Vec<LinkChange>,
    /// Known before and after with the same grades, cited by new sources.
    pub corroborated_links: Vec<LinkChange>,
    /// Sources with no date: they never count, so what they alone say is in neither state.
    pub undated_sources: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WindowSource {
    pub id: String,
    pub title: String,
    pub date: PartialDate,
    pub reliability: Reliability,
    /// New entities and new, changed or corroborated links that cite it.
    pub facts: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NewEntity {
    pub entity: EntityRef,
    /// The sources of the window that brought it: its own, else those of the new links that
    /// name it.
    pub sources: Vec<String>,
}

/// A connection (`from rel to`) and its grades before and after the window.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LinkChange {
    pub from: EntityRef,
    pub rel: Relation,
    pub to: EntityRef,
    /// The date of its first record, if any.
    pub date: Option<PartialDate>,
    /// The grades of its records known before the window (empty for a new link), strongest
    /// first, e.g. `["C/Reported"]`.
    pub before: Vec<String>,
    /// The grades known at the end of the window.
    pub after: Vec<String>,
    /// The sources of the window that brought the change.
    pub sources: Vec<String>,
}

/// One record's grade as of a cutoff: its best counted reliability and its certainty.
fn grade_at(graph: &KnowledgeGraph, link: &Link, counted: &Counted<'_>) -> Option<(Reliability, Certainty)> {
    let best = link
        .sources
        .iter()
        .filter(|s| counted.contains(s))
        .filter_map(|s| graph.source(s))
        .map(|s| s.reliability)
        .min()?;
    Some((best, link.certainty))
}

/// Grades strongest first: certainty, then reliability (A before B).
fn grades(set: &BTreeSet<(Certainty, std::cmp::Reverse<Reliability>)>) -> Vec<String> {
    set.iter().rev().map(|(c, r)| format!("{}/{c}", r.0)).collect()
}

/// What the sources added from the start of `since` to the end of `until` (or since `since`,
/// with no end). Links and entities the filter leaves out (`--curated-only`, and links below
/// `--min-certainty`) are left out of both states; `Refuted` records are kept, since a
/// refutation is a change.
pub fn changes(
    graph: &KnowledgeGraph,
    since: &PartialDate,
    until: Option<&PartialDate>,
    filter: &LinkFilter,
) -> Changes {
    let sources = graph.sources();
    let window_of = Window::new(sources, since, until);
    let (before, after) = (&window_of.before, &window_of.by_end);
    let in_window = |s: &Id| window_of.brought(s);
    let keep_link = |l: &Link| {
        (!filter.curated_only || l.origin == Origin::Curated)
            && filter.min_certainty.is_none_or(|m| l.certainty >= m || l.certainty.is_refuted())
            && (filter.relations.is_empty() || filter.relations.contains(&l.rel))
    };

    // Connections, in the order of their first record.
    let mut connections: FastMap<(&str, Relation, &str), usize> = FastMap::default();
    let mut records: Vec<Vec<usize>> = Vec::new();
    for (i, l) in graph.links().iter().enumerate() {
        if !keep_link(l) || graph.ends(i).is_none() {
            continue;
        }
        let at = *connections.entry((l.from.as_str(), l.rel, l.to.as_str())).or_insert_with(|| {
            records.push(Vec::new());
            records.len() - 1
        });
        records[at].push(i);
    }

    let mut brought: FastMap<&str, usize> = FastMap::default();
    let (mut new_links, mut changed_links, mut corroborated_links) = (Vec::new(), Vec::new(), Vec::new());
    // Entities named by a link known before, and by one known after, with its window sources.
    let mut named_before: FastSet<usize> = FastSet::default();
    let mut named_after: FastMap<usize, BTreeSet<&str>> = FastMap::default();
    for links in &records {
        let (mut then, mut now) = (BTreeSet::new(), BTreeSet::new());
        let mut window: BTreeSet<&str> = BTreeSet::new();
        for &i in links {
            let l = graph.link(i);
            let (from, to) = graph.ends(i).expect("kept links have both ends");
            if let Some((r, c)) = grade_at(graph, l, before) {
                then.insert((c, std::cmp::Reverse(r)));
                named_before.extend([from, to]);
            }
            if let Some((r, c)) = grade_at(graph, l, after) {
                now.insert((c, std::cmp::Reverse(r)));
                let new: Vec<&str> = l.sources.iter().filter(|s| in_window(s)).map(Id::as_str).collect();
                for end in [from, to] {
                    named_after.entry(end).or_default().extend(new.iter().copied());
                }
                window.extend(new);
            }
        }
        if now.is_empty() || (then == now && window.is_empty()) {
            continue;
        }
        let first = graph.link(links[0]);
        let (from, to) = graph.ends(links[0]).expect("kept links have both ends");
        let change = LinkChange {
            from: EntityRef::of(graph.entity(from)),
            rel: first.rel,
            to: EntityRef::of(graph.entity(to)),
            date: first.when().copied(),
            before: grades(&then),
            after: grades(&now),
            sources: ordered(graph, &window),
        };
        for s in &window {
            *brought.entry(s).or_default() += 1;
        }
        if then.is_empty() {
            new_links.push(change);
        } else if then != now {
            changed_links.push(change);
        } else {
            corroborated_links.push(change);
        }
    }

    let mut new_entities = Vec::new();
    for (i, e) in graph.entities().iter().enumerate() {
        if filter.curated_only && e.origin == Origin::Extracted {
            continue;
        }
        if before.any(&e.sources) || named_before.contains(&i) {
            continue;
        }
        let own: BTreeSet<&str> = e.sources.iter().filter(|s| in_window(s)).map(Id::as_str).collect();
        let window = if own.is_empty() && !after.any(&e.sources) {
            match named_after.get(&i) {
                Some(named) => named.clone(),
                None => continue,
            }
        } else {
            own
        };
        if window.is_empty() {
            continue;
        }
        for s in &window {
            *brought.entry(s).or_default() += 1;
        }
        new_entities.push(NewEntity { entity: EntityRef::of(e), sources: ordered(graph, &window) });
    }

    let by_link = |a: &LinkChange, b: &LinkChange| {
        (&a.from.name, &a.from.id, a.rel, &a.to.name, &a.to.id).cmp(&(
            &b.from.name,
            &b.from.id,
            b.rel,
            &b.to.name,
            &b.to.id,
        ))
    };
    new_links.sort_by(by_link);
    changed_links.sort_by(by_link);
    corroborated_links.sort_by(by_link);
    new_entities.sort_by(|a, b| {
        (a.entity.kind, &a.entity.name, &a.entity.id).cmp(&(b.entity.kind, &b.entity.name, &b.entity.id))
    });

    let mut window_sources: Vec<WindowSource> = sources
        .iter()
        .filter(|s| in_window(&s.id))
        .map(|s| WindowSource {
            id: s.id.to_string(),
            title: s.title.clone(),
            date: s.date.expect("a counted source is dated"),
            reliability: s.reliability,
            facts: brought.get(s.id.as_str()).copied().unwrap_or(0),
        })
        .collect();
    window_sources.sort_by(|a, b| a.date.chronological(&b.date).then_with(|| a.id.cmp(&b.id)));
    Changes {
        since: *since,
        until: until.copied(),
        sources: window_sources,
        new_entities,
        new_links,
        changed_links,
        corroborated_links,
        undated_sources: sources.iter().filter(|s| s.date.is_none()).map(|s| s.id.to_string()).collect(),
    }
}

/// Source ids in the order of the sources file.
fn ordered(graph: &KnowledgeGraph, ids: &BTreeSet<&str>) -> Vec<String> {
    graph.sources().iter().filter(|s| ids.contains(s.id.as_str())).map(|s| s.id.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCES: &str = r#"[
        (id: "early", title: "Early", date: "2016-03", reliability: C),
        (id: "mid", title: "Mid", date: "2018", reliability: B),
        (id: "late", title: "Late", date: "2020-06-01", reliability: A),
        (id: "undated", title: "Undated", reliability: B),
    ]"#;

    /// Ann's tie to Bob is reported in 2016 and confirmed in 2018; Bob's tie to Cat is
    /// reported in 2016 and refuted in 2018; Cat joins the cell in a 2018 source, which names
    /// the cell for the first time; Dan's tie to Ann is cited again in 2018 by a more reliable source;
    /// Eve is known only from an undated source.
    const FACTS: &str = r#"(
        entities: [
            Person(id: "ann", name: "Ann Example", sources: ["early"]),
            Person(id: "bob", name: "Bob Example", sources: ["early"]),
            Person(id: "cat", name: "Cat Example", sources: ["early"]),
            Person(id: "dan", name: "Dan Example", sources: ["early"]),
            Person(id: "eve", name: "Eve Example", sources: ["undated"]),
            Group(id: "cell", name: "The Cell", subkind: Cell, sources: ["late"]),
        ],
        links: [
            (from: "ann", rel: AssociateOf, to: "bob", certainty: Reported, sources: ["early"]),
            (from: "ann", rel: AssociateOf, to: "bob", certainty: Confirmed, sources: ["mid"]),
            (from: "bob", rel: AssociateOf, to: "cat", certainty: Reported, sources: ["early"]),
            (from: "bob", rel: AssociateOf, to: "cat", certainty: Refuted, sources: ["mid"]),
            (from: "cat", rel: MemberOf, to: "cell", certainty: Alleged, sources: ["mid"]),
            (from: "dan", rel: AssociateOf, to: "ann", certainty: Reported, sources: ["early", "mid"]),
            (from: "eve", rel: AssociateOf, to: "ann", certainty: Reported, sources: ["undated"]),
        ],
    )"#;

    fn graph() -> KnowledgeGraph {
        crate::query::fixture::graph_with(SOURCES, FACTS)
    }

    fn d(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    fn line(c: &LinkChange) -> String {
        format!("{} {} {}: {:?} -> {:?} by {:?}", c.from.id, c.rel, c.to.id, c.before, c.after, c.sources)
    }

    #[test]
    fn confirmations_refutations_and_new_facts_between_two_dates() {
        let g = graph();
        let c = changes(&g, &d("2017"), Some(&d("2018-12")), &LinkFilter::default());
        assert_eq!(
            c.changed_links.iter().map(line).collect::<Vec<_>>(),
            [
                r#"ann AssociateOf bob: ["C/Reported"] -> ["B/Confirmed", "C/Reported"] by ["mid"]"#,
                r#"bob AssociateOf cat: ["C/Reported"] -> ["C/Reported", "B/Refuted"] by ["mid"]"#,
                // A more reliable source: the grade goes from C to B.
                r#"dan AssociateOf ann: ["C/Reported"] -> ["B/Reported"] by ["mid"]"#,
            ]
        );
        assert_eq!(
            c.new_links.iter().map(line).collect::<Vec<_>>(),
            [r#"cat MemberOf cell: [] -> ["B/Alleged"] by ["mid"]"#]
        );
        assert!(c.corroborated_links.is_empty());
        // The cell's own source is of 2020, but the 2018 link names it.
        let new: Vec<_> = c.new_entities.iter().map(|e| (e.entity.id.as_str(), e.sources.clone())).collect();
        assert_eq!(new, [("cell", vec!["mid".to_owned()])]);
        assert_eq!(c.sources.iter().map(|s| (s.id.as_str(), s.facts)).collect::<Vec<_>>(), [("mid", 5)]);
        assert_eq!(c.undated_sources, ["undated"]);
    }

    #[test]
    fn the_window_follows_the_as_of_rule_at_both_ends() {
        let g = graph();
        // A source dated March 2016 is published in a window that holds the end of March...
        let c = changes(&g, &d("2016-03-31"), Some(&d("2017")), &LinkFilter::default());
        assert_eq!(c.sources.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["early"]);
        // ...and before a window that starts in April.
        let c = changes(&g, &d("2016-04"), Some(&d("2017")), &LinkFilter::default());
        assert!(c.sources.is_empty() && c.new_entities.is_empty() && c.new_links.is_empty());
        let c = changes(&g, &d("2016-03"), Some(&d("2016-03")), &LinkFilter::default());
        assert_eq!(c.new_entities.len(), 4, "ann, bob, cat, dan");
        assert_eq!(c.new_links.len(), 3);
        // With no end, the 2020 source counts; the cell's own source joins the link's.
        let c = changes(&g, &d("2019"), None, &LinkFilter::default());
        assert!(c.new_entities.is_empty() && c.new_links.is_empty() && c.changed_links.is_empty());
        assert_eq!(c.sources.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["late"]);
        // A later source on a known fact: corroborated at the same grade.
        let c = changes(&g, &d("2018"), None, &LinkFilter::default());
        let dan = c.changed_links.iter().find(|l| l.from.id == "dan").expect("dan's tie changed grade");
        assert_eq!(
            (dan.before.clone(), dan.after.clone()),
            (vec!["C/Reported".to_owned()], vec!["B/Reported".to_owned()])
        );
    }

    #[test]
    fn a_link_cited_again_at_the_same_grade_is_corroborated() {
        let sources = SOURCES.replace("reliability: A", "reliability: B");
        let facts = FACTS.replace(r#"sources: ["early", "mid"]"#, r#"sources: ["mid", "late"]"#);
        let g = crate::query::fixture::graph_with(&sources, &facts);
        let c = changes(&g, &d("2019"), None, &LinkFilter::default());
        assert_eq!(
            c.corroborated_links.iter().map(line).collect::<Vec<_>>(),
            [r#"dan AssociateOf ann: ["B/Reported"] -> ["B/Reported"] by ["late"]"#]
        );
        assert!(c.new_links.is_empty() && c.changed_links.is_empty() && c.new_entities.is_empty());
    }
}

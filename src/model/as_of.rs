//! Knowledge as of a date: the part of a dataset that the sources had published by then.
//!
//! **The rule.** A source *counts* as of a date when the whole interval of its own date ends
//! on or before the last day of that date: as of `2018-12`, a source dated `2018-12-05`,
//! `2018-Q4`, `2018` or `2018-12` counts, one dated `2019-01` does not; as of `2018-06`, a
//! source dated only `2018` does not (it may have appeared in July). An approximate date
//! (`~2024-06`) is read as its interval, like any other. An undated source never counts, since
//! nothing says when it appeared; [`Summary`] says how many facts that alone left out.
//!
//! Each fact keeps only its sources that count. A link with none left is left out; its grade
//! is worked out from the sources it keeps, so it is the grade it had then. An entity with
//! none left is left out too, unless a link that is kept names it: that source did name the
//! entity then, so the entity is kept, citing the sources of those links. An entity's name,
//! summary and fields are written as the data holds them today: only which facts exist and
//! on whose word is dated. Views and declared chains are kept whole (a seed or a step that
//! was not yet known simply finds nothing).

use serde::{Deserialize, Serialize};

use super::{Dataset, DeclaredChain, Entity, Id, Link, PartialDate, Source, View};
use crate::hash::{FastMap, FastSet};

/// A moment to read the sources at: a source counts when its date ends on or before `last_day`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cutoff {
    /// Days from 1970-01-01.
    last_day: i64,
}

impl Cutoff {
    /// Every dated source counts.
    pub const ALL_DATED: Cutoff = Cutoff { last_day: i64::MAX };

    /// What the sources had said by the end of `date` (its last day, for a partial date).
    pub fn as_of(date: &PartialDate) -> Cutoff {
        Cutoff { last_day: date.interval().1 }
    }

    /// What the sources had said before `date` began (up to the day before its first day).
    pub fn before(date: &PartialDate) -> Cutoff {
        Cutoff { last_day: date.interval().0 - 1 }
    }

    /// Days from 1970-01-01 to the last day that counts: what a snapshot is keyed by.
    pub fn last_day(&self) -> i64 {
        self.last_day
    }

    /// True when `source` had been published by then (its whole date on or before it).
    pub fn counts(&self, source: &Source) -> bool {
        source.date.is_some_and(|d| d.interval().1 <= self.last_day)
    }
}

/// The sources that count at a cutoff, for looking up a fact's citations.
#[derive(Debug)]
pub struct Counted<'a> {
    ids: FastSet<&'a str>,
}

impl<'a> Counted<'a> {
    pub fn new(sources: &'a [Source], cutoff: Cutoff) -> Self {
        Counted { ids: sources.iter().filter(|s| cutoff.counts(s)).map(|s| s.id.as_str()).collect() }
    }

    pub fn contains(&self, source: &Id) -> bool {
        self.ids.contains(source.as_str())
    }

    /// The citations of `cited` that count, in their order.
    pub fn keep(&self, cited: &[Id]) -> Vec<Id> {
        cited.iter().filter(|s| self.contains(s)).cloned().collect()
    }

    /// True when at least one of `cited` counts.
    pub fn any(&self, cited: &[Id]) -> bool {
        cited.iter().any(|s| self.contains(s))
    }
}

/// The sources published in a window of time: those that count at its end and did not count
/// before its start. `changes` lists what they brought, and `--new-since` marks it on a
/// diagram; both read "new" the same way through this type.
#[derive(Debug)]
pub struct Window<'a> {
    /// The sources that count the day before the window opens.
    pub before: Counted<'a>,
    /// The sources that count at the window's end (every dated one when it has none).
    pub by_end: Counted<'a>,
}

impl<'a> Window<'a> {
    pub fn new(sources: &'a [Source], since: &PartialDate, until: Option<&PartialDate>) -> Self {
        Window {
            before: Counted::new(sources, Cutoff::before(since)),
            by_end: Counted::new(sources, until.map_or(Cutoff::ALL_DATED, Cutoff::as_of)),
        }
    }

    /// True when `source` was published in the window.
    pub fn brought(&self, source: &Id) -> bool {
        self.by_end.contains(source) && !self.before.contains(source)
    }

    /// True when a fact citing `cited` is new in the window: a source of the window supports
    /// it and none known before does.
    pub fn is_new(&self, cited: &[Id]) -> bool {
        self.by_end.any(cited) && !self.before.any(cited)
    }
}

/// What a dataset is made of, borrowed: a loaded [`Dataset`] or a graph's records.
#[derive(Clone, Copy, Debug)]
pub struct Parts<'a> {
    pub sources: &'a [Source],
    pub entities: &'a [Entity],
    pub links: &'a [Link],
    pub views: &'a [View],
    pub chains: &'a [DeclaredChain],
}

impl<'a> Parts<'a> {
    pub fn of(dataset: &'a Dataset) -> Self {
        Parts {
            sources: &dataset.sources,
            entities: &dataset.entities,
            links: &dataset.links,
            views: &dataset.views,
            chains: &dataset.chains,
        }
    }
}

/// What filtering as of a date kept and left out; printed beside every answer given as of a
/// date, so that nothing is hidden silently.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub entities_kept: usize,
    pub entities: usize,
    pub links_kept: usize,
    pub links: usize,
    pub sources_counted: usize,
    pub sources: usize,
    /// Entities kept only because a kept link names them (see the module documentation).
    pub entities_named_by_links: usize,
    /// The sources with no date, which never count.
    pub undated_sources: Vec<String>,
    /// Facts (entities and links) left out that an undated source supports: had that source
    /// counted, they would have been kept.
    pub hidden_by_undated: usize,
}

impl Summary {
    /// One line for the user, e.g. `as of 2018-12: 310 of 1030 entities, ...`.
    pub fn line(&self, date: &PartialDate) -> String {
        let mut line = format!(
            "as of {date}: {} of {} entities, {} of {} links, from the {} of {} sources published by then",
            self.entities_kept,
            self.entities,
            self.links_kept,
            self.links,
            self.sources_counted,
            self.sources
        );
        if self.entities_named_by_links > 0 {
            line.push_str(&format!(
                "; {} entities kept only because a link of then names them",
                self.entities_named_by_links
            ));
        }
        if !self.undated_sources.is_empty() {
            line.push_str(&format!(
                "; undated sources never count ({}): {} facts left out that only they could support",
                self.undated_sources.join(", "),
                self.hidden_by_undated
            ));
        }
        line
    }
}

/// The dataset as of `cutoff`, with what was kept and left out. Clones only what it keeps.
pub fn filter(data: Parts<'_>, cutoff: Cutoff) -> (Dataset, Summary) {
    let counted = Counted::new(data.sources, cutoff);
    let undated: FastSet<&str> =
        data.sources.iter().filter(|s| s.date.is_none()).map(|s| s.id.as_str()).collect();
    let has_undated = |cited: &[Id]| cited.iter().any(|s| undated.contains(s.as_str()));
    let mut hidden_by_undated = 0;

    // Entities with no source of their own that counts: a kept link may still name them.
    let unsourced: FastSet<&str> =
        data.entities.iter().filter(|e| !counted.any(&e.sources)).map(|e| e.id.as_str()).collect();
    let mut named: FastMap<&str, FastSet<&str>> = FastMap::default();
    let mut links = Vec::new();
    for link in data.links {
        let sources = counted.keep(&link.sources);
        if sources.is_empty() {
            hidden_by_undated += usize::from(has_undated(&link.sources));
            continue;
        }
        for end in [&link.from, &link.to] {
            if unsourced.contains(end.as_str()) {
                let cited = link.sources.iter().filter(|s| counted.contains(s)).map(Id::as_str);
                named.entry(end.as_str()).or_default().extend(cited);
            }
        }
        links.push(Link { sources, ..link.clone() });
    }

    let mut entities = Vec::new();
    let mut entities_named_by_links = 0;
    for entity in data.entities {
        let mut sources = counted.keep(&entity.sources);
        if sources.is_empty() {
            let Some(cited) = named.get(entity.id.as_str()) else {
                hidden_by_undated += usize::from(has_undated(&entity.sources));
                continue;
            };
            // In the order of the sources file, each once.
            sources =
                data.sources.iter().map(|s| &s.id).filter(|s| cited.contains(s.as_str())).cloned().collect();
            entities_named_by_links += 1;
        }
        entities.push(Entity { sources, ..entity.clone() });
    }

    let sources: Vec<Source> = data.sources.iter().filter(|s| counted.contains(&s.id)).cloned().collect();
    let summary = Summary {
        entities_kept: entities.len(),
        entities: data.entities.len(),
        links_kept: links.len(),
        links: data.links.len(),
        sources_counted: sources.len(),
        sources: data.sources.len(),
        entities_named_by_links,
        undated_sources: data.sources.iter().filter(|s| s.date.is_none()).map(|s| s.id.to_string()).collect(),
        hidden_by_undated,
    };
    let dataset =
        Dataset { sources, entities, links, views: data.views.to_vec(), chains: data.chains.to_vec() };
    (dataset, summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Certainty, Reliability};

    fn date(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    /// Sources dated to a day, a month, a quarter, a year, approximately, and not at all.
    const SOURCES: &str = r#"[
        (id: "day", title: "Day", date: "2018-12-05", reliability: C),
        (id: "month", title: "Month", date: "2018-12", reliability: C),
        (id: "quarter", title: "Quarter", date: "2018-Q4", reliability: C),
        (id: "year", title: "Year", date: "2018", reliability: A),
        (id: "approx", title: "Approximate", date: "~2019-06", reliability: B),
        (id: "later", title: "Later", date: "2024-03-22", reliability: B),
        (id: "undated", title: "Undated", reliability: B),
    ]"#;

    /// Ann is known from 2018; Bob only from 2024, but a 2018 link names him; Cat only from an
    /// undated source; Ann's tie to Bob is first reported by a fairly reliable source, later
    /// by a reliable one; Ann's tie to Cat rests on the undated source alone.
    const FACTS: &str = r#"(
        entities: [
            Person(id: "ann", name: "Ann Example", sources: ["year", "later"]),
            Person(id: "bob", name: "Bob Example", sources: ["later"]),
            Person(id: "cat", name: "Cat Example", sources: ["undated"]),
            Person(id: "dan", name: "Dan Example", sources: ["approx"]),
        ],
        links: [
            (from: "ann", rel: AssociateOf, to: "bob", certainty: Reported, sources: ["day", "later"]),
            (from: "ann", rel: AssociateOf, to: "cat", certainty: Reported, sources: ["undated"]),
            (from: "dan", rel: AssociateOf, to: "ann", certainty: Alleged, sources: ["approx", "undated"]),
        ],
    )"#;

    fn dataset() -> Dataset {
        crate::query::fixture::dataset(SOURCES, FACTS)
    }

    fn counted_at(cutoff: Cutoff) -> Vec<String> {
        let d = dataset();
        d.sources.iter().filter(|s| cutoff.counts(s)).map(|s| s.id.to_string()).collect()
    }

    #[test]
    fn a_source_counts_once_its_whole_date_is_on_or_before_the_cutoff() {
        assert_eq!(counted_at(Cutoff::as_of(&date("2018-12"))), ["day", "month", "quarter", "year"]);
        assert_eq!(counted_at(Cutoff::as_of(&date("2018-12-31"))), ["day", "month", "quarter", "year"]);
        // Mid-December: the month, the quarter and the year may all end later.
        assert_eq!(counted_at(Cutoff::as_of(&date("2018-12-05"))), ["day"]);
        assert_eq!(counted_at(Cutoff::as_of(&date("2018-12-04"))), Vec::<String>::new());
        assert_eq!(counted_at(Cutoff::as_of(&date("2018-Q4"))), ["day", "month", "quarter", "year"]);
        assert_eq!(counted_at(Cutoff::as_of(&date("2018-11"))), Vec::<String>::new());
        // An approximate date is its interval: June 2019 counts from the end of June.
        assert!(!counted_at(Cutoff::as_of(&date("2019-06-29"))).contains(&"approx".to_owned()));
        assert!(counted_at(Cutoff::as_of(&date("2019-06-30"))).contains(&"approx".to_owned()));
        // An undated source never counts, however late the date.
        assert!(!counted_at(Cutoff::as_of(&date("9999"))).contains(&"undated".to_owned()));
    }

    #[test]
    fn before_a_date_ends_the_day_before_it_begins() {
        assert_eq!(counted_at(Cutoff::before(&date("2018-12-06"))), ["day"]);
        assert_eq!(counted_at(Cutoff::before(&date("2019"))), ["day", "month", "quarter", "year"]);
        assert_eq!(counted_at(Cutoff::before(&date("2018-12"))), Vec::<String>::new());
        assert_eq!(Cutoff::before(&date("2019-01-01")), Cutoff::as_of(&date("2018-12-31")));
    }

    fn ids<T>(items: &[T], id: impl Fn(&T) -> String) -> Vec<String> {
        items.iter().map(id).collect()
    }

    #[test]
    fn facts_keep_only_the_sources_of_their_time() {
        let d = dataset();
        let (then, summary) = filter(Parts::of(&d), Cutoff::as_of(&date("2018-12")));
        assert_eq!(ids(&then.entities, |e| e.id.to_string()), ["ann", "bob"]);
        assert_eq!(ids(&then.entities[0].sources, Id::to_string), ["year"]);
        // Bob's own source is of 2024, but the 2018 link names him: kept, on that link's word.
        assert_eq!(ids(&then.entities[1].sources, Id::to_string), ["day"]);
        assert_eq!(then.links.len(), 1);
        assert_eq!(ids(&then.links[0].sources, Id::to_string), ["day"]);
        assert_eq!(then.links[0].certainty, Certainty::Reported);
        // The graph keeps only the sources that count, so the link's grade is C, not B.
        let graph = crate::graph::KnowledgeGraph::build(then);
        assert_eq!(graph.best_reliability(graph.link(0)), Reliability::C);
        assert_eq!(
            summary,
            Summary {
                entities_kept: 2,
                entities: 4,
                links_kept: 1,
                links: 3,
                sources_counted: 4,
                sources: 7,
                entities_named_by_links: 1,
                undated_sources: vec!["undated".into()],
                // Cat, Ann's tie to Cat, and Dan's tie to Ann (its dated source is of 2019, but
                // the undated one might have been earlier); not Dan, whose one source is dated.
                hidden_by_undated: 3,
            }
        );
        let line = summary.line(&date("2018-12"));
        assert!(line.starts_with("as of 2018-12: 2 of 4 entities, 1 of 3 links"), "{line}");
        assert!(line.contains("undated sources never count (undated): 3 facts"), "{line}");
    }

    #[test]
    fn nothing_is_known_before_the_first_source_and_everything_dated_after_the_last() {
        let d = dataset();
        let (none, summary) = filter(Parts::of(&d), Cutoff::as_of(&date("2017")));
        assert!(none.entities.is_empty() && none.links.is_empty() && none.sources.is_empty());
        assert_eq!(summary.entities, 4);
        let (all, _) = filter(Parts::of(&d), Cutoff::as_of(&date("2025")));
        // Everything but what rests on the undated source alone.
        assert_eq!(ids(&all.entities, |e| e.id.to_string()), ["ann", "bob", "dan"]);
        assert_eq!(all.links.len(), 2);
        assert_eq!(ids(&all.links[0].sources, Id::to_string), ["day", "later"]);
        assert_eq!(ids(&all.links[1].sources, Id::to_string), ["approx"]);
    }
}

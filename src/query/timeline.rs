//! `timeline`: dated events, oldest first.

use serde::Serialize;

use super::{EntityRef, LinkFilter, neighbours};
use crate::graph::KnowledgeGraph;
use crate::model::{EventType, Kind, PartialDate};

#[derive(Debug, Serialize)]
pub struct Entry {
    pub date: PartialDate,
    #[serde(flatten)]
    pub entity: EntityRef,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub killed: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub injured: Option<u32>,
}

/// Which events to list.
#[derive(Clone, Debug, Default)]
pub struct Window {
    /// Events that may fall on or after this date.
    pub since: Option<PartialDate>,
    /// Events that may fall on or before this date.
    pub until: Option<PartialDate>,
    /// Only events within `depth` links of this entity.
    pub around: Option<(usize, u32)>,
    /// Only events of these sub-kinds (attacks, plots, ...); all when empty.
    pub subkinds: Vec<EventType>,
}

pub fn timeline(graph: &KnowledgeGraph, window: &Window, filter: &LinkFilter) -> Vec<Entry> {
    let near = window.around.map(|(center, depth)| neighbours::reach(graph, &[center], depth, &[], filter));
    let mut entries: Vec<Entry> = graph
        .entities()
        .iter()
        .enumerate()
        .filter(|(i, e)| {
            e.kind() == Kind::Event && filter.admits(e) && near.as_ref().is_none_or(|n| n.contains_key(i))
        })
        .filter_map(|(_, e)| {
            let ev = e.as_event()?;
            if !window.subkinds.is_empty() && !window.subkinds.contains(&ev.subkind) {
                return None;
            }
            let date = ev.when()?;
            let after_since = window.since.as_ref().is_none_or(|s| !date.definitely_before(s));
            let before_until = window.until.as_ref().is_none_or(|u| !date.definitely_after(u));
            (after_since && before_until).then(|| Entry {
                date: *date,
                entity: EntityRef::of(e),
                killed: ev.killed,
                injured: ev.injured,
            })
        })
        .collect();
    entries.sort_by(|a, b| a.date.chronological(&b.date).then_with(|| a.entity.id.cmp(&b.entity.id)));
    entries
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::fixture;

    #[test]
    fn sub_kinds_choose_the_events() {
        let g = fixture::graph(fixture::NETWORK);
        let ids = |subkinds: Vec<EventType>| -> Vec<String> {
            let window = Window { subkinds, ..Window::default() };
            timeline(&g, &window, &LinkFilter::default()).into_iter().map(|e| e.entity.id).collect()
        };
        assert_eq!(ids(vec![]), ["zed-plot", "zed-attack"]);
        assert_eq!(ids(vec![EventType::Attack]), ["zed-attack"]);
        assert_eq!(ids(vec![EventType::Plot]), ["zed-plot"]);
        assert_eq!(ids(vec![EventType::Plot, EventType::Attack]), ["zed-plot", "zed-attack"]);
        assert!(ids(vec![EventType::Arrest]).is_empty());
    }
}

//! `timeline`: dated events, oldest first.

use serde::Serialize;

use super::{EntityRef, LinkFilter, neighbours};
use crate::graph::KnowledgeGraph;
use crate::model::{Kind, PartialDate};

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

//! `chain check`: a verdict for each declared chain (`data/chains/*.ron`).
//!
//! A step is supported by a link of its relation between its two entities, in its direction
//! (either way for symmetric relations), that is not `Refuted`. The chain is `supported` when
//! every step is and the dated steps run forward in time; `contradicted` when a step is only
//! ever denied (`Refuted`) or the dates run backwards; otherwise `unsupported`, with the
//! nearest alternative the graph has for each missing step.

use serde::{Serialize, Serializer};

use super::paths::{PathQuery, paths};
use super::time::{DatedBy, TimeBreak, first_break, step_date};
use super::{EntityRef, LinkFilter, Step};
use crate::graph::KnowledgeGraph;
use crate::model::{ChainStep, DeclaredChain, PartialDate, Verdict};

/// How far the nearest alternative to a missing step is looked for, in links.
pub const ALTERNATIVE_MAX_LEN: usize = 4;

#[derive(Debug, Serialize)]
pub struct ChainVerdict {
    pub name: String,
    pub claim: String,
    #[serde(serialize_with = "lowercase")]
    pub expected: Verdict,
    #[serde(serialize_with = "lowercase")]
    pub verdict: Verdict,
    /// The verdict is the one the chain expects.
    pub matches: bool,
    /// Why, in a sentence.
    pub reason: String,
    pub steps: Vec<CheckedStep>,
}

#[derive(Debug, Serialize)]
pub struct CheckedStep {
    pub from: EntityRef,
    pub rel: crate::model::Relation,
    pub to: EntityRef,
    pub status: StepStatus,
    pub reason: String,
    /// The link that supports the step, or the refuting one.
    pub link: Option<Step>,
    pub when: Option<PartialDate>,
    pub dated_by: Option<DatedBy>,
    /// For a missing step: what the graph has instead (other links between the two, or the
    /// shortest path between them).
    pub alternative: Vec<Step>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepStatus {
    Supported,
    Missing,
    Refuted,
    /// Supported, but dated before an earlier step.
    Backwards,
}

fn lowercase<S: Serializer>(v: &Verdict, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(verdict_name(*v))
}

pub fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Supported => "supported",
        Verdict::Unsupported => "unsupported",
        Verdict::Contradicted => "contradicted",
    }
}

/// Checks one declared chain. Its entities must exist (the validator makes sure they do).
pub fn check(graph: &KnowledgeGraph, chain: &DeclaredChain, filter: &LinkFilter) -> ChainVerdict {
    let mut steps: Vec<CheckedStep> = chain.steps.iter().map(|s| check_step(graph, s, filter)).collect();
    let dates: Vec<Option<&PartialDate>> = steps
        .iter()
        .map(|s| if s.status == StepStatus::Supported { s.when.as_ref() } else { None })
        .collect();
    if let Some(TimeBreak::Backwards { step, previous }) = first_break(&dates, None) {
        let reason = format!(
            "dated {}, before step {} ({})",
            dates[step].map_or("?", |d| d.as_str()),
            previous + 1,
            dates[previous].map_or("?", |d| d.as_str())
        );
        steps[step].status = StepStatus::Backwards;
        steps[step].reason = reason;
    }
    let first = |status: StepStatus| steps.iter().position(|s| s.status == status);
    let (verdict, reason) = if let Some(i) = first(StepStatus::Refuted) {
        (Verdict::Contradicted, format!("step {} is denied by the sources", i + 1))
    } else if let Some(i) = first(StepStatus::Backwards) {
        (Verdict::Contradicted, format!("step {} runs backwards in time: {}", i + 1, steps[i].reason))
    } else if let Some(i) = first(StepStatus::Missing) {
        (Verdict::Unsupported, format!("step {} has no link in the graph", i + 1))
    } else {
        (Verdict::Supported, "every step has a link and the dates run forward".to_owned())
    };
    ChainVerdict {
        name: chain.name.clone(),
        claim: chain.claim.clone(),
        expected: chain.expect,
        verdict,
        matches: verdict == chain.expect,
        reason,
        steps,
    }
}

fn check_step(graph: &KnowledgeGraph, s: &ChainStep, filter: &LinkFilter) -> CheckedStep {
    let (from, to) = (index(graph, s.from.as_str()), index(graph, s.to.as_str()));
    let candidates: Vec<usize> = graph
        .incident(from)
        .into_iter()
        .filter(|inc| inc.other == to)
        .filter(|inc| {
            let l = graph.link(inc.link);
            l.rel == s.rel
                && (l.from.as_str() == s.from.as_str() || s.rel.is_symmetric())
                && filter.shows(l)
                && filter.admits(graph.entity(to))
        })
        .map(|inc| inc.link)
        .collect();
    let strongest =
        candidates.iter().copied().filter(|&l| !graph.link(l).certainty.is_refuted()).min_by_key(|&l| {
            (std::cmp::Reverse(graph.link(l).certainty), graph.best_reliability(graph.link(l)), l)
        });
    let refuting = candidates.iter().copied().find(|&l| graph.link(l).certainty.is_refuted());
    let mut checked = CheckedStep {
        from: EntityRef::of(graph.entity(from)),
        rel: s.rel,
        to: EntityRef::of(graph.entity(to)),
        status: StepStatus::Missing,
        reason: String::new(),
        link: None,
        when: None,
        dated_by: None,
        alternative: Vec::new(),
    };
    if let Some(link) = strongest {
        let dated = step_date(graph, link, from);
        checked.status = StepStatus::Supported;
        checked.link = Some(Step::new(graph, link, from));
        checked.reason = format!("a {} link", checked.link.as_ref().map_or("", |l| l.grade.as_str()));
        checked.dated_by = dated.as_ref().map(|d| d.1);
        checked.when = dated.map(|d| d.0);
    } else if let Some(link) = refuting {
        checked.status = StepStatus::Refuted;
        checked.link = Some(Step::new(graph, link, from));
        checked.reason = "the sources deny this link (Refuted)".to_owned();
    } else {
        let (steps, direct) = alternative(graph, from, to, filter);
        checked.reason = if steps.is_empty() {
            format!("no {} link, and no connection within {ALTERNATIVE_MAX_LEN} links", s.rel)
        } else if direct {
            let rels: Vec<String> = steps.iter().map(|s| s.rel.to_string()).collect();
            format!("no {} link; the graph links them by {} instead", s.rel, rels.join(", "))
        } else {
            let via: Vec<&str> = steps[..steps.len() - 1].iter().map(|s| s.to.name.as_str()).collect();
            format!("no {} link; nearest connection: {} links, via {}", s.rel, steps.len(), via.join(", "))
        };
        checked.alternative = steps;
    }
    checked
}

/// What the graph has between two entities when the declared link is missing: the direct
/// links of other relations (`true`), else the shortest path (`false`).
fn alternative(graph: &KnowledgeGraph, from: usize, to: usize, filter: &LinkFilter) -> (Vec<Step>, bool) {
    let direct: Vec<Step> = graph
        .incident(from)
        .into_iter()
        .filter(|inc| inc.other == to && filter.follows(graph.link(inc.link)))
        .map(|inc| Step::new(graph, inc.link, from))
        .collect();
    if !direct.is_empty() {
        return (direct, true);
    }
    let q = PathQuery {
        filter: filter.clone(),
        max_len: ALTERNATIVE_MAX_LEN,
        all: false,
        limit: 1,
        via: Vec::new(),
        time: None,
    };
    (paths(graph, from, to, &q).paths.into_iter().next().map(|p| p.steps).unwrap_or_default(), false)
}

fn index(graph: &KnowledgeGraph, id: &str) -> usize {
    graph.index_of(id).expect("declared chains name known entities (checked by validate)")
}

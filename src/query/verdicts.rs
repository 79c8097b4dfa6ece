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
        .iter()
        .filter(|inc| inc.other() == to)
        .filter(|inc| {
            let l = graph.link(inc.link());
            l.rel == s.rel
                && (l.from.as_str() == s.from.as_str() || s.rel.is_symmetric())
                && filter.shows(l)
                && filter.admits_at(graph, to)
        })
        .map(|inc| inc.link())
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
        .iter()
        .filter(|inc| inc.other() == to && filter.follows_at(inc))
        .map(|inc| Step::at(graph, from, inc))
        .collect();
    if !direct.is_empty() {
        return (direct, true);
    }
    let q =
        PathQuery { filter: filter.clone(), max_len: ALTERNATIVE_MAX_LEN, limit: 1, ..PathQuery::default() };
    (paths(graph, from, to, &q).paths.into_iter().next().map(|p| p.steps).unwrap_or_default(), false)
}

fn index(graph: &KnowledgeGraph, id: &str) -> usize {
    graph.index_of(id).expect("declared chains name known entities (checked by validate)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Id, Relation};
    use crate::query::fixture;

    fn declared(steps: &[(&str, Relation, &str)], expect: Verdict) -> DeclaredChain {
        DeclaredChain {
            name: "test".into(),
            claim: "a test claim".into(),
            steps: steps
                .iter()
                .map(|&(from, rel, to)| ChainStep { from: Id::new(from), rel, to: Id::new(to) })
                .collect(),
            expect,
        }
    }

    fn verdict(steps: &[(&str, Relation, &str)]) -> ChainVerdict {
        let g = fixture::graph(fixture::CHAINS);
        check(&g, &declared(steps, Verdict::Supported), &LinkFilter::default())
    }

    #[test]
    fn supported_when_every_step_has_a_link_in_time_order() {
        let v = verdict(&[
            ("eve", Relation::MemberOf, "beta-group"),
            ("beta-group", Relation::Claimed, "x-attack"),
        ]);
        assert_eq!(v.verdict, Verdict::Supported);
        assert!(v.matches);
        assert_eq!(v.steps[1].link.as_ref().unwrap().grade, "D/Reported");
    }

    #[test]
    fn unsupported_names_the_step_and_the_nearest_alternative() {
        let v = verdict(&[("eve", Relation::MemberOf, "beta-group"), ("eve", Relation::TraveledTo, "yland")]);
        assert_eq!(v.verdict, Verdict::Unsupported);
        assert!(!v.matches);
        assert_eq!(v.steps[1].status, StepStatus::Missing);
        let alt: Vec<&str> = v.steps[1].alternative.iter().map(|s| s.to.id.as_str()).collect();
        assert_eq!(alt, ["y-camp", "yland"], "Eve trained at a camp in Yland");
        assert!(v.steps[1].reason.contains("via Y camp"), "{}", v.steps[1].reason);
        let direct = verdict(&[("eve", Relation::Plotted, "x-attack")]);
        assert!(direct.steps[0].reason.contains("by Perpetrated instead"), "{}", direct.steps[0].reason);
    }

    #[test]
    fn contradicted_by_a_refuted_step() {
        let v = verdict(&[
            ("hal", Relation::MemberOf, "beta-group"),
            ("beta-group", Relation::Claimed, "x-attack"),
        ]);
        assert_eq!(v.verdict, Verdict::Contradicted);
        assert_eq!(v.steps[0].status, StepStatus::Refuted);
        assert!(v.reason.contains("step 1"));
    }

    #[test]
    fn contradicted_when_the_dates_run_backwards() {
        let v = verdict(&[
            ("beta-group", Relation::Claimed, "x-attack"),
            ("eve", Relation::ArrestedIn, "eve-arrest"),
        ]);
        assert_eq!(v.verdict, Verdict::Contradicted);
        assert_eq!(v.steps[1].status, StepStatus::Backwards);
        assert_eq!(v.steps[1].dated_by, Some(DatedBy::Event));
        assert!(v.reason.contains("backwards"), "{}", v.reason);
    }

    #[test]
    fn symmetric_steps_match_either_direction_and_json_is_lowercase() {
        let g = fixture::graph(fixture::NETWORK);
        let chain = declared(&[("bob", Relation::SiblingOf, "cat")], Verdict::Supported);
        let v = check(&g, &chain, &LinkFilter::default());
        assert_eq!(v.verdict, Verdict::Supported);
        let json = serde_json::to_value(&v).unwrap();
        assert_eq!(json["verdict"], "supported");
        assert_eq!(json["steps"][0]["status"], "supported");
    }
}

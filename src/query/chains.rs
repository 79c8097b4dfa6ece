//! `chain`: path-to-attack chains. From a person or group, the paths through operational
//! relations to Attack and Plot events; for each, its weakest link, whether it runs forward in
//! time, and which stages of the pathway to intended violence it evidences.
//!
//! A chain follows what the actor did, what its groups did, and the command hierarchy in the
//! direction it runs ([`Motion`]): up from a member to its group and on to the group's parent,
//! or down from a leader, handler, recruiter or parent organisation to those below (and from
//! there up to their groups); never up and then down again, which would reach a sibling
//! affiliate's or a fellow member's attack. From an event the actor took part in it may pass to
//! another participant (but not on to that one's groups), never from a place to someone else
//! who was there. Each chain says how the actor is involved
//! ([`Involvement`]), and direct involvement ranks first. A chain that dates rule out (a
//! person on it died, or a group dissolved, or a membership ended, before the attack) is
//! not a chain: it is listed apart, with the reason.
//!
//! The stages are those of Calhoun and Weston's pathway (grievance, ideation, research and
//! planning, preparation, breach, attack). The graph holds no motives, so a stage counts as
//! evidenced only by a link of a kind listed in [`stage_of`]; docs/guide.md has the table.

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet, VecDeque};

use serde::Serialize;

use super::time::{DatedBy, TimeBreak, first_break, follows_the_act, step_date};
use super::{EntityRef, LinkFilter, Step};
use crate::graph::{Direction, KnowledgeGraph};
use crate::hash::{FastMap, FastSet};
use crate::model::{Certainty, EventType, Kind, PartialDate, Relation, Reliability};

/// The relations a chain may follow unless `--rel` narrows them: membership, leadership,
/// handling, direction, recruitment, training, travel, financing, plotting, perpetration and
/// claims.
pub const OPERATIONAL: &[Relation] = &[
    Relation::MemberOf,
    Relation::LeaderOf,
    Relation::Founded,
    Relation::PartOf,
    Relation::AffiliateOf,
    Relation::Handled,
    Relation::Directed,
    Relation::Recruited,
    Relation::TrainedIn,
    Relation::TraveledTo,
    Relation::Financed,
    Relation::Plotted,
    Relation::Perpetrated,
    Relation::ParticipatedIn,
    Relation::Claimed,
];

/// A stage of the pathway to intended violence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Grievance,
    Ideation,
    ResearchAndPlanning,
    Preparation,
    Breach,
    Attack,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Grievance,
        Stage::Ideation,
        Stage::ResearchAndPlanning,
        Stage::Preparation,
        Stage::Breach,
        Stage::Attack,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Stage::Grievance => "grievance",
            Stage::Ideation => "ideation",
            Stage::ResearchAndPlanning => "research and planning",
            Stage::Preparation => "preparation",
            Stage::Breach => "breach",
            Stage::Attack => "attack",
        }
    }
}

/// How a step moves through the command and membership hierarchy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Motion {
    /// To what the entity belongs to or answers to: its group, a group's parent, its leader,
    /// handler or recruiter.
    Up,
    /// To what the entity commands or contains: the group it leads or founded, the operative
    /// it handled or recruited, a member, a part or an affiliate.
    Down,
    /// To an event or place the entity acted in or on.
    Act,
    /// From an event or place to another entity that acted in or on it.
    Side,
}

/// How a link of relation `rel`, walked in `direction`, moves through the hierarchy.
pub fn motion(rel: Relation, direction: Direction) -> Motion {
    use Relation as R;
    let out = direction == Direction::Out;
    match rel {
        R::MemberOf | R::PartOf | R::AffiliateOf => {
            if out {
                Motion::Up
            } else {
                Motion::Down
            }
        }
        R::LeaderOf | R::Founded | R::Handled | R::Recruited => {
            if out {
                Motion::Down
            } else {
                Motion::Up
            }
        }
        _ => {
            if out {
                Motion::Act
            } else {
                Motion::Side
            }
        }
    }
}

/// How the actor is involved in the attack a chain reaches, most direct first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Involvement {
    /// The actor's own act: it perpetrated, plotted, directed, financed, took part in or
    /// claimed the attack.
    Direct,
    /// Through those the actor commands: a group it leads or founded, an operative it handled
    /// or recruited, a part or affiliate of its organisation.
    Command,
    /// Attribution through a group the actor belongs to: the group (or its parent) did it.
    Group,
    /// Through someone who took part in an event with the actor.
    Associate,
}

impl Involvement {
    /// The involvement a chain of these motions shows.
    fn of(motions: &[Motion]) -> Involvement {
        let before = &motions[..motions.len().saturating_sub(1)];
        match before.first() {
            None => Involvement::Direct,
            Some(_) if before.contains(&Motion::Side) => Involvement::Associate,
            Some(Motion::Down) => Involvement::Command,
            Some(_) => Involvement::Group,
        }
    }

    /// How the text output says it.
    pub fn describe(self) -> &'static str {
        match self {
            Involvement::Direct => "own act",
            Involvement::Command => "through those it commands",
            Involvement::Group => "attributed through its group",
            Involvement::Associate => "through an associate",
        }
    }
}

/// Why dates rule a chain out.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum RuledOut {
    /// A person on the chain died before the attack.
    Died { entity: EntityRef, date: PartialDate },
    /// A group on the chain dissolved before the attack.
    Dissolved { entity: EntityRef, date: PartialDate },
    /// A membership, leadership or affiliation on the chain ended before the attack.
    Ended { step: usize, link: Step },
}

/// An attack that chains reach only in ways the dates rule out.
#[derive(Debug, Serialize)]
pub struct Impossible {
    pub attack: EntityRef,
    pub attack_date: Option<PartialDate>,
    /// Why the strongest such chain is ruled out.
    pub reason: RuledOut,
    /// That chain's steps.
    pub steps: Vec<Step>,
}

/// Chains found, before ranking, after which a search stops and says it was cut: at hubs with
/// thousands of links the chains explode.
pub const DEFAULT_BUDGET: usize = 100_000;

/// What to look for.
#[derive(Clone, Debug)]
pub struct ChainQuery {
    /// Certainty and origin filters; `relations` narrows [`OPERATIONAL`] (all of it when empty).
    pub filter: LinkFilter,
    /// Longest chain, in links.
    pub max_len: usize,
    /// Only chains to this event.
    pub to: Option<usize>,
    /// Every chain found, not only the strongest per attack.
    pub all: bool,
    /// Most chains returned.
    pub limit: usize,
    /// Most paths examined before the search stops and says so.
    pub budget: usize,
    /// Most time spent searching before the search stops and says so.
    pub timeout: Option<std::time::Duration>,
}

#[derive(Debug, Serialize)]
pub struct Chains {
    pub actor: EntityRef,
    /// The relations followed.
    pub relations: Vec<Relation>,
    /// Most direct involvement first, then strongest weakest link, then time-ordered before
    /// broken, then shortest.
    pub chains: Vec<Chain>,
    /// Attacks reached only by chains that dates rule out, one entry per attack.
    pub ruled_out: Vec<Impossible>,
    /// True when `limit`, the path budget or the time budget cut the answer.
    pub truncated: bool,
    /// What cut it: `limit`, `budget` or `time`.
    pub cut_by: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct Chain {
    pub attack: EntityRef,
    pub attack_date: Option<PartialDate>,
    /// How the actor is involved: `direct`, `command`, `group` (attribution through a group)
    /// or `associate`.
    pub involvement: Involvement,
    pub steps: Vec<ChainStep>,
    pub weakest: Weakest,
    /// No dated step goes back in time or falls after the attack.
    pub time_ordered: bool,
    /// Where the time order breaks, when it does.
    pub time_break: Option<TimeBreak>,
    /// Steps with no date of their own or of an event they touch (numbered from 0).
    pub undated: Vec<usize>,
    /// Every stage, in pathway order, with the links that evidence it.
    pub stages: Vec<StageEvidence>,
    /// The stages nothing evidences.
    pub missing_stages: Vec<Stage>,
}

/// A chain step: the link followed and the date it is placed at.
#[derive(Debug, Serialize)]
pub struct ChainStep {
    #[serde(flatten)]
    pub step: Step,
    pub when: Option<PartialDate>,
    pub dated_by: Option<DatedBy>,
}

/// The weakest link of a chain: lowest certainty, then lowest source reliability.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Weakest {
    pub step: usize,
    pub certainty: Certainty,
    pub reliability: Reliability,
    pub grade: String,
}

#[derive(Debug, Serialize)]
pub struct StageEvidence {
    pub stage: Stage,
    pub evidence: Vec<Evidence>,
}

/// A link that evidences a stage: a step of the chain, or a link of a person on it dated no
/// later than the attack (context).
#[derive(Debug, Serialize)]
pub struct Evidence {
    /// The chain step it is, or `None` for context.
    pub step: Option<usize>,
    pub link: Step,
}

/// The stage a link evidences for a chain ending at `attack`, whose places (where it occurred,
/// and the places containing them) are `attack_places`. `None` when it evidences none.
pub fn stage_of(
    graph: &KnowledgeGraph,
    link: usize,
    attack: usize,
    attack_places: &HashSet<usize>,
) -> Option<Stage> {
    let l = graph.link(link);
    let (_, to) = graph.ends(link)?;
    let event = graph.entity(to).as_event().map(|e| e.subkind);
    use Relation as R;
    Some(match l.rel {
        R::ArrestedIn | R::DetainedIn | R::ConvictedOf => Stage::Grievance,
        R::InfluencedBy | R::SupporterOf | R::MemberOf | R::Recruited | R::Founded | R::LeaderOf => {
            Stage::Ideation
        }
        R::Plotted | R::Directed | R::Handled => Stage::ResearchAndPlanning,
        R::TraveledTo | R::LivedIn | R::BasedIn if attack_places.contains(&to) => Stage::Breach,
        R::TrainedIn | R::Financed | R::TraveledTo => Stage::Preparation,
        R::Perpetrated | R::Claimed if to == attack => Stage::Attack,
        R::ParticipatedIn if to == attack => Stage::Attack,
        R::ParticipatedIn if event == Some(EventType::Meeting) => Stage::ResearchAndPlanning,
        R::ParticipatedIn if event == Some(EventType::Training) => Stage::Preparation,
        _ => return None,
    })
}

/// True for the events chains end at: attacks and plots.
pub fn is_attack_or_plot(graph: &KnowledgeGraph, i: usize) -> bool {
    graph.entity(i).as_event().is_some_and(|e| matches!(e.subkind, EventType::Attack | EventType::Plot))
}

/// Chains from entity `actor` to attacks and plots.
pub fn chains(graph: &KnowledgeGraph, actor: usize, q: &ChainQuery) -> Chains {
    let relations: Vec<Relation> = if q.filter.relations.is_empty() {
        OPERATIONAL.to_vec()
    } else {
        OPERATIONAL.iter().copied().filter(|r| q.filter.relations.contains(r)).collect()
    };
    let filter = LinkFilter { relations: relations.clone(), ..q.filter.clone() };
    // Only what a chain could reach is read: the attacks and plots among it are the targets,
    // and the distances that prune the search are measured within it.
    let (reach, found_targets) = reachable(graph, actor, q.max_len, &filter);
    let targets: Vec<usize> = match q.to {
        Some(t) => vec![t],
        None => found_targets,
    };
    let dist = distances(graph, &targets, actor, q.max_len, &filter, &reach);
    let mut search = Search {
        graph,
        filter: &filter,
        dist: &dist,
        targets: targets.iter().copied().collect(),
        max_len: q.max_len,
        budget: q.budget,
        found: Vec::new(),
        trail: Vec::new(),
        motions: Vec::new(),
        on_path: vec![actor],
        exhausted: false,
        clock: super::Clock::new(q.timeout),
    };
    if dist.contains_key(&actor) {
        search.walk(actor);
    }
    let (exhausted, out_of_time) = (search.exhausted, search.clock.out);
    // Rank the trails first and build full reports (steps, stages) only for those kept: a
    // search can find a hundred thousand trails, and twenty are shown.
    let mut keyed: Vec<(TrailKey, Trail)> = Vec::new();
    let mut impossible: Vec<(TrailKey, RuledOut, Trail)> = Vec::new();
    for trail in search.found {
        let key = trail_key(graph, &trail);
        match ruled_out(graph, &trail) {
            None => keyed.push((key, trail)),
            Some(why) => impossible.push((key, why, trail)),
        }
    }
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    impossible.sort_by(|a, b| a.0.cmp(&b.0));
    let possible: HashSet<String> = keyed.iter().map(|(key, _)| key.5.clone()).collect();
    let mut listed = HashSet::new();
    let ruled_out: Vec<Impossible> = impossible
        .into_iter()
        .filter(|(key, _, _)| !possible.contains(&key.5) && listed.insert(key.5.clone()))
        .map(|(_, reason, trail)| {
            let attack = attack_of(graph, &trail);
            Impossible {
                attack: EntityRef::of(graph.entity(attack)),
                attack_date: graph.entity(attack).as_event().and_then(|e| e.when()).cloned(),
                reason,
                steps: trail.iter().map(|&(link, from)| Step::new(graph, link, from)).collect(),
            }
        })
        .collect();
    if !q.all {
        let mut seen = HashSet::new();
        keyed.retain(|(key, _)| seen.insert(key.5.clone()));
    }
    let over_limit = keyed.len() > q.limit;
    keyed.truncate(q.limit);
    let found: Vec<Chain> = keyed.into_iter().map(|(_, trail)| assess(graph, &trail, &q.filter)).collect();
    let cut_by = if out_of_time {
        Some("time")
    } else if exhausted {
        Some("budget")
    } else if over_limit {
        Some("limit")
    } else {
        None
    };
    Chains {
        actor: EntityRef::of(graph.entity(actor)),
        relations,
        chains: found,
        ruled_out,
        truncated: cut_by.is_some(),
        cut_by,
    }
}

/// A chain as the search holds it: each link taken, with the entity it was walked from.
type Trail = Vec<(usize, usize)>;

/// How chains rank: most direct involvement first, then strongest weakest link; among equals,
/// time-ordered first, then shortest, then by the attack's id and the links' order.
type TrailKey = (Involvement, Reverse<Certainty>, Reliability, bool, usize, String, Vec<usize>);

/// The rank of a trail of (link, walked-from) pairs, computed without building its report.
fn trail_key(graph: &KnowledgeGraph, trail: &[(usize, usize)]) -> TrailKey {
    let attack = attack_of(graph, trail);
    let dated: Vec<Option<PartialDate>> =
        trail.iter().map(|&(link, from)| step_date(graph, link, from).map(|d| d.0)).collect();
    let rels: Vec<Relation> = trail.iter().map(|&(link, _)| graph.link(link).rel).collect();
    let attack_date = graph.entity(attack).as_event().and_then(|e| e.when());
    let (certainty, reliability) = trail
        .iter()
        .map(|&(link, _)| (graph.link(link).certainty, graph.best_reliability(graph.link(link))))
        .min_by_key(|&(c, r)| (c, Reverse(r)))
        .expect("a chain has a step");
    let broken = time_break(&dated, &rels, attack_date).is_some();
    (
        Involvement::of(&motions(graph, trail)),
        Reverse(certainty),
        reliability,
        broken,
        trail.len(),
        graph.entity(attack).id.to_string(),
        trail.iter().map(|&(link, _)| link).collect(),
    )
}

/// True when a chain whose steps moved as `before` may go on with `next`: never down or
/// sideways once it went up (that reaches a sibling's or a fellow member's act), and never up
/// once it went sideways (to an associate's group).
fn allowed(before: &[Motion], next: Motion) -> bool {
    match next {
        Motion::Down | Motion::Side => !before.contains(&Motion::Up),
        Motion::Up => !before.contains(&Motion::Side),
        Motion::Act => true,
    }
}

/// How each step of a trail moves through the hierarchy.
fn motions(graph: &KnowledgeGraph, trail: &[(usize, usize)]) -> Vec<Motion> {
    trail
        .iter()
        .map(|&(link, from)| {
            let forward = graph.ends(link).is_some_and(|(a, _)| a == from);
            motion(graph.link(link).rel, if forward { Direction::Out } else { Direction::In })
        })
        .collect()
}

/// Why the dates rule a trail out, if they do: a person on it died, or a group on it dissolved,
/// or a membership, leadership or affiliation on it ended, before the attack began. An undated
/// attack rules nothing out.
fn ruled_out(graph: &KnowledgeGraph, trail: &[(usize, usize)]) -> Option<RuledOut> {
    let attack = attack_of(graph, trail);
    let when = graph.entity(attack).as_event().and_then(|e| e.when())?;
    for (n, &(link, from)) in trail.iter().enumerate() {
        let e = graph.entity(from);
        if let Some(died) = e.as_person().and_then(|p| p.died.as_ref())
            && died.definitely_before(when)
        {
            return Some(RuledOut::Died { entity: EntityRef::of(e), date: *died });
        }
        if let Some(dissolved) = e.as_group().and_then(|g| g.dissolved.as_ref())
            && dissolved.definitely_before(when)
        {
            return Some(RuledOut::Dissolved { entity: EntityRef::of(e), date: *dissolved });
        }
        let l = graph.link(link);
        let hierarchy = matches!(
            l.rel,
            Relation::MemberOf
                | Relation::PartOf
                | Relation::AffiliateOf
                | Relation::LeaderOf
                | Relation::Handled
        );
        if hierarchy && l.until.as_ref().is_some_and(|u| u.definitely_before(when)) {
            return Some(RuledOut::Ended { step: n, link: Step::new(graph, link, from) });
        }
    }
    None
}

/// The attack or plot a trail ends at.
fn attack_of(graph: &KnowledgeGraph, trail: &[(usize, usize)]) -> usize {
    let &(link, from) = trail.last().expect("a chain has a step");
    let (a, b) = graph.ends(link).expect("links join known entities");
    if a == from { b } else { a }
}

/// Where a chain's time order breaks: a step before an earlier one, or (except a claim) after
/// the attack; the earlier of the two.
fn time_break(
    dates: &[Option<PartialDate>],
    rels: &[Relation],
    attack_date: Option<&PartialDate>,
) -> Option<TimeBreak> {
    let refs: Vec<Option<&PartialDate>> = dates.iter().map(Option::as_ref).collect();
    let after_attack = attack_date.and_then(|ad| {
        (0..dates.len())
            .find(|&i| !follows_the_act(rels[i]) && refs[i].is_some_and(|w| w.definitely_after(ad)))
            .map(|step| TimeBreak::AfterAttack { step })
    });
    match (first_break(&refs, None), after_attack) {
        (Some(a), Some(b)) => Some(if b.step() < a.step() { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// The entities a chain from `actor` may reach in at most `max_len` links, walking as a chain
/// walks ([`allowed`]: the moves it made so far are all that matter, so each entity is
/// visited at most once in each of four states) and stopping at attacks and plots; and the
/// attacks and plots among them. A superset of what the search visits: it ignores whether a
/// path repeats an entity and whether a sideways step leaves a place.
fn reachable(
    graph: &KnowledgeGraph,
    actor: usize,
    max_len: usize,
    filter: &LinkFilter,
) -> (FastSet<usize>, Vec<usize>) {
    const UP: u8 = 1;
    const SIDE: u8 = 2;
    let mut seen: FastSet<(usize, u8)> = FastSet::default();
    let mut reach: FastSet<usize> = FastSet::from_iter([actor]);
    let mut targets = Vec::new();
    let mut queue: VecDeque<(usize, u8, usize)> = VecDeque::from([(actor, 0, 0)]);
    seen.insert((actor, 0));
    while let Some((at, state, depth)) = queue.pop_front() {
        if depth >= max_len {
            continue;
        }
        for inc in graph.incident(at) {
            let other = inc.other();
            if !filter.follows_at(inc) {
                continue;
            }
            let next = match motion(inc.rel, inc.direction) {
                Motion::Down | Motion::Side if state & UP != 0 => continue,
                Motion::Up if state & SIDE != 0 => continue,
                Motion::Up => state | UP,
                Motion::Side => state | SIDE,
                Motion::Down | Motion::Act => state,
            };
            if other == actor || !seen.insert((other, next)) {
                continue;
            }
            if !filter.admits_at(graph, other) {
                continue;
            }
            reach.insert(other);
            if is_attack_or_plot(graph, other) {
                targets.push(other);
                continue;
            }
            queue.push_back((other, next, depth + 1));
        }
    }
    // An attack reached in several states is listed once.
    targets.sort_unstable();
    targets.dedup();
    (reach, targets)
}

/// Links needed from each entity of `reach` to the nearest target, breadth-first from all
/// targets at once, within `reach` (every chain lies within it). Attacks and plots other than
/// the targets are not passed through; neither is the actor.
fn distances(
    graph: &KnowledgeGraph,
    targets: &[usize],
    actor: usize,
    max_len: usize,
    filter: &LinkFilter,
    reach: &FastSet<usize>,
) -> FastMap<usize, u32> {
    let mut dist: FastMap<usize, u32> = targets.iter().map(|&t| (t, 0)).collect();
    let mut queue: VecDeque<usize> = targets.iter().copied().collect();
    while let Some(at) = queue.pop_front() {
        let d = dist[&at];
        if d as usize >= max_len || at == actor {
            continue;
        }
        for inc in graph.incident(at) {
            let other = inc.other();
            if dist.contains_key(&other)
                || !reach.contains(&other)
                || !filter.follows_at(inc)
                || !filter.admits_at(graph, other)
                || (other != actor && is_attack_or_plot(graph, other))
            {
                continue;
            }
            dist.insert(other, d + 1);
            queue.push_back(other);
        }
    }
    dist
}

struct Search<'a> {
    graph: &'a KnowledgeGraph,
    filter: &'a LinkFilter,
    dist: &'a FastMap<usize, u32>,
    targets: FastSet<usize>,
    max_len: usize,
    budget: usize,
    found: Vec<Vec<(usize, usize)>>,
    trail: Vec<(usize, usize)>,
    /// How each step of the trail moves through the hierarchy.
    motions: Vec<Motion>,
    on_path: Vec<usize>,
    exhausted: bool,
    clock: super::Clock,
}

impl Search<'_> {
    /// Depth-first over simple paths that end at the first attack or plot they reach.
    fn walk(&mut self, at: usize) {
        if self.targets.contains(&at) && !self.trail.is_empty() {
            if self.found.len() == self.budget {
                self.exhausted = true;
            } else {
                self.found.push(self.trail.clone());
            }
            return;
        }
        let left = self.max_len - self.trail.len();
        self.clock.tick();
        for inc in self.graph.incident(at) {
            if self.exhausted || self.clock.out {
                return;
            }
            let Some(&need) = self.dist.get(&inc.other()) else { continue };
            if need as usize + 1 > left || self.on_path.contains(&inc.other()) || !self.filter.follows_at(inc)
            {
                continue;
            }
            let step = motion(inc.rel, inc.direction);
            if !allowed(&self.motions, step)
                || (step == Motion::Side && self.graph.entity(at).kind() == Kind::Place)
            {
                continue;
            }
            self.trail.push((inc.link(), at));
            self.motions.push(step);
            self.on_path.push(inc.other());
            self.walk(inc.other());
            self.on_path.pop();
            self.motions.pop();
            self.trail.pop();
        }
    }
}

/// Builds a chain's report from its trail of (link, walked-from) pairs.
fn assess(graph: &KnowledgeGraph, trail: &[(usize, usize)], filter: &LinkFilter) -> Chain {
    let attack = attack_of(graph, trail);
    let attack_date = graph.entity(attack).as_event().and_then(|e| e.when()).cloned();
    let steps: Vec<ChainStep> = trail
        .iter()
        .map(|&(link, from)| {
            let dated = step_date(graph, link, from);
            ChainStep {
                step: Step::new(graph, link, from),
                dated_by: dated.as_ref().map(|d| d.1),
                when: dated.map(|d| d.0),
            }
        })
        .collect();
    let weakest = weakest(graph, &steps);
    let dates: Vec<Option<PartialDate>> = steps.iter().map(|s| s.when).collect();
    let rels: Vec<Relation> = steps.iter().map(|s| s.step.rel).collect();
    let time_break = time_break(&dates, &rels, attack_date.as_ref());
    let undated = steps.iter().enumerate().filter(|(_, s)| s.when.is_none()).map(|(i, _)| i).collect();
    let stages = stages(graph, &steps, attack, attack_date.as_ref(), filter);
    let missing_stages = stages.iter().filter(|s| s.evidence.is_empty()).map(|s| s.stage).collect();
    Chain {
        attack: EntityRef::of(graph.entity(attack)),
        attack_date,
        involvement: Involvement::of(&motions(graph, trail)),
        steps,
        weakest,
        time_ordered: time_break.is_none(),
        time_break,
        undated,
        stages,
        missing_stages,
    }
}

/// The step with the lowest certainty, then the lowest best source reliability; the first
/// such step when several tie.
fn weakest(graph: &KnowledgeGraph, steps: &[ChainStep]) -> Weakest {
    let (step, certainty, reliability) = steps
        .iter()
        .enumerate()
        .map(|(i, s)| (i, s.step.certainty, graph.best_reliability(graph.link(s.step.link))))
        .min_by_key(|&(i, c, r)| (c, Reverse(r), i))
        .expect("a chain has a step");
    Weakest { step, certainty, reliability, grade: format!("{reliability}/{certainty}") }
}

/// Every stage with its evidence: the chain's own steps, then context links of the people on
/// the chain that are not dated after the attack.
fn stages(
    graph: &KnowledgeGraph,
    steps: &[ChainStep],
    attack: usize,
    attack_date: Option<&PartialDate>,
    filter: &LinkFilter,
) -> Vec<StageEvidence> {
    let places = attack_places(graph, attack);
    let mut by_stage: HashMap<Stage, Vec<Evidence>> = HashMap::new();
    let on_chain: HashSet<usize> = steps.iter().map(|s| s.step.link).collect();
    for (i, s) in steps.iter().enumerate() {
        if let Some(stage) = stage_of(graph, s.step.link, attack, &places) {
            by_stage.entry(stage).or_default().push(Evidence { step: Some(i), link: s.step.clone() });
        }
    }
    let mut people: Vec<usize> = Vec::new();
    for s in steps {
        for id in [&s.step.from.id, &s.step.to.id] {
            if let Some(i) = graph.index_of(id)
                && graph.entity(i).kind() == Kind::Person
                && !people.contains(&i)
            {
                people.push(i);
            }
        }
    }
    for &person in &people {
        for inc in graph.incident(person) {
            let l = graph.link(inc.link());
            let after = match (l.when(), attack_date) {
                (Some(w), Some(ad)) => w.definitely_after(ad),
                _ => false,
            };
            // Context is what the person did (links from them, or their being recruited or
            // handled), known not to postdate the attack.
            let theirs =
                inc.direction == Direction::Out || matches!(l.rel, Relation::Recruited | Relation::Handled);
            if on_chain.contains(&inc.link())
                || !theirs
                || after
                || !filter.follows(l)
                || !filter.admits_at(graph, inc.other())
            {
                continue;
            }
            if let Some(stage) = stage_of(graph, inc.link(), attack, &places) {
                by_stage
                    .entry(stage)
                    .or_default()
                    .push(Evidence { step: None, link: Step::at(graph, person, inc) });
            }
        }
    }
    Stage::ALL
        .into_iter()
        .map(|stage| StageEvidence { stage, evidence: by_stage.remove(&stage).unwrap_or_default() })
        .collect()
}

/// Where an event occurred, and every place containing those places.
fn attack_places(graph: &KnowledgeGraph, attack: usize) -> HashSet<usize> {
    let mut places = HashSet::new();
    let mut queue: VecDeque<usize> = VecDeque::new();
    for inc in graph.incident(attack) {
        let l = graph.link(inc.link());
        if l.rel == Relation::OccurredIn && inc.direction == Direction::Out && !l.certainty.is_refuted() {
            queue.push_back(inc.other());
        }
    }
    while let Some(p) = queue.pop_front() {
        if !places.insert(p) {
            continue;
        }
        for inc in graph.incident(p) {
            let l = graph.link(inc.link());
            if l.rel == Relation::LocatedIn && inc.direction == Direction::Out && !l.certainty.is_refuted() {
                queue.push_back(inc.other());
            }
        }
    }
    places
}

#[cfg(test)]
mod tests;

//! Tests of path-to-attack chains on the fixture graphs.

use super::*;
use crate::query::fixture;

fn query(all: bool) -> ChainQuery {
    ChainQuery {
        filter: LinkFilter::default(),
        max_len: 4,
        to: None,
        all,
        limit: 50,
        budget: 10_000,
        timeout: None,
    }
}

fn run(actor: &str, q: &ChainQuery) -> Chains {
    let g = fixture::graph(fixture::CHAINS);
    chains(&g, g.index_of(actor).unwrap(), q)
}

fn route(c: &Chain) -> Vec<&str> {
    let mut v = vec![c.steps[0].step.from.id.as_str()];
    v.extend(c.steps.iter().map(|s| s.step.to.id.as_str()));
    v
}

#[test]
fn chains_rank_by_weakest_link_then_length() {
    let found = run("eve", &query(true));
    let routes: Vec<Vec<&str>> = found.chains.iter().map(route).collect();
    assert_eq!(routes, [vec!["eve", "x-attack"], vec!["eve", "beta-group", "x-attack"]]);
    assert_eq!(found.chains[0].weakest.grade, "B/Confirmed");
    let second = &found.chains[1];
    assert_eq!((second.weakest.step, second.weakest.grade.as_str()), (1, "D/Reported"));
    assert!(!found.truncated);
    let best = run("eve", &query(false));
    assert_eq!(best.chains.len(), 1, "one chain per attack unless --all");
}

#[test]
fn undated_steps_take_the_event_date_and_claims_may_follow_the_act() {
    let found = run("eve", &query(true));
    let direct = &found.chains[0];
    assert_eq!(direct.steps[0].dated_by, Some(DatedBy::Event));
    assert_eq!(direct.steps[0].when.as_ref().map(|d| d.as_str()), Some("2019-03-01"));
    // The claim is dated the day after the attack: that does not break the chain.
    assert!(found.chains[1].time_ordered);
    assert!(direct.undated.is_empty());
}

#[test]
fn a_step_dated_after_the_attack_breaks_the_chain() {
    let found = run("fay", &query(true));
    // Through the group's claim (attribution, dated by a membership that starts in 2021);
    // not through Eve, a fellow member: that climbs to the group and down again.
    let routes: Vec<Vec<&str>> = found.chains.iter().map(route).collect();
    assert_eq!(routes, [vec!["fay", "beta-group", "x-attack"]]);
    assert_eq!(found.chains[0].involvement, Involvement::Group);
    assert!(!found.chains[0].time_ordered);
    assert_eq!(found.chains[0].time_break, Some(TimeBreak::AfterAttack { step: 0 }));
}

#[test]
fn dates_running_backwards_break_the_chain() {
    let found = run("kim", &query(true));
    let routes: Vec<Vec<&str>> = found.chains.iter().map(route).collect();
    assert_eq!(routes, [vec!["kim", "gamma-cell", "beta-group", "x-attack"]]);
    assert_eq!(found.chains[0].time_break, Some(TimeBreak::Backwards { step: 1, previous: 0 }));
}

/// A parent with two affiliates: North (whose member is Nia and whose leader is Lou) and
/// South, which carried out the South attack. The parent claimed the Parent attack. Lou
/// handled Ola, who bombed the Ola attack. Gus, once of North, left before the North
/// attack; Ned died before it; the Old cell dissolved before it.
const HIERARCHY: &str = r#"(
        entities: [
            Person(id: "nia", name: "Nia", sources: ["s"]), Person(id: "lou", name: "Lou", sources: ["s"]),
            Person(id: "ola", name: "Ola", sources: ["s"]), Person(id: "gus", name: "Gus", sources: ["s"]),
            Person(id: "ned", name: "Ned", died: "2015", sources: ["s"]),
            Group(id: "parent", name: "Parent", subkind: Organisation, sources: ["s"]),
            Group(id: "north", name: "North", subkind: Affiliate, sources: ["s"]),
            Group(id: "south", name: "South", subkind: Affiliate, sources: ["s"]),
            Group(id: "old-cell", name: "Old cell", subkind: Cell, dissolved: "2016", sources: ["s"]),
            Event(id: "south-attack", name: "South attack", subkind: Attack, date: "2020", sources: ["s"]),
            Event(id: "parent-attack", name: "Parent attack", subkind: Attack, date: "2019", sources: ["s"]),
            Event(id: "ola-attack", name: "Ola attack", subkind: Attack, date: "2018", sources: ["s"]),
            Event(id: "north-attack", name: "North attack", subkind: Attack, date: "2021", sources: ["s"]),
        ],
        links: [
            (from: "nia", rel: MemberOf, to: "north", certainty: Confirmed, sources: ["s"]),
            (from: "lou", rel: LeaderOf, to: "north", certainty: Confirmed, sources: ["s"]),
            (from: "north", rel: AffiliateOf, to: "parent", certainty: Confirmed, sources: ["s"]),
            (from: "south", rel: AffiliateOf, to: "parent", certainty: Confirmed, sources: ["s"]),
            (from: "south", rel: Perpetrated, to: "south-attack", certainty: Confirmed, sources: ["s"]),
            (from: "parent", rel: Claimed, to: "parent-attack", certainty: Reported, sources: ["s"]),
            (from: "lou", rel: Handled, to: "ola", certainty: Reported, sources: ["s"]),
            (from: "ola", rel: Perpetrated, to: "ola-attack", certainty: Confirmed, sources: ["s"]),
            (from: "north", rel: Perpetrated, to: "north-attack", certainty: Reported, sources: ["s"]),
            (from: "gus", rel: MemberOf, to: "north", certainty: Reported, until: "2019", sources: ["s"]),
            (from: "ned", rel: MemberOf, to: "north", certainty: Reported, sources: ["s"]),
            (from: "old-cell", rel: PartOf, to: "north", certainty: Reported, sources: ["s"]),
        ],
    )"#;

fn attacks(actor: &str) -> Vec<(String, Involvement)> {
    let g = fixture::graph(HIERARCHY);
    let found = chains(&g, g.index_of(actor).unwrap(), &query(false));
    found.chains.iter().map(|c| (c.attack.id.clone(), c.involvement)).collect()
}

#[test]
fn chains_never_climb_to_a_parent_and_descend_to_a_sibling() {
    // Nia reaches her affiliate's attack and her parent's claim, never South's attack.
    assert_eq!(
        attacks("nia"),
        [("north-attack".to_owned(), Involvement::Group), ("parent-attack".to_owned(), Involvement::Group)]
    );
    // The parent reaches its affiliates' attacks, down the hierarchy.
    let parent = attacks("parent");
    assert_eq!(parent[0], ("parent-attack".to_owned(), Involvement::Direct));
    assert!(parent.contains(&("south-attack".to_owned(), Involvement::Command)), "{parent:?}");
    // A leader reaches what his group and his operative did, and his group's parent's claim.
    let lou = attacks("lou");
    assert!(lou.contains(&("ola-attack".to_owned(), Involvement::Command)), "{lou:?}");
    assert!(lou.contains(&("north-attack".to_owned(), Involvement::Command)), "{lou:?}");
    assert!(!lou.iter().any(|(a, _)| a == "south-attack"), "{lou:?}");
    // The operative does not reach his handler's other acts.
    assert_eq!(attacks("ola"), [("ola-attack".to_owned(), Involvement::Direct)]);
}

#[test]
fn dates_rule_out_the_dead_the_dissolved_and_those_who_left() {
    let g = fixture::graph(HIERARCHY);
    let run = |actor: &str| chains(&g, g.index_of(actor).unwrap(), &query(false));
    let gus = run("gus");
    assert!(!gus.chains.iter().any(|c| c.attack.id == "north-attack"), "Gus left in 2019");
    let why = gus.ruled_out.iter().find(|r| r.attack.id == "north-attack").expect("listed apart");
    assert!(matches!(why.reason, RuledOut::Ended { step: 0, .. }), "{:?}", why.reason);
    // The parent's claim of 2019 falls within his membership: still a chain.
    assert!(gus.chains.iter().any(|c| c.attack.id == "parent-attack"));
    let ned = run("ned");
    assert!(ned.chains.is_empty());
    assert!(
        ned.ruled_out
            .iter()
            .all(|r| matches!(&r.reason, RuledOut::Died { entity, .. } if entity.id == "ned"))
    );
    assert_eq!(ned.ruled_out.len(), 2);
    let old = run("old-cell");
    assert!(old.chains.is_empty());
    assert!(
        matches!(&old.ruled_out[0].reason, RuledOut::Dissolved { entity, .. } if entity.id == "old-cell")
    );
}

#[test]
fn refuted_links_are_never_part_of_a_chain() {
    assert!(run("hal", &query(true)).chains.is_empty());
}

#[test]
fn stages_come_from_the_chain_and_the_people_on_it() {
    let found = run("eve", &query(false));
    let c = &found.chains[0];
    let evidenced: Vec<Stage> = c.stages.iter().filter(|s| !s.evidence.is_empty()).map(|s| s.stage).collect();
    assert_eq!(
        evidenced,
        [Stage::Grievance, Stage::Ideation, Stage::Preparation, Stage::Breach, Stage::Attack]
    );
    assert_eq!(c.missing_stages, [Stage::ResearchAndPlanning]);
    let breach = &c.stages[4].evidence;
    assert_eq!(breach[0].link.to.id, "xland", "travel to the country of the attack is the breach");
    assert_eq!(breach[0].step, None, "context, not a step");
    let attack = &c.stages[5].evidence;
    assert_eq!(attack[0].step, Some(0));
    // Fay's membership postdates the attack: it is no context for it.
    let fay = run("fay", &query(false));
    assert!(fay.chains[0].stages[1].evidence.iter().all(|e| e.step.is_some()));
}

#[test]
fn relations_target_and_length_narrow_the_search() {
    let g = fixture::graph(fixture::CHAINS);
    let mut q = query(true);
    q.filter.relations = vec![Relation::MemberOf, Relation::Claimed];
    let found = chains(&g, g.index_of("eve").unwrap(), &q);
    assert_eq!(found.chains.len(), 1);
    assert_eq!(found.relations, [Relation::MemberOf, Relation::Claimed]);
    q = query(true);
    q.max_len = 2;
    assert!(chains(&g, g.index_of("kim").unwrap(), &q).chains.is_empty(), "kim's chain is 3 links");
    q = query(true);
    q.to = g.index_of("x-attack");
    q.limit = 1;
    let cut = chains(&g, g.index_of("eve").unwrap(), &q);
    assert_eq!(cut.chains.len(), 1);
    assert!(cut.truncated, "the limit cut the answer and says so");
}

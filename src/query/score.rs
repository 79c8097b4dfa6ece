//! How informative a connection is: the cost of a route, in parts an analyst can read.
//!
//! A route costs the sum of its links' costs and of the intermediaries it passes through;
//! lower is better. The weights follow relationship-explanation work on knowledge graphs
//! (REx, Fang et al., VLDB 2011: a connection through a rare, specific entity says more than
//! one through a common one) and degree-weighted path counts (a hub's links are discounted by
//! a power of its degree, which is a logarithm once costs are added):
//!
//! - a link costs its relation's weight ([`relation_cost`]: operational and personal ties 1,
//!   loose ties such as support or an arrest 1.5, presence 2, an event's target 3, context
//!   such as citizenship, location, `SubEventOf` or `Preceded` 5), plus a
//!   penalty for a certainty short of `Confirmed` ([`certainty_cost`]) and one for its best
//!   source's reliability ([`reliability_cost`]);
//! - an intermediary costs `0.5 · ln(links)` ([`hub_cost`]): a country or a parent
//!   organisation with hundreds of links costs about three, a person with four links less
//!   than one.
//!
//! Costs are kept in thousandths as integers, so that sums are exact and ties (broken by
//! dataset order) are the same on every machine.

use serde::Serialize;

use crate::graph::{Incident, KnowledgeGraph};
use crate::model::{Certainty, Relation, Reliability};

/// One unit of cost, in the integer thousandths the search adds up.
pub const UNIT: u64 = 1000;

/// How strongly a relation ties its two ends, as the cost of following it (thousandths).
pub fn relation_cost(rel: Relation) -> u64 {
    use Relation as R;
    match rel {
        // What people and groups did together or to each other: the connections an analyst
        // names.
        R::MemberOf
        | R::LeaderOf
        | R::Founded
        | R::PartOf
        | R::AffiliateOf
        | R::SplinterOf
        | R::Perpetrated
        | R::Plotted
        | R::Directed
        | R::Financed
        | R::ParticipatedIn
        | R::Claimed
        | R::Handled
        | R::Recruited
        | R::TrainedIn
        | R::AssociateOf
        | R::SiblingOf
        | R::SpouseOf
        | R::RelativeOf
        | R::ParentOf
        | R::InfluencedBy => UNIT,
        // Support, alliance and rivalry, arrests and convictions: real, but looser ties.
        R::SupporterOf | R::AlliedWith | R::RivalOf | R::ArrestedIn | R::ConvictedOf | R::DetainedIn => {
            3 * UNIT / 2
        }
        // Being somewhere: shared by everyone who was there.
        R::TraveledTo | R::LivedIn | R::BasedIn | R::OperatesIn | R::KilledIn => 2 * UNIT,
        // What an event aimed at: shared by every attack on the same target.
        R::Targeted => 3 * UNIT,
        // Context and analysis: where things are, whose citizen someone is, what an event
        // belongs to or came before. True, but no one's connection.
        R::CitizenOf | R::BornIn | R::LocatedIn | R::OccurredIn | R::SubEventOf | R::Preceded => 5 * UNIT,
    }
}

/// The added cost of a certainty short of `Confirmed` (thousandths). `Refuted` links are never
/// followed; its cost is there only to be total.
pub fn certainty_cost(c: Certainty) -> u64 {
    match c {
        Certainty::Confirmed => 0,
        Certainty::Reported => 250,
        Certainty::Alleged => 1000,
        Certainty::Suspected => 1250,
        Certainty::Disputed => 2000,
        Certainty::Refuted => 10 * UNIT,
    }
}

/// The added cost of a link's best source reliability (thousandths).
pub fn reliability_cost(r: Reliability) -> u64 {
    match r {
        Reliability::A => 0,
        Reliability::B => 100,
        Reliability::C => 250,
        Reliability::D => 500,
        Reliability::E => 750,
        Reliability::F => 1000,
    }
}

/// The cost of passing through an entity with `degree` links (thousandths): `0.5 · ln(degree)`.
pub fn hub_cost(degree: usize) -> u64 {
    (0.5 * (degree.max(1) as f64).ln() * UNIT as f64).round() as u64
}

/// What a route's cost is made of, in units (not thousandths), for the answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct ScoreParts {
    /// The relations' weights.
    pub relations: f64,
    /// The penalties for certainties short of `Confirmed`.
    pub certainty: f64,
    /// The penalties for sources less than completely reliable.
    pub sources: f64,
    /// The intermediaries' degree penalties.
    pub hubs: f64,
}

/// A link's cost as its three parts, in thousandths.
pub fn link_parts(graph: &KnowledgeGraph, inc: &Incident) -> [u64; 3] {
    let reliability = graph.link_reliability(inc.link());
    [relation_cost(inc.rel), certainty_cost(inc.certainty), reliability_cost(reliability)]
}

/// A link's whole cost, in thousandths.
pub fn link_cost(graph: &KnowledgeGraph, inc: &Incident) -> u64 {
    link_parts(graph, inc).iter().sum()
}

/// The cost of a route that leaves `start` by each of `steps` (the entity it reaches and the
/// adjacency entry taken), with its parts: every link, and every entity passed through (all
/// but the two ends).
pub fn route_cost(graph: &KnowledgeGraph, steps: &[(usize, Incident)]) -> (u64, ScoreParts) {
    let mut parts = [0u64; 4];
    for (n, (_, inc)) in steps.iter().enumerate() {
        for (sum, add) in parts.iter_mut().zip(link_parts(graph, inc)) {
            *sum += add;
        }
        if n + 1 < steps.len() {
            parts[3] += hub_cost(graph.degree(inc.other()));
        }
    }
    let unit = |k: u64| k as f64 / UNIT as f64;
    let score = ScoreParts {
        relations: unit(parts[0]),
        certainty: unit(parts[1]),
        sources: unit(parts[2]),
        hubs: unit(parts[3]),
    };
    (parts.iter().sum(), score)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_costs_more_than_a_tie_and_hubs_more_than_people() {
        assert!(relation_cost(Relation::CitizenOf) > 2 * relation_cost(Relation::AssociateOf));
        assert!(relation_cost(Relation::Preceded) > relation_cost(Relation::TraveledTo));
        assert!(certainty_cost(Certainty::Alleged) > certainty_cost(Certainty::Reported));
        assert!(reliability_cost(Reliability::D) > reliability_cost(Reliability::B));
        assert_eq!(hub_cost(1), 0);
        assert!(hub_cost(400) > 2 * hub_cost(4));
        // Two links through a country of 400 links cost more than four personal ties through
        // people of three links each.
        let via_country = 2 * relation_cost(Relation::CitizenOf) + hub_cost(400);
        let via_people = 4 * relation_cost(Relation::AssociateOf) + 3 * hub_cost(3);
        assert!(via_country > via_people);
    }

    #[test]
    fn every_relation_has_a_positive_cost() {
        for &rel in Relation::ALL.iter() {
            assert!(relation_cost(rel) >= UNIT, "{rel}");
        }
    }
}

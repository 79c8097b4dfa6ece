//! Attacks told with a verb rather than named: "Mohamed Asad blew himself up at the Zion
//! Church", "the first explosion tore through St. Anthony's Shrine", "two bombers set off
//! explosives on Parliament Avenue", "the Kingsbury was bombed by Mohamed Azzam". One event
//! for each place hit, named as a reader would ("bombing of the Zion Church"), that occurred
//! there and in the places the sentence gives after it, carried out by the person who is the
//! verb's subject (or its agent, in the passive).

use super::super::hedges;
use super::super::state::{Candidates, Found, PendingLink, Proposer, SentenceView, here_in};
use super::date_in;
use crate::model::{Certainty, EventType, Kind, Relation};

/// How an attack is told: the verb phrase, what the event is called, and whether the place
/// comes right after the verb ("tore through X") or after a preposition ("blew himself up at").
const VERBS: &[(&str, &str, Target)] = &[
    ("blew himself up", "bombing", Target::After),
    ("blew herself up", "bombing", Target::After),
    ("blew themselves up", "bombing", Target::After),
    ("set off explosives", "bombing", Target::After),
    ("set off his device", "bombing", Target::After),
    ("set off her device", "bombing", Target::After),
    ("set off a bomb", "bombing", Target::After),
    ("set off bombs", "bombing", Target::After),
    ("detonated their bombs", "bombing", Target::After),
    ("detonated a bomb", "bombing", Target::After),
    ("detonated his bomb", "bombing", Target::After),
    ("exploded", "bombing", Target::After),
    ("tore through", "bombing", Target::Object),
    ("attacked", "attack", Target::Object),
    ("stormed", "attack", Target::Object),
    ("opened fire", "shooting", Target::After),
    ("was bombed by", "bombing", Target::Passive),
    ("were bombed by", "bombing", Target::Passive),
    ("was attacked by", "attack", Target::Passive),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    /// A preposition and the place, a few words after the verb.
    After,
    /// The place right after the verb: "attacked the Shangri-La".
    Object,
    /// The place before the verb, the attacker after "by".
    Passive,
}

/// How far after the verb the place may be, in words ("set off explosives strapped around
/// their waists at the church").
const REACH_WORDS: usize = 9;

/// Proposes the attacks told in the sentence `range` (`lower`: the text in ASCII lower case),
/// adding their mentions to `added`.
pub(super) fn told_attacks(
    at: &SentenceView,
    lower: &str,
    added: &mut Vec<(usize, usize, usize)>,
    state: &mut Proposer,
) {
    let (text, range, mentions) = (at.text, at.range.clone(), at.mentions);
    for told in told_in(lower, range.clone(), mentions, state) {
        let Told { start, end, noun, places, attacker } = told;
        let place = &places[0];
        let preposition = match noun {
            "attack" => "on",
            "shooting" => "at",
            _ => "of",
        };
        let name = format!("{noun} {preposition} {}", &text[place.start..place.end]);
        let cand = state.event_at(place.cand, EventType::Attack, &name, || date_in(&text[range.clone()]));
        added.push((start, end, cand));
        for p in &places {
            state.add_link(PendingLink {
                from: cand,
                rel: Relation::OccurredIn,
                to: p.cand,
                certainty: Certainty::Reported,
                span: (start, p.end.max(end)),
                rule: "event-told",
            });
        }
        if let Some(a) = attacker {
            let span = (a.start.min(start), a.end.max(end));
            let certainty = hedges::told_certainty(&lower[span.0..span.1]);
            state.add_link(PendingLink {
                from: a.cand,
                rel: Relation::Perpetrated,
                to: cand,
                certainty,
                span,
                rule: "event-told",
            });
        }
    }
}

/// An attack told in a sentence: the span from the verb to the place, what it is called, the
/// places it occurred in (the one hit first) and its attacker.
struct Told {
    start: usize,
    end: usize,
    noun: &'static str,
    places: Vec<Found>,
    attacker: Option<Found>,
}

fn told_in(lower: &str, range: std::ops::Range<usize>, mentions: &[Found], state: &Candidates) -> Vec<Told> {
    let here: Vec<&Found> = here_in(mentions, &range).collect();
    let kind = |m: &Found| state.cands[m.cand].kind;
    // A place an attack can hit: not a country or region ("attacked Iran" is no one event).
    let hit = |m: &&&Found| {
        kind(m) == Kind::Place && !matches!(state.cands[m.cand].subkind, Some("Country" | "Region"))
    };
    let sentence = &lower[range.clone()];
    let mut out = Vec::new();
    for &(verb, noun, target) in VERBS {
        let Some(i) = sentence.match_indices(verb).map(|(i, _)| i).find(|&i| {
            let (s, e) = (range.start + i, range.start + i + verb.len());
            boundary(lower, s, e)
        }) else {
            continue;
        };
        let (verb_start, verb_end) = (range.start + i, range.start + i + verb.len());
        // Already an event here ("the bombing of the church"): the event rules have it.
        if here.iter().any(|m| kind(m) == Kind::Event && m.start < verb_end + 80 && verb_start < m.end) {
            continue;
        }
        let place = match target {
            Target::Passive => here
                .iter()
                .rev()
                .filter(hit)
                .find(|m| m.end <= verb_start)
                .filter(|m| matches!(&lower[m.end..verb_start], " " | " itself ")),
            Target::Object => here
                .iter()
                .filter(hit)
                .find(|m| m.start >= verb_end && matches!(&lower[verb_end..m.start], " " | " the " | " a ")),
            Target::After => here.iter().filter(hit).find(|m| {
                let gap = &lower[verb_end..m.start.max(verb_end)];
                m.start >= verb_end
                    && gap.split_whitespace().count() <= REACH_WORDS
                    && !gap.contains([',', ';', ':', '(', ')'])
                    && place_after_preposition(gap)
            }),
        };
        let Some(place) = place.copied() else { continue };
        // The attacker: the agent after "by", or the last person before the verb in its clause.
        let attacker =
            match target {
                Target::Passive => here.iter().find(|m| kind(m) == Kind::Person && m.start == verb_end + 1),
                _ => here.iter().rev().find(|m| kind(m) == Kind::Person && m.end <= verb_start).filter(|m| {
                    !lower[m.end..verb_start].contains([';', ':', '(']) && verb_start - m.end <= 160
                }),
            };
        // The places the sentence gives after it: "at St. Sebastian's Church in Katuwapitiya".
        let mut places = vec![place.clone()];
        for m in here.iter().filter(|m| kind(m) == Kind::Place && m.start >= place.end) {
            let last = places.last().map_or(place.end, |p| p.end);
            if !matches!(&lower[last..m.start], " in " | " in the " | ", " | " at " | " on ")
                || places.len() > 2
            {
                break;
            }
            places.push((*m).clone());
        }
        out.push(Told {
            start: verb_start.min(place.start),
            end: verb_end.max(place.end),
            noun,
            places,
            attacker: attacker.map(|a| (*a).clone()),
        });
    }
    out
}

/// Whether the words between a verb and a place end with a preposition of place and at
/// most an article and two describing words: " at the evangelical ".
fn place_after_preposition(gap: &str) -> bool {
    const PREPOSITIONS: &[&str] = &["at", "near", "on", "in", "inside", "outside", "through"];
    let words: Vec<&str> = gap.split_whitespace().collect();
    let Some(p) = words.iter().rposition(|w| PREPOSITIONS.contains(w)) else { return false };
    let after = &words[p + 1..];
    after.len() <= 3 && after.iter().skip(1).all(|w| !matches!(*w, "the" | "a" | "an" | "and" | "of"))
}

/// Whether `lower[s..e]` stands on word boundaries.
fn boundary(lower: &str, s: usize, e: usize) -> bool {
    let before = lower[..s].chars().next_back();
    let after = lower[e..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use crate::extract::tests::{entity, has, run};
    use crate::model::Relation;

    #[test]
    fn attacks_told_with_a_verb_are_events() {
        let ex = run("In Kabul, Zed Quorn blew himself up at the evangelical Zion Church. \
                      The Grand Hotel was bombed by Yan Roe. The first explosion tore through St. Mary's Cathedral in Herat.");
        assert!(
            has(&ex, "zed-quorn", Relation::Perpetrated, "bombing-of-zion-church").is_some(),
            "{:?}",
            ex.links
        );
        assert!(has(&ex, "bombing-of-zion-church", Relation::OccurredIn, "zion-church").is_some());
        assert!(
            has(&ex, "yan-roe", Relation::Perpetrated, "bombing-of-grand-hotel").is_some(),
            "{:?}",
            ex.links
        );
        let shrine = entity(&ex, "bombing of St. Mary's Cathedral");
        assert_eq!(shrine.mentions[0].text, "tore through St. Mary's Cathedral");
        assert!(has(&ex, &shrine.id, Relation::OccurredIn, "herat").is_some(), "{:?}", ex.links);
    }

    #[test]
    fn a_country_attacked_is_no_told_event() {
        let ex = run("Zed Quorn said the Omega Brigade attacked Afghanistan.");
        assert!(ex.entities.iter().all(|e| !e.name.starts_with("attack of")), "{:?}", ex.entities);
    }
}

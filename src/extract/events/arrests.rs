//! Arrests. Of named people: "Zoe Quill was arrested in Kabul", "agents detained Zoe Quill and
//! Yan Roe". One arrest event for the sentence, named after who was arrested ("arrest of Zoe
//! Quill", "capture of ...", "detention of ..."), with the sentence's date, the place the
//! arrest was made "in" or "at", and an `ArrestedIn` link from each person. Of a group's
//! members: "police arrested nine members of G in Belgium" (`Extractor::arrests`), an event in
//! each place that targets the group.

use super::super::state::{ArrestedIn, Found, PendingLink, Proposer, SentenceView, here_in};
use super::super::{Extractor, hedges};
use super::{coordinated_places, date_in};
use crate::model::{Certainty, EventType, Kind, Relation};

/// The verbs of an arrest, passive and active, and the noun that names the event.
const VERBS: &[(&str, &str)] = &[
    ("arrested", "arrest"),
    ("detained", "detention"),
    ("captured", "capture"),
    ("picked up", "arrest"),
    ("taken into custody", "arrest"),
];

/// Proposes the arrest events of `range` (a sentence of `text`; `lower` is the text with its
/// ASCII letters in lower case, so that its offsets are the text's; `mentions` sorted by
/// start), adding their mentions to `added`.
pub(super) fn person_arrests(
    at: &SentenceView,
    lower: &str,
    added: &mut Vec<(usize, usize, usize)>,
    state: &mut Proposer,
) {
    let (text, range, mentions) = (at.text, at.range.clone(), at.mentions);
    let sentence = &lower[range.clone()];
    let here: Vec<&Found> = here_in(mentions, &range).collect();
    let person = |m: &&Found| state.cands[m.cand].kind == Kind::Person;
    let Some((verb_at, verb_end, noun)) = VERBS.iter().find_map(|&(verb, noun)| {
        let phrase = format!(" {verb}");
        let i = sentence.find(&phrase)?;
        let end = i + phrase.len();
        sentence[end..].chars().next().is_none_or(|c| !c.is_alphanumeric()).then_some((
            range.start + i + 1,
            range.start + end,
            noun,
        ))
    }) else {
        return;
    };
    // Passive when "was", "were", "been" or "being" is among the two words before the verb
    // ("was arrested", "was reportedly detained").
    let passive = lower[range.start..verb_at]
        .split_whitespace()
        .rev()
        .take(2)
        .any(|w| matches!(w, "was" | "were" | "been" | "being"));
    // Who: before a passive verb, the sentence's first person and those listed with it
    // ("X and Y were arrested", "X, 24, was arrested"); after an active one, the people
    // right after it ("agents arrested X and Y").
    let mut who: Vec<&Found> = Vec::new();
    if passive {
        let Some(first) = here.iter().find(|m| person(m) && m.end <= verb_at) else { return };
        who.push(first);
        for m in here.iter().filter(|m| person(m) && m.start > first.end && m.end <= verb_at) {
            let gap = &lower[who.last().map_or(first.end, |w| w.end)..m.start];
            if !matches!(gap, " and " | ", " | ", and ") {
                break;
            }
            who.push(m);
        }
    } else {
        let mut at = verb_end;
        for m in here.iter().filter(|m| person(m) && m.start >= verb_end) {
            let gap = &lower[at..m.start];
            let opens = if at == verb_end {
                matches!(gap, " " | " the ")
            } else {
                matches!(gap, " and " | ", " | ", and ")
            };
            if !opens {
                break;
            }
            who.push(m);
            at = m.end;
        }
    }
    let (Some(first), Some(last)) = (who.first(), who.last()) else { return };
    // "Saidakhmetov, 19, who holds ..., was arrested": the name as written, list and all.
    let name = format!("{noun} of {}", &text[first.start..last.end]);
    let cand = state.new_event(&name, EventType::Arrest, date_in(sentence));
    added.push((verb_at, verb_end, cand));
    let certainty = hedges::told_certainty(sentence);
    let span = (first.start.min(verb_at), last.end.max(verb_end));
    for m in &who {
        state.add_link(PendingLink {
            from: m.cand,
            rel: Relation::ArrestedIn,
            to: cand,
            certainty,
            span,
            rule: "event-person-arrest",
        });
    }
    // Where: the first place after the verb that the arrest was made "in" or "at".
    let place = here.iter().find(|m| {
        m.start > verb_end
            && state.cands[m.cand].kind == Kind::Place
            && (lower[..m.start].ends_with(" in ") || lower[..m.start].ends_with(" at "))
            && !lower[verb_end..m.start].contains([';', '.'])
    });
    if let Some(p) = place {
        state.add_link(PendingLink {
            from: cand,
            rel: Relation::OccurredIn,
            to: p.cand,
            certainty,
            span: (verb_at, p.end),
            rule: "event-person-arrest",
        });
    }
}

impl Extractor {
    /// Arrests reported with a verb: "police in Belgium and Germany arrested nine suspected
    /// members of an IS-K cell", "authorities arrested eight members of IS-K in Los Angeles and
    /// New York". One event for the sentence, in each place, targeting the group whose members
    /// were arrested (as certain as the object says: "suspected members").
    pub(super) fn arrests(
        at: &SentenceView,
        lower: &str,
        added: &mut Vec<(usize, usize, usize)>,
        state: &mut Proposer,
        arrested_in: &mut Vec<ArrestedIn>,
    ) {
        let (text, range, mentions) = (at.text, at.range.clone(), at.mentions);
        const VERBS: &[&str] = &[" arrested ", " detained "];
        let sentence = &lower[range.clone()];
        let Some((at, verb)) = VERBS.iter().find_map(|v| sentence.find(v).map(|i| (range.start + i, *v)))
        else {
            return;
        };
        // The object: up to the first preposition ("in <place>", "in a joint operation"), a
        // comma or the sentence end, at most 14 words.
        let obj_start = at + verb.len();
        let clause_end =
            lower[obj_start..range.end].find([',', ';', '.']).map_or(range.end, |i| obj_start + i);
        let obj_end = [" in ", " on ", " at ", " during ", " after ", " last ", " for ", " when ", " as "]
            .iter()
            .filter_map(|p| lower[obj_start..clause_end].find(p))
            .min()
            .map_or(clause_end, |i| obj_start + i);
        let kind_of = |m: &Found| state.cands[m.cand].kind;
        let place_in = mentions.iter().find(|m| {
            m.start == obj_end + " in ".len()
                && kind_of(m) == Kind::Place
                && lower[..m.start].ends_with(" in ")
        });
        let object = &lower[obj_start..obj_end];
        if object.split_whitespace().count() > 14 || object.trim().is_empty() {
            return;
        }
        let groups: Vec<usize> = mentions
            .iter()
            .filter(|m| m.start >= obj_start && m.end <= obj_end && kind_of(m) == Kind::Group)
            .map(|m| m.cand)
            .collect();
        let Some(&group) = groups.first() else { return };
        // The places: after the object, or "police in <places> arrested".
        let first = place_in.or_else(|| {
            mentions.iter().find(|m| {
                m.start >= range.start
                    && m.end <= at
                    && kind_of(m) == Kind::Place
                    && lower[range.start..m.start].ends_with(" in ")
            })
        });
        let Some(first) = first else { return };
        let mut places = vec![(first.cand, first.end)];
        places.extend(coordinated_places(lower, mentions, state, first, range.end));
        let last_end = places.last().map_or(first.end, |p| p.1);
        if first.end <= at && lower.get(last_end..at).is_none_or(|g| g.split_whitespace().count() > 2) {
            return;
        }
        let name = format!("arrests of {}", text[obj_start..obj_end].trim());
        let span = (at + 1, obj_end.max(last_end));
        let cand = state.event_at(first.cand, EventType::Arrest, &name, || date_in(&lower[range.clone()]));
        added.push((at + 1, obj_end, cand));
        for (place, _) in places {
            arrested_in.extend(groups.iter().map(|&g| (g, place, range.clone())));
            state.add_link(PendingLink {
                from: cand,
                rel: Relation::OccurredIn,
                to: place,
                certainty: Certainty::Reported,
                span,
                rule: "event-arrest",
            });
        }
        state.add_link(PendingLink {
            from: cand,
            rel: Relation::Targeted,
            to: group,
            certainty: hedges::certainty_of(object),
            span,
            rule: "event-arrest",
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::tests::{entity, has, run};
    use crate::model::Kind;
    use crate::model::{Certainty, Relation};

    #[test]
    fn a_named_person_s_arrest_is_an_event_with_its_place() {
        let ex = run("Zoe Quill, 24, was arrested at his flat in Kabul on 3 May 2021.");
        let event = ex.entities.iter().find(|e| e.name == "arrest of Zoe Quill").expect("the event");
        assert_eq!(event.subkind, Some("Arrest"));
        assert_eq!(has(&ex, "zoe-quill", Relation::ArrestedIn, &event.id), Some(Certainty::Reported));
        assert_eq!(has(&ex, &event.id, Relation::OccurredIn, "kabul"), Some(Certainty::Reported));
        let ex = run("Agents detained Zoe Quill and Yan Roe in Kabul.");
        let event =
            ex.entities.iter().find(|e| e.name == "detention of Zoe Quill and Yan Roe").expect("the event");
        assert!(has(&ex, "yan-roe", Relation::ArrestedIn, &event.id).is_some());
        assert!(has(&ex, "zoe-quill", Relation::ArrestedIn, &event.id).is_some());
    }

    #[test]
    fn an_arrest_without_a_named_person_or_a_denied_one_is_not_confirmed() {
        let ex = run("İİ said: Zoe Quill, 24, was arrested in Kabul.");
        assert!(
            ex.entities.iter().any(|e| e.name == "arrest of Zoe Quill"),
            "offsets after a letter longer in lower case"
        );
        let ex = run("Police arrested three men in Kabul.");
        assert!(ex.entities.iter().all(|e| !e.name.starts_with("arrest of")));
        let ex = run("Zoe Quill was reportedly detained in Kabul.");
        let event = ex.entities.iter().find(|e| e.name == "detention of Zoe Quill").expect("the event");
        assert_ne!(has(&ex, "zoe-quill", Relation::ArrestedIn, &event.id), Some(Certainty::Confirmed));
    }

    #[test]
    fn arrests_target_the_group_in_each_place() {
        let text = "Police in Germany and France arrested six suspected members of the Omega Brigade.";
        let ex = run(text);
        let event = entity(&ex, "arrests of six suspected members of the Omega Brigade");
        assert_eq!(event.subkind, Some("Arrest"));
        assert_eq!(event.mentions[0].text, &text[event.mentions[0].start..event.mentions[0].end]);
        for place in ["germany", "france"] {
            assert_eq!(has(&ex, &event.id, Relation::OccurredIn, place), Some(Certainty::Reported));
        }
        assert_eq!(has(&ex, &event.id, Relation::Targeted, "omega-brigade"), Some(Certainty::Suspected));
        let ex = run("Police arrested two members of the Omega Brigade in Kabul and Herat in a dawn raid.");
        let event = entity(&ex, "arrests of two members of the Omega Brigade");
        assert_eq!(has(&ex, &event.id, Relation::Targeted, "omega-brigade"), Some(Certainty::Reported));
        assert_eq!(has(&ex, &event.id, Relation::OccurredIn, "herat"), Some(Certainty::Reported));
        assert_eq!(has(&ex, "omega-brigade", Relation::OperatesIn, "kabul"), None, "the arrest was there");
        let ex = run(
            "The Omega Brigade is active in Kabul. Police arrested two members of the Omega Brigade in Kabul.",
        );
        assert_eq!(has(&ex, "omega-brigade", Relation::OperatesIn, "kabul"), Some(Certainty::Reported));
        let ex = run("Police arrested a man in Kabul.");
        assert!(ex.entities.iter().all(|e| e.kind != Kind::Event), "no group arrested: no event");
    }
}

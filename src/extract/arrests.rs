//! Arrests of named people: "Zoe Quill was arrested in Kabul", "agents detained Zoe Quill and
//! Yan Roe". One arrest event for the sentence, named after who was arrested ("arrest of Zoe
//! Quill", "capture of ...", "detention of ..."), with the sentence's date, the place the
//! arrest was made "in" or "at", and an `ArrestedIn` link from each person.
//! (Arrests of a group's members, "police arrested nine members of G", are `events.rs`'s.)

use super::events::date_in;
use super::hedges;
use super::state::{Found, PendingLink, State, here_in};
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
    text: &str,
    lower: &str,
    range: std::ops::Range<usize>,
    mentions: &[Found],
    added: &mut Vec<(usize, usize, usize)>,
    state: &mut State,
) {
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
    let scope = format!(" {sentence} ");
    let certainty = match hedges::certainty(&scope) {
        // A court outcome elsewhere in the sentence does not make the arrest more certain.
        Certainty::Confirmed => Certainty::Reported,
        c => c,
    };
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

#[cfg(test)]
mod tests {
    use super::super::tests::{has, run};
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
}

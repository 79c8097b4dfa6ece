//! Events named by what they aimed at: killings of a named person ("the murder of reporter
//! Daniel Pearl"), operations against a place ("the siege of Aleppo"), and plots and attacks
//! with their targets, places and plotters ("a plot by an IS-K cell to attack US and NATO bases
//! in Germany", "plots targeting the Olympics", "the attack on Israel"). Runs after
//! coreference. In: the article, its folded text and its mentions; out: event mentions and
//! their `Targeted`, `OccurredIn` and `Planned` links.

use super::super::state::{Candidates, Found, PendingLink, Proposer};
use super::super::text::Folded;
use super::super::{Extractor, hedges};
use super::date_in;
use crate::model::{Certainty, EventType, Kind, Relation};

/// Nouns of a killing: the person named after "of" was killed in it ("the murder of Jo Doe").
pub(super) const KILLINGS: &[&str] = &["murder", "killing", "assassination", "beheading"];

/// Nouns of an operation against a place named after "of" ("the siege of Aleppo").
const OPERATIONS_OF: &[&str] = &["siege", "invasion", "bombardment", "occupation", "liberation", "fall"];

/// Nouns and verbs of planning, and whether any verb may follow their "to": a plot is hostile
/// whatever it plots, a plan or an attempt only with a verb of attack after it.
const PLANS: &[(&str, bool)] = &[
    ("plots", true),
    ("plot", true),
    ("plotted", true),
    ("plotting", true),
    ("conspiracy", true),
    ("conspired", true),
    ("plans", false),
    ("plan", false),
    ("planned", false),
    ("planning", false),
    ("attempts", false),
    ("attempt", false),
    ("attempted", false),
];

/// Verbs of attack after a plan's "to" ("a plan to bomb").
const ATTACK_VERBS: &[&str] = &[
    "attack",
    "bomb",
    "target",
    "strike",
    "hit",
    "kill",
    "murder",
    "assassinate",
    "behead",
    "kidnap",
    "disrupt",
    "blow up",
    "infiltrate",
];

/// Nouns of an attack whose target follows ("attacks targeting", "an attack on Israel").
const ATTACKS: &[&str] = &["attacks", "attack", "bombings", "bombing", "strikes", "strike"];

/// Words that end the object of a plot or an attack: another clause or another item.
const OBJECT_ENDS: &[&str] = &[
    " and the ",
    " and a ",
    " and an ",
    " which ",
    " that ",
    " who ",
    " while ",
    " after ",
    " before ",
    " when ",
    " as ",
    " but ",
    " because ",
    " for ",
    " by ",
    " with ",
    " since ",
    " until ",
];

/// Words before an event word that make it a threat or a hope, not an event ("an attack on
/// the US is likely", "calls to attack").
const NOT_YET: &[&str] = &["likely", "could", "would", "might", "will ", "call to", "calls to", "threat"];

impl Extractor {
    /// Events named by what they aimed at, found after surnames are resolved (so that "the
    /// murder of Mr Doe" finds Jo Doe): killings of a named person ("the murder of reporter Jo
    /// Doe", "the Doe murder"), who was killed in it; operations against a place ("the siege
    /// of Aleppo"); plots and attacks with their targets ("a plot by the Omega Brigade to
    /// attack Testville airport", "plans to disrupt Ann Example's concerts in Vienna", "plots
    /// targeting the Testland Games", "the attack on Testland"), where a place after "in" is
    /// where it happened and the other names in the object are what it targeted, and whoever
    /// "by" names, or the subject of "plotted to", plotted it.
    pub(super) fn aimed_events(
        &self,
        text: &str,
        folded: &Folded,
        sentences: &[std::ops::Range<usize>],
        mentions: &mut Vec<Found>,
        state: &mut Proposer,
    ) {
        // Read in the folded text (a no-break space is a space, ’ is '), mapped back at the end.
        let lower = folded.text.as_str();
        let to_folded =
            |m: &Found| Found { start: folded.folded(m.start), end: folded.folded(m.end), cand: m.cand };
        let fmentions: Vec<Found> = mentions.iter().map(to_folded).collect();
        let mut added: Vec<Found> = Vec::new();
        for original_range in sentences {
            let range = folded.folded(original_range.start)..folded.folded(original_range.end);
            let range = &range;
            let sentence = &lower[range.clone()];
            let words = sentence
                .match_indices(|c: char| c.is_alphabetic())
                .filter(|&(i, _)| i == 0 || !sentence[..i].ends_with(|c: char| c.is_alphanumeric()))
                .map(|(i, _)| range.start + i);
            for ws in words {
                let word_end =
                    lower[ws..range.end].find(|c: char| !c.is_alphanumeric()).map_or(range.end, |i| ws + i);
                let word = &lower[ws..word_end];
                let wanted = KILLINGS.contains(&word)
                    || OPERATIONS_OF.contains(&word)
                    || PLANS.iter().any(|p| p.0 == word)
                    || ATTACKS.contains(&word);
                if !wanted {
                    continue;
                }
                let taken = |s: usize, e: usize, added: &[Found]| {
                    fmentions
                        .iter()
                        .chain(added)
                        .any(|m| m.start < e && s < m.end && state.cands[m.cand].kind == Kind::Event)
                };
                // An event phrase read before from the same words ("the murder of Jo Doe in
                // Kabul" is also a described event) is this event: its links are added to it.
                let same = fmentions
                    .iter()
                    .find(|m| m.start == ws && state.cands[m.cand].kind == Kind::Event)
                    .map(|m| m.cand);
                if same.is_none() && taken(ws, word_end, &added) {
                    continue;
                }
                let hit = Hit { lower, ws, we: word_end, range, mentions: &fmentions, cands: state };
                let phrase = if KILLINGS.contains(&word) || OPERATIONS_OF.contains(&word) {
                    of_target(&hit)
                } else if let Some(&(_, any_verb)) = PLANS.iter().find(|p| p.0 == word) {
                    planned(&hit, any_verb)
                } else if ATTACKS.contains(&word) {
                    attacked(&hit)
                } else {
                    None
                };
                let Some(phrase) = phrase else { continue };
                let head_start = range.start.max(ws.saturating_sub(40));
                let head_start = (head_start..=ws).find(|&k| lower.is_char_boundary(k)).unwrap_or(ws);
                let head = &lower[head_start..ws];
                // The rest of the clause counts too: "an attack on Testland is likely".
                let tail = &lower[phrase.end..range.end];
                let tail = &tail[..tail.find([',', ';']).unwrap_or(tail.len())];
                if phrase.kind != EventType::Operation
                    && !KILLINGS.contains(&word)
                    && NOT_YET
                        .iter()
                        .any(|w| head.contains(w) || lower[ws..phrase.end].contains(w) || tail.contains(w))
                {
                    continue;
                }
                // Back to the original text's offsets.
                let back = |s: usize, e: usize| folded.original(s, e);
                let folded_mention = phrase.mention;
                let (start, end) = back(phrase.start, phrase.end);
                let phrase = Aimed {
                    start,
                    end,
                    mention: back(phrase.mention.0, phrase.mention.1),
                    subject: phrase.subject.map(|(c, s)| (c, back(s, s).0)),
                    ..phrase
                };
                let (ws, word_end) = back(ws, word_end);
                let range = original_range;
                let date = date_in(&text[range.clone()]);
                let name = match phrase.victim_before {
                    // "the Doe murder" is named as the murder of the person.
                    Some(v) => format!("{} of {}", &text[ws..word_end], state.cands[v].name),
                    None => text[phrase.start..phrase.end].to_owned(),
                };
                let key = phrase.key.map(|k| (k, phrase.kind));
                let cand = match same.or_else(|| key.and_then(|k| state.events.get(&k).copied())) {
                    Some(c) => c,
                    None => {
                        let c = state.new_event(&name, phrase.kind, date);
                        if let Some(k) = key {
                            state.events.insert(k, c);
                        }
                        c
                    }
                };
                let from_hedge = range.start.max(phrase.start.saturating_sub(40));
                let from_hedge =
                    (from_hedge..=phrase.start).find(|&k| text.is_char_boundary(k)).unwrap_or(phrase.start);
                let certainty = hedges::certainty_of(&text[from_hedge..phrase.end]);
                let span = (phrase.start, phrase.end);
                let rule = phrase.rule;
                for (rel, other) in phrase.links {
                    let (from, to) = match rel {
                        Relation::KilledIn | Relation::Plotted | Relation::Perpetrated => (other, cand),
                        _ => (cand, other),
                    };
                    // A named victim's death stated as fact is as sure as a record of it.
                    let certainty = match (rel, certainty) {
                        (Relation::KilledIn, Certainty::Reported) => Certainty::Confirmed,
                        (_, c) => c,
                    };
                    state.add_link(PendingLink { from, rel, to, certainty, span, rule });
                }
                if let Some((subject, scope_start)) = phrase.subject {
                    let scope = format!(" {} ", &text[scope_start..phrase.end]);
                    state.add_link(PendingLink {
                        from: subject,
                        rel: Relation::Plotted,
                        to: cand,
                        certainty: hedges::certainty(&scope),
                        span: (scope_start, phrase.end),
                        rule,
                    });
                }
                if same.is_none() {
                    added.push(Found { start: folded_mention.0, end: folded_mention.1, cand });
                }
            }
        }
        mentions.extend(added.iter().map(|m| {
            let (start, end) = folded.original(m.start, m.end);
            Found { start, end, cand: m.cand }
        }));
        mentions.sort_by_key(|m| (m.start, m.end));
    }
}

/// An event phrase read by [`Extractor::aimed_events`].
struct Aimed {
    /// The phrase, which names the event.
    start: usize,
    end: usize,
    /// The span of its mention (the phrase, or "Doe murder").
    mention: (usize, usize),
    kind: EventType,
    /// The entity one event of this kind is about in the whole article (a victim, a target).
    key: Option<usize>,
    /// "the Doe murder": the victim named before the noun.
    victim_before: Option<usize>,
    /// Links from (or to) the event: (relation, the other end).
    links: Vec<(Relation, usize)>,
    /// The subject of "plotted to", and where its clause starts.
    subject: Option<(usize, usize)>,
    rule: &'static str,
}

/// An event word as the rules below read it: the text in ASCII lower case, the word's start
/// (`ws`) and end (`we`), its sentence, and the mentions so far with their candidates.
#[derive(Clone, Copy)]
struct Hit<'a> {
    lower: &'a str,
    ws: usize,
    we: usize,
    range: &'a std::ops::Range<usize>,
    mentions: &'a [Found],
    cands: &'a Candidates,
}

/// "murder of <up to five words> <Person>", "siege of <Place>", and "the <Person> murder".
fn of_target(hit: &Hit) -> Option<Aimed> {
    let Hit { lower, ws, we, range, mentions, cands: state } = *hit;
    let end = range.end;
    let killing = KILLINGS.contains(&&lower[ws..we]);
    let kind_of = |m: &Found| state.cands[m.cand].kind;
    if killing {
        // "the Doe murder".
        if let Some(v) = mentions
            .iter()
            .find(|m| m.end + 1 == ws && kind_of(m) == Kind::Person && &lower[m.end..ws] == " ")
        {
            return Some(Aimed {
                start: v.start,
                end: we,
                mention: (v.start, we),
                kind: EventType::Attack,
                key: Some(v.cand),
                victim_before: Some(v.cand),
                links: vec![(Relation::KilledIn, v.cand)],
                subject: None,
                rule: "event-victim",
            });
        }
    }
    let rest = lower[we..end].strip_prefix(" of ")?;
    let obj = end - rest.len();
    let wanted = if killing { Kind::Person } else { Kind::Place };
    // The first name after "of", or for a killing the first person ("the murder of Testland
    // Times reporter Jo Doe").
    let m = mentions.iter().filter(|m| m.start >= obj && m.end <= end).find(|m| {
        !killing || kind_of(m) == Kind::Person || lower[obj..m.start].split_whitespace().count() > 5
    })?;
    let between = &lower[obj..m.start];
    let words = between.split_whitespace().count();
    let plain = between.chars().all(|c| c.is_alphanumeric() || c == ' ' || c == '-' || c == '\'');
    if kind_of(m) != wanted
        || !plain
        || words > if killing { 5 } else { 1 }
        || (!killing && !matches!(between, "" | "the "))
        || between.split_whitespace().any(|w| matches!(w, "and" | "or" | "who" | "which" | "that" | "was"))
    {
        return None;
    }
    let mut links = vec![(if killing { Relation::KilledIn } else { Relation::OccurredIn }, m.cand)];
    // "the murder of Jo Doe in Testville".
    let mut phrase_end = m.end;
    if let Some(p) = mentions.iter().find(|p| {
        p.start == m.end + " in ".len() && kind_of(p) == Kind::Place && &lower[m.end..p.start] == " in "
    }) {
        links.push((Relation::OccurredIn, p.cand));
        phrase_end = p.end;
    }
    Some(Aimed {
        start: ws,
        end: phrase_end,
        mention: (ws, phrase_end),
        kind: if killing { EventType::Attack } else { EventType::Operation },
        key: Some(m.cand),
        victim_before: None,
        links,
        subject: None,
        rule: if killing { "event-victim" } else { "event-operation" },
    })
}

/// The object of a plot or an attack from `start`: up to a clause end, at most twelve words,
/// cut after its last name; each name in it is a target, or the place when "in" precedes it
/// (unless it follows a targeted event: "the Testland Games in Testville" are in Testville).
fn object_links(
    lower: &str,
    start: usize,
    end: usize,
    mentions: &[Found],
    state: &Candidates,
) -> Option<(usize, Vec<(Relation, usize)>)> {
    let rest = &lower[start..end];
    let stop = rest.find([',', ';', ':', '(', ')', '.', '"', '“', '”', '–', '—']).unwrap_or(rest.len());
    let stop = OBJECT_ENDS.iter().filter_map(|w| rest[..stop].find(w)).min().unwrap_or(stop);
    let limit = rest[..stop].match_indices(' ').nth(11).map_or(stop, |(i, _)| i);
    let obj_end = start + limit;
    let mut links = Vec::new();
    let mut last_end = None;
    let mut last_kind = None;
    // The longest name at each start: "the Herat Games" before "Herat" inside it.
    let mut inside: Vec<&Found> = mentions.iter().filter(|m| m.start >= start && m.end <= obj_end).collect();
    inside.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    for m in inside {
        if last_end.is_some_and(|e| m.start < e) {
            continue;
        }
        let kind = state.cands[m.cand].kind;
        let placed = kind == Kind::Place
            && [" in ", " in the ", " at "]
                .iter()
                .any(|p| lower[start.saturating_sub(1)..m.start].ends_with(p));
        if placed {
            if last_kind != Some(Kind::Event) {
                links.push((Relation::OccurredIn, m.cand));
            }
        } else {
            links.push((Relation::Targeted, m.cand));
        }
        last_end = Some(m.end);
        last_kind = Some(kind);
    }
    Some((last_end?, links))
}

/// "plot(s) [by <group>] to <verb> <object>", "plans to attack <object>", "plot targeting
/// <object>"; "<subject> plotted to <verb> <object>".
fn planned(hit: &Hit, any_verb: bool) -> Option<Aimed> {
    let Hit { lower, ws, we, range, mentions, cands: state } = *hit;
    let end = range.end;
    let kind_of = |m: &Found| state.cands[m.cand].kind;
    let actor = |m: &Found| matches!(kind_of(m), Kind::Person | Kind::Group);
    let mut at = we;
    let mut links = Vec::new();
    // "a plot by a Tajik Omega cell to attack": who plotted it.
    if let Some(rest) = lower[at..end].strip_prefix(" by ") {
        let by = end - rest.len();
        let to = rest.find(" to ").filter(|&i| i <= 60 && !rest[..i].contains([',', ';', '(']))?;
        links.extend(
            mentions
                .iter()
                .filter(|m| m.start >= by && m.end <= by + to && actor(m))
                .map(|m| (Relation::Plotted, m.cand)),
        );
        at = by + to;
    }
    let obj = if let Some(rest) = lower[at..end].strip_prefix(" to ") {
        let verb = ATTACK_VERBS
            .iter()
            .find(|v| rest.starts_with(*v) && !rest[v.len()..].starts_with(|c: char| c.is_alphanumeric()));
        let verb_len = match verb {
            Some(v) => v.len(),
            None if any_verb => rest.find(' ')?,
            None => return None,
        };
        end - rest.len() + verb_len + 1
    } else if let Some(rest) = ["targeting ", "targetting ", "against ", "aimed at "]
        .iter()
        .find_map(|p| lower[at..end].strip_prefix(' ')?.strip_prefix(p))
    {
        end - rest.len()
    } else {
        return None;
    };
    if obj > end {
        return None;
    }
    let (obj_end, targets) = object_links(lower, obj, end, mentions, state)?;
    links.extend(targets);
    // A verb has its subject: "Jo Doe plotted to bomb".
    let verb = lower[ws..we].ends_with("ed") || lower[ws..we].ends_with("ing");
    let subject = verb
        .then(|| {
            mentions.iter().rev().find(|m| m.end <= ws && m.start >= range.start && actor(m)).filter(|m| {
                let gap = &lower[m.end..ws];
                gap.split_whitespace().count() <= 4 && !gap.contains([',', ';', ':', '(', ')'])
            })
        })
        .flatten()
        .map(|m| (m.cand, m.start));
    if verb && subject.is_none() && links.iter().all(|l| l.0 != Relation::Plotted) {
        // "for plotting to use a device against ...": an event only with an actor or a target.
        if !links.iter().any(|l| l.0 == Relation::Targeted) {
            return None;
        }
    }
    let key = links.iter().find(|l| l.0 == Relation::Targeted).map(|l| l.1);
    Some(Aimed {
        start: ws,
        end: obj_end,
        mention: (ws, obj_end),
        kind: EventType::Plot,
        key,
        victim_before: None,
        links,
        subject,
        rule: "event-plot",
    })
}

/// "attack(s) targeting|against <object>", and "attack on <country, group or person>" (an
/// attack on a city is where it happened, which [`Extractor::events`] reads).
fn attacked(hit: &Hit) -> Option<Aimed> {
    let Hit { lower, ws, we, range, mentions, cands: state } = *hit;
    let end = range.end;
    let rest = lower[we..end].strip_prefix(' ')?;
    let after = ["targeting ", "targetting ", "against ", "aimed at ", "on the ", "on "]
        .iter()
        .find_map(|p| rest.strip_prefix(p).map(|r| (*p, r)));
    let (prep, r) = after?;
    let obj = end - r.len();
    if prep.starts_with("on") {
        // Only a name right after "on", and not a city (that is where it happened).
        let m = mentions.iter().find(|m| m.start == obj)?;
        let sub = state.cands[m.cand].subkind;
        let target = match state.cands[m.cand].kind {
            Kind::Place => matches!(sub, Some("Country" | "Region")),
            Kind::Group | Kind::Person => true,
            _ => false,
        };
        if !target || lower[m.end..end].starts_with(" in ") {
            return None;
        }
        return Some(Aimed {
            start: ws,
            end: m.end,
            mention: (ws, m.end),
            kind: EventType::Attack,
            key: None,
            victim_before: None,
            links: vec![(Relation::Targeted, m.cand)],
            subject: None,
            rule: "event-target",
        });
    }
    let (obj_end, links) = object_links(lower, obj, end, mentions, state)?;
    links.iter().any(|l| l.0 == Relation::Targeted).then_some(Aimed {
        start: ws,
        end: obj_end,
        mention: (ws, obj_end),
        kind: EventType::Attack,
        key: None,
        victim_before: None,
        links,
        subject: None,
        rule: "event-target",
    })
}

#[cfg(test)]
mod tests {
    use crate::extract::tests::{entity, has, run};
    use crate::model::{Certainty, Kind, Relation};

    #[test]
    fn killings_name_their_victim() {
        let text = "He sits in jail for the murder of Omega Times reporter Zoe Quill in Kabul.";
        let ex = run(text);
        let event = entity(&ex, "murder of Omega Times reporter Zoe Quill in Kabul");
        assert_eq!((event.kind, event.subkind), (Kind::Event, Some("Attack")));
        assert_eq!(event.mentions[0].text, &text[event.mentions[0].start..event.mentions[0].end]);
        assert_eq!(has(&ex, "zoe-quill", Relation::KilledIn, &event.id), Some(Certainty::Confirmed));
        assert_eq!(has(&ex, &event.id, Relation::OccurredIn, "kabul"), Some(Certainty::Reported));
        let l = ex.links.iter().find(|l| l.rel == Relation::KilledIn).expect("the link");
        assert_eq!(&text[l.span.start..l.span.end], l.text);
        // The names inside the event's name still give their own links.
        assert_eq!(has(&ex, "zoe-quill", Relation::MemberOf, "omega-times"), Some(Certainty::Reported));
        // Hedged, and denied.
        for (text, certainty) in [
            (
                "Zoe Quill spoke. Police said the alleged murder of Ann Example was staged.",
                Certainty::Alleged,
            ),
            ("It was not the murder of Ann Example, the police said.", Certainty::Refuted),
        ] {
            let ex = run(text);
            let event = entity(&ex, "murder of Ann Example");
            assert_eq!(has(&ex, "ann", Relation::KilledIn, &event.id), Some(certainty), "{text}");
        }
        // A clause between the noun and the person is not a victim.
        let ex = run("The murder that shocked the town was solved by Zoe Quill.");
        assert!(ex.entities.iter().all(|e| e.kind != Kind::Event), "{:?}", ex.entities);
        // Two phrases for the killing of one person are one event.
        let ex = run("The murder of Zoe Quill shocked Kabul. The killing of Zoe Quill was avenged.");
        assert_eq!(ex.entities.iter().filter(|e| e.kind == Kind::Event).count(), 1, "{:?}", ex.entities);
    }

    #[test]
    fn operations_against_a_place() {
        let ex = run("Anger grew over the siege of Herat, and over the invasion of Testland.");
        let siege = entity(&ex, "siege of Herat");
        assert_eq!(siege.subkind, Some("Operation"));
        assert_eq!(has(&ex, &siege.id, Relation::OccurredIn, "herat"), Some(Certainty::Reported));
        assert_eq!(
            has(&ex, "invasion-of-testland", Relation::OccurredIn, "testland"),
            Some(Certainty::Reported)
        );
        let ex = run("The siege of Zoe Quill's house ended.");
        assert!(ex.entities.iter().all(|e| e.kind != Kind::Event), "{:?}", ex.entities);
    }

    #[test]
    fn plots_name_their_targets_their_place_and_their_plotters() {
        let text = "Police foiled a plot by a cell of the Omega Brigade to attack Ann Example and the Alpha Cell in Kabul.";
        let ex = run(text);
        let plot = entity(&ex, "plot by a cell of the Omega Brigade to attack Ann Example");
        assert_eq!(plot.subkind, Some("Plot"));
        assert_eq!(has(&ex, "omega-brigade", Relation::Plotted, &plot.id), Some(Certainty::Reported));
        assert_eq!(has(&ex, &plot.id, Relation::Targeted, "ann"), Some(Certainty::Reported));
        for l in &ex.links {
            assert_eq!(&text[l.span.start..l.span.end], l.text);
        }
        let text = "Officials disclosed plans to bomb Ann Example's concerts in Kabul.";
        let ex = run(text);
        let plot = entity(&ex, "plans to bomb Ann Example's concerts in Kabul");
        assert_eq!(has(&ex, &plot.id, Relation::Targeted, "ann"), Some(Certainty::Reported));
        assert_eq!(has(&ex, &plot.id, Relation::OccurredIn, "kabul"), Some(Certainty::Reported));
        assert_eq!(has(&ex, &plot.id, Relation::Targeted, "kabul"), None, "a place after `in` is where");
        let ex = run("Police uncovered several plots targeting the Alpha Cell.");
        let plot = entity(&ex, "plots targeting the Alpha Cell");
        assert_eq!(has(&ex, &plot.id, Relation::Targeted, "alpha-cell"), Some(Certainty::Reported));
        // The subject of a verb plotted it; hedges and denials hold.
        for (text, plot, certainty) in [
            (
                "Zoe Quill plotted to kill Ann Example in Kabul.",
                "plotted to kill Ann Example in Kabul",
                Certainty::Reported,
            ),
            (
                "Zoe Quill allegedly plotted to kill Ann Example.",
                "plotted to kill Ann Example",
                Certainty::Alleged,
            ),
            (
                "Zoe Quill never plotted to kill Ann Example.",
                "plotted to kill Ann Example",
                Certainty::Refuted,
            ),
        ] {
            let ex = run(text);
            let plot = entity(&ex, plot);
            assert_eq!(has(&ex, "zoe-quill", Relation::Plotted, &plot.id), Some(certainty), "{text}");
        }
        // A plan to do something else is no plot, and a threat is no event.
        let ex = run("The Alpha Cell planned to visit Ann Example in Kabul.");
        assert!(ex.entities.iter().all(|e| e.kind != Kind::Event), "{:?}", ex.entities);
        let ex = run("Officials warn that an attack on Testland is likely.");
        assert!(ex.entities.iter().all(|e| e.kind != Kind::Event), "{:?}", ex.entities);
        // Two plots against one target are one plot.
        let ex =
            run("Police foiled plans to attack Ann Example in Kabul. The plan to attack Ann Example failed.");
        assert_eq!(ex.entities.iter().filter(|e| e.kind == Kind::Event).count(), 1, "{:?}", ex.entities);
    }

    #[test]
    fn attacks_on_a_country_or_a_group_target_it() {
        let text = "The Omega Brigade condemned the attack on Testland.";
        let ex = run(text);
        let event = entity(&ex, "attack on Testland");
        assert_eq!(has(&ex, &event.id, Relation::Targeted, "testland"), Some(Certainty::Reported));
        assert_eq!(has(&ex, &event.id, Relation::OccurredIn, "testland"), None);
        let ex = run("It was the first of the attacks targeting the Alpha Cell in Kabul.");
        let event = entity(&ex, "attacks targeting the Alpha Cell in Kabul");
        assert_eq!(has(&ex, &event.id, Relation::Targeted, "alpha-cell"), Some(Certainty::Reported));
        assert_eq!(has(&ex, &event.id, Relation::OccurredIn, "kabul"), Some(Certainty::Reported));
        let ex = run("It was the first of the suspected attacks targeting the Alpha Cell.");
        let event = entity(&ex, "attacks targeting the Alpha Cell");
        assert_eq!(has(&ex, &event.id, Relation::Targeted, "alpha-cell"), Some(Certainty::Suspected));
    }
}

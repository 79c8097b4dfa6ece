//! The events stage: events as mentions of new `Event` candidates, with the links that
//! place, date and tie them. Here, events named by a phrase: attacks, plots, meetings and
//! operations written as "<place> attack", "bombing in <place>" or a short description of
//! what was hit ("shootings at a shrine in the city of Shiraz"), with the places coordinated
//! after them ("arrests in Italy, Spain, and Germany") and a date from the sentence
//! ([`dates`]), and the places an event's own name gives ("2004 Madrid train bombings"
//! occurred in Madrid). Its rule families, each beside its tests: [`contests`] ("the 2024
//! Paris Olympics"), [`arrests`] (of a group's members or of named people), [`told`] (attacks
//! told with a verb), [`aimed`] (killings, operations and plots named by what they aimed at)
//! and [`attackers`] (a place's attacker, read with the links).
//!
//! The stage runs in two parts around coreference: [`Extractor::events`] before it, and
//! [`Extractor::events_after_coreference`] after it, for the rules that need a short form
//! resolved to its full name. In: the prepared article and the new-name stage's mentions
//! (`new_names::Mentions`); out: [`Events`] (the mentions with the events among them, their
//! links, and where groups' members were arrested). After coreference, in: its
//! `coref::Resolved`; out: [`AimedEvents`].

mod aimed;
mod arrests;
mod attackers;
mod contests;
mod dates;
mod told;

use super::coref::Resolved;
use super::known::Target;
use super::links::place_type;
use super::state::{ArrestedIn, Candidates, Found, PendingLink, Proposer, SentenceView, each_sentence};
use super::text::on_word_boundaries;
use super::text::{MONTHS, Prepared};
use super::{Extractor, relations};
use crate::model::{Certainty, EventType, Kind, Relation, text::name_key};
use aimed::KILLINGS;
use dates::date_in;

/// The output of the events stage's first part: the mentions with the events among them
/// (sorted by start), the links that place, date and tie the events, and the groups whose
/// members were arrested in a place (which link reading must not take for the group operating
/// there).
pub(super) struct Events {
    pub(super) mentions: Vec<Found>,
    pub(super) links: Vec<PendingLink>,
    pub(super) arrested_in: Vec<ArrestedIn>,
}

/// The output of the events stage's second part, after coreference: the mentions with the
/// places named inside events' names and the events named by what they aimed at, and the
/// links those give.
pub(super) struct AimedEvents {
    pub(super) mentions: Vec<Found>,
    pub(super) links: Vec<PendingLink>,
}

impl Extractor {
    /// The events stage, before coreference: events named by a phrase (and contests), arrests
    /// of named people, and attacks told with a verb.
    pub(super) fn events(&self, article: &Prepared, mentions: Vec<Found>, cands: &mut Candidates) -> Events {
        let (text, sentences) = (&article.text, &article.sentences);
        let mut events = Events { mentions, links: Vec::new(), arrested_in: Vec::new() };
        let (mentions, arrested_in) = (&mut events.mentions, &mut events.arrested_in);
        let state = &mut Proposer { registry: cands, pending: &mut events.links };
        self.phrase_events(text, sentences, mentions, state, arrested_in);
        each_sentence(text, sentences, mentions, state, arrests::person_arrests);
        each_sentence(text, sentences, mentions, state, told::told_attacks);
        events
    }

    /// The events stage, after coreference (which gives these rules their full names): the
    /// places an event's name gives, and events named by what they aimed at.
    pub(super) fn events_after_coreference(
        &self,
        article: &Prepared,
        resolved: Resolved,
        cands: &mut Candidates,
    ) -> AimedEvents {
        let (text, sentences) = (&article.text, &article.sentences);
        let mut aimed = AimedEvents { mentions: resolved.mentions, links: Vec::new() };
        let mentions = &mut aimed.mentions;
        let state = &mut Proposer { registry: cands, pending: &mut aimed.links };
        self.places_in_event_names(text, mentions, state);
        self.aimed_events(text, &article.folded, sentences, mentions, state);
        aimed
    }

    /// An event's name often says where it happened ("2004 Madrid train bombings"): those
    /// places are mentioned too, and the event occurred in them.
    pub(super) fn places_in_event_names(&self, text: &str, mentions: &mut Vec<Found>, state: &mut Proposer) {
        let events: Vec<(usize, usize, usize)> = mentions
            .iter()
            .filter(|m| state.cands[m.cand].kind == Kind::Event)
            .map(|m| (m.start, m.end, m.cand))
            .collect();
        for (start, end, event) in events {
            // The event's own name matches the whole span: look from each later word on.
            let words = (start + 1..end)
                .filter(|&k| text.is_char_boundary(k) && text[..k].ends_with(|c: char| !c.is_alphanumeric()));
            let mut found: Vec<(usize, usize, Target)> = words
                .filter_map(|w| {
                    let (s, e, t) = self.known_mentions(&text[w..end]).into_iter().next()?;
                    (s == 0).then_some((w - start + s, w - start + e, t))
                })
                .collect();
            // A place at the very start ("Testville bombing"): the words up to each word end.
            let ends = (start + 1..end).filter(|&k| {
                text.is_char_boundary(k) && text[k..].starts_with(|c: char| !c.is_alphanumeric())
            });
            found.extend(ends.filter_map(|k| {
                let (s, e, t) = self.known_mentions(&text[start..k]).into_iter().next()?;
                (s == 0 && e == k - start).then_some((s, e, t))
            }));
            // "murder of Jo Doe": the person named in a killing's name was killed in it.
            let lower = text[start..end].to_lowercase();
            let killing = KILLINGS.iter().any(|k| lower.starts_with(&format!("{k} of ")));
            for (s, e, target) in found {
                let (other, link) = match target {
                    Target::Known(i) if self.known[i].kind == Kind::Place => {
                        (state.known(self, i), (event, Relation::OccurredIn, Certainty::Reported))
                    }
                    Target::Place(p) => {
                        (state.place(self, p), (event, Relation::OccurredIn, Certainty::Reported))
                    }
                    Target::Known(i) if killing && self.known[i].kind == Kind::Person => {
                        let victim = state.known(self, i);
                        (victim, (victim, Relation::KilledIn, Certainty::Confirmed))
                    }
                    _ => continue,
                };
                let (s, e) = (start + s, start + e);
                if !mentions.iter().any(|m| m.start == s && m.end == e) {
                    mentions.push(Found { start: s, end: e, cand: other });
                }
                let (from, rel, certainty) = link;
                let to = if from == event { other } else { event };
                let rule = if rel == Relation::KilledIn { "event-victim" } else { "event-name-place" };
                state.add_link(PendingLink { from, rel, to, certainty, span: (start, end), rule });
            }
        }
    }

    /// Attacks and plots named as "<place> attack" or "attack in <place>", with a date from
    /// the sentence when it gives one.
    fn phrase_events(
        &self,
        text: &str,
        sentences: &[std::ops::Range<usize>],
        mentions: &mut Vec<Found>,
        state: &mut Proposer,
        arrested_in: &mut Vec<ArrestedIn>,
    ) {
        self.contests(text, mentions, state);
        use EventType as T;
        const WORDS: &[(&str, EventType)] = &[
            ("attacks", T::Attack),
            ("attack", T::Attack),
            ("bombings", T::Attack),
            ("bombing", T::Attack),
            ("bombs", T::Attack),
            ("shootings", T::Attack),
            ("shooting", T::Attack),
            ("massacre", T::Attack),
            ("stabbings", T::Attack),
            ("stabbing", T::Attack),
            ("explosions", T::Attack),
            ("explosion", T::Attack),
            ("blasts", T::Attack),
            ("blast", T::Attack),
            ("murder", T::Attack),
            ("assassination", T::Attack),
            ("incident", T::Attack),
            ("assault", T::Attack),
            ("ambush", T::Attack),
            ("vandalism", T::Attack),
            ("siege", T::Operation),
            ("raids", T::Operation),
            ("raid", T::Operation),
            ("strikes", T::Operation),
            ("strike", T::Operation),
            ("operation", T::Operation),
            ("sweep", T::Arrest),
            ("ceremony", T::Meeting),
            ("invasion", T::Operation),
            ("plots", T::Plot),
            ("plot", T::Plot),
            ("meetings", T::Meeting),
            ("meeting", T::Meeting),
            ("arrests", T::Arrest),
            ("trial", T::Conviction),
        ];
        // ASCII lower case keeps every byte where it is ("İ" is longer in full lower case),
        // and the event words are ASCII.
        let lower = text.to_ascii_lowercase();
        let mut added = Vec::new();
        // Events the graph knows by name first, so that a later phrase for the same event
        // ("attacks in Kerman" before "the bombings in Kerman") can find them.
        let mut hits = Vec::new();
        // One search per word over the whole text, in the order of a search per sentence.
        for (wi, &(word, plot)) in WORDS.iter().enumerate() {
            for (ws, _) in lower.match_indices(word) {
                let we = ws + word.len();
                let si = sentences.partition_point(|r| r.end <= ws);
                let Some(range) = sentences.get(si).filter(|r| r.start <= ws && we <= r.end) else {
                    continue;
                };
                // Mentions are sorted by start, and none is longer than a sentence clause.
                let near = &mentions[..mentions.partition_point(|m| m.start < we)];
                let overlaps = near.iter().rev().take_while(|m| m.start + 400 > ws).any(|m| ws < m.end);
                if on_word_boundaries(text, ws, we) && !overlaps {
                    // "a stabbing spree in Minneapolis": the noun after the word is part of it.
                    let we = [" spree", " rampage", " campaign"]
                        .iter()
                        .find(|n| {
                            lower[we..range.end].starts_with(*n)
                                && on_word_boundaries(text, we + 1, we + n.len())
                        })
                        .map_or(we, |n| we + n.len());
                    hits.push((si, wi, range, ws, we, word, plot));
                }
            }
        }
        hits.sort_by_key(|h| (h.0, h.1, h.3));
        let hits: Vec<_> =
            hits.into_iter().map(|(_, _, range, ws, we, word, plot)| (range, ws, we, word, plot)).collect();
        // Each hit's place, further places and name, found once for both passes.
        let resolved: Vec<Option<EventPhrase>> = hits
            .iter()
            .map(|&(range, ws, we, word, plot)| {
                let is_place = |m: &&Found| state.cands[m.cand].kind == Kind::Place;
                // "<Place> attack": the place ends right before the word.
                let before = mentions.iter().filter(is_place).find(|m| {
                    m.end <= ws
                        && matches!(&text[m.end..ws], " " | "'s " | "’s " | " terror " | " terrorist ")
                });
                // "attack in|on|at <Place>", or a short description of the target between
                // the word and the place: "shootings at a shrine in the city of Shiraz".
                let after =
                    mentions.iter().filter(is_place).find(|m| m.start >= we && m.end <= range.end).filter(
                        |m| {
                            let gap = &lower[we..m.start];
                            // "the bombing of the Santa Maria Church": "of" before a venue only.
                            let venue =
                                matches!(state.cands[m.cand].subkind, Some("Venue" | "Facility" | "Camp"));
                            matches!(
                                gap,
                                " in "
                                    | " at "
                                    | " on "
                                    | " in the city of "
                                    | " in the "
                                    | " on the "
                                    | " at the "
                                    | " across "
                                    | " across the "
                                    | " near "
                                    | " outside "
                                    | " outside the "
                            ) || (venue && matches!(gap, " of the " | " of "))
                                || described_place(gap)
                        },
                    );
                let place = before.or(after)?;
                let place_sub = state.cands[place.cand].subkind;
                // "attacks in Iran" is a pattern of attacks, not one (arrests across countries
                // are one operation); "attack on the US" names a target, not a place.
                let country = place_sub == Some("Country") || place_sub == Some("Region");
                let target = matches!(lower[we..place.start.max(we)].trim(), "on" | "on the");
                if country && ((word.ends_with('s') && plot != T::Arrest) || target) {
                    return None;
                }
                // "arrests in Italy, Spain, and Germany": one event in each place ("Kabul,
                // Afghanistan" is one place in another).
                // "the Testville and Herat bombings": the place before the last one too.
                let other_before = before.and_then(|b| {
                    mentions.iter().filter(is_place).find(|m| {
                        m.end <= b.start && matches!(&lower[m.end..b.start], " and " | ", and " | " or ")
                    })
                });
                let also = match (before, other_before) {
                    (None, _) => coordinated_places(&lower, mentions, state, place, range.end),
                    (Some(_), Some(other)) => vec![(other.cand, we)],
                    (Some(_), None) => Vec::new(),
                };
                // A described event is named by its description, as a reader would.
                let described = before.is_none() && described_place(&lower[we..place.start]);
                let name = if described {
                    text[ws..place.end].to_owned()
                } else if let Some(other) = other_before {
                    text[other.start..we].to_owned()
                } else {
                    format!("{} {}", &text[place.start..place.end], &text[ws..we])
                };
                // "the stabbing spree in Minneapolis" is the graph's "Minneapolis stabbing".
                let base = format!("{} {}", &text[place.start..place.end], word);
                let known =
                    self.by_key.get(&name_key(&name)).or_else(|| self.by_key.get(&name_key(&base))).copied();
                let (start, end) = match (before, other_before) {
                    (Some(_), Some(other)) => (other.start, we),
                    (Some(_), None) => (place.start, we),
                    (None, _) => (ws, place.end),
                };
                Some(EventPhrase { start, end, place: place.clone(), also, name, known })
            })
            .collect();
        for known_pass in [true, false] {
            for (&(range, ws, we, _, plot), phrase) in hits.iter().zip(&resolved) {
                let Some(EventPhrase { start, end, place, also, name, known }) = phrase else { continue };
                let (start, end) = (*start, *end);
                if known_pass != known.is_some() || added.iter().any(|&(s, e, _)| s < we && ws < e) {
                    continue;
                }
                // The phrase's own date first ("the knife attack in Schaerbeek in 2022").
                let (wide_start, wide_end) = widened(&lower, range.clone(), start, end);
                let date = date_in(&text[wide_start..wide_end]).or_else(|| date_in(&text[range.clone()]));
                // The same place's attack (or plot) named twice is one event; a name the
                // graph knows is that event, and so is a known event of the same type
                // this article names after the place ("the 2024 bombings in Kerman", then
                // "attacks in Kerman").
                let place_key = format!(" {} ", name_key(&text[place.start..place.end]));
                let named = mentions.iter().map(|m| m.cand).chain(added.iter().map(|a| a.2)).find(|&c| {
                    let e = &state.cands[c];
                    e.known
                        && e.kind == Kind::Event
                        && e.subkind == Some(plot.name())
                        && format!(" {} ", name_key(&e.name)).contains(&place_key)
                });
                let cand = match *known {
                    // A known event read from a phrase is that place's event of its type for
                    // the phrases after it ("the stabbing spree in Minneapolis", then "the
                    // Minneapolis attack").
                    Some(k) => {
                        let c = state.known(self, k);
                        state.events.entry((place.cand, plot)).or_insert(c);
                        c
                    }
                    None => match state.events.get(&(place.cand, plot)).copied().or(named) {
                        Some(c) => {
                            state.events.entry((place.cand, plot)).or_insert(c);
                            c
                        }
                        None => {
                            let c = state.new_event(name, plot, date);
                            state.events.insert((place.cand, plot), c);
                            c
                        }
                    },
                };
                let place_cand = place.cand;
                added.push((wide_start, wide_end, cand));
                state.add_link(PendingLink {
                    from: cand,
                    rel: Relation::OccurredIn,
                    to: place_cand,
                    certainty: Certainty::Reported,
                    span: (start, end),
                    rule: "event-place",
                });
                for &(c, e) in also {
                    state.add_link(PendingLink {
                        from: cand,
                        rel: Relation::OccurredIn,
                        to: c,
                        certainty: Certainty::Reported,
                        span: (start, e),
                        rule: "event-place",
                    });
                }
            }
        }
        if lower.contains(" arrested ") || lower.contains(" detained ") {
            for range in sentences {
                let at = SentenceView { text, range: range.clone(), mentions };
                Self::arrests(&at, &lower, &mut added, state, arrested_in);
            }
        }
        for (start, end, cand) in added {
            mentions.push(Found { start, end, cand });
        }
        mentions.sort_by_key(|m| (m.start, m.end));
    }
}

/// The places coordinated after `first` in a sentence ending at `end`: "in Italy, Spain, and
/// Germany"; "Kabul, Afghanistan" is one place in another, not two.
fn coordinated_places(
    lower: &str,
    mentions: &[Found],
    state: &Candidates,
    first: &Found,
    end: usize,
) -> Vec<(usize, usize)> {
    let sub = |c: usize| place_type(state.cands[c].subkind);
    let mut also = Vec::new();
    let mut last = first;
    for m in mentions.iter().filter(|m| m.start >= first.end && m.end <= end) {
        if m.start < last.end {
            continue;
        }
        let joiner = &lower[last.end..m.start];
        // "the bombing of the Santa Maria Church on Jalan Ngagel in Surabaya": each place the
        // phrase goes on to give is a place of the event too.
        let within = matches!(joiner, " in " | " in the " | " on " | " on the ");
        let coordinated = state.cands[m.cand].kind == Kind::Place
            && (within
                || (matches!(joiner, ", " | " and " | ", and " | " and the " | ", and the ")
                    && relations::located_in(sub(last.cand), joiner, sub(m.cand)).is_none()));
        if !coordinated {
            break;
        }
        also.push((m.cand, m.end));
        last = m;
    }
    also
}

/// The words between an event word and a place that describe what was hit there, as in
/// "attack on a military parade in" Ahvaz: a preposition first, a place preposition last, and
/// no clause in between.
fn described_place(gap: &str) -> bool {
    const STOP: &[&str] = &[
        "and", "or", "which", "that", "who", "was", "were", "is", "are", "has", "had", "by", "after",
        "before", "when", "while", "with", "since", "than",
    ];
    let words: Vec<&str> = gap.split_whitespace().collect();
    let opens = words
        .first()
        .is_some_and(|w| matches!(*w, "at" | "on" | "of" | "in" | "near" | "against" | "outside"));
    let closes = gap.ends_with(" in ")
        || gap.ends_with(" in the ")
        || gap.ends_with(" at ")
        || gap.ends_with(" near ")
        || gap.ends_with(" city of ")
        || gap.ends_with(" town of ");
    opens
        && closes
        && (3..=9).contains(&words.len())
        && !gap.contains(|c: char| ",;:()[]\"“”–—".contains(c))
        && !words.iter().any(|w| STOP.contains(w))
}

/// Words that say what sort of attack or operation an event was, written before its word:
/// "the knife attack", "a car bombing", "the army raid".
const EVENT_MODIFIERS: &[&str] = &[
    "car",
    "truck",
    "knife",
    "suicide",
    "army",
    "police",
    "drone",
    "coalition",
    "military",
    "air",
    "bomb",
    "gun",
    "mass",
    "twin",
    "deadly",
    "failed",
    "foiled",
    "planned",
    "thwarted",
    "terror",
    "terrorist",
    "coordinated",
    "mall",
    "church",
    "airport",
];

/// Words that end a date after an event: "in 2022", "of 2016", "on May 23", "in January 2011".
const DATE_WORDS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

/// The span of an event phrase (`start..end` inside the sentence `range` of `lower`) with the
/// words of its description around it: modifiers before ("the army raid on Marawi") and a
/// date after ("... on May 23", "the Brussels bombings of 2016"), as a reader names it.
fn widened(lower: &str, range: std::ops::Range<usize>, start: usize, end: usize) -> (usize, usize) {
    let is_year = |w: &str| {
        let digits = w.rsplit('-').next().unwrap_or(w);
        digits.len() == 4 && digits.starts_with(['1', '2']) && digits.bytes().all(|b| b.is_ascii_digit())
    };
    let mut from = start;
    for _ in 0..2 {
        let head = &lower[range.start..from];
        let Some(word) = head.strip_suffix(' ').and_then(|h| h.rsplit(' ').next()) else { break };
        if word.is_empty() || !(EVENT_MODIFIERS.contains(&word) || is_year(word)) {
            break;
        }
        from -= word.len() + 1;
    }
    // A date: "in|of|on" and up to four date words (month names, days, years).
    let mut to = end;
    let tail = &lower[end..range.end];
    if let Some(rest) = [" in ", " of ", " on "].iter().find_map(|p| tail.strip_prefix(p)) {
        let mut taken = 0;
        let mut last_date = None;
        for word in rest.split(' ').take(4) {
            let bare = word.trim_end_matches([',', '.']);
            let dated = is_year(bare)
                || MONTHS.contains(&bare)
                || DATE_WORDS.contains(&bare)
                || (bare.len() <= 2 && !bare.is_empty() && bare.bytes().all(|b| b.is_ascii_digit()));
            if !dated {
                break;
            }
            taken += word.len() + 1;
            // The phrase ends at the last date word, without its comma or full stop.
            last_date = Some(taken - 1 - (word.len() - bare.len()));
            if word.ends_with('.') && !DATE_WORDS.contains(&bare) {
                break;
            }
        }
        if let Some(n) = last_date {
            to = end + (tail.len() - rest.len()) + n;
        }
    }
    (from, to)
}

/// An event word with its place, as `Extractor::events` reads it: the phrase's span, the
/// place and any places coordinated after it, the event's name, and the known entity of
/// that name.
struct EventPhrase {
    start: usize,
    end: usize,
    place: Found,
    also: Vec<(usize, usize)>,
    name: String,
    known: Option<usize>,
}

#[cfg(test)]
mod tests {
    use crate::extract::tests::{entity, has, run};
    use crate::extract::{Document, Extractor};
    use crate::model::{Certainty, Kind, Relation};
    use crate::query::fixture;

    #[test]
    fn a_letter_longer_in_lower_case_does_not_hide_the_events() {
        // "İ" is two bytes, and three in full lower case.
        let ex = run("İlhan Quorn spoke. The Omega Brigade claimed the bombing in Kabul on 3 March 2021.");
        assert_eq!(entity(&ex, "Kabul bombing").date.as_deref(), Some("2021-03-03"));
    }

    #[test]
    fn an_event_mention_takes_its_modifiers_and_its_own_date() {
        let ex = run("In 2014 there was unrest. Police said a knife attack in Kabul in 2022 was foiled. \
                      The army raid on Herat on May 23, 2017 began the siege.");
        let attack = entity(&ex, "Kabul attack");
        assert_eq!(attack.mentions[0].text, "knife attack in Kabul in 2022");
        assert_eq!(attack.date.as_deref(), Some("2022"), "the phrase's date, not the sentence's first");
        let raid = entity(&ex, "Herat raid");
        assert_eq!(raid.mentions[0].text, "army raid on Herat on May 23, 2017");
        assert_eq!(raid.date.as_deref(), Some("2017-05-23"));
    }

    #[test]
    fn events_with_places_and_dates() {
        let ex = run("The Omega Brigade claimed the bombing in Kabul on 3 March 2021.");
        let event = entity(&ex, "Kabul bombing");
        assert_eq!(
            (event.kind, event.subkind, event.date.as_deref()),
            (Kind::Event, Some("Attack"), Some("2021-03-03"))
        );
        assert_eq!(has(&ex, "kabul-bombing", Relation::OccurredIn, "kabul"), Some(Certainty::Reported));
        assert_eq!(has(&ex, "omega-brigade", Relation::Claimed, "kabul-bombing"), Some(Certainty::Reported));
    }

    #[test]
    fn described_events_are_named_by_their_description() {
        let text = "The Omega Brigade claimed the shootings at a shrine in the northern city of Kabul.";
        let ex = run(text);
        let event = entity(&ex, "shootings at a shrine in the northern city of Kabul");
        assert_eq!((event.kind, event.subkind), (Kind::Event, Some("Attack")));
        assert_eq!(event.mentions[0].text, &text[event.mentions[0].start..event.mentions[0].end]);
        assert_eq!(has(&ex, &event.id, Relation::OccurredIn, "kabul"), Some(Certainty::Reported));
        assert_eq!(has(&ex, "omega-brigade", Relation::Claimed, &event.id), Some(Certainty::Reported));
        let ex = run("The Omega Brigade allegedly carried out an attack on a market in Kabul.");
        let event = entity(&ex, "attack on a market in Kabul");
        assert_eq!(has(&ex, "omega-brigade", Relation::Perpetrated, &event.id), Some(Certainty::Alleged));
        // A list of events, with a date after the first.
        let ex = run(
            "The Omega Brigade claimed the bombing in Kabul in March 2021 and an attack on a market in Herat.",
        );
        let event = entity(&ex, "attack on a market in Herat");
        assert_eq!(has(&ex, "omega-brigade", Relation::Claimed, &event.id), Some(Certainty::Reported));
        let ex =
            run("The Omega Brigade never claimed the bombing in Kabul and the attack on a market in Herat.");
        let event = entity(&ex, "attack on a market in Herat");
        assert_eq!(has(&ex, "omega-brigade", Relation::Claimed, &event.id), Some(Certainty::Refuted));
        // A clause between the word and the place is not a description.
        let ex = run("The attack that was planned for months hit Kabul.");
        assert!(ex.entities.iter().all(|e| e.kind != Kind::Event), "{:?}", ex.entities);
    }

    #[test]
    fn a_phrase_for_a_known_event_is_that_event() {
        let graph = fixture::graph(
            r#"(entities: [
                Event(id: "testville-bombings", name: "Testville bombings", subkind: Attack, sources: ["s"]),
                Group(id: "omega", name: "Omega Front", subkind: Organisation, sources: ["s"]),
                Place(id: "testville", name: "Testville", subkind: City, sources: ["s"]),
            ], links: [])"#,
        );
        let x = Extractor::new(Some(&graph));
        let text = "The Omega Front reportedly carried out attacks in Testville. The bombings in Testville shocked many.";
        let ex = x.extract(&[Document { file: "a.txt".into(), source: "s".into(), text: text.into() }]);
        let events: Vec<&str> =
            ex.entities.iter().filter(|e| e.kind == Kind::Event).map(|e| e.id.as_str()).collect();
        assert_eq!(events, ["testville-bombings"], "one event");
        assert_eq!(has(&ex, "omega", Relation::Perpetrated, "testville-bombings"), Some(Certainty::Alleged));
    }

    #[test]
    fn event_words_with_a_noun_after_and_places_before() {
        let text = "The Omega Brigade claimed the stabbing spree in Kabul.";
        let ex = run(text);
        let event = entity(&ex, "Kabul stabbing spree");
        assert_eq!(event.mentions[0].text, "stabbing spree in Kabul");
        assert_eq!(has(&ex, "omega-brigade", Relation::Claimed, &event.id), Some(Certainty::Reported));
        let ex = run("The Kabul and Herat explosions killed many.");
        let event = entity(&ex, "Kabul and Herat explosions");
        for place in ["kabul", "herat"] {
            assert_eq!(has(&ex, &event.id, Relation::OccurredIn, place), Some(Certainty::Reported));
        }
        // A phrase for an event the graph knows, then another name for it, is one event.
        let graph = fixture::graph(
            r#"(entities: [
                Event(id: "kabul-spree", name: "Kabul stabbing", subkind: Attack, sources: ["s"]),
                Place(id: "kabul", name: "Kabul", subkind: City, sources: ["s"]),
            ], links: [])"#,
        );
        let x = Extractor::new(Some(&graph));
        let text = "The stabbing spree in Kabul was claimed. The Kabul attack shocked many.";
        let ex = x.extract(&[Document { file: "a.txt".into(), source: "s".into(), text: text.into() }]);
        let events: Vec<&str> =
            ex.entities.iter().filter(|e| e.kind == Kind::Event).map(|e| e.id.as_str()).collect();
        assert_eq!(events, ["kabul-spree"]);
    }
}

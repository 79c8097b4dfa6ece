//! Events named in the text: attacks, plots, meetings and operations written as "<place>
//! attack", "bombing in <place>" or a short description of what was hit ("shootings at a shrine
//! in the city of Shiraz"), with the places coordinated after them ("arrests in Italy, Spain,
//! and Germany") and a date from the sentence; arrests reported with a verb ("police arrested
//! nine suspected members of the group in Belgium"); and the places an event's own name gives
//! ("2004 Madrid train bombings" occurred in Madrid).

use super::text::on_word_boundaries;
use super::{Extractor, Found, MONTHS, PendingLink, State, Target, place_type, relations};
use crate::model::{Certainty, EventType, Kind, Relation, text::name_key};

impl Extractor {
    /// An event's name often says where it happened ("2004 Madrid train bombings"): those
    /// places are mentioned too, and the event occurred in them.
    pub(super) fn places_in_event_names(&self, text: &str, mentions: &mut Vec<Found>, state: &mut State) {
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
            for (s, e, target) in found {
                let place = match target {
                    Target::Known(i) if self.known[i].kind == Kind::Place => state.known(self, i),
                    Target::Place(p) => state.place(self, p),
                    _ => continue,
                };
                let (s, e) = (start + s, start + e);
                if !mentions.iter().any(|m| m.start == s && m.end == e) {
                    mentions.push(Found { start: s, end: e, cand: place });
                }
                state.add_link(PendingLink {
                    from: event,
                    rel: Relation::OccurredIn,
                    to: place,
                    certainty: Certainty::Reported,
                    span: (start, end),
                    rule: "event-name-place",
                });
            }
        }
    }

    /// Attacks and plots named as "<place> attack" or "attack in <place>", with a date from
    /// the sentence when it gives one.
    pub(super) fn events(
        &self,
        text: &str,
        sentences: &[std::ops::Range<usize>],
        mentions: &mut Vec<Found>,
        state: &mut State,
    ) {
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
            ("stabbing", T::Attack),
            ("murder", T::Attack),
            ("assassination", T::Attack),
            ("incident", T::Attack),
            ("siege", T::Operation),
            ("raid", T::Operation),
            ("invasion", T::Operation),
            ("plots", T::Plot),
            ("plot", T::Plot),
            ("meetings", T::Meeting),
            ("meeting", T::Meeting),
            ("arrests", T::Arrest),
            ("trial", T::Conviction),
        ];
        let lower = text.to_lowercase();
        if lower.len() != text.len() {
            // Lower-casing changed byte lengths (rare scripts): offsets would not line up.
            return;
        }
        let mut added = Vec::new();
        // Events the graph knows by name first, so that a later phrase for the same event
        // ("attacks in Kerman" before "the bombings in Kerman") can find them.
        let mut hits = Vec::new();
        for range in sentences {
            for &(word, plot) in WORDS {
                for (at, _) in lower[range.clone()].match_indices(word) {
                    let (ws, we) = (range.start + at, range.start + at + word.len());
                    if on_word_boundaries(text, ws, we)
                        && !mentions.iter().any(|m| m.start < we && ws < m.end)
                    {
                        hits.push((range, ws, we, word, plot));
                    }
                }
            }
        }
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
                let after = mentions
                    .iter()
                    .filter(is_place)
                    .find(|m| m.start >= we && m.end <= range.end)
                    .filter(|m| {
                        let gap = &lower[we..m.start];
                        matches!(gap, " in " | " at " | " on " | " in the city of " | " in the " | " on the ")
                            || described_place(gap)
                    });
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
                let also = if before.is_none() {
                    coordinated_places(&lower, mentions, state, place, range.end)
                } else {
                    Vec::new()
                };
                // A described event is named by its description, as a reader would.
                let described = before.is_none() && described_place(&lower[we..place.start]);
                let name = if described {
                    text[ws..place.end].to_owned()
                } else {
                    format!("{} {}", &text[place.start..place.end], &text[ws..we])
                };
                let known = self.by_key.get(&name_key(&name)).copied();
                let (start, end) = if before.is_some() { (place.start, we) } else { (ws, place.end) };
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
                let date = date_in(&text[range.clone()]);
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
                    Some(k) => state.known(self, k),
                    None => match state.events.get(&(place.cand, plot)).copied().or(named) {
                        Some(c) => c,
                        None => {
                            let c = state.new_event(name, plot, date);
                            state.events.insert((place.cand, plot), c);
                            c
                        }
                    },
                };
                let place_cand = place.cand;
                added.push((start, end, cand));
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
                Self::arrests(text, &lower, range.clone(), mentions, &mut added, state);
            }
        }
        for (start, end, cand) in added {
            mentions.push(Found { start, end, cand });
        }
        mentions.sort_by_key(|m| (m.start, m.end));
    }

    /// Arrests reported with a verb: "police in Belgium and Germany arrested nine suspected
    /// members of an IS-K cell", "authorities arrested eight members of IS-K in Los Angeles and
    /// New York". One event for the sentence, in each place, targeting the group whose members
    /// were arrested (as certain as the object says: "suspected members").
    fn arrests(
        text: &str,
        lower: &str,
        range: std::ops::Range<usize>,
        mentions: &[Found],
        added: &mut Vec<(usize, usize, usize)>,
        state: &mut State,
    ) {
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
        let key = (first.cand, EventType::Arrest);
        let cand = match state.events.get(&key) {
            Some(&c) => c,
            None => {
                let c = state.new_event(&name, EventType::Arrest, date_in(&lower[range.clone()]));
                state.events.insert(key, c);
                c
            }
        };
        added.push((at + 1, obj_end, cand));
        for (place, _) in places {
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
            certainty: relations::certainty(&format!(" {object} ")),
            span,
            rule: "event-arrest",
        });
    }
}

/// The places coordinated after `first` in a sentence ending at `end`: "in Italy, Spain, and
/// Germany"; "Kabul, Afghanistan" is one place in another, not two.
fn coordinated_places(
    lower: &str,
    mentions: &[Found],
    state: &State,
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
        let coordinated = state.cands[m.cand].kind == Kind::Place
            && matches!(joiner, ", " | " and " | ", and " | " and the " | ", and the ")
            && relations::located_in(sub(last.cand), joiner, sub(m.cand)).is_none();
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

/// A date the sentence gives: "22 May 2017", "May 2017", "in 2017"; the first one.
pub(super) fn date_in(sentence: &str) -> Option<String> {
    let lower = sentence.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    for (i, w) in words.iter().enumerate() {
        let year = w.len() == 4 && w.starts_with(['1', '2']) && w.chars().all(|c| c.is_ascii_digit());
        if !year {
            continue;
        }
        let y: u32 = w.parse().ok()?;
        if !(1900..=2100).contains(&y) {
            continue;
        }
        let month = i.checked_sub(1).and_then(|j| MONTHS.iter().position(|m| *m == words[j]));
        let day_month = i.checked_sub(2).and_then(|j| {
            let month = MONTHS.iter().position(|m| *m == words[j + 1])?;
            let day: u32 = words[j].parse().ok().filter(|d| (1..=31).contains(d))?;
            Some((month, day))
        });
        let month_day = i.checked_sub(2).and_then(|j| {
            let month = MONTHS.iter().position(|m| *m == words[j])?;
            let day: u32 = words[j + 1].parse().ok().filter(|d| (1..=31).contains(d))?;
            Some((month, day))
        });
        let text = match (day_month.or(month_day), month) {
            (Some((m, d)), _) => format!("{y}-{:02}-{d:02}", m + 1),
            (None, Some(m)) => format!("{y}-{:02}", m + 1),
            _ => y.to_string(),
        };
        if crate::model::PartialDate::parse(&text).is_ok() {
            return Some(text);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::tests::{entity, has, run};
    use super::super::{Document, Extractor};
    use crate::model::{Certainty, Kind, Relation};
    use crate::query::fixture;

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
        let ex = run("Police arrested a man in Kabul.");
        assert!(ex.entities.iter().all(|e| e.kind != Kind::Event), "no group arrested: no event");
    }
}

//! Events named in the text: attacks, plots, meetings and operations written as "<place>
//! attack", "bombing in <place>" or a short description of what was hit ("shootings at a shrine
//! in the city of Shiraz"), with the places coordinated after them ("arrests in Italy, Spain,
//! and Germany") and a date from the sentence; arrests reported with a verb ("police arrested
//! nine suspected members of the group in Belgium"); the places an event's own name gives
//! ("2004 Madrid train bombings" occurred in Madrid); contests named as such ("the 2024 Paris
//! Olympics"); and events named by what they aimed at: killings of a named person ("the
//! murder of reporter Daniel Pearl"), operations against a place ("the siege of Aleppo"), and
//! plots and attacks with their targets, places and plotters ("a plot by an IS-K cell to
//! attack US and NATO bases in Germany", "plots targeting the Olympics", "the attack on
//! Israel").

use super::known::Target;
use super::links::place_type;
use super::state::{Found, PendingLink, State, each_sentence, here_in};
use super::text::{Folded, fold, on_word_boundaries};
use super::text::{MONTHS, Prepared};
use super::{Extractor, arrests, hedges, relations, told};
use crate::model::{Certainty, EventType, Kind, Relation, text::name_key};

impl Extractor {
    /// The events stage, before coreference: events named by a phrase (and contests), arrests
    /// of named people, and attacks told with a verb.
    pub(super) fn events(&self, article: &Prepared, mentions: &mut Vec<Found>, state: &mut State) {
        let (text, sentences) = (&article.text, &article.sentences);
        self.phrase_events(text, sentences, mentions, state);
        each_sentence(text, sentences, mentions, state, arrests::person_arrests);
        each_sentence(text, sentences, mentions, state, told::told_attacks);
    }

    /// The events stage, after coreference (which gives these rules their full names): the
    /// places an event's name gives, and events named by what they aimed at.
    pub(super) fn events_after_coreference(
        &self,
        article: &Prepared,
        mentions: &mut Vec<Found>,
        state: &mut State,
    ) {
        let (text, sentences) = (&article.text, &article.sentences);
        self.places_in_event_names(text, mentions, state);
        self.aimed_events(text, &article.folded, sentences, mentions, state);
    }

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
        state: &mut State,
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
        let cand = state.event_at(first.cand, EventType::Arrest, &name, || date_in(&lower[range.clone()]));
        added.push((at + 1, obj_end, cand));
        for (place, _) in places {
            state.arrested_in.extend(groups.iter().map(|&g| (g, place, range.clone())));
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
            certainty: hedges::certainty(&format!(" {object} ")),
            span,
            rule: "event-arrest",
        });
    }
}

/// Titles of whoever carried out an attack ("the Testville bomber").
const ATTACKERS: &[&str] = &["bomber", "attacker", "gunman", "shooter", "assailant", "killer", "stabber"];

impl Extractor {
    /// A person titled after a place's attack ("Testville attacker Zoe Quill", "Zoe Quill
    /// [the Testville suicide bomber]") carried out the attack the article places there: the
    /// event of that place read from its phrases, or the one attack an event link puts there,
    /// or else a new "<place> attack", which the title implies.
    pub(super) fn attackers(
        &self,
        doc: &super::Document,
        text: &str,
        range: std::ops::Range<usize>,
        mentions: &[Found],
        state: &mut State,
    ) {
        let here: Vec<&Found> = here_in(mentions, &range).collect();
        for (i, m) in here.iter().enumerate() {
            if state.cands[m.cand].kind != Kind::Place {
                continue;
            }
            // The two words after the place are enough.
            let reach = (m.end + 48).min(range.end);
            let reach = (reach..=range.end).find(|&k| text.is_char_boundary(k)).unwrap_or(range.end);
            let after = fold(&text[m.end..reach]);
            let words: Vec<&str> = after.split_whitespace().take(2).collect();
            let titled = match words.as_slice() {
                [w, ..] if ATTACKERS.contains(&w.trim_end_matches([']', ',', ')', ':'])) => Some(1),
                [_, w] if ATTACKERS.contains(&w.trim_end_matches([']', ',', ')', ':'])) => Some(2),
                _ => None,
            };
            let Some(n) = titled else { continue };
            // Where the title ends in the original text.
            let mut title_end = m.end;
            for _ in 0..n {
                let rest = &text[title_end..range.end];
                let skip = rest.len() - rest.trim_start().len();
                let word = rest
                    .trim_start()
                    .find(|c: char| !c.is_alphanumeric() && c != '-')
                    .unwrap_or(rest.trim_start().len());
                title_end += skip + word;
            }
            // The person right after the title, or the one the bracketed title describes.
            let person = |f: &&&Found| state.cands[f.cand].kind == Kind::Person;
            let after_person = here[i + 1..].iter().find(|p| p.start >= title_end).filter(|p| {
                person(p) && matches!(text[title_end..p.start].trim_end_matches(' '), "" | "," | ":")
            });
            let before_person = here[..i].iter().rev().find(|p| p.end <= m.start).filter(|p| {
                person(p)
                    && matches!(
                        // Spaced out: markup brackets are blanked to spaces.
                        fold(&text[p.end..m.start]).split_whitespace().collect::<Vec<_>>().as_slice(),
                        ["the"]
                            | ["(the"]
                            | ["[the"]
                            | [",", "the"]
                            | ["-", "the"]
                            | [",", "a"]
                            | ["[a"]
                            | ["(a"]
                    )
            });
            let Some(p) = after_person.or(before_person) else { continue };
            // The place's attack.
            let event = state.events.get(&(m.cand, EventType::Attack)).copied().or_else(|| {
                let attack =
                    |c: usize| state.cands[c].kind == Kind::Event && state.cands[c].subkind == Some("Attack");
                let mut placed: Vec<usize> = state
                    .pending
                    .iter()
                    .chain(state.links.iter().filter(|d| d.file == doc.file).map(|d| &d.link))
                    .filter(|l| l.rel == Relation::OccurredIn && l.to == m.cand && attack(l.from))
                    .map(|l| l.from)
                    .collect();
                placed.sort_unstable();
                placed.dedup();
                (placed.len() == 1).then(|| placed[0])
            });
            let span = (p.start.min(m.start), p.end.max(title_end));
            // No attack there yet: the title says there was one ("the Testville attack").
            let event = match event {
                Some(e) => e,
                None => {
                    let name = format!("{} attack", &text[m.start..m.end]);
                    let e = match self.by_key.get(&name_key(&name)) {
                        Some(&k) => state.known(self, k),
                        None => state.new_event(&name, EventType::Attack, None),
                    };
                    state.events.insert((m.cand, EventType::Attack), e);
                    state.cands[e].mentions.push(super::Mention {
                        source: doc.source.clone(),
                        file: doc.file.clone(),
                        start: m.start,
                        end: title_end,
                        text: doc.text[m.start..title_end].to_owned(),
                    });
                    state.add_link(PendingLink {
                        from: e,
                        rel: Relation::OccurredIn,
                        to: m.cand,
                        certainty: Certainty::Reported,
                        span: (m.start, title_end),
                        rule: "attacker-of-place",
                    });
                    e
                }
            };
            let from_hedge = range.start.max(span.0.saturating_sub(40));
            let from_hedge = (from_hedge..=span.0).find(|&k| text.is_char_boundary(k)).unwrap_or(span.0);
            let certainty = hedges::certainty(&format!(" {} ", &text[from_hedge..span.1]));
            state.add_link(PendingLink {
                from: p.cand,
                rel: Relation::Perpetrated,
                to: event,
                certainty,
                span,
                rule: "attacker-of-place",
            });
        }
    }
}

/// The last words of a named contest or gathering, and how many capitalised words must come
/// before a lower-case one ("the UEFA European Football championship").
const CONTESTS: &[(&str, usize)] = &[
    ("Olympics", 0),
    ("Olympic Games", 0),
    ("Paralympics", 0),
    ("Paralympic Games", 0),
    ("World Cup", 1),
    ("Championships", 1),
    ("Championship", 1),
    ("championship", 2),
    ("Grand Prix", 1),
    ("Marathon", 1),
    ("Super Bowl", 0),
    ("Games", 1),
];

impl Extractor {
    /// Contests named by a run of capitalised words ending in "Olympics", "World Cup",
    /// "Championship" and the like ("the 2028 Testville Olympics", "the ICC Men's T20 Cricket
    /// World Cup"): `Gathering` events, dated when the name has a year. A place inside the
    /// name stays a mention (the contest is held there); a person or group read from the same
    /// words ("Summer Olympics" looks like a name) does not.
    pub(super) fn contests(&self, text: &str, mentions: &mut Vec<Found>, state: &mut State) {
        static FIND: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> = std::sync::OnceLock::new();
        let Some(find) =
            FIND.get_or_init(|| aho_corasick::AhoCorasick::new(CONTESTS.iter().map(|c| c.0)).ok())
        else {
            return;
        };
        let mut found: Vec<(usize, usize)> = Vec::new();
        // One pass for all the head words, in the order of one search per head word.
        let mut heads: Vec<(usize, usize)> =
            find.find_overlapping_iter(text).map(|m| (m.pattern().as_usize(), m.start())).collect();
        heads.sort_unstable();
        for (k, at) in heads {
            let (head, before_needed) = CONTESTS[k];
            {
                let end = at + head.len();
                if !on_word_boundaries(text, at, end) {
                    continue;
                }
                // Back over capitalised words, years and "Men's", one space apart.
                let mut start = at;
                let mut count = 0;
                while count < 6 {
                    let before = &text[..start];
                    let Some(space) = before.strip_suffix(' ').or_else(|| before.strip_suffix('\u{a0}'))
                    else {
                        break;
                    };
                    let word_start = space
                        .rfind(|c: char| c.is_whitespace() || "([\"“".contains(c))
                        .map_or(0, |i| i + space[i..].chars().next().map_or(1, char::len_utf8));
                    let word = &space[word_start..];
                    let year = word.len() == 4 && word.chars().all(|c| c.is_ascii_digit());
                    let capital = word.chars().next().is_some_and(char::is_uppercase)
                        && !matches!(
                            word,
                            "The"
                                | "A"
                                | "An"
                                | "In"
                                | "At"
                                | "For"
                                | "Of"
                                | "This"
                                | "That"
                                | "Its"
                                | "Their"
                                | "His"
                                | "Her"
                        );
                    if !(year || capital) || word.ends_with([',', '.', ';', ':']) {
                        break;
                    }
                    start = word_start;
                    count += 1;
                }
                if count < before_needed || found.iter().any(|&(s, e)| s < end && at < e) {
                    continue;
                }
                found.push((start, end));
            }
        }
        found.sort();
        for (start, end) in found {
            let overlaps = |m: &Found| m.start < end && start < m.end;
            if mentions.iter().any(|m| overlaps(m) && state.cands[m.cand].kind == Kind::Event) {
                continue;
            }
            mentions.retain(|m| !overlaps(m) || state.cands[m.cand].kind == Kind::Place);
            let name = &text[start..end];
            let cand = state.keyed(Kind::Event, name, Some(EventType::Gathering.name()), "event-contest");
            if state.cands[cand].date.is_none() {
                state.cands[cand].date = date_in(name);
            }
            mentions.push(Found { start, end, cand });
        }
        mentions.sort_by_key(|m| (m.start, m.end));
    }
}

/// Nouns of a killing: the person named after "of" was killed in it ("the murder of Jo Doe").
const KILLINGS: &[&str] = &["murder", "killing", "assassination", "beheading"];

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
        state: &mut State,
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
                let phrase = if KILLINGS.contains(&word) || OPERATIONS_OF.contains(&word) {
                    of_target(lower, ws, word_end, range.end, &fmentions, state)
                } else if let Some(&(_, any_verb)) = PLANS.iter().find(|p| p.0 == word) {
                    planned(lower, ws, word_end, range, any_verb, &fmentions, state)
                } else if ATTACKS.contains(&word) {
                    attacked(lower, ws, word_end, range.end, &fmentions, state)
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
                let certainty = hedges::certainty(&format!(" {} ", &text[from_hedge..phrase.end]));
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

/// "murder of <up to five words> <Person>", "siege of <Place>", and "the <Person> murder".
fn of_target(
    lower: &str,
    ws: usize,
    we: usize,
    end: usize,
    mentions: &[Found],
    state: &State,
) -> Option<Aimed> {
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
    state: &State,
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
fn planned(
    lower: &str,
    ws: usize,
    we: usize,
    range: &std::ops::Range<usize>,
    any_verb: bool,
    mentions: &[Found],
    state: &State,
) -> Option<Aimed> {
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
fn attacked(
    lower: &str,
    ws: usize,
    we: usize,
    end: usize,
    mentions: &[Found],
    state: &State,
) -> Option<Aimed> {
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
        let month = i.checked_sub(1).and_then(|j| month_number(words[j]));
        let day_month = i.checked_sub(2).and_then(|j| {
            let month = month_number(words[j + 1])?;
            let day: u32 = words[j].parse().ok().filter(|d| (1..=31).contains(d))?;
            Some((month, day))
        });
        let month_day = i.checked_sub(2).and_then(|j| {
            let month = month_number(words[j])?;
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

/// A month's number from 0, written in full or cut short as wire copy writes it ("Oct.",
/// "Sept."; the full stop is gone by the time words are split).
fn month_number(word: &str) -> Option<usize> {
    const SHORT: [&str; 12] =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    MONTHS
        .iter()
        .position(|m| *m == word)
        .or_else(|| SHORT.iter().position(|m| *m == word))
        .or_else(|| (word == "sept").then_some(8))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{entity, has, run};
    use super::super::{Document, Extractor};
    use crate::model::{Certainty, Kind, Relation};
    use crate::query::fixture;

    #[test]
    fn a_letter_longer_in_lower_case_does_not_hide_the_events() {
        // "İ" is two bytes, and three in full lower case.
        let ex = run("İlhan Quorn spoke. The Omega Brigade claimed the bombing in Kabul on 3 March 2021.");
        assert_eq!(entity(&ex, "Kabul bombing").date.as_deref(), Some("2021-03-03"));
    }

    #[test]
    fn dates_with_short_month_names() {
        use super::date_in;
        assert_eq!(date_in("On Oct. 31, 2017, a truck drove onto the path").as_deref(), Some("2017-10-31"));
        assert_eq!(date_in("the night of Wednesday, Nov. 26, 2008").as_deref(), Some("2008-11-26"));
        assert_eq!(date_in("arrested in Sept. 2014 in Leeds").as_deref(), Some("2014-09"));
        assert_eq!(date_in("on 7 Dec 2008").as_deref(), Some("2008-12-07"));
        assert_eq!(date_in("in March 2021").as_deref(), Some("2021-03"));
        // A word that is no month leaves the year alone.
        assert_eq!(date_in("Octavia said in 2019").as_deref(), Some("2019"));
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
        let ex = run("Zoe Quill spoke. Police said the alleged murder of Ann Example was staged.");
        let event = entity(&ex, "murder of Ann Example");
        assert_eq!(has(&ex, "ann", Relation::KilledIn, &event.id), Some(Certainty::Alleged));
        let ex = run("It was not the murder of Ann Example, the police said.");
        let event = entity(&ex, "murder of Ann Example");
        assert_eq!(has(&ex, "ann", Relation::KilledIn, &event.id), Some(Certainty::Refuted));
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
        let ex = run("Zoe Quill plotted to kill Ann Example in Kabul.");
        let plot = entity(&ex, "plotted to kill Ann Example in Kabul");
        assert_eq!(has(&ex, "zoe-quill", Relation::Plotted, &plot.id), Some(Certainty::Reported));
        let ex = run("Zoe Quill allegedly plotted to kill Ann Example.");
        let plot = entity(&ex, "plotted to kill Ann Example");
        assert_eq!(has(&ex, "zoe-quill", Relation::Plotted, &plot.id), Some(Certainty::Alleged));
        let ex = run("Zoe Quill never plotted to kill Ann Example.");
        let plot = entity(&ex, "plotted to kill Ann Example");
        assert_eq!(has(&ex, "zoe-quill", Relation::Plotted, &plot.id), Some(Certainty::Refuted));
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

    #[test]
    fn contests_are_events_held_where_their_name_says() {
        let text = "Police foiled a plot targeting the 2028 Kabul Olympics and the Herat Cricket World Cup.";
        let ex = run(text);
        let games = entity(&ex, "2028 Kabul Olympics");
        assert_eq!(
            (games.kind, games.subkind, games.date.as_deref()),
            (Kind::Event, Some("Gathering"), Some("2028"))
        );
        assert_eq!(games.mentions[0].text, "2028 Kabul Olympics");
        assert_eq!(has(&ex, &games.id, Relation::OccurredIn, "kabul"), Some(Certainty::Reported));
        let cup = entity(&ex, "Herat Cricket World Cup");
        assert_eq!((cup.kind, cup.subkind), (Kind::Event, Some("Gathering")));
        let plot = entity(&ex, "plot targeting the 2028 Kabul Olympics");
        assert_eq!(has(&ex, &plot.id, Relation::Targeted, &games.id), Some(Certainty::Reported));
        assert_eq!(has(&ex, &plot.id, Relation::Targeted, "kabul"), None, "the place is the contest's");
        // The contest, not the place at the start of its name, is the target.
        let ex = run("Police foiled a plot to attack the Herat Cricket World Cup.");
        let plot = entity(&ex, "plot to attack the Herat Cricket World Cup");
        assert_eq!(
            has(&ex, &plot.id, Relation::Targeted, "herat-cricket-world-cup"),
            Some(Certainty::Reported)
        );
        assert_eq!(has(&ex, &plot.id, Relation::Targeted, "herat"), None);
        // A lone lower-case head word is no name.
        let ex = run("The championship was held in Kabul.");
        assert!(ex.entities.iter().all(|e| e.kind != Kind::Event), "{:?}", ex.entities);
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

    #[test]
    fn a_place_s_attacker_carried_out_its_attack() {
        let text = "The Kabul attack shocked many. Kabul attacker Zoe Quill was known to police.";
        let ex = run(text);
        let event = entity(&ex, "Kabul attack");
        assert_eq!(has(&ex, "zoe-quill", Relation::Perpetrated, &event.id), Some(Certainty::Reported));
        let l = ex.links.iter().find(|l| l.rel == Relation::Perpetrated).expect("the link");
        assert_eq!(&text[l.span.start..l.span.end], l.text);
        assert_eq!(l.text, "Kabul attacker Zoe Quill");
        // In brackets after the name, and with no attack named before: the title implies one.
        let text = "Police said Zoe Quill [the Herat suicide bomber] was not alone.";
        let ex = run(text);
        let event = entity(&ex, "Herat attack");
        assert_eq!(has(&ex, "zoe-quill", Relation::Perpetrated, &event.id), Some(Certainty::Reported));
        assert_eq!(has(&ex, &event.id, Relation::OccurredIn, "herat"), Some(Certainty::Reported));
        let ex = run("Police said the alleged Herat bomber Zoe Quill was alone.");
        assert_eq!(has(&ex, "zoe-quill", Relation::Perpetrated, "herat-attack"), Some(Certainty::Alleged));
        let ex = run("Zoe Quill met a Herat shopkeeper.");
        assert!(ex.links.iter().all(|l| l.rel != Relation::Perpetrated), "no attacker title");
    }
}

//! Extraction: articles in, candidate facts out, each pinned to the bytes of text it came from
//! and to the rule that proposed it.
//!
//! One pass per article: markup is blanked in place ([`text`]), names the graph already knows
//! (every name and alias) and places of the [`gazetteer`] are found with Aho-Corasick
//! (leftmost-longest, on word boundaries, folded for case and accents; short acronyms such as
//! `IS` only as written), new names are proposed from runs of capitalised words, acronyms and
//! one-word group names ([`names`]), a branch named after its region ("Al-Qaeda in the Arabian
//! Peninsula") is an affiliate of its own, attacks, plots, arrests, killings and contests come
//! from the phrases that name them (`events`), surnames, acronyms, "the group", "its" and
//! "he"/"she" are resolved to what they stand for (`coref`), and links are read from the
//! words between two mentions in a sentence ([`relations`]: cue words and short frames), with
//! hedging setting their certainty. A mention inside an apposition or relative clause leaves
//! its predicate to the name the clause describes; coordinated subjects and objects share a
//! link; nationality words ("Briton", "the Syrian city of", "the Syrian jihadist group"),
//! "<place>-born", a place's attacker and lists after a dash give links of their own.

mod arrests;
mod compounds;
mod coref;
pub mod dedupe;
pub mod eval;
mod events;
pub mod gazetteer;
pub mod guard;
mod names;
pub mod relations;
pub mod resolve;
pub mod review;
pub mod text;
mod told;
mod towns;
pub mod write;

use std::collections::{BTreeMap, HashMap};

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Serialize;

use crate::graph::KnowledgeGraph;
use crate::model::{Certainty, EventType, GroupType, Kind, PlaceType, Relation, slugify, text::name_key};
use names::NameKind;
use text::{Folded, blank_markup, fold, on_word_boundaries, sentences};

/// An article to read: its text, the path spans will name, and the source it is.
#[derive(Clone, Debug)]
pub struct Document {
    pub file: String,
    pub source: String,
    pub text: String,
}

/// Everything proposed from a set of articles.
#[derive(Debug, Default, Serialize)]
pub struct Extraction {
    /// Known entities mentioned and new ones proposed, in order of first mention.
    pub entities: Vec<ProposedEntity>,
    pub links: Vec<ProposedLink>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ProposedEntity {
    pub id: String,
    pub name: String,
    pub kind: Kind,
    pub subkind: Option<&'static str>,
    pub aliases: Vec<String>,
    /// Already in the graph.
    pub known: bool,
    pub date: Option<String>,
    pub rule: &'static str,
    pub mentions: Vec<Mention>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mention {
    pub source: String,
    pub file: String,
    pub start: usize,
    pub end: usize,
    /// The mention as written (`text[start..end]`).
    pub text: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ProposedLink {
    pub from: String,
    pub rel: Relation,
    pub to: String,
    pub certainty: Certainty,
    pub source: String,
    pub span: Span,
    pub rule: &'static str,
    /// The words the link was read from (`text[span]`).
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Span {
    pub file: String,
    pub start: usize,
    pub end: usize,
}

/// What a name found in the text stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Target {
    Known(usize),
    Place(usize),
}

/// A known entity, as much of it as extraction needs.
struct KnownEntity {
    id: String,
    name: String,
    /// The name and aliases, for [`Extractor::known_like`].
    names: Vec<String>,
    kind: Kind,
    subkind: Option<&'static str>,
}

/// The reusable part: names to look for, built once from the graph and the gazetteer.
pub struct Extractor {
    known: Vec<KnownEntity>,
    places: Vec<gazetteer::Place>,
    /// Names matched folded (case- and accent-insensitive).
    folded: Option<AhoCorasick>,
    folded_targets: Vec<Target>,
    /// Short acronyms matched only as written.
    exact: Option<AhoCorasick>,
    exact_targets: Vec<Target>,
    /// Known entities by folded name key, for new names that turn out to be known.
    by_key: HashMap<String, usize>,
    /// Known entities by kind and the keys of their names: where [`Extractor::known_like`] looks.
    by_resolve_key: resolve::Known,
    /// Gazetteer places by nationality word as written ("British", "Briton").
    demonyms: HashMap<&'static str, usize>,
    /// The second tier of places, taken only where the text marks a place.
    towns: towns::Towns,
}

/// A name that is matched only as written: short, or an acronym ("IS", "AQ", "ISKP").
fn case_sensitive(surface: &str) -> bool {
    let letters = surface.chars().filter(|c| c.is_alphanumeric()).count();
    letters <= 3 || (letters <= 5 && !surface.chars().any(char::is_lowercase))
}

impl Extractor {
    /// An extractor that knows the graph's entities (when given) and the gazetteer.
    pub fn new(graph: Option<&KnowledgeGraph>) -> Extractor {
        let known: Vec<KnownEntity> = graph.map_or(Vec::new(), |g| {
            g.entities()
                .iter()
                .map(|e| KnownEntity {
                    id: e.id.to_string(),
                    name: e.name.clone(),
                    names: e.names().map(str::to_owned).collect(),
                    kind: e.kind(),
                    subkind: e.subkind(),
                })
                .collect()
        });
        let places = gazetteer::places();
        // Surface → target; a surface two known entities share is ambiguous and left out.
        let mut surfaces: BTreeMap<(bool, String), Option<Target>> = BTreeMap::new();
        let mut add = |surface: &str, target: Target| {
            if surface.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
                return;
            }
            let exact = case_sensitive(surface);
            let key = (exact, if exact { surface.to_owned() } else { fold(surface) });
            match surfaces.get(&key) {
                None => {
                    surfaces.insert(key, Some(target));
                }
                // The graph's entity wins over the gazetteer's place of the same name.
                Some(Some(Target::Place(_))) if matches!(target, Target::Known(_)) => {
                    surfaces.insert(key, Some(target));
                }
                Some(Some(t)) if *t == target || matches!(target, Target::Place(_)) => {}
                Some(_) => {
                    surfaces.insert(key, None);
                }
            }
        };
        let mut by_key = HashMap::new();
        let mut by_resolve_key = resolve::Known::default();
        let demonyms =
            places.iter().enumerate().flat_map(|(i, p)| p.demonyms.iter().map(move |d| (*d, i))).collect();
        if let Some(g) = graph {
            for (i, e) in g.entities().iter().enumerate() {
                for n in e.names() {
                    add(n, Target::Known(i));
                    by_key.entry(name_key(n)).or_insert(i);
                    by_resolve_key.add(i, e.kind(), n);
                }
            }
        }
        for (i, p) in places.iter().enumerate() {
            for n in std::iter::once(&p.name).chain(&p.aliases) {
                add(n, Target::Place(i));
            }
        }
        let (mut folded_pats, mut folded_targets, mut exact_pats, mut exact_targets) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for ((exact, surface), target) in surfaces {
            let Some(target) = target else { continue };
            if exact {
                exact_pats.push(surface);
                exact_targets.push(target);
            } else {
                folded_pats.push(surface);
                folded_targets.push(target);
            }
        }
        let build = |pats: &[String]| {
            (!pats.is_empty())
                .then(|| AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(pats).ok())
                .flatten()
        };
        Extractor {
            known,
            places,
            folded: build(&folded_pats),
            folded_targets,
            exact: build(&exact_pats),
            exact_targets,
            by_key,
            by_resolve_key,
            demonyms,
            towns: towns::Towns::new(),
        }
    }

    /// How many new entities of `extraction` name a known entity, or a new one before them
    /// (its name or an alias), by the rules [`State::resolve`] merges with: 0 when resolution
    /// did its work.
    pub fn duplicates(&self, extraction: &Extraction) -> usize {
        let mut before: Vec<&ProposedEntity> = Vec::new();
        let mut count = 0;
        for e in extraction.entities.iter().filter(|e| !e.known) {
            let person = e.kind == Kind::Person;
            let names = || std::iter::once(&e.name).chain(&e.aliases);
            let duplicate = names().any(|n| {
                self.known_like(e.kind, n).is_some()
                    || before.iter().any(|b| {
                        b.kind == e.kind
                            && std::iter::once(&b.name).chain(&b.aliases).any(|m| resolve::same(m, n, person))
                    })
            });
            let surname = person
                && extraction
                    .entities
                    .iter()
                    .filter(|o| o.kind == Kind::Person && resolve::is_surname_of(&e.name, &o.name))
                    .count()
                    == 1;
            count += usize::from(duplicate || surname || (person && resolve::only_titles(&e.name)));
            before.push(e);
        }
        count
    }

    /// The one known entity of kind `kind` that `name` names by the rules of [`resolve::same`]
    /// (the same words, another order, an abbreviation, a transliteration); `None` when none
    /// or several do.
    fn known_like(&self, kind: Kind, name: &str) -> Option<usize> {
        self.by_resolve_key.one(kind, name, |i| self.known[i].names.iter().map(String::as_str))
    }

    /// Reads every document and proposes entities and links.
    pub fn extract(&self, docs: &[Document]) -> Extraction {
        self.extract_with(docs, || ())
    }

    /// Like [`Extractor::extract`], calling `done` after each document (for a progress bar).
    pub fn extract_with(&self, docs: &[Document], mut done: impl FnMut()) -> Extraction {
        let mut state = State::default();
        for doc in docs {
            self.read(doc, &mut state);
            done();
        }
        state.finish(self)
    }

    /// Known names and gazetteer places in a document, leftmost-longest, not overlapping.
    fn known_mentions(&self, text: &str) -> Vec<(usize, usize, Target)> {
        self.known_mentions_in(text, &Folded::new(text))
    }

    /// [`Extractor::known_mentions`] with the folded text already made.
    fn known_mentions_in(&self, text: &str, folded: &Folded) -> Vec<(usize, usize, Target)> {
        let mut found = Vec::new();
        if let Some(ac) = &self.folded {
            for m in ac.find_iter(&folded.text) {
                if on_word_boundaries(&folded.text, m.start(), m.end()) {
                    let (s, e) = folded.original(m.start(), m.end());
                    found.push((s, e, self.folded_targets[m.pattern().as_usize()]));
                }
            }
        }
        if let Some(ac) = &self.exact {
            for m in ac.find_iter(text) {
                if on_word_boundaries(text, m.start(), m.end()) {
                    found.push((m.start(), m.end(), self.exact_targets[m.pattern().as_usize()]));
                }
            }
        }
        // A name is written with a capital or a digit somewhere: "nice" is not Nice.
        found.retain(|&(s, e, _)| text[s..e].chars().any(|c| c.is_uppercase() || c.is_ascii_digit()));
        found.sort_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
        let mut kept: Vec<(usize, usize, Target)> = Vec::new();
        for m in found {
            if kept.last().is_none_or(|k| m.0 >= k.1) {
                kept.push(m);
            }
        }
        kept
    }

    fn read(&self, doc: &Document, state: &mut State) {
        state.arrested_in.clear();
        let text = blank_markup(&doc.text);
        let mut mentions: Vec<Found> = Vec::new();
        // The folded text, made once for the names the graph knows and for event phrases.
        let folded = Folded::new(&text);
        for (s, e, target) in self.known_mentions_in(&text, &folded) {
            let cand = match target {
                Target::Known(i) => state.known(self, i),
                Target::Place(p) => state.place(self, p),
            };
            mentions.push(Found { start: s, end: e, cand });
        }
        let towns = self.towns.find(
            &text,
            &folded,
            |s, e| mentions.iter().any(|m| m.start < e && s < m.end),
            |at| {
                mentions.iter().any(|m| {
                    let c = &state.cands[m.cand];
                    m.start == at && c.kind == Kind::Place && matches!(c.subkind, Some("Region" | "Country"))
                })
            },
        );
        for (start, end, t) in towns {
            let cand = state.town(self, t);
            mentions.push(Found { start, end, cand });
        }
        let sentences = sentences(&text);
        let lower_words: std::collections::HashSet<String> = text
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
            .map(str::to_owned)
            .collect();
        // New names, sentence by sentence, around the known ones.
        for range in &sentences {
            let taken: Vec<(usize, usize)> = mentions.iter().map(|m| (m.start, m.end)).collect();
            for mut n in names::names(&text[range.clone()], range.start, &taken) {
                // "Briton Omar Sheikh": the nationality word is not part of the name.
                if n.kind == NameKind::Person
                    && let Some((first, rest)) = text[n.start..n.end].split_once(' ')
                    && rest.contains(' ')
                    && self.demonyms.contains_key(first)
                {
                    n.start += first.len() + 1;
                }
                // "a South African", "Mozambican and Rwandan troops": a person's name does not
                // end with a nationality word.
                if n.kind == NameKind::Person {
                    let surface = &text[n.start..n.end];
                    let last = surface.rsplit(' ').next().unwrap_or(surface);
                    let singular = last.strip_suffix('s').unwrap_or(last);
                    if self.demonym(last).is_some()
                        || self.demonym(singular).is_some()
                        || self.demonyms.contains_key(surface)
                        || REGIONAL_DEMONYMS.contains(&singular)
                    {
                        continue;
                    }
                }
                // "Islamic State-aligned cells": a name with an adjective's ending is the name
                // before the hyphen.
                if let Some(at) = ADJECTIVE_ENDINGS.iter().find_map(|e| text[n.start..n.end].strip_suffix(e))
                {
                    n.end = n.start + at.len();
                    if !at.contains(' ') && n.kind == NameKind::Person {
                        continue;
                    }
                }
                // "IS-K's Al-Azaim Media Foundation" is two names: a group's outlet or unit
                // belongs to a group.
                if let NameKind::Group(_) = n.kind
                    && let Some(at) = text[n.start..n.end].find(['\'', '’']).map(|i| n.start + i)
                    && let Some(rest) =
                        text[at..n.end].strip_prefix("'s ").or(text[at..n.end].strip_prefix("’s "))
                    && text[n.start..at].chars().filter(|c| c.is_alphanumeric()).count() >= 2
                    && !rest.is_empty()
                {
                    let owner = &text[n.start..at];
                    let cand = match self.by_key.get(&name_key(owner)) {
                        Some(&i) => state.known(self, i),
                        None => state.new_entity(owner, NameKind::Group(GroupType::Organisation), n.rule),
                    };
                    mentions.push(Found { start: n.start, end: at, cand });
                    n.start = n.end - rest.len();
                    if names::outlet(rest) {
                        n.kind = NameKind::Group(GroupType::Media);
                    }
                }
                let surface = &text[n.start..n.end];
                // Capitalised common words ("Bag Search Training") look like a name; a word
                // the same article also writes in lower case is not part of one.
                // Only its capitalised words count: "bin" in "Osama bin Laden" is written so.
                if n.rule == "person-name"
                    && surface
                        .split([' ', '-'])
                        .filter(|w| w.starts_with(char::is_uppercase))
                        .any(|w| lower_words.contains(&w.to_lowercase()))
                {
                    continue;
                }
                let cand = match self.by_key.get(&name_key(surface)) {
                    Some(&i) => state.known(self, i),
                    None => state.new_entity(surface, n.kind, n.rule),
                };
                mentions.push(Found { start: n.start, end: n.end, cand });
            }
        }
        mentions.sort_by_key(|m| (m.start, m.end));
        self.compounds(&text, &sentences, &mut mentions, state);
        let parents = self.regional_branches(&text, &mut mentions, state);
        self.events(&text, &sentences, &mut mentions, state);
        each_sentence(&text, &sentences, &mut mentions, state, arrests::person_arrests);
        each_sentence(&text, &sentences, &mut mentions, state, told::told_attacks);
        coref::resolve_short_forms(&text, &mut mentions, state);
        self.places_in_event_names(&text, &mut mentions, state);
        self.aimed_events(&text, &folded, &sentences, &mut mentions, state);
        mentions.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
        let mut named: Vec<&Found> = mentions.iter().chain(&parents).collect();
        named.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
        for m in named {
            state.cands[m.cand].mentions.push(Mention {
                source: doc.source.clone(),
                file: doc.file.clone(),
                start: m.start,
                end: m.end,
                text: doc.text[m.start..m.end].to_owned(),
            });
        }
        let jails = text.contains(" jail") || text.contains(" prison");
        for range in &sentences {
            self.nationalities(&text, range.clone(), &mentions, state);
            if jails {
                self.jailed(&text, range.clone(), &mentions, state);
            }
            self.listed_people(&text, range.clone(), &mentions, state);
            self.attackers(doc, &text, range.clone(), &mentions, state);
            links_in_sentence(doc, &text, range.clone(), &mentions, state);
        }
    }

    /// "Al-Qaeda in the Arabian Peninsula", "Islamic State in Iraq and Syria": a branch named
    /// as its parent "in" a region is a group of its own, an affiliate of the parent, and not
    /// the parent operating there. The parent and the places inside the name stop being
    /// mentions there.
    fn regional_branches(&self, text: &str, mentions: &mut Vec<Found>, state: &mut State) -> Vec<Found> {
        let mut parents = Vec::new();
        let mut i = 0;
        while i < mentions.len() {
            let g = mentions[i].clone();
            i += 1;
            let written = fold(&text[g.start..g.end]);
            let parent = ["qaeda", "qa'ida", "qaida", "state"].iter().any(|w| written.ends_with(w));
            if state.cands[g.cand].kind != Kind::Group || !parent {
                continue;
            }
            // " in [the] <Place>[ and [the] <Place>]", written with capitals.
            let mut end = g.end;
            let mut inside = Vec::new();
            for joiner in [[" in the ", " in "], [" and the ", " and "]] {
                let next = mentions.iter().position(|m| {
                    m.start > end
                        && state.cands[m.cand].kind == Kind::Place
                        && joiner.iter().any(|j| &text[end..m.start] == *j)
                        && text[m.start..m.end].starts_with(char::is_uppercase)
                });
                match next {
                    Some(k) => {
                        end = mentions[k].end;
                        inside.push(k);
                    }
                    None => break,
                }
            }
            // "the Islamic State in Syria" is where the group is; "Islamic State in Iraq and
            // Syria" is a name.
            if inside.is_empty() || (written.ends_with("state") && inside.len() < 2) {
                continue;
            }
            let name = &text[g.start..end];
            let cand = match self.by_key.get(&name_key(name)) {
                Some(&k) => state.known(self, k),
                None => state.new_entity(name, NameKind::Group(GroupType::Affiliate), "group-branch"),
            };
            state.add_link(PendingLink {
                from: cand,
                rel: Relation::AffiliateOf,
                to: g.cand,
                certainty: Certainty::Reported,
                span: (g.start, end),
                rule: "group-branch",
            });
            mentions.retain(|m| !(m.start >= g.start && m.end <= end));
            mentions.push(Found { start: g.start, end, cand });
            mentions.sort_by_key(|m| (m.start, m.end));
            i = mentions.partition_point(|m| m.start <= g.start);
            // The parent is still named there, but its links are the branch's.
            parents.push(g);
        }
        parents
    }

    /// The gazetteer place a word's nationality part names: "British-born" → United Kingdom.
    fn demonym(&self, word: &str) -> Option<&usize> {
        word.split('-').find_map(|part| self.demonyms.get(part.trim_matches(|c: char| !c.is_alphanumeric())))
    }

    /// "placed in a Syrian jail", "his release from Indian jail": the last person named
    /// before it in the sentence was held in that country.
    fn jailed(&self, text: &str, range: std::ops::Range<usize>, mentions: &[Found], state: &mut State) {
        let demonym = |w: &str| self.demonym(w);
        let sentence = &text[range.clone()];
        for (at, word) in sentence.match_indices(" jail").chain(sentence.match_indices(" prison")) {
            let at = range.start + at;
            let Some(&country) = text[range.start..at].rsplit(' ').next().and_then(demonym) else { continue };
            let held = here_in(mentions, &range)
                .filter(|p| p.end <= at && state.cands[p.cand].kind == Kind::Person)
                .last();
            if let Some(p) = held {
                let to = state.place(self, country);
                let span = (p.start, at + word.len());
                let certainty = relations::certainty(&format!(" {} ", &text[p.start..at]));
                state.add_link(PendingLink {
                    from: p.cand,
                    rel: Relation::DetainedIn,
                    to,
                    certainty,
                    span,
                    rule: "detained-demonym",
                });
            }
        }
    }

    /// A nationality word next to a person: "Briton Omar Sheikh", "the French Daesh leader:
    /// Rachid Kassim", "Aafia Siddiqui, the US-educated Pakistani neuroscientist"; or before a
    /// place: "the Syrian city of Raqqa". The country counts only when the article names it
    /// too (links to unmentioned places are dropped). And "<place>-born" people.
    fn nationalities(
        &self,
        text: &str,
        range: std::ops::Range<usize>,
        mentions: &[Found],
        state: &mut State,
    ) {
        let demonym = |w: &str| self.demonym(w);
        for m in here_in(mentions, &range) {
            // "Birmingham-born Rashid Rauf", "Rashid Rauf, another Birmingham-born lad": the
            // person just before (in apposition) or just after was born there.
            if state.cands[m.cand].kind == Kind::Place
                && (text[m.end..range.end].starts_with("-born")
                    || text[m.end..range.end].starts_with(" born "))
            {
                let people =
                    || here_in(mentions, &range).filter(|p| state.cands[p.cand].kind == Kind::Person);
                let apposed = people().filter(|p| p.end <= m.start).last().filter(|p| {
                    let gap = text[p.end..m.start].to_lowercase();
                    matches!(gap.as_str(), ", a " | ", an " | ", another " | ", the " | " is a " | " was a ")
                });
                let next = people().find(|p| p.start >= m.end && p.start - m.end <= 80);
                if let Some(p) = apposed.or(next) {
                    let span = (p.start.min(m.start), p.end.max(m.end));
                    let (from, to) = (p.cand, m.cand);
                    // The hedge may come a little before: "probably a Kabul-born man".
                    let from_hedge = range.start.max(span.0.saturating_sub(40));
                    let from_hedge =
                        (from_hedge..=span.0).find(|&k| text.is_char_boundary(k)).unwrap_or(span.0);
                    let certainty = relations::certainty(&format!(" {} ", &text[from_hedge..span.1]));
                    state.add_link(PendingLink {
                        from,
                        rel: Relation::BornIn,
                        to,
                        certainty,
                        span,
                        rule: "born-in",
                    });
                }
            }
            // "the Syrian city of Raqqa": the place lies in the country.
            if state.cands[m.cand].kind == Kind::Place {
                let head = &text[range.start..m.start];
                let country = [" city of ", " town of ", " capital of ", " province of ", " region of "]
                    .iter()
                    .find_map(|p| head.strip_suffix(p))
                    .and_then(|h| h.rsplit(' ').next())
                    .and_then(demonym);
                if let Some(&country) = country {
                    let to = state.place(self, country);
                    state.add_link(PendingLink {
                        from: m.cand,
                        rel: Relation::LocatedIn,
                        to,
                        certainty: Certainty::Reported,
                        span: (m.start, m.end),
                        rule: "place-demonym",
                    });
                }
                continue;
            }
            // "the Syrian jihadist group Jabhat al-Nusra": a group that the text places in a
            // country by a nationality word before its head noun operates there.
            if state.cands[m.cand].kind == Kind::Group {
                const HEADS: &[&str] = &[
                    "group",
                    "organisation",
                    "organization",
                    "movement",
                    "militia",
                    "faction",
                    "outfit",
                    "network",
                    "affiliate",
                    "branch",
                    "insurgency",
                    "insurgents",
                    "militants",
                ];
                let head = text[range.start..m.start].trim_end();
                let words: Vec<&str> = head.rsplit(' ').take(4).collect();
                let headed = words.first().is_some_and(|w| HEADS.contains(&w.to_lowercase().as_str()));
                let country = words
                    .iter()
                    .skip(1)
                    .take_while(|w| !w.ends_with([',', '.', ';', ':', ')']))
                    .find_map(|w| demonym(w).map(|c| (*c, *w)));
                if headed && let Some((country, word)) = country {
                    let to = state.place(self, country);
                    let scope = words.iter().rev().copied().collect::<Vec<_>>().join(" ");
                    // The span runs from the nationality word to the group.
                    let from = text[range.start..m.start].rfind(word).map_or(m.start, |i| range.start + i);
                    state.add_link(PendingLink {
                        from: m.cand,
                        rel: Relation::BasedIn,
                        to,
                        certainty: relations::certainty(&format!(" {scope} ")),
                        span: (from, m.end),
                        rule: "group-demonym",
                    });
                }
                continue;
            }
            if state.cands[m.cand].kind != Kind::Person {
                continue;
            }
            // Before: up to four words, no clause ("French police arrested X" is not it).
            let head = text[range.start..m.start].trim_end_matches([' ', ':']);
            let before: Vec<&str> = head.rsplit(' ').take(4).collect();
            let found_before = before
                .iter()
                .take_while(|w| {
                    // "an Indonesian named Abu Bakr": "named" and "called" introduce the name.
                    let names = matches!(**w, "named" | "called");
                    !w.ends_with(['.', ',', ';', ')'])
                        && (names || (!w.ends_with("ed") && !w.ends_with("ing")))
                })
                .find_map(|w| demonym(w));
            // After: ", the|a|an" and up to three words.
            let tail = &text[m.end..range.end];
            // "Abror Habibov, 30, also an Uzbek citizen": the age and "also" are no words of it.
            let aged = tail.strip_prefix(", ").and_then(|t| {
                let (age, rest) = t.split_once(", ")?;
                (age.len() <= 3 && age.bytes().all(|b| b.is_ascii_digit())).then_some(rest)
            });
            let rest = aged.map_or(tail, |rest| rest.strip_prefix("also ").unwrap_or(rest));
            let tail = if aged.is_some() { format!(", {rest}") } else { tail.to_owned() };
            let found_after =
                [", the ", ", a ", ", an "].iter().find_map(|p| tail.strip_prefix(p)).and_then(|rest| {
                    rest.split(' ').take(3).take_while(|w| !w.ends_with([',', '.', ';'])).find_map(demonym)
                });
            let (found, scope) = match (found_before, found_after) {
                (Some(p), _) => (p, before.join(" ")),
                (None, Some(p)) => (p, tail.split(' ').take(5).collect::<Vec<_>>().join(" ")),
                (None, None) => continue,
            };
            {
                let to = state.place(self, *found);
                state.add_link(PendingLink {
                    from: m.cand,
                    rel: Relation::CitizenOf,
                    to,
                    // "a purported Briton", "not a French national".
                    certainty: relations::certainty(&format!(" {scope} ")),
                    span: (m.start, m.end),
                    rule: "citizen-demonym",
                });
            }
        }
    }

    /// People listed after a dash or colon share what the words before it say of them: "a
    /// network of British plotters in the Syrian city of Raqqa – A, B and C" makes each
    /// British, based in Raqqa, and (a network, cell or pair) associates of one another.
    fn listed_people(
        &self,
        text: &str,
        range: std::ops::Range<usize>,
        mentions: &[Found],
        state: &mut State,
    ) {
        const TOGETHER: &[&str] = &["network", "cell", "group of", "pair", "trio", "gang", "brothers"];
        let sentence = &text[range.clone()];
        // The first " – ", " — " or ": " (one search for the three).
        let dash = sentence.match_indices([':', '–', '—']).find_map(|(i, d)| {
            let spaced =
                sentence[i + d.len()..].starts_with(' ') && (d == ":" || sentence[..i].ends_with(' '));
            spaced.then(|| if d == ":" { (range.start + i, 2) } else { (range.start + i - 1, d.len() + 2) })
        });
        let Some(dash) = dash else { return };
        let list_start = dash.0 + dash.1;
        let mut people: Vec<&Found> = Vec::new();
        let mut at = list_start;
        for m in here_in(mentions, &range).filter(|m| m.start >= list_start) {
            if m.start < at {
                continue;
            }
            let joiner = &text[at..m.start];
            let person = state.cands[m.cand].kind == Kind::Person;
            if !person
                || !(people.is_empty() && joiner.is_empty() || !people.is_empty() && coordinating(joiner))
            {
                break;
            }
            people.push(m);
            at = m.end;
        }
        if people.len() < 2 {
            return;
        }
        // The head: the words before the dash, back to a comma.
        let head_start = text[range.start..dash.0].rfind(',').map_or(range.start, |i| range.start + i + 1);
        let head = &text[head_start..dash.0];
        let head_lower = head.to_lowercase();
        let span = (head_start, at);
        let certainty = relations::certainty(&format!(" {head} "));
        let mut links: Vec<(usize, Relation, usize)> = Vec::new();
        if let Some(&country) = head.split([' ', '-']).find_map(|w| self.demonyms.get(w)) {
            let country = state.place(self, country);
            links.extend(people.iter().map(|p| (p.cand, Relation::CitizenOf, country)));
        }
        let base = here_in(mentions, &range).find(|m| {
            m.start >= head_start
                && m.end <= dash.0
                && state.cands[m.cand].kind == Kind::Place
                && [" in ", " in the ", " city of "].iter().any(|p| text[..m.start].ends_with(p))
        });
        if let Some(base) = base {
            links.extend(people.iter().map(|p| (p.cand, Relation::BasedIn, base.cand)));
        }
        if TOGETHER.iter().any(|w| head_lower.contains(w)) {
            for (i, a) in people.iter().enumerate() {
                links.extend(people[i + 1..].iter().map(|b| (a.cand, Relation::AssociateOf, b.cand)));
            }
        }
        for (from, rel, to) in links {
            state.add_link(PendingLink { from, rel, to, certainty, span, rule: "listed-people" });
        }
    }
}

/// The mentions of a sentence; `mentions` are sorted by start, so they are one run.
fn here_in<'m>(mentions: &'m [Found], range: &std::ops::Range<usize>) -> impl Iterator<Item = &'m Found> {
    let first = mentions.partition_point(|m| m.start < range.start);
    let end = range.end;
    mentions[first..].iter().take_while(move |m| m.start < end).filter(move |m| m.end <= end)
}

/// A rule that proposes events sentence by sentence: the text, the text in ASCII lower case
/// (so that its offsets are the text's), the sentence, the mentions so far, and where to put
/// the mentions it adds (start, end, candidate).
type SentenceRule =
    fn(&str, &str, std::ops::Range<usize>, &[Found], &mut Vec<(usize, usize, usize)>, &mut State);

/// Runs `rule` on every sentence of `text`, then adds the mentions it found; they are added
/// after the last sentence, so that no sentence reads another's new mentions.
fn each_sentence(
    text: &str,
    sentences: &[std::ops::Range<usize>],
    mentions: &mut Vec<Found>,
    state: &mut State,
    rule: SentenceRule,
) {
    // Lower case that keeps every byte where it is ("İ" is longer in lower case).
    let lower = text.to_ascii_lowercase();
    let mut added = Vec::new();
    for range in sentences {
        rule(text, &lower, range.clone(), mentions, &mut added, state);
    }
    mentions.extend(added.into_iter().map(|(start, end, cand)| Found { start, end, cand }));
    mentions.sort_by_key(|m| (m.start, m.end));
}

/// A mention found in one document.
#[derive(Clone, Debug)]
struct Found {
    start: usize,
    end: usize,
    cand: usize,
}

/// A candidate entity, known or new, while extraction runs.
#[derive(Clone, Debug)]
struct Cand {
    id: String,
    name: String,
    kind: Kind,
    subkind: Option<&'static str>,
    aliases: Vec<String>,
    known: bool,
    date: Option<String>,
    rule: &'static str,
    mentions: Vec<Mention>,
}

#[derive(Clone, Debug)]
struct PendingLink {
    from: usize,
    rel: Relation,
    to: usize,
    certainty: Certainty,
    span: (usize, usize),
    rule: &'static str,
}

#[derive(Default)]
struct State {
    cands: Vec<Cand>,
    by_known: HashMap<usize, usize>,
    by_key: HashMap<(Kind, String), usize>,
    /// Events of each type proposed for a place, so that one is not proposed twice.
    events: HashMap<(usize, EventType), usize>,
    /// Groups whose members a sentence of the current document reports arrested in a place
    /// (group, place, the sentence): being arrested there is not the group operating there.
    arrested_in: Vec<(usize, usize, std::ops::Range<usize>)>,
    /// Links of the current document, waiting for its file and source.
    pending: Vec<PendingLink>,
    links: Vec<DocLink>,
}

/// A link read from a document, its ends still candidate numbers.
struct DocLink {
    link: PendingLink,
    source: String,
    file: String,
    text: String,
}

impl State {
    fn push(&mut self, cand: Cand) -> usize {
        self.cands.push(cand);
        self.cands.len() - 1
    }

    fn known(&mut self, x: &Extractor, i: usize) -> usize {
        if let Some(&c) = self.by_known.get(&i) {
            return c;
        }
        let e = &x.known[i];
        let c = self.push(Cand {
            id: e.id.clone(),
            name: e.name.clone(),
            kind: e.kind,
            subkind: e.subkind,
            aliases: Vec::new(),
            known: true,
            date: None,
            rule: "known-name",
            mentions: Vec::new(),
        });
        self.by_known.insert(i, c);
        self.by_key.insert((e.kind, name_key(&e.name)), c);
        c
    }

    fn place(&mut self, x: &Extractor, p: usize) -> usize {
        let place = &x.places[p];
        let kind = match place.kind {
            PlaceType::Country => "Country",
            PlaceType::Region => "Region",
            _ => "City",
        };
        self.keyed(Kind::Place, place.name, Some(kind), "gazetteer")
    }

    fn town(&mut self, x: &Extractor, t: usize) -> usize {
        self.keyed(Kind::Place, x.towns.places[t].name, Some("City"), "gazetteer-town")
    }

    fn keyed(&mut self, kind: Kind, name: &str, subkind: Option<&'static str>, rule: &'static str) -> usize {
        let key = (kind, name_key(name));
        if let Some(&c) = self.by_key.get(&key) {
            return c;
        }
        let c = self.push(Cand {
            id: String::new(),
            name: name.to_owned(),
            kind,
            subkind,
            aliases: Vec::new(),
            known: false,
            date: None,
            rule,
            mentions: Vec::new(),
        });
        self.by_key.insert(key, c);
        c
    }

    fn new_entity(&mut self, surface: &str, kind: NameKind, rule: &'static str) -> usize {
        let (kind, sub) = match kind {
            NameKind::Person => (Kind::Person, None),
            NameKind::Group(g) => (Kind::Group, Some(group_name(g))),
            NameKind::Place(p) => (Kind::Place, Some(place_name(p))),
        };
        self.keyed(kind, surface, sub, rule)
    }

    fn new_event(&mut self, name: &str, kind: EventType, date: Option<String>) -> usize {
        let c = self.keyed(Kind::Event, name, Some(kind.name()), "event-phrase");
        if self.cands[c].date.is_none() {
            self.cands[c].date = date;
        }
        c
    }

    /// The event of type `kind` already proposed for `place`, or else a new one named `name`
    /// (dated by `date`, read only then), which becomes that place's.
    fn event_at(
        &mut self,
        place: usize,
        kind: EventType,
        name: &str,
        date: impl FnOnce() -> Option<String>,
    ) -> usize {
        if let Some(&c) = self.events.get(&(place, kind)) {
            return c;
        }
        let c = self.new_event(name, kind, date());
        self.events.insert((place, kind), c);
        c
    }

    fn add_link(&mut self, link: PendingLink) {
        self.pending.push(link);
    }

    /// Gives new entities ids, and orders entities by first mention.
    /// Resolves each new candidate that names a known entity, or a candidate before it, to
    /// that one ([`resolve::same`], or a person's surname alone when one person of the
    /// extraction has it): its mentions and links move there and its name becomes an alias.
    /// Titles alone ("Retired Gen") are not a person: such a candidate is dropped.
    fn resolve(&mut self, x: &Extractor) {
        let n = self.cands.len();
        let mut moves: Vec<(usize, usize)> = Vec::new();
        for c in 0..n {
            let cand = &self.cands[c];
            if cand.known || cand.mentions.is_empty() {
                continue;
            }
            let (kind, name) = (cand.kind, cand.name.clone());
            let person = kind == Kind::Person;
            if person && resolve::only_titles(&name) {
                self.cands[c].mentions.clear();
                continue;
            }
            let alive =
                |s: &State, b: usize| b != c && !s.cands[b].mentions.is_empty() && s.cands[b].kind == kind;
            let target = match x.known_like(kind, &name) {
                Some(i) => Some(self.known(x, i)),
                None => (0..self.cands.len())
                    .find(|&b| {
                        alive(self, b)
                            && (b < c || self.cands[b].known)
                            && resolve::same(&self.cands[b].name, &name, person)
                    })
                    .or_else(|| {
                        let full: Vec<usize> = (0..self.cands.len())
                            .filter(|&b| {
                                person && alive(self, b) && resolve::is_surname_of(&name, &self.cands[b].name)
                            })
                            .collect();
                        (full.len() == 1).then(|| full[0])
                    }),
            };
            let Some(t) = target else { continue };
            let mentions = std::mem::take(&mut self.cands[c].mentions);
            let target = &mut self.cands[t];
            target.mentions.extend(mentions);
            target.mentions.sort_by(|a, b| (&a.file, a.start).cmp(&(&b.file, b.start)));
            target.mentions.dedup();
            if !target.known && name_key(&target.name) != name_key(&name) {
                target.aliases.push(name);
            }
            moves.push((c, t));
        }
        if moves.is_empty() {
            return;
        }
        let mut moved: Vec<Option<usize>> = vec![None; n];
        for (c, t) in moves {
            moved[c] = Some(t);
        }
        // Links follow their ends; one that now joins an entity to itself, or repeats a link
        // already there, goes.
        let mut seen: std::collections::HashSet<(usize, Relation, usize)> =
            self.links.iter().map(|d| (d.link.from, d.link.rel, d.link.to)).collect();
        let ends = |i: usize| moved.get(i).copied().flatten().unwrap_or(i);
        self.links.retain_mut(|d| {
            let (from, to) = (ends(d.link.from), ends(d.link.to));
            if (from, to) == (d.link.from, d.link.to) {
                return true;
            }
            d.link.from = from;
            d.link.to = to;
            from != to && seen.insert((from, d.link.rel, to))
        });
    }

    fn finish(mut self, x: &Extractor) -> Extraction {
        self.resolve(x);
        let mut taken: std::collections::HashSet<String> = x.known.iter().map(|k| k.id.clone()).collect();
        for c in &mut self.cands {
            // A candidate left with no mention (a longer name took its words) is dropped:
            // it takes no id from those that stay.
            if c.known || c.mentions.is_empty() {
                continue;
            }
            let base = slugify(&c.name);
            let base = if base.is_empty() { "entity".to_owned() } else { base };
            let mut id = base.clone();
            let mut n = 2;
            while !taken.insert(id.clone()) {
                id = format!("{base}-{n}");
                n += 1;
            }
            c.id = id;
        }
        let links: Vec<ProposedLink> = self
            .links
            .iter()
            .filter(|d| {
                !self.cands[d.link.from].mentions.is_empty() && !self.cands[d.link.to].mentions.is_empty()
            })
            .map(|d| ProposedLink {
                from: self.cands[d.link.from].id.clone(),
                rel: d.link.rel,
                to: self.cands[d.link.to].id.clone(),
                certainty: d.link.certainty,
                source: d.source.clone(),
                span: Span { file: d.file.clone(), start: d.link.span.0, end: d.link.span.1 },
                rule: d.link.rule,
                text: d.text.clone(),
            })
            .collect();
        let mut entities: Vec<ProposedEntity> = self
            .cands
            .into_iter()
            .filter(|c| !c.mentions.is_empty())
            .map(|c| {
                let mut aliases = c.aliases;
                aliases.retain(|a| name_key(a) != name_key(&c.name));
                aliases.sort();
                aliases.dedup();
                ProposedEntity {
                    id: c.id,
                    name: c.name,
                    kind: c.kind,
                    subkind: c.subkind,
                    aliases,
                    known: c.known,
                    date: c.date,
                    rule: c.rule,
                    mentions: c.mentions,
                }
            })
            .collect();
        entities.sort_by_key(|e| e.mentions.first().map(|m| (m.file.clone(), m.start)));
        Extraction { entities, links }
    }
}

fn group_name(g: GroupType) -> &'static str {
    g.name()
}

fn place_name(p: PlaceType) -> &'static str {
    p.name()
}

/// Last words of the names of groups that sit in one place: schools, courts, offices.
const INSTITUTIONS: &[&str] = &[
    "School",
    "University",
    "College",
    "Institute",
    "Academy",
    "Court",
    "Courts",
    "Centre",
    "Center",
    "Museum",
    "Hospital",
    "Council",
    "Office",
];

/// Nationality words of regions, which the gazetteer's countries do not give: "Southeast
/// Asians" are no one's name.
const REGIONAL_DEMONYMS: &[&str] =
    &["Asian", "African", "European", "Arab", "American", "Westerner", "Caucasian", "Balkan"];

/// Endings that make a name an adjective: "Islamic State-aligned", "al-Qaeda-linked".
const ADJECTIVE_ENDINGS: &[&str] = &[
    "-aligned",
    "-linked",
    "-inspired",
    "-backed",
    "-affiliated",
    "-led",
    "-style",
    "-related",
    "-based",
    "-allied",
    "-directed",
];

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Reads the links of one sentence from consecutive mentions, and the words between them.
fn links_in_sentence(
    doc: &Document,
    text: &str,
    range: std::ops::Range<usize>,
    mentions: &[Found],
    state: &mut State,
) {
    // ASCII lower case keeps every byte where it is ("İ" is longer in full lower case).
    let lower = text[range.clone()].to_ascii_lowercase();
    let mut here: Vec<(usize, usize, usize)> =
        here_in(mentions, &range).map(|m| (m.start, m.end, m.cand)).collect();
    coref::anaphors(text, &lower, range.clone(), mentions, state, &mut here);
    here.sort_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
    let mut i = 0;
    while i < here.len() {
        let (a_start, a_end, a) = here[i];
        i += 1;
        // The next mention that does not overlap this one, and the one after it (when the
        // words between them state nothing): "IS-K's media reach Europe" has no cue between
        // IS-K and its media, but one between IS-K and Europe.
        let Some(next) = (i..here.len()).find(|&j| here[j].0 >= a_end) else { continue };
        let after = (next + 1..here.len()).find(|&j| here[j].0 >= here[next].1);
        // A mention inside an apposition or relative clause: past the clause's closing comma,
        // the predicate is its subject's ("X, a member of Y, travelled to Z": X travelled).
        let subject = coref::clause_subject(text, &here, i - 1, range.end, state);
        let pair = |j: usize| match subject {
            Some((k, resumes)) if here[j].0 >= resumes => {
                let (s_start, _, s) = here[k];
                relation(state, text, (s_start, resumes, s), here[j]).map(|r| (j, r, Some(k)))
            }
            _ => relation(state, text, here[i - 1], here[j]).map(|r| (j, r, None)),
        };
        let Some((j, (rel, reverse, rule), carried)) =
            [Some(next), after].into_iter().flatten().find_map(pair)
        else {
            continue;
        };
        let (b_start, b_end, b) = here[j];
        let kb = state.cands[b].kind;
        let (a_start, a, scope) = match carried {
            // The clause's own words (a hedge in "a suspected member of Y") are not the
            // predicate's.
            Some(k) => {
                let (s_start, s_end, s) = here[k];
                let resumes = subject.map_or(s_end, |(_, r)| r);
                let before = range.start.max(s_start.saturating_sub(40));
                let before = (before..=s_start).find(|&k| text.is_char_boundary(k)).unwrap_or(s_start);
                (s_start, s, format!(" {} {} ", &text[before..s_end], &text[resumes..b_start]))
            }
            None => {
                let before = range.start.max(a_start.saturating_sub(40));
                let before = (before..=a_start).find(|&k| text.is_char_boundary(k)).unwrap_or(a_start);
                (a_start, a, format!(" {} ", &text[before..b_start]))
            }
        };
        let certainty = relations::certainty(&scope);
        let (from, to) = if reverse { (b, a) } else { (a, b) };
        state.add_link(PendingLink { from, rel, to, certainty, span: (a_start, b_end), rule });
        // Coordinated subjects: "Amer Azizi and Abdelatif Mourafik plotted" gives the same link
        // to each.
        let ka = state.cands[a].kind;
        let mut first_start = a_start;
        for &(c_start, c_end, c) in here[..i - 1].iter().rev() {
            if c_end > first_start {
                continue;
            }
            let joiner = text[c_end..first_start].to_lowercase();
            let coordinated = matches!(joiner.as_str(), ", " | " and " | ", and " | " or " | ", or " | " & ");
            if !coordinated || state.cands[c].kind != ka || !matches!(ka, Kind::Person | Kind::Group) {
                break;
            }
            let (from, to) = if reverse { (b, c) } else { (c, b) };
            state.add_link(PendingLink { from, rel, to, certainty, span: (c_start, b_end), rule });
            first_start = c_start;
        }
        // Coordination: "in Italy, Spain, and Germany" gives the same link to each.
        let mut prev_end = b_end;
        for &(c_start, c_end, c) in &here[j + 1..] {
            if c_start < prev_end {
                continue;
            }
            let joiner = text[prev_end..c_start].to_lowercase();
            // A bare comma joins items of one sort ("Kabul, Afghanistan" is a place in another);
            // "and" may join a country and a region ("in the UK and across Europe").
            let same_sort = state.cands[c].subkind == state.cands[b].subkind
                || (joiner.contains("and") && rel != Relation::LocatedIn);
            if !coordinating(&joiner) || state.cands[c].kind != kb || !same_sort {
                break;
            }
            let (from, to) = if reverse { (c, a) } else { (a, c) };
            state.add_link(PendingLink { from, rel, to, certainty, span: (a_start, c_end), rule });
            prev_end = c_end;
        }
    }
    // Links of this document get its file and source now.
    for p in std::mem::take(&mut state.pending) {
        if p.from == p.to {
            continue;
        }
        let (fk, tk) = (state.cands[p.from].kind, state.cands[p.to].kind);
        if !p.rel.domain().contains(&fk) || !p.rel.range().contains(&tk) {
            continue;
        }
        // "arrested members of the group in Kabul": the arrest was there, not the group.
        let arrest = |(g, l, r): &(usize, usize, std::ops::Range<usize>)| {
            (*g, *l) == (p.from, p.to) && r.contains(&p.span.0) && p.span.1 <= r.end
        };
        if p.rule == "rel-operates-in" && state.arrested_in.iter().any(arrest) {
            continue;
        }
        let duplicate = state.links.iter().any(|d| {
            let l = &d.link;
            l.rel == p.rel
                && ((l.from == p.from && l.to == p.to)
                    || (p.rel.is_symmetric() && l.from == p.to && l.to == p.from))
        });
        if duplicate {
            continue;
        }
        // A span is kept in text order whichever mention a rule wrote first.
        let mut p = p;
        p.span = (p.span.0.min(p.span.1), p.span.0.max(p.span.1));
        let text = doc.text[p.span.0..p.span.1].to_owned();
        state.links.push(DocLink { link: p, source: doc.source.clone(), file: doc.file.clone(), text });
    }
}

/// A title between a group or event and the person who holds it: "Wall Street Journal
/// reporter Daniel Pearl", "IS leader Abu Bakr al-Baghdadi", "the London Bridge attacker
/// Khurram Butt". The relation runs from the person.
fn title(ka: Kind, kb: Kind, gap: &str) -> Option<Relation> {
    const LEAD: &[&str] =
        &["leader", "chief", "emir", "head", "commander", "director", "chairman", "commissioner"];
    const MEMBER: &[&str] = &[
        "reporter",
        "correspondent",
        "journalist",
        "editor",
        "spokesman",
        "spokesperson",
        "member",
        "operative",
        "fighter",
        "militant",
        "recruiter",
        "ideologue",
        "preacher",
        "agent",
        "officer",
        "analyst",
        "investigator",
        "official",
        "spokeswoman",
        "soldier",
        "superintendent",
        "inspector",
        "prosecutor",
        "magistrate",
        "judge",
    ];
    const DID: &[&str] = &["bomber", "attacker", "gunman", "shooter", "assailant", "killer", "hijacker"];
    let words: Vec<&str> = gap.split_whitespace().collect();
    // The title is the last word, with at most one word before it ("suicide bomber").
    let (&last, before) = words.split_last()?;
    if before.len() > 1 || gap.contains([',', '(', ')', ';', ':', '.']) {
        return None;
    }
    match (ka, kb) {
        // "FBI Director X" leads it; a deputy or an assistant director does not.
        (Kind::Group, Kind::Person) if LEAD.contains(&last) => {
            Some(if before.iter().any(|w| relations::DEPUTIES.contains(w)) {
                Relation::MemberOf
            } else {
                Relation::LeaderOf
            })
        }
        (Kind::Group, Kind::Person) if last == "founder" => Some(Relation::Founded),
        (Kind::Group, Kind::Person) if MEMBER.contains(&last) => Some(Relation::MemberOf),
        (Kind::Event, Kind::Person) if DID.contains(&last) => Some(Relation::Perpetrated),
        _ => None,
    }
}

/// Words that join two items of a list: ", ", " and the ", and a date after the first item
/// ("shootings in Shiraz in October 2022 and an attack in Ahvaz").
fn coordinating(joiner: &str) -> bool {
    let spaced = joiner.replace(',', " , ");
    let words: Vec<&str> = spaced.split_whitespace().collect();
    let joins = words.iter().any(|w| matches!(*w, "and" | "or" | "&"));
    let list = words.iter().all(|w| {
        matches!(*w, "," | "and" | "or" | "&")
            || (joins && matches!(*w, "the" | "a" | "an"))
            || (joins
                && (matches!(*w, "in" | "on" | "across" | "throughout")
                    || MONTHS.contains(w)
                    || w.chars().all(|c| c.is_ascii_digit())))
    });
    list && (joins || words == [","]) && words.len() <= 7
}

/// The link the words between mentions `a` and `b` state, if any: (relation, from `b` to `a`,
/// rule).
fn relation(
    state: &State,
    text: &str,
    (a_start, a_end, a): (usize, usize, usize),
    (b_start, _, b): (usize, usize, usize),
) -> Option<(Relation, bool, &'static str)> {
    if a == b || b_start - a_end > 120 {
        return None;
    }
    // Folded: lower case, ’ written ', a no-break space a space.
    let gap = fold(&text[a_end..b_start]);
    let (ka, kb) = (state.cands[a].kind, state.cands[b].kind);
    // "its English-language Voice of Khurasan magazine", "its magazine, 'Khurasan Ghag'".
    let its = text[a_start..a_end].eq_ignore_ascii_case("its")
        && gap.split_whitespace().count() <= 4
        && !gap.contains(|c: char| ".;:()".contains(c));
    let possessive = gap.ends_with("'s ") || gap.trim() == "its" || its;
    if ka == Kind::Group && kb == Kind::Group && state.cands[b].subkind == Some("Media") && possessive {
        // "IS-K's Al-Azaim Media Foundation": the outlet is part of the group.
        Some((Relation::PartOf, true, "rel-media-of"))
    } else if ka == Kind::Group
        && kb == Kind::Group
        && matches!(state.cands[b].subkind, Some("Agency" | "Cell"))
        && (gap == "'s " || its)
    {
        // "the Met's Counter Terrorism Command": a unit of the group.
        Some((Relation::PartOf, true, "rel-unit-of"))
    } else if let Some(rel) = title(ka, kb, &gap) {
        Some((rel, true, "rel-title"))
    } else if let Some(found) = relations::frame(
        (ka, state.cands[a].subkind),
        (kb, state.cands[b].subkind),
        // Only "the leader of G, X" reads back from the first mention.
        &if (ka, kb) == (Kind::Group, Kind::Person) && matches!(gap.as_str(), ", " | ": ") {
            fold(&text[back_to_boundary(text, a_start, 80)..a_start])
        } else {
            String::new()
        },
        &gap,
    ) {
        Some(found)
    } else if ka == Kind::Place && kb == Kind::Place {
        let sub = |c: usize| place_type(state.cands[c].subkind);
        relations::located_in(sub(a), &text[a_end..b_start], sub(b))
            .map(|rev| (Relation::LocatedIn, rev, "rel-located-in"))
    } else if let Some(p) = relations::find(ka, kb, &gap) {
        Some((p.rel, p.reverse, p.rule))
    } else if ka == Kind::Group && kb == Kind::Place && relations::group_in(&gap) {
        // "the Omega Brigade in Kabul" operates there; "the Holt School in Wokingham" and an
        // agency's office in a city are based there; an office or an outlet "in the UK" says
        // where it serves, not that a militant group operates there.
        let institution = INSTITUTIONS.iter().any(|w| state.cands[a].name.ends_with(w));
        let agency = matches!(state.cands[a].subkind, Some("Agency" | "Media"));
        let local = matches!(state.cands[b].subkind, Some("City" | "District" | "Venue"));
        if (institution || agency) && local {
            Some((Relation::BasedIn, false, "rel-based-in"))
        } else if !agency && !institution {
            Some((Relation::OperatesIn, false, "rel-operates-in"))
        } else {
            None
        }
    } else {
        None
    }
}

/// Where the text up to `at` starts when read back at most `reach` bytes, not past a full
/// stop or a line break, on a character boundary.
fn back_to_boundary(text: &str, at: usize, reach: usize) -> usize {
    let from = at.saturating_sub(reach);
    let from = (from..=at).find(|&k| text.is_char_boundary(k)).unwrap_or(at);
    text[from..at].rfind(['.', '\n']).map_or(from, |i| from + i + 1)
}

fn place_type(sub: Option<&str>) -> PlaceType {
    PlaceType::ALL.iter().copied().find(|p| Some(p.name()) == sub).unwrap_or(PlaceType::City)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::fixture;

    /// The extractor for the fixture graph, built once: the gazetteer's automaton takes a while.
    pub(super) fn extractor() -> &'static Extractor {
        static X: std::sync::OnceLock<Extractor> = std::sync::OnceLock::new();
        X.get_or_init(|| Extractor::new(Some(&fixture::graph(fixture::NETWORK))))
    }

    pub(crate) fn run(text: &str) -> Extraction {
        extractor().extract(&[Document { file: "a.txt".into(), source: "s".into(), text: text.into() }])
    }

    pub(super) fn entity<'e>(ex: &'e Extraction, name: &str) -> &'e ProposedEntity {
        ex.entities
            .iter()
            .find(|e| e.name == name)
            .unwrap_or_else(|| panic!("no {name} in {:#?}", ex.entities))
    }

    pub(super) fn links(ex: &Extraction) -> Vec<(String, Relation, String, Certainty)> {
        ex.links.iter().map(|l| (l.from.clone(), l.rel, l.to.clone(), l.certainty)).collect()
    }

    pub(super) fn has(ex: &Extraction, from: &str, rel: Relation, to: &str) -> Option<Certainty> {
        ex.links.iter().find(|l| l.from == from && l.rel == rel && l.to == to).map(|l| l.certainty)
    }

    #[test]
    fn mentions_resolve_to_known_entities_and_titles_alone_make_no_person() {
        let graph = fixture::graph(
            r#"(entities: [
                Place(id: "united-states", name: "United States", subkind: Country, sources: ["s"]),
                Place(id: "united-kingdom", name: "United Kingdom", subkind: Country, sources: ["s"]),
                Person(id: "msk", name: "Mohammed Siddique Khan", sources: ["s"]),
            ])"#,
        );
        let x = Extractor::new(Some(&graph));
        let text = "Retired Gen. Frank McKenzie said the U.S. and the U.K. were ready. \
                    Mohammad Sidique Khan travelled to Pakistan in 2004. McKenzie added that the US had acted.";
        let ex = x.extract(&[Document { file: "a.txt".into(), source: "s".into(), text: text.into() }]);
        for id in ["united-states", "united-kingdom", "msk"] {
            let e =
                ex.entities.iter().find(|e| e.id == id).unwrap_or_else(|| panic!("{id}: {:#?}", ex.entities));
            assert!(e.known, "{id}");
        }
        let new: Vec<&str> = ex.entities.iter().filter(|e| !e.known).map(|e| e.name.as_str()).collect();
        assert!(!new.iter().any(|n| n.contains("Gen") || n.contains("U.") || n.contains("Khan")), "{new:?}");
        let mckenzie: Vec<&ProposedEntity> =
            ex.entities.iter().filter(|e| e.name.contains("McKenzie")).collect();
        assert_eq!(mckenzie.len(), 1, "the surname alone is the same person: {new:?}");
        assert_eq!(mckenzie[0].mentions.len(), 2);
        assert_eq!(x.duplicates(&ex), 0);
    }

    #[test]
    fn known_names_fold_case_and_accents_on_word_boundaries() {
        let ex = run("ANN EXAMPLE met the alpha cell. Annexample is not a name; Bob Examples neither.");
        assert!(entity(&ex, "Ann Example").known);
        assert_eq!(entity(&ex, "Ann Example").mentions[0].text, "ANN EXAMPLE");
        assert!(
            ex.entities.iter().all(|e| e.id != "alpha-cell"),
            "lower-case `alpha cell` has no capital: not a name"
        );
        assert!(ex.entities.iter().all(|e| e.name != "Bob Example"), "no match inside a longer word");
    }

    #[test]
    fn institutions_and_agencies_are_based_where_the_text_puts_them() {
        let ex =
            run("He taught at the Kabul Grammar School in Herat. Pakistan's Inter-Services Intelligence \
                      helped. The Omega Brigade in Herat grew.");
        assert!(has(&ex, "kabul-grammar-school", Relation::BasedIn, "herat").is_some(), "{:?}", links(&ex));
        assert!(
            has(&ex, "inter-services-intelligence", Relation::BasedIn, "pakistan").is_some(),
            "{:?}",
            links(&ex)
        );
        assert!(has(&ex, "omega-brigade", Relation::OperatesIn, "herat").is_some(), "{:?}", links(&ex));
    }

    #[test]
    fn title_words_before_a_group_s_cue_are_its_name() {
        let ex =
            run("The Interior Ministry said so. The National Guard arrived. Home Secretary Dan Roe spoke. \
                      U.S. Navy SEALs killed him. He studied at Colorado State University.");
        for group in ["Interior Ministry", "National Guard", "U.S. Navy SEALs"] {
            assert_eq!(entity(&ex, group).kind, Kind::Group, "{group}");
        }
        assert_eq!(entity(&ex, "Dan Roe").kind, Kind::Person);
        assert!(ex.entities.iter().all(|e| e.name != "Colorado State"), "{:?}", ex.entities);
    }

    #[test]
    fn travel_told_as_coming_or_having_been() {
        let ex = run("Zed Quorn came to Kabul as a refugee. Yan Roe had never been to Herat, police said.");
        assert_eq!(has(&ex, "zed-quorn", Relation::TraveledTo, "kabul"), Some(Certainty::Reported));
        assert_eq!(has(&ex, "yan-roe", Relation::TraveledTo, "herat"), Some(Certainty::Refuted));
    }

    #[test]
    fn question_words_and_adjective_endings_are_not_names() {
        let ex = run(
            "Has the Omega Brigade claimed it? Omega Brigade-aligned cells met Chief Magistrate Dan Roe.",
        );
        assert!(ex.entities.iter().all(|e| !e.name.starts_with("Has")), "{:?}", ex.entities);
        assert!(ex.entities.iter().all(|e| !e.name.ends_with("aligned")), "{:?}", ex.entities);
        assert!(ex.entities.iter().any(|e| e.name == "Dan Roe"), "{:?}", ex.entities);
        let ex = run("Two Southeast Asians joined the Omega Brigade.");
        assert!(ex.entities.iter().all(|e| e.kind != Kind::Person), "{:?}", ex.entities);
    }

    #[test]
    fn a_nationality_is_no_person() {
        let ex =
            run("Adrian Nel, a 40-year-old South African, was shot. Mozambican and Rwandan troops fought.");
        assert!(entity(&ex, "Adrian Nel").kind == Kind::Person);
        assert!(
            ex.entities.iter().all(|e| e.kind != Kind::Person || e.name == "Adrian Nel"),
            "{:?}",
            ex.entities
        );
    }

    #[test]
    fn gazetteer_places_and_new_names_are_typed() {
        let ex = run("Gen. Mark Kurilla warned the Al-Azaim Media Foundation in Kabul, Afghanistan.");
        assert_eq!(entity(&ex, "Mark Kurilla").kind, Kind::Person);
        assert_eq!(entity(&ex, "Mark Kurilla").rule, "person-title");
        let media = entity(&ex, "Al-Azaim Media Foundation");
        assert_eq!((media.kind, media.subkind), (Kind::Group, Some("Media")));
        assert_eq!(entity(&ex, "Kabul").subkind, Some("City"));
        assert_eq!(has(&ex, "kabul", Relation::LocatedIn, "afghanistan"), Some(Certainty::Reported));
    }

    #[test]
    fn coordinated_subjects_share_the_link() {
        let ex = run("Zoe Quill and Ann Example joined the Omega Brigade.");
        for who in ["zoe-quill", "ann"] {
            assert_eq!(
                has(&ex, who, Relation::MemberOf, "omega-brigade"),
                Some(Certainty::Reported),
                "{:?} {:?}",
                links(&ex),
                ex.entities.iter().map(|e| &e.id).collect::<Vec<_>>()
            );
        }
        let l = ex.links.iter().find(|l| l.from == "ann").expect("the link");
        assert_eq!(l.text, "Ann Example joined the Omega Brigade");
        // Objects of two sorts joined by "and": "in Testland and across Herat".
        let ex = run("The Omega Brigade is active in Testland and across Herat.");
        assert_eq!(has(&ex, "omega-brigade", Relation::OperatesIn, "herat"), Some(Certainty::Reported));
        let ex = run("They met in Kabul, Afghanistan, and Herat, Testland.");
        assert_eq!(has(&ex, "kabul", Relation::LocatedIn, "testland"), None, "{:?}", links(&ex));
        let ex = run("Zoe Quill and Ann Example allegedly joined the Omega Brigade.");
        assert_eq!(has(&ex, "zoe-quill", Relation::MemberOf, "omega-brigade"), Some(Certainty::Alleged));
    }

    #[test]
    fn nationality_words_and_lists_of_people() {
        let text = "Briton Zoe Quill left the United Kingdom. Ann Example, the US-educated Pakistani analyst, visited Pakistan.";
        let ex = run(text);
        assert_eq!(
            has(&ex, "zoe-quill", Relation::CitizenOf, "united-kingdom"),
            Some(Certainty::Reported),
            "{:?} {:?}",
            links(&ex),
            ex.entities.iter().map(|e| &e.id).collect::<Vec<_>>()
        );
        assert_eq!(has(&ex, "ann", Relation::CitizenOf, "pakistan"), Some(Certainty::Reported));
        for l in &ex.links {
            assert_eq!(&text[l.span.start..l.span.end], l.text);
        }
        let ex = run("The purported Briton Zoe Quill left the United Kingdom.");
        assert_eq!(has(&ex, "zoe-quill", Relation::CitizenOf, "united-kingdom"), Some(Certainty::Alleged));
        let ex = run("They met in the Syrian city of Aleppo, far from Syria's coast.");
        assert_eq!(has(&ex, "aleppo", Relation::LocatedIn, "syria"), Some(Certainty::Reported));
        let text =
            "In 2005 Zoe Quill, another Kabul-born lad, met a Herat born man using the name Ann Example.";
        let ex = run(text);
        assert_eq!(has(&ex, "zoe-quill", Relation::BornIn, "kabul"), Some(Certainty::Reported));
        assert_eq!(has(&ex, "ann", Relation::BornIn, "herat"), Some(Certainty::Reported));
        for l in &ex.links {
            assert_eq!(&text[l.span.start..l.span.end], l.text);
        }
        let ex = run("The suspect was probably a Kabul-born man called Zoe Quill.");
        assert_eq!(has(&ex, "zoe-quill", Relation::BornIn, "kabul"), Some(Certainty::Suspected));
        let text =
            "Later a cell of British plotters in Kabul – Zoe Quill, Bob Example and Ann Example – met.";
        let ex = run(text);
        for who in ["zoe-quill", "bob", "ann"] {
            assert_eq!(has(&ex, who, Relation::BasedIn, "kabul"), Some(Certainty::Reported), "{who}");
        }
        assert_eq!(has(&ex, "zoe-quill", Relation::AssociateOf, "ann"), Some(Certainty::Reported));
        for l in &ex.links {
            assert_eq!(&text[l.span.start..l.span.end], l.text);
        }
        let ex = run("Later a suspected cell in Kabul – Zoe Quill and Ann Example – met.");
        assert_eq!(has(&ex, "zoe-quill", Relation::AssociateOf, "ann"), Some(Certainty::Suspected));
        let text = "Zoe Quill left Syria, and in 2014 was placed in a Syrian jail.";
        let ex = run(text);
        assert_eq!(has(&ex, "zoe-quill", Relation::DetainedIn, "syria"), Some(Certainty::Reported));
        let l = ex.links.iter().find(|l| l.rel == Relation::DetainedIn).expect("the link");
        assert_eq!(&text[l.span.start..l.span.end], l.text);
        assert!(l.text.ends_with("Syrian jail"));
        let ex = run("Zoe Quill left Syria and was never placed in a Syrian prison.");
        assert_eq!(has(&ex, "zoe-quill", Relation::DetainedIn, "syria"), Some(Certainty::Refuted));
        let ex = run("French police arrested Zoe Quill in France.");
        assert_eq!(has(&ex, "zoe-quill", Relation::CitizenOf, "france"), None, "a clause between");
    }

    #[test]
    fn a_possessive_splits_a_new_name_in_two() {
        let text = "Officials said that Zeta Front's Al-Azaim Media Foundation spoke.";
        let ex = run(text);
        assert_eq!(entity(&ex, "Zeta Front").kind, Kind::Group);
        assert_eq!(entity(&ex, "Al-Azaim Media Foundation").mentions[0].text, "Al-Azaim Media Foundation");
        assert_eq!(
            has(&ex, "al-azaim-media-foundation", Relation::PartOf, "zeta-front"),
            Some(Certainty::Reported),
            "{:?}",
            links(&ex)
        );
        let ex = run("Officials said that Zeta Front's suspected Al-Azaim Media Foundation spoke.");
        assert_eq!(
            has(&ex, "al-azaim-media-foundation", Relation::PartOf, "zeta-front"),
            None,
            "a word between the possessive and the outlet"
        );
    }

    #[test]
    fn relation_families() {
        let cases: &[(&str, &str, Relation, &str)] = &[
            ("Zoe Quill carried out the Kabul bombing.", "zoe-quill", Relation::Perpetrated, "kabul-bombing"),
            (
                "The Kabul bombing was directed by Zoe Quill.",
                "zoe-quill",
                Relation::Directed,
                "kabul-bombing",
            ),
            (
                "Zoe Quill, the leader of the Omega Brigade, spoke.",
                "zoe-quill",
                Relation::LeaderOf,
                "omega-brigade",
            ),
            ("Zoe Quill founded the Omega Brigade.", "zoe-quill", Relation::Founded, "omega-brigade"),
            ("The Omega Brigade's leader Zoe Quill spoke.", "zoe-quill", Relation::LeaderOf, "omega-brigade"),
            ("Zoe Quill manages the Omega Brigade.", "zoe-quill", Relation::LeaderOf, "omega-brigade"),
            (
                "Then Omega Brigade spokesman Zoe Quill spoke.",
                "zoe-quill",
                Relation::MemberOf,
                "omega-brigade",
            ),
            (
                "The Kabul bombing suicide bomber Zoe Quill died.",
                "zoe-quill",
                Relation::Perpetrated,
                "kabul-bombing",
            ),
            (
                "The Alpha Cell grew; its Intelligence Bureau spread.",
                "intelligence-bureau",
                Relation::PartOf,
                "alpha-cell",
            ),
            (
                "Zoe Quill was involved in the Omega Brigade.",
                "zoe-quill",
                Relation::MemberOf,
                "omega-brigade",
            ),
            ("Zoe Quill spent some time in Kabul.", "zoe-quill", Relation::TraveledTo, "kabul"),
            ("Zoe Quill drove to Kabul.", "zoe-quill", Relation::TraveledTo, "kabul"),
            ("Zoe Quill, the brother of Max Quill, spoke.", "zoe-quill", Relation::SiblingOf, "max-quill"),
            ("Zoe Quill, the father of Max Quill, spoke.", "zoe-quill", Relation::ParentOf, "max-quill"),
            ("Zoe Quill's brother in law, Max Quill, spoke.", "zoe-quill", Relation::RelativeOf, "max-quill"),
            ("Zoe Quill was from Kabul.", "zoe-quill", Relation::LivedIn, "kabul"),
            ("Zoe Quill travelled to Syria.", "zoe-quill", Relation::TraveledTo, "syria"),
            ("Zoe Quill trained in Pakistan.", "zoe-quill", Relation::TrainedIn, "pakistan"),
            ("Zoe Quill was born in Kabul.", "zoe-quill", Relation::BornIn, "kabul"),
            ("Zoe Quill was killed in the Kabul bombing.", "zoe-quill", Relation::KilledIn, "kabul-bombing"),
            ("Zoe Quill was recruited by Max Quill.", "max-quill", Relation::Recruited, "zoe-quill"),
            (
                "The Omega Brigade is an affiliate of the Alpha Cell.",
                "omega-brigade",
                Relation::AffiliateOf,
                "alpha-cell",
            ),
            // Passive voice: the agent after "by" did it.
            (
                "The Kabul bombing was claimed by the Omega Brigade.",
                "omega-brigade",
                Relation::Claimed,
                "kabul-bombing",
            ),
            ("The Kabul bombing was planned by Zoe Quill.", "zoe-quill", Relation::Plotted, "kabul-bombing"),
            (
                "The Kabul bombing was funded by the Omega Brigade.",
                "omega-brigade",
                Relation::Financed,
                "kabul-bombing",
            ),
            (
                "The Kabul bombing was attributed to the Omega Brigade.",
                "omega-brigade",
                Relation::Perpetrated,
                "kabul-bombing",
            ),
            (
                "Zoe Quill staged the Kabul bombing on behalf of the Omega Brigade.",
                "omega-brigade",
                Relation::Directed,
                "kabul-bombing",
            ),
            (
                "The Omega Brigade is a subsidiary of the Alpha Cell.",
                "omega-brigade",
                Relation::AffiliateOf,
                "alpha-cell",
            ),
            (
                "The Omega Brigade's retaliation against the Alpha Cell grew.",
                "omega-brigade",
                Relation::RivalOf,
                "alpha-cell",
            ),
            (
                "Zoe Quill is guilty of the Kabul bombing.",
                "zoe-quill",
                Relation::ConvictedOf,
                "kabul-bombing",
            ),
            ("The Omega Brigade's activities in Herat grew.", "omega-brigade", Relation::OperatesIn, "herat"),
            ("Zoe Quill had a role in the Omega Brigade.", "zoe-quill", Relation::MemberOf, "omega-brigade"),
        ];
        for &(text, from, rel, to) in cases {
            let ex = run(text);
            assert!(has(&ex, from, rel, to).is_some(), "{text}: {:?}", links(&ex));
            let l = ex.links.iter().find(|l| l.rel == rel).expect("the link");
            assert_eq!(&text[l.span.start..l.span.end], l.text, "{text}: the span is the evidence");
        }
    }

    #[test]
    fn short_frames_state_membership_residence_and_posts() {
        let cases: &[(&str, &str, Relation, &str)] = &[
            (
                "Gen. Zoe Quill from the Omega Brigade spoke.",
                "zoe-quill",
                Relation::MemberOf,
                "omega-brigade",
            ),
            ("Zoe Quill of the Omega Brigade spoke.", "zoe-quill", Relation::MemberOf, "omega-brigade"),
            ("The trial of Zoe Quill of Kabul began.", "zoe-quill", Relation::LivedIn, "kabul"),
            ("Police named Zoe Quill, 34, of Herat.", "zoe-quill", Relation::LivedIn, "herat"),
            ("Then Kabul cab driver Zoe Quill drove off.", "zoe-quill", Relation::LivedIn, "kabul"),
            (
                "He met the leader of the militant Omega Brigade, Zoe Quill, in May.",
                "zoe-quill",
                Relation::LeaderOf,
                "omega-brigade",
            ),
            (
                "He met the founder of the Omega Brigade: Zoe Quill.",
                "zoe-quill",
                Relation::Founded,
                "omega-brigade",
            ),
            (
                "The Syrian jihadist group Omega Brigade grew in Syria.",
                "omega-brigade",
                Relation::OperatesIn,
                "syria",
            ),
            ("The Kabul-based Omega Brigade grew.", "omega-brigade", Relation::BasedIn, "kabul"),
            ("A second Kabul man, Zoe Quill, was charged.", "zoe-quill", Relation::LivedIn, "kabul"),
            (
                "Zoe Quill, then director of the Omega Brigade, spoke.",
                "zoe-quill",
                Relation::LeaderOf,
                "omega-brigade",
            ),
            ("The OBX Director Zoe Quill spoke.", "zoe-quill", Relation::LeaderOf, "obx"),
            ("Then OBX agent Zoe Quill testified.", "zoe-quill", Relation::MemberOf, "obx"),
            (
                "Zoe Quill, 19, who holds citizenship of Testland, left.",
                "zoe-quill",
                Relation::CitizenOf,
                "testland",
            ),
            ("Zoe Quill and Yan Roe, both residents of Kabul, left.", "yan-roe", Relation::LivedIn, "kabul"),
        ];
        for &(text, from, rel, to) in cases {
            let ex = run(text);
            assert_eq!(has(&ex, from, rel, to), Some(Certainty::Reported), "{text}: {:?}", links(&ex));
            let l = ex.links.iter().find(|l| l.rel == rel).expect("the link");
            assert_eq!(&text[l.span.start..l.span.end], l.text, "{text}: the span is the evidence");
        }
        // Hedged and denied; and the shapes that are not these frames.
        let ex = run("The alleged leader of the Omega Brigade, Zoe Quill, spoke.");
        assert_eq!(has(&ex, "zoe-quill", Relation::LeaderOf, "omega-brigade"), Some(Certainty::Alleged));
        let ex = run("The suspected Syrian jihadist group Omega Brigade grew in Syria.");
        assert_eq!(has(&ex, "omega-brigade", Relation::OperatesIn, "syria"), Some(Certainty::Suspected));
        let ex = run("The leader of the Omega Brigade, not Zoe Quill, spoke.");
        assert_eq!(has(&ex, "zoe-quill", Relation::LeaderOf, "omega-brigade"), None);
        let ex = run("Zoe Quill of Testland spoke.");
        assert_eq!(has(&ex, "zoe-quill", Relation::LivedIn, "testland"), None, "a country is no address");
        let ex = run("Kabul bombing suspect Zoe Quill spoke.");
        assert_eq!(has(&ex, "zoe-quill", Relation::LivedIn, "kabul"), None, "not an occupation");
        let ex = run("Zoe Quill is director of studies at the Omega Brigade.");
        assert_eq!(
            has(&ex, "zoe-quill", Relation::LeaderOf, "omega-brigade"),
            None,
            "a post in a part of it"
        );
        let ex = run("The OBX Deputy Director Zoe Quill spoke.");
        assert_eq!(has(&ex, "zoe-quill", Relation::LeaderOf, "obx"), None, "a deputy");
        let ex = run("A Syrian official praised the Omega Brigade. Syria is far.");
        assert_eq!(has(&ex, "omega-brigade", Relation::OperatesIn, "syria"), None, "no group noun");
    }

    #[test]
    fn a_branch_named_after_its_region_is_an_affiliate() {
        let text = "The Zeta Qaeda in the Arabian Peninsula grew. The Omega State in Syria grew.";
        let ex = run(text);
        let branch = entity(&ex, "Zeta Qaeda in the Arabian Peninsula");
        assert_eq!((branch.kind, branch.subkind), (Kind::Group, Some("Affiliate")));
        assert_eq!(has(&ex, &branch.id, Relation::AffiliateOf, "zeta-qaeda"), Some(Certainty::Reported));
        assert_eq!(has(&ex, "zeta-qaeda", Relation::OperatesIn, "arabian-peninsula"), None);
        assert!(ex.entities.iter().all(|e| e.name != "Omega State in Syria"), "one place: where it is");
        assert_eq!(has(&ex, "omega-state", Relation::OperatesIn, "syria"), Some(Certainty::Reported));
        let ex = run("The Omega State in Iraq and Syria grew.");
        assert_eq!(entity(&ex, "Omega State in Iraq and Syria").subkind, Some("Affiliate"));
        // An office in a country serves there; a group's members held there do not operate there.
        let ex =
            run("The Omega Police in Testland spoke. Omega Brigade members spent years in prison in Kabul.");
        assert_eq!(has(&ex, "omega-police", Relation::OperatesIn, "testland"), None);
        assert_eq!(has(&ex, "omega-brigade", Relation::OperatesIn, "kabul"), None);
    }

    #[test]
    fn hedging_lowers_and_negation_refutes() {
        let ex = run("Zoe Quill, a suspected member of the Omega Brigade, spoke.");
        assert_eq!(has(&ex, "zoe-quill", Relation::MemberOf, "omega-brigade"), Some(Certainty::Suspected));
        let ex = run("Zoe Quill allegedly joined the Omega Brigade.");
        assert_eq!(has(&ex, "zoe-quill", Relation::MemberOf, "omega-brigade"), Some(Certainty::Alleged));
        let ex = run("Zoe Quill had no connection to the Omega Brigade.");
        assert_eq!(has(&ex, "zoe-quill", Relation::MemberOf, "omega-brigade"), Some(Certainty::Refuted));
        let ex = run("The alleged Omega Brigade leader Zoe Quill spoke.");
        assert_eq!(has(&ex, "zoe-quill", Relation::LeaderOf, "omega-brigade"), Some(Certainty::Alleged));
        let ex = run("The Omega Brigade's leader was probably Zoe Quill.");
        assert_eq!(has(&ex, "zoe-quill", Relation::LeaderOf, "omega-brigade"), Some(Certainty::Suspected));
        let ex = run("Zoe Quill was convicted of the Kabul bombing.");
        assert_eq!(has(&ex, "zoe-quill", Relation::ConvictedOf, "kabul-bombing"), Some(Certainty::Confirmed));
        let ex = run("The Kabul bombing was blamed on the Omega Brigade.");
        assert_eq!(
            has(&ex, "omega-brigade", Relation::Perpetrated, "kabul-bombing"),
            Some(Certainty::Alleged)
        );
        let ex = run("The Kabul bombing was not claimed by the Omega Brigade.");
        assert_eq!(has(&ex, "omega-brigade", Relation::Claimed, "kabul-bombing"), Some(Certainty::Refuted));
        let ex = run("It is unclear whether Zoe Quill joined the Omega Brigade.");
        assert_eq!(has(&ex, "zoe-quill", Relation::MemberOf, "omega-brigade"), Some(Certainty::Disputed));
    }

    #[test]
    fn spans_are_the_mentions_and_output_is_deterministic() {
        let text = "Ann Example travelled to Syria. Zoe Quill, a member of the Omega Brigade, met Ann Example in Kabul.";
        let (a, b) = (run(text), run(text));
        for e in &a.entities {
            for m in &e.mentions {
                assert_eq!(&text[m.start..m.end], m.text);
            }
        }
        assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        #[test]
        fn no_text_makes_it_panic(text in "(?s).{0,400}", words in proptest::collection::vec("[A-Z][a-z]{0,8}|of|the|in|at|and|'s|its|he|arrested|attack|-born|city|Kabul|Herat|Syria|Ann Example|Alpha Cell|British|members|\\(|\\)|,|:|\\.|—|–|é|\\n", 0..60)) {
            let _ = run(&text);
            let _ = run(&words.join(" "));
        }
    }

    #[test]
    fn odd_inputs() {
        for text in [
            "",
            " ",
            "\n\n\n",
            "é",
            "(",
            "A.",
            &"A".repeat(100_000),
            &"word ".repeat(20_000),
            "\u{0}\u{1}\u{fffd}",
        ] {
            let _ = run(text);
        }
    }
}

//! What the stages of the pipeline have in common: the candidate entities of the whole
//! extraction (`Candidates`: known or new, by number, shared by every article so that a name
//! read twice is one candidate), the mention a stage finds (`Found`: a byte span and the
//! candidate it names), the links a stage proposes (`PendingLink`, waiting for their article's
//! file and source; `DocLink` once read), and `Proposer`, what a stage's rules write through
//! while they read: new candidates into the `Candidates`, links into the stage's own list.
//! Each stage's own input and output types live in its module.

use std::collections::HashMap;

use super::names::NameKind;
use super::{Extractor, Mention};
use crate::model::{Certainty, EventType, GroupType, Kind, PlaceType, Relation, text::name_key};

/// The mentions of a sentence; `mentions` are sorted by start, so they are one run.
pub(super) fn here_in<'m>(
    mentions: &'m [Found],
    range: &std::ops::Range<usize>,
) -> impl Iterator<Item = &'m Found> {
    let first = mentions.partition_point(|m| m.start < range.start);
    let end = range.end;
    mentions[first..].iter().take_while(move |m| m.start < end).filter(move |m| m.end <= end)
}

/// One sentence as a rule reads it: the article's text, the sentence's byte range in it, and
/// the article's mentions so far (sorted by start; [`here_in`] gives the sentence's).
pub(super) struct SentenceView<'a> {
    pub(super) text: &'a str,
    pub(super) range: std::ops::Range<usize>,
    pub(super) mentions: &'a [Found],
}

/// A rule that proposes events sentence by sentence: the sentence, the text in ASCII lower
/// case (so that its offsets are the text's), and where to put the mentions it adds (start,
/// end, candidate).
pub(super) type SentenceRule = fn(&SentenceView, &str, &mut Vec<(usize, usize, usize)>, &mut Proposer);

/// Runs `rule` on every sentence of `text`, then adds the mentions it found; they are added
/// after the last sentence, so that no sentence reads another's new mentions.
pub(super) fn each_sentence(
    text: &str,
    sentences: &[std::ops::Range<usize>],
    mentions: &mut Vec<Found>,
    state: &mut Proposer,
    rule: SentenceRule,
) {
    // Lower case that keeps every byte where it is ("İ" is longer in lower case).
    let lower = text.to_ascii_lowercase();
    let mut added = Vec::new();
    for range in sentences {
        rule(&SentenceView { text, range: range.clone(), mentions }, &lower, &mut added, state);
    }
    mentions.extend(added.into_iter().map(|(start, end, cand)| Found { start, end, cand }));
    mentions.sort_by_key(|m| (m.start, m.end));
}

/// A mention found in one document.
#[derive(Clone, Debug)]
pub(super) struct Found {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) cand: usize,
}

/// A candidate entity, known or new, while extraction runs.
#[derive(Clone, Debug)]
pub(super) struct Cand {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) kind: Kind,
    pub(super) subkind: Option<&'static str>,
    pub(super) aliases: Vec<String>,
    pub(super) known: bool,
    pub(super) date: Option<String>,
    pub(super) rule: &'static str,
    pub(super) mentions: Vec<Mention>,
}

#[derive(Clone, Debug)]
pub(super) struct PendingLink {
    pub(super) from: usize,
    pub(super) rel: Relation,
    pub(super) to: usize,
    pub(super) certainty: Certainty,
    pub(super) span: (usize, usize),
    pub(super) rule: &'static str,
}

/// The candidate entities of the whole extraction, by number: each article's stages add to
/// them, and `output` resolves them into proposals after the last article.
#[derive(Default)]
pub(super) struct Candidates {
    pub(super) cands: Vec<Cand>,
    pub(super) by_known: HashMap<usize, usize>,
    pub(super) by_key: HashMap<(Kind, String), usize>,
    /// Events of each type proposed for a place, so that one is not proposed twice.
    pub(super) events: HashMap<(usize, EventType), usize>,
}

/// A group whose members a sentence reports arrested in a place (group, place, the
/// sentence): being arrested there is not the group operating there.
pub(super) type ArrestedIn = (usize, usize, std::ops::Range<usize>);

/// What a stage's rules write through: new candidates go to the extraction's `Candidates`
/// (which it dereferences to), the links they propose to the stage's own `pending` list.
pub(super) struct Proposer<'s> {
    pub(super) registry: &'s mut Candidates,
    pub(super) pending: &'s mut Vec<PendingLink>,
}

impl std::ops::Deref for Proposer<'_> {
    type Target = Candidates;
    fn deref(&self) -> &Candidates {
        self.registry
    }
}

impl std::ops::DerefMut for Proposer<'_> {
    fn deref_mut(&mut self) -> &mut Candidates {
        self.registry
    }
}

impl Proposer<'_> {
    pub(super) fn add_link(&mut self, link: PendingLink) {
        self.pending.push(link);
    }
}

/// A link read from a document, its ends still candidate numbers.
pub(super) struct DocLink {
    pub(super) link: PendingLink,
    pub(super) source: String,
    pub(super) file: String,
    pub(super) text: String,
}

impl Candidates {
    pub(super) fn push(&mut self, cand: Cand) -> usize {
        self.cands.push(cand);
        self.cands.len() - 1
    }

    pub(super) fn known(&mut self, x: &Extractor, i: usize) -> usize {
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

    pub(super) fn place(&mut self, x: &Extractor, p: usize) -> usize {
        let place = &x.places[p];
        let kind = match place.kind {
            PlaceType::Country => "Country",
            PlaceType::Region => "Region",
            _ => "City",
        };
        self.keyed(Kind::Place, place.name, Some(kind), "gazetteer")
    }

    pub(super) fn town(&mut self, x: &Extractor, t: usize) -> usize {
        self.keyed(Kind::Place, x.towns.places[t].name, Some("City"), "gazetteer-town")
    }

    pub(super) fn keyed(
        &mut self,
        kind: Kind,
        name: &str,
        subkind: Option<&'static str>,
        rule: &'static str,
    ) -> usize {
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

    pub(super) fn new_entity(&mut self, surface: &str, kind: NameKind, rule: &'static str) -> usize {
        let (kind, sub) = match kind {
            NameKind::Person => (Kind::Person, None),
            NameKind::Group(g) => (Kind::Group, Some(group_name(g))),
            NameKind::Place(p) => (Kind::Place, Some(place_name(p))),
        };
        self.keyed(kind, surface, sub, rule)
    }

    pub(super) fn new_event(&mut self, name: &str, kind: EventType, date: Option<String>) -> usize {
        let c = self.keyed(Kind::Event, name, Some(kind.name()), "event-phrase");
        if self.cands[c].date.is_none() {
            self.cands[c].date = date;
        }
        c
    }

    /// The event of type `kind` already proposed for `place`, or else a new one named `name`
    /// (dated by `date`, read only then), which becomes that place's.
    pub(super) fn event_at(
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
}

pub(super) fn group_name(g: GroupType) -> &'static str {
    g.name()
}

pub(super) fn place_name(p: PlaceType) -> &'static str {
    p.name()
}

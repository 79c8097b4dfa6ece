//! The last stage: what the pipeline proposes, as the caller sees it. Each article's mentions
//! are recorded on their candidates ([`record_mentions`], whose [`Recorded`] is what link
//! reading reads); after the last article, new candidates that name a known entity or an
//! earlier one are merged into it, new entities get ids, and the `Candidates` and the links
//! of every article (`DocLink`) become an [`Extraction`] ([`Candidates::finish`]): the
//! proposals, in order of first mention.

use serde::Serialize;

use super::state::{Candidates, DocLink, Found};
use super::{Document, Extractor, resolve};
use crate::model::{Certainty, Kind, Relation, slugify, text::name_key};

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

/// An article's final mentions, recorded on their candidates, sorted by start (the longer
/// first), as link reading wants them.
pub(super) struct Recorded {
    pub(super) mentions: Vec<Found>,
}

/// Records the final mentions of one article (`events::AimedEvents`) on their candidates, in text order, with the parents
/// of regional branches, which are still named there.
pub(super) fn record_mentions(
    doc: &Document,
    mut mentions: Vec<Found>,
    parents: &[Found],
    state: &mut Candidates,
) -> Recorded {
    mentions.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    let mut named: Vec<&Found> = mentions.iter().chain(parents).collect();
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
    Recorded { mentions }
}

impl Extractor {
    /// How many new entities of `extraction` name a known entity, or a new one before them
    /// (its name or an alias), by the rules [`Candidates::resolve`] merges with: 0 when resolution
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
}

impl Candidates {
    /// Gives new entities ids, and orders entities by first mention.
    /// Resolves each new candidate that names a known entity, or a candidate before it, to
    /// that one ([`resolve::same`], or a person's surname alone when one person of the
    /// extraction has it): its mentions and links move there and its name becomes an alias.
    /// Titles alone ("Retired Gen") are not a person: such a candidate is dropped.
    fn resolve(&mut self, x: &Extractor, links: &mut Vec<DocLink>) {
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
            let alive = |s: &Candidates, b: usize| {
                b != c && !s.cands[b].mentions.is_empty() && s.cands[b].kind == kind
            };
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
            links.iter().map(|d| (d.link.from, d.link.rel, d.link.to)).collect();
        let ends = |i: usize| moved.get(i).copied().flatten().unwrap_or(i);
        links.retain_mut(|d| {
            let (from, to) = (ends(d.link.from), ends(d.link.to));
            if (from, to) == (d.link.from, d.link.to) {
                return true;
            }
            d.link.from = from;
            d.link.to = to;
            from != to && seen.insert((from, d.link.rel, to))
        });
    }

    /// The output of the whole extraction: its candidates and the links of every article.
    pub(super) fn finish(mut self, x: &Extractor, mut links: Vec<DocLink>) -> Extraction {
        self.resolve(x, &mut links);
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
        let links: Vec<ProposedLink> = links
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

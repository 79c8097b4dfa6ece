//! The learned linker: a second reader of links, after the hand-written rules.
//!
//! Every two entities named close together in one sentence are a candidate for each relation
//! their kinds allow (DESIGN.md's domains and ranges). A linear model scores each candidate
//! from the words between and around the two mentions, the kinds of both ends, the names in
//! between, and what the rules proposed for the same pair ([`features`]). A pair's score is
//! the best over the sentences that name both; a link is proposed when it passes the model's
//! threshold, with the rule name `learned`, the span from the first mention to the second,
//! and the certainty the hedges around it give ([`super::relations::certainty`]).
//!
//! The weights are learned from the gold annotations with an averaged perceptron
//! ([`train`]) and shipped as `linker.tsv` beside this file, one `relation, feature, weight`
//! a line, so that what the model has learned can be read. `cargo run --release --example
//! linker -- train` makes it again from the dev sets.

pub mod features;
pub mod train;

use std::collections::{BTreeMap, HashMap, HashSet};

use xxhash_rust::xxh3::xxh3_64;

use super::{Document, Extraction, ProposedLink, Span, relations, text};
use crate::model::{Certainty, Kind, Relation};
use features::{Between, End};

/// The model that ships with the tool.
const SHIPPED: &str = include_str!("../linker.tsv");

/// Names at most this many mentions apart in a sentence are paired.
const WINDOW: usize = 14;
/// Two mentions further apart than this (bytes) are not paired.
const REACH: usize = 700;

/// Weights keyed by relation and feature, and the score a link must pass.
#[derive(Clone, Debug)]
pub struct Linker {
    weights: HashMap<u64, f32>,
    pub threshold: f32,
}

/// A problem in a model file: the line and what is wrong with it.
#[derive(Debug, thiserror::Error)]
#[error("linker model, line {line}: {message}")]
pub struct ModelError {
    pub line: usize,
    pub message: String,
}

impl Linker {
    /// The model shipped in `src/extract/linker.tsv`.
    pub fn shipped() -> Linker {
        Linker::parse(SHIPPED).expect("the shipped linker model parses (checked by a unit test)")
    }

    /// Reads a model: a `threshold<TAB>T` line, then `Relation<TAB>feature<TAB>weight` lines;
    /// `#` starts a comment line.
    pub fn parse(text: &str) -> Result<Linker, ModelError> {
        let mut weights = HashMap::new();
        let mut threshold = 0.0;
        for (i, line) in text.lines().enumerate() {
            let error = |message: String| ModelError { line: i + 1, message };
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            match fields.as_slice() {
                ["threshold", t] => {
                    threshold = t.parse().map_err(|e| error(format!("threshold `{t}`: {e}")))?;
                }
                [rel, feature, w] => {
                    let rel =
                        Relation::from_name(rel).ok_or_else(|| error(format!("unknown relation `{rel}`")))?;
                    let w: f32 = w.parse().map_err(|e| error(format!("weight `{w}`: {e}")))?;
                    weights.insert(key(feature_hash(feature), rel), w);
                }
                _ => return Err(error("expected `Relation<TAB>feature<TAB>weight`".into())),
            }
        }
        Ok(Linker { weights, threshold })
    }

    /// A model from trained weights.
    pub fn from_weights(weights: &[(Relation, String, f32)], threshold: f32) -> Linker {
        let weights = weights.iter().map(|(r, f, w)| (key(feature_hash(f), *r), *w)).collect();
        Linker { weights, threshold }
    }

    fn score(&self, keys: impl Iterator<Item = u64>) -> f32 {
        keys.map(|k| self.weights.get(&k).copied().unwrap_or(0.0)).sum()
    }

    /// Adds the links the model proposes to `ex` (read from `docs`, the articles `ex` came
    /// from). A link the rules already proposed is not proposed twice.
    pub fn apply(&self, docs: &[Document], ex: &mut Extraction) {
        let candidates = candidates(docs, ex, None);
        let rules = rule_links(ex);
        // The best instance of each (from, relation, to), in the order first seen.
        let mut best: BTreeMap<(usize, Relation, usize), (f32, usize)> = BTreeMap::new();
        let mut order = Vec::new();
        for (ci, c) in candidates.iter().enumerate() {
            for rel in allowed(ex.entities[c.from].kind, ex.entities[c.to].kind) {
                let s = self.score(keys(c, rel, &rules));
                if s <= self.threshold {
                    continue;
                }
                // A symmetric relation is one slot whichever way round.
                let slot = if rel.is_symmetric() {
                    (c.from.min(c.to), rel, c.from.max(c.to))
                } else {
                    (c.from, rel, c.to)
                };
                match best.get_mut(&slot) {
                    Some(b) if b.0 >= s => {}
                    Some(b) => *b = (s, ci),
                    None => {
                        best.insert(slot, (s, ci));
                        order.push(slot);
                    }
                }
            }
        }
        let have: HashSet<(String, Relation, String)> =
            ex.links.iter().map(|l| (l.from.clone(), l.rel, l.to.clone())).collect();
        for slot in order {
            let (from, rel, to) = slot;
            let c = &candidates[best[&slot].1];
            let (f, t) = (ex.entities[from].id.clone(), ex.entities[to].id.clone());
            if have.contains(&(f.clone(), rel, t.clone()))
                || (rel.is_symmetric() && have.contains(&(t.clone(), rel, f.clone())))
            {
                continue;
            }
            ex.links.push(ProposedLink {
                from: f,
                rel,
                to: t,
                certainty: c.certainty,
                source: c.source.clone(),
                span: Span { file: c.file.clone(), start: c.span.0, end: c.span.1 },
                rule: "learned",
                text: c.text.clone(),
            });
        }
    }
}

/// One candidate: two entities of an extraction named in one sentence, one way round.
#[derive(Debug)]
pub struct Candidate {
    /// Indices into the extraction's entities.
    pub from: usize,
    pub to: usize,
    pub source: String,
    pub file: String,
    /// From the first mention's start to the second's end.
    pub span: (usize, usize),
    pub text: String,
    pub certainty: Certainty,
    features: Vec<u64>,
}

/// The relations a link from a `from` to a `to` may have.
pub fn allowed(from: Kind, to: Kind) -> impl Iterator<Item = Relation> {
    Relation::ALL.iter().copied().filter(move |r| r.domain().contains(&from) && r.range().contains(&to))
}

/// What the rules proposed between each pair of entities (indices into the extraction).
pub type RuleLinks = HashMap<(usize, usize), Vec<Relation>>;

pub fn rule_links(ex: &Extraction) -> RuleLinks {
    let index: HashMap<&str, usize> =
        ex.entities.iter().enumerate().map(|(i, e)| (e.id.as_str(), i)).collect();
    let mut out: RuleLinks = HashMap::new();
    for l in &ex.links {
        if let (Some(&f), Some(&t)) = (index.get(l.from.as_str()), index.get(l.to.as_str())) {
            out.entry((f, t)).or_default().push(l.rel);
            if l.rel.is_symmetric() {
                out.entry((t, f)).or_default().push(l.rel);
            }
        }
    }
    out
}

/// The keys a candidate is scored on for `rel`: its features paired with the relation, and
/// what the rules said of the pair.
pub fn keys<'c>(c: &'c Candidate, rel: Relation, rules: &RuleLinks) -> impl Iterator<Item = u64> + 'c {
    let said = rules.get(&(c.from, c.to));
    let back = rules.get(&(c.to, c.from));
    let mut extra = Vec::new();
    match said {
        Some(rels) if rels.contains(&rel) => extra.push("rule:same"),
        Some(_) => extra.push("rule:other"),
        None => {}
    }
    if back.is_some_and(|rels| rels.contains(&rel)) {
        extra.push("rule:reversed");
    }
    c.features
        .iter()
        .map(move |&f| key(f, rel))
        .chain(extra.into_iter().map(move |n| key(feature_hash(n), rel)))
}

/// The rule features' names, for a trainer that prints what it learned.
pub const RULE_FEATURES: [&str; 3] = ["rule:same", "rule:other", "rule:reversed"];

pub fn feature_hash(name: &str) -> u64 {
    xxh3_64(name.as_bytes())
}

/// A feature paired with a relation.
pub fn key(feature: u64, rel: Relation) -> u64 {
    let r = (rel as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (feature ^ r).wrapping_mul(0xFF51_AFD7_ED55_8CCD).rotate_left(29)
}

/// Every candidate in `docs`, with the features of each. When `names` is given, it is filled
/// with the name behind each feature hash (for training, which writes names out).
pub fn candidates(
    docs: &[Document],
    ex: &Extraction,
    mut names: Option<&mut HashMap<u64, String>>,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    for doc in docs {
        let text = text::blank_markup(&doc.text);
        // This document's mentions: (start, end, entity).
        let mut mentions: Vec<(usize, usize, usize)> = ex
            .entities
            .iter()
            .enumerate()
            .flat_map(|(i, e)| {
                e.mentions
                    .iter()
                    .filter(|m| m.file == doc.file && m.source == doc.source && m.end <= text.len())
                    .map(move |m| (m.start, m.end, i))
            })
            .collect();
        mentions.sort_unstable();
        mentions.dedup();
        let sentences = text::sentences(&text);
        let in_sentence = |range: &std::ops::Range<usize>| {
            let first = mentions.partition_point(|m| m.0 < range.start);
            let last = mentions.partition_point(|m| m.0 < range.end);
            mentions[first..last].iter().filter(|m| m.1 <= range.end).copied().collect::<Vec<_>>()
        };
        // How many sentences name both of a pair.
        let mut together: HashMap<(usize, usize), usize> = HashMap::new();
        let mut pairs_by_sentence = Vec::new();
        for range in &sentences {
            let here = in_sentence(range);
            // The closest two mentions of each pair of entities in the sentence.
            let mut pairs: BTreeMap<(usize, usize), (usize, usize)> = BTreeMap::new();
            for (i, a) in here.iter().enumerate() {
                for (j, b) in here.iter().enumerate().skip(i + 1).take(WINDOW) {
                    if a.2 == b.2 || b.0 < a.1 || b.0 - a.1 > REACH {
                        continue;
                    }
                    let pair = (a.2.min(b.2), a.2.max(b.2));
                    let gap = b.0 - a.1;
                    match pairs.get(&pair) {
                        Some(&(pi, pj)) if here[pj].0 - here[pi].1 <= gap => {}
                        _ => {
                            pairs.insert(pair, (i, j));
                        }
                    }
                }
            }
            for pair in pairs.keys() {
                *together.entry(*pair).or_default() += 1;
            }
            pairs_by_sentence.push((range.clone(), here, pairs));
        }
        for (range, here, pairs) in pairs_by_sentence {
            for (pair, (i, j)) in pairs {
                let (a, b) = (here[i], here[j]);
                let others: Vec<Between> = here[i + 1..j]
                    .iter()
                    .filter(|m| m.0 >= a.1 && m.1 <= b.0)
                    .map(|m| Between { start: m.0, end: m.1, kind: ex.entities[m.2].kind })
                    .collect();
                let end = |m: (usize, usize, usize)| End {
                    start: m.0,
                    end: m.1,
                    kind: ex.entities[m.2].kind,
                    subkind: ex.entities[m.2].subkind,
                };
                let hedge_from = (range.start.max(a.0.saturating_sub(40))..=a.0)
                    .find(|&k| text.is_char_boundary(k))
                    .unwrap_or(a.0);
                let certainty = relations::certainty(&format!(" {} ", &text[hedge_from..b.1]));
                for (x, y) in [(a, b), (b, a)] {
                    if allowed(ex.entities[x.2].kind, ex.entities[y.2].kind).next().is_none() {
                        continue;
                    }
                    let named = features::features(
                        &text,
                        range.clone(),
                        &end(x),
                        &end(y),
                        &others,
                        i == 0,
                        together[&pair],
                    );
                    let features = named
                        .into_iter()
                        .map(|n| {
                            let h = feature_hash(&n);
                            if let Some(names) = names.as_deref_mut() {
                                names.entry(h).or_insert(n);
                            }
                            h
                        })
                        .collect();
                    out.push(Candidate {
                        from: x.2,
                        to: y.2,
                        source: doc.source.clone(),
                        file: doc.file.clone(),
                        span: (a.0, b.1),
                        text: doc.text[a.0..b.1].to_owned(),
                        certainty,
                        features,
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_model_parses() {
        let m = Linker::parse(SHIPPED).expect("parses");
        assert!(!m.weights.is_empty());
    }

    #[test]
    fn bad_model_lines_are_named() {
        let e = Linker::parse("threshold\t0.5\nMemberOf\tw:member\t1.0\nNoSuch\tw:x\t1\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.to_string().contains("unknown relation `NoSuch`"), "{e}");
        let e = Linker::parse("MemberOf\tw:member\n").unwrap_err();
        assert_eq!(e.line, 1);
    }

    #[test]
    fn allowed_follows_domains_and_ranges() {
        let p2g: Vec<_> = allowed(Kind::Person, Kind::Group).collect();
        assert!(p2g.contains(&Relation::MemberOf));
        assert!(!p2g.contains(&Relation::OccurredIn));
        assert_eq!(allowed(Kind::Place, Kind::Person).count(), 0);
    }
}

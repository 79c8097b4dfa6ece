//! Learning the linker's weights from gold annotations.
//!
//! Each candidate the rules' extraction of an article gives ([`super::candidates`]) is an
//! example for every relation its kinds allow: positive when the gold file has that link
//! between the gold entities its two ends match ([`crate::extract::eval::match_entities`]),
//! negative otherwise. An averaged perceptron reads them in a fixed shuffled order, so the
//! same examples always give the same weights.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

use super::{Candidate, RULE_FEATURES, allowed, candidates, feature_hash, key, keys, rule_links};
use crate::extract::eval::{Gold, match_entities};
use crate::extract::{Document, Extraction};
use crate::model::Relation;

/// An article (or the pieces of one file), what the rules extracted from it, and its gold.
pub struct Example<'g> {
    pub docs: Vec<Document>,
    pub extraction: Extraction,
    pub gold: &'g Gold,
}

/// How to learn.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// Passes over the examples.
    pub epochs: usize,
    /// How much more a missed gold link moves the weights than a wrong proposal does.
    pub positive_weight: f64,
    /// Averaged weights smaller than this are left out of the model.
    pub prune: f64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings { epochs: 8, positive_weight: 1.0, prune: 0.01 }
    }
}

/// The links of `gold` as (from, relation, to) indices into `ex.entities`, for the gold links
/// both of whose ends a proposed entity matches. Symmetric links are given both ways.
pub fn positives(gold: &Gold, ex: &Extraction) -> HashSet<(usize, Relation, usize)> {
    let matched = match_entities(gold, ex);
    let mut found_of: HashMap<usize, Vec<usize>> = HashMap::new();
    for (&f, &g) in &matched {
        found_of.entry(g).or_default().push(f);
    }
    let gold_index: HashMap<&str, usize> =
        gold.entities.iter().enumerate().map(|(i, g)| (g.name.as_str(), i)).collect();
    let mut out = HashSet::new();
    for l in &gold.links {
        let (Some(ga), Some(gb)) = (gold_index.get(l.from.as_str()), gold_index.get(l.to.as_str())) else {
            continue;
        };
        for &a in found_of.get(ga).into_iter().flatten() {
            for &b in found_of.get(gb).into_iter().flatten() {
                out.insert((a, l.rel, b));
                if l.rel.is_symmetric() {
                    out.insert((b, l.rel, a));
                }
            }
        }
    }
    out
}

/// Learns weights from `examples`: (relation, feature name, weight), sorted, rounded to
/// three decimals.
pub fn train(examples: &[Example], settings: Settings) -> Vec<(Relation, String, f32)> {
    let mut names: HashMap<u64, String> =
        RULE_FEATURES.iter().map(|n| (feature_hash(n), (*n).to_owned())).collect();
    let mut sets: Vec<(Vec<Candidate>, super::RuleLinks)> = Vec::new();
    let mut items: Vec<(usize, usize, Relation, bool)> = Vec::new();
    for (ei, e) in examples.iter().enumerate() {
        let cands = candidates(&e.docs, &e.extraction, Some(&mut names));
        let gold = positives(e.gold, &e.extraction);
        for (ci, c) in cands.iter().enumerate() {
            let (kx, ky) = (e.extraction.entities[c.from].kind, e.extraction.entities[c.to].kind);
            for rel in allowed(kx, ky) {
                items.push((ei, ci, rel, gold.contains(&(c.from, rel, c.to))));
            }
        }
        sets.push((cands, rule_links(&e.extraction)));
    }
    // Which (relation, feature) each key stands for, to write the model out.
    let mut key_names: HashMap<u64, (Relation, u64)> = HashMap::new();
    // Averaged perceptron: w, and the sum of each update times the step it was made at.
    let mut w: HashMap<u64, f64> = HashMap::new();
    let mut u: HashMap<u64, f64> = HashMap::new();
    let mut step = 1.0;
    let mut order: Vec<usize> = (0..items.len()).collect();
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    for _ in 0..settings.epochs {
        // Fisher-Yates with xorshift: the same order on every machine.
        for i in (1..order.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            order.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        for &k in &order {
            let (ei, ci, rel, positive) = items[k];
            let (cands, rules) = &sets[ei];
            let c = &cands[ci];
            let score: f64 = keys(c, rel, rules).map(|k| w.get(&k).copied().unwrap_or(0.0)).sum();
            let y = if positive { 1.0 } else { -1.0 };
            if y * score <= 0.0 {
                let by = if positive { settings.positive_weight } else { 1.0 };
                for k in keys(c, rel, rules) {
                    *w.entry(k).or_default() += y * by;
                    *u.entry(k).or_default() += y * by * step;
                }
                for &f in c.features.iter() {
                    key_names.entry(key(f, rel)).or_insert((rel, f));
                }
                for n in RULE_FEATURES {
                    let f = feature_hash(n);
                    key_names.entry(key(f, rel)).or_insert((rel, f));
                }
            }
            step += 1.0;
        }
    }
    let mut out: BTreeMap<(Relation, String), f32> = BTreeMap::new();
    for (k, wk) in &w {
        let averaged = wk - u.get(k).copied().unwrap_or(0.0) / step;
        let rounded = (averaged * 1000.0).round() / 1000.0;
        if rounded.abs() < settings.prune {
            continue;
        }
        if let Some((rel, f)) = key_names.get(k) {
            out.insert((*rel, names[f].clone()), rounded as f32);
        }
    }
    out.into_iter().map(|((r, n), w)| (r, n, w)).collect()
}

/// The model file's text: a header, the threshold, and one `relation, feature, weight` a line.
pub fn to_tsv(weights: &[(Relation, String, f32)], threshold: f32, header: &str) -> String {
    let mut out = String::new();
    for line in header.lines() {
        let _ = writeln!(out, "# {line}");
    }
    let _ = writeln!(out, "threshold\t{threshold}");
    for (r, n, w) in weights {
        let _ = writeln!(out, "{r}\t{n}\t{w}");
    }
    out
}

/// The articles of a gold folder with their gold files: each gold file's `article` read from
/// `articles`. The documents cite the source `gold`, as training needs none.
pub fn read_set(articles: &std::path::Path, gold: &std::path::Path) -> Result<Vec<(Document, Gold)>, String> {
    let golds = crate::extract::eval::read_gold(gold)?;
    golds
        .into_iter()
        .map(|g| {
            let path = articles.join(&g.article);
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
            let doc = Document { file: path.display().to_string(), source: "gold".into(), text };
            Ok((doc, g))
        })
        .collect()
}

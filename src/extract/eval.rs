//! `extract --eval GOLD`: precision, recall and F1 of the proposals against hand-made gold
//! annotations (format and matching rules: `tests/fixtures/gold/README.md`).
//!
//! Entities match when they have the same kind and share a normalised surface form (events
//! also by word overlap, since unnamed events carry descriptive names), one to one, exact
//! matches first. Links match when both ends are matched to the gold link's ends and the
//! relation and direction agree; strict scores also need the same certainty. The dev set and
//! the held-out set are reported apart, micro-averaged, with the counts behind every figure.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Document, Extraction};
use crate::model::{Certainty, Kind, Relation};

/// One gold file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gold {
    pub article: String,
    pub held_out: bool,
    pub entities: Vec<GoldEntity>,
    pub links: Vec<GoldLink>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldEntity {
    pub name: String,
    pub kind: Kind,
    #[serde(default)]
    pub sub: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldLink {
    pub from: String,
    pub rel: Relation,
    pub to: String,
    pub certainty: Certainty,
}

/// Counts for one article or a set of them.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Counts {
    pub entities_found: usize,
    pub entities_gold: usize,
    pub entities_matched: usize,
    pub links_found: usize,
    pub links_gold: usize,
    /// Links matched ignoring certainty.
    pub links_matched: usize,
    /// Links matched with the same certainty.
    pub links_strict: usize,
    /// Gold links both of whose ends a proposed entity matches: no reader of links, however
    /// good, finds more than these from the same entities.
    pub links_reachable: usize,
    /// Proposed new entities that name a known entity, or one proposed before them, by the
    /// rules extraction resolves names with ([`super::Extractor::duplicates`]): each is a
    /// duplicate a reviewer would have to merge.
    pub duplicates: usize,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.entities_found += o.entities_found;
        self.entities_gold += o.entities_gold;
        self.entities_matched += o.entities_matched;
        self.links_found += o.links_found;
        self.links_gold += o.links_gold;
        self.links_matched += o.links_matched;
        self.links_strict += o.links_strict;
        self.links_reachable += o.links_reachable;
        self.duplicates += o.duplicates;
    }

    pub fn scores(&self) -> Scores {
        Scores {
            entities: prf(
                self.entities_matched,
                self.entities_found,
                self.entities_matched,
                self.entities_gold,
            ),
            links: prf(self.links_matched, self.links_found, self.links_matched, self.links_gold),
            links_strict: prf(self.links_strict, self.links_found, self.links_strict, self.links_gold),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Scores {
    pub entities: Prf,
    pub links: Prf,
    pub links_strict: Prf,
}

#[derive(Clone, Copy, Debug, Serialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

fn prf(hit_p: usize, found: usize, hit_r: usize, gold: usize) -> Prf {
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let (p, r) = (ratio(hit_p, found), ratio(hit_r, gold));
    Prf { precision: p, recall: r, f1: if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) } }
}

#[derive(Debug, Serialize)]
pub struct Article {
    pub article: String,
    pub held_out: bool,
    pub counts: Counts,
    pub scores: Scores,
    /// Gold entities no proposal matched, as `Name (Kind)`: a link to one cannot be found.
    pub missed_entities: Vec<String>,
    /// Gold links not found, as `from —Rel→ to`, for working on the rules.
    pub missed_links: Vec<String>,
    /// Links found that match no gold link.
    pub wrong_links: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub articles: Vec<Article>,
    pub dev: Counts,
    pub dev_scores: Scores,
    pub held_out: Counts,
    pub held_out_scores: Scores,
}

impl Report {
    pub fn text(&self) -> String {
        let mut out = String::new();
        let row = |out: &mut String, label: &str, c: &Counts| {
            let s = c.scores();
            let _ = writeln!(
                out,
                "{label:<28} entities P {:.2} R {:.2} F1 {:.2} ({}/{} found, {}/{} gold)   links P {:.2} R {:.2} F1 {:.2} ({}/{} found, {}/{} gold; strict F1 {:.2}; both ends found for {})   duplicates {}",
                s.entities.precision,
                s.entities.recall,
                s.entities.f1,
                c.entities_matched,
                c.entities_found,
                c.entities_matched,
                c.entities_gold,
                s.links.precision,
                s.links.recall,
                s.links.f1,
                c.links_matched,
                c.links_found,
                c.links_matched,
                c.links_gold,
                s.links_strict.f1,
                c.links_reachable,
                c.duplicates
            );
        };
        for a in &self.articles {
            let label = format!("{}{}", a.article, if a.held_out { " (held out)" } else { "" });
            row(&mut out, &label, &a.counts);
        }
        // A set with no article in it gets no row.
        if self.articles.iter().any(|a| !a.held_out) {
            row(&mut out, "dev (micro)", &self.dev);
        }
        if self.articles.iter().any(|a| a.held_out) {
            row(&mut out, "held out (micro)", &self.held_out);
        }
        out
    }
}

/// Reads the gold files at `path` (a file or a folder of `*.ron`).
pub fn read_gold(path: &Path) -> Result<Vec<Gold>, String> {
    let files: Vec<std::path::PathBuf> = if path.is_dir() {
        let mut v: Vec<_> = std::fs::read_dir(path)
            .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "ron"))
            .collect();
        v.sort();
        v
    } else {
        vec![path.to_path_buf()]
    };
    let options = ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    files
        .iter()
        .map(|f| {
            let text =
                std::fs::read_to_string(f).map_err(|e| format!("cannot read `{}`: {e}", f.display()))?;
            options.from_str(&text).map_err(|e| format!("`{}`: {e}", f.display()))
        })
        .collect()
}

/// Scores each extracted article against the gold file for it (by file name); `golds` are
/// the files [`read_gold`] read from `gold_path`. Each extraction comes with the number of its
/// new entities that duplicate another ([`super::Extractor::duplicates`]).
pub fn evaluate(
    gold_path: &Path,
    golds: &[Gold],
    extracted: &[(Document, Extraction, usize)],
) -> Result<Report, String> {
    let mut articles = Vec::new();
    let (mut dev, mut held_out) = (Counts::default(), Counts::default());
    for (doc, extraction, duplicates) in extracted {
        let name =
            Path::new(&doc.file).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let Some(gold) = golds.iter().find(|g| g.article == name) else { continue };
        let mut a = score(gold, extraction);
        a.counts.duplicates = *duplicates;
        if a.held_out { &mut held_out } else { &mut dev }.add(&a.counts);
        articles.push(a);
    }
    if articles.is_empty() {
        return Err(format!("no gold file in `{}` is about the articles given", gold_path.display()));
    }
    Ok(Report { articles, dev_scores: dev.scores(), dev, held_out_scores: held_out.scores(), held_out })
}

/// Normalised surface form: folded, punctuation runs to one space, a leading "the " dropped.
pub fn normalise(s: &str) -> String {
    let key = crate::model::text::name_key(s);
    key.strip_prefix("the ").map(str::to_owned).unwrap_or(key)
}

const STOPWORDS: &[&str] =
    &["a", "an", "and", "at", "by", "for", "from", "in", "into", "of", "on", "the", "to", "with"];

fn jaccard(a: &str, b: &str) -> f64 {
    let words = |s: &str| -> HashSet<String> {
        normalise(s)
            .split(' ')
            .filter(|w| !w.is_empty() && !STOPWORDS.contains(w))
            .map(str::to_owned)
            .collect()
    };
    let (x, y) = (words(a), words(b));
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    x.intersection(&y).count() as f64 / x.union(&y).count() as f64
}

/// Pairs proposed entities with gold ones, one to one: the same kind and a shared normalised
/// surface form first (in gold order), then events by decreasing word overlap (at least half).
/// The map goes from an index of `ex.entities` to an index of `gold.entities`.
fn match_entities(gold: &Gold, ex: &Extraction) -> BTreeMap<usize, usize> {
    let found_surfaces: Vec<HashSet<String>> = ex
        .entities
        .iter()
        .map(|e| {
            std::iter::once(e.name.as_str())
                .chain(e.aliases.iter().map(String::as_str))
                .chain(e.mentions.iter().map(|m| m.text.as_str()))
                .map(normalise)
                .collect()
        })
        .collect();
    let gold_surfaces: Vec<HashSet<String>> = gold
        .entities
        .iter()
        .map(|g| std::iter::once(&g.name).chain(&g.aliases).map(|s| normalise(s)).collect())
        .collect();
    // Exact surface matches first, in gold order; then events by decreasing word overlap.
    let mut found_to_gold: BTreeMap<usize, usize> = BTreeMap::new();
    let mut gold_taken = vec![false; gold.entities.len()];
    for (gi, g) in gold.entities.iter().enumerate() {
        let hit = ex.entities.iter().enumerate().find(|(fi, e)| {
            e.kind == g.kind
                && !found_to_gold.contains_key(fi)
                && !found_surfaces[*fi].is_disjoint(&gold_surfaces[gi])
        });
        if let Some((fi, _)) = hit {
            found_to_gold.insert(fi, gi);
            gold_taken[gi] = true;
        }
    }
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (gi, g) in
        gold.entities.iter().enumerate().filter(|(gi, g)| !gold_taken[*gi] && g.kind == Kind::Event)
    {
        for (fi, e) in ex
            .entities
            .iter()
            .enumerate()
            .filter(|(fi, e)| e.kind == Kind::Event && !found_to_gold.contains_key(fi))
        {
            let best = std::iter::once(&g.name)
                .chain(&g.aliases)
                .flat_map(|gs| found_surfaces_raw(e).into_iter().map(move |fs| jaccard(gs, &fs)))
                .fold(0.0, f64::max);
            if best >= 0.5 {
                pairs.push((best, gi, fi));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, gi, fi) in pairs {
        if !gold_taken[gi] && !found_to_gold.contains_key(&fi) {
            gold_taken[gi] = true;
            found_to_gold.insert(fi, gi);
        }
    }
    found_to_gold
}

/// Scores one article.
pub fn score(gold: &Gold, ex: &Extraction) -> Article {
    let found_to_gold = match_entities(gold, ex);
    let mut gold_taken = vec![false; gold.entities.len()];
    for &gi in found_to_gold.values() {
        gold_taken[gi] = true;
    }
    // Links: ends mapped to gold entity indices.
    let index_of_id: BTreeMap<&str, usize> =
        ex.entities.iter().enumerate().map(|(i, e)| (e.id.as_str(), i)).collect();
    let gold_index: BTreeMap<&str, usize> =
        gold.entities.iter().enumerate().map(|(i, g)| (g.name.as_str(), i)).collect();
    let mut gold_link_taken = vec![false; gold.links.len()];
    let (mut matched, mut strict) = (0, 0);
    let mut wrong = Vec::new();
    for l in &ex.links {
        let ends = (
            index_of_id.get(l.from.as_str()).and_then(|f| found_to_gold.get(f)),
            index_of_id.get(l.to.as_str()).and_then(|t| found_to_gold.get(t)),
        );
        let hit = match ends {
            (Some(&a), Some(&b)) => gold.links.iter().enumerate().position(|(gi, g)| {
                let (ga, gb) = (gold_index.get(g.from.as_str()), gold_index.get(g.to.as_str()));
                !gold_link_taken[gi]
                    && g.rel == l.rel
                    && ((ga == Some(&a) && gb == Some(&b))
                        || (l.rel.is_symmetric() && ga == Some(&b) && gb == Some(&a)))
            }),
            _ => None,
        };
        match hit {
            Some(gi) => {
                gold_link_taken[gi] = true;
                matched += 1;
                if gold.links[gi].certainty == l.certainty {
                    strict += 1;
                }
            }
            None => wrong.push(format!("{} —{}→ {} ({})", l.from, l.rel, l.to, l.certainty)),
        }
    }
    let missed = gold
        .links
        .iter()
        .zip(&gold_link_taken)
        .filter(|(_, t)| !**t)
        .map(|(g, _)| format!("{} —{}→ {} ({})", g.from, g.rel, g.to, g.certainty))
        .collect();
    let missed_entities = gold
        .entities
        .iter()
        .zip(&gold_taken)
        .filter(|(_, t)| !**t)
        .map(|(g, _)| format!("{} ({})", g.name, g.kind))
        .collect();
    let reachable = gold
        .links
        .iter()
        .filter(|l| {
            let taken = |name: &str| gold_index.get(name).is_some_and(|&i| gold_taken[i]);
            taken(&l.from) && taken(&l.to)
        })
        .count();
    let counts = Counts {
        entities_found: ex.entities.len(),
        entities_gold: gold.entities.len(),
        entities_matched: found_to_gold.len(),
        links_found: ex.links.len(),
        links_gold: gold.links.len(),
        links_matched: matched,
        links_strict: strict,
        links_reachable: reachable,
        duplicates: 0,
    };
    Article {
        article: gold.article.clone(),
        held_out: gold.held_out,
        scores: counts.scores(),
        counts,
        missed_entities,
        missed_links: missed,
        wrong_links: wrong,
    }
}

fn found_surfaces_raw(e: &super::ProposedEntity) -> Vec<String> {
    std::iter::once(e.name.clone())
        .chain(e.aliases.iter().cloned())
        .chain(e.mentions.iter().map(|m| m.text.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_and_overlap() {
        assert_eq!(normalise("The Islamic State’s"), "islamic state s");
        assert_eq!(normalise("Al-Qa`ida"), normalise("al-Qa'ida"));
        assert!(jaccard("2024 bombings in Kerman", "Kerman bombings") >= 0.5);
        assert!(jaccard("Moscow attack", "Kerman bombings") < 0.5);
    }

    fn entity(id: &str, name: &str, kind: Kind) -> crate::extract::ProposedEntity {
        crate::extract::ProposedEntity {
            id: id.into(),
            name: name.into(),
            kind,
            subkind: None,
            aliases: Vec::new(),
            known: false,
            date: None,
            rule: "test",
            mentions: Vec::new(),
        }
    }

    #[test]
    fn links_whose_ends_were_both_found_are_counted_apart() {
        let gold: Gold = ron::from_str(
            r#"(article: "a.txt", held_out: false,
                entities: [(name: "Ann Example", kind: Person), (name: "Omega Brigade", kind: Group),
                           (name: "Testland", kind: Place)],
                links: [(from: "Ann Example", rel: MemberOf, to: "Omega Brigade", certainty: Reported),
                        (from: "Ann Example", rel: TraveledTo, to: "Testland", certainty: Reported)])"#,
        )
        .expect("gold parses");
        // Both people and the group found, the place not: one gold link is reachable, and
        // no link was proposed.
        let ex = Extraction {
            entities: vec![
                entity("ann", "Ann Example", Kind::Person),
                entity("omega", "the Omega Brigade", Kind::Group),
            ],
            links: Vec::new(),
        };
        let a = score(&gold, &ex);
        assert_eq!(a.counts.entities_matched, 2);
        assert_eq!(a.counts.links_reachable, 1);
        assert_eq!(a.counts.links_matched, 0);
        assert_eq!(a.missed_entities, ["Testland (Place)"]);
    }
}

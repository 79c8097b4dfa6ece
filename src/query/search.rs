//! `search`: find entities by id, name or alias: exact matches first, then prefixes,
//! substrings, and near spellings.

use std::collections::HashMap;

use serde::Serialize;

use super::EntityRef;
use crate::graph::KnowledgeGraph;
use crate::model::text;

/// How a query matched a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    Exact,
    Prefix,
    Substring,
    Fuzzy,
}

#[derive(Clone, Debug, Serialize)]
pub struct Hit {
    #[serde(flatten)]
    pub entity: EntityRef,
    /// 1.0 for an exact match, lower for weaker ones; comparable within one search.
    pub score: f64,
    #[serde(rename = "match")]
    pub matched: MatchKind,
    /// The name or alias that matched.
    pub name_matched: String,
}

/// The share of the query's three-letter runs a name must hold to be compared as a near
/// spelling. A typo changes at most three of them; a name holding fewer than half is rarely
/// a misspelling, and comparing every name of a million is too slow to be interactive.
const NEAR_SHARE: f64 = 0.5;

/// Up to `limit` entities matching `query`, best first.
pub fn search(graph: &KnowledgeGraph, query: &str, limit: usize) -> Vec<Hit> {
    let q = text::name_key(query);
    if q.is_empty() {
        return Vec::new();
    }
    // Under three bytes the index has nothing to go by (and near spellings need three
    // letters): look at every name.
    let Some(holding) = graph.name_keys_containing(&q) else {
        return ranked(graph, &q, graph.name_keys(), limit);
    };
    // Names holding the query score at least 0.6 and near spellings at most 0.5: when the
    // first are `limit` entities or more, the second cannot be among the best.
    let mut entities: Vec<usize> = holding.iter().flat_map(|(_, holders)| holders.iter().copied()).collect();
    entities.sort_unstable();
    entities.dedup();
    if entities.len() >= limit {
        return ranked(graph, &q, holding, limit);
    }
    let mut keys = holding;
    keys.extend(graph.name_keys_sharing(&q, NEAR_SHARE));
    keys.sort_unstable_by_key(|(k, _)| *k);
    keys.dedup_by_key(|(k, _)| *k);
    ranked(graph, &q, keys, limit)
}

/// The best `limit` entities among those going by `keys`, scored against the folded query.
fn ranked<'g>(
    graph: &'g KnowledgeGraph,
    q: &str,
    keys: impl IntoIterator<Item = (&'g str, &'g [usize])>,
    limit: usize,
) -> Vec<Hit> {
    let mut best: HashMap<usize, (f64, MatchKind, &str)> = HashMap::new();
    for (key, holders) in keys {
        let Some((score, kind)) = score(q, key) else {
            continue;
        };
        for &i in holders {
            let entry = best.entry(i).or_insert((score, kind, key));
            if score > entry.0 || (score == entry.0 && key < entry.2) {
                *entry = (score, kind, key);
            }
        }
    }
    let mut hits: Vec<Hit> = best
        .into_iter()
        .map(|(i, (score, matched, key))| {
            let e = graph.entity(i);
            let name_matched =
                e.names().chain([e.id.as_str()]).find(|n| text::name_key(n) == key).unwrap_or(&e.name);
            Hit {
                entity: EntityRef::of(e),
                score: (score * 1000.0).round() / 1000.0,
                matched,
                name_matched: name_matched.to_owned(),
            }
        })
        .collect();
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.entity.name.cmp(&b.entity.name))
            .then_with(|| a.entity.id.cmp(&b.entity.id))
    });
    hits.truncate(limit);
    hits
}

/// Scores one folded name against the folded query; `None` when they do not match.
fn score(q: &str, key: &str) -> Option<(f64, MatchKind)> {
    if key == q {
        return Some((1.0, MatchKind::Exact));
    }
    // Shorter names that extend the query are better matches than long ones.
    let closeness = q.len() as f64 / key.len().max(1) as f64;
    if key.starts_with(q) {
        return Some((0.8 + 0.1 * closeness, MatchKind::Prefix));
    }
    if let Some(pos) = key.find(q) {
        let at_word = pos == 0 || key.as_bytes()[pos - 1] == b' ';
        let base = if at_word { 0.7 } else { 0.6 };
        return Some((base + 0.1 * closeness, MatchKind::Substring));
    }
    // Typos: compare with the whole name and with each run of as many words as the query has.
    // Only names with a word starting like the query are compared (typos rarely hit the
    // first letter), which keeps a search over a million names fast.
    let first = q.chars().next()?;
    if q.chars().count() < 3 || !key.split(' ').any(|w| w.starts_with(first)) {
        return None;
    }
    let words: Vec<&str> = key.split(' ').collect();
    let width = q.split(' ').count().min(words.len());
    let similarity = words
        .windows(width)
        .map(|w| w.join(" "))
        .chain([key.to_owned()])
        .map(|candidate| {
            strsim::normalized_damerau_levenshtein(q, &candidate)
                .max(strsim::jaro_winkler(q, &candidate) - 0.1)
        })
        .fold(0.0, f64::max);
    (similarity >= 0.75 && q.chars().count() >= 3).then_some((0.5 * similarity, MatchKind::Fuzzy))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_are_ordered() {
        let exact = score("abedi", "abedi").unwrap();
        let prefix = score("abe", "abedi").unwrap();
        let word = score("abedi", "salman abedi").unwrap();
        let inner = score("bedi", "salman abedi").unwrap();
        let typo = score("abedy", "salman abedi").unwrap();
        assert_eq!(exact.1, MatchKind::Exact);
        assert_eq!(prefix.1, MatchKind::Prefix);
        assert_eq!(word.1, MatchKind::Substring);
        assert_eq!(typo.1, MatchKind::Fuzzy);
        assert!(exact.0 > prefix.0 && prefix.0 > word.0 && word.0 > inner.0 && inner.0 > typo.0);
        assert!(score("zzz", "salman abedi").is_none());
    }

    /// The index answers as a look at every name under the rule does (names holding the
    /// query, or half of its trigrams), for any query and limit.
    #[test]
    fn the_index_finds_what_a_full_scan_finds() {
        let syllables = ["ba", "bu", "me", "ka", "ki", "ro", "ba ", "abe"];
        let mut names = Vec::new();
        let mut seed = 7u64;
        let mut next = |n: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        for i in 0..300 {
            let len = 1 + next(4);
            let name: String = (0..len).map(|_| syllables[next(syllables.len() as u64) as usize]).collect();
            names.push(format!("Person(id: \"p{i}\", name: \"{}\", sources: [\"s\"])", name.trim()));
        }
        let g = crate::query::fixture::graph(&format!("(entities: [{}], links: [])", names.join(", ")));
        for query in
            ["ba", "bab", "baba", "bume", "ka ki", "abe", "kiro ba", "zzz", "bakx", "mekab", "a", "ro ro"]
        {
            for limit in [1, 3, 10, 1000] {
                let q = text::name_key(query);
                let fast: Vec<(String, f64)> =
                    search(&g, query, limit).into_iter().map(|h| (h.entity.id, h.score)).collect();
                // The rule, by brute force: names holding the query, or half its trigrams.
                let grams = |s: &str| -> std::collections::BTreeSet<Vec<u8>> {
                    s.as_bytes().windows(3).map(<[u8]>::to_vec).collect()
                };
                let wanted = grams(&q);
                let near = |key: &str| {
                    let held = grams(key).intersection(&wanted).count();
                    held >= ((wanted.len() as f64 * NEAR_SHARE).ceil() as usize).max(1)
                };
                let keys = g.name_keys().filter(|(k, _)| q.len() < 3 || k.contains(&q) || near(k));
                let full: Vec<(String, f64)> =
                    ranked(&g, &q, keys, limit).into_iter().map(|h| (h.entity.id, h.score)).collect();
                assert_eq!(fast, full, "{query} / {limit}");
            }
        }
    }
}

//! `search`: find entities by id, name or alias (exact matches first, then prefixes,
//! substrings, the query's words in any order, and near spellings, reading an alias the
//! dataset records as its entity's name), or by the words of summaries and link notes
//! ([`search_text`]).

use serde::Serialize;

use super::EntityRef;
use crate::graph::KnowledgeGraph;
use crate::hash::{FastMap, FastSet};
use crate::model::{Entity, Relation, text};
use crate::names::NameIndex;

/// How a query matched a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    Exact,
    Prefix,
    Substring,
    /// Every word of the query begins a word of the name, in any order.
    Words,
    Fuzzy,
    /// The words were found in a summary or a link's note ([`search_text`]).
    Text,
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
    /// The query as it was read when an alias in it was read as its entity's name (folded,
    /// e.g. "islamic state khorasan" for "ISIS Khorasan"); absent when read as typed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_as: Option<String>,
    /// The entity's number in the graph; not part of the JSON interface.
    #[serde(skip)]
    pub index: usize,
}

/// The share of the query's three-letter runs a name must hold to be compared as a near
/// spelling. A typo changes at most three of them; a name holding fewer than half is rarely
/// a misspelling, and comparing every name of a million is too slow to be interactive.
const NEAR_SHARE: f64 = 0.5;

/// What a match found by reading an alias as its entity's name loses against one of the
/// query as typed: a name that holds the words typed comes first.
pub const EXPANSION_COST: f64 = 0.05;

/// At most this many readings of a query with an alias read as a name.
const MOST_READINGS: usize = 8;

/// An entity's best match so far: score, kind, key number, reading (0: as typed).
type Best = (f64, MatchKind, usize, usize);

/// Up to `limit` entities matching `query`, best first.
pub fn search(graph: &KnowledgeGraph, query: &str, limit: usize) -> Vec<Hit> {
    let q = text::name_key(query);
    if q.is_empty() || limit == 0 {
        return Vec::new();
    }
    let names = graph.names();
    let readings = readings(names, &q);
    let mut best: FastMap<usize, Best> = FastMap::default();
    for (r, reading) in readings.iter().enumerate() {
        let cost = if r == 0 { 0.0 } else { EXPANSION_COST };
        for (k, (score, kind)) in matches(names, reading, limit, graph.entity_count()) {
            for e in names.holders(k, graph.entity_count()) {
                let entry = best.entry(e).or_insert((score - cost, kind, k, r));
                let better = score - cost > entry.0
                    || (score - cost == entry.0 && (r, names.key(k)) < (entry.3, names.key(entry.2)));
                if better {
                    *entry = (score - cost, kind, k, r);
                }
            }
        }
    }
    finish(graph, best, limit, |e, &(score, matched, k, r)| {
        let key = names.key(k);
        let entity = graph.entity(e);
        let name_matched = entity
            .names()
            .chain([entity.id.as_str()])
            .find(|n| text::name_key(n) == key)
            .unwrap_or(&entity.name);
        Hit {
            entity: EntityRef::of(entity),
            score,
            matched,
            name_matched: name_matched.to_owned(),
            read_as: (r > 0).then(|| readings[r].clone()),
            index: e,
        }
    })
}

/// Rounds each entity's score to three places, keeps the best `limit` (by score, then name
/// and id) and makes hits of them; only the entities that may make the cut are read.
fn finish<T: Copy + Scored, H>(
    graph: &KnowledgeGraph,
    best: FastMap<usize, T>,
    limit: usize,
    hit: impl Fn(usize, &T) -> H,
) -> Vec<H> {
    let mut scored: Vec<(f64, usize, T)> =
        best.into_iter().map(|(e, b)| ((b.score() * 1000.0).round() / 1000.0, e, b)).collect();
    scored.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    if let Some(&(cut, _, _)) = scored.get(limit.saturating_sub(1)) {
        scored.retain(|s| s.0 >= cut);
    }
    let mut named: Vec<(f64, &Entity, usize, T)> =
        scored.into_iter().map(|(score, e, b)| (score, graph.entity(e), e, b)).collect();
    named.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| (&a.1.name, &a.1.id).cmp(&(&b.1.name, &b.1.id))));
    named.truncate(limit);
    named.into_iter().map(|(score, _, e, b)| hit(e, &b.with_score(score))).collect()
}

/// A best match with a score to rank it by.
trait Scored: Sized {
    fn score(&self) -> f64;
    fn with_score(self, score: f64) -> Self;
}

impl Scored for Best {
    fn score(&self) -> f64 {
        self.0
    }
    fn with_score(self, score: f64) -> Self {
        (score, self.1, self.2, self.3)
    }
}

/// The folded query as typed, then as read with one alias of up to two of its words read as
/// the name of the entity bearing it ("isis khorasan" → "islamic state khorasan"), when the
/// query has more words than the alias.
fn readings(names: &NameIndex, q: &str) -> Vec<String> {
    let words: Vec<&str> = q.split(' ').collect();
    let mut readings = vec![q.to_owned()];
    for width in 1..=2.min(words.len().saturating_sub(1)) {
        for at in 0..=words.len() - width {
            let Some(alias) = names.find(&words[at..at + width].join(" ")) else { continue };
            for name in names.expansions(alias) {
                let reading = [&words[..at], &[names.key(name)], &words[at + width..]].concat().join(" ");
                if readings.len() < MOST_READINGS && !readings.contains(&reading) {
                    readings.push(reading);
                }
            }
        }
    }
    readings
}

/// The keys matching the folded query `q`, with their scores: the index gives those holding
/// the query and those holding its words; near spellings are looked for only when these are
/// held by fewer than `limit` entities (they score at least 0.5, near spellings at most 0.5).
fn matches(names: &NameIndex, q: &str, limit: usize, entities: usize) -> Vec<(usize, (f64, MatchKind))> {
    // Under three bytes the index has nothing to go by (and near spellings need three
    // letters): the names that begin with the query, not those holding it anywhere (looking
    // at every name of a million took a second).
    let Some(mut keys) = names.holding_all(&[q]) else {
        return best_beginning(names, q, limit, entities);
    };
    let words: Vec<&str> = q.split(' ').collect();
    if words.len() > 1 {
        // Names holding the query's words in any order: by the index when a word is long
        // enough to have trigrams, else by looking at every name (two-letter words only).
        let long: Vec<&str> = words.iter().copied().filter(|w| w.len() >= 3).collect();
        match names.holding_all(&long) {
            Some(holding) => keys.extend(holding),
            None => keys.extend((0..names.key_count()).filter(|&k| holds_words(&words, names.key(k)))),
        }
        keys.sort_unstable();
        keys.dedup();
    }
    // Near spellings are looked for below, among all keys: here they would be thrown away.
    let mut found: Vec<(usize, (f64, MatchKind))> =
        keys.into_iter().filter_map(|k| named_score(q, names.key(k)).map(|s| (k, s))).collect();
    let mut holders: Vec<usize> = found.iter().flat_map(|&(k, _)| names.holders(k, entities)).collect();
    holders.sort_unstable();
    holders.dedup();
    if holders.len() < limit {
        let near = likeliest(names, q, names.sharing(q, NEAR_SHARE));
        // A key matched above scores the same again: only the others can be near spellings.
        let mut matched: Vec<usize> = found.iter().map(|f| f.0).collect();
        matched.sort_unstable();
        let near: Vec<usize> = near.into_iter().filter(|k| matched.binary_search(k).is_err()).collect();
        let nearest = nearest(names, q, near, &found, limit, entities);
        found.extend(nearest);
    }
    found
}

/// The keys beginning with the short query `q` ([`NameIndex::starting_with`]) that may be
/// among the `limit` best: a key's score falls as it grows longer, so the keys are taken
/// best first until `limit` entities hold them, and then those that score as much once
/// rounded as [`finish`] rounds them (a tie there is broken by name, not by score).
fn best_beginning(
    names: &NameIndex,
    q: &str,
    limit: usize,
    entities: usize,
) -> Vec<(usize, (f64, MatchKind))> {
    let mut found: Vec<(usize, (f64, MatchKind))> =
        names.starting_with(q).filter_map(|k| score(q, names.key(k)).map(|s| (k, s))).collect();
    found.sort_unstable_by(|a, b| b.1.0.total_cmp(&a.1.0).then(a.0.cmp(&b.0)));
    let rounded = |s: f64| (s * 1000.0).round() / 1000.0;
    let mut holders: FastSet<usize> = FastSet::default();
    for (at, &(k, (score, _))) in found.iter().enumerate() {
        holders.extend(names.holders(k, entities));
        if holders.len() >= limit {
            let floor = rounded(score);
            let ties = found[at + 1..].iter().take_while(|f| rounded(f.1.0) >= floor).count();
            found.truncate(at + 1 + ties);
            break;
        }
    }
    found
}

/// Most names compared as near spellings of one query. A short query of common syllables
/// ("Nema" among a million synthetic names) shares a trigram with tens of thousands of
/// names, and comparing each costs more than the rest of the search; the real dataset's
/// names never come near this many, so its answers are those of comparing every one.
pub const NEAR_MOST: usize = 2_000;

/// The near-spelling candidates `near` (keys, rising) worth comparing with the folded query
/// `q`, rising: those [`score`] can match (a word starting with the query's first letter),
/// and of these, past [`NEAR_MOST`], the likeliest: most trigrams shared with the query, then
/// the longest start shared with one of its words (what Jaro-Winkler rewards), then the
/// closest length, then the key.
fn likeliest(names: &NameIndex, q: &str, near: Vec<(usize, usize)>) -> Vec<usize> {
    if near.len() <= NEAR_MOST {
        return near.into_iter().map(|n| n.0).collect();
    }
    let Some(first) = q.chars().next() else { return Vec::new() };
    let first = first.encode_utf8(&mut [0; 4]).as_bytes().to_vec();
    // `held`: the query's distinct trigrams the key holds, as the index counted them. It
    // ranks first, so the candidates are read by it, most first, and the levels below are
    // not read once those read give NEAR_MOST (no key below can rank before them).
    let mut by_held: Vec<Vec<usize>> = Vec::new();
    for (k, held) in near {
        if by_held.len() <= held {
            by_held.resize_with(held + 1, Vec::new);
        }
        by_held[held].push(k);
    }
    // Each key is read once, for the filter and the rank both, as bytes (checking that tens
    // of thousands of keys are UTF-8 cost more than the rest).
    let mut ranked: Vec<(std::cmp::Reverse<usize>, std::cmp::Reverse<usize>, usize, usize)> = Vec::new();
    for (held, level) in by_held.into_iter().enumerate().rev() {
        if ranked.len() >= NEAR_MOST {
            break;
        }
        ranked.extend(level.into_iter().filter_map(|k| {
            // Most keys are ruled out by their words' initials, without reading them.
            if !names.initials(k, first[0]) {
                return None;
            }
            let key = names.key_bytes(k);
            if !key.split(|&b| b == b' ').any(|w| w.starts_with(&first)) {
                return None;
            }
            let start = key
                .split(|&b| b == b' ')
                .map(|w| w.iter().zip(q.bytes()).take_while(|(a, b)| **a == *b).count())
                .max()
                .unwrap_or(0);
            Some((std::cmp::Reverse(held), std::cmp::Reverse(start), key.len().abs_diff(q.len()), k))
        }));
    }
    if ranked.len() > NEAR_MOST {
        ranked.select_nth_unstable(NEAR_MOST - 1);
        ranked.truncate(NEAR_MOST);
    }
    let mut kept: Vec<usize> = ranked.into_iter().map(|r| r.3).collect();
    kept.sort_unstable();
    kept
}

/// Rounding [`finish`] does may bring two scores this far apart together; a candidate is
/// left out only when its bound is further than this below the scores it must beat.
const ROUNDING_MARGIN: f64 = 0.0015;

/// The near-spelling candidates `near` (keys matching the folded query `q` by no other rule)
/// that are near spellings, with their scores, as far as they may count among the `limit`
/// best entities: they are scored highest [`near_bound`] first, and once a bound is below the
/// `limit`-th best entity of `found` and of those scored before it, the rest are left out
/// (neither they nor any after them can enter the answer, or change an entity in it).
fn nearest(
    names: &NameIndex,
    q: &str,
    near: Vec<usize>,
    found: &[(usize, (f64, MatchKind))],
    limit: usize,
    entities: usize,
) -> Vec<(usize, (f64, MatchKind))> {
    // Each entity's best score so far, and the `limit`-th best of these (the floor a
    // candidate must reach), recomputed as hits come in.
    let mut best: FastMap<usize, f64> = FastMap::default();
    let add = |best: &mut FastMap<usize, f64>, k: usize, score: f64| {
        for e in names.holders(k, entities) {
            let b = best.entry(e).or_insert(score);
            *b = b.max(score);
        }
    };
    let floor_of = |best: &FastMap<usize, f64>| {
        if best.len() < limit {
            return f64::NEG_INFINITY;
        }
        let mut scores: Vec<f64> = best.values().copied().collect();
        let (_, &mut kth, _) = scores.select_nth_unstable_by(limit - 1, |a, b| b.total_cmp(a));
        kth
    };
    for &(k, (score, _)) in found {
        add(&mut best, k, score);
    }
    let mut floor = floor_of(&best);
    let mut ordered: Vec<(f64, usize, &str)> = near
        .into_iter()
        .map(|k| {
            let key = names.key(k);
            (near_bound(q, key), k, key)
        })
        .collect();
    ordered.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut hits = Vec::new();
    let mut unfloored = 0;
    for (bound, k, key) in ordered {
        if bound + ROUNDING_MARGIN < floor {
            break;
        }
        if let Some(s) = score(q, key) {
            add(&mut best, k, s.0);
            hits.push((k, s));
            // The floor is a lower bound even when stale: it is recomputed now and then, not
            // at every hit, as the hits grow.
            unfloored += 1;
            if unfloored * 8 > hits.len() {
                floor = floor_of(&best);
                unfloored = 0;
            }
        }
    }
    hits
}

/// At least the score [`score`] gives `key` as a near spelling of the folded query `q`
/// (none: 0): each part of the similarity is at most its [`similarity_bounds`], for the runs
/// of words compared.
fn near_bound(q: &str, key: &str) -> f64 {
    let Some(first) = q.chars().next() else { return 0.0 };
    if q.chars().count() < 3 || !key.split(' ').any(|w| w.starts_with(first)) {
        return 0.0;
    }
    let most = compared_runs(q, key)
        .map(|run| {
            let (edit, winkler) = similarity_bounds(q, run);
            edit.max(winkler)
        })
        .fold(0.0, f64::max);
    0.5 * most
}

/// The parts of the folded `key` a near spelling of the folded query `q` is compared with:
/// each run of as many words as the query has, and the whole key when it is longer.
fn compared_runs<'k>(q: &str, key: &'k str) -> impl Iterator<Item = &'k str> {
    let query_words = q.split(' ').count();
    let key_words = key.split(' ').count();
    let width = query_words.min(key_words);
    // A run of words is a slice of the key, whose words are split at single spaces: run `i`
    // goes from the start of word `i` (0, or just after a space) to the end of word
    // `i + width - 1` (a space, or the key's end). Found by position, not collected: tens
    // of thousands of keys are compared in one search.
    let spaces = move || key.bytes().enumerate().filter(|&(_, b)| b == b' ').map(|(at, _)| at);
    let starts = std::iter::once(0).chain(spaces().map(|at| at + 1));
    let ends = spaces().chain([key.len()]).skip(width - 1);
    let whole = (width < key_words).then_some(key);
    starts.zip(ends).map(move |(start, end)| &key[start..end]).chain(whole)
}

/// True when every one of `words` begins a word of `key`.
fn holds_words(words: &[&str], key: &str) -> bool {
    words.iter().all(|w| key.split(' ').any(|k| k.starts_with(w)))
}

/// Scores one folded name against the folded query; `None` when they do not match.
fn score(q: &str, key: &str) -> Option<(f64, MatchKind)> {
    named_score(q, key).or_else(|| near_score(q, key))
}

/// [`score`] for the matches that hold the query or its words (exact, prefix, substring,
/// words), not near spellings.
fn named_score(q: &str, key: &str) -> Option<(f64, MatchKind)> {
    if key == q {
        return Some((1.0, MatchKind::Exact));
    }
    // Shorter names that extend the query are better matches than long ones.
    let closeness = q.len() as f64 / key.len().max(1) as f64;
    if key.starts_with(q) {
        return Some((0.8 + 0.1 * closeness, MatchKind::Prefix));
    }
    if let Some(pos) = key.find(q) {
        // Whole words anywhere in the name count as a prefix does: "Barcelona attack" is as
        // much "Barcelona attack cell" as "2017 Barcelona attack".
        let bytes = key.as_bytes();
        let starts_word = pos == 0 || bytes[pos - 1] == b' ';
        let ends_word = bytes.get(pos + q.len()).is_none_or(|&b| b == b' ');
        let base = match (starts_word, ends_word) {
            (true, true) => 0.8,
            (true, false) => 0.7,
            _ => 0.6,
        };
        return Some((base + 0.1 * closeness, MatchKind::Substring));
    }
    // Words in any order: each word of the query begins a word of the name ("Russian
    // embassy in Kabul bombing", "Ahvaz attack"); names the query covers more of come first.
    let query_words: Vec<&str> = q.split(' ').collect();
    if query_words.len() > 1 && holds_words(&query_words, key) {
        let typed: usize = query_words.iter().map(|w| w.len()).sum();
        let letters: usize = key.split(' ').map(|w| w.len()).sum();
        let coverage = (typed as f64 / letters.max(1) as f64).min(1.0);
        return Some((0.5 + 0.1 * coverage, MatchKind::Words));
    }
    None
}

/// [`score`] for a near spelling (a typo) of the folded query.
fn near_score(q: &str, key: &str) -> Option<(f64, MatchKind)> {
    // Typos: compare with the whole name and with each run of as many words as the query has.
    // Only names with a word starting like the query are compared (typos rarely hit the
    // first letter), which keeps a search over a million names fast.
    let first = q.chars().next()?;
    if q.chars().count() < 3 || !key.split(' ').any(|w| w.starts_with(first)) {
        return None;
    }
    let mut similarity: f64 = 0.0;
    for candidate in compared_runs(q, key) {
        // Each measure is left out when even its bound cannot raise the best so far or reach
        // the similarity a match needs (the larger of the two is the same either way).
        let (edit, winkler) = similarity_bounds(q, candidate);
        if winkler > similarity && winkler >= NEAR_SIMILARITY {
            similarity = similarity.max(strsim::jaro_winkler(q, candidate) - 0.1);
        }
        if edit > similarity && edit >= NEAR_SIMILARITY {
            similarity = similarity.max(strsim::normalized_damerau_levenshtein(q, candidate));
        }
    }
    (similarity >= NEAR_SIMILARITY && q.chars().count() >= 3).then_some((0.5 * similarity, MatchKind::Fuzzy))
}

/// The least similarity a near spelling needs.
const NEAR_SIMILARITY: f64 = 0.75;

/// At least `strsim::normalized_damerau_levenshtein(a, b)`, and at least
/// `strsim::jaro_winkler(a, b) - 0.1` (the two parts of a near spelling's similarity), from the
/// letters `a` and `b` have in common (compared as bytes for ASCII words, else both bounds
/// are 1):
/// - the edit similarity is at most one less the bag distance (the letters one has beyond the
///   other, the larger side; an edit changes it by at most one, a swap not at all) over the
///   longer length, as it normalizes;
/// - Jaro matches equal letters, each once, so at most the letters in common, and counts at
///   most all of those matched as in order; Winkler then adds a share (rising with Jaro) of
///   what Jaro leaves, for each of up to four letters of common prefix.
fn similarity_bounds(a: &str, b: &str) -> (f64, f64) {
    // A hair above: the measures are computed in floating point.
    const HAIR: f64 = 1e-9;
    if !a.is_ascii() || !b.is_ascii() || a.is_empty() && b.is_empty() {
        return (1.0, 0.9 + HAIR);
    }
    // The letters of `a` not yet matched, then each letter of `b` matched to one of them.
    let mut unmatched = [0u32; 128];
    for c in a.bytes() {
        unmatched[usize::from(c)] += 1;
    }
    let mut common = 0;
    for c in b.bytes() {
        let left = &mut unmatched[usize::from(c)];
        if *left > 0 {
            *left -= 1;
            common += 1;
        }
    }
    let distance = (a.len() - common).max(b.len() - common) as f64;
    let edit = 1.0 - distance / a.len().max(b.len()) as f64;
    // None in common (or an empty side) gives a Jaro of 0.
    if common == 0 {
        return (edit, -0.1 + HAIR);
    }
    let common = common as f64;
    let jaro = (common / a.len() as f64 + common / b.len() as f64 + 1.0) / 3.0;
    let prefix = a.bytes().take(4).zip(b.bytes()).take_while(|(x, y)| x == y).count() as f64;
    (edit, jaro + 0.1 * prefix * (1.0 - jaro) - 0.1 + HAIR)
}

/// An entity whose summary, or a link's note, holds the words of a query.
#[derive(Clone, Debug, Serialize)]
pub struct TextHit {
    #[serde(flatten)]
    pub entity: EntityRef,
    /// 1.0 down: the words as one phrase before the words apart, then shorter texts first.
    pub score: f64,
    /// Always `text`.
    #[serde(rename = "match")]
    pub matched: MatchKind,
    /// `summary` (the entity's) or `note` (of one of its links, written from this entity).
    pub field: &'static str,
    /// For a note: the link's relation and the id at its other end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rel: Option<Relation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other: Option<String>,
    /// The passage holding the first word found, cut at word boundaries, `…` where cut.
    pub snippet: String,
}

/// Where a text matched: score, field, link (for a note), the byte where the snippet centres.
type TextBest = (f64, &'static str, Option<usize>, usize);

impl Scored for TextBest {
    fn score(&self) -> f64 {
        self.0
    }
    fn with_score(self, score: f64) -> Self {
        (score, self.1, self.2, self.3)
    }
}

/// Up to `limit` entities whose summary or links' notes hold every word of `query` (each
/// beginning a word of the text, case and accents ignored), best first. Reads every entity
/// and link.
pub fn search_text(graph: &KnowledgeGraph, query: &str, limit: usize) -> Vec<TextHit> {
    let q = text::name_key(query);
    if q.is_empty() || limit == 0 {
        return Vec::new();
    }
    let words: Vec<&str> = q.split(' ').collect();
    let mut best: FastMap<usize, TextBest> = FastMap::default();
    let mut consider = |e: usize, found: Option<(f64, usize)>, field, link| {
        if let Some((score, at)) = found {
            let entry = best.entry(e).or_insert((score, field, link, at));
            if score > entry.0 {
                *entry = (score, field, link, at);
            }
        }
    };
    for (e, entity) in graph.entities().iter().enumerate() {
        consider(e, entity.summary.as_deref().and_then(|s| text_match(s, &q, &words)), "summary", None);
    }
    for (l, link) in graph.links().iter().enumerate() {
        if let (Some(note), Some((from, _))) = (&link.note, graph.ends(l)) {
            consider(from, text_match(note, &q, &words), "note", Some(l));
        }
    }
    finish(graph, best, limit, |e, &(score, field, link, at)| {
        let entity = graph.entity(e);
        let (text, rel, other) = match link {
            Some(l) => {
                let link = graph.link(l);
                (link.note.as_deref().unwrap_or(""), Some(link.rel), Some(link.to.to_string()))
            }
            None => (entity.summary.as_deref().unwrap_or(""), None, None),
        };
        TextHit {
            entity: EntityRef::of(entity),
            score,
            matched: MatchKind::Text,
            field,
            rel,
            other,
            snippet: snippet(text, at),
        }
    })
}

/// The folded `text` (as [`text::fold`], other characters as spaces), with the byte of
/// `text` each folded byte comes from.
fn folded_with_places(text: &str) -> (String, Vec<usize>) {
    let mut folded = String::with_capacity(text.len());
    let mut places = Vec::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        let before = folded.len();
        if c.is_ascii() {
            folded.push(if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { ' ' });
        } else {
            for f in text::fold(c.encode_utf8(&mut [0; 4])).chars() {
                folded.push(if f.is_alphanumeric() { f } else { ' ' });
            }
        }
        places.extend(std::iter::repeat_n(at, folded.len() - before));
    }
    (folded, places)
}

/// The score of `text` against the folded query `q` (words `words`), and the byte of `text`
/// where the first word found begins; `None` unless every word begins a word of the text.
fn text_match(text: &str, q: &str, words: &[&str]) -> Option<(f64, usize)> {
    let (folded, places) = folded_with_places(text);
    let at_word = |s: &str| {
        folded
            .match_indices(s)
            .map(|(i, _)| i)
            .find(|&i| i == 0 || !folded[..i].chars().next_back().is_some_and(char::is_alphanumeric))
    };
    let firsts: Vec<usize> = words.iter().map(|w| at_word(w)).collect::<Option<_>>()?;
    let closeness = 0.1 * (q.len() as f64 / folded.len().max(1) as f64).min(1.0);
    let (score, start) = match at_word(q) {
        Some(i) => (0.9 + closeness, i),
        None => (0.5 + closeness, firsts.into_iter().min()?),
    };
    Some((score, places.get(start).copied().unwrap_or(0)))
}

/// About 160 bytes of `text` around byte `at`, cut at spaces, `…` where cut, on one line.
fn snippet(text: &str, at: usize) -> String {
    const BEFORE: usize = 60;
    const AFTER: usize = 100;
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let mut start = floor(at.saturating_sub(BEFORE).min(text.len()));
    if start > 0 {
        start = text[start..at.max(start)].find(' ').map_or(start, |s| start + s + 1);
    }
    let mut end = floor((at + AFTER).min(text.len()));
    if end < text.len() {
        end = text[at.min(end)..end].rfind(' ').map_or(end, |s| at.min(end) + s);
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(&text[start..end].split_whitespace().collect::<Vec<_>>().join(" "));
    if end < text.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_are_ordered() {
        let exact = score("abedi", "abedi").unwrap();
        let prefix = score("abe", "abedi").unwrap();
        let whole = score("salman", "hashem salman abedi").unwrap();
        let word = score("abed", "salman abedi").unwrap();
        let inner = score("bedi", "salman abedi").unwrap();
        let words = score("abedi salman", "salman abedi").unwrap();
        let typo = score("abedy", "salman abedi").unwrap();
        assert_eq!(exact.1, MatchKind::Exact);
        assert_eq!(prefix.1, MatchKind::Prefix);
        assert_eq!(whole.1, MatchKind::Substring);
        assert_eq!(word.1, MatchKind::Substring);
        assert_eq!(words.1, MatchKind::Words);
        assert_eq!(typo.1, MatchKind::Fuzzy);
        assert!(exact.0 > prefix.0 && prefix.0 > whole.0 && whole.0 > word.0 && word.0 > inner.0);
        assert!(inner.0 > words.0 && words.0 > typo.0);
        // Whole words score alike wherever they stand in the name.
        let at_start = score("barcelona attack", "barcelona attack cell").unwrap();
        let at_end = score("barcelona attack", "2017 barcelona attack").unwrap();
        assert_eq!(at_start.0, at_end.0);
        assert!(score("zzz", "salman abedi").is_none());
    }

    /// [`likeliest`] reads the candidates by trigrams held, most first, and stops at
    /// [`NEAR_MOST`]: it keeps the keys ranking every candidate keeps, whether the most held
    /// count alone gives more than enough ("kemaru"), several counts are read ("nekema") or
    /// all ("rumane"). Names holding "kemaru" whole but no word starting with "k" check that
    /// the count of those read is of the keys kept by the first letter.
    #[test]
    fn the_likeliest_are_those_of_ranking_every_candidate() {
        let syllables = ["kemaru", "ke", "ma", "ru", "ne", " "];
        let mut seed = 7u64;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let mut entities = Vec::new();
        for i in 0..NEAR_MOST * 10 {
            let name: String = (0..3 + next(5)).map(|_| syllables[next(syllables.len())]).collect();
            let name = if name.trim().is_empty() { "x".to_owned() } else { name.trim().to_owned() };
            entities.push(format!("Person(id: \"p{i}\", name: \"{name}\", sources: [\"s\"])"));
        }
        let g = crate::query::fixture::graph(&format!("(entities: [{}], links: [])", entities.join(", ")));
        let names = g.names();
        for q in ["kemaru", "maruke", "nekema", "rumane", "kemaru nema"] {
            let near = names.sharing(q, NEAR_SHARE);
            assert!(near.len() > NEAR_MOST, "{q}: the bound is reached");
            let first = &q[..1];
            let mut every: Vec<_> = near
                .iter()
                .filter(|&&(k, _)| names.key(k).split(' ').any(|w| w.starts_with(first)))
                .map(|&(k, held)| {
                    let key = names.key(k);
                    let start = key
                        .split(' ')
                        .map(|w| w.bytes().zip(q.bytes()).take_while(|(a, b)| a == b).count())
                        .max();
                    (std::cmp::Reverse(held), std::cmp::Reverse(start), key.len().abs_diff(q.len()), k)
                })
                .collect();
            every.sort_unstable();
            let mut kept: Vec<usize> = every.into_iter().take(NEAR_MOST).map(|r| r.3).collect();
            kept.sort_unstable();
            assert_eq!(likeliest(names, q, near), kept, "{q}");
        }
    }

    /// Past [`NEAR_MOST`] near-spelling candidates the likeliest are compared: a misspelling
    /// among thousands of names sharing a trigram with it is still found first.
    #[test]
    fn the_closest_near_spelling_survives_the_bound_on_candidates() {
        let letters = b"bcdfghjklpqstvwxyz";
        let mut names = Vec::new();
        for i in 0..NEAR_MOST + 500 {
            let tail: String =
                [i % 18, i / 18 % 18, i / 324 % 18].iter().map(|&d| letters[d] as char).collect();
            names.push(format!("Person(id: \"p{i}\", name: \"Nemaq{tail}\", sources: [\"s\"])"));
        }
        names.push("Person(id: \"target\", name: \"Nemarra Example\", sources: [\"s\"])".to_owned());
        let g = crate::query::fixture::graph(&format!("(entities: [{}], links: [])", names.join(", ")));
        let q = text::name_key("Nemara");
        assert!(g.names().sharing(&q, NEAR_SHARE).len() > NEAR_MOST, "the bound is reached");
        let hits = search(&g, "Nemara", 3);
        assert_eq!(hits[0].entity.id, "target", "{hits:?}");
        assert_eq!(hits[0].matched, MatchKind::Fuzzy);
    }

    /// The `limit` best (id, score) for `query` by a look at every name under the rule the
    /// index serves (names holding the query, or half of its trigrams; under three bytes,
    /// names beginning with it), each scored by [`score`] with no bound.
    fn full_scan(g: &KnowledgeGraph, query: &str, limit: usize) -> Vec<(String, f64)> {
        let q = text::name_key(query);
        // The rule, by brute force: names holding the query, or half its trigrams.
        let grams = |s: &str| -> std::collections::BTreeSet<Vec<u8>> {
            s.as_bytes().windows(3).map(<[u8]>::to_vec).collect()
        };
        let wanted = grams(&q);
        let near = |key: &str| {
            let held = grams(key).intersection(&wanted).count();
            held >= ((wanted.len() as f64 * NEAR_SHARE).ceil() as usize).max(1)
        };
        let words_rule = |key: &str| {
            let words: Vec<&str> = q.split(' ').collect();
            words.len() > 1 && words.iter().all(|w| key.split(' ').any(|k| k.starts_with(w)))
        };
        let names = g.names();
        let mut best: std::collections::BTreeMap<usize, f64> = Default::default();
        for k in 0..names.key_count() {
            let key = names.key(k);
            // Under three bytes, the names that begin with the query.
            let held = if q.len() < 3 {
                key.starts_with(&q)
            } else {
                key.contains(&q) || words_rule(key) || near(key)
            };
            if !held {
                continue;
            }
            let Some((s, _)) = score(&q, key) else { continue };
            for e in names.holders(k, g.entity_count()) {
                let b = best.entry(e).or_insert(s);
                *b = b.max(s);
            }
        }
        let mut all: Vec<(f64, &crate::model::Entity)> =
            best.into_iter().map(|(e, s)| ((s * 1000.0).round() / 1000.0, g.entity(e))).collect();
        all.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| (&a.1.name, &a.1.id).cmp(&(&b.1.name, &b.1.id))));
        all.into_iter().take(limit).map(|(s, e)| (e.id.to_string(), s)).collect()
    }

    /// Asserts that `search` answers each of `queries`, at each of `limits`, as [`full_scan`].
    fn answers_as_full_scan(g: &KnowledgeGraph, queries: &[&str], limits: &[usize]) {
        for query in queries {
            for &limit in limits {
                let fast: Vec<(String, f64)> =
                    search(g, query, limit).into_iter().map(|h| (h.entity.id, h.score)).collect();
                assert_eq!(fast, full_scan(g, query, limit), "{query} / {limit}");
            }
        }
    }

    /// The index answers as a look at every name under the rule does ([`full_scan`]), for any
    /// query and limit.
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
        answers_as_full_scan(
            &g,
            &[
                "ba",
                "bab",
                "baba",
                "bume",
                "ka ki",
                "abe",
                "kiro ba",
                "zzz",
                "bakx",
                "mekab",
                "a",
                "ro ro",
                "b",
                "me",
                "ab",
                "bakaro",
                "mekaba ki",
                "rokiba",
                "bume kaba",
                "kabu",
                "abeme",
                "roka bume",
            ],
            &[1, 3, 10, 1000],
        );
    }

    /// Near spellings score as comparing every run of words, and the whole name, by both
    /// measures did before the edit distance was bounded: for misspellings of many generated
    /// names (letters changed, dropped, added, swapped; words swapped; accents), and the
    /// bounds used to skip work are never below what they bound.
    #[test]
    fn near_spellings_score_as_the_exhaustive_comparison_does() {
        let syllables = ["ba", "bu", "me", "ka", "ki", "ro", "sa", "té", "ab", "ne"];
        let mut seed = 11u64;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let exhaustive = |q: &str, key: &str| {
            let words: Vec<&str> = key.split(' ').collect();
            let width = q.split(' ').count().min(words.len());
            let mut runs: Vec<String> = words.windows(width).map(|w| w.join(" ")).collect();
            runs.push(key.to_owned());
            runs.iter()
                .map(|c| strsim::normalized_damerau_levenshtein(q, c).max(strsim::jaro_winkler(q, c) - 0.1))
                .fold(0.0, f64::max)
        };
        let mut fuzzy = 0;
        for _ in 0..4000 {
            let word = |next: &mut dyn FnMut(usize) -> usize| -> String {
                (0..1 + next(3)).map(|_| syllables[next(syllables.len())]).collect()
            };
            let key =
                text::name_key(&(0..1 + next(3)).map(|_| word(&mut next)).collect::<Vec<_>>().join(" "));
            let mut typed: Vec<char> = key.chars().collect();
            for _ in 0..1 + next(2) {
                let at = next(typed.len().max(1)).min(typed.len().saturating_sub(1));
                match next(5) {
                    0 if !typed.is_empty() => typed[at] = (b'a' + next(26) as u8) as char,
                    1 if typed.len() > 1 => {
                        typed.remove(at);
                    }
                    2 => typed.insert(at, (b'a' + next(26) as u8) as char),
                    3 if at + 1 < typed.len() => typed.swap(at, at + 1),
                    _ => {}
                }
            }
            let mut q: String = typed.into_iter().collect();
            if next(4) == 0 {
                let mut words: Vec<&str> = q.split(' ').collect();
                words.reverse();
                q = words.join(" ");
            }
            let q = text::name_key(&q);
            if q.is_empty() {
                continue;
            }
            for candidate in compared_runs(&q, &key).chain(q.split(' ')).chain([key.as_str()]) {
                let (edit, winkler) = similarity_bounds(&q, candidate);
                assert!(edit >= strsim::normalized_damerau_levenshtein(&q, candidate), "{q} / {candidate}");
                assert!(winkler >= strsim::jaro_winkler(&q, candidate) - 0.1, "{q} / {candidate}");
            }
            let expected = exhaustive(&q, &key);
            match score(&q, &key) {
                Some((s, MatchKind::Fuzzy)) => {
                    fuzzy += 1;
                    assert_eq!(s, 0.5 * expected, "{q} / {key}");
                    assert!(near_bound(&q, &key) >= s, "{q} / {key}");
                }
                Some(_) => {}
                None => {
                    let first = q.chars().next().unwrap();
                    let compared = q.chars().count() >= 3 && key.split(' ').any(|w| w.starts_with(first));
                    assert!(!compared || expected < NEAR_SIMILARITY, "{q} / {key}: {expected}");
                }
            }
        }
        assert!(fuzzy > 500, "the misspellings are near spellings: {fuzzy}");
    }

    /// Long names of which many are a letter apart, as the synthetic folders have ("Govema
    /// District", "Gavema District"...): a whole name or a misspelling finds many near
    /// spellings scoring above 0.45, where candidates are left out by their bound; the answer
    /// is still that of scoring every one.
    #[test]
    fn leaving_out_near_spellings_by_their_bound_keeps_the_answer() {
        let syllables = ["go", "ga", "ve", "va", "ma", "me", "ki", "ku"];
        let mut names = Vec::new();
        for i in 0..syllables.len().pow(3) {
            let [a, b, c] = [i / 64, i / 8 % 8, i % 8].map(|d| syllables[d]);
            let tail = ["District", "suicide bombing"][i % 2];
            names.push(format!("Person(id: \"p{i}\", name: \"{a}{b}{c} {tail}\", sources: [\"s\"])"));
        }
        let g = crate::query::fixture::graph(&format!("(entities: [{}], links: [])", names.join(", ")));
        answers_as_full_scan(
            &g,
            &[
                "Govema District",
                "Gavemu District",
                "Kumaga suicide bombing",
                "Kumaga sucide bombing",
                "Gomeki Distric",
                "vekiga",
                "Mavego District suicide",
            ],
            &[1, 3, 12, 40],
        );
    }
}

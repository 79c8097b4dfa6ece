//! "Did you mean ...?" for unknown names, fast enough to run once per unknown reference in a
//! dataset of a million entities where a whole file of them failed to load.
//!
//! [`closest`] compares a name with every candidate (Jaro-Winkler on lowercased text): right
//! for the short lists of field and variant names. A [`Suggester`] is built once per
//! validation run over many candidates (entity or source ids): it lowercases and sorts them
//! once, remembers its answer for each unknown name, and, above [`EXHAUSTIVE_LIMIT`]
//! candidates, compares a name only with its neighbours in two sorted orders (by the text and
//! by the reversed text), so that the work per unknown name is bounded. A typo shares a long
//! prefix or a long suffix with what was meant, and Jaro-Winkler rewards the prefix, so the
//! neighbours hold the best match in practice; up to the limit every candidate is compared and
//! the answer is exactly that of [`closest`].

use std::collections::HashMap;
use std::sync::Mutex;

/// The lowest score that counts as a likely typo.
const THRESHOLD: f64 = 0.85;

/// Up to this many candidates, every one is compared with each unknown name.
pub const EXHAUSTIVE_LIMIT: usize = 1024;

/// Above the limit: how many neighbours on each side, in each sorted order, are compared.
pub(crate) const WINDOW: usize = 24;

#[cfg(test)]
thread_local! {
    /// Jaro-Winkler comparisons made on this thread, for tests that bound the work.
    pub static COMPARISONS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn score(found_lower: &str, candidate_lower: &str) -> f64 {
    #[cfg(test)]
    COMPARISONS.with(|c| c.set(c.get() + 1));
    strsim::jaro_winkler(found_lower, candidate_lower)
}

/// Of `(score, candidate)` pairs in candidate order, the best at or above the threshold; the
/// last of equal scores wins (as `Iterator::max_by` does).
fn best<'a>(scored: impl Iterator<Item = (f64, &'a str)>) -> Option<&'a str> {
    scored.filter(|(s, _)| *s >= THRESHOLD).max_by(|a, b| a.0.total_cmp(&b.0)).map(|(_, c)| c)
}

/// The candidate nearest to `found`, if it is near enough to be a likely typo.
pub fn closest<'a>(found: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let found_lower = found.to_lowercase();
    best(candidates.iter().map(|c| (score(&found_lower, &c.to_lowercase()), *c)))
}

/// Suggestions among a fixed set of candidates, for many unknown names.
#[derive(Debug)]
pub struct Suggester<'a> {
    /// The candidates sorted and deduplicated, with their lowercase forms.
    candidates: Vec<(&'a str, String)>,
    /// Candidate indices sorted by lowercase text, by reversed lowercase text and by sorted
    /// letters (only above the limit).
    by_text: Vec<u32>,
    by_reversed: Vec<(String, u32)>,
    by_letters: Vec<(String, u32)>,
    memo: Mutex<HashMap<String, Option<u32>>>,
}

impl<'a> Suggester<'a> {
    pub fn new(candidates: impl IntoIterator<Item = &'a str>) -> Self {
        let mut names: Vec<&'a str> = candidates.into_iter().collect();
        names.sort_unstable();
        names.dedup();
        let candidates: Vec<(&'a str, String)> = names.into_iter().map(|c| (c, c.to_lowercase())).collect();
        let (mut by_text, mut by_reversed, mut by_letters) = (Vec::new(), Vec::new(), Vec::new());
        if candidates.len() > EXHAUSTIVE_LIMIT {
            by_text = (0..candidates.len() as u32).collect();
            by_text.sort_by(|&a, &b| candidates[a as usize].1.cmp(&candidates[b as usize].1));
            by_reversed =
                candidates.iter().enumerate().map(|(i, (_, lower))| (reversed(lower), i as u32)).collect();
            by_reversed.sort_unstable();
            by_letters =
                candidates.iter().enumerate().map(|(i, (_, lower))| (letters(lower), i as u32)).collect();
            by_letters.sort_unstable();
        }
        Suggester { candidates, by_text, by_reversed, by_letters, memo: Mutex::new(HashMap::new()) }
    }

    /// The candidate nearest to `found`, as [`closest`] would choose it among the candidates
    /// compared.
    pub fn suggest(&self, found: &str) -> Option<&'a str> {
        // A memo is only ever added to, so one left by a thread that panicked is still good.
        let memo = || self.memo.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(&known) = memo().get(found) {
            return known.map(|i| self.candidates[i as usize].0);
        }
        let answer = self.compute(found);
        memo().insert(found.to_owned(), answer);
        answer.map(|i| self.candidates[i as usize].0)
    }

    fn compute(&self, found: &str) -> Option<u32> {
        let lower = found.to_lowercase();
        let indexed = |i: u32| (score(&lower, &self.candidates[i as usize].1), i);
        let pick = |scored: Vec<(f64, u32)>| {
            scored
                .into_iter()
                .filter(|(s, _)| *s >= THRESHOLD)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, i)| i)
        };
        if self.candidates.len() <= EXHAUSTIVE_LIMIT {
            return pick((0..self.candidates.len() as u32).map(indexed).collect());
        }
        let at = self.by_text.partition_point(|&i| self.candidates[i as usize].1.as_str() < lower.as_str());
        let mut near: Vec<u32> = window(&self.by_text, at).to_vec();
        let rev = reversed(&lower);
        let at = self.by_reversed.partition_point(|(r, _)| r.as_str() < rev.as_str());
        near.extend(window(&self.by_reversed, at).iter().map(|&(_, i)| i));
        let key = letters(&lower);
        let at = self.by_letters.partition_point(|(r, _)| r.as_str() < key.as_str());
        near.extend(window(&self.by_letters, at).iter().map(|&(_, i)| i));
        // In candidate order, so that ties are broken as `closest` breaks them.
        near.sort_unstable();
        near.dedup();
        pick(near.into_iter().map(indexed).collect())
    }
}

fn window<T>(sorted: &[T], at: usize) -> &[T] {
    &sorted[at.saturating_sub(WINDOW)..(at + WINDOW).min(sorted.len())]
}

fn reversed(s: &str) -> String {
    s.chars().rev().collect()
}

/// The letters of `s` in order: the same for `piti-baba` and `tipi-baba`.
fn letters(s: &str) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    chars.sort_unstable();
    chars.into_iter().collect()
}

#[cfg(test)]
pub fn comparisons() -> usize {
    COMPARISONS.with(std::cell::Cell::get)
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDS: &[&str] = &["salman-abedi", "hashem-abedi", "manchester", "manchester-arena", "is-k", "Libya"];

    #[test]
    fn closest_finds_typos_only() {
        assert_eq!(closest("salman-abedy", IDS), Some("salman-abedi"));
        assert_eq!(closest("LIBYA", IDS), Some("Libya"));
        assert_eq!(closest("zzz", IDS), None);
    }

    #[test]
    fn small_sets_agree_with_closest() {
        let s = Suggester::new(IDS.iter().copied());
        let mut sorted = IDS.to_vec();
        sorted.sort_unstable();
        for q in
            ["salman-abedy", "hashem-abed", "manchester-aren", "manchestr", "is-x", "libia", "nothing-like"]
        {
            assert_eq!(s.suggest(q), closest(q, &sorted), "{q}");
            assert_eq!(s.suggest(q), closest(q, &sorted), "{q}, remembered");
        }
    }

    /// Synthetic ids of the kind the generator writes: many share prefixes and suffixes.
    fn many(n: usize) -> Vec<String> {
        let syllables = ["ba", "be", "bi", "bo", "bu", "da", "de", "di", "do", "du", "ka", "ke", "ki", "ko"];
        (0..n)
            .map(|i| {
                let (a, b, c) = (i % 14, (i / 14) % 14, (i / 196) % 14);
                format!("{}{}{}-{}", syllables[a], syllables[b], syllables[c], i / 2744)
            })
            .collect()
    }

    #[test]
    fn large_sets_bound_the_work_and_still_find_typos() {
        let ids = many(20_000);
        let s = Suggester::new(ids.iter().map(String::as_str));
        let before = comparisons();
        // A letter added at the end, one changed at the start, one dropped; the first two again.
        for q in ["bakibo-3x", "xakibo-3", "bakibo3", "bakibo-3x", "xakibo-3"] {
            let found = s.suggest(q);
            assert!(found.is_some(), "{q}");
        }
        let made = comparisons() - before;
        assert!(made <= 3 * 6 * WINDOW, "{made} comparisons for three distinct names");
        // The neighbours held the best match: the same answer as comparing with every id.
        let mut all: Vec<&str> = ids.iter().map(String::as_str).collect();
        all.sort_unstable();
        for q in ["bakibo-3x", "xakibo-3", "bakibo3", "kibabo-3"] {
            assert_eq!(s.suggest(q), closest(q, &all), "{q}");
        }
    }
}

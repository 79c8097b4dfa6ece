//! The name index: every folded name, alias and id (see [`text::name_key`]), the entities that
//! go by each, the keys by the three-byte runs (trigrams) they hold, and the alternate names
//! the dataset records (alias → the name of the entity that bears it), for lookup and search.
//!
//! It is a handful of flat arrays of little-endian numbers ([`Array`]), built from the
//! entities or kept in a snapshot's bytes and read where they lie: a warm `search` at a
//! million entities reads the lists of its query's trigrams and the keys they name, and
//! decodes no entity it does not print. The graph and the snapshot both use it; it uses
//! neither.

use std::ops::Range;

use crate::model::{Entity, text};
use crate::stored::Bytes;

/// Bytes held in memory or lying in a snapshot.
#[derive(Clone)]
pub enum Array {
    Owned(Vec<u8>),
    Mapped(Bytes, Range<usize>),
}

impl std::fmt::Debug for Array {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Array({} bytes)", self.bytes().len())
    }
}

impl Array {
    pub fn bytes(&self) -> &[u8] {
        match self {
            Array::Owned(v) => v,
            Array::Mapped(bytes, range) => (**bytes).as_ref().get(range.clone()).unwrap_or_default(),
        }
    }

    /// How many u32 numbers the bytes hold.
    fn len(&self) -> usize {
        self.bytes().len() / 4
    }

    /// Number `i` (little-endian u32); 0 past the end, which [`NameIndex::fits`] rules out for
    /// offsets and the readers below skip for entity and key numbers.
    fn get(&self, i: usize) -> u32 {
        self.bytes().get(i * 4..i * 4 + 4).map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn numbers(numbers: impl IntoIterator<Item = u32>) -> Array {
        Array::Owned(numbers.into_iter().flat_map(u32::to_le_bytes).collect())
    }
}

/// The arrays of a [`NameIndex`], in the order a snapshot stores them.
pub const PARTS: usize = 9;

/// Folded names → entities, by trigram, with alternate names. Key `k` is
/// `text[key_ends[k - 1]..key_ends[k]]`; keys are sorted and distinct.
#[derive(Debug)]
pub struct NameIndex {
    text: Array,
    key_ends: Array,
    /// The entities going by key `k`: `holders[holder_ends[k - 1]..holder_ends[k]]`, rising.
    holder_ends: Array,
    holders: Array,
    /// The distinct trigrams held by some key, as `b0 << 16 | b1 << 8 | b2`, rising.
    gram_codes: Array,
    /// The keys holding trigram `g`: `postings[gram_ends[g - 1]..gram_ends[g]]`, rising.
    gram_ends: Array,
    postings: Array,
    /// Alternate names: alias key `synonym_from[i]` may be read as key `synonym_to[i]` (the
    /// name of an entity the alias belongs to); sorted by alias.
    synonym_from: Array,
    synonym_to: Array,
}

/// The longest alias, in words, read as its entity's name inside a longer query: acronyms
/// and short forms ("ISIS", "Daesh", "IS-K"), not whole alternative titles.
const SYNONYM_WORDS: usize = 2;

/// An alias borne by more entities than this names none of them in particular: it is not
/// expanded.
pub const SYNONYM_HOLDERS: usize = 3;

fn code([a, b, c]: [u8; 3]) -> u32 {
    u32::from(a) << 16 | u32::from(b) << 8 | u32::from(c)
}

/// The three-byte runs of `s`, as codes.
pub fn trigrams(s: &str) -> impl Iterator<Item = u32> + '_ {
    s.as_bytes().windows(3).map(|w| code([w[0], w[1], w[2]]))
}

/// `array[ends[k - 1]..ends[k]]` (from 0 for `k == 0`).
fn span(ends: &Array, k: usize) -> Range<usize> {
    let start = if k == 0 { 0 } else { ends.get(k - 1) as usize };
    start..(ends.get(k) as usize).max(start)
}

impl NameIndex {
    /// The index of `entities`' names, aliases and ids.
    pub fn build(entities: &[Entity]) -> NameIndex {
        let mut pairs: Vec<(String, u32)> = Vec::with_capacity(entities.len() * 3);
        for (i, e) in entities.iter().enumerate() {
            for name in e.names().chain([e.id.as_str()]) {
                let key = text::name_key(name);
                if !key.is_empty() {
                    pairs.push((key, i as u32));
                }
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        let mut keys: Vec<&str> = Vec::new();
        let (mut text, mut key_ends, mut holder_ends, mut holders) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (key, entity) in &pairs {
            if keys.last() != Some(&key.as_str()) {
                if !keys.is_empty() {
                    holder_ends.push(holders.len() as u32);
                }
                keys.push(key);
                text.extend_from_slice(key.as_bytes());
                key_ends.push(text.len() as u32);
            }
            holders.push(*entity);
        }
        if !keys.is_empty() {
            holder_ends.push(holders.len() as u32);
        }
        let number = |key: &str| keys.binary_search(&key).ok().map(|k| k as u32);
        // Trigram lists by counting: one pass to count, one to fill, keys in order.
        let mut counts = vec![0u32; 1 << 24];
        let mut seen: Vec<u32> = Vec::new();
        let distinct = |key: &str, seen: &mut Vec<u32>| {
            seen.clear();
            seen.extend(trigrams(key));
            seen.sort_unstable();
            seen.dedup();
        };
        let mut gram_codes: Vec<u32> = Vec::new();
        for key in &keys {
            distinct(key, &mut seen);
            for &g in &seen {
                if counts[g as usize] == 0 {
                    gram_codes.push(g);
                }
                counts[g as usize] += 1;
            }
        }
        gram_codes.sort_unstable();
        let mut gram_ends = Vec::with_capacity(gram_codes.len());
        let mut fill = vec![0u32; 1 << 24];
        let mut total = 0u32;
        for &g in &gram_codes {
            fill[g as usize] = total;
            total += counts[g as usize];
            gram_ends.push(total);
        }
        drop(counts);
        let mut postings = vec![0u32; total as usize];
        for (k, key) in keys.iter().enumerate() {
            distinct(key, &mut seen);
            for &g in &seen {
                postings[fill[g as usize] as usize] = k as u32;
                fill[g as usize] += 1;
            }
        }
        drop(fill);
        let mut synonyms: Vec<(u32, u32)> = Vec::new();
        for e in entities {
            let Some(name) = number(&text::name_key(&e.name)) else { continue };
            for alias in &e.aliases {
                let key = text::name_key(alias);
                if key.split(' ').count() <= SYNONYM_WORDS
                    && let Some(alias) = number(&key)
                    && alias != name
                {
                    synonyms.push((alias, name));
                }
            }
        }
        synonyms.sort_unstable();
        synonyms.dedup();
        NameIndex {
            text: Array::Owned(text),
            key_ends: Array::numbers(key_ends),
            holder_ends: Array::numbers(holder_ends),
            holders: Array::numbers(holders),
            gram_codes: Array::numbers(gram_codes),
            gram_ends: Array::numbers(gram_ends),
            postings: Array::numbers(postings),
            synonym_from: Array::numbers(synonyms.iter().map(|s| s.0)),
            synonym_to: Array::numbers(synonyms.iter().map(|s| s.1)),
        }
    }

    /// The arrays, for a snapshot to store, in the order [`NameIndex::from_parts`] takes them.
    pub fn parts(&self) -> [&[u8]; PARTS] {
        [
            self.text.bytes(),
            self.key_ends.bytes(),
            self.holder_ends.bytes(),
            self.holders.bytes(),
            self.gram_codes.bytes(),
            self.gram_ends.bytes(),
            self.postings.bytes(),
            self.synonym_from.bytes(),
            self.synonym_to.bytes(),
        ]
    }

    /// The index of arrays [`NameIndex::parts`] gave, if they hang together (offsets rising and
    /// in bounds, one end per key and per trigram); a number naming no key or entity is
    /// skipped when read.
    pub fn from_parts(parts: [Array; PARTS]) -> Option<NameIndex> {
        let [text, key_ends, holder_ends, holders, gram_codes, gram_ends, postings, synonym_from, synonym_to] =
            parts;
        let index = NameIndex {
            text,
            key_ends,
            holder_ends,
            holders,
            gram_codes,
            gram_ends,
            postings,
            synonym_from,
            synonym_to,
        };
        index.fits().then_some(index)
    }

    fn fits(&self) -> bool {
        let whole = |a: &Array| a.bytes().len().is_multiple_of(4);
        let rising = |ends: &Array, total: usize| {
            let mut last = 0;
            (0..ends.len()).all(|i| {
                let e = ends.get(i) as usize;
                let ok = e >= last && e <= total;
                last = e;
                ok
            }) && (ends.len() == 0 || last == total)
        };
        let codes_rising =
            (1..self.gram_codes.len()).all(|i| self.gram_codes.get(i - 1) < self.gram_codes.get(i));
        [
            &self.key_ends,
            &self.holder_ends,
            &self.holders,
            &self.gram_codes,
            &self.gram_ends,
            &self.postings,
            &self.synonym_from,
            &self.synonym_to,
        ]
        .into_iter()
        .all(whole)
            && rising(&self.key_ends, self.text.bytes().len())
            && self.holder_ends.len() == self.key_ends.len()
            && rising(&self.holder_ends, self.holders.len())
            && self.gram_ends.len() == self.gram_codes.len()
            && rising(&self.gram_ends, self.postings.len())
            && codes_rising
            && self.synonym_from.len() == self.synonym_to.len()
    }

    /// How many distinct keys there are.
    pub fn key_count(&self) -> usize {
        self.key_ends.len()
    }

    /// Key number `k` (empty if the stored text is not UTF-8 there, which only a bug writes).
    pub fn key(&self, k: usize) -> &str {
        std::str::from_utf8(self.text.bytes().get(span(&self.key_ends, k)).unwrap_or_default()).unwrap_or("")
    }

    /// The number of `key`, if some entity goes by it.
    pub fn find(&self, key: &str) -> Option<usize> {
        let (mut low, mut high) = (0, self.key_count());
        while low < high {
            let mid = (low + high) / 2;
            match self.key(mid).cmp(key) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// The numbers of the keys that begin with `prefix`: keys are sorted, so they are a range.
    pub fn starting_with(&self, prefix: &str) -> std::ops::Range<usize> {
        let first = |before: &dyn Fn(&str) -> bool| {
            let (mut low, mut high) = (0, self.key_count());
            while low < high {
                let mid = (low + high) / 2;
                if before(self.key(mid)) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            low
        };
        first(&|k| k < prefix)..first(&|k| k < prefix || k.starts_with(prefix))
    }

    /// The entities going by key `k`, rising, each below `entities`.
    pub fn holders(&self, k: usize, entities: usize) -> impl Iterator<Item = usize> + '_ {
        span(&self.holder_ends, k).map(|i| self.holders.get(i) as usize).filter(move |&e| e < entities)
    }

    /// The keys holding trigram `g`, rising.
    fn posting(&self, g: u32) -> impl Iterator<Item = usize> + '_ {
        let (mut low, mut high) = (0, self.gram_codes.len());
        while low < high {
            let mid = (low + high) / 2;
            if self.gram_codes.get(mid) < g {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        let range = if low < self.gram_codes.len() && self.gram_codes.get(low) == g {
            span(&self.gram_ends, low)
        } else {
            0..0
        };
        let keys = self.key_count();
        range.map(|i| self.postings.get(i) as usize).filter(move |&k| k < keys)
    }

    /// The keys holding every trigram of each of `parts` (each at least three bytes), rising;
    /// `None` when no part has a trigram.
    pub fn holding_all(&self, parts: &[&str]) -> Option<Vec<usize>> {
        let mut grams: Vec<u32> = parts.iter().flat_map(|p| trigrams(p)).collect();
        grams.sort_unstable();
        grams.dedup();
        let mut lists: Vec<Vec<usize>> = grams.into_iter().map(|g| self.posting(g).collect()).collect();
        lists.sort_unstable_by_key(Vec::len);
        let (shortest, rest) = lists.split_first()?;
        Some(shortest.iter().copied().filter(|k| rest.iter().all(|l| l.binary_search(k).is_ok())).collect())
    }

    /// The keys holding at least `share` (rounded up, and at least one) of the distinct
    /// trigrams of `needle`, rising, each with how many of them it holds.
    pub fn sharing(&self, needle: &str, share: f64) -> Vec<(usize, usize)> {
        let mut grams: Vec<u32> = trigrams(needle).collect();
        grams.sort_unstable();
        grams.dedup();
        // Two bytes a key count its trigrams: a needle has fewer than 65,535 distinct ones.
        let least = ((grams.len() as f64 * share).ceil() as usize).clamp(1, usize::from(u16::MAX));
        let mut counts = vec![0u16; self.key_count()];
        let mut found: Vec<usize> = Vec::new();
        for &g in &grams {
            for k in self.posting(g) {
                let n = &mut counts[k];
                *n = n.saturating_add(1);
                if usize::from(*n) == least {
                    found.push(k);
                }
            }
        }
        found.sort_unstable();
        found.into_iter().map(|k| (k, usize::from(counts[k]))).collect()
    }

    /// The names key `alias` may be read as (the names of the entities bearing it as an alias
    /// of up to [`SYNONYM_WORDS`] words), or none when more than [`SYNONYM_HOLDERS`] bear it.
    pub fn expansions(&self, alias: usize) -> Vec<usize> {
        let n = self.synonym_from.len();
        let start = {
            let (mut low, mut high) = (0, n);
            while low < high {
                let mid = (low + high) / 2;
                if (self.synonym_from.get(mid) as usize) < alias {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            low
        };
        let names: Vec<usize> = (start..n)
            .take_while(|&i| self.synonym_from.get(i) as usize == alias)
            .map(|i| self.synonym_to.get(i) as usize)
            .filter(|&k| k < self.key_count())
            .collect();
        if names.len() > SYNONYM_HOLDERS { Vec::new() } else { names }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_holders_trigrams_and_synonyms_survive_a_trip_through_bytes() {
        let g = crate::query::fixture::graph(crate::query::fixture::NETWORK);
        let built = NameIndex::build(g.entities());
        let bytes: Vec<u8> = built.parts().concat();
        let shared: Bytes = std::sync::Arc::new(bytes);
        let mut at = 0;
        let parts = built.parts().map(|p| {
            let range = at..at + p.len();
            at += p.len();
            Array::Mapped(shared.clone(), range)
        });
        let back = NameIndex::from_parts(parts).expect("fits");
        assert_eq!(back.key_count(), built.key_count());
        for k in 0..built.key_count() {
            assert_eq!(back.key(k), built.key(k));
            assert_eq!(back.find(built.key(k)), Some(k));
            let n = g.entity_count();
            assert_eq!(back.holders(k, n).collect::<Vec<_>>(), built.holders(k, n).collect::<Vec<_>>());
            assert_eq!(back.expansions(k), built.expansions(k));
        }
        assert_eq!(back.holding_all(&["example"]), built.holding_all(&["example"]));
        assert!(!built.holding_all(&["example"]).unwrap().is_empty());
        assert_eq!(built.find("no such name"), None);
    }

    /// The graph layer (the graph, its name index, the stored records) uses no query and no
    /// snapshot outside its tests: no import circle among graph, snapshot and query.
    #[test]
    fn the_graph_layer_imports_no_query_and_no_snapshot() {
        for (file, source) in [
            ("graph.rs", include_str!("graph.rs")),
            ("names.rs", include_str!("names.rs")),
            ("stored.rs", include_str!("stored.rs")),
        ] {
            let code = source.split("#[cfg(test)]").next().unwrap_or_default();
            for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
                for layer in ["crate::query", "crate::snapshot", "crate::cli", "crate::export"] {
                    assert!(!line.contains(layer), "{file}: {line}");
                }
            }
        }
    }

    #[test]
    fn offsets_that_do_not_rise_are_refused() {
        let g = crate::query::fixture::graph(crate::query::fixture::NETWORK);
        let built = NameIndex::build(g.entities());
        let mut parts = built.parts().map(|p| Array::Owned(p.to_vec()));
        parts[1] = Array::numbers([5, 3]);
        assert!(NameIndex::from_parts(parts).is_none());
    }
}

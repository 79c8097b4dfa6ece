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
        number(self.bytes(), i)
    }

    fn numbers(numbers: impl IntoIterator<Item = u32>) -> Array {
        Array::Owned(numbers.into_iter().flat_map(u32::to_le_bytes).collect())
    }
}

/// One trigram's posting list as it lies in the index: rising key numbers, four little-endian
/// bytes each.
#[derive(Clone, Copy)]
struct Posting<'a>(&'a [u8]);

impl Posting<'_> {
    fn len(&self) -> usize {
        self.0.len() / 4
    }

    fn get(&self, i: usize) -> usize {
        number(self.0, i) as usize
    }

    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.chunks_exact(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }

    /// The first place from `from` on whose key is not below `k` (the list rises): leaps of
    /// doubling length, then halving, so that a walk through rising keys costs little more
    /// than reading the shorter of it and the list.
    fn seek(&self, from: usize, k: usize) -> usize {
        let len = self.len();
        // Every place below `low` holds a key below `k`; `high` is the list's end or holds
        // one at least `k`.
        let (mut low, mut high, mut leap) = (from, from, 1);
        while high < len && self.get(high) < k {
            low = high + 1;
            high += leap;
            leap *= 2;
        }
        high = high.min(len);
        while low < high {
            let mid = (low + high) / 2;
            if self.get(mid) < k {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        low
    }
}

thread_local! {
    /// [`NameIndex::sharing`]'s count of trigrams held by key number, and the keys counted, a
    /// bit each: all zero between calls, kept so that each search does not allocate and clear
    /// a count per key of a million.
    static SHARED_COUNTS: std::cell::RefCell<SharedCounts> = const {
        std::cell::RefCell::new(SharedCounts { narrow: Vec::new(), wide: Vec::new(), touched: Vec::new() })
    };
}

/// [`SHARED_COUNTS`]: a count per key of a byte, used when the needle has at most 255
/// trigrams (always, but for pasted paragraphs), so that the array (a megabyte at a million
/// names) stays in the processor's cache where one of four bytes a key did not; of four
/// bytes otherwise.
struct SharedCounts {
    narrow: Vec<u8>,
    wide: Vec<u32>,
    touched: Vec<u64>,
}

/// A count of trigram lists holding a key, as [`NameIndex::sharing`] keeps them.
trait Count: Copy + Default + Eq {
    /// The most lists this count can count.
    const MOST: usize;
    fn up(self) -> Self;
    fn lists(self) -> usize;
}

impl Count for u8 {
    const MOST: usize = u8::MAX as usize;
    fn up(self) -> u8 {
        self + 1
    }
    fn lists(self) -> usize {
        usize::from(self)
    }
}

impl Count for u32 {
    const MOST: usize = u32::MAX as usize;
    fn up(self) -> u32 {
        self + 1
    }
    fn lists(self) -> usize {
        self as usize
    }
}

/// [`NameIndex::sharing`] reads a long list through, rather than leaping from key to key,
/// when it holds at most this many entries per key found.
const READ_THROUGH: usize = 4;

/// The arrays of a [`NameIndex`], in the order a snapshot stores them.
pub const PARTS: usize = 10;

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
    /// The first bytes of key `k`'s words, as bit `byte % 32` each ([`NameIndex::initials`]).
    initials: Array,
}

/// The bit [`NameIndex::initials`] sets for a word beginning with `byte`.
fn initial_bit(byte: u8) -> u32 {
    1 << (byte % 32)
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
    // From the slice, not number by number: a near-spelling search reads the keys of tens of
    // thousands of candidates.
    let ends = ends.bytes();
    let start = if k == 0 { 0 } else { number(ends, k - 1) as usize };
    start..(number(ends, k) as usize).max(start)
}

/// Number `i` of `bytes` (little-endian u32); 0 past the end.
fn number(bytes: &[u8], i: usize) -> u32 {
    bytes.get(i * 4..i * 4 + 4).map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
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
            initials: Array::numbers(keys.iter().map(|key| {
                key.split(' ').filter_map(|w| w.bytes().next()).fold(0, |bits, b| bits | initial_bit(b))
            })),
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
            self.initials.bytes(),
        ]
    }

    /// The index of arrays [`NameIndex::parts`] gave, if they hang together (offsets rising and
    /// in bounds, one end per key and per trigram); a number naming no key or entity is
    /// skipped when read.
    pub fn from_parts(parts: [Array; PARTS]) -> Option<NameIndex> {
        let [text, key_ends, holder_ends, holders, gram_codes, gram_ends, postings, rest @ ..] = parts;
        let [synonym_from, synonym_to, initials] = rest;
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
            initials,
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
            &self.initials,
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
            && self.initials.len() == self.key_ends.len()
    }

    /// How many distinct keys there are.
    pub fn key_count(&self) -> usize {
        self.key_ends.len()
    }

    /// Key number `k` (empty if the stored text is not UTF-8 there, which only a bug writes).
    pub fn key(&self, k: usize) -> &str {
        std::str::from_utf8(self.key_bytes(k)).unwrap_or("")
    }

    /// Key number `k` as stored, unchecked: for looking at tens of thousands of keys.
    pub fn key_bytes(&self, k: usize) -> &[u8] {
        self.text.bytes().get(span(&self.key_ends, k)).unwrap_or_default()
    }

    /// False when no word of key `k` begins with `byte`; true when one may (bytes 32 apart
    /// share a bit, so the key must be read to be sure). One number a key: looking at tens of
    /// thousands of near-spelling candidates, most are ruled out without reading their text.
    pub fn initials(&self, k: usize, byte: u8) -> bool {
        self.initials.get(k) & initial_bit(byte) != 0
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

    /// The keys holding trigram `g`, rising, as stored (read in place: the lists of common
    /// trigrams hold hundreds of thousands of keys at a million entities).
    fn posting(&self, g: u32) -> Posting<'_> {
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
        Posting(self.postings.bytes().get(range.start * 4..range.end * 4).unwrap_or_default())
    }

    /// The posting lists of the distinct trigrams of `parts`, shortest first.
    fn postings_of(&self, parts: &[&str]) -> Vec<Posting<'_>> {
        let mut grams: Vec<u32> = parts.iter().flat_map(|p| trigrams(p)).collect();
        grams.sort_unstable();
        grams.dedup();
        let mut lists: Vec<Posting> = grams.into_iter().map(|g| self.posting(g)).collect();
        lists.sort_by_key(Posting::len);
        lists
    }

    /// The keys holding every trigram of each of `parts` (each at least three bytes), rising;
    /// `None` when no part has a trigram.
    pub fn holding_all(&self, parts: &[&str]) -> Option<Vec<usize>> {
        let keys = self.key_count();
        let lists = self.postings_of(parts);
        let (shortest, rest) = lists.split_first()?;
        // The shortest list is read; the others are leapt through, each from where the key
        // before left it (the keys rise, so each list is walked once, not searched from its
        // start for every key).
        let mut places = vec![0; rest.len()];
        Some(
            shortest
                .iter()
                .filter(|&k| {
                    k < keys
                        && rest.iter().zip(&mut places).all(|(list, at)| {
                            *at = list.seek(*at, k);
                            *at < list.len() && list.get(*at) == k
                        })
                })
                .collect(),
        )
    }

    /// The keys holding at least `share` (rounded up, and at least one) of the distinct
    /// trigrams of `needle`, rising, each with how many of them it holds.
    pub fn sharing(&self, needle: &str, share: f64) -> Vec<(usize, usize)> {
        let keys = self.key_count();
        let lists = self.postings_of(&[needle]);
        let least = ((lists.len() as f64 * share).ceil() as usize).max(1);
        if least > lists.len() {
            return Vec::new();
        }
        // A key in none of the `lists.len() - least + 1` shortest lists is in at most
        // `least - 1` lists: reading those lists finds every key that may qualify, and the
        // longest lists (the common trigrams) are only looked up in, not read.
        let (short, long) = lists.split_at(lists.len() - least + 1);
        SHARED_COUNTS.with_borrow_mut(|shared| {
            if shared.touched.len() < keys.div_ceil(64) {
                shared.touched.resize(keys.div_ceil(64), 0);
            }
            if lists.len() <= u8::MOST {
                count_holding(&mut shared.narrow, &mut shared.touched, keys, short, long, least)
            } else {
                count_holding(&mut shared.wide, &mut shared.touched, keys, short, long, least)
            }
        })
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

/// [`NameIndex::sharing`]'s count: the keys below `keys` in at least `least` of the lists
/// `short` and `long`, where every such key is in one of `short`, with how many lists hold
/// each. `counts` (at most `C::MOST` lists) and `touched` are all zero before and after.
fn count_holding<C: Count>(
    counts: &mut Vec<C>,
    touched: &mut [u64],
    keys: usize,
    short: &[Posting<'_>],
    long: &[Posting<'_>],
    least: usize,
) -> Vec<(usize, usize)> {
    // Each key's count, by key number, in one pass per list (merging the lists one into the
    // other copied the keys found once per list); `touched` marks the keys counted, a bit
    // each, for reading and zeroing only those, in order.
    if counts.len() < keys {
        counts.resize(keys, C::default());
    }
    let mut found_count = 0;
    for list in short {
        for k in list.iter().filter(|&k| k < keys) {
            if counts[k] == C::default() {
                touched[k / 64] |= 1 << (k % 64);
                found_count += 1;
            }
            counts[k] = counts[k].up();
        }
    }
    // A long list hardly longer than the keys found is read through, counting only the keys
    // found; a longer one is leapt through below, from key found to key found.
    let (read, leapt): (Vec<&Posting>, Vec<&Posting>) =
        long.iter().partition(|l| l.len() <= found_count * READ_THROUGH);
    for list in read {
        for k in list.iter().filter(|&k| k < keys) {
            if counts[k] != C::default() {
                counts[k] = counts[k].up();
            }
        }
    }
    // A key the lists leapt through cannot bring to `least` is not kept.
    let short_of = least.saturating_sub(leapt.len());
    let mut found: Vec<(usize, usize)> = Vec::with_capacity(found_count);
    for (word_at, word) in touched.iter_mut().enumerate() {
        while *word != 0 {
            let k = word_at * 64 + word.trailing_zeros() as usize;
            *word &= *word - 1;
            let held = std::mem::take(&mut counts[k]).lists();
            if held >= short_of {
                found.push((k, held));
            }
        }
    }
    // The keys found rise, so each list is walked once.
    for list in leapt {
        let mut at = 0;
        for (k, held) in &mut found {
            at = list.seek(at, *k);
            if at < list.len() && list.get(at) == *k {
                *held += 1;
            }
        }
    }
    found.retain(|&(_, held)| held >= least);
    found
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
            // Every word's first byte may begin a word; some other byte is ruled out.
            for index in [&built, &back] {
                let key = index.key(k);
                assert!(
                    key.split(' ').filter_map(|w| w.bytes().next()).all(|b| index.initials(k, b)),
                    "{key}"
                );
                assert!((b'a'..=b'z').any(|b| !index.initials(k, b)), "{key}");
            }
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

    /// The trigram lists merged and leapt through answer as counting every list entry by
    /// entry does (how the index answered before), for needles of common and rare trigrams,
    /// with the index in memory and read from bytes.
    #[test]
    fn sharing_and_holding_all_answer_as_counting_every_list_does() {
        let syllables = ["ba", "bu", "me", "ka", "ki", "ro", "sa", "ne", " ", "bom", "ing"];
        let mut seed = 3u64;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let mut entities = Vec::new();
        for i in 0..2000 {
            let name: String = (0..1 + next(6)).map(|_| syllables[next(syllables.len())]).collect();
            let name = if name.trim().is_empty() { "x".to_owned() } else { name.trim().to_owned() };
            entities.push(format!("Person(id: \"p{i}\", name: \"{name}\", sources: [\"s\"])"));
        }
        let g = crate::query::fixture::graph(&format!("(entities: [{}], links: [])", entities.join(", ")));
        let built = NameIndex::build(g.entities());
        let bytes: Bytes = std::sync::Arc::new(built.parts().concat());
        let mut at = 0;
        let read = NameIndex::from_parts(built.parts().map(|p| {
            at += p.len();
            Array::Mapped(bytes.clone(), at - p.len()..at)
        }))
        .expect("fits");
        let counted = |index: &NameIndex, needle: &str| -> Vec<usize> {
            let mut grams: Vec<u32> = trigrams(needle).collect();
            grams.sort_unstable();
            grams.dedup();
            let mut counts = vec![0usize; index.key_count()];
            for &g in &grams {
                for k in index.posting(g).iter() {
                    counts[k] += 1;
                }
            }
            counts
        };
        // More trigrams than a count of a byte counts: every run of three syllables, and more.
        let mut long: String =
            syllables.iter().flat_map(|a| syllables.iter().map(move |b| format!("{a}{b}"))).collect();
        long.push(' ');
        let mut letter = 1u32;
        for _ in 0..200 {
            letter = letter.wrapping_mul(1103515245).wrapping_add(12345) % (1 << 31);
            long.push(char::from(b'a' + (letter >> 16) as u8 % 26));
        }
        assert!(trigrams(&long).collect::<std::collections::BTreeSet<_>>().len() > u8::MOST);
        for needle in [
            long.as_str(),
            "bameka",
            "bom",
            "bombing",
            "sa bom",
            "kiro ba",
            "nebu ing",
            "zzz",
            "ka",
            "bubububu",
            "meka ro sane",
            "ingbom ka",
            "abc",
        ] {
            for index in [&built, &read] {
                let counts = counted(index, needle);
                let grams = trigrams(needle).collect::<std::collections::BTreeSet<_>>().len();
                for share in [0.0, 0.3, 0.5, 0.8, 1.0] {
                    let least = ((grams as f64 * share).ceil() as usize).max(1);
                    let expected: Vec<(usize, usize)> = (0..index.key_count())
                        .filter(|&k| counts[k] >= least)
                        .map(|k| (k, counts[k]))
                        .collect();
                    assert_eq!(index.sharing(needle, share), expected, "{needle} / {share}");
                }
                let all: Vec<usize> =
                    (0..index.key_count()).filter(|&k| grams > 0 && counts[k] == grams).collect();
                assert_eq!(index.holding_all(&[needle]), (grams > 0).then_some(all), "{needle}");
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

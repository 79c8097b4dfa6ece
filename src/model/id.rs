//! Entity and source identifiers: kebab-case slugs such as `salman-abedi`.

use std::fmt;

use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An identifier as written in the data. Any string deserializes, so that a malformed id is
/// reported by the validator with its position instead of failing the whole record;
/// [`Id::is_valid`] says whether it has the required shape.
///
/// Shared, not copied: a link's ends and sources are the same allocation as the entity's or
/// source's own id when the loader [interns](Interner) them, which at a million entities and
/// four million links saves hundreds of megabytes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Id(Arc<str>);

impl Id {
    pub fn new(s: impl AsRef<str>) -> Self {
        Id(Arc::from(s.as_ref()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_valid(&self) -> bool {
        is_slug(&self.0)
    }

    pub fn suggestion(&self) -> String {
        slugify(&self.0)
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = Id;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Id, E> {
                Ok(Id::new(s))
            }
        }
        d.deserialize_str(Text)
    }
}

/// One shared [`Id`] for each distinct text: the loader passes every id it reads through one,
/// from every parsing thread at once, so that each id is one allocation however many files
/// and threads mention it. Then the validator can match a link's end to its entity by the
/// address of the text, without reading the text (see `validate::Context::reference`).
///
/// The texts are spread over [`SHARDS`] locked sets by a hash of their own, so two threads
/// seldom wait for each other.
pub struct Interner {
    shards: Box<[Shard]>,
}

/// One locked set of an [`Interner`], on a cache line of its own: the two threads' locking of
/// neighbouring sets would otherwise take the line from each other.
#[repr(align(64))]
#[derive(Default)]
struct Shard(std::sync::Mutex<IdTable>);

/// The number of locked sets of an [`Interner`].
const SHARDS: usize = 1024;

impl Default for Interner {
    fn default() -> Self {
        Interner { shards: (0..SHARDS).map(|_| Shard::default()).collect() }
    }
}

impl fmt::Debug for Interner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Interner").field("shards", &self.shards.len()).finish_non_exhaustive()
    }
}

impl Interner {
    /// The shared id of this text, made the first time it is asked for.
    pub fn intern(&self, text: &str) -> Id {
        let hash = hash_of(text);
        // The set from the high bits of the hash; the set places its entries by the low ones.
        let shard = &self.shards[(hash >> 32) as usize % SHARDS];
        // A panic while a set was held leaves it whole (an insert either happened or not).
        shard.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).intern(text, hash as u32)
    }

    /// The shared ids of several texts.
    pub fn intern_all<T: AsRef<str>>(&self, texts: &[T]) -> Vec<Id> {
        texts.iter().map(|t| self.intern(t.as_ref())).collect()
    }
}

/// One [`Id`] for each distinct text, for one thread: the loader's source ids. Every link
/// cites a source, and a few thousand ids shared by the threads would have their counts of
/// owners taken from one core's cache by the other at every citation.
#[derive(Debug, Default)]
pub struct ThreadInterner(IdTable);

impl ThreadInterner {
    /// The id of this text, made the first time it is asked for.
    pub fn intern(&mut self, text: &str) -> Id {
        self.0.intern(text, hash_of(text) as u32)
    }

    /// The ids of several texts.
    pub fn intern_all<T: AsRef<str>>(&mut self, texts: &[T]) -> Vec<Id> {
        texts.iter().map(|t| self.intern(t.as_ref())).collect()
    }
}

/// A set of ids by text, both interners' own: open addressing, each slot holding a 32-bit hash
/// of its id beside the id. A lookup reads one slot (its hash and the text's length tell all
/// but the match apart) and then the match's text, where a general set reads a group of tags,
/// then the slot, then the text: at a million ids each read is a miss of the cache, and the
/// loader looks up some eight million ends.
#[derive(Debug, Default)]
struct IdTable {
    /// A power of two of slots, at most half full; empty before the first id.
    slots: Vec<Option<(u32, Id)>>,
    len: usize,
}

impl IdTable {
    /// The id of `text`, whose hash is `hash`, added the first time it is asked for.
    fn intern(&mut self, text: &str, hash: u32) -> Id {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            match &self.slots[i] {
                // The length is in the id's pointer: only a likely match's text is read.
                Some((h, id)) if *h == hash && id.0.len() == text.len() && *id.0 == *text => {
                    return id.clone();
                }
                Some(_) => i = (i + 1) & mask,
                None => {
                    let id = Id::new(text);
                    self.slots[i] = Some((hash, id.clone()));
                    self.len += 1;
                    return id;
                }
            }
        }
    }

    /// Doubles the slots (16 at first), placing each id again by the hash it keeps.
    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(16);
        let old = std::mem::replace(&mut self.slots, vec![None; size]);
        let mask = size - 1;
        for (hash, id) in old.into_iter().flatten() {
            let mut i = hash as usize & mask;
            while self.slots[i].is_some() {
                i = (i + 1) & mask;
            }
            self.slots[i] = Some((hash, id));
        }
    }
}

/// The hash of an id's text: its high half picks an [`Interner`]'s set, its low half the slot.
fn hash_of(text: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = crate::hash::FastHasher::default();
    h.write(text.as_bytes());
    h.finish()
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Id {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Id {
    fn from(s: &str) -> Self {
        Id::new(s)
    }
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|part| {
            !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Lowercase ASCII words joined by single hyphens; accents are dropped.
pub fn slugify(s: &str) -> String {
    let folded = crate::model::text::fold(s);
    folded.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        for ok in ["a", "is-k", "salman-abedi", "7-7-bombings", "x1-y2"] {
            assert!(Id::from(ok).is_valid(), "{ok}");
        }
        for bad in ["", "-a", "a-", "a--b", "Salman", "a_b", "a b", "é"] {
            assert!(!Id::from(bad).is_valid(), "{bad}");
        }
    }

    #[test]
    fn interning_gives_one_id_per_text() {
        let shared = Interner::default();
        let mut own = ThreadInterner::default();
        let texts: Vec<String> = (0..20_000).map(|i| format!("id-{i}")).collect();
        let first: Vec<(Id, Id)> = texts.iter().map(|t| (shared.intern(t), own.intern(t))).collect();
        // Asked again after the tables grew many times: the same allocation, not a copy.
        for (t, (a, b)) in texts.iter().zip(&first) {
            assert_eq!(a.as_str(), t);
            assert!(std::ptr::eq(shared.intern(t).as_str(), a.as_str()));
            assert!(std::ptr::eq(own.intern(t).as_str(), b.as_str()));
        }
        // Texts that differ only in length, or are empty, are told apart.
        let (x, xx, empty) = (own.intern("x"), own.intern("xx"), own.intern(""));
        assert_eq!((x.as_str(), xx.as_str(), empty.as_str()), ("x", "xx", ""));
        assert_eq!(own.0.len, texts.len() + 3);
    }

    #[test]
    fn suggestion_is_a_valid_slug() {
        assert_eq!(Id::from("Salman_Abedi").suggestion(), "salman-abedi");
        assert_eq!(Id::from("Élan  Vital!").suggestion(), "elan-vital");
    }
}

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
struct Shard(std::sync::Mutex<crate::hash::FastSet<Id>>);

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
        let shard = &self.shards[shard_of(text)];
        // A panic while a set was held leaves it whole (an insert either happened or not).
        intern_in(&mut shard.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner), text)
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
pub struct ThreadInterner(crate::hash::FastSet<Id>);

impl ThreadInterner {
    /// The id of this text, made the first time it is asked for.
    pub fn intern(&mut self, text: &str) -> Id {
        intern_in(&mut self.0, text)
    }

    /// The ids of several texts.
    pub fn intern_all<T: AsRef<str>>(&mut self, texts: &[T]) -> Vec<Id> {
        texts.iter().map(|t| self.intern(t.as_ref())).collect()
    }
}

/// The id of `text` in `set`, added the first time it is asked for: both interners' one step.
fn intern_in(set: &mut crate::hash::FastSet<Id>, text: &str) -> Id {
    match set.get(text) {
        Some(known) => known.clone(),
        None => {
            let id = Id::new(text);
            set.insert(id.clone());
            id
        }
    }
}

/// The set of an [`Interner`] that holds `text`. Taken from the middle bits of a hash: the
/// sets themselves place their entries by the low bits and tell them apart by the high ones.
fn shard_of(text: &str) -> usize {
    use std::hash::Hasher;
    let mut h = crate::hash::FastHasher::default();
    h.write(text.as_bytes());
    (h.finish() >> 32) as usize % SHARDS
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
    fn suggestion_is_a_valid_slug() {
        assert_eq!(Id::from("Salman_Abedi").suggestion(), "salman-abedi");
        assert_eq!(Id::from("Élan  Vital!").suggestion(), "elan-vital");
    }
}

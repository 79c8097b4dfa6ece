//! Known entities by the keys [`super::same`] can match on: each name's transliteration key
//! ([`super::key`]) and initials ([`super::initials`]), by kind. Extraction asks it which
//! known entity a new name is; an import asks it which entity already there a record is.

use std::collections::HashMap;

use super::{Reason, compare, initials, key, same, words};
use crate::model::Kind;

/// Entity numbers by kind and key. The names themselves stay with the caller, which hands
/// them over when asked ([`Known::like`]).
#[derive(Debug, Default)]
pub struct Known {
    by_key: HashMap<(Kind, String), Vec<usize>>,
}

impl Known {
    /// Adds the name `name` of entity number `i`, of kind `kind`. Add an entity's names one
    /// after another, and entities in rising order.
    pub fn add(&mut self, i: usize, kind: Kind, name: &str) {
        let mut keys = vec![key(name, kind == Kind::Person)];
        keys.extend(initials(name).map(|i| format!("={i}")));
        for k in keys {
            let list = self.by_key.entry((kind, k)).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }

    /// The entities of kind `kind` that `name` names by the rules of [`same`] (the same words,
    /// another order, an abbreviation, a transliteration), each once, in the order found,
    /// with the closest reason among its names. `names(i)` gives entity `i`'s names.
    pub fn like<'n, I>(&self, kind: Kind, name: &str, names: impl Fn(usize) -> I) -> Vec<(usize, Reason)>
    where
        I: IntoIterator<Item = &'n str>,
    {
        let person = kind == Kind::Person;
        let mut keys = vec![key(name, person)];
        if let [one] = words(name, person).as_slice() {
            keys.push(format!("={one}"));
        }
        let mut found: Vec<(usize, Reason)> = Vec::new();
        for k in keys {
            for &i in self.by_key.get(&(kind, k)).into_iter().flatten() {
                if found.iter().any(|(j, _)| *j == i) {
                    continue;
                }
                let reason = names(i)
                    .into_iter()
                    .filter(|n| same(n, name, person))
                    .filter_map(|n| compare(n, name, person).map(|c| c.1))
                    .min();
                if let Some(reason) = reason {
                    found.push((i, reason));
                }
            }
        }
        found
    }

    /// The one entity of kind `kind` that `name` names ([`Known::like`]); `None` when none or
    /// several do.
    pub fn one<'n, I>(&self, kind: Kind, name: &str, names: impl Fn(usize) -> I) -> Option<usize>
    where
        I: IntoIterator<Item = &'n str>,
    {
        match self.like(kind, name, names)[..] {
            [(i, _)] => Some(i),
            _ => None,
        }
    }
}

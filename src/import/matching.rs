//! Finding an imported entity among the entities already there. Certain: the same external
//! id, or exactly one entity of the same kind whose name or alias has the same key
//! ([`name_key`]: case, accents and punctuation aside). Possible, to review: several such
//! entities, or a name that is the other's abbreviation (`CPC`, `Communist Party of China`).
//!
//! The extraction's resolution and the duplicate finder have rules of their own
//! (transliterations, titles); a later change should make this use theirs.

use std::collections::HashMap;

use crate::model::Entity;
use crate::model::text::name_key;

/// The entities already there, by external id, name key and abbreviation.
pub struct Index<'a> {
    entities: &'a [Entity],
    by_external: HashMap<&'a str, usize>,
    by_key: HashMap<String, Vec<usize>>,
    by_abbreviation: HashMap<String, Vec<usize>>,
}

/// What [`Index::find`] found.
#[derive(Debug, PartialEq)]
pub enum Found {
    /// The entity at this index, and by what (`external id`, `name`, `alias`).
    Certain {
        existing: usize,
        by: &'static str,
    },
    /// Entities that may be the same, each with why.
    Possible(Vec<(usize, String)>),
    None,
}

/// Words left out of an abbreviation: `Communist Party of China` is `CPC`.
const MINOR_WORDS: &[&str] = &["of", "the", "and", "for", "in", "al", "el"];

/// The initials of a name of two or more significant words, else `None`.
pub fn abbreviation(name: &str) -> Option<String> {
    let key = name_key(name);
    let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty() && !MINOR_WORDS.contains(w)).collect();
    (words.len() >= 2).then(|| words.iter().filter_map(|w| w.chars().next()).collect())
}

impl<'a> Index<'a> {
    pub fn new(entities: &'a [Entity]) -> Self {
        let mut index = Index {
            entities,
            by_external: HashMap::new(),
            by_key: HashMap::new(),
            by_abbreviation: HashMap::new(),
        };
        for (i, e) in entities.iter().enumerate() {
            for x in super::external_ids(e) {
                index.by_external.entry(x).or_insert(i);
            }
            for n in e.names() {
                let list = index.by_key.entry(name_key(n)).or_default();
                if !list.contains(&i) {
                    list.push(i);
                }
                if let Some(a) = abbreviation(n) {
                    let list = index.by_abbreviation.entry(a).or_default();
                    if !list.contains(&i) {
                        list.push(i);
                    }
                }
            }
        }
        index
    }

    /// The existing entity `e` is, or those it may be.
    pub fn find(&self, e: &Entity) -> Found {
        for x in super::external_ids(e) {
            if let Some(&i) = self.by_external.get(x.as_str()) {
                return Found::Certain { existing: i, by: "external id" };
            }
        }
        let same_kind = |i: &&usize| self.entities[**i].kind() == e.kind();
        // By name first: an alias shared with a second entity does not make the name uncertain.
        let by_name: Vec<usize> =
            self.by_key.get(&name_key(&e.name)).into_iter().flatten().filter(same_kind).copied().collect();
        if let [one] = by_name[..] {
            let by = if name_key(&self.entities[one].name) == name_key(&e.name) { "name" } else { "alias" };
            return Found::Certain { existing: one, by };
        }
        let mut possible: Vec<(usize, String)> = Vec::new();
        let mut add = |i: usize, why: String| {
            if !possible.iter().any(|(j, _)| *j == i) {
                possible.push((i, why));
            }
        };
        for &i in &by_name {
            add(i, format!("{} entities are called `{}`", by_name.len(), e.name));
        }
        for alias in &e.aliases {
            for &i in self.by_key.get(&name_key(alias)).into_iter().flatten().filter(same_kind) {
                add(i, format!("the alias `{alias}` is a name of `{}`", self.entities[i].id));
            }
        }
        for n in e.names() {
            let key = name_key(n);
            // `C.P.C.` is written as `CPC` is.
            let key = if key.split(' ').all(|w| w.chars().count() == 1) { key.replace(' ', "") } else { key };
            // `n` abbreviates an existing name.
            if !key.contains(' ') {
                for &i in self.by_abbreviation.get(&key).into_iter().flatten().filter(same_kind) {
                    add(i, format!("`{n}` may abbreviate a name of `{}`", self.entities[i].id));
                }
            }
            // An existing name abbreviates `n`.
            if let Some(a) = abbreviation(n) {
                for &i in self.by_key.get(&a).into_iter().flatten().filter(same_kind) {
                    add(i, format!("`{}` may abbreviate `{n}`", self.entities[i].name));
                }
            }
        }
        if possible.is_empty() { Found::None } else { Found::Possible(possible) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Details, GroupDetails, GroupType, Id, Origin, PersonDetails};

    fn group(id: &str, name: &str, aliases: &[&str]) -> Entity {
        Entity {
            id: Id::new(id),
            name: name.into(),
            aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
            summary: None,
            sources: vec![],
            details: Details::Group(GroupDetails {
                subkind: GroupType::Organisation,
                founded: None,
                dissolved: None,
                ideology: None,
            }),
            origin: Origin::Curated,
            provenance: None,
        }
    }

    fn person(id: &str, name: &str) -> Entity {
        Entity { details: Details::Person(PersonDetails::default()), ..group(id, name, &[]) }
    }

    #[test]
    fn certain_by_name_or_alias_of_the_same_kind_only() {
        let there = [group("isk", "Islamic State Khorasan Province", &["IS-K"]), person("ali", "Ali Khan")];
        let index = Index::new(&there);
        assert_eq!(
            index.find(&group("x", "islamic state khorasan  province", &[])),
            Found::Certain { existing: 0, by: "name" }
        );
        assert_eq!(index.find(&group("x", "IS K", &[])), Found::Certain { existing: 0, by: "alias" });
        assert_eq!(index.find(&group("x", "Ali Khan", &[])), Found::None, "a group is not the person");
        assert_eq!(index.find(&person("x", "Ali Khan")), Found::Certain { existing: 1, by: "name" });
    }

    #[test]
    fn abbreviations_and_shared_names_are_only_possible() {
        let there = [
            group("cpc", "Communist Party of China", &[]),
            person("a", "Wang Dong"),
            person("b", "Wang Dong"),
        ];
        let index = Index::new(&there);
        let Found::Possible(pairs) = index.find(&group("x", "CPC", &[])) else { panic!("an abbreviation") };
        assert_eq!(pairs[0].0, 0);
        let Found::Possible(pairs) = index.find(&group("x", "The Party", &["C.P.C."])) else {
            panic!("an abbreviated alias")
        };
        assert_eq!(pairs[0].0, 0);
        let Found::Possible(pairs) = index.find(&person("x", "Wang Dong")) else {
            panic!("two of that name")
        };
        assert_eq!(pairs.iter().map(|p| p.0).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(index.find(&group("x", "Party", &[])), Found::None);
    }
}

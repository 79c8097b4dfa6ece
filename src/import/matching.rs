//! Finding an imported entity among the entities already there, by the resolution rules
//! extraction and `dedupe` use ([`crate::resolution`]), kept to what is exact. Certain, so
//! joined: the same external id (an entity's own, or one an earlier import joined to it), or
//! exactly one entity of the same kind whose name or alias is the imported name (the same
//! words, case, accents, dots and a person's titles aside), or, for a group, place or event,
//! whose initials it is (`IRGC`, `Islamic Revolutionary Guards Corps`). Loose, so only
//! possible, to review: a transliteration (`Raka Network`, `Raqqa network`: the same
//! consonants, maybe another name), another word order (`Ali Hassan` and `Hassan Ali` are
//! two men), a person's initials, several entities of that name, or an imported alias that is
//! a name of one. A possible duplicate is written as an entity of its own and offered for
//! review (`threatgraph review`, then `review merge`).

use std::collections::HashMap;

use crate::model::Entity;
use crate::resolution::{Known, Reason, compare};

/// The entities already there, by external id and by the keys of their names.
pub struct Index<'a> {
    entities: &'a [Entity],
    /// External id → entity, and how the entity has it (`external id`, or how an earlier
    /// import joined it).
    by_external: HashMap<&'a str, (usize, &'a str)>,
    known: Known,
}

/// What [`Index::find`] found.
#[derive(Debug, PartialEq)]
pub enum Found {
    /// The entity at this index, and by what (`external id`, `name`, `alias`,
    /// `abbreviation`, or what joined it before).
    Certain {
        existing: usize,
        by: String,
    },
    /// Entities that may be the same, each with why.
    Possible(Vec<(usize, String)>),
    None,
}

impl<'a> Index<'a> {
    pub fn new(entities: &'a [Entity]) -> Self {
        let mut index = Index { entities, by_external: HashMap::new(), known: Known::default() };
        for (i, e) in entities.iter().enumerate() {
            if let Some(p) = &e.provenance {
                for x in &p.external_ids {
                    index.by_external.entry(x).or_insert((i, "external id"));
                }
                for j in &p.joined {
                    index.by_external.entry(&j.external_id).or_insert((i, &j.by));
                }
            }
            for n in e.names() {
                index.known.add(i, e.kind(), n);
            }
        }
        index
    }

    /// The entities of `e`'s kind that `name` names, with the reason.
    fn like(&self, e: &Entity, name: &str) -> Vec<(usize, Reason)> {
        self.known.like(e.kind(), name, |i| self.entities[i].names())
    }

    /// The existing entity `e` is, or those it may be.
    pub fn find(&self, e: &Entity) -> Found {
        for x in super::external_ids(e) {
            if let Some(&(i, by)) = self.by_external.get(x.as_str()) {
                return Found::Certain { existing: i, by: by.to_owned() };
            }
        }
        let person = e.kind() == crate::model::Kind::Person;
        // By name first: an alias shared with a second entity does not make the name uncertain.
        let by_name = self.like(e, &e.name);
        if let [(one, reason)] = by_name[..] {
            let there = &self.entities[one];
            let by = match reason {
                Reason::SameName
                    if compare(&there.name, &e.name, person).is_some_and(|c| c.1 == Reason::SameName) =>
                {
                    Some("name")
                }
                Reason::SameName => Some("alias"),
                // Initials are how groups and places are known; a person's say too little.
                Reason::Abbreviation if !person => Some("abbreviation"),
                _ => None,
            };
            if let Some(by) = by {
                return Found::Certain { existing: one, by: by.to_owned() };
            }
        }
        let mut possible: Vec<(usize, String)> = Vec::new();
        let mut add = |i: usize, why: String| {
            if !possible.iter().any(|(j, _)| *j == i) {
                possible.push((i, why));
            }
        };
        for &(i, reason) in &by_name {
            let there = &self.entities[i];
            // The name of the entity there that matched, when not its own.
            let matched = there
                .names()
                .find(|n| compare(n, &e.name, person).is_some_and(|c| c.1 == reason))
                .filter(|n| *n != there.name)
                .map_or(String::new(), |n| format!(" (`{n}`)"));
            let why = match (reason, by_name.len()) {
                (Reason::Abbreviation, 1) => format!("`{}` may abbreviate `{}`{matched}", e.name, there.name),
                (Reason::Transliteration, 1) => {
                    format!(
                        "`{}` may be `{}`{matched} written another way (transliteration)",
                        e.name, there.name
                    )
                }
                (Reason::WordOrder, 1) => {
                    format!("`{}` is `{}`{matched} in another word order", e.name, there.name)
                }
                _ => format!("{} entities may be called `{}`", by_name.len(), e.name),
            };
            add(i, why);
        }
        for alias in &e.aliases {
            for (i, _) in self.like(e, alias) {
                add(i, format!("the alias `{alias}` may be a name of `{}`", self.entities[i].id));
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
            Found::Certain { existing: 0, by: "name".into() }
        );
        assert_eq!(index.find(&group("x", "IS K", &[])), Found::Certain { existing: 0, by: "alias".into() });
        assert_eq!(index.find(&group("x", "Ali Khan", &[])), Found::None, "a group is not the person");
        assert_eq!(index.find(&person("x", "Ali Khan")), Found::Certain { existing: 1, by: "name".into() });
    }

    #[test]
    fn a_group_s_initials_join_but_shared_names_and_a_person_s_initials_are_only_possible() {
        let there = [
            group("cpc", "Communist Party of China", &[]),
            person("a", "Wang Dong"),
            person("b", "Wang Dong"),
            person("msk", "Mohammad Sidique Khan"),
        ];
        let index = Index::new(&there);
        assert_eq!(
            index.find(&group("x", "CPC", &[])),
            Found::Certain { existing: 0, by: "abbreviation".into() }
        );
        let Found::Possible(pairs) = index.find(&group("x", "The Party", &["C.P.C."])) else {
            panic!("an abbreviated alias")
        };
        assert_eq!(pairs[0].0, 0);
        let Found::Possible(pairs) = index.find(&person("x", "Wang Dong")) else {
            panic!("two of that name")
        };
        assert_eq!(pairs.iter().map(|p| p.0).collect::<Vec<_>>(), [1, 2]);
        let Found::Possible(pairs) = index.find(&person("x", "MSK")) else { panic!("a person's initials") };
        assert_eq!(pairs[0].0, 3);
        assert_eq!(index.find(&group("x", "Party", &[])), Found::None);
    }

    /// Exact rules join (a person's titles, dotted initials); loose ones (transliteration,
    /// word order) are only offered for review.
    #[test]
    fn exact_names_join_and_loose_likenesses_are_only_possible() {
        let there = [
            person("msk", "Mohammad Sidique Khan"),
            person("baghdadi", "Abu Bakr al-Baghdadi"),
            group("us", "US", &[]),
            group("uk", "United Kingdom", &[]),
            group("raqqa-british-network", "British plotters in Raqqa", &["Raqqa network"]),
        ];
        let index = Index::new(&there);
        let certain = |e: &Entity| match index.find(e) {
            Found::Certain { existing, by } => Some((existing, by)),
            _ => None,
        };
        let possible = |e: &Entity| match index.find(e) {
            Found::Possible(pairs) => pairs.into_iter().map(|p| p.0).collect(),
            _ => Vec::new(),
        };
        assert_eq!(certain(&person("x", "Sheikh Abu Bakr al-Baghdadi")), Some((1, "name".into())));
        assert_eq!(certain(&group("x", "U.S.", &[])), Some((2, "name".into())));
        assert_eq!(certain(&group("x", "U.K.", &[])), Some((3, "abbreviation".into())));
        assert_eq!(certain(&group("x", "raqqa  Network", &[])), Some((4, "alias".into())));
        assert_eq!(possible(&person("x", "Muhammad Siddique Khan")), [0], "a transliteration");
        assert_eq!(possible(&person("x", "Khan Mohammad Sidique")), [0], "another word order");
        assert_eq!(possible(&group("x", "Raka Network", &[])), [4], "a transliteration of the alias");
        assert_eq!(index.find(&person("x", "Sadiq Khan")), Found::None, "the mayor is not the bomber");
    }
}

//! New-name proposal: runs of capitalised words that no known name covers ([`names`](super::names)),
//! trimmed of nationality words and adjective endings and split at a possessive; names built
//! around a place ([`compounds`](super::compounds)); and branches named after their region
//! ("Al-Qaeda in the Arabian Peninsula"), affiliates of their parent. In: the prepared text and
//! the `known::KnownMentions`; out: [`Mentions`], those mentions with the new names among them
//! (sorted by start), the parents of regional branches, which stay named but give their links
//! to the branch, and the links the names give.

use super::Extractor;
use super::known::KnownMentions;
use super::names::{self, NameKind};
use super::state::{Candidates, Found, PendingLink, Proposer};
use super::text::{Prepared, fold};
use crate::model::{Certainty, GroupType, Kind, Relation, text::name_key};

/// Nationality words of regions, which the gazetteer's countries do not give: "Southeast
/// Asians" are no one's name.
const REGIONAL_DEMONYMS: &[&str] =
    &["Asian", "African", "European", "Arab", "American", "Westerner", "Caucasian", "Balkan"];

/// Endings that make a name an adjective: "Islamic State-aligned", "al-Qaeda-linked".
const ADJECTIVE_ENDINGS: &[&str] = &[
    "-aligned",
    "-linked",
    "-inspired",
    "-backed",
    "-affiliated",
    "-led",
    "-style",
    "-related",
    "-based",
    "-allied",
    "-directed",
];

/// The stage's output: the known mentions with the new names among them, sorted by start;
/// the parents of regional branches, still named where the branch is; and the links the
/// names give (a branch is its parent's affiliate, an outlet part of its group).
pub(super) struct Mentions {
    pub(super) mentions: Vec<Found>,
    pub(super) branch_parents: Vec<Found>,
    pub(super) links: Vec<PendingLink>,
}

impl Extractor {
    /// The stage: new names sentence by sentence around the known ones, then compounds, then
    /// regional branches.
    pub(super) fn new_names(
        &self,
        article: &Prepared,
        known: KnownMentions,
        cands: &mut Candidates,
    ) -> Mentions {
        let mut mentions = known.mentions;
        let mut links = Vec::new();
        let branch_parents =
            self.new_names_in(article, &mut mentions, &mut Proposer { registry: cands, pending: &mut links });
        Mentions { mentions, branch_parents, links }
    }

    /// [`Extractor::new_names`] on the mentions so far; returns the branches' parents.
    fn new_names_in(
        &self,
        article: &Prepared,
        mentions: &mut Vec<Found>,
        state: &mut Proposer,
    ) -> Vec<Found> {
        let text = &article.text;
        let sentences = &article.sentences;
        let lower_words: std::collections::HashSet<String> = text
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
            .map(str::to_owned)
            .collect();
        // New names, sentence by sentence, around the known ones.
        for range in sentences {
            let taken: Vec<(usize, usize)> = mentions.iter().map(|m| (m.start, m.end)).collect();
            for mut n in names::names(&text[range.clone()], range.start, &taken) {
                // "Briton Omar Sheikh": the nationality word is not part of the name.
                if n.kind == NameKind::Person
                    && let Some((first, rest)) = text[n.start..n.end].split_once(' ')
                    && rest.contains(' ')
                    && self.demonyms.contains_key(first)
                {
                    n.start += first.len() + 1;
                }
                // "a South African", "Mozambican and Rwandan troops": a person's name does not
                // end with a nationality word.
                if n.kind == NameKind::Person {
                    let surface = &text[n.start..n.end];
                    let last = surface.rsplit(' ').next().unwrap_or(surface);
                    let singular = last.strip_suffix('s').unwrap_or(last);
                    if self.demonym(last).is_some()
                        || self.demonym(singular).is_some()
                        || self.demonyms.contains_key(surface)
                        || REGIONAL_DEMONYMS.contains(&singular)
                    {
                        continue;
                    }
                }
                // "Islamic State-aligned cells": a name with an adjective's ending is the name
                // before the hyphen.
                if let Some(at) = ADJECTIVE_ENDINGS.iter().find_map(|e| text[n.start..n.end].strip_suffix(e))
                {
                    n.end = n.start + at.len();
                    if !at.contains(' ') && n.kind == NameKind::Person {
                        continue;
                    }
                }
                // "IS-K's Al-Azaim Media Foundation" is two names: a group's outlet or unit
                // belongs to a group.
                if let NameKind::Group(_) = n.kind
                    && let Some(at) = text[n.start..n.end].find(['\'', '’']).map(|i| n.start + i)
                    && let Some(rest) =
                        text[at..n.end].strip_prefix("'s ").or(text[at..n.end].strip_prefix("’s "))
                    && text[n.start..at].chars().filter(|c| c.is_alphanumeric()).count() >= 2
                    && !rest.is_empty()
                {
                    let owner = &text[n.start..at];
                    let cand = match self.by_key.get(&name_key(owner)) {
                        Some(&i) => state.known(self, i),
                        None => state.new_entity(owner, NameKind::Group(GroupType::Organisation), n.rule),
                    };
                    mentions.push(Found { start: n.start, end: at, cand });
                    n.start = n.end - rest.len();
                    if names::outlet(rest) {
                        n.kind = NameKind::Group(GroupType::Media);
                    }
                }
                let surface = &text[n.start..n.end];
                // Capitalised common words ("Bag Search Training") look like a name; a word
                // the same article also writes in lower case is not part of one.
                // Only its capitalised words count: "bin" in "Osama bin Laden" is written so.
                if n.rule == "person-name"
                    && surface
                        .split([' ', '-'])
                        .filter(|w| w.starts_with(char::is_uppercase))
                        .any(|w| lower_words.contains(&w.to_lowercase()))
                {
                    continue;
                }
                let cand = match self.by_key.get(&name_key(surface)) {
                    Some(&i) => state.known(self, i),
                    None => state.new_entity(surface, n.kind, n.rule),
                };
                mentions.push(Found { start: n.start, end: n.end, cand });
            }
        }
        mentions.sort_by_key(|m| (m.start, m.end));
        self.compounds(text, sentences, mentions, state);
        self.regional_branches(text, mentions, state)
    }

    /// "Al-Qaeda in the Arabian Peninsula", "Islamic State in Iraq and Syria": a branch named
    /// as its parent "in" a region is a group of its own, an affiliate of the parent, and not
    /// the parent operating there. The parent and the places inside the name stop being
    /// mentions there.
    fn regional_branches(&self, text: &str, mentions: &mut Vec<Found>, state: &mut Proposer) -> Vec<Found> {
        let mut parents = Vec::new();
        let mut i = 0;
        while i < mentions.len() {
            let g = mentions[i].clone();
            i += 1;
            let written = fold(&text[g.start..g.end]);
            let parent = ["qaeda", "qa'ida", "qaida", "state"].iter().any(|w| written.ends_with(w));
            if state.cands[g.cand].kind != Kind::Group || !parent {
                continue;
            }
            // " in [the] <Place>[ and [the] <Place>]", written with capitals.
            let mut end = g.end;
            let mut inside = Vec::new();
            for joiner in [[" in the ", " in "], [" and the ", " and "]] {
                let next = mentions.iter().position(|m| {
                    m.start > end
                        && state.cands[m.cand].kind == Kind::Place
                        && joiner.iter().any(|j| &text[end..m.start] == *j)
                        && text[m.start..m.end].starts_with(char::is_uppercase)
                });
                match next {
                    Some(k) => {
                        end = mentions[k].end;
                        inside.push(k);
                    }
                    None => break,
                }
            }
            // "the Islamic State in Syria" is where the group is; "Islamic State in Iraq and
            // Syria" is a name.
            if inside.is_empty() || (written.ends_with("state") && inside.len() < 2) {
                continue;
            }
            let name = &text[g.start..end];
            let cand = match self.by_key.get(&name_key(name)) {
                Some(&k) => state.known(self, k),
                None => state.new_entity(name, NameKind::Group(GroupType::Affiliate), "group-branch"),
            };
            state.add_link(PendingLink {
                from: cand,
                rel: Relation::AffiliateOf,
                to: g.cand,
                certainty: Certainty::Reported,
                span: (g.start, end),
                rule: "group-branch",
            });
            mentions.retain(|m| !(m.start >= g.start && m.end <= end));
            mentions.push(Found { start: g.start, end, cand });
            mentions.sort_by_key(|m| (m.start, m.end));
            i = mentions.partition_point(|m| m.start <= g.start);
            // The parent is still named there, but its links are the branch's.
            parents.push(g);
        }
        parents
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::tests::{entity, has, links, run};
    use crate::model::{Certainty, Kind, Relation};

    #[test]
    fn title_words_before_a_group_s_cue_are_its_name() {
        let ex =
            run("The Interior Ministry said so. The National Guard arrived. Home Secretary Dan Roe spoke. \
                      U.S. Navy SEALs killed him. He studied at Colorado State University.");
        for group in ["Interior Ministry", "National Guard", "U.S. Navy SEALs"] {
            assert_eq!(entity(&ex, group).kind, Kind::Group, "{group}");
        }
        assert_eq!(entity(&ex, "Dan Roe").kind, Kind::Person);
        assert!(ex.entities.iter().all(|e| e.name != "Colorado State"), "{:?}", ex.entities);
    }

    #[test]
    fn question_words_and_adjective_endings_are_not_names() {
        let ex = run(
            "Has the Omega Brigade claimed it? Omega Brigade-aligned cells met Chief Magistrate Dan Roe.",
        );
        assert!(ex.entities.iter().all(|e| !e.name.starts_with("Has")), "{:?}", ex.entities);
        assert!(ex.entities.iter().all(|e| !e.name.ends_with("aligned")), "{:?}", ex.entities);
        assert!(ex.entities.iter().any(|e| e.name == "Dan Roe"), "{:?}", ex.entities);
        let ex = run("Two Southeast Asians joined the Omega Brigade.");
        assert!(ex.entities.iter().all(|e| e.kind != Kind::Person), "{:?}", ex.entities);
    }

    #[test]
    fn a_nationality_is_no_person() {
        let ex =
            run("Adrian Nel, a 40-year-old South African, was shot. Mozambican and Rwandan troops fought.");
        assert!(entity(&ex, "Adrian Nel").kind == Kind::Person);
        assert!(
            ex.entities.iter().all(|e| e.kind != Kind::Person || e.name == "Adrian Nel"),
            "{:?}",
            ex.entities
        );
    }

    #[test]
    fn a_possessive_splits_a_new_name_in_two() {
        let text = "Officials said that Zeta Front's Al-Azaim Media Foundation spoke.";
        let ex = run(text);
        assert_eq!(entity(&ex, "Zeta Front").kind, Kind::Group);
        assert_eq!(entity(&ex, "Al-Azaim Media Foundation").mentions[0].text, "Al-Azaim Media Foundation");
        assert_eq!(
            has(&ex, "al-azaim-media-foundation", Relation::PartOf, "zeta-front"),
            Some(Certainty::Reported),
            "{:?}",
            links(&ex)
        );
        let ex = run("Officials said that Zeta Front's suspected Al-Azaim Media Foundation spoke.");
        assert_eq!(
            has(&ex, "al-azaim-media-foundation", Relation::PartOf, "zeta-front"),
            None,
            "a word between the possessive and the outlet"
        );
    }

    #[test]
    fn a_branch_named_after_its_region_is_an_affiliate() {
        let text = "The Zeta Qaeda in the Arabian Peninsula grew. The Omega State in Syria grew.";
        let ex = run(text);
        let branch = entity(&ex, "Zeta Qaeda in the Arabian Peninsula");
        assert_eq!((branch.kind, branch.subkind), (Kind::Group, Some("Affiliate")));
        assert_eq!(has(&ex, &branch.id, Relation::AffiliateOf, "zeta-qaeda"), Some(Certainty::Reported));
        assert_eq!(has(&ex, "zeta-qaeda", Relation::OperatesIn, "arabian-peninsula"), None);
        assert!(ex.entities.iter().all(|e| e.name != "Omega State in Syria"), "one place: where it is");
        assert_eq!(has(&ex, "omega-state", Relation::OperatesIn, "syria"), Some(Certainty::Reported));
        let ex = run("The Omega State in Iraq and Syria grew.");
        assert_eq!(entity(&ex, "Omega State in Iraq and Syria").subkind, Some("Affiliate"));
        // An office in a country serves there; a group's members held there do not operate there.
        let ex =
            run("The Omega Police in Testland spoke. Omega Brigade members spent years in prison in Kabul.");
        assert_eq!(has(&ex, "omega-police", Relation::OperatesIn, "testland"), None);
        assert_eq!(has(&ex, "omega-brigade", Relation::OperatesIn, "kabul"), None);
    }
}

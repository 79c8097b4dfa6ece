//! Known-name matching: every name and alias the graph already knows, and the places of the
//! [`gazetteer`](super::gazetteer) (and, where the text marks a place, its second tier of
//! towns), found in the prepared text with Aho-Corasick (leftmost-longest, on word
//! boundaries, folded for case and accents; short acronyms such as `IS` only as written). In:
//! the [`Prepared`](super::text::Prepared) text; out: [`KnownMentions`], the first mentions
//! of the article (`Found`), each naming a known entity or a place.

use std::collections::{BTreeMap, HashMap};

use aho_corasick::{AhoCorasick, MatchKind};

use super::state::{Candidates, Found};
use super::text::{Folded, Prepared, fold, on_word_boundaries};
use super::{Extractor, gazetteer, resolve, towns};
use crate::graph::KnowledgeGraph;
use crate::model::{Kind, text::name_key};

/// The stage's output: the article's first mentions, each of a known entity or a place, in
/// text order.
pub(super) struct KnownMentions {
    pub(super) mentions: Vec<Found>,
}

/// What a name found in the text stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Target {
    Known(usize),
    Place(usize),
}

/// A known entity, as much of it as extraction needs.
pub(super) struct KnownEntity {
    pub(super) id: String,
    pub(super) name: String,
    /// The name and aliases, for [`Extractor::known_like`].
    pub(super) names: Vec<String>,
    pub(super) kind: Kind,
    pub(super) subkind: Option<&'static str>,
}

/// A name that is matched only as written: short, or an acronym ("IS", "AQ", "ISKP").
fn case_sensitive(surface: &str) -> bool {
    let letters = surface.chars().filter(|c| c.is_alphanumeric()).count();
    letters <= 3 || (letters <= 5 && !surface.chars().any(char::is_lowercase))
}

impl Extractor {
    /// An extractor that knows the graph's entities (when given) and the gazetteer.
    pub fn new(graph: Option<&KnowledgeGraph>) -> Extractor {
        let known: Vec<KnownEntity> = graph.map_or(Vec::new(), |g| {
            g.entities()
                .iter()
                .map(|e| KnownEntity {
                    id: e.id.to_string(),
                    name: e.name.clone(),
                    names: e.names().map(str::to_owned).collect(),
                    kind: e.kind(),
                    subkind: e.subkind(),
                })
                .collect()
        });
        let places = gazetteer::places();
        // Surface → target; a surface two known entities share is ambiguous and left out.
        let mut surfaces: BTreeMap<(bool, String), Option<Target>> = BTreeMap::new();
        let mut add = |surface: &str, target: Target| {
            if surface.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
                return;
            }
            let exact = case_sensitive(surface);
            let key = (exact, if exact { surface.to_owned() } else { fold(surface) });
            match surfaces.get(&key) {
                None => {
                    surfaces.insert(key, Some(target));
                }
                // The graph's entity wins over the gazetteer's place of the same name.
                Some(Some(Target::Place(_))) if matches!(target, Target::Known(_)) => {
                    surfaces.insert(key, Some(target));
                }
                Some(Some(t)) if *t == target || matches!(target, Target::Place(_)) => {}
                Some(_) => {
                    surfaces.insert(key, None);
                }
            }
        };
        let mut by_key = HashMap::new();
        let mut by_resolve_key = resolve::Known::default();
        let demonyms =
            places.iter().enumerate().flat_map(|(i, p)| p.demonyms.iter().map(move |d| (*d, i))).collect();
        if let Some(g) = graph {
            for (i, e) in g.entities().iter().enumerate() {
                for n in e.names() {
                    add(n, Target::Known(i));
                    by_key.entry(name_key(n)).or_insert(i);
                    by_resolve_key.add(i, e.kind(), n);
                }
            }
        }
        for (i, p) in places.iter().enumerate() {
            for n in std::iter::once(&p.name).chain(&p.aliases) {
                add(n, Target::Place(i));
            }
        }
        let (mut folded_pats, mut folded_targets, mut exact_pats, mut exact_targets) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for ((exact, surface), target) in surfaces {
            let Some(target) = target else { continue };
            if exact {
                exact_pats.push(surface);
                exact_targets.push(target);
            } else {
                folded_pats.push(surface);
                folded_targets.push(target);
            }
        }
        let build = |pats: &[String]| {
            (!pats.is_empty())
                .then(|| AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(pats).ok())
                .flatten()
        };
        Extractor {
            known,
            places,
            folded: build(&folded_pats),
            folded_targets,
            exact: build(&exact_pats),
            exact_targets,
            by_key,
            by_resolve_key,
            demonyms,
            towns: towns::Towns::new(),
        }
    }

    /// The one known entity of kind `kind` that `name` names by the rules of [`resolve::same`]
    /// (the same words, another order, an abbreviation, a transliteration); `None` when none
    /// or several do.
    pub(super) fn known_like(&self, kind: Kind, name: &str) -> Option<usize> {
        self.by_resolve_key.one(kind, name, |i| self.known[i].names.iter().map(String::as_str))
    }

    /// Known names and gazetteer places in a document, leftmost-longest, not overlapping.
    pub(super) fn known_mentions(&self, text: &str) -> Vec<(usize, usize, Target)> {
        self.known_mentions_in(text, &Folded::new(text))
    }

    /// [`Extractor::known_mentions`] with the folded text already made.
    fn known_mentions_in(&self, text: &str, folded: &Folded) -> Vec<(usize, usize, Target)> {
        let mut found = Vec::new();
        if let Some(ac) = &self.folded {
            for m in ac.find_iter(&folded.text) {
                if on_word_boundaries(&folded.text, m.start(), m.end()) {
                    let (s, e) = folded.original(m.start(), m.end());
                    found.push((s, e, self.folded_targets[m.pattern().as_usize()]));
                }
            }
        }
        if let Some(ac) = &self.exact {
            for m in ac.find_iter(text) {
                if on_word_boundaries(text, m.start(), m.end()) {
                    found.push((m.start(), m.end(), self.exact_targets[m.pattern().as_usize()]));
                }
            }
        }
        // A name is written with a capital or a digit somewhere: "nice" is not Nice.
        found.retain(|&(s, e, _)| text[s..e].chars().any(|c| c.is_uppercase() || c.is_ascii_digit()));
        found.sort_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
        let mut kept: Vec<(usize, usize, Target)> = Vec::new();
        for m in found {
            if kept.last().is_none_or(|k| m.0 >= k.1) {
                kept.push(m);
            }
        }
        kept
    }

    /// The stage: the known names and gazetteer places of the article, then the towns where
    /// the text marks a place and no other mention is.
    pub(super) fn known_names(&self, article: &Prepared, state: &mut Candidates) -> KnownMentions {
        let text = &article.text;
        let folded = &article.folded;
        let mut mentions: Vec<Found> = Vec::new();
        for (s, e, target) in self.known_mentions_in(text, folded) {
            let cand = match target {
                Target::Known(i) => state.known(self, i),
                Target::Place(p) => state.place(self, p),
            };
            mentions.push(Found { start: s, end: e, cand });
        }
        let towns = self.towns.find(
            text,
            folded,
            |s, e| mentions.iter().any(|m| m.start < e && s < m.end),
            |at| {
                mentions.iter().any(|m| {
                    let c = &state.cands[m.cand];
                    m.start == at && c.kind == Kind::Place && matches!(c.subkind, Some("Region" | "Country"))
                })
            },
        );
        for (start, end, t) in towns {
            let cand = state.town(self, t);
            mentions.push(Found { start, end, cand });
        }
        KnownMentions { mentions }
    }

    /// The gazetteer place a word's nationality part names: "British-born" → United Kingdom.
    pub(super) fn demonym(&self, word: &str) -> Option<&usize> {
        word.split('-').find_map(|part| self.demonyms.get(part.trim_matches(|c: char| !c.is_alphanumeric())))
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::tests::{entity, has, run};
    use crate::model::{Certainty, Kind, Relation};

    #[test]
    fn known_names_fold_case_and_accents_on_word_boundaries() {
        let ex = run("ANN EXAMPLE met the alpha cell. Annexample is not a name; Bob Examples neither.");
        assert!(entity(&ex, "Ann Example").known);
        assert_eq!(entity(&ex, "Ann Example").mentions[0].text, "ANN EXAMPLE");
        assert!(
            ex.entities.iter().all(|e| e.id != "alpha-cell"),
            "lower-case `alpha cell` has no capital: not a name"
        );
        assert!(ex.entities.iter().all(|e| e.name != "Bob Example"), "no match inside a longer word");
    }

    #[test]
    fn gazetteer_places_and_new_names_are_typed() {
        let ex = run("Gen. Mark Kurilla warned the Al-Azaim Media Foundation in Kabul, Afghanistan.");
        assert_eq!(entity(&ex, "Mark Kurilla").kind, Kind::Person);
        assert_eq!(entity(&ex, "Mark Kurilla").rule, "person-title");
        let media = entity(&ex, "Al-Azaim Media Foundation");
        assert_eq!((media.kind, media.subkind), (Kind::Group, Some("Media")));
        assert_eq!(entity(&ex, "Kabul").subkind, Some("City"));
        assert_eq!(has(&ex, "kabul", Relation::LocatedIn, "afghanistan"), Some(Certainty::Reported));
    }
}

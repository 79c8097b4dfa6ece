//! Extraction: articles in, candidate facts out, each pinned to the bytes of text it came from
//! and to the rule that proposed it.
//!
//! The extractor is a pipeline, run on one article at a time by `Extractor::read` (the one
//! place that calls the stages, in order) and closed after the last article by
//! `Candidates::finish` (in [`output`]). Each stage is a module whose doc says what it adds,
//! and returns its own type, which the stages after it take:
//!
//! 1. [`text`]: text preparation. Markup blanked in place (offsets stay true), a folded copy,
//!    sentences: a `text::Prepared`.
//! 2. [`known`]: known-name matching. The graph's names and the gazetteer's places: the first
//!    mentions (`state::Found`), a `known::KnownMentions`.
//! 3. [`new_names`]: new-name proposal (rules in [`names`] and [`compounds`]): more mentions,
//!    of new candidates, the parents of regional branches and the links names give, a
//!    `new_names::Mentions`.
//! 4. [`events`]: events named, told or arrested, as mentions of new event candidates, their
//!    links (`state::PendingLink`) and where groups' members were arrested: `events::Events`.
//! 5. [`coref`]: coreference. Surnames and bracketed acronyms become mentions of the full
//!    name (`coref::Resolved`); then the events that read them
//!    (`Extractor::events_after_coreference`, an `events::AimedEvents`).
//! 6. [`output`]: the mentions are recorded on their candidates (`output::Recorded`).
//! 7. [`links`]: link reading, sentence by sentence (patterns in [`relations`], nationality
//!    words in [`nationality`], "he", "the group" in [`coref`]), each link's certainty set by
//!    [`hedges`]: the article's links (`links::ArticleLinks` of `state::DocLink`).
//! 8. [`output`]: after the last article, resolution to known and earlier entities, ids, and
//!    the [`Extraction`].
//!
//! Every stage adds candidates to the one `state::Candidates` of the extraction (a name read
//! in two articles is one candidate); nothing else passes between stages but their outputs.
//!
//! Around it: [`write`] writes proposals as RON, [`review`] accepts and rejects them,
//! [`eval`] scores them against gold annotations, [`resolve`] compares names, [`dedupe`] finds
//! duplicates across a data folder, and [`guard`] checks a folder before a write.

mod compounds;
mod coref;
pub mod dedupe;
pub mod eval;
mod events;
pub mod gazetteer;
pub mod guard;
mod hedges;
mod known;
mod links;
mod names;
mod nationality;
mod new_names;
mod output;
pub mod relations;
pub mod resolve;
pub mod review;
mod state;
pub mod text;
mod towns;
pub mod write;

use std::collections::HashMap;

use aho_corasick::AhoCorasick;

use known::{KnownEntity, Target};
pub use output::{Extraction, Mention, ProposedEntity, ProposedLink, Span};
use state::{Candidates, DocLink};

/// An article to read: its text, the path spans will name, and the source it is.
#[derive(Clone, Debug)]
pub struct Document {
    pub file: String,
    pub source: String,
    pub text: String,
}

/// The reusable part: names to look for, built once from the graph and the gazetteer.
pub struct Extractor {
    known: Vec<KnownEntity>,
    places: Vec<gazetteer::Place>,
    /// Names matched folded (case- and accent-insensitive).
    folded: Option<AhoCorasick>,
    folded_targets: Vec<Target>,
    /// Short acronyms matched only as written.
    exact: Option<AhoCorasick>,
    exact_targets: Vec<Target>,
    /// Known entities by folded name key, for new names that turn out to be known.
    by_key: HashMap<String, usize>,
    /// Known entities by kind and the keys of their names: where [`Extractor::known_like`] looks.
    by_resolve_key: resolve::Known,
    /// Gazetteer places by nationality word as written ("British", "Briton").
    demonyms: HashMap<&'static str, usize>,
    /// The second tier of places, taken only where the text marks a place.
    towns: towns::Towns,
}

impl Extractor {
    /// Reads every document and proposes entities and links.
    pub fn extract(&self, docs: &[Document]) -> Extraction {
        self.extract_with(docs, || ())
    }

    /// Like [`Extractor::extract`], calling `done` after each document (for a progress bar).
    pub fn extract_with(&self, docs: &[Document], mut done: impl FnMut()) -> Extraction {
        let mut cands = Candidates::default();
        let mut links = Vec::new();
        for doc in docs {
            let read = self.read(doc, &mut cands, &links);
            links.extend(read.links);
            done();
        }
        cands.finish(self, links)
    }

    /// The pipeline, for one article: each stage takes the outputs of the stages before it
    /// and returns its own; all of them add to `cands`, the candidates of every article, and
    /// link reading keeps out the links of the articles before (`earlier`).
    fn read(&self, doc: &Document, cands: &mut Candidates, earlier: &[DocLink]) -> links::ArticleLinks {
        // 1. Text preparation: blanked markup, the folded text, sentences.
        let article = text::Prepared::new(&doc.text);
        // 2. Known names and gazetteer places: the first mentions.
        let known = self.known_names(&article, cands);
        // 3. New names around them; the parents of regional branches stay named apart.
        let named = self.new_names(&article, known, cands);
        // 4. Events named by a phrase, arrests, attacks told with a verb.
        let events = self.events(&article, named.mentions, cands);
        // 5. Coreference: surnames and acronyms become mentions of the full name, which the
        //    events named by what they aimed at read.
        let resolved = coref::resolve(&article.text, events.mentions, cands);
        let aimed = self.events_after_coreference(&article, resolved, cands);
        // 6. The mentions, final, are recorded on their candidates (and sorted for links).
        let recorded = output::record_mentions(doc, aimed.mentions, &named.branch_parents, cands);
        // 7. Links, sentence by sentence, each with the certainty its hedges give; the links
        //    the stages before proposed are read with them.
        let proposed = links::Proposed {
            links: [named.links, events.links, aimed.links].concat(),
            arrested_in: &events.arrested_in,
        };
        self.read_links(doc, &article, &recorded, proposed, earlier, cands)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Certainty, Relation};
    use crate::query::fixture;

    /// The extractor for the fixture graph, built once: the gazetteer's automaton takes a while.
    pub(super) fn extractor() -> &'static Extractor {
        static X: std::sync::OnceLock<Extractor> = std::sync::OnceLock::new();
        X.get_or_init(|| Extractor::new(Some(&fixture::graph(fixture::NETWORK))))
    }

    pub(crate) fn run(text: &str) -> Extraction {
        extractor().extract(&[Document { file: "a.txt".into(), source: "s".into(), text: text.into() }])
    }

    pub(crate) fn entity<'e>(ex: &'e Extraction, name: &str) -> &'e ProposedEntity {
        ex.entities
            .iter()
            .find(|e| e.name == name)
            .unwrap_or_else(|| panic!("no {name} in {:#?}", ex.entities))
    }

    pub(crate) fn links(ex: &Extraction) -> Vec<(String, Relation, String, Certainty)> {
        ex.links.iter().map(|l| (l.from.clone(), l.rel, l.to.clone(), l.certainty)).collect()
    }

    pub(crate) fn has(ex: &Extraction, from: &str, rel: Relation, to: &str) -> Option<Certainty> {
        ex.links.iter().find(|l| l.from == from && l.rel == rel && l.to == to).map(|l| l.certainty)
    }

    #[test]
    fn mentions_resolve_to_known_entities_and_titles_alone_make_no_person() {
        let graph = fixture::graph(
            r#"(entities: [
                Place(id: "united-states", name: "United States", subkind: Country, sources: ["s"]),
                Place(id: "united-kingdom", name: "United Kingdom", subkind: Country, sources: ["s"]),
                Person(id: "msk", name: "Mohammed Siddique Khan", sources: ["s"]),
            ])"#,
        );
        let x = Extractor::new(Some(&graph));
        let text = "Retired Gen. Frank McKenzie said the U.S. and the U.K. were ready. \
                    Mohammad Sidique Khan travelled to Pakistan in 2004. McKenzie added that the US had acted.";
        let ex = x.extract(&[Document { file: "a.txt".into(), source: "s".into(), text: text.into() }]);
        for id in ["united-states", "united-kingdom", "msk"] {
            let e =
                ex.entities.iter().find(|e| e.id == id).unwrap_or_else(|| panic!("{id}: {:#?}", ex.entities));
            assert!(e.known, "{id}");
        }
        let new: Vec<&str> = ex.entities.iter().filter(|e| !e.known).map(|e| e.name.as_str()).collect();
        assert!(!new.iter().any(|n| n.contains("Gen") || n.contains("U.") || n.contains("Khan")), "{new:?}");
        let mckenzie: Vec<&ProposedEntity> =
            ex.entities.iter().filter(|e| e.name.contains("McKenzie")).collect();
        assert_eq!(mckenzie.len(), 1, "the surname alone is the same person: {new:?}");
        assert_eq!(mckenzie[0].mentions.len(), 2);
        assert_eq!(x.duplicates(&ex), 0);
    }

    #[test]
    fn spans_are_the_mentions_and_output_is_deterministic() {
        let text = "Ann Example travelled to Syria. Zoe Quill, a member of the Omega Brigade, met Ann Example in Kabul.";
        let (a, b) = (run(text), run(text));
        for e in &a.entities {
            for m in &e.mentions {
                assert_eq!(&text[m.start..m.end], m.text);
            }
        }
        assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        #[test]
        fn no_text_makes_it_panic(text in "(?s).{0,400}", words in proptest::collection::vec("[A-Z][a-z]{0,8}|of|the|in|at|and|'s|its|he|arrested|attack|-born|city|Kabul|Herat|Syria|Ann Example|Alpha Cell|British|members|\\(|\\)|,|:|\\.|—|–|é|\\n", 0..60)) {
            let _ = run(&text);
            let _ = run(&words.join(" "));
        }
    }

    #[test]
    fn odd_inputs() {
        for text in [
            "",
            " ",
            "\n\n\n",
            "é",
            "(",
            "A.",
            &"A".repeat(100_000),
            &"word ".repeat(20_000),
            "\u{0}\u{1}\u{fffd}",
        ] {
            let _ = run(text);
        }
    }
}

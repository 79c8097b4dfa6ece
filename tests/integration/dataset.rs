//! The repository's own dataset: it loads without errors, it is large enough, and it holds
//! every fact listed in `tests/fixtures/expected/*.ron`, lists written from the seed articles
//! independently of `data/`.

use std::collections::HashSet;

use serde::Deserialize;
use threatgraph::graph::KnowledgeGraph;
use threatgraph::model::{Certainty, Relation};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    entities: Vec<String>,
    links: Vec<(String, Relation, String)>,
    /// Links the articles deny: they must be held, as `Refuted`.
    #[serde(default)]
    refuted: Vec<(String, Relation, String)>,
}

fn graph() -> KnowledgeGraph {
    let mut loaded = threatgraph::load::load(&super::root().join("data"));
    let mut problems = std::mem::take(&mut loaded.problems);
    problems.extend(threatgraph::validate::validate(&loaded));
    let errors: Vec<&str> = problems.iter().filter(|p| p.is_error()).map(|p| p.message.as_str()).collect();
    assert!(errors.is_empty(), "the dataset has errors: {errors:#?}");
    KnowledgeGraph::build(loaded.dataset)
}

/// The links between `a` and `b` with relation `rel`, either way round for symmetric ones.
fn holds(g: &KnowledgeGraph, a: &str, rel: Relation, b: &str) -> Vec<Certainty> {
    g.links()
        .iter()
        .filter(|l| {
            l.rel == rel
                && ((l.from.as_str() == a && l.to.as_str() == b)
                    || (rel.is_symmetric() && l.from.as_str() == b && l.to.as_str() == a))
        })
        .map(|l| l.certainty)
        .collect()
}

#[test]
fn the_dataset_is_large_enough() {
    let g = graph();
    assert!(g.entities().len() >= 150, "{} entities", g.entities().len());
    assert!(g.links().len() >= 250, "{} links", g.links().len());
}

#[test]
fn every_seed_article_and_piece_is_a_source() {
    let g = graph();
    let files: Vec<&str> = g.sources().iter().filter_map(|s| s.file.as_deref()).collect();
    for seed in ["000_", "001_", "002_", "004_"] {
        assert_eq!(files.iter().filter(|f| f.contains(seed)).count(), 1, "{seed}");
    }
    assert_eq!(files.iter().filter(|f| f.contains("003_")).count(), 7, "seed 003 holds seven pieces");
    let cited: HashSet<&str> = g.links().iter().flat_map(|l| &l.sources).map(|s| s.as_str()).collect();
    for s in g.sources() {
        assert!(cited.contains(s.id.as_str()), "no link cites {}", s.id);
    }
}

#[test]
fn the_expected_facts_hold() {
    let g = graph();
    let dir = super::fixtures().join("expected");
    let mut files: Vec<_> =
        std::fs::read_dir(&dir).expect("expected/").map(|e| e.expect("entry").path()).collect();
    files.sort();
    assert!(files.len() >= 3, "one expectations file per thread");
    let mut missing = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("readable");
        let expected: Expected = ron::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        for id in &expected.entities {
            if g.index_of(id).is_none() {
                missing.push(format!("{name}: entity {id}"));
            }
        }
        for (a, rel, b) in &expected.links {
            if !holds(&g, a, *rel, b).iter().any(|c| !c.is_refuted()) {
                missing.push(format!("{name}: link {a} {rel} {b}"));
            }
        }
        for (a, rel, b) in &expected.refuted {
            if !holds(&g, a, *rel, b).contains(&Certainty::Refuted) {
                missing.push(format!("{name}: refuted link {a} {rel} {b}"));
            }
        }
    }
    assert!(missing.is_empty(), "missing from data/: {missing:#?}");
}

/// Lowercase words of a text, punctuation dropped, for comparing wording.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().replace('’', "'"))
        .collect()
}

#[test]
fn summaries_and_notes_are_in_our_own_words() {
    // Facts carry over from the articles; sentences do not. Any run of this many words shared
    // with a seed article is treated as copied.
    const RUN: usize = 9;
    let seeds = super::root().join("../shared/seeds");
    let mut shingles: HashSet<Vec<String>> = HashSet::new();
    for entry in std::fs::read_dir(&seeds).expect("../shared/seeds beside the repository") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "txt") {
            let w = words(&std::fs::read_to_string(&path).expect("readable"));
            shingles.extend(w.windows(RUN).map(<[String]>::to_vec));
        }
    }
    assert!(!shingles.is_empty(), "no seed text found in {}", seeds.display());
    let g = graph();
    let texts =
        g.entities().iter().filter_map(|e| e.summary.as_deref().map(|s| (e.id.to_string(), s))).chain(
            g.links()
                .iter()
                .filter_map(|l| l.note.as_deref().map(|n| (format!("{} {} {}", l.from, l.rel, l.to), n))),
        );
    let mut copied = Vec::new();
    for (what, text) in texts {
        let w = words(text);
        if let Some(run) = w.windows(RUN).find(|run| shingles.contains(*run)) {
            copied.push(format!("{what}: \"{}\"", run.join(" ")));
        }
    }
    assert!(copied.is_empty(), "wording copied from the articles: {copied:#?}");
}

#[test]
fn every_declared_chain_gets_the_verdict_it_expects() {
    let g = graph();
    let filter = threatgraph::query::LinkFilter::default();
    let mut wrong = Vec::new();
    let mut verdicts = std::collections::BTreeMap::new();
    for chain in g.chains() {
        let v = threatgraph::query::verdicts::check(&g, chain, &filter);
        *verdicts.entry(threatgraph::query::verdicts::verdict_name(v.verdict)).or_insert(0) += 1;
        if !v.matches {
            wrong.push(format!(
                "{}: {} ({})",
                v.name,
                threatgraph::query::verdicts::verdict_name(v.verdict),
                v.reason
            ));
        }
    }
    assert!(wrong.is_empty(), "chains whose verdict is not the expected one: {wrong:#?}");
    // The declared chains exercise every verdict, denials included.
    for verdict in ["supported", "unsupported", "contradicted"] {
        assert!(verdicts.get(verdict).is_some_and(|&n| n > 0), "no {verdict} chain: {verdicts:?}");
    }
}

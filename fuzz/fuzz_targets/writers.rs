//! The writers on arbitrary names: a one-link graph whose entities carry the fuzzer's text as
//! name and alias. The DOT must parse back with graphviz-rust into the same number of
//! statements as with a plain name; GraphML must be well-formed XML; JSON and every FtM line
//! must be JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;
use threatgraph::export::{dot, ftm, graphml, json, view};
use threatgraph::extract::write::quote;
use threatgraph::graph::KnowledgeGraph;
use threatgraph::query::LinkFilter;

fn graph(name: &str) -> Option<KnowledgeGraph> {
    let facts = format!(
        "(entities: [Person(id: \"a\", name: {n}, aliases: [{n}], sources: [\"s\"]), Group(id: \"g\", name: {n}, subkind: Cell, sources: [\"s\"])], links: [(from: \"a\", rel: MemberOf, to: \"g\", certainty: Alleged, note: {n}, sources: [\"s\"])])",
        n = quote(name)
    );
    let sources = format!("[(id: \"s\", title: {}, reliability: B)]", quote(name));
    let loaded = threatgraph::load::load_memory(&[("sources.ron", &sources), ("curated/f.ron", &facts)]);
    let problems = threatgraph::validate::validate(&loaded);
    if loaded.problems.iter().chain(&problems).any(|p| p.is_error()) {
        return None;
    }
    Some(KnowledgeGraph::build(loaded.dataset))
}

fn statements(text: &str) -> usize {
    match graphviz_rust::parse(text) {
        Ok(graphviz_rust::dot_structures::Graph::DiGraph { stmts, .. }) => stmts.len(),
        Ok(graphviz_rust::dot_structures::Graph::Graph { stmts, .. }) => stmts.len(),
        Err(e) => panic!("the DOT does not parse: {e}"),
    }
}

fuzz_target!(|name: &str| {
    let (Some(g), Some(plain)) = (graph(name), graph("Plain Name")) else { return };
    let sel = view::whole(&g, &LinkFilter::default(), view::Refuted::Show, name);
    let plain_sel = view::whole(&plain, &LinkFilter::default(), view::Refuted::Show, "Plain Name");
    let opts = dot::Options::default();
    assert_eq!(
        statements(&dot::write(&g, &sel, name, opts)),
        statements(&dot::write(&plain, &plain_sel, "x", opts))
    );
    roxmltree::Document::parse(&graphml::write(&g, &sel, name)).expect("GraphML is well-formed XML");
    serde_json::from_str::<serde_json::Value>(&json::write(&g, &sel, name)).expect("JSON");
    for line in ftm::write(&g, &sel).lines() {
        serde_json::from_str::<serde_json::Value>(line).expect("an FtM line is JSON");
    }
});

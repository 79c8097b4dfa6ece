//! The writers on arbitrary names: a one-link graph whose entities carry the fuzzer's text as
//! name and alias. The DOT must parse back with graphviz-rust into the same number of
//! statements as with a plain name; GraphML must be well-formed XML; JSON and every FtM line
//! must be JSON; the Cypher script must have the same shape outside its string literals as
//! with a plain name, with every literal closed and every escape valid; the Neo4j CSV files
//! must read (with the `csv` crate) as the same table shape, the name coming back whole from
//! its array cell.
#![no_main]

use libfuzzer_sys::fuzz_target;
use threatgraph::export::{cypher, dot, ftm, graphml, json, neo4j_csv, view};
use threatgraph::save::quote;
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

/// The Cypher script with every string literal and comment emptied; panics on an unclosed
/// literal or an escape Cypher does not read. A comment ends at `\n` or `\r`, as in Cypher.
fn cypher_shape(script: &str) -> String {
    let mut out = String::new();
    let mut chars = script.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '/' && chars.peek() == Some(&'/') {
            while chars.next_if(|&c| c != '\n' && c != '\r').is_some() {}
            continue;
        }
        if c != '\'' {
            continue;
        }
        loop {
            match chars.next().expect("a string literal is closed") {
                '\'' => break,
                '\\' => match chars.next().expect("an escape is complete") {
                    '\\' | '\'' | '"' | 'n' | 'r' | 't' => {}
                    'u' => assert!((0..4).all(|_| chars.next().is_some_and(|h| h.is_ascii_hexdigit()))),
                    other => panic!("`\\{other}` is not a Cypher escape"),
                },
                _ => {}
            }
        }
        out.push('\'');
    }
    out
}

/// Each CSV record's number of fields; panics when the text is not CSV.
fn csv_shape(text: &str) -> Vec<csv::StringRecord> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("well-formed CSV"))
        .collect()
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
    assert_eq!(cypher_shape(&cypher::write(&g, &sel)), cypher_shape(&cypher::write(&plain, &plain_sel)));
    // A name holding every delimiter is refused with a message, not written.
    if let Some(files) = neo4j_csv::write(&g, &sel) {
        let plain_files = neo4j_csv::write(&plain, &plain_sel).expect("plain names");
        for (text, plain_text) in [(&files.nodes, &plain_files.nodes), (&files.relationships, &plain_files.relationships)] {
            let (records, plain_records) = (csv_shape(text), csv_shape(plain_text));
            assert_eq!(records.iter().map(|r| r.len()).collect::<Vec<_>>(), plain_records.iter().map(|r| r.len()).collect::<Vec<_>>());
        }
        let nodes = csv_shape(&files.nodes);
        let aliases = nodes[0].iter().position(|h| h == "aliases:string[]").expect("an aliases column");
        let person = nodes.iter().find(|r| &r[0] == "a").expect("the person's row");
        let items: Vec<&str> = person[aliases].split(files.delimiter).collect();
        assert_eq!(items, [name], "the alias comes back whole");
    }
});

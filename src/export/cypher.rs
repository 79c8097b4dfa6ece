//! Neo4j Cypher script: a uniqueness constraint, then one `MERGE` per entity and per link,
//! so running it twice changes nothing. Run with `cypher-shell -f graph.cypher`.

use std::fmt::Write as _;

use super::view::Selection;
use super::{Value, data_date, entity_attrs, link_attrs, link_id};
use crate::graph::KnowledgeGraph;
use crate::model::Relation;

/// A Cypher string literal: single-quoted, with backslash, quote and control characters
/// escaped.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// A relationship type: `MemberOf` → `MEMBER_OF`.
pub fn rel_type(rel: Relation) -> String {
    let mut out = String::new();
    for (i, c) in rel.name().chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

fn literal(v: &Value) -> String {
    match v {
        Value::Str(s) => string(s),
        Value::Int(n) => n.to_string(),
        Value::Float(x) => format!("{x:?}"),
        Value::List(items) => format!("[{}]", items.iter().map(|s| string(s)).collect::<Vec<_>>().join(", ")),
    }
}

fn map(attrs: &[(&'static str, Value)]) -> String {
    let fields: Vec<String> = attrs.iter().map(|(k, v)| format!("{k}: {}", literal(v))).collect();
    format!("{{{}}}", fields.join(", "))
}

/// The Cypher script of a selection.
pub fn write(graph: &KnowledgeGraph, sel: &Selection) -> String {
    let mut out = String::new();
    let date = data_date(graph).map_or_else(String::new, |d| format!(", data as of {d}"));
    // A line break (`\n` or `\r`) would end the comment and turn the rest of the title into code.
    let title: String = sel.title.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let _ = writeln!(out, "// threatgraph export: {title}{date}");
    let _ = writeln!(out, "// {} entities, {} links", sel.nodes.len(), sel.links.len());
    out.push_str(
        "CREATE CONSTRAINT threatgraph_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;\n",
    );
    for &i in &sel.nodes {
        let e = graph.entity(i);
        let _ = writeln!(
            out,
            "MERGE (n:Entity:{} {{id: {}}}) SET n += {};",
            e.kind().name(),
            string(e.id.as_str()),
            map(&entity_attrs(e))
        );
    }
    for &l in &sel.links {
        let link = graph.link(l);
        let _ = writeln!(
            out,
            "MATCH (a:Entity {{id: {}}}), (b:Entity {{id: {}}}) MERGE (a)-[r:{} {{link: {}}}]->(b) SET r += {};",
            string(link.from.as_str()),
            string(link.to.as_str()),
            rel_type(link.rel),
            string(&link_id(graph, l)),
            map(&link_attrs(graph, link))
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::view::{Refuted, whole};
    use crate::query::{LinkFilter, fixture};

    #[test]
    fn strings_cannot_break_out() {
        assert_eq!(string(r"O'Brien \ x"), r"'O\'Brien \\ x'");
        assert_eq!(string("a\nb\"c"), r#"'a\nb\"c'"#);
        assert_eq!(string("'}) DETACH DELETE n //"), r"'\'}) DETACH DELETE n //'");
        assert_eq!(string("\u{1}"), r"'\u0001'");
    }

    #[test]
    fn a_title_cannot_end_its_comment() {
        let g = fixture::graph(fixture::NETWORK);
        for (evil, rest) in
            [("a\rMATCH (n)", "a MATCH (n)"), ("a\nMATCH (n)", "a MATCH (n)"), ("a\u{b}b", "a b")]
        {
            let sel = whole(&g, &LinkFilter::default(), Refuted::Show, evil);
            let text = write(&g, &sel);
            let first = text.split(['\n', '\r']).next().unwrap();
            assert_eq!(first, format!("// threatgraph export: {rest}"));
            assert!(!text.contains('\r') && !text.contains('\u{b}'), "{text:?}");
        }
    }

    #[test]
    fn relation_types_are_upper_snake_case() {
        assert_eq!(rel_type(Relation::MemberOf), "MEMBER_OF");
        assert_eq!(rel_type(Relation::KilledIn), "KILLED_IN");
        assert_eq!(rel_type(Relation::Handled), "HANDLED");
    }

    #[test]
    fn constraint_first_then_one_merge_per_entity_and_link() {
        let g = fixture::graph(fixture::NETWORK);
        let sel = whole(&g, &LinkFilter::default(), Refuted::Show, "all");
        let text = write(&g, &sel);
        let statements: Vec<&str> = text.lines().filter(|l| !l.starts_with("//")).collect();
        assert!(statements[0].starts_with("CREATE CONSTRAINT"));
        assert_eq!(
            statements.iter().filter(|l| l.starts_with("MERGE (n:Entity:")).count(),
            g.entities().len()
        );
        assert_eq!(statements.iter().filter(|l| l.starts_with("MATCH ")).count(), g.links().len());
        assert!(text.contains("certainty: 'Refuted'"));
        assert!(text.contains("sources: ['s']"));
    }
}

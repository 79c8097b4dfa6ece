//! Neo4j bulk-import CSV (`neo4j-admin database import full`): `nodes.csv` with an `id:ID`
//! column and `:LABEL`s, `relationships.csv` with `:START_ID`, `:END_ID` and `:TYPE`; typed
//! headers (`killed:int`, `sources:string[]`); RFC 4180 quoting. Arrays use `|` as the
//! delimiter (import with `--array-delimiter="|"`).

use super::view::Selection;
use super::{ENTITY_KEYS, LINK_KEYS, Type, Value, entity_attrs, link_attrs, link_id};
use crate::graph::KnowledgeGraph;

/// The array delimiter the files use.
pub const ARRAY_DELIMITER: char = '|';

/// One CSV field, quoted when it must be (RFC 4180): a comma, quote or line break inside, or
/// spaces at either end.
pub fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) || text.starts_with(' ') || text.ends_with(' ') {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

fn header_type(t: Type) -> &'static str {
    match t {
        Type::Str => "",
        Type::Int => ":int",
        Type::Float => ":double",
        Type::List => ":string[]",
    }
}

fn cell(v: &Value) -> String {
    match v {
        Value::List(items) => items.join(&ARRAY_DELIMITER.to_string()),
        other => other.text(),
    }
}

fn row(fields: Vec<String>) -> String {
    let mut text = fields.iter().map(|f| field(f)).collect::<Vec<_>>().join(",");
    text.push('\n');
    text
}

/// `(nodes.csv, relationships.csv)` of a selection.
pub fn write(graph: &KnowledgeGraph, sel: &Selection) -> (String, String) {
    let mut header = vec!["id:ID".to_owned(), ":LABEL".to_owned()];
    header.extend(ENTITY_KEYS.iter().map(|(k, t)| format!("{k}{}", header_type(*t))));
    let mut nodes = row(header);
    for &i in &sel.nodes {
        let e = graph.entity(i);
        let attrs = entity_attrs(e);
        let mut fields = vec![e.id.to_string(), format!("Entity{ARRAY_DELIMITER}{}", e.kind().name())];
        for (k, _) in ENTITY_KEYS {
            fields.push(attrs.iter().find(|(a, _)| a == k).map(|(_, v)| cell(v)).unwrap_or_default());
        }
        nodes.push_str(&row(fields));
    }
    let mut header =
        vec![":START_ID".to_owned(), ":END_ID".to_owned(), ":TYPE".to_owned(), "link".to_owned()];
    header.extend(LINK_KEYS.iter().map(|(k, t)| format!("{k}{}", header_type(*t))));
    let mut rels = row(header);
    for &l in &sel.links {
        let link = graph.link(l);
        let attrs = link_attrs(graph, link);
        let mut fields = vec![
            link.from.to_string(),
            link.to.to_string(),
            super::cypher::rel_type(link.rel),
            link_id(graph, l),
        ];
        for (k, _) in LINK_KEYS {
            fields.push(attrs.iter().find(|(a, _)| a == k).map(|(_, v)| cell(v)).unwrap_or_default());
        }
        rels.push_str(&row(fields));
    }
    (nodes, rels)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::export::view::{Refuted, whole};
    use crate::query::{LinkFilter, fixture};

    /// Parses RFC 4180 CSV into rows of fields (for tests).
    pub fn parse(text: &str) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        let mut row = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => field.push(c),
                (false, '"') => quoted = true,
                (false, ',') => row.push(std::mem::take(&mut field)),
                (false, '\n') => {
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                (false, c) => field.push(c),
            }
        }
        rows
    }

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"no\""), "\"say \"\"no\"\"\"");
        assert_eq!(parse(&row(vec!["a,b".into(), "c\"d".into(), "e\nf".into()])), [["a,b", "c\"d", "e\nf"]]);
    }

    #[test]
    fn every_row_has_every_column() {
        let g = fixture::graph(fixture::NETWORK);
        let sel = whole(&g, &LinkFilter::default(), Refuted::Show, "all");
        let (nodes, rels) = write(&g, &sel);
        let (nodes, rels) = (parse(&nodes), parse(&rels));
        assert_eq!(nodes.len(), 1 + g.entities().len());
        assert_eq!(rels.len(), 1 + g.links().len());
        assert!(nodes.iter().all(|r| r.len() == nodes[0].len()));
        assert!(rels.iter().all(|r| r.len() == rels[0].len()));
        let certainty = rels[0].iter().position(|h| h == "certainty").unwrap();
        assert_eq!(rels[5][certainty], "Refuted");
        assert_eq!(nodes[1][1], "Entity|Person");
    }
}

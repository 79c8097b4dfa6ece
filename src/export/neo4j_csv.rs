//! Neo4j bulk-import CSV (`neo4j-admin database import full`): `nodes.csv` with an `id:ID`
//! column and `:LABEL`s, `relationships.csv` with `:START_ID`, `:END_ID` and `:TYPE`; typed
//! headers (`killed:int`, `sources:string[]`); RFC 4180 quoting. Arrays use `|` as the
//! delimiter (import with `--array-delimiter="|"`), unless a list value holds a `|`: the
//! import has no escape for the delimiter, so then another one is chosen and reported.

use super::view::Selection;
use super::{ENTITY_KEYS, LINK_KEYS, Type, Value, entity_attrs, link_attrs, link_id};
use crate::graph::KnowledgeGraph;

/// The array delimiters, in order of preference: the first that no list value holds is used.
pub const ARRAY_DELIMITERS: [char; 4] = ['|', ';', '¦', '\u{1f}'];

/// The two files of an export, and the array delimiter they use.
pub struct Files {
    pub nodes: String,
    pub relationships: String,
    pub delimiter: char,
}

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

fn cell(v: &Value, delimiter: char) -> String {
    match v {
        Value::List(items) => items.join(&delimiter.to_string()),
        other => other.text(),
    }
}

fn row(fields: Vec<String>) -> String {
    let mut text = fields.iter().map(|f| field(f)).collect::<Vec<_>>().join(",");
    text.push('\n');
    text
}

/// `nodes.csv` and `relationships.csv` of a selection; `None` when every delimiter occurs in
/// some list value.
pub fn write(graph: &KnowledgeGraph, sel: &Selection) -> Option<Files> {
    let entity_attrs: Vec<_> = sel.nodes.iter().map(|&i| entity_attrs(graph.entity(i))).collect();
    let link_attrs: Vec<_> = sel.links.iter().map(|&l| link_attrs(graph, graph.link(l))).collect();
    let lists = entity_attrs.iter().chain(&link_attrs).flatten().filter_map(|(_, v)| match v {
        Value::List(items) => Some(items),
        _ => None,
    });
    let mut free = ARRAY_DELIMITERS.to_vec();
    for item in lists.flatten() {
        free.retain(|&d| !item.contains(d));
    }
    let delimiter = *free.first()?;
    let mut header = vec!["id:ID".to_owned(), ":LABEL".to_owned()];
    header.extend(ENTITY_KEYS.iter().map(|(k, t)| format!("{k}{}", header_type(*t))));
    let mut nodes = row(header);
    for (&i, attrs) in sel.nodes.iter().zip(&entity_attrs) {
        let e = graph.entity(i);
        let mut fields = vec![e.id.to_string(), format!("Entity{delimiter}{}", e.kind().name())];
        for (k, _) in ENTITY_KEYS {
            fields.push(
                attrs.iter().find(|(a, _)| a == k).map(|(_, v)| cell(v, delimiter)).unwrap_or_default(),
            );
        }
        nodes.push_str(&row(fields));
    }
    let mut header =
        vec![":START_ID".to_owned(), ":END_ID".to_owned(), ":TYPE".to_owned(), "link".to_owned()];
    header.extend(LINK_KEYS.iter().map(|(k, t)| format!("{k}{}", header_type(*t))));
    let mut rels = row(header);
    for (&l, attrs) in sel.links.iter().zip(&link_attrs) {
        let link = graph.link(l);
        let mut fields = vec![
            link.from.to_string(),
            link.to.to_string(),
            super::cypher::rel_type(link.rel),
            link_id(graph, l),
        ];
        for (k, _) in LINK_KEYS {
            fields.push(
                attrs.iter().find(|(a, _)| a == k).map(|(_, v)| cell(v, delimiter)).unwrap_or_default(),
            );
        }
        rels.push_str(&row(fields));
    }
    Some(Files { nodes, relationships: rels, delimiter })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::view::{Refuted, whole};
    use crate::query::{LinkFilter, fixture};

    /// Reads CSV into rows of fields with the `csv` crate: a reader other than the writer's.
    pub fn parse(text: &str) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.expect("well-formed CSV").iter().map(str::to_owned).collect())
            .collect()
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
        let files = write(&g, &sel).unwrap();
        assert_eq!(files.delimiter, '|');
        let (nodes, rels) = (parse(&files.nodes), parse(&files.relationships));
        assert_eq!(nodes.len(), 1 + g.entities().len());
        assert_eq!(rels.len(), 1 + g.links().len());
        assert!(nodes.iter().all(|r| r.len() == nodes[0].len()));
        assert!(rels.iter().all(|r| r.len() == rels[0].len()));
        let certainty = rels[0].iter().position(|h| h == "certainty").unwrap();
        assert_eq!(rels[5][certainty], "Refuted");
        assert_eq!(nodes[1][1], "Entity|Person");
    }

    #[test]
    fn a_list_value_holding_the_delimiter_gets_another_one() {
        let facts = fixture::NETWORK
            .replace(r#"aliases: ["The Teacher"], sources"#, r#"aliases: ["A|B", "C;D"], sources"#);
        assert_ne!(facts, fixture::NETWORK);
        let g = fixture::graph(&facts);
        let sel = whole(&g, &LinkFilter::default(), Refuted::Show, "all");
        let files = write(&g, &sel).unwrap();
        assert_eq!(files.delimiter, '¦');
        let nodes = parse(&files.nodes);
        let aliases = nodes[0].iter().position(|h| h == "aliases:string[]").unwrap();
        let ann = nodes.iter().find(|r| r[0] == "ann").unwrap();
        assert_eq!(ann[aliases].split('¦').collect::<Vec<_>>(), ["A|B", "C;D"]);
        assert_eq!(ann[1], "Entity¦Person");
    }
}

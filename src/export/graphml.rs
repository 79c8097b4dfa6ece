//! GraphML export with typed attributes (`<key attr.type=...>`), read by Gephi, yEd,
//! Cytoscape and NetworkX. Lists (aliases, sources, roles) are strings joined with `; `;
//! every edge has an id (`l-N`), so parallel links stay distinct.

use std::fmt::Write as _;

use super::view::Selection;
use super::{ENTITY_KEYS, LINK_KEYS, Type, data_date, entity_attrs, link_attrs, link_id};
use crate::graph::KnowledgeGraph;

/// Escapes text for XML content and attribute values; drops characters XML 1.0 forbids.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

fn type_name(t: Type) -> &'static str {
    match t {
        Type::Str | Type::List => "string",
        Type::Int => "int",
        Type::Float => "double",
    }
}

/// The GraphML document of a selection.
pub fn write(graph: &KnowledgeGraph, sel: &Selection, name: &str) -> String {
    let mut out = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" ",
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ",
        "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns ",
        "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
    ));
    for key in ["title", "data_date"] {
        let _ =
            writeln!(out, "  <key id=\"g_{key}\" for=\"graph\" attr.name=\"{key}\" attr.type=\"string\"/>");
    }
    for (key, t) in ENTITY_KEYS {
        let _ = writeln!(
            out,
            "  <key id=\"n_{key}\" for=\"node\" attr.name=\"{key}\" attr.type=\"{}\"/>",
            type_name(*t)
        );
    }
    for (key, t) in LINK_KEYS {
        let _ = writeln!(
            out,
            "  <key id=\"e_{key}\" for=\"edge\" attr.name=\"{key}\" attr.type=\"{}\"/>",
            type_name(*t)
        );
    }
    let _ = writeln!(out, "  <graph id=\"{}\" edgedefault=\"directed\">", xml_escape(name));
    let _ = writeln!(out, "    <data key=\"g_title\">{}</data>", xml_escape(&sel.title));
    if let Some(d) = data_date(graph) {
        let _ = writeln!(out, "    <data key=\"g_data_date\">{}</data>", xml_escape(d.as_str()));
    }
    for &i in &sel.nodes {
        let e = graph.entity(i);
        let _ = writeln!(out, "    <node id=\"{}\">", xml_escape(e.id.as_str()));
        for (k, v) in entity_attrs(e) {
            let _ = writeln!(out, "      <data key=\"n_{k}\">{}</data>", xml_escape(&v.text()));
        }
        out.push_str("    </node>\n");
    }
    for &l in &sel.links {
        let link = graph.link(l);
        let _ = writeln!(
            out,
            "    <edge id=\"{}\" source=\"{}\" target=\"{}\">",
            link_id(graph, l),
            xml_escape(link.from.as_str()),
            xml_escape(link.to.as_str())
        );
        for (k, v) in link_attrs(graph, link) {
            let _ = writeln!(out, "      <data key=\"e_{k}\">{}</data>", xml_escape(&v.text()));
        }
        out.push_str("    </edge>\n");
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::view::{Refuted, whole};
    use crate::query::{LinkFilter, fixture};

    #[test]
    fn escapes_markup() {
        assert_eq!(xml_escape("a<b>&\"c'\u{1}"), "a&lt;b&gt;&amp;&quot;c&apos;");
    }

    #[test]
    fn counts_nodes_and_edges() {
        let g = fixture::graph(fixture::NETWORK);
        let sel = whole(&g, &LinkFilter::default(), Refuted::Show, "all");
        let text = write(&g, &sel, "t");
        assert_eq!(text.matches("<node id=").count(), g.entities().len());
        assert_eq!(text.matches("<edge id=").count(), g.links().len());
        assert!(text.contains("<data key=\"e_certainty\">Refuted</data>"));
        assert!(text.contains("attr.name=\"killed\" attr.type=\"int\""));
    }
}

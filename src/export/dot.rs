//! The DOT writer: the only place that writes Graphviz DOT. It builds graphviz-rust
//! structures and quotes and escapes every id and label itself, because graphviz-rust prints
//! ids verbatim: a name holding `"`, `]`, `;`, `->`, `{` or a newline must not be able to add
//! statements to a diagram.
//!
//! Style: shape and colour by kind and sub-kind; edge labels with relation, certainty and
//! date; solid lines for `Confirmed`/`Reported`, dashed for `Alleged`/`Suspected`, dotted
//! for `Disputed`, red dotted with a bar for `Refuted`; tooltips that carry the sources; a
//! legend; clusters by country or group; a title with the view's name and the data's date.

use std::collections::HashMap;

use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use super::view::Selection;
use super::{data_date, link_id, source_lines};
use crate::graph::KnowledgeGraph;
use crate::model::{Certainty, Cluster, Details, Entity, EventType, GroupType, Origin, PlaceType, Relation};

/// Characters per line before a label wraps.
const WRAP: usize = 24;

/// Escapes text for a double-quoted DOT string: backslashes and quotes escaped, line breaks
/// written `\n`, other control characters dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A double-quoted, escaped DOT id: the only kind of id this writer emits.
pub fn quoted(text: &str) -> Id {
    Id::Escaped(format!("\"{}\"", escape(text)))
}

fn attr(key: &str, value: &str) -> Attribute {
    Attribute(Id::Plain(key.to_owned()), quoted(value))
}

/// The DOT node name of entity `id`.
pub fn node_name(id: &str) -> String {
    format!("n-{id}")
}

/// Wraps text at spaces so no line is much longer than `width` characters.
pub fn wrap(text: &str, width: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines.join("\n")
}

/// Shape, fill colour and extra style of an entity's node.
fn node_style(e: &Entity) -> (&'static str, &'static str, &'static str) {
    match &e.details {
        Details::Person(_) => ("ellipse", "#cfe2f3", "filled"),
        Details::Group(g) => match g.subkind {
            GroupType::Organisation | GroupType::Affiliate => ("box", "#b6d7a8", "filled,rounded"),
            GroupType::Cell | GroupType::Network | GroupType::Movement => {
                ("box", "#d9ead3", "filled,rounded")
            }
            GroupType::Media => ("box", "#d0e0e3", "filled,rounded"),
            GroupType::Agency => ("box", "#eeeeee", "filled"),
        },
        Details::Place(p) => match p.subkind {
            PlaceType::Country => ("doubleoctagon", "#fff2cc", "filled"),
            _ => ("octagon", "#fffbeb", "filled"),
        },
        Details::Event(ev) => match ev.subkind {
            EventType::Attack => ("hexagon", "#ea9999", "filled,bold"),
            EventType::Plot => ("hexagon", "#f9cb9c", "filled,dashed"),
            EventType::Arrest | EventType::Conviction | EventType::Release => {
                ("hexagon", "#d9d2e9", "filled")
            }
            _ => ("hexagon", "#f3f3f3", "filled"),
        },
    }
}

/// Line style, colour and width for a link of this certainty.
pub fn edge_style(c: Certainty) -> (&'static str, &'static str, &'static str) {
    match c {
        Certainty::Confirmed => ("solid", "#000000", "1.8"),
        Certainty::Reported => ("solid", "#333333", "1.0"),
        Certainty::Alleged => ("dashed", "#555555", "1.0"),
        Certainty::Suspected => ("dashed", "#888888", "1.0"),
        Certainty::Disputed => ("dotted", "#8a6d00", "1.2"),
        Certainty::Refuted => ("dotted", "#cc0000", "1.4"),
    }
}

/// The second line of a node's label: what it is, and when for events.
fn descriptor(e: &Entity) -> String {
    match &e.details {
        Details::Person(p) => p.roles.first().cloned().unwrap_or_else(|| "Person".to_owned()),
        Details::Event(ev) => match ev.when() {
            Some(d) => format!("{} · {d}", ev.subkind),
            None => ev.subkind.to_string(),
        },
        _ => e.subkind().unwrap_or("").to_owned(),
    }
}

fn entity_tooltip(graph: &KnowledgeGraph, e: &Entity) -> String {
    let mut t = format!("{} ({}, {})", e.name, e.id, e.subkind().unwrap_or(e.kind().name()));
    if let Some(s) = &e.summary {
        t.push('\n');
        t.push_str(s);
    }
    t.push_str("\nsources:");
    for line in source_lines(graph, &e.sources) {
        t.push_str("\n  ");
        t.push_str(&line);
    }
    t
}

fn link_label(rel: Relation, certainty: Certainty, date: Option<&crate::model::PartialDate>) -> String {
    let mut label = match certainty {
        Certainty::Refuted => format!("REFUTED: {rel}"),
        Certainty::Confirmed | Certainty::Reported => rel.to_string(),
        c => format!("{rel} ({c})"),
    };
    if let Some(d) = date {
        label.push('\n');
        label.push_str(d.as_str());
    }
    label
}

/// Which cluster (key, label) each selected entity belongs to, if any.
fn clusters(graph: &KnowledgeGraph, sel: &Selection) -> HashMap<usize, (String, String)> {
    let mut out = HashMap::new();
    let Some(kind) = sel.cluster else { return out };
    let followed = |i: usize, rels: &[Relation]| -> Option<usize> {
        graph.incident(i).iter().find_map(|inc| {
            let l = graph.link(inc.link());
            let forward = inc.direction == crate::graph::Direction::Out;
            (forward && rels.contains(&l.rel) && !l.certainty.is_refuted()).then_some(inc.other())
        })
    };
    let is_country =
        |i: usize| matches!(&graph.entity(i).details, Details::Place(p) if p.subkind == PlaceType::Country);
    for &i in &sel.nodes {
        let key = match kind {
            Cluster::Country => {
                let mut at = match graph.entity(i).kind() {
                    crate::model::Kind::Place => Some(i),
                    crate::model::Kind::Event => followed(i, &[Relation::OccurredIn]),
                    _ => followed(i, &[Relation::BasedIn, Relation::LivedIn]),
                };
                let mut hops = 0;
                while let Some(p) = at {
                    if is_country(p) || hops > 8 {
                        break;
                    }
                    at = followed(p, &[Relation::LocatedIn]);
                    hops += 1;
                }
                at.filter(|&p| is_country(p))
            }
            Cluster::Group => match graph.entity(i).kind() {
                crate::model::Kind::Group => Some(i),
                crate::model::Kind::Person => {
                    followed(i, &[Relation::MemberOf, Relation::LeaderOf, Relation::Founded])
                }
                _ => None,
            },
        };
        if let Some(k) = key {
            let e = graph.entity(k);
            out.insert(i, (e.id.to_string(), e.name.clone()));
        }
    }
    // A cluster of one says nothing: leave its node outside.
    let mut sizes: HashMap<String, usize> = HashMap::new();
    for (key, _) in out.values() {
        *sizes.entry(key.clone()).or_default() += 1;
    }
    out.retain(|_, (key, _)| sizes[key] > 1);
    out
}

fn entity_node(graph: &KnowledgeGraph, i: usize) -> Stmt {
    let e = graph.entity(i);
    let (shape, fill, style) = node_style(e);
    let name = node_name(e.id.as_str());
    let mut attrs = vec![
        attr("id", &name),
        attr("class", &format!("entity kind-{}", e.kind().name().to_lowercase())),
        attr("label", &format!("{}\n{}", wrap(&e.name, WRAP), descriptor(e))),
        attr("tooltip", &entity_tooltip(graph, e)),
        attr("shape", shape),
        attr("style", style),
        attr("fillcolor", fill),
    ];
    match e.origin {
        Origin::Extracted => attrs.push(attr("color", "#6a5acd")),
        Origin::Imported => attrs.push(attr("color", "#2e8b57")),
        Origin::Curated => {}
    }
    Stmt::Node(Node::new(NodeId(quoted(&name), None), attrs))
}

fn link_edge(graph: &KnowledgeGraph, l: usize) -> Stmt {
    let link = graph.link(l);
    let (style, color, width) = edge_style(link.certainty);
    let (from, to) = graph.ends(l).unwrap_or((0, 0));
    let (from, to) = (graph.entity(from), graph.entity(to));
    let arrow = if link.rel.is_symmetric() { "—" } else { "→" };
    let mut tip = format!("{} —{}{arrow} {}\n{}", from.name, link.rel, to.name, super::grade(graph, link));
    if let Some(d) = link.when() {
        tip.push_str(&format!(" · {d}"));
    }
    if link.certainty.is_refuted() {
        tip.push_str(" · the sources say this is NOT so");
    }
    if let Some(note) = &link.note {
        tip.push('\n');
        tip.push_str(note);
    }
    tip.push_str("\nsources:");
    for line in source_lines(graph, &link.sources) {
        tip.push_str("\n  ");
        tip.push_str(&line);
    }
    let mut label = link_label(link.rel, link.certainty, link.when());
    if link.origin != Origin::Curated {
        label.push_str(&format!("\n[{}]", link.origin.name()));
    }
    let mut attrs = vec![
        attr("id", &link_id(graph, l)),
        attr("class", &format!("link certainty-{}", link.certainty.name().to_lowercase())),
        attr("label", &label),
        attr("tooltip", &tip),
        attr("labeltooltip", &tip),
        attr("style", style),
        attr("color", color),
        attr("fontcolor", color),
        attr("penwidth", width),
    ];
    if link.certainty.is_refuted() {
        attrs.push(attr("arrowhead", "tee"));
    } else if link.rel.is_symmetric() {
        attrs.push(attr("dir", "none"));
    }
    let ends = (node_name(link.from.as_str()), node_name(link.to.as_str()));
    Stmt::Edge(Edge {
        ty: EdgeTy::Pair(Vertex::N(NodeId(quoted(&ends.0), None)), Vertex::N(NodeId(quoted(&ends.1), None))),
        attributes: attrs,
    })
}

/// The legend: one sample node per kind and one sample edge per line style.
fn legend() -> Stmt {
    let mut stmts = vec![
        Stmt::Attribute(attr("label", "Legend")),
        Stmt::Attribute(attr("tooltip", "Legend")),
        Stmt::Attribute(attr("style", "rounded")),
        Stmt::Attribute(attr("color", "#999999")),
        Stmt::Attribute(attr("fontsize", "11")),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("fontsize", "9"),
            attr("height", "0.3"),
            attr("width", "0.5"),
        ])),
    ];
    let samples: [(&str, &str, (&str, &str, &str)); 7] = [
        ("person", "Person", ("ellipse", "#cfe2f3", "filled")),
        ("group", "Group", ("box", "#b6d7a8", "filled,rounded")),
        ("country", "Country", ("doubleoctagon", "#fff2cc", "filled")),
        ("place", "Place", ("octagon", "#fffbeb", "filled")),
        ("attack", "Attack", ("hexagon", "#ea9999", "filled,bold")),
        ("plot", "Plot", ("hexagon", "#f9cb9c", "filled,dashed")),
        ("event", "Other event", ("hexagon", "#f3f3f3", "filled")),
    ];
    // Two columns of samples: each odd one drawn to the right of the one before it.
    for pair in samples.chunks(2) {
        if let [(a, ..), (b, ..)] = pair {
            stmts.push(Stmt::Edge(Edge {
                ty: EdgeTy::Pair(
                    Vertex::N(NodeId(quoted(&format!("legend:{a}")), None)),
                    Vertex::N(NodeId(quoted(&format!("legend:{b}")), None)),
                ),
                attributes: vec![attr("style", "invis")],
            }));
        }
    }
    for (key, label, (shape, fill, style)) in samples {
        let name = format!("legend:{key}");
        stmts.push(Stmt::Node(Node::new(
            NodeId(quoted(&name), None),
            vec![
                attr("id", &name),
                attr("label", label),
                attr("shape", shape),
                attr("fillcolor", fill),
                attr("style", style),
            ],
        )));
    }
    let lines = [
        (Certainty::Confirmed, "Confirmed"),
        (Certainty::Reported, "Reported"),
        (Certainty::Alleged, "Alleged / Suspected"),
        (Certainty::Disputed, "Disputed"),
        (Certainty::Refuted, "REFUTED (not a connection)"),
    ];
    for (n, (c, label)) in lines.into_iter().enumerate() {
        let (style, color, width) = edge_style(c);
        let (a, b) = (format!("legend:{n}a"), format!("legend:{n}b"));
        for end in [&a, &b] {
            stmts.push(Stmt::Node(Node::new(
                NodeId(quoted(end), None),
                vec![attr("shape", "point"), attr("width", "0.05"), attr("label", "")],
            )));
        }
        let mut attrs = vec![
            attr("label", label),
            attr("style", style),
            attr("color", color),
            attr("fontcolor", color),
            attr("penwidth", width),
        ];
        if c.is_refuted() {
            attrs.push(attr("arrowhead", "tee"));
        }
        stmts.push(Stmt::Edge(Edge {
            ty: EdgeTy::Pair(Vertex::N(NodeId(quoted(&a), None)), Vertex::N(NodeId(quoted(&b), None))),
            attributes: attrs,
        }));
    }
    Stmt::Subgraph(Subgraph { id: quoted("cluster_legend"), stmts })
}

/// Whether the diagram carries a legend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    pub legend: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { legend: true }
    }
}

/// The diagram of a selection, as graphviz-rust structures.
pub fn build(graph: &KnowledgeGraph, sel: &Selection, name: &str, opts: Options) -> Graph {
    let date = data_date(graph).map_or_else(|| "undated".to_owned(), |d| format!("data as of {d}"));
    let mut stmts = vec![
        Stmt::GAttribute(GraphAttributes::Graph(vec![
            attr("label", &format!("{}\n{date} · threatgraph", sel.title)),
            attr("labelloc", "t"),
            attr("fontname", "Helvetica"),
            attr("fontsize", "20"),
            attr("rankdir", "LR"),
            attr("ranksep", "0.5"),
            attr("nodesep", "0.25"),
        ])),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("fontname", "Helvetica"),
            attr("fontsize", "10"),
            attr("margin", "0.08,0.04"),
        ])),
        Stmt::GAttribute(GraphAttributes::Edge(vec![attr("fontname", "Helvetica"), attr("fontsize", "8")])),
    ];
    let clusters = clusters(graph, sel);
    let mut order: Vec<String> = Vec::new();
    let mut members: HashMap<String, (String, Vec<Stmt>)> = HashMap::new();
    for &i in &sel.nodes {
        match clusters.get(&i) {
            Some((key, label)) => {
                let entry = members.entry(key.clone()).or_insert_with(|| {
                    order.push(key.clone());
                    (label.clone(), Vec::new())
                });
                entry.1.push(entity_node(graph, i));
            }
            None => stmts.push(entity_node(graph, i)),
        }
    }
    for key in order {
        let (label, nodes) = members.remove(&key).unwrap_or_default();
        let mut inner = vec![
            Stmt::Attribute(attr("label", &label)),
            Stmt::Attribute(attr("tooltip", &label)),
            Stmt::Attribute(attr("style", "rounded,filled")),
            Stmt::Attribute(attr("fillcolor", "#fafafa")),
            Stmt::Attribute(attr("color", "#bbbbbb")),
            Stmt::Attribute(attr("fontsize", "12")),
        ];
        inner.extend(nodes);
        stmts.push(Stmt::Subgraph(Subgraph { id: quoted(&format!("cluster_{key}")), stmts: inner }));
    }
    for &l in &sel.links {
        stmts.push(link_edge(graph, l));
    }
    if opts.legend {
        stmts.push(legend());
    }
    Graph::DiGraph { id: quoted(name), strict: false, stmts }
}

/// The diagram of a selection as DOT text, ending with a newline.
pub fn write(graph: &KnowledgeGraph, sel: &Selection, name: &str, opts: Options) -> String {
    let mut text = build(graph, sel, name, opts).print(&mut PrinterContext::default());
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::view::{Refuted, whole};
    use crate::query::{LinkFilter, fixture};

    #[test]
    fn escape_neutralises_quotes_backslashes_and_newlines() {
        assert_eq!(escape(r#"a"b\c"#), r#"a\"b\\c"#);
        assert_eq!(escape("one\ntwo\r\nthree\rfour"), r"one\ntwo\nthree\nfour");
        assert_eq!(escape("x\u{0}y\u{7}"), "xy");
        assert_eq!(escape(r"ends with \"), r"ends with \\");
    }

    #[test]
    fn wraps_long_names() {
        assert_eq!(wrap("Islamic State in Iraq and the Levant", 20), "Islamic State in\nIraq and the Levant");
        assert_eq!(wrap("short", 20), "short");
    }

    #[test]
    fn styles_never_make_an_allegation_look_confirmed() {
        let solid = edge_style(Certainty::Confirmed).0;
        for c in [Certainty::Alleged, Certainty::Suspected, Certainty::Disputed, Certainty::Refuted] {
            assert_ne!(edge_style(c).0, solid, "{c}");
            assert!(link_label(Relation::MemberOf, c, None) != "MemberOf", "{c} says so in its label");
        }
    }

    #[test]
    fn whole_fixture_parses_back_with_every_node_and_link() {
        let g = fixture::graph(fixture::NETWORK);
        let sel = whole(&g, &LinkFilter::default(), Refuted::Show, "Test \"graph\"");
        let text = write(&g, &sel, "t", Options::default());
        let parsed = graphviz_rust::parse(&text).expect("parses");
        let Graph::DiGraph { stmts, .. } = parsed else { panic!("a digraph") };
        let edges = stmts.iter().filter(|s| matches!(s, Stmt::Edge(_))).count();
        assert_eq!(edges, g.links().len());
        assert!(text.contains("REFUTED: AssociateOf"));
        assert!(text.contains(r#"label="Test \"graph\"\n"#), "{text}");
    }
}

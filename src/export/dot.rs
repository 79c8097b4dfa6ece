//! The DOT writer: the only place that writes Graphviz DOT. It builds graphviz-rust
//! structures and quotes and escapes every id and label itself, because graphviz-rust prints
//! ids verbatim: a name holding `"`, `]`, `;`, `->`, `{` or a newline must not be able to add
//! statements to a diagram.
//!
//! Style: shape and colour by kind and sub-kind; edge labels with relation, certainty and
//! the kind of date a link has ("since 2016", "until 2017-08", "2016-2018", "~2004"); solid
//! lines for `Confirmed`/`Reported`, dashed for `Alleged`/`Suspected`, dotted for `Disputed`,
//! red dotted with a bar for `Refuted`; links with the same ends, direction and certainty
//! drawn as one edge with one label line each (two labels on two lines between the same nodes
//! would be laid on top of each other); tooltips that carry the sources; a compact legend of
//! only what the view shows; clusters by country or group; a title with the view's name and
//! the data's date.
//!
//! Layout: Graphviz `dot` always, because it is the one engine that places edge labels as
//! part of the layout (as nodes of their own), so labels do not land on each other; `neato`
//! and `sfdp` drop them at the middle of the line wherever that falls. Ranks run left to right
//! unless the view names a layout or the selection's chains are long and its ranks narrow,
//! when top to bottom fits a screen better (see [`pick_layout`]).

use std::collections::HashMap;

use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use super::view::Selection;
use super::{data_date, link_id, source_lines};
use crate::graph::KnowledgeGraph;
use crate::model::{
    Certainty, Cluster, Details, Entity, EventType, GroupType, Layout, Origin, PartialDate, PlaceType,
    Relation,
};

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

/// Shape, fill colour and extra style of a node.
type NodeStyle = (&'static str, &'static str, &'static str);

/// The style of an entity's node.
fn node_style(e: &Entity) -> NodeStyle {
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
        Details::Event(ev) => match when_label(ev.date.as_ref(), ev.start.as_ref(), ev.end.as_ref()) {
            Some(d) => format!("{} · {d}", ev.subkind),
            None => ev.subkind.to_string(),
        },
        _ => e.subkind().unwrap_or("").to_owned(),
    }
}

/// Appends the `sources:` lines of a tooltip.
fn push_sources(tip: &mut String, graph: &KnowledgeGraph, sources: &[crate::model::Id]) {
    tip.push_str("\nsources:");
    for line in source_lines(graph, sources) {
        tip.push_str("\n  ");
        tip.push_str(&line);
    }
}

/// What an entity's tooltip says: its name, id, sub-kind, summary and sources.
pub fn entity_tooltip(graph: &KnowledgeGraph, e: &Entity) -> String {
    let mut t = format!("{} ({}, {})", e.name, e.id, e.subkind().unwrap_or(e.kind().name()));
    if let Some(s) = &e.summary {
        t.push('\n');
        t.push_str(s);
    }
    push_sources(&mut t, graph, &e.sources);
    t
}

/// A date as the kind of date it is: an event's `date` as written (`2017-05-22`, `~2004`), a
/// span with both ends as `2016-2018` (or `2016-03 to 2018` when an end has a month), and an
/// open span as `since 2016` or `until 2017-08`: neither is the date of an event.
pub fn when_label(
    date: Option<&PartialDate>,
    since: Option<&PartialDate>,
    until: Option<&PartialDate>,
) -> Option<String> {
    if let Some(d) = date {
        return Some(d.to_string());
    }
    let year_only = |d: &PartialDate| d.as_str().trim_start_matches('~').len() == 4;
    match (since, until) {
        (Some(s), Some(u)) if s == u => Some(s.to_string()),
        (Some(s), Some(u)) if year_only(s) && year_only(u) => Some(format!("{s}-{u}")),
        (Some(s), Some(u)) => Some(format!("{s} to {u}")),
        (Some(s), None) => Some(format!("since {s}")),
        (None, Some(u)) => Some(format!("until {u}")),
        (None, None) => None,
    }
}

/// A link's date, as [`when_label`] writes it.
pub fn link_when(link: &crate::model::Link) -> Option<String> {
    when_label(link.date.as_ref(), link.since.as_ref(), link.until.as_ref())
}

/// The relation, with the certainty when short of `Reported` (so an allegation never reads as
/// a fact) and `REFUTED` before a denied link.
fn relation_label(rel: Relation, certainty: Certainty) -> String {
    match certainty {
        Certainty::Refuted => format!("REFUTED: {rel}"),
        Certainty::Confirmed | Certainty::Reported => rel.to_string(),
        c => format!("{rel} ({c})"),
    }
}

/// A link's label: the relation on one line, its date on the next.
fn link_label(rel: Relation, certainty: Certainty, when: Option<&str>) -> String {
    let mut label = relation_label(rel, certainty);
    if let Some(d) = when {
        label.push('\n');
        label.push_str(d);
    }
    label
}

/// What a link's tooltip says: its ends, grade, date, note and sources.
pub fn link_tooltip(graph: &KnowledgeGraph, l: usize) -> String {
    let link = graph.link(l);
    let name = |id: &crate::model::Id| {
        graph.index_of(id.as_str()).map_or_else(|| id.to_string(), |i| graph.entity(i).name.clone())
    };
    let arrow = if link.rel.is_symmetric() { "—" } else { "→" };
    let mut tip = format!(
        "{} —{}{arrow} {}\n{}",
        name(&link.from),
        link.rel,
        name(&link.to),
        super::grade(graph, link)
    );
    if let Some(d) = link_when(link) {
        tip.push_str(&format!(" · {d}"));
    }
    if link.certainty.is_refuted() {
        tip.push_str(" · the sources say this is NOT so");
    }
    if let Some(note) = &link.note {
        tip.push('\n');
        tip.push_str(note);
    }
    push_sources(&mut tip, graph, &link.sources);
    tip
}

/// The links of a selection as the edges drawn: links with the same ends in the same direction,
/// the same certainty and the same origin share one edge (one label line each), in the order
/// of their first link.
pub fn edge_groups(graph: &KnowledgeGraph, sel: &Selection) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut at: HashMap<(&str, &str, Certainty, Origin, bool), usize> = HashMap::new();
    for &l in &sel.links {
        let link = graph.link(l);
        let key =
            (link.from.as_str(), link.to.as_str(), link.certainty, link.origin, link.rel.is_symmetric());
        match at.get(&key) {
            Some(&g) => groups[g].push(l),
            None => {
                at.insert(key, groups.len());
                groups.push(vec![l]);
            }
        }
    }
    groups
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

/// One drawn edge: a link, or several with the same ends, direction and certainty.
fn group_edge(graph: &KnowledgeGraph, group: &[usize]) -> Stmt {
    let link = graph.link(group[0]);
    let (style, color, width) = edge_style(link.certainty);
    let tip: Vec<String> = group.iter().map(|&l| link_tooltip(graph, l)).collect();
    let tip = tip.join("\n\n");
    let mut label = if let [l] = group {
        let one = graph.link(*l);
        link_label(one.rel, one.certainty, link_when(one).as_deref())
    } else {
        // One line a link, its date beside it, so no date can be read as another link's.
        let lines: Vec<String> = group
            .iter()
            .map(|&l| {
                let one = graph.link(l);
                let rel = relation_label(one.rel, one.certainty);
                link_when(one).map_or_else(|| rel.clone(), |d| format!("{rel}, {d}"))
            })
            .collect();
        lines.join("\n")
    };
    if link.origin != Origin::Curated {
        label.push_str(&format!("\n[{}]", link.origin.name()));
    }
    let mut attrs = vec![
        attr("id", &link_id(graph, group[0])),
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

/// The legend: an entry for each node style and each line style the diagram uses, and no
/// other, two entries a row, as a Graphviz HTML-like table. It goes beside the title, so it
/// never takes a place among the nodes (where it would widen a rank).
fn legend(graph: &KnowledgeGraph, sel: &Selection) -> String {
    // Node styles in the order person, group, place, event, each with the sub-kinds drawn so.
    let mut kinds: Vec<((usize, NodeStyle), Vec<&str>)> = Vec::new();
    for &i in &sel.nodes {
        let e = graph.entity(i);
        let key = (e.kind() as usize, node_style(e));
        let what = e.subkind().unwrap_or("Person");
        match kinds.iter_mut().find(|(k, _)| *k == key) {
            Some((_, names)) if !names.contains(&what) => names.push(what),
            Some(_) => {}
            None => kinds.push((key, vec![what])),
        }
    }
    kinds.sort_by_key(|(k, _)| k.0);
    let mut certainties: Vec<Certainty> = sel.links.iter().map(|&l| graph.link(l).certainty).collect();
    certainties.sort_by(|a, b| b.cmp(a));
    certainties.dedup();
    let extracted = sel.nodes.iter().any(|&i| graph.entity(i).origin == Origin::Extracted)
        || sel.links.iter().any(|&l| graph.link(l).origin == Origin::Extracted);

    // Each entry is a sample cell and its words.
    let mut entries: Vec<String> = Vec::new();
    for ((_, (shape, fill, style)), names) in &kinds {
        let rounded =
            if style.contains("rounded") || *shape == "ellipse" { r#" STYLE="rounded""# } else { "" };
        let border = if style.contains("bold") { 2 } else { 1 };
        let dashed = if style.contains("dashed") { " (dashed)" } else { "" };
        entries.push(format!(
            r#"<TD BGCOLOR="{fill}" BORDER="{border}"{rounded} WIDTH="26" HEIGHT="12"></TD><TD ALIGN="LEFT">{}{dashed}</TD>"#,
            super::graphml::xml_escape(&names.join(", "))
        ));
    }
    for c in certainties {
        let (style, color, width) = edge_style(c);
        let style = if style == "solid" { String::new() } else { format!(r#" STYLE="{style}""#) };
        let border = if width.parse::<f32>().unwrap_or(1.0) >= 1.5 { 2 } else { 1 };
        let text = match c {
            Certainty::Refuted => "REFUTED: not a connection".to_owned(),
            c => c.name().to_owned(),
        };
        entries.push(format!(
            r#"<TD SIDES="B" BORDER="{border}" COLOR="{color}"{style} WIDTH="26" HEIGHT="8"></TD><TD ALIGN="LEFT"><FONT COLOR="{color}">{text}</FONT></TD>"#
        ));
    }
    if extracted {
        entries.push(
            r##"<TD BORDER="2" COLOR="#6a5acd" WIDTH="26" HEIGHT="12"></TD><TD ALIGN="LEFT">proposed by the extractor, not reviewed</TD>"##
                .to_owned(),
        );
    }
    let mut rows = String::from(r#"<TR><TD COLSPAN="4" ALIGN="LEFT"><B>Legend</B></TD></TR>"#);
    for row in entries.chunks(2) {
        rows.push_str(&format!("<TR>{}</TR>", row.concat()));
    }
    format!(
        r##"<TABLE ID="legend" TOOLTIP="Legend: the node and line styles of this diagram" BORDER="1" COLOR="#999999" CELLBORDER="0" CELLSPACING="2" CELLPADDING="1"><TR><TD><FONT POINT-SIZE="9"><TABLE BORDER="0" CELLSPACING="2" CELLPADDING="1">{rows}</TABLE></FONT></TD></TR></TABLE>"##
    )
}

/// Text for a Graphviz HTML-like label: XML-escaped, control characters dropped (the label is
/// read by an XML parser), line breaks as `<BR/>`.
fn html_text(text: &str) -> String {
    super::graphml::xml_escape(text).replace("\r\n", "\n").replace(['\r', '\n'], "<BR/>").replace('\t', " ")
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

/// The layout a selection is drawn with: the one its view names, else left to right unless
/// that overflows a 20x12.5 in (1920x1200 px) screen and top to bottom overflows it less. The sizes are rough estimates from the
/// ranks `dot` will make (longest chains of links) and the widest rank: in left-to-right ranks
/// are columns about 2.4 in wide (a node and an edge label) and their nodes 0.7 in apart; in
/// top-to-bottom ranks are rows about 1.2 in tall and their nodes 2 in apart.
pub fn pick_layout(graph: &KnowledgeGraph, sel: &Selection) -> Layout {
    if let Some(l) = sel.layout {
        return l;
    }
    let at: HashMap<usize, usize> = sel.nodes.iter().enumerate().map(|(n, &i)| (i, n)).collect();
    let edges: Vec<(usize, usize)> = sel
        .links
        .iter()
        .filter_map(|&l| graph.ends(l))
        .filter_map(|(a, b)| Some((*at.get(&a)?, *at.get(&b)?)))
        .filter(|(a, b)| a != b)
        .collect();
    // Longest-path ranks, relaxed at most once per node so that cycles end.
    let mut rank = vec![0usize; sel.nodes.len()];
    for _ in 0..sel.nodes.len() {
        let mut changed = false;
        for &(a, b) in &edges {
            if rank[b] < rank[a] + 1 && rank[a] + 1 < sel.nodes.len() {
                rank[b] = rank[a] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let ranks = rank.iter().max().map_or(1, |r| r + 1) as f64;
    let mut per_rank = vec![0usize; ranks as usize];
    for r in rank {
        per_rank[r] += 1;
    }
    let widest = per_rank.into_iter().max().unwrap_or(1) as f64;
    let shrink = |(w, h): (f64, f64)| (w / 20.0).max(h / 12.5);
    let left_to_right = shrink((ranks * 2.4, widest * 0.7));
    if left_to_right > 1.0 && shrink((widest * 2.0, ranks * 1.2)) < left_to_right {
        Layout::TopToBottom
    } else {
        Layout::LeftToRight
    }
}

/// The diagram of a selection, as graphviz-rust structures.
pub fn build(graph: &KnowledgeGraph, sel: &Selection, name: &str, opts: Options) -> Graph {
    let date = data_date(graph).map_or_else(|| "undated".to_owned(), |d| format!("data as of {d}"));
    let rankdir = match pick_layout(graph, sel) {
        Layout::LeftToRight => "LR",
        Layout::TopToBottom => "TB",
    };
    let title = if opts.legend {
        let html = format!(
            r#"<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="0"><TR><TD VALIGN="TOP"><FONT POINT-SIZE="16">{}<BR/>{} · threatgraph</FONT></TD><TD WIDTH="24"></TD><TD>{}</TD></TR></TABLE>>"#,
            html_text(&sel.title),
            html_text(&date),
            legend(graph, sel)
        );
        Attribute(Id::Plain("label".to_owned()), Id::Html(html))
    } else {
        attr("label", &format!("{}\n{date} · threatgraph", sel.title))
    };
    let mut stmts = vec![
        Stmt::GAttribute(GraphAttributes::Graph(vec![
            title,
            attr("labelloc", "t"),
            attr("fontname", "Helvetica"),
            attr("fontsize", "16"),
            attr("rankdir", rankdir),
            attr("newrank", "true"),
            attr("ranksep", "0.3"),
            attr("nodesep", "0.25"),
        ])),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("fontname", "Helvetica"),
            attr("fontsize", "10"),
            attr("margin", "0.06,0.03"),
        ])),
        // `decorate` underlines each edge label and draws a connector from it to its line, so a
        // label beside several lines still says which one it belongs to.
        Stmt::GAttribute(GraphAttributes::Edge(vec![
            attr("fontname", "Helvetica"),
            attr("fontsize", "9"),
            attr("decorate", "true"),
        ])),
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
            Stmt::Attribute(attr("fontsize", "11")),
            // Top to bottom, at the bottom, where lines coming into the box from above do not
            // cross it; left to right, at the top.
            Stmt::Attribute(attr("labelloc", if rankdir == "TB" { "b" } else { "t" })),
        ];
        inner.extend(nodes);
        stmts.push(Stmt::Subgraph(Subgraph { id: quoted(&format!("cluster_{key}")), stmts: inner }));
    }
    for group in edge_groups(graph, sel) {
        stmts.push(group_edge(graph, &group));
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
        assert!(text.contains("Test &quot;graph&quot;<BR/>"), "the title, escaped for HTML: {text}");
        let plain = write(&g, &sel, "t", Options { legend: false });
        assert!(plain.contains(r#"label="Test \"graph\"\n"#), "{plain}");
    }

    #[test]
    fn dates_say_what_kind_of_date_they_are() {
        let d = |s: &str| PartialDate::parse(s).unwrap();
        assert_eq!(when_label(Some(&d("2017-08")), None, None).as_deref(), Some("2017-08"));
        assert_eq!(when_label(Some(&d("~2004")), None, None).as_deref(), Some("~2004"));
        assert_eq!(when_label(None, Some(&d("2016")), None).as_deref(), Some("since 2016"));
        assert_eq!(when_label(None, None, Some(&d("2017-08"))).as_deref(), Some("until 2017-08"));
        assert_eq!(when_label(None, Some(&d("2016")), Some(&d("2018"))).as_deref(), Some("2016-2018"));
        assert_eq!(
            when_label(None, Some(&d("2016-03")), Some(&d("2018"))).as_deref(),
            Some("2016-03 to 2018")
        );
        assert_eq!(when_label(None, Some(&d("2016")), Some(&d("2016"))).as_deref(), Some("2016"));
        assert_eq!(when_label(None, None, None), None);
    }

    #[test]
    fn the_legend_shows_only_what_the_diagram_uses() {
        let g = fixture::graph(fixture::NETWORK);
        let all = legend(&g, &whole(&g, &LinkFilter::default(), Refuted::Show, "all"));
        assert!(all.contains("REFUTED: not a connection") && all.contains("Attack"), "{all}");
        let sel = crate::export::view::around(
            &g,
            g.index_of("ann").unwrap(),
            1,
            &LinkFilter::default(),
            Refuted::Show,
        );
        let some = legend(&g, &sel);
        assert!(some.contains(">Person<") && !some.contains("Attack") && !some.contains("REFUTED"), "{some}");
    }

    #[test]
    fn links_with_the_same_ends_and_certainty_share_an_edge() {
        let g = fixture::graph(fixture::NETWORK);
        let sel = whole(&g, &LinkFilter::default(), Refuted::Show, "all");
        let groups = edge_groups(&g, &sel);
        assert_eq!(groups.iter().map(Vec::len).sum::<usize>(), sel.links.len(), "every link drawn once");
        for group in &groups {
            let first = g.link(group[0]);
            for &l in group {
                let l = g.link(l);
                assert_eq!((&l.from, &l.to, l.certainty), (&first.from, &first.to, first.certainty));
            }
        }
    }
}

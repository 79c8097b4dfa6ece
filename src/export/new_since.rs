//! Marking what is new since a date on a diagram: the entities and links that no source
//! published before the date supports, by the rule of [`crate::model::as_of`]. Works on the
//! diagram the DOT writer built, adding to the marked nodes and edges only: a thicker double
//! outline and a `new since DATE` line on a node, a thicker line and `NEW ·` on an edge (the
//! line's style and colour, which say its certainty, are kept), and the class `new` for the
//! HTML viewer. Facts that rest only on undated sources are never marked: nothing says when
//! they appeared.

use graphviz_rust::dot_structures::{Attribute, Graph, Id, Stmt};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use super::view::Selection;
use super::{dot, link_id};
use crate::graph::KnowledgeGraph;
use crate::hash::FastSet;
use crate::model::PartialDate;
use crate::model::as_of::Window;

/// The DOT ids (as the writer quotes them) of the selected nodes and edges new since `date`.
#[derive(Debug, Default)]
pub struct New {
    date: String,
    nodes: FastSet<String>,
    edges: FastSet<String>,
}

impl New {
    /// What in `sel` is new since `date`: a link whose dated sources are all of `date` or
    /// later; an entity none of whose sources was published before, that no link known then
    /// names, and that a dated source supports (its own, or a link's).
    pub fn find(graph: &KnowledgeGraph, sel: &Selection, date: &PartialDate) -> New {
        let window = Window::new(graph.sources(), date, None);
        let (before, dated) = (&window.before, &window.by_end);
        let mut named_before = FastSet::default();
        let mut named_later = FastSet::default();
        for (i, l) in graph.links().iter().enumerate() {
            let Some((from, to)) = graph.ends(i) else { continue };
            if before.any(&l.sources) {
                named_before.extend([from, to]);
            } else if dated.any(&l.sources) {
                named_later.extend([from, to]);
            }
        }
        let mut new = New { date: date.to_string(), ..New::default() };
        for &i in &sel.nodes {
            let e = graph.entity(i);
            let known = before.any(&e.sources) || named_before.contains(&i);
            if !known && (dated.any(&e.sources) || named_later.contains(&i)) {
                new.nodes.insert(written(&dot::quoted(&dot::node_name(e.id.as_str()))).to_owned());
            }
        }
        for &l in &sel.links {
            let link = graph.link(l);
            if window.is_new(&link.sources) {
                new.edges.insert(written(&dot::quoted(&link_id(graph, l))).to_owned());
            }
        }
        new
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty() && self.edges.is_empty()
    }

    /// Marks the new nodes and edges of a diagram built by [`dot::build`].
    pub fn mark(&self, diagram: &mut Graph) {
        let stmts = match diagram {
            Graph::Graph { stmts, .. } | Graph::DiGraph { stmts, .. } => stmts,
        };
        self.mark_all(stmts);
    }

    fn mark_all(&self, stmts: &mut [Stmt]) {
        for stmt in stmts {
            match stmt {
                Stmt::Node(node) if self.nodes.contains(&id_of(&node.attributes)) => {
                    let line = format!("new since {}", self.date);
                    edit(&mut node.attributes, "label", |label| format!("{label}\n{line}"));
                    edit(&mut node.attributes, "class", |class| format!("{class} new"));
                    node.attributes.push(attr("peripheries", "2"));
                    node.attributes.push(attr("penwidth", "2.5"));
                }
                Stmt::Edge(edge) if self.edges.contains(&id_of(&edge.attributes)) => {
                    edit(&mut edge.attributes, "label", |label| format!("NEW · {label}"));
                    edit(&mut edge.attributes, "class", |class| format!("{class} new"));
                    edit(&mut edge.attributes, "penwidth", |width| {
                        let width: f64 = width.parse().unwrap_or(1.0);
                        format!("{}", width + 2.0)
                    });
                }
                Stmt::Subgraph(sub) => self.mark_all(&mut sub.stmts),
                _ => {}
            }
        }
    }
}

/// The DOT text of a selection with what is new since a date marked (see [`dot::write`]).
pub fn write(graph: &KnowledgeGraph, sel: &Selection, name: &str, opts: dot::Options, new: &New) -> String {
    let mut diagram = dot::build(graph, sel, name, opts);
    new.mark(&mut diagram);
    let mut text = diagram.print(&mut PrinterContext::default());
    text.push('\n');
    text
}

fn attr(key: &str, value: &str) -> Attribute {
    Attribute(Id::Plain(key.to_owned()), dot::quoted(value))
}

/// The text of an id as it is written in the DOT file.
fn written(id: &Id) -> &str {
    match id {
        Id::Html(s) | Id::Escaped(s) | Id::Plain(s) => s,
        Id::Anonymous(_) => "",
    }
}

/// The value of the `id` attribute, quoted as written.
fn id_of(attributes: &[Attribute]) -> String {
    attributes
        .iter()
        .find(|a| a.0 == Id::Plain("id".into()))
        .map(|a| written(&a.1).to_owned())
        .unwrap_or_default()
}

/// Replaces the value of attribute `key` (written by [`dot::quoted`]) with `change` of its
/// text; the text comes back escaped and quoted as the writer writes it.
fn edit(attributes: &mut [Attribute], key: &str, change: impl Fn(&str) -> String) {
    for a in attributes.iter_mut().filter(|a| a.0 == Id::Plain(key.to_owned())) {
        let quoted = written(&a.1);
        let text = unescape(quoted.strip_prefix('"').and_then(|q| q.strip_suffix('"')).unwrap_or(quoted));
        a.1 = dot::quoted(&change(&text));
    }
}

/// The inverse of [`dot::escape`] for what it writes: `\\`, `\"` and `\n`.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            (c, false) => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::view::{Refuted, whole};
    use crate::query::LinkFilter;

    const SOURCES: &str = r#"[
        (id: "old", title: "Old", date: "2016", reliability: B),
        (id: "new", title: "New", date: "2024-03", reliability: C),
        (id: "undated", title: "Undated", reliability: C),
    ]"#;

    /// Ann is old news; Bob and his tie to Ann are new in 2024; Cat rests on an undated source.
    const FACTS: &str = r#"(
        entities: [
            Person(id: "ann", name: "Ann \"A\" Example", sources: ["old"]),
            Person(id: "bob", name: "Bob Example", sources: ["new"]),
            Person(id: "cat", name: "Cat Example", sources: ["undated"]),
        ],
        links: [
            (from: "ann", rel: AssociateOf, to: "bob", certainty: Alleged, sources: ["new"]),
            (from: "ann", rel: AssociateOf, to: "cat", certainty: Reported, sources: ["undated", "old"]),
        ],
    )"#;

    #[test]
    fn new_nodes_and_edges_are_marked_and_the_rest_is_untouched() {
        let graph = crate::query::fixture::graph_with(SOURCES, FACTS);
        let sel = whole(&graph, &LinkFilter::default(), Refuted::Show, "T");
        let new = New::find(&graph, &sel, &PartialDate::parse("2024").unwrap());
        assert_eq!(new.nodes.len(), 1, "{new:?}");
        assert_eq!(new.edges.len(), 1, "{new:?}");
        let plain = dot::write(&graph, &sel, "t", dot::Options::default());
        let marked = write(&graph, &sel, "t", dot::Options::default(), &new);
        assert!(marked.contains(r#"label="Bob Example\nPerson\nnew since 2024""#), "{marked}");
        assert!(marked.contains(r#"class="entity kind-person new""#));
        assert!(marked.contains(r#"label="NEW · AssociateOf (Alleged)""#), "{marked}");
        // Ann's quoted name survives the edit of nothing; Cat (undated) and Ann are not marked.
        assert!(marked.contains(r#"label="Ann \"A\" Example\nPerson""#));
        assert_eq!(marked.matches("new since").count(), 1);
        assert_eq!(marked.matches("NEW · ").count(), 1);
        // Marking only adds: the unmarked lines are the writer's own.
        let unchanged = plain.lines().filter(|l| marked.lines().any(|m| m == *l)).count();
        assert!(unchanged + 2 >= plain.lines().count(), "only the two marked statements differ");
        graphviz_rust::parse(&marked).expect("the marked diagram parses");
        // Nothing is new since 2025.
        assert!(New::find(&graph, &sel, &PartialDate::parse("2025").unwrap()).is_empty());
    }
}

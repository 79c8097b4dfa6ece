//! Exports: diagrams (DOT through one writer, rendered by Graphviz; an offline HTML viewer)
//! and data for other tools (GraphML, JSON node-link, Neo4j, FollowTheMoney).
//!
//! Every export starts from a [`view::Selection`] (which entities and links to include) and
//! writes text deterministically: same data, same bytes.

pub mod cypher;
pub mod dot;
pub mod ftm;
pub mod graphml;
pub mod html;
pub mod json;
pub mod neo4j_csv;
pub mod new_since;
pub mod render;
pub mod stix;
pub mod view;

use std::io::Write;
use std::path::Path;

use crate::graph::KnowledgeGraph;
use crate::model::{Link, PartialDate};

/// The data's date: the newest date among the sources (never the wall clock), if any.
pub fn data_date(graph: &KnowledgeGraph) -> Option<&PartialDate> {
    graph.sources().iter().filter_map(|s| s.date.as_ref()).max_by(|a, b| a.chronological(b))
}

/// The id of link `i` in every export: `from.Relation.to`, with `.2`, `.3`, ... for a second
/// or third link of the same relation between the same two entities. It does not change when
/// other facts are added or removed.
pub fn link_id(graph: &KnowledgeGraph, i: usize) -> String {
    let l = graph.link(i);
    // Earlier links of the same relation between the same ends, found among `from`'s links.
    let same = graph.ends(i).map_or(0, |(from, _)| {
        graph
            .incident(from)
            .iter()
            .filter(|inc| inc.link() < i && inc.direction == crate::graph::Direction::Out)
            .filter(|inc| {
                let o = graph.link(inc.link());
                o.rel == l.rel && o.to == l.to
            })
            .count()
    });
    match same {
        0 => format!("{}.{}.{}", l.from, l.rel, l.to),
        n => format!("{}.{}.{}.{}", l.from, l.rel, l.to, n + 1),
    }
}

/// A link's sources as `id: title (publisher, date)`, one per line.
pub fn source_lines(graph: &KnowledgeGraph, ids: &[crate::model::Id]) -> Vec<String> {
    ids.iter()
        .map(|id| match graph.source(id) {
            Some(s) => {
                let mut extra: Vec<String> = Vec::new();
                extra.extend(s.publisher.clone());
                extra.extend(s.date.as_ref().map(ToString::to_string));
                extra.push(format!("reliability {}", s.reliability));
                format!("{id}: {} ({})", s.title, extra.join(", "))
            }
            None => id.to_string(),
        })
        .collect()
}

/// The type of an exported attribute (GraphML `attr.type`, Neo4j CSV header type).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    Str,
    Int,
    Float,
    /// A list of strings (GraphML: joined with `; `).
    List,
}

/// An attribute value of an entity or link.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(String),
    Int(u32),
    Float(f64),
    List(Vec<String>),
}

impl Value {
    /// The value as one string (lists joined with `; `).
    pub fn text(&self) -> String {
        match self {
            Value::Str(s) => s.clone(),
            Value::Int(n) => n.to_string(),
            Value::Float(x) => x.to_string(),
            Value::List(items) => items.join("; "),
        }
    }

    pub fn json(&self) -> serde_json::Value {
        match self {
            Value::Str(s) => serde_json::Value::from(s.as_str()),
            Value::Int(n) => serde_json::Value::from(*n),
            Value::Float(x) => serde_json::Value::from(*x),
            Value::List(items) => serde_json::Value::from(items.clone()),
        }
    }
}

/// Every attribute an exported entity may carry, with its type, in export order.
pub const ENTITY_KEYS: &[(&str, Type)] = &[
    ("name", Type::Str),
    ("kind", Type::Str),
    ("subkind", Type::Str),
    ("aliases", Type::List),
    ("summary", Type::Str),
    ("sources", Type::List),
    ("origin", Type::Str),
    ("born", Type::Str),
    ("died", Type::Str),
    ("roles", Type::List),
    ("status", Type::Str),
    ("founded", Type::Str),
    ("dissolved", Type::Str),
    ("ideology", Type::Str),
    ("lat", Type::Float),
    ("lon", Type::Float),
    ("date", Type::Str),
    ("start", Type::Str),
    ("end", Type::Str),
    ("killed", Type::Int),
    ("injured", Type::Int),
    ("method", Type::Str),
    ("target", Type::Str),
    ("outcome", Type::Str),
];

/// Every attribute an exported link may carry, with its type, in export order.
pub const LINK_KEYS: &[(&str, Type)] = &[
    ("rel", Type::Str),
    ("certainty", Type::Str),
    ("grade", Type::Str),
    ("date", Type::Str),
    ("since", Type::Str),
    ("until", Type::Str),
    ("role", Type::Str),
    ("note", Type::Str),
    ("sources", Type::List),
    ("origin", Type::Str),
];

fn origin_name(o: crate::model::Origin) -> &'static str {
    o.name()
}

/// An entity's attributes (those it has), keyed as in [`ENTITY_KEYS`].
pub fn entity_attrs(e: &crate::model::Entity) -> Vec<(&'static str, Value)> {
    use crate::model::Details;
    let s = |v: &str| Value::Str(v.to_owned());
    let d = |v: &Option<PartialDate>| v.as_ref().map(|d| Value::Str(d.to_string()));
    let mut out: Vec<(&'static str, Option<Value>)> = vec![
        ("name", Some(s(&e.name))),
        ("kind", Some(s(e.kind().name()))),
        ("subkind", e.subkind().map(s)),
        ("aliases", (!e.aliases.is_empty()).then(|| Value::List(e.aliases.clone()))),
        ("summary", e.summary.as_deref().map(s)),
        ("sources", Some(Value::List(e.sources.iter().map(ToString::to_string).collect()))),
        ("origin", Some(s(origin_name(e.origin)))),
    ];
    match &e.details {
        Details::Person(p) => out.extend([
            ("born", d(&p.born)),
            ("died", d(&p.died)),
            ("roles", (!p.roles.is_empty()).then(|| Value::List(p.roles.clone()))),
            ("status", p.status.map(|v| s(v.name()))),
        ]),
        Details::Group(g) => out.extend([
            ("founded", d(&g.founded)),
            ("dissolved", d(&g.dissolved)),
            ("ideology", g.ideology.map(|v| s(v.name()))),
        ]),
        Details::Place(p) => out.extend([("lat", p.lat.map(Value::Float)), ("lon", p.lon.map(Value::Float))]),
        Details::Event(ev) => out.extend([
            ("date", d(&ev.date)),
            ("start", d(&ev.start)),
            ("end", d(&ev.end)),
            ("killed", ev.killed.map(Value::Int)),
            ("injured", ev.injured.map(Value::Int)),
            ("method", ev.method.map(|v| s(v.name()))),
            ("target", ev.target.map(|v| s(v.name()))),
            ("outcome", ev.outcome.map(|v| s(v.name()))),
        ]),
    }
    out.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))).collect()
}

/// A link's attributes (those it has), keyed as in [`LINK_KEYS`].
pub fn link_attrs(graph: &KnowledgeGraph, l: &Link) -> Vec<(&'static str, Value)> {
    let s = |v: &str| Value::Str(v.to_owned());
    let d = |v: &Option<PartialDate>| v.as_ref().map(|d| Value::Str(d.to_string()));
    let out: Vec<(&'static str, Option<Value>)> = vec![
        ("rel", Some(s(l.rel.name()))),
        ("certainty", Some(s(l.certainty.name()))),
        ("grade", Some(s(&grade(graph, l)))),
        ("date", d(&l.date)),
        ("since", d(&l.since)),
        ("until", d(&l.until)),
        ("role", l.role.as_deref().map(s)),
        ("note", l.note.as_deref().map(s)),
        ("sources", Some(Value::List(l.sources.iter().map(ToString::to_string).collect()))),
        ("origin", Some(s(origin_name(l.origin)))),
    ];
    out.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))).collect()
}

/// `B/Reported`: the best reliability among the link's sources, and its certainty.
pub fn grade(graph: &KnowledgeGraph, link: &Link) -> String {
    crate::query::grade(graph, link)
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, then a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// Writes what `fill` writes to `path` atomically. A reader sees the old file or the whole new
/// one, never part of it: the text goes to a temporary file in the same folder, is synced to
/// disk, and is renamed into place. When `fill` fails or panics, or the process is killed
/// first, `path` keeps its old content (a failure or panic also removes the temporary file).
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    {
        let mut out = std::io::BufWriter::new(tmp.as_file_mut());
        fill(&mut out)?;
        out.flush()?;
    }
    tmp.as_file().sync_all()?;
    // A temporary file is private (0600); the result is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_ids_name_the_link_and_number_repeats() {
        let facts = crate::query::fixture::NETWORK.replace(
            "links: [",
            r#"links: [(from: "bob", rel: MemberOf, to: "alpha-cell", certainty: Alleged, sources: ["w"]),"#,
        );
        let g = crate::query::fixture::graph(&facts);
        assert_eq!(link_id(&g, 0), "bob.MemberOf.alpha-cell");
        assert_eq!(link_id(&g, 1), "ann.MemberOf.alpha-cell");
        assert_eq!(link_id(&g, 2), "bob.MemberOf.alpha-cell.2");
    }

    #[test]
    fn atomic_write_replaces_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left behind");
    }

    /// The names in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_write_that_fails_halfway_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        write_atomic(&path, b"the old text").unwrap();
        let failed = write_atomic_with(&path, |w| {
            w.write_all(&[b'x'; 100_000])?;
            Err(std::io::Error::other("disk full (injected)"))
        });
        assert_eq!(failed.unwrap_err().to_string(), "disk full (injected)");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "the old text");
        assert_eq!(names(dir.path()), ["out.txt"], "the temporary file is removed");
    }

    #[test]
    fn a_write_that_panics_halfway_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        write_atomic(&path, b"the old text").unwrap();
        let outcome = std::panic::catch_unwind(|| {
            write_atomic_with(&path, |w| {
                w.write_all(&[b'x'; 100_000])?;
                panic!("interrupted (injected)");
            })
        });
        assert!(outcome.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "the old text");
        assert_eq!(names(dir.path()), ["out.txt"], "the temporary file is removed");
    }

    #[test]
    fn a_new_file_is_not_created_by_a_failed_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.txt");
        assert!(write_atomic_with(&path, |_| Err(std::io::Error::other("injected"))).is_err());
        assert!(names(dir.path()).is_empty());
    }
}

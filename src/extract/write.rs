//! Writing proposals as a RON facts file that the loader reads from `data/extracted/`: new
//! entities (known ones are in the graph already) and every link, each citing its source and
//! carrying the rule and the span it came from. Written atomically.

use std::fmt::Write as _;
use std::path::Path;

use super::Extraction;
use crate::save::quote;

/// The RON text of an extraction: new entities and all links, in extraction order.
pub fn ron(extraction: &Extraction, inputs: &[String]) -> String {
    let mut out = String::new();
    out.push_str("// Proposed by `threatgraph extract`; not reviewed. Review with `threatgraph review`.\n");
    for input in inputs {
        let _ = writeln!(out, "// read: {input}");
    }
    out.push_str("(\n    entities: [\n");
    for e in extraction.entities.iter().filter(|e| !e.known) {
        let sources = sources(e.mentions.iter().map(|m| m.source.as_str()));
        let mut fields = vec![format!("id: {}", quote(&e.id)), format!("name: {}", quote(&e.name))];
        if !e.aliases.is_empty() {
            let aliases: Vec<String> = e.aliases.iter().map(|a| quote(a)).collect();
            fields.push(format!("aliases: [{}]", aliases.join(", ")));
        }
        if let Some(sub) = e.subkind {
            fields.push(format!("subkind: {sub}"));
        }
        if let Some(date) = &e.date {
            fields.push(format!("date: {}", quote(date)));
        }
        fields.push(format!("sources: [{sources}]"));
        fields.push(format!("rule: {}", quote(e.rule)));
        let spans: Vec<String> = e.mentions.iter().map(|m| span(&m.file, m.start, m.end)).collect();
        fields.push(format!("spans: [{}]", spans.join(", ")));
        let _ = writeln!(out, "        {}({}),", e.kind, fields.join(", "));
    }
    out.push_str("    ],\n    links: [\n");
    for l in &extraction.links {
        let _ = writeln!(
            out,
            "        (from: {}, rel: {}, to: {}, certainty: {}, sources: [{}], rule: {}, spans: [{}]),",
            quote(&l.from),
            l.rel,
            quote(&l.to),
            l.certainty,
            quote(&l.source),
            quote(l.rule),
            span(&l.span.file, l.span.start, l.span.end)
        );
    }
    out.push_str("    ],\n)\n");
    out
}

fn span(file: &str, start: usize, end: usize) -> String {
    format!("(file: {}, start: {start}, end: {end})", quote(file))
}

fn sources<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for id in ids {
        if !seen.contains(&id) {
            seen.push(id);
        }
    }
    seen.iter().map(|s| quote(s)).collect::<Vec<_>>().join(", ")
}

/// Writes `text` to `path` through a temporary file in the same folder, renamed into place, so
/// that a reader never sees half a file and an interrupted write leaves the old one. Creates
/// the folder when it is missing.
pub fn atomic_write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    crate::export::write_atomic(path, text.as_bytes())
}

//! Review of extracted facts: what is pending (with the sentence each came from, read from
//! the article, not stored), accepting facts into `data/curated/reviewed.ron` and rejecting
//! them. Rejections are kept in `data/review/rejected.ron`, so re-extraction does not propose
//! them again.

pub mod merge;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::Extraction;
use super::write::atomic_write;
use crate::load::{Loaded, Located};
use crate::model::{Origin, Provenance, Relation};
use crate::save::quote;

/// Where rejections are kept, inside the data folder.
pub const REJECTED: &str = "review/rejected.ron";
/// The curated file accepted facts go to.
pub const REVIEWED: &str = "curated/reviewed.ron";

/// What reviewers said no to: new entities by id, links by their ends and relation.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rejected {
    #[serde(default)]
    pub entities: Vec<String>,
    #[serde(default)]
    pub links: Vec<(String, Relation, String)>,
}

impl Rejected {
    pub fn read(data: &Path) -> std::io::Result<Rejected> {
        let path = data.join(REJECTED);
        match std::fs::read_to_string(&path) {
            Ok(text) => ron::from_str(&text).map_err(|e| {
                std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{}: {e}", path.display()))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Rejected::default()),
            Err(e) => Err(e),
        }
    }

    pub fn write(&self, data: &Path) -> std::io::Result<()> {
        let mut out = String::from(
            "// Facts reviewers rejected: `threatgraph extract` does not propose them again.\n(\n    entities: [\n",
        );
        for id in &self.entities {
            out.push_str(&format!("        {},\n", quote(id)));
        }
        out.push_str("    ],\n    links: [\n");
        for (from, rel, to) in &self.links {
            out.push_str(&format!("        ({}, {rel}, {}),\n", quote(from), quote(to)));
        }
        out.push_str("    ],\n)\n");
        atomic_write(&data.join(REJECTED), &out)
    }

    pub fn has_link(&self, from: &str, rel: Relation, to: &str) -> bool {
        self.links.iter().any(|(f, r, t)| {
            *r == rel && ((f == from && t == to) || (rel.is_symmetric() && f == to && t == from))
        })
    }
}

/// Leaves out of an extraction what reviewers rejected before.
pub fn drop_rejected(data: &Path, extraction: &mut Extraction) -> std::io::Result<()> {
    let rejected = Rejected::read(data)?;
    extraction.entities.retain(|e| e.known || !rejected.entities.contains(&e.id));
    let present: std::collections::HashSet<String> =
        extraction.entities.iter().map(|e| e.id.clone()).collect();
    extraction.links.retain(|l| {
        present.contains(&l.from) && present.contains(&l.to) && !rejected.has_link(&l.from, l.rel, &l.to)
    });
    Ok(())
}

/// The path of an article a span names, relative to the data folder.
pub fn article_path(data: &Path, file: &str) -> PathBuf {
    data.join(file)
}

/// A fact waiting for review: what it says, the rule that proposed it, and the sentence of
/// the article it came from (read now from the article, never stored).
#[derive(Debug, serde::Serialize)]
pub struct Pending {
    /// What `review accept|reject` takes: an entity's id, or `from/Relation/to` for a link.
    pub id: String,
    pub kind: &'static str,
    pub fact: String,
    pub certainty: Option<crate::model::Certainty>,
    pub rule: String,
    pub sources: Vec<String>,
    pub file: Option<String>,
    pub start: Option<usize>,
    pub end: Option<usize>,
    pub sentence: Option<String>,
    /// For a possible duplicate, the entity it may be (the text says what `review merge` to
    /// run; JSON has it in `fact`).
    #[serde(skip)]
    pub existing: Option<String>,
}

/// The review id of a link.
pub fn link_id(l: &crate::model::Link) -> String {
    format!("{}/{}/{}", l.from, l.rel, l.to)
}

/// An article's text and its sentences.
type Article = (String, Vec<std::ops::Range<usize>>);

/// Every extracted fact not yet reviewed, entities first, in file order.
pub fn pending(loaded: &Loaded, data: &Path) -> Vec<Pending> {
    // Each article read and cut into sentences once, however many facts cite it.
    let mut articles: HashMap<String, Option<Article>> = HashMap::new();
    let mut sentence =
        |p: Option<&Provenance>| -> (Option<String>, Option<usize>, Option<usize>, Option<String>) {
            let Some(span) = p.and_then(|p| p.spans.first()) else { return (None, None, None, None) };
            let text = articles
                .entry(span.file.clone())
                .or_insert_with(|| {
                    let bytes = crate::load::file::read_limited(&article_path(data, &span.file)).ok()?;
                    let text = String::from_utf8(bytes).ok()?;
                    let sentences = super::text::sentences(&super::text::blank_markup(&text));
                    Some((text, sentences))
                })
                .as_ref();
            let found = text.and_then(|(t, sentences)| sentence_at(t, sentences, span.start, span.end));
            (Some(span.file.clone()), Some(span.start), Some(span.end), found)
        };
    let d = &loaded.dataset;
    let mut out = Vec::new();
    for e in d.entities.iter().filter(|e| e.origin == Origin::Extracted) {
        let (file, start, end, sentence) = sentence(e.provenance.as_deref());
        out.push(Pending {
            id: e.id.to_string(),
            kind: "entity",
            fact: match e.subkind() {
                Some(sub) => format!("{} {} ({sub})", e.kind(), e.name),
                None => format!("{} {}", e.kind(), e.name),
            },
            certainty: None,
            rule: e.provenance.as_deref().map(|p| p.rule.clone()).unwrap_or_default(),
            sources: e.sources.iter().map(ToString::to_string).collect(),
            file,
            start,
            end,
            sentence,
            existing: None,
        });
    }
    for l in d.links.iter().filter(|l| l.origin == Origin::Extracted) {
        let (file, start, end, sentence) = sentence(l.provenance.as_deref());
        out.push(Pending {
            id: link_id(l),
            kind: "link",
            fact: format!("{} {} {}", l.from, l.rel, l.to),
            certainty: Some(l.certainty),
            rule: l.provenance.as_deref().map(|p| p.rule.clone()).unwrap_or_default(),
            sources: l.sources.iter().map(ToString::to_string).collect(),
            file,
            start,
            end,
            sentence,
            existing: None,
        });
    }
    out.extend(possible_duplicates(loaded));
    out
}

/// The possible duplicates imports offered (`imported/NAME/duplicates.ron`) whose two entities
/// are both still there: `review merge EXISTING IMPORTED` makes one of them, after which the
/// pair is no longer listed.
fn possible_duplicates(loaded: &Loaded) -> Vec<Pending> {
    let d = &loaded.dataset;
    if loaded.duplicates.is_empty() {
        return Vec::new();
    }
    let by_id: HashMap<&str, &crate::model::Entity> = d.entities.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut out = Vec::new();
    for (import, pair) in &loaded.duplicates {
        let (Some(imported), Some(existing)) =
            (by_id.get(pair.imported.as_str()), by_id.get(pair.existing.as_str()))
        else {
            continue;
        };
        if imported.origin != Origin::Imported {
            continue;
        }
        out.push(Pending {
            id: pair.imported.clone(),
            kind: DUPLICATE,
            fact: format!(
                "{} {} may be {} ({}): {}",
                imported.kind(),
                imported.name,
                existing.name,
                existing.id,
                pair.why
            ),
            certainty: None,
            rule: format!("import {import}"),
            sources: imported.sources.iter().map(ToString::to_string).collect(),
            file: None,
            start: None,
            end: None,
            sentence: None,
            existing: Some(pair.existing.clone()),
        });
    }
    out
}

/// The kind of a [`Pending`] that is a possible duplicate of an import.
pub const DUPLICATE: &str = "possible duplicate";

/// The sentence of `text` (cut into `sentences`) holding bytes `start..end`, on one line.
fn sentence_at(text: &str, sentences: &[std::ops::Range<usize>], start: usize, end: usize) -> Option<String> {
    if end > text.len() || start > end {
        return None;
    }
    let first = sentences.iter().position(|r| r.end > start)?;
    let last = sentences.iter().rposition(|r| r.start < end).unwrap_or(first).max(first);
    let (s, e) = (sentences[first].start, sentences[last].end);
    Some(text.get(s..e)?.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The records a review decision applies to: entity and link indices of the dataset.
#[derive(Debug, Default)]
pub struct Selection {
    pub entities: Vec<usize>,
    pub links: Vec<usize>,
}

/// Finds the extracted facts the ids name. Accepting a link takes the new entities at its
/// ends with it; rejecting an entity takes its links with it.
pub fn select(loaded: &Loaded, ids: &[String], accepting: bool) -> Result<Selection, String> {
    let d = &loaded.dataset;
    let mut sel = Selection::default();
    for id in ids {
        let entity = d.entities.iter().position(|e| e.origin == Origin::Extracted && e.id.as_str() == id);
        let link = d.links.iter().position(|l| l.origin == Origin::Extracted && link_id(l) == *id);
        match (entity, link) {
            (Some(i), _) => sel.entities.push(i),
            (None, Some(i)) => sel.links.push(i),
            (None, None) => {
                return Err(format!("`{id}` is not an extracted fact waiting for review"));
            }
        }
    }
    if accepting {
        for &l in &sel.links.clone() {
            for end in [&d.links[l].from, &d.links[l].to] {
                if let Some(i) = d.entities.iter().position(|e| e.origin == Origin::Extracted && &e.id == end)
                {
                    sel.entities.push(i);
                }
            }
        }
    } else {
        for &e in &sel.entities.clone() {
            let id = &d.entities[e].id;
            for (i, l) in d.links.iter().enumerate() {
                if l.origin == Origin::Extracted && (&l.from == id || &l.to == id) {
                    sel.links.push(i);
                }
            }
        }
    }
    sel.entities.sort_unstable();
    sel.entities.dedup();
    sel.links.sort_unstable();
    sel.links.dedup();
    Ok(sel)
}

/// The byte range of record `at` in its file, with the comma and line break after it.
fn record_range(text: &str, at: &Located) -> (usize, usize) {
    let (start, mut end) = (at.span().start, at.span().end);
    let rest = &text[end..];
    let comma = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    if rest[comma..].starts_with(',') {
        end += comma + 1;
    }
    let rest = &text[end..];
    let blank = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    if rest[blank..].starts_with('\n') {
        end += blank + 1;
    }
    // Take the indentation before the record too, so no blank line is left.
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let start = if text[line_start..start].trim().is_empty() { line_start } else { start };
    (start, end)
}

/// Removes the selected records from the extracted files they are in; returns the new text
/// of each file changed and the removed records' texts (entities, links).
fn cut(loaded: &Loaded, sel: &Selection) -> (Vec<(PathBuf, String)>, Vec<String>, Vec<String>) {
    let mut by_file: BTreeMap<usize, Vec<(usize, usize)>> = BTreeMap::new();
    let (mut entities, mut links) = (Vec::new(), Vec::new());
    for (list, map, out) in
        [(&sel.entities, &loaded.map.entities, &mut entities), (&sel.links, &loaded.map.links, &mut links)]
    {
        for &i in list {
            let at = &map[i];
            let text = &loaded.files.get(at.file).text;
            out.push(text[at.span().start..at.span().end].to_owned());
            by_file.entry(at.file.0).or_default().push(record_range(text, at));
        }
    }
    let mut changed = Vec::new();
    for (file, mut ranges) in by_file {
        let f = loaded.files.get(crate::load::FileId(file));
        ranges.sort_unstable();
        let mut text = f.text.to_string();
        for (s, e) in ranges.into_iter().rev() {
            text.replace_range(s..e, "");
        }
        changed.push((f.path.clone(), text));
    }
    (changed, entities, links)
}

/// `reviewed.ron` with the records added to its lists (created when missing); what was
/// there before is kept byte for byte.
fn append(existing: Option<String>, entities: &[String], links: &[String]) -> Result<String, String> {
    let mut text = existing.unwrap_or_else(|| {
        "// Facts accepted in review (`threatgraph review accept`), with the rule and the article\n\
         // span each was extracted from.\n(\n    entities: [\n    ],\n    links: [\n    ],\n)\n"
            .to_owned()
    });
    for (field, records) in [("links", links), ("entities", entities)] {
        if records.is_empty() {
            continue;
        }
        let root = crate::load::tree::parse(&text).map_err(|e| format!("{REVIEWED}: {}", e.message))?;
        let list = root.field(field).ok_or_else(|| format!("{REVIEWED} has no `{field}` list"))?;
        let close = list.value.span.end - 1;
        let line_start = text[..close].rfind('\n').map_or(0, |i| i + 1);
        let at = if text[line_start..close].trim().is_empty() { line_start } else { close };
        let mut add = String::new();
        if at == close {
            add.push('\n');
        }
        for r in records {
            add.push_str(&format!("        {r},\n"));
        }
        if at == close {
            add.push_str("    ");
        }
        text.insert_str(at, &add);
    }
    Ok(text)
}

/// The writes that move the selected facts from `data/extracted/` into
/// `data/curated/reviewed.ron`. The curated file comes first: an interrupted review leaves a
/// fact in both places (a duplicate `check` reports), never in neither.
/// Accepts (or rejects) the selected facts, writing only if the folder as it will be after
/// the writes has no error it did not have before: `Ok(Err(refused))` when it would, and then
/// nothing is written. The one decision path of `threatgraph review` and the workspace.
pub fn decide(
    loaded: &Loaded,
    data: &Path,
    sel: &Selection,
    accepting: bool,
) -> Result<Result<(), super::guard::Refused>, String> {
    let (rejected, writes) = if accepting {
        (None, accept(loaded, data, sel)?)
    } else {
        let (rejected, writes) = reject(loaded, data, sel)?;
        (Some(rejected), writes)
    };
    match super::guard::check_writes(data, &writes)
        .map_err(|e| format!("cannot read {}: {e}", data.display()))?
    {
        Err(refused) => Ok(Err(refused)),
        Ok(()) => {
            if let Some(rejected) = rejected {
                rejected
                    .write(data)
                    .map_err(|e| format!("cannot write {}: {e}", data.join(REJECTED).display()))?;
            }
            super::guard::write_all(&writes).map(Ok)
        }
    }
}

pub fn accept(loaded: &Loaded, data: &Path, sel: &Selection) -> Result<Vec<(PathBuf, String)>, String> {
    let (changed, entities, links) = cut(loaded, sel);
    let reviewed = data.join(REVIEWED);
    let existing = match std::fs::read_to_string(&reviewed) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("cannot read {}: {e}", reviewed.display())),
    };
    let text = append(existing, &entities, &links)?;
    Ok(std::iter::once((reviewed, text)).chain(changed).collect())
}

/// The rejections file with the selected facts added, and the writes that drop them from
/// `data/extracted/`. The rejection is to be written first, so an interrupted review never
/// lets a dropped fact come back.
pub fn reject(
    loaded: &Loaded,
    data: &Path,
    sel: &Selection,
) -> Result<(Rejected, Vec<(PathBuf, String)>), String> {
    let (changed, _, _) = cut(loaded, sel);
    let mut rejected = Rejected::read(data).map_err(|e| e.to_string())?;
    let d = &loaded.dataset;
    for &e in &sel.entities {
        let id = d.entities[e].id.to_string();
        if !rejected.entities.contains(&id) {
            rejected.entities.push(id);
        }
    }
    for &l in &sel.links {
        let l = &d.links[l];
        if !rejected.has_link(l.from.as_str(), l.rel, l.to.as_str()) {
            rejected.links.push((l.from.to_string(), l.rel, l.to.to_string()));
        }
    }
    Ok((rejected, changed))
}

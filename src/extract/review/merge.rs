//! A reviewed merge of two entities (`threatgraph review merge KEEP OTHER`): KEEP takes
//! OTHER's id and names as aliases and its sources; every link, view seed and chain step that
//! named OTHER names KEEP instead; a link that becomes an exact duplicate of one already there
//! is dropped and its sources go to the one kept; OTHER's record goes.
//!
//! Every change is a textual edit at the span of the record it touches (found as the loader
//! found it), so that comments, order and layout of everything else stay byte for byte, in
//! curated files as in extracted and imported ones. The writes go through
//! [`crate::extract::guard`] like every other write into a data folder.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use serde::Serialize;

use crate::load::{FileId, Loaded, Located, tree};
use crate::model::{Details, Entity, Kind, Link, Origin, text};
use crate::save::quote;

/// Why two entities cannot be merged.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Refusal {
    #[error("`{id}` cannot be merged with itself")]
    #[diagnostic(code(merge_self), help("give two different entities: the one to keep, then its duplicate"))]
    Same { id: String },
    #[error(
        "`{keep}` is a {keep_kind} and `{other}` a {other_kind}: entities of different kinds are never one"
    )]
    #[diagnostic(
        code(merge_kinds),
        help(
            "merge only entities of one kind (a person with a person, a place with a place); link them instead if they are related"
        )
    )]
    Kinds { keep: String, keep_kind: Kind, other: String, other_kind: Kind },
    #[error(
        "`{other}` is {other_origin} but `{keep}` is only {keep_origin}: the merge would remove {other_origin} data"
    )]
    #[diagnostic(
        code(merge_order),
        help("keep the {other_origin} entity: `threatgraph review merge {other} {keep}`")
    )]
    Order { keep: String, keep_origin: &'static str, other: String, other_origin: &'static str },
    #[error(
        "step {step} of the chain `{chain}` goes from one merged entity to the other: it would go from `{keep}` to itself"
    )]
    #[diagnostic(
        code(merge_chain),
        help("edit or remove that step in {file} first: a declared chain cannot step in place")
    )]
    Chain { chain: String, step: usize, keep: String, file: String },
    #[error(
        "`{keep}` and `{other}` say different things in {fields}, and a merged entity holds one value of each:{conflicts}"
    )]
    #[diagnostic(
        code(merge_conflict),
        help(
            "edit one of the two records first so that they agree (or remove the value that is wrong), then merge again"
        )
    )]
    Conflicts { keep: String, other: String, fields: &'static str, conflicts: String },
    #[error("the record of `{id}` in {file} could not be read again: {message}")]
    #[diagnostic(code(merge_record), help("run `threatgraph check` and fix the file first"))]
    Record { id: String, file: String, message: String },
}

/// A field of OTHER that KEEP gains.
#[derive(Clone, Debug, Serialize)]
pub struct Carried {
    pub field: &'static str,
    /// The value as OTHER's record writes it; for a list, the items added, comma-separated.
    pub value: String,
    /// True for items added to a list (KEEP keeps its own), false for a field KEEP lacked.
    pub items: bool,
}

/// What KEEP gains of OTHER's details, to report and to write.
struct Carry {
    report: Vec<Carried>,
    /// Fields to set on KEEP: name, value as written in OTHER.
    fields: Vec<(&'static str, String)>,
    /// Items (RON literals) to add to KEEP's list fields.
    items: Vec<(&'static str, Vec<String>)>,
}

/// The single-valued fields an entity of its kind can hold, in the order a record writes them,
/// each with its value in a normal form (a date as parsed, a number as read), so that two
/// records are compared on what they say rather than on how they write it.
fn single_fields(e: &Entity) -> Vec<(&'static str, Option<String>)> {
    let date = |d: &Option<crate::model::PartialDate>| d.as_ref().map(|d| d.as_str().to_owned());
    let name = |n: Option<&str>| n.map(str::to_owned);
    let mut out = vec![("summary", e.summary.clone())];
    match &e.details {
        Details::Person(p) => out.extend([
            ("born", date(&p.born)),
            ("died", date(&p.died)),
            ("status", name(p.status.map(|s| s.name()))),
        ]),
        Details::Group(g) => out.extend([
            ("subkind", name(Some(g.subkind.name()))),
            ("founded", date(&g.founded)),
            ("dissolved", date(&g.dissolved)),
            ("ideology", name(g.ideology.map(|i| i.name()))),
        ]),
        Details::Place(p) => out.extend([
            ("subkind", name(Some(p.subkind.name()))),
            ("lat", p.lat.map(|x| x.to_string())),
            ("lon", p.lon.map(|x| x.to_string())),
        ]),
        Details::Event(v) => out.extend([
            ("subkind", name(Some(v.subkind.name()))),
            ("date", date(&v.date)),
            ("start", date(&v.start)),
            ("end", date(&v.end)),
            ("killed", v.killed.map(|n| n.to_string())),
            ("injured", v.injured.map(|n| n.to_string())),
            ("method", name(v.method.map(|m| m.name()))),
            ("target", name(v.target.map(|t| t.name()))),
            ("outcome", name(v.outcome.map(|o| o.name()))),
        ]),
    }
    out
}

/// The spans and external ids of a record's provenance, each item as a RON literal.
fn provenance_items(p: Option<&crate::model::Provenance>) -> [(&'static str, Vec<String>); 2] {
    let spans = p.map_or_else(Vec::new, |p| {
        p.spans
            .iter()
            .map(|s| format!("(file: {}, start: {}, end: {})", quote(&s.file), s.start, s.end))
            .collect()
    });
    let external_ids = p.map_or_else(Vec::new, |p| p.external_ids.iter().map(|x| quote(x)).collect());
    [("spans", spans), ("external_ids", external_ids)]
}

/// The list fields of an entity other than names and sources, each item as a RON literal.
fn list_fields(e: &Entity) -> Vec<(&'static str, Vec<String>)> {
    let roles = e.as_person().map(|p| p.roles.iter().map(|r| quote(r)).collect()).unwrap_or_default();
    std::iter::once(("roles", roles)).chain(provenance_items(e.provenance.as_deref())).collect()
}

/// The items of `theirs` that `mine` has not, each once, in their order.
fn new_items(mine: &[String], theirs: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut new: Vec<String> = Vec::new();
    for item in theirs {
        if !mine.contains(&item) && !new.contains(&item) {
            new.push(item);
        }
    }
    new
}

/// What KEEP takes of OTHER's details: every single-valued field it lacks, with the value as
/// OTHER writes it, and the items of OTHER's lists it has not. Two different values of one
/// field refuse the merge, naming each: which is right is the reader's to say. The extraction
/// `rule` is the exception: it names how a record was proposed, not what it says, so KEEP's
/// own stays and OTHER's is taken only when KEEP has none.
fn carry(loaded: &Loaded, keep: usize, other: usize) -> Result<Carry, Refusal> {
    let (k, o) = (&loaded.dataset.entities[keep], &loaded.dataset.entities[other]);
    let files = &loaded.files;
    let (keep_at, other_at) = (&loaded.map.entities[keep], &loaded.map.entities[other]);
    let written = |at: &Located, name: &str| {
        let span = at.field(files, name);
        let f = files.get(at.file);
        let (line, column) = f.line_col(span.start);
        (f.text[span.start..span.end].to_owned(), format!("{}:{line}:{column}", f.name))
    };
    let mut out = Carry { report: Vec::new(), fields: Vec::new(), items: Vec::new() };
    let mut conflicts = Vec::new();
    let rule = |e: &Entity| e.provenance.as_ref().map(|p| p.rule.clone()).filter(|r| !r.is_empty());
    let keep_fields = single_fields(k).into_iter().chain([("rule", rule(k))]);
    for ((name, mine), (_, theirs)) in
        keep_fields.zip(single_fields(o).into_iter().chain([("rule", rule(o))]))
    {
        let Some(theirs) = theirs else { continue };
        match mine {
            None => {
                let (value, _) = written(other_at, name);
                out.report.push(Carried { field: name, value: value.clone(), items: false });
                out.fields.push((name, value));
            }
            Some(mine) if mine != theirs && name != "rule" => {
                let ((kv, kw), (ov, ow)) = (written(keep_at, name), written(other_at, name));
                conflicts
                    .push(format!("\n  {name}:\n    `{}` ({kw}): {kv}\n    `{}` ({ow}): {ov}", k.id, o.id));
            }
            Some(_) => {}
        }
    }
    if !conflicts.is_empty() {
        return Err(Refusal::Conflicts {
            keep: k.id.to_string(),
            other: o.id.to_string(),
            fields: if conflicts.len() == 1 { "one field" } else { "these fields" },
            conflicts: conflicts.concat(),
        });
    }
    for ((name, mine), (_, theirs)) in list_fields(k).into_iter().zip(list_fields(o)) {
        let new = new_items(&mine, theirs);
        if !new.is_empty() {
            out.report.push(Carried { field: name, value: new.join(", "), items: true });
            out.items.push((name, new));
        }
    }
    Ok(out)
}

/// A change of text: bytes `start..end` of a file replaced by `text`.
#[derive(Clone, Debug)]
struct Edit {
    start: usize,
    end: usize,
    text: String,
}

/// A link folded away by the merge, and where its sources went.
#[derive(Clone, Debug, Serialize)]
pub struct Dropped {
    /// The link as it was (`from/Relation/to`).
    pub link: String,
    /// The link its sources were added to, or the kept entity for a link between the two.
    pub into: String,
    pub reason: &'static str,
}

/// Some lines of a file as they are and as they will be.
#[derive(Clone, Debug, Serialize)]
pub struct Hunk {
    /// The first line, from 1.
    pub line: usize,
    pub removed: Vec<String>,
    pub added: Vec<String>,
}

/// The changes to one file.
#[derive(Clone, Debug, Serialize)]
pub struct FileChange {
    pub file: String,
    pub hunks: Vec<Hunk>,
}

/// What a merge changes, and the writes that do it.
#[derive(Debug, Serialize)]
pub struct Plan {
    pub keep: String,
    pub other: String,
    pub kind: Kind,
    /// The names (and the id) of OTHER that KEEP gains as aliases.
    pub aliases_added: Vec<String>,
    /// The sources KEEP gains.
    pub sources_added: Vec<String>,
    /// The other fields of OTHER that KEEP gains: those it lacks, and the items of list fields
    /// (roles, spans, external ids) it has not.
    pub fields_carried: Vec<Carried>,
    /// Links that now name KEEP instead of OTHER, as they were (`from/Relation/to`).
    pub links_rewired: Vec<String>,
    pub links_dropped: Vec<Dropped>,
    /// Views whose seeds named OTHER.
    pub views: Vec<String>,
    /// Declared chains with a step that named OTHER.
    pub chains: Vec<String>,
    pub files: Vec<FileChange>,
    /// Whole new texts of the files changed, in the order to write them.
    #[serde(skip)]
    pub writes: Vec<(PathBuf, String)>,
}

/// How much of the data a merge may take away: OTHER must not be better kept than KEEP.
fn rank(origin: Origin) -> u8 {
    match origin {
        Origin::Curated => 2,
        Origin::Imported => 1,
        Origin::Extracted => 0,
    }
}

/// What makes two links the same fact: their ends (either order for a symmetric relation),
/// relation, dates, role and certainty. Sources are not part of it: they are merged. Nor is
/// the note: a link without one (as extracted links are) repeats one with a note, but a link
/// whose note says something else is kept (see [`folds_into`]).
fn link_key(l: &Link, from: &str, to: &str) -> String {
    let (a, b) = if l.rel.is_symmetric() && to < from { (to, from) } else { (from, to) };
    let date =
        |d: &Option<crate::model::PartialDate>| d.as_ref().map(|d| d.as_str().to_owned()).unwrap_or_default();
    format!(
        "{a}\u{0}{}\u{0}{b}\u{0}{}\u{0}{}\u{0}{}\u{0}{}\u{0}{}",
        l.rel,
        date(&l.date),
        date(&l.since),
        date(&l.until),
        l.role.as_deref().unwrap_or(""),
        l.certainty
    )
}

/// True when `link`, of the same key as `survivor`, adds nothing but sources to it.
fn folds_into(link: &Link, survivor: &Link) -> bool {
    link.note.is_none() || link.note == survivor.note
}

/// Edits of one data folder, file by file.
#[derive(Default)]
struct Edits(BTreeMap<FileId, Vec<Edit>>);

impl Edits {
    fn push(&mut self, file: FileId, start: usize, end: usize, text: impl Into<String>) {
        self.0.entry(file).or_default().push(Edit { start, end, text: text.into() });
    }
}

/// A record's span tree, with the offset of its text in its file.
fn record_tree(loaded: &Loaded, at: &Located, id: &str) -> Result<(usize, tree::Node), Refusal> {
    let f = loaded.files.get(at.file);
    let span = at.span();
    let refusal = |message: String| Refusal::Record { id: id.to_owned(), file: f.name.clone(), message };
    let text = f.text.get(span.start..span.end).ok_or_else(|| refusal("its place has changed".into()))?;
    let node = tree::parse(text).map_err(|e| refusal(e.message))?;
    Ok((span.start, node))
}

/// Grows the record at `at`: `items` (RON literals) at the end of its list fields (the field
/// added when the record has none), and `fields` (name, value as written) set: a field the
/// record has is given the value, one it lacks is added after its last field, in the record's
/// layout (one field a line, or all on one).
fn grow(
    edits: &mut Edits,
    loaded: &Loaded,
    at: &Located,
    id: &str,
    items: &[(&str, Vec<String>)],
    fields: &[(&str, String)],
) -> Result<(), Refusal> {
    if items.iter().all(|(_, v)| v.is_empty()) && fields.is_empty() {
        return Ok(());
    }
    let (offset, node) = record_tree(loaded, at, id)?;
    let text = &loaded.files.get(at.file).text;
    let mut added: Vec<(&str, String)> = Vec::new();
    for (name, list) in items.iter().filter(|(_, v)| !v.is_empty()) {
        let Some(field) = node.field(name) else {
            added.push((name, format!("[{}]", list.join(", "))));
            continue;
        };
        match field.value.items().last() {
            Some(last) => {
                let end = offset + last.span.end;
                edits.push(at.file, end, end, format!(", {}", list.join(", ")));
            }
            None => {
                let start = offset + field.value.span.start + 1;
                edits.push(at.file, start, start, list.join(", "));
            }
        }
    }
    for (name, value) in fields {
        match node.field(name) {
            Some(field) => edits.push(
                at.file,
                offset + field.value.span.start,
                offset + field.value.span.end,
                value.clone(),
            ),
            None => added.push((name, value.clone())),
        }
    }
    if added.is_empty() {
        return Ok(());
    }
    // New fields in the order the format lists them (`rule` before `spans`, ...).
    added.sort_by_key(|(name, _)| crate::load::schema::field_index(name));
    let tree::NodeKind::Struct { fields, .. } = &node.kind else {
        return Err(Refusal::Record {
            id: id.to_owned(),
            file: loaded.files.get(at.file).name.clone(),
            message: "it is not a record with fields".into(),
        });
    };
    let joined = |sep: &str| added.iter().map(|(n, v)| format!("{n}: {v}")).collect::<Vec<_>>().join(sep);
    let Some(last) = fields.last() else {
        let open = offset + node.span.end - 1;
        edits.push(at.file, open, open, joined(", "));
        return Ok(());
    };
    let after = offset + last.value.span.end;
    let rest = &text[after..];
    let gap = rest.len() - rest.trim_start().len();
    let comma = rest[gap..].starts_with(',');
    let close = offset + node.span.end - 1;
    let close_line = line_start(text, close);
    if text[close_line..close].trim().is_empty() {
        // One field a line: the new ones on lines of their own, indented as the last.
        let name_at = offset + last.name_span.start;
        let indent = &text[line_start(text, name_at)..name_at];
        let indent = if indent.trim().is_empty() { indent.to_owned() } else { String::new() };
        if !comma {
            edits.push(at.file, after, after, ",");
        }
        let lines: String = added.iter().map(|(n, v)| format!("{indent}{n}: {v},\n")).collect();
        edits.push(at.file, close_line, close_line, lines);
    } else if comma {
        let at_comma = after + gap + 1;
        edits.push(at.file, at_comma, at_comma, format!(" {},", joined(", ")));
    } else {
        edits.push(at.file, after, after, format!(", {}", joined(", ")));
    }
    Ok(())
}

/// The start of the line holding byte `at`.
fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// Removes item `span` of a list, with the comma after it (or, for the last item, before it).
fn remove_item(edits: &mut Edits, file: FileId, text: &str, start: usize, end: usize) {
    let rest = &text[end..];
    let gap = rest.len() - rest.trim_start().len();
    if rest[gap..].starts_with(',') {
        let after = &text[end + gap + 1..];
        let space = after.len() - after.trim_start_matches([' ', '\t']).len();
        edits.push(file, start, end + gap + 1 + space, "");
    } else {
        let before = text[..start].trim_end();
        let from = if before.ends_with(',') { before.len() - 1 } else { start };
        edits.push(file, from, end, "");
    }
}

/// Plans the merge of entity `other` into entity `keep` (indices of `loaded`'s dataset): the
/// changes, and the new text of every file they touch. Nothing is written.
pub fn plan(loaded: &Loaded, keep: usize, other: usize) -> Result<Plan, Refusal> {
    let d = &loaded.dataset;
    let files = &loaded.files;
    let (k, o): (&Entity, &Entity) = (&d.entities[keep], &d.entities[other]);
    let (keep_id, other_id) = (k.id.as_str(), o.id.as_str());
    if keep == other || keep_id == other_id {
        return Err(Refusal::Same { id: keep_id.to_owned() });
    }
    if k.kind() != o.kind() {
        return Err(Refusal::Kinds {
            keep: keep_id.to_owned(),
            keep_kind: k.kind(),
            other: other_id.to_owned(),
            other_kind: o.kind(),
        });
    }
    if rank(o.origin) > rank(k.origin) {
        return Err(Refusal::Order {
            keep: keep_id.to_owned(),
            keep_origin: k.origin.name(),
            other: other_id.to_owned(),
            other_origin: o.origin.name(),
        });
    }
    // A declared chain stepping between the two would step in place.
    for (c, chain) in d.chains.iter().enumerate() {
        for (s, step) in chain.steps.iter().enumerate() {
            let ends = [step.from.as_str(), step.to.as_str()];
            if ends.contains(&keep_id) && ends.contains(&other_id) {
                return Err(Refusal::Chain {
                    chain: chain.name.clone(),
                    step: s + 1,
                    keep: keep_id.to_owned(),
                    file: files.get(loaded.map.chains[c].file).name.clone(),
                });
            }
        }
    }
    let carried = carry(loaded, keep, other)?;
    let mut edits = Edits::default();
    let keep_quoted = quote(keep_id);

    // Links: those not touching OTHER first, so that a rewired link meeting one of them is
    // the one dropped.
    let mut survivors: HashMap<String, usize> = HashMap::new();
    let touches = |l: &Link| l.from.as_str() == other_id || l.to.as_str() == other_id;
    for (i, l) in d.links.iter().enumerate() {
        if !touches(l) {
            survivors.entry(link_key(l, l.from.as_str(), l.to.as_str())).or_insert(i);
        }
    }
    // The links folded into each one kept.
    let mut folded_into: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut keep_sources: Vec<String> = Vec::new();
    let (mut links_rewired, mut links_dropped) = (Vec::new(), Vec::new());
    for (i, l) in d.links.iter().enumerate().filter(|(_, l)| touches(l)) {
        let swap = |id: &str| if id == other_id { keep_id.to_owned() } else { id.to_owned() };
        let (from, to) = (swap(l.from.as_str()), swap(l.to.as_str()));
        let at = &loaded.map.links[i];
        let text = &files.get(at.file).text;
        let before = super::link_id(l);
        if from == to {
            let (s, e) = super::record_range(text, at);
            edits.push(at.file, s, e, "");
            keep_sources.extend(l.sources.iter().map(ToString::to_string));
            links_dropped.push(Dropped {
                link: before,
                into: keep_id.to_owned(),
                reason: "a link between the two merged entities (its sources go to the one kept)",
            });
            continue;
        }
        match survivors.get(&link_key(l, &from, &to)).filter(|&&j| folds_into(l, &d.links[j])) {
            Some(&j) => {
                let (s, e) = super::record_range(text, at);
                edits.push(at.file, s, e, "");
                folded_into.entry(j).or_default().push(i);
                let survivor = &d.links[j];
                let into = format!(
                    "{}/{}/{}",
                    swap(survivor.from.as_str()),
                    survivor.rel,
                    swap(survivor.to.as_str())
                );
                links_dropped.push(Dropped { link: before, into, reason: "an exact duplicate once rewired" });
            }
            None => {
                for end in ["from", "to"] {
                    let id = if end == "from" { l.from.as_str() } else { l.to.as_str() };
                    if id == other_id {
                        let span = at.field(files, end);
                        edits.push(at.file, span.start, span.end, keep_quoted.clone());
                    }
                }
                survivors.insert(link_key(l, &from, &to), i);
                links_rewired.push(before);
            }
        }
    }
    // A link kept gains the sources of those folded into it, and where they were read (spans,
    // external ids).
    let link_sources = |l: &Link| l.sources.iter().map(|s| quote(s.as_str())).collect::<Vec<_>>();
    for (j, folded) in folded_into {
        let l = &d.links[j];
        let mut items = vec![(
            "sources",
            new_items(&link_sources(l), folded.iter().flat_map(|&f| link_sources(&d.links[f]))),
        )];
        for (n, (name, mine)) in provenance_items(l.provenance.as_deref()).into_iter().enumerate() {
            let theirs =
                folded.iter().flat_map(|&f| provenance_items(d.links[f].provenance.as_deref())[n].1.clone());
            items.push((name, new_items(&mine, theirs)));
        }
        grow(&mut edits, loaded, &loaded.map.links[j], &super::link_id(l), &items, &[])?;
    }

    // KEEP gains OTHER's names, id and sources; OTHER's record goes.
    let mut known: HashSet<String> = k.names().map(text::name_key).collect();
    let mut aliases_added = Vec::new();
    for name in o.names().chain([other_id]) {
        if known.insert(text::name_key(name)) {
            aliases_added.push(name.to_owned());
        }
    }
    let mut sources_added: Vec<String> = Vec::new();
    for s in o.sources.iter().map(ToString::to_string).chain(keep_sources) {
        if !k.sources.iter().any(|x| x.as_str() == s) && !sources_added.contains(&s) {
            sources_added.push(s);
        }
    }
    let keep_at = &loaded.map.entities[keep];
    let quoted = |v: &[String]| v.iter().map(|s| quote(s)).collect::<Vec<_>>();
    let mut items = vec![("aliases", quoted(&aliases_added)), ("sources", quoted(&sources_added))];
    items.extend(carried.items.iter().map(|(name, v)| (*name, v.clone())));
    let set: Vec<(&str, String)> = carried.fields.iter().map(|(n, v)| (*n, v.clone())).collect();
    grow(&mut edits, loaded, keep_at, keep_id, &items, &set)?;
    let other_at = &loaded.map.entities[other];
    let (s, e) = super::record_range(&files.get(other_at.file).text, other_at);
    edits.push(other_at.file, s, e, "");

    // Views' seeds and chains' steps.
    let mut views = Vec::new();
    for (v, view) in d.views.iter().enumerate() {
        let at = &loaded.map.views[v];
        let has_keep = view.seeds.iter().any(|s| s.as_str() == keep_id);
        for (i, _) in view.seeds.iter().enumerate().filter(|(_, s)| s.as_str() == other_id) {
            let span = at.item(files, "seeds", i);
            if has_keep {
                remove_item(&mut edits, at.file, &files.get(at.file).text, span.start, span.end);
            } else {
                edits.push(at.file, span.start, span.end, keep_quoted.clone());
            }
            views.push(view.name.clone());
        }
    }
    let mut chains = Vec::new();
    for (c, chain) in d.chains.iter().enumerate() {
        let mut named = false;
        for (s, step) in chain.steps.iter().enumerate() {
            let at = loaded.map.chains[c].nested(files, "steps", s);
            for (end, id) in [("from", &step.from), ("to", &step.to)] {
                if id.as_str() == other_id {
                    let span = at.field(files, end);
                    edits.push(at.file, span.start, span.end, keep_quoted.clone());
                    named = true;
                }
            }
        }
        if named {
            chains.push(chain.name.clone());
        }
    }
    views.dedup();

    // KEEP's file first and OTHER's last: an interrupted merge leaves both entities, never a
    // link to one that is gone.
    let mut order: Vec<FileId> = edits.0.keys().copied().collect();
    order.sort_by_key(|f| (*f != keep_at.file, *f == other_at.file, f.0));
    let mut writes = Vec::new();
    let mut changes = Vec::new();
    for file in order {
        let mut list = edits.0.remove(&file).unwrap_or_default();
        list.sort_by_key(|e| (e.start, e.end));
        let f = files.get(file);
        let new = apply(&f.text, &list);
        changes.push(FileChange { file: f.name.clone(), hunks: hunks(&f.text, &list) });
        writes.push((f.path.clone(), new));
    }
    Ok(Plan {
        keep: keep_id.to_owned(),
        other: other_id.to_owned(),
        kind: k.kind(),
        aliases_added,
        sources_added,
        fields_carried: carried.report,
        links_rewired,
        links_dropped,
        views,
        chains,
        files: changes,
        writes,
    })
}

/// `text` with the edits (sorted, not overlapping) made.
fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        out.push_str(&text[at..e.start.max(at)]);
        out.push_str(&e.text);
        at = at.max(e.end);
    }
    out.push_str(&text[at..]);
    out
}

/// The whole lines the edits touch, before and after, edits on neighbouring lines together.
fn hunks(text: &str, edits: &[Edit]) -> Vec<Hunk> {
    let line_end = |at: usize| text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    let mut groups: Vec<(usize, usize, Vec<Edit>)> = Vec::new();
    for e in edits {
        // A removal that ends with its line's break ends at that line.
        let whole_lines = e.end > e.start && text.as_bytes()[e.end - 1] == b'\n';
        let (s, end) = (line_start(text, e.start), if whole_lines { e.end } else { line_end(e.end) });
        match groups.last_mut() {
            Some(g) if s <= g.1 => {
                g.1 = g.1.max(end);
                g.2.push(e.clone());
            }
            _ => groups.push((s, end, vec![e.clone()])),
        }
    }
    let lines = |s: &str| s.lines().map(str::to_owned).collect::<Vec<_>>();
    groups
        .into_iter()
        .map(|(s, end, list)| {
            let shifted: Vec<Edit> =
                list.into_iter().map(|e| Edit { start: e.start - s, end: e.end - s, text: e.text }).collect();
            Hunk {
                line: text[..s].matches('\n').count() + 1,
                removed: lines(&text[s..end]),
                added: lines(&apply(&text[s..end], &shifted)),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;

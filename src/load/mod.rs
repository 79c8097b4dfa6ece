//! Reading a data folder (RON files) into a [`Dataset`], keeping the position of every
//! record and field so that later checks can point at them.
//!
//! Layout: `sources.ron`, `curated/*.ron`, `extracted/*.ron`, `imported/NAME/sources.ron`,
//! `imported/NAME/joins.ron` (records joined to entities already there, see [`apply_joins`])
//! and `imported/NAME/*.ron` (facts of origin `imported`, see [`crate::import`]), `views/*.ron`,
//! `chains/*.ron`. Each file is parsed once into a span tree ([`tree`]); each element is then
//! deserialized on its own ([`decode`]) and lowered to the model ([`lower`]), so every problem
//! in every file is found in one run.

mod decode;
pub mod diagnostic;
mod fast;
pub mod file;
mod lower;
mod plain;
pub mod schema;
pub mod suggest;
pub mod tree;

use std::mem::take;
use std::path::{Path, PathBuf};

pub use diagnostic::{Problem, Severity};
pub use file::{FileId, Files, SourceFile, Span};
pub use suggest::{Suggester, closest};

use crate::model::{Dataset, Interner, Origin};
use tree::{Node, NodeKind};

/// The version of the data folder's format (docs/data-format.md), shown by `--version`. It
/// changes only when a folder written for an earlier version no longer loads as it did;
/// adding an optional field does not change it.
pub const DATA_FORMAT: u32 = 1;

/// Files larger than this are refused rather than read into memory.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Where a record was written: its file and its span. The spans of its fields are found again
/// when a diagnostic asks for one, by reading the record's text once more: problems are few,
/// and keeping every field's span of a million records would take most of a gigabyte.
#[derive(Clone, Copy, Debug)]
pub struct Located {
    pub file: FileId,
    span: Short,
}

/// A span in half the room: files are at most [`MAX_FILE_BYTES`] long.
#[derive(Clone, Copy, Debug)]
struct Short(u32, u32);

impl From<Span> for Short {
    fn from(s: Span) -> Self {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Short(clamp(s.start), clamp(s.end))
    }
}

impl From<Short> for Span {
    fn from(s: Short) -> Self {
        Span::new(s.0 as usize, s.1 as usize)
    }
}

impl Located {
    /// Where the record at `node` of file `file` was written.
    pub fn new(file: FileId, node: &Node) -> Self {
        Located { file, span: node.span.into() }
    }

    pub fn span(&self) -> Span {
        self.span.into()
    }

    /// The record's span tree, read again from its file, with its spans relative to the
    /// record's start. `None` when the text is not the record's (it parsed when loaded).
    fn tree(&self, files: &Files) -> Option<(usize, Node)> {
        let span = self.span();
        let text = files.get(self.file).text.get(span.start..span.end)?;
        Some((span.start, tree::parse(text).ok()?))
    }

    /// The span of a field's value, or of the whole record when the field is absent.
    pub fn field(&self, files: &Files, name: &str) -> Span {
        self.find(files, name, |f| Some(f.value.span))
    }

    /// The span of item `index` of a list field, or of the field.
    pub fn item(&self, files: &Files, name: &str, index: usize) -> Span {
        self.find(files, name, |f| Some(f.value.items().get(index).map_or(f.value.span, |n| n.span)))
    }

    /// True when the record has a field `name`.
    pub fn has(&self, files: &Files, name: &str) -> bool {
        self.tree(files).is_some_and(|(_, node)| node.field(name).is_some())
    }

    /// Where item `index` of the list field `name` was written (a chain's step), or the
    /// record itself when it has no such item.
    pub fn nested(&self, files: &Files, name: &str, index: usize) -> Located {
        let span = self.find(files, name, |f| f.value.items().get(index).map(|n| n.span));
        Located { file: self.file, span: span.into() }
    }

    fn find(&self, files: &Files, name: &str, pick: impl Fn(&tree::Field) -> Option<Span>) -> Span {
        let Some((offset, node)) = self.tree(files) else { return self.span() };
        match node.field(name).and_then(pick) {
            Some(s) => Span::new(s.start + offset, s.end + offset),
            None => self.span(),
        }
    }
}

/// Where each record of a [`Dataset`] was written: parallel to its vectors.
#[derive(Debug, Default)]
pub struct SourceMap {
    pub sources: Vec<Located>,
    pub entities: Vec<Located>,
    pub links: Vec<Located>,
    pub views: Vec<Located>,
    pub chains: Vec<Located>,
}

/// The result of reading a data folder: what could be read, and every problem met.
#[derive(Debug, Default)]
pub struct Loaded {
    pub dataset: Dataset,
    pub files: Files,
    pub map: SourceMap,
    pub problems: Vec<Problem>,
    /// True when `sources.ron` was missing or could not be read: citations cannot be checked.
    pub sources_incomplete: bool,
    /// Each link's two ends as entity numbers, once validation has found them (see
    /// [`crate::validate::validate_with_ends`]); empty before.
    pub link_ends: Vec<[u32; 2]>,
    /// The records of `joins.ron` files read and not yet applied to their entities.
    joins: Vec<Join>,
    /// The possible duplicates imports offered for review (`imported/NAME/duplicates.ron`),
    /// with the import's name, in the order read.
    pub duplicates: Vec<(String, schema::DuplicateRecord)>,
}

/// A record of an `imported/NAME/joins.ron`, with where it was written.
#[derive(Debug)]
pub struct Join {
    pub record: schema::JoinRecord,
    pub import: String,
    pub at: Located,
}

/// What parsing and lowering one file gives: a [`Loaded`] without the files.
#[derive(Debug, Default)]
pub struct Part {
    pub dataset: Dataset,
    pub map: SourceMap,
    pub problems: Vec<Problem>,
    pub sources_incomplete: bool,
    pub joins: Vec<Join>,
    pub duplicates: Vec<(String, schema::DuplicateRecord)>,
}

impl Part {
    /// Adds what one file gave after what the files before it gave. A vector still empty takes
    /// the file's whole when it has room for as many records as the file's times the room
    /// asked for; otherwise that room is reserved first. Entities and links ask for `scale`
    /// times theirs, the bytes of all the files read over those of this one: the vectors of a
    /// million entities and four million links are then written once, not copied at each
    /// doubling into fresh memory (which the kernel zeroes page by page); room reserved and
    /// never written costs nothing.
    fn join(&mut self, part: Part, scale: f64) {
        fn append<T>(all: &mut Vec<T>, part: Vec<T>, scale: f64) {
            let room = (part.len() as f64 * scale) as usize;
            if all.is_empty() && part.capacity() >= room {
                *all = part;
                return;
            }
            if all.is_empty() {
                all.reserve(room);
            }
            all.extend(part);
        }
        let Part { dataset, map, problems, sources_incomplete, joins, duplicates } = part;
        append(&mut self.joins, joins, 1.0);
        append(&mut self.duplicates, duplicates, 1.0);
        let d = &mut self.dataset;
        append(&mut d.sources, dataset.sources, 1.0);
        append(&mut d.entities, dataset.entities, scale);
        append(&mut d.links, dataset.links, scale);
        append(&mut d.views, dataset.views, 1.0);
        append(&mut d.chains, dataset.chains, 1.0);
        let m = &mut self.map;
        append(&mut m.sources, map.sources, 1.0);
        append(&mut m.entities, map.entities, scale);
        append(&mut m.links, map.links, scale);
        append(&mut m.views, map.views, 1.0);
        append(&mut m.chains, map.chains, 1.0);
        append(&mut self.problems, problems, 1.0);
        self.sources_incomplete |= sources_incomplete;
    }
}

impl Loaded {
    /// Adds what a run of files gave after what was read before ([`Part::join`]; vectors still
    /// empty take the run's whole, without a copy).
    fn join(&mut self, part: Part) {
        let mut all = Part {
            dataset: take(&mut self.dataset),
            map: take(&mut self.map),
            problems: take(&mut self.problems),
            sources_incomplete: self.sources_incomplete,
            joins: take(&mut self.joins),
            duplicates: take(&mut self.duplicates),
        };
        all.join(part, 1.0);
        let Part { dataset, map, problems, sources_incomplete, joins, duplicates } = all;
        (self.dataset, self.map, self.problems) = (dataset, map, problems);
        (self.sources_incomplete, self.joins, self.duplicates) = (sources_incomplete, joins, duplicates);
    }
}

/// The role a file plays in a data folder, by its place in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    Sources,
    /// `imported/NAME/joins.ron`.
    Joins,
    /// `imported/NAME/duplicates.ron`.
    Duplicates,
    Facts(Origin),
    View,
    Chains,
}

/// Reads the data folder at `dir`. Never fails as a whole: problems are collected in
/// [`Loaded::problems`] and the records that could be read are kept.
pub fn load(dir: &Path) -> Loaded {
    load_replacing(dir, None, Vec::new())
}

/// Reads the data folder at `dir` as [`load`] does, except that the files under `replaced` (a
/// folder of `dir`, e.g. `imported/apt1`) are not read from disk: `files` (paths relative to
/// `dir`, and their text) stand in for them. This is how an import checks the folder as it
/// will be after the write, before writing anything.
pub fn load_replacing(dir: &Path, replaced: Option<&Path>, files: Vec<(String, String)>) -> Loaded {
    let mut loaded = Loaded::default();
    if !dir.is_dir() {
        loaded.problems.push(
            Problem::error("no-data-folder", format!("data folder `{}` not found", dir.display()))
                .help("run from the repository root, or pass the folder with `--data DIR`"),
        );
        return loaded;
    }
    let mut jobs = Vec::new();
    let sources = dir.join("sources.ron");
    if sources.exists() {
        jobs.push((sources, Role::Sources));
    } else {
        loaded.sources_incomplete = true;
        loaded.problems.push(
            Problem::error("no-sources", format!("`{}` not found", sources.display()))
                .help("every fact cites a source: create sources.ron holding a list of `(id: ..., title: ..., reliability: B)`"),
        );
    }
    for (folder, role) in
        [("curated", Role::Facts(Origin::Curated)), ("extracted", Role::Facts(Origin::Extracted))]
    {
        jobs.extend(ron_files(&mut loaded, &dir.join(folder)).into_iter().map(|p| (p, role)));
    }
    jobs.extend(imported_files(&mut loaded, dir));
    for (folder, role) in [("views", Role::View), ("chains", Role::Chains)] {
        jobs.extend(ron_files(&mut loaded, &dir.join(folder)).into_iter().map(|p| (p, role)));
    }
    let Some(replaced) = replaced else {
        read_all(&mut loaded, jobs);
        apply_joins(&mut loaded);
        return loaded;
    };
    jobs.retain(|(path, _)| !path.starts_with(dir.join(replaced)));
    read_all(&mut loaded, jobs);
    let mut read = Vec::new();
    for (name, text) in files {
        let role = imported_role(Path::new(&name));
        let path = dir.join(&name);
        let id = loaded.files.add(SourceFile::new(&path, path.display().to_string(), text));
        read.push(Read::File(id, role));
    }
    lower_all(&mut loaded, read);
    apply_joins(&mut loaded);
    loaded
}

/// Gives each entity named by a `joins.ron` record the record's id (in
/// [`crate::model::Provenance::joined`]), once every file is read: a join may name an entity
/// of any file. A join naming no entity, or an id not written `SCHEME:ID`, or one that
/// another entity already has, is an error at the record.
fn apply_joins(loaded: &mut Loaded) {
    let joins = take(&mut loaded.joins);
    if joins.is_empty() {
        return;
    }
    let entities = &mut loaded.dataset.entities;
    let by_id: std::collections::HashMap<&str, usize> =
        entities.iter().enumerate().map(|(i, e)| (e.id.as_str(), i)).collect();
    let mut taken: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, e) in entities.iter().enumerate() {
        for x in e.provenance.iter().flat_map(|p| &p.external_ids) {
            taken.entry(x.clone()).or_insert(i);
        }
    }
    let mut joined: Vec<(usize, crate::model::JoinedId)> = Vec::new();
    for Join { record, import, at } in joins {
        let files = &loaded.files;
        let Some(&i) = by_id.get(record.entity.as_str()) else {
            loaded.problems.push(
                Problem::error(
                    "unknown-entity",
                    format!("the join of `{}` names no entity `{}`", record.external_id, record.entity),
                )
                .at(at.file, at.field(files, "entity"), "no entity has this id")
                .help(format!(
                    "the entity was renamed or removed since the import: run the import `{import}` again"
                )),
            );
            continue;
        };
        if !crate::model::is_external_id(&record.external_id) {
            loaded.problems.push(
                Problem::error("invalid-external-id", format!("`{}` is not an external id", record.external_id))
                    .at(at.file, at.field(files, "external_id"), "not SCHEME:ID")
                    .help("write the id the record has in the data it came from, after its format: `stix:threat-actor--...`"),
            );
            continue;
        }
        match taken.get(&record.external_id) {
            Some(&other) if other != i => {
                loaded.problems.push(
                    Problem::error("duplicate-external-id", format!("`{}` is joined to `{}` but is an id of `{}`", record.external_id, record.entity, entities[other].id))
                        .at(at.file, at.field(files, "external_id"), "joined here")
                        .help(format!("the same record came in twice: run the import `{import}` again, or remove one of the folders")),
                );
                continue;
            }
            Some(_) => continue,
            None => {
                taken.insert(record.external_id.clone(), i);
            }
        }
        let schema::JoinRecord { external_id, by, sources, .. } = record;
        joined.push((i, crate::model::JoinedId { external_id, import, by, sources }));
    }
    drop(by_id);
    for (i, j) in joined {
        let p = entities[i].provenance.get_or_insert_with(|| {
            Box::new(crate::model::Provenance {
                rule: String::new(),
                spans: Vec::new(),
                external_ids: Vec::new(),
                joined: Vec::new(),
            })
        });
        p.joined.push(j);
    }
}

/// The files of `imported/`: for each folder `imported/NAME/` (by name), its `sources.ron`
/// (sources) and its other `.ron` files (facts of origin `imported`).
fn imported_files(loaded: &mut Loaded, dir: &Path) -> Vec<(PathBuf, Role)> {
    let Ok(entries) = std::fs::read_dir(dir.join("imported")) else { return Vec::new() };
    let mut folders: Vec<PathBuf> =
        entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_dir() && !hidden(p)).collect();
    folders.sort();
    let mut jobs = Vec::new();
    for folder in folders {
        let mut files = ron_files(loaded, &folder);
        // The sources first, so that a folder reads as a data folder does.
        files.sort_by_key(|p| p.file_name() != Some("sources.ron".as_ref()));
        jobs.extend(files.into_iter().map(|p| {
            let role = imported_role(&p);
            (p, role)
        }));
    }
    jobs
}

/// A folder whose name starts with a dot: an import being written (see [`crate::import::write`]).
fn hidden(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

/// The role of a file of an `imported/NAME/` folder: `sources.ron` holds sources, `joins.ron`
/// joins, `duplicates.ron` the possible duplicates to review, the rest facts.
fn imported_role(path: &Path) -> Role {
    if path.file_name() == Some("sources.ron".as_ref()) {
        Role::Sources
    } else if path.file_name() == Some("joins.ron".as_ref()) {
        Role::Joins
    } else if path.file_name() == Some("duplicates.ron".as_ref()) {
        Role::Duplicates
    } else {
        Role::Facts(Origin::Imported)
    }
}

/// The files [`load`] reads from the data folder at `dir`: `sources.ron` when it exists, then the
/// `.ron` files of each sub-folder. Used to key snapshots (see `crate::snapshot`).
pub fn data_files(dir: &Path) -> Vec<PathBuf> {
    let mut scratch = Loaded::default();
    let sources = dir.join("sources.ron");
    let mut files: Vec<PathBuf> = sources.exists().then_some(sources).into_iter().collect();
    for folder in ["curated", "extracted"] {
        files.extend(ron_files(&mut scratch, &dir.join(folder)));
    }
    files.extend(imported_files(&mut scratch, dir).into_iter().map(|(p, _)| p));
    for folder in ["views", "chains"] {
        files.extend(ron_files(&mut scratch, &dir.join(folder)));
    }
    files
}

/// Reads declared chains from `path` (a `.ron` file, or a folder of them) into `loaded`, except
/// files already read as part of the data folder. Returns the files that hold those chains;
/// problems (a missing path, bad syntax) go to [`Loaded::problems`].
pub fn add_chains(loaded: &mut Loaded, path: &Path) -> Vec<FileId> {
    let paths = if path.is_dir() {
        ron_files(loaded, path)
    } else if path.exists() {
        vec![path.to_path_buf()]
    } else {
        loaded.problems.push(
            Problem::error("no-chains", format!("`{}` not found", path.display()))
                .help("give a chains file (`data/chains/isk.ron`) or a folder of them (`data/chains`)"),
        );
        return Vec::new();
    };
    let mut ids = Vec::new();
    for p in paths {
        let canonical = p.canonicalize().ok();
        let known =
            loaded.files.iter().find(|(_, f)| f.path.canonicalize().ok() == canonical).map(|(id, _)| id);
        match known {
            Some(id) => ids.push(id),
            None => {
                let before = loaded.files.iter().count();
                read_all(loaded, vec![(p, Role::Chains)]);
                ids.extend(loaded.files.iter().skip(before).map(|(id, _)| id));
            }
        }
    }
    ids
}

/// Loads a data folder given as in-memory files, each named by its path inside the folder
/// (`sources.ron`, `curated/x.ron`, `views/v.ron`, ...), in the order given. For tests and
/// fuzzing; files at other paths are ignored.
pub fn load_memory(files: &[(&str, &str)]) -> Loaded {
    let mut loaded = Loaded::default();
    let mut read = Vec::new();
    for (name, text) in files {
        let role = match name.split_once('/') {
            None if *name == "sources.ron" => Role::Sources,
            Some(("curated", _)) => Role::Facts(Origin::Curated),
            Some(("extracted", _)) => Role::Facts(Origin::Extracted),
            Some(("imported", rest)) if rest.contains('/') => imported_role(Path::new(rest)),
            Some(("views", _)) => Role::View,
            Some(("chains", _)) => Role::Chains,
            _ => continue,
        };
        let id = loaded.files.add(SourceFile::new(Path::new(name), (*name).to_owned(), (*text).to_owned()));
        read.push(Read::File(id, role));
    }
    lower_all(&mut loaded, read);
    apply_joins(&mut loaded);
    loaded
}

/// A file of a data folder read into memory, or the problem reading it.
enum Read {
    File(FileId, Role),
    Unreadable(Problem),
}

/// Reads the files of `jobs` into memory, then parses and lowers them; both on every core.
fn read_all(loaded: &mut Loaded, jobs: Vec<(PathBuf, Role)>) {
    #[allow(clippy::result_large_err)] // a problem is built once per unreadable file
    let texts = crate::parallel::map(&jobs, |(path, _)| read(path));
    let read = jobs
        .into_iter()
        .zip(texts)
        .map(|((_, role), text)| match text {
            Ok(file) => Read::File(loaded.files.add(file), role),
            Err(problem) => {
                loaded.sources_incomplete |= role == Role::Sources;
                Read::Unreadable(problem)
            }
        })
        .collect();
    lower_all(loaded, read);
}

/// Parses and lowers the files read (every thread interning entity ids in one [`Interner`]), and
/// joins what each gave in the order given, as soon as it and the files before it are done,
/// so the result is the same as reading them one after another. Each file's records are then
/// freed while later files are read, and their memory used again.
fn lower_all(loaded: &mut Loaded, read: Vec<Read>) {
    let files = &loaded.files;
    let entity_ids = Interner::default();
    let interning =
        || lower::Interning { entities: &entity_ids, sources: Default::default(), last_from: None };
    let bytes = |job: &Read| match job {
        Read::File(id, _) => files.get(*id).text.len(),
        Read::Unreadable(_) => 0,
    };
    let all_bytes: usize = read.iter().map(bytes).sum();
    let mut joined = Part::default();
    crate::parallel::map_with_in_order(
        &read,
        interning,
        |ids, job| match job {
            Read::File(id, role) => Some(parse(ids, files, *id, *role)),
            Read::Unreadable(_) => None,
        },
        |i, part| {
            if let Read::Unreadable(problem) = &read[i] {
                joined.problems.push(problem.clone());
            }
            if let Some(part) = part {
                joined.join(part, all_bytes as f64 / bytes(&read[i]).max(1) as f64);
            }
        },
    );
    loaded.join(joined);
}

/// Parses file `id` and lowers its records according to its role.
fn parse(ids: &mut lower::Interning<'_>, files: &Files, id: FileId, role: Role) -> Part {
    let mut out = Part::default();
    let file = files.get(id);
    let parsed = match role {
        Role::View => tree::parse(&file.text).map(|root| {
            let name = file.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            lower::view(&mut out, files, id, &root, name);
        }),
        _ => {
            let mut each = lower::Lowering { out: &mut out, ids, files, file: id, role };
            tree::parse_records(&file.text, &mut each).map(|root| lower::structure(&mut out, id, role, &root))
        }
    };
    if let Err(e) = parsed {
        // A file that does not parse gives no records, only its syntax error.
        out = Part::default();
        let mut p = Problem::error("syntax", e.message).at(id, e.span, e.label).help(e.help);
        for (span, label) in e.notes {
            p = p.also(id, span, label);
        }
        out.sources_incomplete |= role == Role::Sources;
        out.problems.push(p);
    }
    out
}

/// The `.ron` files directly in `folder`, sorted by name; a missing folder has none.
fn ron_files(loaded: &mut Loaded, folder: &Path) -> Vec<PathBuf> {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => {
            loaded.problems.push(
                Problem::error("unreadable", format!("cannot read the folder `{}`: {e}", folder.display()))
                    .help("check that the folder exists and that you may read it"),
            );
            return Vec::new();
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    paths.sort();
    paths
}

/// Reads one file into memory, or says why it cannot be.
#[allow(clippy::result_large_err)] // built once per unreadable file
fn read(path: &Path) -> Result<SourceFile, Problem> {
    let name = path.display().to_string();
    let bytes = match file::read_limited(path) {
        Ok(b) => b,
        Err(e @ file::ReadError::TooLarge(_)) => {
            return Err(Problem::error("file-too-large", format!("`{name}`: {e}"))
                .help("split the file into several files in the same folder"));
        }
        Err(e) => {
            return Err(Problem::error("unreadable", format!("cannot read `{name}`: {e}"))
                .help("check that the file exists, is a regular file, and that you may read it"));
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return Err(Problem::error(
                "not-utf8",
                format!("`{name}` is not valid UTF-8 ({})", file::utf8_error_at(&e)),
            )
            .help("save the file as UTF-8"));
        }
    };
    Ok(SourceFile::new(path, name, text))
}

/// The elements of a list node, or a problem saying a list was expected.
#[allow(clippy::result_large_err)] // built only on the error path
fn list<'n>(node: &'n Node, file: FileId, what: &str, example: &str) -> Result<&'n [Node], Problem> {
    match &node.kind {
        NodeKind::List(items) => Ok(items),
        _ => Err(Problem::error("expected-list", format!("expected a list of {what}"))
            .at(file, node.span, "not a list")
            .help(format!("write a list in square brackets: {example}"))),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    const VALID: &str = include_str!("../../tests/fixtures/valid/curated/network.ron");

    /// A record found again from its span answers as its span tree did: fields, items,
    /// absent fields and items, nested records.
    #[test]
    fn records_point_where_the_tree_points() {
        let mut files = super::Files::default();
        let file = files.add(super::SourceFile::new("x.ron".as_ref(), "x.ron".into(), VALID.into()));
        let root = super::tree::parse(VALID).unwrap();
        for field in ["entities", "links"] {
            for node in root.field(field).unwrap().value.items() {
                let at = super::Located::new(file, node);
                assert_eq!(at.span(), node.span);
                for name in ["id", "name", "aliases", "sources", "from", "to", "rel", "date", "absent"] {
                    let f = node.field(name);
                    assert_eq!(at.field(&files, name), f.map_or(node.span, |f| f.value.span), "{name}");
                    assert_eq!(at.has(&files, name), f.is_some());
                    for i in 0..3 {
                        let item =
                            f.map_or(node.span, |f| f.value.items().get(i).map_or(f.value.span, |n| n.span));
                        assert_eq!(at.item(&files, name, i), item, "{name}[{i}]");
                        let nested = f.and_then(|f| f.value.items().get(i)).map_or(node.span, |n| n.span);
                        assert_eq!(at.nested(&files, name, i).span(), nested, "{name}[{i}]");
                    }
                }
            }
        }
    }

    /// A `joins.ron` gives its entity the joined ids; a join naming no entity, a malformed id
    /// or an id another entity has are errors at the join.
    #[test]
    fn joins_give_their_entity_the_record_ids() {
        let facts = r#"(entities: [Person(id: "a", name: "A", sources: ["s"]), Person(id: "b", name: "B", sources: ["s"], external_ids: ["ftm:b"])])"#;
        let joins = r#"[
            (external_id: "stix:x--1", entity: "a", by: "name", sources: ["s"]),
            (external_id: "stix:x--2", entity: "gone", by: "alias"),
            (external_id: "nothing", entity: "a", by: "name"),
            (external_id: "ftm:b", entity: "a", by: "name"),
        ]"#;
        let loaded = super::load_memory(&[
            ("sources.ron", r#"[(id: "s", title: "S", reliability: B)]"#),
            ("curated/f.ron", facts),
            ("imported/one/joins.ron", joins),
        ]);
        let a = &loaded.dataset.entities[0];
        let joined = &a.provenance.as_ref().expect("joined").joined;
        assert_eq!(joined.len(), 1);
        assert_eq!((joined[0].external_id.as_str(), joined[0].import.as_str()), ("stix:x--1", "one"));
        let codes: Vec<&str> = loaded.problems.iter().map(|p| p.code).collect();
        assert_eq!(
            codes,
            ["unknown-entity", "invalid-external-id", "duplicate-external-id"],
            "{:?}",
            loaded.problems
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Arbitrary text never panics the loader or the validator.
        #[test]
        fn any_text_loads_without_panic(text in "\\PC{0,200}") {
            let loaded = super::load_memory(&[("sources.ron", &text), ("curated/x.ron", &text)]);
            let _ = crate::validate::validate(&loaded);
        }

        /// Nor does valid data with a slice cut out or a character changed.
        #[test]
        fn damaged_data_loads_without_panic(cut in 0..VALID.len(), len in 0usize..40, c in any::<char>()) {
            let mut text: String = VALID.char_indices().filter(|(i, _)| *i < cut || *i >= cut + len).map(|(_, ch)| ch).collect();
            if let Some((i, _)) = text.char_indices().nth(cut / 2) {
                text.insert(i, c);
            }
            let loaded = super::load_memory(&[("sources.ron", "[]"), ("curated/x.ron", &text)]);
            let _ = crate::validate::validate(&loaded);
        }
    }
}

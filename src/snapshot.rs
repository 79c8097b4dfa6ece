//! Compiled snapshots: a validated [`Dataset`] and its graph indices saved in binary in a cache
//! folder, so that later runs on an unchanged data folder skip parsing and validating the RON
//! files, and building the graph.
//!
//! **Key.** A snapshot is named by a 128-bit XXH3 hash of the tool version, the snapshot format
//! version, the source of the stored types (this module and `src/model/`) and, for every data
//! file sorted by its path inside the data folder, that path, its length and its full content.
//! Any change to any file (an edit, a file added or removed, a rename) gives another key, so a
//! stale snapshot is never found. XXH3 is used rather than a
//! cryptographic hash because the threat is accidental change, not a forger (anyone who can
//! write the data files can change the data anyway), and it hashes at memory speed, so reading
//! the files dominates: see [`folder_key`].
//!
//! The key a snapshot is *written* under is computed from the text the loader actually read
//! ([`loaded_key`]), not from a second reading of the folder, so a file edited during a load
//! cannot pair old data with a new key. The key a run *looks up* ([`folder_key`]) reads the
//! files that [`crate::load::data_files`] lists; if that list ever disagrees with what the
//! loader reads, the keys differ and the snapshot is simply never used.
//!
//! **What is stored.** The dataset (postcard) and the [`KnowledgeGraph`]'s indices (arrays of
//! little-endian numbers: entity numbers sorted by id, adjacency offsets and entries), so a
//! warm run hashes no id and looks up no link end. Only a load with no errors is written. Warnings are not stored: commands
//! that print diagnostics (`check`, `chain check`, `extract`, `review`) always do a full load;
//! the commands that use snapshots print only errors, and a snapshot exists only when there
//! were none, so their output is the same with or without it.
//!
//! **Where.** `$THREATGRAPH_CACHE` if set (`off`, `0` or empty disables the cache), else
//! `$XDG_CACHE_HOME/threatgraph`, else `~/.cache/threatgraph`; never the data folder. Files are
//! named `<folder>-<key>.snap`, `<folder>` a hash of the data folder's canonical path; writing a
//! snapshot removes the older ones of the same folder, so each folder keeps one. Files are
//! written to a temporary file in the cache folder and renamed into place. A snapshot that is
//! truncated, corrupt (checked by a checksum of its body), of another format or unreadable is
//! ignored and rebuilt.
//!
//! Setting `THREATGRAPH_TIMINGS` prints how long each step took, and why a snapshot could not
//! be written, on stderr.

use std::ffi::OsString;
use std::fmt;
use std::io::{Read, Write};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::de::{Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use crate::graph::{Direction, Incident, Indices, KnowledgeGraph};
use crate::load::Loaded;
use crate::model::{
    Certainty, Dataset, DeclaredChain, Details, Entity, EventDetails, EventType, GroupDetails, GroupType, Id,
    Ideology, Link, Method, Origin, Outcome, PartialDate, PersonDetails, PlaceDetails, PlaceType, Provenance,
    Relation, Reliability, Source, Status, Target, View,
};

/// Bumped whenever the stored layout changes; part of the key and of the header.
pub const FORMAT: u32 = 2;

/// The source of the stored layout (this module and the model), hashed into the key, so that a
/// build whose model differs never reads another build's snapshot, even if [`FORMAT`] was not
/// bumped and the tool version is the same (as between two commits).
const LAYOUT: &[&str] = &[
    include_str!("snapshot.rs"),
    include_str!("graph.rs"),
    include_str!("model/mod.rs"),
    include_str!("model/date.rs"),
    include_str!("model/entity.rs"),
    include_str!("model/grade.rs"),
    include_str!("model/id.rs"),
    include_str!("model/link.rs"),
    include_str!("model/provenance.rs"),
    include_str!("model/relation.rs"),
    include_str!("model/source.rs"),
    include_str!("model/view.rs"),
];

const MAGIC: &[u8; 8] = b"TGSNAP\r\n";
/// Magic, format, key, body length, body checksum.
const HEADER: usize = 8 + 4 + 16 + 8 + 8;

/// The content key of a data folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key(pub u128);

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

/// Hashes files given in order of their paths inside the data folder.
struct Hasher(Xxh3);

impl Hasher {
    fn new(files: usize) -> Hasher {
        let mut h = Xxh3::new();
        let version = env!("CARGO_PKG_VERSION");
        h.update(b"threatgraph snapshot\0");
        h.update(&(version.len() as u64).to_le_bytes());
        h.update(version.as_bytes());
        h.update(&FORMAT.to_le_bytes());
        for source in LAYOUT {
            h.update(&(source.len() as u64).to_le_bytes());
            h.update(source.as_bytes());
        }
        h.update(&(files as u64).to_le_bytes());
        Hasher(h)
    }

    fn file(&mut self, path: &str, bytes: &[u8]) {
        self.0.update(&(path.len() as u64).to_le_bytes());
        self.0.update(path.as_bytes());
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    fn finish(&self) -> Key {
        Key(self.0.digest128())
    }
}

/// A file's path inside the data folder, with `/` between parts; `None` outside it.
fn relative(dir: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(dir).ok()?;
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    Some(parts.join("/"))
}

/// The key of the data folder as it is on disk: reads every file the loader would read.
/// `None` when a file cannot be read (the full load will report it).
pub fn folder_key(dir: &Path) -> Option<Key> {
    let started = Instant::now();
    let mut files: Vec<(String, PathBuf)> = crate::load::data_files(dir)
        .into_iter()
        .map(|p| Some((relative(dir, &p)?, p)))
        .collect::<Option<_>>()?;
    files.sort();
    let mut h = Hasher::new(files.len());
    let mut buffer = Vec::new();
    let mut total = 0;
    for (rel, path) in &files {
        buffer.clear();
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut buffer)).ok()?;
        h.file(rel, &buffer);
        total += buffer.len();
    }
    timing(&format!("hash {} files, {} MB", files.len(), total / 1_000_000), started);
    Some(h.finish())
}

/// The key of the files a load read, from the text it read. `None` when a file lies outside
/// `dir` (then the load is not a plain data folder and is not snapshotted).
pub fn loaded_key(dir: &Path, loaded: &Loaded) -> Option<Key> {
    let mut files: Vec<(String, &[u8])> = loaded
        .files
        .iter()
        .map(|(_, f)| Some((relative(dir, &f.path)?, f.text.as_bytes())))
        .collect::<Option<_>>()?;
    files.sort();
    let mut h = Hasher::new(files.len());
    for (rel, bytes) in &files {
        h.file(rel, bytes);
    }
    Some(h.finish())
}

/// The snapshot cache folder.
#[derive(Clone, Debug)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// A cache in `dir` (created when a snapshot is written).
    pub fn at(dir: impl Into<PathBuf>) -> Cache {
        Cache { dir: dir.into() }
    }

    /// The cache the environment asks for: `THREATGRAPH_CACHE` (`off`, `0` or empty: none),
    /// else `$XDG_CACHE_HOME/threatgraph`, else `$HOME/.cache/threatgraph`, else none.
    pub fn from_env() -> Option<Cache> {
        Cache::from_vars(|name| std::env::var_os(name))
    }

    /// [`Cache::from_env`] with the variables read through `var`.
    pub fn from_vars(var: impl Fn(&str) -> Option<OsString>) -> Option<Cache> {
        if let Some(v) = var("THREATGRAPH_CACHE") {
            return match v.to_str() {
                Some("" | "off" | "0") => None,
                _ => Some(Cache::at(v)),
            };
        }
        let set = |name: &str| var(name).filter(|v| !v.is_empty());
        if let Some(xdg) = set("XDG_CACHE_HOME").filter(|v| Path::new(v).is_absolute()) {
            return Some(Cache::at(PathBuf::from(xdg).join("threatgraph")));
        }
        set("HOME").map(|home| Cache::at(PathBuf::from(home).join(".cache").join("threatgraph")))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The name prefix of the snapshots of one data folder.
    fn prefix(data: &Path) -> String {
        let canonical = data.canonicalize().unwrap_or_else(|_| data.to_path_buf());
        format!("{:016x}-", xxh3_64(canonical.to_string_lossy().as_bytes()))
    }

    /// Where the snapshot of data folder `data` with content `key` lives.
    pub fn path(&self, data: &Path, key: Key) -> PathBuf {
        self.dir.join(format!("{}{key}.snap", Cache::prefix(data)))
    }

    /// The graph saved for `key`, or `None` when there is no usable snapshot.
    pub fn read(&self, data: &Path, key: Key) -> Option<KnowledgeGraph> {
        let started = Instant::now();
        let bytes = std::fs::read(self.path(data, key)).ok()?;
        timing(&format!("read snapshot, {} MB", bytes.len() / 1_000_000), started);
        let started = Instant::now();
        let graph = decode(&bytes, key);
        timing("decode snapshot", started);
        if graph.is_none() {
            timing_note("snapshot unusable (corrupt, truncated or another format): rebuilding it");
        }
        graph
    }

    /// Saves `graph` as the snapshot of `data` with content `key`, atomically, and removes
    /// the folder's older snapshots.
    pub fn write(&self, data: &Path, key: Key, graph: &KnowledgeGraph) -> std::io::Result<()> {
        let started = Instant::now();
        let bytes = encode(graph, key)?;
        std::fs::create_dir_all(&self.dir)?;
        let mut tmp = tempfile::NamedTempFile::new_in(&self.dir)?;
        tmp.write_all(&bytes)?;
        tmp.as_file().sync_all()?;
        let path = self.path(data, key);
        tmp.persist(&path).map_err(|e| e.error)?;
        let prefix = Cache::prefix(data);
        for entry in std::fs::read_dir(&self.dir)?.filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(&prefix) && name.ends_with(".snap") && entry.path() != path {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        timing(&format!("write snapshot, {} MB", bytes.len() / 1_000_000), started);
        Ok(())
    }
}

/// The snapshot bytes of `graph` under `key`: header, then the body.
///
/// The body is three parts, each after its length, so that they decode on two threads: the
/// links (postcard), everything else in the dataset (postcard), and the graph's indices.
/// Fails only on a graph too large for 32-bit entity and link numbers.
pub fn encode(graph: &KnowledgeGraph, key: Key) -> std::io::Result<Vec<u8>> {
    let Dataset { sources, entities, links, views, chains } = graph.dataset();
    let head = postcard::to_allocvec(&Head {
        sources: Seq(sources, SourceW::from),
        entities: Seq(entities, EntityW::from),
        views,
        chains,
    })
    .map_err(std::io::Error::other)?;
    let mut body = Vec::with_capacity(head.len() * 6);
    body.extend_from_slice(&(head.len() as u64).to_le_bytes());
    body.extend_from_slice(&head);
    drop(head);
    let at = body.len();
    body.extend_from_slice(&0u64.to_le_bytes());
    let mut body = postcard::to_extend(&Seq(links, LinkW::from), body).map_err(std::io::Error::other)?;
    let links_len = (body.len() - at - 8) as u64;
    body[at..at + 8].copy_from_slice(&links_len.to_le_bytes());
    encode_indices(graph, &mut body)?;
    let mut out = Vec::with_capacity(HEADER + body.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    out.extend_from_slice(&key.0.to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(&xxh3_64(&body).to_le_bytes());
    out.extend_from_slice(&body);
    Ok(out)
}

/// The indices as raw arrays, read back without parsing: the entity count and the incident
/// count (u64), then `by_id` (u32 each), `offsets` (u64 each), and per incident its link
/// (u32), other end (u32) and direction (u8, 0 out, 1 in), one array after the other.
fn encode_indices(graph: &KnowledgeGraph, out: &mut Vec<u8>) -> std::io::Result<()> {
    let (by_id, offsets, incidents) = graph.indices();
    let narrow = |n: usize| u32::try_from(n).map_err(|_| std::io::Error::other("too large to snapshot"));
    out.reserve(8 + 8 + by_id.len() * 12 + incidents.len() * 9);
    out.extend_from_slice(&(by_id.len() as u64).to_le_bytes());
    out.extend_from_slice(&(incidents.len() as u64).to_le_bytes());
    for i in by_id {
        out.extend_from_slice(&i.to_le_bytes());
    }
    for &o in offsets {
        out.extend_from_slice(&(o as u64).to_le_bytes());
    }
    for i in incidents {
        out.extend_from_slice(&narrow(i.link)?.to_le_bytes());
    }
    for i in incidents {
        out.extend_from_slice(&narrow(i.other)?.to_le_bytes());
    }
    out.extend(incidents.iter().map(|i| match i.direction {
        Direction::Out => 0u8,
        Direction::In => 1,
    }));
    Ok(())
}

/// Splits the next `n` bytes off `bytes`.
fn take<'a>(bytes: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    let (first, rest) = bytes.split_at_checked(n)?;
    *bytes = rest;
    Some(first)
}

/// A little-endian u64 length split off `bytes`.
fn take_len(bytes: &mut &[u8]) -> Option<usize> {
    let raw = take(bytes, 8)?;
    usize::try_from(u64::from_le_bytes(raw.try_into().ok()?)).ok()
}

/// `n` little-endian numbers of `W` bytes split off `bytes`, each read by `read`.
fn take_array<'a, const W: usize, T>(
    bytes: &mut &'a [u8],
    n: usize,
    read: impl Fn([u8; W]) -> T + 'a,
) -> Option<impl Iterator<Item = T> + 'a> {
    let raw = take(bytes, n.checked_mul(W)?)?;
    Some(raw.chunks_exact(W).map(move |c| read(std::array::from_fn(|k| c[k]))))
}

/// The indices written by [`encode_indices`], if `bytes` holds exactly them.
fn decode_indices(mut bytes: &[u8]) -> Option<Indices> {
    let b = &mut bytes;
    let (entities, incidents) = (take_len(b)?, take_len(b)?);
    let by_id: Vec<u32> = take_array(b, entities, u32::from_le_bytes)?.collect();
    let offsets = take_array(b, entities.checked_add(1)?, u64::from_le_bytes)?
        .map(|o| usize::try_from(o).ok())
        .collect::<Option<Vec<usize>>>()?;
    let link = take_array(b, incidents, u32::from_le_bytes)?;
    let other = take_array(b, incidents, u32::from_le_bytes)?;
    let direction = take_array(b, incidents, |[d]: [u8; 1]| match d {
        0 => Some(Direction::Out),
        1 => Some(Direction::In),
        _ => None,
    })?;
    let incidents = link
        .zip(other)
        .zip(direction)
        .map(|((link, other), direction)| {
            Some(Incident { link: link as usize, direction: direction?, other: other as usize })
        })
        .collect::<Option<Vec<Incident>>>()?;
    bytes.is_empty().then_some(Indices { by_id, offsets, incidents })
}

/// The graph in snapshot `bytes`, if they are a whole, intact snapshot for `key`.
pub fn decode(bytes: &[u8], key: Key) -> Option<KnowledgeGraph> {
    let (header, body) = bytes.split_at_checked(HEADER)?;
    let (magic, rest) = header.split_at(8);
    let (format, rest) = rest.split_at(4);
    let (stored_key, rest) = rest.split_at(16);
    let (len, sum) = rest.split_at(8);
    let ok = magic == MAGIC
        && u32::from_le_bytes(format.try_into().ok()?) == FORMAT
        && u128::from_le_bytes(stored_key.try_into().ok()?) == key.0
        && u64::from_le_bytes(len.try_into().ok()?) == body.len() as u64
        && u64::from_le_bytes(sum.try_into().ok()?) == xxh3_64(body);
    if !ok {
        return None;
    }
    let mut body = body;
    let b = &mut body;
    let head_len = take_len(b)?;
    let head = take(b, head_len)?;
    let links_len = take_len(b)?;
    let links = take(b, links_len)?;
    let indices = body;
    /// All of `bytes` as one `T`.
    fn whole<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Option<T> {
        match postcard::take_from_bytes(bytes) {
            Ok((value, [])) => Some(value),
            _ => None,
        }
    }
    let (head, links, indices) = std::thread::scope(|s| {
        let links = s.spawn(|| whole::<SeqIn<Link, LinkW>>(links));
        let head = whole::<HeadIn>(head);
        let indices = decode_indices(indices);
        // A panic while decoding is a bug in a dependency, not a reason to stop: rebuild.
        (head, links.join().ok().flatten(), indices)
    });
    let (head, links, indices) = (head?, links?, indices?);
    let dataset = Dataset {
        sources: head.sources.0,
        entities: head.entities.0,
        links: links.0,
        views: head.views,
        chains: head.chains,
    };
    indices.fit(&dataset).then(|| KnowledgeGraph::from_parts(dataset, indices))
}

fn timings() -> bool {
    std::env::var_os("THREATGRAPH_TIMINGS").is_some()
}

/// With `THREATGRAPH_TIMINGS` set, prints how long `what` took since `started`.
pub fn timing(what: &str, started: Instant) {
    if timings() {
        eprintln!("[timing] {what}: {:.3} s", started.elapsed().as_secs_f64());
    }
}

/// With `THREATGRAPH_TIMINGS` set, prints a note about the cache.
pub fn timing_note(what: &str) {
    if timings() {
        eprintln!("[timing] {what}");
    }
}

// The stored layout. The model's own serde impls are shaped for JSON output (fields skipped
// when empty, untagged details), which a non-self-describing format cannot read back, so
// entities, links and sources go through the plain mirrors below. Each conversion destructures
// the model type whole, so a new field fails to compile until it is stored. Views and chains
// have plain derives and are stored as they are.

/// A slice serialized as a sequence of mirrors, converted one at a time.
struct Seq<'a, T, W>(&'a [T], fn(&'a T) -> W);

impl<'a, T, W: Serialize> Serialize for Seq<'a, T, W> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(self.1))
    }
}

/// A sequence of mirrors read back into model values, one at a time.
struct SeqIn<T, W>(Vec<T>, PhantomData<W>);

impl<'de, T: From<W>, W: Deserialize<'de>> Deserialize<'de> for SeqIn<T, W> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T, W>(PhantomData<(T, W)>);
        impl<'de, T: From<W>, W: Deserialize<'de>> Visitor<'de> for V<T, W> {
            type Value = Vec<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a sequence")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
                // The length comes from the file: trust it only so far.
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 22));
                while let Some(w) = seq.next_element::<W>()? {
                    out.push(T::from(w));
                }
                Ok(out)
            }
        }
        d.deserialize_seq(V(PhantomData)).map(|v| SeqIn(v, PhantomData))
    }
}

/// Everything but the links.
#[derive(Serialize)]
struct Head<'a> {
    sources: Seq<'a, Source, SourceW>,
    entities: Seq<'a, Entity, EntityW>,
    views: &'a [View],
    chains: &'a [DeclaredChain],
}

#[derive(Deserialize)]
struct HeadIn {
    sources: SeqIn<Source, SourceW>,
    entities: SeqIn<Entity, EntityW>,
    views: Vec<View>,
    chains: Vec<DeclaredChain>,
}

#[derive(Serialize, Deserialize)]
struct SourceW {
    id: Id,
    title: String,
    publisher: Option<String>,
    author: Option<String>,
    date: Option<PartialDate>,
    url: Option<String>,
    reliability: Reliability,
    file: Option<String>,
    note: Option<String>,
}

impl From<&Source> for SourceW {
    fn from(s: &Source) -> Self {
        let Source { id, title, publisher, author, date, url, reliability, file, note } = s.clone();
        SourceW { id, title, publisher, author, date, url, reliability, file, note }
    }
}

impl From<SourceW> for Source {
    fn from(s: SourceW) -> Self {
        let SourceW { id, title, publisher, author, date, url, reliability, file, note } = s;
        Source { id, title, publisher, author, date, url, reliability, file, note }
    }
}

#[derive(Serialize, Deserialize)]
struct EntityW {
    id: Id,
    name: String,
    aliases: Vec<String>,
    summary: Option<String>,
    sources: Vec<Id>,
    details: DetailsW,
    origin: Origin,
    provenance: Option<Provenance>,
}

#[derive(Serialize, Deserialize)]
enum DetailsW {
    Person {
        born: Option<PartialDate>,
        died: Option<PartialDate>,
        roles: Vec<String>,
        status: Option<Status>,
    },
    Group {
        subkind: GroupType,
        founded: Option<PartialDate>,
        dissolved: Option<PartialDate>,
        ideology: Option<Ideology>,
    },
    Place {
        subkind: PlaceType,
        lat: Option<f64>,
        lon: Option<f64>,
    },
    Event {
        subkind: EventType,
        date: Option<PartialDate>,
        start: Option<PartialDate>,
        end: Option<PartialDate>,
        killed: Option<u32>,
        injured: Option<u32>,
        method: Option<Method>,
        target: Option<Target>,
        outcome: Option<Outcome>,
    },
}

impl From<&Entity> for EntityW {
    fn from(e: &Entity) -> Self {
        let Entity { id, name, aliases, summary, sources, details, origin, provenance } = e.clone();
        let details = match details {
            Details::Person(PersonDetails { born, died, roles, status }) => {
                DetailsW::Person { born, died, roles, status }
            }
            Details::Group(GroupDetails { subkind, founded, dissolved, ideology }) => {
                DetailsW::Group { subkind, founded, dissolved, ideology }
            }
            Details::Place(PlaceDetails { subkind, lat, lon }) => DetailsW::Place { subkind, lat, lon },
            Details::Event(EventDetails {
                subkind,
                date,
                start,
                end,
                killed,
                injured,
                method,
                target,
                outcome,
            }) => DetailsW::Event { subkind, date, start, end, killed, injured, method, target, outcome },
        };
        EntityW { id, name, aliases, summary, sources, details, origin, provenance }
    }
}

impl From<EntityW> for Entity {
    fn from(e: EntityW) -> Self {
        let EntityW { id, name, aliases, summary, sources, details, origin, provenance } = e;
        let details = match details {
            DetailsW::Person { born, died, roles, status } => {
                Details::Person(PersonDetails { born, died, roles, status })
            }
            DetailsW::Group { subkind, founded, dissolved, ideology } => {
                Details::Group(GroupDetails { subkind, founded, dissolved, ideology })
            }
            DetailsW::Place { subkind, lat, lon } => Details::Place(PlaceDetails { subkind, lat, lon }),
            DetailsW::Event { subkind, date, start, end, killed, injured, method, target, outcome } => {
                Details::Event(EventDetails {
                    subkind,
                    date,
                    start,
                    end,
                    killed,
                    injured,
                    method,
                    target,
                    outcome,
                })
            }
        };
        Entity { id, name, aliases, summary, sources, details, origin, provenance }
    }
}

#[derive(Serialize, Deserialize)]
struct LinkW {
    from: Id,
    rel: Relation,
    to: Id,
    date: Option<PartialDate>,
    since: Option<PartialDate>,
    until: Option<PartialDate>,
    role: Option<String>,
    note: Option<String>,
    certainty: Certainty,
    sources: Vec<Id>,
    origin: Origin,
    provenance: Option<Provenance>,
}

impl From<&Link> for LinkW {
    fn from(l: &Link) -> Self {
        let Link { from, rel, to, date, since, until, role, note, certainty, sources, origin, provenance } =
            l.clone();
        LinkW { from, rel, to, date, since, until, role, note, certainty, sources, origin, provenance }
    }
}

impl From<LinkW> for Link {
    fn from(l: LinkW) -> Self {
        let LinkW { from, rel, to, date, since, until, role, note, certainty, sources, origin, provenance } =
            l;
        Link { from, rel, to, date, since, until, role, note, certainty, sources, origin, provenance }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use proptest::prelude::*;

    use super::*;

    fn fixture() -> &'static Path {
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/valid"))
    }

    /// A fresh, valid load of `dir`.
    fn load(dir: &Path) -> Loaded {
        let loaded = crate::load::load(dir);
        let problems = crate::validate::validate(&loaded);
        assert!(!loaded.problems.iter().chain(&problems).any(|p| p.is_error()), "{dir:?} is valid");
        loaded
    }

    fn copy_dir(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            if entry.path().is_dir() {
                copy_dir(&entry.path(), &to.join(entry.file_name()));
            } else {
                std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
            }
        }
    }

    #[test]
    fn round_trip_equals_a_fresh_load() {
        let repo_data = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data"));
        for dir in [fixture(), repo_data] {
            let loaded = load(dir);
            let key = folder_key(dir).unwrap();
            assert_eq!(loaded_key(dir, &loaded), Some(key), "both keys agree on unchanged files");
            let graph = KnowledgeGraph::build(loaded.dataset);
            let back = decode(&encode(&graph, key).unwrap(), key).expect("decodes");
            assert_eq!(back.dataset(), graph.dataset(), "{dir:?}");
            assert_eq!(back.indices(), graph.indices(), "{dir:?}");
        }
    }

    #[test]
    fn the_cache_writes_atomically_and_reads_back() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache::at(tmp.path().join("cache"));
        let graph = KnowledgeGraph::build(load(fixture()).dataset);
        let key = folder_key(fixture()).unwrap();
        assert!(cache.read(fixture(), key).is_none());
        cache.write(fixture(), key, &graph).unwrap();
        assert_eq!(cache.read(fixture(), key).as_ref().map(KnowledgeGraph::dataset), Some(graph.dataset()));
        assert!(cache.read(fixture(), Key(key.0 ^ 1)).is_none(), "another key");
        let names: Vec<_> = std::fs::read_dir(cache.dir()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
    }

    #[test]
    fn any_change_to_any_file_changes_the_key() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        copy_dir(fixture(), &dir);
        let mut seen = vec![folder_key(&dir).unwrap()];
        let mut changed = |what: &str| {
            let key = folder_key(&dir).unwrap();
            assert!(!seen.contains(&key), "{what}: the key changes");
            assert_eq!(loaded_key(&dir, &crate::load::load(&dir)), Some(key), "{what}: keys agree");
            seen.push(key);
        };
        let network = dir.join("curated/network.ron");
        let text = std::fs::read_to_string(&network).unwrap();
        std::fs::write(&network, text.replacen("Ann", "Anm", 1)).unwrap();
        changed("same length, one byte");
        std::fs::write(dir.join("curated/more.ron"), "(entities: [], links: [])").unwrap();
        changed("a file added");
        std::fs::rename(dir.join("curated/more.ron"), dir.join("curated/other.ron")).unwrap();
        changed("a file renamed");
        std::fs::remove_file(dir.join("curated/other.ron")).unwrap();
        std::fs::remove_file(dir.join("views/alpha.ron")).unwrap();
        changed("a file removed");
        std::fs::write(&network, &text).unwrap();
        changed("a file edited back");
        std::fs::write(dir.join("curated/notes.txt"), "not data").unwrap();
        assert_eq!(folder_key(&dir), seen.last().copied(), "files the loader does not read do not count");
    }

    #[test]
    fn damaged_snapshots_are_refused() {
        let graph = KnowledgeGraph::build(load(fixture()).dataset);
        let key = Key(7);
        let bytes = encode(&graph, key).unwrap();
        for len in 0..bytes.len() {
            assert!(decode(&bytes[..len], key).is_none(), "truncated to {len}");
        }
        for i in (0..bytes.len()).step_by(7) {
            let mut bad = bytes.clone();
            bad[i] ^= 0x10;
            assert!(decode(&bad, key).is_none(), "byte {i} changed");
        }
        let mut other_format = bytes.clone();
        other_format[8..12].copy_from_slice(&(FORMAT + 1).to_le_bytes());
        assert!(decode(&other_format, key).is_none());
        assert!(decode(&bytes, Key(8)).is_none());
    }

    /// `bytes` with the body's checksum made right again.
    fn resealed(mut bytes: Vec<u8>) -> Vec<u8> {
        let sum = xxh3_64(&bytes[HEADER..]);
        bytes[HEADER - 8..HEADER].copy_from_slice(&sum.to_le_bytes());
        bytes
    }

    #[test]
    fn indices_out_of_range_are_refused_despite_a_good_checksum() {
        let graph = KnowledgeGraph::build(load(fixture()).dataset);
        let (entities, _, incidents) = graph.indices();
        let (entities, incidents) = (entities.len(), incidents.len());
        let key = Key(7);
        let bytes = encode(&graph, key).unwrap();
        assert!(decode(&resealed(bytes.clone()), key).is_some(), "resealing alone changes nothing");
        let end = bytes.len();
        let mut bad_direction = bytes.clone();
        bad_direction[end - 1] = 2;
        assert!(decode(&resealed(bad_direction), key).is_none(), "a direction that is neither");
        let mut bad_end = bytes.clone();
        let last_other = end - incidents - 4;
        bad_end[last_other..last_other + 4].copy_from_slice(&(entities as u32).to_le_bytes());
        assert!(decode(&resealed(bad_end), key).is_none(), "an end that is no entity");
        let mut bad_order = bytes.clone();
        let first_by_id = end - incidents * 9 - (entities + 1) * 8 - entities * 4;
        bad_order[first_by_id..first_by_id + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(decode(&resealed(bad_order), key).is_none(), "an entity number out of range");
        let mut longer = bytes;
        longer.push(0);
        let len = (longer.len() - HEADER) as u64;
        longer[HEADER - 16..HEADER - 8].copy_from_slice(&len.to_le_bytes());
        assert!(decode(&resealed(longer), key).is_none(), "a byte after the indices");
    }

    #[test]
    fn cache_location_follows_the_environment() {
        let at = |vars: &[(&str, &str)]| {
            let vars: Vec<(String, OsString)> = vars.iter().map(|(k, v)| (k.to_string(), v.into())).collect();
            Cache::from_vars(|name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
                .map(|c| c.dir().to_path_buf())
        };
        let home = [("HOME", "/h")];
        assert_eq!(at(&home), Some(PathBuf::from("/h/.cache/threatgraph")));
        assert_eq!(at(&[("HOME", "/h"), ("XDG_CACHE_HOME", "/x")]), Some(PathBuf::from("/x/threatgraph")));
        assert_eq!(
            at(&[("HOME", "/h"), ("XDG_CACHE_HOME", "rel")]),
            Some(PathBuf::from("/h/.cache/threatgraph"))
        );
        assert_eq!(at(&[("HOME", "/h"), ("THREATGRAPH_CACHE", "/c")]), Some(PathBuf::from("/c")));
        for off in ["off", "0", ""] {
            assert_eq!(at(&[("HOME", "/h"), ("THREATGRAPH_CACHE", off)]), None, "{off:?}");
        }
        assert_eq!(at(&[]), None);
    }

    proptest! {
        /// A body that passes the header checks but holds anything decodes to `None` or a
        /// dataset, never a panic.
        #[test]
        fn any_body_decodes_without_panic(body in proptest::collection::vec(any::<u8>(), 0..400)) {
            let mut bytes = Vec::new();
            bytes.extend_from_slice(MAGIC);
            bytes.extend_from_slice(&FORMAT.to_le_bytes());
            bytes.extend_from_slice(&1u128.to_le_bytes());
            bytes.extend_from_slice(&(body.len() as u64).to_le_bytes());
            bytes.extend_from_slice(&xxh3_64(&body).to_le_bytes());
            bytes.extend_from_slice(&body);
            let _ = decode(&bytes, Key(1));
        }
    }
}

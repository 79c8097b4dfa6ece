//! Compiled snapshots: a validated [`Dataset`](crate::model::Dataset) and its graph indices,
//! saved in binary in a cache folder, so that later runs on an unchanged data folder skip
//! parsing and validating the RON files, and building the graph.
//!
//! **Key.** A snapshot is named by a 128-bit XXH3 hash of the tool version, the snapshot format
//! version, the source of the stored types (this module, `src/graph.rs` and `src/model/`) and,
//! for every data file sorted by its path inside the data folder, that path, its length and its
//! full content. Any change to any file (an edit, a file added or removed, a rename) gives
//! another key, so a stale snapshot is never found. XXH3 is used rather than a cryptographic
//! hash because the threat is accidental change, not a forger (anyone who can
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
//! little-endian numbers: entity numbers sorted by id, adjacency offsets and entries, each
//! entity's links in card order), so a warm run hashes no id, looks up no link end and sorts
//! no card. Entities and
//! links are stored in chunks of [`CHUNK`], each decoded when a command first reads one of
//! its records ([`Stored`]): `show` at a million entities decodes a few hundred records, not
//! millions.
//!
//! Only a load with no errors is written. Warnings are not stored: commands that print
//! diagnostics (`check`, `chain check`, `extract`, `review`) always do a full load; the
//! commands that use snapshots print only errors, and a snapshot exists only when there were
//! none, so their output is the same with or without it.
//!
//! **Where.** `$THREATGRAPH_CACHE` if set (`off`, `0` or empty disables the cache), else
//! `$XDG_CACHE_HOME/threatgraph`, else `~/.cache/threatgraph`; never the data folder. Files are
//! named `<folder>-<key>.snap`, `<folder>` a hash of the data folder's canonical path; writing a
//! snapshot removes the older ones of the same folder, so each folder keeps one. Files are
//! written to a temporary file in the cache folder and renamed into place. A snapshot that is
//! truncated, corrupt (checked by a checksum of its whole body before anything is used), of
//! another format or unreadable is ignored and rebuilt. Its framing and indices are checked
//! when it is read; a chunk of records is decoded later, so one that passed the checksum but
//! does not decode (a bug, or a file forged with a matching checksum) stops the command with a
//! message rather than being rebuilt.
//!
//! Setting `THREATGRAPH_TIMINGS` prints how long each step took, and why a snapshot could not
//! be written, on stderr.

use std::ffi::OsString;
use std::fmt;
use std::io::Write;
use std::marker::PhantomData;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use serde::de::{Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use crate::graph::{Direction, Incident, Indices, IndicesRef, KnowledgeGraph, Records};
use crate::model::{
    Certainty, DeclaredChain, Details, Entity, EventDetails, EventType, GroupDetails, GroupType, Id,
    Ideology, Link, Method, Origin, Outcome, PartialDate, PersonDetails, PlaceDetails, PlaceType, Provenance,
    Relation, Reliability, Source, Status, Target, View,
};
use crate::names::{self, Array, NameIndex};
use crate::stored::{Bytes, Stored};

/// Bumped whenever the stored layout changes; part of the key and of the header.
mod key;

pub use key::{Key, folder_key, loaded_key};

pub const FORMAT: u32 = 10;

/// Records per chunk: reading one record decodes its chunk. Small, because the links of one
/// entity lie all over the file: `show` of a hub with 44,000 links (of 3.9 million) decodes
/// at most 0.7 million links in chunks of 16, and nearly all of them in chunks of 256.
pub const CHUNK: usize = 16;

const MAGIC: &[u8; 8] = b"TGSNAP\r\n";
/// Magic, format, key, body length, body checksum.
const HEADER: usize = 8 + 4 + 16 + 8 + 8;

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

    /// Where a variant of that snapshot lives (the graph as of a date: `variant` names the
    /// date), with the note that goes with it: `<folder>-<key>-<variant>.snap` and `.note`.
    fn variant_paths(&self, data: &Path, key: Key, variant: &str) -> (PathBuf, PathBuf) {
        let stem = format!("{}{key}-{variant}", Cache::prefix(data));
        (self.dir.join(format!("{stem}.snap")), self.dir.join(format!("{stem}.note")))
    }

    /// The graph saved for `key`, or `None` when there is no usable snapshot.
    pub fn read(&self, data: &Path, key: Key) -> Option<KnowledgeGraph> {
        read_at(&self.path(data, key), key)
    }

    /// The variant `variant` of the snapshot for `key` and its note, or `None` when there is
    /// no usable one.
    pub fn read_variant(&self, data: &Path, key: Key, variant: &str) -> Option<(KnowledgeGraph, Vec<u8>)> {
        let (snap, note) = self.variant_paths(data, key, variant);
        // The note is written first: a snapshot without it was not finished.
        let note = std::fs::read(note).ok()?;
        Some((read_at(&snap, variant_key(key, variant))?, note))
    }

    /// Saves `graph` as the snapshot of `data` with content `key`, atomically, and removes
    /// the folder's snapshots of other contents.
    pub fn write(&self, data: &Path, key: Key, graph: &KnowledgeGraph) -> std::io::Result<()> {
        let started = Instant::now();
        let bytes = encode(graph, key)?;
        std::fs::create_dir_all(&self.dir)?;
        persist(&self.dir, &self.path(data, key), &bytes)?;
        self.remove_stale(data, key)?;
        timing(&format!("write snapshot, {} MB", bytes.len() / 1_000_000), started);
        Ok(())
    }

    /// Saves a variant of the snapshot for `key` with its note (both atomically), keeps the
    /// [`VARIANTS`] most recent variants of that key, and removes snapshots of other contents.
    pub fn write_variant(
        &self,
        data: &Path,
        key: Key,
        variant: &str,
        graph: &KnowledgeGraph,
        note: &[u8],
    ) -> std::io::Result<()> {
        let started = Instant::now();
        let bytes = encode(graph, variant_key(key, variant))?;
        std::fs::create_dir_all(&self.dir)?;
        let (snap, note_path) = self.variant_paths(data, key, variant);
        persist(&self.dir, &note_path, note)?;
        persist(&self.dir, &snap, &bytes)?;
        self.remove_stale(data, key)?;
        // The oldest variants beyond the most recent few, newest first by modification time.
        let stem = format!("{}{key}-", Cache::prefix(data));
        let mut variants: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(&self.dir)?
            .filter_map(Result::ok)
            .filter(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.starts_with(&stem) && name.ends_with(".snap")
            })
            .map(|e| (e.metadata().and_then(|m| m.modified()).unwrap_or(std::time::UNIX_EPOCH), e.path()))
            .collect();
        variants.sort_by(|a, b| b.cmp(a));
        for (_, old) in variants.into_iter().skip(VARIANTS) {
            let _ = std::fs::remove_file(old.with_extension("note"));
            let _ = std::fs::remove_file(old);
        }
        timing(&format!("write snapshot as of a date, {} MB", bytes.len() / 1_000_000), started);
        Ok(())
    }

    /// Removes the snapshots and notes of `data` whose content is not `key`.
    fn remove_stale(&self, data: &Path, key: Key) -> std::io::Result<()> {
        let prefix = Cache::prefix(data);
        let current = format!("{prefix}{key}");
        for entry in std::fs::read_dir(&self.dir)?.filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().into_owned();
            let ours = name.ends_with(".snap") || name.ends_with(".note");
            if ours && name.starts_with(&prefix) && !name.starts_with(&current) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        Ok(())
    }
}

/// How many snapshots as of a date each data folder keeps (each as large as the plain one).
pub const VARIANTS: usize = 4;

/// The key stored inside a variant of the snapshot for `key`.
fn variant_key(key: Key, variant: &str) -> Key {
    let mut h = Xxh3::new();
    h.update(&key.0.to_le_bytes());
    h.update(variant.as_bytes());
    Key(h.digest128())
}

/// Writes `bytes` to a temporary file in the cache folder `dir`, synced, then renamed to `path`.
fn persist(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The graph in the snapshot file at `path`, stored under `key`.
fn read_at(path: &Path, key: Key) -> Option<KnowledgeGraph> {
    let started = Instant::now();
    let file = std::fs::File::open(path).ok()?;
    // Mapped rather than read: reading copied hundreds of megabytes into fresh memory that
    // the kernel had to zero first, half of a warm run at a million entities.
    // SAFETY: a snapshot file is written whole to a temporary name and renamed into place
    // (`write`), never changed in place, so the mapped bytes do not change under us;
    // removing the file (or the cache folder) while mapped leaves the mapping intact.
    let bytes = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    timing(&format!("map snapshot, {} MB", bytes.len() / 1_000_000), started);
    let started = Instant::now();
    let graph = decode(bytes, key);
    timing("decode snapshot", started);
    if graph.is_none() {
        timing_note("snapshot unusable (corrupt, truncated or another format): rebuilding it");
    }
    graph
}

/// The snapshot bytes of `graph` under `key`: header, then the body.
///
/// The body is the sources, views and chains (postcard, after their length), the entities
/// and the links (see [`encode_records`]), the name index ([`encode_names`]), then the graph's indices. Fails only on a graph
/// too large for 32-bit entity and link numbers.
pub fn encode(graph: &KnowledgeGraph, key: Key) -> std::io::Result<Vec<u8>> {
    encode_chunked(graph, key, CHUNK)
}

fn encode_chunked(graph: &KnowledgeGraph, key: Key, chunk: usize) -> std::io::Result<Vec<u8>> {
    // Written in place after a blank header, filled in last: one copy of a body of hundreds
    // of megabytes, not three.
    let mut out = vec![0; HEADER + 8];
    out = postcard::to_extend(
        &Head { sources: Seq(graph.sources(), SourceW::from), views: graph.views(), chains: graph.chains() },
        out,
    )
    .map_err(std::io::Error::other)?;
    let head_len = (out.len() - HEADER - 8) as u64;
    out[HEADER..HEADER + 8].copy_from_slice(&head_len.to_le_bytes());
    encode_records(graph.entities(), EntityW::from, chunk, &mut out)?;
    encode_records(graph.links(), LinkW::from, chunk, &mut out)?;
    encode_names(graph, &mut out);
    encode_indices(graph, &mut out)?;
    let (header, body) = out.split_at_mut(HEADER);
    let mut fields = MAGIC.to_vec();
    fields.extend_from_slice(&FORMAT.to_le_bytes());
    fields.extend_from_slice(&key.0.to_le_bytes());
    fields.extend_from_slice(&(body.len() as u64).to_le_bytes());
    fields.extend_from_slice(&xxh3_64(body).to_le_bytes());
    header.copy_from_slice(&fields);
    Ok(out)
}

/// Records in chunks: their count and the chunk size (u64), the byte length of each chunk
/// (u64), then the chunks, each a postcard sequence of up to `chunk` records.
fn encode_records<'a, T, W: Serialize>(
    records: &'a [T],
    mirror: fn(&'a T) -> W,
    chunk: usize,
    out: &mut Vec<u8>,
) -> std::io::Result<()> {
    out.extend_from_slice(&(records.len() as u64).to_le_bytes());
    out.extend_from_slice(&(chunk as u64).to_le_bytes());
    let mut table = out.len();
    out.resize(table + records.len().div_ceil(chunk) * 8, 0);
    for part in records.chunks(chunk) {
        let before = out.len();
        *out = postcard::to_extend(&Seq(part, mirror), std::mem::take(out)).map_err(std::io::Error::other)?;
        let len = (out.len() - before) as u64;
        out[table..table + 8].copy_from_slice(&len.to_le_bytes());
        table += 8;
    }
    Ok(())
}

/// The name index's arrays (see [`NameIndex::parts`]), each after its byte length (u64),
/// read back in place.
fn encode_names(graph: &KnowledgeGraph, out: &mut Vec<u8>) {
    for part in graph.names().parts() {
        out.extend_from_slice(&(part.len() as u64).to_le_bytes());
        out.extend_from_slice(part);
    }
}

/// The indices as raw arrays, read back without parsing: the entity count and the incident
/// count (u64), then `by_id` (u32 each), `offsets` (u64 each), and per incident its link
/// (u32), other end (u32) and direction (u8, 0 out, 1 in), relation, certainty and origin
/// (u8 each), then the card orders (u32 per incident), then the number of links (u64) and
/// each link's best reliability (u8), one array after the other.
fn encode_indices(graph: &KnowledgeGraph, out: &mut Vec<u8>) -> std::io::Result<()> {
    let IndicesRef { by_id, offsets, incidents, card_order, link_reliability } = graph.indices();
    let narrow = |n: usize| u32::try_from(n).map_err(|_| std::io::Error::other("too large to snapshot"));
    out.reserve(8 + 8 + by_id.len() * 12 + incidents.len() * 16);
    out.extend_from_slice(&(by_id.len() as u64).to_le_bytes());
    out.extend_from_slice(&(incidents.len() as u64).to_le_bytes());
    for i in by_id {
        out.extend_from_slice(&i.to_le_bytes());
    }
    for &o in offsets {
        out.extend_from_slice(&(o as u64).to_le_bytes());
    }
    for i in incidents {
        out.extend_from_slice(&narrow(i.link())?.to_le_bytes());
    }
    for i in incidents {
        out.extend_from_slice(&narrow(i.other())?.to_le_bytes());
    }
    // Direction, relation, certainty and origin as their positions in their vocabularies.
    out.extend(incidents.iter().map(|i| match i.direction {
        Direction::Out => 0u8,
        Direction::In => 1,
    }));
    out.extend(incidents.iter().map(|i| position(Relation::ALL, i.rel)));
    out.extend(incidents.iter().map(|i| position(&Certainty::ALL, i.certainty)));
    out.extend(incidents.iter().map(|i| match i.origin {
        Origin::Curated => 0u8,
        Origin::Extracted => 1,
        Origin::Imported => 2,
    }));
    for at in card_order {
        out.extend_from_slice(&at.to_le_bytes());
    }
    out.extend_from_slice(&(link_reliability.len() as u64).to_le_bytes());
    out.extend(link_reliability.iter().map(|&r| position(&Reliability::ALL, r)));
    Ok(())
}

/// The place of `x` in its vocabulary, as one byte.
fn position<T: PartialEq>(all: &[T], x: T) -> u8 {
    all.iter().position(|a| *a == x).expect("a variant of the vocabulary") as u8
}

/// Reads a snapshot front to back, knowing where it is.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    /// The range of the next `n` bytes, stepping over them.
    fn skip(&mut self, n: usize) -> Option<Range<usize>> {
        let end = self.at.checked_add(n).filter(|&end| end <= self.bytes.len())?;
        let range = self.at..end;
        self.at = end;
        Some(range)
    }

    /// The next `n` bytes.
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let range = self.skip(n)?;
        self.bytes.get(range)
    }

    /// A little-endian u64 length.
    fn len(&mut self) -> Option<usize> {
        let raw = self.take(8)?;
        usize::try_from(u64::from_le_bytes(raw.try_into().ok()?)).ok()
    }

    /// `n` little-endian numbers of `W` bytes, each read by `read`.
    fn array<const W: usize, T>(
        &mut self,
        n: usize,
        read: impl Fn([u8; W]) -> T + 'a,
    ) -> Option<impl Iterator<Item = T> + 'a> {
        let raw = self.take(n.checked_mul(W)?)?;
        Some(raw.chunks_exact(W).map(move |c| read(std::array::from_fn(|k| c[k]))))
    }

    /// Everything after the cursor.
    fn rest(&self) -> &'a [u8] {
        self.bytes.get(self.at..).unwrap_or_default()
    }
}

/// The indices written by [`encode_indices`], if `bytes` holds exactly them.
fn decode_indices(bytes: &[u8]) -> Option<Indices> {
    let b = &mut Cursor { bytes, at: 0 };
    let (entities, incidents) = (b.len()?, b.len()?);
    let by_id: Vec<u32> = b.array(entities, u32::from_le_bytes)?.collect();
    let offsets = b
        .array(entities.checked_add(1)?, u64::from_le_bytes)?
        .map(|o| usize::try_from(o).ok())
        .collect::<Option<Vec<usize>>>()?;
    let link = b.array(incidents, u32::from_le_bytes)?;
    let other = b.array(incidents, u32::from_le_bytes)?;
    let direction = b.array(incidents, |[d]: [u8; 1]| match d {
        0 => Some(Direction::Out),
        1 => Some(Direction::In),
        _ => None,
    })?;
    let rel = b.array(incidents, |[r]: [u8; 1]| Relation::ALL.get(usize::from(r)).copied())?;
    let certainty = b.array(incidents, |[c]: [u8; 1]| Certainty::ALL.get(usize::from(c)).copied())?;
    let origin = b.array(incidents, |[o]: [u8; 1]| match o {
        0 => Some(Origin::Curated),
        1 => Some(Origin::Extracted),
        2 => Some(Origin::Imported),
        _ => None,
    })?;
    let incidents = link
        .zip(other)
        .zip(direction)
        .zip(rel.zip(certainty).zip(origin))
        .map(|(((link, other), direction), ((rel, certainty), origin))| {
            Some(Incident::stored(link, other, direction?, (rel?, certainty?, origin?)))
        })
        .collect::<Option<Vec<Incident>>>()?;
    let card_order: Vec<u32> = b.array(incidents.len(), u32::from_le_bytes)?.collect();
    let links = b.len()?;
    let link_reliability = b
        .array(links, |[r]: [u8; 1]| Reliability::ALL.get(usize::from(r)).copied())?
        .collect::<Option<Vec<Reliability>>>()?;
    b.rest().is_empty().then_some(Indices { by_id, offsets, incidents, card_order, link_reliability })
}

/// The graph in snapshot `bytes`, if they are a whole, intact snapshot for `key`. The
/// entities and links stay in `bytes` until read.
pub fn decode(bytes: impl AsRef<[u8]> + Send + Sync + 'static, key: Key) -> Option<KnowledgeGraph> {
    let bytes: Bytes = Arc::new(bytes);
    let all = (*bytes).as_ref();
    let (header, body) = all.split_at_checked(HEADER)?;
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
    let b = &mut Cursor { bytes: all, at: HEADER };
    let head_len = b.len()?;
    let head: HeadIn = whole(b.take(head_len)?)?;
    let entities = read_stored(b, &bytes, |chunk| whole::<SeqIn<Entity, EntityW>>(chunk).map(|s| s.0))?;
    let links = read_stored(b, &bytes, |chunk| whole::<SeqIn<Link, LinkW>>(chunk).map(|s| s.0))?;
    let mut parts = Vec::with_capacity(names::PARTS);
    for _ in 0..names::PARTS {
        let len = b.len()?;
        parts.push(Array::Mapped(Arc::clone(&bytes), b.skip(len)?));
    }
    let names = NameIndex::from_parts(parts.try_into().ok()?)?;
    let indices = decode_indices(b.rest())?;
    if !indices.fit(entities.count(), links.count()) {
        return None;
    }
    let records = (Records::Stored(entities), Records::Stored(links));
    Some(
        KnowledgeGraph::from_parts(records, (head.sources.0, head.views, head.chains), indices)
            .with_names(names),
    )
}

/// All of `bytes` as one `T`.
fn whole<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Option<T> {
    match postcard::take_from_bytes(bytes) {
        Ok((value, [])) => Some(value),
        _ => None,
    }
}

/// The records written by [`encode_records`] at the cursor, checking only their framing.
fn read_stored<T: Send + Sync>(
    b: &mut Cursor,
    bytes: &Bytes,
    decode: fn(&[u8]) -> Option<Vec<T>>,
) -> Option<Stored<T>> {
    let (len, chunk) = (b.len()?, b.len()?);
    if chunk == 0 {
        return None;
    }
    let count = len.div_ceil(chunk);
    let lengths: Vec<u64> = b.array(count, u64::from_le_bytes)?.collect();
    let ranges = lengths
        .into_iter()
        .map(|n| b.skip(usize::try_from(n).ok()?))
        .collect::<Option<Vec<Range<usize>>>>()?;
    Some(Stored::new(Arc::clone(bytes), len, chunk, ranges, decode))
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

/// Everything but the entities and links.
#[derive(Serialize)]
struct Head<'a> {
    sources: Seq<'a, Source, SourceW>,
    views: &'a [View],
    chains: &'a [DeclaredChain],
}

#[derive(Deserialize)]
struct HeadIn {
    sources: SeqIn<Source, SourceW>,
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
    provenance: Option<Box<Provenance>>,
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
    provenance: Option<Box<Provenance>>,
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
mod tests;

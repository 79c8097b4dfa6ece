//! The key a snapshot is named by: a hash of the tool version, the snapshot format, the source
//! of the stored types, and every data file's path, length and content (see the parent module's
//! "Key" paragraph for why XXH3 and why the key written is the key of the text read).

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use xxhash_rust::xxh3::Xxh3;

use super::{FORMAT, timing};
use crate::load::Loaded;

/// The source of the stored layout (the snapshot module, the graph and the model), hashed into the key, so that a
/// build whose model differs never reads another build's snapshot, even if [`FORMAT`] was not
/// bumped and the tool version is the same (as between two commits).
const LAYOUT: &[&str] = &[
    include_str!("../snapshot.rs"),
    include_str!("../graph.rs"),
    include_str!("../names.rs"),
    include_str!("../stored.rs"),
    include_str!("../model/mod.rs"),
    include_str!("../model/date.rs"),
    include_str!("../model/entity.rs"),
    include_str!("../model/grade.rs"),
    include_str!("../model/id.rs"),
    include_str!("../model/link.rs"),
    include_str!("../model/provenance.rs"),
    include_str!("../model/relation.rs"),
    include_str!("../model/source.rs"),
    include_str!("../model/view.rs"),
];

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
    let mut total = 0;
    for (rel, path) in &files {
        // A file the loader would refuse (a pipe, a device, too large) means no snapshot.
        let bytes = crate::load::file::read_limited(path).ok()?;
        h.file(rel, &bytes);
        total += bytes.len();
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

//! Records and arrays kept in the bytes of a snapshot and read in place: records decoded a
//! chunk at a time on first use ([`Stored`]), numbers read where they lie ([`Numbers`]).
//!
//! The graph holds these without knowing what a snapshot is; [`crate::snapshot`] makes them.

use std::fmt;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// The bytes of a snapshot, kept as long as records are decoded from them.
pub type Bytes = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// Entities or links still in a snapshot, decoded a chunk at a time on first use.
pub struct Stored<T> {
    bytes: Bytes,
    len: usize,
    chunk: usize,
    /// Where each chunk is in `bytes`.
    ranges: Vec<Range<usize>>,
    decode: fn(&[u8]) -> Option<Vec<T>>,
    chunks: Box<[OnceLock<Vec<T>>]>,
    /// Every record, once something asked for them all.
    all: OnceLock<Vec<T>>,
}

impl<T> fmt::Debug for Stored<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stored").field("len", &self.len).field("chunk", &self.chunk).finish_non_exhaustive()
    }
}

impl<T: Send + Sync> Stored<T> {
    /// `len` records in chunks of `chunk` (not 0), chunk `k` at `ranges[k]` of `bytes`, each
    /// read by `decode`.
    pub fn new(
        bytes: Bytes,
        len: usize,
        chunk: usize,
        ranges: Vec<Range<usize>>,
        decode: fn(&[u8]) -> Option<Vec<T>>,
    ) -> Stored<T> {
        let chunks = (0..ranges.len()).map(|_| OnceLock::new()).collect();
        Stored { bytes, len, chunk, ranges, decode, chunks, all: OnceLock::new() }
    }

    pub fn count(&self) -> usize {
        self.len
    }

    /// True once something asked for every record at once.
    pub fn decoded_all(&self) -> bool {
        self.all.get().is_some()
    }

    /// The records of chunk `k`.
    fn decode_chunk(&self, k: usize) -> Vec<T> {
        let expected = self.chunk.min(self.len - k * self.chunk);
        let bytes = (*self.bytes).as_ref().get(self.ranges[k].clone()).unwrap_or_default();
        match (self.decode)(bytes) {
            Some(records) if records.len() == expected => records,
            // The body's checksum matched when it was read: only a bug or a forgery gets here.
            _ => panic!("a snapshot chunk does not decode; delete the snapshot cache folder"),
        }
    }

    pub fn get(&self, i: usize) -> &T {
        if let Some(all) = self.all.get() {
            return &all[i];
        }
        let k = i / self.chunk;
        &self.chunks[k].get_or_init(|| self.decode_chunk(k))[i % self.chunk]
    }

    /// Every record, decoded on two threads the first time.
    pub fn all(&self) -> &[T] {
        self.all.get_or_init(|| {
            let half = self.ranges.len() / 2;
            let decode = |chunks: Range<usize>| -> Vec<T> {
                let mut out = Vec::with_capacity(chunks.len() * self.chunk);
                for k in chunks {
                    out.extend(self.decode_chunk(k));
                }
                out
            };
            std::thread::scope(|s| {
                let later = s.spawn(|| decode(half..self.ranges.len()));
                let mut all = decode(0..half);
                all.extend(later.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
                all
            })
        })
    }
}

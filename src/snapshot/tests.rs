//! Tests of the snapshot: round trips, keys, staleness, corruption.

use std::path::Path;

use proptest::prelude::*;

use crate::load::Loaded;

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
        for chunk in [1, 3, CHUNK] {
            let bytes = encode_chunked(&graph, key, chunk).unwrap();
            let back = decode(bytes.clone(), key).expect("decodes");
            for i in (0..graph.entity_count()).rev() {
                assert_eq!(back.entity(i), graph.entity(i), "{dir:?}, chunks of {chunk}");
            }
            for i in 0..graph.links().len() {
                assert_eq!(back.link(i), graph.link(i), "{dir:?}, chunks of {chunk}");
            }
            let back = decode(bytes, key).expect("decodes");
            assert_eq!(back.entities(), graph.entities(), "{dir:?}, chunks of {chunk}");
            assert_eq!(back.links(), graph.links(), "{dir:?}, chunks of {chunk}");
            assert_eq!(back.entity(0), graph.entity(0), "{dir:?}, chunks of {chunk}");
            assert_eq!(back.sources(), graph.sources(), "{dir:?}");
            assert_eq!(back.views(), graph.views(), "{dir:?}");
            assert_eq!(back.chains(), graph.chains(), "{dir:?}");
            assert_eq!(back.indices(), graph.indices(), "{dir:?}");
        }
    }
}

/// The commands that read a few records (`show`, `neighbours`, `path`) decode only their
/// chunks, never the whole file: at a million entities that is the difference between a
/// fraction of a second and a few.
#[test]
fn a_card_a_neighbourhood_and_a_path_decode_only_their_records() {
    use crate::query::{LinkFilter, neighbours, paths, show};
    let graph = KnowledgeGraph::build(load(fixture()).dataset);
    let key = Key(3);
    let back = decode(encode_chunked(&graph, key, 1).unwrap(), key).expect("decodes");
    let hub = (0..back.entity_count()).max_by_key(|&i| back.degree(i)).unwrap();
    let filter = LinkFilter::default();
    let card = show::show(&back, hub, &filter);
    assert!(!card.links.is_empty());
    serde_json::to_string(&card).unwrap();
    let near = neighbours::reach(&back, &[hub], 2, &[], &filter);
    let far = *near.keys().max().unwrap();
    let q = paths::PathQuery { filter, max_len: 8, limit: 5, ..Default::default() };
    paths::paths(&back, hub, far, &q);
    assert_eq!(back.decoded_all(), (false, false), "entities, links decoded whole");
}

/// A name search and a name resolved by search read the name index where the snapshot
/// holds it, and decode only the entities they print: the index is stored, not rebuilt.
#[test]
fn a_search_decodes_only_the_entities_it_finds() {
    let graph = KnowledgeGraph::build(load(fixture()).dataset);
    let key = Key(4);
    let back = decode(encode_chunked(&graph, key, 1).unwrap(), key).expect("decodes");
    assert_eq!(back.names().parts(), graph.names().parts(), "the index is stored as built");
    let hits = crate::query::search::search(&back, "exampel", 3);
    assert!(!hits.is_empty());
    let hits = crate::query::search::search(&back, "zed", 3);
    assert!(!hits.is_empty());
    back.resolve("Ann Example").unwrap();
    assert_eq!(back.decoded_all(), (false, false), "entities, links decoded whole");
}

#[test]
fn the_cache_writes_atomically_and_reads_back() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = Cache::at(tmp.path().join("cache"));
    let graph = KnowledgeGraph::build(load(fixture()).dataset);
    let key = folder_key(fixture()).unwrap();
    assert!(cache.read(fixture(), key).is_none());
    cache.write(fixture(), key, &graph).unwrap();
    assert_eq!(cache.read(fixture(), key).as_ref().map(KnowledgeGraph::entities), Some(graph.entities()));
    assert!(cache.read(fixture(), Key(key.0 ^ 1)).is_none(), "another key");
    let names: Vec<_> = std::fs::read_dir(cache.dir()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
}

#[test]
fn snapshots_as_of_a_date_sit_beside_the_plain_one_and_go_with_it() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = Cache::at(tmp.path().join("cache"));
    let graph = KnowledgeGraph::build(load(fixture()).dataset);
    let key = folder_key(fixture()).unwrap();
    cache.write(fixture(), key, &graph).unwrap();
    assert!(cache.read_variant(fixture(), key, "as-of-1").is_none());
    for day in 0..VARIANTS + 2 {
        cache.write_variant(fixture(), key, &format!("as-of-{day}"), &graph, b"note").unwrap();
    }
    let (back, note) =
        cache.read_variant(fixture(), key, &format!("as-of-{}", VARIANTS + 1)).expect("read back");
    assert_eq!((back.entities(), note.as_slice()), (graph.entities(), &b"note"[..]));
    assert!(cache.read(fixture(), key).is_some(), "the plain snapshot is kept");
    assert!(cache.read_variant(fixture(), Key(key.0 ^ 1), "as-of-5").is_none(), "another key");
    let count = || std::fs::read_dir(cache.dir()).unwrap().count();
    assert_eq!(count(), 1 + 2 * VARIANTS, "the plain one and the last {VARIANTS} dates, each with its note");
    // New data: every snapshot of the old is removed.
    cache.write(fixture(), Key(key.0 ^ 1), &graph).unwrap();
    assert_eq!(count(), 1);
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
        assert!(decode(bytes[..len].to_vec(), key).is_none(), "truncated to {len}");
    }
    for i in (0..bytes.len()).step_by(7) {
        let mut bad = bytes.clone();
        bad[i] ^= 0x10;
        assert!(decode(bad, key).is_none(), "byte {i} changed");
    }
    let mut other_format = bytes.clone();
    other_format[8..12].copy_from_slice(&(FORMAT + 1).to_le_bytes());
    assert!(decode(other_format, key).is_none());
    assert!(decode(bytes, Key(8)).is_none());
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
    let IndicesRef { by_id: entities, incidents, link_reliability, .. } = graph.indices();
    let (e, i, l) = (entities.len(), incidents.len(), link_reliability.len());
    let key = Key(7);
    let bytes = encode(&graph, key).unwrap();
    assert!(decode(resealed(bytes.clone()), key).is_some(), "resealing alone changes nothing");
    // From the end: link reliabilities (a byte each) and their count, card places (u32 each), origins, certainties, relations, directions
    // (a byte each), other ends and links (u32 each), offsets (u64 each) and `by_id` (u32
    // each).
    let end = bytes.len();
    let refused = |at: usize, value: &[u8], why: &str| {
        let mut bad = bytes.clone();
        bad[at..at + value.len()].copy_from_slice(value);
        assert!(decode(resealed(bad), key).is_none(), "{why}");
    };
    refused(end - 1, &[6], "a reliability that is none of A to F");
    refused(end - l - 8, &((l + 1) as u64).to_le_bytes(), "a reliability for a link that is not there");
    let end = end - l - 8;
    refused(end - 4, &u32::MAX.to_le_bytes(), "a card place beyond its entity's links");
    let end = end - 4 * i;
    refused(end - 1, &[3], "an origin that is none of curated, extracted, imported");
    refused(end - 3 * i - 1, &[2], "a direction that is neither");
    refused(end - 4 * i - 4, &(e as u32).to_le_bytes(), "an end that is no entity");
    let first_id = end - 12 * i - (e + 1) * 8 - e * 4;
    refused(first_id, &u32::MAX.to_le_bytes(), "an entity number out of range");
    let mut longer = bytes;
    longer.push(0);
    let len = (longer.len() - HEADER) as u64;
    longer[HEADER - 16..HEADER - 8].copy_from_slice(&len.to_le_bytes());
    assert!(decode(resealed(longer), key).is_none(), "a byte after the indices");
}

#[test]
#[should_panic(expected = "a snapshot chunk does not decode")]
fn a_forged_chunk_stops_the_command_when_read() {
    let graph = KnowledgeGraph::build(load(fixture()).dataset);
    let key = Key(7);
    let mut bytes = encode(&graph, key).unwrap();
    let head_len = u64::from_le_bytes(bytes[HEADER..HEADER + 8].try_into().unwrap()) as usize;
    let entities = HEADER + 8 + head_len;
    let chunks = graph.entity_count().div_ceil(CHUNK);
    // The first chunk's record count, a one-byte varint below CHUNK.
    bytes[entities + 16 + chunks * 8] ^= 1;
    let forged = decode(resealed(bytes), key).expect("framing and indices are intact");
    let _ = forged.entity(0);
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
        let _ = decode(bytes, Key(1));
    }
}

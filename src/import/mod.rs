//! Bringing other tools' data into the graph: STIX 2.1 bundles ([`stix`]), spreadsheets ([`csv`]) and FollowTheMoney
//! JSON lines ([`ftm`]). A reader
//! turns its input into sources, entities and links whose ids are still the foreign ids
//! (`stix:threat-actor--...`), and says what it left out; [`finish`] then joins them to the
//! entities already in the data folder ([`matching`]), gives the rest threatgraph ids, and
//! [`write`] writes them to `data/imported/NAME/` once the folder as it will be checks clean.
//!
//! Imported facts have the origin [`Origin::Imported`]: every answer and export says so, and
//! `--curated-only` leaves them out.

pub mod csv;
pub mod ftm;
pub mod matching;
pub mod stix;
pub mod write;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::model::{Certainty, Dataset, Entity, Id, Kind, Link, Source, slugify};

/// A problem with an input file that stops the import: where, what, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputError {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub help: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(column) = self.column {
            write!(f, ":{column}")?;
        }
        write!(f, ": {}\n  help: {}", self.message, self.help)
    }
}

/// What a reader made of its input, before it is joined to the data folder: entity ids and
/// link ends are still the records' foreign ids.
#[derive(Debug, Default)]
pub struct Draft {
    pub sources: Vec<Source>,
    pub entities: Vec<Entity>,
    pub links: Vec<Link>,
    pub report: Report,
}

/// Everything an import left out or was unsure of, for the user to read.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    /// Records of types with no place in the graph, by type: `malware`, `indicator`, ...
    pub skipped: BTreeMap<String, usize>,
    /// Relationships whose type (or pair of kinds) maps to no relation, by `type (from -> to)`.
    pub unmapped: BTreeMap<String, usize>,
    /// Relationships left out because an end was skipped: `id: type (missing end)`.
    pub dangling: Vec<String>,
    /// Values that could not be read (a date, a confidence), with where.
    pub unreadable: Vec<String>,
    /// Records merged into another of the same import, with why (`identity--... into threat-actor--...`).
    pub folded: Vec<String>,
    /// Imported entities found in the data folder and joined to it.
    pub joined: Vec<Joined>,
    /// Imported entities that may be an entity of the data folder: written as new, to review.
    pub possible_duplicates: Vec<PossibleDuplicate>,
}

/// An imported record taken to be an entity already there. Written to
/// `imported/NAME/joins.ron`, so that the entity keeps the record's id (and a later import
/// of the same record finds it again) without a word of its own file being rewritten.
#[derive(Debug, Serialize)]
pub struct Joined {
    pub external_id: String,
    pub name: String,
    pub existing: String,
    /// `external id`, `name`, `alias` or `abbreviation` (see [`matching`]).
    pub by: String,
    /// The sources the record cites.
    pub sources: Vec<Id>,
}

/// A pair to review: an imported entity and an existing one that may be the same.
#[derive(Debug, Serialize)]
pub struct PossibleDuplicate {
    pub imported: String,
    pub existing: String,
    pub why: String,
}

/// The result of an import, ready to be written.
#[derive(Debug, Default)]
pub struct Imported {
    pub sources: Vec<Source>,
    pub entities: Vec<Entity>,
    pub links: Vec<Link>,
    pub report: Report,
}

/// `base`, or `base-2`, `base-3`, ... : the first not in `taken` (which then holds it).
pub(crate) fn unique_id(taken: &mut HashSet<String>, base: &str) -> Id {
    let mut id = base.to_owned();
    let mut n = 2;
    while !taken.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    Id::new(id)
}

/// The source an input file is, for the records that cite no source of their own: its id
/// `IMPORT-STEM` (made unique among `taken`; `IMPORT-FORMAT` for a file with no stem), its
/// title `WHAT FILE-NAME` (`spreadsheet people.csv`), and a note naming the command that read it.
pub(crate) fn file_source(
    taken: &mut HashSet<String>,
    import: &str,
    path: &std::path::Path,
    what: &str,
    format: &str,
) -> Source {
    let stem = slugify(path.file_stem().map(|s| s.to_string_lossy()).unwrap_or_default().as_ref());
    let id = unique_id(taken, &format!("{import}-{}", if stem.is_empty() { format } else { &stem }));
    let file = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    source(id, format!("{what} {file}"), Some(format!("read by `threatgraph import {format}`")))
}

/// A source an import names: reliability `F` (cannot be judged) until a person grades it.
pub(crate) fn source(id: Id, title: String, note: Option<String>) -> Source {
    Source {
        id,
        title,
        publisher: None,
        author: None,
        date: None,
        url: None,
        reliability: crate::model::Reliability::F,
        file: None,
        note,
    }
}

/// The provenance of an imported record: the reader's rule and the record's foreign ids.
pub(crate) fn provenance(rule: &str, external_ids: Vec<String>) -> Option<Box<crate::model::Provenance>> {
    Some(Box::new(crate::model::Provenance {
        rule: rule.into(),
        spans: Vec::new(),
        external_ids,
        joined: Vec::new(),
    }))
}

/// The foreign ids of an entity or link, as written in its provenance.
pub fn external_ids(e: &Entity) -> &[String] {
    e.provenance.as_ref().map_or(&[], |p| &p.external_ids)
}

/// Joins a draft to the `existing` data (the data folder without this import's own folder)
/// with a [`Joiner`]: entities matched for certain are not written again and links point at
/// them; the others get ids of their own. For readers that hold their input whole (STIX, CSV);
/// FtM goes through the [`Joiner`] a record at a time.
pub fn finish(draft: Draft, existing: &Dataset, name: &str, preferred_ids: &HashMap<Id, String>) -> Imported {
    let Draft { sources, entities, links, report } = draft;
    let mut joiner = Joiner::new(existing, name, report);
    let entities: Vec<Entity> = entities
        .into_iter()
        .filter_map(|e| {
            let preferred = preferred_ids.get(&e.id).cloned();
            joiner.entity(e, preferred)
        })
        .collect();
    let links: Vec<Link> = links.into_iter().filter_map(|l| joiner.link(l)).collect();
    let (sources, report) = joiner.finish(sources);
    Imported { sources, entities, links, report }
}

/// Joins imported records to the entities already there, one record at a time, all entities
/// before any link: an entity matched for certain is not written again (links to it point at
/// the entity there), the others get ids of their own, unique in the folder, made from their
/// names (or kept from the id a record threatgraph wrote carries, when free). Links are kept
/// once each. What it holds per record is small: the record's foreign id with its new id and
/// kind, and a 128-bit hash per link; the records themselves go on to be written.
pub struct Joiner<'a> {
    existing: &'a Dataset,
    index: matching::Index<'a>,
    import: String,
    taken: HashSet<String>,
    /// Foreign id -> the id written (or joined to), and its kind.
    renamed: HashMap<Id, (Id, Kind)>,
    /// Hashes of the links kept, to keep each once.
    seen: HashSet<u128>,
    /// The sources cited by what was kept or joined.
    cited: HashSet<Id>,
    /// What the readers and the joining found to report.
    pub report: Report,
}

impl<'a> Joiner<'a> {
    pub fn new(existing: &'a Dataset, import: &str, report: Report) -> Self {
        Joiner {
            existing,
            index: matching::Index::new(&existing.entities),
            import: import.to_owned(),
            taken: existing.entities.iter().map(|e| e.id.to_string()).collect(),
            renamed: HashMap::new(),
            seen: HashSet::new(),
            cited: HashSet::new(),
            report,
        }
    }

    /// The kind of the entity read with foreign id `key`, when one was (and not skipped).
    pub fn kind_of(&self, key: &Id) -> Option<Kind> {
        self.renamed.get(key).map(|(_, k)| *k)
    }

    /// Takes an imported entity (its id still the foreign one): `None` when it is an entity
    /// already there (reported as joined), else the entity with its new id, to write. A loose
    /// likeness to an entity there is reported as a possible duplicate, to review.
    pub fn entity(&mut self, mut e: Entity, preferred: Option<String>) -> Option<Entity> {
        let key = e.id.clone();
        let kind = e.kind();
        let mut possible = Vec::new();
        match self.index.find(&e) {
            matching::Found::Certain { existing: at, by } => {
                let target = &self.existing.entities[at];
                self.cited.extend(e.sources.iter().cloned());
                self.report.joined.push(Joined {
                    external_id: key.to_string(),
                    name: e.name.clone(),
                    existing: target.id.to_string(),
                    by,
                    sources: e.sources,
                });
                self.renamed.insert(key, (target.id.clone(), kind));
                return None;
            }
            matching::Found::Possible(pairs) => possible = pairs,
            matching::Found::None => {}
        }
        let id = fresh_id(&e, preferred.as_ref(), &self.import, &mut self.taken);
        for (at, why) in possible {
            self.report.possible_duplicates.push(PossibleDuplicate {
                imported: id.to_string(),
                existing: self.existing.entities[at].id.to_string(),
                why,
            });
        }
        self.renamed.insert(key, (id.clone(), kind));
        self.cited.extend(e.sources.iter().cloned());
        e.id = id;
        Some(e)
    }

    /// Takes an imported link (its ends still foreign ids), after every entity: `None` when
    /// an end was not imported (reported), when it would join an entity to itself (counted) or
    /// when the same link was kept already; else the link with its ends' ids, to write.
    pub fn link(&mut self, mut l: Link) -> Option<Link> {
        let (Some((from, _)), Some((to, _))) = (self.renamed.get(&l.from), self.renamed.get(&l.to)) else {
            // Readers leave such links out themselves; never let one through dangling.
            self.report.dangling.push(format!("{} {} {}: an end was not imported", l.from, l.rel, l.to));
            return None;
        };
        (l.from, l.to) = (from.clone(), to.clone());
        if l.from == l.to {
            *self.report.unmapped.entry(format!("{} (joins an entity to itself)", l.rel)).or_default() += 1;
            return None;
        }
        let key = (&l.from, l.rel, &l.to, (l.date, l.since, l.until), l.certainty, &l.sources, &l.note);
        if !self.seen.insert(hash128(&key)) {
            return None;
        }
        self.cited.extend(l.sources.iter().cloned());
        Some(l)
    }

    /// The `sources` some record kept or joined cites (a bundle whose records all cite its
    /// reports is not cited itself), and the report.
    pub fn finish(self, sources: Vec<Source>) -> (Vec<Source>, Report) {
        let sources = sources.into_iter().filter(|s| self.cited.contains(&s.id)).collect();
        (sources, self.report)
    }
}

/// A 128-bit hash of `value` (two SipHash runs with keys of their own; the same on every
/// run): collisions among billions of links are out of reach, where 64 bits would not be.
fn hash128<T: std::hash::Hash>(value: &T) -> u128 {
    use std::hash::{BuildHasher, BuildHasherDefault, Hasher};
    let half = |seed: u64| {
        let mut h = BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().build_hasher();
        h.write_u64(seed);
        value.hash(&mut h);
        h.finish()
    };
    (u128::from(half(0x7467_696d_706f_7274)) << 64) | u128::from(half(0x6c69_6e6b_7365_656e))
}

/// An id for an imported entity: the preferred one when free, else its name as a slug, else
/// that slug followed by the import's name, then by a number.
fn fresh_id(e: &Entity, preferred: Option<&String>, import: &str, taken: &mut HashSet<String>) -> Id {
    if let Some(p) = preferred.filter(|p| Id::from(p.as_str()).is_valid() && !taken.contains(*p)) {
        taken.insert(p.clone());
        return Id::new(p);
    }
    let mut base = slugify(&e.name);
    if base.is_empty() {
        base = e.kind().name().to_lowercase();
    }
    let mut candidate = base.clone();
    let mut n = 1;
    while taken.contains(&candidate) {
        candidate = if n == 1 { format!("{base}-{import}") } else { format!("{base}-{import}-{n}") };
        n += 1;
    }
    taken.insert(candidate.clone());
    Id::new(candidate)
}

/// STIX `confidence` (0-100) to certainty. STIX 2.1 (Appendix A) places the Admiralty
/// credibility scale on the same range; the bands below follow it. A relationship without a
/// confidence is `Alleged`: the producer asserts it, and nothing says how firmly.
pub const CONFIDENCE_TABLE: &[(u8, u8, Certainty)] = &[
    (90, 100, Certainty::Confirmed),
    (70, 89, Certainty::Reported),
    (50, 69, Certainty::Alleged),
    (30, 49, Certainty::Suspected),
    (0, 29, Certainty::Disputed),
];

/// The certainty of a STIX confidence, by [`CONFIDENCE_TABLE`]; `None` when out of range.
pub fn certainty_of_confidence(confidence: Option<i64>) -> Option<Certainty> {
    let Some(c) = confidence else { return Some(Certainty::Alleged) };
    CONFIDENCE_TABLE.iter().find(|(lo, hi, _)| (i64::from(*lo)..=i64::from(*hi)).contains(&c)).map(|t| t.2)
}

/// The confidence a certainty is exported with: the middle of its band (`Refuted`, which STIX
/// cannot say, is 0).
pub fn confidence_of_certainty(c: Certainty) -> u8 {
    match c {
        Certainty::Refuted => 0,
        _ => CONFIDENCE_TABLE.iter().find(|t| t.2 == c).map_or(0, |(lo, hi, _)| (lo + hi).div_ceil(2)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confidence_bands_cover_the_range_and_round_trip() {
        for c in 0..=100 {
            assert!(certainty_of_confidence(Some(c)).is_some(), "{c}");
        }
        assert_eq!(certainty_of_confidence(Some(101)), None);
        assert_eq!(certainty_of_confidence(Some(-1)), None);
        assert_eq!(certainty_of_confidence(None), Some(Certainty::Alleged));
        for c in Certainty::ALL.into_iter().filter(|c| !c.is_refuted()) {
            assert_eq!(certainty_of_confidence(Some(i64::from(confidence_of_certainty(c)))), Some(c));
        }
    }
}

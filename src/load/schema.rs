//! The file format: records exactly as written in RON, before dates are parsed and
//! references checked. Unknown fields are errors everywhere.
//!
//! Kept apart from [`crate::model`] (as cargo keeps its TOML schema apart from its manifest):
//! dates are plain strings here so that a bad date is reported at its own span by the
//! lowering step instead of failing the whole record.

use serde::Deserialize;

use crate::model::{
    Certainty, ChainStep, Cluster, EventType, GroupType, Id, Ideology, Kind, Layout, Method, Outcome,
    PlaceType, Relation, Reliability, Status, Target, Verdict,
};

/// The top-level fields of a `curated/` or `extracted/` file.
pub const FACT_FILE_FIELDS: &[&str] = &["entities", "links"];

/// Every field name of every record, so that where a record was written can be kept without
/// a copy of each name (see [`super::Record`]).
pub const FIELD_NAMES: &[&str] = &[
    "id",
    "name",
    "aliases",
    "summary",
    "sources",
    "rule",
    "spans",
    "external_ids",
    "born",
    "died",
    "roles",
    "status",
    "subkind",
    "founded",
    "dissolved",
    "ideology",
    "lat",
    "lon",
    "date",
    "start",
    "end",
    "killed",
    "injured",
    "method",
    "target",
    "outcome",
    "from",
    "rel",
    "to",
    "since",
    "until",
    "role",
    "note",
    "certainty",
    "title",
    "publisher",
    "author",
    "url",
    "reliability",
    "file",
    "seeds",
    "depth",
    "relations",
    "kinds",
    "min_certainty",
    "cluster",
    "layout",
    "claim",
    "steps",
    "expect",
    "entities",
    "links",
    "external_id",
    "entity",
    "by",
];

/// The index of `name` in [`FIELD_NAMES`]: called for every field of every record, so it
/// looks only among the names of the same length and first byte (one or two), comparing
/// bytes in a loop (`==` on strings calls `memcmp`, slower for a few bytes).
pub fn field_index(name: &str) -> Option<usize> {
    let bytes = name.as_bytes();
    let candidates = FIELDS_BY_SHAPE.get_or_init(|| {
        let mut table = vec![Vec::new(); SHAPES];
        for (i, n) in FIELD_NAMES.iter().enumerate() {
            table[shape(n.as_bytes())].push(i as u8);
        }
        table
    });
    candidates[shape(bytes)].iter().map(|&i| usize::from(i)).find(|&i| {
        let n = FIELD_NAMES[i].as_bytes();
        n.len() == bytes.len() && n.iter().zip(bytes).all(|(a, b)| a == b)
    })
}

/// Buckets of [`field_index`]'s table: 32 lengths (modulo) by 32 first bytes (modulo).
const SHAPES: usize = 32 * 32;

/// The indices of [`FIELD_NAMES`] by [`shape`].
static FIELDS_BY_SHAPE: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();

/// A name's bucket: its length and first byte, each modulo 32.
fn shape(name: &[u8]) -> usize {
    (name.len() % 32) * 32 + usize::from(name.first().copied().unwrap_or(0) % 32)
}

/// An id as written: borrowed from the file's text when it has no escapes, so that the loader
/// allocates each distinct id once (see [`crate::model::Interner`]), not once per mention.
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub struct IdText<'a>(#[serde(borrow)] pub std::borrow::Cow<'a, str>);

impl AsRef<str> for IdText<'_> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A record of `imported/NAME/joins.ron`: an imported record taken to be an entity already
/// there (see [`crate::import`]).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinRecord {
    pub external_id: String,
    pub entity: String,
    pub by: String,
    #[serde(default)]
    pub sources: Vec<String>,
}

/// A record of `imported/NAME/duplicates.ron`: an imported entity that may be an entity
/// already there, written as its own and offered for review (see [`crate::import::matching`]).
#[derive(Clone, Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct DuplicateRecord {
    /// The imported entity's id.
    pub imported: String,
    /// The id of the entity it may be.
    pub existing: String,
    /// Why they may be one.
    pub why: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRecord {
    pub id: Id,
    pub title: String,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    pub reliability: Reliability,
    #[serde(default)]
    pub file: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// One entity, written `Person(...)`, `Group(...)`, `Place(...)` or `Event(...)`.
#[derive(Debug, Deserialize)]
pub enum EntityRecord<'a> {
    #[serde(borrow)]
    Person(PersonRecord<'a>),
    #[serde(borrow)]
    Group(GroupRecord<'a>),
    #[serde(borrow)]
    Place(PlaceRecord<'a>),
    #[serde(borrow)]
    Event(EventRecord<'a>),
}

// The common fields (id, name, aliases, summary, sources) are repeated in each record
// rather than flattened: serde cannot combine `flatten` with `deny_unknown_fields`.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonRecord<'a> {
    #[serde(borrow)]
    pub id: IdText<'a>,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default, borrow)]
    pub sources: Vec<IdText<'a>>,
    /// Extracted facts: the rule that proposed it and where in the article.
    #[serde(default)]
    pub rule: Option<String>,
    #[serde(default)]
    pub spans: Vec<SpanRecord>,
    /// Imported facts: the ids of the record in the data it came from (`stix:...`).
    #[serde(default)]
    pub external_ids: Vec<String>,
    #[serde(default)]
    pub born: Option<String>,
    #[serde(default)]
    pub died: Option<String>,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub status: Option<Status>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupRecord<'a> {
    #[serde(borrow)]
    pub id: IdText<'a>,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default, borrow)]
    pub sources: Vec<IdText<'a>>,
    /// Extracted facts: the rule that proposed it and where in the article.
    #[serde(default)]
    pub rule: Option<String>,
    #[serde(default)]
    pub spans: Vec<SpanRecord>,
    /// Imported facts: the ids of the record in the data it came from (`stix:...`).
    #[serde(default)]
    pub external_ids: Vec<String>,
    pub subkind: GroupType,
    #[serde(default)]
    pub founded: Option<String>,
    #[serde(default)]
    pub dissolved: Option<String>,
    #[serde(default)]
    pub ideology: Option<Ideology>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceRecord<'a> {
    #[serde(borrow)]
    pub id: IdText<'a>,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default, borrow)]
    pub sources: Vec<IdText<'a>>,
    /// Extracted facts: the rule that proposed it and where in the article.
    #[serde(default)]
    pub rule: Option<String>,
    #[serde(default)]
    pub spans: Vec<SpanRecord>,
    /// Imported facts: the ids of the record in the data it came from (`stix:...`).
    #[serde(default)]
    pub external_ids: Vec<String>,
    pub subkind: PlaceType,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventRecord<'a> {
    #[serde(borrow)]
    pub id: IdText<'a>,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default, borrow)]
    pub sources: Vec<IdText<'a>>,
    /// Extracted facts: the rule that proposed it and where in the article.
    #[serde(default)]
    pub rule: Option<String>,
    #[serde(default)]
    pub spans: Vec<SpanRecord>,
    /// Imported facts: the ids of the record in the data it came from (`stix:...`).
    #[serde(default)]
    pub external_ids: Vec<String>,
    pub subkind: EventType,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub start: Option<String>,
    #[serde(default)]
    pub end: Option<String>,
    #[serde(default)]
    pub killed: Option<u32>,
    #[serde(default)]
    pub injured: Option<u32>,
    #[serde(default)]
    pub method: Option<Method>,
    #[serde(default)]
    pub target: Option<Target>,
    #[serde(default)]
    pub outcome: Option<Outcome>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkRecord<'a> {
    #[serde(borrow)]
    pub from: IdText<'a>,
    pub rel: Relation,
    #[serde(borrow)]
    pub to: IdText<'a>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    pub certainty: Certainty,
    #[serde(default, borrow)]
    pub sources: Vec<IdText<'a>>,
    /// Extracted facts: the rule that proposed it and where in the article.
    #[serde(default)]
    pub rule: Option<String>,
    #[serde(default)]
    pub spans: Vec<SpanRecord>,
    /// Imported facts: the ids of the record in the data it came from (`stix:...`).
    #[serde(default)]
    pub external_ids: Vec<String>,
}

/// Where an extracted fact was read: a byte range of an article (path relative to the data
/// folder).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpanRecord {
    pub file: String,
    pub start: usize,
    pub end: usize,
}

/// `data/views/NAME.ron`: one view per file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViewRecord {
    pub title: String,
    pub seeds: Vec<Id>,
    #[serde(default = "default_depth")]
    pub depth: u32,
    #[serde(default)]
    pub relations: Vec<Relation>,
    #[serde(default)]
    pub kinds: Vec<Kind>,
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
    #[serde(default)]
    pub min_certainty: Option<Certainty>,
    #[serde(default)]
    pub cluster: Option<Cluster>,
    #[serde(default)]
    pub layout: Option<Layout>,
}

fn default_depth() -> u32 {
    1
}

/// One element of a `data/chains/*.ron` list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainRecord {
    pub name: String,
    pub claim: String,
    pub steps: Vec<ChainStep>,
    pub expect: Verdict,
}

#[cfg(test)]
mod tests {

    use super::*;

    /// The fields ron lists for a record given an unknown one.
    fn fields_of<'a, T: Deserialize<'a> + std::fmt::Debug>(text: &'a str) -> Vec<&'static str> {
        let options = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .with_default_extension(ron::extensions::Extensions::UNWRAP_VARIANT_NEWTYPES);
        match options.from_str::<T>(text).map_err(|e| e.code) {
            Err(ron::Error::NoSuchStructField { expected, .. }) => expected.to_vec(),
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn field_names_cover_every_record() {
        let all = [
            fields_of::<EntityRecord>("Person(zzz: 1)"),
            fields_of::<EntityRecord>("Group(zzz: 1)"),
            fields_of::<EntityRecord>("Place(zzz: 1)"),
            fields_of::<EntityRecord>("Event(zzz: 1)"),
            fields_of::<LinkRecord>("(zzz: 1)"),
            fields_of::<SourceRecord>("(zzz: 1)"),
            fields_of::<JoinRecord>("(zzz: 1)"),
            fields_of::<SpanRecord>("(zzz: 1)"),
            fields_of::<ViewRecord>("(zzz: 1)"),
            fields_of::<ChainRecord>("(zzz: 1)"),
            fields_of::<ChainStep>("(zzz: 1)"),
        ];
        for name in all.iter().flatten().chain(FACT_FILE_FIELDS) {
            assert!(FIELD_NAMES.contains(name), "`{name}` is missing from FIELD_NAMES");
        }
        assert!(FIELD_NAMES.len() < 256, "field names are indexed by a byte");
        for (i, name) in FIELD_NAMES.iter().enumerate() {
            assert_eq!(field_index(name), Some(i));
        }
        assert_eq!(field_index(""), None);
        assert_eq!(field_index("idd"), None);
    }
}

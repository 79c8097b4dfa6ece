//! Lowering file records to the model: parsing dates at their own spans, recording where each
//! record was written.

use super::decode::decode;
use super::schema::{self, EntityRecord, FACT_FILE_FIELDS};
use super::tree::{Node, NodeKind, Records};
use super::{FileId, Files, Located, Part, Problem, Role, list};
use crate::model::{
    DATE_FORMS, DeclaredChain, Details, Entity, EventDetails, GroupDetails, Id, Interner, Link, Origin,
    PartialDate, PersonDetails, PlaceDetails, Provenance, Source, TextSpan, ThreadInterner, View,
};

/// How a parsing thread interns ids: entity ids in the [`Interner`] the threads share, so
/// that the validator can match a link's end to its entity by address; source ids in the
/// thread's own (see [`ThreadInterner`]).
pub struct Interning<'a> {
    pub entities: &'a Interner,
    pub sources: ThreadInterner,
    /// The `from` of the last link lowered on this thread. Files list one subject's links
    /// together, so most links start where the one before did, and are spared a lookup in the
    /// shared interner (a cache miss or two, a third of a cold load's time).
    pub last_from: Option<Id>,
}

impl Interning<'_> {
    /// The shared id of a link's `from`.
    fn link_from(&mut self, text: &str) -> Id {
        match &self.last_from {
            Some(last) if last.as_str() == text => last.clone(),
            _ => self.last_from.insert(self.entities.intern(text)).clone(),
        }
    }
}

/// Parses the optional date in `field`, reporting a malformed one at its span.
fn date(
    out: &mut Part,
    files: &Files,
    at: &Located,
    field: &str,
    text: Option<String>,
) -> Option<PartialDate> {
    let text = text?;
    match PartialDate::parse(&text) {
        Ok(d) => Some(d),
        Err(e) => {
            out.problems.push(
                Problem::error("invalid-date", format!("invalid date in `{field}`: {e}"))
                    .at(at.file, at.field(files, field), "not a partial date")
                    .help(DATE_FORMS),
            );
            None
        }
    }
}

/// Lowers the records of one file as [`crate::load::tree::parse_records`] reads them: entities
/// and links in the plain form straight from the text ([`super::plain`]), every other record
/// from its tree ([`record`]).
pub struct Lowering<'a, 'i> {
    pub out: &'a mut Part,
    pub ids: &'a mut Interning<'i>,
    pub files: &'a Files,
    pub file: FileId,
    pub role: Role,
}

impl Records for Lowering<'_, '_> {
    fn plain(&mut self, field: Option<&str>, start: usize) -> Option<usize> {
        let Role::Facts(origin) = self.role else { return None };
        let text = &self.files.get(self.file).text;
        let at = |end: usize| Located { file: self.file, span: super::file::Span::new(start, end).into() };
        match field {
            Some("links") => {
                let (r, end) = super::plain::record(text, start)?;
                link(self.out, self.ids, self.files, at(end), r, origin);
                Some(end)
            }
            Some("entities") => {
                let (r, end) = super::plain::record(text, start)?;
                entity(self.out, self.ids, self.files, at(end), r, origin);
                Some(end)
            }
            _ => None,
        }
    }

    fn record(&mut self, field: Option<&str>, node: &Node) {
        record(self.out, self.ids, self.files, self.file, self.role, field, node);
    }
}

/// Lowers one record of a file as [`crate::load::tree::parse_records`] hands it over: `field`
/// is the list it was read in (`None` for the file's own list). Records in lists that do not
/// hold records of the file's role are left for [`structure`] to report.
pub fn record(
    out: &mut Part,
    ids: &mut Interning<'_>,
    files: &Files,
    file: FileId,
    role: Role,
    field: Option<&str>,
    node: &Node,
) {
    match (role, field) {
        (Role::Sources, None) => source(out, ids, files, file, node),
        (Role::Facts(origin), Some("entities")) => {
            match decode::<EntityRecord>(files.get(file), file, node, "entity") {
                Ok(r) => entity(out, ids, files, Located::new(file, node), r, origin),
                Err(p) => out.problems.push(p),
            }
        }
        (Role::Facts(origin), Some("links")) => {
            match decode::<schema::LinkRecord>(files.get(file), file, node, "link") {
                Ok(r) => link(out, ids, files, Located::new(file, node), r, origin),
                Err(p) => out.problems.push(p),
            }
        }
        (Role::Chains, None) => chain(out, files, file, node),
        (Role::Joins, None) => match decode::<schema::JoinRecord>(files.get(file), file, node, "join") {
            Ok(record) => {
                let folder = files.get(file).path.parent().and_then(|p| p.file_name());
                let import = folder.map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                out.joins.push(super::Join { record, import, at: Located::new(file, node) });
            }
            Err(p) => out.problems.push(p),
        },
        (Role::Duplicates, None) => {
            match decode::<schema::DuplicateRecord>(files.get(file), file, node, "possible duplicate") {
                Ok(record) => {
                    let folder = files.get(file).path.parent().and_then(|p| p.file_name());
                    let import = folder.map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    out.duplicates.push((import, record));
                }
                Err(p) => out.problems.push(p),
            }
        }
        _ => {}
    }
}

/// Checks the shape of a file around its records: the tree of [`crate::load::tree::parse_records`],
/// whose lists of records are empty.
pub fn structure(out: &mut Part, file: FileId, role: Role, root: &Node) {
    let shape = match role {
        Role::Sources => list(root, file, "sources", "[(id: \"...\", title: \"...\", reliability: B), ...]"),
        Role::Chains => {
            list(root, file, "chains", "[(name: \"...\", claim: \"...\", steps: [...], expect: Supported)]")
        }
        Role::Joins => list(
            root,
            file,
            "joins",
            "[(external_id: \"stix:...\", entity: \"...\", by: \"name\", sources: [\"...\"]), ...]",
        ),
        Role::Duplicates => list(
            root,
            file,
            "possible duplicates",
            "[(imported: \"...\", existing: \"...\", why: \"...\"), ...]",
        ),
        Role::Facts(_) => return facts(out, file, root),
        Role::View => return,
    };
    if let Err(p) = shape {
        out.problems.push(p);
    }
}

fn source(out: &mut Part, ids: &mut Interning<'_>, files: &Files, file: FileId, node: &Node) {
    let r: schema::SourceRecord = match decode(files.get(file), file, node, "source") {
        Ok(r) => r,
        Err(p) => return out.problems.push(p),
    };
    let at = Located::new(file, node);
    let date = date(out, files, &at, "date", r.date);
    out.dataset.sources.push(Source {
        id: ids.sources.intern(r.id.as_str()),
        title: r.title,
        publisher: r.publisher,
        author: r.author,
        date,
        url: r.url,
        reliability: r.reliability,
        file: r.file,
        note: r.note,
    });
    out.map.sources.push(at);
}

fn facts(out: &mut Part, file: FileId, root: &Node) {
    let NodeKind::Struct { fields, .. } = &root.kind else {
        return out.problems.push(
            Problem::error("expected-record", "expected `(entities: [...], links: [...])`")
                .at(file, root.span, "not a record of entities and links")
                .help("a facts file is one record with the fields `entities` and `links`, each a list"),
        );
    };
    for field in fields {
        let shape = match &*field.name {
            "entities" => list(&field.value, file, "entities", "[Person(...), Place(...)]"),
            "links" => {
                list(&field.value, file, "links", "[(from: \"...\", rel: MemberOf, to: \"...\", ...)]")
            }
            other => Err(Problem::error("unknown-field", format!("unknown field `{other}` in a facts file"))
                .at(file, field.name_span, "not a field of a facts file")
                .help(format!("the fields of a facts file are: {}", quoted(FACT_FILE_FIELDS)))),
        };
        if let Err(p) = shape {
            out.problems.push(p);
        }
    }
}

fn quoted(names: &[&str]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// The fields every kind of entity record has, taken out of the record once its own details
/// are read: one place builds the [`Entity`] whatever its kind.
struct Common<'a> {
    id: schema::IdText<'a>,
    name: String,
    aliases: Vec<String>,
    summary: Option<String>,
    sources: Vec<schema::IdText<'a>>,
    provenance: Option<Box<Provenance>>,
}

/// The [`Common`] fields of a `PersonRecord`, `GroupRecord`, `PlaceRecord` or `EventRecord`
/// (the same field names in each; serde cannot share them, see [`schema`]).
macro_rules! common {
    ($r:expr) => {
        Common {
            id: $r.id,
            name: $r.name,
            aliases: $r.aliases,
            summary: $r.summary,
            sources: $r.sources,
            provenance: provenance($r.rule, $r.spans, $r.external_ids),
        }
    };
}

fn entity(
    out: &mut Part,
    ids: &mut Interning<'_>,
    files: &Files,
    at: Located,
    record: EntityRecord<'_>,
    origin: Origin,
) {
    let (details, common) = match record {
        EntityRecord::Person(r) => {
            let details = Details::Person(PersonDetails {
                born: date(out, files, &at, "born", r.born),
                died: date(out, files, &at, "died", r.died),
                roles: r.roles,
                status: r.status,
            });
            (details, common!(r))
        }
        EntityRecord::Group(r) => {
            let details = Details::Group(GroupDetails {
                subkind: r.subkind,
                founded: date(out, files, &at, "founded", r.founded),
                dissolved: date(out, files, &at, "dissolved", r.dissolved),
                ideology: r.ideology,
            });
            (details, common!(r))
        }
        EntityRecord::Place(r) => {
            (Details::Place(PlaceDetails { subkind: r.subkind, lat: r.lat, lon: r.lon }), common!(r))
        }
        EntityRecord::Event(r) => {
            let details = Details::Event(EventDetails {
                subkind: r.subkind,
                date: date(out, files, &at, "date", r.date),
                start: date(out, files, &at, "start", r.start),
                end: date(out, files, &at, "end", r.end),
                killed: r.killed,
                injured: r.injured,
                method: r.method,
                target: r.target,
                outcome: r.outcome,
            });
            (details, common!(r))
        }
    };
    let Common { id, name, aliases, summary, sources, provenance } = common;
    let (id, sources) = (ids.entities.intern(&id.0), ids.sources.intern_all(&sources));
    if out.dataset.entities.capacity() == 0 {
        let room = room_for(files, &at);
        out.dataset.entities.reserve(room);
        out.map.entities.reserve(room);
    }
    out.dataset.entities.push(Entity { id, name, aliases, summary, sources, details, origin, provenance });
    out.map.entities.push(at);
}

/// The extraction record of a fact, when it has one.
fn provenance(
    rule: Option<String>,
    spans: Vec<schema::SpanRecord>,
    external_ids: Vec<String>,
) -> Option<Box<Provenance>> {
    if rule.is_none() && spans.is_empty() && external_ids.is_empty() {
        return None;
    }
    Some(Box::new(Provenance {
        rule: rule.unwrap_or_default(),
        spans: spans.into_iter().map(|s| TextSpan { file: s.file, start: s.start, end: s.end }).collect(),
        external_ids,
        joined: Vec::new(),
    }))
}

fn link(
    out: &mut Part,
    ids: &mut Interning<'_>,
    files: &Files,
    at: Located,
    r: schema::LinkRecord<'_>,
    origin: Origin,
) {
    let link = Link {
        from: ids.link_from(&r.from.0),
        rel: r.rel,
        to: ids.entities.intern(&r.to.0),
        date: date(out, files, &at, "date", r.date),
        since: date(out, files, &at, "since", r.since),
        until: date(out, files, &at, "until", r.until),
        role: r.role,
        note: r.note,
        certainty: r.certainty,
        sources: ids.sources.intern_all(&r.sources),
        origin,
        provenance: provenance(r.rule, r.spans, r.external_ids),
    };
    if out.dataset.links.capacity() == 0 {
        let room = room_for(files, &at);
        out.dataset.links.reserve(room);
        out.map.links.reserve(room);
    }
    out.dataset.links.push(link);
    out.map.links.push(at);
}

/// How many records like the one at `at` the rest of its file could hold: the room to
/// reserve for a file's records when the first is read. Growing a vector of a
/// quarter of a million links one doubling at a time copied it and faulted in fresh pages
/// at every step (a tenth of a cold load); room reserved and never written costs nothing.
fn room_for(files: &Files, at: &Located) -> usize {
    let span = at.span();
    let rest = files.get(at.file).text.len().saturating_sub(span.start);
    // The records after it are taken to be as long as it is, counting no room between them:
    // a little more than they need when they are alike, and one doubling when they are not.
    rest / (span.end - span.start).max(1) + 1
}

pub fn view(out: &mut Part, files: &Files, file: FileId, root: &Node, name: String) {
    let r: schema::ViewRecord = match decode(files.get(file), file, root, "view") {
        Ok(r) => r,
        Err(p) => return out.problems.push(p),
    };
    let at = Located::new(file, root);
    let view = View {
        name,
        title: r.title,
        seeds: r.seeds,
        depth: r.depth,
        relations: r.relations,
        kinds: r.kinds,
        since: date(out, files, &at, "since", r.since),
        until: date(out, files, &at, "until", r.until),
        min_certainty: r.min_certainty,
        cluster: r.cluster,
        layout: r.layout,
    };
    out.dataset.views.push(view);
    out.map.views.push(at);
}

fn chain(out: &mut Part, files: &Files, file: FileId, node: &Node) {
    match decode::<schema::ChainRecord>(files.get(file), file, node, "chain") {
        Ok(r) => {
            out.dataset.chains.push(DeclaredChain {
                name: r.name,
                claim: r.claim,
                steps: r.steps,
                expect: r.expect,
            });
            out.map.chains.push(Located::new(file, node));
        }
        Err(p) => out.problems.push(p),
    }
}

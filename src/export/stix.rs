//! A STIX 2.1 bundle (OpenCTI, MISP, the `stix2` library): people become `identity`
//! (individual), groups `threat-actor` (agencies and media `identity`, organization), places
//! `location`, events `campaign`, sources `report` (listing what cites them), links
//! `relationship` with a `confidence` (see [`crate::import::confidence_of_certainty`]).
//!
//! What STIX has no property for is written in `x_threatgraph_*` custom properties (the
//! threatgraph id, kind, sub-kind, relation, certainty and dates as written), which
//! `import stix` reads back first; other tools ignore them. Ids are UUIDs made from a hash of
//! the threatgraph id, and timestamps are the data's date, so the same data gives the same
//! bundle.

use serde_json::{Map, Value as Json, json};

use super::link_id;
use super::view::Selection;
use crate::graph::KnowledgeGraph;
use crate::import::confidence_of_certainty;
use crate::model::{Details, Entity, GroupType, Link, PartialDate, Relation};

/// A STIX id of type `kind` for the threatgraph key `key`: an RFC 4122 UUID (version 4 layout)
/// whose bits are a hash of the key, so the same record always gets the same id.
pub fn stix_id(kind: &str, key: &str) -> String {
    let h = xxhash_rust::xxh3::xxh3_128(format!("threatgraph:{kind}:{key}").as_bytes()).to_be_bytes();
    let mut b = h;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{kind}--{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// The first day of a partial date as a STIX timestamp.
fn first_instant(d: &PartialDate) -> String {
    format!("{}T00:00:00.000Z", day(d.interval().0))
}

/// The last moment of a partial date's last day as a STIX timestamp.
fn last_instant(d: &PartialDate) -> String {
    format!("{}T23:59:59.999Z", day(d.interval().1))
}

/// `YYYY-MM-DD` of a day counted from 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn day(n: i64) -> String {
    let z = n + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The STIX type an entity is written as.
fn stix_type(e: &Entity) -> &'static str {
    match &e.details {
        Details::Person(_) => "identity",
        Details::Group(g) if matches!(g.subkind, GroupType::Agency | GroupType::Media) => "identity",
        Details::Group(_) => "threat-actor",
        Details::Place(_) => "location",
        Details::Event(_) => "campaign",
    }
}

/// The STIX relationship type of a link: the specification's where one says the same in the
/// same direction (the reverse of `import stix`'s table), else the relation in kebab case.
pub fn relationship_type(rel: Relation) -> String {
    use Relation::*;
    match rel {
        MemberOf | PartOf => "attributed-to".into(),
        Targeted => "targets".into(),
        LivedIn | BasedIn | LocatedIn | OccurredIn => "located-at".into(),
        CitizenOf => "originates-from".into(),
        other => {
            let mut out = String::new();
            for (i, c) in other.name().chars().enumerate() {
                if c.is_ascii_uppercase() && i > 0 {
                    out.push('-');
                }
                out.push(c.to_ascii_lowercase());
            }
            out
        }
    }
}

struct Object(Map<String, Json>);

impl Object {
    fn new(kind: &str, id: String, stamp: &str) -> Self {
        let mut o = Object(Map::new());
        o.set("type", kind);
        o.set("spec_version", "2.1");
        o.set("id", id);
        o.set("created", stamp);
        o.set("modified", stamp);
        o
    }

    fn set(&mut self, key: &str, value: impl Into<Json>) {
        self.0.insert(key.to_owned(), value.into());
    }

    fn opt(&mut self, key: &str, value: Option<impl Into<Json>>) {
        if let Some(v) = value {
            self.set(key, v);
        }
    }

    fn date(&mut self, timestamp_key: &str, exact_key: &str, d: Option<&PartialDate>, last: bool) {
        if let Some(d) = d {
            self.set(timestamp_key, if last { last_instant(d) } else { first_instant(d) });
            self.set(exact_key, d.as_str());
        }
    }
}

fn entity(e: &Entity, stamp: &str) -> Json {
    let kind = stix_type(e);
    let mut o = Object::new(kind, stix_id(kind, e.id.as_str()), stamp);
    o.set("name", e.name.as_str());
    o.opt("description", e.summary.as_deref());
    if !e.aliases.is_empty() {
        // Identities and locations have no `aliases` in STIX 2.1.
        let key = if matches!(kind, "identity" | "location") { "x_threatgraph_aliases" } else { "aliases" };
        o.set(key, e.aliases.clone());
    }
    o.set("x_threatgraph_id", e.id.as_str());
    o.set("x_threatgraph_sources", e.sources.iter().map(|s| s.as_str()).collect::<Vec<_>>());
    o.set("x_threatgraph_kind", e.kind().name());
    o.opt("x_threatgraph_subkind", e.subkind());
    match &e.details {
        Details::Person(p) => {
            o.set("identity_class", "individual");
            if !p.roles.is_empty() {
                o.set("roles", p.roles.clone());
            }
        }
        Details::Group(_) if kind == "identity" => o.set("identity_class", "organization"),
        Details::Group(_) => {}
        Details::Place(p) => match (p.lat, p.lon) {
            (Some(lat), Some(lon)) => {
                o.set("latitude", lat);
                o.set("longitude", lon);
            }
            // STIX asks for a region, a country code or coordinates; threatgraph has none of
            // the first two, and an open vocabulary allows `unknown`.
            _ => o.set("region", "unknown"),
        },
        Details::Event(ev) => {
            o.date("first_seen", "x_threatgraph_start", ev.start.as_ref(), false);
            o.date("last_seen", "x_threatgraph_end", ev.end.as_ref(), true);
            o.opt("x_threatgraph_date", ev.date.as_ref().map(PartialDate::as_str));
            if ev.start.is_none()
                && let Some(d) = &ev.date
            {
                o.set("first_seen", first_instant(d));
            }
        }
    }
    Json::Object(o.0)
}

fn relationship(graph: &KnowledgeGraph, i: usize, l: &Link, stamp: &str) -> Json {
    let (from, to) = graph.ends(i).expect("a link of the selection has both ends");
    let (from, to) = (graph.entity(from), graph.entity(to));
    let mut o = Object::new("relationship", stix_id("relationship", &link_id(graph, i)), stamp);
    o.set("relationship_type", relationship_type(l.rel));
    o.set("source_ref", stix_id(stix_type(from), from.id.as_str()));
    o.set("target_ref", stix_id(stix_type(to), to.id.as_str()));
    o.set("confidence", confidence_of_certainty(l.certainty));
    let refuted = if l.certainty.is_refuted() { Some("the sources say this is NOT so") } else { None };
    let description: Vec<&str> = refuted.into_iter().chain(l.note.as_deref()).collect();
    if !description.is_empty() {
        o.set("description", description.join("\n"));
    }
    o.date("start_time", "x_threatgraph_since", l.since.as_ref(), false);
    o.date("stop_time", "x_threatgraph_until", l.until.as_ref(), true);
    o.opt("x_threatgraph_date", l.date.as_ref().map(PartialDate::as_str));
    o.set("x_threatgraph_relation", l.rel.name());
    o.set("x_threatgraph_certainty", l.certainty.name());
    o.set("x_threatgraph_sources", l.sources.iter().map(|s| s.as_str()).collect::<Vec<_>>());
    if let Some(note) = &l.note {
        o.set("x_threatgraph_note", note.as_str());
    }
    Json::Object(o.0)
}

/// The bundle of a selection: its entities, its links, and a report for each source they cite.
pub fn write(graph: &KnowledgeGraph, sel: &Selection) -> String {
    let stamp = super::data_date(graph).map_or_else(|| "1970-01-01T00:00:00.000Z".to_owned(), first_instant);
    let mut objects: Vec<Json> = sel.nodes.iter().map(|&i| entity(graph.entity(i), &stamp)).collect();
    objects.extend(sel.links.iter().map(|&i| relationship(graph, i, graph.link(i), &stamp)));
    // Each source cited in the selection, with the objects that cite it, in source order.
    let mut citing: Vec<(usize, Vec<String>)> = Vec::new();
    let mut cite = |ids: &[crate::model::Id], object: String| {
        for id in ids {
            let Some(at) = graph.sources().iter().position(|s| &s.id == id) else { continue };
            match citing.iter_mut().find(|(s, _)| *s == at) {
                Some((_, refs)) => refs.push(object.clone()),
                None => citing.push((at, vec![object.clone()])),
            }
        }
    };
    for &i in &sel.nodes {
        let e = graph.entity(i);
        cite(&e.sources, stix_id(stix_type(e), e.id.as_str()));
    }
    for &i in &sel.links {
        cite(&graph.link(i).sources, stix_id("relationship", &link_id(graph, i)));
    }
    citing.sort_by_key(|(s, _)| *s);
    for (at, refs) in citing {
        let s = &graph.sources()[at];
        let mut o = Object::new("report", stix_id("report", s.id.as_str()), &stamp);
        o.set("name", s.title.as_str());
        o.set("published", s.date.as_ref().map_or_else(|| stamp.clone(), first_instant));
        o.set("object_refs", refs);
        let mut reference = Map::new();
        reference.insert("source_name".into(), "threatgraph".into());
        reference.insert("external_id".into(), s.id.as_str().into());
        if let Some(url) = &s.url {
            reference.insert("url".into(), url.as_str().into());
        }
        o.set("external_references", vec![Json::Object(reference)]);
        o.opt("x_threatgraph_date", s.date.as_ref().map(PartialDate::as_str));
        o.set("x_threatgraph_reliability", s.reliability.to_string());
        o.opt("x_threatgraph_publisher", s.publisher.as_deref());
        objects.push(Json::Object(o.0));
    }
    let bundle = json!({
        "type": "bundle",
        "id": stix_id("bundle", &sel.title),
        "objects": objects,
    });
    let mut text = serde_json::to_string_pretty(&bundle).expect("JSON values serialize");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_uuids_of_the_key() {
        let id = stix_id("identity", "ann");
        assert_eq!(id, stix_id("identity", "ann"));
        assert_ne!(id, stix_id("identity", "bob"));
        let uuid = id.strip_prefix("identity--").unwrap();
        let groups: Vec<usize> = uuid.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert_eq!(&uuid[14..15], "4");
        assert!("89ab".contains(&uuid[19..20]));
    }

    #[test]
    fn days_and_relationship_types() {
        assert_eq!(day(0), "1970-01-01");
        let d = PartialDate::parse("2017-Q2").unwrap();
        assert_eq!(
            (first_instant(&d), last_instant(&d)),
            ("2017-04-01T00:00:00.000Z".into(), "2017-06-30T23:59:59.999Z".into())
        );
        assert_eq!(relationship_type(Relation::TraveledTo), "traveled-to");
        assert_eq!(relationship_type(Relation::OccurredIn), "located-at");
    }
}

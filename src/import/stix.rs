//! STIX 2.1 bundles (OpenCTI, MISP, the OASIS examples) to a [`Draft`]. What has a place in a
//! graph of people, groups, places and events comes in; the rest (malware, indicators, tools,
//! attack patterns, ...) is counted by type in the report.
//!
//! | STIX | threatgraph |
//! |---|---|
//! | `threat-actor` | Person when `resource_level` is `individual` or it is `attributed-to` an individual `identity`; else Group (Organisation) |
//! | `intrusion-set` | Group (Network) |
//! | `campaign` | Event (Operation), `first_seen`/`last_seen` as start/end |
//! | `identity` | `individual` Person; `organization`, `group` Group; only the author of other objects (`created_by_ref`): the publisher of their sources |
//! | `location` | Place: City, Region or Country by the fields it has |
//! | `report` | a source: `name` title, `published` date, author's name publisher |
//! | `relationship` | see [`relation`] |
//!
//! A bundle that threatgraph wrote (`export stix`) carries `x_threatgraph_*` properties
//! (id, kind, sub-kind, relation, certainty); they are read back first, so a round trip keeps
//! what STIX has no word for.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde_json::Value as Json;

use super::{Draft, InputError, certainty_of_confidence};
use crate::model::{
    Certainty, Details, Entity, EventDetails, EventType, GroupDetails, GroupType, Id, Kind, Link, Origin,
    PartialDate, PersonDetails, PlaceDetails, PlaceType, Relation, Reliability, Source, slugify,
};

/// The rule named in the provenance of every record read from STIX.
pub const RULE: &str = "import-stix";

/// Reads the bundles at `paths` into one draft. `name` is the import's name (source ids start
/// with it). Also gives the ids threatgraph gave the records, when it wrote the bundle.
pub fn read(paths: &[&Path], name: &str) -> Result<(Draft, HashMap<Id, String>), Vec<InputError>> {
    let mut bundles = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match read_bundle(path) {
            Ok(objects) => bundles.push((*path, objects)),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut reader = Reader { name, ..Reader::default() };
    for (path, objects) in &bundles {
        reader.bundle(path, objects);
    }
    Ok((reader.draft, reader.preferred))
}

/// The objects of the bundle at `path`.
fn read_bundle(path: &Path) -> Result<Vec<Json>, InputError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| InputError {
        file: file.clone(),
        line: None,
        column: None,
        message: format!("cannot read it: {e}"),
        help: "give a STIX 2.1 bundle: a JSON file `{\"type\": \"bundle\", \"objects\": [...]}`".into(),
    })?;
    let json: Json = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| InputError {
        file: file.clone(),
        line: Some(e.line()),
        column: Some(e.column()),
        message: format!("not JSON: {e}"),
        help: "a STIX bundle is one JSON object; check the file is complete".into(),
    })?;
    let not_bundle = |message: &str| InputError {
        file: file.clone(),
        line: None,
        column: None,
        message: message.to_owned(),
        help: "give a STIX 2.1 bundle: `{\"type\": \"bundle\", \"id\": \"bundle--...\", \"objects\": [...]}`"
            .into(),
    };
    if json.get("type").and_then(Json::as_str) != Some("bundle") {
        return Err(not_bundle("not a STIX bundle: its `type` is not `bundle`"));
    }
    match json.get("objects") {
        Some(Json::Array(objects)) => {
            Ok(std::iter::once(json.clone()).chain(objects.iter().cloned()).collect::<Vec<_>>())
        }
        None => Ok(vec![json]),
        Some(_) => Err(not_bundle("the bundle's `objects` is not a list")),
    }
}

#[derive(Default)]
struct Reader<'a> {
    name: &'a str,
    draft: Draft,
    preferred: HashMap<Id, String>,
    source_ids: HashSet<String>,
}

/// A string property of an object.
fn text<'j>(o: &'j Json, key: &str) -> Option<&'j str> {
    o.get(key).and_then(Json::as_str).filter(|s| !s.trim().is_empty())
}

/// A list-of-strings property of an object.
fn texts<'j>(o: &'j Json, key: &str) -> Vec<&'j str> {
    o.get(key).and_then(Json::as_array).into_iter().flatten().filter_map(Json::as_str).collect()
}

fn stix_type(id: &str) -> &str {
    id.split("--").next().unwrap_or(id)
}

/// The key an object's entity has until [`super::finish`] gives it an id: its external id.
fn key(stix_id: &str) -> Id {
    Id::new(format!("stix:{stix_id}"))
}

impl Reader<'_> {
    /// A source id of this import, unique among those given so far.
    fn source_id(&mut self, base: &str) -> Id {
        let words: Vec<&str> = base.split('-').filter(|w| !w.is_empty()).take(6).collect();
        let stem = format!("{}-{}", self.name, words.join("-"));
        super::unique_id(&mut self.source_ids, stem.trim_end_matches('-'))
    }

    /// A STIX timestamp as a day (`2013-02-19`); unreadable ones are reported.
    fn date(&mut self, o: &Json, field: &str) -> Option<PartialDate> {
        let raw = text(o, field)?;
        let day = raw.get(..10).and_then(|d| PartialDate::parse(d).ok());
        if day.is_none() {
            let id = text(o, "id").unwrap_or("?");
            self.draft.report.unreadable.push(format!("{id}: `{field}` {raw:?} is not a STIX timestamp"));
        }
        day
    }

    /// A date threatgraph wrote as it was written (`x_threatgraph_*`), else a STIX timestamp as
    /// a day. An object threatgraph wrote has its exact dates only: its timestamps repeat them.
    fn exact_date(&mut self, o: &Json, exact: &str, timestamp: &str) -> Option<PartialDate> {
        if !written_by_threatgraph(o) {
            return self.date(o, timestamp);
        }
        let raw = text(o, exact)?;
        let parsed = PartialDate::parse(raw).ok();
        if parsed.is_none() {
            let id = text(o, "id").unwrap_or("?");
            self.draft.report.unreadable.push(format!("{id}: `{exact}` {raw:?} is not a date"));
        }
        parsed
    }

    fn bundle(&mut self, path: &Path, objects: &[Json]) {
        let by_id: HashMap<&str, &Json> = objects.iter().filter_map(|o| Some((text(o, "id")?, o))).collect();
        let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let stem = slugify(path.file_stem().map(|s| s.to_string_lossy()).unwrap_or_default().as_ref());
        let bundle_id = text(&objects[0], "id").unwrap_or("bundle").to_owned();
        let base = if stem == self.name || stem.is_empty() { "bundle".to_owned() } else { stem };
        let bundle_source = self.source_id(&base);
        self.draft.sources.push(super::source(
            bundle_source.clone(),
            format!("STIX bundle {file}"),
            Some(format!("{bundle_id}, read by `threatgraph import stix`")),
        ));
        // Reports become sources; what a report lists cites it.
        let mut cited_by: HashMap<&str, Vec<Id>> = HashMap::new();
        for o in objects.iter().filter(|o| text(o, "type") == Some("report")) {
            let title = text(o, "name").unwrap_or("STIX report").to_owned();
            // A report threatgraph wrote names the source it was.
            let own = o
                .get("external_references")
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
                .filter(|r| text(r, "source_name") == Some("threatgraph"))
                .find_map(|r| text(r, "external_id"))
                .filter(|id| Id::from(*id).is_valid() && !self.source_ids.contains(*id));
            let id = match own {
                Some(own) => {
                    self.source_ids.insert(own.to_owned());
                    Id::new(own)
                }
                None => self.source_id(&slugify(&title)),
            };
            let publisher =
                text(o, "created_by_ref").and_then(|a| by_id.get(a)).and_then(|a| text(a, "name"));
            let url = o
                .get("external_references")
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
                .find_map(|r| text(r, "url"))
                .map(str::to_owned);
            let date = self.exact_date(o, "x_threatgraph_date", "published");
            let reliability = text(o, "x_threatgraph_reliability")
                .and_then(|r| {
                    [
                        Reliability::A,
                        Reliability::B,
                        Reliability::C,
                        Reliability::D,
                        Reliability::E,
                        Reliability::F,
                    ]
                    .into_iter()
                    .find(|x| x.to_string() == r)
                })
                .unwrap_or(Reliability::F);
            let publisher = text(o, "x_threatgraph_publisher").or(publisher);
            self.draft.sources.push(Source {
                id: id.clone(),
                title,
                publisher: publisher.map(str::to_owned),
                author: None,
                date,
                url,
                reliability,
                file: None,
                note: (!written_by_threatgraph(o))
                    .then(|| text(o, "id").map(|r| format!("{r}, in {file}")))
                    .flatten(),
            });
            for r in texts(o, "object_refs") {
                cited_by.entry(r).or_default().push(id.clone());
            }
        }
        let cites = |stix_id: &str| {
            let mut ids = cited_by.get(stix_id).cloned().unwrap_or_else(|| vec![bundle_source.clone()]);
            // The order threatgraph wrote them in, when it wrote the object.
            if let Some(o) = by_id.get(stix_id) {
                let order = texts(o, "x_threatgraph_sources");
                ids.sort_by_key(|id| order.iter().position(|s| *s == id.as_str()).unwrap_or(usize::MAX));
            }
            ids
        };

        // Threat actors attributed to an individual are people; the individual is folded into
        // the actor when no other actor claims it.
        let attributions: Vec<(&str, &str)> = objects
            .iter()
            .filter(|o| {
                text(o, "type") == Some("relationship")
                    && text(o, "relationship_type") == Some("attributed-to")
            })
            .filter_map(|o| Some((text(o, "source_ref")?, text(o, "target_ref")?)))
            .collect();
        let individual = |id: &str| {
            by_id.get(id).is_some_and(|o| {
                text(o, "type") == Some("identity") && text(o, "identity_class") == Some("individual")
            })
        };
        let mut claims: HashMap<&str, Vec<&str>> = HashMap::new();
        for &(from, to) in &attributions {
            if stix_type(from) == "threat-actor" && individual(to) {
                claims.entry(to).or_default().push(from);
            }
        }
        let mut folded_into: HashMap<&str, &str> = HashMap::new();
        for (identity, actors) in &claims {
            if let [actor] = actors[..] {
                folded_into.insert(identity, actor);
            }
        }
        let authors: HashSet<&str> = objects.iter().filter_map(|o| text(o, "created_by_ref")).collect();
        let related: HashSet<&str> = objects
            .iter()
            .filter(|o| text(o, "type") == Some("relationship"))
            .flat_map(|o| [text(o, "source_ref"), text(o, "target_ref")])
            .flatten()
            .collect();

        let mut made: HashMap<&str, usize> = HashMap::new();
        for o in &objects[1..] {
            let Some(stix_id) = text(o, "id") else { continue };
            let t = text(o, "type").unwrap_or("?");
            let details = match t {
                "relationship" | "report" => continue,
                "identity" if folded_into.contains_key(stix_id) => continue,
                "identity" if authors.contains(stix_id) && !related.contains(stix_id) => {
                    self.skip("identity (author of other objects: their sources' publisher)");
                    continue;
                }
                _ => match self.details(o, t, stix_id, &claims) {
                    Some(d) => d,
                    None => continue,
                },
            };
            let name = text(o, "name").map(str::to_owned).or_else(|| location_name(o));
            let Some(name) = name else {
                self.skip(&format!("{t} (without a name)"));
                continue;
            };
            let mut aliases: Vec<String> = texts(o, "aliases")
                .into_iter()
                .chain(texts(o, "x_threatgraph_aliases"))
                .map(str::to_owned)
                .collect();
            let ours = written_by_threatgraph(o);
            // An alias that is the name written otherwise (`dota` of `DOTA`) says nothing more.
            let mut keys = vec![crate::model::text::name_key(&name)];
            aliases.retain(|a| {
                if ours {
                    return true;
                }
                let k = crate::model::text::name_key(a);
                let new = !k.is_empty() && !keys.contains(&k);
                keys.push(k);
                new
            });
            if let Some(tg) = text(o, "x_threatgraph_id") {
                self.preferred.insert(key(stix_id), tg.to_owned());
            }
            made.insert(stix_id, self.draft.entities.len());
            self.draft.entities.push(Entity {
                id: key(stix_id),
                name,
                aliases,
                summary: text(o, "description")
                    .map(|d| if ours { d.to_owned() } else { d.trim().to_owned() }),
                sources: cites(stix_id),
                details,
                origin: Origin::Imported,
                provenance: super::provenance(RULE, vec![format!("stix:{stix_id}")]),
            });
        }
        // Fold each claimed individual into its actor: its name becomes an alias.
        let mut folds: Vec<(&str, &str)> = folded_into.into_iter().collect();
        folds.sort();
        for (identity, actor) in folds {
            let (Some(&at), Some(o)) = (made.get(actor), by_id.get(identity)) else { continue };
            let e = &mut self.draft.entities[at];
            if let Some(n) = text(o, "name").filter(|n| *n != e.name && !e.aliases.iter().any(|a| a == n)) {
                e.aliases.push(n.to_owned());
            }
            for s in cites(identity) {
                if !e.sources.contains(&s) {
                    e.sources.push(s);
                }
            }
            if let Some(p) = e.provenance.as_mut() {
                p.external_ids.push(format!("stix:{identity}"));
            }
            self.draft
                .report
                .folded
                .push(format!("{identity} into {actor} (the actor is `attributed-to` this individual)"));
        }

        for o in objects.iter().filter(|o| text(o, "type") == Some("relationship")) {
            let (Some(id), Some(rel_type), Some(from), Some(to)) =
                (text(o, "id"), text(o, "relationship_type"), text(o, "source_ref"), text(o, "target_ref"))
            else {
                self.skip("relationship (without its type or ends)");
                continue;
            };
            if claims.get(to).is_some_and(|a| a.len() == 1 && a[0] == from) {
                continue; // folded above
            }
            let kind = |stix: &str| made.get(stix).map(|&i| self.draft.entities[i].kind());
            let (from_kind, to_kind) = (kind(from), kind(to));
            let (Some(from_kind), Some(to_kind)) = (from_kind, to_kind) else {
                let missing: Vec<&str> = [(from, from_kind), (to, to_kind)]
                    .iter()
                    .filter(|(_, k)| k.is_none())
                    .map(|(s, _)| stix_type(s))
                    .collect();
                self.draft
                    .report
                    .dangling
                    .push(format!("{id}: {rel_type} (no entity for its {})", missing.join(" and ")));
                continue;
            };
            let mapped = match text(o, "x_threatgraph_relation").and_then(Relation::from_name) {
                Some(r) => Some((r, false)),
                None => relation(rel_type, from_kind, to_kind),
            };
            let Some((rel, swap)) = mapped.filter(|(r, swap)| {
                let (a, b) = if *swap { (to_kind, from_kind) } else { (from_kind, to_kind) };
                r.domain().contains(&a) && r.range().contains(&b)
            }) else {
                let pair = format!("{rel_type} ({} -> {})", stix_type(from), stix_type(to));
                *self.draft.report.unmapped.entry(pair).or_default() += 1;
                continue;
            };
            let confidence = o.get("confidence").and_then(Json::as_i64);
            let certainty = match text(o, "x_threatgraph_certainty").and_then(certainty_named) {
                Some(c) => c,
                None => certainty_of_confidence(confidence).unwrap_or_else(|| {
                    self.draft
                        .report
                        .unreadable
                        .push(format!("{id}: confidence {} is not 0-100; taken as Alleged", o["confidence"]));
                    Certainty::Alleged
                }),
            };
            let (a, b) = if swap { (to, from) } else { (from, to) };
            let since = self.exact_date(o, "x_threatgraph_since", "start_time");
            let until = self.exact_date(o, "x_threatgraph_until", "stop_time");
            let date = text(o, "x_threatgraph_date").and_then(|d| PartialDate::parse(d).ok());
            let note = if written_by_threatgraph(o) {
                text(o, "x_threatgraph_note").map(str::to_owned)
            } else {
                text(o, "description").map(|d| d.trim().to_owned())
            };
            self.draft.links.push(Link {
                from: key(a),
                rel,
                to: key(b),
                date,
                since,
                until,
                role: None,
                note,
                certainty,
                sources: cites(id),
                origin: Origin::Imported,
                provenance: super::provenance(RULE, vec![format!("stix:{id}")]),
            });
        }
    }

    fn skip(&mut self, what: &str) {
        *self.draft.report.skipped.entry(what.to_owned()).or_default() += 1;
    }

    /// The kind and fields of an object of type `t`, or `None` (reported) when it has none.
    fn details(
        &mut self,
        o: &Json,
        t: &str,
        stix_id: &str,
        claims: &HashMap<&str, Vec<&str>>,
    ) -> Option<Details> {
        if let Some(kind) = text(o, "x_threatgraph_kind").and_then(Kind::from_name) {
            return Some(tagged(kind, text(o, "x_threatgraph_subkind"), o, self));
        }
        let group = |subkind| {
            Details::Group(GroupDetails { subkind, founded: None, dissolved: None, ideology: None })
        };
        let person = |o: &Json| {
            Details::Person(PersonDetails {
                roles: texts(o, "roles").into_iter().map(str::to_owned).collect(),
                ..PersonDetails::default()
            })
        };
        Some(match t {
            "threat-actor" => {
                let individual = text(o, "resource_level") == Some("individual")
                    || claims.values().any(|actors| actors.contains(&stix_id));
                if individual { person(o) } else { group(GroupType::Organisation) }
            }
            "intrusion-set" => group(GroupType::Network),
            "campaign" => Details::Event(EventDetails {
                subkind: EventType::Operation,
                date: None,
                start: self.date(o, "first_seen"),
                end: self.date(o, "last_seen"),
                killed: None,
                injured: None,
                method: None,
                target: None,
                outcome: None,
            }),
            "identity" => match text(o, "identity_class") {
                Some("individual") => person(o),
                Some("organization") => group(GroupType::Organisation),
                Some("group") => group(GroupType::Network),
                other => {
                    self.skip(&format!("identity ({})", other.unwrap_or("no identity_class")));
                    return None;
                }
            },
            "location" => Details::Place(PlaceDetails {
                subkind: place_type(o),
                lat: o.get("latitude").and_then(Json::as_f64),
                lon: o.get("longitude").and_then(Json::as_f64),
            }),
            other => {
                self.skip(other);
                return None;
            }
        })
    }
}

/// The fields of an object threatgraph wrote, from its `x_threatgraph_kind` and sub-kind.
fn tagged(kind: Kind, subkind: Option<&str>, o: &Json, reader: &mut Reader) -> Details {
    fn pick<T: Copy + std::fmt::Display>(all: &[T], name: Option<&str>, default: T) -> T {
        all.iter().copied().find(|v| Some(v.to_string().as_str()) == name).unwrap_or(default)
    }
    match kind {
        Kind::Person => Details::Person(PersonDetails {
            roles: texts(o, "roles").into_iter().map(str::to_owned).collect(),
            ..PersonDetails::default()
        }),
        Kind::Group => Details::Group(GroupDetails {
            subkind: pick(GroupType::ALL, subkind, GroupType::Organisation),
            founded: None,
            dissolved: None,
            ideology: None,
        }),
        Kind::Place => Details::Place(PlaceDetails {
            subkind: pick(PlaceType::ALL, subkind, place_type(o)),
            lat: o.get("latitude").and_then(Json::as_f64),
            lon: o.get("longitude").and_then(Json::as_f64),
        }),
        Kind::Event => Details::Event(EventDetails {
            subkind: pick(EventType::ALL, subkind, EventType::Operation),
            date: text(o, "x_threatgraph_date").and_then(|d| PartialDate::parse(d).ok()),
            start: reader.exact_date(o, "x_threatgraph_start", "first_seen"),
            end: reader.exact_date(o, "x_threatgraph_end", "last_seen"),
            killed: None,
            injured: None,
            method: None,
            target: None,
            outcome: None,
        }),
    }
}

/// True for an object `export stix` wrote: it carries the threatgraph id, relation or
/// (a report) reliability.
fn written_by_threatgraph(o: &Json) -> bool {
    ["x_threatgraph_id", "x_threatgraph_relation", "x_threatgraph_reliability"]
        .iter()
        .any(|k| o.get(k).is_some())
}

fn certainty_named(name: &str) -> Option<Certainty> {
    Certainty::ALL.into_iter().find(|c| c.name() == name)
}

/// A location's sort by the fields it has: a city, else a region, else a country.
fn place_type(o: &Json) -> PlaceType {
    if text(o, "city").is_some() {
        PlaceType::City
    } else if text(o, "administrative_area").is_some()
        || (text(o, "region").is_some() && text(o, "country").is_none())
    {
        PlaceType::Region
    } else {
        PlaceType::Country
    }
}

/// A location without a name is named by its city, region or country.
fn location_name(o: &Json) -> Option<String> {
    if text(o, "type") != Some("location") {
        return None;
    }
    ["city", "administrative_area", "country", "region"].iter().find_map(|k| text(o, k)).map(str::to_owned)
}

/// The relation a STIX relationship of type `rel_type` between entities of these kinds maps
/// to, and whether its ends swap (a campaign `attributed-to` an actor: the actor `Perpetrated`
/// it). `None` for the types and pairs that have no relation (`uses`, `indicates`, ...).
///
/// | STIX | from, to | threatgraph |
/// |---|---|---|
/// | `attributed-to` | Event, Person/Group | to `Perpetrated` from |
/// | `attributed-to` | Group, Group | `PartOf` |
/// | `attributed-to` | Group, Person | to `MemberOf` from |
/// | `attributed-to` | Person, Group | `MemberOf` |
/// | `targets` | Event, any | `Targeted` |
/// | `located-at` | Person / Group / Place / Event, Place | `LivedIn` / `BasedIn` / `LocatedIn` / `OccurredIn` |
/// | `originates-from` | Person / Group, Place | `CitizenOf` / `BasedIn` |
pub fn relation(rel_type: &str, from: Kind, to: Kind) -> Option<(Relation, bool)> {
    use Kind::*;
    Some(match (rel_type, from, to) {
        ("attributed-to", Event, Person | Group) => (Relation::Perpetrated, true),
        ("attributed-to", Group, Group) => (Relation::PartOf, false),
        ("attributed-to", Group, Person) => (Relation::MemberOf, true),
        ("attributed-to", Person, Group) => (Relation::MemberOf, false),
        ("targets", Event, _) => (Relation::Targeted, false),
        ("located-at", Person, Place) => (Relation::LivedIn, false),
        ("located-at", Group, Place) => (Relation::BasedIn, false),
        ("located-at", Place, Place) => (Relation::LocatedIn, false),
        ("located-at", Event, Place) => (Relation::OccurredIn, false),
        ("originates-from", Person, Place) => (Relation::CitizenOf, false),
        ("originates-from", Group, Place) => (Relation::BasedIn, false),
        _ => return None,
    })
}

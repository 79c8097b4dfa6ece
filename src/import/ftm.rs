//! FollowTheMoney entities as JSON lines (`ftm` tools, Aleph, OpenSanctions) to a [`Draft`],
//! read one line at a time.
//!
//! | FtM schema | threatgraph |
//! |---|---|
//! | `Person` | Person: `name` (first; the rest, `alias`, `weakAlias`, `previousName` aliases), `birthDate`, `deathDate`, `position` roles, `description` summary |
//! | `Organization`, `LegalEntity`, `Company` | Group (`classification` when it names a sub-kind, else Organisation): `incorporationDate`, `dissolutionDate` |
//! | `Address` | Place (`remarks` when it names a sub-kind; else City with a `city`, Country with only a `country`, else Venue): `full` or `name`, `latitude`, `longitude` |
//! | `Event` | Event (`summary` when it names a sub-kind, else Operation): `date`, `startDate`, `endDate`; `involved` people and groups `ParticipatedIn` it; `addressEntity` it `OccurredIn` |
//! | `Membership` | `member` `MemberOf` `organization` (or the relation `role` names: `LeaderOf`, `PartOf`, ...) |
//! | `Family` | `person` `RelativeOf` `relative` (or `SiblingOf`, `SpouseOf`, `ParentOf` as `relationship` names) |
//! | `Associate` | `person` `AssociateOf` `associate` (or `Handled`, `Recruited`) |
//! | `UnknownLink` | `subject` to `object` when `role` names a relation, else counted as unmapped |
//!
//! FtM has no certainty: a link is `Reported` (a dataset states it), unless its `status`
//! names a certainty (as `export ftm` writes it) or, for a record threatgraph wrote, its
//! description does. Each input file is a source, and so is each dataset in `datasets`.

use std::collections::{HashMap, HashSet};
use std::io::BufRead;
use std::path::Path;

use serde_json::Value as Json;

use super::write::Stage;
use super::{InputError, Joiner, Report};
use crate::model::{
    Certainty, Details, Entity, EventDetails, EventType, GroupDetails, GroupType, Id, Link, Origin,
    PartialDate, PersonDetails, PlaceDetails, PlaceType, Relation, Source, slugify,
};

/// The rule named in the provenance of every record read from FtM.
pub const RULE: &str = "import-ftm";

/// One FtM entity as read from a line.
struct Line<'a> {
    id: &'a str,
    schema: &'a str,
    props: &'a serde_json::Map<String, Json>,
}

impl Line<'_> {
    fn all(&self, key: &str) -> Vec<&str> {
        self.props.get(key).and_then(Json::as_array).into_iter().flatten().filter_map(Json::as_str).collect()
    }

    fn first(&self, key: &str) -> Option<&str> {
        self.all(key).into_iter().find(|s| !s.trim().is_empty())
    }
}

/// What [`stream`] ends with: the sources the records may cite, or the problems of the input
/// (then the stage holds part of it and must not be committed).
pub type Streamed = Result<Vec<Source>, Vec<InputError>>;

/// Reads the files at `paths` a line at a time, twice (the input is never held whole, nor what
/// is made of it): every line a JSON object `{id, schema, properties}`. The first pass maps
/// the entities, joins each ([`Joiner::entity`]) and stages the rest for writing; the second
/// maps the links (whose ends may come later in a file than they do), now that every end is
/// known. `tick` is told the bytes of each line read in either pass (a progress bar of twice
/// the input). Errors writing the stage stop it; problems of the input are collected (all of
/// them, from the first pass) and given instead of the sources.
pub fn stream(
    paths: &[&Path],
    name: &str,
    joiner: &mut Joiner,
    stage: &mut Stage,
    mut tick: impl FnMut(u64),
) -> std::io::Result<Streamed> {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    let mut source_ids = HashSet::new();
    // The dataset sources of each file, by dataset name; the file's own source.
    let mut cites: Vec<(HashMap<String, Id>, Id)> = Vec::new();
    for path in paths {
        let file_source = super::file_source(&mut source_ids, name, path, "FtM entities", "ftm");
        let mut cited_file = false;
        let mut datasets: HashMap<String, Id> = HashMap::new();
        each_line(path, &mut errors, &mut tick, None, |json, line| {
            // Sources: the datasets the entity is in, else the file.
            for d in datasets_of(json) {
                datasets.entry(d.to_owned()).or_insert_with(|| {
                    let id = super::unique_id(&mut source_ids, &format!("{name}-{}", slugify(d)));
                    sources.push(super::source(
                        id.clone(),
                        format!("FtM dataset {d}"),
                        Some(format!(
                            "in {}",
                            path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()
                        )),
                    ));
                    id
                });
            }
            let cited = line_sources(json, &datasets, &file_source.id);
            cited_file |= cited.first() == Some(&file_source.id);
            if let Some(e) = entity(line, cited, &mut joiner.report) {
                let preferred = line.id.strip_prefix("tg-").map(str::to_owned);
                if let Some(e) = joiner.entity(e, preferred) {
                    stage.entity(&e)?;
                }
            } else if !ENTITY_SCHEMATA.contains(&line.schema) {
                match interval(line) {
                    Some(Ok(_)) => {}
                    Some(Err(why)) => *joiner.report.unmapped.entry(why).or_default() += 1,
                    None => *joiner.report.skipped.entry(line.schema.to_owned()).or_default() += 1,
                }
            }
            Ok(())
        })?;
        cites.push((datasets, file_source.id.clone()));
        if cited_file {
            sources.push(file_source);
        }
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    for (path, (datasets, file_source)) in paths.iter().zip(&cites) {
        each_line(path, &mut errors, &mut tick, Some(LINK_SCHEMATA), |json, line| {
            let cited = line_sources(json, datasets, file_source);
            let mut links = Vec::new();
            if line.schema == "Event" {
                // Only an Event read as an entity has links.
                if joiner.kind_of(&Id::new(format!("ftm:{}", line.id))).is_some() {
                    let id = line.id;
                    links.extend(
                        line.all("involved")
                            .into_iter()
                            .map(|who| link(who, Relation::ParticipatedIn, id, line, &cited)),
                    );
                    links.extend(
                        line.all("addressEntity")
                            .into_iter()
                            .map(|place| link(id, Relation::OccurredIn, place, line, &cited)),
                    );
                }
            } else if let Some(Ok((from, rel, to))) = interval(line) {
                links.push(link(from, rel, to, line, &cited));
            }
            for l in links {
                match (joiner.kind_of(&l.from), joiner.kind_of(&l.to)) {
                    (Some(f), Some(t)) if l.rel.domain().contains(&f) && l.rel.range().contains(&t) => {
                        if let Some(l) = joiner.link(l) {
                            stage.link(&l)?;
                        }
                    }
                    (Some(f), Some(t)) => {
                        *joiner.report.unmapped.entry(format!("{} ({f} -> {t})", l.rel)).or_default() += 1;
                    }
                    _ => joiner
                        .report
                        .dangling
                        .push(format!("{}: {} (an end is not among the entities read)", line.id, l.rel)),
                }
            }
            Ok(())
        })?;
    }
    Ok(if errors.is_empty() { Ok(sources) } else { Err(errors) })
}

/// The schemata read as entities.
const ENTITY_SCHEMATA: &[&str] = &["Person", "Organization", "LegalEntity", "Company", "Address", "Event"];
/// The schemata that give links.
const LINK_SCHEMATA: &[&str] = &["Event", "Membership", "Family", "Associate", "UnknownLink"];

/// Calls `f` with each line of the file at `path` that is an FtM entity (of a schema among
/// `only`, when given), and tells `tick` the bytes of each line. Lines that cannot be read
/// are added to `errors`.
fn each_line(
    path: &Path,
    errors: &mut Vec<InputError>,
    tick: &mut impl FnMut(u64),
    only: Option<&[&str]>,
    mut f: impl FnMut(&Json, &Line) -> std::io::Result<()>,
) -> std::io::Result<()> {
    /// Just the schema of a line, to pass over lines of other schemata without building them.
    #[derive(serde::Deserialize)]
    struct Head<'a> {
        schema: Option<&'a str>,
    }
    let file = path.display().to_string();
    let reader = match std::fs::File::open(path) {
        Ok(f) => std::io::BufReader::new(f),
        Err(e) => {
            errors.push(InputError {
                file,
                line: None,
                column: None,
                message: format!("cannot read it: {e}"),
                help: "give FollowTheMoney entities as JSON lines (`ftm` tools, Aleph exports)".into(),
            });
            return Ok(());
        }
    };
    for (n, line) in reader.lines().enumerate() {
        let text = match line {
            Ok(t) => {
                tick(t.len() as u64 + 1);
                t
            }
            Err(e) => {
                errors.push(at(&file, n + 1, None, format!("cannot read the line: {e}")));
                break;
            }
        };
        let text = if n == 0 { text.trim_start_matches('\u{feff}') } else { &text };
        if text.trim().is_empty() {
            continue;
        }
        if let Some(only) = only
            && let Ok(Head { schema: Some(schema) }) = serde_json::from_str::<Head>(text)
            && !only.contains(&schema)
        {
            continue;
        }
        let json: Json = match serde_json::from_str(text) {
            Ok(j) => j,
            Err(e) => {
                errors.push(at(&file, n + 1, Some(e.column()), format!("not JSON: {e}")));
                continue;
            }
        };
        let (Some(id), Some(schema), Some(props)) = (
            json.get("id").and_then(Json::as_str),
            json.get("schema").and_then(Json::as_str),
            json.get("properties").and_then(Json::as_object),
        ) else {
            errors.push(at(
                &file,
                n + 1,
                None,
                "not an FtM entity: it needs `id`, `schema` and `properties`".into(),
            ));
            continue;
        };
        f(&json, &Line { id, schema, props })?;
    }
    Ok(())
}

/// The datasets an FtM entity says it is in.
fn datasets_of(json: &Json) -> impl Iterator<Item = &str> {
    json.get("datasets").and_then(Json::as_array).into_iter().flatten().filter_map(Json::as_str)
}

/// The sources a line cites: the sources of its datasets, else the file's.
fn line_sources(json: &Json, datasets: &HashMap<String, Id>, file: &Id) -> Vec<Id> {
    let mut cited: Vec<Id> = datasets_of(json).filter_map(|d| datasets.get(d).cloned()).collect();
    if cited.is_empty() {
        cited.push(file.clone());
    }
    cited
}

/// The entity a line is, its id still the foreign one (`ftm:ID`); `None` for other schemata
/// and for an entity without a name (counted as skipped).
fn entity(line: &Line, sources: Vec<Id>, report: &mut Report) -> Option<Entity> {
    let details = details(line, report)?;
    let id = line.id;
    let mut names: Vec<String> = line.all("name").into_iter().map(str::to_owned).collect();
    if matches!(details, Details::Place(_)) {
        names = line.all("full").into_iter().chain(line.all("name")).map(str::to_owned).collect();
    }
    let ours = id.starts_with("tg-");
    for k in ["alias", "weakAlias", "previousName"] {
        names.extend(line.all(k).into_iter().map(str::to_owned));
    }
    let mut keys = HashSet::new();
    names.retain(|n| !n.trim().is_empty() && (ours || keys.insert(crate::model::text::name_key(n))));
    names.dedup();
    if names.is_empty() {
        *report.skipped.entry(format!("{} (without a name)", line.schema)).or_default() += 1;
        return None;
    }
    let name = names.remove(0);
    if ours {
        // `export ftm` writes the name once more as an alias of an Address.
        names.retain(|n| n != &name);
    }
    Some(Entity {
        id: Id::new(format!("ftm:{id}")),
        name,
        aliases: names,
        summary: line.first("description").map(str::to_owned),
        sources,
        details,
        origin: Origin::Imported,
        provenance: super::provenance(RULE, vec![format!("ftm:{id}")]),
    })
}

fn at(file: &str, line: usize, column: Option<usize>, message: String) -> InputError {
    InputError {
        file: file.to_owned(),
        line: Some(line),
        column,
        message,
        help: "each line is one FtM entity: {\"id\": ..., \"schema\": ..., \"properties\": {...}}".into(),
    }
}

/// The first FtM date of `key` as a partial date (FtM writes ISO prefixes); unreadable ones
/// are reported.
fn date(line: &Line, key: &str, report: &mut Report) -> Option<PartialDate> {
    let raw = line.first(key)?;
    let text = raw.get(..10.min(raw.len())).unwrap_or(raw);
    match PartialDate::parse(text) {
        Ok(d) => Some(d),
        Err(_) => {
            report.unreadable.push(format!("{}: `{key}` {raw:?} is not a date", line.id));
            None
        }
    }
}

fn named<T: Copy + std::fmt::Display>(all: &[T], name: Option<&str>) -> Option<T> {
    all.iter().copied().find(|v| Some(v.to_string().as_str()) == name)
}

/// The kind and fields of an entity schema; `None` for other schemata.
fn details(line: &Line, report: &mut Report) -> Option<Details> {
    Some(match line.schema {
        "Person" => Details::Person(PersonDetails {
            born: date(line, "birthDate", report),
            died: date(line, "deathDate", report),
            roles: line.all("position").into_iter().map(str::to_owned).collect(),
            status: None,
        }),
        "Organization" | "LegalEntity" | "Company" => Details::Group(GroupDetails {
            subkind: named(GroupType::ALL, line.first("classification")).unwrap_or(GroupType::Organisation),
            founded: date(line, "incorporationDate", report),
            dissolved: date(line, "dissolutionDate", report),
            ideology: None,
        }),
        "Address" => {
            let subkind =
                named(PlaceType::ALL, line.first("remarks")).unwrap_or(if line.first("city").is_some() {
                    PlaceType::City
                } else if line.first("country").is_some() {
                    PlaceType::Country
                } else {
                    PlaceType::Venue
                });
            let number = |k: &str| line.first(k).and_then(|v| v.parse::<f64>().ok());
            Details::Place(PlaceDetails { subkind, lat: number("latitude"), lon: number("longitude") })
        }
        "Event" => Details::Event(EventDetails {
            subkind: named(EventType::ALL, line.first("summary")).unwrap_or(EventType::Operation),
            date: date(line, "date", report),
            start: date(line, "startDate", report),
            end: date(line, "endDate", report),
            killed: None,
            injured: None,
            method: None,
            target: None,
            outcome: None,
        }),
        _ => return None,
    })
}

/// A relation named at the start of `text` (`LeaderOf`, `LeaderOf (emir)`, `leader-of`).
fn relation_named(text: Option<&str>) -> Option<Relation> {
    let word = text?.split([' ', '(']).next()?;
    Relation::from_name(word)
}

/// The ends and relation of an interval schema: `None` for schemata that are not links,
/// `Err` (why) for a link with no relation.
fn interval<'a>(line: &'a Line) -> Option<Result<(&'a str, Relation, &'a str), String>> {
    let (from, to, rel) = match line.schema {
        "Membership" => {
            ("member", "organization", Some(relation_named(line.first("role")).unwrap_or(Relation::MemberOf)))
        }
        "Family" => (
            "person",
            "relative",
            Some(relation_named(line.first("relationship")).unwrap_or(Relation::RelativeOf)),
        ),
        "Associate" => (
            "person",
            "associate",
            Some(relation_named(line.first("relationship")).unwrap_or(Relation::AssociateOf)),
        ),
        "UnknownLink" => ("subject", "object", relation_named(line.first("role"))),
        _ => return None,
    };
    let (Some(a), Some(b)) = (line.first(from), line.first(to)) else {
        return Some(Err(format!("{} (without `{from}` and `{to}`)", line.schema)));
    };
    match rel {
        Some(rel) => Some(Ok((a, rel, b))),
        None => Some(Err(format!("{} (its role names no relation)", line.schema))),
    }
}

/// A link of a line, with its certainty, dates and note.
fn link(from: &str, rel: Relation, to: &str, line: &Line, sources: &[Id]) -> Link {
    let certainty = certainty(line);
    let first_date =
        |k: &str| line.first(k).and_then(|d| PartialDate::parse(d.get(..10.min(d.len())).unwrap_or(d)).ok());
    let (date, since, until) = if line.schema == "Event" {
        (None, None, None)
    } else {
        (first_date("date"), first_date("startDate"), first_date("endDate"))
    };
    // `export ftm` writes a link's role as `Relation (role)`.
    let role = ["role", "relationship"]
        .iter()
        .filter_map(|k| line.first(k))
        .find_map(|r| r.split_once(" (").and_then(|(_, rest)| rest.strip_suffix(')')))
        .map(str::to_owned);
    Link {
        from: Id::new(format!("ftm:{from}")),
        rel,
        to: Id::new(format!("ftm:{to}")),
        date,
        since,
        until,
        role,
        note: if line.schema == "Event" { None } else { line.first("summary").map(str::to_owned) },
        certainty,
        sources: sources.to_vec(),
        origin: Origin::Imported,
        // The links of an Event's `involved` have no record of their own.
        provenance: super::provenance(
            RULE,
            if line.schema == "Event" { Vec::new() } else { vec![format!("ftm:{}", line.id)] },
        ),
    }
}

/// A link's certainty: its `status` when that names one; for a record threatgraph wrote, the
/// one its description gives (`a Rel b: Alleged, graded ...`); else `Reported`.
fn certainty(line: &Line) -> Certainty {
    let name = |s: &str| Certainty::ALL.into_iter().find(|c| c.name() == s.trim());
    if let Some(c) = line.first("status").and_then(name) {
        return c;
    }
    if line.id.starts_with("tg-")
        && let Some(c) = line
            .first("description")
            .and_then(|d| d.lines().next())
            .and_then(|l| l.rsplit_once(": "))
            .and_then(|(_, rest)| rest.split([',', ' ']).next())
            .and_then(name)
    {
        return c;
    }
    Certainty::Reported
}

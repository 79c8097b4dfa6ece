//! Spreadsheets: CSV files read by a mapping file (RON), in the spirit of i2 Analyst's
//! Notebook's import specifications. Each row gives an entity for each entity mapping and a
//! link for each link mapping:
//!
//! ```ron
//! (
//!     entities: [
//!         (kind: Person, name: "Name", id: "Person ID", aliases: "Also known as", separator: ";", date: "Born"),
//!         (kind: Group, name: "Group", subkind: Cell),
//!     ],
//!     links: [
//!         (from: "Name", to: "Group", relation: MemberOf, certainty_column: "Confidence", date: "Since", source: "Source"),
//!     ],
//! )
//! ```
//!
//! Column names are the header's. A link's ends are the entities of the same file whose id or
//! name is in that cell. `date` is a person's `born`, a group's `founded`, a place's nothing,
//! an event's `date`. Dates may be written `2017-05-22`, `2017-05`, `2017`, `2017-Q2` (with `~`),
//! `22/05/2017` or `22.05.2017` (day first), `2017/05/22`, `22 May 2017`, `May 22, 2017` or
//! `May 2017`; others are reported by row and column and left out.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use super::{Draft, InputError};
use crate::model::text::name_key;
use crate::model::{
    Certainty, Details, Entity, EventDetails, EventType, GroupDetails, GroupType, Id, Kind, Link, Origin,
    PartialDate, PersonDetails, PlaceDetails, PlaceType, Relation, slugify,
};

/// The rule named in the provenance of every record read from a CSV file.
pub const RULE: &str = "import-csv";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    #[serde(default)]
    pub entities: Vec<EntityMapping>,
    #[serde(default)]
    pub links: Vec<LinkMapping>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityMapping {
    pub kind: Kind,
    /// The column of the name.
    pub name: String,
    /// The column of an id of the spreadsheet's own, kept as the foreign id `csv:...`.
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub aliases: Option<String>,
    /// What separates aliases in their cell; `;` when not given.
    #[serde(default)]
    pub separator: Option<String>,
    /// The sub-kind every entity of this mapping has (`Cell`, `City`, `Attack`, ...).
    #[serde(default)]
    pub subkind: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkMapping {
    pub from: String,
    pub to: String,
    /// The relation of every link of this mapping, unless `relation_column` gives one.
    #[serde(default)]
    pub relation: Option<Relation>,
    #[serde(default)]
    pub relation_column: Option<String>,
    /// The certainty of every link, unless `certainty_column` gives one; `Reported` when neither.
    #[serde(default)]
    pub certainty: Option<Certainty>,
    #[serde(default)]
    pub certainty_column: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    /// A column naming the source: each distinct value becomes a source.
    #[serde(default)]
    pub source: Option<String>,
}

const MONTHS: [&str; 12] =
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    (w.len() >= 3).then(|| MONTHS.iter().position(|m| w.starts_with(m)).map(|i| i as u32 + 1)).flatten()
}

/// A date as spreadsheets write it, as a partial date.
pub fn read_date(text: &str) -> Option<PartialDate> {
    let t = text.trim();
    if let Ok(d) = PartialDate::parse(t) {
        return Some(d);
    }
    let num = |s: &str| s.parse::<u32>().ok();
    let iso = |y: u32, m: u32, d: u32| PartialDate::parse(&format!("{y:04}-{m:02}-{d:02}")).ok();
    for sep in ['/', '.'] {
        let parts: Vec<&str> = t.split(sep).collect();
        if let [a, b, c] = parts[..] {
            return if a.len() == 4 {
                iso(num(a)?, num(b)?, num(c)?)
            } else {
                iso(num(c)?, num(b)?, num(a)?)
            };
        }
    }
    let words: Vec<&str> = t.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    match words[..] {
        [d, m, y] if num(d).is_some() => iso(num(y)?, month(m)?, num(d)?),
        [m, d, y] => iso(num(y)?, month(m)?, num(d)?),
        [m, y] => PartialDate::parse(&format!("{:04}-{:02}", num(y)?, month(m)?)).ok(),
        _ => None,
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Reads the mapping file at `path`.
pub fn read_mapping(path: &Path) -> Result<Mapping, InputError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| InputError {
        file: file.clone(),
        line: None,
        column: None,
        message: format!("cannot read the mapping: {e}"),
        help: "give the mapping with `--mapping FILE.ron`".into(),
    })?;
    let options = ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    options.from_str(&text).map_err(|e| InputError {
        file,
        line: Some(e.span.start.line),
        column: Some(e.span.start.col),
        message: format!("not a mapping: {}", e.code),
        help: "a mapping is `(entities: [(kind: Person, name: \"COLUMN\", ...)], links: [(from: \"COLUMN\", to: \"COLUMN\", relation: MemberOf, ...)])`; see README, Importing".into(),
    })
}

/// Reads the CSV files at `paths` by `mapping`.
pub fn read(paths: &[&Path], mapping: &Mapping, name: &str) -> Result<Draft, Vec<InputError>> {
    let mut draft = Draft::default();
    let mut errors = Vec::new();
    let mut source_ids: HashSet<String> = HashSet::new();
    let mut sources_by_title: HashMap<String, Id> = HashMap::new();
    for path in paths {
        let file = path.display().to_string();
        let err = |line: Option<usize>, column: Option<usize>, message: String, help: &str| InputError {
            file: file.clone(),
            line,
            column,
            message,
            help: help.to_owned(),
        };
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                errors.push(err(
                    None,
                    None,
                    format!("cannot read it: {e}"),
                    "give a CSV file with a header row",
                ));
                continue;
            }
        };
        // Lines counted here: the csv reader's own count is one short after a CRLF header, and
        // its byte offsets start after a byte order mark.
        let newlines: Vec<u64> =
            bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i as u64).collect();
        let bom = if bytes.starts_with("\u{feff}".as_bytes()) { 3 } else { 0 };
        let line_at = |byte: u64| newlines.partition_point(|&n| n < byte + bom) + 1;
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes.as_slice());
        let header: Vec<String> = match reader.headers() {
            Ok(h) => h
                .iter()
                .enumerate()
                .map(|(i, c)| if i == 0 { c.trim_start_matches('\u{feff}') } else { c }.trim().to_owned())
                .collect(),
            Err(e) => {
                errors.push(err(
                    Some(1),
                    None,
                    format!("cannot read the header: {e}"),
                    "the first row names the columns",
                ));
                continue;
            }
        };
        let column = |name: &str| header.iter().position(|h| h == name);
        let mut wanted: Vec<&str> = Vec::new();
        for e in &mapping.entities {
            wanted.extend(
                [Some(&e.name), e.id.as_ref(), e.aliases.as_ref(), e.date.as_ref()]
                    .into_iter()
                    .flatten()
                    .map(String::as_str),
            );
        }
        for l in &mapping.links {
            wanted.extend(
                [
                    Some(&l.from),
                    Some(&l.to),
                    l.relation_column.as_ref(),
                    l.certainty_column.as_ref(),
                    l.date.as_ref(),
                    l.source.as_ref(),
                ]
                .into_iter()
                .flatten()
                .map(String::as_str),
            );
        }
        let missing: Vec<&str> = wanted
            .iter()
            .copied()
            .filter(|w| column(w).is_none())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        if !missing.is_empty() {
            errors.push(err(
                Some(1),
                None,
                format!(
                    "the mapping names columns the header does not have: {}",
                    missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ")
                ),
                &format!(
                    "the columns are: {}",
                    header.iter().map(|h| format!("`{h}`")).collect::<Vec<_>>().join(", ")
                ),
            ));
            continue;
        }
        let source = super::file_source(&mut source_ids, name, path, "spreadsheet", "csv");
        let file_source = source.id.clone();
        draft.sources.push(source);
        // Entities of this file by the values that name them: id cell and name key.
        let mut by_value: HashMap<String, Id> = HashMap::new();
        let mut entity_at: HashMap<Id, usize> = HashMap::new();
        let mut rows = Vec::new();
        let mut seen: HashMap<Vec<String>, usize> = HashMap::new();
        for (n, record) in reader.records().enumerate() {
            match record {
                Ok(r) => {
                    let line = r.position().map_or(n + 2, |p| line_at(p.byte()));
                    let cells: Vec<String> = r.iter().map(|c| c.trim().to_owned()).collect();
                    if let Some(first) = seen.get(&cells) {
                        draft
                            .report
                            .folded
                            .push(format!("{file}:{line}: the same row as line {first}, read once"));
                        continue;
                    }
                    seen.insert(cells, line);
                    rows.push((line, r))
                }
                Err(e) => errors.push(err(
                    e.position().map(|p| line_at(p.byte())),
                    None,
                    format!("cannot read the row: {e}"),
                    "check the quoting of this row",
                )),
            }
        }
        fn cell_of<'r>(header: &[String], r: &'r csv::StringRecord, col: &str) -> Option<&'r str> {
            let i = header.iter().position(|h| h == col)?;
            r.get(i).map(str::trim).filter(|c| !c.is_empty())
        }
        let cell = |r, col| cell_of(&header, r, col);
        let unreadable_date = |draft: &mut Draft, line: usize, col: &str, value: &str| {
            let at = column(col).map_or(0, |i| i + 1);
            draft
                .report
                .unreadable
                .push(format!("{file}:{line}: column `{col}` ({at}): {value:?} is not a date"));
        };
        for (line, r) in &rows {
            for m in &mapping.entities {
                let Some(entity_name) = cell(r, &m.name) else { continue };
                let own = m.id.as_deref().and_then(|c| cell(r, c));
                let key = match own {
                    Some(own) => Id::new(format!("csv:{own}")),
                    None => Id::new(format!("csv:{}:{}", m.kind.name().to_lowercase(), slugify(entity_name))),
                };
                let sep = m.separator.as_deref().unwrap_or(";");
                let aliases: Vec<String> = m
                    .aliases
                    .as_deref()
                    .and_then(|c| cell(r, c))
                    .map(|a| {
                        a.split(sep)
                            .map(str::trim)
                            .filter(|a| !a.is_empty() && *a != entity_name)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default();
                if let Some(&at) = entity_at.get(&key) {
                    // A row seen before (or the same entity again): its new aliases are kept.
                    let e: &mut Entity = &mut draft.entities[at];
                    for a in aliases {
                        if !e.aliases.contains(&a) {
                            e.aliases.push(a);
                        }
                    }
                    continue;
                }
                let date = m.date.as_deref().and_then(|c| cell(r, c).map(|v| (c, v))).and_then(|(c, v)| {
                    let d = read_date(v);
                    if d.is_none() {
                        unreadable_date(&mut draft, *line, c, v);
                    }
                    d
                });
                let subkind = m.subkind.as_deref();
                let pick = |all: &[&'static str]| {
                    subkind.and_then(|s| all.iter().position(|a| a.eq_ignore_ascii_case(s)))
                };
                let details = match m.kind {
                    Kind::Person => Details::Person(PersonDetails { born: date, ..PersonDetails::default() }),
                    Kind::Group => Details::Group(GroupDetails {
                        subkind: pick(&GroupType::ALL.iter().map(|g| g.name()).collect::<Vec<_>>())
                            .map_or(GroupType::Organisation, |i| GroupType::ALL[i]),
                        founded: date,
                        dissolved: None,
                        ideology: None,
                    }),
                    Kind::Place => Details::Place(PlaceDetails {
                        subkind: pick(&PlaceType::ALL.iter().map(|g| g.name()).collect::<Vec<_>>())
                            .map_or(PlaceType::City, |i| PlaceType::ALL[i]),
                        lat: None,
                        lon: None,
                    }),
                    Kind::Event => Details::Event(EventDetails {
                        subkind: pick(&EventType::ALL.iter().map(|g| g.name()).collect::<Vec<_>>())
                            .map_or(EventType::Attack, |i| EventType::ALL[i]),
                        date,
                        start: None,
                        end: None,
                        killed: None,
                        injured: None,
                        method: None,
                        target: None,
                        outcome: None,
                    }),
                };
                let external_ids = own.map(|o| vec![format!("csv:{o}")]).unwrap_or_default();
                entity_at.insert(key.clone(), draft.entities.len());
                if let Some(own) = own {
                    by_value.insert(own.to_owned(), key.clone());
                }
                by_value.entry(name_key(entity_name)).or_insert_with(|| key.clone());
                draft.entities.push(Entity {
                    id: key,
                    name: entity_name.to_owned(),
                    aliases,
                    summary: None,
                    sources: vec![file_source.clone()],
                    details,
                    origin: Origin::Imported,
                    provenance: super::provenance(RULE, external_ids),
                });
            }
        }
        for (line, r) in &rows {
            for m in &mapping.links {
                let (Some(from), Some(to)) = (cell(r, &m.from), cell(r, &m.to)) else { continue };
                let end = |v: &str| by_value.get(v).or_else(|| by_value.get(&name_key(v))).cloned();
                let (Some(a), Some(b)) = (end(from), end(to)) else {
                    let missing = if end(from).is_none() { (&m.from, from) } else { (&m.to, to) };
                    draft.report.dangling.push(format!(
                        "{file}:{line}: column `{}`: no entity named {:?}",
                        missing.0, missing.1
                    ));
                    continue;
                };
                let at = |c: &str| column(c).map_or(0, |i| i + 1);
                let rel = match m.relation_column.as_deref() {
                    Some(c) => match cell(r, c).map(|v| (v, Relation::from_name(v))) {
                        Some((_, Some(rel))) => rel,
                        Some((v, None)) => {
                            errors.push(err(Some(*line), Some(at(c)), format!("column `{c}`: {v:?} is not a relation"), "write a relation name: MemberOf, LeaderOf, TraveledTo, ... (README, The data)"));
                            continue;
                        }
                        None => match m.relation {
                            Some(rel) => rel,
                            None => continue,
                        },
                    },
                    None => match m.relation {
                        Some(rel) => rel,
                        None => {
                            errors.push(err(
                                None,
                                None,
                                format!("a link mapping (from `{}` to `{}`) has no relation", m.from, m.to),
                                "give `relation: MemberOf` or `relation_column: \"COLUMN\"`",
                            ));
                            break;
                        }
                    },
                };
                let certainty = match m.certainty_column.as_deref().and_then(|c| cell(r, c).map(|v| (c, v))) {
                    Some((c, v)) => {
                        match Certainty::ALL.into_iter().find(|x| x.name().eq_ignore_ascii_case(v)) {
                            Some(x) => x,
                            None => {
                                errors.push(err(
                                    Some(*line),
                                    Some(at(c)),
                                    format!("column `{c}`: {v:?} is not a certainty"),
                                    "write Confirmed, Reported, Alleged, Suspected, Disputed or Refuted",
                                ));
                                continue;
                            }
                        }
                    }
                    None => m.certainty.unwrap_or(Certainty::Reported),
                };
                let date = m.date.as_deref().and_then(|c| cell(r, c).map(|v| (c, v))).and_then(|(c, v)| {
                    let d = read_date(v);
                    if d.is_none() {
                        unreadable_date(&mut draft, *line, c, v);
                    }
                    d
                });
                let mut sources = vec![file_source.clone()];
                if let Some(title) = m.source.as_deref().and_then(|c| cell(r, c)) {
                    let id = sources_by_title.entry(title.to_owned()).or_insert_with(|| {
                        let base = format!(
                            "{name}-{}",
                            slugify(title).split('-').take(6).collect::<Vec<_>>().join("-")
                        );
                        let id = super::unique_id(&mut source_ids, &base);
                        draft.sources.push(super::source(
                            id.clone(),
                            title.to_owned(),
                            Some(format!("named in {}", file_name(path))),
                        ));
                        id
                    });
                    sources = vec![id.clone()];
                }
                draft.links.push(Link {
                    from: a,
                    rel,
                    to: b,
                    date,
                    since: None,
                    until: None,
                    role: None,
                    note: None,
                    certainty,
                    sources,
                    origin: Origin::Imported,
                    provenance: super::provenance(RULE, Vec::new()),
                });
            }
        }
        let kinds: BTreeMap<&Id, Kind> = draft.entities.iter().map(|e| (&e.id, e.kind())).collect();
        let unfit: Vec<usize> = draft
            .links
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                !(kinds.get(&l.from).is_some_and(|k| l.rel.domain().contains(k))
                    && kinds.get(&l.to).is_some_and(|k| l.rel.range().contains(k)))
            })
            .map(|(i, _)| i)
            .collect();
        for i in unfit.into_iter().rev() {
            let l = draft.links.remove(i);
            let pair = format!("{} ({} -> {})", l.rel, kinds[&l.from], kinds[&l.to]);
            *draft.report.unmapped.entry(pair).or_default() += 1;
        }
    }
    if errors.is_empty() { Ok(draft) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::read_date;

    #[test]
    fn dates_as_spreadsheets_write_them() {
        for (text, want) in [
            ("2017-05-22", "2017-05-22"),
            ("~2017", "~2017"),
            ("22/05/2017", "2017-05-22"),
            ("22.05.2017", "2017-05-22"),
            ("2017/05/22", "2017-05-22"),
            ("22 May 2017", "2017-05-22"),
            ("May 22, 2017", "2017-05-22"),
            ("Sept. 2014", "2014-09"),
            ("May 2017", "2017-05"),
        ] {
            assert_eq!(read_date(text).map(|d| d.to_string()).as_deref(), Some(want), "{text}");
        }
        for bad in ["", "yesterday", "31/02/2017", "13 Foo 2017", "2017-13"] {
            assert_eq!(read_date(bad), None, "{bad}");
        }
    }
}

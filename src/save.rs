//! Writing a [`Dataset`] as the RON files of a data folder, which [`crate::load`] reads back
//! to the same dataset (a property test holds it to that).
//!
//! This is the one place that turns model values back into the file format. It writes every
//! field a record has and none it lacks, one record per line, in dataset order: curated facts
//! in `curated/facts.ron`, extracted ones in `extracted/facts.ron`, one view per file, and all
//! declared chains in `chains/chains.ron`. Comments and the layout of hand-written files are
//! not in the model, so the writer never replaces a file a person wrote (see
//! [`crate::cli::refuse_data_file`]); it makes new folders.

use std::fmt::Write as _;
use std::path::Path;

use crate::model::{
    Dataset, DeclaredChain, Details, Entity, Id, Link, Origin, PartialDate, Provenance, Source, View,
};

/// The files of a data folder holding `dataset`: paths relative to the folder, and their text.
/// Entities and links must be in the order the loader yields them: curated before extracted.
pub fn files(dataset: &Dataset) -> Vec<(String, String)> {
    let mut out = vec![("sources.ron".to_owned(), sources(&dataset.sources))];
    for (origin, path) in [(Origin::Curated, "curated/facts.ron"), (Origin::Extracted, "extracted/facts.ron")]
    {
        let entities: Vec<&Entity> = dataset.entities.iter().filter(|e| e.origin == origin).collect();
        let links: Vec<&Link> = dataset.links.iter().filter(|l| l.origin == origin).collect();
        if !entities.is_empty() || !links.is_empty() {
            out.push((path.to_owned(), facts(&entities, &links)));
        }
    }
    for v in &dataset.views {
        out.push((format!("views/{}.ron", v.name), view(v)));
    }
    if !dataset.chains.is_empty() {
        out.push(("chains/chains.ron".to_owned(), chains(&dataset.chains)));
    }
    out
}

/// A dataset of the given entities and links and the sources they cite (in the order of
/// `sources`); no views or chains (they may name what was left out).
pub fn subset<'a>(
    sources: &[Source],
    entities: impl IntoIterator<Item = &'a Entity>,
    links: impl IntoIterator<Item = &'a Link>,
) -> Dataset {
    let entities: Vec<Entity> = entities.into_iter().cloned().collect();
    let links: Vec<Link> = links.into_iter().cloned().collect();
    let cited: std::collections::HashSet<&Id> =
        entities.iter().flat_map(|e| &e.sources).chain(links.iter().flat_map(|l| &l.sources)).collect();
    let sources = sources.iter().filter(|s| cited.contains(&s.id)).cloned().collect();
    Dataset { sources, entities, links, views: Vec::new(), chains: Vec::new() }
}

/// Writes `dataset` into the folder `dir`, each file atomically. Refuses a folder that already
/// holds a `sources.ron`, so that no data a person wrote is replaced.
pub fn write_folder(dataset: &Dataset, dir: &Path) -> std::io::Result<()> {
    if dir.join("sources.ron").exists() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} already holds a dataset; write to a new folder", dir.display()),
        ));
    }
    for (path, text) in files(dataset) {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        crate::export::write_atomic(&path, text.as_bytes())?;
    }
    Ok(())
}

/// A RON string literal: backslashes, quotes and control characters escaped.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The fields of one record, written `name: value` and joined with commas.
#[derive(Default)]
struct Fields(Vec<String>);

impl Fields {
    fn raw(&mut self, name: &str, value: impl std::fmt::Display) -> &mut Self {
        self.0.push(format!("{name}: {value}"));
        self
    }

    fn str(&mut self, name: &str, value: &str) -> &mut Self {
        self.raw(name, quote(value))
    }

    fn opt_str(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value {
            self.str(name, v);
        }
        self
    }

    fn date(&mut self, name: &str, value: Option<&PartialDate>) -> &mut Self {
        self.opt_str(name, value.map(PartialDate::as_str))
    }

    fn opt(&mut self, name: &str, value: Option<impl std::fmt::Display>) -> &mut Self {
        if let Some(v) = value {
            self.raw(name, v);
        }
        self
    }

    /// A list of strings, left out when empty (every list field defaults to empty).
    fn strs<'a>(&mut self, name: &str, values: impl IntoIterator<Item = &'a str>) -> &mut Self {
        let items: Vec<String> = values.into_iter().map(quote).collect();
        if !items.is_empty() {
            self.raw(name, format!("[{}]", items.join(", ")));
        }
        self
    }

    fn ids(&mut self, name: &str, ids: &[Id]) -> &mut Self {
        self.strs(name, ids.iter().map(Id::as_str))
    }

    fn provenance(&mut self, p: Option<&Provenance>) -> &mut Self {
        if let Some(p) = p {
            self.str("rule", &p.rule);
            let spans: Vec<String> = p
                .spans
                .iter()
                .map(|s| format!("(file: {}, start: {}, end: {})", quote(&s.file), s.start, s.end))
                .collect();
            if !spans.is_empty() {
                self.raw("spans", format!("[{}]", spans.join(", ")));
            }
            self.strs("external_ids", p.external_ids.iter().map(String::as_str));
        }
        self
    }

    fn record(&self, name: &str) -> String {
        format!("{name}({})", self.0.join(", "))
    }
}

/// A float as RON reads it back to the same value (Rust's shortest round-trip form).
fn float(x: f64) -> String {
    let s = format!("{x:?}");
    if s.contains(['.', 'e', 'N', 'i']) { s } else { format!("{s}.0") }
}

pub(crate) fn sources(sources: &[Source]) -> String {
    let mut out = String::from("[\n");
    for s in sources {
        let mut f = Fields::default();
        f.str("id", s.id.as_str())
            .str("title", &s.title)
            .opt_str("publisher", s.publisher.as_deref())
            .opt_str("author", s.author.as_deref())
            .date("date", s.date.as_ref())
            .opt_str("url", s.url.as_deref())
            .raw("reliability", s.reliability)
            .opt_str("file", s.file.as_deref())
            .opt_str("note", s.note.as_deref());
        let _ = writeln!(out, "    {},", f.record(""));
    }
    out.push_str("]\n");
    out
}

pub(crate) fn facts(entities: &[&Entity], links: &[&Link]) -> String {
    let mut records = String::new();
    for e in entities {
        let _ = writeln!(records, "        {},", entity(e));
    }
    let mut link_records = String::new();
    for l in links {
        let _ = writeln!(link_records, "        {},", link(l));
    }
    facts_text(&records, &link_records)
}

/// A facts file around its entity records and link records, each `        RECORD,\n`.
pub(crate) fn facts_text(entities: &str, links: &str) -> String {
    let mut out = String::with_capacity(entities.len() + links.len() + 64);
    out.push_str("(\n    entities: [\n");
    out.push_str(entities);
    out.push_str("    ],\n    links: [\n");
    out.push_str(links);
    out.push_str("    ],\n)\n");
    out
}

/// An entity as one record of a facts file.
pub(crate) fn entity(e: &Entity) -> String {
    let mut f = Fields::default();
    f.str("id", e.id.as_str())
        .str("name", &e.name)
        .strs("aliases", e.aliases.iter().map(String::as_str))
        .opt_str("summary", e.summary.as_deref())
        .ids("sources", &e.sources)
        .provenance(e.provenance.as_deref());
    match &e.details {
        Details::Person(p) => {
            f.date("born", p.born.as_ref())
                .date("died", p.died.as_ref())
                .strs("roles", p.roles.iter().map(String::as_str))
                .opt("status", p.status);
        }
        Details::Group(g) => {
            f.raw("subkind", g.subkind)
                .date("founded", g.founded.as_ref())
                .date("dissolved", g.dissolved.as_ref())
                .opt("ideology", g.ideology);
        }
        Details::Place(p) => {
            f.raw("subkind", p.subkind).opt("lat", p.lat.map(float)).opt("lon", p.lon.map(float));
        }
        Details::Event(ev) => {
            f.raw("subkind", ev.subkind)
                .date("date", ev.date.as_ref())
                .date("start", ev.start.as_ref())
                .date("end", ev.end.as_ref())
                .opt("killed", ev.killed)
                .opt("injured", ev.injured)
                .opt("method", ev.method)
                .opt("target", ev.target)
                .opt("outcome", ev.outcome);
        }
    }
    f.record(e.kind().name())
}

/// A link as one record of a facts file.
pub(crate) fn link(l: &Link) -> String {
    let mut f = Fields::default();
    f.str("from", l.from.as_str())
        .raw("rel", l.rel)
        .str("to", l.to.as_str())
        .date("date", l.date.as_ref())
        .date("since", l.since.as_ref())
        .date("until", l.until.as_ref())
        .opt_str("role", l.role.as_deref())
        .opt_str("note", l.note.as_deref())
        .raw("certainty", l.certainty)
        .ids("sources", &l.sources)
        .provenance(l.provenance.as_deref());
    f.record("")
}

fn view(v: &View) -> String {
    let mut f = Fields::default();
    // `seeds` is required, even when empty.
    let seeds: Vec<String> = v.seeds.iter().map(|s| quote(s.as_str())).collect();
    f.str("title", &v.title).raw("seeds", format!("[{}]", seeds.join(", "))).raw("depth", v.depth);
    let names = |items: Vec<&'static str>| format!("[{}]", items.join(", "));
    if !v.relations.is_empty() {
        f.raw("relations", names(v.relations.iter().map(|r| r.name()).collect()));
    }
    if !v.kinds.is_empty() {
        f.raw("kinds", names(v.kinds.iter().map(|k| k.name()).collect()));
    }
    f.date("since", v.since.as_ref())
        .date("until", v.until.as_ref())
        .opt("min_certainty", v.min_certainty)
        .opt("cluster", v.cluster.map(|c| format!("{c:?}")))
        .opt("layout", v.layout.map(|l| format!("{l:?}")));
    format!("{}\n", f.record(""))
}

fn chains(chains: &[DeclaredChain]) -> String {
    let mut out = String::from("[\n");
    for c in chains {
        let steps: Vec<String> = c
            .steps
            .iter()
            .map(|s| {
                format!("(from: {}, rel: {}, to: {})", quote(s.from.as_str()), s.rel, quote(s.to.as_str()))
            })
            .collect();
        let mut f = Fields::default();
        f.str("name", &c.name)
            .str("claim", &c.claim)
            .raw("steps", format!("[{}]", steps.join(", ")))
            .raw("expect", format!("{:?}", c.expect));
        let _ = writeln!(out, "    {},", f.record(""));
    }
    out.push_str("]\n");
    out
}

#[cfg(test)]
mod tests {
    use proptest::collection::vec;
    use proptest::option::of;
    use proptest::prelude::*;
    use proptest::sample::select;

    use super::*;
    use crate::model::*;

    /// Any text at all, with quotes, backslashes and control characters made likely.
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![any::<String>(), "[a-z \"\\\\\n\t\u{0}\u{7f}é]{0,12}"]
    }

    fn id() -> impl Strategy<Value = Id> {
        prop_oneof![4 => "[a-z0-9]{1,6}(-[a-z0-9]{1,4}){0,2}", 1 => any::<String>()].prop_map(Id::new)
    }

    fn float() -> impl Strategy<Value = f64> {
        prop_oneof![-180.0..180.0f64, any::<f64>().prop_filter("finite", |x| x.is_finite())]
    }

    fn provenance() -> impl Strategy<Value = Option<Box<Provenance>>> {
        of((text(), vec((text(), any::<usize>(), any::<usize>()), 0..3), vec(text(), 0..2)).prop_map(
            |(rule, spans, external_ids)| {
                Box::new(Provenance {
                    rule,
                    spans: spans
                        .into_iter()
                        .map(|(file, start, end)| TextSpan { file, start, end })
                        .collect(),
                    external_ids,
                    joined: Vec::new(),
                })
            },
        ))
    }

    fn details() -> impl Strategy<Value = Details> {
        prop_oneof![
            (of(any_date()), of(any_date()), vec(text(), 0..3), of(select(Status::ALL))).prop_map(
                |(born, died, roles, status)| Details::Person(PersonDetails { born, died, roles, status })
            ),
            (select(GroupType::ALL), of(any_date()), of(any_date()), of(select(Ideology::ALL))).prop_map(
                |(subkind, founded, dissolved, ideology)| {
                    Details::Group(GroupDetails { subkind, founded, dissolved, ideology })
                }
            ),
            (select(PlaceType::ALL), of(float()), of(float()))
                .prop_map(|(subkind, lat, lon)| Details::Place(PlaceDetails { subkind, lat, lon })),
            (
                (select(EventType::ALL), of(any_date()), of(any_date()), of(any_date())),
                (of(any::<u32>()), of(any::<u32>()), of(select(Method::ALL))),
                (of(select(Target::ALL)), of(select(Outcome::ALL))),
            )
                .prop_map(
                    |((subkind, date, start, end), (killed, injured, method), (target, outcome))| {
                        Details::Event(EventDetails {
                            subkind,
                            date,
                            start,
                            end,
                            killed,
                            injured,
                            method,
                            target,
                            outcome,
                        })
                    }
                ),
        ]
    }

    fn entity(origin: Origin) -> impl Strategy<Value = Entity> {
        (id(), text(), vec(text(), 0..3), of(text()), vec(id(), 0..3), details(), provenance()).prop_map(
            move |(id, name, aliases, summary, sources, details, provenance)| Entity {
                id,
                name,
                aliases,
                summary,
                sources,
                details,
                origin,
                provenance,
            },
        )
    }

    fn link(origin: Origin) -> impl Strategy<Value = Link> {
        (
            (id(), select(Relation::ALL), id(), of(any_date()), of(any_date()), of(any_date())),
            (of(text()), of(text()), select(Certainty::ALL.to_vec()), vec(id(), 0..3), provenance()),
        )
            .prop_map(
                move |((from, rel, to, date, since, until), (role, note, certainty, sources, provenance))| {
                    Link {
                        from,
                        rel,
                        to,
                        date,
                        since,
                        until,
                        role,
                        note,
                        certainty,
                        sources,
                        origin,
                        provenance,
                    }
                },
            )
    }

    fn source() -> impl Strategy<Value = Source> {
        (
            (id(), text(), of(text()), of(text()), of(any_date())),
            (
                of(text()),
                select(vec![Reliability::A, Reliability::C, Reliability::F]),
                of(text()),
                of(text()),
            ),
        )
            .prop_map(|((id, title, publisher, author, date), (url, reliability, file, note))| {
                Source { id, title, publisher, author, date, url, reliability, file, note }
            })
    }

    fn view() -> impl Strategy<Value = View> {
        (
            ("[a-z0-9]{1,8}", text(), vec(id(), 0..3), any::<u32>()),
            (
                vec(select(Relation::ALL), 0..3),
                vec(select(Kind::ALL.to_vec()), 0..3),
                of(any_date()),
                of(any_date()),
            ),
            (
                of(select(Certainty::ALL.to_vec())),
                of(select(vec![Cluster::Country, Cluster::Group])),
                of(select(vec![Layout::LeftToRight, Layout::TopToBottom])),
            ),
        )
            .prop_map(
                |(
                    (name, title, seeds, depth),
                    (relations, kinds, since, until),
                    (min_certainty, cluster, layout),
                )| {
                    View {
                        name,
                        title,
                        seeds,
                        depth,
                        relations,
                        kinds,
                        since,
                        until,
                        min_certainty,
                        cluster,
                        layout,
                    }
                },
            )
    }

    fn chain() -> impl Strategy<Value = DeclaredChain> {
        let step =
            (id(), select(Relation::ALL), id()).prop_map(|(from, rel, to)| ChainStep { from, rel, to });
        let verdict = select(vec![Verdict::Supported, Verdict::Unsupported, Verdict::Contradicted]);
        (text(), text(), vec(step, 0..3), verdict).prop_map(|(name, claim, steps, expect)| DeclaredChain {
            name,
            claim,
            steps,
            expect,
        })
    }

    /// A dataset in the order the loader yields it: curated facts first, views by name.
    fn dataset() -> impl Strategy<Value = Dataset> {
        (
            vec(source(), 0..4),
            (vec(entity(Origin::Curated), 0..4), vec(entity(Origin::Extracted), 0..3)),
            (vec(link(Origin::Curated), 0..4), vec(link(Origin::Extracted), 0..3)),
            proptest::collection::btree_map("[a-z0-9]{1,8}", view(), 0..3),
            vec(chain(), 0..3),
        )
            .prop_map(
                |(sources, (mut entities, extracted), (mut links, extracted_links), views, chains)| {
                    entities.extend(extracted);
                    links.extend(extracted_links);
                    let views = views.into_iter().map(|(name, v)| View { name, ..v }).collect();
                    Dataset { sources, entities, links, views, chains }
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn a_dataset_written_and_loaded_again_is_the_same(d in dataset()) {
            let files = files(&d);
            let texts: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
            let loaded = crate::load::load_memory(&texts);
            let problems: Vec<String> = loaded.problems.iter().map(|p| p.message.clone()).collect();
            prop_assert!(problems.is_empty(), "{problems:?} in {files:#?}");
            prop_assert_eq!(&loaded.dataset, &d);
        }
    }

    #[test]
    fn writes_a_folder_once() {
        let dir = tempfile::tempdir().unwrap();
        let loaded = crate::load::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data"));
        let copy = dir.path().join("copy");
        write_folder(&loaded.dataset, &copy).unwrap();
        assert_eq!(crate::load::load(&copy).dataset, loaded.dataset, "the repository's dataset, copied");
        let again = write_folder(&loaded.dataset, &copy).unwrap_err();
        assert_eq!(again.kind(), std::io::ErrorKind::AlreadyExists);
    }
}

//! `threatgraph check`: load and validate the data folder, print a summary and every problem.

use indexmap::IndexMap;
use serde::Serialize;

use super::{CliError, Format, Global, Outcome, load_checked, output, print_json, print_problems};
use crate::load::{Loaded, Severity};
use crate::model::{Certainty, Kind, Relation};

#[derive(Debug, clap::Args)]
pub struct Args {}

#[derive(Debug, Serialize)]
struct Summary {
    valid: bool,
    errors: usize,
    warnings: usize,
    sources: usize,
    entities: Counts<Kind>,
    links: LinkCounts,
    views: usize,
    chains: usize,
    problems: Vec<ProblemJson>,
}

#[derive(Debug, Serialize)]
struct Counts<K: std::hash::Hash + Eq + Serialize> {
    total: usize,
    by_kind: IndexMap<K, usize>,
}

#[derive(Debug, Serialize)]
struct LinkCounts {
    total: usize,
    by_relation: IndexMap<Relation, usize>,
    by_certainty: IndexMap<Certainty, usize>,
}

#[derive(Debug, Serialize)]
struct ProblemJson {
    severity: &'static str,
    code: &'static str,
    message: String,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    help: Option<String>,
}

pub fn run(g: &Global, _args: Args) -> Result<Outcome, CliError> {
    super::refuse_as_of(g, "check")?;
    let loaded = load_checked(g);
    let summary = summarize(&loaded);
    match g.format {
        Format::Json => print_json(&summary)?,
        Format::Text => {
            print_problems(&loaded, &loaded.problems);
            output::write(&text(&summary, &g.data.display().to_string()))?;
        }
    }
    if summary.valid {
        Ok(Outcome::Yes)
    } else {
        Err(CliError::InvalidData { errors: summary.errors, folder: g.data.display().to_string() })
    }
}

fn summarize(loaded: &Loaded) -> Summary {
    let d = &loaded.dataset;
    let mut by_kind: IndexMap<Kind, usize> = Kind::ALL.into_iter().map(|k| (k, 0)).collect();
    for e in &d.entities {
        *by_kind.entry(e.kind()).or_default() += 1;
    }
    let mut by_relation: IndexMap<Relation, usize> = IndexMap::new();
    let mut by_certainty: IndexMap<Certainty, usize> = Certainty::ALL.into_iter().map(|c| (c, 0)).collect();
    for l in &d.links {
        *by_relation.entry(l.rel).or_default() += 1;
        *by_certainty.entry(l.certainty).or_default() += 1;
    }
    by_relation.sort_by(|ra, ca, rb, cb| cb.cmp(ca).then(ra.cmp(rb)));
    let errors = loaded.problems.iter().filter(|p| p.is_error()).count();
    Summary {
        valid: errors == 0,
        errors,
        warnings: loaded.problems.len() - errors,
        sources: d.sources.len(),
        entities: Counts { total: d.entities.len(), by_kind },
        links: LinkCounts { total: d.links.len(), by_relation, by_certainty },
        views: d.views.len(),
        chains: d.chains.len(),
        problems: loaded
            .problems
            .iter()
            .map(|p| {
                let at = p.at.as_ref().map(|l| {
                    let file = loaded.files.get(l.file);
                    (file.name.clone(), file.line_col(l.span.start))
                });
                ProblemJson {
                    severity: if p.severity == Severity::Error { "error" } else { "warning" },
                    code: p.code,
                    message: p.message.clone(),
                    file: at.as_ref().map(|a| a.0.clone()),
                    line: at.as_ref().map(|a| a.1.0),
                    column: at.as_ref().map(|a| a.1.1),
                    help: p.help.clone(),
                }
            })
            .collect(),
    }
}

fn text(s: &Summary, folder: &str) -> String {
    let join = |items: Vec<String>| items.join(", ");
    let kinds = join(s.entities.by_kind.iter().map(|(k, n)| format!("{n} {k}")).collect());
    let rels = join(s.links.by_relation.iter().map(|(r, n)| format!("{r} {n}")).collect());
    let certs = join(s.links.by_certainty.iter().map(|(c, n)| format!("{c} {n}")).collect());
    let verdict = if s.valid {
        format!("ok: `{folder}` is valid ({} warning(s))", s.warnings)
    } else {
        format!("invalid: `{folder}` has {} error(s) and {} warning(s)", s.errors, s.warnings)
    };
    format!(
        "sources:   {}\nentities:  {} ({kinds})\nlinks:     {}\n  by relation:  {rels}\n  by certainty: {certs}\nviews:     {}\nchains:    {}\n{verdict}\n",
        s.sources, s.entities.total, s.links.total, s.views, s.chains
    )
}

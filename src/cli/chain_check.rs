//! `threatgraph chain check FILE|DIR`: a verdict for each declared chain, compared with the
//! verdict the chain expects.

use std::path::PathBuf;

use super::{CliError, Format, Global, Outcome, filter, graph_of, load_checked_with, output, print_json};
use crate::load;
use crate::query::verdicts::{ChainVerdict, StepStatus, check, verdict_name};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A chains file, or a folder of them (e.g. data/chains).
    pub path: PathBuf,
}

pub fn run(g: &Global, args: Args) -> Result<Outcome, CliError> {
    // A mistyped path is a usage error, not an error in the data folder.
    if !args.path.exists() {
        return Err(CliError::Usage {
            message: format!("`{}` not found", args.path.display()),
            help: "give a chains file or a folder of them, e.g. `threatgraph chain check data/chains`".into(),
        });
    }
    let mut files = Vec::new();
    let loaded = load_checked_with(g, |loaded| files = load::add_chains(loaded, &args.path));
    let selected: Vec<usize> =
        (0..loaded.map.chains.len()).filter(|&i| files.contains(&loaded.map.chains[i].file)).collect();
    let graph = graph_of(g, loaded)?;
    if selected.is_empty() {
        return Err(CliError::Usage {
            message: format!("no declared chains in `{}`", args.path.display()),
            help: "a chains file holds a list of `(name: ..., claim: ..., steps: [...], expect: Supported)`"
                .into(),
        });
    }
    // As of a date, a chain may name an entity no source had named yet: it cannot be checked.
    let unknown = |i: usize| {
        graph.chains()[i]
            .steps
            .iter()
            .flat_map(|s| [&s.from, &s.to])
            .find(|id| graph.index_of(id.as_str()).is_none())
            .map(|id| (graph.chains()[i].name.clone(), id.to_string()))
    };
    let unchecked: Vec<(String, String)> = selected.iter().filter_map(|&i| unknown(i)).collect();
    let filter = filter(g, &[]);
    let verdicts: Vec<ChainVerdict> = selected
        .iter()
        .filter(|&&i| unknown(i).is_none())
        .map(|&i| check(&graph, &graph.chains()[i], &filter))
        .collect();
    let date = g.as_of.map(|d| d.to_string()).unwrap_or_default();
    let lines: Vec<String> = unchecked
        .iter()
        .map(|(name, id)| {
            format!(
                "not checked {name}: it names `{id}`, which no source published by the end of {date} names"
            )
        })
        .collect();
    match g.format {
        Format::Json => {
            print_json(&verdicts)?;
            for line in &lines {
                eprintln!("note: {line}");
            }
        }
        Format::Text => {
            let mut out = text(&verdicts);
            for line in &lines {
                out.push_str(&format!("{line}\n"));
            }
            output::write(&out)?
        }
    }
    Ok(if unchecked.is_empty() && verdicts.iter().all(|v| v.matches) { Outcome::Yes } else { Outcome::No })
}

fn text(verdicts: &[ChainVerdict]) -> String {
    let mut out = String::new();
    for v in verdicts {
        let verdict = verdict_name(v.verdict);
        if v.matches {
            out.push_str(&format!("ok        {}: {verdict}\n", v.name));
        } else {
            out.push_str(&format!(
                "MISMATCH  {}: {verdict}, expected {}: {}\n",
                v.name,
                verdict_name(v.expected),
                v.reason
            ));
        }
        // Steps are shown for every chain that is not plainly supported, so that the reason
        // for an expected `unsupported` or `contradicted` can be read too.
        if v.verdict == crate::model::Verdict::Supported && v.matches {
            continue;
        }
        for (i, s) in v.steps.iter().enumerate() {
            let mark = match s.status {
                StepStatus::Supported => "ok",
                StepStatus::Missing => "missing",
                StepStatus::Refuted => "REFUTED",
                StepStatus::Backwards => "BACKWARDS",
            };
            out.push_str(&format!(
                "    {}. {} {} {}: {mark}, {}\n",
                i + 1,
                s.from.name,
                output::arrow(s.rel, crate::graph::Direction::Out),
                s.to.name,
                s.reason
            ));
            for alt in &s.alternative {
                out.push_str(&format!("         {}\n", output::step(alt)));
            }
        }
    }
    let matched = verdicts.iter().filter(|v| v.matches).count();
    out.push_str(&format!("{matched} of {} chains get the verdict they expect\n", verdicts.len()));
    out
}

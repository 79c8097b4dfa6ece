//! `threatgraph dedupe`: likely duplicate entities across the whole graph, curated and
//! extracted, each pair with a score and its reasons (`--eval N` measures precision and recall
//! on N synthetic records with injected duplicates instead).

use super::{CliError, Format, Global, Outcome, load_graph, output, print_json};
use crate::extract::dedupe::{self, Record};
use crate::model::Details;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The score from which a pair is listed (0 to 1).
    #[arg(long, default_value_t = dedupe::THRESHOLD)]
    pub threshold: f64,
    /// Measure precision and recall on this many synthetic records with injected duplicates
    /// (spelling, transliteration, word order, abbreviation) instead of reading the graph.
    #[arg(long, value_name = "N")]
    pub eval: Option<usize>,
}

#[derive(serde::Serialize)]
struct PairJson<'a> {
    a: &'a str,
    b: &'a str,
    a_name: &'a str,
    b_name: &'a str,
    score: f64,
    reasons: &'a [String],
}

pub fn run(g: &Global, args: Args) -> Result<Outcome, CliError> {
    if !(0.0..=1.0).contains(&args.threshold) {
        return Err(CliError::Usage {
            message: format!("--threshold {} is not between 0 and 1", args.threshold),
            help: format!("the default is {}", dedupe::THRESHOLD),
        });
    }
    if let Some(n) = args.eval {
        let report = dedupe::evaluate(n, args.threshold);
        match g.format {
            Format::Json => print_json(&report)?,
            Format::Text => output::write(
                &(format!(
                    "{} records, {} injected duplicates; {} pairs found at threshold {}, {} of them injected: \
                 precision {:.3}, recall {:.3}\n",
                    report.records,
                    report.injected,
                    report.found,
                    report.threshold,
                    report.correct,
                    report.precision,
                    report.recall
                ) + &format!(
                    "recall by sort: {}\n",
                    report
                        .by_variant
                        .iter()
                        .map(|v| format!("{} {}/{}", v.variant, v.found, v.injected))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            )?,
        }
        return Ok(Outcome::Yes);
    }
    let graph = load_graph(g)?;
    let records: Vec<Record> = graph
        .entities()
        .iter()
        .enumerate()
        .map(|(i, e)| Record {
            kind: e.kind(),
            names: e.names().map(str::to_owned).collect(),
            date: match &e.details {
                Details::Person(p) => p.born.as_ref().map(ToString::to_string),
                Details::Event(ev) => ev.date.as_ref().map(ToString::to_string),
                _ => None,
            },
            neighbours: graph.incident(i).iter().map(|inc| inc.other() as u32).collect(),
        })
        .collect();
    let found = dedupe::pairs(&records, args.threshold);
    let entities = graph.entities();
    match g.format {
        Format::Json => {
            let list: Vec<PairJson> = found
                .iter()
                .map(|p| PairJson {
                    a: entities[p.a].id.as_str(),
                    b: entities[p.b].id.as_str(),
                    a_name: &entities[p.a].name,
                    b_name: &entities[p.b].name,
                    score: p.score,
                    reasons: &p.reasons,
                })
                .collect();
            print_json(&list)?;
        }
        Format::Text => {
            let mut out = String::new();
            for p in &found {
                out.push_str(&format!(
                    "{:.2}  {} ({})  {} ({})\n      {}\n",
                    p.score,
                    entities[p.a].name,
                    entities[p.a].id,
                    entities[p.b].name,
                    entities[p.b].id,
                    p.reasons.join("; ")
                ));
            }
            out.push_str(&format!(
                "{} likely duplicate pair(s) at score {} or more\n",
                found.len(),
                args.threshold
            ));
            output::write(&out)?;
        }
    }
    Ok(if found.is_empty() { Outcome::No } else { Outcome::Yes })
}

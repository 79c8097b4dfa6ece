//! `threatgraph changes --since A [--until B]`: what the sources published between two dates
//! added to the graph: new entities, new links, links whose certainty or grade changed, and
//! links cited again, each with the sources that brought it.

use super::{CliError, Format, Global, Outcome, filter, load_graph, output, parse_date, print_json};
use crate::model::PartialDate;
use crate::query::changes::{Changes, LinkChange, changes};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The first date of the window: sources whose date ends on or after its first day.
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub since: PartialDate,
    /// The last date of the window (default: no end, or --as-of): sources whose whole date is
    /// on or before its last day.
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub until: Option<PartialDate>,
}

pub fn run(g: &Global, args: Args) -> Result<Outcome, CliError> {
    if args.until.is_some() && g.as_of.is_some() {
        return Err(CliError::Usage {
            message: "`changes` takes --until or --as-of, not both".into(),
            help: "give the end of the window once: `changes --since A --until B`".into(),
        });
    }
    let until = args.until.or(g.as_of);
    if let Some(until) = &until
        && until.definitely_before(&args.since)
    {
        return Err(CliError::Usage {
            message: format!("--until {until} is before --since {}", args.since),
            help: "give the earlier date to --since".into(),
        });
    }
    // Both states come from the data as it is now; the window says what counts.
    let now = Global { as_of: None, ..g.clone() };
    let graph = load_graph(&now)?;
    let found = changes(&graph, &args.since, until.as_ref(), &filter(g, &[]));
    match g.format {
        Format::Json => print_json(&found)?,
        Format::Text => output::write(&text(&found))?,
    }
    Ok(Outcome::Yes)
}

fn text(c: &Changes) -> String {
    let window = match &c.until {
        Some(until) => format!("from {} to {until}", c.since),
        None => format!("since {}", c.since),
    };
    let mut out = String::new();
    if c.sources.is_empty() {
        out.push_str(&format!("no source was published {window}\n"));
    } else {
        out.push_str(&format!("{} source(s) published {window}:\n", c.sources.len()));
        for s in &c.sources {
            out.push_str(&format!(
                "  {:<11} {}  {}  {} ({} facts)\n",
                s.date.to_string(),
                s.reliability,
                s.id,
                s.title,
                s.facts
            ));
        }
    }
    let links = |out: &mut String, title: &str, list: &[LinkChange]| {
        if list.is_empty() {
            return;
        }
        out.push_str(&format!("\n{title} ({}):\n", list.len()));
        for l in list {
            let arrow = output::arrow(l.rel, crate::graph::Direction::Out);
            let grades = if l.before.is_empty() {
                l.after.join(", ")
            } else {
                format!("{} → {}", l.before.join(", "), l.after.join(", "))
            };
            let refuted =
                if l.after.iter().any(|g| g.ends_with("/Refuted")) { " (NOT a connection)" } else { "" };
            let date = l.date.map(|d| format!("{d} · ")).unwrap_or_default();
            out.push_str(&format!(
                "  {} {arrow} {}   {date}{grades}{refuted} · [{}]\n",
                l.from.name,
                l.to.name,
                l.sources.join(", ")
            ));
        }
    };
    links(&mut out, "Links whose certainty or grade changed", &c.changed_links);
    links(&mut out, "New links", &c.new_links);
    links(&mut out, "Links cited again at the same grade", &c.corroborated_links);
    if !c.new_entities.is_empty() {
        out.push_str(&format!("\nNew entities ({}):\n", c.new_entities.len()));
        for e in &c.new_entities {
            out.push_str(&format!("  {}  [{}]\n", output::entity(&e.entity), e.sources.join(", ")));
        }
    }
    if !c.undated_sources.is_empty() {
        out.push_str(&format!(
            "\nnote: undated sources never count, so what they alone say is not listed: {}\n",
            c.undated_sources.join(", ")
        ));
    }
    out
}

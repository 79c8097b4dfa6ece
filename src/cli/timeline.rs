//! `threatgraph timeline`: dated events, oldest first.

use super::{CliError, Format, Global, Outcome, filter, load_graph, output, parse_date, print_json};
use crate::model::{EventType, PartialDate};
use crate::query::timeline::{Window, timeline};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only events that may fall on or after this date (e.g. 2016, 2017-05).
    #[arg(long, value_parser = parse_date)]
    pub since: Option<PartialDate>,
    /// Only events that may fall on or before this date.
    #[arg(long, value_parser = parse_date)]
    pub until: Option<PartialDate>,
    /// Only events within --depth links of this entity (id, name or alias).
    #[arg(long)]
    pub around: Option<String>,
    /// With --around: how many links away to look.
    #[arg(long, default_value_t = 2)]
    pub depth: u32,
    /// Only events of these sub-kinds (Attack, Plot, Arrest, Conviction, Meeting, Training,
    /// Release, Publication, Operation; repeat or separate with commas).
    #[arg(long = "subkind", value_delimiter = ',', value_parser = parse_event_type)]
    pub subkinds: Vec<EventType>,
}

fn parse_event_type(s: &str) -> Result<EventType, String> {
    EventType::ALL.iter().copied().find(|t| t.name().eq_ignore_ascii_case(s)).ok_or_else(|| {
        let names: Vec<&str> = EventType::ALL.iter().map(|t| t.name()).collect();
        format!("expected one of {}", names.join(", "))
    })
}

pub fn run(g: &Global, args: Args) -> Result<Outcome, CliError> {
    let graph = load_graph(g)?;
    let around = match &args.around {
        Some(name) => Some((graph.resolve(name)?, args.depth)),
        None => None,
    };
    let entries = timeline(
        &graph,
        &Window { since: args.since, until: args.until, around, subkinds: args.subkinds },
        &filter(g, &[]),
    );
    match g.format {
        Format::Json => print_json(&entries)?,
        Format::Text => {
            let mut out = String::new();
            for e in &entries {
                let mut toll = Vec::new();
                toll.extend(e.killed.map(|n| format!("{n} killed")));
                toll.extend(e.injured.map(|n| format!("{n} injured")));
                let toll = if toll.is_empty() { String::new() } else { format!("  ({})", toll.join(", ")) };
                out.push_str(&format!("{:<12} {}{toll}\n", e.date.to_string(), output::entity(&e.entity)));
            }
            if entries.is_empty() {
                out.push_str("no dated events\n");
            }
            output::write(&out)?;
        }
    }
    Ok(Outcome::Yes)
}

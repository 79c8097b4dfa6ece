//! `threatgraph common A B`: what two entities share.

use super::{CliError, Format, Global, Outcome, filter, load_graph, output, print_json};
use crate::query::common::common;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The first entity: an id, name or alias.
    pub a: String,
    /// The second entity.
    pub b: String,
}

pub fn run(g: &Global, args: Args) -> Result<Outcome, CliError> {
    let graph = load_graph(g)?;
    let (a, b) = (graph.resolve(&args.a)?, graph.resolve(&args.b)?);
    if a == b {
        return Err(CliError::Usage {
            message: format!("\"{}\" and \"{}\" are the same entity", args.a, args.b),
            help: "give two different entities".into(),
        });
    }
    let found = common(&graph, a, b, &filter(g, &[]));
    match g.format {
        Format::Json => print_json(&found)?,
        Format::Text => {
            let mut out = String::new();
            for s in &found.direct {
                out.push_str(&format!("directly: {}\n", output::step(s)));
            }
            if found.shared.is_empty() {
                out.push_str(&format!("{} and {} share no neighbour\n", found.a.name, found.b.name));
            }
            for s in &found.shared {
                out.push_str(&format!("{}\n", output::entity(&s.entity)));
                for step in s.via_a.iter().chain(&s.via_b) {
                    out.push_str(&format!("  {}\n", output::step(step)));
                }
            }
            output::write(&out)?;
        }
    }
    Ok(if found.shared.is_empty() && found.direct.is_empty() { Outcome::No } else { Outcome::Yes })
}

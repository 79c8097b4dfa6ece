//! `threatgraph neighbours ENTITY`: what lies within a few links of an entity.

use super::{
    CliError, Format, Global, Outcome, filter, load_graph, output, parse_kind, parse_relation, print_json,
};
use crate::model::{Kind, Relation};
use crate::query::neighbours::neighbours;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The entity: its id, name or any alias.
    pub entity: String,
    /// How many links away to look.
    #[arg(long, default_value_t = 1)]
    pub depth: u32,
    /// Follow only these relations (repeat or separate with commas).
    #[arg(long = "rel", value_delimiter = ',', value_parser = parse_relation)]
    pub relations: Vec<Relation>,
    /// Enter and show only entities of these kinds (Person, Group, Place, Event).
    #[arg(long = "kind", value_delimiter = ',', value_parser = parse_kind)]
    pub kinds: Vec<Kind>,
}

pub fn run(g: &Global, args: Args) -> Result<Outcome, CliError> {
    let graph = load_graph(g)?;
    let center = graph.resolve(&args.entity)?;
    let hood = neighbours(&graph, center, args.depth, &args.kinds, &filter(g, &args.relations));
    match g.format {
        Format::Json => print_json(&hood)?,
        Format::Text => {
            let mut out = format!(
                "{} and {} entities within {} link(s)\n",
                output::entity(&hood.center),
                hood.nodes.len() - 1,
                args.depth
            );
            let mut distance = 0;
            for n in hood.nodes.iter().skip(1) {
                if n.distance != distance {
                    distance = n.distance;
                    out.push_str(&format!("\ndistance {distance}\n"));
                }
                out.push_str(&format!("  {}\n", output::entity(&n.entity)));
            }
            out.push_str(&format!("\nlinks ({})\n", hood.links.len()));
            for s in &hood.links {
                out.push_str(&format!("  {}\n", output::step(s)));
            }
            output::write(&out)?;
        }
    }
    Ok(Outcome::Yes)
}

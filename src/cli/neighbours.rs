//! `threatgraph neighbours ENTITY`: what lies within a few links of an entity; `--kind` and
//! `--rel` choose what is listed, `--through-kind` and `--through-rel` what is passed through.

use super::{
    CliError, Format, Global, Outcome, filter, load_graph, output, parse_kind, parse_relation, print_json,
};
use crate::model::{Kind, Relation};
use crate::query::neighbours::{Listed, neighbours};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The entity: its id, name or any alias.
    pub entity: String,
    /// How many links away to look.
    #[arg(long, default_value_t = 1)]
    pub depth: u32,
    /// List only entities of these kinds (Person, Group, Place, Event), however they were
    /// reached: `--kind Person --depth 2` lists the people two links away through anything.
    #[arg(long = "kind", value_delimiter = ',', value_parser = parse_kind)]
    pub kinds: Vec<Kind>,
    /// List only entities reached by a link of these relations (the last link, from an
    /// entity one nearer); what is followed is `--through-rel`'s business.
    #[arg(long = "rel", value_delimiter = ',', value_parser = parse_relation)]
    pub relations: Vec<Relation>,
    /// Pass only through entities of these kinds: others are listed when reached but not
    /// gone beyond.
    #[arg(long = "through-kind", value_delimiter = ',', value_parser = parse_kind)]
    pub through_kinds: Vec<Kind>,
    /// Follow only links of these relations (repeat or separate with commas).
    #[arg(long = "through-rel", value_delimiter = ',', value_parser = parse_relation)]
    pub through_relations: Vec<Relation>,
}

pub fn run(g: &Global, args: Args) -> Result<Outcome, CliError> {
    let graph = load_graph(g)?;
    let center = graph.resolve(&args.entity)?;
    let listed = Listed { kinds: &args.kinds, rels: &args.relations };
    let hood = neighbours(
        &graph,
        center,
        args.depth,
        &args.through_kinds,
        listed,
        &filter(g, &args.through_relations),
    );
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

//! `threatgraph clusters`: connected components and Louvain communities.

use super::{CliError, Format, Global, Outcome, filter, load_graph, output, parse_relation, print_json};
use crate::model::Relation;
use crate::query::EntityRef;
use crate::query::clusters::clusters;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Count only connections made by these relations.
    #[arg(long = "rel", value_delimiter = ',', value_parser = parse_relation)]
    pub relations: Vec<Relation>,
}

pub fn run(g: &Global, args: Args) -> Result<Outcome, CliError> {
    let graph = load_graph(g)?;
    let found = clusters(&graph, &filter(g, &args.relations));
    match g.format {
        Format::Json => print_json(&found)?,
        Format::Text => {
            let names = |es: &[EntityRef]| es.iter().map(|e| e.name.as_str()).collect::<Vec<_>>().join(", ");
            let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
            let mut out = format!(
                "{}, {}: {}, {}\n",
                plural(found.nodes, "entity", "entities"),
                plural(found.connections, "connection", "connections"),
                plural(found.components.len(), "connected component", "connected components"),
                plural(found.isolated, "isolated entity", "isolated entities"),
            );
            for (n, c) in found.components.iter().enumerate() {
                out.push_str(&format!(
                    "  component {}: {} entities, around {}\n",
                    n + 1,
                    c.size,
                    names(&c.central)
                ));
            }
            out.push_str(&format!(
                "{} (Louvain), modularity {:.4}\n",
                plural(found.communities.len(), "community", "communities"),
                found.modularity
            ));
            for (n, c) in found.communities.iter().enumerate() {
                out.push_str(&format!("  community {}: {} entities: {}\n", n + 1, c.size, c.name));
            }
            output::write(&out)?;
        }
    }
    Ok(Outcome::Yes)
}

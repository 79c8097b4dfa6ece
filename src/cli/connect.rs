//! `threatgraph connect A B C ...`: the smallest network joining several entities.

use super::{
    CliError, Format, Global, Outcome, filter, load_graph, output, parse_kind, parse_relation, print_json,
};
use crate::model::{Kind, Relation};
use crate::query::connect::connect;
use crate::query::paths::PathQuery;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The entities to join (ids, names or aliases), at least two.
    #[arg(required = true, num_args = 2..)]
    pub entities: Vec<String>,
    /// The longest path between two of them, in links.
    #[arg(long, default_value_t = 6)]
    pub max_len: usize,
    /// Follow only these relations (repeat or separate with commas).
    #[arg(long = "rel", value_delimiter = ',', value_parser = parse_relation)]
    pub relations: Vec<Relation>,
    /// Pass only through entities of these kinds.
    #[arg(long, value_delimiter = ',', value_parser = parse_kind)]
    pub via: Vec<Kind>,
}

pub fn run(g: &Global, args: Args) -> Result<Outcome, CliError> {
    let graph = load_graph(g)?;
    let mut given = Vec::new();
    for name in &args.entities {
        let i = graph.resolve(name)?;
        if given.contains(&i) {
            return Err(CliError::Usage {
                message: format!("\"{name}\" names an entity already given ({})", graph.entity(i).id),
                help: "give each entity once".into(),
            });
        }
        given.push(i);
    }
    let q = PathQuery {
        filter: filter(g, &args.relations),
        max_len: args.max_len,
        all: false,
        limit: 1,
        via: args.via,
        time: None,
        budget: None,
    };
    let found = connect(&graph, &given, &q);
    match g.format {
        Format::Json => print_json(&found)?,
        Format::Text => {
            let mut out = String::new();
            for p in &found.paths {
                let (a, b) = (&p.steps[0].from, &p.steps[p.steps.len() - 1].to);
                let links = if p.steps.len() == 1 { "link" } else { "links" };
                out.push_str(&format!(
                    "{} to {} ({} {links}, score {:.2})\n",
                    a.name,
                    b.name,
                    p.steps.len(),
                    p.score
                ));
                for s in &p.steps {
                    out.push_str(&format!("  {}\n", output::step(s)));
                }
            }
            for [a, b] in &found.unconnected {
                out.push_str(&format!(
                    "no path from {} to {} within {} links\n",
                    a.name, b.name, args.max_len
                ));
            }
            if found.intermediaries.is_empty() {
                if found.unconnected.is_empty() {
                    out.push_str("no intermediaries: the entities are linked directly\n");
                }
            } else {
                out.push_str("intermediaries, by how many of the given entities they join:\n");
            }
            for m in &found.intermediaries {
                out.push_str(&format!(
                    "  {} joins {}: {}\n",
                    output::entity(&m.entity),
                    m.joins,
                    m.joined.join(", ")
                ));
            }
            output::write(&out)?;
        }
    }
    Ok(if found.unconnected.is_empty() { Outcome::Yes } else { Outcome::No })
}

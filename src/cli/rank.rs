//! `threatgraph rank --by MEASURE`: key actors by centrality.

use super::{
    CliError, Format, Global, Outcome, filter, load_graph, output, parse_kind, parse_relation, print_json,
};
use crate::model::{Kind, Relation};
use crate::query::rank::{Measure, rank};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The measure: degree, betweenness (brokers), closeness or pagerank.
    #[arg(long, value_enum, default_value_t = Measure::Degree)]
    pub by: Measure,
    /// List only entities of these kinds (scores are computed on the whole network).
    #[arg(long, value_delimiter = ',', value_parser = parse_kind)]
    pub kind: Vec<Kind>,
    /// How many to list.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Count only connections made by these relations.
    #[arg(long = "rel", value_delimiter = ',', value_parser = parse_relation)]
    pub relations: Vec<Relation>,
}

pub fn run(g: &Global, args: Args) -> Result<Outcome, CliError> {
    let graph = load_graph(g)?;
    let ranked = rank(&graph, &filter(g, &args.relations), args.by, &args.kind, args.top);
    match g.format {
        Format::Json => print_json(&ranked)?,
        Format::Text => {
            let mut out = String::new();
            for (n, r) in ranked.iter().enumerate() {
                out.push_str(&format!("{:>3}. {:.4}  {}\n", n + 1, r.score, output::entity(&r.entity)));
            }
            if ranked.is_empty() {
                out.push_str("no entity to rank\n");
            }
            output::write(&out)?;
        }
    }
    Ok(Outcome::Yes)
}

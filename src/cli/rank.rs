//! `threatgraph rank --by MEASURE`: key actors by centrality.

use super::{
    CliError, Format, Global, Outcome, filter, load_graph, output, parse_kind, parse_relation, print_json,
};
use crate::model::{Kind, Relation};
use crate::query::rank::{Measure, Sampling, rank};

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
    /// Betweenness from this many sampled pivots (default: exact up to 20,000 entities, 1,000
    /// pivots above).
    #[arg(long, value_name = "K", conflicts_with = "exact")]
    pub sample: Option<usize>,
    /// Exact betweenness however large the network.
    #[arg(long)]
    pub exact: bool,
}

pub fn run(g: &Global, args: Args) -> Result<Outcome, CliError> {
    let graph = load_graph(g)?;
    let sampling = match (args.sample, args.exact) {
        (Some(k), _) => Sampling::Pivots(k),
        (None, true) => Sampling::Exact,
        (None, false) => Sampling::Auto,
    };
    let ranked = rank(&graph, &filter(g, &args.relations), args.by, &args.kind, args.top, sampling);
    let n = graph.entity_count();
    if args.by == Measure::Betweenness
        && let Some(k) = sampling.pivots(n)
    {
        // On stderr, so that the JSON stays as documented.
        eprintln!(
            "betweenness estimated from {k} sampled pivots of {n} entities (--exact for exact figures)"
        );
    }
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

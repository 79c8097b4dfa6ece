//! `threatgraph search QUERY`: entities by id, name or alias, best match first.

use super::{CliError, Format, Global, Outcome, load_graph, output, print_json};
use crate::query::search::search;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Words to look for in ids, names and aliases.
    #[arg(required = true, num_args = 1..)]
    pub query: Vec<String>,
    /// Most results.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
}

pub fn run(g: &Global, args: Args) -> Result<Outcome, CliError> {
    let graph = load_graph(g)?;
    let hits = search(&graph, &args.query.join(" "), args.limit);
    match g.format {
        Format::Json => print_json(&hits)?,
        Format::Text => {
            let mut out = String::new();
            for h in &hits {
                let matched = if h.name_matched == h.entity.name {
                    String::new()
                } else {
                    format!("  (matched \"{}\")", h.name_matched)
                };
                out.push_str(&format!(
                    "{:<5} {}{matched}\n",
                    format!("{:.2}", h.score),
                    output::entity(&h.entity)
                ));
            }
            if hits.is_empty() {
                out.push_str("no entity matches\n");
            }
            output::write(&out)?;
        }
    }
    Ok(if hits.is_empty() { Outcome::No } else { Outcome::Yes })
}

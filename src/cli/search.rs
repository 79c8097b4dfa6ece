//! `threatgraph search QUERY`: entities by id, name or alias, best match first; with `--text`,
//! by the words of summaries and link notes, with the passage that holds them.

use super::{CliError, Format, Global, Outcome, load_graph, output, print_json};
use crate::graph::KnowledgeGraph;
use crate::model::Origin;
use crate::query::search::{search, search_text};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Words to look for in ids, names and aliases (in any order; an alias the data records,
    /// such as ISIS, also reads as its entity's name).
    #[arg(required = true, num_args = 1..)]
    pub query: Vec<String>,
    /// Most results.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Look in the text of summaries and link notes instead of names: entities whose summary,
    /// or a note of one of their links, holds every word, with the passage. Reads every entity
    /// and link.
    #[arg(long)]
    pub text: bool,
}

pub fn run(g: &Global, args: Args) -> Result<Outcome, CliError> {
    let graph = load_graph(g)?;
    let query = args.query.join(" ");
    if args.text {
        let hits =
            curated(g, &graph, args.limit, |limit| search_text(&graph, &query, limit), |h| &h.entity.id);
        match g.format {
            Format::Json => print_json(&hits)?,
            Format::Text => {
                let mut out = String::new();
                for h in &hits {
                    let place = match (&h.rel, &h.other) {
                        (Some(rel), Some(other)) => format!("note on {rel} → {other}"),
                        _ => h.field.to_owned(),
                    };
                    out.push_str(&format!(
                        "{:<5} {}  [{place}]\n      {}\n",
                        format!("{:.2}", h.score),
                        output::entity(&h.entity),
                        h.snippet
                    ));
                }
                if hits.is_empty() {
                    out.push_str("no summary or note holds these words\n");
                }
                output::write(&out)?;
            }
        }
        return Ok(if hits.is_empty() { Outcome::No } else { Outcome::Yes });
    }
    let hits = curated(g, &graph, args.limit, |limit| search(&graph, &query, limit), |h| &h.entity.id);
    match g.format {
        Format::Json => print_json(&hits)?,
        Format::Text => {
            let mut out = String::new();
            for h in &hits {
                let mut notes = Vec::new();
                if h.name_matched != h.entity.name {
                    notes.push(format!("matched \"{}\"", h.name_matched));
                }
                if let Some(read_as) = &h.read_as {
                    notes.push(format!("read as \"{read_as}\""));
                }
                let notes =
                    if notes.is_empty() { String::new() } else { format!("  ({})", notes.join(", ")) };
                out.push_str(&format!(
                    "{:<5} {}{notes}\n",
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

/// The first `limit` hits of `find`, only of curated entities under `--curated-only`: asking
/// for more hits until enough are curated or the search has no more to give.
fn curated<H>(
    g: &Global,
    graph: &KnowledgeGraph,
    limit: usize,
    find: impl Fn(usize) -> Vec<H>,
    id: impl Fn(&H) -> &String,
) -> Vec<H> {
    if !g.curated_only {
        return find(limit);
    }
    let is_curated = |h: &H| graph.index_of(id(h)).is_some_and(|i| graph.entity(i).origin == Origin::Curated);
    let mut asked = limit;
    loop {
        let hits = find(asked);
        let found = hits.len();
        let mut kept: Vec<H> = hits.into_iter().filter(is_curated).collect();
        if kept.len() >= limit || found < asked {
            kept.truncate(limit);
            return kept;
        }
        asked = asked.saturating_mul(4);
    }
}

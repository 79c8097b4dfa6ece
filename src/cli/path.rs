//! `threatgraph path A B`: how two entities are connected: the most informative routes, or
//! with `--shortest` / `--all` the fewest-link ones.

use super::{
    CliError, Format, Global, Outcome, filter, load_graph, output, parse_kind, parse_relation, print_json,
};
use crate::model::{Kind, Relation};
use crate::query::paths::{PathQuery, Paths, TimeOrder, paths};
use crate::query::routes::{keep_within, routes};
use crate::query::time::MaxGap;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where the paths start: an id, name or alias.
    pub from: String,
    /// Where the paths end.
    pub to: String,
    /// The fewest-link paths (all of them up to --limit), rather than the most informative
    /// routes.
    #[arg(long, conflicts_with = "all")]
    pub shortest: bool,
    /// Every simple path up to --max-len links, fewest links first.
    #[arg(long)]
    pub all: bool,
    /// The longest path to consider, in links.
    #[arg(long, default_value_t = 6)]
    pub max_len: usize,
    /// Follow only these relations (repeat or separate with commas).
    #[arg(long = "rel", value_delimiter = ',', value_parser = parse_relation)]
    pub relations: Vec<Relation>,
    /// Never follow these relations, e.g. `--exclude-rel CitizenOf,LocatedIn`.
    #[arg(long = "exclude-rel", value_delimiter = ',', value_parser = parse_relation, value_name = "REL")]
    pub excluded: Vec<Relation>,
    /// Pass only through entities of these kinds, e.g. `--via Person,Group` to leave out
    /// connections through shared places and events.
    #[arg(long, value_delimiter = ',', value_parser = parse_kind)]
    pub via: Vec<Kind>,
    /// Most paths to print: 3 routes by default, 20 paths with --shortest, --all or
    /// --time-ordered.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Only paths whose dated steps never go back in time. An undated link to an event takes
    /// the event's date; undated steps never break the order.
    #[arg(long)]
    pub time_ordered: bool,
    /// With --time-ordered: the most time between consecutive dated steps, e.g. 2y, 6m, 10d.
    #[arg(long, value_name = "DURATION", requires = "time_ordered")]
    pub max_gap: Option<MaxGap>,
    /// Leave out routes whose score is more than this above the best route's (ranked routes
    /// only; 12 is about two more context links through a hub).
    #[arg(long, value_name = "SCORE", default_value_t = crate::query::routes::DEFAULT_WITHIN)]
    pub within: f64,
    /// Stop searching after this many seconds and say so (--all on hubs can explode).
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub timeout: f64,
}

pub fn run(g: &Global, args: Args) -> Result<Outcome, CliError> {
    let graph = load_graph(g)?;
    let a = graph.resolve(&args.from)?;
    let b = graph.resolve(&args.to)?;
    if a == b {
        return Err(CliError::Usage {
            message: format!("\"{}\" and \"{}\" are the same entity", args.from, args.to),
            help: "give two different entities".into(),
        });
    }
    // Ranked routes unless the fewest links are asked for; a time order needs the enumeration
    // (whose paths are then ranked among equal lengths).
    let ranked = !(args.shortest || args.all || args.time_ordered);
    let limit = args.limit.unwrap_or(if ranked { 3 } else { 20 });
    let mut link_filter = filter(g, &args.relations);
    link_filter.excluded = args.excluded;
    let q = PathQuery {
        filter: link_filter,
        max_len: args.max_len,
        all: args.all,
        limit,
        via: args.via,
        time: args.time_ordered.then(|| TimeOrder { max_gap: args.max_gap.clone() }),
        budget: Some(std::time::Duration::from_secs_f64(args.timeout.max(0.0))),
    };
    let found: Paths = if ranked {
        let mut found = routes(&graph, a, b, &q);
        keep_within(&mut found, args.within);
        found
    } else {
        paths(&graph, a, b, &q)
    };
    match g.format {
        Format::Json => print_json(&found)?,
        Format::Text => {
            let (ea, eb) = (graph.entity(a), graph.entity(b));
            let mut out = String::new();
            for s in &found.refuted {
                out.push_str(&format!("denied by the sources, not followed:\n  {}\n", output::step(s)));
            }
            if found.paths.is_empty() {
                let timed = if args.time_ordered { " that runs forward in time" } else { "" };
                out.push_str(&format!(
                    "no path{timed} from {} to {} within {} links (refuted links are never followed)\n",
                    ea.name, eb.name, args.max_len
                ));
            }
            for (n, p) in found.paths.iter().enumerate() {
                let links = if p.steps.len() == 1 { "link" } else { "links" };
                let parts = &p.score_parts;
                out.push_str(&format!(
                    "path {} ({} {links}, score {:.2}: relations {:.2}, certainty {:.2}, sources {:.2}, hubs {:.2})\n",
                    n + 1,
                    p.steps.len(),
                    p.score,
                    parts.relations,
                    parts.certainty,
                    parts.sources,
                    parts.hubs
                ));
                for s in &p.steps {
                    out.push_str(&format!("  {}\n", output::step(s)));
                }
            }
            if found.weaker > 0 {
                let routes = if found.weaker == 1 { "route" } else { "routes" };
                out.push_str(&format!(
                    "({} weaker {routes} left out, scoring more than {} above the best: raise --within to see them)\n",
                    found.weaker, args.within
                ));
            }
            match found.cut_by {
                Some("time") => out.push_str(&format!(
                    "(the search stopped after {}s: more paths may exist; raise --timeout, or narrow with --rel, --via or --max-len)\n",
                    args.timeout
                )),
                Some(_) => out.push_str(&format!("(more paths exist: raise --limit above {limit})\n")),
                None => {}
            }
            output::write(&out)?;
        }
    }
    Ok(if found.paths.is_empty() { Outcome::No } else { Outcome::Yes })
}

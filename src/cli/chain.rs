//! `threatgraph chain ACTOR`: path-to-attack chains from a person or group; and
//! `threatgraph chain check FILE|DIR`: verdicts for declared chains ([`super::chain_check`]).

use super::{CliError, Format, Global, Outcome, filter, load_graph, output, parse_relation, print_json};
use crate::model::Relation;
use crate::query::chains::{
    ChainQuery, Chains, DEFAULT_BUDGET, OPERATIONAL, RuledOut, chains, is_attack_or_plot,
};
use crate::query::time::{DatedBy, TimeBreak};

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct Args {
    #[command(subcommand)]
    pub check: Option<Sub>,
    /// The person or group the chains start from: an id, name or alias.
    #[arg(required = true)]
    pub actor: Option<String>,
    /// Only chains to this attack or plot.
    #[arg(long, value_name = "EVENT")]
    pub to: Option<String>,
    /// Follow only these operational relations (repeat or separate with commas).
    #[arg(long = "rel", value_delimiter = ',', value_parser = parse_relation)]
    pub relations: Vec<Relation>,
    /// The longest chain to consider, in links.
    #[arg(long, default_value_t = 4)]
    pub max_len: usize,
    /// Every chain found, not only the strongest one to each attack.
    #[arg(long)]
    pub all: bool,
    /// Most chains to print.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Stop searching after this many seconds and say so.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub timeout: f64,
    /// Stop after finding this many chains, before ranking them, and say so (at hubs with
    /// thousands of links the chains explode).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_BUDGET)]
    pub budget: usize,
}

#[derive(Debug, clap::Subcommand)]
pub enum Sub {
    /// Give each declared chain a verdict (supported, unsupported, contradicted); exit 1 when a
    /// verdict differs from the chain's `expect`.
    Check(super::chain_check::Args),
}

pub fn run(g: &Global, args: Args) -> Result<Outcome, CliError> {
    if let Some(Sub::Check(check)) = args.check {
        return super::chain_check::run(g, check);
    }
    let graph = load_graph(g)?;
    let actor = graph.resolve(args.actor.as_deref().unwrap_or_default())?;
    if let Some(bad) = args.relations.iter().find(|r| !OPERATIONAL.contains(r)) {
        let names: Vec<&str> = OPERATIONAL.iter().map(|r| r.name()).collect();
        return Err(CliError::Usage {
            message: format!("{bad} is not an operational relation: chains do not follow it"),
            help: format!("--rel narrows the operational relations: {}", names.join(", ")),
        });
    }
    let to = match &args.to {
        Some(name) => {
            let t = graph.resolve(name)?;
            if !is_attack_or_plot(&graph, t) {
                let e = graph.entity(t);
                return Err(CliError::Usage {
                    message: format!("{} ({}) is not an attack or a plot", e.name, e.id),
                    help: "--to takes an Event whose type is Attack or Plot".into(),
                });
            }
            Some(t)
        }
        None => None,
    };
    let q = ChainQuery {
        filter: filter(g, &args.relations),
        max_len: args.max_len,
        to,
        all: args.all,
        limit: args.limit,
        budget: args.budget,
        timeout: Some(std::time::Duration::from_secs_f64(args.timeout.max(0.0))),
    };
    let found = chains(&graph, actor, &q);
    match g.format {
        Format::Json => print_json(&found)?,
        Format::Text => output::write(&text(&found, &args))?,
    }
    Ok(if found.chains.is_empty() { Outcome::No } else { Outcome::Yes })
}

fn text(found: &Chains, args: &Args) -> String {
    let mut out = String::new();
    if found.chains.is_empty() {
        out.push_str(&format!(
            "no chain from {} to an attack or plot within {} links of operational relations\n",
            found.actor.name, args.max_len
        ));
    }
    for (n, c) in found.chains.iter().enumerate() {
        let date = c.attack_date.as_ref().map_or("undated".to_owned(), ToString::to_string);
        let links = if c.steps.len() == 1 { "link" } else { "links" };
        out.push_str(&format!(
            "chain {}: {}, {date}: {} {links} ({}), weakest {} at step {}\n",
            n + 1,
            output::entity(&c.attack),
            c.steps.len(),
            c.involvement.describe(),
            c.weakest.grade,
            c.weakest.step + 1
        ));
        for (i, s) in c.steps.iter().enumerate() {
            let dated = match (s.dated_by, &s.when) {
                (Some(DatedBy::Event), Some(w)) => format!("   (event dated {w})"),
                (None, _) => "   (undated)".to_owned(),
                _ => String::new(),
            };
            out.push_str(&format!("  {}. {}{dated}\n", i + 1, output::step(&s.step)));
        }
        out.push_str(&match &c.time_break {
            None => "  time order: forward".to_owned(),
            Some(TimeBreak::AfterAttack { step }) => {
                format!("  time order: BROKEN: step {} is dated after the attack", step + 1)
            }
            Some(TimeBreak::Backwards { step, previous }) => {
                format!("  time order: BROKEN: step {} is dated before step {}", step + 1, previous + 1)
            }
            Some(TimeBreak::Gap { step, previous, days }) => {
                format!("  time order: BROKEN: {days} days between steps {} and {}", previous + 1, step + 1)
            }
        });
        if !c.undated.is_empty() {
            let steps: Vec<String> = c.undated.iter().map(|i| (i + 1).to_string()).collect();
            out.push_str(&format!("; undated steps: {}", steps.join(", ")));
        }
        out.push('\n');
        let evidenced: Vec<String> = c
            .stages
            .iter()
            .filter(|s| !s.evidence.is_empty())
            .map(|s| {
                let on_chain = s.evidence.iter().filter(|e| e.step.is_some()).count();
                let context = s.evidence.len() - on_chain;
                match (on_chain, context) {
                    (0, c) => format!("{} ({c} context)", s.stage.name()),
                    (n, 0) => format!("{} ({n} on chain)", s.stage.name()),
                    (n, c) => format!("{} ({n} on chain, {c} context)", s.stage.name()),
                }
            })
            .collect();
        let missing: Vec<&str> = c.missing_stages.iter().map(|s| s.name()).collect();
        out.push_str(&format!(
            "  stages evidenced: {}\n  no evidence of: {}\n",
            if evidenced.is_empty() { "none".to_owned() } else { evidenced.join(", ") },
            if missing.is_empty() { "none".to_owned() } else { missing.join(", ") }
        ));
    }
    if !found.ruled_out.is_empty() {
        out.push_str(&format!("ruled out by dates ({}):\n", found.ruled_out.len()));
        for r in &found.ruled_out {
            let date = r.attack_date.as_ref().map_or("undated".to_owned(), ToString::to_string);
            let why = match &r.reason {
                RuledOut::Died { entity, date } => format!("{} died {date}", entity.name),
                RuledOut::Dissolved { entity, date } => format!("{} dissolved {date}", entity.name),
                RuledOut::Ended { link, .. } => format!(
                    "{} {} {} ended {}",
                    link.from.name,
                    link.rel,
                    link.to.name,
                    link.until.as_ref().map_or(String::new(), ToString::to_string)
                ),
            };
            out.push_str(&format!("  {}, {date}: {why}, before the attack\n", output::entity(&r.attack)));
        }
    }
    match found.cut_by {
        Some("time") => out.push_str(&format!(
            "(the search stopped after {}s: more chains may exist; raise --timeout, or narrow with --rel or --max-len)\n",
            args.timeout
        )),
        Some("budget") => out.push_str(&format!(
            "(the search stopped after finding {} chains: more may exist, and stronger ones; raise --budget, or narrow with --rel or --max-len)\n",
            args.budget
        )),
        Some(_) => out.push_str(&format!(
            "(more chains exist: raise --limit above {} or narrow with --rel)\n",
            args.limit
        )),
        None => {}
    }
    out
}

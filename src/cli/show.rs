//! `threatgraph show ENTITY`: the entity card.

use super::{CliError, Format, Global, Outcome, filter, load_graph, output, print_json};
use crate::model::Details;
use crate::query::EntityRef;
use crate::query::show::{Card, show};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The entity: its id, name or any alias.
    pub entity: String,
}

pub fn run(g: &Global, args: Args) -> Result<Outcome, CliError> {
    let graph = load_graph(g)?;
    let i = graph.resolve(&args.entity)?;
    let card = show(&graph, i, &filter(g, &[]));
    match g.format {
        Format::Json => print_json(&card)?,
        Format::Text => output::write(&text(&card))?,
    }
    Ok(Outcome::Yes)
}

fn text(c: &Card) -> String {
    let mut out = format!("{} ({})\n", c.name, c.id);
    let mut facts = vec![c.subkind.map_or_else(|| c.kind.to_string(), |s| format!("{} · {s}", c.kind))];
    match c.details {
        Details::Person(p) => {
            facts.extend(p.roles.iter().cloned());
            facts.extend(p.status.map(|s| s.to_string()));
            facts.extend(p.born.as_ref().map(|d| format!("born {d}")));
            facts.extend(p.died.as_ref().map(|d| format!("died {d}")));
        }
        Details::Group(gr) => {
            facts.extend(gr.ideology.map(|i| i.to_string()));
            facts.extend(gr.founded.as_ref().map(|d| format!("founded {d}")));
            facts.extend(gr.dissolved.as_ref().map(|d| format!("dissolved {d}")));
        }
        Details::Place(p) => {
            if let (Some(lat), Some(lon)) = (p.lat, p.lon) {
                facts.push(format!("{lat}, {lon}"));
            }
        }
        Details::Event(e) => {
            facts.extend(e.date.as_ref().map(|d| d.to_string()));
            if let (Some(s), Some(en)) = (&e.start, &e.end) {
                facts.push(format!("{s} to {en}"));
            } else {
                facts.extend(e.start.as_ref().map(|d| format!("from {d}")));
                facts.extend(e.end.as_ref().map(|d| format!("until {d}")));
            }
            facts.extend(e.method.map(|m| m.to_string()));
            facts.extend(e.target.map(|t| format!("target: {t}")));
            facts.extend(e.killed.map(|n| format!("{n} killed")));
            facts.extend(e.injured.map(|n| format!("{n} injured")));
            facts.extend(e.outcome.map(|o| o.to_string()));
        }
    }
    facts.extend(c.origin.caveat().map(str::to_owned));
    out.push_str(&facts.join(" · "));
    out.push('\n');
    if !c.aliases.is_empty() {
        out.push_str(&format!("also: {}\n", c.aliases.join(", ")));
    }
    if let Some(s) = c.summary {
        out.push_str(&format!("{s}\n"));
    }
    let sources: Vec<String> = c.sources.iter().map(|s| format!("{} ({})", s.id, s.reliability)).collect();
    out.push_str(&format!("sources: {}\n", sources.join(", ")));
    for x in &c.external_ids {
        match (x.import, x.by) {
            (Some(import), Some(by)) => {
                let cites = if x.sources.is_empty() {
                    String::new()
                } else {
                    format!(", cites {}", x.sources.join(", "))
                };
                out.push_str(&format!(
                    "external id: {} (import `{import}` joined it by {by}{cites})\n",
                    x.id
                ));
            }
            _ => out.push_str(&format!("external id: {}\n", x.id)),
        }
    }
    let mut current = None;
    for l in &c.links {
        if current != Some(l.rel) {
            current = Some(l.rel);
            out.push_str(&format!("\n{}\n", l.rel));
        }
        let link = l.link();
        let dated = link.date.as_ref().or(link.since.as_ref());
        let direction = match l.direction {
            _ if l.rel.is_symmetric() => "↔",
            crate::graph::Direction::Out => "→",
            crate::graph::Direction::In => "←",
        };
        out.push_str(&format!(
            "  {direction} {}   {}\n",
            output::entity(&EntityRef::of(l.other())),
            output::evidence(dated, &l.grade(), &link.sources, link.origin)
        ));
        if let Some(note) = &link.note {
            out.push_str(&format!("      {note}\n"));
        }
    }
    if c.links.is_empty() {
        out.push_str("\nno links\n");
    }
    out
}

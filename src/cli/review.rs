//! `threatgraph review`: the extracted facts waiting for review, each with the sentence it
//! came from; `review accept ID...` moves facts into `data/curated/reviewed.ron`, and
//! `review reject ID...` drops them and remembers the rejection; `review merge KEEP OTHER`
//! makes two entities one.

use super::{CliError, Format, Global, Outcome, load_checked, output, print_json, print_problems};
use crate::extract::guard;
use crate::extract::review::{self, REVIEWED, merge};
use crate::graph::KnowledgeGraph;
use crate::load::Loaded;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub decision: Option<Decision>,
}

#[derive(Debug, clap::Subcommand)]
pub enum Decision {
    /// Promote facts into data/curated/reviewed.ron (a link brings its new entities along).
    Accept {
        /// Entity ids, or `from/Relation/to` for links, as `review` lists them.
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Drop facts and record them in data/review/rejected.ron, so that extraction does not
    /// propose them again (an entity takes its links along).
    Reject {
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Merge two entities that are one: KEEP takes OTHER's id and names as aliases and its
    /// sources, every link, view seed and chain step naming OTHER names KEEP, and OTHER's
    /// record goes. Only the records concerned are edited; the rest of each file is kept.
    Merge {
        /// The entity to keep (an id or its exact name).
        keep: String,
        /// Its duplicate, which goes (an id or its exact name).
        other: String,
        /// Print what would change, as lines before (-) and after (+), and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

fn checked(g: &Global) -> Result<Loaded, CliError> {
    let loaded = load_checked(g);
    let errors: Vec<_> = loaded.problems.iter().filter(|p| p.is_error()).cloned().collect();
    if !errors.is_empty() {
        print_problems(&loaded, &errors);
        return Err(CliError::InvalidData { errors: errors.len(), folder: g.data.display().to_string() });
    }
    Ok(loaded)
}

fn write_error(message: String) -> CliError {
    CliError::Usage { message, help: "nothing was written; fix the cause and run again".into() }
}

/// Writes `writes` into the data folder if the folder, as it will be after them, has no error
/// it did not have before; otherwise prints the errors the write would add and writes nothing.
/// `first` runs just before the writes (a record kept outside the data folder).
pub(super) fn guarded_write(g: &Global, writes: &[(std::path::PathBuf, String)]) -> Result<(), CliError> {
    match guard::check_writes(&g.data, writes)? {
        Ok(()) => guard::write_all(writes).map_err(write_error),
        Err(refused) => Err(refusal(g, &refused)),
    }
}

/// Accepts or rejects the selection through [`review::decide`], saying what a refused write
/// would have broken.
fn decide(
    g: &Global,
    loaded: &crate::load::Loaded,
    sel: &review::Selection,
    accepting: bool,
) -> Result<(), CliError> {
    match review::decide(loaded, &g.data, sel, accepting).map_err(write_error)? {
        Ok(()) => Ok(()),
        Err(refused) => Err(refusal(g, &refused)),
    }
}

/// The error of a write refused because it would add errors, after printing them.
fn refusal(g: &Global, refused: &guard::Refused) -> CliError {
    print_problems(&refused.after, &refused.added);
    CliError::Usage {
        message: format!(
            "nothing written: the write would add {} error(s) to `{}`",
            refused.added.len(),
            g.data.display()
        ),
        help: "the errors above are in the files as they would have been written; the folder is unchanged"
            .into(),
    }
}

pub fn run(g: &Global, args: Args) -> Result<Outcome, CliError> {
    super::refuse_as_of(g, "review")?;
    let loaded = checked(g)?;
    let usage = |message: String| CliError::Usage {
        message,
        help: "run `threatgraph review` to list the ids of the facts waiting for review".into(),
    };
    match args.decision {
        None => {
            let pending = review::pending(&loaded, &g.data);
            match g.format {
                Format::Json => print_json(&pending)?,
                Format::Text => {
                    let mut out = String::new();
                    for p in &pending {
                        let certainty = p.certainty.map(|c| format!(" · {c}")).unwrap_or_default();
                        out.push_str(&format!(
                            "{}\n  {}{certainty} · rule {} · [{}]\n",
                            p.id,
                            p.fact,
                            p.rule,
                            p.sources.join(", ")
                        ));
                        match (&p.sentence, &p.file) {
                            (Some(s), _) => out.push_str(&format!("  «{s}»\n")),
                            (None, Some(f)) => {
                                out.push_str(&format!("  (the article `{f}` could not be read)\n"))
                            }
                            (None, None) => {}
                        }
                    }
                    out.push_str(&format!("{} facts waiting for review\n", pending.len()));
                    output::write(&out)?;
                }
            }
            Ok(if pending.is_empty() { Outcome::No } else { Outcome::Yes })
        }
        Some(Decision::Accept { ids }) => {
            let sel = review::select(&loaded, &ids, true).map_err(usage)?;
            decide(g, &loaded, &sel, true)?;
            output::write(&format!(
                "accepted {} entities and {} links into {}\n",
                sel.entities.len(),
                sel.links.len(),
                g.data.join(REVIEWED).display()
            ))?;
            Ok(Outcome::Yes)
        }
        Some(Decision::Merge { keep, other, dry_run }) => merge(g, &loaded, &keep, &other, dry_run),
        Some(Decision::Reject { ids }) => {
            let sel = review::select(&loaded, &ids, false).map_err(usage)?;
            decide(g, &loaded, &sel, false)?;
            output::write(&format!(
                "rejected {} entities and {} links (recorded in {})\n",
                sel.entities.len(),
                sel.links.len(),
                g.data.join(review::REJECTED).display()
            ))?;
            Ok(Outcome::Yes)
        }
    }
}

/// The entity a merge names: an id, a name or an alias given exactly. A search's best match,
/// good enough for `show`, is not taken for a change to the data: it is offered instead.
fn merge_end(graph: &KnowledgeGraph, loaded: &Loaded, query: &str) -> Result<usize, CliError> {
    let (found, taken) = graph.resolve_noted(query)?;
    let id = graph.entity(found).id.as_str();
    if let Some(taken) = taken {
        return Err(CliError::Usage {
            message: format!("\"{query}\" is not an id or a name of an entity"),
            help: format!("did you mean `{}` ({})? a merge takes ids or exact names", taken.id, taken.name),
        });
    }
    Ok(loaded.dataset.entities.iter().position(|e| e.id.as_str() == id).unwrap_or(found))
}

/// `review merge KEEP OTHER`: plans the merge, prints it, and (unless `--dry-run`) writes it
/// through the guard.
fn merge(g: &Global, loaded: &Loaded, keep: &str, other: &str, dry_run: bool) -> Result<Outcome, CliError> {
    let graph = KnowledgeGraph::build(loaded.dataset.clone());
    let (keep, other) = (merge_end(&graph, loaded, keep)?, merge_end(&graph, loaded, other)?);
    let plan = merge::plan(loaded, keep, other).map_err(|refusal| CliError::Usage {
        help: miette::Diagnostic::help(&refusal).map(|h| h.to_string()).unwrap_or_default(),
        message: refusal.to_string(),
    })?;
    if !dry_run {
        guarded_write(g, &plan.writes)?;
    }
    match g.format {
        Format::Json => {
            #[derive(serde::Serialize)]
            struct Merged<'a> {
                #[serde(flatten)]
                plan: &'a merge::Plan,
                written: bool,
            }
            print_json(&Merged { plan: &plan, written: !dry_run })?;
        }
        Format::Text => output::write(&merge_text(&plan, dry_run))?,
    }
    Ok(Outcome::Yes)
}

/// What a merge changed (or would change), then its lines before and after, file by file.
fn merge_text(plan: &merge::Plan, dry_run: bool) -> String {
    let mut out = format!(
        "{} `{}` into `{}` ({})\n",
        if dry_run { "would merge" } else { "merged" },
        plan.other,
        plan.keep,
        plan.kind
    );
    let list = |v: &[String]| if v.is_empty() { "none".to_owned() } else { v.join(", ") };
    out.push_str(&format!("  aliases added: {}\n", list(&plan.aliases_added)));
    out.push_str(&format!("  sources added: {}\n", list(&plan.sources_added)));
    for c in &plan.fields_carried {
        let what = if c.items { "items carried" } else { "field carried" };
        out.push_str(&format!("  {what}: {}: {}\n", c.field, c.value));
    }
    out.push_str(&format!("  links rewired: {}\n", list(&plan.links_rewired)));
    for d in &plan.links_dropped {
        out.push_str(&format!("  link dropped: {} into {} ({})\n", d.link, d.into, d.reason));
    }
    if !plan.views.is_empty() {
        out.push_str(&format!("  views: {}\n", plan.views.join(", ")));
    }
    if !plan.chains.is_empty() {
        out.push_str(&format!("  chains: {}\n", plan.chains.join(", ")));
    }
    for f in &plan.files {
        out.push_str(&format!("--- {}\n", f.file));
        for h in &f.hunks {
            out.push_str(&format!("@@ line {}\n", h.line));
            for l in &h.removed {
                out.push_str(&format!("-{l}\n"));
            }
            for l in &h.added {
                out.push_str(&format!("+{l}\n"));
            }
        }
    }
    if dry_run {
        out.push_str("nothing written (--dry-run)\n");
    }
    out
}

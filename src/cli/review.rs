//! `threatgraph review`: the extracted facts waiting for review, each with the sentence it
//! came from; `review accept ID...` moves facts into `data/curated/reviewed.ron`, and
//! `review reject ID...` drops them and remembers the rejection.

use super::{CliError, Format, Global, Outcome, load_checked, output, print_json, print_problems};
use crate::extract::guard;
use crate::extract::review::{self, REVIEWED};
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

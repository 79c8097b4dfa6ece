//! `threatgraph man [-o DIR]`: the manual pages, generated from the same definitions as
//! `--help` (clap_mangen): `threatgraph.1` on stdout, or with `-o DIR` one page per command
//! (`threatgraph.1`, `threatgraph-path.1`, ...). `docs/man/` holds them, kept current by a test.

use std::path::PathBuf;

use super::{CliError, Outcome};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write every page into this folder (created if needed) instead of printing `threatgraph.1`.
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<Outcome, CliError> {
    let pages = pages()?;
    match args.out {
        None => super::output::write(&String::from_utf8_lossy(&pages[0].1))?,
        Some(dir) => {
            std::fs::create_dir_all(&dir)?;
            for (name, roff) in &pages {
                crate::export::write_atomic(&dir.join(name), roff)?;
            }
        }
    }
    Ok(Outcome::Yes)
}

/// Every manual page, as (file name, roff text): the program's first, then each command's
/// (and their subcommands'), in the order `--help` lists them.
pub fn pages() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    fn add(cmd: clap::Command, pages: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
        // Every page names the program's version (a subcommand has none of its own).
        let man = clap_mangen::Man::new(cmd.clone()).source(format!("threatgraph {}", super::version()));
        let mut roff = Vec::new();
        man.render(&mut roff)?;
        pages.push((man.get_filename(), roff));
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            add(sub.clone(), pages)?;
        }
        Ok(())
    }
    let mut cmd = super::command().disable_help_subcommand(true);
    cmd.build();
    let mut pages = Vec::new();
    add(cmd, &mut pages)?;
    Ok(pages)
}

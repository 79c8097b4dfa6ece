//! `threatgraph completions SHELL`: the shell completion script for bash, zsh, fish,
//! PowerShell or elvish, printed on stdout (clap_complete).

use clap_complete::Shell;

use super::{CliError, Outcome};

#[derive(Debug, clap::Args)]
#[command(after_help = "Install, e.g.:\n  \
    bash:       threatgraph completions bash > ~/.local/share/bash-completion/completions/threatgraph\n  \
    zsh:        threatgraph completions zsh > ~/.zfunc/_threatgraph   (with fpath+=~/.zfunc)\n  \
    fish:       threatgraph completions fish > ~/.config/fish/completions/threatgraph.fish\n  \
    PowerShell: threatgraph completions powershell >> $PROFILE")]
pub struct Args {
    /// The shell to complete in.
    pub shell: Shell,
}

pub fn run(args: Args) -> Result<Outcome, CliError> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut super::command(), "threatgraph", &mut script);
    super::output::write(&String::from_utf8_lossy(&script))?;
    Ok(Outcome::Yes)
}

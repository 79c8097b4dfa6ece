//! The `threatgraph` binary: parse the arguments, run the command, report errors as
//! diagnostics and set the exit code (0 yes, 1 no, 2 bad input or usage).

use std::process::ExitCode;

use threatgraph::cli::{self, CliError};

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // A bug must still not print a backtrace at the user: say what to report instead.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("threatgraph: internal error: {info}\nplease report this, with the command that caused it");
    }));
    let cli = cli::parse();
    match cli::run(cli) {
        Ok(outcome) => outcome.into(),
        Err(CliError::InvalidData { errors, folder }) => {
            eprintln!(
                "error: {errors} error(s) in `{folder}`; fix them and run again (`threatgraph check` lists every problem)"
            );
            ExitCode::from(2)
        }
        Err(e) => {
            cli::print_error(&e);
            ExitCode::from(2)
        }
    }
}

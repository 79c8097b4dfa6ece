//! Progress bars for long runs: drawn on stderr when it is a terminal, silent otherwise (in
//! pipes, tests and CI).

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar of `len` steps labelled `what`; hidden unless stderr is a terminal.
pub fn bar(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::hidden());
    if std::io::stderr().is_terminal() && len > 1 {
        bar.set_draw_target(ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} files ({eta})") {
            bar.set_style(style);
        }
        bar.set_message(what.to_owned());
    }
    bar
}

/// A bar of `len` bytes labelled `what`, for reading files a line at a time (a bar of lines
/// would need the files read twice); hidden unless stderr is a terminal.
pub fn bytes(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::hidden());
    if std::io::stderr().is_terminal() && len > 0 {
        bar.set_draw_target(ProgressDrawTarget::stderr());
        if let Ok(style) =
            ProgressStyle::with_template("{msg} {bar:40} {bytes}/{total_bytes} ({bytes_per_sec}, {eta})")
        {
            bar.set_style(style);
        }
        bar.set_message(what.to_owned());
    }
    bar
}

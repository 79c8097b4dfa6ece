//! Integration tests: the `threatgraph` binary and the library on fixture folders and on the
//! repository's own dataset. One test binary; one module per area.

mod analysis;
mod architecture;
mod as_of;
mod cli;
mod dataset;
mod diagnostics;
mod export;
mod extraction;
mod hostile;
mod import;
mod legibility;
mod merge;
mod names;
mod readme;
mod snapshot;
mod synth;
mod workspace;
mod writes;

use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    root().join("tests/fixtures")
}

/// The binary, run from `dir`, without colour, with its snapshot cache in the build's temporary
/// folder (never the user's cache), so that repeated commands also run from snapshots.
pub fn threatgraph(dir: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("threatgraph").expect("the binary is built");
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("THREATGRAPH_CACHE", Path::new(env!("CARGO_TARGET_TMPDIR")).join("snapshot-cache"))
        .env_remove("THREATGRAPH_TIMINGS")
        .env_remove("RUST_BACKTRACE");
    cmd
}

/// Runs the binary on the valid fixture folder with `args`; returns (exit code, stdout, stderr).
pub fn run_valid(args: &[&str]) -> (i32, String, String) {
    let out = threatgraph(&fixtures().join("valid")).args(["--data", "."]).args(args).output().expect("runs");
    (
        out.status.code().expect("exited"),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

/// Parses JSON output, failing with the text when it is not JSON.
pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Copies a folder and everything in it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

//! Nothing lost: a write killed halfway leaves the previous file whole, and no command writes
//! its output over hand-written data.

use std::path::Path;

use super::{copy_dir, fixtures, root, threatgraph};

/// Runs the binary in `dir` with the file-size limit (`ulimit -f`, in 512-byte blocks) set, so
/// that the kernel stops it (SIGXFSZ) in the middle of writing a file larger than the limit.
fn run_limited(dir: &Path, blocks: u32, args: &[&str]) -> std::process::Output {
    std::process::Command::new("sh")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(["-c", &format!("ulimit -f {blocks} && exec \"$0\" \"$@\"")])
        .arg(env!("CARGO_BIN_EXE_threatgraph"))
        .args(args)
        .output()
        .expect("sh runs")
}

#[test]
fn an_export_killed_while_writing_leaves_the_previous_file() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("graph.json");
    std::fs::write(&out, "the previous export\n").expect("write");
    let data = root().join("data");
    let args = ["--no-cache", "--data", data.to_str().expect("utf-8"), "export", "json", "-o", "graph.json"];
    // The export is over 100 kB; the limit is 4 kB.
    let killed = run_limited(tmp.path(), 8, &args);
    // Killed by SIGXFSZ (25 on Linux) with part of the export written.
    assert_eq!(std::os::unix::process::ExitStatusExt::signal(&killed.status), Some(25), "{killed:?}");
    assert_eq!(std::fs::read_to_string(&out).expect("read"), "the previous export\n");
    // A killed process cannot remove its temporary file, which holds the part written.
    let mut partial = 0;
    for entry in std::fs::read_dir(tmp.path()).expect("read_dir") {
        let entry = entry.expect("entry");
        let name = entry.file_name().into_string().expect("utf-8");
        if name.starts_with(".tmp") {
            partial += 1;
            assert_eq!(entry.metadata().expect("metadata").len(), 8 * 512, "cut at the limit");
        } else {
            assert_eq!(name, "graph.json");
        }
    }
    assert_eq!(partial, 1, "the write was under way when the process was killed");

    // Unlimited, the same command replaces the file with the whole export.
    let done = run_limited(tmp.path(), 1 << 20, &args);
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    let text = std::fs::read_to_string(&out).expect("read");
    let v: serde_json::Value = serde_json::from_str(&text).expect("the whole export");
    assert!(v["nodes"].as_array().is_some_and(|n| n.len() > 100));
}

#[test]
fn outputs_never_replace_hand_written_data() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    copy_dir(&fixtures().join("valid"), &dir.join("data"));
    std::fs::write(dir.join("report.md"), "Ann Example travelled to Testland in 2019.\n").expect("write");
    let before = std::fs::read_to_string(dir.join("data/curated/network.ron")).expect("read");
    for args in [
        &["extract", "report.md", "--source", "s", "-o", "data/curated/network.ron"][..],
        &["extract", "report.md", "--source", "s", "-o", "data/curated/new.ron"],
        &["export", "json", "-o", "data/sources.ron"],
        &["export", "dot", "-o", "./data/views/../curated/network.ron"],
        &["render", "--out", "data/views"],
    ] {
        let out = threatgraph(dir).args(["--data", "data"]).args(args).output().expect("runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("refusing to write") && err.contains("review accept"), "{args:?}: {err}");
    }
    assert_eq!(std::fs::read_to_string(dir.join("data/curated/network.ron")).expect("read"), before);
    assert!(!dir.join("data/curated/new.ron").exists());
    // Proposals go to extracted/, which is the extractor's own.
    let out = threatgraph(dir)
        .args(["--data", "data", "extract", "report.md", "--source", "s", "-o", "data/extracted/report.ron"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

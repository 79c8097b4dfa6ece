//! Compiled snapshots end to end: a warm run answers like a cold one, any change to any data
//! file is seen, a damaged snapshot is rebuilt, the cache goes where the environment says (and
//! nowhere when disabled), invalid data is never snapshotted, and the data folder is never
//! written to.

use std::path::{Path, PathBuf};

use super::{copy_dir, fixtures, threatgraph};

/// A copy of the valid fixture at `tmp/data`, and the cache folder `tmp/cache`.
fn setup(tmp: &Path) -> (PathBuf, PathBuf) {
    let data = tmp.join("data");
    copy_dir(&fixtures().join("valid"), &data);
    (data, tmp.join("cache"))
}

/// Runs the binary on `data` with the cache at `cache`; returns (exit code, stdout, stderr).
fn run(data: &Path, cache: &Path, args: &[&str]) -> (i32, String, String) {
    let out = threatgraph(data)
        .env("THREATGRAPH_CACHE", cache)
        .args(["--data", "."])
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

fn snapshots(cache: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(cache) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries.map(|e| e.expect("entry").path()).collect();
    files.sort();
    files
}

/// Every file under `dir` with its content.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read_dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(tree(&path));
        } else {
            let bytes = std::fs::read(&path).expect("read");
            out.push((path, bytes));
        }
    }
    out.sort();
    out
}

const COMMANDS: &[&[&str]] = &[
    &["show", "ann", "--format", "json"],
    &["show", "The Teacher"],
    &["search", "example", "--format", "json"],
    &["neighbours", "ann", "--depth", "2"],
    &["path", "ann", "zed-attack", "--format", "json"],
    &["timeline"],
    &["rank", "--format", "json"],
];

#[test]
fn warm_runs_answer_like_cold_ones() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (data, cache) = setup(tmp.path());
    let before = tree(&data);
    for args in COMMANDS {
        let uncached = run(&data, &cache, &[&["--no-cache"], *args].concat());
        let cold = run(&data, &cache, args);
        assert_eq!(snapshots(&cache).len(), 1, "one snapshot after {args:?}");
        let warm = run(&data, &cache, args);
        assert_eq!(cold, uncached, "{args:?}");
        assert_eq!(warm, uncached, "{args:?}");
    }
    assert_eq!(tree(&data), before, "the data folder is never written to");
}

#[test]
fn any_change_to_any_file_is_seen() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (data, cache) = setup(tmp.path());
    let name = |data: &Path| {
        let (code, out, err) = run(data, &cache, &["show", "ann", "--format", "json"]);
        assert_eq!(code, 0, "{err}");
        super::json(&out)["name"].as_str().expect("a name").to_owned()
    };
    assert_eq!(name(&data), "Ann Example");
    assert_eq!(name(&data), "Ann Example");

    // An edit that keeps the length (so size and most of the content are the same).
    let network = data.join("curated/network.ron");
    let text = std::fs::read_to_string(&network).expect("read");
    std::fs::write(&network, text.replacen("Ann Example", "Ann Exampla", 1)).expect("write");
    assert_eq!(name(&data), "Ann Exampla");
    std::fs::write(&network, &text).expect("write");
    assert_eq!(name(&data), "Ann Example");

    // A file added, then removed.
    let extra = data.join("curated/zz-extra.ron");
    std::fs::write(
        &extra,
        r#"(entities: [Person(id: "zoe-extra", name: "Zoe Extra", sources: ["s"])], links: [])"#,
    )
    .expect("write");
    let (code, out, err) = run(&data, &cache, &["show", "zoe-extra"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Zoe Extra"), "{out}");
    std::fs::remove_file(&extra).expect("remove");
    let (code, _, err) = run(&data, &cache, &["show", "zoe-extra"]);
    assert_eq!(code, 2, "a removed file's entity is gone: {err}");

    // A file renamed: views take their name from the file.
    let (_, before, _) = run(&data, &cache, &["export", "json", "--view", "alpha"]);
    std::fs::rename(data.join("views/alpha.ron"), data.join("views/beta.ron")).expect("rename");
    let (code, _, _) = run(&data, &cache, &["export", "json", "--view", "alpha"]);
    assert_ne!(code, 0, "the view `alpha` is gone after the rename (it printed {before:.60})");

    // The cache keeps one snapshot per data folder.
    assert_eq!(snapshots(&cache).len(), 1, "{:?}", snapshots(&cache));
}

#[test]
fn a_damaged_snapshot_is_ignored_and_rebuilt() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (data, cache) = setup(tmp.path());
    let args = ["show", "ann", "--format", "json"];
    let good = run(&data, &cache, &args);
    let [snapshot] = snapshots(&cache).try_into().expect("one snapshot");
    let bytes = std::fs::read(&snapshot).expect("read");
    let mut flipped = bytes.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0x55;
    let damaged: [Vec<u8>; 5] = [
        Vec::new(),
        bytes[..bytes.len() / 2].to_vec(),
        flipped,
        b"not a snapshot at all".to_vec(),
        [bytes.clone(), b"trailing".to_vec()].concat(),
    ];
    for bad in damaged {
        std::fs::write(&snapshot, &bad).expect("write");
        assert_eq!(run(&data, &cache, &args), good);
        assert_eq!(std::fs::read(&snapshot).expect("read"), bytes, "rebuilt");
    }
}

#[test]
fn the_cache_goes_where_the_environment_says() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (data, _) = setup(tmp.path());
    let home = tmp.path().join("home");
    let xdg = tmp.path().join("xdg");
    let show = |configure: &dyn Fn(&mut assert_cmd::Command)| {
        let mut cmd = threatgraph(&data);
        cmd.env_remove("THREATGRAPH_CACHE").env_remove("XDG_CACHE_HOME").env("HOME", &home);
        configure(&mut cmd);
        let out = cmd.args(["--data", ".", "show", "ann"]).output().expect("runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };

    show(&|cmd| {
        cmd.env("THREATGRAPH_CACHE", "off");
    });
    show(&|cmd| {
        cmd.arg("--no-cache");
    });
    assert!(!home.exists() && !xdg.exists(), "disabled: nothing written");

    show(&|cmd| {
        cmd.env("XDG_CACHE_HOME", &xdg);
    });
    assert_eq!(snapshots(&xdg.join("threatgraph")).len(), 1);
    assert!(!home.exists());

    show(&|_| {});
    assert_eq!(snapshots(&home.join(".cache/threatgraph")).len(), 1);

    let custom = tmp.path().join("custom");
    show(&|cmd| {
        cmd.env("THREATGRAPH_CACHE", &custom).env("XDG_CACHE_HOME", &xdg);
    });
    assert_eq!(snapshots(&custom).len(), 1);
}

#[test]
fn invalid_data_is_not_snapshotted() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let cache = tmp.path().join("cache");
    let data = fixtures().join("invalid/duplicate-id");
    for _ in 0..2 {
        let (code, _, err) = run(&data, &cache, &["show", "ann"]);
        assert_eq!(code, 2);
        assert!(err.contains("duplicate"), "{err}");
    }
    assert!(snapshots(&cache).is_empty());
}

#[test]
fn check_reports_the_same_with_a_snapshot() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (data, cache) = setup(tmp.path());
    let first = run(&data, &cache, &["check"]);
    run(&data, &cache, &["show", "ann"]);
    assert_eq!(snapshots(&cache).len(), 1);
    assert_eq!(run(&data, &cache, &["check"]), first);
}

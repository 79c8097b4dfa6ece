//! Hostile input: data folders damaged or built to hurt, each either accepted with the same
//! meaning as the clean folder or refused with a diagnostic that names the file, exit 2; never
//! a panic, a stack overflow or a hang. The cases and their expected outcomes are listed in
//! `tests/fixtures/hostile/README.md`; large ones are built here rather than committed.

use std::path::Path;

use super::{copy_dir, fixtures, json, threatgraph};

/// What `check --format json` says of a folder: (exit code, entities, links, stderr).
fn check(data: &Path) -> (i32, Option<u64>, Option<u64>, String) {
    let out = threatgraph(data)
        .args(["--data", ".", "--no-cache", "check", "--format", "json"])
        // Bounded time: a hang fails the case instead of stalling the suite.
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "a panic: {stderr}");
    assert!(!stderr.contains("RUST_BACKTRACE"), "a backtrace: {stderr}");
    let code = out.status.code().expect("an exit code, not a signal");
    let v = json(&String::from_utf8(out.stdout).expect("utf-8"));
    // With --format json the problems are in the JSON, each naming its file.
    let mut said = stderr;
    for p in v["problems"].as_array().into_iter().flatten() {
        said.push_str(&format!(
            "\n{}: {}",
            p["file"].as_str().unwrap_or("?"),
            p["message"].as_str().unwrap_or("")
        ));
    }
    (code, v["entities"]["total"].as_u64(), v["links"]["total"].as_u64(), said)
}

/// A copy of the valid fixture in a temporary folder.
fn valid_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixtures().join("valid"), tmp.path());
    tmp
}

fn refused(data: &Path, file: &str) {
    let (code, _, _, stderr) = check(data);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains(file), "the diagnostic names `{file}`: {stderr}");
}

#[test]
fn byte_order_marks_and_crlf_mean_the_same() {
    let clean = check(&fixtures().join("valid"));
    let tmp = valid_copy();
    for entry in walk(tmp.path()) {
        let text = std::fs::read_to_string(&entry).expect("text");
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend(text.replace('\n', "\r\n").into_bytes());
        std::fs::write(&entry, bytes).expect("write");
    }
    let (code, entities, links, stderr) = check(tmp.path());
    assert_eq!((code, entities, links), (clean.0, clean.1, clean.2), "{stderr}");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("read_dir").filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "ron") {
            out.push(p);
        }
    }
    out
}

#[test]
fn broken_files_are_refused_naming_the_file() {
    let cases: &[(&str, &[u8])] = &[
        ("empty.ron", b""),
        ("not-utf8.ron", b"(entities: [Person(id: \"x\", name: \"\xff\xfe\", sources: [\"s\"])], links: [])"),
        ("not-ron.ron", b"\x89PNG\r\n\x1a\n this is an image, not RON"),
        ("unclosed.ron", b"(entities: [Person(id: \"x\", name: \"X, sources: [\"s\"])], links: [])"),
    ];
    for (name, bytes) in cases {
        let tmp = valid_copy();
        std::fs::write(tmp.path().join("curated").join(name), bytes).expect("write");
        refused(tmp.path(), name);
    }
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let tmp = valid_copy();
    let deep = format!("(entities: {}{}, links: [])", "[".repeat(100_000), "]".repeat(100_000));
    std::fs::write(tmp.path().join("curated/deep.ron"), deep).expect("write");
    refused(tmp.path(), "deep.ron");
}

#[test]
fn a_very_long_name_is_accepted() {
    let clean = check(&fixtures().join("valid"));
    let tmp = valid_copy();
    let name = "N".repeat(100_000);
    let facts = format!(
        "(entities: [Person(id: \"long\", name: \"{name}\", sources: [\"s\"])], links: [(from: \"long\", rel: AssociateOf, to: \"ann\", certainty: Alleged, sources: [\"s\"])])"
    );
    std::fs::write(tmp.path().join("curated/long.ron"), facts).expect("write");
    let (code, entities, links, stderr) = check(tmp.path());
    assert_eq!(code, 0, "{stderr}");
    assert_eq!((entities, links), (clean.1.map(|n| n + 1), clean.2.map(|n| n + 1)));
}

#[test]
fn thousands_of_files_load() {
    let clean = check(&fixtures().join("valid"));
    let tmp = valid_copy();
    for i in 0..2_000 {
        let facts = format!(
            "(entities: [Person(id: \"p{i}\", name: \"Person {i}\", sources: [\"s\"])], links: [(from: \"p{i}\", rel: AssociateOf, to: \"ann\", certainty: Alleged, sources: [\"s\"])])"
        );
        std::fs::write(tmp.path().join(format!("curated/p{i:04}.ron")), facts).expect("write");
    }
    let (code, entities, _, stderr) = check(tmp.path());
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(entities, clean.1.map(|n| n + 2_000));
}

#[test]
fn duplicate_ids_across_many_files_are_each_reported() {
    let tmp = valid_copy();
    for i in 0..50 {
        let facts = "(entities: [Person(id: \"ann\", name: \"Another Ann\", sources: [\"s\"])], links: [])";
        std::fs::write(tmp.path().join(format!("curated/dup{i:02}.ron")), facts).expect("write");
    }
    let (code, _, _, stderr) = check(tmp.path());
    assert_eq!(code, 2);
    // dup00.ron sorts first and holds the first definition; every later one is reported.
    for name in ["dup01.ron", "dup25.ron", "dup49.ron", "network.ron"] {
        assert!(stderr.contains(name), "{name} is named: {stderr}");
    }
    assert_eq!(stderr.matches("is defined twice").count(), 50);
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_refused() {
    let tmp = valid_copy();
    let link = tmp.path().join("curated/loop.ron");
    std::os::unix::fs::symlink(&link, &link).expect("symlink");
    refused(tmp.path(), "loop.ron");
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = valid_copy();
    let path = tmp.path().join("curated/secret.ron");
    std::fs::write(&path, "(entities: [], links: [])").expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(&path).is_ok() {
        // Root reads everything: the case cannot be made here; `a_folder_named_like_a_file`
        // covers a read that fails for root too.
        eprintln!("running as root: an unreadable file cannot be made; skipped");
        return;
    }
    refused(tmp.path(), "secret.ron");
}

#[test]
fn a_folder_named_like_a_data_file_is_refused() {
    let tmp = valid_copy();
    std::fs::create_dir(tmp.path().join("curated/folder.ron")).expect("mkdir");
    refused(tmp.path(), "folder.ron");
}

#[cfg(unix)]
#[test]
fn a_pipe_is_refused_without_blocking() {
    let tmp = valid_copy();
    let fifo = tmp.path().join("curated/pipe.ron");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success());
    // Reading a FIFO nobody writes to blocks forever: it must not be opened at all.
    refused(tmp.path(), "pipe.ron");
}

#[cfg(unix)]
#[test]
fn a_link_to_an_endless_device_is_refused() {
    let tmp = valid_copy();
    std::os::unix::fs::symlink("/dev/zero", tmp.path().join("curated/zero.ron")).expect("symlink");
    refused(tmp.path(), "zero.ron");
}

#[test]
fn a_file_over_the_size_limit_is_refused_unread() {
    let tmp = valid_copy();
    let path = tmp.path().join("curated/huge.ron");
    // A sparse file: 256 MiB and one byte long, with no disk blocks behind it.
    let file = std::fs::File::create(&path).expect("create");
    file.set_len(threatgraph::load::MAX_FILE_BYTES + 1).expect("set_len");
    let (code, _, _, said) = check(tmp.path());
    assert_eq!(code, 2, "{said}");
    assert!(said.contains("huge.ron") && said.contains("over the limit of 268435456 bytes"), "{said}");

    // An article over the limit is refused by `extract` too.
    let out = threatgraph(tmp.path())
        .args(["--data", ".", "--no-cache", "extract", "curated/huge.ron", "--source", "s"])
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("huge.ron") && err.contains("over the limit"), "{err}");
}

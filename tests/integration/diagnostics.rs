//! Every kind of problem in `tests/fixtures/invalid/`: exit code 2, a diagnostic naming the
//! file, line and column, and the full rendering pinned by a snapshot.

use super::{fixtures, threatgraph};

/// Each fixture folder and the problem codes its diagnostics must include.
const CASES: &[(&str, &[&str])] = &[
    ("syntax-unclosed-string", &["syntax"]),
    ("syntax-missing-comma", &["syntax"]),
    ("unknown-field", &["unknown-field"]),
    ("unknown-variant", &["unknown-variant"]),
    ("unknown-kind", &["unknown-variant"]),
    ("missing-field", &["missing-field"]),
    ("invalid-id", &["invalid-id"]),
    ("duplicate-id", &["duplicate-id"]),
    ("unknown-entity", &["unknown-entity"]),
    ("unknown-source", &["unknown-source"]),
    ("no-source", &["no-source"]),
    ("domain", &["domain"]),
    ("invalid-date", &["invalid-date"]),
    ("until-before-since", &["dates-out-of-order"]),
    ("located-in-cycle", &["located-in-cycle"]),
    ("self-link", &["self-link"]),
    ("no-sources-file", &["no-sources"]),
    ("not-utf8", &["not-utf8"]),
    ("not-a-facts-file", &["expected-record", "unknown-field"]),
    ("view-and-chain", &["unknown-entity", "dates-out-of-order", "unknown-variant"]),
    ("many-problems", &["unknown-source", "duplicate-id", "domain", "invalid-date", "unknown-variant"]),
];

fn check(dir: &std::path::Path, case: &str) -> (i32, String) {
    let out = threatgraph(dir).args(["--data", case, "check"]).output().expect("runs");
    (out.status.code().expect("exited"), String::from_utf8(out.stderr).expect("utf-8"))
}

#[test]
fn every_case_is_covered() {
    let mut on_disk: Vec<String> = std::fs::read_dir(fixtures().join("invalid"))
        .expect("fixtures")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = CASES.iter().map(|(c, _)| c.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "every folder under tests/fixtures/invalid has a row in CASES");
}

#[test]
fn invalid_data_exits_2_with_located_diagnostics() {
    let dir = fixtures().join("invalid");
    for (case, codes) in CASES {
        let (code, stderr) = check(&dir, case);
        assert_eq!(code, 2, "{case}: exit code\n{stderr}");
        // A diagnostic opens with its message; its code follows the message in brackets.
        assert!(stderr.starts_with("  × "), "{case}: the first line is not an error's message:\n{stderr}");
        for c in *codes {
            assert!(stderr.contains(&format!(" [{c}]\n")), "{case}: no `{c}` diagnostic in\n{stderr}");
        }
        assert!(!stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"), "{case}: {stderr}");
        // Problems within a file name it with line and column, rustc-style, and say how to fix them.
        if !matches!(*case, "no-sources-file" | "not-utf8") {
            assert!(stderr.contains(&format!("╭─[{case}/")), "{case}: no file:line:col in\n{stderr}");
        }
        assert!(stderr.contains("help:"), "{case}: no help line");
        insta::assert_snapshot!(format!("invalid-{case}"), stderr);
    }
}

#[test]
fn many_problems_are_all_reported_in_one_run() {
    let (_, stderr) = check(&fixtures().join("invalid"), "many-problems");
    let errors = stderr.matches("\n  × ").count() + usize::from(stderr.starts_with("  × "));
    assert!(errors >= 6, "expected every problem at once, got {errors}:\n{stderr}");
}

#[test]
fn warnings_do_not_fail_the_check() {
    let out = threatgraph(&fixtures()).args(["--data", "warnings", "check"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).expect("utf-8");
    for code in ["unplaced", "unlinked", "outcome-not-plot"] {
        assert!(stderr.contains(code), "no `{code}` warning in\n{stderr}");
    }
    insta::assert_snapshot!("warnings", stderr);
}

#[test]
fn check_json_lists_problems_with_positions() {
    let out = threatgraph(&fixtures().join("invalid"))
        .args(["--data", "domain", "check", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let v = super::json(&String::from_utf8(out.stdout).expect("utf-8"));
    assert_eq!(v["valid"], false);
    let first = &v["problems"][0];
    assert_eq!(first["code"], "domain");
    assert_eq!(first["file"], "domain/curated/a.ron");
    assert_eq!((first["line"].as_u64(), first["column"].as_u64()), (Some(10), Some(16)));
}

#[test]
fn a_missing_data_folder_is_one_error_with_a_hint_and_nothing_after_it() {
    let hint = "  help: run from the repository root, or pass the folder with `--data DIR`\n";
    for args in [
        &["check"][..],
        &["show", "ann"],
        &["path", "ann", "bob"],
        &["export", "dot"],
        &["extract", "article.txt"],
        &["review"],
        &["render", "--check"],
        &["chain", "check", "chains"],
    ] {
        let out =
            threatgraph(&fixtures()).args(["--data", "no-such-folder"]).args(args).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stdout), "", "{args:?}: nothing on stdout");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!("  × data folder `no-such-folder` not found\n{hint}"),
            "{args:?}"
        );
    }
    let out = threatgraph(&fixtures()).args(["--data", "valid/sources.ron", "check"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!("  × data folder `valid/sources.ron` is not a folder\n{hint}")
    );
    // JSON readers get the problem in the report, as for any other.
    let out = threatgraph(&fixtures())
        .args(["--data", "no-such-folder", "--format", "json", "check"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(super::json(&String::from_utf8_lossy(&out.stdout))["problems"][0]["code"], "no-data-folder");
}

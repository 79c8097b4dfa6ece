//! ARCHITECTURE.md stays true to the tree: every repository path it names (in backticks)
//! exists, and every module path (`query::paths`, `graph::KnowledgeGraph`) names a module of
//! `src/` and an item defined there.

use std::path::{Path, PathBuf};

use super::root;

/// The top-level entries a repository path in the document may start with.
const TOP: &[&str] = &["src", "tests", "benches", "examples", "fuzz", "docs", "data", "graphs", ".ci"];

/// The spans in backticks outside fenced code blocks.
fn code_spans(text: &str) -> Vec<String> {
    let mut spans = Vec::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            spans.extend(line.split('`').skip(1).step_by(2).map(str::to_owned));
        }
    }
    spans
}

fn is_repository_path(span: &str) -> bool {
    let plain = span.chars().all(|c| c.is_ascii_alphanumeric() || "_.-/".contains(c));
    let first = span.split('/').next().unwrap_or_default();
    plain && (span.contains('/') && TOP.contains(&first) || span.ends_with(".md") || span == "Cargo.toml")
}

/// A module path whose first segment is a module of the crate: `query::paths::Path`.
fn is_module_path(span: &str) -> bool {
    let mut segments = span.split("::");
    let first = segments.next().unwrap_or_default();
    span.contains("::")
        && span.split("::").all(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        && first.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        && (root().join("src").join(format!("{first}.rs")).exists()
            || root().join("src").join(first).is_dir())
}

/// The Rust files of a module: its file, or every file under its folder.
fn module_files(dir: &Path, name: &str) -> Option<Vec<PathBuf>> {
    let file = dir.join(format!("{name}.rs"));
    if file.exists() {
        return Some(vec![file]);
    }
    let folder = dir.join(name);
    folder.is_dir().then(|| rust_files(&folder))
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read_dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// What is wrong with a module path, if anything: a module that is not there, or an item that
/// no file of its module defines.
fn module_path_problem(span: &str) -> Option<String> {
    let mut dir = root().join("src");
    let mut files = Vec::new();
    let mut segments = span.split("::").peekable();
    while let Some(&segment) = segments.peek() {
        match module_files(&dir, segment) {
            Some(found) => {
                files = found;
                dir = dir.join(segment);
                segments.next();
            }
            None => break,
        }
    }
    let text: String = files.iter().map(|f| std::fs::read_to_string(f).expect("read")).collect();
    for item in segments {
        let defined =
            ["struct", "enum", "fn", "const", "trait", "type", "static", "mod"].iter().any(|keyword| {
                text.match_indices(&format!("{keyword} {item}")).any(|(at, found)| {
                    !text[at + found.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
                })
            });
        let reexported = text.lines().any(|l| l.trim_start().starts_with("pub use") && l.contains(item));
        if !defined && !reexported {
            return Some(format!("`{span}`: no `{item}` is defined in the module"));
        }
    }
    None
}

#[test]
fn every_path_and_module_the_architecture_names_exists() {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let spans = code_spans(&text);
    let mut problems = Vec::new();
    let (mut paths, mut modules) = (0, 0);
    for span in &spans {
        if is_repository_path(span) {
            paths += 1;
            if !root().join(span).exists() {
                problems.push(format!("`{span}` does not exist"));
            }
        } else if is_module_path(span) {
            modules += 1;
            problems.extend(module_path_problem(span));
        }
    }
    assert!(
        paths >= 40 && modules >= 20,
        "the document names the code ({paths} paths, {modules} module paths)"
    );
    assert!(problems.is_empty(), "ARCHITECTURE.md has drifted:\n{}", problems.join("\n"));
}

#[test]
fn the_checks_catch_a_missing_path_and_a_missing_item() {
    assert!(is_repository_path("src/query/paths.rs") && !is_repository_path("curated/"));
    assert!(is_module_path("query::paths") && !is_module_path("Relation::domain"));
    assert_eq!(module_path_problem("query::LinkFilter::follows"), None);
    assert_eq!(module_path_problem("graph::KnowledgeGraph"), None);
    assert_eq!(module_path_problem("model::Dataset"), None);
    assert!(module_path_problem("query::NoSuchThing").is_some());
    assert!(module_path_problem("query::nosuchmodule").is_some());
    assert!(module_path_problem("query::Step").is_none());
    assert!(!root().join("src/query/nosuch.rs").exists());
}

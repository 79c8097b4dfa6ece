//! Every command shown in README.md and in every `docs/*.md` runs, exits as shown, and prints
//! what the document shows; every relative link in those documents points at a file that exists.
//!
//! In a document, a ```console block holds `$ threatgraph ...` lines, each followed by its
//! output. A line `...` skips output: the lines before it must begin the output and the lines
//! after it must end it; a line `[exit N]` after the output gives an exit code other than 0.
//! Commands run from the repository root, whichever document shows them.

use std::path::{Path, PathBuf};

use super::{root, threatgraph};

struct Example {
    /// The document, relative to the repository root, and the line of the command.
    file: String,
    line: usize,
    args: Vec<String>,
    output: Vec<String>,
    /// The lines shown after `...`: the last lines of the output.
    tail: Vec<String>,
    complete: bool,
    exit: i32,
}

/// README.md, then every Markdown file in docs/, in name order: the user documentation.
fn documents() -> Vec<PathBuf> {
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .expect("docs/")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    docs.sort();
    let mut all = vec![root().join("README.md")];
    all.extend(docs);
    all
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root()).unwrap_or(path).display().to_string()
}

fn examples(path: &Path) -> Vec<Example> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file = relative(path);
    let mut examples = Vec::new();
    let mut in_console = false;
    let mut current: Option<Example> = None;
    for (n, line) in text.lines().enumerate() {
        if line.starts_with("```") {
            in_console = line == "```console";
            examples.extend(current.take());
            continue;
        }
        if !in_console {
            continue;
        }
        if let Some(cmd) = line.strip_prefix("$ threatgraph") {
            examples.extend(current.take());
            let args = shell_words(cmd);
            current = Some(Example {
                file: file.clone(),
                line: n + 1,
                args,
                output: Vec::new(),
                tail: Vec::new(),
                complete: true,
                exit: 0,
            });
        } else if let Some(ex) = current.as_mut() {
            if line == "..." {
                ex.complete = false;
            } else if let Some(code) = line.strip_prefix("[exit ").and_then(|r| r.strip_suffix(']')) {
                ex.exit = code.parse().expect("exit code");
            } else if ex.complete {
                ex.output.push(line.to_owned());
            } else {
                ex.tail.push(line.to_owned());
            }
        }
    }
    examples
}

/// Splits a command line on spaces, honouring double quotes (enough for the documents' examples).
fn shell_words(s: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in s.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    words.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            _ => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        words.push(word);
    }
    words
}

/// Runs one example; returns what differs from the document, if anything.
fn mismatch(ex: &Example) -> Option<String> {
    let out = threatgraph(root()).args(&ex.args).output().expect("runs");
    let where_ = format!("{} line {}: threatgraph {}", ex.file, ex.line, ex.args.join(" "));
    if out.status.code() != Some(ex.exit) {
        return Some(format!(
            "{where_}: exit {:?}, the document says {}\n{}",
            out.status.code(),
            ex.exit,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let actual: Vec<&str> = stdout.lines().collect();
    let same = if ex.complete {
        actual == ex.output
    } else {
        actual.len() >= ex.output.len() + ex.tail.len()
            && actual[..ex.output.len()] == ex.output[..]
            && actual[actual.len() - ex.tail.len()..] == ex.tail[..]
    };
    (!same).then(|| {
        let shown = if ex.complete { "" } else { " (before and after `...`)" };
        format!(
            "{where_}: prints\n{stdout}\nwhere the document shows{shown}\n{}\n...\n{}",
            ex.output.join("\n"),
            ex.tail.join("\n")
        )
    })
}

#[test]
fn documented_examples_run_as_shown() {
    let mut failures = Vec::new();
    for doc in documents() {
        let examples = examples(&doc);
        if doc.ends_with("README.md") {
            assert!(examples.len() >= 5, "the README shows the commands at work");
        }
        failures.extend(examples.iter().filter_map(mismatch));
    }
    assert!(failures.is_empty(), "{} example(s) differ:\n\n{}", failures.len(), failures.join("\n\n"));
}

/// The targets of the relative Markdown links in `text`: `[label](target)`, without any `#anchor`.
fn relative_links(text: &str) -> Vec<String> {
    let mut links = Vec::new();
    let mut in_code = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            rest = &rest[at + 2..];
            let Some(end) = rest.find(')') else { break };
            let target = &rest[..end];
            rest = &rest[end..];
            let file = target.split('#').next().unwrap_or_default();
            if file.is_empty() || file.contains("://") || file.starts_with("mailto:") {
                continue;
            }
            links.push(file.to_owned());
        }
    }
    links
}

#[test]
fn documents_link_only_to_files_that_exist() {
    let mut docs = documents();
    docs.extend(
        ["ARCHITECTURE.md", "CHANGELOG.md"].map(|name| root().join(name)).into_iter().filter(|p| p.exists()),
    );
    let mut broken = Vec::new();
    for doc in &docs {
        let text = std::fs::read_to_string(doc).expect("read");
        let folder = doc.parent().expect("a folder");
        for link in relative_links(&text) {
            if !folder.join(&link).exists() {
                broken.push(format!("{}: {link}", relative(doc)));
            }
        }
    }
    assert!(broken.is_empty(), "links to files that do not exist:\n{}", broken.join("\n"));
}

#[test]
fn the_link_reader_finds_relative_links_and_skips_urls_and_code() {
    let text = "see [the guide](docs/guide.md#a-tour) and [web](https://x.org)\n```sh\n[no](code.md)\n```\n[same](#here)";
    assert_eq!(relative_links(text), vec!["docs/guide.md".to_owned()]);
}

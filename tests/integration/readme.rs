//! Every command shown in README.md runs, exits as shown, and prints what the README shows.
//!
//! In the README, a ```console block holds `$ threatgraph ...` lines, each followed by its
//! output. A line `...` skips output: the lines before it must begin the output and the lines
//! after it must end it; a line `[exit N]` after the output gives an exit code other than 0;
//! a command ending in `2>&1` shows what it printed on stderr before its output.

use super::{root, threatgraph};

struct Example {
    line: usize,
    args: Vec<String>,
    output: Vec<String>,
    /// The lines shown after `...`: the last lines of the output.
    tail: Vec<String>,
    complete: bool,
    exit: i32,
}

fn examples() -> Vec<Example> {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let mut examples = Vec::new();
    let mut in_console = false;
    let mut current: Option<Example> = None;
    for (n, line) in readme.lines().enumerate() {
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

/// Splits a command line on spaces, honouring double quotes (enough for README examples).
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

#[test]
fn readme_examples_run_as_shown() {
    let examples = examples();
    assert!(examples.len() >= 5, "the README shows the commands at work");
    for mut ex in examples {
        // A command ending in `2>&1` shows its stderr, then its stdout.
        let with_stderr = ex.args.last().is_some_and(|a| a == "2>&1");
        if with_stderr {
            ex.args.pop();
        }
        let out = threatgraph(root()).args(&ex.args).output().expect("runs");
        let where_ = format!("README.md line {}: threatgraph {}", ex.line, ex.args.join(" "));
        assert_eq!(out.status.code(), Some(ex.exit), "{where_}\n{}", String::from_utf8_lossy(&out.stderr));
        let mut stdout = String::from_utf8(out.stdout).expect("utf-8");
        if with_stderr {
            stdout = String::from_utf8(out.stderr).expect("utf-8") + &stdout;
        }
        let actual: Vec<&str> = stdout.lines().collect();
        if ex.complete {
            assert_eq!(actual, ex.output, "{where_}");
        } else {
            assert!(actual.len() >= ex.output.len() + ex.tail.len(), "{where_}: shorter than shown");
            assert_eq!(actual[..ex.output.len()], ex.output[..], "{where_}");
            assert_eq!(
                actual[actual.len() - ex.tail.len()..],
                ex.tail[..],
                "{where_}: the lines after `...`"
            );
        }
    }
}

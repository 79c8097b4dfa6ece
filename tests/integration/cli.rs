//! The command line on the fictional fixture folder: exit codes, JSON shapes (the stable
//! interface documented in docs/json.md), and text output pinned by snapshots.

use super::{fixtures, json, root, run_valid, threatgraph};

#[test]
fn check_passes_and_counts() {
    let (code, out, _) = run_valid(&["check", "--format", "json"]);
    assert_eq!(code, 0);
    let v = json(&out);
    assert_eq!(v["valid"], true);
    assert_eq!(v["entities"]["total"], 10);
    assert_eq!(v["entities"]["by_kind"]["Person"], 4);
    assert_eq!(v["links"]["total"], 13);
    assert_eq!(v["links"]["by_certainty"]["Refuted"], 1);
    assert_eq!(v["views"], 1);
    assert_eq!(v["chains"], 1);
}

#[test]
fn search_json_is_best_first() {
    let (code, out, _) = run_valid(&["search", "example", "--format", "json"]);
    assert_eq!(code, 0);
    let hits = json(&out);
    let hits = hits.as_array().expect("array");
    assert!(hits.len() >= 4);
    for h in hits {
        for key in ["id", "name", "kind", "score"] {
            assert!(h.get(key).is_some(), "{key} missing in {h}");
        }
    }
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().expect("number")).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    let (_, out, _) = run_valid(&["search", "Ann Exampel", "--format", "json"]);
    assert_eq!(json(&out)[0]["id"], "ann", "a typo still finds Ann");
    let (code, _, _) = run_valid(&["search", "qqqqqq"]);
    assert_eq!(code, 1, "no match is a 'no'");
}

#[test]
fn show_json_has_the_card_and_every_link() {
    let (code, out, _) = run_valid(&["show", "Ann Example", "--format", "json"]);
    assert_eq!(code, 0);
    let v = json(&out);
    assert_eq!(
        (v["id"].as_str(), v["name"].as_str(), v["kind"].as_str()),
        (Some("ann"), Some("Ann Example"), Some("Person"))
    );
    assert_eq!(v["aliases"][0], "The Teacher");
    assert_eq!(v["status"], "Detained");
    let links = v["links"].as_array().expect("links");
    assert_eq!(links.len(), 4, "member, associate (refuted, kept), associate (extracted), arrested");
    for l in links {
        for key in ["rel", "direction", "other", "certainty", "date", "sources"] {
            assert!(l.get(key).is_some(), "{key} missing in {l}");
        }
        for key in ["id", "name", "kind"] {
            assert!(l["other"].get(key).is_some());
        }
    }
    let refuted = links.iter().find(|l| l["certainty"] == "Refuted").expect("the refuted link is shown");
    assert_eq!(refuted["other"]["id"], "dan");
    let (_, out, _) = run_valid(&["show", "ann", "--curated-only", "--format", "json"]);
    assert_eq!(
        json(&out)["links"].as_array().expect("links").len(),
        3,
        "--curated-only drops the extracted link"
    );
}

#[test]
fn names_resolve_loosely_and_ambiguity_lists_candidates() {
    let (code, out, _) = run_valid(&["show", "ÁNN example", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(json(&out)["id"], "ann");
    let (code, _, err) = run_valid(&["show", "the teacher"]);
    assert_eq!(code, 2);
    assert!(err.contains("could mean any of 2 entities"), "{err}");
    assert!(
        err.contains("`ann` (Ann Example, Person)") && err.contains("`dan` (Dan Sample, Person)"),
        "{err}"
    );
    let (code, _, err) = run_valid(&["show", "Nobody Here"]);
    assert_eq!(code, 2);
    assert!(err.contains("no entity is called \"Nobody Here\""), "{err}");
}

#[test]
fn neighbours_json_and_alias() {
    let (code, out, _) = run_valid(&["neighbours", "ann", "--depth", "2", "--format", "json"]);
    assert_eq!(code, 0);
    let v = json(&out);
    assert_eq!(v["center"]["id"], "ann");
    let nodes = v["nodes"].as_array().expect("nodes");
    assert_eq!(nodes[0]["distance"], 0);
    assert!(nodes.iter().all(|n| n["id"] != "dan"), "dan is reachable only through a refuted link");
    assert!(v["links"].as_array().expect("links").iter().all(|l| l["certainty"] != "Refuted"));
    let (code, us, _) = run_valid(&["neighbors", "ann", "--depth", "2", "--format", "json"]);
    assert_eq!((code, us), (0, out), "`neighbors` is the same command");
    let (_, out, _) = run_valid(&[
        "neighbours",
        "ann",
        "--depth",
        "3",
        "--through-rel",
        "MemberOf,SiblingOf",
        "--format",
        "json",
    ]);
    assert_eq!(node_ids(&out), ["ann", "alpha-cell", "bob", "cat"]);
    // `--kind` lists what is reached through anything; `--through-kind` bounds the walk.
    let (_, out, _) =
        run_valid(&["neighbours", "ann", "--depth", "2", "--kind", "Event", "--format", "json"]);
    assert_eq!(node_ids(&out), ["ann", "ann-arrest", "zed-attack", "zed-plot"], "through anything");
    let (_, out, _) = run_valid(&[
        "neighbours",
        "ann",
        "--depth",
        "2",
        "--kind",
        "Event",
        "--through-kind",
        "Group",
        "--format",
        "json",
    ]);
    assert_eq!(node_ids(&out), ["ann", "ann-arrest", "zed-plot"], "only the cell is passed through");
    // `--rel` lists what a link of the relation reached; `--through-rel` bounds the walk.
    let (_, out, _) =
        run_valid(&["neighbours", "ann", "--depth", "2", "--rel", "Perpetrated", "--format", "json"]);
    assert_eq!(node_ids(&out), ["ann", "zed-attack"]);
    let (_, out, _) = run_valid(&["neighbours", "ann", "--kind", "Event", "--format", "json"]);
    assert_eq!(node_ids(&out), ["ann", "ann-arrest"]);
}

/// The ids of a `neighbours --format json` answer's nodes, in order.
fn node_ids(out: &str) -> Vec<String> {
    let v = json(out);
    v["nodes"].as_array().expect("nodes").iter().map(|n| n["id"].as_str().unwrap_or("").to_owned()).collect()
}

#[test]
fn path_json_steps_say_which_way() {
    let (code, out, _) = run_valid(&["path", "ann", "cat", "--curated-only", "--format", "json"]);
    assert_eq!(code, 0);
    let v = json(&out);
    let steps = v["paths"][0]["steps"].as_array().expect("steps");
    let walk: Vec<(&str, &str, &str, &str)> = steps
        .iter()
        .map(|s| {
            (
                s["from"]["id"].as_str().unwrap_or(""),
                s["rel"].as_str().unwrap_or(""),
                s["to"]["id"].as_str().unwrap_or(""),
                s["direction"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        walk,
        [
            ("ann", "MemberOf", "alpha-cell", "out"),
            ("alpha-cell", "MemberOf", "bob", "in"),
            ("bob", "SiblingOf", "cat", "in")
        ]
    );
    for s in steps {
        for key in ["certainty", "date", "sources"] {
            assert!(s.get(key).is_some(), "{key} missing in {s}");
        }
    }
    let (code, out, _) = run_valid(&["path", "ann", "cat", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(
        json(&out)["paths"][0]["steps"].as_array().map(Vec::len),
        Some(1),
        "the extracted link is a shortcut"
    );
}

#[test]
fn no_path_exits_1_and_refuted_links_are_not_followed() {
    let (code, out, _) = run_valid(&["path", "ann", "testland", "--max-len", "2"]);
    assert_eq!(code, 1);
    assert!(out.starts_with("no path from Ann Example to Testland within 2 links"), "{out}");
    let (code, out, _) = run_valid(&["path", "ann", "dan", "--all", "--format", "json"]);
    assert_eq!(code, 0);
    let v = json(&out);
    for p in v["paths"].as_array().expect("paths") {
        assert!(p["steps"].as_array().expect("steps").len() > 1, "the refuted direct link was followed");
    }
    let (code, _, _) = run_valid(&["path", "ann", "dan", "--min-certainty", "Alleged"]);
    assert_eq!(code, 1, "dan's only other link is Suspected");
}

#[test]
fn timeline_is_oldest_first_and_windowed() {
    let (code, out, _) = run_valid(&["timeline", "--format", "json"]);
    assert_eq!(code, 0);
    let v = json(&out);
    let dates: Vec<&str> =
        v.as_array().expect("array").iter().map(|e| e["date"].as_str().unwrap_or("")).collect();
    assert_eq!(dates, ["2019-Q4", "2020-05-01", "2021-02"]);
    for key in ["date", "id", "name", "kind"] {
        assert!(v[0].get(key).is_some());
    }
    let (_, out, _) = run_valid(&["timeline", "--since", "2020", "--until", "2020-12", "--format", "json"]);
    assert_eq!(json(&out).as_array().map(Vec::len), Some(1));
    let (_, out, _) = run_valid(&["timeline", "--around", "ann", "--depth", "1", "--format", "json"]);
    assert_eq!(json(&out)[0]["id"], "ann-arrest");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["path", "ann"][..],
        &["show", "ann", "--min-certainty", "Maybe"],
        &["neighbours", "ann", "--rel", "MemberIn"],
        &["timeline", "--since", "May 2020"],
        &["path", "ann", "ann"],
        &["frobnicate"],
    ] {
        let (code, _, err) = run_valid(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    let (_, _, err) = run_valid(&["neighbours", "ann", "--rel", "MemberIn"]);
    assert!(err.contains("did you mean `MemberOf`?"), "{err}");
}

#[test]
fn output_is_deterministic() {
    for args in [
        &["show", "ann"][..],
        &["neighbours", "alpha-cell", "--depth", "3"],
        &["path", "ann", "testville", "--all"],
        &["search", "e"],
    ] {
        assert_eq!(run_valid(args), run_valid(args), "{args:?}");
    }
}

#[test]
fn text_output() {
    for (name, args) in [
        ("show-ann", &["show", "ann"][..]),
        ("show-attack", &["show", "zed attack"]),
        ("neighbours-ann", &["neighbours", "ann", "--depth", "2"]),
        ("path-ann-testville", &["path", "ann", "testville", "--all", "--max-len", "5"]),
        ("path-ann-testville-ranked", &["path", "ann", "testville"]),
        ("connect-ann-cat-testville", &["connect", "ann", "cat", "testville"]),
        ("timeline", &["timeline"]),
        ("search", &["search", "example"]),
        ("check", &["check"]),
    ] {
        let (_, out, _) = run_valid(args);
        insta::assert_snapshot!(format!("text-{name}"), out);
    }
}

/// Runs the binary on the valid fixture with `args` and returns its exit code and the first
/// line of stderr.
fn first_error_line(args: &[&str]) -> (i32, String) {
    let (code, _, err) = run_valid(args);
    (code, err.lines().next().unwrap_or_default().to_owned())
}

/// Every way a command stops with exit 2 opens stderr with what is wrong: miette's `×` and the
/// message (never a bare code word on a line of its own), or clap's `error:` for bad usage.
#[test]
fn every_exit_2_opens_with_its_message() {
    use threatgraph::export::neo4j_csv::ARRAY_DELIMITERS;
    let folder = tempfile::tempdir().expect("tempdir");
    let latin1 = folder.path().join("latin1.txt");
    std::fs::write(&latin1, b"Caf\xe9 bombing in Testville.\n").expect("write");
    let latin1 = latin1.display().to_string();
    let occupied = fixtures().join("valid").display().to_string();
    let no_chains = tempfile::tempdir().expect("tempdir");
    let no_chains = no_chains.path().display().to_string();
    let cases: &[(&[&str], &str)] = &[
        // clap: arguments
        (&["path", "ann"], "error: the following required arguments were not provided:"),
        (&["frobnicate"], "error: unrecognized subcommand 'frobnicate'"),
        (
            &["show", "ann", "--min-certainty", "Maybe"],
            "error: invalid value 'Maybe' for '--min-certainty <C>'",
        ),
        (
            &["neighbours", "ann", "--rel", "MemberIn"],
            "error: invalid value 'MemberIn' for '--rel <RELATIONS>'",
        ),
        (
            &["timeline", "--since", "May 2020"],
            "error: invalid value 'May 2020' for '--since <SINCE>': `May 2020` does not start with a four-digit year",
        ),
        // names
        (&["show", "nobody-at-all"], "  × no entity is called \"nobody-at-all\""),
        (&["show", "the teacher"], "  × \"the teacher\" could mean any of 2 entities"),
        (&["path", "ann", "ann"], "  × \"ann\" and \"ann\" are the same entity"),
        (&["common", "ann", "ann"], "  × \"ann\" and \"ann\" are the same entity"),
        (&["connect", "ann", "ann"], "  × \"ann\" names an entity already given (ann)"),
        // chains
        (
            &["chain", "ann", "--rel", "LivedIn"],
            "  × LivedIn is not an operational relation: chains do not follow it",
        ),
        (&["chain", "ann", "--to", "ann"], "  × Ann Example (ann) is not an attack or a plot"),
        (&["chain", "check", "nowhere-chains"], "  × `nowhere-chains` not found"),
        (&["chain", "check", &no_chains], "  × no declared chains in `"),
        // exports
        (&["export", "dot", "--view", "nope"], "  × no view is called `nope`"),
        (&["export", "dot", "--path", "ann", "ann"], "  × --path needs two different entities"),
        (&["export", "png"], "  × PNG is binary and is not written to the terminal"),
        (&["export", "ron"], "  × ron writes a data folder and needs one"),
        (&["export", "ron", "-o", &occupied], "  × "),
        (&["export", "neo4j-csv"], "  × neo4j-csv writes two files and needs a folder"),
        (&["export", "dot", "-o", "curated/x.dot"], "  × refusing to write `"),
        (&["export", "dot", "-o", "no-such-folder/x.dot"], "  × cannot write the output: "),
        // extraction and review
        (&["extract", "nowhere.txt"], "  × `nowhere.txt` not found"),
        (&["extract", "sources.ron", "--source", "nope"], "  × no source `nope` in ./sources.ron"),
        (&["extract", "sources.ron"], "  × no source in sources.ron names the file `sources.ron`"),
        (&["extract", &latin1, "--source", "s"], "  × cannot read 1 article(s):"),
        (&["extract", "sources.ron", "--source", "s", "--eval", "nowhere"], "  × cannot read `nowhere`: "),
        (&["review", "accept", "nope"], "  × `nope` is not an extracted fact waiting for review"),
    ];
    for (args, first) in cases {
        let (code, line) = first_error_line(args);
        assert_eq!(code, 2, "{args:?}: {line}");
        assert!(line.starts_with(first), "{args:?}: stderr opens with\n{line}\nnot\n{first}");
    }
    // A mistyped chains path is reported alone: the data folder is not blamed for it.
    let (_, _, err) = run_valid(&["chain", "check", "nowhere-chains"]);
    assert!(!err.contains("error(s)"), "{err}");
    // The one message that needs the exact folder: an export never replaces a dataset.
    let (_, line) = first_error_line(&["export", "ron", "-o", &occupied]);
    assert!(line.ends_with("already holds a dataset; write to a new folder"), "{line}");
    // A Neo4j CSV export whose list values hold every array delimiter the import could use.
    let data = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(data.path().join("curated")).expect("mkdir");
    std::fs::copy(fixtures().join("valid/sources.ron"), data.path().join("sources.ron")).expect("copy");
    let alias = ARRAY_DELIMITERS.iter().collect::<String>().escape_unicode().to_string();
    let facts = format!(
        "(entities: [Person(id: \"ann\", name: \"Ann\", aliases: [\"{alias}\"], sources: [\"s\"])], links: [])"
    );
    std::fs::write(data.path().join("curated/a.ron"), facts).expect("write");
    let out = threatgraph(data.path())
        .args(["--data", ".", "export", "neo4j-csv", "-o", "out"])
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let first = err.lines().next().unwrap_or_default();
    assert!(first.starts_with("  × every array delimiter Neo4j could use"), "{first}");
    assert!(!data.path().join("out").exists(), "nothing written");
}

#[test]
fn a_missing_graphviz_is_one_clear_error() {
    let out = threatgraph(&fixtures().join("valid"))
        .args(["--data", ".", "export", "svg"])
        .env("PATH", "")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("  × Graphviz `dot` was not found on PATH\n  help: install Graphviz"),
        "{stderr}"
    );
}

#[test]
fn version_names_the_data_and_snapshot_formats() {
    let out = threatgraph(root()).arg("--version").output().expect("runs");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!(
            "threatgraph {} (data format {}, snapshot format {})\n",
            env!("CARGO_PKG_VERSION"),
            threatgraph::load::DATA_FORMAT,
            threatgraph::snapshot::FORMAT
        )
    );
}

/// A command's `--help` lists its own options first, and the global ones apart after them.
#[test]
fn help_lists_a_commands_own_options_before_the_global_ones() {
    let out = threatgraph(root()).args(["path", "--help"]).output().expect("runs");
    let help = String::from_utf8(out.stdout).expect("utf-8");
    let own = help.find("\nOptions:\n").expect("an Options section");
    let global = help.find("\nGlobal options:\n").expect("a Global options section");
    assert!(own < global, "{help}");
    let (own_section, global_section) = (&help[own..global], &help[global..]);
    assert!(own_section.contains("--time-ordered") && !own_section.contains("--data <DIR>"), "{help}");
    assert!(global_section.contains("--data <DIR>") && !global_section.contains("--time-ordered"), "{help}");
}

#[test]
fn completions_are_written_for_each_shell() {
    for (shell, mark) in [
        ("bash", "complete -F _threatgraph"),
        ("zsh", "#compdef threatgraph"),
        ("fish", "complete -c threatgraph"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = threatgraph(root()).args(["completions", shell]).output().expect("runs");
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(out.stdout).expect("utf-8");
        assert!(script.contains(mark), "{shell}: no `{mark}`");
        // Subcommands and their options are completed.
        assert!(script.contains("time-ordered") && script.contains("neighbours"), "{shell}");
    }
    let out = threatgraph(root()).args(["completions", "tcsh"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

/// `docs/man/` holds the pages `threatgraph man -o DIR` writes, as they are now.
#[test]
fn the_committed_manual_pages_are_current() {
    let fresh = tempfile::tempdir().expect("tempdir");
    let out = threatgraph(root()).args(["man", "-o"]).arg(fresh.path()).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let pages = |dir: &std::path::Path| {
        let mut pages: Vec<(String, String)> = std::fs::read_dir(dir)
            .expect("read_dir")
            .map(|e| {
                let path = e.expect("entry").path();
                (
                    path.file_name().expect("name").to_string_lossy().into_owned(),
                    std::fs::read_to_string(&path).expect("read"),
                )
            })
            .collect();
        pages.sort();
        pages
    };
    let (committed, current) = (pages(&root().join("docs/man")), pages(fresh.path()));
    let names = |p: &[(String, String)]| p.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    let regenerate = "run `cargo run -- man -o docs/man` (after deleting docs/man/*.1) and commit the result";
    assert_eq!(names(&committed), names(&current), "the pages differ: {regenerate}");
    for ((name, old), (_, new)) in committed.iter().zip(&current) {
        assert!(old == new, "docs/man/{name} is stale: {regenerate}");
    }
    assert!(current.iter().any(|(n, _)| n == "threatgraph-path.1"), "a page per command");
    // `man` with no folder prints the program's page.
    let out = threatgraph(root()).arg("man").output().expect("runs");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        current.iter().find(|(n, _)| n == "threatgraph.1").expect("page").1
    );
}

/// Runs `command` through `script`, which gives it a terminal, and returns what it printed.
/// `None` when `script` (util-linux) is missing and `CI` is not set.
fn on_a_terminal(command: &str, no_color: bool) -> Option<String> {
    let mut script = std::process::Command::new("script");
    script
        .args(["-qec", command, "/dev/null"])
        .current_dir(fixtures().join("valid"))
        .env("TERM", "xterm")
        .env("THREATGRAPH_CACHE", std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("snapshot-cache"));
    if no_color {
        script.env("NO_COLOR", "1");
    } else {
        script.env_remove("NO_COLOR");
    }
    match script.output() {
        Ok(out) => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        Err(e) => {
            assert!(std::env::var_os("CI").is_none(), "`script` is needed to test colour: {e}");
            eprintln!("`script` is missing ({e}): skipping the colour test");
            None
        }
    }
}

/// Diagnostics are coloured on a terminal; `NO_COLOR`, or a stdout that is not a terminal,
/// turns colour off.
#[test]
fn colour_follows_the_terminal_and_no_color() {
    let show = format!("{} --data . show nobody-at-all", env!("CARGO_BIN_EXE_threatgraph"));
    let Some(coloured) = on_a_terminal(&show, false) else { return };
    assert!(coloured.contains("no entity is called") && coloured.contains("\x1b["), "{coloured:?}");
    let plain = on_a_terminal(&show, true).expect("script ran once");
    assert!(plain.contains("no entity is called") && !plain.contains('\x1b'), "NO_COLOR: {plain:?}");
    let piped = on_a_terminal(&format!("{show} | cat"), false).expect("script ran once");
    assert!(piped.contains("no entity is called") && !piped.contains('\x1b'), "stdout piped: {piped:?}");
}

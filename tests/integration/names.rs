//! Names a person would type, on the repository's dataset: a search's clear best match is
//! taken (and said on stderr), close ones are listed (exit 2); search reads words in any
//! order, aliases as names, and the text of summaries; `neighbours --kind` lists what it
//! reaches; `timeline --subkind` keeps one sort of event.

use super::{json, root, threatgraph};

/// Runs the binary on `data/`; returns (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let out = threatgraph(root()).args(["--data", "data"]).args(args).output().expect("runs");
    (
        out.status.code().expect("exited"),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

fn ids(out: &str) -> Vec<String> {
    let v = json(out);
    v.as_array().expect("a list").iter().map(|h| h["id"].as_str().expect("id").to_owned()).collect()
}

#[test]
fn a_clear_best_match_is_taken_and_said_on_stderr() {
    for (typed, id, name) in [
        ("Crocus attack", "crocus-city-hall-attack-2024", "Crocus City Hall attack"),
        ("Kerman bombing", "kerman-bombings-2024", "Kerman bombings"),
        ("Ahvaz attack", "ahvaz-military-parade-attack-2018", "Ahvaz military parade attack"),
    ] {
        let (code, out, err) = run(&["show", typed, "--format", "json"]);
        assert_eq!(code, 0, "{typed}: {err}");
        assert_eq!(json(&out)["id"], id, "{typed}");
        assert_eq!(err, format!("taking \"{typed}\" as {name} ({id})\n"));
    }
    let (code, _, err) = run(&["path", "Madrid 2004", "Barcelona attack cell"]);
    assert_ne!(code, 2, "{err}");
    assert!(
        err.starts_with("taking \"Madrid 2004\" as 2004 Madrid train bombings (madrid-train-bombings)\n"),
        "{err}"
    );
    // An exact name or id says nothing.
    let (code, _, err) = run(&["show", "Kerman bombings"]);
    assert_eq!((code, err.as_str()), (0, ""));
}

/// "Crocus" names the venue and the attack alike (0.84 and 0.83): both are listed, neither
/// taken; so are the cell and the attack of "Barcelona 2017".
#[test]
fn matches_within_the_margin_are_listed_not_taken() {
    for (typed, candidates) in [
        ("Crocus", ["crocus-city-hall", "crocus-city-hall-attack-2024"]),
        ("Barcelona 2017", ["barcelona-cell-2017", "barcelona-attack-2017"]),
    ] {
        let (code, out, err) = run(&["show", typed]);
        assert_eq!((code, out.as_str()), (2, ""), "{typed}");
        assert!(err.contains("none clearly first"), "{err}");
        // The help is wrapped to the terminal, ids and all.
        let unwrapped = err.replace(char::is_whitespace, "");
        for id in candidates {
            assert!(unwrapped.contains(&format!("`{id}`")), "{typed}: {err}");
        }
    }
}

#[test]
fn search_reads_words_in_any_order_and_aliases_as_names() {
    let first = |q: &str| {
        let (code, out, _) = run(&["search", q, "--format", "json"]);
        assert_eq!(code, 0, "{q}");
        json(&out)[0].clone()
    };
    let embassy = first("Russian embassy in Kabul bombing");
    assert_eq!(embassy["id"], "kabul-russian-embassy-bombing-2022");
    assert_eq!(embassy["match"], "words");
    let isk = first("ISIS Khorasan");
    assert_eq!(isk["id"], "is-k");
    assert_eq!(isk["read_as"], "islamic state khorasan");
    assert_eq!(first("Daesh Khorasan")["id"], "is-k");
    assert_eq!(first("Ahvaz attack")["id"], "ahvaz-military-parade-attack-2018");
    assert!(first("Kerman bombings").get("read_as").is_none(), "read as typed");
}

#[test]
fn text_search_finds_summaries_with_the_passage() {
    let (code, out, _) = run(&["search", "--text", "warned in advance", "--format", "json"]);
    assert_eq!(code, 0);
    let hits = json(&out);
    let found = ids(&out);
    assert!(found.contains(&"crocus-city-hall-attack-2024".to_owned()), "{out}");
    for h in hits.as_array().expect("hits") {
        assert_eq!(h["match"], "text");
        let snippet = h["snippet"].as_str().expect("snippet").to_lowercase();
        assert!(snippet.contains("warned in advance"), "{snippet}");
    }
    let (code, out, _) = run(&["search", "--text", "no such words anywhere xyzzy"]);
    assert_eq!((code, out.as_str()), (1, "no summary or note holds these words\n"));
}

#[test]
fn neighbours_kind_lists_people_reached_through_groups() {
    let (code, out, _) = run(&["neighbours", "is-k", "--kind", "Person", "--depth", "2", "--format", "json"]);
    assert_eq!(code, 0);
    let v = json(&out);
    let nodes = v["nodes"].as_array().expect("nodes");
    assert!(nodes.len() > 5, "people two links from IS-K: {out}");
    assert!(nodes.iter().skip(1).all(|n| n["kind"] == "Person"), "{out}");
}

#[test]
fn timeline_keeps_the_sub_kinds_asked_for() {
    for subkind in ["Attack", "Plot"] {
        let (code, out, _) = run(&["timeline", "--subkind", subkind, "--format", "json"]);
        assert_eq!(code, 0);
        let entries = json(&out);
        let entries = entries.as_array().expect("entries");
        assert!(entries.len() > 3, "{subkind}: {out}");
        assert!(entries.iter().all(|e| e["subkind"] == subkind), "{subkind}: {out}");
    }
    let (_, both, _) = run(&["timeline", "--subkind", "Attack,Plot", "--format", "json"]);
    let (_, all, _) = run(&["timeline", "--format", "json"]);
    assert!(ids(&both).len() < ids(&all).len(), "arrests, meetings and the rest are left out");
}

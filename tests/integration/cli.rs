//! The command line on the fictional fixture folder: exit codes, JSON shapes (the stable
//! interface documented in the README), and text output pinned by snapshots.

use super::{json, run_valid};

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
        ("timeline", &["timeline"]),
        ("search", &["search", "example"]),
        ("check", &["check"]),
    ] {
        let (_, out, _) = run_valid(args);
        insta::assert_snapshot!(format!("text-{name}"), out);
    }
}

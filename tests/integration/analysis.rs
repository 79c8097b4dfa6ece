//! The analysis commands end to end: `rank` against NetworkX's numbers for a fixture network
//! (tests/fixtures/rank, with the script that produced them), `clusters`, `chain`,
//! `chain check`, `path --time-ordered`, `connect` and `common`: exit codes and JSON shapes.

use std::collections::BTreeMap;
use std::process::Command;

use super::{fixtures, json, run_valid, threatgraph};

/// NetworkX's numbers for the rank fixture, as committed.
fn reference() -> serde_json::Value {
    let text = std::fs::read_to_string(fixtures().join("rank/networkx.json")).expect("networkx.json");
    json(&text)
}

fn run_rank_fixture(args: &[&str]) -> serde_json::Value {
    let out =
        threatgraph(&fixtures().join("rank")).args(["--data", ".", "--format", "json"]).args(args).output();
    let out = out.expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    json(&String::from_utf8(out.stdout).expect("utf-8"))
}

#[test]
fn rank_agrees_with_networkx() {
    let expected = reference();
    for measure in ["degree", "betweenness", "closeness", "pagerank"] {
        let ranked = run_rank_fixture(&["rank", "--by", measure, "--top", "1000"]);
        let ranked = ranked.as_array().expect("a list");
        let want = expected[measure].as_object().expect("scores by id");
        assert_eq!(ranked.len(), want.len(), "{measure}: every entity is ranked");
        let mut previous = f64::INFINITY;
        for r in ranked {
            let id = r["id"].as_str().expect("id");
            let score = r["score"].as_f64().expect("score");
            let nx = want[id].as_f64().expect("networkx score");
            assert!((score - nx).abs() < 1e-9, "{measure} of {id}: threatgraph {score}, NetworkX {nx}");
            assert!(score <= previous, "{measure}: highest first");
            previous = score;
            for key in ["name", "kind"] {
                assert!(r.get(key).is_some(), "{key} missing in {r}");
            }
        }
    }
}

#[test]
fn rank_filters_kinds_and_cuts_at_top() {
    let people = run_rank_fixture(&["rank", "--by", "betweenness", "--kind", "Person", "--top", "3"]);
    let people = people.as_array().expect("a list");
    assert_eq!(people.len(), 3);
    assert!(people.iter().all(|p| p["kind"] == "Person"));
    // Gil joins the two cells: the broker among the people.
    assert_eq!(people[0]["id"], "gil");
}

#[test]
fn components_and_modularity_agree_with_networkx() {
    let expected = reference();
    let found = run_rank_fixture(&["clusters"]);
    assert_eq!(found["nodes"], expected["nodes"]);
    assert_eq!(found["connections"], expected["edges"]);
    let mut ours: Vec<Vec<String>> = found["components"]
        .as_array()
        .expect("components")
        .iter()
        .map(|c| {
            let mut ids: Vec<String> = c["members"]
                .as_array()
                .expect("members")
                .iter()
                .map(|m| m["id"].as_str().expect("id").to_owned())
                .collect();
            ids.sort();
            ids
        })
        .collect();
    let isolated = found["isolated"].as_u64().expect("isolated") as usize;
    let theirs: Vec<Vec<String>> = serde_json::from_value(expected["components"].clone()).expect("lists");
    let (singletons, mut connected): (Vec<_>, Vec<_>) = theirs.into_iter().partition(|c| c.len() == 1);
    assert_eq!(isolated, singletons.len(), "entities with no connection are counted, not listed");
    ours.sort();
    connected.sort();
    assert_eq!(ours, connected);
    let modularity = found["modularity"].as_f64().expect("modularity");
    assert!(modularity > 0.3, "the two cells and the ring are found as communities: {modularity}");

    // The modularity formula itself, on the partition into components, against NetworkX's.
    let graph = load_graph(&fixtures().join("rank"));
    let net = threatgraph::query::network::Network::build(&graph, &Default::default());
    let components = net.components();
    let q = threatgraph::query::clusters::modularity(&net, &components);
    let nx = expected["component_modularity"].as_f64().expect("number");
    assert!((q - nx).abs() < 1e-12, "threatgraph {q}, NetworkX {nx}");
}

fn load_graph(dir: &std::path::Path) -> threatgraph::graph::KnowledgeGraph {
    let loaded = threatgraph::load::load(dir);
    assert!(loaded.problems.iter().all(|p| !p.is_error()));
    threatgraph::graph::KnowledgeGraph::build(loaded.dataset)
}

/// The Python with NetworkX that CI sets up (`THREATGRAPH_PYTHON`). Under CI it must be there;
/// elsewhere a test that needs it says so and passes.
pub fn python() -> Option<String> {
    match std::env::var("THREATGRAPH_PYTHON") {
        Ok(p) if !p.is_empty() => Some(p),
        _ if std::env::var_os("CI").is_some() => {
            panic!("CI is set but THREATGRAPH_PYTHON is not: .ci/run sets it")
        }
        _ => {
            eprintln!(
                "THREATGRAPH_PYTHON is not set: skipping the comparison that runs Python (see docs/development.md)"
            );
            None
        }
    }
}

#[test]
fn the_committed_numbers_are_what_networkx_computes() {
    let Some(python) = python() else { return };
    let script = fixtures().join("rank/networkx_reference.py");
    let out = Command::new(&python).arg(&script).output().expect("python runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let fresh = json(&String::from_utf8(out.stdout).expect("utf-8"));
    let committed = reference();
    for measure in ["degree", "betweenness", "closeness", "pagerank"] {
        let (a, b): (BTreeMap<String, f64>, BTreeMap<String, f64>) = (
            serde_json::from_value(fresh[measure].clone()).expect("scores"),
            serde_json::from_value(committed[measure].clone()).expect("scores"),
        );
        assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
        for (id, x) in &a {
            assert!((x - b[id]).abs() < 1e-12, "{measure} of {id}: fresh {x}, committed {}", b[id]);
        }
    }
    assert_eq!(fresh["components"], committed["components"]);
}

#[test]
fn chain_json_shape_and_exit_codes() {
    let (code, out, _) = run_valid(&["chain", "ann", "--format", "json"]);
    assert_eq!(code, 0);
    let v = json(&out);
    assert_eq!(v["actor"]["id"], "ann");
    let c = &v["chains"][0];
    for key in ["attack", "steps", "weakest", "time_ordered", "stages", "missing_stages", "undated"] {
        assert!(c.get(key).is_some(), "{key} missing in {c}");
    }
    assert_eq!(c["attack"]["id"], "zed-plot");
    assert_eq!(c["stages"].as_array().expect("stages").len(), 6, "every stage is listed");
    assert_eq!(c["steps"][1]["dated_by"], "event");
    for key in ["from", "rel", "to", "direction", "certainty", "date", "sources", "when"] {
        assert!(c["steps"][0].get(key).is_some(), "{key} missing in a step");
    }
    // A place reaches no attack through operational relations: a "no".
    let (code, out, _) = run_valid(&["chain", "testland"]);
    assert_eq!(code, 1);
    assert!(out.contains("no chain"), "{out}");
    let (code, _, err) = run_valid(&["chain", "ann", "--to", "testville"]);
    assert_eq!(code, 2);
    assert!(err.contains("not an attack or a plot"), "{err}");
    let (code, _, err) = run_valid(&["chain", "ann", "--rel", "SiblingOf"]);
    assert_eq!(code, 2);
    assert!(err.contains("not an operational relation"), "{err}");
    // A budget of no chain cuts the search, and the answer says so and how to go further.
    let (_, out, _) = run_valid(&["chain", "ann", "--budget", "0", "--format", "json"]);
    assert_eq!(
        (json(&out)["truncated"].as_bool(), json(&out)["cut_by"].as_str()),
        (Some(true), Some("budget"))
    );
    let (_, out, _) = run_valid(&["chain", "ann", "--budget", "0"]);
    assert!(out.contains("stopped after finding 0 chains") && out.contains("raise --budget"), "{out}");
}

#[test]
fn chain_check_exits_1_on_a_verdict_that_differs() {
    let (code, out, _) = run_valid(&["chain", "check", "chains", "--format", "json"]);
    assert_eq!(code, 0);
    let v = json(&out);
    assert_eq!(v[0]["name"], "cat-attack");
    assert_eq!(v[0]["expected"], "supported");
    assert_eq!(v[0]["verdict"], "supported");
    assert_eq!(v[0]["steps"][0]["status"], "supported");

    let dir = tempfile::tempdir().expect("temp dir");
    let wrong = dir.path().join("wrong.ron");
    std::fs::write(
        &wrong,
        r#"[(name: "ann-dan", claim: "Ann and Dan were associates.", steps: [(from: "ann", rel: AssociateOf, to: "dan")], expect: Supported)]"#,
    )
    .expect("write");
    let (code, out, _) = run_valid(&["chain", "check", wrong.to_str().expect("utf-8 path")]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("MISMATCH  ann-dan: contradicted, expected supported"), "{out}");
    assert!(out.contains("REFUTED"), "{out}");

    let (code, _, err) = run_valid(&["chain", "check", "no-such-file.ron"]);
    assert_eq!(code, 2);
    assert!(err.contains("no-such-file.ron"), "{err}");
}

#[test]
fn time_ordered_paths_connect_and_common() {
    let (code, out, _) = run_valid(&["path", "ann", "zed-attack", "--time-ordered", "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let v = json(&out);
    assert!(!v["paths"].as_array().expect("paths").is_empty());
    let (code, _, err) = run_valid(&["path", "ann", "zed-attack", "--max-gap", "2y"]);
    assert_eq!(code, 2, "--max-gap needs --time-ordered");
    assert!(err.contains("--time-ordered"), "{err}");
    let (code, _, err) = run_valid(&["path", "ann", "zed-attack", "--time-ordered", "--max-gap", "soon"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a duration"), "{err}");

    let (code, out, _) = run_valid(&["connect", "ann", "cat", "testville", "--format", "json"]);
    assert_eq!(code, 0);
    let v = json(&out);
    for key in ["entities", "paths", "nodes", "intermediaries", "unconnected"] {
        assert!(v.get(key).is_some(), "{key} missing");
    }
    // Ann and Cat are associates; Ann's arrest and Cat's attack both took place in Testville.
    assert_eq!(v["paths"].as_array().map(Vec::len), Some(3));
    assert_eq!(v["intermediaries"][0]["id"], "ann-arrest");
    assert_eq!(v["intermediaries"][0]["joins"], 2);
    let (code, _, _) = run_valid(&["connect", "ann"]);
    assert_eq!(code, 2, "connect needs two entities");

    let (code, out, _) = run_valid(&["common", "cat", "dan", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(json(&out)["shared"][0]["entity"]["id"], "zed-attack");
}

#[test]
fn analysis_text_output() {
    for (name, args) in [
        ("chain_ann", &["chain", "ann", "--all"][..]),
        ("chain_check_valid", &["chain", "check", "chains"][..]),
        ("rank_degree", &["rank", "--by", "degree", "--top", "5"][..]),
        ("clusters_valid", &["clusters"][..]),
        ("common_cat_dan", &["common", "cat", "dan"][..]),
    ] {
        let (code, out, err) = run_valid(args);
        assert_eq!(code, 0, "{name}: {err}");
        insta::assert_snapshot!(name, out);
    }
}

//! Diagrams and exports: the DOT writer against hostile names (parsed back by graphviz-rust
//! and by Graphviz `dot`), `export dot|svg|png|html`, `render --check`, and the data exports
//! loaded by the real tools: NetworkX (GraphML, JSON node-link), the `followthemoney`
//! library (FtM) and headless Chromium (HTML).
//!
//! Python (with networkx and followthemoney), Graphviz and Chromium are installed by
//! `.ci/run`. Python is `$THREATGRAPH_PYTHON` (else `target/ci-venv/bin/python`), Chromium is
//! `$THREATGRAPH_CHROMIUM` (else `chromium`). When a tool is missing, a test fails if `CI` is
//! set, and otherwise prints a notice and skips.

use std::path::{Path, PathBuf};
use std::process::Command;

use graphviz_rust::dot_structures::{Graph, Stmt};
use proptest::prelude::*;
use threatgraph::KnowledgeGraph;
use threatgraph::export::dot;
use threatgraph::export::view::{Refuted, whole};
use threatgraph::query::LinkFilter;

use super::{fixtures, json, root, run_valid, threatgraph};

/// A tool the test needs, or `None` (after a notice) when it is missing outside CI.
pub(super) fn require(what: &str, found: Option<PathBuf>) -> Option<PathBuf> {
    if found.is_some() {
        return found;
    }
    if std::env::var_os("CI").is_some() {
        panic!("{what} is missing and CI is set: run .ci/run, which installs it");
    }
    eprintln!("note: {what} is missing: test skipped (run .ci/run to install it)");
    None
}

pub(super) fn works(program: &Path, args: &[&str]) -> bool {
    Command::new(program).args(args).output().is_ok_and(|o| o.status.success())
}

/// Python with networkx and followthemoney.
fn python() -> Option<PathBuf> {
    let candidate = std::env::var_os("THREATGRAPH_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/ci-venv/bin/python"));
    let ok = works(&candidate, &["-c", "import networkx, followthemoney"]);
    require("Python with networkx and followthemoney ($THREATGRAPH_PYTHON)", ok.then_some(candidate))
}

fn chromium() -> Option<PathBuf> {
    let candidate =
        std::env::var_os("THREATGRAPH_CHROMIUM").map_or_else(|| PathBuf::from("chromium"), PathBuf::from);
    let ok = works(&candidate, &["--version"]);
    require("Chromium ($THREATGRAPH_CHROMIUM or `chromium`)", ok.then_some(candidate))
}

pub fn graphviz() -> bool {
    require("Graphviz `dot`", works(Path::new("dot"), &["-V"]).then(|| PathBuf::from("dot"))).is_some()
}

/// Runs a Python script with arguments; returns its stdout, failing with its stderr.
fn run_python(python: &Path, script: &str, args: &[&Path]) -> String {
    let out = Command::new(python).arg("-c").arg(script).args(args).output().expect("python runs");
    assert!(out.status.success(), "python failed:\n{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Runs the binary on the repository's data (from the root); returns (code, stdout, stderr).
fn run_repo(args: &[&str]) -> (i32, Vec<u8>, String) {
    let out = threatgraph(root()).args(args).output().expect("runs");
    (out.status.code().expect("exited"), out.stdout, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Entity and link totals of the repository's data, as `check` counts them.
fn repo_totals() -> (u64, u64) {
    let (code, out, _) = run_repo(&["check", "--format", "json"]);
    assert_eq!(code, 0);
    let v = json(&String::from_utf8(out).expect("utf-8"));
    (v["entities"]["total"].as_u64().expect("n"), v["links"]["total"].as_u64().expect("n"))
}

/// Exports the whole repository graph in `format` to `dir/name`.
fn export_repo(format: &str, dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let (code, _, err) = run_repo(&["export", format, "-o", path.to_str().expect("utf-8 path")]);
    assert_eq!(code, 0, "{err}");
    path
}

// --- The DOT writer against hostile names --------------------------------------------------

/// Statements in a parsed graph, subgraphs' included.
fn statements(stmts: &[Stmt]) -> usize {
    stmts
        .iter()
        .map(|s| match s {
            Stmt::Subgraph(sub) => 1 + statements(&sub.stmts),
            _ => 1,
        })
        .sum()
}

fn parsed_statements(text: &str) -> usize {
    match graphviz_rust::parse(text).unwrap_or_else(|e| panic!("graphviz-rust cannot parse: {e}\n{text}")) {
        Graph::DiGraph { stmts, .. } | Graph::Graph { stmts, .. } => statements(&stmts),
    }
}

/// (nodes and clusters, edges) as Graphviz itself reads the text.
fn graphviz_counts(text: &str) -> (usize, usize) {
    let mut child = Command::new("dot")
        .arg("-Tjson0")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("dot runs");
    use std::io::Write;
    child.stdin.take().expect("stdin").write_all(text.as_bytes()).expect("write");
    let out = child.wait_with_output().expect("dot ends");
    assert!(out.status.success(), "dot rejects the text: {}\n{text}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let len = |k: &str| v[k].as_array().map_or(0, Vec::len);
    (len("objects"), len("edges"))
}

/// The valid fixture with `hostile` worked into a name, an alias, an id, a summary and a note.
fn hostile_graph(hostile: &str) -> KnowledgeGraph {
    let mut loaded = threatgraph::load::load(&fixtures().join("valid"));
    let d = &mut loaded.dataset;
    let ann = d.entities.iter().position(|e| e.id.as_str() == "ann").expect("ann");
    let new_id = threatgraph::Id::new(format!("ann{hostile}"));
    for l in &mut d.links {
        if l.from.as_str() == "ann" {
            l.from = new_id.clone();
        }
        if l.to.as_str() == "ann" {
            l.to = new_id.clone();
        }
        l.note = Some(format!("note {hostile}"));
    }
    let e = &mut d.entities[ann];
    e.id = new_id;
    e.name = format!("Ann {hostile}");
    e.aliases.push(hostile.to_owned());
    for e in &mut d.entities {
        e.summary = Some(format!("{hostile} summary"));
    }
    d.entities[1].name = hostile.to_owned();
    KnowledgeGraph::build(std::mem::take(&mut loaded.dataset))
}

fn hostile_dot(hostile: &str) -> String {
    let g = hostile_graph(hostile);
    let mut sel = whole(&g, &LinkFilter::default(), Refuted::Show, &format!("Title {hostile}"));
    sel.cluster = Some(threatgraph::model::Cluster::Country);
    dot::write(&g, &sel, hostile, dot::Options::default())
}

fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\"".to_owned()),
        Just("\\".to_owned()),
        Just("]".to_owned()),
        Just("[".to_owned()),
        Just(";".to_owned()),
        Just("->".to_owned()),
        Just("--".to_owned()),
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just("\n".to_owned()),
        Just("\r".to_owned()),
        Just("</b>".to_owned()),
        Just("<".to_owned()),
        Just("=".to_owned()),
        Just("\\N".to_owned()),
        Just("node".to_owned()),
        Just("\u{0}".to_owned()),
        "[a-z ]{0,3}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..10).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// graphviz-rust reads back exactly the statements written for harmless names.
    #[test]
    fn hostile_names_add_no_statements(hostile in hostile_text()) {
        let expected = parsed_statements(&hostile_dot("x"));
        prop_assert_eq!(parsed_statements(&hostile_dot(&hostile)), expected);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// Graphviz itself reads the same nodes and edges as for harmless names.
    #[test]
    fn hostile_names_add_no_nodes_or_edges_for_graphviz(hostile in hostile_text()) {
        if std::env::var_os("CI").is_some() || works(Path::new("dot"), &["-V"]) {
            prop_assert_eq!(graphviz_counts(&hostile_dot(&hostile)), graphviz_counts(&hostile_dot("x")));
        }
    }
}

#[test]
fn named_hostile_cases_parse_back() {
    let cases =
        ["a\"; evil [shape=box]; \"", "x] -> y {", "</b><script>", "\\", "line\nbreak", "\\\"", "\"\\"];
    let expected = parsed_statements(&hostile_dot("x"));
    for c in cases {
        assert_eq!(parsed_statements(&hostile_dot(c)), expected, "{c:?}");
    }
}

// --- Diagrams -------------------------------------------------------------------------------

#[test]
fn dot_of_every_view_is_deterministic_and_parses() {
    let views = std::fs::read_dir(root().join("data/views")).expect("views");
    for v in views {
        let name = v.expect("entry").path().file_stem().expect("stem").to_string_lossy().into_owned();
        let (code, first, err) = run_repo(&["export", "dot", "--view", &name]);
        assert_eq!(code, 0, "{name}: {err}");
        let (_, second, _) = run_repo(&["export", "dot", "--view", &name]);
        assert_eq!(first, second, "{name}: same data, same bytes");
        let text = String::from_utf8(first).expect("utf-8");
        assert!(parsed_statements(&text) > 10, "{name}");
        assert!(text.contains("data as of "), "{name}: the title carries the data's date");
        assert!(text.contains("ID=\"legend\""), "{name}: a legend");
    }
}

#[test]
fn dot_styles_by_certainty_and_marks_refuted_links() {
    let (code, out, _) = run_valid(&["export", "dot"]);
    assert_eq!(code, 0);
    assert!(out.contains("label=\"REFUTED: AssociateOf\""), "{out}");
    assert!(out.contains("arrowhead=\"tee\""));
    assert!(out.contains("label=\"Perpetrated (Suspected)\" "), "an allegation says so");
    assert!(out.contains("style=\"dashed\""));
    assert!(!out.contains("subgraph \"cluster_testland\""), "the whole graph is not clustered");
    let (_, clustered, _) = run_valid(&["export", "dot", "--cluster", "country"]);
    assert!(clustered.contains("subgraph \"cluster_testland\""), "{clustered}");
    let (_, flat, _) = run_valid(&["export", "dot", "--view", "alpha", "--cluster", "none"]);
    assert!(!flat.contains("subgraph \"cluster_testland\""));
    let (_, without, _) = run_valid(&["export", "dot", "--no-refuted"]);
    assert!(!without.contains("REFUTED: AssociateOf"));
    assert!(out.contains(">REFUTED: not a connection<"), "the legend explains the style when it is used");
    assert!(!without.contains("not a connection"), "and only then");
}

#[test]
fn selections_by_view_around_and_path() {
    let (code, out, _) = run_valid(&["export", "json", "--around", "Ann Example", "--depth", "1"]);
    assert_eq!(code, 0);
    let ids: Vec<String> = json(&out)["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["id"].as_str().expect("id").to_owned())
        .collect();
    for id in ["ann", "alpha-cell", "ann-arrest"] {
        assert!(ids.contains(&id.to_owned()), "{id} is next to ann: {ids:?}");
    }
    assert!(!ids.contains(&"dan".to_owned()), "a refuted link is not followed: {ids:?}");
    assert!(!ids.contains(&"zed-attack".to_owned()), "two links away: {ids:?}");
    let (code, out, _) = run_valid(&["export", "json", "--path", "ann", "testville"]);
    assert_eq!(code, 0);
    let doc = json(&out);
    assert!(doc["graph"]["title"].as_str().expect("title").starts_with("Paths from Ann Example"));
    let (code, out, err) =
        run_valid(&["export", "json", "--path", "ann", "dan", "--min-certainty", "Confirmed"]);
    assert_eq!(code, 1, "no path is a no: {err}");
    let doc = json(&out);
    assert_eq!(doc["nodes"].as_array().map(Vec::len), Some(2));
    assert_eq!(doc["links"][0]["certainty"], "Refuted", "the denial between the two is part of the answer");
    let (code, out, _) = run_valid(&["export", "dot", "--view", "alpha"]);
    assert_eq!(code, 0);
    assert!(out.contains("The Alpha Cell"));
    let (code, _, err) = run_valid(&["export", "dot", "--view", "nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("views in") && err.contains("alpha"), "{err}");
    // Ann's chain: her cell, and the plot it is alleged to have made.
    let (code, out, _) = run_valid(&["export", "json", "--chain", "ann"]);
    assert_eq!(code, 0);
    let doc = json(&out);
    let mut ids: Vec<&str> =
        doc["nodes"].as_array().expect("nodes").iter().map(|n| n["id"].as_str().expect("id")).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["alpha-cell", "ann", "zed-plot"]);
    assert!(doc["graph"]["title"].as_str().expect("title").starts_with("Path-to-attack chains from Ann"));
}

#[test]
fn svg_png_and_a_missing_graphviz() {
    if !graphviz() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let svg = dir.path().join("a.svg");
    let png = dir.path().join("a.png");
    for (format, path) in [("svg", &svg), ("png", &png)] {
        let (code, _, err) =
            run_valid(&["export", format, "--view", "alpha", "-o", path.to_str().expect("utf-8")]);
        assert_eq!(code, 0, "{err}");
    }
    // Graphviz writes `-` as `&#45;` and line breaks as `&#10;`.
    let svg = std::fs::read_to_string(svg).expect("svg").replace("&#45;", "-").replace("&#10;", "\n");
    assert!(svg.contains("<svg") && svg.contains("id=\"n-ann\""));
    assert!(svg.contains("xlink:title=\"Ann Example —MemberOf→ Alpha Cell"), "tooltips carry the link");
    assert!(svg.contains("sources:"), "and its sources");
    assert!(std::fs::read(png).expect("png").starts_with(b"\x89PNG"));
    let (code, _, err) = run_valid(&["export", "png"]);
    assert_eq!(code, 2, "PNG is never written to the terminal: {err}");

    let empty = tempfile::tempdir().expect("tempdir");
    let out = threatgraph(&fixtures().join("valid"))
        .env("PATH", empty.path())
        .args(["--data", ".", "export", "svg"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("apt-get install graphviz") && err.contains("brew install graphviz"), "{err}");
}

#[test]
fn render_check_passes_on_the_committed_graphs_and_catches_staleness() {
    if !graphviz() {
        return;
    }
    let (code, out, err) = run_repo(&["render", "--check"]);
    assert_eq!(code, 0, "graphs/ is stale: run `threatgraph render`\n{}{err}", String::from_utf8_lossy(&out));
    let dir = tempfile::tempdir().expect("tempdir");
    let out_dir = dir.path().join("graphs");
    let out_arg = out_dir.to_str().expect("utf-8");
    let (code, _, _) = run_valid(&["render", "--check", "--out", out_arg]);
    assert_eq!(code, 1, "nothing rendered yet");
    let (code, out, _) = run_valid(&["render", "--out", out_arg]);
    assert_eq!(code, 0);
    assert!(out.contains("alpha.dot") && out.contains("alpha.svg"), "{out}");
    let (code, _, _) = run_valid(&["render", "--check", "--out", out_arg]);
    assert_eq!(code, 0, "fresh");
    std::fs::write(out_dir.join("alpha.dot"), "digraph {}\n").expect("write");
    std::fs::write(out_dir.join("gone.svg"), "<svg/>").expect("write");
    let (code, out, _) = run_valid(&["render", "--check", "--out", out_arg]);
    assert_eq!(code, 1);
    assert!(out.contains("alpha.dot") && out.contains("gone.svg") && !out.contains("alpha.svg"), "{out}");
    let (code, _, _) = run_valid(&["render", "--out", out_arg]);
    assert_eq!(code, 0);
    assert!(!out_dir.join("gone.svg").exists(), "diagrams of deleted views are removed");
}

#[test]
fn html_is_offline_and_search_highlights_in_chromium() {
    if !graphviz() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("view.html");
    let (code, _, err) =
        run_repo(&["export", "html", "--view", "manchester-links", "-o", page.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(&page).expect("html");
    for tag in
        html.split('<').filter(|t| t.starts_with("script") || t.starts_with("link") || t.starts_with("img"))
    {
        let head = tag.split('>').next().unwrap_or("");
        assert!(!head.contains("http") && !head.contains("src="), "a fetch from the network: <{head}>");
    }
    assert!(!html.contains("<link"), "no external style sheets");
    let Some(chromium) = chromium() else { return };
    let dom = dump_dom(&chromium, &format!("file://{}#search=Abedi", page.display()));
    let body = dom.split("<body").nth(1).and_then(|b| b.split('>').next()).expect("a body");
    assert!(body.contains("data-ready=\"true\""), "the script ran: <body{body}>");
    assert!(!body.contains("data-errors"), "script errors: <body{body}>");
    assert!(body.contains("data-matches=\"1\""), "<body{body}>");
    // Opened fitted to the window, zoomable, with the hub in view and the panel beside it.
    assert!(body.contains("data-hub-visible=\"true\""), "<body{body}>");
    let hub = body.split("data-hub=\"").nth(1).and_then(|h| h.split('"').next()).expect("a hub");
    assert!(dom.contains(&format!("<g id=\"n-{hub}\"")), "the hub {hub:?} is drawn");
    let svg = dom.split("<svg").nth(1).and_then(|s| s.split('>').next()).expect("an svg");
    assert!(svg.contains("preserveAspectRatio=\"xMidYMid meet\"") && !svg.contains("width=\""), "<svg{svg}>");
    assert!(dom.contains("<aside id=\"tg-info\"") && dom.contains("id=\"tg-fit\""));
    let tag = |dom: &str, id: &str| {
        dom.split(&format!("<g id=\"{id}\""))
            .nth(1)
            .and_then(|g| g.split('>').next())
            .unwrap_or("")
            .to_owned()
    };
    assert!(tag(&dom, "n-salman-abedi").contains("tg-match"), "search highlights the node");
    let other = tag(&dom, "n-libya");
    assert!(other.contains("tg-dim") && !other.contains("tg-match"), "{other}");

    // What a click on a node does, asked for by the address.
    let dom = dump_dom(&chromium, &format!("file://{}#focus=salman-abedi", page.display()));
    assert!(dom.contains("data-ready=\"true\"") && !dom.contains("data-errors"));
    assert!(tag(&dom, "n-salman-abedi").contains("tg-focus"));
    assert!(tag(&dom, "n-libya").contains("tg-near"), "a neighbour: {}", tag(&dom, "n-libya"));
    assert!(tag(&dom, "salman-abedi.TraveledTo.libya").contains("tg-near"), "its link");
    assert!(dom.contains("tg-dim"), "the rest is dimmed");
}

/// The DOM of a page after its scripts ran, from headless Chromium.
fn dump_dom(chromium: &Path, url: &str) -> String {
    let profile = tempfile::tempdir().expect("tempdir");
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .expect("chromium runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

// --- Data exports, loaded by the tools that read them ---------------------------------------

#[test]
fn graphml_loads_in_networkx_with_every_entity_and_link() {
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let path = export_repo("graphml", dir.path(), "graph.graphml");
    let script = r#"
import json, sys, networkx as nx
g = nx.read_graphml(sys.argv[1])
abedi = g.nodes["salman-abedi"]
edge = [d for _, _, d in g.edges(data=True) if d.get("certainty") == "Refuted"][0]
print(json.dumps({"type": type(g).__name__, "nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
  "abedi": abedi, "refuted": edge,
  "killed": g.nodes["manchester-arena-bombing"].get("killed")}))
"#;
    let v = json(&run_python(&python, script, &[&path]));
    let (entities, links) = repo_totals();
    assert_eq!(v["type"], "MultiDiGraph", "parallel links are kept apart");
    assert_eq!((v["nodes"].as_u64(), v["edges"].as_u64()), (Some(entities), Some(links)));
    assert_eq!(v["abedi"]["name"], "Salman Abedi");
    assert_eq!(v["abedi"]["kind"], "Person");
    assert!(v["abedi"]["sources"].as_str().expect("sources").contains("ctc-basu-2018"));
    assert!(v["refuted"]["sources"].is_string() && v["refuted"]["grade"].is_string());
    assert!(v["killed"].is_i64(), "killed is typed int: {}", v["killed"]);
}

#[test]
fn json_node_link_loads_in_networkx() {
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let path = export_repo("json", dir.path(), "graph.json");
    let script = r#"
import json, sys, networkx as nx
data = json.load(open(sys.argv[1]))
g = nx.node_link_graph(data, edges="links")
certain = all("certainty" in d and d["sources"] for _, _, d in g.edges(data=True))
print(json.dumps({"type": type(g).__name__, "nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
  "certain": certain, "kind": g.nodes["is-k"]["kind"]}))
"#;
    let v = json(&run_python(&python, script, &[&path]));
    let (entities, links) = repo_totals();
    assert_eq!(v["type"], "MultiDiGraph");
    assert_eq!((v["nodes"].as_u64(), v["edges"].as_u64()), (Some(entities), Some(links)));
    assert_eq!(v["certain"], true, "every link has a certainty and sources");
    assert_eq!(v["kind"], "Group");
}

#[test]
fn ftm_entities_validate_with_the_followthemoney_library() {
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let path = export_repo("ftm", dir.path(), "graph.ftm.json");
    let script = r#"
import json, sys
from collections import Counter
from followthemoney import model
ids, refs, problems, schemata = set(), [], [], Counter()
for n, line in enumerate(open(sys.argv[1]), 1):
    data = json.loads(line)
    proxy = model.get_proxy(data, cleaned=False)
    for prop, values in data["properties"].items():
        if prop not in proxy.schema.properties:
            problems.append(f"line {n}: {proxy.schema.name} has no property {prop}")
            continue
        if sorted(proxy.get(prop)) != sorted(values):
            problems.append(f"line {n}: {prop} {values} cleaned to {proxy.get(prop)}")
        if proxy.schema.properties[prop].type.name == "entity":
            refs.extend(values)
    if proxy.id in ids:
        problems.append(f"line {n}: duplicate id {proxy.id}")
    ids.add(proxy.id)
    schemata[proxy.schema.name] += 1
    if "." in proxy.id:
        text = " ".join(proxy.get("description"))
        if "graded" not in text or "sources:" not in text:
            problems.append(f"line {n}: no certainty or sources")
problems.extend(f"dangling reference {r}" for r in refs if r not in ids)
print(json.dumps({"problems": problems, "schemata": schemata, "total": len(ids)}))
"#;
    let v = json(&run_python(&python, script, &[&path]));
    assert_eq!(v["problems"], serde_json::json!([]), "{:#}", v["problems"]);
    let (entities, links) = repo_totals();
    assert_eq!(v["total"].as_u64(), Some(entities + links), "one FtM entity per entity and per link");
    for schema in
        ["Person", "Organization", "Event", "Address", "Membership", "Family", "Associate", "UnknownLink"]
    {
        assert!(v["schemata"][schema].as_u64().unwrap_or(0) > 0, "{schema}: {}", v["schemata"]);
    }
}

/// Reads CSV into rows of fields with the `csv` crate, a reader independent of the writer.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("well-formed CSV").iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn neo4j_csv_and_cypher_hold_every_entity_and_link() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = export_repo("neo4j-csv", dir.path(), "neo4j");
    let nodes = csv_rows(&std::fs::read_to_string(folder.join("nodes.csv")).expect("nodes"));
    let rels = csv_rows(&std::fs::read_to_string(folder.join("relationships.csv")).expect("relationships"));
    let (entities, links) = repo_totals();
    assert_eq!(((nodes.len() - 1) as u64, (rels.len() - 1) as u64), (entities, links));
    assert_eq!(&nodes[0][..3], ["id:ID", ":LABEL", "name"]);
    assert_eq!(&rels[0][..3], [":START_ID", ":END_ID", ":TYPE"]);
    assert!(nodes.iter().all(|r| r.len() == nodes[0].len()) && rels.iter().all(|r| r.len() == rels[0].len()));
    let col = |h: &str| rels[0].iter().position(|c| c == h).expect(h);
    assert!(
        rels[1..].iter().all(|r| !r[col("certainty")].is_empty() && !r[col("sources:string[]")].is_empty())
    );
    let ids: std::collections::HashSet<&str> = nodes[1..].iter().map(|r| r[0].as_str()).collect();
    assert!(rels[1..].iter().all(|r| ids.contains(r[0].as_str()) && ids.contains(r[1].as_str())));

    let (code, script, _) = run_repo(&["export", "cypher"]);
    assert_eq!(code, 0);
    let script = String::from_utf8(script).expect("utf-8");
    let lines: Vec<&str> = script.lines().filter(|l| !l.starts_with("//")).collect();
    assert!(lines[0].starts_with("CREATE CONSTRAINT") && lines[0].contains("IF NOT EXISTS"));
    assert_eq!(lines.iter().filter(|l| l.starts_with("MERGE (n:Entity:")).count() as u64, entities);
    let merges: Vec<&&str> = lines.iter().filter(|l| l.starts_with("MATCH ")).collect();
    assert_eq!(merges.len() as u64, links);
    assert!(merges.iter().all(|l| l.contains("certainty: '") && l.contains("sources: [")));
}

#[test]
fn output_files_are_written_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = export_repo("json", dir.path(), "graph.json");
    let (_, stdout, _) = run_repo(&["export", "json"]);
    assert_eq!(std::fs::read(&path).expect("file"), stdout, "-o writes what stdout would show");
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 1, "no temporary file left");
}

#[test]
fn dot_of_the_fixture_view_is_pinned() {
    let (code, out, _) = run_valid(&["export", "dot", "--view", "alpha"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("dot-view-alpha", out);
    let (code, out, _) = run_valid(&["export", "dot", "--path", "ann", "testville", "--no-legend"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("dot-path-ann-testville", out);
}

#[test]
fn hostile_names_cannot_add_script_to_the_html_page() {
    if !graphviz() {
        return;
    }
    let hostile = "</script><script>window.owned=1</script><!--";
    let g = hostile_graph(hostile);
    let sel = whole(&g, &LinkFilter::default(), Refuted::Show, hostile);
    let text = dot::write(&g, &sel, "t", dot::Options::default());
    let svg =
        threatgraph::export::render::render(&text, threatgraph::export::render::Image::Svg).expect("svg");
    let page = threatgraph::export::html::write(&g, &sel, &String::from_utf8_lossy(&svg));
    assert_eq!(page.matches("<script").count(), 2, "the data and the viewer's script, nothing else");
    assert_eq!(page.matches("</script>").count(), 2);
    assert!(!page.contains("<!--"), "no comment opened by a name");
}

#[test]
fn ron_export_is_a_data_folder_with_the_same_facts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = export_repo("ron", dir.path(), "copy");
    let original = threatgraph::load::load(&root().join("data")).dataset;
    let copy = threatgraph::load::load(&folder);
    assert!(copy.problems.is_empty(), "{:?}", copy.problems);
    assert!(threatgraph::validate::validate(&copy).iter().all(|p| !p.is_error()));
    assert_eq!(copy.dataset.entities, original.entities);
    assert_eq!(copy.dataset.links, original.links);
    assert!(copy.dataset.views.is_empty() && copy.dataset.chains.is_empty());
    // The same command again would replace data: refused.
    let (code, _, err) = run_repo(&["export", "ron", "-o", folder.to_str().expect("utf-8")]);
    assert_eq!(code, 2);
    assert!(err.contains("already holds a dataset"), "{err}");

    // A view: its entities and links, and only the sources they cite; a valid folder.
    let view = dir.path().join("view");
    let (code, _, err) =
        run_repo(&["export", "ron", "--view", "manchester-links", "-o", view.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{err}");
    let (_, out, _) = run_repo(&["export", "json", "--view", "manchester-links"]);
    let v = json(&String::from_utf8(out).expect("utf-8"));
    let part = threatgraph::load::load(&view);
    assert!(threatgraph::validate::validate(&part).iter().all(|p| !p.is_error()));
    assert_eq!(part.dataset.entities.len(), v["nodes"].as_array().expect("nodes").len());
    assert_eq!(part.dataset.links.len(), v["links"].as_array().expect("links").len());
    assert!(part.dataset.sources.len() < original.sources.len());
}

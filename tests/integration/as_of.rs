//! `--as-of DATE` and `changes` on the repository's own dataset: what the sources had said
//! by 2016 and by the end of 2018, and what the 2024 articles added.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{json, root, threatgraph};

/// Runs the binary on `data/` with `args`; returns (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let out = threatgraph(root()).args(["--data", "data"]).args(args).output().expect("runs");
    (
        out.status.code().expect("exited"),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

/// The whole graph as of `date`, as the JSON export writes it.
fn whole(date: &str) -> Value {
    let (code, out, err) = run(&["--as-of", date, "export", "json"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.starts_with(&format!("note: as of {date}: ")), "the answer says what it left out: {err}");
    json(&out)
}

fn ids(items: &Value) -> BTreeSet<String> {
    items.as_array().expect("a list").iter().map(|i| i["id"].as_str().expect("an id").to_owned()).collect()
}

/// Every source a node or link of the export cites.
fn cited(graph: &Value) -> BTreeSet<String> {
    let mut all = BTreeSet::new();
    for item in graph["nodes"].as_array().unwrap().iter().chain(graph["links"].as_array().unwrap()) {
        for s in item["sources"].as_array().expect("sources") {
            all.insert(s.as_str().unwrap().to_owned());
        }
    }
    all
}

/// (from, rel, to) of every link in the export.
fn links(graph: &Value) -> BTreeSet<(String, String, String)> {
    let s = |v: &Value| v.as_str().unwrap().to_owned();
    graph["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (s(&l["source"]), s(&l["rel"]), s(&l["target"])))
        .collect()
}

fn link(from: &str, rel: &str, to: &str) -> (String, String, String) {
    (from.to_owned(), rel.to_owned(), to.to_owned())
}

/// The sources of `data/sources.ron` dated in 2024.
const ARTICLES_2024: [&str; 4] =
    ["redline-isk-2024", "btl-is-threat-west-2024", "sky-cir-isk-2024", "escalating-isk-2024"];

#[test]
fn as_of_2016_the_graph_holds_nothing_from_the_2024_articles() {
    let then = whole("2016");
    let sources = cited(&then);
    assert!(!sources.is_empty(), "the 2016 pieces are there");
    for s in &sources {
        assert!(s.ends_with("-2016"), "{s} was not published by the end of 2016");
    }
    let nodes = ids(&then["nodes"]);
    for later in [
        "is-k",
        "crocus-city-hall-attack-2024",
        "kerman-bombings-2024",
        "martyns-law",
        "manchester-arena-bombing",
    ] {
        assert!(!nodes.contains(later), "{later} is not known in 2016");
    }
    // The same through the commands that name entities.
    let (code, _, err) = run(&["--as-of", "2016", "show", "is-k"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no source published by the end of"), "{err}");
    let (code, out, _) = run(&["--as-of", "2016", "--format", "json", "search", "Crocus"]);
    assert_eq!((code, json(&out)), (1, serde_json::json!([])), "nothing found: exit 1");
}

#[test]
fn as_of_the_end_of_2018_manchester_holds_and_the_isk_attacks_of_2022_to_2024_do_not() {
    let then = whole("2018-12");
    let held = links(&then);
    for l in [
        link("salman-abedi", "Perpetrated", "manchester-arena-bombing"),
        link("salman-abedi", "TraveledTo", "libya"),
        link("salman-abedi", "TrainedIn", "libya"),
        link("manchester-arena-bombing", "SubEventOf", "uk-attacks-2017"),
    ] {
        assert!(held.contains(&l), "{l:?} was known from the 2017 and 2018 sources");
    }
    // What only the 2024 interview says about Manchester is not known yet.
    assert!(!held.contains(&link("figen-murray", "ParentOf", "martyn-hett")));
    let nodes = ids(&then["nodes"]);
    for attack in [
        "shiraz-shrine-shooting-2022",
        "kabul-russian-embassy-bombing-2022",
        "kerman-bombings-2024",
        "crocus-city-hall-attack-2024",
    ] {
        assert!(!nodes.contains(attack), "{attack} is not known at the end of 2018");
    }
    assert!(held.iter().all(|(from, _, to)| from != "is-k" && to != "is-k"), "no IS-K link is known yet");
    for s in cited(&then) {
        assert!(!ARTICLES_2024.contains(&s.as_str()), "{s} is of 2024");
    }
    // A link keeps only the sources of its time: Abedi's bombing is cited by 2017 and 2018.
    let abedi = then["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["source"] == "salman-abedi" && l["rel"] == "Perpetrated")
        .expect("held");
    assert_eq!(abedi["sources"], serde_json::json!(["ctc-basu-2018", "telegraph-7-7-2017"]));
    // The path from the bomber to the attack is found as of then, from the snapshot too.
    for _ in 0..2 {
        let (code, out, err) =
            run(&["--as-of", "2018-12", "path", "Salman Abedi", "Manchester Arena bombing"]);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("Perpetrated"), "{out}");
    }
}

#[test]
fn declared_chains_are_checked_as_of_a_date() {
    let (code, out, err) = run(&["--as-of", "2018-12", "chain", "check", "data/chains"]);
    assert_eq!(code, 1, "the IS-K chains cannot hold yet: {err}");
    for held in ["ok        abedi-libya-arena: supported", "ok        khan-pakistan-camp-7-7: supported"] {
        assert!(out.contains(held), "{held}: {out}");
    }
    assert!(out.contains("not checked isk-claimed-kerman: it names `is-k`"), "{out}");
    assert!(out.contains("not checked arena-bombing-to-martyns-law: it names `martyn-hett`"), "{out}");
}

#[test]
fn changes_in_2024_list_the_isk_threads_of_the_2024_articles() {
    let (code, out, err) = run(&["--format", "json", "changes", "--since", "2024-01", "--until", "2024-12"]);
    assert_eq!(code, 0, "{err}");
    let c = json(&out);
    let window: BTreeSet<&str> =
        c["sources"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(window, ARTICLES_2024.into_iter().collect());
    let new: BTreeSet<(String, String, String)> = c["new_links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let s = |v: &Value| v.as_str().unwrap().to_owned();
            for source in l["sources"].as_array().unwrap() {
                assert!(ARTICLES_2024.contains(&source.as_str().unwrap()), "{l}");
            }
            assert_eq!(l["before"], serde_json::json!([]), "{l}");
            (s(&l["from"]["id"]), s(&l["rel"]), s(&l["to"]["id"]))
        })
        .collect();
    for l in [
        link("is-k", "Perpetrated", "kerman-bombings-2024"),
        link("is-k", "Perpetrated", "crocus-city-hall-attack-2024"),
        link("is-k", "Perpetrated", "shiraz-shrine-shooting-2022"),
        link("is-k", "Perpetrated", "kabul-russian-embassy-bombing-2022"),
        link("figen-murray", "ParentOf", "martyn-hett"),
    ] {
        assert!(new.contains(&l), "{l:?} is new in 2024");
    }
    // What the 2017 and 2018 sources said is not new.
    assert!(!new.contains(&link("salman-abedi", "Perpetrated", "manchester-arena-bombing")));
    let entities: BTreeSet<&str> =
        c["new_entities"].as_array().unwrap().iter().map(|e| e["entity"]["id"].as_str().unwrap()).collect();
    assert!(entities.contains("is-k") && entities.contains("crocus-city-hall-attack-2024"));
    assert!(!entities.contains("salman-abedi") && !entities.contains("manchester"));
    // Nothing was published in 2019-2023: that window is empty.
    let (code, out, _) = run(&["changes", "--since", "2019", "--until", "2023"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("no source was published from 2019 to 2023\n"), "{out}");
}

#[test]
fn a_diagram_marks_what_is_new_since_a_date() {
    let (code, out, err) =
        run(&["export", "dot", "--around", "Manchester Arena bombing", "--new-since", "2024"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(r#""n-martyn-hett"[id="n-martyn-hett" class="entity kind-person new""#), "{out}");
    assert!(!out.contains(r#""n-salman-abedi"[id="n-salman-abedi" class="entity kind-person new""#));
    assert!(out.contains("NEW · KilledIn"), "{out}");
    assert!(!out.contains("NEW · Perpetrated"), "Abedi's bombing is known from 2017: {out}");
    let (code, _, err) = run(&["export", "json", "--new-since", "2024"]);
    assert_eq!(code, 2, "only diagrams are marked: {err}");
}

#[test]
fn commands_on_the_data_as_it_is_refuse_as_of() {
    for cmd in [&["check"][..], &["review"]] {
        let (code, _, err) = run(&[&["--as-of", "2018"][..], cmd].concat());
        assert_eq!(code, 2, "{cmd:?}: {err}");
        assert!(err.contains("works on the data as it is now"), "{err}");
    }
}

//! The synthetic data generator (`examples/synth/`): what it writes loads and validates with
//! no problem at all, matches its node-link JSON, has hubs, and is the same for the same seed.
//!
//! The generator is compiled into this test binary from the example's own source file (the
//! `#[path]` module below), so the test needs no `cargo run`.

#[path = "../../examples/synth/generator.rs"]
mod generator;

use std::collections::HashMap;
use std::path::Path;

use generator::{Config, Summary};

fn generate(entities: usize, seed: u64, dir: &Path) -> Summary {
    generator::generate(&Config { entities, seed }, dir).expect("the generator writes the folder")
}

#[test]
fn generated_data_loads_without_any_problem() {
    let dir = tempfile::tempdir().expect("temp dir");
    let summary = generate(2_000, 7, dir.path());
    let mut loaded = threatgraph::load::load(dir.path());
    let mut problems = std::mem::take(&mut loaded.problems);
    problems.extend(threatgraph::validate::validate(&loaded));
    let messages: Vec<String> = problems.iter().map(|p| format!("{}: {}", p.code, p.message)).collect();
    assert!(messages.is_empty(), "the generated data has problems: {messages:#?}");

    let d = &loaded.dataset;
    assert_eq!(d.entities.len(), 2_000);
    assert_eq!((d.sources.len(), d.links.len()), (summary.sources, summary.links));
    assert!(summary.links >= 3 * summary.entities, "about four links per entity: {summary:?}");
    assert!(summary.files >= 2 && summary.ron_bytes > 0, "{summary:?}");
    let ron_bytes: u64 = std::iter::once(dir.path().join("sources.ron"))
        .chain(
            std::fs::read_dir(dir.path().join("curated")).expect("curated").map(|e| e.expect("entry").path()),
        )
        .map(|p| std::fs::metadata(p).expect("file").len())
        .sum();
    assert_eq!(ron_bytes, summary.ron_bytes);

    // Certainties are spread, some links are undated.
    for c in threatgraph::Certainty::ALL {
        assert!(d.links.iter().any(|l| l.certainty == c), "no {c} link");
    }
    assert!(d.links.iter().any(|l| l.when().is_none()));

    // A heavy tail: the best-linked entity has far more links than the average.
    let mut degree: HashMap<&str, usize> = HashMap::new();
    for l in &d.links {
        *degree.entry(l.from.as_str()).or_default() += 1;
        *degree.entry(l.to.as_str()).or_default() += 1;
    }
    let max = degree.values().copied().max().unwrap_or(0);
    assert!(max > 20 * 2 * d.links.len() / d.entities.len(), "max degree {max}");

    // graph.json is the same graph, in node-link form.
    let text = std::fs::read_to_string(dir.path().join("graph.json")).expect("graph.json");
    assert_eq!(text.len() as u64, summary.json_bytes);
    let json = super::json(&text);
    assert_eq!(json["directed"], true);
    assert_eq!(json["multigraph"], true);
    let nodes = json["nodes"].as_array().expect("nodes");
    let links = json["links"].as_array().expect("links");
    assert_eq!((nodes.len(), links.len()), (d.entities.len(), d.links.len()));
    for (node, e) in nodes.iter().zip(&d.entities) {
        assert_eq!(
            (node["id"].as_str(), node["kind"].as_str()),
            (Some(e.id.as_str()), Some(e.kind().name()))
        );
    }
    for (i, (link, l)) in links.iter().zip(&d.links).enumerate() {
        assert_eq!(link["source"].as_str(), Some(l.from.as_str()));
        assert_eq!(link["target"].as_str(), Some(l.to.as_str()));
        assert_eq!(link["rel"].as_str(), Some(l.rel.name()));
        assert_eq!(link["key"].as_u64(), Some(i as u64));
    }
}

/// Every file of a folder, by path relative to it.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for sub in ["", "curated"] {
        for entry in std::fs::read_dir(dir.join(sub)).expect("folder") {
            let path = entry.expect("entry").path();
            if path.is_file() {
                let name = path.strip_prefix(dir).expect("inside").display().to_string();
                out.push((name, std::fs::read(&path).expect("file")));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_same_seed_writes_the_same_bytes() {
    let (a, b, c) =
        (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    generate(500, 42, a.path());
    generate(500, 42, b.path());
    generate(500, 43, c.path());
    assert_eq!(files(a.path()), files(b.path()));
    assert_ne!(files(a.path()), files(c.path()));
}

#[test]
fn refuses_a_folder_in_use_and_tiny_sizes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keep.txt"), "mine").unwrap();
    assert!(generator::generate(&Config { entities: 500, seed: 1 }, dir.path()).is_err());
    let empty = tempfile::tempdir().unwrap();
    assert!(
        generator::generate(&Config { entities: generator::MIN_ENTITIES - 1, seed: 1 }, empty.path())
            .is_err()
    );
}

//! `review merge` on a copy of the repository's data: an extracted duplicate of a curated
//! person merged into it, with a view and a declared chain naming the duplicate. The curated
//! file changes only where the merge says; every other file stays byte for byte; refusals
//! write nothing.

use std::collections::BTreeMap;
use std::path::Path;

use super::{copy_dir, json, root, threatgraph};

/// An extracted duplicate of Mohammed Siddique Khan (a transliteration of his name) with a
/// field the curated record lacks (`born`) and a role it has not, one link that repeats a
/// curated one with another source, and one new link.
const DUPLICATE: &str = r#"// Proposed by `threatgraph extract`; not reviewed.
(
    entities: [
        Person(id: "mohammad-sidique-khan", name: "Mohammad Sidique Khan", sources: ["ctc-basu-2018"], rule: "person-title", born: "1974-10-20", roles: ["suicide bomber", "ringleader"]),
    ],
    links: [
        (from: "mohammad-sidique-khan", rel: CitizenOf, to: "united-kingdom", certainty: Reported, sources: ["ctc-basu-2018"], rule: "r"),
        (from: "mohammad-sidique-khan", rel: TraveledTo, to: "pakistan", date: "2004", certainty: Reported, sources: ["telegraph-7-7-2017"], rule: "r"),
    ],
)
"#;

const VIEW: &str = "// Khan alone.\n(title: \"Khan\", seeds: [\"mohammad-sidique-khan\"], depth: 1)\n";

const CHAIN: &str = r#"[
    (
        name: "khan-pakistan-test",
        claim: "Khan went to Pakistan.",
        steps: [(from: "mohammad-sidique-khan", rel: TraveledTo, to: "pakistan")],
        expect: Supported,
    ),
]
"#;

/// A copy of `data/` with the duplicate, the view and the chain added.
fn folder() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data");
    copy_dir(&root().join("data"), &data);
    std::fs::create_dir_all(data.join("extracted")).expect("mkdir");
    std::fs::write(data.join("extracted/dup.ron"), DUPLICATE).expect("write");
    std::fs::write(data.join("views/khan-test.ron"), VIEW).expect("write");
    std::fs::write(data.join("chains/khan-test.ron"), CHAIN).expect("write");
    tmp
}

/// Every file under `dir`, by path inside it, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path.strip_prefix(dir).expect("inside").to_string_lossy().replace('\\', "/");
                out.insert(name, std::fs::read(&path).expect("read"));
            }
        }
    }
    out
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = threatgraph(dir).args(["--data", "data"]).args(args).output().expect("runs");
    (
        out.status.code().expect("exited"),
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

const MERGE: [&str; 4] = ["review", "merge", "mohammed-siddique-khan", "mohammad-sidique-khan"];

#[test]
fn an_extracted_duplicate_merged_into_a_curated_person_changes_only_what_it_says() {
    let tmp = folder();
    let dir = tmp.path();
    let before = files(&dir.join("data"));
    let (code, _, err) = run(dir, &["check"]);
    assert_eq!(code, 0, "the folder checks clean before: {err}");

    // A dry run says what would change and writes nothing.
    let dry: Vec<&str> = MERGE.iter().copied().chain(["--dry-run"]).collect();
    let (code, out, err) = run(dir, &dry);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("merge-dry-run", out);
    assert_eq!(files(&dir.join("data")), before, "a dry run writes nothing");

    let (code, out, err) = run(dir, &MERGE);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("merged `mohammad-sidique-khan` into `mohammed-siddique-khan` (Person)"),
        "{out}"
    );
    let (code, _, err) = run(dir, &["check"]);
    assert_eq!(code, 0, "the folder checks clean after: {err}");

    let after = files(&dir.join("data"));
    let text = |m: &BTreeMap<String, Vec<u8>>, f: &str| String::from_utf8(m[f].clone()).expect("utf-8");
    // The curated file: the person's aliases and sources, and the repeated link's sources.
    let curated = "curated/uk-7-7.ron";
    let expected = text(&before, curated)
        .replacen(
            "            aliases: [\"Siddique Khan\"],\n            roles: [\"suicide bomber\"],",
            "            aliases: [\"Siddique Khan\", \"Mohammad Sidique Khan\"],\n            roles: [\"suicide bomber\", \"ringleader\"],",
            1,
        )
        .replacen(
            "            sources: [\"telegraph-kashmir-2016\", \"telegraph-7-7-2017\"],\n        ),\n        Person(\n            id: \"shehzad-tanweer\",",
            "            sources: [\"telegraph-kashmir-2016\", \"telegraph-7-7-2017\", \"ctc-basu-2018\"],\n            rule: \"person-title\",\n            born: \"1974-10-20\",\n        ),\n        Person(\n            id: \"shehzad-tanweer\",",
            1,
        )
        .replacen(
            "to: \"united-kingdom\", certainty: Reported,\n         sources: [\"telegraph-kashmir-2016\", \"telegraph-7-7-2017\"],",
            "to: \"united-kingdom\", certainty: Reported,\n         sources: [\"telegraph-kashmir-2016\", \"telegraph-7-7-2017\", \"ctc-basu-2018\"],",
            1,
        );
    assert_ne!(expected, text(&before, curated), "the expected edits apply");
    assert_eq!(text(&after, curated), expected);
    // The extracted file loses the person and the repeated link; the other link is rewired.
    assert_eq!(
        text(&after, "extracted/dup.ron"),
        DUPLICATE
            .replace("        Person(id: \"mohammad-sidique-khan\", name: \"Mohammad Sidique Khan\", sources: [\"ctc-basu-2018\"], rule: \"person-title\", born: \"1974-10-20\", roles: [\"suicide bomber\", \"ringleader\"]),\n", "")
            .replace("        (from: \"mohammad-sidique-khan\", rel: CitizenOf, to: \"united-kingdom\", certainty: Reported, sources: [\"ctc-basu-2018\"], rule: \"r\"),\n", "")
            .replace("(from: \"mohammad-sidique-khan\", rel: TraveledTo", "(from: \"mohammed-siddique-khan\", rel: TraveledTo")
    );
    assert_eq!(
        text(&after, "views/khan-test.ron"),
        VIEW.replace("mohammad-sidique-khan", "mohammed-siddique-khan")
    );
    assert_eq!(
        text(&after, "chains/khan-test.ron"),
        CHAIN.replace("mohammad-sidique-khan", "mohammed-siddique-khan")
    );
    // Every other file is as it was, byte for byte.
    for (name, bytes) in &before {
        if ![curated, "extracted/dup.ron", "views/khan-test.ron", "chains/khan-test.ron"]
            .contains(&name.as_str())
        {
            assert!(after.get(name) == Some(bytes), "{name} changed");
        }
    }
    assert_eq!(before.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>());

    // The kept person answers to the merged name and holds what the duplicate said.
    let (code, out, err) = run(dir, &["--format", "json", "show", "Mohammad Sidique Khan"]);
    assert_eq!(code, 0, "{err}");
    let card = json(&out);
    assert_eq!(card["id"], "mohammed-siddique-khan", "{out}");
    assert_eq!(card["born"], "1974-10-20", "{out}");
    assert_eq!(card["roles"], serde_json::json!(["suicide bomber", "ringleader"]), "{out}");
}

#[test]
fn merges_that_cannot_be_one_entity_are_refused_and_write_nothing() {
    let tmp = folder();
    let dir = tmp.path();
    let before = files(&dir.join("data"));
    let cases: [(&[&str], &str, &str); 4] = [
        (
            &["review", "merge", "mohammed-siddique-khan", "pakistan"],
            "is a Person and `pakistan` a Place",
            "merge only entities of one kind",
        ),
        (
            &["review", "merge", "pakistan", "Pakistan"],
            "cannot be merged with itself",
            "two different entities",
        ),
        (
            &["review", "merge", "mohammad-sidique-khan", "mohammed-siddique-khan"],
            "the merge would remove curated data",
            "review merge mohammed-siddique-khan mohammad-sidique-khan",
        ),
        (&["review", "merge", "pakistan", "Pakistann"], "no entity is called \"Pakistann\"", "`pakistan`"),
    ];
    for (args, message, help) in cases {
        let (code, out, err) = run(dir, args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        // The message as one line, whatever width it was wrapped to.
        let err = err.replace('│', " ").split_whitespace().collect::<Vec<_>>().join(" ").replace("- ", "-");
        assert!(err.contains(message) && err.contains(help), "{args:?}: {err}");
        assert_eq!(files(&dir.join("data")), before, "{args:?} wrote nothing");
    }
}

#[test]
fn records_that_disagree_are_not_merged_and_the_message_names_each_field() {
    let tmp = folder();
    let dir = tmp.path();
    let dup = dir.join("data/extracted/dup.ron");
    let text = std::fs::read_to_string(&dup).expect("read");
    let disagreeing = text.replace("born: \"1974-10-20\"", "status: Detained, summary: \"Another reading.\"");
    std::fs::write(&dup, &disagreeing).expect("write");
    let before = files(&dir.join("data"));
    for args in [MERGE.to_vec(), MERGE.iter().copied().chain(["--dry-run"]).collect()] {
        let (code, out, err) = run(dir, &args);
        assert_eq!((code, out.as_str()), (2, ""), "{err}");
        insta::assert_snapshot!("merge-conflict", err);
        assert_eq!(files(&dir.join("data")), before, "a refused merge writes nothing");
    }
    // Once one record is edited to agree, the merge goes through and the folder checks clean.
    let agreeing = disagreeing.replace("status: Detained, summary: \"Another reading.\"", "status: Dead");
    std::fs::write(&dup, agreeing).expect("write");
    let (code, out, err) = run(dir, &MERGE);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("  field carried: rule: \"person-title\"\n"), "{out}");
    assert!(!out.contains("field carried: status"), "the same value is not carried again: {out}");
    let (code, _, err) = run(dir, &["check"]);
    assert_eq!(code, 0, "{err}");
}

/// A merge whose result the loader would reject (a death the carried birth date comes after)
/// is refused by the check every write into a data folder goes through: nothing is written.
#[test]
fn a_merge_that_would_leave_an_error_writes_nothing() {
    let tmp = folder();
    let dir = tmp.path();
    let (code, _, err) = run(dir, &MERGE);
    assert_eq!(code, 0, "{err}");
    let died = r#"(entities: [Person(id: "m-s-khan", name: "M. S. Khan", died: "1960", sources: ["ctc-basu-2018"])])"#;
    std::fs::write(dir.join("data/extracted/died.ron"), died).expect("write");
    let before = files(&dir.join("data"));
    let (code, out, err) = run(dir, &["review", "merge", "mohammed-siddique-khan", "m-s-khan"]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(err.contains("`died` (1960) is before `born` (1974-10-20)"), "{err}");
    assert!(err.contains("nothing written: the write would add 1 error(s)"), "{err}");
    assert_eq!(files(&dir.join("data")), before);
}

#[test]
fn a_dry_run_in_json_lists_the_changes() {
    let tmp = folder();
    let dir = tmp.path();
    let args: Vec<&str> = ["--format", "json"].into_iter().chain(MERGE).chain(["--dry-run"]).collect();
    let (code, out, err) = run(dir, &args);
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    assert_eq!(v["keep"], "mohammed-siddique-khan");
    assert_eq!(v["other"], "mohammad-sidique-khan");
    assert_eq!(v["kind"], "Person");
    assert_eq!(v["written"], false);
    // The id reads as the name: it is not added twice.
    assert_eq!(v["aliases_added"], serde_json::json!(["Mohammad Sidique Khan"]));
    assert_eq!(v["sources_added"], serde_json::json!(["ctc-basu-2018"]));
    assert_eq!(
        v["fields_carried"],
        serde_json::json!([
            {"field": "born", "value": "\"1974-10-20\"", "items": false},
            {"field": "rule", "value": "\"person-title\"", "items": false},
            {"field": "roles", "value": "\"ringleader\"", "items": true},
        ])
    );
    assert_eq!(v["links_rewired"], serde_json::json!(["mohammad-sidique-khan/TraveledTo/pakistan"]));
    assert_eq!(v["links_dropped"][0]["into"], "mohammed-siddique-khan/CitizenOf/united-kingdom");
    assert_eq!(v["views"], serde_json::json!(["khan-test"]));
    assert_eq!(v["chains"], serde_json::json!(["khan-pakistan-test"]));
    let changed: Vec<&str> =
        v["files"].as_array().unwrap().iter().map(|f| f["file"].as_str().unwrap()).collect();
    assert_eq!(changed.len(), 4, "{changed:?}");
    assert!(changed[0].ends_with("uk-7-7.ron") && changed[3].ends_with("dup.ron"), "{changed:?}");
}

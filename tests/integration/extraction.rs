//! `extract` and `review` end to end on a copy of the fictional fixture: proposals written as
//! RON the loader reads, extraction twice gives the same file, accepted facts move into
//! `curated/reviewed.ron` with their provenance, rejected ones are not proposed again; and
//! `extract --eval` on the seed articles against the gold annotations.

use std::path::Path;

use super::{copy_dir, fixtures, json, root, threatgraph};

const ARTICLE: &str = "# A fictional report\n\n\
Ann Example travelled to Testland in 2019.\n\
Zoe Quill, the leader of the Omega Brigade, was arrested in Testville. The Omega Brigade claimed the Testville bombing in March 2021.\n\
Police said Zoe Quill had no connection to the Alpha Cell.\n";

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = threatgraph(dir).args(["--data", "data"]).args(args).output().expect("runs");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

#[test]
fn extract_review_accept_reject() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    copy_dir(&fixtures().join("valid"), &dir.join("data"));
    std::fs::write(dir.join("report.md"), ARTICLE).expect("write");
    let curated_before = std::fs::read_to_string(dir.join("data/curated/network.ron")).expect("read");

    // JSON: the DESIGN.md shape, spans pointing at the mention.
    let (code, out, err) = run(dir, &["extract", "report.md", "--source", "s", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    let zoe =
        v["entities"].as_array().expect("entities").iter().find(|e| e["id"] == "zoe-quill").expect("Zoe");
    assert_eq!(zoe["known"], false);
    let m = &zoe["mentions"][0];
    let (s, e) = (m["start"].as_u64().expect("start") as usize, m["end"].as_u64().expect("end") as usize);
    assert_eq!(&ARTICLE[s..e], "Zoe Quill");
    let denied =
        v["links"].as_array().expect("links").iter().find(|l| l["to"] == "alpha-cell").expect("the denial");
    assert_eq!(denied["certainty"], "Refuted");
    for key in ["from", "rel", "to", "certainty", "span", "rule"] {
        assert!(denied.get(key).is_some(), "{key} missing in {denied}");
    }

    // RON for review: loads as extracted facts, and a second run writes the same bytes.
    let (code, _, err) =
        run(dir, &["extract", "report.md", "--source", "s", "-o", "data/extracted/report.ron"]);
    assert_eq!(code, 0, "{err}");
    let first = std::fs::read_to_string(dir.join("data/extracted/report.ron")).expect("written");
    let (code, _, _) =
        run(dir, &["extract", "report.md", "--source", "s", "-o", "data/extracted/report.ron"]);
    assert_eq!(code, 0);
    assert_eq!(
        first,
        std::fs::read_to_string(dir.join("data/extracted/report.ron")).expect("read"),
        "idempotent"
    );
    let (code, out, err) = run(dir, &["check", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["valid"], true);

    // Review lists each fact with the sentence it came from.
    let (code, out, _) = run(dir, &["review"]);
    assert_eq!(code, 0);
    assert!(out.contains("omega-brigade/Claimed/testville-bombing"), "{out}");
    assert!(out.contains("«The Omega Brigade claimed the Testville bombing in March 2021.»"), "{out}");

    // Accept a link: it and its new entities move into curated/reviewed.ron, provenance kept.
    let (code, out, err) = run(dir, &["review", "accept", "omega-brigade/Claimed/testville-bombing"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("accepted 2 entities and 1 links"), "{out}");
    let reviewed = std::fs::read_to_string(dir.join("data/curated/reviewed.ron")).expect("reviewed");
    assert!(
        reviewed.contains(r#"(from: "omega-brigade", rel: Claimed, to: "testville-bombing""#),
        "{reviewed}"
    );
    assert!(reviewed.contains(r#"rule: "rel-claimed""#), "the rule and span travel with the fact");
    let extracted = std::fs::read_to_string(dir.join("data/extracted/report.ron")).expect("extracted");
    assert!(!extracted.contains("rel: Claimed"), "{extracted}");
    assert_eq!(std::fs::read_to_string(dir.join("data/curated/network.ron")).expect("read"), curated_before);

    // A second review adds to reviewed.ron and keeps what it held byte for byte.
    let (code, _, err) = run(dir, &["review", "accept", "ann/TraveledTo/testland"]);
    assert_eq!(code, 0, "{err}");
    let again = std::fs::read_to_string(dir.join("data/curated/reviewed.ron")).expect("reviewed");
    let added = again.lines().find(|l| l.contains("rel: TraveledTo")).expect("the new link");
    assert_eq!(again.replacen(&format!("{added}\n"), "", 1), reviewed, "nothing else changed");

    // Reject an entity: it and its links go, and are not proposed again.
    let (code, out, err) = run(dir, &["review", "reject", "zoe-quill"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("rejected 1 entities"), "{out}");
    let (code, _, err) = run(dir, &["check"]);
    assert_eq!(code, 0, "the data is valid after review: {err}");
    let (_, out, _) = run(dir, &["extract", "report.md", "--source", "s", "--format", "json"]);
    let v = json(&out);
    assert!(v["entities"].as_array().expect("entities").iter().all(|e| e["id"] != "zoe-quill"), "rejected");
    assert!(
        v["links"].as_array().expect("links").iter().all(|l| l["rel"] != "Claimed"),
        "accepted: known now"
    );

    let (code, _, err) = run(dir, &["review", "accept", "nobody"]);
    assert_eq!(code, 2);
    assert!(err.contains("not an extracted fact"), "{err}");
    let (code, _, err) = run(dir, &["extract", "report.md", "--source", "nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("no source `nope`"), "{err}");
}

/// The seed articles, when they are beside the repository (CI has them).
fn seeds() -> Option<std::path::PathBuf> {
    let seeds = root().join("../shared/seeds");
    seeds.is_dir().then_some(seeds)
}

#[test]
fn extraction_scores_against_the_gold_annotations() {
    let Some(seeds) = seeds() else {
        assert!(std::env::var_os("CI").is_none(), "CI runs with ../shared beside the repository");
        eprintln!("../shared/seeds is missing: skipping the extraction scores");
        return;
    };
    let gold = root().join("tests/fixtures/gold");
    let out = threatgraph(root())
        .args(["--data", "data", "--format", "json", "extract"])
        .arg(&seeds)
        .arg("--eval")
        .arg(&gold)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&String::from_utf8(out.stdout).expect("utf-8"));
    assert_eq!(v["articles"].as_array().map(Vec::len), Some(5));
    // All five seeds are dev (tests/fixtures/gold/README.md); the held-out floors are asserted
    // on the fresh set, below.
    assert_eq!(v["held_out"]["links_gold"], 0, "no seed is held out: {}", v["held_out"]);
    // Floors under the figures docs/extraction.md reports, so that a change that makes extraction
    // worse fails here.
    let f1 = |set: &str, what: &str| v[set][what]["f1"].as_f64().expect("f1");
    assert!(f1("dev_scores", "entities") >= 0.81, "{}", v["dev_scores"]);
    assert!(f1("dev_scores", "links") >= 0.60, "{}", v["dev_scores"]);
    let precision = v["dev_scores"]["links"]["precision"].as_f64().expect("precision");
    assert!(precision >= 0.80, "{}", v["dev_scores"]);
    assert_eq!(v["dev"]["duplicates"], 0, "no proposed entity duplicates a known or proposed one");
}

/// Scores `dir/articles` against `dir/gold` with `dir/data` as the data folder (a
/// `sources.ron` naming the articles by `file`, and perhaps curated facts): the layout of the
/// held-out set and of `tests/fixtures/scored/`.
fn score_folder(dir: &Path) -> serde_json::Value {
    let out = threatgraph(root())
        .arg("--data")
        .arg(dir.join("data"))
        .args(["--format", "json", "extract"])
        .arg(dir.join("data/../articles"))
        .arg("--eval")
        .arg(dir.join("data/../gold"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    json(&String::from_utf8(out.stdout).expect("utf-8"))
}

/// A folder of articles outside the seeds, with a data folder holding only its sources.ron
/// (which names the articles by `file`, relative to it), scores against its own gold files;
/// and so it does with an empty curated file beside, and from another working directory.
#[test]
fn a_folder_outside_the_seeds_scores_with_its_own_data_folder() {
    let scored = fixtures().join("scored");
    let v = score_folder(&scored);
    let articles: Vec<&str> = v["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .map(|a| a["article"].as_str().expect("name"))
        .collect();
    assert_eq!(articles, ["herat.md", "omega.txt"], "{v}");
    assert_eq!(v["dev"]["links_gold"], 5);
    assert_eq!(v["dev"]["links_matched"], 5, "{}", v["articles"]);
    assert_eq!(v["held_out"]["links_gold"], 5);
    assert!(v["held_out"]["links_matched"].as_u64().is_some_and(|n| n >= 4), "{}", v["articles"]);

    // A copy with an empty curated file, scored from inside it with relative paths.
    let tmp = tempfile::tempdir().expect("temp dir");
    copy_dir(&scored, tmp.path());
    std::fs::create_dir_all(tmp.path().join("data/curated")).expect("mkdir");
    std::fs::write(tmp.path().join("data/curated/none.ron"), "(entities: [], links: [])\n").expect("write");
    let out = threatgraph(&tmp.path().join("data"))
        .args(["--data", ".", "extract", "../articles", "--eval", "../gold"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains("dev (micro)") && text.contains("held out (micro)"), "{text}");
    assert!(text.contains("(5/5 found, 5/5 gold; strict"), "{text}");
}

/// The dev sets, one row each: a folder of `tests/fixtures/` in the layout of
/// [`score_folder`], and its floors for entities F1 and links F1, just under the dev figures.
/// Each was a fresh held-out set, scored once as such, and is dev since its misses were read
/// to write rules.
const DEV_SETS: &[(&str, f64, f64)] = &[
    // The retold articles: the first fresh held-out set, scored once as such (2026-12-01:
    // entities F1 0.65, links F1 0.09), dev since its misses were read to write rules
    // (2026-12-02: 0.71 and 0.22 after the fourth round, 0.76 and 0.28 after the fifth, 0.78
    // and 0.32 after the sixth).
    ("retold", 0.77, 0.31),
    // The second fresh set: held out and scored once as such (2026-12-02, fourth round of
    // rules frozen: entities F1 0.72, 161 of 241; links F1 0.15, 24 of 274), dev since its
    // misses were read to write the fifth round (0.80 and 0.22 after it; 0.81 and 0.25 after
    // the sixth).
    ("heldout2", 0.80, 0.24),
    // The third fresh set: held out and scored once as such (2026-12-02, fifth round of rules
    // frozen at e6d5d93: entities F1 0.66, 155 of 252; links F1 0.10, 15 of 264; the fourth
    // round's rules had 0.66 and 0.09), dev since its misses were read to write the sixth
    // round (0.77 and 0.28 after it).
    ("heldout3", 0.76, 0.27),
    // The fourth fresh set: held out and scored once as such (2026-12-02, sixth round of rules
    // frozen at add599e: entities F1 0.72, 169 of 254; links F1 0.14, 28 of 344; the fifth
    // round's rules had 0.70 and 0.14), dev since its misses were read to write the seventh
    // round (0.79 and 0.18 after it).
    ("heldout4", 0.78, 0.17),
];

#[test]
fn extraction_scores_on_the_dev_sets() {
    for &(set, entities, links) in DEV_SETS {
        let v = score_folder(&fixtures().join(set));
        assert_eq!(v["held_out"]["links_gold"].as_u64(), Some(0), "{set}: held_out: false in its gold files");
        let f1 = |what: &str| v["dev_scores"][what]["f1"].as_f64().expect("f1");
        assert!(f1("entities") >= entities, "{set}: {}", v["dev_scores"]);
        assert!(f1("links") >= links, "{set}: {}", v["dev_scores"]);
        assert_eq!(v["dev"]["duplicates"], 0, "{set}: proposals that duplicate another");
    }
}

/// The held-out set (`tests/fixtures/heldout5/`: `data/sources.ron`, `articles/`, `gold/`),
/// written and annotated by a separate annotator before the seventh round of rules, and never
/// read while rules are written. Scored once with the rules frozen (2026-12-02, ae9a273):
/// entities F1 0.70 (142 of 219), links F1 0.18 (26 of 248); the sixth round's rules had
/// 0.69 (140) and 0.18 (26). The floors sit just under that, so that the extractor cannot
/// get worse on unseen text unnoticed; they are far from the aim (entities 0.75, links
/// 0.45), which is not met.
#[test]
fn extraction_scores_on_the_held_out_set() {
    let v = score_folder(&fixtures().join("heldout5"));
    assert!(v["held_out"]["links_gold"].as_u64().is_some_and(|n| n > 0), "held_out: true in its gold files");
    let f1 = |what: &str| v["held_out_scores"][what]["f1"].as_f64().expect("f1");
    assert!(f1("entities") >= 0.69, "{}", v["held_out_scores"]);
    assert!(f1("links") >= 0.17, "{}", v["held_out_scores"]);
}

#[test]
fn articles_that_cannot_be_read_are_all_named() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    copy_dir(&fixtures().join("valid"), &dir.join("data"));
    std::fs::write(dir.join("good.md"), ARTICLE).expect("write");
    std::fs::write(dir.join("latin1.txt"), b"Ann Example \xe9tait \xe0 Testville.\n").expect("write");
    std::fs::write(dir.join("binary.txt"), [0u8, 159, 146, 150, 255]).expect("write");
    let (code, out, err) = run(dir, &["extract", "good.md", "latin1.txt", "binary.txt", "--source", "s"]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(err.contains("cannot read 2 article(s)"), "{err}");
    assert!(err.contains("`latin1.txt`: it is not valid UTF-8 (line 1, byte 13 of the line)"), "{err}");
    assert!(err.contains("`binary.txt`: it is not valid UTF-8 (line 1, byte 2 of the line)"), "{err}");
    assert!(err.contains("iconv"), "{err}");
}

/// Every article there is: the seeds (when beside the repository) and the articles of each
/// fixture set, with one `sources.ron` citing them all (the dataset's, then each set's).
fn every_article(data: &Path) -> Vec<std::path::PathBuf> {
    let mut sources = std::fs::read_to_string(data.join("sources.ron")).expect("sources");
    let close = sources.rfind(']').expect("a list");
    sources.truncate(close);
    let mut articles = Vec::new();
    let sorted = |dir: &Path| {
        let mut files: Vec<_> =
            std::fs::read_dir(dir).expect("read_dir").map(|e| e.expect("entry").path()).collect();
        files.sort();
        files
    };
    match seeds() {
        Some(seeds) => {
            articles.extend(sorted(&seeds).into_iter().filter(|p| p.extension().is_some_and(|x| x == "txt")))
        }
        None => assert!(std::env::var_os("CI").is_none(), "CI runs with ../shared beside the repository"),
    }
    for set in sorted(&fixtures()) {
        if !set.join("articles").is_dir() {
            continue;
        }
        let theirs = std::fs::read_to_string(set.join("data/sources.ron")).expect("sources");
        let body: String =
            theirs.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
        let body = body.trim().strip_prefix('[').and_then(|b| b.strip_suffix(']')).expect("a list");
        sources.push_str(body);
        sources.push('\n');
        articles.extend(sorted(&set.join("articles")));
    }
    sources.push_str("]\n");
    std::fs::write(data.join("sources.ron"), sources).expect("write");
    articles
}

/// The pending facts `review` lists, by id.
fn pending(dir: &Path) -> Vec<String> {
    let (_, out, err) = run(dir, &["--format", "json", "review"]);
    let v = json(&out);
    let list = v.as_array().unwrap_or_else(|| panic!("a list: {out} {err}"));
    list.iter().map(|p| p["id"].as_str().expect("id").to_owned()).collect()
}

fn errors(dir: &Path) -> u64 {
    let (_, out, _) = run(dir, &["--format", "json", "check"]);
    json(&out)["errors"].as_u64().expect("errors")
}

/// The extract → review round trip over every article, one after another into one data
/// folder. After each article: the folder has no error; `review` lists what was proposed;
/// the same article extracted twice gives the same bytes; and, each on a copy of the folder as
/// it is then, accepting everything leaves no error, and rejecting everything then extracting
/// the article again proposes none of the rejected facts.
#[test]
fn every_article_round_trips_through_review() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("work");
    copy_dir(&root().join("data"), &dir.join("data"));
    let articles = every_article(&dir.join("data"));
    assert!(articles.len() >= 30, "the fixture sets' articles: {}", articles.len());
    let out_of = |a: &Path| format!("data/extracted/{}.ron", a.file_stem().expect("stem").to_string_lossy());
    let mut proposed = 0;
    for article in &articles {
        let (a, out) = (article.to_str().expect("utf-8 path"), out_of(article));
        let (code, _, err) = run(&dir, &["extract", a, "-o", &out]);
        assert_eq!(code, 0, "{a}: {err}");
        // "wrote FILE: N new entities, M links (...)"
        let counts: Vec<usize> = err
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .take(2)
            .collect();
        proposed += counts.iter().sum::<usize>();
        let first = std::fs::read(dir.join(&out)).expect("written");
        let (code, _, err) = run(&dir, &["extract", a, "-o", &out]);
        assert_eq!(code, 0, "{a}: {err}");
        assert_eq!(std::fs::read(dir.join(&out)).expect("written"), first, "{a}: the same bytes twice");
        assert_eq!(errors(&dir), 0, "{a}: the folder is valid after extraction");
        let all = pending(&dir);
        assert_eq!(all.len(), proposed, "{a}: review lists every proposed fact");

        // A copy of the folder as it is now, on which every pending fact was accepted or rejected.
        let decided = |verb: &str| {
            let copy = tmp.path().join(verb);
            copy_dir(&dir.join("data"), &copy.join("data"));
            let mut args = vec!["review", verb];
            args.extend(all.iter().map(String::as_str));
            let (code, _, err) = run(&copy, &args);
            assert_eq!(code, 0, "{a}: {err}");
            assert_eq!(errors(&copy), 0, "{a}: the folder is valid after `review {verb}` of everything");
            copy
        };
        let accepted = decided("accept");
        assert!(pending(&accepted).is_empty(), "{a}: nothing pending after accepting everything");
        std::fs::remove_dir_all(&accepted).expect("rm");

        let rejected = decided("reject");
        let (code, _, err) = run(&rejected, &["extract", a, "-o", &out]);
        assert_eq!(code, 0, "{a}: {err}");
        assert_eq!(errors(&rejected), 0, "{a}: valid after extracting again");
        let again: Vec<String> = pending(&rejected).into_iter().filter(|id| all.contains(id)).collect();
        assert!(again.is_empty(), "{a}: proposed again after rejection: {again:?}");
        std::fs::remove_dir_all(&rejected).expect("rm");
    }
    assert!(proposed > 0);
}

//! A data folder from arbitrary bytes: the bytes are split into a sources file and facts,
//! view and chain files; loading and validating must never panic, and every problem must
//! point inside its file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parts: Vec<&str> = text.splitn(4, '\u{1}').collect();
    let names = ["curated/a.ron", "sources.ron", "views/v.ron", "chains/c.ron"];
    let files: Vec<(&str, &str)> = names.iter().copied().zip(parts.iter().copied()).collect();
    let loaded = threatgraph::load::load_memory(&files);
    let problems = threatgraph::validate::validate(&loaded);
    for p in loaded.problems.iter().chain(&problems) {
        for label in p.at.iter().chain(&p.also) {
            let len = loaded.files.get(label.file).text.len();
            assert!(label.span.start <= label.span.end && label.span.end <= len, "a span outside its file");
        }
    }
});

//! Extraction on arbitrary text: never panics, and every mention and link span lies on
//! character boundaries inside the text and holds the text it reports.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use threatgraph::extract::{Document, Extractor};

fn extractor() -> &'static Extractor {
    static X: OnceLock<Extractor> = OnceLock::new();
    X.get_or_init(|| Extractor::new(None))
}

fuzz_target!(|text: &str| {
    let doc = Document { file: "f.txt".into(), source: "s".into(), text: text.to_owned() };
    let out = extractor().extract(&[doc]);
    for e in &out.entities {
        for m in &e.mentions {
            assert_eq!(text.get(m.start..m.end), Some(m.text.as_str()));
        }
    }
    for l in &out.links {
        assert_eq!(text.get(l.span.start..l.span.end), Some(l.text.as_str()));
    }
});

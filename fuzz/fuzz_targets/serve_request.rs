//! The workspace's request parser (`threatgraph serve`): any route, query string and body
//! either parse into a request within its bounds or are refused with a message; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use threatgraph::serve::request::{self, MAX_TEXT, parse_any};

const ROUTES: [&str; 10] =
    ["search", "card", "expand", "path", "chains", "view", "links", "export", "review/accept", "other"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let route = ROUTES[pick as usize % ROUTES.len()];
    let split = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
    let query = String::from_utf8_lossy(&rest[..split]);
    let body = rest.get(split + 1..).unwrap_or_default();
    if let Ok(understood) = parse_any(route, &query, body) {
        assert!(route != "other", "an unknown route was understood: {understood}");
    }
    if let Ok(e) = request::Expand::parse(&query) {
        assert!(e.limit >= 1 && e.limit <= request::MAX_PAGE);
        assert!(!e.entity.is_empty() && e.entity.len() <= MAX_TEXT);
    }
    if let Ok(c) = request::Canvas::parse(body) {
        assert!(c.ids.len() <= request::MAX_IDS);
    }
});

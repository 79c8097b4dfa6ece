//! The workspace's request parser: a URL query string or a small JSON body turned into one
//! typed request, or a clear error. Every handler goes through here, so what a request may
//! say is written down in one place (and fuzzed: `fuzz/fuzz_targets/serve_request.rs`).
//!
//! No request names a file: entities are named by id or name, views by their name among
//! the loaded ones, and nothing here becomes a path.

use crate::model::{Certainty, Kind, Relation};

/// Longest text a parameter may hold (an entity name, a search query).
pub const MAX_TEXT: usize = 512;
/// Most entities one request may list (an export of the canvas, links among the canvas).
pub const MAX_IDS: usize = 2000;
/// Most neighbours one expansion returns; the rest is paged.
pub const MAX_PAGE: usize = 200;

/// Why a request was refused; shown to the user as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadRequest(pub String);

fn bad(message: impl Into<String>) -> BadRequest {
    BadRequest(message.into())
}

/// The parameters of a query string, in order, decoded.
#[derive(Debug, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Decodes `a=1&b=two`; refuses over-long values and repeated names.
    pub fn parse(query: &str) -> Result<Params, BadRequest> {
        let mut out: Vec<(String, String)> = Vec::new();
        for (k, v) in form_urlencoded::parse(query.as_bytes()) {
            if v.len() > MAX_TEXT * 64 {
                return Err(bad(format!("parameter `{k}` is too long")));
            }
            if out.iter().any(|(seen, _)| *seen == k) {
                return Err(bad(format!("parameter `{k}` is given twice")));
            }
            out.push((k.into_owned(), v.into_owned()));
        }
        Ok(Params(out))
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// A required short text.
    fn text(&self, name: &str) -> Result<String, BadRequest> {
        let v = self.get(name).map(str::trim).unwrap_or_default();
        if v.is_empty() {
            return Err(bad(format!("parameter `{name}` is missing")));
        }
        short(name, v)
    }

    fn number(&self, name: &str, default: usize, max: usize) -> Result<usize, BadRequest> {
        match self.get(name) {
            None | Some("") => Ok(default),
            Some(v) => {
                let n: usize = v.parse().map_err(|_| bad(format!("`{name}` must be a whole number")))?;
                Ok(n.min(max))
            }
        }
    }

    fn flag(&self, name: &str) -> bool {
        matches!(self.get(name), Some("1" | "true" | "yes"))
    }

    fn list<T>(&self, name: &str, parse: impl Fn(&str) -> Option<T>) -> Result<Vec<T>, BadRequest> {
        let Some(v) = self.get(name) else { return Ok(Vec::new()) };
        v.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| parse(s).ok_or_else(|| bad(format!("`{name}`: unknown value `{}`", clip(s)))))
            .collect()
    }

    fn certainty(&self) -> Result<Option<Certainty>, BadRequest> {
        match self.get("min").map(str::trim) {
            None | Some("") => Ok(None),
            Some(v) => certainty(v).map(Some),
        }
    }
}

fn clip(s: &str) -> String {
    s.chars().take(40).collect()
}

fn short(name: &str, v: &str) -> Result<String, BadRequest> {
    if v.len() > MAX_TEXT {
        return Err(bad(format!("`{name}` is longer than {MAX_TEXT} bytes")));
    }
    Ok(v.to_owned())
}

fn certainty(v: &str) -> Result<Certainty, BadRequest> {
    Certainty::ALL
        .into_iter()
        .find(|c| c.name().eq_ignore_ascii_case(v))
        .ok_or_else(|| bad(format!("unknown certainty `{}`", clip(v))))
}

/// `GET /api/search?q=...&limit=N`
#[derive(Debug, PartialEq)]
pub struct Search {
    pub query: String,
    pub limit: usize,
}

/// `GET /api/card?id=...`
#[derive(Debug, PartialEq)]
pub struct Card {
    pub entity: String,
}

/// `GET /api/expand?id=...&rel=A,B&kind=Person&min=Reported&offset=N&limit=N`
#[derive(Debug, PartialEq)]
pub struct Expand {
    pub entity: String,
    pub relations: Vec<Relation>,
    pub kinds: Vec<Kind>,
    pub min_certainty: Option<Certainty>,
    pub offset: usize,
    pub limit: usize,
}

/// `GET /api/path?from=...&to=...&all=1&max_len=N&min=C`
#[derive(Debug, PartialEq)]
pub struct Path {
    pub from: String,
    pub to: String,
    pub all: bool,
    pub max_len: usize,
    pub min_certainty: Option<Certainty>,
}

/// `GET /api/chains?actor=...`
#[derive(Debug, PartialEq)]
pub struct Chains {
    pub actor: String,
    pub max_len: usize,
}

/// `GET /api/view?name=...`
#[derive(Debug, PartialEq)]
pub struct View {
    pub name: String,
}

/// `POST /api/links` and `POST /api/export`: the entities on the canvas (ids), and for an
/// export its format and title.
#[derive(Debug, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Canvas {
    pub ids: Vec<String>,
    #[serde(default)]
    pub format: Option<ExportFormat>,
    #[serde(default)]
    pub title: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Svg,
    Png,
    Dot,
    Json,
}

/// `POST /api/review/accept` and `/reject`: one review id, as `threatgraph review` lists it.
#[derive(Debug, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub id: String,
}

impl Search {
    pub fn parse(query: &str) -> Result<Search, BadRequest> {
        let p = Params::parse(query)?;
        Ok(Search { query: p.text("q")?, limit: p.number("limit", 12, 50)? })
    }
}

impl Card {
    pub fn parse(query: &str) -> Result<Card, BadRequest> {
        Ok(Card { entity: Params::parse(query)?.text("id")? })
    }
}

impl Expand {
    pub fn parse(query: &str) -> Result<Expand, BadRequest> {
        let p = Params::parse(query)?;
        Ok(Expand {
            entity: p.text("id")?,
            relations: p.list("rel", Relation::from_name)?,
            kinds: p.list("kind", Kind::from_name)?,
            min_certainty: p.certainty()?,
            offset: p.number("offset", 0, usize::MAX)?,
            limit: p.number("limit", 25, MAX_PAGE)?.max(1),
        })
    }
}

impl Path {
    pub fn parse(query: &str) -> Result<Path, BadRequest> {
        let p = Params::parse(query)?;
        Ok(Path {
            from: p.text("from")?,
            to: p.text("to")?,
            all: p.flag("all"),
            max_len: p.number("max_len", 6, 8)?.max(1),
            min_certainty: p.certainty()?,
        })
    }
}

impl Chains {
    pub fn parse(query: &str) -> Result<Chains, BadRequest> {
        let p = Params::parse(query)?;
        Ok(Chains { actor: p.text("actor")?, max_len: p.number("max_len", 4, 6)?.max(1) })
    }
}

impl View {
    pub fn parse(query: &str) -> Result<View, BadRequest> {
        Ok(View { name: Params::parse(query)?.text("name")? })
    }
}

impl Canvas {
    pub fn parse(body: &[u8]) -> Result<Canvas, BadRequest> {
        let c: Canvas = serde_json::from_slice(body).map_err(|e| bad(format!("bad JSON body: {e}")))?;
        if c.ids.len() > MAX_IDS {
            return Err(bad(format!("at most {MAX_IDS} entities at once")));
        }
        for id in &c.ids {
            short("ids", id)?;
        }
        if let Some(t) = &c.title {
            short("title", t)?;
        }
        Ok(c)
    }
}

impl Decision {
    pub fn parse(body: &[u8]) -> Result<Decision, BadRequest> {
        let d: Decision = serde_json::from_slice(body).map_err(|e| bad(format!("bad JSON body: {e}")))?;
        short("id", &d.id)?;
        Ok(d)
    }
}

/// Parses a request for `route` (the path after `/api/`) from its query string and body:
/// what the fuzz target drives. Returns what was understood, for the target to check.
pub fn parse_any(route: &str, query: &str, body: &[u8]) -> Result<String, BadRequest> {
    Ok(match route {
        "search" => format!("{:?}", Search::parse(query)?),
        "card" => format!("{:?}", Card::parse(query)?),
        "expand" => format!("{:?}", Expand::parse(query)?),
        "path" => format!("{:?}", Path::parse(query)?),
        "chains" => format!("{:?}", Chains::parse(query)?),
        "view" => format!("{:?}", View::parse(query)?),
        "links" | "export" => format!("{:?}", Canvas::parse(body)?),
        "review/accept" | "review/reject" => format!("{:?}", Decision::parse(body)?),
        _ => return Err(bad("no such endpoint")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_an_expansion_with_filters() {
        let e = Expand::parse("id=ann&rel=MemberOf,SiblingOf&kind=Person&min=reported&limit=9999").unwrap();
        assert_eq!(e.entity, "ann");
        assert_eq!(e.relations, vec![Relation::MemberOf, Relation::SiblingOf]);
        assert_eq!(e.kinds, vec![Kind::Person]);
        assert_eq!(e.min_certainty, Some(Certainty::Reported));
        assert_eq!(e.limit, MAX_PAGE, "the page is bounded whatever is asked");
    }

    #[test]
    fn refuses_what_it_does_not_understand() {
        assert!(Expand::parse("id=ann&rel=Lunch").unwrap_err().0.contains("Lunch"));
        assert!(Search::parse("q=").is_err());
        assert!(Search::parse("q=a&q=b").unwrap_err().0.contains("twice"));
        assert!(Path::parse("from=a").unwrap_err().0.contains("`to`"));
        assert!(Card::parse(&format!("id={}", "x".repeat(MAX_TEXT + 1))).is_err());
        assert!(Canvas::parse(br#"{"ids": [], "path": "/etc/passwd"}"#).is_err(), "unknown fields refused");
        assert!(Decision::parse(b"not json").is_err());
        assert!(parse_any("../../etc/passwd", "", b"").is_err());
    }

    #[test]
    fn decodes_percent_escapes_and_hostile_text_unchanged() {
        let s = Search::parse("q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E").unwrap();
        assert_eq!(s.query, "<img src=x onerror=alert(1)>");
    }
}

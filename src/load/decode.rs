//! Deserializing one element of a file (from its span tree when it is in a plain form, see
//! [`super::fast`], else with `ron`), and turning `ron`'s errors (line and
//! column within the element) into problems at the right place in the file.

use serde::Deserialize;

use super::diagnostic::Problem;
use super::file::{FileId, SourceFile, Span};
use super::suggest::closest;
use super::tree::Node;

/// The extensions every data file gets without asking: optional values written bare
/// (`date: "2017"`) and `Person(id: ...)` instead of `Person((id: ...))`.
fn options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .with_default_extension(ron::extensions::Extensions::UNWRAP_VARIANT_NEWTYPES)
}

/// Deserializes the element at `node` as a `T`; `what` names it in messages ("entity").
// A Problem is large, but built only on the error path, once per bad record.
#[allow(clippy::result_large_err)]
pub fn decode<'a, T: Deserialize<'a>>(
    file: &'a SourceFile,
    id: FileId,
    node: &'a Node,
    what: &str,
) -> Result<T, Problem> {
    if let Some(record) = super::fast::decode(&file.text, node) {
        return Ok(record);
    }
    let text = &file.text[node.span.start..node.span.end];
    options().from_str::<T>(text).map_err(|e| problem(file, id, node, what, e))
}

fn problem(file: &SourceFile, id: FileId, node: &Node, what: &str, e: ron::error::SpannedError) -> Problem {
    use ron::Error as E;
    let absolute = |p: ron::error::Position| {
        let (line0, col0) = file.line_col(node.span.start);
        let (line, col) =
            if p.line <= 1 { (line0, col0 + p.col.saturating_sub(1)) } else { (line0 + p.line - 1, p.col) };
        file.offset_of(line, col)
    };
    let mut span = Span::new(absolute(e.span.start), absolute(e.span.end));
    let head = head_span(file, node);
    match e.code {
        E::NoSuchStructField { expected, found, outer } => {
            span = find_word(file, span, &found);
            let outer = outer.map(|o| record_name(&o)).unwrap_or_else(|| what.to_owned());
            Problem::error("unknown-field", format!("unknown field `{found}` in {outer}"))
                .at(id, span, "not a field of this record")
                .help(with_suggestion(&found, expected, &format!("the fields of {outer} are")))
        }
        E::NoSuchEnumVariant { expected, found, outer } => {
            span = find_word(file, span, &found);
            let outer = outer.map(|o| record_name(&o)).unwrap_or_else(|| "value".to_owned());
            Problem::error("unknown-variant", format!("unknown {outer} `{found}`"))
                .at(id, span, format!("not a valid {outer}"))
                .help(with_suggestion(&found, expected, "expected one of"))
        }
        E::MissingStructField { field, outer } => {
            let outer = outer.map(|o| record_name(&o)).unwrap_or_else(|| what.to_owned());
            Problem::error("missing-field", format!("{outer} is missing the field `{field}`"))
                .at(id, head, format!("this {what} has no `{field}`"))
                .help(format!("add `{field}: ...` to it"))
        }
        E::DuplicateStructField { field, .. } => {
            Problem::error("duplicate-field", format!("the field `{field}` is written twice"))
                .at(id, find_word(file, span, field), "second time")
                .help("keep one of them")
        }
        E::ExceededRecursionLimit => Problem::error("too-deep", format!("this {what} nests too deeply"))
            .at(id, head, "too deep")
            .help("threatgraph data nests a few levels at most: flatten this value"),
        code => {
            if span.is_empty() {
                span = Span::new(span.start, next_char_end(file, span.start));
            }
            Problem::error("invalid-value", format!("invalid {what}: {}", lowercase_first(&code.to_string())))
                .at(id, span, "here")
                .help(format!("check this {what} against docs/data-format.md"))
        }
    }
}

/// The span of an element's head: `Person` in `Person(...)`, else its first character.
fn head_span(file: &SourceFile, node: &Node) -> Span {
    let text = &file.text[node.span.start..node.span.end];
    let len = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|&n| n > 0)
        .unwrap_or(1.min(text.len()));
    Span::new(node.span.start, node.span.start + len)
}

/// Narrows `near` to the occurrence of `word` that starts at or just before it.
fn find_word(file: &SourceFile, near: Span, word: &str) -> Span {
    let line_start = file.text[..near.start.min(file.text.len())].rfind('\n').map_or(0, |i| i + 1);
    let window_end = (near.end.max(near.start) + word.len()).min(file.text.len());
    let window = file.text.get(line_start..window_end).unwrap_or("");
    match window.rfind(word) {
        Some(i) => Span::new(line_start + i, line_start + i + word.len()),
        None => near,
    }
}

fn next_char_end(file: &SourceFile, at: usize) -> usize {
    file.text.get(at..).and_then(|s| s.chars().next()).map_or(at, |c| at + c.len_utf8())
}

/// `PersonRecord` → `Person`: the record types are named after what the user writes.
fn record_name(outer: &str) -> String {
    match outer.strip_suffix("Record") {
        Some("Entity") => "entity kind".to_owned(),
        Some("Link") => "link".to_owned(),
        Some("Source") => "source".to_owned(),
        Some("View") => "view".to_owned(),
        Some("Chain") => "chain".to_owned(),
        Some(name) => name.to_owned(),
        None if outer == "ChainStep" => "chain step".to_owned(),
        None => outer.to_owned(),
    }
}

fn with_suggestion(found: &str, expected: &[&str], lead: &str) -> String {
    let list = expected.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", ");
    match closest(found, expected) {
        Some(best) => format!("did you mean `{best}`? {lead}: {list}"),
        None => format!("{lead}: {list}"),
    }
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

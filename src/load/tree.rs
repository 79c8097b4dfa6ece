//! A structure-only RON reader that records where every value starts and ends.
//!
//! `ron` reports errors by line and column but gives no spans for values that parse, and the
//! validator needs them: a reference to an unknown entity is reported at the reference. This
//! reader walks the same syntax and builds a tree of spans (no values); the typed records are
//! then deserialized by `ron` itself, one element at a time, so one bad element does not hide
//! the problems of the others.

use std::borrow::Cow;

use super::file::Span;

/// The deepest nesting accepted; deeper input is refused instead of exhausting the stack.
pub const MAX_DEPTH: usize = 64;

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub span: Span,
    pub kind: NodeKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    /// A string, number, character or bare identifier (`true`, `None`, `Dead`).
    Atom,
    /// `(a: 1)` or `Name(a: 1)`.
    Struct { name: Option<Span>, fields: Vec<Field> },
    /// `(1, 2)`, `Name(1)`, `Some(x)` or `()`.
    Tuple { name: Option<Span>, items: Vec<Node> },
    /// `[a, b]`.
    List(Vec<Node>),
    /// `{k: v}`.
    Map(Vec<(Node, Node)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The name without its `r#`; the names of the file format are not copied.
    pub name: Cow<'static, str>,
    pub name_span: Span,
    pub value: Node,
}

/// A syntax error with the place it was found and, where one helps, the opening bracket or
/// quote it belongs to.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
    pub label: String,
    pub help: String,
    /// Other places that explain the error: the bracket it belongs to, a suspect string.
    pub notes: Vec<(Span, String)>,
}

impl Node {
    /// The field named `name`, if this is a struct that has it.
    pub fn field(&self, name: &str) -> Option<&Field> {
        match &self.kind {
            NodeKind::Struct { fields, .. } => fields.iter().find(|f| f.name == name),
            _ => None,
        }
    }

    /// The elements of a list, or the single value wrapped in `Some(...)`'s tuple.
    pub fn items(&self) -> &[Node] {
        match &self.kind {
            NodeKind::List(items) => items,
            NodeKind::Tuple { items, .. } => items,
            _ => &[],
        }
    }
}

/// Parses one RON document into a span tree.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    let mut p = Parser::new(text, None);
    p.document()
}

/// Parses a document of records, handing each record to `each` as soon as it is read instead
/// of keeping it: the records are the items of the document's list, or of the lists that are
/// fields of its record (`(entities: [..], links: [..])`), and `each` is told the field's name
/// (`None` for the document's own list). The tree returned has those lists empty.
///
/// A whole file's tree would be as large as the file; this keeps one record's at a time. On a
/// syntax error the records already handed over should be dropped, as [`parse`] would have
/// given none.
pub fn parse_records(text: &str, each: &mut dyn Records) -> Result<Node, SyntaxError> {
    let mut p = Parser::new(text, Some(each));
    p.stream = Stream::Root;
    p.document()
}

/// What [`parse_records`] hands each record to. A closure taking the field the record was read
/// in and its tree is one.
pub trait Records {
    /// Reads the record of the list `field` that starts at byte `start` itself, without a tree,
    /// when it can, and says where it ends; `None` to be handed its tree instead.
    fn plain(&mut self, _field: Option<&str>, _start: usize) -> Option<usize> {
        None
    }

    /// Takes the record read in the list `field` (`None` for the document's own list).
    fn record(&mut self, field: Option<&str>, node: &Node);
}

impl<F: FnMut(Option<&str>, &Node)> Records for F {
    fn record(&mut self, field: Option<&str>, node: &Node) {
        self(field, node)
    }
}

/// Where the list about to be read sits, for [`parse_records`].
enum Stream {
    No,
    /// The document's own value.
    Root,
    /// The value of this field of the document's record.
    Field(Cow<'static, str>),
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, each: Option<&'a mut (dyn Records + 'a)>) -> Self {
        Parser { text, bytes: text.as_bytes(), pos: 0, depth: 0, last_string: None, each, stream: Stream::No }
    }

    fn document(&mut self) -> Result<Node, SyntaxError> {
        let p = self;
        p.skip_trivia()?;
        p.skip_attributes()?;
        if p.pos >= p.bytes.len() {
            return Err(SyntaxError {
                span: Span::new(0, 0),
                message: "the file holds no data".into(),
                label: "empty".into(),
                help: "write the file's value, e.g. `(entities: [], links: [])`, or delete the file".into(),
                notes: Vec::new(),
            });
        }
        let node = p.value()?;
        p.skip_trivia()?;
        if p.pos < p.bytes.len() {
            let span = p.token_span();
            return Err(p.error(
                span,
                "unexpected text after the end of the data",
                "this is extra",
                "the file must hold one value: remove what follows it, or join the values in a list",
            ));
        }
        Ok(node)
    }
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    /// The last string literal read, for hinting at a missing closing quote.
    last_string: Option<Span>,
    /// Where records go as they are read ([`parse_records`]), and whether the value about to be
    /// read holds them.
    each: Option<&'a mut (dyn Records + 'a)>,
    stream: Stream,
}

impl Parser<'_> {
    fn error(&self, span: Span, message: &str, label: &str, help: &str) -> SyntaxError {
        SyntaxError {
            span,
            message: message.into(),
            label: label.into(),
            help: help.into(),
            notes: Vec::new(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// The span of the character (or identifier) at the cursor, for "unexpected" errors.
    fn token_span(&self) -> Span {
        let rest = &self.text[self.pos..];
        let ident_len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
        let len = if ident_len > 0 { ident_len } else { rest.chars().next().map_or(0, char::len_utf8) };
        Span::new(self.pos, self.pos + len)
    }

    fn describe_here(&self) -> String {
        match self.text[self.pos..].chars().next() {
            None => "the end of the file".into(),
            Some(_) => format!("`{}`", &self.text[self.token_span().start..self.token_span().end]),
        }
    }

    fn skip_trivia(&mut self) -> Result<(), SyntaxError> {
        loop {
            // ASCII spaces byte by byte (nearly all of them); any other character as a char.
            let spaces =
                self.bytes[self.pos..].iter().take_while(|b| matches!(b, b' ' | b'\n' | b'\r' | b'\t'));
            self.pos += spaces.count();
            // Most of the time the next byte starts a value: settle that without a slice.
            match self.peek() {
                Some(b) if b >= 0x80 || b == b'/' || char::from(b).is_whitespace() => {}
                _ => return Ok(()),
            }
            let rest = &self.text[self.pos..];
            let trimmed = match rest.as_bytes().first() {
                Some(&b) if b >= 0x80 || char::from(b).is_whitespace() => {
                    rest.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                }
                _ => rest,
            };
            self.pos += rest.len() - trimmed.len();
            if trimmed.starts_with("//") {
                self.pos += trimmed.find('\n').unwrap_or(trimmed.len());
            } else if trimmed.starts_with("/*") {
                let open = self.pos;
                let mut depth = 0usize;
                loop {
                    let rest = &self.text[self.pos..];
                    if rest.starts_with("/*") {
                        depth += 1;
                        self.pos += 2;
                    } else if rest.starts_with("*/") {
                        depth -= 1;
                        self.pos += 2;
                        if depth == 0 {
                            break;
                        }
                    } else if let Some(c) = rest.chars().next() {
                        self.pos += c.len_utf8();
                    } else {
                        return Err(self.error(
                            Span::new(open, open + 2),
                            "unclosed block comment",
                            "this comment is never closed",
                            "close it with `*/`",
                        ));
                    }
                }
            } else {
                return Ok(());
            }
        }
    }

    /// Skips `#![enable(...)]` lines at the top of a file.
    fn skip_attributes(&mut self) -> Result<(), SyntaxError> {
        while self.text[self.pos..].starts_with("#!") {
            let open = self.pos;
            self.pos += 2;
            if self.peek() != Some(b'[') {
                return Err(self.error(
                    Span::new(open, self.pos),
                    "malformed attribute",
                    "expected `#![...]`",
                    "write attributes as `#![enable(implicit_some)]`, or remove the line",
                ));
            }
            let close = self.text[self.pos..].find(']').ok_or_else(|| {
                self.error(
                    Span::new(open, self.pos),
                    "unclosed attribute",
                    "this `#![` is never closed",
                    "close it with `]`",
                )
            })?;
            self.pos += close + 1;
            self.skip_trivia()?;
        }
        Ok(())
    }

    fn value(&mut self) -> Result<Node, SyntaxError> {
        let start = self.pos;
        let stream = std::mem::replace(&mut self.stream, Stream::No);
        let Some(c) = self.peek() else {
            return Err(self.error(
                Span::new(start, start),
                "expected a value, found the end of the file",
                "the file ends here",
                "the file is cut short: finish the value and close every bracket",
            ));
        };
        match c {
            b'[' if !matches!(stream, Stream::No) => self.records(stream, start),
            b'(' | b'[' | b'{' => self.nested(None, start),
            b'"' => self.string(start),
            b'\'' => self.char_literal(start),
            b'r' if self.text[self.pos + 1..].trim_start_matches('#').starts_with('"') => {
                self.raw_string(start, 1)
            }
            b'b' if self.bytes.get(self.pos + 1) == Some(&b'"') => {
                self.pos += 1;
                self.string(start)
            }
            b'b' if self.text[self.pos..].starts_with("br\"") || self.text[self.pos..].starts_with("br#") => {
                self.raw_string(start, 2)
            }
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                self.number();
                Ok(Node { span: Span::new(start, self.pos), kind: NodeKind::Atom })
            }
            _ if self.text[self.pos..].starts_with(|c: char| c.is_alphabetic() || c == '_') => {
                let name = self.ident();
                let after_name = self.pos;
                self.skip_trivia()?;
                if self.peek() == Some(b'(') {
                    self.nested(Some(name), start)
                } else {
                    self.pos = after_name;
                    Ok(Node { span: name, kind: NodeKind::Atom })
                }
            }
            _ => {
                let span = self.token_span();
                Err(self.error(span, &format!("expected a value, found {}", self.describe_here()), "not a value", "a value is a string in double quotes, a number, a name such as `Reported`, or a bracketed `( )`, `[ ]` or `{ }`"))
            }
        }
    }

    fn ident(&mut self) -> Span {
        let start = self.pos;
        if self.bytes[self.pos..].starts_with(b"r#") {
            self.pos += 2;
        }
        // ASCII letters and digits byte by byte; from the first other byte on, as chars.
        while self.peek().is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
            self.pos += 1;
        }
        if self.peek().is_some_and(|b| b >= 0x80) {
            let rest = &self.text[self.pos..];
            self.pos += rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
        }
        Span::new(start, self.pos)
    }

    fn number(&mut self) {
        let mut prev = 0u8;
        while let Some(c) = self.peek() {
            let exponent_sign = matches!(c, b'+' | b'-') && matches!(prev, 0 | b'e' | b'E');
            if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || exponent_sign {
                prev = c;
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn string(&mut self, start: usize) -> Result<Node, SyntaxError> {
        let open = self.pos;
        self.pos += 1;
        loop {
            match self.peek() {
                None => return Err(self.unclosed_string(open)),
                Some(b'\\') => self.pos += 2,
                Some(b'"') => {
                    self.pos += 1;
                    break;
                }
                Some(_) => self.pos += 1,
            }
        }
        self.pos = self.pos.min(self.bytes.len());
        self.last_string = Some(Span::new(start, self.pos));
        Ok(Node { span: Span::new(start, self.pos), kind: NodeKind::Atom })
    }

    fn unclosed_string(&self, open: usize) -> SyntaxError {
        SyntaxError {
            span: Span::new(open, open + 1),
            message: "unclosed string".into(),
            label: "this string is never closed".into(),
            help: "add the closing `\"`; a `\"` inside a string is written `\\\"`".into(),
            notes: Vec::new(),
        }
    }

    fn raw_string(&mut self, start: usize, prefix: usize) -> Result<Node, SyntaxError> {
        self.pos += prefix;
        let hashes = self.text[self.pos..].bytes().take_while(|&b| b == b'#').count();
        self.pos += hashes;
        if self.peek() != Some(b'"') {
            return Err(self.error(
                Span::new(start, self.pos),
                "malformed raw string",
                "expected `\"`",
                "write raw strings as r\"...\" or r#\"...\"#",
            ));
        }
        let open = self.pos;
        self.pos += 1;
        let closing = format!("\"{}", "#".repeat(hashes));
        match self.text[self.pos..].find(&closing) {
            Some(i) => {
                self.pos += i + closing.len();
                Ok(Node { span: Span::new(start, self.pos), kind: NodeKind::Atom })
            }
            None => Err(self.unclosed_string(open)),
        }
    }

    fn char_literal(&mut self, start: usize) -> Result<Node, SyntaxError> {
        self.pos += 1;
        loop {
            match self.peek() {
                None | Some(b'\n') => {
                    return Err(self.error(
                        Span::new(start, start + 1),
                        "unclosed character literal",
                        "this `'` is never closed",
                        "strings are written in double quotes: \"...\"",
                    ));
                }
                Some(b'\\') => self.pos += 2,
                Some(b'\'') => {
                    self.pos += 1;
                    return Ok(Node { span: Span::new(start, self.pos), kind: NodeKind::Atom });
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    fn nested(&mut self, name: Option<Span>, start: usize) -> Result<Node, SyntaxError> {
        let open = self.pos;
        let opener = self.bytes[open];
        if self.depth >= MAX_DEPTH {
            return Err(self.error(
                Span::new(open, open + 1),
                &format!("nesting deeper than {MAX_DEPTH} levels"),
                "too deep",
                "threatgraph data nests a few levels at most: flatten this value",
            ));
        }
        self.depth += 1;
        self.pos += 1;
        let kind = match opener {
            b'[' => NodeKind::List(self.sequence(b']', open, |p| p.value())?),
            b'{' => NodeKind::Map(self.sequence(b'}', open, |p| {
                let key = p.value()?;
                p.expect_colon()?;
                Ok((key, p.value()?))
            })?),
            _ => {
                self.skip_trivia()?;
                if self.starts_field() {
                    NodeKind::Struct { name, fields: self.sequence(b')', open, |p| p.field())? }
                } else {
                    NodeKind::Tuple { name, items: self.sequence(b')', open, |p| p.value())? }
                }
            }
        };
        self.depth -= 1;
        Ok(Node { span: Span::new(start, self.pos), kind })
    }

    /// A list of records for [`parse_records`]: each item is handed over, none is kept.
    fn records(&mut self, stream: Stream, start: usize) -> Result<Node, SyntaxError> {
        let open = self.pos;
        self.depth += 1;
        self.pos += 1;
        let name = match &stream {
            Stream::Field(name) => Some(name.clone()),
            _ => None,
        };
        let mut each = self.each.take();
        let read = self.sequence(b']', open, |p| {
            let Some(each) = each.as_mut() else { return p.value().map(drop) };
            if let Some(end) = each.plain(name.as_deref(), p.pos) {
                p.pos = end;
            } else {
                each.record(name.as_deref(), &p.value()?);
            }
            Ok(())
        });
        self.each = each;
        read?;
        self.depth -= 1;
        Ok(Node { span: Span::new(start, self.pos), kind: NodeKind::List(Vec::new()) })
    }

    /// True at `ident :` (a struct field), as opposed to a tuple item.
    fn starts_field(&mut self) -> bool {
        let save = self.pos;
        let is_field = self.text[self.pos..].starts_with(|c: char| c.is_alphabetic() || c == '_') && {
            self.ident();
            self.skip_trivia().is_ok() && self.peek() == Some(b':')
        };
        self.pos = save;
        is_field
    }

    fn field(&mut self) -> Result<Field, SyntaxError> {
        if !self.text[self.pos..].starts_with(|c: char| c.is_alphabetic() || c == '_') {
            let span = self.token_span();
            return Err(self.error(
                span,
                &format!("expected a field name, found {}", self.describe_here()),
                "expected `name: value`",
                "inside `( ... )` every entry is `field: value`, separated by commas",
            ));
        }
        let name_span = self.ident();
        let mut name = &self.text[name_span.start..name_span.end];
        // A loop, not `trim_start_matches("r#")`: a string pattern builds a substring searcher
        // at every call, and this runs for every field of a million records.
        while let Some(rest) = name.strip_prefix("r#") {
            name = rest;
        }
        let name = match super::schema::field_index(name) {
            Some(known) => Cow::Borrowed(super::schema::FIELD_NAMES[known]),
            None => Cow::Owned(name.to_owned()),
        };
        self.expect_colon()?;
        if self.depth == 1 && self.each.is_some() {
            self.stream = Stream::Field(name.clone());
        }
        let value = self.value()?;
        Ok(Field { name, name_span, value })
    }

    fn expect_colon(&mut self) -> Result<(), SyntaxError> {
        self.skip_trivia()?;
        if self.peek() == Some(b':') {
            self.pos += 1;
            self.skip_trivia()
        } else {
            let span = self.token_span();
            Err(self.error(
                span,
                &format!("expected `:`, found {}", self.describe_here()),
                "expected `:` here",
                "write `field: value`",
            ))
        }
    }

    /// Parses `item, item, ...` up to `close`, allowing a trailing comma.
    fn sequence<T>(
        &mut self,
        close: u8,
        open: usize,
        mut item: impl FnMut(&mut Self) -> Result<T, SyntaxError>,
    ) -> Result<Vec<T>, SyntaxError> {
        let mut items = Vec::new();
        let close_char = close as char;
        loop {
            self.skip_trivia()?;
            match self.peek() {
                Some(c) if c == close => {
                    self.pos += 1;
                    return Ok(items);
                }
                None => return Err(self.unclosed(open, close_char)),
                _ => {}
            }
            items.push(item(self).map_err(|mut e| {
                if e.span.start >= self.bytes.len() && e.notes.is_empty() {
                    e = self.unclosed(open, close_char);
                }
                e
            })?);
            self.skip_trivia()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(c) if c == close => {}
                None => return Err(self.unclosed(open, close_char)),
                Some(_) => {
                    let span = self.token_span();
                    let mut e = self.error(
                        span,
                        &format!("expected `,` or `{close_char}`, found {}", self.describe_here()),
                        "expected `,` before this",
                        "separate entries with commas; check for a missing comma or a stray quote on the line before",
                    );
                    e.notes.push((Span::new(open, open + 1), "in the list or record opened here".into()));
                    // `"Bob, sources: ["s"]`: a string swallowed what followed its missing quote.
                    if let Some(s) = self.last_string
                        && self.text[s.start..s.end].contains([',', ':', '\n'])
                        && self.text[s.end..self.pos].trim().is_empty()
                    {
                        e.notes.push((
                            Span::new(s.start, s.start + 1),
                            "does this string lack its closing `\"`?".into(),
                        ));
                        e.help = "a string may be missing its closing `\"`, so that it ran on into the next field; otherwise, separate entries with commas".into();
                    }
                    return Err(e);
                }
            }
        }
    }

    fn unclosed(&self, open: usize, close: char) -> SyntaxError {
        let opener = self.bytes[open] as char;
        SyntaxError {
            span: Span::new(open, open + 1),
            message: format!("unclosed `{opener}`"),
            label: format!("this `{opener}` is never closed"),
            help: format!("add the matching `{close}`; the file ends before it"),
            notes: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(text: &str, span: Span) -> &str {
        &text[span.start..span.end]
    }

    #[test]
    fn spans_of_fields_and_items() {
        let text = r##"#![enable(implicit_some)]
// a comment
(
    entities: [
        Person(id: "a-b", name: "A \"B\"", sources: ["s1", "s2"]),
        Place(id: "x", /* nested /* comment */ */ subkind: City),
    ],
    links: [(from: "a-b", rel: BornIn, to: "x", certainty: Reported, sources: ["s1"], lat: -1.5e3, t: (1, 2), m: {"k": 'c'}, r: r#"raw "q""#,)],
)"##;
        let root = parse(text).unwrap();
        let entities = &root.field("entities").unwrap().value;
        assert_eq!(entities.items().len(), 2);
        let person = &entities.items()[0];
        assert!(slice(text, person.span).starts_with("Person("));
        assert_eq!(slice(text, person.field("id").unwrap().value.span), "\"a-b\"");
        assert_eq!(slice(text, person.field("name").unwrap().value.span), r#""A \"B\"""#);
        let sources = &person.field("sources").unwrap().value;
        assert_eq!(slice(text, sources.items()[1].span), "\"s2\"");
        let place = &entities.items()[1];
        assert_eq!(slice(text, place.field("subkind").unwrap().value.span), "City");
        let link = &root.field("links").unwrap().value.items()[0];
        assert_eq!(slice(text, link.field("lat").unwrap().value.span), "-1.5e3");
        assert_eq!(slice(text, link.field("r").unwrap().value.span), "r#\"raw \"q\"\"#");
    }

    #[test]
    fn errors_point_at_the_problem() {
        let e = parse("(a: \"open)").unwrap_err();
        assert_eq!(e.message, "unclosed string");
        assert_eq!(e.span, Span::new(4, 5));

        let e = parse("(a: [1, 2)").unwrap_err();
        assert!(e.message.starts_with("expected `,` or `]`"), "{}", e.message);

        let e = parse("(a: [1, 2").unwrap_err();
        assert_eq!(e.message, "unclosed `[`");
        assert_eq!(e.span, Span::new(4, 5));

        let e = parse("(a: 1 b: 2)").unwrap_err();
        assert!(e.message.starts_with("expected `,`"), "{}", e.message);
        assert_eq!(e.span, Span::new(6, 7));

        assert_eq!(parse("  // only a comment\n").unwrap_err().message, "the file holds no data");
        assert_eq!(parse("(a: 1) x").unwrap_err().message, "unexpected text after the end of the data");
        assert_eq!(parse("/* open").unwrap_err().message, "unclosed block comment");
    }

    #[test]
    fn records_are_handed_over_one_at_a_time() {
        let text =
            "(entities: [Person(id: \"a\"), Place(id: \"b\")], links: [(from: \"a\")], other: [1], x: 2)";
        let mut seen = Vec::new();
        let root = parse_records(text, &mut |field: Option<&str>, node: &Node| {
            seen.push((field.map(str::to_owned), slice(text, node.span).to_owned()))
        })
        .unwrap();
        let seen: Vec<(Option<&str>, &str)> = seen.iter().map(|(f, s)| (f.as_deref(), s.as_str())).collect();
        assert_eq!(
            seen,
            [
                (Some("entities"), "Person(id: \"a\")"),
                (Some("entities"), "Place(id: \"b\")"),
                (Some("links"), "(from: \"a\")"),
                (Some("other"), "1"),
            ]
        );
        // The skeleton keeps the lists' spans, not their items, and every other value.
        let entities = &root.field("entities").unwrap().value;
        assert!(entities.items().is_empty());
        assert!(
            slice(text, entities.span).starts_with("[Person") && slice(text, entities.span).ends_with(")]")
        );
        assert_eq!(slice(text, root.field("x").unwrap().value.span), "2");
        // Items nested deeper are not records; a list as the document is.
        let mut inner = Vec::new();
        parse_records("[(a: [1, 2]), (a: [3])]", &mut |f: Option<&str>, n: &Node| {
            inner.push((f.is_none(), n.field("a").unwrap().value.items().len()))
        })
        .unwrap();
        assert_eq!(inner, [(true, 2), (true, 1)]);
        // A syntax error is reported as by `parse`.
        let broken = "(entities: [Person(id: \"a\"), Place(id: \"b\"]";
        assert_eq!(
            parse_records(broken, &mut |_: Option<&str>, _: &Node| ()).unwrap_err(),
            parse(broken).unwrap_err()
        );
    }

    #[test]
    fn deep_nesting_is_refused_without_overflow() {
        let deep = "[".repeat(100_000);
        let e = parse(&deep).unwrap_err();
        assert!(e.message.starts_with("nesting deeper than"));
    }

    #[test]
    fn byte_order_mark_is_whitespace() {
        let root = parse("\u{feff}(a: 1)").unwrap();
        assert!(root.field("a").is_some());
    }
}

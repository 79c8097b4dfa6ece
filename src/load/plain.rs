//! Reading a link record written in its plainest form straight from the text, without a span
//! tree.
//!
//! Links are four in five records of a large folder, and nearly all are written alike:
//! `(from: "a", rel: MemberOf, to: "b", date: "2017", certainty: Reported, sources: ["s"])`.
//! Building a span tree for each and then deserializing from it ([`super::fast`]) was most of the
//! parsing time. This reader takes such a record in one pass over its bytes. It accepts only
//! ASCII spaces between tokens, the fields `from`, `rel`, `to`, `date`, `since`, `until`,
//! `role`, `note`, `certainty` and `sources`, each at most once, strings without escapes or
//! control characters, and `Some("..")`/`None` for the optional ones; it declines everything
//! else (comments, other fields, any error), and the record is then read the usual way, which
//! writes every diagnostic. So what it accepts is what `ron` reads, as the same value: the tests
//! of [`super::fast`] check that on the repository's data, on every fixture and on generated
//! records.

use serde::Deserialize;

use super::fast::Declined;
use super::schema::{IdText, LinkRecord};

/// The link record starting at byte `start` of `text` (at its `(`) and the byte just after it,
/// or `None` when it is not written in the plain form.
pub fn link(text: &str, start: usize) -> Option<(LinkRecord<'_>, usize)> {
    let mut r = Reader { text, bytes: text.as_bytes(), pos: start };
    r.eat(b'(')?;
    let (mut from, mut rel, mut to, mut certainty) = (None, None, None, None);
    let (mut date, mut since, mut until, mut role, mut note, mut sources) =
        (None, None, None, None, None, None);
    r.spaces();
    while r.peek()? != b')' {
        let name = r.name()?;
        r.spaces();
        r.eat(b':')?;
        r.spaces();
        // Each field once: `ron` refuses a record naming a field twice.
        match name {
            b"from" => set(&mut from, IdText(r.string()?.into()))?,
            b"to" => set(&mut to, IdText(r.string()?.into()))?,
            b"rel" => set(&mut rel, variant(r.ident()?)?)?,
            b"certainty" => set(&mut certainty, variant(r.ident()?)?)?,
            b"date" => set(&mut date, r.optional()?)?,
            b"since" => set(&mut since, r.optional()?)?,
            b"until" => set(&mut until, r.optional()?)?,
            b"role" => set(&mut role, r.optional()?)?,
            b"note" => set(&mut note, r.optional()?)?,
            b"sources" => set(&mut sources, r.strings()?)?,
            _ => return None,
        }
        r.spaces();
        match r.peek()? {
            b',' => {
                r.pos += 1;
                r.spaces();
            }
            b')' => {}
            _ => return None,
        }
    }
    r.pos += 1;
    let record = LinkRecord {
        from: from?,
        rel: rel?,
        to: to?,
        date: date.flatten(),
        since: since.flatten(),
        until: until.flatten(),
        role: role.flatten(),
        note: note.flatten(),
        certainty: certainty?,
        sources: sources.unwrap_or_default(),
        rule: None,
        spans: Vec::new(),
        external_ids: Vec::new(),
    };
    Some((record, r.pos))
}

/// Fills a field read for the first time; `None` when it was read before.
fn set<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    match slot {
        Some(_) => None,
        None => {
            *slot = Some(value);
            Some(())
        }
    }
}

/// The unit variant of an enum named `name`, as serde reads it from a bare name.
fn variant<'de, T: Deserialize<'de>>(name: &'de str) -> Option<T> {
    let name = serde::de::value::BorrowedStrDeserializer::<Declined>::new(name);
    T::deserialize(name).ok()
}

/// A cursor over one record's bytes.
struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.pos += 1)
    }

    /// ASCII spaces only: a comment or any other space sends the record the usual way.
    fn spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.pos += 1;
        }
    }

    /// A field name: lowercase letters and `_` (the fields read here; `r#` names decline).
    fn name(&mut self) -> Option<&'a [u8]> {
        let start = self.pos;
        while matches!(self.peek(), Some(b'a'..=b'z' | b'_')) {
            self.pos += 1;
        }
        (self.pos > start).then(|| &self.bytes[start..self.pos])
    }

    /// A bare name: an ASCII letter or `_`, then letters, digits and `_`.
    fn ident(&mut self) -> Option<&'a str> {
        let start = self.pos;
        if !matches!(self.peek()?, b'a'..=b'z' | b'A'..=b'Z' | b'_') {
            return None;
        }
        while matches!(self.peek(), Some(b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_')) {
            self.pos += 1;
        }
        Some(&self.text[start..self.pos])
    }

    /// The content of a `"..."` string with no escape and no control character.
    fn string(&mut self) -> Option<&'a str> {
        self.eat(b'"')?;
        let start = self.pos;
        // Bytes, not chars: `"`, `\` and the control characters are ASCII, and no byte of a
        // longer character is below 0x80.
        let len = self.bytes[start..].iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
        self.pos = start + len;
        self.eat(b'"')?;
        Some(&self.text[start..start + len])
    }

    /// An optional string: `"..."`, `Some("...")` or `None`.
    fn optional(&mut self) -> Option<Option<String>> {
        match self.peek()? {
            b'"' => Some(Some(self.string()?.to_owned())),
            _ => match self.ident()? {
                "None" => Some(None),
                "Some" => {
                    self.eat(b'(')?;
                    let s = self.string()?;
                    self.eat(b')')?;
                    Some(Some(s.to_owned()))
                }
                _ => None,
            },
        }
    }

    /// A list of strings, `["a", "b"]`, a comma after the last allowed.
    fn strings(&mut self) -> Option<Vec<IdText<'a>>> {
        self.eat(b'[')?;
        let mut items = Vec::new();
        self.spaces();
        while self.peek()? != b']' {
            items.push(IdText(self.string()?.into()));
            self.spaces();
            match self.peek()? {
                b',' => {
                    self.pos += 1;
                    self.spaces();
                }
                b']' => {}
                _ => return None,
            }
        }
        self.pos += 1;
        Some(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_plain_form_and_says_where_it_ends() {
        let text = "[(from: \"a\", rel: MemberOf, to: \"b\", date: Some(\"2017\"), role: None,\n certainty: Reported, sources: [\"s\", \"t\",],), x]";
        let (r, end) = link(text, 1).unwrap();
        assert_eq!(&text[end..], ", x]");
        assert_eq!((r.from.0.as_ref(), r.to.0.as_ref()), ("a", "b"));
        assert_eq!(r.date.as_deref(), Some("2017"));
        assert_eq!(r.role, None);
        assert_eq!(r.sources.iter().map(|s| s.0.as_ref()).collect::<Vec<_>>(), ["s", "t"]);
    }

    #[test]
    fn declines_what_it_does_not_read() {
        let base = "from: \"a\", rel: MemberOf, to: \"b\", certainty: Reported";
        for extra in [
            ", note: \"a\\\"b\"",
            ", note: \"line\nbreak\"",
            ", // comment\n date: \"2017\"",
            ", rule: \"x\"",
            ", date: Some( \"2017\" )",
            ", date: \"1\", date: \"2\"",
            ", sources: [\"s\" \"t\"]",
            ", r#note: \"x\"",
            ", rel: Reported",
        ] {
            let text = format!("({base}{extra})");
            assert!(link(&text, 0).is_none(), "{text}");
        }
        assert!(link("(from: \"a\", rel: MemberOf, certainty: Reported)", 0).is_none());
        assert!(link("(from: \"a\", rel: Nope, to: \"b\", certainty: Reported)", 0).is_none());
        assert!(link("Link(from: \"a\", rel: MemberOf, to: \"b\", certainty: Reported)", 0).is_none());
        assert!(link("(from: \"a\", rel: MemberOf, to: \"b\", certainty: Reported", 0).is_none());
    }
}

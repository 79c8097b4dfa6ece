//! Reading a record written in its plainest form straight from the text, without a span tree.
//!
//! Nearly every record of a large folder is written alike:
//! `(from: "a", rel: MemberOf, to: "b", date: "2017", certainty: Reported, sources: ["s"])`,
//! `Person(id: "a", name: "A", sources: ["s"])`. Building a span tree for each and then
//! deserializing from it ([`super::fast`]) was most of the parsing time. This reader takes such a
//! record in one pass over its bytes: a serde deserializer over the text that accepts only ASCII
//! spaces between tokens, strings without escapes or control characters, decimal numbers, bare
//! ASCII names, `Some(..)`/`None` or a bare optional value, `Kind(field: ..)` for a variant
//! holding a record, lists, and records without a name that have at least one field. It declines
//! everything else (comments, raw names, any error, and every record serde would refuse); the
//! record is then read the usual way, which writes every diagnostic. So what it accepts is what
//! `ron` reads, as the same value: the tests of [`super::fast`] check that on the repository's
//! data, on every fixture and on generated records.

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Visitor};

use super::fast::{Declined, declined, integers};

/// The record of type `T` starting at byte `start` of `text` and the byte just after it, or
/// `None` when it is not written in the plain form (or is not a valid `T`).
pub fn record<'a, T: Deserialize<'a>>(text: &'a str, start: usize) -> Option<(T, usize)> {
    let mut reader = Reader { text, bytes: text.as_bytes(), pos: start };
    let value = T::deserialize(&mut reader).ok()?;
    Some((value, reader.pos))
}

/// A cursor over a file's text.
struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

type Read<T> = Result<T, Declined>;

impl<'a> Reader<'a> {
    fn peek(&self) -> Read<u8> {
        self.bytes.get(self.pos).copied().ok_or(Declined)
    }

    fn eat(&mut self, byte: u8) -> Read<()> {
        if self.peek()? == byte {
            self.pos += 1;
            Ok(())
        } else {
            Err(Declined)
        }
    }

    /// ASCII spaces only: a comment or any other space sends the record the usual way.
    fn spaces(&mut self) {
        while matches!(self.bytes.get(self.pos), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.pos += 1;
        }
    }

    /// After an item of a list or record: its `,` (and the spaces after it), or its `close`.
    fn after_item(&mut self, close: u8) -> Read<()> {
        self.spaces();
        match self.peek()? {
            b',' => {
                self.pos += 1;
                self.spaces();
                Ok(())
            }
            b if b == close => Ok(()),
            _ => Err(Declined),
        }
    }

    /// A bare name: an ASCII letter or `_`, then ASCII letters, digits and `_`. A name going on
    /// in other letters, or raw (`r#`), is declined.
    fn ident(&mut self) -> Read<&'a str> {
        let start = self.pos;
        if !matches!(self.peek()?, b'a'..=b'z' | b'A'..=b'Z' | b'_') {
            return Err(Declined);
        }
        while let Some(b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
        match self.bytes.get(self.pos) {
            Some(b'#' | 0x80..) => Err(Declined),
            _ => Ok(&self.text[start..self.pos]),
        }
    }

    /// The bare name at the cursor, without moving it.
    fn peek_ident(&mut self) -> Option<&'a str> {
        let at = self.pos;
        let name = self.ident().ok();
        self.pos = at;
        name
    }

    /// The content of a `"..."` string with no escape and no control character.
    fn string(&mut self) -> Read<&'a str> {
        self.eat(b'"')?;
        let start = self.pos;
        // Bytes, not chars: `"`, `\` and the control characters are ASCII, and no byte of a
        // longer character is below 0x80.
        let len =
            self.bytes[start..].iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).ok_or(Declined)?;
        self.pos = start + len;
        self.eat(b'"')?;
        Ok(&self.text[start..start + len])
    }

    /// A number's text, as the span tree cuts it: a `-` or a digit, then letters, digits, `_`
    /// and `.` (a `+` or `-` only after an exponent's `e`, which is declined later anyway).
    fn number(&mut self) -> Read<&'a str> {
        let start = self.pos;
        if !matches!(self.peek()?, b'-' | b'0'..=b'9') {
            return Err(Declined);
        }
        self.pos += 1;
        while let Some(b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b'.') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
        Ok(&self.text[start..self.pos])
    }

    fn integer(&mut self, signed: bool) -> Read<&'a str> {
        super::fast::integer(self.number()?, signed)
    }

    fn float(&mut self) -> Read<f64> {
        super::fast::float(self.number()?)
    }
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = Declined;

    integers!();

    declined! {
        deserialize_any deserialize_char deserialize_bytes deserialize_byte_buf deserialize_map
        deserialize_ignored_any deserialize_i128 deserialize_u128 deserialize_unit deserialize_identifier
    }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Read<V::Value> {
        match self.ident()? {
            "true" => v.visit_bool(true),
            "false" => v.visit_bool(false),
            _ => Err(Declined),
        }
    }

    fn deserialize_f32<V: Visitor<'de>>(self, _: V) -> Read<V::Value> {
        Err(Declined)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Read<V::Value> {
        v.visit_f64(self.float()?)
    }

    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Read<V::Value> {
        v.visit_borrowed_str(self.string()?)
    }

    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Read<V::Value> {
        self.deserialize_str(v)
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Read<V::Value> {
        match self.peek_ident() {
            Some("None") => {
                self.ident()?;
                v.visit_none()
            }
            Some("Some") => {
                self.ident()?;
                self.spaces();
                self.eat(b'(')?;
                self.spaces();
                let value = v.visit_some(&mut *self)?;
                self.spaces();
                self.eat(b')')?;
                Ok(value)
            }
            // Implicit `Some`: the value written bare.
            _ => v.visit_some(self),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, _: V) -> Read<V::Value> {
        Err(Declined)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, _: V) -> Read<V::Value> {
        Err(Declined)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Read<V::Value> {
        self.eat(b'[')?;
        self.spaces();
        let value = v.visit_seq(Items { reader: &mut *self })?;
        self.eat(b']')?;
        Ok(value)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, _: V) -> Read<V::Value> {
        Err(Declined)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(self, _: &'static str, _: usize, _: V) -> Read<V::Value> {
        Err(Declined)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Read<V::Value> {
        // A record with a name (`LinkRecord(...)`) is checked against the type's by `ron`.
        self.eat(b'(')?;
        self.spaces();
        // `()` is a unit to `ron`, not a record.
        if self.peek()? == b')' {
            return Err(Declined);
        }
        let value = v.visit_map(Fields { reader: &mut *self })?;
        self.eat(b')')?;
        Ok(value)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Read<V::Value> {
        let name = self.ident()?;
        v.visit_enum(Variant { name, reader: self })
    }

    fn is_human_readable(&self) -> bool {
        true
    }
}

/// The items of a list, its `[` read.
struct Items<'r, 'de> {
    reader: &'r mut Reader<'de>,
}

impl<'de> de::SeqAccess<'de> for Items<'_, 'de> {
    type Error = Declined;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Read<Option<T::Value>> {
        if self.reader.peek()? == b']' {
            return Ok(None);
        }
        let item = seed.deserialize(&mut *self.reader)?;
        self.reader.after_item(b']')?;
        Ok(Some(item))
    }
}

/// The fields of a record, its `(` read, as a map from field names to values.
struct Fields<'r, 'de> {
    reader: &'r mut Reader<'de>,
}

impl<'de> de::MapAccess<'de> for Fields<'_, 'de> {
    type Error = Declined;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Read<Option<K::Value>> {
        if self.reader.peek()? == b')' {
            return Ok(None);
        }
        let name = self.reader.ident()?;
        self.reader.spaces();
        self.reader.eat(b':')?;
        self.reader.spaces();
        seed.deserialize(de::value::BorrowedStrDeserializer::<Declined>::new(name)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Read<V::Value> {
        let value = seed.deserialize(&mut *self.reader)?;
        self.reader.after_item(b')')?;
        Ok(value)
    }
}

/// A variant: its name read, and the reader after it.
struct Variant<'r, 'de> {
    name: &'de str,
    reader: &'r mut Reader<'de>,
}

impl<'r, 'de> de::EnumAccess<'de> for Variant<'r, 'de> {
    type Error = Declined;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Read<(S::Value, Self)> {
        let key = seed.deserialize(de::value::BorrowedStrDeserializer::<Declined>::new(self.name))?;
        Ok((key, self))
    }
}

impl<'de> de::VariantAccess<'de> for Variant<'_, 'de> {
    type Error = Declined;

    fn unit_variant(self) -> Read<()> {
        // `Dead (..)` would be a variant holding a value to `ron`.
        let at = self.reader.pos;
        self.reader.spaces();
        let followed = matches!(self.reader.peek(), Ok(b'('));
        self.reader.pos = at;
        if followed { Err(Declined) } else { Ok(()) }
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Read<S::Value> {
        // `Person(id: ..)`: the variant's record written without brackets of its own. A space
        // before the bracket, `Person((id: ..))` and other forms are `ron`'s to judge.
        if self.reader.peek()? != b'(' {
            return Err(Declined);
        }
        seed.deserialize(Unwrapped { reader: self.reader })
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, _: V) -> Read<V::Value> {
        Err(Declined)
    }

    fn struct_variant<V: Visitor<'de>>(self, _: &'static [&'static str], _: V) -> Read<V::Value> {
        Err(Declined)
    }
}

/// A variant's bracketed record: only a record may be read from it.
struct Unwrapped<'r, 'de> {
    reader: &'r mut Reader<'de>,
}

impl<'de> de::Deserializer<'de> for Unwrapped<'_, 'de> {
    type Error = Declined;

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Read<V::Value> {
        self.reader.deserialize_struct(name, fields, v)
    }

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Read<V::Value> {
        Err(Declined)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::super::schema::{EntityRecord, LinkRecord};
    use super::*;

    fn link(text: &str, start: usize) -> Option<(LinkRecord<'_>, usize)> {
        record(text, start)
    }

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

    #[test]
    fn reads_an_entity_as_its_variant() {
        let text =
            "Event(id: \"e\", name: \"E\", subkind: Attack, killed: Some(3), injured: 4, date: \"2017-05\")";
        let Some((EntityRecord::Event(e), end)) = record::<EntityRecord>(text, 0) else { panic!() };
        assert_eq!(
            (e.killed, e.injured, e.date.as_deref(), end),
            (Some(3), Some(4), Some("2017-05"), text.len())
        );
        for declined in [
            "Event (id: \"e\", name: \"E\", subkind: Attack)",
            "Person((id: \"p\", name: \"P\"))",
            "Person()",
        ] {
            assert!(record::<EntityRecord>(declined, 0).is_none(), "{declined}");
        }
    }
}

//! Deserializing a record straight from its span tree, for the plain forms data files are
//! written in.
//!
//! Reading every record's text a second time with `ron` was the slow half of loading. This
//! reader takes the values from the text at the spans the tree already found. It handles only
//! the plain forms (strings without escapes, decimal numbers, bare names, `Some(..)`/`None` or
//! a bare optional value, `Kind(field: ..)` for a variant holding a record, lists, records
//! without a name) and declines everything else, including every record serde would refuse.
//! The caller then asks `ron`, which decodes the unusual forms and writes every diagnostic. So a
//! record this reader accepts is one `ron` accepts, as the same value: the tests below check
//! that on the repository's data, on every fixture, and on generated records.

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use super::tree::{Field, Node, NodeKind};

/// Decodes the record at `node` of `text`, or `None` when it is not in a plain form (or is
/// not a valid `T`): ask `ron` then.
pub fn decode<'a, T: Deserialize<'a>>(text: &'a str, node: &'a Node) -> Option<T> {
    T::deserialize(Value { text, node }).ok()
}

/// Why this reader gave up; never shown (`ron` says what is wrong, if anything is).
#[derive(Debug)]
pub struct Declined;

impl std::fmt::Display for Declined {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not in a plain form")
    }
}

impl std::error::Error for Declined {}

impl de::Error for Declined {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Declined
    }
}

/// One value of the tree and the text it spans.
#[derive(Clone, Copy)]
struct Value<'a> {
    text: &'a str,
    node: &'a Node,
}

impl<'a> Value<'a> {
    fn source(&self) -> &'a str {
        &self.text[self.node.span.start..self.node.span.end]
    }

    /// The atom's text when the value is an atom.
    fn atom(&self) -> Result<&'a str, Declined> {
        match self.node.kind {
            NodeKind::Atom => Ok(self.source()),
            _ => Err(Declined),
        }
    }

    /// The content of a plain `"..."` string: no escapes, no raw or byte string.
    fn plain_string(&self) -> Result<&'a str, Declined> {
        let s = self.atom()?;
        let inner = s.strip_prefix('"').and_then(|s| s.strip_suffix('"')).ok_or(Declined)?;
        // Bytes, not chars: both are ASCII, and no byte of a longer character equals either.
        if inner.bytes().any(|b| b == b'\\' || b == b'"') { Err(Declined) } else { Ok(inner) }
    }

    /// A bare name: `None`, `true`, `Reported`. Raw names (`r#x`) are left to `ron`.
    fn ident(&self) -> Result<&'a str, Declined> {
        let s = self.atom()?;
        let mut chars = s.chars();
        let plain = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
        if plain { Ok(s) } else { Err(Declined) }
    }

    fn integer(&self, signed: bool) -> Result<&'a str, Declined> {
        integer(self.atom()?, signed)
    }

    fn float(&self) -> Result<f64, Declined> {
        float(self.atom()?)
    }
}

/// A number's text when it is decimal digits, with a `-` when `signed`; no `+`, `_`, radix
/// prefix or exponent (this reader's and [`super::plain`]'s rule).
pub(super) fn integer(s: &str, signed: bool) -> Result<&str, Declined> {
    let digits = if signed { s.strip_prefix('-').unwrap_or(s) } else { s };
    if !digits.is_empty() && digits.len() <= 18 && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(s)
    } else {
        Err(Declined)
    }
}

/// A number's value when its text is `12`, `-3.5`, `0.25`: digits with an optional sign and
/// fraction.
pub(super) fn float(s: &str) -> Result<f64, Declined> {
    let body = s.strip_prefix('-').unwrap_or(s);
    let (whole, fraction) = body.split_once('.').unwrap_or((body, "0"));
    let digits = |d: &str| !d.is_empty() && d.len() <= 15 && d.bytes().all(|b| b.is_ascii_digit());
    if digits(whole) && digits(fraction) { s.parse().map_err(|_| Declined) } else { Err(Declined) }
}

/// The integer methods of a deserializer whose `integer` gives a number's text.
macro_rules! integers {
    () => {
        integers! {
            deserialize_u8 visit_u8 u8, false;
            deserialize_u16 visit_u16 u16, false;
            deserialize_u32 visit_u32 u32, false;
            deserialize_u64 visit_u64 u64, false;
            deserialize_i8 visit_i8 i8, true;
            deserialize_i16 visit_i16 i16, true;
            deserialize_i32 visit_i32 i32, true;
            deserialize_i64 visit_i64 i64, true;
        }
    };
    ($($method:ident $visit:ident $ty:ty, $signed:expr;)*) => {$(
        fn $method<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
            let n: $ty = self.integer($signed)?.parse().map_err(|_| Declined)?;
            v.$visit(n)
        }
    )*};
}

macro_rules! declined {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Declined> {
            Err(Declined)
        }
    )*};
}

// The plain reader's deserializer has the same integer and declined methods.
pub(super) use {declined, integers};

impl<'de> de::Deserializer<'de> for Value<'de> {
    type Error = Declined;

    integers!();

    declined! {
        deserialize_any deserialize_char deserialize_bytes deserialize_byte_buf deserialize_map
        deserialize_ignored_any deserialize_i128 deserialize_u128
    }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        match self.atom()? {
            "true" => v.visit_bool(true),
            "false" => v.visit_bool(false),
            _ => Err(Declined),
        }
    }

    fn deserialize_f32<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Declined> {
        Err(Declined)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        v.visit_f64(self.float()?)
    }

    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        v.visit_borrowed_str(self.plain_string()?)
    }

    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        self.deserialize_str(v)
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        match &self.node.kind {
            NodeKind::Atom if self.source() == "None" => v.visit_none(),
            NodeKind::Tuple { name: Some(name), items } if &self.text[name.start..name.end] == "Some" => {
                match items.as_slice() {
                    [inner] => v.visit_some(Value { text: self.text, node: inner }),
                    _ => Err(Declined),
                }
            }
            // `Some` written as a field or variant name would mean something else to `ron`.
            NodeKind::Atom if self.source() == "Some" => Err(Declined),
            // Implicit `Some`: the value written bare.
            _ => v.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        match &self.node.kind {
            NodeKind::Tuple { name: None, items } if items.is_empty() => v.visit_unit(),
            _ => Err(Declined),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, _: V) -> Result<V::Value, Declined> {
        Err(Declined)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: V,
    ) -> Result<V::Value, Declined> {
        Err(Declined)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Declined> {
        match &self.node.kind {
            NodeKind::List(items) => {
                let mut seq = Items { text: self.text, items: items.iter() };
                let value = v.visit_seq(&mut seq)?;
                if seq.items.len() == 0 { Ok(value) } else { Err(Declined) }
            }
            _ => Err(Declined),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, Declined> {
        Err(Declined)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        _: V,
    ) -> Result<V::Value, Declined> {
        Err(Declined)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Declined> {
        match &self.node.kind {
            // A record with a name (`LinkRecord(...)`) is checked against the type's by `ron`.
            NodeKind::Struct { name: None, fields } => Record::visit(self.text, fields, v),
            _ => Err(Declined),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Declined> {
        let name = match &self.node.kind {
            NodeKind::Atom => self.ident()?,
            NodeKind::Struct { name: Some(name), .. } => &self.text[name.start..name.end],
            _ => return Err(Declined),
        };
        let plain = name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !plain {
            return Err(Declined);
        }
        v.visit_enum(Variant { name, value: self })
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Declined> {
        Err(Declined)
    }

    fn is_human_readable(&self) -> bool {
        true
    }
}

/// The items of a list.
struct Items<'a> {
    text: &'a str,
    items: std::slice::Iter<'a, Node>,
}

impl<'de> de::SeqAccess<'de> for Items<'de> {
    type Error = Declined;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Declined> {
        match self.items.next() {
            Some(node) => seed.deserialize(Value { text: self.text, node }).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The fields of a record, as a map from field names to values.
struct Record<'a> {
    text: &'a str,
    fields: std::slice::Iter<'a, Field>,
    value: Option<&'a Node>,
}

impl<'a> Record<'a> {
    fn visit<'de: 'a, V: Visitor<'de>>(
        text: &'de str,
        fields: &'de [Field],
        v: V,
    ) -> Result<V::Value, Declined> {
        let mut record = Record { text, fields: fields.iter(), value: None };
        let value = v.visit_map(&mut record)?;
        if record.fields.len() == 0 { Ok(value) } else { Err(Declined) }
    }
}

impl<'de> de::MapAccess<'de> for Record<'de> {
    type Error = Declined;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Declined> {
        let Some(field) = self.fields.next() else { return Ok(None) };
        // A raw field name (`r#type`) is left to `ron`.
        if self.text[field.name_span.start..field.name_span.end].starts_with("r#") {
            return Err(Declined);
        }
        self.value = Some(&field.value);
        let name: &str = &field.name;
        seed.deserialize(name.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Declined> {
        let node = self.value.take().ok_or(Declined)?;
        seed.deserialize(Value { text: self.text, node })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.fields.len())
    }
}

/// A variant: its name, and the value it was written in.
struct Variant<'a> {
    name: &'a str,
    value: Value<'a>,
}

impl<'de> de::EnumAccess<'de> for Variant<'de> {
    type Error = Declined;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Self), Declined> {
        let key = seed.deserialize(de::value::BorrowedStrDeserializer::<Declined>::new(self.name))?;
        Ok((key, self))
    }
}

impl<'de> de::VariantAccess<'de> for Variant<'de> {
    type Error = Declined;

    fn unit_variant(self) -> Result<(), Declined> {
        match self.value.node.kind {
            NodeKind::Atom => Ok(()),
            _ => Err(Declined),
        }
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, Declined> {
        match &self.value.node.kind {
            // `Person(id: ..)`: the variant's record written without its own brackets.
            NodeKind::Struct { fields, .. } => seed.deserialize(Unwrapped { text: self.value.text, fields }),
            // `Person((id: ..))` and other forms are `ron`'s to judge.
            _ => Err(Declined),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, Declined> {
        Err(Declined)
    }

    fn struct_variant<V: Visitor<'de>>(self, _: &'static [&'static str], _: V) -> Result<V::Value, Declined> {
        Err(Declined)
    }
}

/// The fields of a variant's record, written inside the variant's brackets: only a record may
/// be read from them.
struct Unwrapped<'a> {
    text: &'a str,
    fields: &'a [Field],
}

impl<'de> de::Deserializer<'de> for Unwrapped<'de> {
    type Error = Declined;

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Declined> {
        Record::visit(self.text, self.fields, v)
    }

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Declined> {
        Err(Declined)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Debug;

    use proptest::prelude::*;
    use proptest::strategy::ValueTree;
    use serde::Deserialize;

    use super::super::schema::{ChainRecord, EntityRecord, LinkRecord, SourceRecord, ViewRecord};
    use super::super::tree::{self, Node};

    fn ron<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, ron::error::SpannedError> {
        ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .with_default_extension(ron::extensions::Extensions::UNWRAP_VARIANT_NEWTYPES)
            .from_str(text)
    }

    /// Whatever this reader accepts, `ron` accepts as the same value. Returns whether it
    /// accepted.
    fn agrees<'a, T: Deserialize<'a> + Debug>(text: &'a str, node: &'a Node) -> bool {
        let slice = &text[node.span.start..node.span.end];
        match super::decode::<T>(text, node) {
            Some(fast) => {
                let slow =
                    ron::<T>(slice).unwrap_or_else(|e| panic!("ron refuses what was accepted: {e}\n{slice}"));
                assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{slice}");
                true
            }
            None => false,
        }
    }

    /// Whatever [`super::super::plain::record`] accepts, `ron` accepts as the same value, and it
    /// ends where the record's tree ends. Returns whether it accepted.
    fn plain_agrees<'a, T: Deserialize<'a> + Debug>(text: &'a str, node: &Node) -> bool {
        let slice = &text[node.span.start..node.span.end];
        match super::super::plain::record::<T>(text, node.span.start) {
            Some((plain, end)) => {
                assert_eq!(end, node.span.end, "{slice}");
                let slow = ron::<T>(slice)
                    .unwrap_or_else(|e| panic!("ron refuses what was read plain: {e}\n{slice}"));
                assert_eq!(format!("{plain:?}"), format!("{slow:?}"), "{slice}");
                true
            }
            None => false,
        }
    }

    /// Every record of a data file, decoded both ways; returns (accepted, records, links, links
    /// read plain).
    fn check_file(path: &std::path::Path, text: &str) -> (usize, usize, usize, usize) {
        let Ok(root) = tree::parse(text) else { return (0, 0, 0, 0) };
        let (mut accepted, mut all, mut links, mut plain_links) = (0, 0, 0, 0);
        let mut count = |ok: bool| {
            all += 1;
            accepted += usize::from(ok);
        };
        let folder = path.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()).unwrap_or("");
        match (folder, path.file_name().and_then(|n| n.to_str())) {
            (_, Some("sources.ron")) => {
                root.items().iter().for_each(|n| count(agrees::<SourceRecord>(text, n)))
            }
            ("views", _) => count(agrees::<ViewRecord>(text, &root)),
            ("chains", _) => root.items().iter().for_each(|n| count(agrees::<ChainRecord>(text, n))),
            _ => {
                for n in root.field("entities").map(|f| f.value.items()).unwrap_or_default() {
                    let plain = plain_agrees::<EntityRecord>(text, n);
                    let read = agrees::<EntityRecord>(text, n);
                    assert!(read || !plain, "read plain only: {n:?}");
                    count(read);
                }
                for n in root.field("links").map(|f| f.value.items()).unwrap_or_default() {
                    let plain = plain_agrees::<LinkRecord>(text, n);
                    links += 1;
                    plain_links += usize::from(plain);
                    let read = agrees::<LinkRecord>(text, n);
                    // A link read plain is one this reader reads too.
                    assert!(read || !plain, "read plain only: {n:?}");
                    count(read);
                }
            }
        }
        (accepted, all, links, plain_links)
    }

    fn ron_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                ron_files(&path, out);
            } else if path.extension().is_some_and(|x| x == "ron") {
                out.push(path);
            }
        }
    }

    #[test]
    fn agrees_with_ron_on_the_dataset_and_every_fixture() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for (folder, least) in [("data", 0.99), ("tests/fixtures", 0.0)] {
            let mut files = Vec::new();
            ron_files(&root.join(folder), &mut files);
            let (mut accepted, mut all, mut links, mut plain_links) = (0, 0, 0, 0);
            for path in &files {
                let Ok(text) = std::fs::read_to_string(path) else { continue };
                let (a, n, l, p) = check_file(path, &text);
                accepted += a;
                all += n;
                links += l;
                plain_links += p;
            }
            // The repository's own data is written in the plain forms: it is read here, and
            // most of its links by the plain reader.
            assert!(
                all > 100 && accepted as f64 >= least * all as f64,
                "{folder}: {accepted} of {all} records"
            );
            assert!(
                links > 100 && plain_links as f64 >= least * 0.9 * links as f64,
                "{folder}: {plain_links} of {links} links read plain"
            );
        }
    }

    #[test]
    fn plain_forms_are_read_and_others_declined() {
        let link =
            |fields: &str| format!("(from: \"a\", rel: MemberOf, to: \"b\", certainty: Reported{fields})");
        // Read by this reader, and read by the plain one.
        for (text, read, plain) in [
            (link(""), true, true),
            (link(", date: \"2017\", sources: [\"s\"]"), true, true),
            (link(", date: Some(\"2017\")"), true, true),
            (link(", date: None"), true, true),
            (link(", note: \"say \\\"no\\\"\""), false, false),
            (link(", note: r\"raw\""), false, false),
            (link(", rule: \"x\", spans: [(file: \"f\", start: 1, end: 2)]"), true, true),
            (link(", spans: [(file: \"f\", start: 1_0, end: 2)]"), false, false),
            (link(", r#note: \"x\""), false, false),
            (link(", nope: 1"), false, false),
            (link(", note: \"x\", note: \"y\""), false, false),
            ("(from: \"a\", rel: MemberOf, certainty: Reported)".into(), false, false),
            ("LinkRecord(from: \"a\", rel: MemberOf, to: \"b\", certainty: Reported)".into(), false, false),
        ] {
            let root = tree::parse(&text).unwrap();
            assert_eq!(agrees::<LinkRecord>(&text, &root), read, "{text}");
            assert_eq!(plain_agrees::<LinkRecord>(&text, &root), plain, "{text}");
        }
        for (text, read) in [
            ("Person(id: \"x\", name: \"X\")", true),
            ("Person((id: \"x\", name: \"X\"))", false),
            ("Place(id: \"x\", name: \"X\", subkind: City, lat: 1.5, lon: -2)", true),
            ("Place(id: \"x\", name: \"X\", subkind: City, lat: 1e3)", false),
            ("Event(id: \"x\", name: \"X\", subkind: Attack, killed: Some(3))", true),
            ("Robot(id: \"x\", name: \"X\")", false),
            ("Person(\"x\")", false),
        ] {
            let root = tree::parse(text).unwrap();
            assert_eq!(agrees::<EntityRecord>(text, &root), read, "{text}");
            // The plain reader reads exactly the same ones.
            assert_eq!(plain_agrees::<EntityRecord>(text, &root), read, "{text}");
        }
    }

    /// A value for a field, in one of the forms `ron` reads: plain, escaped, raw, odd numbers,
    /// explicit `Some`, names that are not variants.
    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z0-9 \\-é]{0,8}".prop_map(|s| format!("\"{s}\"")),
            "[a-z\\\\\"n]{0,6}".prop_map(|s| format!("\"{s}\"")),
            "[a-z]{0,4}".prop_map(|s| format!("r\"{s}\"")),
            "[a-z]{0,4}".prop_map(|s| format!("Some(\"{s}\")")),
            Just("None".to_owned()),
            "-?[0-9_]{1,6}(\\.[0-9]{0,3})?(e[0-9])?".prop_map(|s| s),
            "(0x|0b)?[0-9a-f]{1,4}".prop_map(|s| s),
            Just("Some(1)".to_owned()),
            prop::sample::select(vec![
                "MemberOf",
                "Reported",
                "City",
                "Attack",
                "Dead",
                "Nope",
                "true",
                "r#MemberOf"
            ])
            .prop_map(str::to_owned),
            "[a-z]{0,4}".prop_map(|s| format!("[\"{s}\", \"{s}\"]")),
            Just("[]".to_owned()),
            Just("[(file: \"f\", start: 1, end: 2)]".to_owned()),
            Just("()".to_owned()),
        ]
    }

    /// `name: value` for a field of `names`, or now and then of another name.
    fn fields(names: &'static [&'static str]) -> impl Strategy<Value = Vec<String>> {
        let name = prop_oneof![
            8 => prop::sample::select(names),
            1 => prop::sample::select(vec!["nope", "r#note", "id", "from"]),
        ];
        prop::collection::vec((name, value()).prop_map(|(n, v)| format!("{n}: {v}")), 0..5)
    }

    const LINK_FIELDS: &[&str] = &["date", "since", "until", "role", "note", "sources", "rule", "spans"];
    const ENTITY_FIELDS: &[&str] = &[
        "aliases", "summary", "sources", "rule", "spans", "born", "died", "roles", "status", "subkind",
        "lat", "lon", "date", "killed", "method", "founded", "ideology",
    ];

    /// Decodes `text` both ways as a `$record` when it parses; true when this reader accepted it.
    macro_rules! both {
        ($record:ty, $text:expr) => {{
            let text: &str = $text;
            tree::parse(text).is_ok_and(|root| agrees::<$record>(text, &root))
        }};
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// Generated links, plain or not, valid or not: what is read here is what `ron` reads.
        #[test]
        fn generated_links_read_as_ron_reads_them(
            extra in fields(LINK_FIELDS),
            rel in prop::sample::select(vec!["MemberOf", "Nope", "Some(MemberOf)", "\"MemberOf\""]),
            head in prop::sample::select(vec!["", "", "", "LinkRecord"]),
        ) {
            let base = format!("from: \"a\", rel: {rel}, to: \"b\", certainty: Reported");
            let text = format!("{head}({})", std::iter::once(base).chain(extra).collect::<Vec<_>>().join(", "));
            let _accepted = both!(LinkRecord, &text);
            if let Ok(root) = tree::parse(&text) {
                let _plain = plain_agrees::<LinkRecord>(&text, &root);
            }
        }

        /// And generated entities.
        #[test]
        fn generated_entities_read_as_ron_reads_them(
            extra in fields(ENTITY_FIELDS),
            head in prop::sample::select(vec!["Person", "Group", "Place", "Event", "Robot", "", "Some"]),
            wrapped in any::<bool>(),
        ) {
            let body = std::iter::once("id: \"x\", name: \"X\"".to_owned()).chain(extra).collect::<Vec<_>>().join(", ");
            let text = if wrapped { format!("{head}(({body}))") } else { format!("{head}({body})") };
            let _accepted = both!(EntityRecord, &text);
            if let Ok(root) = tree::parse(&text) {
                let _plain = plain_agrees::<EntityRecord>(&text, &root);
            }
        }
    }

    /// The generated records above are read here, and by the plain reader, often enough for
    /// the comparisons to mean something.
    #[test]
    fn generated_records_are_often_plain() {
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let strategy = fields(LINK_FIELDS);
        let (mut accepted, mut plain) = (0, 0);
        for _ in 0..500 {
            let extra = strategy.new_tree(&mut runner).unwrap().current();
            let base = "from: \"a\", rel: MemberOf, to: \"b\", certainty: Reported".to_owned();
            let text = format!("({})", std::iter::once(base).chain(extra).collect::<Vec<_>>().join(", "));
            accepted += usize::from(both!(LinkRecord, &text));
            plain +=
                usize::from(tree::parse(&text).is_ok_and(|root| plain_agrees::<LinkRecord>(&text, &root)));
        }
        assert!(accepted > 50 && plain > 50, "{accepted} and {plain} of 500");
    }
}

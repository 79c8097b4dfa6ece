//! What the linker sees of a candidate: the words between and around its two mentions, the
//! kinds of both ends, and the other names in between, as feature names that carry no
//! relation (the model pairs each with the relation it scores).

use crate::model::Kind;

/// One end of a candidate, as the features read it.
pub struct End<'a> {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    pub subkind: Option<&'a str>,
}

/// A name between the two ends: only its kind is read, so that the words around it count,
/// not the name itself.
pub struct Between {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

/// Feature names of one candidate. `x` is where the link starts and `y` where it points;
/// `first` and `second` are the same two in text order. `sentence` bounds the words read
/// before and after; `others` are the names that lie between them, in text order.
#[allow(clippy::too_many_arguments)]
pub fn features(
    text: &str,
    sentence: std::ops::Range<usize>,
    x: &End,
    y: &End,
    others: &[Between],
    first_in_sentence: bool,
    sentences_together: usize,
) -> Vec<String> {
    let forward = x.start <= y.start;
    let (first, second) = if forward { (x, y) } else { (y, x) };
    let d = if forward { "f" } else { "r" };
    let mut out = vec!["bias".to_owned(), format!("dir:{d}")];
    out.push(format!("kx:{}/{}", x.kind, x.subkind.unwrap_or("-")));
    out.push(format!("ky:{}/{}", y.kind, y.subkind.unwrap_or("-")));
    out.push(format!("kk:{d}:{}>{}", x.kind, y.kind));

    // The words between, each other name standing as its kind.
    let mut between: Vec<String> = Vec::new();
    let mut at = first.end;
    for o in others.iter().filter(|o| o.start >= first.end && o.end <= second.start) {
        if o.start < at {
            continue;
        }
        between.extend(tokens(&text[at..o.start]));
        between.push(format!("<{}>", o.kind).to_lowercase());
        at = o.end;
    }
    if at <= second.start {
        between.extend(tokens(&text[at..second.start]));
    }
    let names_between = others.iter().filter(|o| o.start >= first.end && o.end <= second.start).count();
    out.push(format!("n:{}", bucket(between.len())));
    out.push(format!("nm:{}", bucket(names_between)));
    let gap = &text[first.end..second.start.max(first.end)];
    out.push(format!("comma:{}", gap.matches(',').count().min(3)));
    if gap.contains('(') {
        out.push("paren".to_owned());
    }
    let mut seen = std::collections::BTreeSet::new();
    for t in &between {
        if seen.insert(t.as_str()) {
            out.push(format!("w:{t}"));
        }
    }
    for pair in between.windows(2) {
        out.push(format!("b:{} {}", pair[0], pair[1]));
    }
    match between.as_slice() {
        [] => out.push(format!("adjacent:{d}")),
        words => {
            out.push(format!("first:{d}:{}", words[0]));
            out.push(format!("last:{d}:{}", words[words.len() - 1]));
            if words.len() <= 4 {
                out.push(format!("seq:{d}:{}", words.join(" ")));
            }
        }
    }
    // Two words on either side, within the sentence.
    let before = tokens(&text[sentence.start.min(first.start)..first.start]);
    for (k, t) in before.iter().rev().take(2).enumerate() {
        out.push(format!("pre{}:{t}", k + 1));
    }
    let after = tokens(&text[second.end..sentence.end.max(second.end)]);
    for (k, t) in after.iter().take(2).enumerate() {
        out.push(format!("post{}:{t}", k + 1));
    }
    if first_in_sentence {
        out.push(format!("subject:{d}"));
    }
    // A name written in lower case ("he", "the group") is a resolved reference.
    for (label, end) in [("x", x), ("y", y)] {
        if text[end.start..end.end].starts_with(char::is_lowercase) {
            out.push(format!("{label}:anaphor"));
        }
    }
    out.push(format!("together:{}", bucket(sentences_together)));
    out
}

/// Lower-case words; a word with a digit in it is `<num>`.
pub fn tokens(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| if w.chars().any(|c| c.is_ascii_digit()) { "<num>".to_owned() } else { w.to_lowercase() })
        .collect()
}

fn bucket(n: usize) -> &'static str {
    match n {
        0 => "0",
        1 => "1",
        2 => "2",
        3 => "3",
        4..=5 => "4-5",
        6..=8 => "6-8",
        9..=12 => "9-12",
        13..=20 => "13-20",
        _ => "21+",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end(text: &str, name: &str, kind: Kind) -> End<'static> {
        let start = text.find(name).expect("name in text");
        End { start, end: start + name.len(), kind, subkind: None }
    }

    #[test]
    fn words_between_with_names_as_kinds() {
        let text = "Ann Example, a member of the Omega Brigade since 2019, met Bob Ray in Testville.";
        let x = end(text, "Ann Example", Kind::Person);
        let y = end(text, "Omega Brigade", Kind::Group);
        let f = features(text, 0..text.len(), &x, &y, &[], true, 1);
        for want in ["dir:f", "w:member", "seq:f:a member of the", "first:f:a", "last:f:the", "subject:f"] {
            assert!(f.iter().any(|g| g == want), "{want} missing from {f:?}");
        }
        assert!(f.iter().any(|g| g == "post2:<num>"), "{f:?}");
        // Reversed: the same words, read from the other end.
        let f = features(text, 0..text.len(), &y, &x, &[], true, 1);
        assert!(f.iter().any(|g| g == "seq:r:a member of the"), "{f:?}");
        // A name between stands as its kind.
        let z = end(text, "Testville", Kind::Place);
        let bob = end(text, "Bob Ray", Kind::Person);
        let others = [Between { start: bob.start, end: bob.end, kind: Kind::Person }];
        let f = features(text, 0..text.len(), &x, &z, &others, true, 1);
        assert!(f.iter().any(|g| g == "b:met <person>"), "{f:?}");
        assert!(f.iter().any(|g| g == "nm:1"), "{f:?}");
    }

    #[test]
    fn anaphors_and_numbers() {
        let text = "In 2019 he joined the Omega Brigade.";
        let x = end(text, "he", Kind::Person);
        let y = end(text, "Omega Brigade", Kind::Group);
        let f = features(text, 0..text.len(), &x, &y, &[], true, 1);
        assert!(f.iter().any(|g| g == "x:anaphor"), "{f:?}");
        assert!(f.iter().any(|g| g == "pre1:<num>"), "{f:?}");
        assert_eq!(tokens("Al-Qa'ida's 2nd cell"), ["al", "qa", "ida", "s", "<num>", "cell"]);
    }
}

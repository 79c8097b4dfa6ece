//! The text of an article as the extractor reads it: markup blanked out byte for byte (so
//! every offset still points into the original file), a case- and accent-folded copy with a
//! map back to the original offsets, and sentence boundaries: the first stage of the pipeline,
//! whose output, a [`Prepared`] article, every later stage reads.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Replaces HTML tags (and the contents of `script` and `style`) and Markdown markup with
/// spaces of the same byte length, keeping line breaks: the result has the same offsets as
/// `text`. Plain text is returned unchanged but for Markdown emphasis and link targets.
pub fn blank_markup(text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let lower = text.to_ascii_lowercase();
    let html =
        lower.contains("<html") || lower.contains("<p>") || lower.contains("<body") || lower.contains("<div");
    if html {
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] != b'<' {
                i += 1;
                continue;
            }
            // A whole script or style element goes; any other tag goes up to its `>`.
            let rest = &lower[i..];
            let end = ["script", "style"]
                .iter()
                .find(|t| rest.starts_with(&format!("<{t}")))
                .and_then(|t| rest.find(&format!("</{t}>")).map(|e| i + e + t.len() + 3))
                .or_else(|| rest.find('>').map(|e| i + e + 1))
                .unwrap_or(bytes.len());
            blank(&mut bytes, i..end);
            i = end;
        }
    }
    // Markdown: heading marks, emphasis, code ticks, and link targets `](...)`.
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' if i == 0 || bytes[i - 1] == b'\n' => {
                let mut j = i;
                while j < bytes.len() && bytes[j] == b'#' {
                    j += 1;
                }
                blank(&mut bytes, i..j);
                i = j;
            }
            b'*' | b'[' => {
                bytes[i] = b' ';
                i += 1;
            }
            b']' => {
                bytes[i] = b' ';
                if bytes.get(i + 1) == Some(&b'(')
                    && let Some(close) = bytes[i + 1..].iter().position(|&b| b == b')' || b == b'\n')
                    && bytes[i + 1 + close] == b')'
                {
                    blank(&mut bytes, i + 1..i + 2 + close);
                    i += 2 + close;
                    continue;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    // Only ASCII bytes were replaced, by ASCII spaces, so the text is still UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_owned())
}

fn blank(bytes: &mut [u8], range: Range<usize>) {
    let end = range.end.min(bytes.len());
    for b in &mut bytes[range.start..end] {
        // Keep line breaks, and leave the bytes of multi-byte characters alone (a tag or code
        // span is blanked only where it is ASCII, which keeps the text valid UTF-8).
        if *b != b'\n' && b.is_ascii() {
            *b = b' ';
        }
    }
}

/// A folded copy of a text: lower case, accents dropped, typographic quotes and dashes made
/// ASCII; with each folded byte's offset in the original.
pub struct Folded {
    pub text: String,
    origin: Vec<usize>,
    len: usize,
}

impl Folded {
    pub fn new(original: &str) -> Folded {
        let mut text = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len());
        for (at, c) in original.char_indices() {
            let before = text.len();
            push_folded(&mut text, c);
            origin.extend(std::iter::repeat_n(at, text.len() - before));
        }
        Folded { text, origin, len: original.len() }
    }

    /// The folded offset of original offset `at` (the first folded byte from it on).
    pub fn folded(&self, at: usize) -> usize {
        self.origin.partition_point(|&o| o < at)
    }

    /// The original byte range of folded range `start..end`.
    pub fn original(&self, start: usize, end: usize) -> (usize, usize) {
        let at = |i: usize| if i >= self.origin.len() { self.len } else { self.origin[i] };
        (at(start), at(end))
    }
}

/// Folds one character: `é` to `e`, `A` to `a`, `’` and `` ` `` to `'`, `–` to `-`.
fn push_folded(out: &mut String, c: char) {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{02bc}' | '`' | '\u{00b4}' => out.push('\''),
        '\u{2010}'..='\u{2015}' | '\u{2212}' => out.push('-'),
        '\u{201c}' | '\u{201d}' => out.push('"'),
        c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
        c => {
            for d in std::iter::once(c).nfkd().filter(|d| !is_combining_mark(*d)) {
                out.extend(d.to_lowercase());
            }
        }
    }
}

/// Folds a name the way [`Folded`] folds text.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_folded(&mut out, c);
    }
    out
}

/// True when `text[start..end]` is a whole word run: no letter or digit touches either end.
pub fn on_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// Abbreviations a full stop does not end a sentence after.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "gen", "maj", "lt", "col", "capt", "sgt", "cpl", "adm", "gov", "sen",
    "rep", "prof", "rev", "jr", "sr", "no", "vs", "etc", "e.g", "i.e", "u.s", "u.k", "u.n", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "ltd", "co", "al",
];

/// Sentence ranges: a sentence ends at a line break, or at `.`, `!` or `?` followed by space
/// and a capital, a digit or a quote, unless the full stop closes an abbreviation or an
/// initial.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let end = if b == b'\n' {
            Some(i)
        } else if matches!(b, b'.' | b'!' | b'?') && ends_sentence(text, i) {
            Some(i + 1)
        } else {
            None
        };
        if let Some(end) = end {
            push_trimmed(&mut out, text, start, end);
            start = end;
        }
        i += 1;
    }
    push_trimmed(&mut out, text, start, text.len());
    out
}

fn ends_sentence(text: &str, i: usize) -> bool {
    let rest = &text[i + 1..];
    let mut chars = rest.chars();
    if !chars.next().is_some_and(char::is_whitespace) {
        return false;
    }
    let next = rest.trim_start().chars().next();
    if !next.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "\"'“‘(".contains(c)) {
        return false;
    }
    if text.as_bytes()[i] != b'.' {
        return true;
    }
    let word: String = text[..i]
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let lower = word.to_lowercase();
    let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    !(initial || ABBREVIATIONS.contains(&lower.as_str()))
}

fn push_trimmed(out: &mut Vec<Range<usize>>, text: &str, start: usize, end: usize) {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if start + lead < end - trail {
        out.push(start + lead..end - trail);
    }
}

/// An article ready for the rules: its text with markup blanked (every offset still the
/// file's), the folded copy of it made once for known names and event phrases, and its
/// sentences.
pub(super) struct Prepared {
    pub(super) text: String,
    pub(super) folded: Folded,
    pub(super) sentences: Vec<Range<usize>>,
}

impl Prepared {
    pub(super) fn new(original: &str) -> Prepared {
        let text = blank_markup(original);
        let folded = Folded::new(&text);
        let sentences = sentences(&text);
        Prepared { text, folded, sentences }
    }
}

/// Month names in lower case, for dates (events) and lists joined by a date (link reading).
pub(super) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_blanked_in_place() {
        let html = "<html><p>Salman <b>Abedi</b></p><script>x()</script></html>";
        let blanked = blank_markup(html);
        assert_eq!(blanked.len(), html.len());
        assert_eq!(blanked.split_whitespace().collect::<Vec<_>>(), ["Salman", "Abedi"]);
        let md = "# Title\nThe **IS-K** [group](http://x.y) acted.";
        let blanked = blank_markup(md);
        assert_eq!(blanked.len(), md.len());
        assert_eq!(&blanked[md.find("IS-K").unwrap()..][..4], "IS-K");
        assert!(!blanked.contains("http"));
    }

    #[test]
    fn folding_maps_back_to_original_offsets() {
        let text = "Über Al-Qa`ida’s Mosul";
        let f = Folded::new(text);
        assert_eq!(f.text, "uber al-qa'ida's mosul");
        let at = f.text.find("mosul").unwrap();
        let (s, e) = f.original(at, at + 5);
        assert_eq!(&text[s..e], "Mosul");
        let at = f.text.find("al-qa'ida").unwrap();
        let (s, e) = f.original(at, at + "al-qa'ida".len());
        assert_eq!(&text[s..e], "Al-Qa`ida");
    }

    #[test]
    fn sentences_skip_abbreviations_and_initials() {
        let text = "Maj. Gen. Smith met Mr. Jones in the U.S. Army. Then J. Doe left! Next line\nNew one";
        let s: Vec<&str> = sentences(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            s,
            ["Maj. Gen. Smith met Mr. Jones in the U.S. Army.", "Then J. Doe left!", "Next line", "New one"]
        );
    }
}

//! Text folding for name matching: case- and accent-insensitive comparison keys.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lowercases and strips accents: "Ménard" and "MENARD" fold to "menard".
pub fn fold(s: &str) -> String {
    // ASCII has no accents and decomposes to itself: lowercasing is all there is to do.
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    s.nfkd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
}

/// The key names are matched on: folded, with every run of punctuation or space turned into
/// one space, so that `al-Zarqawi`, `Al Zarqawi` and the id `al-zarqawi` meet.
pub fn name_key(s: &str) -> String {
    if s.is_ascii() {
        return ascii_name_key(s);
    }
    let folded = fold(s);
    let mut key = String::with_capacity(folded.len());
    for word in folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(word);
    }
    key
}

/// [`name_key`] of ASCII text, without the intermediate folded copy.
fn ascii_name_key(s: &str) -> String {
    let mut key = String::with_capacity(s.len());
    for word in s.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        if !key.is_empty() {
            key.push(' ');
        }
        key.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The general path, which the ASCII fast paths must agree with.
    fn slow_fold(s: &str) -> String {
        s.nfkd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
    }

    fn slow_name_key(s: &str) -> String {
        let folded = slow_fold(s);
        folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn ascii_fast_paths_agree_with_the_general_one() {
        let all: String = (0u8..128).map(char::from).collect();
        for s in [all.as_str(), "Salman ABEDI", "al-Qa'ida (AQ)", " -x- ", "", "7/7 London_Bombings", "\t\n"]
        {
            assert_eq!(fold(s), slow_fold(s), "{s:?}");
            assert_eq!(name_key(s), slow_name_key(s), "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn fast_paths_agree_on_any_text(s in "\\PC{0,40}") {
            proptest::prop_assert_eq!(fold(&s), slow_fold(&s));
            proptest::prop_assert_eq!(name_key(&s), slow_name_key(&s));
        }
    }

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(fold("Ménard ÉTÉ"), "menard ete");
        assert_eq!(name_key("Al-Qa’ida"), "al qa ida");
        assert_eq!(name_key("al-qa-ida"), "al qa ida");
        assert_eq!(name_key("  Salman   ABEDI "), "salman abedi");
    }
}

//! Text folding for name matching: case- and accent-insensitive comparison keys.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lowercases and strips accents: "Ménard" and "MENARD" fold to "menard".
pub fn fold(s: &str) -> String {
    s.nfkd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
}

/// The key names are matched on: folded, with every run of punctuation or space turned into
/// one space, so that `al-Zarqawi`, `Al Zarqawi` and the id `al-zarqawi` meet.
pub fn name_key(s: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(fold("Ménard ÉTÉ"), "menard ete");
        assert_eq!(name_key("Al-Qa’ida"), "al qa ida");
        assert_eq!(name_key("al-qa-ida"), "al qa ida");
        assert_eq!(name_key("  Salman   ABEDI "), "salman abedi");
    }
}

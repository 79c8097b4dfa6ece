//! The second tier of places: tens of thousands of towns ([`gazetteer::towns`]), many of
//! whose names are also surnames or words ("Moore", "Warren", "Reading"). A town is taken
//! only where the text marks a place: right after "in", "near", "from" and the like ("in
//! Moore", "the town of Moore"), or right before ", " and a region or country ("Moore,
//! Oklahoma"); never as part of a longer capitalised name ("Elizabeth Warren", "Kent State").

use aho_corasick::{AhoCorasick, MatchKind};

use super::gazetteer;
use super::text::{Folded, fold, on_word_boundaries};

/// Words after which a capitalised town name is a place.
const BEFORE: &[&str] = &["in", "near", "from", "outside", "around", "across", "into", "towards", "toward"];

/// Nouns after which a town is where someone lives or comes from: "a Moore man".
const AFTER: &[&str] = &[
    "man",
    "men",
    "woman",
    "women",
    "resident",
    "residents",
    "native",
    "teenager",
    "teenagers",
    "boy",
    "boys",
    "girl",
    "girls",
    "family",
    "couple",
];

/// Nouns that, with "of", introduce a place: "the town of", "a suburb of".
const PLACE_NOUNS: &[&str] = &[
    "city",
    "town",
    "village",
    "suburb",
    "suburbs",
    "outskirts",
    "district",
    "municipality",
    "province",
    "area",
    "port",
    "capital",
];

/// The towns and an automaton over their folded names.
pub struct Towns {
    pub places: Vec<gazetteer::Place>,
    automaton: Option<AhoCorasick>,
}

impl Towns {
    pub fn new() -> Towns {
        let places = gazetteer::towns();
        let names: Vec<String> = places.iter().map(|p| fold(p.name)).collect();
        let automaton = AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(&names).ok();
        Towns { places, automaton }
    }

    /// The towns `text` names as places, as (start, end, town number), leftmost first.
    /// `taken(start, end)` says a span overlaps a mention found before; `region_at(at)` says
    /// a region or country is named from byte `at`.
    pub fn find(
        &self,
        text: &str,
        folded: &Folded,
        taken: impl Fn(usize, usize) -> bool,
        region_at: impl Fn(usize) -> bool,
    ) -> Vec<(usize, usize, usize)> {
        let Some(ac) = &self.automaton else { return Vec::new() };
        ac.find_iter(&folded.text)
            .filter(|m| on_word_boundaries(&folded.text, m.start(), m.end()))
            .map(|m| {
                let (s, e) = folded.original(m.start(), m.end());
                (s, e, m.pattern().as_usize())
            })
            .filter(|&(s, e, _)| {
                // The cheap tests first: most capitalised words that are also towns fail them.
                text[s..e].starts_with(char::is_uppercase)
                    && !in_longer_name(text, s, e)
                    && (after_cue(&text[..s])
                        || (text[e..].starts_with(", ") && region_at(e + 2))
                        || before_noun(&text[e..]))
                    && !taken(s, e)
            })
            .collect()
    }
}

/// The word that ends `head` after one space, if it does.
fn last_word(head: &str) -> Option<&str> {
    let head = head.strip_suffix(' ')?;
    head.rsplit(|c: char| !c.is_alphanumeric()).next()
}

/// True when `head` (the text before a name) ends with a word that marks a place.
fn after_cue(head: &str) -> bool {
    match last_word(head) {
        Some("of") => {
            let before = &head[..head.len() - " of ".len() + 1];
            last_word(before).is_some_and(|w| PLACE_NOUNS.contains(&w))
        }
        Some(w) => BEFORE.contains(&w.to_lowercase().as_str()),
        None => false,
    }
}

/// True when `tail` (the text after a name) starts with one of the nouns [`AFTER`].
fn before_noun(tail: &str) -> bool {
    let word = tail.strip_prefix(' ').and_then(|t| t.split(|c: char| !c.is_alphanumeric()).next());
    word.is_some_and(|w| AFTER.contains(&w))
}

/// True when the capitalised word before or after `text[s..e]`, one space away, makes it
/// part of a longer name.
fn in_longer_name(text: &str, s: usize, e: usize) -> bool {
    let capital = |w: &str| w.starts_with(char::is_uppercase);
    // A sentence's first word is written with a capital too.
    let opener =
        |w: &str| ["the", "a", "an"].contains(&w.to_lowercase().as_str()) || after_cue(&format!("{w} "));
    let after = text[e..].strip_prefix(' ').and_then(|t| t.split(|c: char| !c.is_alphanumeric()).next());
    after.is_some_and(capital) || last_word(&text[..s]).is_some_and(|w| capital(w) && !opener(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&'static str> {
        let towns = Towns::new();
        let folded = Folded::new(text);
        let region_at = |at: usize| text[at..].starts_with("Oklahoma") || text[at..].starts_with("Michigan");
        towns
            .find(text, &folded, |_, _| false, region_at)
            .into_iter()
            .map(|(_, _, t)| towns.places[t].name)
            .collect()
    }

    #[test]
    fn a_town_is_taken_where_the_text_marks_a_place() {
        assert_eq!(found("He lived in Moore until 2020."), ["Moore"]);
        assert_eq!(found("a suburb of Inkster, where"), ["Inkster"]);
        assert_eq!(found("police in Warren, Michigan, said"), ["Warren"]);
        assert_eq!(found("The Moore, Oklahoma, man"), ["Moore"]);
        assert_eq!(found("A second Montclair man, Milo Example, was charged."), ["Montclair"]);
    }

    #[test]
    fn a_town_name_without_a_place_cue_or_inside_a_name_is_not() {
        assert!(found("Moore said he was innocent.").is_empty());
        assert!(found("Senator Elizabeth Warren spoke in Boston.").is_empty(), "Boston is no town here");
        assert!(found("a student in Kent State University").is_empty());
        assert!(found("He met Warren in secret.").is_empty());
        assert!(found("he was in moore").is_empty(), "written without a capital");
        assert!(found("an office of Moore").is_empty(), "\"office\" is no place noun");
        assert!(found("Sam Moore men").is_empty(), "part of a name");
    }
}

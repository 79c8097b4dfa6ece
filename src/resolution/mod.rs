//! Name resolution: whether two names can be the same entity's, and how alike they are, with
//! an index of known entities by the keys those rules match on ([`known`]). The one set of
//! rules shared by extraction (a mention that names a known or already proposed entity is
//! resolved to it, not proposed again), `dedupe` (likely duplicates across the whole graph)
//! and `import` (a record that names an entity already there is joined to it).
//!
//! Names are compared as words: folded for case and accents, dotted initials joined ("U.S."
//! is "us"), titles at the start dropped ("Retired Gen", "Mr Justice", "Sheikh"). On top of
//! equal words: the same words in another order, an abbreviation of the other's initials
//! ("UK" and "United Kingdom"), and transliteration variants, compared on each word's
//! consonant skeleton (vowels after the first letter and doubled letters dropped, `q` read as
//! `k`: "Mohammad Sidique Khan" and "Muhammad Siddique Khan" meet), in the spirit of the
//! name comparison of followthemoney's `compare` and `rigour`'s name keys.

pub mod known;

pub use known::Known;

use crate::model::text::name_key;

/// Words that, at the start of a name, are a title or rank and not part of the name.
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "sir",
    "dame",
    "lord",
    "lady",
    "prof",
    "professor",
    "rev",
    "reverend",
    "retired",
    "ret",
    "gen",
    "general",
    "lt",
    "lieutenant",
    "col",
    "colonel",
    "maj",
    "major",
    "capt",
    "captain",
    "cpt",
    "sgt",
    "sergeant",
    "cpl",
    "corporal",
    "pte",
    "private",
    "adm",
    "admiral",
    "brig",
    "brigadier",
    "cmdr",
    "commander",
    "gov",
    "governor",
    "sen",
    "senator",
    "rep",
    "pres",
    "president",
    "justice",
    "judge",
    "chief",
    "officer",
    "inspector",
    "det",
    "detective",
    "supt",
    "superintendent",
    "constable",
    "pc",
    "sheikh",
    "shaikh",
    "sheik",
    "imam",
    "mullah",
    "mufti",
    "emir",
    "maulana",
    "mawlana",
    "hajji",
    "haji",
    "king",
    "queen",
    "prince",
    "princess",
    "minister",
    "secretary",
    "ambassador",
    "mayor",
    "deputy",
    "former",
    "late",
    "then",
];

/// Words left out when names are compared for transliteration ("al-", "el-").
const PARTICLES: &[&str] = &["al", "el", "ul", "ad", "ar", "as", "an", "at", "az"];

/// Small words left out of an abbreviation's initials.
const MINOR: &[&str] = &["of", "the", "and", "for", "in", "on", "de", "du", "la", "le", "&"];

/// "U.S." → "US": dotted single letters joined into one word, so an abbreviation written with
/// dots meets the one written without.
fn join_initials(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let chars: Vec<char> = name.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        out.push(chars[i]);
        // A letter followed by a dot and another letter: drop the dot.
        if chars[i].is_alphabetic()
            && chars.get(i + 1) == Some(&'.')
            && chars.get(i + 2).is_some_and(|c| c.is_alphabetic())
            && (i == 0 || !chars[i - 1].is_alphabetic())
        {
            i += 1;
        }
        i += 1;
    }
    out
}

/// The words of a name as compared: folded, initials joined.
fn all_words(name: &str) -> Vec<String> {
    name_key(&join_initials(name)).split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

/// The words of a name; a person's without the titles it starts with (when a word that is
/// not a title follows them).
pub fn words(name: &str, person: bool) -> Vec<String> {
    let mut words = all_words(name);
    if !person {
        return words;
    }
    let lead = words.iter().take_while(|w| TITLES.contains(&w.as_str())).count();
    if lead < words.len() {
        words.drain(..lead);
    }
    words
}

/// True when a name is only titles and ranks ("Retired Gen", "Mr Justice"): never a person.
pub fn only_titles(name: &str) -> bool {
    let words = all_words(name);
    !words.is_empty() && words.iter().all(|w| TITLES.contains(&w.as_str()))
}

/// A word's consonant skeleton: the first letter (any vowel read as `a`), then the consonants
/// with doubled ones once; `q` is `k`, `w` is `v`, `ph` is `f`.
pub fn skeleton(word: &str) -> String {
    let word = word.replace("ph", "f").replace("kh", "k").replace("gh", "g");
    let mut out = String::with_capacity(word.len());
    for (i, c) in word.chars().enumerate() {
        let vowel = "aeiouy".contains(c);
        let c = match c {
            _ if vowel && i == 0 => 'a',
            'q' | 'c' => 'k',
            'w' => 'v',
            'z' => 's',
            c => c,
        };
        if (vowel && i > 0) || out.ends_with(c) {
            continue;
        }
        out.push(c);
    }
    out
}

/// The transliteration key of a name: the skeletons of its words (particles left out), sorted.
pub fn key(name: &str, person: bool) -> String {
    let mut skeletons: Vec<String> = words(name, person)
        .iter()
        .filter(|w| !PARTICLES.contains(&w.as_str()))
        .map(|w| skeleton(w))
        .collect();
    skeletons.sort();
    skeletons.join(" ")
}

/// `name` without its possessive endings ("People's" → "People"): `'s` is not a word of its own.
fn without_possessives(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(at) = rest.find(['\'', '\u{2019}']) {
        let apostrophe = rest[at..].chars().next().map_or(1, char::len_utf8);
        let after = &rest[at + apostrophe..];
        let possessive = rest[..at].chars().next_back().is_some_and(char::is_alphanumeric)
            && after.starts_with(['s', 'S'])
            && !after[1..].chars().next().is_some_and(char::is_alphanumeric);
        out.push_str(&rest[..at]);
        if possessive {
            rest = &after[1..];
        } else {
            out.push_str(&rest[at..at + apostrophe]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// The initials of a name of two or more words ("United Kingdom" → "uk"), small words and
/// possessive endings left out ("People's Army" → "pa").
pub fn initials(name: &str) -> Option<String> {
    let words = all_words(&without_possessives(name));
    let main: Vec<&String> = words.iter().filter(|w| !MINOR.contains(&w.as_str())).collect();
    (main.len() >= 2).then(|| main.iter().filter_map(|w| w.chars().next()).collect())
}

/// True when two names of two or more words (particles left out) have the same skeletons,
/// word for word alike in spelling too ("Sidique" and "Siddique", not "Sadiq").
fn transliterated(a: &str, b: &str, person: bool) -> bool {
    let main = |name: &str| {
        let mut w: Vec<(String, String)> = words(name, person)
            .into_iter()
            .filter(|w| !PARTICLES.contains(&w.as_str()))
            .map(|w| (skeleton(&w), w))
            .collect();
        w.sort();
        w
    };
    let (ma, mb) = (main(a), main(b));
    ma.len() >= 2
        && ma.len() == mb.len()
        && ma.iter().zip(&mb).all(|((sa, wa), (sb, wb))| sa == sb && strsim::jaro_winkler(wa, wb) >= 0.8)
}

/// Why two names were found alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum Reason {
    /// The same words (titles dropped).
    SameName,
    /// The same words in another order.
    WordOrder,
    /// One is an abbreviation of the other's initials.
    Abbreviation,
    /// The same consonant skeletons: a transliteration or spelling variant.
    Transliteration,
    /// Spelt alike: the same words but one, a letter away.
    Spelling,
}

impl Reason {
    pub fn name(self) -> &'static str {
        match self {
            Reason::SameName => "same name",
            Reason::WordOrder => "word order",
            Reason::Abbreviation => "abbreviation",
            Reason::Transliteration => "transliteration",
            Reason::Spelling => "spelling",
        }
    }
}

/// How alike two names are, from 0 to 1, and why; `None` when they are not alike at all.
/// `person`: both are people's names (titles at their start are dropped).
pub fn compare(a: &str, b: &str, person: bool) -> Option<(f64, Reason)> {
    let (wa, wb) = (words(a, person), words(b, person));
    if wa.is_empty() || wb.is_empty() {
        return None;
    }
    if wa == wb {
        return Some((1.0, Reason::SameName));
    }
    let sorted = |w: &[String]| {
        let mut s = w.to_vec();
        s.sort();
        s.join(" ")
    };
    let (sa, sb) = (sorted(&wa), sorted(&wb));
    if sa == sb {
        return Some((0.95, Reason::WordOrder));
    }
    let acronym = |one: &[String], other: &str| {
        one.len() == 1 && one[0].len() >= 2 && initials(other).is_some_and(|i| i == one[0])
    };
    if acronym(&wa, b) || acronym(&wb, a) {
        return Some((0.95, Reason::Abbreviation));
    }
    let similarity = strsim::jaro_winkler(&sa, &sb);
    // Skeletons of one word are too coarse to say much ("Sam" and "Sami").
    if transliterated(a, b, person) {
        return Some((0.9, Reason::Transliteration));
    }
    // A spelling slip: the same words but one, and that one a letter or two away.
    let slip = |x: &[String], y: &[String]| {
        let differing: Vec<(&String, &String)> = x.iter().zip(y).filter(|(p, q)| p != q).collect();
        matches!(differing.as_slice(), [(p, q)] if p.len() >= 4 && strsim::damerau_levenshtein(p, q) <= 1)
    };
    let (mut oa, mut ob) = (wa.clone(), wb.clone());
    oa.sort();
    ob.sort();
    let slipped = wa.len() >= 2 && wa.len() == wb.len() && (slip(&wa, &wb) || slip(&oa, &ob));
    (slipped && similarity >= 0.9).then_some((0.9, Reason::Spelling))
}

/// True when `a` and `b` name the same entity for extraction: the same words, another order,
/// an abbreviation or a transliteration (not a mere likeness of spelling).
pub fn same(a: &str, b: &str, person: bool) -> bool {
    compare(a, b, person).is_some_and(|(_, r)| r != Reason::Spelling)
}

/// True when `short` is the surname of the person named `full`: one word (titles dropped),
/// the last of `full`'s two or more.
pub fn is_surname_of(short: &str, full: &str) -> bool {
    let (s, f) = (words(short, true), words(full, true));
    s.len() == 1 && f.len() >= 2 && f.last() == s.first()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_titles_and_transliterations_meet() {
        assert_eq!(compare("U.S.", "US", false).map(|c| c.1), Some(Reason::SameName));
        assert_eq!(compare("U.K.", "United Kingdom", false).map(|c| c.1), Some(Reason::Abbreviation));
        assert_eq!(compare("UK", "United Kingdom", false).map(|c| c.1), Some(Reason::Abbreviation));
        assert_eq!(compare("US", "United States", false).map(|c| c.1), Some(Reason::Abbreviation));
        assert!(same("Gen Frank McKenzie", "Frank McKenzie", true));
        assert!(same("Mohammad Sidique Khan", "Mohammad Siddique Khan", true));
        assert!(same("Muhammad Siddique Khan", "Mohammed Sidique Khan", true));
        assert!(same("Khan Mohammad Sidique", "Mohammad Sidique Khan", true));
        assert!(same("Abu Bakr al-Baghdadi", "Abu Bakr Baghdadi", true));
        assert!(is_surname_of("Mr McKenzie", "Frank McKenzie"));
        assert!(only_titles("Retired Gen") && only_titles("Mr Justice") && !only_titles("US"));
        assert!(!same("Salman Abedi", "Hashem Abedi", true), "brothers are not one person");
        assert!(!same("Sadiq Khan", "Siddique Khan", true), "the mayor is not the bomber");
        assert!(!same("Sam", "Sami", true) && !same("Paris", "Parys", false));
        assert!(!same("Islamic State", "Islamic State in Iraq and Syria", false));
    }

    #[test]
    fn a_possessive_is_no_word_of_the_initials() {
        assert_eq!(initials("People's Army").as_deref(), Some("pa"));
        assert_eq!(initials("People\u{2019}s Liberation Army").as_deref(), Some("pla"));
        assert_eq!(initials("Workers' Party of Kurdistan").as_deref(), Some("wpk"));
        // An apostrophe inside a name is not a possessive.
        assert_eq!(initials("O'Sullivan Support Group").as_deref(), Some("ossg"));
        assert_eq!(compare("PA", "People's Army", false).map(|c| c.1), Some(Reason::Abbreviation));
    }
}

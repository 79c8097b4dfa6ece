//! Coreference within an article: which earlier mention a later, shorter form stands for. A
//! surname ("Abedi" after "Salman Abedi") or an acronym given in brackets ("ICE" after
//! "Immigration and Customs Enforcement (ICE)") becomes a mention of the full name for the rest
//! of the document; "the group", "its" and "he"/"she" stand for the last group or person named
//! before them, for reading the links of their sentence. As a stage ([`resolve`]), in: the
//! events stage's mentions; out: [`Resolved`], with the short forms among them.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};

use super::state::{Cand, Candidates, Found};
use super::text::on_word_boundaries;
use crate::model::Kind;

/// Surnames and acronyms: once "Salman Abedi" or "Immigration and Customs Enforcement (ICE)"
/// has been written, "Abedi" and "ICE" stand for them in the rest of the document.
/// The stage's output: the events stage's mentions with the short forms among them, sorted by
/// start.
pub(super) struct Resolved {
    pub(super) mentions: Vec<Found>,
}

/// The stage: short forms resolved in the mentions the events stage left. Candidates learn
/// the acronyms they are written as.
pub(super) fn resolve(text: &str, mut mentions: Vec<Found>, cands: &mut Candidates) -> Resolved {
    resolve_short_forms(text, &mut mentions, cands);
    Resolved { mentions }
}

fn resolve_short_forms(text: &str, mentions: &mut Vec<Found>, state: &mut Candidates) {
    let mut short: Vec<(String, usize, usize)> = Vec::new(); // (form, cand, first usable offset)
    let mut surnames: HashMap<String, Vec<usize>> = HashMap::new();
    for m in mentions.iter() {
        let c = &state.cands[m.cand];
        if c.kind == Kind::Person {
            let written = &text[m.start..m.end];
            if let Some(last) = written.split(' ').next_back().filter(|_| written.contains(' ')) {
                let last = last.trim_end_matches("'s");
                if last.chars().count() >= 3 && last.chars().next().is_some_and(char::is_uppercase) {
                    let owners = surnames.entry(last.to_owned()).or_default();
                    if !owners.contains(&m.cand) {
                        owners.push(m.cand);
                    }
                    short.push((last.to_owned(), m.cand, m.end));
                }
            }
        }
        if c.kind == Kind::Group {
            // "Name (ACRONYM)".
            let rest = &text[m.end..];
            if let Some(inner) = rest.strip_prefix(" (").and_then(|r| r.split_once(')')).map(|(a, _)| a)
                && (2..=8).contains(&inner.len())
                && inner.chars().all(|c| c.is_ascii_uppercase() || c == '-')
            {
                short.push((inner.to_owned(), m.cand, m.end));
            }
        }
    }
    // A surname two people share stands for neither.
    short.retain(|(form, _, _)| surnames.get(form).is_none_or(|owners| owners.len() == 1));
    short.sort();
    short.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    for (form, cand, from) in short {
        // An acronym read as a new group of its own is this group, wherever it is written.
        let acronym = state.cands[cand].kind == Kind::Group;
        for m in mentions.iter_mut().filter(|_| acronym) {
            if text[m.start..m.end] == form && m.cand != cand && state.cands[m.cand].rule == "group-acronym" {
                m.cand = cand;
                let aliases = &mut state.cands[cand].aliases;
                if !aliases.contains(&form) {
                    aliases.push(form.clone());
                }
            }
        }
        for (at, _) in text[from..].match_indices(form.as_str()) {
            let (s, e) = (from + at, from + at + form.len());
            if !on_word_boundaries(text, s, e) || mentions.iter().any(|m| m.start < e && s < m.end) {
                continue;
            }
            mentions.push(Found { start: s, end: e, cand });
            let aliases = &mut state.cands[cand].aliases;
            if !aliases.contains(&form) {
                aliases.push(form.clone());
            }
        }
    }
    mentions.sort_by_key(|m| (m.start, m.end));
}

/// Words that stand for the last group or person named: "the group", "its", "he".
const ANAPHORS: &[(&str, Kind)] = &[
    ("the group", Kind::Group),
    ("the affiliate", Kind::Group),
    ("the organisation", Kind::Group),
    ("the organization", Kind::Group),
    ("the network", Kind::Group),
    ("he", Kind::Person),
    ("she", Kind::Person),
    ("its", Kind::Group),
    // An event named before, by its sort: "the siege". Plurals ("the attacks") stand for a
    // series, which is no one event named before.
    ("the attack", Kind::Event),
    ("the bombing", Kind::Event),
    ("the shooting", Kind::Event),
    ("the siege", Kind::Event),
    ("the raid", Kind::Event),
    ("the plot", Kind::Event),
];

/// The sort of event a definite description stands for.
fn event_sort(anaphor: &str) -> Option<&'static str> {
    Some(match anaphor {
        "the attack" | "the bombing" | "the shooting" => "Attack",
        "the siege" | "the raid" => "Operation",
        "the plot" => "Plot",
        _ => return None,
    })
}

/// How far back a pronoun looks for the person it stands for: about the previous sentence.
const PRONOUN_REACH: usize = 300;

/// Anaphors in the sentence at `range` (`lower` is its lower-case text), added to `here` (the
/// sentence's mentions as (start, end, candidate)): "the group" as a subject stands for the
/// last group named before it; "he" or "she" for the last person, when one was named in about
/// the previous sentence.
pub(super) fn anaphors(
    text: &str,
    lower: &str,
    range: std::ops::Range<usize>,
    mentions: &[Found],
    state: &Candidates,
    here: &mut Vec<(usize, usize, usize)>,
) {
    static FIND: std::sync::OnceLock<Option<AhoCorasick>> = std::sync::OnceLock::new();
    let find = FIND.get_or_init(|| {
        AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(ANAPHORS.iter().map(|a| a.0)).ok()
    });
    if lower.len() != range.len() {
        return;
    }
    let Some(find) = find else { return };
    let sentence = Sentence { text, lower, start: range.start, mentions, state };
    for found in find.find_iter(lower) {
        let (phrase, kind) = ANAPHORS[found.pattern().as_usize()];
        let Some((s, e)) = sentence.phrase(found.start(), found.len(), here) else { continue };
        let earlier = sentence.before(s);
        // "The group" is a militant group, not the newspaper or the agency named last; "the
        // siege" is the last operation named.
        let sort = event_sort(phrase);
        let fits = |c: &Cand| {
            c.kind == kind
                && !(kind == Kind::Group && matches!(c.subkind, Some("Media" | "Agency")))
                && (kind != Kind::Event || c.subkind == sort)
        };
        let last = earlier.iter().rev().find(|m| m.end <= s && fits(&state.cands[m.cand]));
        let last = last.filter(|m| matches!(kind, Kind::Group | Kind::Event) || s - m.end <= PRONOUN_REACH);
        if let Some(last) = last {
            here.push((s, e, last.cand));
        }
    }
    plural_anaphors(&sentence, here);
}

/// The sentence the anaphors are read in: the text, the sentence's lower-case text and where
/// it starts, the document's mentions (sorted by start) and what they stand for.
struct Sentence<'a> {
    text: &'a str,
    lower: &'a str,
    start: usize,
    mentions: &'a [Found],
    state: &'a Candidates,
}

impl Sentence<'_> {
    /// The phrase at `at..at + len` of the sentence as a span of the text, when it stands on
    /// word boundaries and no mention in `here` already covers it.
    fn phrase(&self, at: usize, len: usize, here: &[(usize, usize, usize)]) -> Option<(usize, usize)> {
        let (s, e) = (self.start + at, self.start + at + len);
        (on_word_boundaries(self.text, s, e) && !here.iter().any(|&(hs, he, _)| hs < e && s < he))
            .then_some((s, e))
    }

    /// The mentions that start before `s`: an anaphor looks back only.
    fn before(&self, s: usize) -> &[Found] {
        &self.mentions[..self.mentions.partition_point(|m| m.start < s)]
    }
}

/// Counted plurals and the people they stand for: "all three", "the two men", "both men".
const PLURALS: &[(&str, usize)] = &[
    ("all three", 3),
    ("all four", 4),
    ("all five", 5),
    ("the three men", 3),
    ("the three", 3),
    ("the four men", 4),
    ("both men", 2),
    ("both of them", 2),
    ("the two men", 2),
    ("the two", 2),
    ("the pair", 2),
];

/// "an amended complaint accused all three of conspiring": a counted plural is the last that
/// many people named before it (within a paragraph's reach), each of them a mention there.
fn plural_anaphors(sentence: &Sentence, here: &mut Vec<(usize, usize, usize)>) {
    const REACH: usize = 700;
    let lower = sentence.lower;
    for &(words, count) in PLURALS {
        for (at, _) in lower.match_indices(words) {
            let Some((s, e)) = sentence.phrase(at, words.len(), here) else { continue };
            // "the two men's lawyers", "the three of them" are fine; "the two sides" is not.
            let next = lower[at + words.len()..].split_whitespace().next().unwrap_or("");
            if !count_ends(next) {
                continue;
            }
            let mut people: Vec<usize> = Vec::new();
            for m in sentence.before(s).iter().rev().take_while(|m| m.end + REACH >= s) {
                if sentence.state.cands[m.cand].kind == Kind::Person && !people.contains(&m.cand) {
                    people.push(m.cand);
                    if people.len() == count {
                        break;
                    }
                }
            }
            if people.len() == count {
                here.extend(people.into_iter().rev().map(|c| (s, e, c)));
            }
        }
    }
}

/// Whether the word after a counted plural leaves it standing for people: a verb, a
/// preposition or punctuation, not a noun of its own ("the two countries").
fn count_ends(next: &str) -> bool {
    let word = next.trim_end_matches(|c: char| !c.is_alphanumeric());
    next.starts_with(|c: char| !c.is_alphanumeric())
        || matches!(
            word,
            "of" | "to"
                | "in"
                | "on"
                | "at"
                | "for"
                | "with"
                | "were"
                | "are"
                | "was"
                | "had"
                | "have"
                | "face"
                | "faced"
                | "will"
                | "would"
                | "could"
                | "pleaded"
                | "met"
                | "appeared"
                | "remain"
                | "remained"
                | "travelled"
                | "traveled"
                | "belonged"
                | "men"
                | "and"
                | "also"
                | "who"
                | "allegedly"
                | "later"
                | "then"
                | "both"
                | "all"
        )
        || word.ends_with("ed")
}

/// Words that open an apposition or a relative clause after a name: "X, a member of Y,", "X,
/// who joined Y in 2014,".
const OPENERS: &[&str] = &[
    "a",
    "an",
    "the",
    "who",
    "whose",
    "which",
    "another",
    "one",
    "also",
    "then",
    "now",
    "once",
    "formerly",
    "its",
    "his",
    "her",
    "their",
    "himself",
    "herself",
    "itself",
    "described",
    "known",
    "seen",
    "believed",
    "thought",
    "said",
    "reportedly",
    "allegedly",
];

/// Words after a comma that do not continue the sentence's subject: another item of a list, or
/// another clause.
const NOT_A_PREDICATE: &[&str] = &[
    "and",
    "or",
    "but",
    "nor",
    "which",
    "who",
    "whose",
    "where",
    "when",
    "while",
    "whom",
    "that",
    "as",
    "although",
    "though",
    "if",
    "because",
    "since",
    "so",
    "the",
    "a",
    "an",
    "its",
    "his",
    "her",
    "their",
    "in",
    "on",
    "at",
    "for",
    "from",
    "with",
    "by",
    "of",
    "to",
    "after",
    "before",
    "including",
    "such",
    "according",
    "not",
    "both",
    "either",
];

/// The subject a mention's clause is set off from: for mention `i` of `here` (the sentence's
/// mentions, sorted) inside an apposition or relative clause ("Zoe Quill, a member of the Omega
/// Brigade, travelled to Kabul"; "Zoe Quill, who joined the Omega Brigade in 2014, travelled
/// to Kabul"), the index of the person or group the clause describes and the offset just
/// after the comma that closes it, where that subject's predicate resumes. None when the comma
/// after the mention starts a list or another clause.
pub(super) fn clause_subject(
    text: &str,
    here: &[(usize, usize, usize)],
    i: usize,
    end: usize,
    state: &Candidates,
) -> Option<(usize, usize)> {
    let (a_start, a_end, _) = here[i];
    // The closing comma: soon after the mention, and followed by a verb of the subject.
    let rest = text.get(a_end..end)?;
    let comma = rest.find(',')?;
    let inside = &rest[..comma];
    if inside.split_whitespace().count() > 6 || inside.contains([';', ':', '(', ')', '.', '–', '—']) {
        return None;
    }
    let after = &rest[comma + 1..];
    let word = after.trim_start().split(|c: char| !c.is_alphanumeric()).next()?;
    if !after.starts_with(' ')
        || !word.chars().next().is_some_and(char::is_lowercase)
        || NOT_A_PREDICATE.contains(&word)
    {
        return None;
    }
    // The opening comma: back over at most three mentions inside the clause.
    let mut inner_start = a_start;
    for k in (i.saturating_sub(4)..i).rev() {
        let (s_start, s_end, s) = here[k];
        if s_end > inner_start {
            continue;
        }
        let gap = &text[s_end..inner_start];
        // "Islamic State Khorasan (IS-K), a branch of ...": past the bracketed short form.
        let open = gap.strip_prefix(')').unwrap_or(gap);
        if let Some(clause) = open.strip_prefix(", ") {
            let first = clause.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
            let plain = !clause.contains([',', ';', ':', '(', ')', '–', '—']);
            let subject = matches!(state.cands[s].kind, Kind::Person | Kind::Group);
            if plain && subject && OPENERS.contains(&first) && clause.split_whitespace().count() <= 8 {
                // A bracketed short form: the subject is the name before it.
                let k = if gap.starts_with(')') && k > 0 && here[k - 1].2 == s { k - 1 } else { k };
                return Some((k, a_end + comma + 1));
            }
            return None;
        }
        // Still inside the clause: no clause break between the two mentions.
        if gap.contains([',', ';', ':', '.', '–', '—']) && !(gap == " (" || gap.starts_with(')')) {
            return None;
        }
        inner_start = s_start;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::tests::{entity, has, links, run};
    use crate::model::{Certainty, Relation};

    #[test]
    fn a_definite_event_stands_for_the_last_event_of_its_sort() {
        let ex = run(
            "Gunmen stormed the Grand Mall in Kabul. The Omega Brigade said it had carried out the attack.",
        );
        let attack = ex.entities.iter().find(|e| e.name == "attack on Grand Mall").expect("told attack");
        assert!(has(&ex, "omega-brigade", Relation::Perpetrated, &attack.id).is_some(), "{:?}", links(&ex));
        // "the attacks" is a series: no one event named before.
        let ex = run(
            "Gunmen stormed the Grand Mall in Kabul. The Omega Brigade said it had carried out the attacks.",
        );
        assert!(ex.links.iter().all(|l| l.rel != Relation::Perpetrated), "{:?}", links(&ex));
    }

    #[test]
    fn a_counted_plural_stands_for_the_people_before_it() {
        let ex = run("Police held Zed Quorn, Yan Roe and Tim Vole. A complaint accused all three of \
                      conspiring to give material support to the Omega Brigade.");
        for person in ["zed-quorn", "yan-roe", "tim-vole"] {
            assert!(
                has(&ex, person, Relation::SupporterOf, "omega-brigade").is_some(),
                "{person}: {:?}",
                links(&ex)
            );
        }
        // "the two countries" are no people.
        let ex = run("Zed Quorn met Yan Roe. The two countries joined the Omega Brigade.");
        assert!(has(&ex, "zed-quorn", Relation::MemberOf, "omega-brigade").is_none(), "{:?}", links(&ex));
    }

    #[test]
    fn an_acronym_read_alone_is_the_group_it_abbreviates() {
        let ex = run("The OBX grew. The Omega Brigade Xtra (OBX) is active in Kabul. Later the OBX left.");
        let group = entity(&ex, "Omega Brigade Xtra");
        assert_eq!(group.mentions.len(), 4, "{:?}", group.mentions);
        assert_eq!(group.aliases, ["OBX"]);
        assert!(ex.entities.iter().all(|e| e.name != "OBX"), "no group of its own");
    }

    #[test]
    fn the_group_is_not_the_newspaper_named_last() {
        let ex = run("The Omega Brigade grew, the Omega Times said. The group is active in Kabul.");
        assert_eq!(
            has(&ex, "omega-brigade", Relation::OperatesIn, "kabul"),
            Some(Certainty::Reported),
            "{:?}",
            links(&ex)
        );
        assert_eq!(has(&ex, "omega-times", Relation::OperatesIn, "kabul"), None);
    }

    #[test]
    fn pronouns_stand_for_the_last_person_or_group() {
        let ex = run("Zoe Quill grew up in Kabul. She later joined the Omega Brigade.");
        assert_eq!(has(&ex, "zoe-quill", Relation::MemberOf, "omega-brigade"), Some(Certainty::Reported));
        let ex = run("Zoe Quill spoke at length. She was not a member of the Omega Brigade.");
        assert_eq!(has(&ex, "zoe-quill", Relation::MemberOf, "omega-brigade"), Some(Certainty::Refuted));
        let ex = run("The Omega Brigade grew. Its weekly outlet, Al-Azaim Media Foundation, spread fast.");
        assert_eq!(
            has(&ex, "al-azaim-media-foundation", Relation::PartOf, "omega-brigade"),
            Some(Certainty::Reported),
            "{:?} {:?}",
            links(&ex),
            ex.entities.iter().map(|e| (&e.id, e.subkind)).collect::<Vec<_>>()
        );
        let ex = run("The Omega Brigade grew. Its suspected outlet, Al-Azaim Media Foundation, spread fast.");
        assert_eq!(
            has(&ex, "al-azaim-media-foundation", Relation::PartOf, "omega-brigade"),
            Some(Certainty::Suspected)
        );
        let far = format!(
            "Zoe Quill spoke. {} She joined the Omega Brigade.",
            "Nothing happened then. ".repeat(20)
        );
        assert_eq!(has(&run(&far), "zoe-quill", Relation::MemberOf, "omega-brigade"), None, "too far back");
    }

    #[test]
    fn surnames_and_acronyms_stand_for_the_full_name() {
        let ex = run("Zoe Quill joined the Front for Liberation (FFL). Later Quill left the FFL.");
        let zoe = entity(&ex, "Zoe Quill");
        assert_eq!(zoe.mentions.len(), 2);
        assert_eq!(zoe.aliases, ["Quill"]);
        let texts: Vec<&str> =
            entity(&ex, "Front for Liberation").mentions.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(texts, ["Front for Liberation", "FFL", "FFL"], "FFL is the front");
        assert_eq!(
            has(&ex, "zoe-quill", Relation::MemberOf, "front-for-liberation"),
            Some(Certainty::Reported)
        );
    }

    #[test]
    fn an_apposition_or_relative_clause_leaves_the_subject_its_predicate() {
        let text = "Zoe Quill, a member of the Omega Brigade, travelled to Kabul.";
        let ex = run(text);
        assert_eq!(has(&ex, "zoe-quill", Relation::MemberOf, "omega-brigade"), Some(Certainty::Reported));
        assert_eq!(
            has(&ex, "zoe-quill", Relation::TraveledTo, "kabul"),
            Some(Certainty::Reported),
            "{:?}",
            links(&ex)
        );
        assert_eq!(
            has(&ex, "omega-brigade", Relation::OperatesIn, "kabul"),
            None,
            "the group did not travel"
        );
        let l = ex.links.iter().find(|l| l.rel == Relation::TraveledTo).expect("the link");
        assert_eq!(&text[l.span.start..l.span.end], l.text);
        assert_eq!(l.text, text.trim_end_matches('.'));
        // A relative clause, with a date in it; a short form in brackets before it.
        let ex = run("Zoe Quill, who joined the Omega Brigade in 2014, later travelled to Kabul.");
        assert_eq!(has(&ex, "zoe-quill", Relation::TraveledTo, "kabul"), Some(Certainty::Reported));
        assert_eq!(has(&ex, "omega-brigade", Relation::OperatesIn, "kabul"), None);
        let ex = run("The Omega Brigade (OB), a branch of the Alpha Cell, is active in Herat.");
        assert_eq!(
            has(&ex, "omega-brigade", Relation::OperatesIn, "herat"),
            Some(Certainty::Reported),
            "{:?}",
            links(&ex)
        );
        assert_eq!(has(&ex, "alpha-cell", Relation::OperatesIn, "herat"), None);
        // The clause's hedge is its own; the predicate's hedge and denial are the predicate's.
        let ex = run("Zoe Quill, a suspected member of the Omega Brigade, travelled to Kabul.");
        assert_eq!(has(&ex, "zoe-quill", Relation::MemberOf, "omega-brigade"), Some(Certainty::Suspected));
        assert_eq!(has(&ex, "zoe-quill", Relation::TraveledTo, "kabul"), Some(Certainty::Reported));
        let ex = run("Zoe Quill, a member of the Omega Brigade, never travelled to Kabul.");
        assert_eq!(has(&ex, "zoe-quill", Relation::TraveledTo, "kabul"), Some(Certainty::Refuted));
        let ex = run("Zoe Quill, a member of the Omega Brigade, reportedly travelled to Kabul.");
        assert_eq!(has(&ex, "zoe-quill", Relation::TraveledTo, "kabul"), Some(Certainty::Alleged));
        // A list is no apposition.
        let ex = run("Zoe Quill, the Omega Brigade, and Kabul were named.");
        assert!(ex.links.iter().all(|l| l.rel != Relation::TraveledTo), "{:?}", links(&ex));
        let ex = run("Zoe Quill, a member of the Omega Brigade, and Ann Example travelled to Kabul.");
        assert_eq!(has(&ex, "zoe-quill", Relation::TraveledTo, "kabul"), None, "{:?}", links(&ex));
    }
}

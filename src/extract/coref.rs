//! Coreference within an article: which earlier mention a later, shorter form stands for. A
//! surname ("Abedi" after "Salman Abedi") or an acronym given in brackets ("ICE" after
//! "Immigration and Customs Enforcement (ICE)") becomes a mention of the full name for the rest
//! of the document; "the group", "its" and "he"/"she" stand for the last group or person named
//! before them, for reading the links of their sentence.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};

use super::text::on_word_boundaries;
use super::{Found, State};
use crate::model::Kind;

/// Surnames and acronyms: once "Salman Abedi" or "Immigration and Customs Enforcement (ICE)"
/// has been written, "Abedi" and "ICE" stand for them in the rest of the document.
pub(super) fn resolve_short_forms(text: &str, mentions: &mut Vec<Found>, state: &mut State) {
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
];

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
    state: &State,
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
    for found in find.find_iter(lower) {
        let kind = ANAPHORS[found.pattern().as_usize()].1;
        let (s, e) = (range.start + found.start(), range.start + found.end());
        if !on_word_boundaries(text, s, e) {
            continue;
        }
        // Mentions are sorted by start: look back from the anaphor only.
        let earlier = &mentions[..mentions.partition_point(|m| m.start < s)];
        let last = earlier.iter().rev().find(|m| m.end <= s && state.cands[m.cand].kind == kind);
        let last = last.filter(|m| kind == Kind::Group || s - m.end <= PRONOUN_REACH);
        if let Some(last) = last
            && !here.iter().any(|&(hs, he, _)| hs < e && s < he)
        {
            here.push((s, e, last.cand));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{entity, has, links, run};
    use crate::model::{Certainty, Relation};

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
}

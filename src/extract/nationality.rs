//! Links read from nationality words and lists, part of link reading: a person's nationality
//! ("Briton Omar Sheikh", "the French Daesh leader: Rachid Kassim"), a place in its country
//! ("the Syrian city of Raqqa"), a group's country ("the Syrian jihadist group G"), where a
//! person was born ("Birmingham-born") or jailed ("placed in a Syrian jail"), and people listed
//! after a dash, who share what the words before it say of them. In: a sentence and its
//! mentions; out: pending links, their certainty from the hedges around them.

use super::links::coordinating;
use super::state::{Found, PendingLink, Proposer, SentenceView, here_in};
use super::{Extractor, hedges};
use crate::model::{Certainty, Kind, Relation};

impl Extractor {
    /// "placed in a Syrian jail", "his release from Indian jail": the last person named
    /// before it in the sentence was held in that country.
    pub(super) fn jailed(&self, at: &SentenceView, state: &mut Proposer) {
        let (text, range, mentions) = (at.text, at.range.clone(), at.mentions);
        let demonym = |w: &str| self.demonym(w);
        let sentence = &text[range.clone()];
        for (at, word) in sentence.match_indices(" jail").chain(sentence.match_indices(" prison")) {
            let at = range.start + at;
            let Some(&country) = text[range.start..at].rsplit(' ').next().and_then(demonym) else { continue };
            let held = here_in(mentions, &range)
                .filter(|p| p.end <= at && state.cands[p.cand].kind == Kind::Person)
                .last();
            if let Some(p) = held {
                let to = state.place(self, country);
                let span = (p.start, at + word.len());
                let certainty = hedges::certainty_of(&text[p.start..at]);
                state.add_link(PendingLink {
                    from: p.cand,
                    rel: Relation::DetainedIn,
                    to,
                    certainty,
                    span,
                    rule: "detained-demonym",
                });
            }
        }
    }

    /// A nationality word next to a person: "Briton Omar Sheikh", "the French Daesh leader:
    /// Rachid Kassim", "Aafia Siddiqui, the US-educated Pakistani neuroscientist"; or before a
    /// place: "the Syrian city of Raqqa". The country counts only when the article names it
    /// too (links to unmentioned places are dropped). And "<place>-born" people.
    pub(super) fn nationalities(&self, at: &SentenceView, state: &mut Proposer) {
        let (text, range, mentions) = (at.text, at.range.clone(), at.mentions);
        let demonym = |w: &str| self.demonym(w);
        for m in here_in(mentions, &range) {
            // "Birmingham-born Rashid Rauf", "Rashid Rauf, another Birmingham-born lad": the
            // person just before (in apposition) or just after was born there.
            if state.cands[m.cand].kind == Kind::Place
                && (text[m.end..range.end].starts_with("-born")
                    || text[m.end..range.end].starts_with(" born "))
            {
                let people =
                    || here_in(mentions, &range).filter(|p| state.cands[p.cand].kind == Kind::Person);
                let apposed = people().filter(|p| p.end <= m.start).last().filter(|p| {
                    let gap = text[p.end..m.start].to_lowercase();
                    matches!(gap.as_str(), ", a " | ", an " | ", another " | ", the " | " is a " | " was a ")
                });
                let next = people().find(|p| p.start >= m.end && p.start - m.end <= 80);
                if let Some(p) = apposed.or(next) {
                    let span = (p.start.min(m.start), p.end.max(m.end));
                    let (from, to) = (p.cand, m.cand);
                    // The hedge may come a little before: "probably a Kabul-born man".
                    let from_hedge = range.start.max(span.0.saturating_sub(40));
                    let from_hedge =
                        (from_hedge..=span.0).find(|&k| text.is_char_boundary(k)).unwrap_or(span.0);
                    let certainty = hedges::certainty_of(&text[from_hedge..span.1]);
                    state.add_link(PendingLink {
                        from,
                        rel: Relation::BornIn,
                        to,
                        certainty,
                        span,
                        rule: "born-in",
                    });
                }
            }
            // "the Syrian city of Raqqa": the place lies in the country.
            if state.cands[m.cand].kind == Kind::Place {
                let head = &text[range.start..m.start];
                let country = [" city of ", " town of ", " capital of ", " province of ", " region of "]
                    .iter()
                    .find_map(|p| head.strip_suffix(p))
                    .and_then(|h| h.rsplit(' ').next())
                    .and_then(demonym);
                if let Some(&country) = country {
                    let to = state.place(self, country);
                    state.add_link(PendingLink {
                        from: m.cand,
                        rel: Relation::LocatedIn,
                        to,
                        certainty: Certainty::Reported,
                        span: (m.start, m.end),
                        rule: "place-demonym",
                    });
                }
                continue;
            }
            // "the Syrian jihadist group Jabhat al-Nusra": a group that the text places in a
            // country by a nationality word before its head noun operates there.
            if state.cands[m.cand].kind == Kind::Group {
                const HEADS: &[&str] = &[
                    "group",
                    "organisation",
                    "organization",
                    "movement",
                    "militia",
                    "faction",
                    "outfit",
                    "network",
                    "affiliate",
                    "branch",
                    "insurgency",
                    "insurgents",
                    "militants",
                ];
                let head = text[range.start..m.start].trim_end();
                let words: Vec<&str> = head.rsplit(' ').take(4).collect();
                let headed = words.first().is_some_and(|w| HEADS.contains(&w.to_lowercase().as_str()));
                let country = words
                    .iter()
                    .skip(1)
                    .take_while(|w| !w.ends_with([',', '.', ';', ':', ')']))
                    .find_map(|w| demonym(w).map(|c| (*c, *w)));
                if headed && let Some((country, word)) = country {
                    let to = state.place(self, country);
                    let scope = words.iter().rev().copied().collect::<Vec<_>>().join(" ");
                    // The span runs from the nationality word to the group.
                    let from = text[range.start..m.start].rfind(word).map_or(m.start, |i| range.start + i);
                    state.add_link(PendingLink {
                        from: m.cand,
                        rel: Relation::BasedIn,
                        to,
                        certainty: hedges::certainty_of(&scope),
                        span: (from, m.end),
                        rule: "group-demonym",
                    });
                }
                continue;
            }
            if state.cands[m.cand].kind != Kind::Person {
                continue;
            }
            // Before: up to four words, no clause ("French police arrested X" is not it).
            let head = text[range.start..m.start].trim_end_matches([' ', ':']);
            let before: Vec<&str> = head.rsplit(' ').take(4).collect();
            let found_before = before
                .iter()
                .take_while(|w| {
                    // "an Indonesian named Abu Bakr": "named" and "called" introduce the name.
                    let names = matches!(**w, "named" | "called");
                    !w.ends_with(['.', ',', ';', ')'])
                        && (names || (!w.ends_with("ed") && !w.ends_with("ing")))
                })
                .find_map(|w| demonym(w));
            // After: ", the|a|an" and up to three words.
            let tail = &text[m.end..range.end];
            // "Abror Habibov, 30, also an Uzbek citizen": the age and "also" are no words of it.
            let aged = tail.strip_prefix(", ").and_then(|t| {
                let (age, rest) = t.split_once(", ")?;
                (age.len() <= 3 && age.bytes().all(|b| b.is_ascii_digit())).then_some(rest)
            });
            let rest = aged.map_or(tail, |rest| rest.strip_prefix("also ").unwrap_or(rest));
            let tail = if aged.is_some() { format!(", {rest}") } else { tail.to_owned() };
            let found_after =
                [", the ", ", a ", ", an "].iter().find_map(|p| tail.strip_prefix(p)).and_then(|rest| {
                    rest.split(' ').take(3).take_while(|w| !w.ends_with([',', '.', ';'])).find_map(demonym)
                });
            let (found, scope) = match (found_before, found_after) {
                (Some(p), _) => (p, before.join(" ")),
                (None, Some(p)) => (p, tail.split(' ').take(5).collect::<Vec<_>>().join(" ")),
                (None, None) => continue,
            };
            {
                let to = state.place(self, *found);
                state.add_link(PendingLink {
                    from: m.cand,
                    rel: Relation::CitizenOf,
                    to,
                    // "a purported Briton", "not a French national".
                    certainty: hedges::certainty_of(&scope),
                    span: (m.start, m.end),
                    rule: "citizen-demonym",
                });
            }
        }
    }

    /// People listed after a dash or colon share what the words before it say of them: "a
    /// network of British plotters in the Syrian city of Raqqa – A, B and C" makes each
    /// British, based in Raqqa, and (a network, cell or pair) associates of one another.
    pub(super) fn listed_people(&self, at: &SentenceView, state: &mut Proposer) {
        let (text, range, mentions) = (at.text, at.range.clone(), at.mentions);
        const TOGETHER: &[&str] = &["network", "cell", "group of", "pair", "trio", "gang", "brothers"];
        let sentence = &text[range.clone()];
        // The first " – ", " — " or ": " (one search for the three).
        let dash = sentence.match_indices([':', '–', '—']).find_map(|(i, d)| {
            let spaced =
                sentence[i + d.len()..].starts_with(' ') && (d == ":" || sentence[..i].ends_with(' '));
            spaced.then(|| if d == ":" { (range.start + i, 2) } else { (range.start + i - 1, d.len() + 2) })
        });
        let Some(dash) = dash else { return };
        let list_start = dash.0 + dash.1;
        let mut people: Vec<&Found> = Vec::new();
        let mut at = list_start;
        for m in here_in(mentions, &range).filter(|m| m.start >= list_start) {
            if m.start < at {
                continue;
            }
            let joiner = &text[at..m.start];
            let person = state.cands[m.cand].kind == Kind::Person;
            if !person
                || !(people.is_empty() && joiner.is_empty() || !people.is_empty() && coordinating(joiner))
            {
                break;
            }
            people.push(m);
            at = m.end;
        }
        if people.len() < 2 {
            return;
        }
        // The head: the words before the dash, back to a comma.
        let head_start = text[range.start..dash.0].rfind(',').map_or(range.start, |i| range.start + i + 1);
        let head = &text[head_start..dash.0];
        let head_lower = head.to_lowercase();
        let span = (head_start, at);
        let certainty = hedges::certainty_of(head);
        let mut links: Vec<(usize, Relation, usize)> = Vec::new();
        if let Some(&country) = head.split([' ', '-']).find_map(|w| self.demonyms.get(w)) {
            let country = state.place(self, country);
            links.extend(people.iter().map(|p| (p.cand, Relation::CitizenOf, country)));
        }
        let base = here_in(mentions, &range).find(|m| {
            m.start >= head_start
                && m.end <= dash.0
                && state.cands[m.cand].kind == Kind::Place
                && [" in ", " in the ", " city of "].iter().any(|p| text[..m.start].ends_with(p))
        });
        if let Some(base) = base {
            links.extend(people.iter().map(|p| (p.cand, Relation::BasedIn, base.cand)));
        }
        if TOGETHER.iter().any(|w| head_lower.contains(w)) {
            for (i, a) in people.iter().enumerate() {
                links.extend(people[i + 1..].iter().map(|b| (a.cand, Relation::AssociateOf, b.cand)));
            }
        }
        for (from, rel, to) in links {
            state.add_link(PendingLink { from, rel, to, certainty, span, rule: "listed-people" });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::tests::{has, links, run};
    use crate::model::{Certainty, Relation};

    #[test]
    fn nationality_words_and_lists_of_people() {
        let text = "Briton Zoe Quill left the United Kingdom. Ann Example, the US-educated Pakistani analyst, visited Pakistan.";
        let ex = run(text);
        assert_eq!(
            has(&ex, "zoe-quill", Relation::CitizenOf, "united-kingdom"),
            Some(Certainty::Reported),
            "{:?} {:?}",
            links(&ex),
            ex.entities.iter().map(|e| &e.id).collect::<Vec<_>>()
        );
        assert_eq!(has(&ex, "ann", Relation::CitizenOf, "pakistan"), Some(Certainty::Reported));
        for l in &ex.links {
            assert_eq!(&text[l.span.start..l.span.end], l.text);
        }
        let ex = run("The purported Briton Zoe Quill left the United Kingdom.");
        assert_eq!(has(&ex, "zoe-quill", Relation::CitizenOf, "united-kingdom"), Some(Certainty::Alleged));
        let ex = run("They met in the Syrian city of Aleppo, far from Syria's coast.");
        assert_eq!(has(&ex, "aleppo", Relation::LocatedIn, "syria"), Some(Certainty::Reported));
        let text =
            "In 2005 Zoe Quill, another Kabul-born lad, met a Herat born man using the name Ann Example.";
        let ex = run(text);
        assert_eq!(has(&ex, "zoe-quill", Relation::BornIn, "kabul"), Some(Certainty::Reported));
        assert_eq!(has(&ex, "ann", Relation::BornIn, "herat"), Some(Certainty::Reported));
        for l in &ex.links {
            assert_eq!(&text[l.span.start..l.span.end], l.text);
        }
        let ex = run("The suspect was probably a Kabul-born man called Zoe Quill.");
        assert_eq!(has(&ex, "zoe-quill", Relation::BornIn, "kabul"), Some(Certainty::Suspected));
        let text =
            "Later a cell of British plotters in Kabul – Zoe Quill, Bob Example and Ann Example – met.";
        let ex = run(text);
        for who in ["zoe-quill", "bob", "ann"] {
            assert_eq!(has(&ex, who, Relation::BasedIn, "kabul"), Some(Certainty::Reported), "{who}");
        }
        assert_eq!(has(&ex, "zoe-quill", Relation::AssociateOf, "ann"), Some(Certainty::Reported));
        for l in &ex.links {
            assert_eq!(&text[l.span.start..l.span.end], l.text);
        }
        let ex = run("Later a suspected cell in Kabul – Zoe Quill and Ann Example – met.");
        assert_eq!(has(&ex, "zoe-quill", Relation::AssociateOf, "ann"), Some(Certainty::Suspected));
        let text = "Zoe Quill left Syria, and in 2014 was placed in a Syrian jail.";
        let ex = run(text);
        assert_eq!(has(&ex, "zoe-quill", Relation::DetainedIn, "syria"), Some(Certainty::Reported));
        let l = ex.links.iter().find(|l| l.rel == Relation::DetainedIn).expect("the link");
        assert_eq!(&text[l.span.start..l.span.end], l.text);
        assert!(l.text.ends_with("Syrian jail"));
        let ex = run("Zoe Quill left Syria and was never placed in a Syrian prison.");
        assert_eq!(has(&ex, "zoe-quill", Relation::DetainedIn, "syria"), Some(Certainty::Refuted));
        let ex = run("French police arrested Zoe Quill in France.");
        assert_eq!(has(&ex, "zoe-quill", Relation::CitizenOf, "france"), None, "a clause between");
    }
}

//! A place's attacker: a person titled after a place's attack ("Testville attacker Zoe Quill")
//! carried out the attack the article places there. Run with link reading, sentence by
//! sentence, since it reads the events the stage proposed. In: a sentence and its mentions;
//! out: a pending `Perpetrated` link (and the attack, when the article named none there).

use super::super::links::Read;
use super::super::state::{Found, PendingLink, Proposer, SentenceView, here_in};
use super::super::text::fold;
use super::super::{Document, Mention};
use super::super::{Extractor, hedges};
use crate::model::{Certainty, EventType, Kind, Relation, text::name_key};

/// Titles of whoever carried out an attack ("the Testville bomber").
const ATTACKERS: &[&str] = &["bomber", "attacker", "gunman", "shooter", "assailant", "killer", "stabber"];

impl Extractor {
    /// A person titled after a place's attack ("Testville attacker Zoe Quill", "Zoe Quill
    /// [the Testville suicide bomber]") carried out the attack the article places there: the
    /// event of that place read from its phrases, or the one attack an event link puts there,
    /// or else a new "<place> attack", which the title implies.
    pub(in crate::extract) fn attackers(
        &self,
        doc: &Document,
        at: &SentenceView,
        state: &mut Proposer,
        read: &Read,
    ) {
        let (text, range, mentions) = (at.text, at.range.clone(), at.mentions);
        let here: Vec<&Found> = here_in(mentions, &range).collect();
        for (i, m) in here.iter().enumerate() {
            if state.cands[m.cand].kind != Kind::Place {
                continue;
            }
            // The two words after the place are enough.
            let reach = (m.end + 48).min(range.end);
            let reach = (reach..=range.end).find(|&k| text.is_char_boundary(k)).unwrap_or(range.end);
            let after = fold(&text[m.end..reach]);
            let words: Vec<&str> = after.split_whitespace().take(2).collect();
            let titled = match words.as_slice() {
                [w, ..] if ATTACKERS.contains(&w.trim_end_matches([']', ',', ')', ':'])) => Some(1),
                [_, w] if ATTACKERS.contains(&w.trim_end_matches([']', ',', ')', ':'])) => Some(2),
                _ => None,
            };
            let Some(n) = titled else { continue };
            // Where the title ends in the original text.
            let mut title_end = m.end;
            for _ in 0..n {
                let rest = &text[title_end..range.end];
                let skip = rest.len() - rest.trim_start().len();
                let word = rest
                    .trim_start()
                    .find(|c: char| !c.is_alphanumeric() && c != '-')
                    .unwrap_or(rest.trim_start().len());
                title_end += skip + word;
            }
            // The person right after the title, or the one the bracketed title describes.
            let person = |f: &&&Found| state.cands[f.cand].kind == Kind::Person;
            let after_person = here[i + 1..].iter().find(|p| p.start >= title_end).filter(|p| {
                person(p) && matches!(text[title_end..p.start].trim_end_matches(' '), "" | "," | ":")
            });
            let before_person = here[..i].iter().rev().find(|p| p.end <= m.start).filter(|p| {
                person(p)
                    && matches!(
                        // Spaced out: markup brackets are blanked to spaces.
                        fold(&text[p.end..m.start]).split_whitespace().collect::<Vec<_>>().as_slice(),
                        ["the"]
                            | ["(the"]
                            | ["[the"]
                            | [",", "the"]
                            | ["-", "the"]
                            | [",", "a"]
                            | ["[a"]
                            | ["(a"]
                    )
            });
            let Some(p) = after_person.or(before_person) else { continue };
            // The place's attack.
            let event = state.events.get(&(m.cand, EventType::Attack)).copied().or_else(|| {
                let attack =
                    |c: usize| state.cands[c].kind == Kind::Event && state.cands[c].subkind == Some("Attack");
                let mut placed: Vec<usize> = state
                    .pending
                    .iter()
                    .chain(read.all().filter(|d| d.file == doc.file).map(|d| &d.link))
                    .filter(|l| l.rel == Relation::OccurredIn && l.to == m.cand && attack(l.from))
                    .map(|l| l.from)
                    .collect();
                placed.sort_unstable();
                placed.dedup();
                (placed.len() == 1).then(|| placed[0])
            });
            let span = (p.start.min(m.start), p.end.max(title_end));
            // No attack there yet: the title says there was one ("the Testville attack").
            let event = match event {
                Some(e) => e,
                None => {
                    let name = format!("{} attack", &text[m.start..m.end]);
                    let e = match self.by_key.get(&name_key(&name)) {
                        Some(&k) => state.known(self, k),
                        None => state.new_event(&name, EventType::Attack, None),
                    };
                    state.events.insert((m.cand, EventType::Attack), e);
                    state.cands[e].mentions.push(Mention {
                        source: doc.source.clone(),
                        file: doc.file.clone(),
                        start: m.start,
                        end: title_end,
                        text: doc.text[m.start..title_end].to_owned(),
                    });
                    state.add_link(PendingLink {
                        from: e,
                        rel: Relation::OccurredIn,
                        to: m.cand,
                        certainty: Certainty::Reported,
                        span: (m.start, title_end),
                        rule: "attacker-of-place",
                    });
                    e
                }
            };
            let from_hedge = range.start.max(span.0.saturating_sub(40));
            let from_hedge = (from_hedge..=span.0).find(|&k| text.is_char_boundary(k)).unwrap_or(span.0);
            let certainty = hedges::certainty_of(&text[from_hedge..span.1]);
            state.add_link(PendingLink {
                from: p.cand,
                rel: Relation::Perpetrated,
                to: event,
                certainty,
                span,
                rule: "attacker-of-place",
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::tests::{entity, has, run};
    use crate::model::{Certainty, Relation};

    #[test]
    fn a_place_s_attacker_carried_out_its_attack() {
        let text = "The Kabul attack shocked many. Kabul attacker Zoe Quill was known to police.";
        let ex = run(text);
        let event = entity(&ex, "Kabul attack");
        assert_eq!(has(&ex, "zoe-quill", Relation::Perpetrated, &event.id), Some(Certainty::Reported));
        let l = ex.links.iter().find(|l| l.rel == Relation::Perpetrated).expect("the link");
        assert_eq!(&text[l.span.start..l.span.end], l.text);
        assert_eq!(l.text, "Kabul attacker Zoe Quill");
        // In brackets after the name, and with no attack named before: the title implies one.
        let text = "Police said Zoe Quill [the Herat suicide bomber] was not alone.";
        let ex = run(text);
        let event = entity(&ex, "Herat attack");
        assert_eq!(has(&ex, "zoe-quill", Relation::Perpetrated, &event.id), Some(Certainty::Reported));
        assert_eq!(has(&ex, &event.id, Relation::OccurredIn, "herat"), Some(Certainty::Reported));
        let ex = run("Police said the alleged Herat bomber Zoe Quill was alone.");
        assert_eq!(has(&ex, "zoe-quill", Relation::Perpetrated, "herat-attack"), Some(Certainty::Alleged));
        let ex = run("Zoe Quill met a Herat shopkeeper.");
        assert!(ex.links.iter().all(|l| l.rel != Relation::Perpetrated), "no attacker title");
    }
}

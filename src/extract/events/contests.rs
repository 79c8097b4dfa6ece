//! Contests and gatherings named as such ("the 2024 Paris Olympics", "the ICC Men's T20
//! Cricket World Cup"): `Gathering` events, held where their name says. In: the article and
//! its mentions; out: event mentions in place of the words they cover, and `OccurredIn` links.

use super::super::Extractor;
use super::super::state::{Found, Proposer};
use super::super::text::on_word_boundaries;
use super::date_in;
use crate::model::{EventType, Kind};

/// The last words of a named contest or gathering, and how many capitalised words must come
/// before a lower-case one ("the UEFA European Football championship").
const CONTESTS: &[(&str, usize)] = &[
    ("Olympics", 0),
    ("Olympic Games", 0),
    ("Paralympics", 0),
    ("Paralympic Games", 0),
    ("World Cup", 1),
    ("Championships", 1),
    ("Championship", 1),
    ("championship", 2),
    ("Grand Prix", 1),
    ("Marathon", 1),
    ("Super Bowl", 0),
    ("Games", 1),
];

impl Extractor {
    /// Contests named by a run of capitalised words ending in "Olympics", "World Cup",
    /// "Championship" and the like ("the 2028 Testville Olympics", "the ICC Men's T20 Cricket
    /// World Cup"): `Gathering` events, dated when the name has a year. A place inside the
    /// name stays a mention (the contest is held there); a person or group read from the same
    /// words ("Summer Olympics" looks like a name) does not.
    pub(super) fn contests(&self, text: &str, mentions: &mut Vec<Found>, state: &mut Proposer) {
        static FIND: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> = std::sync::OnceLock::new();
        let Some(find) =
            FIND.get_or_init(|| aho_corasick::AhoCorasick::new(CONTESTS.iter().map(|c| c.0)).ok())
        else {
            return;
        };
        let mut found: Vec<(usize, usize)> = Vec::new();
        // One pass for all the head words, in the order of one search per head word.
        let mut heads: Vec<(usize, usize)> =
            find.find_overlapping_iter(text).map(|m| (m.pattern().as_usize(), m.start())).collect();
        heads.sort_unstable();
        for (k, at) in heads {
            let (head, before_needed) = CONTESTS[k];
            {
                let end = at + head.len();
                if !on_word_boundaries(text, at, end) {
                    continue;
                }
                // Back over capitalised words, years and "Men's", one space apart.
                let mut start = at;
                let mut count = 0;
                while count < 6 {
                    let before = &text[..start];
                    let Some(space) = before.strip_suffix(' ').or_else(|| before.strip_suffix('\u{a0}'))
                    else {
                        break;
                    };
                    let word_start = space
                        .rfind(|c: char| c.is_whitespace() || "([\"“".contains(c))
                        .map_or(0, |i| i + space[i..].chars().next().map_or(1, char::len_utf8));
                    let word = &space[word_start..];
                    let year = word.len() == 4 && word.chars().all(|c| c.is_ascii_digit());
                    let capital = word.chars().next().is_some_and(char::is_uppercase)
                        && !matches!(
                            word,
                            "The"
                                | "A"
                                | "An"
                                | "In"
                                | "At"
                                | "For"
                                | "Of"
                                | "This"
                                | "That"
                                | "Its"
                                | "Their"
                                | "His"
                                | "Her"
                        );
                    if !(year || capital) || word.ends_with([',', '.', ';', ':']) {
                        break;
                    }
                    start = word_start;
                    count += 1;
                }
                if count < before_needed || found.iter().any(|&(s, e)| s < end && at < e) {
                    continue;
                }
                found.push((start, end));
            }
        }
        found.sort();
        for (start, end) in found {
            let overlaps = |m: &Found| m.start < end && start < m.end;
            if mentions.iter().any(|m| overlaps(m) && state.cands[m.cand].kind == Kind::Event) {
                continue;
            }
            mentions.retain(|m| !overlaps(m) || state.cands[m.cand].kind == Kind::Place);
            let name = &text[start..end];
            let cand = state.keyed(Kind::Event, name, Some(EventType::Gathering.name()), "event-contest");
            if state.cands[cand].date.is_none() {
                state.cands[cand].date = date_in(name);
            }
            mentions.push(Found { start, end, cand });
        }
        mentions.sort_by_key(|m| (m.start, m.end));
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::tests::{entity, has, run};
    use crate::model::{Certainty, Kind, Relation};

    #[test]
    fn contests_are_events_held_where_their_name_says() {
        let text = "Police foiled a plot targeting the 2028 Kabul Olympics and the Herat Cricket World Cup.";
        let ex = run(text);
        let games = entity(&ex, "2028 Kabul Olympics");
        assert_eq!(
            (games.kind, games.subkind, games.date.as_deref()),
            (Kind::Event, Some("Gathering"), Some("2028"))
        );
        assert_eq!(games.mentions[0].text, "2028 Kabul Olympics");
        assert_eq!(has(&ex, &games.id, Relation::OccurredIn, "kabul"), Some(Certainty::Reported));
        let cup = entity(&ex, "Herat Cricket World Cup");
        assert_eq!((cup.kind, cup.subkind), (Kind::Event, Some("Gathering")));
        let plot = entity(&ex, "plot targeting the 2028 Kabul Olympics");
        assert_eq!(has(&ex, &plot.id, Relation::Targeted, &games.id), Some(Certainty::Reported));
        assert_eq!(has(&ex, &plot.id, Relation::Targeted, "kabul"), None, "the place is the contest's");
        // The contest, not the place at the start of its name, is the target.
        let ex = run("Police foiled a plot to attack the Herat Cricket World Cup.");
        let plot = entity(&ex, "plot to attack the Herat Cricket World Cup");
        assert_eq!(
            has(&ex, &plot.id, Relation::Targeted, "herat-cricket-world-cup"),
            Some(Certainty::Reported)
        );
        assert_eq!(has(&ex, &plot.id, Relation::Targeted, "herat"), None);
        // A lone lower-case head word is no name.
        let ex = run("The championship was held in Kabul.");
        assert!(ex.entities.iter().all(|e| e.kind != Kind::Event), "{:?}", ex.entities);
    }
}

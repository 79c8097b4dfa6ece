//! Names built around a place or a street word, which the name rules cannot see because the
//! place is already a mention: "Stockholm District Court", "Kenya Defence Forces", "Jewish
//! Museum of Belgium", "Surabaya police headquarters", "the Westgate shopping mall", "East
//! Java", "Jalan Ngagel", "Boulevard d'Ypres", "Drottninggatan". The longer name replaces the
//! mentions inside it: in "Stockholm District Court" the text names a court, not Stockholm.

mod words;

use super::Extractor;
use super::names::{self, NameKind};
use super::state::{Candidates, Found, PendingLink, Proposer};
use super::text::MONTHS;
use super::text::on_word_boundaries;
use crate::model::{Kind, PlaceType, text::name_key};
use words::{
    COMPASS, GROUP_APPOSITIONS, OF_PLACE_HEADS, PART_NOUNS, PARTS_OF, PLACE_AFTER, PLACE_OF, STREET_ENDINGS,
    STREET_PARTICLES, STREET_WORDS, VENUE_HEADS, VENUE_MODIFIERS,
};

/// A street's kind, or a lake's or mountain's.
fn street_kind(word: &str) -> PlaceType {
    if matches!(word, "Lake" | "Mount") { PlaceType::Region } else { PlaceType::Venue }
}

/// One sentence as the compound rules read it: the text, the sentence's words (start, end,
/// word), the mentions so far (sorted by start) and their candidates.
struct Words<'a> {
    text: &'a str,
    ws: &'a [(usize, usize, &'a str)],
    mentions: &'a [Found],
    cands: &'a Candidates,
}

/// A compound found: its byte range, kind and rule.
struct Compound {
    start: usize,
    end: usize,
    kind: NameKind,
    rule: &'static str,
    /// The place the text puts it in ("Komamboga, a northern suburb of Kampala"), by mention
    /// start and end.
    inside: Option<(usize, usize)>,
    /// For a place of a list, the list's span: a name proposed across the list's joints
    /// ("Wiley Park and Punchbowl") gives way to the places listed.
    list: Option<(usize, usize)>,
}

impl Compound {
    fn new(start: usize, end: usize, kind: NameKind, rule: &'static str) -> Compound {
        Compound { start, end, kind, rule, inside: None, list: None }
    }

    /// A place of type `sub` that the text puts inside the place at `inside` (when it does).
    fn place_inside(
        start: usize,
        end: usize,
        sub: PlaceType,
        rule: &'static str,
        inside: Option<(usize, usize)>,
    ) -> Compound {
        Compound { inside, ..Compound::new(start, end, NameKind::Place(sub), rule) }
    }
}

impl Extractor {
    /// Finds the compounds of every sentence and puts them in place of the mentions inside
    /// them (`mentions` sorted by start).
    pub(super) fn compounds(
        &self,
        text: &str,
        sentences: &[std::ops::Range<usize>],
        mentions: &mut Vec<Found>,
        state: &mut Proposer,
    ) {
        let mut found = Vec::new();
        // New places made here, by surface, to be found again elsewhere in the text.
        let mut placed: Vec<(String, usize)> = Vec::new();
        for range in sentences {
            found.extend(compounds_in(text, range.clone(), mentions, state));
        }
        for c in found {
            // "Wiley Park and Punchbowl" read as one name across a list's joint.
            if let Some((s, e)) = c.list {
                mentions.retain(|m| {
                    let across = m.start >= s && m.end <= e && (m.start < c.start || m.end > c.end);
                    !(across && m.start < c.end && c.start < m.end)
                });
            }
            // A mention that sticks out of the compound: the compound is not a name there.
            if mentions
                .iter()
                .any(|m| m.start < c.end && c.start < m.end && (m.start < c.start || m.end > c.end))
            {
                continue;
            }
            let surface = &text[c.start..c.end];
            // A place already named there ("the Sydney suburbs of Lakemba, ..." where the
            // gazetteer knows one of them) stays itself; it only gains its link.
            let same = mentions
                .iter()
                .find(|m| m.start == c.start && m.end == c.end && state.cands[m.cand].kind == Kind::Place)
                .map(|m| m.cand);
            let cand = match (same, self.by_key.get(&name_key(surface))) {
                (Some(c), _) => c,
                (None, Some(&i)) => state.known(self, i),
                (None, None) => state.new_entity(surface, c.kind, c.rule),
            };
            mentions.retain(|m| !(m.start >= c.start && m.end <= c.end));
            mentions.push(Found { start: c.start, end: c.end, cand });
            if same.is_none() && !placed.iter().any(|p: &(String, usize)| p.0 == surface) {
                placed.push((surface.to_owned(), cand));
            }
            if let Some((s, e)) = c.inside
                && let Some(outer) = mentions.iter().find(|m| m.start == s && m.end == e)
            {
                state.add_link(PendingLink {
                    from: cand,
                    rel: crate::model::Relation::LocatedIn,
                    to: outer.cand,
                    certainty: crate::model::Certainty::Reported,
                    // The place may come before ("the Sydney suburbs of Lakemba") or after.
                    span: (c.start.min(s), c.end.max(e)),
                    rule: c.rule,
                });
            }
        }
        // A name the words around it made a place in one sentence is that place wherever the
        // article writes it again ("the Norrebro district", then "Norrebro station").
        for (surface, cand) in placed {
            for (at, _) in text.match_indices(surface.as_str()) {
                let end = at + surface.len();
                if on_word_boundaries(text, at, end) && !mentions.iter().any(|m| m.start < end && at < m.end)
                {
                    mentions.push(Found { start: at, end, cand });
                }
            }
        }
        mentions.sort_by_key(|m| (m.start, m.end));
    }
}

fn compounds_in(
    text: &str,
    range: std::ops::Range<usize>,
    mentions: &[Found],
    state: &Candidates,
) -> Vec<Compound> {
    let ws: Vec<(usize, usize, &str)> = names::words(&text[range.clone()])
        .into_iter()
        .map(|w| (range.start + w.start, range.start + w.end, w.text))
        .collect();
    let at = Words { text, ws: &ws, mentions, cands: state };
    let mention_at = |s: usize| mentions.iter().filter(|m| m.start == s).max_by_key(|m| m.end);
    let kind = |m: &Found| state.cands[m.cand].kind;
    let is_place = |m: &Found| kind(m) == Kind::Place;
    let spaced = |a: usize, b: usize| &text[a..b] == " ";
    let mut out = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        let (ws_i, we_i, w) = ws[i];
        // "East Java": a compass word right before a place.
        if COMPASS.contains(&w)
            && let Some(&(s, _, _)) = ws.get(i + 1)
            && spaced(we_i, s)
            && let Some(m) = mention_at(s).filter(|m| is_place(m))
            && !mentions.iter().any(|m| m.start <= ws_i && ws_i < m.end)
        {
            out.push(Compound::new(ws_i, m.end, NameKind::Place(PlaceType::Region), "place-compass"));
            i = ws.partition_point(|x| x.0 < m.end);
            continue;
        }
        // "St. Anthony's Shrine", "Saint Mary's Cathedral": a saint's venue.
        if matches!(w, "St" | "Saint")
            && let Some(c) = saints_venue(text, &ws, i)
        {
            i = ws.partition_point(|x| x.0 < c.end);
            out.push(c);
            continue;
        }
        // "the western Sydney suburbs of Lakemba, Wiley Park and Punchbowl", "the provinces of
        // Ituri and North Kivu": each place listed, in the place before when there is one.
        let listed = listed_parts(&at, i);
        if let Some(last) = listed.last() {
            i = ws.partition_point(|x| x.0 < last.end);
            out.extend(listed);
            continue;
        }
        // "Komamboga, a northern suburb of Kampala"; "in Dapchi, in Yobe State": an unknown
        // capitalised word that the words after it place in a place.
        if let Some(c) = placed_word(&at, i) {
            i += 1;
            out.push(c);
            continue;
        }
        // "Al-Mourabitoun, the group led by ...", "Inspire, the magazine of ...": a name that an
        // apposition says is a group or an outlet.
        if let Some(c) = apposed_group(&at, i) {
            i = ws.partition_point(|x| x.0 < c.end);
            out.push(c);
            continue;
        }
        // "the Norrebro district", "the town of Sabratha", "who came from Gaafour", "Adrian
        // Evans, of Bilston": an unknown name that the words around it make a place.
        if let Some(c) = place_in_context(&at, i) {
            i = ws.partition_point(|x| x.0 < c.end);
            out.push(c);
            continue;
        }
        // "Jalan Ngagel", "Boulevard d'Ypres": a street word and the capitalised words after.
        // "Place" starts a sentence as an ordinary word: only after a preposition.
        let after_preposition =
            i > 0 && matches!(ws[i - 1].2, "on" | "at" | "in" | "along" | "near" | "from");
        if STREET_WORDS.contains(&w) && (w != "Place" || after_preposition) {
            let mut end = None;
            let mut k = i + 1;
            while let Some(&(s, e, x)) = ws.get(k) {
                let gap = &text[ws[k - 1].1..s];
                let particle = STREET_PARTICLES.iter().find(|p| x.starts_with(**p) && x.len() > p.len());
                if gap != " " && gap != "'" && gap != "’" {
                    break;
                }
                if starts_upper(x) || particle.is_some_and(|p| starts_upper(&x[p.len()..])) {
                    end = Some(e);
                } else if !STREET_PARTICLES.contains(&x) {
                    break;
                }
                k += 1;
                if k > i + 4 {
                    break;
                }
            }
            if let Some(end) = end {
                out.push(Compound::new(ws_i, end, NameKind::Place(street_kind(w)), "place-street"));
                i = k;
                continue;
            }
        }
        if starts_upper(w)
            && STREET_ENDINGS.iter().any(|e| w.len() > e.len() + 3 && w.ends_with(e))
            && mention_at(ws_i).is_none()
        {
            out.push(Compound::new(ws_i, we_i, NameKind::Place(PlaceType::Venue), "place-street"));
            i += 1;
            continue;
        }
        // A place, or a capitalised run after "the", and what its name goes on with.
        let lead_end = match mention_at(ws_i) {
            Some(m) if is_place(m) => Some((m.end, true)),
            Some(m) if !state.cands[m.cand].known && kind(m) != Kind::Event => Some((m.end, false)),
            Some(_) => None,
            None if starts_upper(w)
                && i > 0
                && ws[i - 1].2 == "the"
                && !mentions.iter().any(|m| m.start < we_i && ws_i < m.end) =>
            {
                let mut k = i;
                while k + 1 < ws.len() && starts_upper(ws[k + 1].2) && spaced(ws[k].1, ws[k + 1].0) {
                    k += 1;
                }
                Some((ws[k].1, false))
            }
            None => None,
        };
        let Some((lead_end, lead_is_place)) = lead_end else {
            i += 1;
            continue;
        };
        let next = ws.partition_point(|x| x.0 < lead_end);
        if let Some(c) = continuation(&at, ws_i, lead_end, next, lead_is_place) {
            i = ws.partition_point(|x| x.0 < c.end);
            out.push(c);
            continue;
        }
        i = next.max(i + 1);
    }
    out
}

/// What the name starting at `start` (its first part ending at `lead_end`, the next word
/// being `ws[next]`) goes on with, if anything: capitalised words up to a cue word after a
/// place ("Kenya Defence Forces"), "of <place>" after a head ("Museum of Belgium"), or a
/// lower-case venue noun ("Surabaya police headquarters").
fn continuation(
    at: &Words,
    start: usize,
    lead_end: usize,
    next: usize,
    lead_is_place: bool,
) -> Option<Compound> {
    let (text, ws, mentions, state) = (at.text, at.ws, at.mentions, at.cands);
    let &(s, _, _) = ws.get(next)?;
    if &text[lead_end..s] != " " {
        return None;
    }
    // "Jewish Museum of Belgium": a head the name ends with, then "of" and a place.
    let last = text[start..lead_end].rsplit(' ').next().unwrap_or("");
    if OF_PLACE_HEADS.contains(&last)
        && ws[next].2 == "of"
        && let Some(&(ps, _, _)) = ws.get(next + 1)
        && let Some(m) = mentions.iter().find(|m| m.start == ps && state.cands[m.cand].kind == Kind::Place)
    {
        let kind = names::cue(last)?;
        return Some(Compound::new(start, m.end, kind, "name-of-place"));
    }
    // "Surabaya police headquarters", "Westgate shopping mall".
    let lower = |k: usize| ws.get(k).filter(|w| w.2.starts_with(char::is_lowercase));
    let head = |k: usize| lower(k).and_then(|w| VENUE_HEADS.iter().find(|h| h.0 == w.2).map(|h| (w.1, h.1)));
    let venue = head(next).or_else(|| {
        lower(next).filter(|w| VENUE_MODIFIERS.contains(&w.2))?;
        if &text[ws[next].1..ws.get(next + 1)?.0] != " " {
            return None;
        }
        head(next + 1)
    });
    if let Some((end, sub)) = venue {
        return Some(Compound::new(start, end, NameKind::Place(sub), "venue-head"));
    }
    // "Stockholm District Court", "Georgia Institute of Technology": capitalised words after
    // a place, the last of them a cue word.
    if !lead_is_place {
        return None;
    }
    let mut k = next;
    let mut end = None;
    let mut after_of = false;
    while let Some(&(ws_k, we_k, w)) = ws.get(k) {
        if k > next && &text[ws[k - 1].1..ws_k] != " " {
            break;
        }
        if w == "of" && k > next && ws.get(k + 1).is_some_and(|x| starts_upper(x.2)) {
            after_of = true;
            k += 1;
            continue;
        }
        if !starts_upper(w)
            || mentions.iter().any(|m| m.start <= ws_k && ws_k < m.end && state.cands[m.cand].known)
        {
            break;
        }
        // "Georgia Institute of Technology": the words after "of" belong to the cue's name.
        // "Yobe State": a place's state is a region, not a group.
        if k == next
            && w == "State"
            && ws.get(k + 1).is_none_or(|n| !starts_upper(n.2) || &text[we_k..n.0] != " ")
        {
            return Some(Compound::new(start, we_k, NameKind::Place(PlaceType::Region), "place-led-name"));
        }
        if let Some(kind) = names::cue(w) {
            end = Some((we_k, kind));
        } else if after_of && let Some((_, kind)) = end {
            end = Some((we_k, kind));
        }
        k += 1;
    }
    let (end, kind) = end?;
    Some(Compound::new(start, end, kind, "place-led-name"))
}

/// "St. Anthony's Shrine": "St." or "Saint", capitalised words, and a venue's cue word last.
fn saints_venue(text: &str, ws: &[(usize, usize, &str)], i: usize) -> Option<Compound> {
    let (start, we, w) = ws[i];
    let after = if w == "St" { ". " } else { " " };
    if !text[we..].starts_with(after) {
        return None;
    }
    let mut k = i + 1;
    while let Some(&(s, e, x)) = ws.get(k) {
        if !starts_upper(x) || !matches!(&text[ws[k - 1].1..s], " " | ". ") || k > i + 4 {
            return None;
        }
        if k > i + 1 && matches!(names::cue(x), Some(NameKind::Place(_))) {
            return Some(Compound::new(start, e, NameKind::Place(PlaceType::Venue), "place-saint"));
        }
        k += 1;
    }
    None
}

/// The places listed after "<place> suburbs of" or "the provinces of", starting at word `i`
/// (the place, or "the"): capitalised names joined by commas and "and".
fn listed_parts(at: &Words, i: usize) -> Vec<Compound> {
    let (text, ws, mentions, state) = (at.text, at.ws, at.mentions, at.cands);
    let (start, _, w) = ws[i];
    let lead = mentions
        .iter()
        .filter(|m| m.start == start && state.cands[m.cand].kind == Kind::Place)
        .max_by_key(|m| m.end);
    if lead.is_none() && w != "the" {
        return Vec::new();
    }
    let after = lead.map_or(ws[i].1, |m| m.end);
    let Some(k) = ws.iter().position(|x| x.0 > after) else { return Vec::new() };
    let Some(&(_, sub)) = PARTS_OF.iter().find(|p| ws[k].2 == p.0) else { return Vec::new() };
    if &text[after..ws[k].0] != " " || ws.get(k + 1).is_none_or(|x| x.2 != "of") {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut j = k + 2;
    while let Some(&(s, _, x)) = ws.get(j) {
        if !starts_upper(x) {
            break;
        }
        let mut e = j;
        while ws.get(e + 1).is_some_and(|n| starts_upper(n.2) && &text[ws[e].1..n.0] == " ") {
            e += 1;
        }
        out.push(Compound::place_inside(s, ws[e].1, sub, "place-listed", lead.map(|m| (m.start, m.end))));
        let gap = ws.get(e + 1).map_or("", |n| &text[ws[e].1..n.0]);
        let and = ws.get(e + 1).is_some_and(|n| n.2 == "and");
        j = match (gap, and) {
            (", ", false) => e + 1,
            (", ", true) | (" ", true) => e + 2,
            _ => break,
        };
    }
    // One name is no list: "the states of emergency" is none either way.
    if out.len() < 2 {
        return Vec::new();
    }
    let span = (out[0].start, out[out.len() - 1].end);
    for c in &mut out {
        c.list = Some(span);
    }
    out
}

/// A name (a new person or a free capitalised run, never one the graph knows) followed by an
/// apposition whose head says what it is: "Al-Mourabitoun, the group led by", "Neo JMB, a
/// revived splinter of", "Charlie Hebdo, the satirical weekly".
fn apposed_group(at: &Words, i: usize) -> Option<Compound> {
    let (text, ws, mentions, state) = (at.text, at.ws, at.mentions, at.cands);
    let (start, _, w) = ws[i];
    if !starts_upper(w) || i == 0 && mentions.iter().all(|m| m.start != start) {
        return None;
    }
    // The name: a new person's mention here, or capitalised words with no mention.
    let end = match mentions.iter().find(|m| m.start == start) {
        Some(m) if state.cands[m.cand].kind == Kind::Person && !state.cands[m.cand].known => m.end,
        Some(_) => return None,
        None => {
            let mut k = i;
            while k + 1 < ws.len() && starts_upper(ws[k + 1].2) && &text[ws[k].1..ws[k + 1].0] == " " {
                k += 1;
            }
            if mentions.iter().any(|m| m.start < ws[k].1 && start < m.end) {
                return None;
            }
            ws[k].1
        }
    };
    let rest = text[end..].strip_prefix(", ")?;
    let rest = ["the ", "a ", "an "].iter().find_map(|a| rest.strip_prefix(a))?;
    // Up to two describing words before the head: "a revived splinter", "the satirical weekly".
    let words: Vec<&str> = rest.split([' ', ',', '.', ';']).take(3).collect();
    let (_, kind) = words.iter().find_map(|w| GROUP_APPOSITIONS.iter().find(|g| g.0 == *w))?;
    Some(Compound::new(start, end, NameKind::Group(*kind), "group-apposed"))
}

/// An unknown name (one to three capitalised words, no mention) that the words around it
/// make a place: a place noun after it ("the Norrebro district", "the Paikpara area of
/// Narayanganj", placed in the place after "of"), a place noun and "of" before it ("the
/// western Libyan town of Sabratha"), or where a person comes from ("who came from Gaafour",
/// "Adrian Evans, of Bilston").
fn place_in_context(at: &Words, i: usize) -> Option<Compound> {
    let (text, ws, mentions, state) = (at.text, at.ws, at.mentions, at.cands);
    let (start, _, w) = ws[i];
    let name_word =
        |x: &str| starts_upper(x) && x.chars().skip(1).all(|c| c.is_lowercase() || c == '-') && x.len() >= 3;
    if !unknown_at(ws, i, mentions, name_word) || MONTHS.contains(&w.to_lowercase().as_str()) {
        return None;
    }
    // The run: up to three capitalised words joined by single spaces.
    let mut k = i;
    while k + 1 < ws.len() && k < i + 2 && name_word(ws[k + 1].2) && &text[ws[k].1..ws[k + 1].0] == " " {
        k += 1;
    }
    let end = ws[k].1;
    if !free(mentions, start, end) {
        return None;
    }
    let prev = |n: usize| i.checked_sub(n).map(|j| ws[j].2);
    let gap_before = &text[ws[i - 1].1..start];
    // A noun after it: "the Norrebro district", "the Paikpara area of Narayanganj".
    if let Some(next) = ws.get(k + 1)
        && &text[end..next.0] == " "
        && prev(1) == Some("the")
        && let Some((_, sub)) = PLACE_AFTER.iter().find(|p| p.0 == next.2)
    {
        let inside = ws.get(k + 2).filter(|o| o.2 == "of").and_then(|o| {
            let at = ws.get(k + 3)?.0;
            let _ = o;
            mentions.iter().find(|m| m.start == at && state.cands[m.cand].kind == Kind::Place)
        });
        return Some(Compound::place_inside(
            start,
            end,
            *sub,
            "place-context",
            inside.map(|m| (m.start, m.end)),
        ));
    }
    // A noun and "of" before it: "the town of Sabratha", "the province of Jawf".
    if gap_before == " "
        && prev(1) == Some("of")
        && let Some((_, sub)) = prev(2).and_then(|n| PLACE_OF.iter().find(|p| p.0 == n))
    {
        return Some(Compound::new(start, end, NameKind::Place(*sub), "place-context"));
    }
    // Where a person comes from: "who came from Gaafour", "is originally from Ulm".
    let from = prev(1) == Some("from")
        && prev(2).is_some_and(|v| {
            matches!(v, "came" | "comes" | "come" | "is" | "was" | "originally" | "hails" | "hailed")
        });
    // "Adrian Evans, of Bilston", "Khairi Saadallah, 26, of Reading".
    let of_after_person = prev(1) == Some("of")
        && text[..ws[i - 1].0].ends_with(", ")
        && mentions.iter().any(|m| {
            state.cands[m.cand].kind == Kind::Person
                && m.end <= ws[i - 1].0
                && ws[i - 1].0 - m.end <= 8
                && (text[m.end..ws[i - 1].0] == *", "
                    || text[m.end..ws[i - 1].0]
                        .strip_prefix(", ")
                        .and_then(|t| t.strip_suffix(", "))
                        .is_some_and(|age| age.len() <= 3 && age.bytes().all(|b| b.is_ascii_digit())))
        });
    if (from || of_after_person) && gap_before == " " {
        return Some(Compound::new(start, end, NameKind::Place(PlaceType::City), "place-context"));
    }
    None
}

/// An unknown capitalised word (no mention, not at the sentence's start) that the words after
/// it place: "Komamboga, a northern suburb of Kampala" (a part of the place), "in Dapchi, in
/// Yobe State", "at Katuwapitiya, near Negombo", "in Bwaise, Kampala" (a town there).
fn placed_word(at: &Words, i: usize) -> Option<Compound> {
    let (text, ws, mentions, state) = (at.text, at.ws, at.mentions, at.cands);
    let (start, end, w) = ws[i];
    let name_word = |x: &str| starts_upper(x) && x.chars().skip(1).all(char::is_lowercase) && x.len() >= 4;
    if !unknown_at(ws, i, mentions, name_word) {
        return None;
    }
    let place_at = |s: usize| {
        mentions.iter().find(|m| {
            m.start == s && state.cands[m.cand].kind == Kind::Place && !free(mentions, m.start, m.end)
        })
    };
    let rest = &text[end..];
    // ", a northern suburb of <Place>".
    if let Some(tail) =
        rest.strip_prefix(", a ").or(rest.strip_prefix(", an ")).or(rest.strip_prefix(", the "))
    {
        let words: Vec<&str> = tail.split(' ').take(4).collect();
        let of = words.iter().position(|x| *x == "of").filter(|&p| (1..=2).contains(&p))?;
        let (_, sub) = PART_NOUNS.iter().find(|n| n.0 == words[of - 1])?;
        let offset: usize = words[..=of].iter().map(|x| x.len() + 1).sum();
        let at = end + rest.len() - tail.len() + offset;
        let outer = place_at(at)?;
        return Some(Compound::place_inside(
            start,
            end,
            *sub,
            "place-part-of",
            Some((outer.start, outer.end)),
        ));
    }
    // "in Dapchi, in Yobe State", "in Bwaise, Kampala", "at Kochchikade in Colombo": after
    // "in|at", before a place; never a month or a day ("in March in Paris").
    let lower = w.to_lowercase();
    if !matches!(ws[i - 1].2, "in" | "at")
        || !matches!(&text[ws[i - 1].1..start], " ")
        || MONTHS.contains(&lower.as_str())
        || lower.ends_with("day")
    {
        return None;
    }
    let (gap, contains) = [(", in ", true), (", near ", false), (", ", true), (" in ", true)]
        .into_iter()
        .find(|(g, _)| rest.starts_with(g))?;
    let outer = place_at(end + gap.len())?;
    let outer_sub = state.cands[outer.cand].subkind;
    if !matches!(outer_sub, Some("Country" | "Region" | "City" | "District")) {
        return None;
    }
    Some(Compound::place_inside(
        start,
        end,
        PlaceType::City,
        "place-placed",
        contains.then_some((outer.start, outer.end)),
    ))
}

/// Whether word `i` can be an unknown name: not the sentence's first word, of the shape
/// `name_word` asks (each rule has its own), and no mention on it.
fn unknown_at(
    ws: &[(usize, usize, &str)],
    i: usize,
    mentions: &[Found],
    name_word: impl Fn(&str) -> bool,
) -> bool {
    i > 0 && name_word(ws[i].2) && free(mentions, ws[i].0, ws[i].1)
}

/// Whether no mention overlaps `start..end`.
fn free(mentions: &[Found], start: usize, end: usize) -> bool {
    !mentions.iter().any(|m| m.start < end && start < m.end)
}

fn starts_upper(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

#[cfg(test)]
mod tests {
    use crate::extract::tests::run;

    fn entity(text: &str, name: &str) -> Option<(String, Option<&'static str>)> {
        let x = run(text);
        x.entities.iter().find(|e| e.name == name).map(|e| (e.kind.to_string(), e.subkind))
    }

    #[test]
    fn names_led_by_a_place_are_one_name() {
        let text = "On Thursday the Stockholm District Court sentenced him. Maj. Dan Roe spoke \
                    for the Kenya Defence Forces. He studied at the Georgia Institute of Technology.";
        assert_eq!(entity(text, "Stockholm District Court").map(|e| e.0), Some("Group".into()));
        assert_eq!(entity(text, "Kenya Defence Forces").map(|e| e.0), Some("Group".into()));
        assert!(entity(text, "Georgia Institute of Technology").is_some());
        // The place alone is not mentioned.
        assert!(entity(text, "Stockholm").is_none());
        assert!(entity(text, "Kenya").is_none());
    }

    #[test]
    fn venues_streets_and_compass_places() {
        let text = "Gunmen entered the Westgate shopping mall. Officers guarded the Surabaya police \
                    headquarters. The blast hit a church on Jalan Ngagel. A truck drove down \
                    Drottninggatan. Fans gathered on Place Sainctelette, near the Boulevard d'Ypres. \
                    Police in East Jerusalem said so. The shooting at the Jewish Museum of Belgium was in 2014.";
        for name in [
            "Westgate shopping mall",
            "Surabaya police headquarters",
            "Jalan Ngagel",
            "Drottninggatan",
            "Place Sainctelette",
            "Boulevard d'Ypres",
            "East Jerusalem",
            "Jewish Museum of Belgium",
        ] {
            assert_eq!(entity(text, name).map(|e| e.0), Some("Place".into()), "{name}");
        }
        assert!(entity(text, "Jalan Ngagel").is_some_and(|e| e.1 == Some("Venue")));
    }

    #[test]
    fn unknown_words_that_the_text_places_are_places() {
        let text = "A bomb exploded at a restaurant in Komamboga, a northern suburb of Kampala. \
                    Gunmen seized girls in Dapchi, in Yobe State. At St. Sebastian's Church in \
                    Katuwapitiya, near Negombo, many died. He camped near Lake Chad.";
        for name in ["Komamboga", "Dapchi", "Yobe", "St. Sebastian's Church", "Katuwapitiya", "Lake Chad"] {
            assert_eq!(entity(text, name).map(|e| e.0), Some("Place".into()), "{name}");
        }
        let x = run(text);
        let located = |from: &str, to: &str| {
            x.links.iter().any(|l| l.from == from && l.rel == crate::model::Relation::LocatedIn && l.to == to)
        };
        assert!(located("komamboga", "kampala"), "{:?}", x.links);
        // The gazetteer knows "Yobe State" as Yobe.
        assert!(located("dapchi", "yobe"), "{:?}", x.links);
        // "near" places it beside, not inside.
        assert!(!located("katuwapitiya", "negombo"), "{:?}", x.links);
    }

    #[test]
    fn places_listed_after_a_part_noun() {
        let text = "Officers raided homes in the western Kabul suburbs of Lakemba, Wiley Park and \
                    Punchbowl. Troops are in the provinces of Ituri and North Kivu.";
        let x = run(text);
        for name in ["Lakemba", "Wiley Park", "Punchbowl", "Ituri", "North Kivu"] {
            assert_eq!(entity(text, name).map(|e| e.0), Some("Place".into()), "{name}: {:?}", x.entities);
        }
        for part in ["lakemba", "wiley-park", "punchbowl"] {
            assert!(
                x.links
                    .iter()
                    .any(|l| l.from == part && l.rel == crate::model::Relation::LocatedIn && l.to == "kabul"),
                "{part}: {:?}",
                x.links
            );
        }
        // A street the words of a person's name took first keeps its own id.
        let x = run("Police closed Jalan Ngagel. The blast hit Jalan Ngagel.");
        assert!(x.entities.iter().any(|e| e.id == "jalan-ngagel"), "{:?}", x.entities);
    }

    #[test]
    fn names_the_words_around_make_places_are_places_everywhere() {
        let text = "He was shot in the Norrebro district. Police then closed Norrebro station. They \
                    trained in the western Libyan town of Sabratha. A student who came from Gaafour \
                    was held. Adrian Evans, of Bilston, died at the Krudttonden cultural centre.";
        for name in ["Norrebro", "Sabratha", "Gaafour", "Bilston", "Krudttonden cultural centre"] {
            assert_eq!(entity(text, name).map(|e| e.0), Some("Place".into()), "{name}");
        }
        let x = run(text);
        let norrebro = x.entities.iter().find(|e| e.name == "Norrebro").expect("Norrebro");
        assert_eq!(norrebro.mentions.len(), 2, "found again in the second sentence: {:?}", norrebro.mentions);
        // An ordinary word after "the" is no district: "the voting area" names nothing.
        let x = run("In March the Voting area closed. The Omega Brigade met in April.");
        assert!(x.entities.iter().all(|e| e.name != "March" && e.name != "April"), "{:?}", x.entities);
    }

    #[test]
    fn an_apposition_says_a_name_is_a_group() {
        let text = "Its statement named Al-Mourabitoun, the group led by Dan Roe. Gunmen attacked \
                    Charlie Hebdo, the satirical weekly. Zed Quorn, the group's leader, spoke.";
        assert_eq!(entity(text, "Al-Mourabitoun").map(|e| e.0), Some("Group".into()));
        assert_eq!(entity(text, "Charlie Hebdo"), Some(("Group".into(), Some("Media"))));
        assert_eq!(
            entity(text, "Zed Quorn").map(|e| e.0),
            Some("Person".into()),
            "the group's leader is a person"
        );
    }

    #[test]
    fn ordinary_words_are_not_streets() {
        let text = "Place the bag here. The Islamic State camp was bombed.";
        assert!(entity(text, "Place the").is_none());
        let x = run(text);
        assert!(x.entities.iter().all(|e| !e.name.starts_with("Place")), "{:?}", x.entities);
    }
}

//! Link reading: the links a sentence states between its mentions, read from the words
//! between two consecutive mentions ([`relations`](super::relations): cue words, passive agents
//! and short frames), from a title before a name ("IS leader X"), and from nationality words
//! and lists ([`nationality`](super::nationality)) and a place's attacker
//! (`events::attackers`). A mention inside an apposition or relative clause leaves its
//! predicate to the name the clause describes; coordinated subjects and objects share a link;
//! the [`hedges`](super::hedges) around the words set each link's certainty. In: the prepared
//! text, the article's mentions as recorded (`output::Recorded`), the links the stages before
//! proposed, where groups' members were arrested (`events::Events`), and the links of the
//! articles before; out: [`ArticleLinks`], the article's links, kept once each, with its file
//! and source.

use super::output::Recorded;
use super::state::{ArrestedIn, Candidates, DocLink, Found, PendingLink, Proposer, SentenceView, here_in};
use super::text::{MONTHS, Prepared, fold};
use super::{Document, Extractor, coref, hedges, relations};
use crate::model::{Kind, PlaceType, Relation};

/// Last words of the names of groups that sit in one place: schools, courts, offices.
const INSTITUTIONS: &[&str] = &[
    "School",
    "University",
    "College",
    "Institute",
    "Academy",
    "Court",
    "Courts",
    "Centre",
    "Center",
    "Museum",
    "Hospital",
    "Council",
    "Office",
];

/// The stage's output: the links of one article, each once (and none that an earlier
/// article read), with the article's file and source.
pub(super) struct ArticleLinks {
    pub(super) links: Vec<DocLink>,
}

/// What the stages before hand link reading besides the mentions: the links they proposed,
/// in the order they proposed them, and where groups' members were arrested (`events::Events`).
pub(super) struct Proposed<'e> {
    pub(super) links: Vec<PendingLink>,
    pub(super) arrested_in: &'e [ArrestedIn],
}

/// The links read so far: those of the articles before, and this article's.
pub(super) struct Read<'l> {
    pub(super) earlier: &'l [DocLink],
    pub(super) article: Vec<DocLink>,
}

impl Read<'_> {
    /// Every link read so far, the earlier articles' first.
    pub(super) fn all(&self) -> impl Iterator<Item = &DocLink> {
        self.earlier.iter().chain(&self.article)
    }
}

impl Extractor {
    /// The stage: every sentence's links, from the rules that read them. The links the stages
    /// before proposed are read with the first sentence's.
    pub(super) fn read_links(
        &self,
        doc: &Document,
        article: &Prepared,
        recorded: &Recorded,
        proposed: Proposed,
        earlier: &[DocLink],
        cands: &mut Candidates,
    ) -> ArticleLinks {
        let text = &article.text;
        let sentences = &article.sentences;
        let mentions = &recorded.mentions;
        let (mut pending, arrested_in) = (proposed.links, proposed.arrested_in);
        let state = &mut Proposer { registry: cands, pending: &mut pending };
        let mut read = Read { earlier, article: Vec::new() };
        let jails = text.contains(" jail") || text.contains(" prison");
        for range in sentences {
            let at = SentenceView { text, range: range.clone(), mentions };
            self.nationalities(&at, state);
            if jails {
                self.jailed(&at, state);
            }
            self.listed_people(&at, state);
            self.attackers(doc, &at, state, &read);
            links_in_sentence(doc, text, range.clone(), mentions, state, arrested_in, &mut read);
        }
        ArticleLinks { links: read.article }
    }
}

/// Reads the links of one sentence from consecutive mentions, and the words between them.
fn links_in_sentence(
    doc: &Document,
    text: &str,
    range: std::ops::Range<usize>,
    mentions: &[Found],
    state: &mut Proposer,
    arrested_in: &[ArrestedIn],
    read: &mut Read,
) {
    // ASCII lower case keeps every byte where it is ("İ" is longer in full lower case).
    let lower = text[range.clone()].to_ascii_lowercase();
    let mut here: Vec<(usize, usize, usize)> =
        here_in(mentions, &range).map(|m| (m.start, m.end, m.cand)).collect();
    coref::anaphors(text, &lower, range.clone(), mentions, state, &mut here);
    here.sort_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
    let mut i = 0;
    while i < here.len() {
        let (a_start, a_end, a) = here[i];
        i += 1;
        // The next mention that does not overlap this one, and the one after it (when the
        // words between them state nothing): "IS-K's media reach Europe" has no cue between
        // IS-K and its media, but one between IS-K and Europe.
        let Some(next) = (i..here.len()).find(|&j| here[j].0 >= a_end) else { continue };
        let after = (next + 1..here.len()).find(|&j| here[j].0 >= here[next].1);
        // A mention inside an apposition or relative clause: past the clause's closing comma,
        // the predicate is its subject's ("X, a member of Y, travelled to Z": X travelled).
        let subject = coref::clause_subject(text, &here, i - 1, range.end, state);
        let pair = |j: usize| match subject {
            Some((k, resumes)) if here[j].0 >= resumes => {
                let (s_start, _, s) = here[k];
                relation(state, text, (s_start, resumes, s), here[j]).map(|r| (j, r, Some(k)))
            }
            _ => relation(state, text, here[i - 1], here[j]).map(|r| (j, r, None)),
        };
        let Some((j, (rel, reverse, rule), carried)) =
            [Some(next), after].into_iter().flatten().find_map(pair)
        else {
            continue;
        };
        let (b_start, b_end, b) = here[j];
        let kb = state.cands[b].kind;
        let (a_start, a, scope) = match carried {
            // The clause's own words (a hedge in "a suspected member of Y") are not the
            // predicate's.
            Some(k) => {
                let (s_start, s_end, s) = here[k];
                let resumes = subject.map_or(s_end, |(_, r)| r);
                let before = range.start.max(s_start.saturating_sub(40));
                let before = (before..=s_start).find(|&k| text.is_char_boundary(k)).unwrap_or(s_start);
                (s_start, s, format!(" {} {} ", &text[before..s_end], &text[resumes..b_start]))
            }
            None => {
                let before = range.start.max(a_start.saturating_sub(40));
                let before = (before..=a_start).find(|&k| text.is_char_boundary(k)).unwrap_or(a_start);
                (a_start, a, format!(" {} ", &text[before..b_start]))
            }
        };
        let certainty = hedges::certainty(&scope);
        let (from, to) = if reverse { (b, a) } else { (a, b) };
        state.add_link(PendingLink { from, rel, to, certainty, span: (a_start, b_end), rule });
        // Coordinated subjects: "Amer Azizi and Abdelatif Mourafik plotted" gives the same link
        // to each.
        let ka = state.cands[a].kind;
        let mut first_start = a_start;
        for &(c_start, c_end, c) in here[..i - 1].iter().rev() {
            if c_end > first_start {
                continue;
            }
            let joiner = text[c_end..first_start].to_lowercase();
            let coordinated = matches!(joiner.as_str(), ", " | " and " | ", and " | " or " | ", or " | " & ");
            if !coordinated || state.cands[c].kind != ka || !matches!(ka, Kind::Person | Kind::Group) {
                break;
            }
            let (from, to) = if reverse { (b, c) } else { (c, b) };
            state.add_link(PendingLink { from, rel, to, certainty, span: (c_start, b_end), rule });
            first_start = c_start;
        }
        // Coordination: "in Italy, Spain, and Germany" gives the same link to each.
        let mut prev_end = b_end;
        for &(c_start, c_end, c) in &here[j + 1..] {
            if c_start < prev_end {
                continue;
            }
            let joiner = text[prev_end..c_start].to_lowercase();
            // A bare comma joins items of one sort ("Kabul, Afghanistan" is a place in another);
            // "and" may join a country and a region ("in the UK and across Europe").
            let same_sort = state.cands[c].subkind == state.cands[b].subkind
                || (joiner.contains("and") && rel != Relation::LocatedIn);
            if !coordinating(&joiner) || state.cands[c].kind != kb || !same_sort {
                break;
            }
            let (from, to) = if reverse { (c, a) } else { (a, c) };
            state.add_link(PendingLink { from, rel, to, certainty, span: (a_start, c_end), rule });
            prev_end = c_end;
        }
    }
    // Links of this document get its file and source now.
    for p in std::mem::take(&mut *state.pending) {
        if p.from == p.to {
            continue;
        }
        let (fk, tk) = (state.cands[p.from].kind, state.cands[p.to].kind);
        if !p.rel.domain().contains(&fk) || !p.rel.range().contains(&tk) {
            continue;
        }
        // "arrested members of the group in Kabul": the arrest was there, not the group.
        let arrest =
            |(g, l, r): &ArrestedIn| (*g, *l) == (p.from, p.to) && r.contains(&p.span.0) && p.span.1 <= r.end;
        if p.rule == "rel-operates-in" && arrested_in.iter().any(arrest) {
            continue;
        }
        let duplicate = read.all().any(|d| {
            let l = &d.link;
            l.rel == p.rel
                && ((l.from == p.from && l.to == p.to)
                    || (p.rel.is_symmetric() && l.from == p.to && l.to == p.from))
        });
        if duplicate {
            continue;
        }
        // A span is kept in text order whichever mention a rule wrote first.
        let mut p = p;
        p.span = (p.span.0.min(p.span.1), p.span.0.max(p.span.1));
        let text = doc.text[p.span.0..p.span.1].to_owned();
        read.article.push(DocLink { link: p, source: doc.source.clone(), file: doc.file.clone(), text });
    }
}

/// A title between a group or event and the person who holds it: "Wall Street Journal
/// reporter Daniel Pearl", "IS leader Abu Bakr al-Baghdadi", "the London Bridge attacker
/// Khurram Butt". The relation runs from the person.
fn title(ka: Kind, kb: Kind, gap: &str) -> Option<Relation> {
    const LEAD: &[&str] =
        &["leader", "chief", "emir", "head", "commander", "director", "chairman", "commissioner"];
    const MEMBER: &[&str] = &[
        "reporter",
        "correspondent",
        "journalist",
        "editor",
        "spokesman",
        "spokesperson",
        "member",
        "operative",
        "fighter",
        "militant",
        "recruiter",
        "ideologue",
        "preacher",
        "agent",
        "officer",
        "analyst",
        "investigator",
        "official",
        "spokeswoman",
        "soldier",
        "superintendent",
        "inspector",
        "prosecutor",
        "magistrate",
        "judge",
    ];
    const DID: &[&str] = &["bomber", "attacker", "gunman", "shooter", "assailant", "killer", "hijacker"];
    let words: Vec<&str> = gap.split_whitespace().collect();
    // The title is the last word, with at most one word before it ("suicide bomber").
    let (&last, before) = words.split_last()?;
    if before.len() > 1 || gap.contains([',', '(', ')', ';', ':', '.']) {
        return None;
    }
    match (ka, kb) {
        // "FBI Director X" leads it; a deputy or an assistant director does not.
        (Kind::Group, Kind::Person) if LEAD.contains(&last) => {
            Some(if before.iter().any(|w| relations::DEPUTIES.contains(w)) {
                Relation::MemberOf
            } else {
                Relation::LeaderOf
            })
        }
        (Kind::Group, Kind::Person) if last == "founder" => Some(Relation::Founded),
        (Kind::Group, Kind::Person) if MEMBER.contains(&last) => Some(Relation::MemberOf),
        (Kind::Event, Kind::Person) if DID.contains(&last) => Some(Relation::Perpetrated),
        _ => None,
    }
}

/// Words that join two items of a list: ", ", " and the ", and a date after the first item
/// ("shootings in Shiraz in October 2022 and an attack in Ahvaz").
pub(super) fn coordinating(joiner: &str) -> bool {
    let spaced = joiner.replace(',', " , ");
    let words: Vec<&str> = spaced.split_whitespace().collect();
    let joins = words.iter().any(|w| matches!(*w, "and" | "or" | "&"));
    let list = words.iter().all(|w| {
        matches!(*w, "," | "and" | "or" | "&")
            || (joins && matches!(*w, "the" | "a" | "an"))
            || (joins
                && (matches!(*w, "in" | "on" | "across" | "throughout")
                    || MONTHS.contains(w)
                    || w.chars().all(|c| c.is_ascii_digit())))
    });
    list && (joins || words == [","]) && words.len() <= 7
}

/// The link the words between mentions `a` and `b` state, if any: (relation, from `b` to `a`,
/// rule).
fn relation(
    state: &Candidates,
    text: &str,
    (a_start, a_end, a): (usize, usize, usize),
    (b_start, _, b): (usize, usize, usize),
) -> Option<(Relation, bool, &'static str)> {
    if a == b || b_start - a_end > 120 {
        return None;
    }
    // Folded: lower case, ’ written ', a no-break space a space.
    let gap = fold(&text[a_end..b_start]);
    let (ka, kb) = (state.cands[a].kind, state.cands[b].kind);
    // "its English-language Voice of Khurasan magazine", "its magazine, 'Khurasan Ghag'".
    let its = text[a_start..a_end].eq_ignore_ascii_case("its")
        && gap.split_whitespace().count() <= 4
        && !gap.contains(|c: char| ".;:()".contains(c));
    let possessive = gap.ends_with("'s ") || gap.trim() == "its" || its;
    if ka == Kind::Group && kb == Kind::Group && state.cands[b].subkind == Some("Media") && possessive {
        // "IS-K's Al-Azaim Media Foundation": the outlet is part of the group.
        Some((Relation::PartOf, true, "rel-media-of"))
    } else if ka == Kind::Group
        && kb == Kind::Group
        && matches!(state.cands[b].subkind, Some("Agency" | "Cell"))
        && (gap == "'s " || its)
    {
        // "the Met's Counter Terrorism Command": a unit of the group.
        Some((Relation::PartOf, true, "rel-unit-of"))
    } else if let Some(rel) = title(ka, kb, &gap) {
        Some((rel, true, "rel-title"))
    } else if let Some(found) = relations::frame(
        (ka, state.cands[a].subkind),
        (kb, state.cands[b].subkind),
        // Only "the leader of G, X" reads back from the first mention.
        &if (ka, kb) == (Kind::Group, Kind::Person) && matches!(gap.as_str(), ", " | ": ") {
            fold(&text[back_to_boundary(text, a_start, 80)..a_start])
        } else {
            String::new()
        },
        &gap,
    ) {
        Some(found)
    } else if ka == Kind::Place && kb == Kind::Place {
        let sub = |c: usize| place_type(state.cands[c].subkind);
        relations::located_in(sub(a), &text[a_end..b_start], sub(b))
            .map(|rev| (Relation::LocatedIn, rev, "rel-located-in"))
    } else if let Some(p) = relations::find(ka, kb, &gap) {
        Some((p.rel, p.reverse, p.rule))
    } else if ka == Kind::Group && kb == Kind::Place && relations::group_in(&gap) {
        // "the Omega Brigade in Kabul" operates there; "the Holt School in Wokingham" and an
        // agency's office in a city are based there; an office or an outlet "in the UK" says
        // where it serves, not that a militant group operates there.
        let institution = INSTITUTIONS.iter().any(|w| state.cands[a].name.ends_with(w));
        let agency = matches!(state.cands[a].subkind, Some("Agency" | "Media"));
        let local = matches!(state.cands[b].subkind, Some("City" | "District" | "Venue"));
        if (institution || agency) && local {
            Some((Relation::BasedIn, false, "rel-based-in"))
        } else if !agency && !institution {
            Some((Relation::OperatesIn, false, "rel-operates-in"))
        } else {
            None
        }
    } else {
        None
    }
}

/// Where the text up to `at` starts when read back at most `reach` bytes, not past a full
/// stop or a line break, on a character boundary.
fn back_to_boundary(text: &str, at: usize, reach: usize) -> usize {
    let from = at.saturating_sub(reach);
    let from = (from..=at).find(|&k| text.is_char_boundary(k)).unwrap_or(at);
    text[from..at].rfind(['.', '\n']).map_or(from, |i| from + i + 1)
}

pub(super) fn place_type(sub: Option<&str>) -> PlaceType {
    PlaceType::ALL.iter().copied().find(|p| Some(p.name()) == sub).unwrap_or(PlaceType::City)
}

#[cfg(test)]
mod tests {
    use crate::extract::tests::{has, links, run};
    use crate::model::{Certainty, Relation};

    #[test]
    fn institutions_and_agencies_are_based_where_the_text_puts_them() {
        let ex =
            run("He taught at the Kabul Grammar School in Herat. Pakistan's Inter-Services Intelligence \
                      helped. The Omega Brigade in Herat grew.");
        assert!(has(&ex, "kabul-grammar-school", Relation::BasedIn, "herat").is_some(), "{:?}", links(&ex));
        assert!(
            has(&ex, "inter-services-intelligence", Relation::BasedIn, "pakistan").is_some(),
            "{:?}",
            links(&ex)
        );
        assert!(has(&ex, "omega-brigade", Relation::OperatesIn, "herat").is_some(), "{:?}", links(&ex));
    }

    #[test]
    fn travel_told_as_coming_or_having_been() {
        let ex = run("Zed Quorn came to Kabul as a refugee. Yan Roe had never been to Herat, police said.");
        assert_eq!(has(&ex, "zed-quorn", Relation::TraveledTo, "kabul"), Some(Certainty::Reported));
        assert_eq!(has(&ex, "yan-roe", Relation::TraveledTo, "herat"), Some(Certainty::Refuted));
    }

    #[test]
    fn coordinated_subjects_share_the_link() {
        let ex = run("Zoe Quill and Ann Example joined the Omega Brigade.");
        for who in ["zoe-quill", "ann"] {
            assert_eq!(
                has(&ex, who, Relation::MemberOf, "omega-brigade"),
                Some(Certainty::Reported),
                "{:?} {:?}",
                links(&ex),
                ex.entities.iter().map(|e| &e.id).collect::<Vec<_>>()
            );
        }
        let l = ex.links.iter().find(|l| l.from == "ann").expect("the link");
        assert_eq!(l.text, "Ann Example joined the Omega Brigade");
        // Objects of two sorts joined by "and": "in Testland and across Herat".
        let ex = run("The Omega Brigade is active in Testland and across Herat.");
        assert_eq!(has(&ex, "omega-brigade", Relation::OperatesIn, "herat"), Some(Certainty::Reported));
        let ex = run("They met in Kabul, Afghanistan, and Herat, Testland.");
        assert_eq!(has(&ex, "kabul", Relation::LocatedIn, "testland"), None, "{:?}", links(&ex));
        let ex = run("Zoe Quill and Ann Example allegedly joined the Omega Brigade.");
        assert_eq!(has(&ex, "zoe-quill", Relation::MemberOf, "omega-brigade"), Some(Certainty::Alleged));
    }

    #[test]
    fn relation_families() {
        let cases: &[(&str, &str, Relation, &str)] = &[
            ("Zoe Quill carried out the Kabul bombing.", "zoe-quill", Relation::Perpetrated, "kabul-bombing"),
            (
                "The Kabul bombing was directed by Zoe Quill.",
                "zoe-quill",
                Relation::Directed,
                "kabul-bombing",
            ),
            (
                "Zoe Quill, the leader of the Omega Brigade, spoke.",
                "zoe-quill",
                Relation::LeaderOf,
                "omega-brigade",
            ),
            ("Zoe Quill founded the Omega Brigade.", "zoe-quill", Relation::Founded, "omega-brigade"),
            ("The Omega Brigade's leader Zoe Quill spoke.", "zoe-quill", Relation::LeaderOf, "omega-brigade"),
            ("Zoe Quill manages the Omega Brigade.", "zoe-quill", Relation::LeaderOf, "omega-brigade"),
            (
                "Then Omega Brigade spokesman Zoe Quill spoke.",
                "zoe-quill",
                Relation::MemberOf,
                "omega-brigade",
            ),
            (
                "The Kabul bombing suicide bomber Zoe Quill died.",
                "zoe-quill",
                Relation::Perpetrated,
                "kabul-bombing",
            ),
            (
                "The Alpha Cell grew; its Intelligence Bureau spread.",
                "intelligence-bureau",
                Relation::PartOf,
                "alpha-cell",
            ),
            (
                "Zoe Quill was involved in the Omega Brigade.",
                "zoe-quill",
                Relation::MemberOf,
                "omega-brigade",
            ),
            ("Zoe Quill spent some time in Kabul.", "zoe-quill", Relation::TraveledTo, "kabul"),
            ("Zoe Quill drove to Kabul.", "zoe-quill", Relation::TraveledTo, "kabul"),
            ("Zoe Quill, the brother of Max Quill, spoke.", "zoe-quill", Relation::SiblingOf, "max-quill"),
            ("Zoe Quill, the father of Max Quill, spoke.", "zoe-quill", Relation::ParentOf, "max-quill"),
            ("Zoe Quill's brother in law, Max Quill, spoke.", "zoe-quill", Relation::RelativeOf, "max-quill"),
            ("Zoe Quill was from Kabul.", "zoe-quill", Relation::LivedIn, "kabul"),
            ("Zoe Quill travelled to Syria.", "zoe-quill", Relation::TraveledTo, "syria"),
            ("Zoe Quill trained in Pakistan.", "zoe-quill", Relation::TrainedIn, "pakistan"),
            ("Zoe Quill was born in Kabul.", "zoe-quill", Relation::BornIn, "kabul"),
            ("Zoe Quill was killed in the Kabul bombing.", "zoe-quill", Relation::KilledIn, "kabul-bombing"),
            ("Zoe Quill was recruited by Max Quill.", "max-quill", Relation::Recruited, "zoe-quill"),
            (
                "The Omega Brigade is an affiliate of the Alpha Cell.",
                "omega-brigade",
                Relation::AffiliateOf,
                "alpha-cell",
            ),
            // Passive voice: the agent after "by" did it.
            (
                "The Kabul bombing was claimed by the Omega Brigade.",
                "omega-brigade",
                Relation::Claimed,
                "kabul-bombing",
            ),
            ("The Kabul bombing was planned by Zoe Quill.", "zoe-quill", Relation::Plotted, "kabul-bombing"),
            (
                "The Kabul bombing was funded by the Omega Brigade.",
                "omega-brigade",
                Relation::Financed,
                "kabul-bombing",
            ),
            (
                "The Kabul bombing was attributed to the Omega Brigade.",
                "omega-brigade",
                Relation::Perpetrated,
                "kabul-bombing",
            ),
            (
                "Zoe Quill staged the Kabul bombing on behalf of the Omega Brigade.",
                "omega-brigade",
                Relation::Directed,
                "kabul-bombing",
            ),
            (
                "The Omega Brigade is a subsidiary of the Alpha Cell.",
                "omega-brigade",
                Relation::AffiliateOf,
                "alpha-cell",
            ),
            (
                "The Omega Brigade's retaliation against the Alpha Cell grew.",
                "omega-brigade",
                Relation::RivalOf,
                "alpha-cell",
            ),
            (
                "Zoe Quill is guilty of the Kabul bombing.",
                "zoe-quill",
                Relation::ConvictedOf,
                "kabul-bombing",
            ),
            ("The Omega Brigade's activities in Herat grew.", "omega-brigade", Relation::OperatesIn, "herat"),
            ("Zoe Quill had a role in the Omega Brigade.", "zoe-quill", Relation::MemberOf, "omega-brigade"),
        ];
        for &(text, from, rel, to) in cases {
            let ex = run(text);
            assert!(has(&ex, from, rel, to).is_some(), "{text}: {:?}", links(&ex));
            let l = ex.links.iter().find(|l| l.rel == rel).expect("the link");
            assert_eq!(&text[l.span.start..l.span.end], l.text, "{text}: the span is the evidence");
        }
    }

    #[test]
    fn short_frames_state_membership_residence_and_posts() {
        let cases: &[(&str, &str, Relation, &str)] = &[
            (
                "Gen. Zoe Quill from the Omega Brigade spoke.",
                "zoe-quill",
                Relation::MemberOf,
                "omega-brigade",
            ),
            ("Zoe Quill of the Omega Brigade spoke.", "zoe-quill", Relation::MemberOf, "omega-brigade"),
            ("The trial of Zoe Quill of Kabul began.", "zoe-quill", Relation::LivedIn, "kabul"),
            ("Police named Zoe Quill, 34, of Herat.", "zoe-quill", Relation::LivedIn, "herat"),
            ("Then Kabul cab driver Zoe Quill drove off.", "zoe-quill", Relation::LivedIn, "kabul"),
            (
                "He met the leader of the militant Omega Brigade, Zoe Quill, in May.",
                "zoe-quill",
                Relation::LeaderOf,
                "omega-brigade",
            ),
            (
                "He met the founder of the Omega Brigade: Zoe Quill.",
                "zoe-quill",
                Relation::Founded,
                "omega-brigade",
            ),
            (
                "The Syrian jihadist group Omega Brigade grew in Syria.",
                "omega-brigade",
                Relation::OperatesIn,
                "syria",
            ),
            ("The Kabul-based Omega Brigade grew.", "omega-brigade", Relation::BasedIn, "kabul"),
            ("A second Kabul man, Zoe Quill, was charged.", "zoe-quill", Relation::LivedIn, "kabul"),
            (
                "Zoe Quill, then director of the Omega Brigade, spoke.",
                "zoe-quill",
                Relation::LeaderOf,
                "omega-brigade",
            ),
            ("The OBX Director Zoe Quill spoke.", "zoe-quill", Relation::LeaderOf, "obx"),
            ("Then OBX agent Zoe Quill testified.", "zoe-quill", Relation::MemberOf, "obx"),
            (
                "Zoe Quill, 19, who holds citizenship of Testland, left.",
                "zoe-quill",
                Relation::CitizenOf,
                "testland",
            ),
            ("Zoe Quill and Yan Roe, both residents of Kabul, left.", "yan-roe", Relation::LivedIn, "kabul"),
        ];
        for &(text, from, rel, to) in cases {
            let ex = run(text);
            assert_eq!(has(&ex, from, rel, to), Some(Certainty::Reported), "{text}: {:?}", links(&ex));
            let l = ex.links.iter().find(|l| l.rel == rel).expect("the link");
            assert_eq!(&text[l.span.start..l.span.end], l.text, "{text}: the span is the evidence");
        }
        // Hedged and denied; and the shapes that are not these frames.
        let ex = run("The alleged leader of the Omega Brigade, Zoe Quill, spoke.");
        assert_eq!(has(&ex, "zoe-quill", Relation::LeaderOf, "omega-brigade"), Some(Certainty::Alleged));
        let ex = run("The suspected Syrian jihadist group Omega Brigade grew in Syria.");
        assert_eq!(has(&ex, "omega-brigade", Relation::OperatesIn, "syria"), Some(Certainty::Suspected));
        let ex = run("The leader of the Omega Brigade, not Zoe Quill, spoke.");
        assert_eq!(has(&ex, "zoe-quill", Relation::LeaderOf, "omega-brigade"), None);
        let ex = run("Zoe Quill of Testland spoke.");
        assert_eq!(has(&ex, "zoe-quill", Relation::LivedIn, "testland"), None, "a country is no address");
        let ex = run("Kabul bombing suspect Zoe Quill spoke.");
        assert_eq!(has(&ex, "zoe-quill", Relation::LivedIn, "kabul"), None, "not an occupation");
        let ex = run("Zoe Quill is director of studies at the Omega Brigade.");
        assert_eq!(
            has(&ex, "zoe-quill", Relation::LeaderOf, "omega-brigade"),
            None,
            "a post in a part of it"
        );
        let ex = run("The OBX Deputy Director Zoe Quill spoke.");
        assert_eq!(has(&ex, "zoe-quill", Relation::LeaderOf, "obx"), None, "a deputy");
        let ex = run("A Syrian official praised the Omega Brigade. Syria is far.");
        assert_eq!(has(&ex, "omega-brigade", Relation::OperatesIn, "syria"), None, "no group noun");
    }
}

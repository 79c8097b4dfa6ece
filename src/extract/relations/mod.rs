//! Relation patterns: the words between two mentions in a sentence that state a link of the
//! DESIGN.md vocabulary (cue words, passive agents, and short frames such as "X of the group"
//! or "the leader of the group, X"), which link reading ([`links`](super::links)) asks about each
//! pair of mentions. The hedges that set a link's certainty are in [`hedges`](super::hedges).

use crate::model::{Kind, PlaceType, Relation};

mod patterns;

pub use patterns::{PATTERNS, Pattern};

/// Occupations that, after a place and before a person, say where the person lives
/// ("Bradford cab driver Tanveer Ahmed").
const OCCUPATIONS: &[&str] = &[
    "driver",
    "shopkeeper",
    "student",
    "man",
    "woman",
    "teenager",
    "youth",
    "boy",
    "girl",
    "imam",
    "cleric",
    "preacher",
    "resident",
    "businessman",
    "businesswoman",
    "doctor",
    "teacher",
    "father",
    "mother",
    "mechanic",
    "worker",
    "nurse",
    "pensioner",
    "grandmother",
    "grandfather",
    "schoolboy",
    "schoolgirl",
    "convert",
    "shop",
    "owner",
];

/// Words before a title that make its holder a deputy, not the head: "deputy director".
pub const DEPUTIES: &[&str] = &["deputy", "assistant", "associate", "vice"];

/// Titles of a post in a group, before "of" ("the leader of the Omega Brigade, Zoe Quill").
const POSTS_OF: &[(&str, Relation)] = &[
    ("leader", Relation::LeaderOf),
    ("head", Relation::LeaderOf),
    ("chief", Relation::LeaderOf),
    ("emir", Relation::LeaderOf),
    ("commander", Relation::LeaderOf),
    ("founder", Relation::Founded),
    ("spokesman", Relation::MemberOf),
    ("spokesperson", Relation::MemberOf),
    ("member", Relation::MemberOf),
    ("director", Relation::MemberOf),
];

/// Links stated by the shape of a short phrase rather than by a verb: (relation, from the
/// later mention, rule). `before` is the folded text of the sentence before the first mention,
/// `gap` the folded text between the two; `a_sub` and `b_sub` are the mentions' sub-kinds.
///
/// - "Zoe Quill of the Omega Brigade", "Zoe Quill from the Omega Brigade": a member;
/// - "Zoe Quill, then director of the Omega Brigade": its leader;
/// - "Zoe Quill of Kabul", "Zoe Quill, 34, of Kabul": lives there (a city or district);
/// - "Kabul cab driver Zoe Quill": lives there;
/// - "the leader of the Omega Brigade, Zoe Quill": the post before the group is the person's.
pub fn frame(
    a: (Kind, Option<&str>),
    b: (Kind, Option<&str>),
    before: &str,
    gap: &str,
) -> Option<(Relation, bool, &'static str)> {
    let local = |sub: Option<&str>| matches!(sub, Some("City" | "District"));
    match (a.0, b.0) {
        // "X, then director of the FBI": the group right after the post (not "director of
        // studies at G").
        (Kind::Person, Kind::Group)
            if [" director of ", " director of the "].iter().any(|d| gap.ends_with(d))
                && !gap.contains([';', '(', ')'])
                && !gap.split_whitespace().any(|w| DEPUTIES.contains(&w))
                && gap.len() <= 40 =>
        {
            Some((Relation::LeaderOf, false, "rel-director-of"))
        }
        // "X, 21, a student at the Georgia Institute of Technology", "X, who runs the FBI's".
        (Kind::Person, Kind::Group) if let Some(rel) = apposed_role(gap) => {
            Some((rel, false, "rel-apposed-role"))
        }
        (Kind::Person, Kind::Group)
            if matches!(gap, " of " | " of the " | ", of the " | " from " | " from the " | ", from the ") =>
        {
            Some((Relation::MemberOf, false, "rel-person-of"))
        }
        // "X, who holds citizenship of Kazakhstan", "X, who is from Uzbekistan", "X, a lawyer
        // from Nazareth", "X, 30, a programmer who was born in Egypt".
        (Kind::Person, Kind::Place) if let Some(found) = apposed_place(b.1, gap) => Some(found),
        (Kind::Person, Kind::Place) if local(b.1) => {
            // ", 34, of " or " of ".
            let age = gap
                .strip_prefix(", ")
                .and_then(|g| g.strip_suffix(", of "))
                .is_some_and(|n| (1..=3).contains(&n.len()) && n.chars().all(|c| c.is_ascii_digit()));
            (gap == " of " || gap == ", of " || age).then_some((Relation::LivedIn, false, "rel-person-of"))
        }
        (Kind::Place, Kind::Person) if local(a.1) => {
            // "A Montclair man, X": the comma of the apposition is no word.
            let trimmed = gap.strip_suffix(", ").map(|g| [g, " "].concat());
            let gap = trimmed.as_deref().unwrap_or(gap);
            let words: Vec<&str> = gap.split_whitespace().collect();
            let plain = gap.starts_with(' ')
                && gap.ends_with(' ')
                && words.iter().all(|w| w.chars().all(|c| c.is_lowercase() || c == '-'));
            (plain && (1..=2).contains(&words.len()) && words.last().is_some_and(|w| OCCUPATIONS.contains(w)))
                .then_some((Relation::LivedIn, true, "rel-place-occupation"))
        }
        // "Pakistan's Inter-Services Intelligence", "the Jakarta-based Institute": based there.
        (Kind::Place, Kind::Group) if matches!(gap, "'s " | "-based ") => {
            Some((Relation::BasedIn, true, "rel-place-group"))
        }
        // "the ADF's commander, Musa Baluku", "its then leader, X", "the AFP commissioner, X".
        (Kind::Group, Kind::Person) if let Some(rel) = post_before_name(gap) => {
            Some((rel, true, "rel-post-named"))
        }
        (Kind::Group, Kind::Person) if matches!(gap, ", " | ": ") => {
            // Back from the group: "<post> of [the] [up to three words] ".
            let words: Vec<&str> = before.split(' ').rev().skip(1).take(6).collect();
            let of = words.iter().position(|w| *w == "of").filter(|&i| i <= 4)?;
            if words[..of].iter().any(|w| w.contains([',', ';', ':', '(', ')', '.'])) {
                return None;
            }
            let post = words.get(of + 1)?;
            POSTS_OF.iter().find(|p| p.0 == *post).map(|p| (p.1, true, "rel-post-of"))
        }
        _ => None,
    }
}

/// The words of a short apposition or relative clause (`gap` folded, opening with a comma),
/// without an age: ", 21, a student at the " is "a student at the". None when the gap is
/// longer than a clause or has punctuation inside.
fn apposition_words(gap: &str) -> Option<Vec<&str>> {
    let clause = gap.strip_prefix(", ")?;
    if gap.contains([';', '(', ')', ':', '.']) || gap.len() > 60 {
        return None;
    }
    let mut words: Vec<&str> = clause.split_whitespace().collect();
    if words.first().is_some_and(|w| w.trim_end_matches(',').bytes().all(|b| b.is_ascii_digit())) {
        words.remove(0);
    }
    (!words.iter().any(|w| w.contains(','))).then_some(words)
}

/// What an apposition or relative clause right after a person says of the place it ends
/// with (`gap` folded, from the person to the place): citizenship ("who holds citizenship
/// of", "a citizen of", "who is from" a country), home ("who is from", "who emigrated from",
/// "a lawyer from" a city) or birth ("a programmer who was born in").
fn apposed_place(place: Option<&str>, gap: &str) -> Option<(Relation, bool, &'static str)> {
    // Only the clause's own words: "from Karachi, Pakistan" is read from Karachi.
    let words = apposition_words(gap)?;
    let clause = words.join(" ");
    let country = place == Some("Country");
    let ends = |ends: &[&str]| ends.iter().any(|e| clause.ends_with(e));
    if country && ends(&["holds citizenship of", "citizen of", "a national of", "citizenship of"]) {
        return Some((Relation::CitizenOf, false, "rel-apposed-citizen"));
    }
    if ends(&["who is from", "who was from", "who comes from", "who came from"]) {
        let rel = if country { Relation::CitizenOf } else { Relation::LivedIn };
        return Some((rel, false, "rel-apposed-from"));
    }
    if ends(&["who lives in", "who lived in", "who had lived in", "who has lived in"]) {
        return Some((Relation::LivedIn, false, "rel-apposed-lives"));
    }
    if ends(&["who emigrated from", "who moved from", "who had emigrated from"]) {
        return Some((Relation::LivedIn, false, "rel-apposed-from"));
    }
    if ends(&["who was born in", "born in"]) && words.len() <= 8 {
        return Some((Relation::BornIn, false, "rel-apposed-born"));
    }
    // "a lawyer from Nazareth": a or an, up to three lower-case words, "from", a town.
    let from = matches!(words.first(), Some(&("a" | "an"))) && words.last() == Some(&"from");
    // "a 49-year-old from Lakemba": an age in words counts.
    let plain = words.iter().all(|w| w.chars().all(|c| c.is_lowercase() || c == '-' || c.is_ascii_digit()));
    if from && plain && (3..=5).contains(&words.len()) && matches!(place, Some("City" | "District")) {
        return Some((Relation::LivedIn, false, "rel-apposed-from"));
    }
    None
}

/// A post named between a group and its holder, set off by a comma: "'s commander, ", " then
/// leader, ", " commissioner, " (`gap` folded).
fn post_before_name(gap: &str) -> Option<Relation> {
    let rest = gap.strip_prefix("'s ").or_else(|| gap.strip_prefix(' '))?;
    let post = rest.strip_suffix(", ")?;
    let post = ["then ", "former ", "current ", "new ", "late "]
        .iter()
        .find_map(|p| post.strip_prefix(p))
        .unwrap_or(post);
    let (deputy, post) = match post.split_once(' ') {
        Some((d, p)) if DEPUTIES.contains(&d) => (true, p),
        Some(_) => return None,
        None => (false, post),
    };
    let rel = match post {
        "commissioner" => Relation::LeaderOf,
        _ => POSTS_OF.iter().find(|p| p.0 == post)?.1,
    };
    Some(if deputy && rel == Relation::LeaderOf { Relation::MemberOf } else { rel })
}

/// Roles an apposition gives a person in the group after it: "a student at the", "the
/// spokesman for the", "who works for the".
fn apposed_role(gap: &str) -> Option<Relation> {
    const ROLES: &[(&str, Relation)] = &[
        ("student", Relation::MemberOf),
        ("lecturer", Relation::MemberOf),
        ("professor", Relation::MemberOf),
        ("researcher", Relation::MemberOf),
        ("fellow", Relation::MemberOf),
        ("employee", Relation::MemberOf),
        ("worker", Relation::MemberOf),
        ("officer", Relation::MemberOf),
        ("official", Relation::MemberOf),
        ("spokesman", Relation::MemberOf),
        ("spokeswoman", Relation::MemberOf),
        ("spokesperson", Relation::MemberOf),
        ("reporter", Relation::MemberOf),
        ("analyst", Relation::MemberOf),
        ("imam", Relation::MemberOf),
        ("member", Relation::MemberOf),
        ("leader", Relation::LeaderOf),
        ("head", Relation::LeaderOf),
        ("chief", Relation::LeaderOf),
        ("commander", Relation::LeaderOf),
        ("commissioner", Relation::LeaderOf),
        ("director", Relation::LeaderOf),
        ("founder", Relation::Founded),
    ];
    let mut words = apposition_words(gap)?;
    if words.last() == Some(&"the") {
        words.pop();
    }
    // "who works for the", "who studies extremist groups for the", "who sits on the board of
    // the": a relative clause of work ending in the group.
    const WORK: &[&str] = &[
        "runs", "works", "worked", "teaches", "taught", "studies", "studied", "writes", "wrote", "sits",
        "sat", "serves", "served", "lectures", "lectured", "reports",
    ];
    if words.len() >= 3
        && words.len() <= 9
        && words[0] == "who"
        && WORK.contains(&words[1])
        && matches!(words.last(), Some(&("for" | "at" | "of" | "with")))
    {
        return Some(Relation::MemberOf);
    }
    if words == ["who", "runs"] {
        return Some(Relation::MemberOf);
    }
    // "a|an|the [one or two words] <role> at|of|for|with".
    let (first, rest) = words.split_first()?;
    let (prep, middle) = rest.split_last()?;
    if !matches!(*prep, "at" | "of" | "for" | "with") || middle.len() > 3 {
        return None;
    }
    // "X, leader of the G": the article may go.
    let middle: Vec<&str> = if matches!(*first, "a" | "an" | "the") {
        middle.to_vec()
    } else {
        std::iter::once(*first).chain(middle.iter().copied()).collect()
    };
    let (role, before) = middle.split_last()?;
    let plain = middle.iter().all(|w| w.chars().all(|c| c.is_lowercase() || c == '-'));
    let (_, rel) = ROLES.iter().find(|r| r.0 == *role)?;
    let deputy = before.iter().any(|w| DEPUTIES.contains(w));
    if !plain || before.contains(&"former") {
        return None;
    }
    Some(if deputy { Relation::MemberOf } else { *rel })
}

/// "the Omega Brigade in Kabul", "Omega Brigade fighters in Kabul": a group placed in a place
/// by "in" alone, with no verb between (not "members spent years in prison in", "plotted
/// in"), in a short gap.
pub fn group_in(gap: &str) -> bool {
    const VERBS: &[&str] = &[
        "is", "are", "was", "were", "be", "been", "has", "have", "had", "spent", "met", "made", "took",
        "came", "went", "left", "held", "kept", "fled", "sent",
    ];
    let words: Vec<&str> = gap.split_whitespace().collect();
    let ends_in = matches!(words.as_slice(), [.., "in"] | [.., "in", "the"]);
    let verb = words.iter().any(|w| VERBS.contains(w) || (w.len() > 4 && w.ends_with("ed")));
    ends_in && !verb && gap.len() <= SHORT_CUE_GAP && !gap.contains([',', ';', ':', '(', '.'])
}

/// The relation between two places written "City, Country", "Venue in City" or "Country's
/// City".
pub fn located_in(a: PlaceType, gap: &str, b: PlaceType) -> Option<bool> {
    let contains = |outer: PlaceType, inner: PlaceType| rank(outer) > rank(inner);
    match gap {
        ", " | ", in " if contains(b, a) => Some(false),
        "'s " | "’s " if contains(a, b) => Some(true),
        // "the Russian embassy in Kabul", "Molenbeek in Brussels".
        " in " | " in the " if contains(b, a) => Some(false),
        // "the Santa Maria Church on Jalan Ngagel": a venue on its street.
        " on " if rank(a) == 0 && rank(b) == 0 => Some(false),
        _ => None,
    }
}

fn rank(t: PlaceType) -> u8 {
    match t {
        PlaceType::Country => 4,
        PlaceType::Region => 3,
        PlaceType::City => 2,
        PlaceType::District => 1,
        _ => 0,
    }
}

/// The first pattern for kinds `a` then `b` whose cue occurs in `gap` (lower case, with `’`
/// written `'`, so that each cue is written once).
pub fn find(a: Kind, b: Kind, gap: &str) -> Option<&'static Pattern> {
    PATTERNS.iter().find(|p| {
        p.from == a
            && p.to == b
            && p.cues.iter().any(|c| cue_in(gap, c) && (c.trim().len() > 3 || gap.len() <= SHORT_CUE_GAP))
    })
}

/// A cue of a preposition alone ("in", "'s") states a link only between close mentions.
const SHORT_CUE_GAP: usize = 24;

/// A cue matches on word boundaries, except cues that carry their own spaces or punctuation.
fn cue_in(gap: &str, cue: &str) -> bool {
    if cue.starts_with(|c: char| !c.is_alphanumeric()) || cue.ends_with(|c: char| !c.is_alphanumeric()) {
        return gap.contains(cue);
    }
    gap.match_indices(cue).any(|(i, _)| {
        let before = gap[..i].chars().next_back();
        let after = gap[i + cue.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::{apposed_place, apposed_role};
    use crate::model::Relation as R;

    #[test]
    fn a_place_in_another_after_a_comma() {
        use crate::model::PlaceType as T;
        assert_eq!(super::located_in(T::City, ", in ", T::Country), Some(false));
        assert_eq!(super::located_in(T::Country, ", in ", T::City), None);
    }

    #[test]
    fn appositions_place_a_person() {
        let rel = |sub, gap| apposed_place(Some(sub), gap).map(|f| f.0);
        assert_eq!(rel("Country", ", 19, who holds citizenship of "), Some(R::CitizenOf));
        assert_eq!(rel("Country", ", 24, who is from "), Some(R::CitizenOf));
        assert_eq!(rel("City", ", who is from "), Some(R::LivedIn));
        assert_eq!(rel("City", ", 40, a lawyer from "), Some(R::LivedIn));
        assert_eq!(rel("City", ", a 49-year-old from "), Some(R::LivedIn));
        assert_eq!(rel("City", ", 32, who lives in "), Some(R::LivedIn));
        assert_eq!(rel("Country", ", 30, a computer programmer who was born in "), Some(R::BornIn));
        // A clause with a comma inside, or no apposition at all, says nothing.
        assert_eq!(rel("City", ", 43, of Mississauga, who emigrated from "), None);
        assert_eq!(rel("City", " flew from "), None);
    }

    #[test]
    fn a_post_between_a_group_and_its_holder() {
        assert_eq!(super::post_before_name("'s commander, "), Some(R::LeaderOf));
        assert_eq!(super::post_before_name(" then leader, "), Some(R::LeaderOf));
        assert_eq!(super::post_before_name(" commissioner, "), Some(R::LeaderOf));
        assert_eq!(super::post_before_name(" deputy commissioner, "), Some(R::MemberOf));
        assert_eq!(super::post_before_name(" spokesman, "), Some(R::MemberOf));
        assert_eq!(super::post_before_name(" said, "), None);
        assert_eq!(super::post_before_name("'s commander "), None);
    }

    #[test]
    fn appositions_give_a_role_in_a_group() {
        assert_eq!(apposed_role(", leader of the "), Some(R::LeaderOf));
        assert_eq!(apposed_role(", who studies extremist groups for the "), Some(R::MemberOf));
        assert_eq!(apposed_role(", who sits on the board of the "), Some(R::MemberOf));
        assert_eq!(apposed_role(", who said so to the "), None);
        assert_eq!(apposed_role(", 21, a student at the "), Some(R::MemberOf));
        assert_eq!(apposed_role(", the head of the "), Some(R::LeaderOf));
        assert_eq!(apposed_role(", the deputy head of the "), Some(R::MemberOf));
        assert_eq!(apposed_role(", who runs the "), Some(R::MemberOf));
        assert_eq!(apposed_role(", a former student at the "), None);
        assert_eq!(apposed_role(" met the "), None);
    }
    use super::*;

    #[test]
    fn passive_forms_reverse_and_cues_need_word_boundaries() {
        let p = find(Kind::Person, Kind::Person, " was recruited by ").unwrap();
        assert!(p.reverse);
        assert_eq!(p.rel, Relation::Recruited);
        assert_eq!(
            find(Kind::Person, Kind::Group, " remembered ").map(|p| p.rel),
            None,
            "`member` inside a word"
        );
        assert_eq!(
            find(Kind::Person, Kind::Place, " travelled to ").map(|p| p.rel),
            Some(Relation::TraveledTo)
        );
        assert_eq!(
            find(Kind::Person, Kind::Place, " murders are echoes from ").map(|p| p.rel),
            None,
            "`from` alone"
        );
        assert_eq!(
            find(Kind::Person, Kind::Person, "'s brother in law, ").map(|p| p.rel),
            Some(Relation::RelativeOf)
        );
        assert_eq!(located_in(PlaceType::City, ", ", PlaceType::Country), Some(false));
        assert_eq!(located_in(PlaceType::Country, "'s ", PlaceType::City), Some(true));
        assert_eq!(located_in(PlaceType::Venue, " in ", PlaceType::City), Some(false));
        assert_eq!(located_in(PlaceType::Country, " in ", PlaceType::City), None, "not the other way");
    }
}

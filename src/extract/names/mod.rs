//! New names: runs of capitalised words that no known name covers, typed by their cue words
//! (groups, media, agencies, venues), by a title before them (people), or by their shape (a
//! person's name is two to four capitalised words with no cue word in them).

mod words;

use crate::model::{GroupType, PlaceType};
use words::{
    CONNECTORS, FUNCTION_WORDS, GROUP_NAMES, NOT_ACRONYMS, NOT_NAMES, OFFICES, OUTLETS, PARTICLES,
    TITLE_PARTS, TITLES,
};

/// What a run of capitalised words names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameKind {
    Person,
    Group(GroupType),
    Place(PlaceType),
}

/// A proposed name: its byte range in the text, its kind and the rule that typed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    pub start: usize,
    pub end: usize,
    pub kind: NameKind,
    pub rule: &'static str,
}

/// Whether `word` is an outlet known by one word ("Amaq", "al-Naba").
pub(super) fn outlet(word: &str) -> bool {
    let bare = word.trim_end_matches("'s").trim_end_matches("’s");
    let bare = bare.strip_prefix("al-").or_else(|| bare.strip_prefix("Al-")).unwrap_or(bare);
    OUTLETS.iter().any(|o| bare.eq_ignore_ascii_case(o))
}

/// An acronym as news writes a group's: two to six capitals, perhaps a digit ("MI5") or a
/// hyphened letter ("IS-K").
fn acronym(w: &str) -> bool {
    let (stem, suffix) = w.split_once('-').unwrap_or((w, ""));
    let letters = stem.chars().filter(char::is_ascii_uppercase).count();
    (2..=6).contains(&stem.len())
        && letters >= 2
        && stem.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && suffix.len() <= 2
        && suffix.chars().all(|c| c.is_ascii_uppercase())
        && !NOT_ACRONYMS.contains(&stem)
}

/// A one-word group name: "Taliban", "al-Qaeda", "Al-Shabaab".
fn group_name(w: &str) -> bool {
    let w = w.trim_end_matches("'s").trim_end_matches("’s");
    // Without allocating: this is asked of every word.
    let bare = match w.get(..3) {
        Some(p) if p.eq_ignore_ascii_case("al-") || p.eq_ignore_ascii_case("el-") => &w[3..],
        _ => w,
    };
    let same = |g: &str| {
        bare.len() >= g.len()
            && bare.chars().map(|c| if c == '’' { '\'' } else { c.to_ascii_lowercase() }).eq(g.chars())
    };
    GROUP_NAMES.iter().any(|g| same(g))
}

/// A word that can be part of a person's name: capitalised, with lower case after.
fn person_word(t: &str) -> bool {
    capitalised(t)
        && t.chars().skip(1).any(char::is_lowercase)
        && !NOT_NAMES.contains(&t)
        && !FUNCTION_WORDS.contains(&t)
        && cue(t).is_none()
        && !OFFICES.contains(&t)
}

/// Cue words that make a run of capitalised words a group of some kind, or a venue.
pub(super) fn cue(word: &str) -> Option<NameKind> {
    use GroupType as G;
    use NameKind::{Group, Place};
    let w = word.trim_end_matches("'s").trim_end_matches('\'');
    // "Islamic State-Khorasan": a cue word before a hyphen counts.
    if let Some((head, _)) = w.split_once('-')
        && head.chars().next().is_some_and(char::is_uppercase)
        && let Some(kind) = cue(head)
    {
        return Some(kind);
    }
    Some(match w {
        "State" | "Army" | "Front" | "Brigade" | "Brigades" | "Movement" | "Organisation"
        | "Organization" | "Group" | "Party" | "Mujahideen" | "Mujahedeen" | "Mujahidin" | "Taliban"
        | "Qaeda" | "Qa'ida" | "Jaish" | "Lashkar" | "Harakat" | "Hizb" | "Hezbollah" | "Hizbollah"
        | "Jamaat" | "Jemaah" | "Boko" | "Haram" | "Battalion" | "Legion" | "Institute" | "University"
        | "Centre" | "Center" | "Council" | "Committee" | "Association" | "Union" | "Company"
        | "Corporation" | "Network" | "Alliance" | "Coalition" | "Caliphate" | "Ansar" | "Tehrik"
        | "Tehreek" | "Jabhat" | "Solutions" | "Consulting" | "Limited" | "Ltd" | "Inc" | "College"
        | "School" | "Academy" | "Seminary" | "Airways" | "Airlines" | "Insurance" | "Exports"
        | "Community" => Group(G::Organisation),
        "Cell" => Group(G::Cell),
        "News" | "Times" | "Telegraph" | "Guardian" | "Post" | "Journal" | "Press" | "Media" | "Magazine"
        | "Foundation" | "Broadcasting" | "Television" | "TV" | "Radio" | "Herald" | "Tribune"
        | "Gazette" | "Sentinel" | "Review" | "Observer" | "Independent" | "Agency's" | "Reuters" => {
            Group(G::Media)
        }
        "Police" | "Service" | "Services" | "Command" | "Agency" | "Bureau" | "Ministry" | "Department"
        | "Office" | "Forces" | "Force" | "Guard" | "Guards" | "Intelligence" | "Enforcement"
        | "Directorate" | "Policing" | "Navy" | "Marines" | "Government" | "Parliament" | "Senate"
        | "Congress" | "Court" | "Courts" | "Tribunal" | "Branch" | "SEALs" => Group(G::Agency),
        "Hall" | "Arena" | "Stadium" | "Mosque" | "Church" | "Cathedral" | "Synagogue" | "Airport"
        | "Station" | "Bridge" | "Square" | "Market" | "Embassy" | "Hotel" | "Theatre" | "Theater"
        | "Club" | "Shrine" | "Temple" | "Park" | "Street" | "Road" | "Museum" | "Palace" | "Tower"
        | "Towers" | "Mall" | "Gardens" | "Bakery" | "Cafe" | "Café" | "Restaurant" => {
            Place(PlaceType::Venue)
        }
        "Forest" | "Peninsula" | "Island" | "Islands" | "Desert" | "Mountains" => Place(PlaceType::Region),
        "Camp" => Place(PlaceType::Camp),
        "Prison" | "Jail" | "Base" => Place(PlaceType::Facility),
        "Province" | "Region" | "District" | "Valley" | "County" => Place(PlaceType::Region),
        _ => return None,
    })
}

/// A word of the text: its byte range and text.
#[derive(Clone, Copy, Debug)]
pub(super) struct Word<'t> {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) text: &'t str,
}

pub(super) fn words(text: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let inside = c.is_alphanumeric() || (start.is_some() && matches!(c, '-' | '\'' | '’'));
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(word(text, s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(word(text, s, text.len()));
    }
    out
}

fn word(text: &str, start: usize, end: usize) -> Word<'_> {
    // A trailing hyphen or apostrophe is punctuation, not part of the word.
    let t = text[start..end].trim_end_matches(['-', '\'', '’']);
    Word { start, end: start + t.len(), text: t }
}

fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// A name word after a particle and a hyphen: "al-Fadhli", "el-Sisi".
fn particled(w: &str) -> bool {
    w.split_once('-').is_some_and(|(p, rest)| PARTICLES.contains(&p) && capitalised(rest))
}

/// A word that counts as a capitalised part of a name: "Laden", "al-Zarqawi".
fn name_part(w: &str) -> bool {
    capitalised(w) || particled(w)
}

/// A middle initial: one capital letter, written with a full stop ("Scott L. Palk").
fn initial(text: &str, w: &Word) -> bool {
    w.text.len() == 1 && w.text.chars().all(|c| c.is_ascii_uppercase()) && text[w.end..].starts_with(". ")
}

/// Proposes names in `text` (one sentence), leaving out `taken` byte ranges (known names).
pub fn names(text: &str, offset: usize, taken: &[(usize, usize)]) -> Vec<Name> {
    let ws = words(text);
    let free = |w: &Word| !taken.iter().any(|&(s, e)| w.start + offset < e && s < w.end + offset);
    let mut out = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        let starts = capitalised(ws[i].text) || particle_before_capital(&ws, i) || group_name(ws[i].text);
        if !starts || !free(&ws[i]) {
            i += 1;
            continue;
        }
        // Extend over capitalised words and connectors separated by a single space or hyphen.
        let mut j = i + 1;
        while j < ws.len()
            && free(&ws[j])
            && (joined(text, &ws[j - 1], &ws[j]) || (initial(text, &ws[j - 1]) && j - 1 > i))
            && (name_part(ws[j].text) || CONNECTORS.contains(&ws[j].text) || PARTICLES.contains(&ws[j].text))
        {
            // "the Israel Police and the Shin Bet": a name ended by its cue word is whole.
            if ws[j].text == "and"
                && ws.get(j + 1).is_some_and(|w| w.text == "the")
                && cue(ws[j - 1].text).is_some()
            {
                break;
            }
            j += 1;
        }
        // Connectors never end a name.
        while j > i + 1 && (!name_part(ws[j - 1].text) || initial(text, &ws[j - 1])) {
            j -= 1;
        }
        // "A and B" is two names when each side is one ("the Media Foundation and Crocus City
        // Hall"), one name otherwise ("Immigration and Customs Enforcement").
        let split = (i + 1..j).find(|&k| ws[k].text == "and").and_then(|k| {
            let left = classify(text, &ws, i, &ws[i..k], offset)?;
            let right = classify(text, &ws, k + 1, &ws[k + 1..j], offset)?;
            Some([left, right])
        });
        // "Zoe Quill of the Omega Brigade" is a person and a group: a person's name before
        // "of", a group's after.
        let split = split.or_else(|| {
            let k = (i + 2..j).find(|&k| ws[k].text == "of")?;
            let left = classify(text, &ws, i, &ws[i..k], offset).filter(|n| n.kind == NameKind::Person)?;
            let r = if ws.get(k + 1).is_some_and(|w| w.text == "the") { k + 2 } else { k + 1 };
            let right =
                classify(text, &ws, r, &ws[r..j], offset).filter(|n| matches!(n.kind, NameKind::Group(_)))?;
            Some([left, right])
        });
        // "FBI Director Kash Patel": an acronym before an office or title is the group the
        // holder serves, a name of its own.
        let split = split.or_else(|| {
            let lead = (i..j).find(|&k| !FUNCTION_WORDS.contains(&ws[k].text))?;
            let holder = lead + 1;
            let office = ws.get(holder).map(|w| w.text.trim_end_matches('.'))?;
            if j < holder + 2
                || !acronym(ws[lead].text)
                || !(OFFICES.contains(&office) || TITLES.contains(&office))
            {
                return None;
            }
            let right = classify(text, &ws, holder, &ws[holder..j], offset)?;
            let left = Name {
                start: ws[lead].start + offset,
                end: ws[lead].end + offset,
                kind: NameKind::Group(GroupType::Organisation),
                rule: "group-acronym",
            };
            Some([left, right])
        });
        match split {
            Some(both) => out.extend(both),
            None => match classify(text, &ws, i, &ws[i..j], offset) {
                // "Threat Image Recognition (TIRT)": an acronym in brackets after a name stands
                // for that name, a group only when the name is one (a known name, or a group
                // just read), which `coref` then resolves.
                Some(name)
                    if name.rule == "group-acronym"
                        && i > 0
                        && capitalised(ws[i - 1].text)
                        && text[ws[i - 1].end..ws[i].start].trim() == "("
                        && free(&ws[i - 1])
                        && !out.last().is_some_and(|n: &Name| {
                            matches!(n.kind, NameKind::Group(_)) && n.end == ws[i - 1].end + offset
                        }) => {}
                Some(name) => out.push(name),
                // A run that names nothing may still hold an acronym: "Escalating ISIS-K Threat".
                None => out.extend(ws[i..j].iter().filter(|w| j - i > 1 && acronym(w.text)).map(|w| Name {
                    start: w.start + offset,
                    end: w.end + offset,
                    kind: NameKind::Group(GroupType::Organisation),
                    rule: "group-acronym",
                })),
            },
        }
        i = j;
    }
    out
}

fn particle_before_capital(ws: &[Word], i: usize) -> bool {
    PARTICLES.contains(&ws[i].text) && ws.get(i + 1).is_some_and(|w| capitalised(w.text))
}

/// True when two words are one space (or a hyphen) apart.
fn joined(text: &str, a: &Word, b: &Word) -> bool {
    matches!(&text[a.end..b.start], " " | "-")
}

fn classify(text: &str, all: &[Word], first: usize, run: &[Word], offset: usize) -> Option<Name> {
    // Leading words that are not names ("The", "In", titles) are dropped; a title makes what
    // follows a person.
    let mut run = run;
    let mut titled = first > 0 && TITLES.contains(&all[first - 1].text.trim_end_matches('.'));
    // An office and its holder: "Minister of State for Security Ben Wallace" names the person
    // at the end.
    if let Some(k) = run.iter().rposition(|w| OFFICES.contains(&w.text)) {
        let holder = &run[k + 1..];
        let tail = holder.iter().rev().take_while(|w| person_word(w.text)).count().min(3);
        if tail >= 2 {
            run = &holder[holder.len() - tail..];
            titled = true;
        }
    }
    // "the Interior Ministry", "the National Guard": words of a title that, before a group's
    // cue word, are the group's name.
    let group_named = run.last().is_some_and(|w| matches!(cue(w.text), Some(NameKind::Group(_))));
    while let Some(w) = run.first() {
        let bare = w.text.trim_end_matches("'s");
        if group_named && TITLE_PARTS.contains(&bare) && run.len() >= 2 {
            break;
        }
        if TITLES.contains(&bare) || TITLE_PARTS.contains(&bare) {
            titled = true;
        } else if !FUNCTION_WORDS.contains(&bare) {
            break;
        }
        run = &run[1..];
    }
    // Nor does a name start with a connector left behind ("the Police").
    while run.first().is_some_and(|w| CONNECTORS.contains(&w.text)) {
        run = &run[1..];
    }
    let (start, end) = (run.first()?.start, run.last()?.end);
    // A possessive ends the name: "IS-K's" is "IS-K".
    let end = if text[start..end].ends_with("'s") || text[start..end].ends_with("’s") {
        end - if text[start..end].ends_with("’s") { "’s".len() } else { 2 }
    } else {
        end
    };
    let name = |kind, rule| Some(Name { start: start + offset, end: end + offset, kind, rule });
    // One word: an acronym ("the YPG"), or a group known by one word ("the Taliban").
    if let [w] = run {
        let bare = w.text.trim_end_matches("'s").trim_end_matches("’s");
        if group_name(w.text) {
            let kind = if outlet(bare) { GroupType::Media } else { GroupType::Organisation };
            return name(NameKind::Group(kind), "group-name");
        }
        if acronym(bare) {
            return name(NameKind::Group(GroupType::Organisation), "group-acronym");
        }
    }
    if let Some(kind) = run.iter().rev().find_map(|w| cue(w.text)) {
        // A cue word alone ("Police", "State") is not a name.
        return if run.len() >= 2 { name(kind, "group-cue") } else { None };
    }
    let capitals = run.iter().filter(|w| name_part(w.text) && !initial(text, w)).count();
    let last = run.len() - 1;
    let shaped = run.iter().enumerate().all(|(k, w)| {
        let t = w.text.trim_end_matches("'s");
        (capitalised(t)
            && t.chars().skip(1).any(char::is_lowercase)
            && !NOT_NAMES.contains(&t)
            && !FUNCTION_WORDS.contains(&t))
            || particled(t)
            || (initial(text, w) && k > 0 && k < last)
            || CONNECTORS.contains(&t)
            || PARTICLES.contains(&t)
    });
    if titled && shaped && (1..=4).contains(&capitals) {
        return name(NameKind::Person, "person-title");
    }
    if shaped
        && (2..=4).contains(&capitals)
        && !run.iter().any(|w| w.text.chars().any(|c| c.is_ascii_digit()))
    {
        return name(NameKind::Person, "person-name");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(&str, NameKind, &'static str)> {
        names(text, 0, &[]).into_iter().map(|n| (&text[n.start..n.end], n.kind, n.rule)).collect()
    }

    #[test]
    fn people_groups_and_venues() {
        assert_eq!(
            found(
                "Attorney General Merrick Garland said the Al-Azaim Media Foundation and Crocus City Hall were named."
            ),
            [
                ("Merrick Garland", NameKind::Person, "person-title"),
                ("Al-Azaim Media Foundation", NameKind::Group(GroupType::Media), "group-cue"),
                ("Crocus City Hall", NameKind::Place(PlaceType::Venue), "group-cue"),
            ]
        );
        assert_eq!(found("The Islamic State of Iraq grew.")[0].0, "Islamic State of Iraq");
        assert_eq!(found("He met Osama bin Laden.")[0].0, "Osama bin Laden");
        assert_eq!(found("Later Muhsin al-Fadhli left.")[0].0, "Muhsin al-Fadhli");
        assert_eq!(found("He met Abu Musab al-Zarqawi there.")[0].0, "Abu Musab al-Zarqawi");
        assert_eq!(found("The judge, Scott L. Palk, ruled.")[0].0, "Scott L. Palk");
        assert_eq!(found("Judge Jerome F. Gorgon Jr. spoke.")[0].0, "Jerome F. Gorgon Jr");
        assert_eq!(
            found("When OBX Director Zoe Quill spoke."),
            [
                ("OBX", NameKind::Group(GroupType::Organisation), "group-acronym"),
                ("Zoe Quill", NameKind::Person, "person-title")
            ]
        );
        assert!(
            found("He saw the U. S. flag.").iter().all(|n| n.0 != "U. S"),
            "{:?}",
            found("He saw the U. S. flag.")
        );
        assert_eq!(
            found("He met Zoe Quill of the Omega Brigade."),
            [
                ("Zoe Quill", NameKind::Person, "person-name"),
                ("Omega Brigade", NameKind::Group(GroupType::Organisation), "group-cue")
            ]
        );
        assert_eq!(found("The Islamic State of Iraq grew.").len(), 1, "no person before `of`");
        assert_eq!(found("In March the Police acted.").len(), 0, "a month, a lone cue word");
    }

    #[test]
    fn acronyms_and_one_word_groups() {
        assert_eq!(
            found("Police said the OBX and the Taliban met al-Zeta in Kabul."),
            [
                ("OBX", NameKind::Group(GroupType::Organisation), "group-acronym"),
                ("Taliban", NameKind::Group(GroupType::Organisation), "group-name"),
            ]
        );
        assert_eq!(
            found("He joined al-Qaeda.")[0],
            ("al-Qaeda", NameKind::Group(GroupType::Organisation), "group-name")
        );
        assert_eq!(
            found("The rising OBX-K Threat grew.")[0].0,
            "OBX-K",
            "an acronym inside a run that names nothing"
        );
        assert_eq!(found("Officers of MI5 spoke.")[0].0, "MI5");
        assert!(
            found("He watched TV on the BBC at 9 PM.").iter().all(|n| n.0 != "TV" && n.0 != "PM"),
            "not groups"
        );
        assert!(found("A IED hit.").is_empty());
        assert!(
            found("The Bag Search Training (BST2) course.").iter().all(|n| n.0 != "BST2")
                && found("The Omega Brigade (OBX) grew.").iter().any(|n| n.0 == "OBX")
                && found("The Omega State-Zeta (OSZ) grew.")[0].0 == "Omega State-Zeta",
            "the acronym of a course"
        );
    }

    #[test]
    fn outlets_known_by_one_word_are_media() {
        assert!(outlet("Amaq") && outlet("al-Naba") && outlet("Amaq's"));
        assert!(!outlet("Taliban"));
    }

    #[test]
    fn known_ranges_are_left_out() {
        let text = "Paul Mason met Figen Murray.";
        let taken = [(0, 10)];
        let names = names(text, 0, &taken);
        assert_eq!(names.len(), 1);
        assert_eq!(&text[names[0].start..names[0].end], "Figen Murray");
    }
}

//! Likely duplicate entities across a whole graph (cross-referencing, as Aleph does with
//! FollowTheMoney entities): pairs of entities of one kind whose names compare alike
//! ([`super::resolve::compare`]: word order, abbreviation, transliteration, spelling), each with
//! a score and its reasons. The name gives the score; the rest of what is known moves it, as
//! the comparison vectors of Splink or nomenklatura do: conflicting dates count against, an
//! abbreviation several names share counts for less, a spelling difference with nothing else in
//! common is not enough on its own, and rare shared neighbours count for (a country half the
//! graph is linked to says nothing).
//!
//! Blocking keeps it sub-quadratic: only entities that share a block key are compared, a key
//! being the kind with the sorted skeletons of a name's words less one, with its initials, or a
//! neighbour they share. Keys held by more than [`MAX_BLOCK`] entities (a very common word, a
//! hub) say too little and are skipped. Keys are hashed and sorted, not kept as strings, so
//! that a million entities fit in a few hundred megabytes.
//! [`synthetic`] builds records with injected duplicates of each sort, and with the context
//! real records have (neighbours, birth dates), to measure precision and recall.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use serde::Serialize;

use super::resolve::{self, Reason};
use crate::model::Kind;

/// Entities sharing one block key beyond this many are not compared on that key, and a
/// neighbour of more entities than this is not evidence that two of them are one.
pub const MAX_BLOCK: usize = 64;
/// The score from which a pair is reported by default.
pub const THRESHOLD: f64 = 0.85;
/// What each rare neighbour two entities share adds, up to two of them.
const NEIGHBOUR_WEIGHT: f64 = 0.2;

/// An entity as deduplication sees it.
#[derive(Clone, Debug)]
pub struct Record {
    pub kind: Kind,
    /// Its name, then its aliases.
    pub names: Vec<String>,
    /// A birth date (people) or the date (events), as written (`2017-05`).
    pub date: Option<String>,
    /// The entities it is linked to, by number.
    pub neighbours: Vec<u32>,
}

/// A likely duplicate pair (`a < b`), its score from 0 to 1 and why.
#[derive(Clone, Debug, Serialize)]
pub struct Pair {
    pub a: usize,
    pub b: usize,
    pub score: f64,
    pub reasons: Vec<String>,
}

/// A block key, hashed (deterministically: the same keys on every run).
fn hashed(parts: &[&str]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

/// The key counting the names of a kind with given initials.
fn initials_key(kind: Kind, initials: &str) -> u64 {
    hashed(&[kind.name(), "=", initials])
}

/// The block keys of a record: for each name, the sorted skeletons of its words with one word
/// left out (a slip in any one word keeps the others' key; word order and transliteration do
/// not change skeletons), its initials, and a one-word name itself; then its neighbours.
fn keys(r: &Record, out: &mut Vec<u64>) {
    let person = r.kind == Kind::Person;
    let start = out.len();
    for n in &r.names {
        let words = resolve::words(n, person);
        let mut skeletons: Vec<String> = words.iter().map(|w| resolve::skeleton(w)).collect();
        skeletons.sort();
        for left_out in 0..skeletons.len() {
            let rest: Vec<&str> = skeletons
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != left_out || skeletons.len() == 1)
                .map(|(_, s)| s.as_str())
                .collect();
            out.push(hashed(&[r.kind.name(), &rest.join(" ")]));
        }
        if let Some(i) = resolve::initials(n) {
            out.push(initials_key(r.kind, &i));
        }
        if let [one] = words.as_slice() {
            out.push(initials_key(r.kind, one));
        }
    }
    for n in &r.neighbours {
        out.push(hashed(&["neighbour", &n.to_string()]));
    }
    out[start..].sort_unstable();
    let mut kept = start;
    for i in start..out.len() {
        if i == start || out[i] != out[kept - 1] {
            out[kept] = out[i];
            kept += 1;
        }
    }
    out.truncate(kept);
}

/// What a pair is compared with besides its names: how many names share each initials, and
/// how many entities each neighbour has.
struct Context {
    expansions: HashMap<u64, u32>,
    degree: HashMap<u32, u32>,
}

/// Scores one pair: the best name comparison, then the evidence of the rest.
fn score(a: &Record, b: &Record, cx: &Context) -> Option<(f64, Vec<String>)> {
    if a.kind != b.kind {
        return None;
    }
    let person = a.kind == Kind::Person;
    let mut best: Option<(f64, Reason, &str, &str)> = None;
    for x in &a.names {
        for y in &b.names {
            if let Some((s, r)) = resolve::compare(x, y, person)
                && best.is_none_or(|(b, ..)| s > b)
            {
                best = Some((s, r, x, y));
            }
        }
    }
    let (mut s, reason, x, y, label) = match best {
        Some((s, r, x, y)) => (s, Some(r), x, y, r.name()),
        // Names of two or more words with the same consonant skeletons but spelt too far apart
        // for extraction to take one for the other ("Bomono" and "Bumono", but also "Sadiq"
        // and "Siddique"): something else must be shared for the pair to be listed.
        None => {
            let (x, y) =
                a.names.iter().flat_map(|x| b.names.iter().map(move |y| (x, y))).find(|(x, y)| {
                    resolve::words(x, person).len() >= 2 && resolve::key(x, person) == resolve::key(y, person)
                })?;
            (0.65, None, x.as_str(), y.as_str(), "same consonants")
        }
    };
    let mut reasons = vec![format!("{label}: «{x}» ~ «{y}»")];
    // Rare neighbours both are linked to: a small cell or one event, not a country.
    let rare = a
        .neighbours
        .iter()
        .filter(|n| b.neighbours.contains(n))
        .filter(|n| cx.degree.get(n).is_some_and(|&d| d as usize <= MAX_BLOCK))
        .count();
    let dates = match (&a.date, &b.date) {
        (Some(da), Some(db)) if !da.starts_with(db.as_str()) && !db.starts_with(da.as_str()) => {
            Some(Err((da, db)))
        }
        (Some(da), Some(_)) => Some(Ok(da)),
        _ => None,
    };
    // An abbreviation (or a bare one written alike on both sides) stands for any of the names
    // with its initials: each doubling of their number halves what it says.
    let short = if resolve::words(x, person).len() == 1 { Some(x) } else { Some(y) }
        .filter(|s| resolve::words(s, person).len() == 1);
    if let Some(short) = short.filter(|_| matches!(reason, Some(Reason::Abbreviation | Reason::SameName))) {
        let key = initials_key(a.kind, &resolve::words(short, person).join(""));
        if let Some(n) = cx.expansions.get(&key).copied().filter(|&n| n > 1) {
            s -= (0.15 * f64::from(n).log2()).min(0.45);
            reasons.push(format!("{n} names have these initials"));
        }
    }
    if reason == Some(Reason::Spelling) && rare == 0 && !matches!(dates, Some(Ok(_))) {
        // Names a letter apart and nothing else in common: two people as often as one.
        s -= 0.1;
        reasons.push("nothing in common besides the spelling".into());
    }
    match dates {
        Some(Err((da, db))) => {
            s -= 0.3;
            reasons.push(format!("conflicting dates {da} and {db}"));
        }
        Some(Ok(d)) => {
            s += 0.05;
            reasons.push(format!("compatible dates ({d})"));
        }
        None => {}
    }
    if rare > 0 {
        s += NEIGHBOUR_WEIGHT * rare.min(2) as f64;
        reasons.push(format!("{rare} shared neighbour(s)"));
    }
    Some((s.clamp(0.0, 1.0), reasons))
}

/// The likely duplicate pairs among `records` with a score of at least `threshold`, best
/// first (then by numbers).
pub fn pairs(records: &[Record], threshold: f64) -> Vec<Pair> {
    let mut cx = Context { expansions: HashMap::new(), degree: HashMap::new() };
    for r in records {
        for n in &r.names {
            if let Some(i) = resolve::initials(n) {
                *cx.expansions.entry(initials_key(r.kind, &i)).or_default() += 1;
            }
        }
        for &n in &r.neighbours {
            *cx.degree.entry(n).or_default() += 1;
        }
    }
    // (key, record) for every key of every record, sorted: the blocks are its runs.
    let mut entries: Vec<(u64, u32)> = Vec::new();
    let mut scratch = Vec::new();
    for (i, r) in records.iter().enumerate() {
        scratch.clear();
        keys(r, &mut scratch);
        entries.extend(scratch.iter().map(|&k| (k, i as u32)));
    }
    entries.sort_unstable();
    let mut seen: HashSet<(u32, u32)> = HashSet::new();
    let mut out = Vec::new();
    for block in entries.chunk_by(|x, y| x.0 == y.0) {
        if block.len() < 2 || block.len() > MAX_BLOCK {
            continue;
        }
        for (i, &(_, a)) in block.iter().enumerate() {
            for &(_, b) in &block[i + 1..] {
                if !seen.insert((a, b)) {
                    continue;
                }
                if let Some((score, reasons)) = score(&records[a as usize], &records[b as usize], &cx)
                    && score >= threshold
                {
                    out.push(Pair { a: a as usize, b: b as usize, score, reasons });
                }
            }
        }
    }
    out.sort_by(|x, y| y.score.total_cmp(&x.score).then((x.a, x.b).cmp(&(y.a, y.b))));
    out
}

/// The sorts of duplicate [`synthetic`] injects.
pub const VARIANTS: [&str; 6] =
    ["doubled letter", "transliteration", "word order", "abbreviation", "title", "consonant typo"];

/// Records with injected duplicates, and the true duplicate pairs with the sort of each: `n`
/// distinct people and groups from a seeded generator, and for one in five a copy under a
/// varied name (a doubled letter, a transliteration, the words in another order, a group's
/// abbreviation, a person's title, or one consonant typed for another).
///
/// Records carry the context real ones have: people a birth month half the time; every record
/// a link to one of a few hubs (countries) most of the time and to one to three of many small
/// neighbours (cells, events). A duplicate, being the same entity written down elsewhere,
/// keeps each of its original's small neighbours with even odds (and gains one of its own),
/// and its birth month half the time; one in twenty copies the month wrongly.
pub fn synthetic(n: usize, seed: u64) -> (Vec<Record>, HashMap<(usize, usize), &'static str>) {
    const FIRST: &[&str] = &[
        "Mohammed", "Ahmad", "Yusuf", "Ibrahim", "Khalid", "Omar", "Hassan", "Tariq", "Bilal", "Karim",
        "Samir", "Nabil", "Rashid", "Farid", "Jamal", "Walid", "Adnan", "Faisal", "Hamza", "Idris", "Daniel",
        "Thomas", "Peter", "Michael", "Robert", "Anna", "Maria", "Sophie", "Laura", "Elena",
    ];
    // Surnames of two or three syllables, so that names stay distinct at a million.
    const SYLLABLES: &[&str] = &[
        "ka", "ri", "mo", "sa", "tu", "le", "na", "bo", "di", "fa", "ha", "ji", "lu", "ma", "no", "pe", "qa",
        "ro", "si", "ta", "va", "wi", "ya", "zu", "dar", "kim", "sul", "ben",
    ];
    const GROUP: &[&str] = &[
        "Islamic",
        "Revolutionary",
        "Popular",
        "National",
        "Liberation",
        "Northern",
        "Eastern",
        "United",
        "Free",
        "Patriotic",
        "Democratic",
        "Armed",
        "Sacred",
        "Green",
        "Red",
        "Iron",
        "Southern",
        "Western",
        "People's",
        "Holy",
    ];
    const GROUP_HEAD: &[&str] =
        &["Front", "Brigade", "Movement", "Army", "Battalion", "Council", "Legion", "Union"];
    const CONSONANTS: &[u8] = b"bdfghklmnprstvz";
    const HUBS: u32 = 40;
    // Neighbours are numbered apart from the records: hubs, then small neighbours.
    let small = (n / 2).max(1) as u32;
    let neighbour_base = 1u32 << 30;
    let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let mut next = move |m: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % m as u64) as usize
    };
    let surname = |next: &mut dyn FnMut(usize) -> usize| {
        let parts = 2 + next(2);
        let word: String = (0..parts).map(|_| SYLLABLES[next(SYLLABLES.len())]).collect();
        let mut chars = word.chars();
        chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
    };
    let small_neighbour =
        |next: &mut dyn FnMut(usize) -> usize| neighbour_base + HUBS + next(small as usize) as u32;
    let month = |next: &mut dyn FnMut(usize) -> usize| format!("{}-{:02}", 1950 + next(55), 1 + next(12));
    let mut records = Vec::new();
    let mut names_seen: HashSet<String> = HashSet::new();
    let mut truth = HashMap::new();
    let mut tries = 0;
    while records.len() < n && tries < n * 20 {
        tries += 1;
        let person = next(3) > 0;
        let (kind, name) = if person {
            // Three words, so that names are mostly distinct at scale.
            let name =
                format!("{} {} {}", FIRST[next(FIRST.len())], FIRST[next(FIRST.len())], surname(&mut next));
            (Kind::Person, name)
        } else {
            let name = format!(
                "{} {} {} {}",
                GROUP[next(GROUP.len())],
                GROUP[next(GROUP.len())],
                GROUP_HEAD[next(GROUP_HEAD.len())],
                surname(&mut next)
            );
            (Kind::Group, name)
        };
        if !names_seen.insert(resolve::key(&name, person)) {
            continue;
        }
        let mut neighbours = Vec::new();
        if next(10) < 7 {
            neighbours.push(neighbour_base + next(HUBS as usize) as u32);
        }
        for _ in 0..1 + next(3) {
            neighbours.push(small_neighbour(&mut next));
        }
        let date = (person && next(2) == 0).then(|| month(&mut next));
        let original = records.len();
        records.push(Record {
            kind,
            names: vec![name.clone()],
            date: date.clone(),
            neighbours: neighbours.clone(),
        });
        if next(5) != 0 || records.len() >= n {
            continue;
        }
        let words: Vec<&str> = name.split(' ').collect();
        let last = words[words.len() - 1];
        let but_last = words[..words.len() - 1].join(" ");
        let sort = match next(5) {
            3 if !person => 3,
            3 => 4,
            4 => 5,
            k => k,
        };
        let variant = match sort {
            // A slip: one letter of the last word doubled.
            0 => {
                let at = 1 + next(last.len() - 1);
                let (head, tail) = last.split_at(at);
                format!("{but_last} {head}{}{tail}", &head[head.len() - 1..])
            }
            // A transliteration: vowels read another way.
            1 => name.replacen('o', "u", 1).replacen("ee", "i", 1).replacen('a', "e", 1),
            // The words in another order: the last name first.
            2 => format!("{last} {but_last}"),
            // A group's abbreviation.
            3 => words.iter().filter_map(|w| w.chars().next()).collect::<String>(),
            // A person under a title, a vowel doubled.
            4 => format!("Mr {}", name.replacen('a', "aa", 1)),
            // One consonant of the last word typed for another.
            _ => {
                let at: Vec<usize> = last
                    .bytes()
                    .enumerate()
                    .filter(|&(i, c)| i > 0 && CONSONANTS.contains(&c))
                    .map(|(i, _)| i)
                    .collect();
                let Some(&i) = at.get(next(at.len().max(1))) else { continue };
                let mut typed = last.as_bytes().to_vec();
                typed[i] = CONSONANTS[(CONSONANTS.iter().position(|&c| c == typed[i]).unwrap_or(0)
                    + 1
                    + next(CONSONANTS.len() - 1))
                    % CONSONANTS.len()];
                format!("{but_last} {}", String::from_utf8_lossy(&typed))
            }
        };
        // A variant that another record already goes by would make the truth unclear.
        let variant_key = resolve::key(&variant, person);
        if resolve::words(&variant, person) == resolve::words(&name, person)
            || (variant_key != resolve::key(&name, person) && !names_seen.insert(variant_key))
        {
            continue;
        }
        let mut copied: Vec<u32> = neighbours.iter().copied().filter(|_| next(2) == 0).collect();
        copied.push(small_neighbour(&mut next));
        let copied_date = match &date {
            Some(_) if next(20) == 0 => Some(month(&mut next)),
            Some(d) if next(2) == 0 => Some(d.clone()),
            _ => None,
        };
        truth.insert((original, records.len()), VARIANTS[sort]);
        records.push(Record { kind, names: vec![variant], date: copied_date, neighbours: copied });
    }
    (records, truth)
}

/// Precision and recall of [`pairs`] at `threshold` on [`synthetic`] records, with the
/// recall of each sort of duplicate. (No timing: output stays the same from run to run; time
/// the command to know how long it takes.)
#[derive(Debug, Serialize)]
pub struct EvalReport {
    pub records: usize,
    pub injected: usize,
    pub found: usize,
    pub correct: usize,
    pub precision: f64,
    pub recall: f64,
    pub threshold: f64,
    /// For each sort of injected duplicate: how many were injected and how many found.
    pub by_variant: Vec<VariantRecall>,
}

#[derive(Debug, Serialize)]
pub struct VariantRecall {
    pub variant: &'static str,
    pub injected: usize,
    pub found: usize,
}

pub fn evaluate(n: usize, threshold: f64) -> EvalReport {
    let (records, truth) = synthetic(n, 19);
    let found = pairs(&records, threshold);
    let hits: Vec<&str> = found.iter().filter_map(|p| truth.get(&(p.a, p.b)).copied()).collect();
    let correct = hits.len();
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let by_variant = VARIANTS
        .iter()
        .map(|&variant| VariantRecall {
            variant,
            injected: truth.values().filter(|&&v| v == variant).count(),
            found: hits.iter().filter(|&&v| v == variant).count(),
        })
        .collect();
    EvalReport {
        records: records.len(),
        injected: truth.len(),
        found: found.len(),
        correct,
        precision: ratio(correct, found.len()),
        recall: ratio(correct, truth.len()),
        threshold,
        by_variant,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(name: &str, date: Option<&str>) -> Record {
        Record {
            kind: Kind::Person,
            names: vec![name.into()],
            date: date.map(Into::into),
            neighbours: vec![],
        }
    }

    #[test]
    fn variants_pair_up_and_conflicting_dates_count_against() {
        let records = vec![
            person("Mohammad Sidique Khan", Some("1974")),
            person("Muhammad Siddique Khan", Some("1974-10-20")),
            person("Salman Abedi", None),
            person("Hashem Abedi", None),
            person("Abedi Salman", Some("1994")),
            person("Khan Mohammad Sidique", Some("1980")),
        ];
        let found = pairs(&records, THRESHOLD);
        let ids: Vec<(usize, usize)> = found.iter().map(|p| (p.a, p.b)).collect();
        assert!(ids.contains(&(0, 1)) && ids.contains(&(2, 4)), "{found:?}");
        assert!(!ids.contains(&(2, 3)), "brothers: {found:?}");
        assert!(!ids.contains(&(0, 5)), "born six years apart: {found:?}");
    }

    fn with(kind: Kind, name: &str, neighbours: &[u32]) -> Record {
        Record { kind, names: vec![name.into()], date: None, neighbours: neighbours.to_vec() }
    }

    fn score_of(records: &[Record], a: usize, b: usize) -> Option<f64> {
        pairs(records, 0.0).iter().find(|p| (p.a, p.b) == (a, b)).map(|p| p.score)
    }

    #[test]
    fn a_spelling_difference_alone_is_not_enough_but_a_rare_shared_neighbour_is() {
        let alone =
            [with(Kind::Person, "Walid Samir Notuta", &[1]), with(Kind::Person, "Walid Samir Notusa", &[2])];
        assert!(score_of(&alone, 0, 1).is_some_and(|s| s < THRESHOLD));
        let shared =
            [with(Kind::Person, "Walid Samir Notuta", &[1]), with(Kind::Person, "Walid Samir Notusa", &[1])];
        assert!(score_of(&shared, 0, 1).is_some_and(|s| s >= THRESHOLD));
        // A hub (a neighbour of more than MAX_BLOCK entities) says nothing.
        let mut hub = vec![
            with(Kind::Person, "Walid Samir Notuta", &[7]),
            with(Kind::Person, "Walid Samir Notusa", &[7]),
        ];
        hub.extend((0..MAX_BLOCK).map(|i| with(Kind::Place, &format!("Town {i}"), &[7])));
        assert!(score_of(&hub, 0, 1).is_some_and(|s| s < THRESHOLD));
        // Different kinds are never compared.
        let kinds =
            [with(Kind::Person, "Walid Samir Notuta", &[1]), with(Kind::Group, "Walid Samir Notuta", &[1])];
        assert_eq!(score_of(&kinds, 0, 1), None);
    }

    #[test]
    fn an_abbreviation_several_names_share_needs_shared_neighbours() {
        let mut records = vec![
            with(Kind::Group, "Iron Patriotic Front Sana", &[1, 2]),
            with(Kind::Group, "IPFS", &[1, 2]),
            with(Kind::Group, "Islamic Popular Front Sulu", &[3]),
            with(Kind::Group, "Irish People's Front Sabo", &[4]),
        ];
        assert!(score_of(&records, 0, 1).is_some_and(|s| s >= THRESHOLD), "{:?}", pairs(&records, 0.0));
        assert!(score_of(&records, 1, 2).is_none_or(|s| s < THRESHOLD));
        records[1].neighbours = vec![9];
        assert!(score_of(&records, 0, 1).is_none_or(|s| s < THRESHOLD));
    }

    #[test]
    fn synthetic_duplicates_are_found_with_precision_and_recall_of_at_least_0_9() {
        let r = evaluate(2000, THRESHOLD);
        assert!(r.injected > 100, "{r:?}");
        assert!(r.precision >= 0.9 && r.recall >= 0.9, "{r:?}");
    }
}

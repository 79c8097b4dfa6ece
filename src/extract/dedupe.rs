//! Likely duplicate entities across a whole graph (cross-referencing, as Aleph does with
//! FollowTheMoney entities): pairs of entities of one kind whose names compare alike
//! ([`super::resolve::compare`]: word order, abbreviation, transliteration, spelling), each with
//! a score and its reasons; conflicting dates count against, shared neighbours for.
//!
//! Blocking keeps it sub-quadratic: only entities that share a block key are compared, a key
//! being the kind with one word's consonant skeleton, or with a name's initials. Keys held by
//! more than [`MAX_BLOCK`] entities (a very common word) say too little and are skipped.
//! [`synthetic`] builds names with injected duplicates of each sort to measure precision and
//! recall.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::resolve::{self, Reason};
use crate::model::Kind;

/// Entities sharing one block key beyond this many are not compared on that key.
pub const MAX_BLOCK: usize = 64;
/// The score from which a pair is reported by default.
pub const THRESHOLD: f64 = 0.85;

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

/// The block keys of a record: for each name, the sorted skeletons of its words with one word
/// left out (a slip in any one word keeps the others' key; word order and transliteration do
/// not change skeletons), its initials, and a one-word name itself.
fn keys(r: &Record) -> Vec<String> {
    let person = r.kind == Kind::Person;
    let mut out = Vec::new();
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
            out.push(format!("{:?} {}", r.kind, rest.join(" ")));
        }
        if let Some(i) = resolve::initials(n) {
            out.push(format!("{:?} ={i}", r.kind));
        }
        if let [one] = words.as_slice() {
            out.push(format!("{:?} ={one}", r.kind));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Scores one pair: the best name comparison, then the evidence of dates and neighbours.
/// `expansions` counts the names of each kind with given initials: an abbreviation that
/// several names share says nothing on its own.
fn score(a: &Record, b: &Record, expansions: &HashMap<String, usize>) -> Option<(f64, Vec<String>)> {
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
    let (mut s, reason, x, y) = best?;
    let mut reasons = vec![format!("{}: «{x}» ~ «{y}»", reason.name())];
    if reason == Reason::Abbreviation {
        let short = if resolve::words(x, person).len() == 1 { x } else { y };
        let shared =
            expansions.get(&format!("{:?} ={}", a.kind, resolve::words(short, person).join(""))).copied();
        if let Some(n) = shared.filter(|&n| n > 1) {
            s -= 0.3;
            reasons.push(format!("{n} names have these initials"));
        }
    }
    if let (Some(da), Some(db)) = (&a.date, &b.date)
        && !da.starts_with(db.as_str())
        && !db.starts_with(da.as_str())
    {
        s -= 0.3;
        reasons.push(format!("conflicting dates {da} and {db}"));
    }
    let shared = a.neighbours.iter().filter(|n| b.neighbours.contains(n)).count();
    if shared > 0 {
        s = (s + 0.05 * shared.min(2) as f64).min(1.0);
        reasons.push(format!("{shared} shared neighbour(s)"));
    }
    Some((s, reasons))
}

/// The likely duplicate pairs among `records` with a score of at least `threshold`, best
/// first (then by numbers).
pub fn pairs(records: &[Record], threshold: f64) -> Vec<Pair> {
    let mut blocks: HashMap<String, Vec<u32>> = HashMap::new();
    let mut expansions: HashMap<String, usize> = HashMap::new();
    for r in records {
        for n in &r.names {
            if let Some(i) = resolve::initials(n) {
                *expansions.entry(format!("{:?} ={i}", r.kind)).or_default() += 1;
            }
        }
    }
    for (i, r) in records.iter().enumerate() {
        for k in keys(r) {
            blocks.entry(k).or_default().push(i as u32);
        }
    }
    let mut seen: HashSet<(u32, u32)> = HashSet::new();
    let mut out = Vec::new();
    let mut blocks: Vec<(String, Vec<u32>)> = blocks.into_iter().filter(|(_, v)| v.len() > 1).collect();
    blocks.sort_unstable();
    for (_, members) in blocks {
        if members.len() > MAX_BLOCK {
            continue;
        }
        for (i, &a) in members.iter().enumerate() {
            for &b in &members[i + 1..] {
                if !seen.insert((a, b)) {
                    continue;
                }
                if let Some((score, reasons)) = score(&records[a as usize], &records[b as usize], &expansions)
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

/// Records with injected duplicates, and the true duplicate pairs: `n` distinct people and
/// groups from a seeded generator, and for one in five a copy under a varied name (a spelling
/// slip, a transliteration, the words in another order, or, for a group, its abbreviation).
pub fn synthetic(n: usize, seed: u64) -> (Vec<Record>, HashSet<(usize, usize)>) {
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
    let mut records = Vec::new();
    let mut names_seen: HashSet<String> = HashSet::new();
    let mut truth = HashSet::new();
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
        let original = records.len();
        records.push(Record { kind, names: vec![name.clone()], date: None, neighbours: Vec::new() });
        if next(5) != 0 || records.len() >= n {
            continue;
        }
        let words: Vec<&str> = name.split(' ').collect();
        let variant = match next(4) {
            // A spelling slip: one letter doubled in the last word.
            0 => {
                let last = words[words.len() - 1];
                let at = 1 + next(last.len() - 1);
                let (head, tail) = last.split_at(at);
                let doubled = format!("{head}{}{tail}", &head[head.len() - 1..]);
                format!("{} {doubled}", words[..words.len() - 1].join(" "))
            }
            // A transliteration: vowels read another way.
            1 => name.replacen('o', "u", 1).replacen("ee", "i", 1).replacen('a', "e", 1),
            // The words in another order: the last name first.
            2 => format!("{} {}", words[words.len() - 1], words[..words.len() - 1].join(" ")),
            // An abbreviation (groups), or initials dropped to the surname with a title (people).
            _ if !person => words.iter().filter_map(|w| w.chars().next()).collect::<String>(),
            _ => format!("Mr {}", name.replacen('a', "aa", 1)),
        };
        if resolve::words(&variant, person) == resolve::words(&name, person) {
            continue;
        }
        truth.insert((original, records.len()));
        records.push(Record { kind, names: vec![variant], date: None, neighbours: Vec::new() });
    }
    (records, truth)
}

/// Precision and recall of [`pairs`] at `threshold` on [`synthetic`] records.
#[derive(Debug, Serialize)]
pub struct EvalReport {
    pub records: usize,
    pub injected: usize,
    pub found: usize,
    pub correct: usize,
    pub precision: f64,
    pub recall: f64,
    pub threshold: f64,
}

pub fn evaluate(n: usize, threshold: f64) -> EvalReport {
    let (records, truth) = synthetic(n, 19);
    let found = pairs(&records, threshold);
    let correct = found.iter().filter(|p| truth.contains(&(p.a, p.b))).count();
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    EvalReport {
        records: records.len(),
        injected: truth.len(),
        found: found.len(),
        correct,
        precision: ratio(correct, found.len()),
        recall: ratio(correct, truth.len()),
        threshold,
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

    #[test]
    fn synthetic_duplicates_are_found_with_precision_and_recall_of_at_least_0_9() {
        let r = evaluate(2000, THRESHOLD);
        assert!(r.injected > 100, "{r:?}");
        assert!(r.precision >= 0.9 && r.recall >= 0.9, "{r:?}");
    }
}

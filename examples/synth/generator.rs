//! The synthetic dataset generator behind `cargo run --release --example synth`.
//!
//! [`generate`] writes a valid data folder in threatgraph's own format, of any size, for
//! measuring the loader, the validator and the queries at scale:
//!
//! ```text
//! DIR/sources.ron                    every source, all of them cited
//! DIR/curated/entities-NNNNN.ron     10,000 entities per file
//! DIR/curated/links-NNNNN.ron        20,000 links per file
//! DIR/graph.json                     the same graph as node-link JSON (NetworkX, igraph)
//! ```
//!
//! `graph.json` sits at the top of the folder, where the loader does not look (it reads only
//! `sources.ron` and `.ron` files under `curated/`, `extracted/`, `views/` and `chains/`).
//!
//! The mix: about 60% people, 5% groups, 15% places, 20% events (half of them attacks) and
//! about four links per entity. Places form a tree (countries, regions, cities, then
//! districts, venues, facilities and camps) joined by `LocatedIn`, so there are no cycles.
//! Link ends are drawn from a Zipf-like law (a uniformly chosen power-of-two bucket of ranks,
//! then a uniform rank inside it: P(rank r) ≈ 1 / (r log₂ n)), so the first groups, cities
//! and people are hubs: at a million entities the biggest have tens of thousands of links.
//! Every pool whose members would otherwise risk getting no link (countries, groups, sources)
//! is covered first: the first draws go to each member in turn.
//!
//! Names are unique by construction, so the validator has nothing to warn about: words are
//! made of consonant-vowel syllables numbered in base 70, and every kind adds a word that
//! cannot be such a syllable string (`Front`, `Province`, `bombing`, `Abu`).
//!
//! Deterministic: one SplitMix64 stream seeded by `seed`, integer arithmetic only, entities
//! and links written in generation order, so the same size and seed give the same bytes.
//!
//! The file is shared: the example's `main.rs` includes it as a module, and so does the
//! integration test (`tests/integration/synth.rs`, via `#[path]`), which generates a small
//! folder and loads it with the library, so the generator is tested without running cargo.

use std::fmt::{self, Write as _};
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use threatgraph::model::{Certainty, Kind, Relation};

/// Entities per `curated/entities-*.ron` file.
pub const ENTITIES_PER_FILE: usize = 10_000;
/// Links per `curated/links-*.ron` file.
pub const LINKS_PER_FILE: usize = 20_000;
/// The smallest dataset generated: enough for every kind and level of place to exist.
pub const MIN_ENTITIES: usize = 100;

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct Config {
    pub entities: usize,
    pub seed: u64,
}

/// What was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub sources: usize,
    pub entities: usize,
    pub links: usize,
    /// `.ron` files written (sources.ron and the chunks under `curated/`).
    pub files: usize,
    /// Bytes of `.ron` written.
    pub ron_bytes: u64,
    /// Bytes of `graph.json`.
    pub json_bytes: u64,
}

/// Writes a dataset of `config.entities` entities into `dir`, which must be new or empty.
pub fn generate(config: &Config, dir: &Path) -> io::Result<Summary> {
    if config.entities < MIN_ENTITIES {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("at least {MIN_ENTITIES} entities are needed, not {}", config.entities),
        ));
    }
    if dir.exists() && fs::read_dir(dir)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("`{}` is not empty: give a new or empty folder", dir.display()),
        ));
    }
    fs::create_dir_all(dir.join("curated"))?;
    let mut g = Generator::new(config, dir)?;
    g.sources()?;
    g.places()?;
    g.groups()?;
    g.people()?;
    g.events()?;
    g.entity_chunks.finish()?;
    g.json.write_all(b"\n],\n\"links\": [")?;
    g.place_links()?;
    g.group_links()?;
    g.person_links()?;
    g.event_links()?;
    g.link_chunks.finish()?;
    g.json.write_all(b"\n]}\n")?;
    g.json.flush()?;
    Ok(Summary {
        sources: g.n.sources,
        entities: g.entity_chunks.count,
        links: g.link_chunks.count,
        files: 1 + g.entity_chunks.files + g.link_chunks.files,
        ron_bytes: g.sources_bytes + g.entity_chunks.bytes + g.link_chunks.bytes,
        json_bytes: g.json_bytes(),
    })
}

/// SplitMix64 (Steele, Lea and Flood 2014): small, fast and good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (Lemire's multiply-shift; the bias is below 2⁻³² for our sizes).
    fn below(&mut self, n: usize) -> usize {
        debug_assert!(n > 0);
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }

    fn range(&mut self, lo: u16, hi: u16) -> u16 {
        lo + self.below(usize::from(hi - lo) + 1) as u16
    }

    fn percent(&mut self, p: usize) -> bool {
        self.below(100) < p
    }

    /// A rank in `0..n`, heavy-tailed: a uniform power-of-two bucket, then uniform in it.
    fn zipf(&mut self, n: usize) -> usize {
        let buckets = (usize::BITS - n.leading_zeros()) as usize;
        let e = self.below(buckets);
        let lo = (1usize << e) - 1;
        let hi = ((1usize << (e + 1)) - 1).min(n);
        lo + self.below(hi - lo)
    }

    /// One of the values, by integer weight.
    fn weighted<T: Copy>(&mut self, table: &[(usize, T)]) -> T {
        self.pick(table, |row| row.0).1
    }

    /// One row of a table, by the integer weight `weight` gives it.
    fn pick<'t, T>(&mut self, table: &'t [T], weight: impl Fn(&T) -> usize) -> &'t T {
        let total: usize = table.iter().map(&weight).sum();
        let mut x = self.below(total);
        for row in table {
            if x < weight(row) {
                return row;
            }
            x -= weight(row);
        }
        unreachable!("x < total")
    }
}

/// Draws from a pool so that every member is drawn at least once: the first draws go to the
/// members in turn, later ones follow the Zipf-like law.
struct Covering {
    n: usize,
    next: usize,
}

impl Covering {
    fn new(n: usize) -> Self {
        Covering { n, next: 0 }
    }

    fn draw(&mut self, rng: &mut Rng) -> usize {
        if self.next < self.n {
            self.next += 1;
            self.next - 1
        } else {
            rng.zipf(self.n)
        }
    }
}

/// A partial date as the data writes it: year, and optionally quarter, month or day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Date {
    year: u16,
    quarter: u8,
    month: u8,
    day: u8,
    approximate: bool,
}

impl Date {
    fn year(year: u16) -> Self {
        Date { year, quarter: 0, month: 0, day: 0, approximate: false }
    }

    /// A date in `lo..=hi` at a random precision, mostly years, months and days.
    fn random(rng: &mut Rng, lo: u16, hi: u16) -> Self {
        let mut d = Date::year(rng.range(lo, hi));
        match rng.below(100) {
            0..35 => d.approximate = rng.percent(12),
            35..40 => d.quarter = 1 + rng.below(4) as u8,
            40..65 => d.month = 1 + rng.below(12) as u8,
            _ => {
                d.month = 1 + rng.below(12) as u8;
                d.day = 1 + rng.below(month_len(d.year, d.month)) as u8;
            }
        }
        d
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.approximate {
            f.write_str("~")?;
        }
        write!(f, "{:04}", self.year)?;
        if self.quarter > 0 {
            write!(f, "-Q{}", self.quarter)?;
        } else if self.month > 0 {
            write!(f, "-{:02}", self.month)?;
            if self.day > 0 {
                write!(f, "-{:02}", self.day)?;
            }
        }
        Ok(())
    }
}

fn month_len(year: u16, month: u8) -> usize {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The latest year any generated date reaches.
const LAST_YEAR: u16 = 2024;

const CONSONANTS: &[u8] = b"bdfgklmnprstvz";
const VOWELS: &[u8] = b"aeiou";
const SYLLABLES: usize = 14 * 5;

/// The `k`th word: `k` in base 70, at least two digits, each digit a consonant-vowel
/// syllable. Distinct `k` give distinct words; the first letter is a capital.
fn word(out: &mut String, k: usize) {
    let mut digits = [0usize; 8];
    let mut len = 0;
    let mut rest = k;
    while rest > 0 || len < 2 {
        digits[len] = rest % SYLLABLES;
        rest /= SYLLABLES;
        len += 1;
    }
    for (i, &d) in digits[..len].iter().rev().enumerate() {
        let c = CONSONANTS[d / 5] as char;
        out.push(if i == 0 { c.to_ascii_uppercase() } else { c });
        out.push(VOWELS[d % 5] as char);
    }
}

/// The id of a name made of ASCII words: lowercase, spaces to hyphens.
fn slug(name: &str) -> String {
    name.chars().map(|c| if c == ' ' { '-' } else { c.to_ascii_lowercase() }).collect()
}

/// Writes `s` as a quoted RON string (the names here are plain ASCII, so it is JSON too).
fn quote(out: &mut String, s: &str) {
    out.push_str(&threatgraph::save::quote(s));
}

/// A folder of RON chunk files, each `(entities: [...], links: [...])` with one list filled.
struct Chunks {
    dir: PathBuf,
    prefix: &'static str,
    per_file: usize,
    file: Option<BufWriter<File>>,
    count: usize,
    files: usize,
    bytes: u64,
}

impl Chunks {
    fn new(dir: PathBuf, prefix: &'static str, per_file: usize) -> Self {
        Chunks { dir, prefix, per_file, file: None, count: 0, files: 0, bytes: 0 }
    }

    fn head(&self) -> &'static str {
        if self.prefix == "entities" {
            "(\n    entities: [\n"
        } else {
            "(\n    entities: [],\n    links: [\n"
        }
    }

    fn tail(&self) -> &'static str {
        if self.prefix == "entities" { "    ],\n    links: [],\n)\n" } else { "    ],\n)\n" }
    }

    /// Appends one record (a full line, indented and ending in `,\n`).
    fn push(&mut self, record: &str) -> io::Result<()> {
        if self.count.is_multiple_of(self.per_file) {
            self.finish()?;
            let path = self.dir.join(format!("{}-{:05}.ron", self.prefix, self.files));
            let mut file = BufWriter::with_capacity(1 << 20, File::create(path)?);
            file.write_all(self.head().as_bytes())?;
            self.bytes += self.head().len() as u64;
            self.file = Some(file);
            self.files += 1;
        }
        let file = self.file.as_mut().expect("opened above");
        file.write_all(record.as_bytes())?;
        self.bytes += record.len() as u64;
        self.count += 1;
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        if let Some(mut file) = self.file.take() {
            file.write_all(self.tail().as_bytes())?;
            self.bytes += self.tail().len() as u64;
            file.flush()?;
        }
        Ok(())
    }
}

/// How many of each thing, and where each level of place starts.
struct Sizes {
    sources: usize,
    people: usize,
    groups: usize,
    events: usize,
    places: usize,
    countries: usize,
    regions: usize,
    cities: usize,
}

impl Sizes {
    fn new(n: usize) -> Self {
        let places = n * 15 / 100;
        let groups = n * 5 / 100;
        let events = n * 20 / 100;
        let countries = (places / 100).clamp(1, 200);
        let regions = (places / 10).max(countries);
        let cities = places * 4 / 10;
        Sizes {
            sources: (n / 500).clamp(4, 2000),
            people: n - places - groups - events,
            groups,
            events,
            places,
            countries,
            regions,
            cities,
        }
    }

    fn first_region(&self) -> usize {
        self.countries
    }

    fn first_city(&self) -> usize {
        self.countries + self.regions
    }

    fn first_leaf(&self) -> usize {
        self.countries + self.regions + self.cities
    }
}

/// The sorts of place, with the word a name ends in (none for countries and cities).
const PLACES: &[(&str, &str)] = &[
    ("Country", "land"),
    ("Region", " Province"),
    ("City", ""),
    ("District", " District"),
    ("Venue", " Hall"),
    ("Facility", " Depot"),
    ("Camp", " Camp"),
];
const LEAF_PLACES: &[(usize, u8)] = &[(50, 3), (25, 4), (15, 5), (10, 6)];

const GROUPS: &[(usize, &str, &str)] = &[
    (20, "Organisation", "Front"),
    (15, "Affiliate", "Brigade"),
    (35, "Cell", "Cell"),
    (15, "Network", "Network"),
    (5, "Media", "Media"),
    (3, "Agency", "Directorate"),
    (7, "Movement", "Movement"),
];
const IDEOLOGIES: &[(usize, &str)] = &[
    (60, "Jihadist"),
    (15, "ExtremeRightWing"),
    (5, "ExtremeLeftWing"),
    (10, "Separatist"),
    (5, "Sectarian"),
    (5, "Other"),
];
const STATUSES: &[(usize, Option<&str>)] = &[
    (30, Some("Alive")),
    (15, Some("Dead")),
    (15, Some("Detained")),
    (10, Some("Convicted")),
    (10, Some("Unknown")),
    (20, None),
];
const ROLES: &[&str] = &[
    "fighter",
    "recruiter",
    "financier",
    "propagandist",
    "bomb maker",
    "handler",
    "preacher",
    "facilitator",
    "suicide bomber",
    "commander",
];

/// Events: sub-kind, the word its name ends in, and the relation its participants have.
const NON_ATTACKS: &[(usize, &str, &str, Relation)] = &[
    (25, "Plot", "plot", Relation::Plotted),
    (20, "Arrest", "arrest", Relation::ArrestedIn),
    (10, "Conviction", "trial", Relation::ConvictedOf),
    (15, "Meeting", "meeting", Relation::ParticipatedIn),
    (15, "Training", "training", Relation::ParticipatedIn),
    (5, "Release", "release", Relation::ParticipatedIn),
    (5, "Publication", "publication", Relation::ParticipatedIn),
    (5, "Operation", "operation", Relation::ParticipatedIn),
];
/// Attack methods and the word an attack's name ends in.
const METHODS: &[(usize, &str, &str)] = &[
    (30, "Bombing", "bombing"),
    (10, "SuicideBombing", "suicide bombing"),
    (25, "Shooting", "shooting"),
    (12, "Stabbing", "stabbing"),
    (6, "VehicleRamming", "ramming"),
    (1, "Radiological", "dirty bomb"),
    (5, "Assassination", "assassination"),
    (4, "Hostage", "siege"),
    (4, "Arson", "arson"),
    (3, "Other", "incident"),
];
const TARGETS: &[(usize, &str)] = &[
    (8, "Concert"),
    (6, "Sports"),
    (12, "Religious"),
    (14, "Transport"),
    (10, "Government"),
    (10, "Military"),
    (4, "Diplomatic"),
    (12, "Police"),
    (20, "Civilians"),
    (4, "Other"),
];
const OUTCOMES: &[(usize, Option<&str>)] = &[
    (40, Some("Foiled")),
    (25, Some("Disrupted")),
    (10, Some("Abandoned")),
    (10, Some("Executed")),
    (15, None),
];
const RELIABILITIES: &[(usize, char)] = &[(5, 'A'), (35, 'B'), (35, 'C'), (15, 'D'), (5, 'E'), (5, 'F')];
const PUBLISHERS: &[&str] =
    &["Example Review", "Synthetic Times", "Made-up Monitor", "Invented Institute", "Placeholder Press"];

use Certainty::{Alleged, Confirmed, Disputed, Refuted, Reported, Suspected};

/// Most links: mostly reported or alleged, a few refuted.
const USUAL: &[(usize, Certainty)] =
    &[(10, Confirmed), (40, Reported), (25, Alleged), (13, Suspected), (8, Disputed), (4, Refuted)];
/// Where places lie: never refuted, or the place would count as unplaced.
const GEOGRAPHY: &[(usize, Certainty)] = &[(90, Confirmed), (10, Reported)];
const WHERE_IT_HAPPENED: &[(usize, Certainty)] = &[(60, Confirmed), (35, Reported), (5, Alleged)];
const CLAIMS: &[(usize, Certainty)] =
    &[(15, Confirmed), (60, Reported), (10, Alleged), (10, Disputed), (5, Refuted)];

/// One event, as its links need it.
#[derive(Clone, Copy)]
struct EventInfo {
    attack: bool,
    /// Index into [`NON_ATTACKS`] for other events.
    sort: u8,
    date: Option<Date>,
}

struct Generator {
    rng: Rng,
    n: Sizes,
    dir: PathBuf,
    entity_chunks: Chunks,
    link_chunks: Chunks,
    json: BufWriter<File>,
    sources_bytes: u64,
    /// One record being written.
    buf: String,
    citations: Covering,
    place_ids: Vec<String>,
    group_ids: Vec<String>,
    person_ids: Vec<String>,
    event_ids: Vec<String>,
    group_founded: Vec<Option<u16>>,
    person_born: Vec<Option<u16>>,
    events: Vec<EventInfo>,
}

/// A link being written; optional fields are left out when `None`.
struct LinkOut<'a> {
    from: &'a str,
    rel: Relation,
    to: &'a str,
    date: Option<Date>,
    since: Option<Date>,
    until: Option<Date>,
    role: Option<&'a str>,
    note: Option<&'a str>,
    certainty: Certainty,
}

impl<'a> LinkOut<'a> {
    fn new(from: &'a str, rel: Relation, to: &'a str, certainty: Certainty) -> Self {
        LinkOut { from, rel, to, date: None, since: None, until: None, role: None, note: None, certainty }
    }
}

impl Generator {
    fn new(config: &Config, dir: &Path) -> io::Result<Self> {
        let n = Sizes::new(config.entities);
        let mut json = BufWriter::with_capacity(1 << 20, File::create(dir.join("graph.json"))?);
        json.write_all(b"{\"directed\": true, \"multigraph\": true, \"graph\": {}, \"nodes\": [")?;
        Ok(Generator {
            rng: Rng(config.seed),
            citations: Covering::new(n.sources),
            dir: dir.to_owned(),
            entity_chunks: Chunks::new(dir.join("curated"), "entities", ENTITIES_PER_FILE),
            link_chunks: Chunks::new(dir.join("curated"), "links", LINKS_PER_FILE),
            json,
            sources_bytes: 0,
            buf: String::with_capacity(512),
            place_ids: Vec::with_capacity(n.places),
            group_ids: Vec::with_capacity(n.groups),
            person_ids: Vec::with_capacity(n.people),
            event_ids: Vec::with_capacity(n.events),
            group_founded: Vec::with_capacity(n.groups),
            person_born: Vec::with_capacity(n.people),
            events: Vec::with_capacity(n.events),
            n,
        })
    }

    fn json_bytes(&self) -> u64 {
        fs::metadata(self.dir.join("graph.json")).map_or(0, |m| m.len())
    }

    fn sources(&mut self) -> io::Result<()> {
        let mut out = String::from("// Synthetic sources: every name and title here is invented.\n[\n");
        for s in 0..self.n.sources {
            let reliability = self.rng.weighted(RELIABILITIES);
            let date = Date::random(&mut self.rng, 1995, LAST_YEAR);
            let publisher = PUBLISHERS[self.rng.below(PUBLISHERS.len())];
            let _ = writeln!(
                out,
                "    (id: \"report-{s}\", title: \"Synthetic report {s}\", publisher: \"{publisher}\", date: \"{date}\", reliability: {reliability}),"
            );
        }
        out.push_str("]\n");
        fs::write(self.dir.join("sources.ron"), &out)?;
        self.sources_bytes = out.len() as u64;
        Ok(())
    }

    /// `, sources: ["report-1"]` (sometimes two) and the closing `),\n` of an entity or link.
    fn cite_and_close(&mut self) {
        let first = self.citations.draw(&mut self.rng);
        let _ = write!(self.buf, "sources: [\"report-{first}\"");
        if self.rng.percent(15) {
            let second = self.rng.zipf(self.n.sources);
            if second != first {
                let _ = write!(self.buf, ", \"report-{second}\"");
            }
        }
        self.buf.push_str("]),\n");
    }

    /// Writes the entity in `self.buf` (its record opened up to the sources), and its node.
    fn entity(&mut self, id: &str, kind: Kind) -> io::Result<()> {
        self.cite_and_close();
        self.entity_chunks.push(&self.buf)?;
        let sep = if self.entity_chunks.count == 1 { "\n" } else { ",\n" };
        write!(self.json, "{sep}{{\"id\": \"{id}\", \"kind\": \"{kind}\"}}")?;
        Ok(())
    }

    /// Opens an entity record: `Kind(id: "...", name: "..."`, and returns the id.
    fn open(&mut self, kind: Kind, name: &str) -> String {
        let id = slug(name);
        self.buf.clear();
        let _ = write!(self.buf, "        {kind}(id: \"{id}\", name: ");
        quote(&mut self.buf, name);
        id
    }

    fn places(&mut self) -> io::Result<()> {
        let n = &self.n;
        let (first_region, first_city, first_leaf) = (n.first_region(), n.first_city(), n.first_leaf());
        for p in 0..self.n.places {
            let sort = match p {
                _ if p < first_region => 0,
                _ if p < first_city => 1,
                _ if p < first_leaf => 2,
                _ => self.rng.weighted(LEAF_PLACES),
            };
            let (subkind, suffix) = PLACES[usize::from(sort)];
            let mut name = String::new();
            word(&mut name, p);
            name.push_str(suffix);
            let id = self.open(Kind::Place, &name);
            let _ = write!(self.buf, ", subkind: {subkind}, ");
            if sort == 2 && self.rng.percent(50) {
                let lat = self.rng.below(160_000) as i64 - 80_000;
                let lon = self.rng.below(360_000) as i64 - 180_000;
                let _ = write!(self.buf, "lat: {}, lon: {}, ", milli(lat), milli(lon));
            }
            self.entity(&id, Kind::Place)?;
            self.place_ids.push(id);
        }
        Ok(())
    }

    fn groups(&mut self) -> io::Result<()> {
        for g in 0..self.n.groups {
            let &(_, subkind, suffix) = self.rng.pick(GROUPS, |row| row.0);
            let mut name = String::new();
            word(&mut name, g);
            name.push(' ');
            name.push_str(suffix);
            let id = self.open(Kind::Group, &name);
            let _ = write!(self.buf, ", subkind: {subkind}, ");
            if self.rng.percent(80) {
                let ideology = self.rng.weighted(IDEOLOGIES);
                let _ = write!(self.buf, "ideology: {ideology}, ");
            }
            let founded = self.rng.percent(80).then(|| self.rng.range(1970, 2022));
            if let Some(y) = founded {
                let _ = write!(self.buf, "founded: \"{y}\", ");
                if self.rng.percent(20) {
                    let end = (y + 1 + self.rng.below(15) as u16).min(LAST_YEAR);
                    let _ = write!(self.buf, "dissolved: \"{}\", ", Date::random(&mut self.rng, end, end));
                }
            }
            self.entity(&id, Kind::Group)?;
            self.group_ids.push(id);
            self.group_founded.push(founded);
        }
        Ok(())
    }

    fn people(&mut self) -> io::Result<()> {
        // 4,900 given names (two syllables), each shared by a family name per person.
        const GIVEN: usize = SYLLABLES * SYLLABLES;
        for q in 0..self.n.people {
            let mut name = String::new();
            word(&mut name, q % GIVEN);
            name.push(' ');
            word(&mut name, q / GIVEN);
            let id = self.open(Kind::Person, &name);
            self.buf.push_str(", ");
            if self.rng.percent(15) {
                // `Abu` is no syllable string, so no alias is anyone's name.
                let mut alias = String::from("Abu ");
                word(&mut alias, q);
                self.buf.push_str("aliases: [");
                quote(&mut self.buf, &alias);
                self.buf.push_str("], ");
            }
            if self.rng.percent(3) {
                self.buf.push_str("summary: \"A synthetic person; known as \\\"the ");
                self.buf.push_str(ROLES[q % ROLES.len()]);
                self.buf.push_str("\\\" in invented reports.\", ");
            }
            let born = self.rng.percent(75).then(|| self.rng.range(1950, 2004));
            if let Some(y) = born {
                let _ = write!(self.buf, "born: \"{}\", ", Date::random(&mut self.rng, y, y));
            }
            let status = self.rng.weighted(STATUSES);
            if let Some(status) = status {
                let _ = write!(self.buf, "status: {status}, ");
                if status == "Dead" && self.rng.percent(80) {
                    let lo = born.map_or(1990, |b| (b + 18).max(1990)).min(LAST_YEAR);
                    let died = Date::random(&mut self.rng, lo, LAST_YEAR);
                    let _ = write!(self.buf, "died: \"{died}\", ");
                }
            }
            if self.rng.percent(40) {
                let role = ROLES[self.rng.zipf(ROLES.len())];
                let _ = write!(self.buf, "roles: [\"{role}\"], ");
            }
            self.entity(&id, Kind::Person)?;
            self.person_ids.push(id);
            self.person_born.push(born);
        }
        Ok(())
    }

    fn events(&mut self) -> io::Result<()> {
        for v in 0..self.n.events {
            let attack = v % 2 == 0;
            let mut name = String::new();
            word(&mut name, v);
            name.push(' ');
            let mut info = EventInfo { attack, sort: 0, date: None };
            let (subkind, fields) = if attack {
                let &(_, method, label) = self.rng.pick(METHODS, |row| row.0);
                name.push_str(label);
                let target = self.rng.weighted(TARGETS);
                let killed = if self.rng.percent(35) { 0 } else { 1 + self.rng.zipf(300) };
                let injured = killed * self.rng.below(4) + self.rng.below(12);
                (
                    "Attack",
                    format!("method: {method}, target: {target}, killed: {killed}, injured: {injured}, "),
                )
            } else {
                let row = self.rng.pick(NON_ATTACKS, |row| row.0);
                let &(_, subkind, label, _) = row;
                info.sort = NON_ATTACKS.iter().position(|r| std::ptr::eq(r, row)).unwrap_or(0) as u8;
                name.push_str(label);
                let mut fields = String::new();
                if subkind == "Plot"
                    && let Some(outcome) = self.rng.weighted(OUTCOMES)
                {
                    let _ = write!(fields, "outcome: {outcome}, ");
                }
                (subkind, fields)
            };
            let id = self.open(Kind::Event, &name);
            let _ = write!(self.buf, ", subkind: {subkind}, {fields}");
            let spans_time = matches!(subkind, "Training" | "Operation");
            if spans_time && self.rng.percent(70) {
                let start = Date::random(&mut self.rng, 1990, LAST_YEAR - 3);
                let end = Date::random(&mut self.rng, start.year + 1, start.year + 3);
                let _ = write!(self.buf, "start: \"{start}\", end: \"{end}\", ");
                info.date = Some(start);
            } else if self.rng.percent(if attack { 97 } else { 85 }) {
                let date = Date::random(&mut self.rng, 1990, LAST_YEAR);
                let _ = write!(self.buf, "date: \"{date}\", ");
                info.date = Some(date);
            }
            self.entity(&id, Kind::Event)?;
            self.event_ids.push(id);
            self.events.push(info);
        }
        Ok(())
    }

    /// Writes one link and its JSON edge.
    fn link(&mut self, l: LinkOut<'_>) -> io::Result<()> {
        debug_assert_ne!(l.from, l.to);
        self.buf.clear();
        let _ = write!(self.buf, "        (from: \"{}\", rel: {}, to: \"{}\", ", l.from, l.rel, l.to);
        for (field, date) in [("date", l.date), ("since", l.since), ("until", l.until)] {
            if let Some(d) = date {
                let _ = write!(self.buf, "{field}: \"{d}\", ");
            }
        }
        for (field, text) in [("role", l.role), ("note", l.note)] {
            if let Some(t) = text {
                let _ = write!(self.buf, "{field}: ");
                quote(&mut self.buf, t);
                self.buf.push_str(", ");
            }
        }
        let _ = write!(self.buf, "certainty: {}, ", l.certainty);
        self.cite_and_close();
        let key = self.link_chunks.count;
        self.link_chunks.push(&self.buf)?;
        let sep = if key == 0 { "\n" } else { ",\n" };
        write!(
            self.json,
            "{sep}{{\"source\": \"{}\", \"target\": \"{}\", \"rel\": \"{}\", \"certainty\": \"{}\", \"key\": {key}}}",
            l.from, l.to, l.rel, l.certainty
        )?;
        Ok(())
    }

    fn place_links(&mut self) -> io::Result<()> {
        let n = &self.n;
        let (countries, regions, cities) = (n.countries, n.regions, n.cities);
        let (first_region, first_city, first_leaf) = (n.first_region(), n.first_city(), n.first_leaf());
        let mut country_cover = Covering::new(countries);
        for p in first_region..self.n.places {
            let parent = if p < first_city {
                country_cover.draw(&mut self.rng)
            } else if p < first_leaf {
                // Most cities lie in a region, some directly in a country.
                if self.rng.percent(85) {
                    first_region + self.rng.zipf(regions)
                } else {
                    self.rng.zipf(countries)
                }
            } else {
                first_city + self.rng.zipf(cities)
            };
            let certainty = self.rng.weighted(GEOGRAPHY);
            let (from, to) = (self.place_ids[p].clone(), self.place_ids[parent].clone());
            self.link(LinkOut::new(&from, Relation::LocatedIn, &to, certainty))?;
        }
        Ok(())
    }

    fn group_links(&mut self) -> io::Result<()> {
        for g in 1..self.n.groups {
            if self.rng.percent(50) {
                let parent = self.rng.zipf(g);
                let mut l = LinkOut::new("", Relation::AffiliateOf, "", self.rng.weighted(USUAL));
                if let Some(founded) = self.group_founded[g] {
                    l.since = self.rng.percent(50).then(|| Date::random(&mut self.rng, founded, LAST_YEAR));
                }
                let (from, to) = (self.group_ids[g].clone(), self.group_ids[parent].clone());
                self.link(LinkOut { from: &from, to: &to, ..l })?;
            }
        }
        Ok(())
    }

    /// A person's memberships, associates (among earlier people) and travels.
    fn person_links(&mut self) -> io::Result<()> {
        let mut groups = Covering::new(self.n.groups);
        let (first_city, first_leaf) = (self.n.first_city(), self.n.first_leaf());
        let mut picked: Vec<usize> = Vec::new();
        for q in 0..self.n.people {
            let mut memberships: usize = self.rng.weighted(&[(30, 0), (45, 1), (17, 2), (8, 3)]);
            // The first people join a group each, so that every group has a member.
            if q < self.n.groups {
                memberships = memberships.max(1);
            }
            let associates =
                if q == 0 { 0 } else { self.rng.weighted(&[(15, 0), (25, 1), (20, 2), (40, 6)]) };
            let mut travels = self.rng.weighted(&[(40, 0), (35, 1), (15, 2), (10, 3)]);
            if memberships + associates + travels == 0 {
                travels = 1;
            }
            let born = self.person_born[q];
            let adult = born.map_or(1985, |b| b + 16).min(LAST_YEAR);
            let from = self.person_ids[q].clone();

            picked.clear();
            for _ in 0..memberships {
                let g = groups.draw(&mut self.rng);
                if picked.contains(&g) {
                    continue;
                }
                picked.push(g);
                let mut l = LinkOut::new(&from, Relation::MemberOf, "", self.rng.weighted(USUAL));
                if self.rng.percent(60) {
                    let lo = self.group_founded[g].map_or(adult, |f| f.max(adult)).min(LAST_YEAR);
                    let since = Date::random(&mut self.rng, lo, LAST_YEAR);
                    l.since = Some(since);
                    if self.rng.percent(30) && since.year < LAST_YEAR {
                        l.until = Some(Date::random(&mut self.rng, since.year + 1, LAST_YEAR));
                    }
                }
                if self.rng.percent(20) {
                    l.role = Some(ROLES[self.rng.below(ROLES.len())]);
                }
                if self.rng.percent(2) {
                    l.note = Some("Named as \"a senior figure\" in synthetic file A\\7.");
                }
                let to = self.group_ids[g].clone();
                self.link(LinkOut { to: &to, ..l })?;
            }

            picked.clear();
            for _ in 0..associates {
                // Mostly anyone met before; some of the best-connected people, who become hubs.
                let other = if self.rng.percent(75) { self.rng.below(q) } else { self.rng.zipf(q) };
                if picked.contains(&other) {
                    continue;
                }
                picked.push(other);
                let mut l = LinkOut::new(&from, Relation::AssociateOf, "", self.rng.weighted(USUAL));
                if self.rng.percent(20) {
                    l.since = Some(Date::random(&mut self.rng, adult, LAST_YEAR));
                }
                let to = self.person_ids[other].clone();
                self.link(LinkOut { to: &to, ..l })?;
            }

            picked.clear();
            for _ in 0..travels {
                // Mostly to cities, some to whole countries.
                let place = if self.rng.percent(75) {
                    first_city + self.rng.zipf(first_leaf - first_city)
                } else {
                    self.rng.zipf(self.n.countries)
                };
                if picked.contains(&place) {
                    continue;
                }
                picked.push(place);
                let mut l = LinkOut::new(&from, Relation::TraveledTo, "", self.rng.weighted(USUAL));
                if self.rng.percent(70) {
                    l.date = Some(Date::random(&mut self.rng, adult, LAST_YEAR));
                }
                let to = self.place_ids[place].clone();
                self.link(LinkOut { to: &to, ..l })?;
            }
        }
        Ok(())
    }

    /// Where each event happened; who carried out, claimed, plotted or attended it.
    fn event_links(&mut self) -> io::Result<()> {
        let (first_city, first_leaf) = (self.n.first_city(), self.n.first_leaf());
        let leaves = self.n.places - first_leaf;
        let mut picked: Vec<usize> = Vec::new();
        for v in 0..self.n.events {
            let info = self.events[v];
            let event = self.event_ids[v].clone();
            let place = if leaves > 0 && self.rng.percent(40) {
                first_leaf + self.rng.zipf(leaves)
            } else {
                first_city + self.rng.zipf(first_leaf - first_city)
            };
            let place_id = self.place_ids[place].clone();
            let certainty = self.rng.weighted(WHERE_IT_HAPPENED);
            self.link(LinkOut::new(&event, Relation::OccurredIn, &place_id, certainty))?;

            let rel = if info.attack { Relation::Perpetrated } else { NON_ATTACKS[usize::from(info.sort)].3 };
            let people: usize = self.rng.weighted(&[(10, 0), (35, 1), (25, 2), (15, 3), (15, 4)]);
            picked.clear();
            for _ in 0..people {
                // Most actors act once; a few act again and again.
                let q = if self.rng.percent(70) {
                    self.rng.below(self.n.people)
                } else {
                    self.rng.zipf(self.n.people)
                };
                if picked.contains(&q) {
                    continue;
                }
                picked.push(q);
                let mut l = LinkOut::new("", rel, &event, self.rng.weighted(USUAL));
                if self.rng.percent(80) {
                    l.date = info.date;
                }
                let from = self.person_ids[q].clone();
                self.link(LinkOut { from: &from, ..l })?;
            }
            if info.attack || rel == Relation::Plotted {
                let group = self.rng.zipf(self.n.groups);
                let group_id = self.group_ids[group].clone();
                if self.rng.percent(40) {
                    let mut l = LinkOut::new(&group_id, rel, &event, self.rng.weighted(USUAL));
                    l.date = info.date;
                    self.link(l)?;
                }
                if info.attack && self.rng.percent(60) {
                    // Usually the perpetrating group claims; sometimes another one.
                    let claimant = if self.rng.percent(75) { group } else { self.rng.zipf(self.n.groups) };
                    let claimant_id = self.group_ids[claimant].clone();
                    let mut l =
                        LinkOut::new(&claimant_id, Relation::Claimed, &event, self.rng.weighted(CLAIMS));
                    if self.rng.percent(50) {
                        l.date = info.date;
                    }
                    self.link(l)?;
                }
            }
        }
        Ok(())
    }
}

/// Thousandths as a decimal: `-12345` → `-12.345`.
fn milli(x: i64) -> String {
    let sign = if x < 0 { "-" } else { "" };
    format!("{sign}{}.{:03}", x.abs() / 1000, x.abs() % 1000)
}

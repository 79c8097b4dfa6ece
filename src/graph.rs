//! The knowledge graph: a validated dataset indexed for traversal and name lookup.
//!
//! Built once per run, or read from a snapshot (see [`crate::snapshot`]), which stores the
//! indices below so that a warm run neither hashes ids nor looks up link ends, and whose
//! entities and links are decoded a chunk at a time when first asked for, so a command that
//! reads a few of them decodes a few. Entity `i` of the graph is entity `i` of the dataset, and
//! every adjacency entry carries the index of its link, so query results can cite the link
//! itself.
//!
//! The graph layer imports neither the snapshot nor any query: the snapshot builds a graph
//! from parts ([`KnowledgeGraph::from_parts`]), and name resolution, which ranks names as
//! `search` does, lives in [`crate::query::resolve`].

use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use indexmap::IndexMap;

use crate::hash::{FastHasher, FastMap};
use serde::Serialize;

use crate::model::{
    Certainty, Dataset, DeclaredChain, Entity, Id, Link, Origin, Relation, Reliability, Source, View,
};
use crate::names::NameIndex;
use crate::stored::Stored;

/// The hasher of the graph's maps: ids are the user's own, not an attacker's.
type Fast = BuildHasherDefault<FastHasher>;

/// Which way a link was followed: along its direction (`out`) or against it (`in`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Out,
    In,
}

/// A link seen from one of its ends, in 12 bytes: the adjacency holds two per link.
///
/// The link's relation, certainty and origin are copied here, so that a traversal filters
/// links without reading them (a cache miss each, at millions of links).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Incident {
    link: u32,
    /// The entity at the other end.
    other: u32,
    pub direction: Direction,
    pub rel: Relation,
    pub certainty: Certainty,
    pub origin: Origin,
}

impl Incident {
    /// Link number `link`, seen from one end in `direction`, with `other` at its other end.
    pub fn new(link: usize, direction: Direction, other: usize, l: &Link) -> Self {
        let narrow = |n: usize| u32::try_from(n).expect("fewer than 2^32 entities and links");
        Incident {
            link: narrow(link),
            other: narrow(other),
            direction,
            rel: l.rel,
            certainty: l.certainty,
            origin: l.origin,
        }
    }

    /// An incident as a snapshot stored it.
    pub fn stored(
        link: u32,
        other: u32,
        direction: Direction,
        (rel, certainty, origin): (Relation, Certainty, Origin),
    ) -> Self {
        Incident { link, other, direction, rel, certainty, origin }
    }

    /// The same link seen from its other end, `from` being this entry's entity.
    pub fn reversed(&self, from: usize) -> Incident {
        let direction = match self.direction {
            Direction::Out => Direction::In,
            Direction::In => Direction::Out,
        };
        Incident { other: u32::try_from(from).expect("an entity number"), direction, ..*self }
    }

    /// The number of the link.
    pub fn link(&self) -> usize {
        self.link as usize
    }

    /// The number of the entity at the other end.
    pub fn other(&self) -> usize {
        self.other as usize
    }
}

/// The entities or the links of a graph: in memory when built, or still in a snapshot.
#[derive(Debug)]
pub enum Records<T> {
    Built(Vec<T>),
    Stored(Stored<T>),
}

impl<T: Send + Sync> Records<T> {
    fn get(&self, i: usize) -> &T {
        match self {
            Records::Built(all) => &all[i],
            Records::Stored(stored) => stored.get(i),
        }
    }

    fn all(&self) -> &[T] {
        match self {
            Records::Built(all) => all,
            Records::Stored(stored) => stored.all(),
        }
    }

    fn len(&self) -> usize {
        match self {
            Records::Built(all) => all.len(),
            Records::Stored(stored) => stored.count(),
        }
    }

    /// True when every record is in memory at once: built, or decoded whole from a snapshot.
    fn whole(&self) -> bool {
        match self {
            Records::Built(_) => true,
            Records::Stored(stored) => stored.decoded_all(),
        }
    }
}

#[derive(Debug)]
pub struct KnowledgeGraph {
    entities: Records<Entity>,
    links: Records<Link>,
    sources: Vec<Source>,
    views: Vec<View>,
    chains: Vec<DeclaredChain>,
    /// Entity numbers sorted by id, equal ids in dataset order: finding an id is a binary
    /// search, and this array (unlike a hash map) is stored in a snapshot as it is.
    by_id: Vec<u32>,
    source_index: IndexMap<Id, usize, Fast>,
    /// Folded names, aliases and ids → entities, with their trigrams and alternate names:
    /// from the snapshot, or built on first use.
    names: OnceLock<NameIndex>,
    /// Each link's two ends as entity numbers, read off the adjacency on first use.
    link_ends: OnceLock<Vec<(u32, u32)>>,
    /// Compact adjacency: the links at entity `i` are `incidents[offsets[i]..offsets[i + 1]]`,
    /// both directions, in link order. A link whose ends are not both entities has none.
    offsets: Vec<usize>,
    incidents: Vec<Incident>,
    /// Each entity's links in the order its card lists them (relation, direction, the other
    /// entity's name and id, link order), as places in its slice of `incidents`: worked out
    /// once here, so that showing a hub of tens of thousands of links sorts nothing.
    card_order: Vec<u32>,
    /// Each link's best source reliability ([`Self::best_reliability`]), worked out once:
    /// ranking routes weighs every link it crosses by it, and reading it from the link and its
    /// sources costs two lookups each time.
    link_reliability: Vec<Reliability>,
}

/// The parts of a [`KnowledgeGraph`] besides its records, as a snapshot stores them.
#[derive(Debug)]
pub struct Indices {
    pub by_id: Vec<u32>,
    pub offsets: Vec<usize>,
    pub incidents: Vec<Incident>,
    pub card_order: Vec<u32>,
    pub link_reliability: Vec<Reliability>,
}

/// [`Indices`] borrowed from a graph.
#[derive(Debug, PartialEq, Clone, Copy)]
pub struct IndicesRef<'g> {
    pub by_id: &'g [u32],
    pub offsets: &'g [usize],
    pub incidents: &'g [Incident],
    pub card_order: &'g [u32],
    pub link_reliability: &'g [Reliability],
}

impl Indices {
    /// True when these indices can serve a graph of `entities` and `links` without any
    /// out-of-bounds access: every number in range, offsets rising from 0 to the end.
    /// (Whether they are the *right* indices is the snapshot checksum's and key's business.)
    pub fn fit(&self, entities: usize, links: usize) -> bool {
        self.by_id.len() == entities
            && self.by_id.iter().all(|&i| (i as usize) < entities)
            && self.offsets.len() == entities + 1
            && self.offsets.first() == Some(&0)
            && self.offsets.last() == Some(&self.incidents.len())
            && self.offsets.windows(2).all(|w| w[0] <= w[1])
            && self.incidents.iter().all(|i| i.link() < links && i.other() < entities)
            && self.card_order.len() == self.incidents.len()
            && self.link_reliability.len() == links
            && self.offsets.windows(2).all(|w| {
                let degree = w[1] - w[0];
                self.card_order[w[0]..w[1]].iter().all(|&at| (at as usize) < degree)
            })
    }
}

/// Counting sort of link ends into per-entity slices: the ends of each link (`u32::MAX` where
/// an id names no entity: such a link is left out), in link order, give each entity its links
/// in link order, outgoing before incoming for a self-link.
fn compact(entities: usize, links: &[Link], ends: &[[u32; 2]]) -> (Vec<usize>, Vec<Incident>) {
    let known = |[a, b]: [u32; 2]| (a != u32::MAX && b != u32::MAX).then_some((a as usize, b as usize));
    let mut offsets = vec![0usize; entities + 1];
    for (a, b) in ends.iter().filter_map(|&e| known(e)) {
        offsets[a + 1] += 1;
        offsets[b + 1] += 1;
    }
    for i in 0..entities {
        offsets[i + 1] += offsets[i];
    }
    let mut fill = offsets.clone();
    let mut incidents = match links.first() {
        Some(l) => vec![Incident::new(0, Direction::Out, 0, l); offsets[entities]],
        None => Vec::new(),
    };
    for (link, (a, b)) in ends.iter().enumerate().filter_map(|(i, &e)| known(e).map(|ab| (i, ab))) {
        let l = &links[link];
        incidents[fill[a]] = Incident::new(link, Direction::Out, b, l);
        fill[a] += 1;
        incidents[fill[b]] = Incident::new(link, Direction::In, a, l);
        fill[b] += 1;
    }
    (offsets, incidents)
}

/// Each link's best source reliability (F when no source is known), on every core.
fn link_reliability(dataset: &Dataset) -> Vec<Reliability> {
    let of: FastMap<&str, Reliability> =
        dataset.sources.iter().map(|s| (s.id.as_str(), s.reliability)).collect();
    let chunks: Vec<&[Link]> = dataset.links.chunks(1 << 16).collect();
    crate::parallel::map(&chunks, |chunk| {
        chunk
            .iter()
            .map(|l| {
                l.sources.iter().filter_map(|s| of.get(s.as_str()).copied()).min().unwrap_or(Reliability::F)
            })
            .collect::<Vec<_>>()
    })
    .concat()
}

/// Each entity's links in card order (see [`KnowledgeGraph::card_order`]), sorted by numbers
/// (`name_rank`: each entity's place in the order of names), the entities shared out between
/// the cores by their numbers of links.
fn card_order(offsets: &[usize], incidents: &[Incident], name_rank: &[u32]) -> Vec<u32> {
    let entities = offsets.len().saturating_sub(1);
    // Four spans of about equal numbers of links: a hub lands in one of them.
    let cut = |k: usize| offsets.partition_point(|&o| o < incidents.len() * k / 4).min(entities);
    let spans: Vec<std::ops::Range<usize>> = (0..4).map(|k| cut(k)..cut(k + 1)).collect();
    let rank_bits = bits(name_rank.len());
    crate::parallel::map(&spans, |span| {
        let mut order = Vec::with_capacity(offsets[span.end] - offsets[span.start]);
        let mut keys: Vec<u64> = Vec::new();
        for i in span.clone() {
            let links = &incidents[offsets[i]..offsets[i + 1]];
            card_places(links, |inc| name_rank[inc.other()], rank_bits, &mut keys, &mut order);
        }
        order
    })
    .concat()
}

/// Appends to `order` the places of `links` in card order, where `rank` gives each other
/// end's name rank (below `2^rank_bits`); `keys` is room to reuse.
fn card_places(
    links: &[Incident],
    rank: impl Fn(&Incident) -> u32,
    rank_bits: u32,
    keys: &mut Vec<u64>,
    order: &mut Vec<u32>,
) {
    let at_bits = bits(links.len());
    if GROUP_BITS + rank_bits + at_bits <= 64 {
        // The relation and direction, the rank, and the place, packed in one number: no two
        // are equal, and the places are in order already.
        keys.clear();
        keys.extend(links.iter().enumerate().map(|(at, inc)| {
            u64::from(group(inc)) << (rank_bits + at_bits) | u64::from(rank(inc)) << at_bits | at as u64
        }));
        crate::radix::sort_above(keys, at_bits);
        order.extend(keys.iter().map(|&k| (k & ((1 << at_bits) - 1)) as u32));
    } else {
        let mut places: Vec<u32> = (0..links.len() as u32).collect();
        places.sort_by_key(|&at| (group(&links[at as usize]), rank(&links[at as usize])));
        order.extend(places);
    }
}

/// Bits that hold any [`group`].
const GROUP_BITS: u32 = usize::BITS - (Relation::ALL.len() * 2 - 1).leading_zeros();

/// The relation and the direction as one number below `2^GROUP_BITS` that orders as the pair
/// does.
fn group(inc: &Incident) -> u8 {
    (inc.rel as u8) << 1 | inc.direction as u8
}

/// Bits needed to write any number below `n`.
fn bits(n: usize) -> u32 {
    usize::BITS - n.saturating_sub(1).leading_zeros()
}

/// Each entity's place in the order of `(name, id, dataset order)`.
fn name_rank(entities: &[Entity]) -> Vec<u32> {
    let order = sorted_by_text(entities.len(), |i| {
        let e = &entities[i as usize];
        (e.name.as_str(), e.id.as_str())
    });
    let mut rank = vec![0u32; entities.len()];
    for (r, &e) in order.iter().enumerate() {
        rank[e as usize] = r as u32;
    }
    rank
}

/// The numbers `0..n` in the order of the texts `key` gives each (compared as the pair
/// `(first, second)`, then by number), as a stable sort by `key` would give them.
///
/// A comparison sort of a million records reads two records' texts at each of some twenty
/// million comparisons, each a miss of the cache. Here each record's first text is read once,
/// its first sixteen bytes packed into a number whose order is the text's (padding with zeros
/// only makes texts that agree there equal), and the numbers sorted; only the runs of records
/// whose numbers agree are compared text by text.
fn sorted_by_text<'a>(n: usize, key: impl Fn(u32) -> (&'a str, &'a str)) -> Vec<u32> {
    let prefix = |text: &str| {
        let mut bytes = [0u8; 16];
        let head = &text.as_bytes()[..text.len().min(16)];
        bytes[..head.len()].copy_from_slice(head);
        u128::from_be_bytes(bytes)
    };
    let mut packed: Vec<(u128, u32)> = (0..n as u32).map(|i| (prefix(key(i).0), i)).collect();
    packed.sort_unstable();
    let mut order: Vec<u32> = packed.iter().map(|&(_, i)| i).collect();
    let mut start = 0;
    while start < packed.len() {
        let end = start + packed[start..].iter().take_while(|p| p.0 == packed[start].0).count();
        if end - start > 1 {
            order[start..end].sort_unstable_by(|&x, &y| (key(x), x).cmp(&(key(y), y)));
        }
        start = end;
    }
    order
}

/// Each link's two ends as entity numbers (the first entity with each id; `u32::MAX` for an
/// id no entity has), looked up on every core: millions of lookups at scale.
fn link_ends(dataset: &Dataset) -> Vec<[u32; 2]> {
    // A map rather than a binary search by id, which would miss the cache twenty times each.
    let mut index: FastMap<&str, u32> = FastMap::default();
    index.reserve(dataset.entities.len());
    for (i, e) in dataset.entities.iter().enumerate() {
        index.entry(e.id.as_str()).or_insert(i as u32);
    }
    let end = |id: &Id| index.get(id.as_str()).copied().unwrap_or(u32::MAX);
    let (first, second) = dataset.links.split_at(dataset.links.len() / 2);
    crate::parallel::map(&[first, second], |links| {
        links.iter().map(|l| [end(&l.from), end(&l.to)]).collect::<Vec<_>>()
    })
    .concat()
}

impl KnowledgeGraph {
    /// Builds the graph. The dataset should have passed validation: a link whose ends are not
    /// both entities is left out of the graph (but kept in the dataset).
    pub fn build(dataset: Dataset) -> Self {
        let ends = link_ends(&dataset);
        KnowledgeGraph::build_with_ends(dataset, ends)
    }

    /// Builds the graph with each link's two ends already found (entity numbers of the first
    /// entity with each id, `u32::MAX` for none), as [`crate::validate::validate_with_ends`]
    /// gives them; ends that do not fit the links are looked up again.
    pub fn build_with_ends(dataset: Dataset, ends: Vec<[u32; 2]>) -> Self {
        let ends = if ends.len() == dataset.links.len() { ends } else { link_ends(&dataset) };
        // The entities in the order of their ids and of their names: one core each.
        let entities = &dataset.entities;
        let mut sorted = crate::parallel::map(&[false, true], |&by_name| match by_name {
            false => sorted_by_text(entities.len(), |i| (entities[i as usize].id.as_str(), "")),
            true => name_rank(entities),
        })
        .into_iter();
        let (by_id, name_rank) = (sorted.next().unwrap_or_default(), sorted.next().unwrap_or_default());
        let (offsets, incidents) = compact(dataset.entities.len(), &dataset.links, &ends);
        drop(ends);
        let card_order = card_order(&offsets, &incidents, &name_rank);
        let link_reliability = link_reliability(&dataset);
        let Dataset { sources, entities, links, views, chains } = dataset;
        let records = (Records::Built(entities), Records::Built(links));
        KnowledgeGraph::from_parts(
            records,
            (sources, views, chains),
            Indices { by_id, offsets, incidents, card_order, link_reliability },
        )
    }

    /// The graph of its records and the rest of a dataset, with indices built earlier (by
    /// [`KnowledgeGraph::build`], then stored); they must [fit](Indices::fit) the records.
    pub fn from_parts(
        (entities, links): (Records<Entity>, Records<Link>),
        (sources, views, chains): (Vec<Source>, Vec<View>, Vec<DeclaredChain>),
        indices: Indices,
    ) -> Self {
        let Indices { by_id, offsets, incidents, card_order, link_reliability } = indices;
        let source_index = sources.iter().enumerate().map(|(i, s)| (s.id.clone(), i)).collect();
        KnowledgeGraph {
            entities,
            links,
            sources,
            views,
            chains,
            by_id,
            source_index,
            names: OnceLock::new(),
            link_ends: OnceLock::new(),
            offsets,
            incidents,
            card_order,
            link_reliability,
        }
    }

    /// The entity numbers sorted by id, the adjacency and the card orders, for a snapshot to
    /// store.
    pub fn indices(&self) -> IndicesRef<'_> {
        IndicesRef {
            by_id: &self.by_id,
            offsets: &self.offsets,
            incidents: &self.incidents,
            card_order: &self.card_order,
            link_reliability: &self.link_reliability,
        }
    }

    /// The name index (names, aliases and ids of every entity), built on first use: a
    /// command given an id never needs it, and at a million entities it takes seconds to build
    /// (a snapshot stores it: see [`KnowledgeGraph::with_names`]).
    pub fn names(&self) -> &NameIndex {
        self.names.get_or_init(|| NameIndex::build(self.entities()))
    }

    /// The graph with its name index given (read from a snapshot) rather than built.
    pub fn with_names(self, names: NameIndex) -> Self {
        let _ = self.names.set(names);
        self
    }

    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    pub fn views(&self) -> &[View] {
        &self.views
    }

    pub fn chains(&self) -> &[DeclaredChain] {
        &self.chains
    }

    /// Whether the entities and the links from a snapshot were decoded all at once (for tests
    /// of what a command reads).
    pub fn decoded_all(&self) -> (bool, bool) {
        (self.entities.whole(), self.links.whole())
    }

    /// How many entities there are, without decoding any.
    pub fn entity_count(&self) -> usize {
        self.entities.len()
    }

    /// Every entity; from a snapshot, this decodes them all (once).
    pub fn entities(&self) -> &[Entity] {
        self.entities.all()
    }

    /// Every link; from a snapshot, this decodes them all (once).
    pub fn links(&self) -> &[Link] {
        self.links.all()
    }

    pub fn entity(&self, i: usize) -> &Entity {
        self.entities.get(i)
    }

    pub fn link(&self, i: usize) -> &Link {
        self.links.get(i)
    }

    /// The entity numbers of a link's two ends (from, to); `None` when they are not both
    /// entities. For a link whose ends are known: no id lookups, unlike [`Self::index_of`].
    pub fn ends(&self, link: usize) -> Option<(usize, usize)> {
        let ends = self.link_ends.get_or_init(|| {
            let mut ends = vec![(u32::MAX, u32::MAX); self.links.len()];
            for from in 0..self.offsets.len().saturating_sub(1) {
                for inc in self.incident(from).iter().filter(|inc| inc.direction == Direction::Out) {
                    ends[inc.link()] = (from as u32, inc.other);
                }
            }
            ends
        });
        let (from, to) = *ends.get(link)?;
        (from != u32::MAX).then_some((from as usize, to as usize))
    }

    /// The index of the entity with this id (the first, should two share it).
    pub fn index_of(&self, id: &str) -> Option<usize> {
        let at = self.by_id.partition_point(|&i| self.entity(i as usize).id.as_str() < id);
        let i = *self.by_id.get(at)? as usize;
        (self.entity(i).id.as_str() == id).then_some(i)
    }

    pub fn source(&self, id: &Id) -> Option<&Source> {
        self.source_index.get(id).map(|&i| &self.sources[i])
    }

    /// The best reliability among a link's sources (F when none is known).
    pub fn best_reliability(&self, link: &Link) -> Reliability {
        link.sources
            .iter()
            .filter_map(|s| self.source(s))
            .map(|s| s.reliability)
            .min()
            .unwrap_or(Reliability::F)
    }

    /// The best reliability among link number `link`'s sources, without reading the link.
    pub fn link_reliability(&self, link: usize) -> Reliability {
        self.link_reliability[link]
    }

    /// How many entries the adjacency holds: two for each link between two entities.
    pub fn incident_count(&self) -> usize {
        self.incidents.len()
    }

    /// The links at entity `i`, both directions, in dataset order.
    pub fn incident(&self, i: usize) -> &[Incident] {
        &self.incidents[self.offsets[i]..self.offsets[i + 1]]
    }

    /// Places in [`Self::incident`]`(i)` in the order of entity `i`'s card: by relation,
    /// direction, the other entity's name and id, then link order.
    pub fn card_order(&self, i: usize) -> &[u32] {
        &self.card_order[self.offsets[i]..self.offsets[i + 1]]
    }

    /// How many links entity `i` has, both directions.
    pub fn degree(&self, i: usize) -> usize {
        self.offsets[i + 1] - self.offsets[i]
    }

    /// The entities that go by a folded name key (see [`crate::model::text::name_key`]), in dataset order.
    pub fn by_name_key(&self, key: &str) -> Vec<usize> {
        let names = self.names();
        names.find(key).map_or_else(Vec::new, |k| names.holders(k, self.entity_count()).collect())
    }
}

#[cfg(test)]
mod tests {
    use crate::query::fixture;

    use proptest::prelude::*;

    use super::{GROUP_BITS, Relation, card_places, name_rank, sorted_by_text};

    proptest! {
        /// The sort on packed prefixes gives the order a stable sort by the texts gives: texts
        /// that agree on their first sixteen bytes or more, are prefixes of each other, hold
        /// zero bytes or non-ASCII characters, or are equal.
        #[test]
        fn sorting_by_packed_prefixes_is_sorting_by_text(
            texts in prop::collection::vec(("(abcdefghijklmnop|a\\x00|é)?[a-c\\x00é]{0,3}", "[ab]{0,2}"), 0..60),
        ) {
            let key = |i: u32| (texts[i as usize].0.as_str(), texts[i as usize].1.as_str());
            let mut stable: Vec<u32> = (0..texts.len() as u32).collect();
            stable.sort_by_key(|&i| key(i));
            prop_assert_eq!(sorted_by_text(texts.len(), key), stable);
        }
    }

    /// Each entity's card order lists every one of its links once, sorted by relation,
    /// direction, name rank and link order; numbers too wide to pack sort the same way.
    #[test]
    fn card_order_sorts_each_entity_s_links_once() {
        let g = fixture::graph(fixture::NETWORK);
        let rank = name_rank(g.entities());
        for i in 0..g.entity_count() {
            let links = g.incident(i);
            let order = g.card_order(i);
            let mut seen: Vec<u32> = order.to_vec();
            seen.sort_unstable();
            assert_eq!(seen, (0..links.len() as u32).collect::<Vec<_>>(), "entity {i}");
            let key = |&at: &u32| {
                let inc = &links[at as usize];
                (inc.rel, inc.direction as u8, rank[inc.other()], inc.link())
            };
            assert!(order.windows(2).all(|w| key(&w[0]) < key(&w[1])), "entity {i}");
            let mut wide = Vec::new();
            card_places(links, |inc| rank[inc.other()], 63, &mut Vec::new(), &mut wide);
            assert_eq!(wide, order, "entity {i}, unpacked");
        }
    }

    #[test]
    fn every_relation_and_direction_fits_its_bits() {
        for (at, &rel) in Relation::ALL.iter().enumerate() {
            assert_eq!(rel as usize, at, "relations number as they are listed");
            let highest = ((rel as usize) << 1) | 1;
            assert!(highest < (1 << GROUP_BITS), "{rel}");
        }
        assert!(Relation::ALL.len() * 2 > 1 << (GROUP_BITS - 1), "no bit to spare");
    }
}

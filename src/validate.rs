//! Every check on a loaded dataset: identifiers, references, relation domains and ranges,
//! dates, sources, cycles. All problems are reported at once, each at the span it concerns.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use crate::hash::FastHasher;

use crate::load::{FileId, Loaded, Located, Problem, Span, Suggester};
use crate::model::{Details, Entity, Id, Kind, PartialDate, PlaceType, Relation, text};

/// Runs every check. Problems from loading are not repeated here.
pub fn validate(loaded: &Loaded) -> Vec<Problem> {
    validate_with_ends(loaded).0
}

/// [`validate`], and the entity numbers of each link's two ends found while checking them
/// (`u32::MAX` for an id no entity has): what [`crate::graph::KnowledgeGraph::build_with_ends`]
/// would otherwise look up again.
pub fn validate_with_ends(loaded: &Loaded) -> (Vec<Problem>, Vec<[u32; 2]>) {
    let d = &loaded.dataset;
    let mut v = Validator {
        cx: Context {
            loaded,
            entities: Ids::with_capacity_and_hasher(d.entities.len(), Default::default()),
            by_address: Default::default(),
            sources: Ids::with_capacity_and_hasher(d.sources.len(), Default::default()),
            entity_ids: OnceLock::new(),
            source_ids: OnceLock::new(),
            kinds: d.entities.iter().map(Entity::kind).collect(),
            first: Vec::with_capacity(d.entities.len()),
        },
        out: Out { problems: Vec::new(), cited: vec![false; d.sources.len()] },
        ends: Vec::with_capacity(d.links.len()),
    };
    // Shared names are looked for on a thread of their own, beside the checks up to them
    // (most of which run on one core), and reported where they always were.
    std::thread::scope(|scope| {
        let shared_names = scope.spawn(|| ambiguous_names(loaded));
        v.sources();
        v.entities();
        v.links();
        // Facts in a file that did not load would make the unlinked warnings false. The two
        // checks only read, so the second runs on a thread of its own.
        let complete = !loaded.problems.iter().any(|p| p.is_error());
        let (cycles, unlinked) = std::thread::scope(|scope| {
            let unlinked = scope.spawn(|| if complete { v.unlinked_and_unplaced() } else { Vec::new() });
            (v.located_in_cycles(), unlinked.join().expect("the unlinked check does not panic"))
        });
        v.out.problems.extend(cycles);
        v.out.problems.extend(unlinked);
        if complete {
            v.uncited_sources();
        }
        v.out.problems.extend(shared_names.join().expect("the search for shared names does not panic"));
    });
    v.views();
    v.chains();
    (v.out.problems, v.ends)
}

struct Validator<'a> {
    cx: Context<'a>,
    out: Out,
    /// The first definitions of each link's ends, parallel to the links ([`UNKNOWN`] for an
    /// unknown id): ids are looked up once, not once per check.
    ends: Vec<[u32; 2]>,
}

/// What the checks read: the load, and the ids defined in it. Once the ids are defined it is
/// only read, so the links can be checked on several threads at once.
struct Context<'a> {
    loaded: &'a Loaded,
    /// First definition of each entity id: its index.
    entities: Ids<'a>,
    /// The same, by the [`address`] of each entity's id.
    by_address: crate::hash::FastMap<usize, usize>,
    sources: Ids<'a>,
    /// Suggestions for unknown ids, built at the first one (after every id is defined).
    entity_ids: OnceLock<Suggester<'a>>,
    source_ids: OnceLock<Suggester<'a>>,
    /// Each entity's kind, by index: the domain of each of millions of links is checked
    /// here, a byte each, without reading the entities themselves (a miss of the cache each).
    kinds: Vec<Kind>,
    /// The index of the first definition of each entity's id, by index: the later checks
    /// read it here instead of looking each of a million ids up again by its text.
    first: Vec<u32>,
}

/// What the checks find: problems, and which sources are cited.
#[derive(Debug, Default)]
struct Out {
    problems: Vec<Problem>,
    /// By index of first definition: whether a fact cites the source.
    cited: Vec<bool>,
}

impl Out {
    fn push(&mut self, p: Problem) {
        self.problems.push(p);
    }
}

/// Ids to the index of their first definition.
type Ids<'a> = HashMap<&'a str, usize, BuildHasherDefault<FastHasher>>;

/// Where the text of `id` is held: the same for every copy of an id the loader interned.
fn address(id: &Id) -> usize {
    id.as_str().as_ptr() as usize
}

/// The end of a link whose id no entity has.
const UNKNOWN: u32 = u32::MAX;

fn kinds_list(kinds: &[Kind]) -> String {
    match kinds.len() {
        4 => "any entity".into(),
        _ => kinds.iter().map(|k| k.name()).collect::<Vec<_>>().join(" or "),
    }
}

impl<'a> Context<'a> {
    /// Checks link `i`; returns the first definitions of its ends ([`UNKNOWN`] for none).
    /// `last_from` is the address of the `from` of the link checked before it on this thread,
    /// and its first definition: files list one subject's links together, and the lookup it
    /// spares is a cache miss at a million entities.
    fn link(&self, out: &mut Out, last_from: &mut Option<(usize, Option<usize>)>, i: usize) -> [u32; 2] {
        let d = &self.loaded.dataset;
        let (link, at) = (&d.links[i], &self.loaded.map.links[i]);
        self.citations(out, &link.sources, at, "link");
        self.ordered(out, at, ("since", &link.since), ("until", &link.until));
        let from = match *last_from {
            Some((address_of, first)) if address_of == address(&link.from) => first,
            _ => last_from.insert((address(&link.from), self.find(&link.from))).1,
        };
        let to = self.find(&link.to);
        // Two known ends are the same entity when they have the same first definition: that
        // reads neither id's text.
        let same = match (from, to) {
            (Some(a), Some(b)) => a == b,
            _ => link.from == link.to,
        };
        if same {
            out.push(
                Problem::error("self-link", format!("`{}` is linked to itself", link.from))
                    .at(at.file, at.field(&self.loaded.files, "to"), "same as `from`")
                    .also(at.file, at.field(&self.loaded.files, "from"), "from")
                    .help("a link joins two different entities: check the ids"),
            );
        }
        self.report_unknown(out, from, &link.from, at, "from");
        self.report_unknown(out, to, &link.to, at, "to");
        self.domain_range(out, link.rel, from, to, at, ("from", "to"));
        let index = |e: Option<usize>| e.map_or(UNKNOWN, |i| i as u32);
        [index(from), index(to)]
    }

    fn entity(&self, id: &Id) -> Option<&'a Entity> {
        self.entities.get(id.as_str()).map(|&i| &self.loaded.dataset.entities[i])
    }

    /// Checks that a record cites at least one source and that each one exists.
    fn citations(&self, out: &mut Out, cited: &[Id], at: &Located, what: &str) {
        if cited.is_empty() {
            let span = if at.has(&self.loaded.files, "sources") {
                at.field(&self.loaded.files, "sources")
            } else {
                head(at)
            };
            out.push(
                Problem::error("no-source", format!("this {what} cites no source"))
                    .at(at.file, span, "no source")
                    .help("every fact cites at least one source: add `sources: [\"source-id\"]` with an id from sources.ron"),
            );
        }
        for (i, id) in cited.iter().enumerate() {
            // Without a readable sources.ron every citation would be reported: say it once.
            if let Some(&s) = self.sources.get(id.as_str()) {
                out.cited[s] = true;
            } else if !self.loaded.sources_incomplete {
                let mut p = Problem::error("unknown-source", format!("unknown source `{id}`")).at(
                    at.file,
                    at.item(&self.loaded.files, "sources", i),
                    "not in sources.ron",
                );
                let known = self.source_ids.get_or_init(|| Suggester::new(self.sources.keys().copied()));
                p = p.help(match known.suggest(id.as_str()) {
                    Some(best) => {
                        format!("did you mean `{best}`? Otherwise add the source to sources.ron")
                    }
                    None => "add the source to sources.ron, or cite one that is there".to_owned(),
                });
                out.push(p);
            }
        }
    }

    /// Reports `later` coming before `earlier` (an `until` before its `since`, ...).
    fn ordered(
        &self,
        out: &mut Out,
        at: &Located,
        earlier: (&str, &Option<PartialDate>),
        later: (&str, &Option<PartialDate>),
    ) {
        if let (Some(a), Some(b)) = (earlier.1, later.1)
            && b.definitely_before(a)
        {
            out.push(
                Problem::error(
                    "dates-out-of-order",
                    format!("`{}` ({b}) is before `{}` ({a})", later.0, earlier.0),
                )
                .at(at.file, at.field(&self.loaded.files, later.0), format!("before {}", earlier.0))
                .also(at.file, at.field(&self.loaded.files, earlier.0), earlier.0.to_owned())
                .help(format!(
                    "`{}` must not come before `{}`: check both dates against the source",
                    later.0, earlier.0
                )),
            );
        }
    }

    /// Resolves an entity reference to the index of its first definition, reporting an unknown
    /// id at `field`.
    fn reference(&self, out: &mut Out, id: &Id, at: &Located, field: &str) -> Option<usize> {
        let found = self.find(id);
        self.report_unknown(out, found, id, at, field);
        found
    }

    /// Reports `id` as unknown at `field` when it was `found` nowhere.
    fn report_unknown(&self, out: &mut Out, found: Option<usize>, id: &Id, at: &Located, field: &str) {
        if found.is_none() {
            out.push(self.unknown_entity(id, at.file, at.field(&self.loaded.files, field)));
        }
    }

    /// The index of the first definition of entity `id`.
    fn find(&self, id: &Id) -> Option<usize> {
        // The loader interns every id once, so a link's end is nearly always the very text of
        // its entity's id: found by its address, without reading the text (at a million
        // entities each read of an id is a miss of the cache). Ids made otherwise, and unknown
        // ones, are looked up by their text.
        match self.by_address.get(&address(id)) {
            Some(&first) => Some(first),
            None => self.entities.get(id.as_str()).copied(),
        }
    }

    fn unknown_entity(&self, id: &Id, file: FileId, span: Span) -> Problem {
        let known = self.entity_ids.get_or_init(|| Suggester::new(self.entities.keys().copied()));
        let p = Problem::error("unknown-entity", format!("unknown entity `{id}`")).at(
            file,
            span,
            "no entity has this id",
        );
        match known.suggest(id.as_str()) {
            Some(best) => {
                p.help(format!("did you mean `{best}`? Otherwise define `{id}` in a file under curated/"))
            }
            None => {
                p.help(format!("define `{id}` in a file under curated/, or use the id of an existing entity"))
            }
        }
    }

    fn domain_range(
        &self,
        out: &mut Out,
        rel: Relation,
        from: Option<usize>,
        to: Option<usize>,
        at: &Located,
        fields: (&str, &str),
    ) {
        for (entity, allowed, field, end) in
            [(from, rel.domain(), fields.0, "start from"), (to, rel.range(), fields.1, "point at")]
        {
            let Some(entity) = entity else { continue };
            if !allowed.contains(&self.kinds[entity]) {
                let entity = &self.loaded.dataset.entities[entity];
                out.push(
                    Problem::error(
                        "domain",
                        format!("`{rel}` cannot {end} a {} (`{}`)", entity.kind(), entity.id),
                    )
                    .at(at.file, at.field(&self.loaded.files, field), format!("a {}", entity.kind()))
                    .also(at.file, at.field(&self.loaded.files, "rel"), "relation")
                    .help(format!(
                        "`{rel}` goes from {} to {}: use another relation or check the id",
                        kinds_list(rel.domain()),
                        kinds_list(rel.range())
                    )),
                );
            }
        }
    }
}

impl<'a> Validator<'a> {
    /// Checks an id's shape and uniqueness within `seen`.
    /// Defines `id` as the record at `index`; returns the index of its first definition.
    fn define(&mut self, id: &'a Id, index: usize, at: &'a Located, what: &str, seen_in: Seen) -> usize {
        if !id.is_valid() {
            self.out.push(
                Problem::error("invalid-id", format!("`{id}` is not a valid {what} id"))
                    .at(at.file, at.field(&self.cx.loaded.files, "id"), "not a kebab-case slug")
                    .help(format!("ids are lowercase words joined by hyphens, e.g. `{}`", id.suggestion())),
            );
        }
        let (seen, map) = match seen_in {
            Seen::Entity => (&mut self.cx.entities, &self.cx.loaded.map.entities),
            Seen::Source => (&mut self.cx.sources, &self.cx.loaded.map.sources),
        };
        match seen.entry(id.as_str()) {
            Entry::Occupied(first) => {
                let first = *first.get();
                let first_at = &map[first];
                self.out.push(
                    Problem::error("duplicate-id", format!("the {what} id `{id}` is defined twice"))
                        .at(at.file, at.field(&self.cx.loaded.files, "id"), "defined again here")
                        .also(
                            first_at.file,
                            first_at.field(&self.cx.loaded.files, "id"),
                            "first defined here",
                        )
                        .help(format!("give one of them another id, or merge the two {}", plural(what))),
                );
                first
            }
            Entry::Vacant(slot) => {
                slot.insert(index);
                index
            }
        }
    }

    fn sources(&mut self) {
        let d = &self.cx.loaded.dataset;
        for (i, s) in d.sources.iter().enumerate() {
            self.define(&s.id, i, &self.cx.loaded.map.sources[i], "source", Seen::Source);
        }
    }

    fn entities(&mut self) {
        let d = &self.cx.loaded.dataset;
        self.cx.by_address.reserve(d.entities.len());
        for (i, e) in d.entities.iter().enumerate() {
            let first = self.define(&e.id, i, &self.cx.loaded.map.entities[i], "entity", Seen::Entity);
            self.cx.by_address.insert(address(&e.id), first);
            self.cx.first.push(first as u32);
        }
        for (e, at) in d.entities.iter().zip(&self.cx.loaded.map.entities) {
            self.cx.citations(&mut self.out, &e.sources, at, "entity");
            match &e.details {
                Details::Person(p) => {
                    self.cx.ordered(&mut self.out, at, ("born", &p.born), ("died", &p.died))
                }
                Details::Group(g) => {
                    self.cx.ordered(&mut self.out, at, ("founded", &g.founded), ("dissolved", &g.dissolved))
                }
                Details::Event(ev) => {
                    self.cx.ordered(&mut self.out, at, ("start", &ev.start), ("end", &ev.end));
                    if ev.outcome.is_some() && ev.subkind != crate::model::EventType::Plot {
                        self.out.push(
                            Problem::warning("outcome-not-plot", format!("`{}` has an outcome but is a {}, not a Plot", e.id, ev.subkind))
                                .at(at.file, at.field(&self.cx.loaded.files, "outcome"), "outcome")
                                .help("`outcome` describes how a plot ended: make the event a Plot, or drop the outcome"),
                        );
                    }
                }
                Details::Place(_) => {}
            }
        }
        self.external_ids();
    }

    /// Each external id is written `SCHEME:ID` and names one entity only: an import finds the
    /// entity again by it, so two entities with the same one are the same record imported twice.
    fn external_ids(&mut self) {
        let (d, files) = (&self.cx.loaded.dataset, &self.cx.loaded.files);
        let mut first: HashMap<&str, usize> = HashMap::new();
        for (i, (e, at)) in d.entities.iter().zip(&self.cx.loaded.map.entities).enumerate() {
            let Some(p) = &e.provenance else { continue };
            for (k, x) in p.external_ids.iter().enumerate() {
                if !crate::model::is_external_id(x) {
                    self.out.push(
                        Problem::error("invalid-external-id", format!("`{x}` is not an external id"))
                            .at(at.file, at.item(files, "external_ids", k), "not SCHEME:ID")
                            .help("write the id the record has in the data it came from, after its format: `stix:threat-actor--...`, `ftm:...`, `csv:...`"),
                    );
                    continue;
                }
                match first.entry(x.as_str()) {
                    std::collections::hash_map::Entry::Vacant(v) => {
                        v.insert(i);
                    }
                    std::collections::hash_map::Entry::Occupied(o) if *o.get() != i => {
                        let (other, other_at) =
                            (&d.entities[*o.get()], &self.cx.loaded.map.entities[*o.get()]);
                        self.out.push(
                            Problem::error("duplicate-external-id", format!("`{}` and `{}` both have the external id `{x}`", other.id, e.id))
                                .at(at.file, at.item(files, "external_ids", k), "second entity with it")
                                .also(other_at.file, other_at.field(files, "external_ids"), "first")
                                .help("the same record was imported twice: import it again under the first name (`threatgraph import ... --as NAME`) or remove one of the folders"),
                        );
                    }
                    std::collections::hash_map::Entry::Occupied(_) => {}
                }
            }
        }
    }

    /// Checks every link: on every core, a chunk of links at a time, each chunk finding its
    /// problems apart; joined in link order, so they come out as one pass would give them.
    fn links(&mut self) {
        const CHUNK: usize = 1 << 16;
        let links = &self.cx.loaded.dataset.links;
        let chunks: Vec<std::ops::Range<usize>> =
            (0..links.len()).step_by(CHUNK).map(|s| s..(s + CHUNK).min(links.len())).collect();
        let sources = self.out.cited.len();
        let cx = &self.cx;
        let found = crate::parallel::map(&chunks, |range| {
            let mut out = Out { problems: Vec::new(), cited: vec![false; sources] };
            let mut last_from = None;
            let ends: Vec<[u32; 2]> = range.clone().map(|i| cx.link(&mut out, &mut last_from, i)).collect();
            (out, ends)
        });
        for (out, ends) in found {
            self.out.problems.extend(out.problems);
            for (all, this) in self.out.cited.iter_mut().zip(out.cited) {
                *all |= this;
            }
            self.ends.extend(ends);
        }
    }

    /// Reports each cycle of LocatedIn links once, at the link that closes it.
    fn located_in_cycles(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        let d = &self.cx.loaded.dataset;
        let n = d.entities.len();
        // Nodes: the entities by first definition, then the unknown ids LocatedIn links name.
        let mut unknown: Ids<'a> = Ids::default();
        let mut unknown_names: Vec<&'a str> = Vec::new();
        let mut node = |end: u32, id: &'a Id| -> usize {
            if end != UNKNOWN {
                return end as usize;
            }
            *unknown.entry(id.as_str()).or_insert_with(|| {
                unknown_names.push(id.as_str());
                n + unknown_names.len() - 1
            })
        };
        // Each place's LocatedIn parents, by link index, in file order.
        let mut edges: Vec<(usize, usize)> = Vec::new();
        for (i, (l, ends)) in d.links.iter().zip(&self.ends).enumerate() {
            if l.rel == Relation::LocatedIn && !l.certainty.is_refuted() && l.from != l.to {
                edges.push((node(ends[0], &l.from), i));
            }
        }
        let nodes = n + unknown_names.len();
        let mut first = vec![0u32; nodes + 1];
        for &(from, _) in &edges {
            first[from + 1] += 1;
        }
        for k in 0..nodes {
            first[k + 1] += first[k];
        }
        let mut fill = first.clone();
        let mut parents = vec![0u32; edges.len()];
        for &(from, li) in &edges {
            parents[fill[from] as usize] = li as u32;
            fill[from] += 1;
        }
        let name = |k: usize| if k < n { d.entities[k].id.as_str() } else { unknown_names[k - n] };
        // Iterative three-colour DFS; each cycle is reported once, at the link that closes it.
        // `state`: 0 unseen, 1 on the stack, 2 done; `depth`: a node's place on the stack.
        let mut state = vec![0u8; nodes];
        let mut depth = vec![0u32; nodes];
        for &start in &self.cx.first {
            let start = start as usize;
            if state[start] != 0 {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(start, first[start] as usize)];
            state[start] = 1;
            while let Some(&mut (at_node, ref mut next)) = stack.last_mut() {
                if *next >= first[at_node + 1] as usize {
                    state[at_node] = 2;
                    stack.pop();
                    continue;
                }
                let li = parents[*next] as usize;
                *next += 1;
                let l = &d.links[li];
                let parent = match self.ends[li][1] {
                    UNKNOWN => unknown.get(l.to.as_str()).copied(),
                    k => Some(k as usize),
                };
                // An unknown id that names no place of its own has no parents: a dead end.
                let Some(parent) = parent else { continue };
                match state[parent] {
                    0 => {
                        state[parent] = 1;
                        depth[parent] = stack.len() as u32;
                        stack.push((parent, first[parent] as usize));
                    }
                    1 => {
                        let from = depth[parent] as usize;
                        let cycle: Vec<&str> =
                            stack[from..].iter().map(|&(k, _)| name(k)).chain([name(parent)]).collect();
                        let at = &self.cx.loaded.map.links[li];
                        problems.push(
                            Problem::error("located-in-cycle", format!("places contain each other: {}", cycle.join(" → ")))
                                .at(at.file, at.span(), "this link closes the cycle")
                                .help("a place cannot lie inside itself: remove or reverse one of these LocatedIn links"),
                        );
                    }
                    _ => {}
                }
            }
        }
        problems
    }

    /// Warns of entities no link mentions, and of places below a country in none.
    fn unlinked_and_unplaced(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        let d = &self.cx.loaded.dataset;
        // By index of first definition.
        let mut linked = vec![false; d.entities.len()];
        let mut placed = vec![false; d.entities.len()];
        for (l, ends) in d.links.iter().zip(&self.ends) {
            for end in ends.iter().filter(|&&e| e != UNKNOWN) {
                linked[*end as usize] = true;
            }
            if l.rel == Relation::LocatedIn && !l.certainty.is_refuted() && ends[0] != UNKNOWN {
                placed[ends[0] as usize] = true;
            }
        }
        for (i, e) in d.entities.iter().enumerate() {
            // Warn once per id: a duplicate is already an error.
            if self.cx.first[i] as usize != i {
                continue;
            }
            let at = &self.cx.loaded.map.entities[i];
            if !linked[i] {
                problems.push(
                    Problem::warning("unlinked", format!("`{}` has no links", e.id))
                        .at(at.file, at.field(&self.cx.loaded.files, "id"), "no link mentions this entity")
                        .help("link it to what the sources relate it to, or remove it"),
                );
            } else if let Details::Place(p) = &e.details
                && p.subkind != PlaceType::Country
                && !placed[i]
            {
                problems.push(
                    Problem::warning("unplaced", format!("the {} `{}` is not located in any place", p.subkind, e.id))
                        .at(at.file, at.field(&self.cx.loaded.files, "id"), "no LocatedIn link")
                        .help(format!("add `(from: \"{}\", rel: LocatedIn, to: \"...\", ...)` so it appears under its city or country", e.id)),
                );
            }
        }
        problems
    }

    fn uncited_sources(&mut self) {
        let d = &self.cx.loaded.dataset;
        for (s, at) in d.sources.iter().zip(&self.cx.loaded.map.sources) {
            if !self.cx.sources.get(s.id.as_str()).is_some_and(|&first| self.out.cited[first]) {
                self.out.push(
                    Problem::warning("uncited-source", format!("the source `{}` is never cited", s.id))
                        .at(at.file, at.field(&self.cx.loaded.files, "id"), "cited by no entity or link")
                        .help("cite it from the facts it supports, or remove it"),
                );
            }
        }
    }

    fn views(&mut self) {
        let d = &self.cx.loaded.dataset;
        for (view, at) in d.views.iter().zip(&self.cx.loaded.map.views) {
            if view.seeds.is_empty() {
                self.out.push(
                    Problem::error("empty-view", format!("the view `{}` has no seeds", view.name))
                        .at(at.file, at.field(&self.cx.loaded.files, "seeds"), "no seeds")
                        .help("list the ids the view starts from: `seeds: [\"...\"]`"),
                );
            }
            for (i, seed) in view.seeds.iter().enumerate() {
                if self.cx.entity(seed).is_none() {
                    self.out.push(self.cx.unknown_entity(
                        seed,
                        at.file,
                        at.item(&self.cx.loaded.files, "seeds", i),
                    ));
                }
            }
            self.cx.ordered(&mut self.out, at, ("since", &view.since), ("until", &view.until));
        }
    }

    fn chains(&mut self) {
        let d = &self.cx.loaded.dataset;
        let mut names: HashMap<&str, &Located> = HashMap::new();
        for (chain, at) in d.chains.iter().zip(&self.cx.loaded.map.chains) {
            if let Some(first) = names.insert(chain.name.as_str(), at) {
                self.out.push(
                    Problem::error("duplicate-chain", format!("two chains are named `{}`", chain.name))
                        .at(at.file, at.field(&self.cx.loaded.files, "name"), "named again here")
                        .also(first.file, first.field(&self.cx.loaded.files, "name"), "first named here")
                        .help("give each declared chain its own name"),
                );
            }
            if chain.steps.is_empty() {
                self.out.push(
                    Problem::error("empty-chain", format!("the chain `{}` has no steps", chain.name))
                        .at(at.file, at.field(&self.cx.loaded.files, "steps"), "no steps")
                        .help("list the links the claim rests on: `steps: [(from: ..., rel: ..., to: ...)]`"),
                );
            }
            for (i, step) in chain.steps.iter().enumerate() {
                let step_at = at.nested(&self.cx.loaded.files, "steps", i);
                let from = self.cx.reference(&mut self.out, &step.from, &step_at, "from");
                let to = self.cx.reference(&mut self.out, &step.to, &step_at, "to");
                self.cx.domain_range(&mut self.out, step.rel, from, to, &step_at, ("from", "to"));
            }
        }
    }
}

/// Warns when one name or alias belongs to several entities: commands will ask which.
fn ambiguous_names(loaded: &Loaded) -> Vec<Problem> {
    let mut problems = Vec::new();
    let d = &loaded.dataset;
    // Each key's first holder, and the index of its list in `many` once it has several: one
    // list per shared name, not one per name.
    let mut owners: HashMap<String, (usize, usize), BuildHasherDefault<FastHasher>> =
        HashMap::with_capacity_and_hasher(d.entities.len() * 5 / 4, Default::default());
    let mut many: Vec<Vec<usize>> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for (i, e) in d.entities.iter().enumerate() {
        keys.clear();
        keys.extend(e.names().map(text::name_key));
        keys.sort();
        keys.dedup();
        for key in keys.drain(..) {
            match owners.entry(key) {
                Entry::Vacant(slot) => {
                    slot.insert((i, usize::MAX));
                }
                Entry::Occupied(mut o) => {
                    let (first, list) = o.get_mut();
                    if *list == usize::MAX {
                        *list = many.len();
                        many.push(vec![*first]);
                    }
                    many[*list].push(i);
                }
            }
        }
    }
    let mut shared: Vec<(&String, &Vec<usize>)> = owners
        .iter()
        .filter(|(_, (_, list))| *list != usize::MAX)
        .map(|(k, (_, list))| (k, &many[*list]))
        .collect();
    shared.sort();
    for (key, holders) in shared {
        let ids: Vec<&str> = holders.iter().map(|&i| d.entities[i].id.as_str()).collect();
        if ids.iter().all(|id| *id == ids[0]) {
            continue;
        }
        let last = *holders.last().unwrap_or(&0);
        let at = &loaded.map.entities[last];
        let e = &d.entities[last];
        let span = match e.aliases.iter().position(|a| text::name_key(a) == *key) {
            Some(i) if text::name_key(&e.name) != *key => at.item(&loaded.files, "aliases", i),
            _ => at.field(&loaded.files, "name"),
        };
        problems.push(
            Problem::warning("ambiguous-name", format!("the name \"{key}\" belongs to {}", ids.join(", ")))
                .at(at.file, span, "shared name")
                .help("commands given this name will ask which entity is meant: make the aliases more specific if that is not intended"),
        );
    }
    problems
}

#[derive(Clone, Copy)]
enum Seen {
    Entity,
    Source,
}

fn plural(what: &str) -> &str {
    match what {
        "entity" => "entities",
        "source" => "sources",
        _ => what,
    }
}

fn head(at: &Located) -> Span {
    Span::new(at.span().start, at.span().start + 1)
}

#[cfg(test)]
mod tests {
    use crate::load::{load_memory, suggest};

    /// `n` entities, `Person(id: "p-<i>", ...)`, in one facts file.
    fn people(range: std::ops::Range<usize>) -> String {
        let mut s = String::from("(\n    entities: [\n");
        for i in range {
            s.push_str(&format!("        Person(id: \"p-{i}\", name: \"P {i}\", sources: [\"s\"]),\n"));
        }
        s.push_str("    ],\n    links: [],\n)\n");
        s
    }

    /// A whole file of entities fails to parse, so thousands of links dangle: every dangling
    /// reference is reported, and suggesting ids costs a bounded number of comparisons per
    /// unknown id, not one per known id.
    #[test]
    fn a_missing_file_of_entities_is_reported_without_quadratic_work() {
        let (known, missing) = (3000, 2000);
        let kept = people(0..known);
        // A syntax error on the first line: none of these entities load.
        let broken = people(known..known + missing).replacen('(', "((", 1);
        let mut links = String::from("(\n    entities: [],\n    links: [\n");
        for i in 0..known + missing {
            let to = (i * 7 + 3) % (known + missing);
            links.push_str(&format!(
                "        (from: \"p-{i}\", rel: AssociateOf, to: \"p-{to}\", certainty: Reported, sources: [\"s\"]),\n"
            ));
        }
        links.push_str("    ],\n)\n");
        let loaded = load_memory(&[
            ("sources.ron", "[(id: \"s\", title: \"S\", reliability: B)]"),
            ("curated/a.ron", &kept),
            ("curated/b.ron", &broken),
            ("curated/links.ron", &links),
        ]);
        assert_eq!(loaded.problems.len(), 1, "{:?}", loaded.problems);
        let before = suggest::comparisons();
        let problems = super::validate(&loaded);
        let made = suggest::comparisons() - before;
        let unknown = problems.iter().filter(|p| p.code == "unknown-entity").count();
        let dangling = (0..known + missing)
            .map(|i| usize::from(i >= known) + usize::from((i * 7 + 3) % (known + missing) >= known))
            .sum::<usize>();
        assert_eq!(unknown, dangling);
        assert_eq!(
            problems.len(),
            unknown,
            "only unknown entities: {:?}",
            problems.iter().find(|p| p.code != "unknown-entity")
        );
        // Each unknown id is compared with at most three windows of neighbours, once.
        assert!(made <= missing * 6 * suggest::WINDOW, "{made} comparisons for {missing} unknown ids");
        assert!(problems.iter().all(|p| p.help.as_deref().is_some_and(|h| h.contains("did you mean `p-"))));
    }

    /// LocatedIn cycles are found by index, through unknown ids too (each reported as unknown
    /// as well), once each, at the link that closes them.
    #[test]
    fn cycles_through_known_and_unknown_places() {
        let facts = r#"(
    entities: [
        Place(id: "a", name: "A", subkind: City, sources: ["s"]),
        Place(id: "b", name: "B", subkind: Region, sources: ["s"]),
        Place(id: "c", name: "C", subkind: Country, sources: ["s"]),
    ],
    links: [
        (from: "a", rel: LocatedIn, to: "b", certainty: Reported, sources: ["s"]),
        (from: "b", rel: LocatedIn, to: "a", certainty: Reported, sources: ["s"]),
        (from: "c", rel: LocatedIn, to: "x", certainty: Reported, sources: ["s"]),
        (from: "x", rel: LocatedIn, to: "c", certainty: Reported, sources: ["s"]),
        (from: "c", rel: LocatedIn, to: "y", certainty: Refuted, sources: ["s"]),
    ],
)"#;
        let loaded = load_memory(&[
            ("sources.ron", "[(id: \"s\", title: \"S\", reliability: B)]"),
            ("curated/a.ron", facts),
        ]);
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        let problems = super::validate(&loaded);
        let cycles: Vec<&str> =
            problems.iter().filter(|p| p.code == "located-in-cycle").map(|p| p.message.as_str()).collect();
        assert_eq!(cycles, ["places contain each other: a → b → a", "places contain each other: c → x → c"]);
        assert_eq!(problems.iter().filter(|p| p.code == "unknown-entity").count(), 3);
    }
}

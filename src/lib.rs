//! threatgraph: a sourced, graded knowledge graph of terrorist networks.
//!
//! Facts are read from RON files ([`load`]), checked ([`validate`]), indexed into a
//! [`graph::KnowledgeGraph`], and questioned ([`query`]). Every link cites its sources and
//! carries a [`model::Certainty`]; `Refuted` links are kept as facts but never followed.
//!
//! ```no_run
//! let mut loaded = threatgraph::load::load(std::path::Path::new("data"));
//! let problems = threatgraph::validate::validate(&loaded);
//! assert!(problems.iter().all(|p| !p.is_error()));
//! let graph = threatgraph::graph::KnowledgeGraph::build(std::mem::take(&mut loaded.dataset));
//! let abedi = graph.resolve("Salman Abedi").unwrap();
//! println!("{}", graph.entity(abedi).name);
//! ```

pub mod cli;
pub mod export;
pub mod extract;
pub mod graph;
pub mod hash;
pub mod import;
pub mod load;
pub mod model;
pub mod names;
pub mod parallel;
pub mod query;
pub mod radix;
pub mod resolution;
pub mod save;
pub mod serve;
pub mod snapshot;
pub mod stored;
pub mod validate;

pub use graph::KnowledgeGraph;
pub use model::{Certainty, Dataset, Entity, Id, Kind, Link, PartialDate, Relation};

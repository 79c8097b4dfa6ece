//! The data model: what the graph holds, independent of how it is stored or queried.
//!
//! Entities (people, groups, places, events) are joined by links drawn from a closed
//! vocabulary of [`Relation`]s; every entity and link cites [`Source`]s, and every link carries
//! a [`Certainty`]. Dates are [`PartialDate`]s, intervals rather than points.

mod date;
mod entity;
mod grade;
mod id;
mod link;
mod relation;
mod source;
pub mod text;
mod view;

pub use date::{DATE_FORMS, DateError, PartialDate, Precision};
pub use entity::{
    Details, Entity, EventDetails, EventType, GroupDetails, GroupType, Ideology, Kind, Method, Outcome,
    PersonDetails, PlaceDetails, PlaceType, Status, Target,
};
pub use grade::{Certainty, Reliability};
pub use id::{Id, slugify};
pub use link::{Link, Origin};
pub use relation::Relation;
pub use source::Source;
pub use view::{ChainStep, Cluster, DeclaredChain, Verdict, View};

/// Everything loaded from a data folder, in file order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dataset {
    pub sources: Vec<Source>,
    pub entities: Vec<Entity>,
    pub links: Vec<Link>,
    pub views: Vec<View>,
    pub chains: Vec<DeclaredChain>,
}

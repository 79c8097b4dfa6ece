//! The data model: what the graph holds, independent of how it is stored or queried.
//!
//! Entities (people, groups, places, events) are joined by links drawn from a closed
//! vocabulary of [`Relation`]s; every entity and link cites [`Source`]s, and every link carries
//! a [`Certainty`]. Dates are [`PartialDate`]s, intervals rather than points.

/// Declares a fieldless enum that serializes as its variant names and can list them.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, ::serde::Serialize, ::serde::Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn name(self) -> &'static str {
                match self { $($name::$variant => stringify!($variant)),+ }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

pub mod as_of;
mod date;
mod entity;
mod grade;
mod id;
mod link;
mod provenance;
mod relation;
mod source;
pub mod text;
mod view;

#[cfg(test)]
pub(crate) use date::tests::any_date;
pub use date::{DATE_FORMS, DateError, PartialDate, Precision};
pub use entity::{
    Details, Entity, EventDetails, EventType, GroupDetails, GroupType, Ideology, Kind, Method, Outcome,
    PersonDetails, PlaceDetails, PlaceType, Status, Target,
};
pub use grade::{Certainty, Reliability};
pub use id::{Id, Interner, ThreadInterner, slugify};
pub use link::{Link, Origin};
pub use provenance::{JoinedId, Provenance, TextSpan, is_external_id};
pub use relation::Relation;
pub use source::Source;
pub use view::{ChainStep, Cluster, DeclaredChain, Layout, Verdict, View};

/// Everything loaded from a data folder, in file order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dataset {
    pub sources: Vec<Source>,
    pub entities: Vec<Entity>,
    pub links: Vec<Link>,
    pub views: Vec<View>,
    pub chains: Vec<DeclaredChain>,
}

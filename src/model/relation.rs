//! The closed vocabulary of relations, each with the kinds of entity it may join.

use super::Kind;

vocabulary!(
    /// What a link says about its two entities. Directed unless [`Relation::is_symmetric`].
    Relation {
        MemberOf,
        LeaderOf,
        Founded,
        SupporterOf,
        PartOf,
        AffiliateOf,
        SplinterOf,
        AlliedWith,
        RivalOf,
        Perpetrated,
        Plotted,
        Directed,
        Financed,
        ParticipatedIn,
        Claimed,
        Targeted,
        KilledIn,
        ArrestedIn,
        ConvictedOf,
        SubEventOf,
        Preceded,
        OccurredIn,
        LocatedIn,
        BasedIn,
        OperatesIn,
        TraveledTo,
        TrainedIn,
        LivedIn,
        BornIn,
        CitizenOf,
        DetainedIn,
        SiblingOf,
        SpouseOf,
        RelativeOf,
        AssociateOf,
        ParentOf,
        Handled,
        Recruited,
        InfluencedBy,
    }
);

use Kind::{Event, Group, Person, Place};
use Relation::*;

const ANY: &[Kind] = &[Person, Group, Place, Event];
const ACTOR: &[Kind] = &[Person, Group];

impl Relation {
    /// The kinds a link of this relation may start from.
    pub fn domain(self) -> &'static [Kind] {
        match self {
            MemberOf | LeaderOf | Founded | SupporterOf => &[Person],
            PartOf | AffiliateOf | SplinterOf | AlliedWith | RivalOf | Claimed => &[Group],
            Perpetrated | Plotted | Directed | Financed | ParticipatedIn => ACTOR,
            Targeted | SubEventOf | Preceded | OccurredIn => &[Event],
            KilledIn | ArrestedIn | ConvictedOf => &[Person],
            LocatedIn => &[Place],
            BasedIn | OperatesIn => ACTOR,
            TraveledTo | TrainedIn | LivedIn | BornIn | CitizenOf | DetainedIn => &[Person],
            SiblingOf | SpouseOf | RelativeOf | AssociateOf | ParentOf | Handled | Recruited => &[Person],
            InfluencedBy => ACTOR,
        }
    }

    /// The kinds a link of this relation may point at.
    pub fn range(self) -> &'static [Kind] {
        match self {
            MemberOf | LeaderOf | Founded | SupporterOf => &[Group],
            PartOf | AffiliateOf | SplinterOf | AlliedWith | RivalOf => &[Group],
            Perpetrated | Plotted | Directed | Financed | ParticipatedIn | Claimed => &[Event],
            Targeted => ANY,
            KilledIn | ArrestedIn | ConvictedOf | SubEventOf | Preceded => &[Event],
            OccurredIn | LocatedIn | BasedIn | OperatesIn => &[Place],
            TraveledTo | TrainedIn | LivedIn | BornIn | CitizenOf | DetainedIn => &[Place],
            SiblingOf | SpouseOf | RelativeOf | AssociateOf | ParentOf | Handled | Recruited => &[Person],
            InfluencedBy => ACTOR,
        }
    }

    /// Symmetric relations read the same both ways (`A SiblingOf B` is `B SiblingOf A`).
    pub fn is_symmetric(self) -> bool {
        matches!(self, AlliedWith | RivalOf | SiblingOf | SpouseOf | RelativeOf | AssociateOf)
    }

    /// Parses a relation name case-insensitively, also accepting snake and kebab case.
    pub fn from_name(s: &str) -> Option<Relation> {
        let wanted: String = s.chars().filter(|c| *c != '_' && *c != '-').collect();
        Relation::ALL.iter().copied().find(|r| r.name().eq_ignore_ascii_case(&wanted))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_variants() {
        for &r in Relation::ALL {
            assert_eq!(format!("{r:?}"), r.name());
            assert_eq!(Relation::from_name(r.name()), Some(r));
        }
        assert_eq!(Relation::from_name("member_of"), Some(MemberOf));
        assert_eq!(Relation::from_name("traveled-to"), Some(TraveledTo));
        assert_eq!(Relation::from_name("nope"), None);
    }

    #[test]
    fn domains_and_ranges_follow_the_design() {
        assert_eq!(MemberOf.domain(), &[Person]);
        assert_eq!(MemberOf.range(), &[Group]);
        assert!(!MemberOf.domain().contains(&Place), "a place cannot be a member");
        assert_eq!(Claimed.domain(), &[Group]);
        assert_eq!(Targeted.range().len(), 4);
        assert_eq!(Perpetrated.domain(), &[Person, Group]);
        assert_eq!(LocatedIn.domain(), &[Place]);
        assert_eq!(Handled.range(), &[Person]);
    }

    #[test]
    fn symmetric_relations_join_like_kinds() {
        for &r in Relation::ALL.iter().filter(|r| r.is_symmetric()) {
            assert_eq!(r.domain(), r.range(), "{r}");
        }
        assert!(!ParentOf.is_symmetric() && !Handled.is_symmetric());
    }
}

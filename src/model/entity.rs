//! Entities, the nodes of the graph: people, groups, places and events.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Id, Origin, PartialDate};

/// The four kinds of entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Kind {
    Person,
    Group,
    Place,
    Event,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Person, Kind::Group, Kind::Place, Kind::Event];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Person => "Person",
            Kind::Group => "Group",
            Kind::Place => "Place",
            Kind::Event => "Event",
        }
    }

    pub fn from_name(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name().eq_ignore_ascii_case(s))
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

vocabulary!(
    /// What is known of a person's situation.
    Status { Alive, Dead, Detained, Convicted, Unknown }
);
vocabulary!(
    /// The sort of group.
    GroupType { Organisation, Affiliate, Cell, Network, Media, Agency, Movement }
);
vocabulary!(
    /// A group's ideology, where the sources state one.
    Ideology { Jihadist, ExtremeRightWing, ExtremeLeftWing, Separatist, Sectarian, Other }
);
vocabulary!(
    /// The sort of place.
    PlaceType { Country, Region, City, District, Venue, Facility, Camp }
);
vocabulary!(
    /// The sort of event.
    EventType { Attack, Plot, Arrest, Conviction, Meeting, Training, Release, Publication, Operation }
);
vocabulary!(
    /// How an attack was (or was to be) carried out.
    Method { Bombing, SuicideBombing, Shooting, Stabbing, VehicleRamming, Radiological, Assassination, Hostage, Arson, Other }
);
vocabulary!(
    /// What an attack was aimed at.
    Target { Concert, Sports, Religious, Transport, Government, Military, Diplomatic, Police, Civilians, Other }
);
vocabulary!(
    /// How a plot ended.
    Outcome { Foiled, Disrupted, Abandoned, Executed }
);

/// A node of the graph. Relations to other entities live only in links.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Entity {
    pub id: Id,
    pub name: String,
    pub aliases: Vec<String>,
    pub summary: Option<String>,
    pub sources: Vec<Id>,
    pub details: Details,
    pub origin: Origin,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Box<super::Provenance>>,
}

/// The fields that belong to one kind of entity.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Details {
    Person(PersonDetails),
    Group(GroupDetails),
    Place(PlaceDetails),
    Event(EventDetails),
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PersonDetails {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub born: Option<PartialDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub died: Option<PartialDate>,
    pub roles: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupDetails {
    pub subkind: GroupType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub founded: Option<PartialDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dissolved: Option<PartialDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ideology: Option<Ideology>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlaceDetails {
    pub subkind: PlaceType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventDetails {
    pub subkind: EventType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<PartialDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<PartialDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub killed: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub injured: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<Method>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<Target>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
}

impl EventDetails {
    /// The date an event is placed at on a timeline: `date`, else `start`, else `end`.
    pub fn when(&self) -> Option<&PartialDate> {
        self.date.as_ref().or(self.start.as_ref()).or(self.end.as_ref())
    }
}

impl Entity {
    pub fn kind(&self) -> Kind {
        match self.details {
            Details::Person(_) => Kind::Person,
            Details::Group(_) => Kind::Group,
            Details::Place(_) => Kind::Place,
            Details::Event(_) => Kind::Event,
        }
    }

    /// The sub-kind's name (`City`, `Attack`, ...); people have none.
    pub fn subkind(&self) -> Option<&'static str> {
        match &self.details {
            Details::Person(_) => None,
            Details::Group(g) => Some(g.subkind.name()),
            Details::Place(p) => Some(p.subkind.name()),
            Details::Event(e) => Some(e.subkind.name()),
        }
    }

    pub fn as_person(&self) -> Option<&PersonDetails> {
        match &self.details {
            Details::Person(p) => Some(p),
            _ => None,
        }
    }

    pub fn as_group(&self) -> Option<&GroupDetails> {
        match &self.details {
            Details::Group(g) => Some(g),
            _ => None,
        }
    }

    pub fn as_event(&self) -> Option<&EventDetails> {
        match &self.details {
            Details::Event(e) => Some(e),
            _ => None,
        }
    }

    /// Every name the entity goes by: its name, then its aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

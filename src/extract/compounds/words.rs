//! The word lists the compound rules read: the heads and modifiers of venue names, compass
//! words, street words and endings, the nouns of a place's parts (alone, in the plural before
//! a list, after a name and before "of"), the heads of "<X> of <place>" names, the heads of
//! appositions that make a name a group, and particles inside street names. Data, kept apart
//! from the rules.

use crate::model::{GroupType, PlaceType};

/// Lower-case nouns that end a venue's name after a capitalised one ("Westgate shopping mall").
pub(super) const VENUE_HEADS: &[(&str, PlaceType)] = &[
    ("headquarters", PlaceType::Facility),
    ("mall", PlaceType::Venue),
    ("store", PlaceType::Venue),
    ("airport", PlaceType::Venue),
    ("station", PlaceType::Venue),
    ("stadium", PlaceType::Venue),
    ("market", PlaceType::Venue),
    ("towers", PlaceType::Venue),
    ("mosque", PlaceType::Venue),
    ("church", PlaceType::Venue),
    ("camp", PlaceType::Camp),
    ("prison", PlaceType::Facility),
    ("base", PlaceType::Facility),
    ("hotel", PlaceType::Venue),
    ("hospital", PlaceType::Facility),
    ("lodge", PlaceType::Venue),
    ("restaurant", PlaceType::Venue),
    ("house", PlaceType::Venue),
    ("centre", PlaceType::Venue),
    ("center", PlaceType::Venue),
    ("synagogue", PlaceType::Venue),
    ("bakery", PlaceType::Venue),
    ("cafe", PlaceType::Venue),
    ("café", PlaceType::Venue),
];

/// The lower-case word allowed between the name and its head ("police headquarters").
pub(super) const VENUE_MODIFIERS: &[&str] = &[
    "police",
    "shopping",
    "refugee",
    "department",
    "international",
    "military",
    "army",
    "air",
    "naval",
    "detention",
    "railway",
    "train",
    "bus",
    "central",
    "main",
    "city",
    "guest",
    "cultural",
    "community",
];

/// Words that make a part of the place after them: "East Java", "Northern Ireland".
pub(super) const COMPASS: &[&str] =
    &["East", "West", "North", "South", "Eastern", "Western", "Northern", "Southern", "Central"];

/// Words a street's name starts with, in the languages of the places the articles cover.
pub(super) const STREET_WORDS: &[&str] = &[
    "Jalan",
    "Rue",
    "Boulevard",
    "Avenue",
    "Calle",
    "Via",
    "Plaza",
    "Piazza",
    "Place",
    "Avenida",
    "Lake",
    "Mount",
];

/// Nouns that, after "a|an|the [word] ... of <place>", make the name before them a part of
/// that place: "Komamboga, a northern suburb of Kampala".
pub(super) const PART_NOUNS: &[(&str, PlaceType)] = &[
    ("suburb", PlaceType::District),
    ("district", PlaceType::District),
    ("neighbourhood", PlaceType::District),
    ("neighborhood", PlaceType::District),
    ("area", PlaceType::District),
    ("quarter", PlaceType::District),
    ("town", PlaceType::City),
    ("village", PlaceType::City),
    ("city", PlaceType::City),
];

/// Endings of one-word street and square names: "Drottninggatan", "Kurfürstendamm" is not one.
pub(super) const STREET_ENDINGS: &[&str] =
    &["gatan", "vägen", "torget", "straße", "strasse", "gasse", "straat", "plein", "gade", "platz"];

/// Heads whose name goes on with "of <place>": "Jewish Museum of Belgium".
pub(super) const OF_PLACE_HEADS: &[&str] = &[
    "Museum",
    "University",
    "Institute",
    "College",
    "Academy",
    "Bank",
    "Ministry",
    "Embassy",
    "Consulate",
    "Cathedral",
    "Church",
    "Court",
];

/// Particles inside street names: "Boulevard d'Ypres", "Rue de la Loi".
pub(super) const STREET_PARTICLES: &[&str] = &["de", "du", "des", "del", "della", "la", "le", "d'", "d’"];

/// Plural nouns of parts of a place, before "of" and a list: "suburbs of", "provinces of".
pub(super) const PARTS_OF: &[(&str, PlaceType)] = &[
    ("suburbs", PlaceType::District),
    ("districts", PlaceType::District),
    ("neighbourhoods", PlaceType::District),
    ("neighborhoods", PlaceType::District),
    ("towns", PlaceType::City),
    ("villages", PlaceType::City),
    ("provinces", PlaceType::Region),
    ("regions", PlaceType::Region),
    ("states", PlaceType::Region),
];

/// Head nouns of an apposition that make the name before it a group or an outlet.
pub(super) const GROUP_APPOSITIONS: &[(&str, GroupType)] = &[
    ("group", GroupType::Organisation),
    ("network", GroupType::Organisation),
    ("movement", GroupType::Movement),
    ("organisation", GroupType::Organisation),
    ("organization", GroupType::Organisation),
    ("militia", GroupType::Organisation),
    ("faction", GroupType::Organisation),
    ("outfit", GroupType::Organisation),
    ("splinter", GroupType::Organisation),
    ("affiliate", GroupType::Affiliate),
    ("cell", GroupType::Cell),
    ("magazine", GroupType::Media),
    ("newspaper", GroupType::Media),
    ("weekly", GroupType::Media),
    ("daily", GroupType::Media),
    ("broadcaster", GroupType::Media),
];

/// Nouns after a name that make it a place: "the Norrebro district", "the Paikpara area".
pub(super) const PLACE_AFTER: &[(&str, PlaceType)] = &[
    ("district", PlaceType::District),
    ("area", PlaceType::District),
    ("neighbourhood", PlaceType::District),
    ("neighborhood", PlaceType::District),
    ("quarter", PlaceType::District),
    ("suburb", PlaceType::District),
    ("province", PlaceType::Region),
    ("region", PlaceType::Region),
    ("governorate", PlaceType::Region),
];

/// Nouns before "of" and a name that make it a place: "the town of Sabratha".
pub(super) const PLACE_OF: &[(&str, PlaceType)] = &[
    ("town", PlaceType::City),
    ("village", PlaceType::City),
    ("city", PlaceType::City),
    ("port", PlaceType::City),
    ("capital", PlaceType::City),
    ("suburb", PlaceType::District),
    ("district", PlaceType::District),
    ("province", PlaceType::Region),
    ("region", PlaceType::Region),
    ("governorate", PlaceType::Region),
];

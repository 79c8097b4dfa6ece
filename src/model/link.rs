//! Links, the edges of the graph: a sourced, graded statement that relates two entities.

use serde::{Deserialize, Serialize};

use super::{Certainty, Id, PartialDate, Relation};

/// Where a fact came from: curated by hand, proposed by the extractor and not yet reviewed, or
/// imported from another tool's data (`data/imported/NAME/`, see [`crate::import`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    #[default]
    Curated,
    Extracted,
    Imported,
}

impl Origin {
    /// The name answers and exports show: `curated`, `extracted`, `imported`.
    pub fn name(self) -> &'static str {
        match self {
            Origin::Curated => "curated",
            Origin::Extracted => "extracted",
            Origin::Imported => "imported",
        }
    }

    /// What an answer says after a fact of this origin; nothing for curated facts.
    pub fn caveat(self) -> Option<&'static str> {
        match self {
            Origin::Curated => None,
            Origin::Extracted => Some("extracted, unreviewed"),
            Origin::Imported => Some("imported"),
        }
    }
}

/// `from rel to`, with when, how sure, and on whose word.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Link {
    pub from: Id,
    pub rel: Relation,
    pub to: Id,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<PartialDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<PartialDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub certainty: Certainty,
    pub sources: Vec<Id>,
    pub origin: Origin,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Box<super::Provenance>>,
}

impl Link {
    /// The date that places the link in time: `date`, else `since`, else `until`.
    pub fn when(&self) -> Option<&PartialDate> {
        self.date.as_ref().or(self.since.as_ref()).or(self.until.as_ref())
    }
}

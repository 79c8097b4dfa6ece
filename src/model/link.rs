//! Links, the edges of the graph: a sourced, graded statement that relates two entities.

use serde::{Deserialize, Serialize};

use super::{Certainty, Id, PartialDate, Relation};

/// Where a fact came from: curated by hand, or proposed by the extractor and not yet reviewed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    #[default]
    Curated,
    Extracted,
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

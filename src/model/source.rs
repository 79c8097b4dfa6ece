//! Sources: the articles, reports and records that facts cite.

use serde::Serialize;

use super::{Id, PartialDate, Reliability};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Source {
    pub id: Id,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub reliability: Reliability,
    /// A local copy of the text, relative to the data folder's parent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

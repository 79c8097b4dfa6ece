//! Entity and source identifiers: kebab-case slugs such as `salman-abedi`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An identifier as written in the data. Any string deserializes, so that a malformed id is
/// reported by the validator with its position instead of failing the whole record;
/// [`Id::is_valid`] says whether it has the required shape.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Id(String);

impl Id {
    pub fn new(s: impl Into<String>) -> Self {
        Id(s.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for `[a-z0-9]+(-[a-z0-9]+)*`.
    pub fn is_valid(&self) -> bool {
        is_slug(&self.0)
    }

    /// The slug closest to this id, offered as a fix in diagnostics.
    pub fn suggestion(&self) -> String {
        slugify(&self.0)
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::borrow::Borrow<str> for Id {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Id {
    fn from(s: &str) -> Self {
        Id(s.to_owned())
    }
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|part| {
            !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Lowercase ASCII words joined by single hyphens; accents are dropped.
pub fn slugify(s: &str) -> String {
    let folded = crate::model::text::fold(s);
    folded.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        for ok in ["a", "is-k", "salman-abedi", "7-7-bombings", "x1-y2"] {
            assert!(Id::from(ok).is_valid(), "{ok}");
        }
        for bad in ["", "-a", "a-", "a--b", "Salman", "a_b", "a b", "é"] {
            assert!(!Id::from(bad).is_valid(), "{bad}");
        }
    }

    #[test]
    fn suggestion_is_a_valid_slug() {
        assert_eq!(Id::from("Salman_Abedi").suggestion(), "salman-abedi");
        assert_eq!(Id::from("Élan  Vital!").suggestion(), "elan-vital");
    }
}

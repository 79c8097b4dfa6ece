//! How far a fact can be trusted: the certainty of a link and the reliability of a source.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The certainty of a link, weakest first so that `Ord` reads "at least as certain as".
/// `Refuted` sorts lowest: the sources say the link does not hold, and traversal never
/// follows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Certainty {
    Refuted,
    Disputed,
    Suspected,
    Alleged,
    Reported,
    Confirmed,
}

impl Certainty {
    pub const ALL: [Certainty; 6] = [
        Certainty::Confirmed,
        Certainty::Reported,
        Certainty::Alleged,
        Certainty::Suspected,
        Certainty::Disputed,
        Certainty::Refuted,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Certainty::Refuted => "Refuted",
            Certainty::Disputed => "Disputed",
            Certainty::Suspected => "Suspected",
            Certainty::Alleged => "Alleged",
            Certainty::Reported => "Reported",
            Certainty::Confirmed => "Confirmed",
        }
    }

    pub fn is_refuted(self) -> bool {
        self == Certainty::Refuted
    }
}

impl fmt::Display for Certainty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Source reliability on the Admiralty scale, A (completely reliable) to E (unreliable),
/// and F (cannot be judged).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Reliability {
    A,
    B,
    C,
    D,
    E,
    F,
}

impl Reliability {
    /// Every grade, best first.
    pub const ALL: [Reliability; 6] =
        [Reliability::A, Reliability::B, Reliability::C, Reliability::D, Reliability::E, Reliability::F];

    pub fn meaning(self) -> &'static str {
        match self {
            Reliability::A => "completely reliable",
            Reliability::B => "usually reliable",
            Reliability::C => "fairly reliable",
            Reliability::D => "not usually reliable",
            Reliability::E => "unreliable",
            Reliability::F => "reliability cannot be judged",
        }
    }
}

impl fmt::Display for Reliability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certainty_orders_weakest_first() {
        assert!(Certainty::Confirmed > Certainty::Reported);
        assert!(Certainty::Reported > Certainty::Alleged);
        assert!(Certainty::Alleged > Certainty::Suspected);
        assert!(Certainty::Suspected > Certainty::Disputed);
        assert!(Certainty::Disputed > Certainty::Refuted);
        let mut sorted = Certainty::ALL;
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(sorted, Certainty::ALL);
    }

    #[test]
    fn reliability_orders_best_first() {
        assert!(Reliability::A < Reliability::B && Reliability::E < Reliability::F);
    }
}

//! Hedging and certainty: how sure the words around a statement say it is. Doubt ("unclear")
//! makes a link `Disputed`, negation ("not", "denied", "no connection") `Refuted`, hedges
//! ("suspected", "believed", "may") `Suspected`, reported speech ("alleged", "reportedly")
//! `Alleged`, a conviction `Confirmed`; a plain statement is `Reported`. In: the words a link
//! was read from and a little before; out: its `Certainty`. Every link rule asks it.

use crate::model::Certainty;

/// The certainty the words around a statement give it: a statement of doubt makes it
/// `Disputed`; negation makes it `Refuted`; hedges lower it; a conviction raises it; plain statement is `Reported`. `scope` is the text from a
/// little before the first mention to the second.
pub fn certainty(scope: &str) -> Certainty {
    let s = without_the_month_may(&scope.to_lowercase());
    let has = |words: &[&str]| words.iter().any(|w| s.contains(w));
    // "It is unclear whether", "whose exact role is never clear": said to be in doubt, which
    // is not a denial.
    if has(&["unclear", "not clear", "never clear", "lack of clarity", "disputed", "contested", "uncertain"])
    {
        return Certainty::Disputed;
    }
    if has(&[
        "no connection",
        "no clear",
        "no link",
        "no evidence",
        "no direct",
        "no known",
        " not ",
        "n't ",
        " never ",
        "denied",
        " deny",
        " nor ",
        "rather than",
    ]) {
        Certainty::Refuted
    } else if has(&[
        "suspected",
        "believed",
        "likely",
        "appears",
        "appear to",
        " may ",
        " might ",
        "possibly",
        "probably",
        "linked to",
        "thought to",
    ]) {
        Certainty::Suspected
    } else if has(&["alleged", "accused", "reportedly", "claims to", "claimed to", "purported", "blamed"]) {
        Certainty::Alleged
    } else if has(&["convicted", "sentenced", "found guilty", "pleaded guilty"]) {
        Certainty::Confirmed
    } else {
        Certainty::Reported
    }
}

/// The certainty of a phrase: [`certainty`] of its words with a space either side, so that a
/// hedge at either end ("suspected ", " may ") counts.
pub fn certainty_of(words: &str) -> Certainty {
    certainty(&format!(" {words} "))
}

/// The certainty of an event a sentence tells (an arrest, an attack): as [`certainty_of`]
/// says, but never `Confirmed`: a court outcome elsewhere in the sentence does not make the
/// event itself more certain than reported.
pub fn told_certainty(words: &str) -> Certainty {
    match certainty_of(words) {
        Certainty::Confirmed => Certainty::Reported,
        c => c,
    }
}

/// `s` with the month "may" written "mayx", so that it is not the hedge " may ": "on 3 May
/// 2021", "in May the police", "May 4".
fn without_the_month_may(s: &str) -> String {
    const BEFORE: &[&str] =
        &["in", "of", "since", "until", "early", "late", "mid", "last", "next", "by", "from", "on"];
    let words: Vec<&str> = s.split(' ').collect();
    let month = |i: usize| {
        let digit = |w: Option<&&str>| w.and_then(|w| w.chars().next()).is_some_and(|c| c.is_ascii_digit());
        let prev = i.checked_sub(1).and_then(|p| words.get(p));
        digit(prev)
            || digit(words.get(i + 1))
            || prev.is_some_and(|p| BEFORE.contains(&p.trim_start_matches('-')))
    };
    words
        .iter()
        .enumerate()
        .map(|(i, w)| if *w == "may" && month(i) { "mayx" } else { w })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::certainty;
    use crate::extract::tests::{has, run};
    use crate::model::{Certainty, Relation};

    #[test]
    fn hedging_and_negation() {
        assert_eq!(certainty("Masood had no clear and obvious connection to"), Certainty::Refuted);
        assert_eq!(certainty("eight suspected members of"), Certainty::Suspected);
        assert_eq!(certainty("who allegedly joined"), Certainty::Alleged);
        assert_eq!(certainty("was convicted of"), Certainty::Confirmed);
        assert_eq!(certainty(" carried out "), Certainty::Reported);
        assert_eq!(certainty(" was not a member of "), Certainty::Refuted);
        assert_eq!(certainty(" whose exact role in the group is never clear "), Certainty::Disputed);
        assert_eq!(certainty(" it is unclear whether he joined "), Certainty::Disputed);
        // The month is no hedge; the modal is.
        assert_eq!(certainty(" was arrested on 3 May 2021 in "), Certainty::Reported);
        assert_eq!(certainty(" In May the police arrested "), Certainty::Reported);
        assert_eq!(certainty(" he may have joined "), Certainty::Suspected);
    }

    #[test]
    fn hedging_lowers_and_negation_refutes() {
        let ex = run("Zoe Quill, a suspected member of the Omega Brigade, spoke.");
        assert_eq!(has(&ex, "zoe-quill", Relation::MemberOf, "omega-brigade"), Some(Certainty::Suspected));
        let ex = run("Zoe Quill allegedly joined the Omega Brigade.");
        assert_eq!(has(&ex, "zoe-quill", Relation::MemberOf, "omega-brigade"), Some(Certainty::Alleged));
        let ex = run("Zoe Quill had no connection to the Omega Brigade.");
        assert_eq!(has(&ex, "zoe-quill", Relation::MemberOf, "omega-brigade"), Some(Certainty::Refuted));
        let ex = run("The alleged Omega Brigade leader Zoe Quill spoke.");
        assert_eq!(has(&ex, "zoe-quill", Relation::LeaderOf, "omega-brigade"), Some(Certainty::Alleged));
        let ex = run("The Omega Brigade's leader was probably Zoe Quill.");
        assert_eq!(has(&ex, "zoe-quill", Relation::LeaderOf, "omega-brigade"), Some(Certainty::Suspected));
        let ex = run("Zoe Quill was convicted of the Kabul bombing.");
        assert_eq!(has(&ex, "zoe-quill", Relation::ConvictedOf, "kabul-bombing"), Some(Certainty::Confirmed));
        let ex = run("The Kabul bombing was blamed on the Omega Brigade.");
        assert_eq!(
            has(&ex, "omega-brigade", Relation::Perpetrated, "kabul-bombing"),
            Some(Certainty::Alleged)
        );
        let ex = run("The Kabul bombing was not claimed by the Omega Brigade.");
        assert_eq!(has(&ex, "omega-brigade", Relation::Claimed, "kabul-bombing"), Some(Certainty::Refuted));
        let ex = run("It is unclear whether Zoe Quill joined the Omega Brigade.");
        assert_eq!(has(&ex, "zoe-quill", Relation::MemberOf, "omega-brigade"), Some(Certainty::Disputed));
    }
}

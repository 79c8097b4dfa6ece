//! The date a sentence gives an event ("22 May 2017", "May 2017", "in 2017"), as the
//! `PartialDate` text the data files hold.

use super::super::text::MONTHS;

/// A date the sentence gives: "22 May 2017", "May 2017", "in 2017"; the first one.
pub(super) fn date_in(sentence: &str) -> Option<String> {
    let lower = sentence.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    for (i, w) in words.iter().enumerate() {
        let year = w.len() == 4 && w.starts_with(['1', '2']) && w.chars().all(|c| c.is_ascii_digit());
        if !year {
            continue;
        }
        let y: u32 = w.parse().ok()?;
        if !(1900..=2100).contains(&y) {
            continue;
        }
        let month = i.checked_sub(1).and_then(|j| month_number(words[j]));
        let day_month = i.checked_sub(2).and_then(|j| {
            let month = month_number(words[j + 1])?;
            let day: u32 = words[j].parse().ok().filter(|d| (1..=31).contains(d))?;
            Some((month, day))
        });
        let month_day = i.checked_sub(2).and_then(|j| {
            let month = month_number(words[j])?;
            let day: u32 = words[j + 1].parse().ok().filter(|d| (1..=31).contains(d))?;
            Some((month, day))
        });
        let text = match (day_month.or(month_day), month) {
            (Some((m, d)), _) => format!("{y}-{:02}-{d:02}", m + 1),
            (None, Some(m)) => format!("{y}-{:02}", m + 1),
            _ => y.to_string(),
        };
        if crate::model::PartialDate::parse(&text).is_ok() {
            return Some(text);
        }
    }
    None
}

/// A month's number from 0, written in full or cut short as wire copy writes it ("Oct.",
/// "Sept."; the full stop is gone by the time words are split).
fn month_number(word: &str) -> Option<usize> {
    const SHORT: [&str; 12] =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    MONTHS
        .iter()
        .position(|m| *m == word)
        .or_else(|| SHORT.iter().position(|m| *m == word))
        .or_else(|| (word == "sept").then_some(8))
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_with_short_month_names() {
        use super::date_in;
        assert_eq!(date_in("On Oct. 31, 2017, a truck drove onto the path").as_deref(), Some("2017-10-31"));
        assert_eq!(date_in("the night of Wednesday, Nov. 26, 2008").as_deref(), Some("2008-11-26"));
        assert_eq!(date_in("arrested in Sept. 2014 in Leeds").as_deref(), Some("2014-09"));
        assert_eq!(date_in("on 7 Dec 2008").as_deref(), Some("2008-12-07"));
        assert_eq!(date_in("in March 2021").as_deref(), Some("2021-03"));
        // A word that is no month leaves the year alone.
        assert_eq!(date_in("Octavia said in 2019").as_deref(), Some("2019"));
    }
}

//! Time order along a sequence of links: the date each step is placed at, and whether a
//! sequence of steps runs forward in time (i2's "time flow"), with an optional largest gap
//! between consecutive dated steps.
//!
//! Dates are intervals ([`PartialDate`]), so "goes back in time" means *definitely* earlier:
//! a step dated `2017` may follow one dated `2017-05`. Undated steps never break the order;
//! callers flag them.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use crate::graph::KnowledgeGraph;
use crate::model::{PartialDate, Relation};

/// Where a step's date came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DatedBy {
    /// The link's own `date`, else `since`, else `until`.
    Link,
    /// The link is undated and one end is a dated event: the event's date.
    Event,
}

/// The date a link is placed at when walked from entity `from`: its own date, else the date of
/// the event at one of its ends (the end reached, when both ends are events).
pub fn step_date(graph: &KnowledgeGraph, link: usize, from: usize) -> Option<(PartialDate, DatedBy)> {
    let l = graph.link(link);
    if let Some(d) = l.when() {
        return Some((*d, DatedBy::Link));
    }
    let (a, b) = (graph.index_of(l.from.as_str())?, graph.index_of(l.to.as_str())?);
    let reached = if a == from { b } else { a };
    [reached, from]
        .into_iter()
        .find_map(|i| graph.entity(i).as_event().and_then(|e| e.when()))
        .map(|d| (*d, DatedBy::Event))
}

/// The largest time allowed between two consecutive dated steps, e.g. `2y`, `6m`, `3w`, `10d`
/// or `1y6m`. A year counts 366 days and a month 31, so a gap of N calendar units always fits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MaxGap {
    pub days: i64,
    text: String,
}

impl MaxGap {
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl FromStr for MaxGap {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let bad =
            || format!("`{s}` is not a duration: write a number and a unit, e.g. 2y, 6m, 3w, 10d or 1y6m");
        if s.is_empty() || s.len() > 16 {
            return Err(bad());
        }
        let (mut days, mut number) = (0i64, None::<i64>);
        for c in s.chars() {
            if let Some(digit) = c.to_digit(10) {
                let n = number.unwrap_or(0).checked_mul(10).and_then(|n| n.checked_add(digit.into()));
                number = Some(n.filter(|&n| n <= 100_000).ok_or_else(bad)?);
                continue;
            }
            let unit = match c {
                'y' => 366,
                'm' => 31,
                'w' => 7,
                'd' => 1,
                _ => return Err(bad()),
            };
            days += number.take().ok_or_else(bad)? * unit;
        }
        if number.is_some() {
            return Err(bad());
        }
        Ok(MaxGap { days, text: s.to_owned() })
    }
}

impl fmt::Display for MaxGap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for MaxGap {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Why a sequence of steps does not run forward in time. Steps are numbered from 0.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TimeBreak {
    /// Step `step` is dated definitely before the earlier dated step `previous`.
    Backwards { step: usize, previous: usize },
    /// More than the allowed gap passes between dated steps `previous` and `step`.
    Gap { step: usize, previous: usize, days: i64 },
    /// Step `step` is dated definitely after the attack the chain ends at.
    AfterAttack { step: usize },
}

impl TimeBreak {
    /// The step the break is charged to.
    pub fn step(&self) -> usize {
        match *self {
            TimeBreak::Backwards { step, .. }
            | TimeBreak::Gap { step, .. }
            | TimeBreak::AfterAttack { step } => step,
        }
    }
}

/// The first place where dated steps go back in time or leave too long a gap; `None` when the
/// sequence runs forward. `dates[i]` is step i's date, `None` when undated.
pub fn first_break(dates: &[Option<&PartialDate>], max_gap: Option<&MaxGap>) -> Option<TimeBreak> {
    let mut last: Option<(usize, &PartialDate)> = None;
    for (step, date) in dates.iter().enumerate() {
        let Some(date) = *date else { continue };
        if let Some((previous, before)) = last {
            if date.definitely_before(before) {
                return Some(TimeBreak::Backwards { step, previous });
            }
            if let Some(gap) = max_gap {
                let days = before.gap_days(date);
                if days > gap.days {
                    return Some(TimeBreak::Gap { step, previous, days });
                }
            }
        }
        // Keep the latest start seen, so that an early date after a late one is caught.
        if last.is_none_or(|(_, before)| date.interval().0 >= before.interval().0) {
            last = Some((step, date));
        }
    }
    None
}

/// True for relations whose link may be dated after the event it points at without breaking a
/// chain: a claim of responsibility always follows the act.
pub fn follows_the_act(rel: Relation) -> bool {
    rel == Relation::Claimed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> PartialDate {
        s.parse().unwrap()
    }

    #[test]
    fn gaps_parse_with_units() {
        assert_eq!("2y".parse::<MaxGap>().unwrap().days, 732);
        assert_eq!("1y6m".parse::<MaxGap>().unwrap().days, 366 + 6 * 31);
        assert_eq!("10d".parse::<MaxGap>().unwrap().to_string(), "10d");
        for bad in ["", "y", "2", "2x", "-1y", "99999999999y"] {
            assert!(bad.parse::<MaxGap>().is_err(), "{bad} parsed");
        }
    }

    #[test]
    fn order_uses_intervals_and_skips_undated() {
        let (y2017, may, y2016) = (d("2017"), d("2017-05"), d("2016"));
        assert_eq!(first_break(&[Some(&may), None, Some(&y2017)], None), None, "2017 overlaps May 2017");
        assert_eq!(
            first_break(&[Some(&y2017), None, Some(&y2016)], None),
            Some(TimeBreak::Backwards { step: 2, previous: 0 })
        );
        let gap: Option<MaxGap> = "6m".parse().ok();
        let gap = gap.as_ref();
        assert_eq!(
            first_break(&[Some(&y2016), Some(&d("2018-01"))], gap),
            Some(TimeBreak::Gap { step: 1, previous: 0, days: d("2016").gap_days(&d("2018-01")) })
        );
        assert_eq!(first_break(&[Some(&d("2017-01")), Some(&d("2017-05"))], gap), None);
    }

    #[test]
    fn an_early_date_after_a_later_one_breaks_even_with_undated_between() {
        let dates = [d("2015"), d("2019-03"), d("2018")];
        let refs: Vec<Option<&PartialDate>> = dates.iter().map(Some).collect();
        assert_eq!(first_break(&refs, None), Some(TimeBreak::Backwards { step: 2, previous: 1 }));
    }
}

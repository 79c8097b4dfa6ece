//! Partial dates: `2017`, `2017-Q2`, `2017-05`, `2017-05-22`, each optionally prefixed `~`
//! (approximate). A partial date stands for the interval of days it covers, so comparisons
//! say "definitely before" only when one interval ends before the other begins.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How much of a date the source gave.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Year,
    Quarter,
    Month,
    Day,
}

/// A date known to a year, quarter, month or day; kept with the text it was written as.
///
/// Twenty bytes, held inline: a million links carry three optional dates each. The text is
/// at most `~YYYY-MM-DD`, eleven bytes; the days fit an `i32` for any four-digit year.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    /// The text as written, padded with zeros.
    text: [u8; MAX_TEXT],
    len: std::num::NonZeroU8,
    /// First and last day covered, as days since 1970-01-01.
    first: i32,
    last: i32,
}

/// The longest date text: `~YYYY-MM-DD`.
const MAX_TEXT: usize = 11;

impl fmt::Debug for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PartialDate")
            .field("text", &self.as_str())
            .field("first", &self.first)
            .field("last", &self.last)
            .finish()
    }
}

/// Why a date did not parse; the message says what was expected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DateError(String);

pub const DATE_FORMS: &str = "write YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD (e.g. \"2017\", \"2017-Q2\", \"2017-05\", \"2017-05-22\"), prefixed with ~ when approximate";

impl PartialDate {
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let body = text.strip_prefix('~').unwrap_or(text);
        let parts: Vec<&str> = body.split('-').collect();
        let year = parse_year(parts[0], text)?;
        let (first, last) = match parts.as_slice() {
            [_] => (days(year, 1, 1), days(year, 12, 31)),
            [_, q] if q.starts_with('Q') => {
                let quarter: u32 = match &q[1..] {
                    "1" => 1,
                    "2" => 2,
                    "3" => 3,
                    "4" => 4,
                    _ => {
                        return Err(DateError(format!("`{text}`: a quarter is Q1, Q2, Q3 or Q4")));
                    }
                };
                let m = quarter * 3;
                (days(year, m - 2, 1), days(year, m, month_len(year, m)))
            }
            [_, m] => {
                let month = parse_month(m, text)?;
                (days(year, month, 1), days(year, month, month_len(year, month)))
            }
            [_, m, d] => {
                let month = parse_month(m, text)?;
                let day = parse_number(d, 2, text, "day")?;
                if day == 0 || day > month_len(year, month) {
                    return Err(DateError(format!("`{text}`: {year}-{month:02} has no day {day}")));
                }
                let n = days(year, month, day);
                (n, n)
            }
            _ => return Err(DateError(format!("`{text}` is not a date"))),
        };
        // Every form above is at most `~YYYY-MM-DD` long; the days of a four-digit year fit.
        let mut bytes = [0u8; MAX_TEXT];
        bytes[..text.len()].copy_from_slice(text.as_bytes());
        let len = std::num::NonZeroU8::new(text.len() as u8).expect("a date is not empty");
        let day = |n: i64| i32::try_from(n).expect("a four-digit year");
        Ok(PartialDate { text: bytes, len, first: day(first), last: day(last) })
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.text[..usize::from(self.len.get())]).expect("written from a str")
    }

    pub fn is_approximate(&self) -> bool {
        self.text[0] == b'~'
    }

    pub fn precision(&self) -> Precision {
        let body = self.as_str().trim_start_matches('~');
        match body.split('-').count() {
            1 => Precision::Year,
            2 if body.contains('Q') => Precision::Quarter,
            2 => Precision::Month,
            _ => Precision::Day,
        }
    }

    /// True when every day of `self` comes before every day of `other`.
    pub fn definitely_before(&self, other: &PartialDate) -> bool {
        self.last < other.first
    }

    /// True when every day of `self` comes after every day of `other`.
    pub fn definitely_after(&self, other: &PartialDate) -> bool {
        other.definitely_before(self)
    }

    /// Days from 1970-01-01 to the first and last day covered.
    pub fn interval(&self) -> (i64, i64) {
        (i64::from(self.first), i64::from(self.last))
    }

    /// Whole days from the end of `self` to the start of `later` (negative if they overlap).
    pub fn gap_days(&self, later: &PartialDate) -> i64 {
        i64::from(later.first) - i64::from(self.last)
    }

    /// A total order for sorting: by first day, then last day, then text.
    pub fn chronological(&self, other: &PartialDate) -> Ordering {
        (self.first, self.last, self.as_str()).cmp(&(other.first, other.last, other.as_str()))
    }
}

fn parse_year(s: &str, text: &str) -> Result<i32, DateError> {
    if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DateError(format!("`{text}` does not start with a four-digit year")));
    }
    Ok(s.parse().expect("four ASCII digits"))
}

fn parse_month(s: &str, text: &str) -> Result<u32, DateError> {
    let m = parse_number(s, 2, text, "month")?;
    if !(1..=12).contains(&m) {
        return Err(DateError(format!("`{text}`: month {m} is not between 01 and 12")));
    }
    Ok(m)
}

fn parse_number(s: &str, width: usize, text: &str, what: &str) -> Result<u32, DateError> {
    if s.len() != width || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DateError(format!("`{text}`: the {what} must be {width} digits")));
    }
    Ok(s.parse().expect("ASCII digits"))
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn month_len(y: i32, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
fn days(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl FromStr for PartialDate {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PartialDate::parse(s)
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        PartialDate::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn d(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    #[test]
    fn intervals() {
        assert_eq!(d("1970-01-01").interval(), (0, 0));
        assert_eq!(d("2017").interval().1 - d("2017").interval().0, 364);
        assert_eq!(d("2016-02").interval().1 - d("2016-02").interval().0, 28);
        assert_eq!(d("2017-Q2").interval(), (d("2017-04-01").interval().0, d("2017-06-30").interval().0));
    }

    #[test]
    fn before_compares_interval_ends() {
        assert!(d("2017-05").definitely_before(&d("2017-06-01")));
        assert!(!d("2017").definitely_before(&d("2017-05-22")), "a year contains its days");
        assert!(!d("2017-05-22").definitely_before(&d("2017")));
        assert!(d("2016").definitely_before(&d("2017-01-01")));
        assert!(d("2018-01").definitely_after(&d("2017-Q4")));
        assert!(!d("2017-Q4").definitely_after(&d("2017-12")));
    }

    #[test]
    fn approximate_and_precision() {
        let a = d("~2016-03");
        assert!(a.is_approximate());
        assert_eq!(a.precision(), Precision::Month);
        assert_eq!(a.to_string(), "~2016-03");
        assert_eq!(d("2016-Q1").precision(), Precision::Quarter);
        assert_eq!(d("2016").precision(), Precision::Year);
        assert_eq!(d("2016-01-02").precision(), Precision::Day);
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "~",
            "17",
            "2017-5",
            "2017-13",
            "2017-00",
            "2017-02-29",
            "2017-Q5",
            "2017-Q",
            "2017-05-22-1",
            "May 2017",
            "2017/05",
            "２０１７",
        ] {
            assert!(PartialDate::parse(bad).is_err(), "{bad:?} should not parse");
        }
        assert!(PartialDate::parse("2016-02-29").is_ok(), "leap day");
    }

    /// Any valid partial date, of every precision, approximate or not.
    pub(crate) fn any_date() -> impl proptest::strategy::Strategy<Value = PartialDate> {
        use proptest::prelude::*;
        (any::<bool>(), 1600u32..2400, 0u32..4, 1u32..13, 1u32..32, 1u32..5).prop_map(
            |(approx, y, form, m, d, q)| {
                let d = d.min(month_len(y as i32, m));
                let body = match form {
                    0 => format!("{y}"),
                    1 => format!("{y}-Q{q}"),
                    2 => format!("{y}-{m:02}"),
                    _ => format!("{y}-{m:02}-{d:02}"),
                };
                PartialDate::parse(&format!("{}{body}", if approx { "~" } else { "" })).expect("a valid date")
            },
        )
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// "Definitely before" is a strict partial order on intervals (irreflexive, asymmetric,
        /// transitive), agrees with the interval ends and with `gap_days`, and the sorting order
        /// `chronological` is a total order that extends it.
        #[test]
        fn ordering_is_a_consistent_order_on_intervals(a in any_date(), b in any_date(), c in any_date()) {
            use proptest::prop_assert;
            for x in [&a, &b, &c] {
                let (first, last) = x.interval();
                prop_assert!(first <= last);
                prop_assert!(!x.definitely_before(x));
                prop_assert!(x.chronological(x) == Ordering::Equal);
                prop_assert!(&PartialDate::parse(&x.to_string()).unwrap() == x, "text round trip");
            }
            for (x, y) in [(&a, &b), (&b, &c), (&a, &c), (&b, &a), (&c, &b), (&c, &a)] {
                let before = x.definitely_before(y);
                prop_assert!(before == (x.interval().1 < y.interval().0));
                prop_assert!(before == (x.gap_days(y) > 0));
                prop_assert!(before == y.definitely_after(x));
                prop_assert!(!(before && y.definitely_before(x)), "asymmetric");
                if before {
                    prop_assert!(x.chronological(y) == Ordering::Less, "chronological extends before");
                }
                prop_assert!(x.chronological(y) == y.chronological(x).reverse(), "antisymmetric");
                prop_assert!((x.chronological(y) == Ordering::Equal) == (x == y));
                // Neither is before the other exactly when the intervals share a day.
                let overlap = x.interval().0 <= y.interval().1 && y.interval().0 <= x.interval().1;
                prop_assert!(overlap == (!before && !y.definitely_before(x)));
            }
            if a.definitely_before(&b) && b.definitely_before(&c) {
                prop_assert!(a.definitely_before(&c), "transitive");
            }
            if a.chronological(&b) != Ordering::Greater && b.chronological(&c) != Ordering::Greater {
                prop_assert!(a.chronological(&c) != Ordering::Greater, "chronological is transitive");
            }
        }
    }
}

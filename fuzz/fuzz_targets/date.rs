//! Partial dates: parsing never panics; a parsed date covers a non-empty interval, prints
//! back as written, and orders consistently with itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use threatgraph::model::PartialDate;

fuzz_target!(|data: &str| {
    if let Ok(d) = PartialDate::parse(data) {
        let (first, last) = d.interval();
        assert!(first <= last);
        assert_eq!(d.to_string(), data);
        assert!(!d.definitely_before(&d) && !d.definitely_after(&d));
        assert_eq!(d.chronological(&d), std::cmp::Ordering::Equal);
    }
});

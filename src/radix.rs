//! A least-significant-digit radix sort of `u64`s, for the few places that order tens of
//! thousands of small packed numbers (a hub's links in card order, when the graph is built):
//! a comparison sort there had been most of `show`'s time.

/// Digits of a byte: 256 counters, and each pass scatters into few enough places for the
/// cache to keep up.
const BITS: u32 = 8;
/// Below this many numbers a comparison sort wins.
const SMALL: usize = 256;

/// Sorts `numbers` stably by their bits from bit `low` up (numbers agreeing there keep their
/// order). Digits on which every number agrees are skipped, so numbers spanning few bits
/// cost few passes.
pub fn sort_above(numbers: &mut Vec<u64>, low: u32) {
    if low >= 64 {
        return;
    }
    if numbers.len() < SMALL {
        numbers.sort_by_key(|n| n >> low);
        return;
    }
    let digit = |n: u64, d: u32| (n.checked_shr(low + d * BITS).unwrap_or(0) & 0xff) as usize;
    // The digits that differ somewhere: only they need a pass.
    let (any, all) = numbers.iter().fold((0u64, u64::MAX), |(any, all), &n| (any | n, all & n));
    let differ = (any ^ all) >> low;
    let mut spare = vec![0u64; numbers.len()];
    for d in (0..64u32.div_ceil(BITS)).filter(|d| (differ >> (d * BITS)) & 0xff != 0) {
        let mut start = [0usize; 256];
        for &n in numbers.iter() {
            start[digit(n, d)] += 1;
        }
        let mut sum = 0;
        for s in start.iter_mut() {
            (*s, sum) = (sum, sum + *s);
        }
        for &n in numbers.iter() {
            let b = digit(n, d);
            spare[start[b]] = n;
            start[b] += 1;
        }
        std::mem::swap(numbers, &mut spare);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The standard library's stable order by the same bits, for numbers of every width.
        #[test]
        fn sorts_as_the_standard_library_does(
            numbers in proptest::collection::vec(proptest::num::u64::ANY, 0..2000),
            shift in 0u32..64,
            low in 0u32..64,
        ) {
            let mut numbers: Vec<u64> = numbers.iter().map(|n| n >> shift).collect();
            let mut expected = numbers.clone();
            expected.sort_by_key(|n| n >> low);
            sort_above(&mut numbers, low);
            proptest::prop_assert_eq!(numbers, expected);
        }
    }

    #[test]
    fn many_equal_numbers() {
        let mut numbers: Vec<u64> = (0..5000u64).map(|i| ((i * 7919) % 3) << 40).collect();
        sort_above(&mut numbers, 0);
        assert!(numbers.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(numbers.iter().filter(|&&n| n == 0).count(), 1667);
    }
}

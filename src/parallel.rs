//! Running a job per item on every core while keeping the items' order: the loader reads and
//! parses a data folder's files this way, and joins what each file gave ([`extend_all`]).

use std::sync::atomic::{AtomicUsize, Ordering};

/// The cores this process may use (one when that cannot be told).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// `f` applied to every item, on as many threads as there are cores (the calling one among
/// them), each taking the next item when it comes free; the results in the items' order.
/// Each thread has a state of its own, made by `init`, that `f` may use and change.
pub fn map_with<T: Sync, S, R: Send>(
    items: &[T],
    init: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, &T) -> R + Sync,
) -> Vec<R> {
    let threads = cores().min(items.len());
    if threads <= 1 {
        let mut state = init();
        return items.iter().map(|item| f(&mut state, item)).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut state = init();
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { return done };
            done.push((i, f(&mut state, item)));
        }
    };
    let mut all = std::thread::scope(|scope| {
        let others: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut all = work();
        for other in others {
            all.extend(other.join().expect("a job does not panic"));
        }
        all
    });
    all.sort_unstable_by_key(|&(i, _)| i);
    all.into_iter().map(|(_, r)| r).collect()
}

/// [`map_with`] without a state.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    map_with(items, || (), |(), item| f(item))
}

/// Appends the vectors of `parts` to `all`, in order, moving them on every core at once.
///
/// The loader joins a few hundred files' vectors of records into one: at a million entities
/// that is most of a gigabyte of fresh memory, which the kernel zeroes page by page at its
/// first write. One thread writing it all was a tenth of a cold load; each core now writes
/// (and so faults in) the pages of the parts it takes.
pub fn extend_all<T: Send>(all: &mut Vec<T>, parts: Vec<Vec<T>>) {
    let total: usize = parts.iter().map(Vec::len).sum();
    all.reserve(total);
    let mut free = &mut all.spare_capacity_mut()[..total];
    let mut jobs = Vec::with_capacity(parts.len());
    for part in parts {
        let (slots, rest) = std::mem::take(&mut free).split_at_mut(part.len());
        free = rest;
        jobs.push(std::sync::Mutex::new(Some((slots, part))));
    }
    map(&jobs, |job| {
        let taken = job.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
        if let Some((slots, part)) = taken {
            for (slot, item) in slots.iter_mut().zip(part) {
                slot.write(item);
            }
        }
    });
    // SAFETY: the first `total` slots after the old length were split among the jobs, each
    // exactly as long as its part, and every job has written each of its slots: `map` returns
    // only when all of them are done, and a job that panicked would have panicked `map` too
    // (leaving `all` at its old length, the moved items leaked, never dropped twice).
    unsafe { all.set_len(all.len() + total) };
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<u64> = (0..1000).collect();
        let squares = super::map(&items, |&i| {
            // Uneven work, so threads take items out of turn.
            (0..(i % 7) * 1000).fold(0u64, |a, b| a.wrapping_add(b));
            i * i
        });
        assert_eq!(squares, items.iter().map(|i| i * i).collect::<Vec<_>>());
        let counted = super::map_with(
            &items,
            || 0u64,
            |seen, &i| {
                *seen += 1;
                (i, *seen)
            },
        );
        assert!(counted.iter().enumerate().all(|(k, &(i, seen))| i == k as u64 && seen >= 1));
        assert!(super::map(&[] as &[u8], |_| 0).is_empty());
    }

    #[test]
    fn extend_all_appends_every_part_in_order() {
        let parts: Vec<Vec<String>> =
            (0..50).map(|p| (0..(p * 37) % 11).map(|i| format!("{p}.{i}")).collect()).collect();
        let mut all = vec!["before".to_owned()];
        let expected: Vec<String> = all.iter().cloned().chain(parts.iter().flatten().cloned()).collect();
        super::extend_all(&mut all, parts);
        assert_eq!(all, expected);
        super::extend_all(&mut all, Vec::new());
        assert_eq!(all, expected);
    }
}

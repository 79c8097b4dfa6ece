//! Running a job per item on every core while keeping the items' order: the loader reads and
//! parses a data folder's files this way, joining what each file gave as it comes
//! ([`map_with_in_order`]).

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

/// Runs `f` on every item on every core, like [`map_with`], and hands each result to `take` on
/// the calling thread in the order of the items, as soon as it and those before it are done.
/// So a large result can be joined to the others while later items are worked on, and its
/// memory freed for them to use, instead of every result being held until the last is done.
pub fn map_with_in_order<T: Sync, S, R: Send>(
    items: &[T],
    init: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, &T) -> R + Sync,
    mut take: impl FnMut(usize, R),
) {
    let threads = cores().min(items.len());
    if threads <= 1 {
        let mut state = init();
        return items.iter().enumerate().for_each(|(i, item)| take(i, f(&mut state, item)));
    }
    let next = AtomicUsize::new(0);
    let (done, results) = std::sync::mpsc::channel();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let (done, next, init, f) = (done.clone(), &next, &init, &f);
            scope.spawn(move || {
                let mut state = init();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { return };
                    // The receiver lives until every worker is done.
                    let _ = done.send((i, f(&mut state, item)));
                }
            });
        }
        drop(done);
        // Results that came before those ahead of them, by index.
        let mut early = std::collections::BTreeMap::new();
        let mut wanted = 0;
        for (i, r) in results {
            early.insert(i, r);
            while let Some(r) = early.remove(&wanted) {
                take(wanted, r);
                wanted += 1;
            }
        }
    });
}

/// [`map_with`] without a state.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    map_with(items, || (), |(), item| f(item))
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
    fn results_are_taken_in_the_order_of_the_items() {
        let items: Vec<u64> = (0..1000).collect();
        let mut taken = Vec::new();
        super::map_with_in_order(
            &items,
            || (),
            |(), &i| {
                // Uneven work, so threads finish items out of turn.
                (0..(i % 7) * 1000).fold(0u64, |a, b| a.wrapping_add(b));
                i * i
            },
            |k, square| taken.push((k, square)),
        );
        assert_eq!(taken, items.iter().map(|&i| (i as usize, i * i)).collect::<Vec<_>>());
        super::map_with_in_order(&[] as &[u8], || (), |(), _| 0, |_, _: i32| panic!("no items"));
    }
}

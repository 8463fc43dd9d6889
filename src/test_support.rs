//! Support for the unit tests: a check that a piece of work grows linearly
//! with the size of its input, measured within one test.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Timed checks run one at a time, so that they do not slow each other.
static TIMING: Mutex<()> = Mutex::new(());

/// Asserts that `work` on an input ten times larger takes less than thirty
/// times as long as on the smaller one (a quadratic step takes about a
/// hundred times). Each size is timed at its best of three runs, which
/// damps noise from other processes. Pick `n` so the small input is a few
/// megabytes: below that, caches make the small run unfairly fast.
pub fn assert_linear<T>(what: &str, n: usize, make: impl Fn(usize) -> T, work: impl Fn(&T)) {
    let _one_at_a_time = TIMING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let time = |n: usize| -> Duration {
        let input = make(n);
        (0..3)
            .map(|_| {
                let started = Instant::now();
                work(&input);
                started.elapsed()
            })
            .min()
            .unwrap_or_default()
    };
    let small = time(n);
    let large = time(10 * n);
    assert!(
        large < small * 30,
        "{what}: size {n} took {small:?}, size {} took {large:?} (over 30 times as long)",
        10 * n
    );
}

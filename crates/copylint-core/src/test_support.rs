//! Support for the unit tests: a check that a piece of work grows linearly
//! with the size of its input, measured within one test.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Timed checks run one at a time, so that they do not slow each other.
static TIMING: Mutex<()> = Mutex::new(());

/// Asserts that `work` on an input ten times larger takes less than thirty
/// times as long as on the smaller one (a quadratic step takes about a
/// hundred times). Time is the thread's CPU time where the system reports
/// it (wall time elsewhere): on a loaded machine, a run shorter than a time
/// slice finishes undisturbed while a longer one shares the processor, so
/// wall time would favour the small input. The two sizes are timed in
/// turn, three rounds, and each keeps its best time. A small run under two milliseconds counts as two: below that,
/// caches and page faults, not the algorithm, set the ratio, and a
/// quadratic step on inputs of a few megabytes takes seconds anyway.
pub fn assert_linear<T>(what: &str, n: usize, make: impl Fn(usize) -> T, work: impl Fn(&T)) {
    let _one_at_a_time = TIMING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let (small_input, large_input) = (make(n), make(10 * n));
    let time = |input: &T| match thread_cpu_time() {
        Some(before) => {
            work(input);
            thread_cpu_time().map_or(Duration::MAX, |after| after.saturating_sub(before))
        }
        None => {
            let started = Instant::now();
            work(input);
            started.elapsed()
        }
    };
    let (mut small, mut large) = (Duration::MAX, Duration::MAX);
    for _ in 0..3 {
        small = small.min(time(&small_input));
        large = large.min(time(&large_input));
    }
    assert!(
        large < small.max(Duration::from_millis(2)) * 30,
        "{what}: size {n} took {small:?}, size {} took {large:?} (over 30 times as long)",
        10 * n
    );
}

/// CPU time this thread has used, from Linux's scheduler statistics.
fn thread_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

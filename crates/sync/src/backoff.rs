//! When to try again after a failed sync: exponential backoff with jitter,
//! so a bureau's 200 laptops coming back online after a server outage do not
//! all knock at the same second.

use std::time::Duration;

/// Delays of `min`, `2 min`, `4 min`, ... up to `max`, each drawn uniformly
/// from its upper half ("equal jitter": never shorter than half the step,
/// never longer than the step).
#[derive(Clone, Debug)]
pub struct Backoff {
    min: Duration,
    max: Duration,
    failures: u32,
}

impl Backoff {
    pub fn new(min: Duration, max: Duration) -> Backoff {
        Backoff {
            min,
            max: max.max(min),
            failures: 0,
        }
    }

    /// The delay before the next attempt, after one more failure.
    pub fn next_delay(&mut self) -> Duration {
        let step = self.step();
        self.failures = self.failures.saturating_add(1);
        let half = step / 2;
        let spread = u64::try_from((step - half).as_millis()).unwrap_or(u64::MAX);
        half + Duration::from_millis(fastrand::u64(0..=spread))
    }

    /// The step of the next attempt: `min * 2^failures`, at most `max`.
    fn step(&self) -> Duration {
        let factor = 1u32.checked_shl(self.failures.min(31)).unwrap_or(u32::MAX);
        self.min.saturating_mul(factor).min(self.max)
    }

    /// Failures in a row so far.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// After a success: the next failure starts at `min` again.
    pub fn reset(&mut self) {
        self.failures = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_up_to_the_cap_and_stay_in_the_upper_half_of_each_step() {
        let mut b = Backoff::new(Duration::from_secs(1), Duration::from_secs(60));
        let steps = [1, 2, 4, 8, 16, 32, 60, 60, 60];
        for step in steps {
            let d = b.next_delay();
            let step = Duration::from_secs(step);
            assert!(d >= step / 2 && d <= step, "{d:?} for step {step:?}");
        }
        assert_eq!(b.failures(), 9);
        b.reset();
        assert!(b.next_delay() <= Duration::from_secs(1));
    }

    #[test]
    fn many_failures_neither_overflow_nor_pass_the_cap() {
        let mut b = Backoff::new(Duration::from_millis(500), Duration::from_secs(300));
        for _ in 0..200 {
            assert!(b.next_delay() <= Duration::from_secs(300));
        }
    }

    #[test]
    fn jitter_spreads_devices_that_failed_together() {
        let delays: std::collections::BTreeSet<Duration> = (0..50)
            .map(|_| {
                let mut b = Backoff::new(Duration::from_secs(8), Duration::from_secs(60));
                b.next_delay()
            })
            .collect();
        assert!(delays.len() > 10, "{} distinct delays", delays.len());
    }
}

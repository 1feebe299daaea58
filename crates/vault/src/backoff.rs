//! Slowing down repeated wrong passphrases, persisted in `backoff.json` so a
//! restart of the app does not reset it.
//!
//! The first [`FREE_FAILURES`] wrong passphrases cost nothing extra; after
//! failure n (n > 2) the next attempt waits 2^(n-2) seconds (2, 4, 8, ...),
//! at most [`MAX_DELAY`]. A success resets it.
//!
//! This throttles guessing through the app only. Someone who can read the
//! vault's files can attack `key.passphrase.age` offline, where scrypt is the
//! protection, and can delete this file; so a damaged file starts afresh
//! rather than locking the user out.

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::VaultError;
use crate::files::{self, BACKOFF_FILE};

/// Wrong passphrases that cost no wait.
pub const FREE_FAILURES: u32 = 2;

/// The longest wait between attempts.
pub const MAX_DELAY: Duration = Duration::from_secs(5 * 60);

/// `backoff.json`. Serialized to disk: keep its shape.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Backoff {
    pub failures: u32,
    pub not_before: Option<DateTime<Utc>>,
}

impl Backoff {
    pub(crate) fn load(dir: &Path) -> Result<Backoff, VaultError> {
        Ok(files::read_optional(dir, BACKOFF_FILE)?
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default())
    }

    pub(crate) fn save(&self, dir: &Path) -> Result<(), VaultError> {
        let json = serde_json::to_vec(self).map_err(|source| VaultError::Metadata {
            file: BACKOFF_FILE,
            source,
        })?;
        files::write_atomic(dir, BACKOFF_FILE, &json)
    }

    /// Forget past failures (after a successful unlock or recovery). Writes
    /// only when there is something to forget.
    pub(crate) fn reset(dir: &Path) -> Result<(), VaultError> {
        if Backoff::load(dir)? != Backoff::default() {
            Backoff::default().save(dir)?;
        }
        Ok(())
    }

    /// How long before the next attempt may be made, if at all. Capped at
    /// [`MAX_DELAY`], so a clock that jumped back cannot lock anyone out for
    /// longer than that.
    pub(crate) fn wait(&self, now: DateTime<Utc>) -> Option<Duration> {
        let not_before = self.not_before?;
        let wait = (not_before - now).to_std().ok()?;
        (!wait.is_zero()).then(|| wait.min(MAX_DELAY))
    }

    pub(crate) fn record_failure(&mut self, now: DateTime<Utc>) {
        self.failures = self.failures.saturating_add(1);
        let delay = delay_after(self.failures);
        self.not_before = (!delay.is_zero())
            .then(|| chrono::Duration::from_std(delay).ok().map(|d| now + d))
            .flatten();
    }
}

/// The wait after the `failures`-th wrong passphrase in a row.
pub fn delay_after(failures: u32) -> Duration {
    if failures <= FREE_FAILURES {
        return Duration::ZERO;
    }
    let exponent = (failures - FREE_FAILURES).min(16);
    Duration::from_secs(1u64 << exponent).min(MAX_DELAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_after_the_free_failures_up_to_five_minutes() {
        let secs: Vec<u64> = (1..=12).map(|n| delay_after(n).as_secs()).collect();
        assert_eq!(secs, [0, 0, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);
        assert_eq!(delay_after(u32::MAX), MAX_DELAY);
    }

    #[test]
    fn the_wait_counts_down_from_the_failure_and_is_capped() {
        let t0 = DateTime::<Utc>::UNIX_EPOCH + chrono::Duration::days(20_000);
        let mut b = Backoff::default();
        for _ in 0..3 {
            b.record_failure(t0);
        }
        assert_eq!(b.wait(t0), Some(Duration::from_secs(2)));
        assert_eq!(
            b.wait(t0 + chrono::Duration::seconds(1)),
            Some(Duration::from_secs(1))
        );
        assert_eq!(b.wait(t0 + chrono::Duration::seconds(2)), None);
        // A clock set back a day: still at most five minutes.
        assert_eq!(b.wait(t0 - chrono::Duration::days(1)), Some(MAX_DELAY));
    }
}

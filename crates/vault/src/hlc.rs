//! The device's hybrid logical clock: physical milliseconds, a counter and
//! the device id, in the text form of [`veldwerk_protocol::Hlc`] that the
//! server compares.
//!
//! The last stamp handed out is kept in `meta` and advanced in the same
//! transaction as the change that uses it, so stamps stay strictly increasing
//! across restarts and when the wall clock goes back: a stamp is never below
//! the last one stored, whatever the time says.

use rusqlite::Connection;
use veldwerk_protocol::Hlc;

use crate::VaultError;
use crate::meta::{self, MetaKey};

/// The text form has five counter digits; past this the clock moves one
/// millisecond ahead instead, so stamps keep sorting as text.
const MAX_COUNTER: u32 = 99_999;

/// The next stamp after `last` at wall time `now_millis`, for `node`.
pub(crate) fn next(last: Option<&Hlc>, node: &str, now_millis: u64) -> Hlc {
    let mut clock = last.cloned().unwrap_or_else(|| Hlc::new(node));
    clock.node = node.to_owned();
    let mut stamp = clock.tick(now_millis);
    if stamp.counter > MAX_COUNTER {
        stamp.millis = stamp.millis.saturating_add(1);
        stamp.counter = 0;
    }
    stamp
}

/// Hand out the next stamp and store it. Call inside the transaction of the
/// change the stamp belongs to.
pub(crate) fn tick(conn: &Connection, now_millis: u64) -> Result<Hlc, VaultError> {
    let node = meta::get(conn, MetaKey::DeviceId)?.ok_or(VaultError::Corrupt)?;
    let last = match meta::get_raw(conn, meta::HLC_KEY)? {
        Some(text) => Some(Hlc::parse(&text).ok_or(VaultError::Corrupt)?),
        None => None,
    };
    let stamp = next(last.as_ref(), &node, now_millis);
    meta::set_raw(conn, meta::HLC_KEY, &stamp.to_string())?;
    Ok(stamp)
}

/// Move the clock past a stamp seen from elsewhere (a pulled change), so
/// local stamps made afterwards sort after it.
pub(crate) fn observe(conn: &Connection, remote: &Hlc, now_millis: u64) -> Result<(), VaultError> {
    let node = meta::get(conn, MetaKey::DeviceId)?.ok_or(VaultError::Corrupt)?;
    let mut clock = match meta::get_raw(conn, meta::HLC_KEY)? {
        Some(text) => Hlc::parse(&text).ok_or(VaultError::Corrupt)?,
        None => Hlc::new(node.clone()),
    };
    clock.observe(remote, now_millis);
    clock.node = node;
    if clock.counter > MAX_COUNTER {
        clock.millis = clock.millis.saturating_add(1);
        clock.counter = 0;
    }
    meta::set_raw(conn, meta::HLC_KEY, &clock.to_string())
}

/// Milliseconds since the Unix epoch of `now` (0 before it).
pub(crate) fn millis(now: chrono::DateTime<chrono::Utc>) -> u64 {
    u64::try_from(now.timestamp_millis()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn() -> Connection {
        let conn = Connection::open_in_memory().expect("memory db");
        conn.execute_batch(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             INSERT INTO meta VALUES ('device_id', 'dev-a');",
        )
        .expect("meta");
        conn
    }

    #[test]
    fn stamps_increase_even_when_the_wall_clock_goes_back() -> Result<(), VaultError> {
        let conn = conn();
        let a = tick(&conn, 5_000)?;
        let b = tick(&conn, 5_000)?;
        let c = tick(&conn, 1_000)?;
        let d = tick(&conn, 9_000)?;
        let texts = [a, b, c, d].map(|s| s.to_string());
        assert!(texts.windows(2).all(|w| w[0] < w[1]), "{texts:?}");
        assert!(texts.iter().all(|t| t.ends_with("-dev-a")));
        Ok(())
    }

    #[test]
    fn the_clock_survives_a_restart() -> Result<(), VaultError> {
        let dir = tempfile::tempdir().map_err(|source| VaultError::Io {
            file: "test dir",
            source,
        })?;
        let path = dir.path().join("clock.db");
        let before = {
            let conn = Connection::open(&path)?;
            conn.execute_batch(
                "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                 INSERT INTO meta VALUES ('device_id', 'dev-a');",
            )?;
            tick(&conn, 10_000)?
        };
        let conn = Connection::open(&path)?;
        // After the restart the wall clock reads earlier than before.
        let after = tick(&conn, 2_000)?;
        assert!(after.to_string() > before.to_string());
        Ok(())
    }

    #[test]
    fn a_full_counter_moves_the_clock_a_millisecond_ahead() {
        let last = Hlc {
            millis: 7,
            counter: MAX_COUNTER,
            node: "n".into(),
        };
        let s = next(Some(&last), "n", 1);
        assert_eq!((s.millis, s.counter), (8, 0));
        assert!(s.to_string() > last.to_string());
        assert_eq!(s.to_string().len(), last.to_string().len());
    }

    #[test]
    fn observing_a_remote_stamp_puts_later_local_stamps_after_it() -> Result<(), VaultError> {
        let conn = conn();
        tick(&conn, 1_000)?;
        let remote = Hlc {
            millis: 50_000,
            counter: 4,
            node: "dev-b".into(),
        };
        observe(&conn, &remote, 1_000)?;
        assert!(tick(&conn, 1_000)?.to_string() > remote.to_string());
        Ok(())
    }

    #[test]
    fn a_new_device_id_keeps_the_clock_running() -> Result<(), VaultError> {
        let conn = conn();
        let a = tick(&conn, 3_000)?;
        meta::set(&conn, MetaKey::DeviceId, "dev-z")?;
        let b = tick(&conn, 3_000)?;
        assert_eq!((b.millis, b.counter), (a.millis, a.counter + 1));
        assert_eq!(b.node, "dev-z");
        Ok(())
    }
}

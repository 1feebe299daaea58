//! The device's hybrid logical clock: physical milliseconds, a counter and
//! the device id, in the text form of [`veldwerk_protocol::Hlc`] that the
//! server compares.
//!
//! Stamps stay strictly increasing across restarts and when the wall clock
//! goes back: a stamp is never below the latest one handed out, whatever
//! the time says. The latest one is the later of two places:
//! - the newest operation in the outbox: [`tick`] hands out a stamp for an
//!   operation that its caller appends to the outbox in the same
//!   transaction, so the stamp is stored with the change it belongs to, at
//!   no extra page written (the clock used to be rewritten in `meta` by
//!   every change: one more page for SQLCipher to encrypt per commit);
//! - `meta`, written by [`persist`] before operations leave the outbox (so
//!   the latest stamp never leaves with them) and by [`observe`].

use rusqlite::{Connection, OptionalExtension};
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

fn parse(text: &str) -> Result<Hlc, VaultError> {
    Hlc::parse(text).ok_or(VaultError::Corrupt)
}

/// The stamp kept in `meta`, if any.
fn stored(conn: &Connection) -> Result<Option<Hlc>, VaultError> {
    meta::get_raw(conn, meta::HLC_KEY)?
        .as_deref()
        .map(parse)
        .transpose()
}

/// The stamp of the newest outbox operation (appended last, so the highest
/// rowid), if any.
fn newest_in_outbox(conn: &Connection) -> Result<Option<Hlc>, VaultError> {
    conn.prepare_cached("SELECT hlc FROM outbox ORDER BY rowid DESC LIMIT 1")?
        .query_row([], |r| r.get::<_, String>(0))
        .optional()?
        .as_deref()
        .map(parse)
        .transpose()
}

/// The latest stamp handed out: the later of `meta`'s and the newest
/// outbox operation's.
fn latest(conn: &Connection) -> Result<Option<Hlc>, VaultError> {
    Ok(stored(conn)?.max(newest_in_outbox(conn)?))
}

/// Hand out the next stamp. Call inside the transaction of the change the
/// stamp belongs to, and append the operation carrying it to the outbox in
/// that same transaction: that row is where the stamp is kept.
pub(crate) fn tick(conn: &Connection, now_millis: u64) -> Result<Hlc, VaultError> {
    let node = meta::get(conn, MetaKey::DeviceId)?.ok_or(VaultError::Corrupt)?;
    Ok(next(latest(conn)?.as_ref(), &node, now_millis))
}

/// Keep the latest stamp in `meta`. Call in the transaction that removes
/// operations from the outbox, before removing them.
pub(crate) fn persist(conn: &Connection) -> Result<(), VaultError> {
    match newest_in_outbox(conn)? {
        Some(newest) if Some(&newest) > stored(conn)?.as_ref() => {
            meta::set_raw(conn, meta::HLC_KEY, &newest.to_string())
        }
        _ => Ok(()),
    }
}

/// Move the clock past a stamp seen from elsewhere (a pulled change), so
/// local stamps made afterwards sort after it.
pub(crate) fn observe(conn: &Connection, remote: &Hlc, now_millis: u64) -> Result<(), VaultError> {
    let node = meta::get(conn, MetaKey::DeviceId)?.ok_or(VaultError::Corrupt)?;
    let mut clock = latest(conn)?.unwrap_or_else(|| Hlc::new(node.clone()));
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

    /// The two tables the clock reads, as the migrations make them (the
    /// outbox with only the column the clock uses).
    const TABLES: &str = "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
         INSERT INTO meta VALUES ('device_id', 'dev-a');
         CREATE TABLE outbox (hlc TEXT NOT NULL);";

    fn conn() -> Connection {
        let conn = Connection::open_in_memory().expect("memory db");
        conn.execute_batch(TABLES).expect("tables");
        conn
    }

    /// What the write path does: a stamp, kept with its operation.
    fn stamp(conn: &Connection, now_millis: u64) -> Result<Hlc, VaultError> {
        let stamp = tick(conn, now_millis)?;
        conn.execute("INSERT INTO outbox (hlc) VALUES (?1)", [stamp.to_string()])?;
        Ok(stamp)
    }

    #[test]
    fn stamps_increase_even_when_the_wall_clock_goes_back() -> Result<(), VaultError> {
        let conn = conn();
        let a = stamp(&conn, 5_000)?;
        let b = stamp(&conn, 5_000)?;
        let c = stamp(&conn, 1_000)?;
        let d = stamp(&conn, 9_000)?;
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
            conn.execute_batch(TABLES)?;
            stamp(&conn, 10_000)?
        };
        let conn = Connection::open(&path)?;
        // After the restart the wall clock reads earlier than before.
        let after = stamp(&conn, 2_000)?;
        assert!(after.to_string() > before.to_string());
        Ok(())
    }

    #[test]
    fn the_clock_stays_ahead_when_the_outbox_empties() -> Result<(), VaultError> {
        let conn = conn();
        stamp(&conn, 8_000)?;
        let last = stamp(&conn, 8_000)?;
        // Pushed: the operations leave the outbox, the clock is kept first.
        persist(&conn)?;
        conn.execute("DELETE FROM outbox", [])?;
        let after = stamp(&conn, 1_000)?;
        assert!(after.to_string() > last.to_string(), "{after} after {last}");
        assert_eq!(
            (after.millis, after.counter),
            (last.millis, last.counter + 1)
        );
        Ok(())
    }

    #[test]
    fn handing_out_a_stamp_writes_nothing_but_the_operation() -> Result<(), VaultError> {
        let conn = conn();
        let before = conn.total_changes();
        stamp(&conn, 4_000)?;
        stamp(&conn, 4_000)?;
        assert_eq!(conn.total_changes() - before, 2, "only the two outbox rows");
        assert_eq!(stored(&conn)?, None);
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
        stamp(&conn, 1_000)?;
        let remote = Hlc {
            millis: 50_000,
            counter: 4,
            node: "dev-b".into(),
        };
        observe(&conn, &remote, 1_000)?;
        assert!(stamp(&conn, 1_000)?.to_string() > remote.to_string());
        Ok(())
    }

    #[test]
    fn a_new_device_id_keeps_the_clock_running() -> Result<(), VaultError> {
        let conn = conn();
        let a = stamp(&conn, 3_000)?;
        meta::set(&conn, MetaKey::DeviceId, "dev-z")?;
        let b = stamp(&conn, 3_000)?;
        assert_eq!((b.millis, b.counter), (a.millis, a.counter + 1));
        assert_eq!(b.node, "dev-z");
        Ok(())
    }
}
